function parseNumber(text, pattern) {
  var cleaned = String(text).trim();
  if (!new RegExp(pattern).test(cleaned)) return null;
  if (cleaned.charAt(cleaned.length - 1) === "%") return Number(cleaned.slice(0, -1)) / 100;
  return Number(cleaned);
}

// The same rules as course_utils.quiz.checking.evaluate; messages arrive as escaped HTML.
function evaluate(data, q, value, attempts) {
  var M = data.messages, SLACK = 1e-9, v;
  if (q.type === "numeric") {
    var n = value === null ? null : parseNumber(value, data.number_pattern);
    if (n === null) {
      v = { correct: null, message: M.number };
    } else if (Math.abs(n - q.answer) <= q.tolerance + SLACK) {
      v = { correct: true, message: "Correct. " + q.explanation };
    } else {
      var hint = Math.abs(n / 100 - q.answer) <= q.tolerance + SLACK ? M.percent
        : (q.hint || M.numeric_wrong);
      v = { correct: false, message: "Not quite. " + hint };
    }
  } else if (q.type === "single") {
    var opt = q.options.filter(function (o) { return o.id === value; })[0];
    if (!opt) v = { correct: null, message: M.choose_one };
    else if (opt.correct) v = { correct: true, message: "Correct. " + opt.feedback + " " + q.explanation };
    else v = { correct: false, message: "Not quite. " + opt.feedback };
  } else {
    var chosen = value || [];
    if (!chosen.length) {
      v = { correct: null, message: M.choose_some };
    } else {
      var parts = ["Not quite."], missed = 0, right = true;
      q.options.forEach(function (o) {
        var picked = chosen.indexOf(o.id) >= 0;
        if (picked !== o.correct) right = false;
        if (picked && !o.correct) parts.push(o.feedback);
        if (!picked && o.correct) missed += 1;
      });
      if (missed) parts.push(M.missed.replace("{n}", String(missed)));
      v = right ? { correct: true, message: "Correct. " + q.explanation }
        : { correct: false, message: parts.join(" ") };
    }
  }
  if (v.correct === false && attempts + 1 >= data.reveal_after) {
    v.message += " Explanation: " + q.explanation;
  }
  return v;
}

function readValue(box, q) {
  if (q.type === "numeric") {
    var text = box.querySelector("input[type=text]").value;
    return text.trim() === "" ? null : text;
  }
  var picked = Array.prototype.filter.call(box.querySelectorAll("input"), function (i) {
    return i.checked;
  }).map(function (i) { return i.value; });
  if (q.type === "single") return picked.length ? picked[0] : null;
  return picked;
}

function setup(root) {
  root.setAttribute("data-quiz-ready", "");
  var data = JSON.parse(root.querySelector("script[data-quiz-data]").textContent);
  var state = {};  // question id -> {attempts, correct}
  var scoreLine = root.querySelector("[data-quiz-score]");

  function updateScore() {
    var n = 0;
    data.questions.forEach(function (q) { if (state[q.id] && state[q.id].correct) n += 1; });
    scoreLine.textContent = "Score: " + n + " of " + data.questions.length + " checked correct.";
  }

  data.questions.forEach(function (q) {
    var box = root.querySelector('[data-quiz-question="' + q.id + '"]');
    var feedback = box.querySelector("[aria-live]");
    state[q.id] = { attempts: 0, correct: false };
    function checkQuestion() {
      var s = state[q.id];
      var v = evaluate(data, q, readValue(box, q), s.attempts);
      feedback.innerHTML = v.message;  // built only from HTML escaped in Python
      feedback.className = "cu-feedback" + (v.correct === true ? " cu-right"
        : v.correct === false ? " cu-wrong" : "");
      if (v.correct === false) s.attempts += 1;
      if (v.correct !== null) s.correct = v.correct;
      updateScore();
    }
    box.querySelector("[data-quiz-check]").addEventListener("click", checkQuestion);
    var text = box.querySelector("input[type=text]");
    if (text) text.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); checkQuestion(); }
    });
  });

  root.querySelector("[data-quiz-reset]").addEventListener("click", function () {
    data.questions.forEach(function (q) {
      var box = root.querySelector('[data-quiz-question="' + q.id + '"]');
      box.querySelectorAll("input").forEach(function (i) {
        if (i.type === "text") i.value = ""; else i.checked = false;
      });
      var feedback = box.querySelector("[aria-live]");
      feedback.textContent = "";
      feedback.className = "cu-feedback";
      state[q.id] = { attempts: 0, correct: false };
    });
    updateScore();
  });

  root.querySelector("[data-quiz-download]").addEventListener("click", function () {
    var answers = {};
    data.questions.forEach(function (q) {
      var value = readValue(root.querySelector('[data-quiz-question="' + q.id + '"]'), q);
      if (value !== null && !(Array.isArray(value) && !value.length)) answers[q.id] = value;
    });
    var learner = root.querySelector("[data-quiz-learner]").value.trim();
    var payload = { format: data.format, format_version: data.format_version, quiz: data.quiz,
      quiz_version: data.version, learner: learner || null, answers: answers };
    payload.checksum = cuSha256Hex(cuCanonicalJson(payload));
    var blob = new Blob([JSON.stringify(payload, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = data.quiz + "-answers.json";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  });
}

function setupAll() {
  document.querySelectorAll("[data-quiz]:not([data-quiz-ready])").forEach(function (root) {
    try { setup(root); } catch (err) { console.error("course_utils quiz:", err); }
  });
}

window.CourseUtilsQuiz = { parseNumber: parseNumber, sha256Hex: cuSha256Hex,
  canonicalJson: cuCanonicalJson, evaluate: evaluate, setupAll: setupAll };
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupAll);
else setupAll();
