// The "numeric" question type (course_utils/quiz/types/numeric.py): a typed number within a
// tolerance; a percentage only where the answer is a proportion (q.proportion).
/* global cuQuizTypes, cuParseNumber */
cuQuizTypes.numeric = {
  read: function (box) {
    var text = box.querySelector("input[type=text]").value;
    return text.trim() === "" ? null : text;
  },
  clear: function (box) {
    box.querySelector("input[type=text]").value = "";
  },
  judge: function (data, q, value) {
    var M = data.messages;
    var parsed =
      value === null ? null : cuParseNumber(value, data.number_pattern, data.max_number_length);
    if (parsed === null) {
      return { correct: null, message: q.proportion ? M.number_percent : M.number };
    }
    if (parsed.percent && !q.proportion) return { correct: null, message: M.no_percent };
    if (Math.abs(parsed.value - q.answer) <= q.tolerance + data.slack) {
      return { correct: true, message: "Correct. " + q.explanation };
    }
    var message = q.hint || M.numeric_wrong;
    var typedPercent = Math.abs(parsed.value / 100 - q.answer) <= q.tolerance + data.slack;
    if (q.proportion && !parsed.percent && typedPercent) message = M.percent;
    return { correct: false, message: "Not quite. " + message };
  },
};
