// Numbers as learners type them: the grammar (a regular expression) and the length limit come
// from course_utils.quiz.checking, so the page and Python read every text alike.
/* exported cuParseNumber */

// {value, percent} for "0.91", ".91", "10/11", "91%", "91 %"; null for anything else, a zero
// denominator, a value that is not finite ("1e400") or text longer than maxLength.
function cuParseNumber(text, pattern, maxLength) {
  text = String(text);
  if (text.length > maxLength) return null;
  var match = new RegExp(pattern).exec(text);
  if (!match) return null;
  var value = Number(match[1]);
  if (match[2]) {
    value /= 100;
  } else if (match[3] !== undefined) {
    var divisor = Number(match[3]);
    if (divisor === 0) return null;
    value /= divisor;
  }
  if (!isFinite(value)) return null;
  return { value: value, percent: Boolean(match[2]) };
}
