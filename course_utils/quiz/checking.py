"""Checking answers: parse what a learner typed, judge it, and word the feedback.

Each question type judges its own answers (:mod:`course_utils.quiz.types`); this module holds
:func:`evaluate` and :func:`score_answers`; the verdict, the messages and the number grammar they
share live in :mod:`course_utils.quiz.feedback` (re-exported here).
The page's JavaScript implements the same rules (``course_utils/static/quiz*.js``, with the
number pattern and the messages passed in from here); the tests compare both sides on the same
inputs, so keep them in step when changing either.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_utils.quiz.feedback import (
    MAX_NUMBER_LENGTH,
    MESSAGES,
    NUMBER_PATTERN,
    REVEAL_AFTER,
    SLACK,
    Verdict,
    parse_number,
    read_number,
)
from course_utils.quiz.model import Question, QuizBank

__all__ = [
    "MAX_NUMBER_LENGTH",
    "MESSAGES",
    "NUMBER_PATTERN",
    "REVEAL_AFTER",
    "SLACK",
    "QuizResult",
    "Verdict",
    "evaluate",
    "parse_number",
    "read_number",
    "score_answers",
]


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
