"""The quiz as a self-contained HTML+JavaScript fragment for the static book (no kernel, no CDN).

Markup contract (the browser tests rely on it):

- the quiz is ``<div data-quiz="{quiz id}">``, ids scoped as ``cuq-{quiz}-{question}[-{option}]``
  (derived from the bank, never random, so stored notebook outputs stay comparable);
- each question is an element with ``data-quiz-question="{question id}"`` holding a
  ``<fieldset>``/``<legend>``, the inputs its type renders (native radios, checkboxes or a text
  box, each inside a ``<label>``), a ``<button>`` labelled "Check" and a feedback
  ``<div aria-live="polite">`` whose text starts with "Correct" for a right answer;
- the footer has "Your name" and "Learner id" fields, "Download answers" (the answers file of
  :mod:`course_utils.quiz.answers`, named by ``answers_filename``, checksum computed by the page
  with a plain-JavaScript SHA-256) and "Start over", and a status line (``aria-live``) where a
  download with no answers or no name is questioned first (a second press downloads).

A quick check (:func:`render_quick_check_html`, one or two items that end a section) is the
same question markup in a compact box, ``<div data-quick-check="{quiz}" data-quick-check-items=
"{ids}">``, titled "Quick check", with no footer: no score, no name fields, no download (quick
checks are practice and never graded). Its root id is ``cuq-{quiz}-{first item}-box``, so it
never collides with the chapter's quiz or another quick check on the page.

The code lives in ``course_utils/static/`` (``quiz.css``, ``quiz.js`` and one
``quiz-type-<name>.js`` checker per question type) and is inlined here, so the page loads
nothing. The script initialises every ``[data-quiz]`` container not yet initialised, so
several quizzes (each bringing its own copy of the script) can share a page. The answer key
travels in the page: these are self-check quizzes, graded from saved answers files.
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
from course_utils.quiz.checking import (
    MAX_NUMBER_LENGTH,
    MESSAGES,
    NUMBER_PATTERN,
    REVEAL_AFTER,
    SLACK,
)
from course_utils.quiz.types import QUESTION_TYPES

QUIZ_CSS = inline_css("quiz.css")


def quiz_js() -> str:
    """The page's script: the shared code, every registered type's checker, then the start.

    One closure per copy, so several quizzes can share a page.
    """
    files = ["sha256.js", "canonical-json.js", "quiz-number.js", "quiz.js"]
    files += [kind.js_file for kind in QUESTION_TYPES.values()]
    files.append("quiz-start.js")
    return '(function () {\n"use strict";\n' + inline_js(*files) + "})();\n"


QUIZ_JS = quiz_js()

# Shown in the footer; the widget uses the same words.
SAVE_MESSAGES = {
    "save_empty": "No question is answered yet.",
    "save_no_name": "Your name is empty, so nobody can tell whose answers these are.",
    "save_confirm": "Press {button} again to save anyway.",
    "saved": "Saved {file}.",
}


def _element_id(bank: QuizBank, *parts: str) -> str:
    return "-".join(("cuq", bank.quiz, *parts))


def _question_html(bank: QuizBank, number: int | None, question: Question) -> str:
    qid = _element_id(bank, question.id)
    numbered = "" if number is None else f"{number}. "
    return "\n".join(
        [
            f'<div class="cu-quiz-question" id="{qid}" data-quiz-question="{escape(question.id)}" '
            f'data-question-type="{question.type}">',
            "<fieldset>",
            f"<legend>{numbered}{inline_markup(question.prompt)}</legend>",
            question.kind.page_inputs(question, qid),
            "</fieldset>",
            f'<button type="button" id="{qid}-check" data-quiz-check>Check</button>',
            f'<div class="cu-feedback" id="{qid}-feedback" aria-live="polite"></div>',
            "</div>",
        ]
    )


def _page_data(bank: QuizBank, questions_shown=None) -> dict:
    """What the script needs: the key, feedback as escaped HTML, and the shared messages."""
    questions = []
    for q in bank.questions if questions_shown is None else questions_shown:
        entry = {"id": q.id, "type": q.type, "explanation": inline_markup(q.explanation)}
        entry.update(q.kind.page_data(q))
        questions.append(entry)
    messages = {**MESSAGES, **SAVE_MESSAGES}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "quiz": bank.quiz,
        "version": bank.version,
        "reveal_after": REVEAL_AFTER,
        "slack": SLACK,
        "number_pattern": NUMBER_PATTERN,
        "max_number_length": MAX_NUMBER_LENGTH,
        "messages": {key: escape(text) for key, text in messages.items()},
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
        '<div class="cu-quiz-identity">',
        f'<label for="{root}-learner">Your name <input type="text" id="{root}-learner" '
        'autocomplete="name" maxlength="200" data-quiz-learner></label>',
        f'<label for="{root}-learner-id">Learner id (optional: student number or e-mail) '
        f'<input type="text" id="{root}-learner-id" autocomplete="off" maxlength="200" '
        "data-quiz-learner-id></label>",
        "</div>",
        f'<button type="button" id="{root}-download" data-quiz-download>Download answers</button>',
        f'<button type="button" id="{root}-reset" data-quiz-reset>Start over</button>',
        f'<p class="cu-save-status" id="{root}-status" aria-live="polite" data-quiz-status></p>',
        "</div>",
        f'<script type="application/json" data-quiz-data>{json_for_script(_page_data(bank))}</script>',
        f"<script>{QUIZ_JS}</script>",
        "</div>",
    ]
    return "\n".join(parts)


def render_quick_check_html(bank: QuizBank, questions) -> str:
    """Render some of ``bank``'s quick checks as a compact, self-contained HTML fragment.

    Parameters
    ----------
    bank : QuizBank
        The chapter's bank.
    questions : sequence of Question
        The quick checks to show (from ``bank.quick_checks``), in order; at least one.

    Returns
    -------
    str
        HTML that works with no kernel and no network: each question with its Check button
        and ``aria-live`` feedback, as in the chapter's quiz, without the quiz's footer.

    Raises
    ------
    TypeError
        If ``bank`` is not a QuizBank.
    ValueError
        If ``questions`` is empty or holds a question that is not one of the bank's quick
        checks.

    Examples
    --------
    >>> from course_utils.quiz import load_bank
    >>> bank = load_bank("02_uncertainty")
    >>> page = render_quick_check_html(bank, bank.quick_checks[:1])
    >>> page.count('class="cu-quiz-question"'), "data-quiz-download>" in page
    (1, False)
    """
    if not isinstance(bank, QuizBank):
        raise TypeError(
            f"Expected `bank` to be a QuizBank (see load_bank), but got {type(bank).__name__}."
        )
    questions = tuple(questions)
    if not questions or any(q not in bank.quick_checks for q in questions):
        raise ValueError(
            f"Expected `questions` to be one or more of {bank.quiz}'s quick checks, but got "
            f"{[getattr(q, 'id', q) for q in questions]}."
        )
    ids = " ".join(q.id for q in questions)
    root = _element_id(bank, questions[0].id, "box")
    numbered = len(questions) > 1
    parts = [
        f'<div class="cu-box cu-quiz cu-quick-check" id="{root}" role="group" '
        f'aria-labelledby="{root}-title" data-quick-check="{escape(bank.quiz)}" '
        f'data-quick-check-items="{escape(ids)}" data-quiz-version="{escape(bank.version)}">',
        f"<style>{BASE_CSS}{QUIZ_CSS}</style>",
        f'<p class="cu-quiz-title" id="{root}-title">Quick check</p>',
        "<noscript><p>Checking answers on this page needs JavaScript; "
        "in a notebook, run the cell instead.</p></noscript>",
    ]
    parts += [
        _question_html(bank, i if numbered else None, q) for i, q in enumerate(questions, start=1)
    ]
    parts += [
        f'<script type="application/json" data-quiz-data>'
        f"{json_for_script(_page_data(bank, questions))}</script>",
        f"<script>{QUIZ_JS}</script>",
        "</div>",
    ]
    return "\n".join(parts)
