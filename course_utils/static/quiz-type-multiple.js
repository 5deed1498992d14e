// The "multiple" question type (course_utils/quiz/types/multiple.py): every option that applies.
/* global cuQuizTypes, cuQuizOptionFeedback, cuQuizFill */
cuQuizTypes.multiple = {
  read: function (box) {
    return Array.prototype.map.call(box.querySelectorAll("input:checked"), function (input) {
      return input.value;
    });
  },
  clear: function (box) {
    box.querySelectorAll("input").forEach(function (input) {
      input.checked = false;
    });
  },
  judge: function (data, q, value) {
    var chosen = value || [];
    if (!chosen.length) return { correct: null, message: data.messages.choose_some };
    var parts = ["Not quite."];
    var missed = 0;
    var right = true;
    q.options.forEach(function (o) {
      var picked = chosen.indexOf(o.id) >= 0;
      if (picked !== o.correct) right = false;
      if (picked && !o.correct) parts.push(cuQuizOptionFeedback(data, o));
      if (!picked && o.correct) missed += 1;
    });
    if (right) return { correct: true, message: "Correct. " + q.explanation };
    if (missed) parts.push(cuQuizFill(data.messages.missed, "n", String(missed)));
    return { correct: false, message: parts.join(" ") };
  },
};
