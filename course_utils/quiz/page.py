"""The quiz as a self-contained HTML+JavaScript fragment for the static book (no kernel, no CDN).

Markup contract (the browser tests rely on it):

- the quiz is ``<div data-quiz="{quiz id}">``, ids scoped as ``cuq-{quiz}-{question}[-{option}]``
  (derived from the bank, never random, so stored notebook outputs stay comparable);
- each question is an element with ``data-quiz-question="{question id}"`` holding a
  ``<fieldset>``/``<legend>``, native ``<input>`` radios, checkboxes or a text box inside
  ``<label>``s, a ``<button>`` labelled "Check" and a feedback ``<div aria-live="polite">``
  whose text starts with "Correct" for a right answer;
- "Download answers" saves the answers file described in :mod:`course_utils.quiz.answers`
  (checksum computed by the page with a plain-JavaScript SHA-256).

The script initialises every ``[data-quiz]`` container not yet initialised, so several quizzes
(each bringing its own copy of the script) can share a page. The answer key travels in the
page: these are self-check quizzes, graded for real from saved answers files.
"""

from __future__ import annotations

from course_utils._static_html import (
    BASE_CSS,
    CANONICAL_JSON_JS,
    SHA256_JS,
    escape,
    inline_markup,
    json_for_script,
)
from course_utils.quiz.answers import FORMAT, FORMAT_VERSION
from course_utils.quiz.bank import Question, QuizBank
from course_utils.quiz.checking import MESSAGES, NUMBER_PATTERN, REVEAL_AFTER

QUIZ_CSS = """
.cu-quiz fieldset { border: 0; padding: 0; margin: 0; min-width: 0; }
.cu-quiz legend { font-weight: 600; margin-bottom: 0.3rem; }
.cu-quiz-question { padding: 0.6rem 0; border-bottom: 1px solid var(--pst-color-border, #e1e4e8); }
.cu-quiz-question label { display: block; margin: 0.15rem 0 0.15rem 0.2rem; cursor: pointer; }
.cu-quiz-question label input { margin-right: 0.45rem; }
.cu-quiz .cu-feedback { margin-top: 0.2rem; min-height: 1.2em; }
.cu-quiz .cu-feedback.cu-right { color: var(--pst-color-success, #1a7f37); }
.cu-quiz .cu-feedback.cu-wrong { color: var(--pst-color-danger, #b3261e); }
.cu-quiz .cu-quiz-title { font-weight: 700; font-size: 1.1rem; margin: 0 0 0.3rem; }
.cu-quiz .cu-quiz-footer { padding-top: 0.6rem; }
.cu-quiz .cu-quiz-footer label { margin-right: 0.5rem; }
"""


def _element_id(bank: QuizBank, *parts: str) -> str:
    return "-".join(("cuq", bank.quiz, *parts))


def _question_html(bank: QuizBank, number: int, question: Question) -> str:
    qid = _element_id(bank, question.id)
    lines = [
        f'<div class="cu-quiz-question" id="{qid}" data-quiz-question="{escape(question.id)}" '
        f'data-question-type="{question.type}">',
        "<fieldset>",
        f"<legend>{number}. {inline_markup(question.prompt)}</legend>",
    ]
    if question.type == "numeric":
        lines.append(
            f'<label for="{qid}-input">Your answer: <input type="text" id="{qid}-input" '
            'inputmode="decimal" autocomplete="off" spellcheck="false" '
            'placeholder="e.g. 0.91 or 91%"></label>'
        )
    else:
        kind = "radio" if question.type == "single" else "checkbox"
        for option in question.options:
            oid = f"{qid}-{option.id}"
            lines.append(
                f'<label for="{oid}"><input type="{kind}" id="{oid}" name="{qid}" '
                f'value="{escape(option.id)}">{inline_markup(option.text)}</label>'
            )
    lines += [
        "</fieldset>",
        f'<button type="button" id="{qid}-check" data-quiz-check>Check</button>',
        f'<div class="cu-feedback" id="{qid}-feedback" aria-live="polite"></div>',
        "</div>",
    ]
    return "\n".join(lines)


def _page_data(bank: QuizBank) -> dict:
    """What the script needs: the key, feedback as escaped HTML, and the shared messages."""
    questions = []
    for q in bank.questions:
        entry = {"id": q.id, "type": q.type, "explanation": inline_markup(q.explanation)}
        if q.type == "numeric":
            entry.update(answer=q.answer, tolerance=q.tolerance)
            entry["hint"] = inline_markup(q.hint) if q.hint else None
        else:
            entry["options"] = [
                {"id": o.id, "correct": o.correct, "feedback": inline_markup(o.feedback)}
                for o in q.options
            ]
        questions.append(entry)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "quiz": bank.quiz,
        "version": bank.version,
        "reveal_after": REVEAL_AFTER,
        "number_pattern": NUMBER_PATTERN,
        "messages": {key: escape(text) for key, text in MESSAGES.items()},
        "questions": questions,
    }


def render_quiz_html(bank: QuizBank) -> str:
    """Render ``bank`` as a self-contained HTML fragment (markup, inline CSS and script).

    Parameters
    ----------
    bank : QuizBank
        The bank to render.

    Returns
    -------
    str
        HTML that works on a page with no kernel, no require.js and no network. The same bank
        always renders to the same text.

    Raises
    ------
    TypeError
        If ``bank`` is not a QuizBank.

    Examples
    --------
    >>> from course_utils.quiz import load_bank
    >>> page = render_quiz_html(load_bank("01_rnn_metrics"))
    >>> page.count('class="cu-quiz-question"') == len(load_bank("01_rnn_metrics"))
    True
    >>> 'aria-live="polite"' in page and ">Check</button>" in page and "src=" not in page
    True
    """
    if not isinstance(bank, QuizBank):
        raise TypeError(
            f"Expected `bank` to be a QuizBank (see load_bank), but got {type(bank).__name__}."
        )
    root = _element_id(bank)
    parts = [
        f'<div class="cu-box cu-quiz" id="{root}" data-quiz="{escape(bank.quiz)}" '
        f'data-quiz-version="{escape(bank.version)}">',
        f"<style>{BASE_CSS}{QUIZ_CSS}</style>",
        f'<p class="cu-quiz-title">{inline_markup(bank.title)}</p>',
        "<noscript><p>Checking answers on this page needs JavaScript; "
        "in a notebook, run the cell instead.</p></noscript>",
    ]
    parts += [_question_html(bank, i, q) for i, q in enumerate(bank.questions, start=1)]
    parts += [
        '<div class="cu-quiz-footer">',
        f'<p class="cu-score" id="{root}-score" aria-live="polite" data-quiz-score>'
        f"Score: 0 of {len(bank)} checked correct.</p>",
        f'<label for="{root}-learner">Your name: <input type="text" id="{root}-learner" '
        'autocomplete="name" data-quiz-learner></label>',
        f'<button type="button" id="{root}-download" data-quiz-download>Download answers</button>',
        f'<button type="button" id="{root}-reset" data-quiz-reset>Start over</button>',
        "</div>",
        f'<script type="application/json" data-quiz-data>{json_for_script(_page_data(bank))}</script>',
        f"<script>{QUIZ_JS}</script>",
        "</div>",
    ]
    return "\n".join(parts)


QUIZ_JS = (
    "(function () {\n"
    + SHA256_JS
    + CANONICAL_JSON_JS
    + r"""
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
})();
"""
)
