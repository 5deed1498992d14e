// Canonical JSON exactly as Python's
// json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).
/* exported cuCanonicalJson */
function cuCanonicalJson(value) {
  if (Array.isArray(value)) return "[" + value.map(cuCanonicalJson).join(",") + "]";
  if (value !== null && typeof value === "object") {
    return (
      "{" +
      Object.keys(value)
        .sort()
        .map(function (key) {
          return cuCanonicalJson(key) + ":" + cuCanonicalJson(value[key]);
        })
        .join(",") +
      "}"
    );
  }
  // Python's ensure_ascii escapes DEL and every non-ASCII UTF-16 unit as \uXXXX.
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, function (ch) {
    return "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0");
  });
}
