// The "single" question type (course_utils/quiz/types/single.py): one option, radio buttons.
/* global cuQuizTypes, cuQuizOptionFeedback */
cuQuizTypes.single = {
  read: function (box) {
    var picked = box.querySelector("input:checked");
    return picked ? picked.value : null;
  },
  clear: function (box) {
    box.querySelectorAll("input").forEach(function (input) {
      input.checked = false;
    });
  },
  judge: function (data, q, value) {
    var option = q.options.filter(function (o) {
      return o.id === value;
    })[0];
    if (!option) return { correct: null, message: data.messages.choose_one };
    if (option.correct) {
      return { correct: true, message: "Correct. " + option.feedback + " " + q.explanation };
    }
    return { correct: false, message: "Not quite. " + cuQuizOptionFeedback(data, option) };
  },
};
