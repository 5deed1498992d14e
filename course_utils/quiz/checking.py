"""Checking answers: parse what a learner typed, judge it, and word the feedback.

Each question type judges its own answers (:mod:`course_utils.quiz.types`); this module holds
what they share: the number grammar, the messages, :func:`evaluate` and :func:`score_answers`.
The page's JavaScript implements the same rules (``course_utils/static/quiz*.js``, with the
number pattern and the messages passed in from here); the tests compare both sides on the same
inputs, so keep them in step when changing either.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from course_utils.quiz.bank import Question, QuizBank

# One grammar for numbers on both sides (Python's re and JavaScript's RegExp read it alike):
# "0.91", ".91", " 0.91 ", "9.1e-1", "-2", "10/11", and a percentage "91%" or "91 %".
# ASCII digits and spaces only and no nested repetition, so matching is linear in the length.
_DECIMAL = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_SPACE = r"[ \t\n\r\u00a0]*"
_GAP = r"[ \t\u00a0]*"
NUMBER_PATTERN = rf"^{_SPACE}([+-]?{_DECIMAL})(?:{_GAP}(%)|{_GAP}/{_GAP}({_DECIMAL}))?{_SPACE}$"
_NUMBER = re.compile(NUMBER_PATTERN)
# Longer text is not a number anyone types: refused before matching, so parsing is bounded.
MAX_NUMBER_LENGTH = 64  # as an answers file allows (answers.MAX_NUMBER_CHARS)

# Float slack so that 0.91 is inside "0.90909 +- 0.005" whatever the rounding of the last bit.
SLACK = 1e-9
# After this many wrong checks of one question the explanation is shown with the feedback.
REVEAL_AFTER = 2

# Neutral examples (no bank answer is near 2.5, 3/7 or 40%): a message must not hint at one.
MESSAGES = {
    "number": "Please enter a number: a decimal such as 2.5 or a fraction such as 3/7.",
    "number_percent": (
        "Please enter a number: a decimal such as 2.5, a fraction such as 3/7 "
        "or a percentage such as 40%."
    ),
    "no_percent": "This answer is not a proportion: write it without a percent sign.",
    "choose_one": "Choose an option first.",
    "choose_some": "Choose at least one option first.",
    "percent": "That looks like a percentage: add a percent sign, or write it as a proportion.",
    "missed": "You left out {n} correct option(s).",
    "numeric_wrong": "Check your calculation.",
    "misconception": "Misconception: {text}",
}


def read_number(text: str) -> tuple[float, bool] | None:
    """Read a number as learners type it: ``(value, typed_as_percent)``, or None.

    Parameters
    ----------
    text : str
        What the learner typed.

    Returns
    -------
    tuple of (float, bool) or None
        The value (a percentage divided by 100, a fraction divided out) and whether a percent
        sign was typed; None for anything else, a zero denominator, a value that is not
        finite (``1e400``) or text longer than ``MAX_NUMBER_LENGTH`` characters.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> read_number("10/11")[0] == 10 / 11, read_number("85 %"), read_number("1e400")
    (True, (0.85, True), None)
    """
    if not isinstance(text, str):
        raise TypeError(f"Expected `text` to be a str, but got {type(text).__name__}.")
    if len(text) > MAX_NUMBER_LENGTH:
        return None
    match = _NUMBER.match(text)
    if match is None:
        return None
    number, percent, denominator = match.groups()
    value = float(number)
    if percent:
        value /= 100
    elif denominator is not None:
        divisor = float(denominator)
        if divisor == 0:
            return None
        value /= divisor
    if not math.isfinite(value):
        return None
    return value, bool(percent)


def parse_number(text: str) -> float | None:
    """Read a number the way learners type it; ``None`` if it is not one.

    Parameters
    ----------
    text : str
        What the learner typed. Surrounding spaces are ignored; a trailing ``%`` (with or
        without a space before it) divides by 100; ``a/b`` is a fraction. Whether a
        percentage is *accepted* depends on the question (see :mod:`course_utils.quiz.bank`).

    Returns
    -------
    float or None
        The number, or ``None`` for anything that is not a decimal number, a fraction or a
        percentage, or whose value is not finite.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> parse_number("0.91"), parse_number(".91"), parse_number("91%"), parse_number(" 0.91 ")
    (0.91, 0.91, 0.91, 0.91)
    >>> parse_number("85 %"), parse_number("1/4")
    (0.85, 0.25)
    >>> parse_number("0,91") is None, parse_number("ninety") is None, parse_number("1/0") is None
    (True, True, True)
    """
    parsed = read_number(text)
    return None if parsed is None else parsed[0]


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one answer.

    ``correct`` is ``None`` when there was nothing to judge (no choice made, or text that is not
    a number); ``message`` is the feedback shown to the learner. A right answer's message starts
    with "Correct".
    """

    correct: bool | None
    message: str


def evaluate(question: Question, value, *, attempts: int = 0) -> Verdict:
    """Judge one answer and word the feedback a learner sees.

    Parameters
    ----------
    question : Question
        The question from a :class:`~course_utils.quiz.QuizBank`.
    value : str, list of str, float or None
        An option id (single), a list of option ids (multiple), or the text typed (numeric; a
        number is accepted too). ``None`` or an empty list means "not answered".
    attempts : int, default 0
        Wrong checks of this question so far. From the ``REVEAL_AFTER``-th wrong check on,
        the explanation is added to the feedback.

    Returns
    -------
    Verdict
        ``correct`` (True, False, or None when there was nothing to judge) and ``message``.

    Raises
    ------
    ValueError
        If ``value`` has the wrong shape for the question type or names an unknown option.

    Examples
    --------
    >>> from course_utils.quiz import load_bank
    >>> q = load_bank("10_self_check").question("seed-precision")
    >>> evaluate(q, "91%").correct, evaluate(q, "0.5").correct, evaluate(q, "abc").correct
    (True, False, None)
    >>> evaluate(q, "abc").message == MESSAGES["number_percent"]
    True
    """
    kind = question.kind
    if value is not None:
        value = kind.normalise(question, value)
    verdict = kind.judge(question, value)
    if verdict.correct is False and attempts + 1 >= REVEAL_AFTER:
        verdict = Verdict(False, f"{verdict.message} Explanation: {question.explanation}")
    return verdict


@dataclass(frozen=True)
class QuizResult:
    """Scores of one set of answers against a bank: what :func:`score_answers` returns.

    Attributes
    ----------
    quiz : str
        The quiz id.
    correct : dict of str to bool
        For every question of the bank, in bank order: whether its answer is right.
        Unanswered or unreadable answers count as wrong.
    answered : tuple of str
        Ids of the questions that have an answer.
    """

    quiz: str
    correct: dict[str, bool]
    answered: tuple[str, ...]

    @property
    def n_correct(self) -> int:
        """Number of right answers."""
        return sum(self.correct.values())

    @property
    def total(self) -> int:
        """Number of questions in the bank."""
        return len(self.correct)

    @property
    def fraction(self) -> float:
        """``n_correct / total``, in [0, 1]."""
        return self.n_correct / self.total

    def __str__(self) -> str:
        return f"{self.n_correct}/{self.total}"


def score_answers(bank: QuizBank, answers: dict) -> QuizResult:
    """Score a set of answers against a bank (used by the widget, the page and the grader).

    Parameters
    ----------
    bank : QuizBank
        The bank, from :func:`~course_utils.quiz.load_bank`.
    answers : dict
        ``{question_id: value}`` as in an answers file: an option id (single), a list of
        option ids (multiple) or the text typed (numeric). Missing questions are unanswered.

    Returns
    -------
    QuizResult
        Per-question ``correct`` flags (bank order) and the totals.

    Raises
    ------
    TypeError
        If ``bank`` is not a QuizBank or ``answers`` is not a dict.
    ValueError
        If ``answers`` names a question that is not in the bank, or a value has the wrong
        shape or an unknown option id.

    Examples
    --------
    >>> from course_utils.quiz import load_bank
    >>> bank = load_bank("10_self_check")
    >>> result = score_answers(bank, {"seed-precision": ".91", "seed-recall": "0.5"})
    >>> result.correct["seed-precision"], result.correct["seed-recall"], result.answered
    (True, False, ('seed-precision', 'seed-recall'))
    >>> result.n_correct
    1
    """
    if not isinstance(bank, QuizBank):
        raise TypeError(
            f"Expected `bank` to be a QuizBank (see load_bank), but got {type(bank).__name__}."
        )
    if not isinstance(answers, dict):
        raise TypeError(f"Expected `answers` to be a dict, but got {type(answers).__name__}.")
    known = {q.id for q in bank.questions}
    unknown = sorted(str(k) for k in answers if k not in known)
    if unknown:
        raise ValueError(
            f"Expected `answers` to use question ids of quiz {bank.quiz!r}, but got unknown {unknown}."
        )
    correct, answered = {}, []
    for question in bank.questions:
        value = answers.get(question.id)
        verdict = evaluate(question, value)
        correct[question.id] = verdict.correct is True
        if not question.kind.is_blank(value):
            answered.append(question.id)
    return QuizResult(bank.quiz, correct, tuple(answered))
