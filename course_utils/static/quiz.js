// The quiz on a book page: checking, score, start over and the answers-file download.
// The rules match course_utils.quiz (Python); the tests compare both on the same inputs.
// Each question type brings its checker (quiz-type-<name>.js), registered in cuQuizTypes:
//   read(box) -> answer or null, clear(box), judge(data, question, answer) -> {correct, message}.
// Messages arrive as escaped HTML from Python; answers are compared, never inserted as HTML.
/* global cuSha256Hex, cuCanonicalJson, cuParseNumber */
/* exported cuQuizTypes, cuQuizOptionFeedback, cuQuizSetupAll */

var cuQuizTypes = {};

// template with "{key}" replaced by text (text may hold "$": no String.replace patterns).
function cuQuizFill(template, key, text) {
  return template.split("{" + key + "}").join(text);
}

// A wrong option's feedback, then its misconception when the bank names one.
function cuQuizOptionFeedback(data, option) {
  if (!option.misconception) return option.feedback;
  return (
    option.feedback + " " + cuQuizFill(data.messages.misconception, "text", option.misconception)
  );
}

// The same rules as course_utils.quiz.checking.evaluate.
function cuQuizEvaluate(data, q, value, attempts) {
  var verdict = cuQuizTypes[q.type].judge(data, q, value);
  if (verdict.correct === false && attempts + 1 >= data.reveal_after) {
    verdict.message += " Explanation: " + q.explanation;
  }
  return verdict;
}

function cuQuizBlank(value) {
  return value === null || (Array.isArray(value) && !value.length);
}

// The file-name slug of course_utils.quiz.answers.learner_slug.
function cuQuizSlug(name) {
  var slug = String(name || "")
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .toLowerCase()
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || "anonymous";
}

function cuQuizFilename(quiz, learner) {
  return quiz + "-" + cuQuizSlug(learner) + "-answers.json";
}

// The answers-file object of course_utils.quiz.answers.make_answers_payload, checksum included.
function cuQuizPayload(data, answers, learner, learnerId, firstTry) {
  var payload = {
    format: data.format,
    format_version: data.format_version,
    quiz: data.quiz,
    quiz_version: data.version,
    learner: learner || null,
    learner_id: learnerId || null,
    answers: answers,
    first_try: firstTry,
  };
  payload.checksum = cuSha256Hex(cuCanonicalJson(payload));
  return payload;
}

function cuQuizDownload(name, payload) {
  var blob = new Blob([JSON.stringify(payload, null, 2) + "\n"], { type: "application/json" });
  var link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.appendChild(link);
  link.click();
  setTimeout(function () {
    URL.revokeObjectURL(link.href);
    link.remove();
  }, 1000);
}

// A quiz, or a quick check ([data-quick-check]: the same questions, no footer; its score,
// reset and download elements are missing, and so are their handlers).
function cuQuizSetup(root) {
  root.setAttribute("data-quiz-ready", "");
  var data = JSON.parse(root.querySelector("script[data-quiz-data]").textContent);
  var M = data.messages;
  var state = {}; // question id -> {attempts, correct}
  var firstTry = {}; // question id -> was the first check right? (kept by "Start over")
  var scoreLine = root.querySelector("[data-quiz-score]");
  var status = root.querySelector("[data-quiz-status]");
  var confirmed = null; // the download that was questioned; pressing again with it saves

  function box(q) {
    return root.querySelector('[data-quiz-question="' + q.id + '"]');
  }

  function updateScore() {
    if (!scoreLine) return;
    var n = data.questions.filter(function (q) {
      return state[q.id].correct;
    }).length;
    scoreLine.textContent = "Score: " + n + " of " + data.questions.length + " checked correct.";
  }

  data.questions.forEach(function (q) {
    var element = box(q);
    var feedback = element.querySelector("[aria-live]");
    state[q.id] = { attempts: 0, correct: false };
    function checkQuestion() {
      var s = state[q.id];
      var v = cuQuizEvaluate(data, q, cuQuizTypes[q.type].read(element), s.attempts);
      feedback.innerHTML = v.message; // built only from HTML escaped in Python
      feedback.className =
        "cu-feedback" + (v.correct === true ? " cu-right" : v.correct === false ? " cu-wrong" : "");
      if (v.correct === false) s.attempts += 1;
      if (v.correct !== null) {
        s.correct = v.correct;
        if (!(q.id in firstTry)) firstTry[q.id] = v.correct;
      }
      updateScore();
    }
    element.querySelector("[data-quiz-check]").addEventListener("click", checkQuestion);
    element.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "Enter" && target.type === "text") {
        event.preventDefault();
        checkQuestion();
      }
      // Arrow keys move between a question's options; a notebook (JupyterLab) must not also
      // read them as "next cell".
      if (/^Arrow/.test(event.key) && (target.type === "radio" || target.type === "checkbox")) {
        event.stopPropagation();
      }
    });
  });

  root.addEventListener("input", function () {
    confirmed = null;
  });

  var reset = root.querySelector("[data-quiz-reset]");
  var download = root.querySelector("[data-quiz-download]");
  if (!reset || !download) return; // a quick check

  reset.addEventListener("click", function () {
    data.questions.forEach(function (q) {
      var element = box(q);
      cuQuizTypes[q.type].clear(element);
      var feedback = element.querySelector("[aria-live]");
      feedback.textContent = "";
      feedback.className = "cu-feedback";
      state[q.id] = { attempts: 0, correct: false };
    });
    status.textContent = "";
    confirmed = null;
    updateScore();
  });

  download.addEventListener("click", function () {
    var answers = {};
    data.questions.forEach(function (q) {
      var value = cuQuizTypes[q.type].read(box(q));
      if (!cuQuizBlank(value)) answers[q.id] = value;
    });
    var learner = root.querySelector("[data-quiz-learner]").value.trim();
    var learnerId = root.querySelector("[data-quiz-learner-id]").value.trim();
    var ordered = {};
    data.questions.forEach(function (q) {
      if (q.id in firstTry) ordered[q.id] = firstTry[q.id];
    });
    var payload = cuQuizPayload(data, answers, learner, learnerId, ordered);
    var problems = [];
    if (!Object.keys(answers).length) problems.push(M.save_empty);
    if (!learner) problems.push(M.save_no_name);
    if (problems.length && confirmed !== payload.checksum) {
      confirmed = payload.checksum;
      problems.push(cuQuizFill(M.save_confirm, "button", "Download answers"));
      status.innerHTML = problems.join(" ");
      return;
    }
    confirmed = null;
    var name = cuQuizFilename(data.quiz, learner);
    cuQuizDownload(name, payload);
    status.innerHTML = cuQuizFill(M.saved, "file", name); // name: [a-z0-9_-] only
  });
}

function cuQuizSetupAll() {
  var roots = "[data-quiz]:not([data-quiz-ready]), [data-quick-check]:not([data-quiz-ready])";
  document.querySelectorAll(roots).forEach(function (root) {
    try {
      cuQuizSetup(root);
    } catch (err) {
      console.error("course_utils quiz:", err);
    }
  });
}

// For the tests and the curious: the functions the page runs.
window.CourseUtilsQuiz = {
  parseNumber: function (text, pattern, maxLength) {
    var parsed = cuParseNumber(text, pattern, maxLength);
    return parsed === null ? null : parsed.value;
  },
  readNumber: cuParseNumber,
  sha256Hex: cuSha256Hex,
  canonicalJson: cuCanonicalJson,
  evaluate: cuQuizEvaluate,
  slug: cuQuizSlug,
  filename: cuQuizFilename,
  payload: cuQuizPayload,
  setupAll: cuQuizSetupAll,
};
