"""Checking answers: parse what a learner typed, judge it, and word the feedback.

The page's JavaScript implements the same rules (see :mod:`course_utils.quiz.page`); the tests
compare both sides on the same inputs, so keep them in step when changing either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from course_utils.quiz.bank import Question, QuizBank

# One grammar for numbers on both sides: "0.91", ".91", "91%", " 0.91 ", "9.1e-1", "-2".
NUMBER_PATTERN = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?%?$"
_NUMBER = re.compile(NUMBER_PATTERN)

# Float slack so that 0.91 is inside "0.90909 +- 0.005" whatever the rounding of the last bit.
_SLACK = 1e-9
# After this many wrong checks of one question the explanation is shown with the feedback.
REVEAL_AFTER = 2

MESSAGES = {
    "number": "Please enter a number, for example 0.91, .91 or 91%.",
    "choose_one": "Choose an option first.",
    "choose_some": "Choose at least one option first.",
    "percent": "Write a fraction such as 0.91, or add a percent sign: 91%.",
    "missed": "You left out {n} correct option(s).",
    "numeric_wrong": "Check your calculation.",
}


def parse_number(text: str) -> float | None:
    """Read a number the way learners type it; ``None`` if it is not one.

    Parameters
    ----------
    text : str
        What the learner typed. Surrounding spaces are ignored; a trailing ``%`` divides by 100.

    Returns
    -------
    float or None
        The number, or ``None`` for anything that is not a plain decimal number.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> parse_number("0.91"), parse_number(".91"), parse_number("91%"), parse_number(" 0.91 ")
    (0.91, 0.91, 0.91, 0.91)
    >>> parse_number("0,91") is None, parse_number("ninety") is None
    (True, True)
    """
    if not isinstance(text, str):
        raise TypeError(f"Expected `text` to be a str, but got {type(text).__name__}.")
    cleaned = text.strip()
    if not _NUMBER.match(cleaned):
        return None
    if cleaned.endswith("%"):
        return float(cleaned[:-1]) / 100
    return float(cleaned)


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
    >>> q = load_bank("05_self_check").question("seed-precision")
    >>> evaluate(q, "91%").correct, evaluate(q, "0.5").correct, evaluate(q, "abc").correct
    (True, False, None)
    >>> evaluate(q, "abc").message
    'Please enter a number, for example 0.91, .91 or 91%.'
    """
    value = _normalise(question, value)
    if question.type == "numeric":
        verdict = _evaluate_numeric(question, value)
    elif question.type == "single":
        verdict = _evaluate_single(question, value)
    else:
        verdict = _evaluate_multiple(question, value)
    if verdict.correct is False and attempts + 1 >= REVEAL_AFTER:
        verdict = Verdict(False, f"{verdict.message} Explanation: {question.explanation}")
    return verdict


def _normalise(question: Question, value):
    """Check the value's shape for the question type; return it in canonical form."""
    if value is None:
        return None
    if question.type == "numeric":
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(
                f"Expected the answer to numeric question {question.id!r} to be a str or a number, "
                f"but got {type(value).__name__}."
            )
        return value
    known = [option.id for option in question.options]
    if question.type == "single":
        if not isinstance(value, str) or value not in known:
            raise ValueError(
                f"Expected the answer to question {question.id!r} to be one of {known}, "
                f"but got {value!r}."
            )
        return value
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise ValueError(
            f"Expected the answer to question {question.id!r} to be a list of option ids, "
            f"but got {value!r}."
        )
    unknown = [v for v in value if v not in known]
    if unknown:
        raise ValueError(
            f"Expected the answer to question {question.id!r} to use option ids from {known}, "
            f"but got unknown {unknown!r}."
        )
    return [option_id for option_id in known if option_id in set(value)]  # bank order


def _evaluate_numeric(question: Question, value) -> Verdict:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Verdict(None, MESSAGES["number"])
    number = float(value) if not isinstance(value, str) else parse_number(value)
    if number is None:
        return Verdict(None, MESSAGES["number"])
    if abs(number - question.answer) <= question.tolerance + _SLACK:
        return Verdict(True, f"Correct. {question.explanation}")
    message = question.hint or MESSAGES["numeric_wrong"]
    if abs(number / 100 - question.answer) <= question.tolerance + _SLACK:
        message = MESSAGES["percent"]  # typed 91 for 91%
    return Verdict(False, f"Not quite. {message}")


def _evaluate_single(question: Question, value) -> Verdict:
    if value is None:
        return Verdict(None, MESSAGES["choose_one"])
    option = question.option(value)
    if option.correct:
        return Verdict(True, f"Correct. {option.feedback} {question.explanation}")
    return Verdict(False, f"Not quite. {option.feedback}")


def _evaluate_multiple(question: Question, value) -> Verdict:
    if not value:
        return Verdict(None, MESSAGES["choose_some"])
    chosen = set(value)
    if chosen == set(question.correct_ids):
        return Verdict(True, f"Correct. {question.explanation}")
    parts = ["Not quite."]
    parts += [o.feedback for o in question.options if o.id in chosen and not o.correct]
    missed = sum(1 for o in question.options if o.correct and o.id not in chosen)
    if missed:
        parts.append(MESSAGES["missed"].format(n=missed))
    return Verdict(False, " ".join(parts))


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
    >>> bank = load_bank("05_self_check")
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
        if value not in (None, "", []):
            answered.append(question.id)
    return QuizResult(bank.quiz, correct, tuple(answered))
