"""Shared helpers for objects that render both live (ipywidgets) and on a static page (HTML+JS).

The quiz and the threshold explorer are *display objects*: ``_repr_mimebundle_`` returns the
ipywidgets view when a kernel can talk to it, and always a self-contained ``text/html`` version
(inline CSS and JavaScript, no CDN, no kernel) that the book's HTML builder ranks first. This
module holds what both need: escaping, embedding JSON in a page safely, the kernel check, a
small plain-JavaScript SHA-256 (``crypto.subtle`` is missing on ``file://`` and plain-http
origins) and the base CSS.
"""

from __future__ import annotations

import html
import json
import re

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"

_CODE_SPAN = re.compile(r"`([^`]+)`")


def escape(text: str) -> str:
    """HTML-escape ``text`` (quotes included, so it is safe in attributes too)."""
    return html.escape(str(text), quote=True)


def inline_markup(text: str) -> str:
    """Escape ``text``, then turn `backtick` spans into ``<code>`` elements.

    Examples
    --------
    >>> inline_markup("Is `a < b` <b>true</b>?")
    'Is <code>a &lt; b</code> &lt;b&gt;true&lt;/b&gt;?'
    """
    return _CODE_SPAN.sub(r"<code>\1</code>", escape(text))


def plain_text(text: str) -> str:
    """``text`` without the backticks of code spans (for widget labels, which show raw text)."""
    return _CODE_SPAN.sub(r"\1", str(text))


def json_for_script(data) -> str:
    """JSON for a ``<script type="application/json">`` element: no ``<``, ``>`` or ``&`` left
    raw, so no text inside it can close the script element early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def in_kernel() -> bool:
    """True when running inside a Jupyter kernel, where a widget's comm can reach a front end."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def mimebundle(html_text: str, plain: str, widget_factory) -> dict:
    """The dual mime bundle: ``text/html`` and ``text/plain`` always, plus the widget view when a
    kernel is there and ipywidgets imports. ``widget_factory()`` returns the (cached) widget."""
    bundle = {"text/plain": plain, "text/html": html_text}
    if in_kernel():
        try:
            widget = widget_factory()
        except ImportError:  # no ipywidgets: the HTML version still works in the notebook
            return bundle
        view = widget._repr_mimebundle_().get(WIDGET_VIEW_MIME)
        if view is not None:
            bundle[WIDGET_VIEW_MIME] = view
    return bundle


# A small SHA-256 (FIPS 180-4) over the UTF-8 bytes of a string, returning lowercase hex.
# Plain ES2017; tested against hashlib in tests/test_quiz_page.py.
SHA256_JS = """
function cuSha256Hex(text) {
  var K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2];
  var H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
    0x5be0cd19];
  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }
  var bytes = new TextEncoder().encode(text);
  // Pad: a 1 bit, zeros, then the length in bits as a 64-bit big-endian number.
  var padded = new Uint8Array(((bytes.length + 9 + 63) >> 6) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  var view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bytes.length / 0x20000000));
  view.setUint32(padded.length - 4, (bytes.length * 8) >>> 0);
  var w = new Int32Array(64);
  for (var offset = 0; offset < padded.length; offset += 64) {
    for (var i = 0; i < 16; i++) w[i] = view.getInt32(offset + 4 * i);
    for (i = 16; i < 64; i++) {
      var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
    for (i = 0; i < 64; i++) {
      var t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
    H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
  }
  return H.map(function (x) { return (x >>> 0).toString(16).padStart(8, "0"); }).join("");
}
"""

# Canonical JSON exactly as Python's
# json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).
CANONICAL_JSON_JS = """
function cuCanonicalJson(value) {
  if (Array.isArray(value)) return "[" + value.map(cuCanonicalJson).join(",") + "]";
  if (value !== null && typeof value === "object") {
    return "{" + Object.keys(value).sort().map(function (key) {
      return cuCanonicalJson(key) + ":" + cuCanonicalJson(value[key]);
    }).join(",") + "}";
  }
  // Python's ensure_ascii escapes DEL and every non-ASCII UTF-16 unit as \\uXXXX.
  return JSON.stringify(value).replace(/[\\u007f-\\uffff]/g, function (ch) {
    return "\\\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0");
  });
}
"""

# Base CSS for both widgets' pages: scoped by class, uses the book theme's colours when present.
BASE_CSS = """
.cu-box { border: 1px solid var(--pst-color-border, #c9ced6); border-radius: 6px;
  padding: 0.75rem 1rem; margin: 1rem 0; background: var(--pst-color-surface, #fafbfc); }
.cu-box h3, .cu-box legend { font-size: 1.05rem; font-weight: 600; margin: 0 0 0.5rem; }
.cu-box button { font: inherit; padding: 0.2rem 0.8rem; margin: 0.25rem 0.5rem 0.25rem 0;
  border: 1px solid var(--pst-color-primary, #3465a4); border-radius: 4px;
  background: var(--pst-color-background, #fff); color: var(--pst-color-primary, #3465a4);
  cursor: pointer; }
.cu-box button:hover { background: var(--pst-color-primary-bg, #e8eef8); }
.cu-box :focus-visible { outline: 3px solid var(--pst-color-accent, #e66100); outline-offset: 2px; }
.cu-box input[type=text] { font: inherit; padding: 0.15rem 0.4rem; max-width: 14rem; }
.cu-box code { font-size: 0.9em; }
"""
