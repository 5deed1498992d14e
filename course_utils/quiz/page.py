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
    escape,
    inline_css,
    inline_js,
    inline_markup,
    json_for_script,
)
from course_utils.quiz.answers import FORMAT, FORMAT_VERSION
from course_utils.quiz.bank import Question, QuizBank
from course_utils.quiz.checking import MESSAGES, NUMBER_PATTERN, REVEAL_AFTER

QUIZ_CSS = inline_css("quiz.css")


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


# The page's script: one closure per copy, so several quizzes can share a page.
QUIZ_JS = "(function () {\n" + inline_js("sha256.js", "canonical-json.js", "quiz.js") + "})();\n"
