"""The quiz data model: options, questions and banks, and the checks a bank's values pass.

A leaf module of the quiz core: it imports nothing from the quiz package. The layers above it
are the question types (:mod:`course_utils.quiz.types`, each judging and rendering its own
questions), then loading (:mod:`course_utils.quiz.bank`, which also documents the bank schema)
and checking (:mod:`course_utils.quiz.checking`). A :class:`Question` carries its type object
in ``kind``, set by the loader from the registry, so nothing here looks a type up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_utils.book.ids import QUIZ_ID

# Fields every question has; each type adds its own (QuestionType.fields).
COMMON_QUESTION_KEYS = frozenset({"id", "type", "prompt", "explanation"})
# Fields any question may have.
OPTIONAL_QUESTION_KEYS = frozenset({"objectives"})
#: Question ids starting with this are quick checks (see :mod:`course_utils.quiz.bank`).
QUICK_CHECK_PREFIX = "qc-"


@dataclass(frozen=True)
class Option:
    """One choice of a single- or multiple-choice question.

    ``misconception`` names the misconception a wrong option stands for (None if not given).
    """

    id: str
    text: str
    correct: bool
    feedback: str
    misconception: str | None = None


@dataclass(frozen=True)
class Question:
    """One question. Its ``type`` names a class in :mod:`course_utils.quiz.types`.

    Choice questions use ``options``; numeric ones ``answer``, ``tolerance`` and
    ``proportion``. A new type keeps fields of its own in ``extra`` (a dict). ``objectives``
    holds the learning objectives it tests: ints (the bank's own chapter) and ``"C.n"`` strings.
    ``kind`` is the type object that parses, judges and renders it (set by
    :func:`~course_utils.quiz.load_bank`).
    """

    id: str
    type: str
    prompt: str
    explanation: str
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float | None = None
    answer_from: str | None = None
    hint: str | None = None
    proportion: bool | None = None
    extra: dict = field(default_factory=dict, compare=False)
    objectives: tuple[int | str, ...] = ()
    #: The question's type object (a :class:`course_utils.quiz.types.QuestionType`), set by
    #: the loader from the registry: the data model never imports the types.
    kind: Any = field(default=None, compare=False, repr=False)

    @property
    def correct_ids(self) -> tuple[str, ...]:
        """Ids of the correct options, in bank order (empty for numeric questions)."""
        return tuple(option.id for option in self.options if option.correct)

    def option(self, option_id: str) -> Option:
        """The option with id ``option_id`` (``KeyError`` if there is none)."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)


@dataclass(frozen=True)
class QuizBank:
    """A validated question bank: what :func:`load_bank` returns.

    Attributes
    ----------
    quiz : str
        The quiz id (the bank file's stem, e.g. ``"01_rnn_metrics"``).
    title : str
        Heading shown above the quiz.
    version : str
        Version of the bank; answers files record it so a grader notices a changed bank.
    questions : tuple of Question
        The end-of-chapter questions, in the order they are shown (quick checks excluded).
    source : pathlib.Path or None
        The file the bank was read from.
    quick_checks : tuple of Question
        The quick checks (ids starting with ``qc-``), in bank order: shown inside the chapter
        by :func:`~course_utils.quiz.quick_check`, never graded.
    """

    quiz: str
    title: str
    version: str
    questions: tuple[Question, ...]
    source: Path | None = field(default=None, compare=False)
    quick_checks: tuple[Question, ...] = ()

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self):
        return iter(self.questions)

    def question(self, question_id: str) -> Question:
        """The question with id ``question_id`` (``KeyError`` if there is none)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def quick_check(self, question_id: str) -> Question:
        """The quick check with id ``question_id`` (``KeyError`` if there is none)."""
        for question in self.quick_checks:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def to_dict(self) -> dict:
        """The bank as plain data, in the file layout (``load_bank`` reads it back); the quick
        checks come after the end-of-chapter questions."""
        questions = []
        for q in self.questions + self.quick_checks:
            entry: dict = {"id": q.id, "type": q.type, "prompt": q.prompt}
            entry.update(q.kind.to_dict(q))
            entry["explanation"] = q.explanation
            if q.objectives:
                entry["objectives"] = list(q.objectives)
            questions.append(entry)
        return {
            "quiz": self.quiz,
            "title": self.title,
            "version": self.version,
            "questions": questions,
        }


class Where:
    """Where a bank value comes from (file and question), and checks that fail naming it.

    The question types use it to validate their own fields (see ``QuestionType.parse``).
    """

    def __init__(self, path: Path, question: str | None = None):
        self.path, self.question = path, question

    def fail(self, message: str) -> ValueError:
        """A ValueError naming the file and the question; the caller raises it."""
        where = (
            f"{self.path}" if self.question is None else f"{self.path}, question {self.question!r}"
        )
        return ValueError(f"{where}: {message}")

    def text(self, value, what: str) -> str:
        """``value`` as a stripped non-empty string."""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"Expected `{what}` to be a non-empty string, but got {value!r}.")
        return value.strip()

    def optional_text(self, value, what: str) -> str | None:
        """Like :meth:`text`, but None stays None."""
        return None if value is None else self.text(value, what)

    def slug(self, value, what: str) -> str:
        """``value`` checked as a slug (lowercase letters, digits, "_" and "-")."""
        if isinstance(value, bool) or not isinstance(value, str) or not QUIZ_ID.match(value):
            raise self.fail(
                f"Expected `{what}` to be a slug (lowercase letters, digits, '_' or '-', at most "
                f"64 characters), but got {value!r}."
            )
        return value

    def keys(self, entry: dict, allowed, required, what: str) -> None:
        """No unknown keys in ``entry`` and none of ``required`` missing."""
        unknown = sorted(set(entry) - set(allowed))
        if unknown:
            raise self.fail(f"Unknown field(s) {unknown} in {what}; allowed: {sorted(allowed)}.")
        missing = sorted(set(required) - set(entry))
        if missing:
            raise self.fail(f"Missing field(s) {missing} in {what}.")
