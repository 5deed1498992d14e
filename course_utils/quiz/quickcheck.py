"""Quick checks: the one or two practice items that end a core section of a chapter.

A quick check is a question of the chapter's bank whose id starts with ``qc-`` (see
:mod:`course_utils.quiz.bank`). The chapter shows it where the section ends, in a code cell::

    from course_utils.quiz import quick_check

    quick_check("02_uncertainty", "qc-resample-unit")

In a kernel that is a compact widget (each question, its Check button and feedback); on the
book's page (and in a notebook viewer) it is self-contained HTML+JS that checks answers in the
browser, offline. Feedback and the explanation after two wrong tries work as in the chapter's
quiz. Quick checks are practice: nothing is saved, no score is kept, and they are never part of
the end-of-chapter quiz, its answers files or grading.
"""

from __future__ import annotations

from pathlib import Path

from course_utils._static_html import mimebundle
from course_utils.quiz.bank import QUICK_CHECK_PREFIX, Question, QuizBank, load_bank
from course_utils.quiz.checking import Verdict, evaluate
from course_utils.quiz.page import render_quick_check_html

__all__ = ["QuickCheck", "quick_check"]


class QuickCheck:
    """Some of a bank's quick checks, shown together (what :func:`quick_check` returns).

    Attributes
    ----------
    bank : QuizBank
        The chapter's bank.
    questions : tuple of Question
        The quick checks shown, in the order asked for.
    """

    def __init__(self, bank: QuizBank, questions: tuple[Question, ...]):
        self.bank = bank
        self.questions = questions
        self._answers: dict = {}
        self._ui = None
        self._html: str | None = None

    def answer(self, question_id: str, value) -> None:
        """Set the answer to one of the quick checks (in the widgets too, once shown).

        Raises
        ------
        ValueError
            If ``question_id`` is not one of the questions shown, or ``value`` does not fit it.
        """
        question = self._question(question_id)
        evaluate(question, value)  # validates the value's shape
        if self._ui is not None:
            self._ui.questions[question_id].value = value
        elif value in (None, "", []):
            self._answers.pop(question_id, None)
        else:
            self._answers[question_id] = list(value) if isinstance(value, list | tuple) else value

    @property
    def answers(self) -> dict:
        """``{question_id: value}`` for the answered questions."""
        if self._ui is not None:
            return {
                qid: view.value
                for qid, view in self._ui.questions.items()
                if not view.kind.is_blank(view.value)
            }
        return dict(self._answers)

    def check(self) -> dict[str, Verdict]:
        """Judge every answer: ``{question_id: Verdict}`` (and show the feedback, if shown)."""
        if self._ui is not None:
            for view in self._ui.questions.values():
                view.check()
        return {q.id: evaluate(q, self.answers.get(q.id)) for q in self.questions}

    def _question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise ValueError(
            f"Expected `question_id` to be one of {[q.id for q in self.questions]}, "
            f"but got {question_id!r}."
        )

    @property
    def ui(self):
        """The live widgets (:class:`course_utils.quiz.widgets.QuickCheckUI`), built on first use."""
        if self._ui is None:
            from course_utils.quiz.widgets import QuickCheckUI  # ipywidgets only when needed

            ui = QuickCheckUI(self)
            for question_id, value in self._answers.items():
                ui.questions[question_id].value = value
            self._ui = ui
        return self._ui

    def to_html(self) -> str:
        """The self-contained HTML+JS version (what the book page shows)."""
        if self._html is None:
            self._html = render_quick_check_html(self.bank, self.questions)
        return self._html

    def __repr__(self) -> str:
        ids = ", ".join(repr(q.id) for q in self.questions)
        return f"quick_check({self.bank.quiz!r}, {ids})"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        lines = ["Quick check:"] + [f"- {q.prompt}" for q in self.questions]
        lines.append("(Run it in Jupyter, or answer it on the book's page.)")
        return mimebundle(self.to_html(), "\n".join(lines), lambda: self.ui.box)


def quick_check(bank_or_name: QuizBank | str | Path, *question_ids: str) -> QuickCheck:
    """Show quick-check items of a chapter's bank: put it last in a code cell.

    Parameters
    ----------
    bank_or_name : QuizBank or str or pathlib.Path
        The chapter's bank, or what :func:`~course_utils.quiz.load_bank` accepts (the chapter
        stem, such as ``"02_uncertainty"``).
    *question_ids : str
        One or more ids of quick checks in that bank (ids starting with ``qc-``), in the order
        to show them. One or two per section is the course's rule.

    Returns
    -------
    QuickCheck
        A display object: compact widgets in a kernel, self-contained HTML on the book's page.

    Raises
    ------
    TypeError
        If an id is not a string, or ``bank_or_name`` has the wrong type.
    ValueError
        If no id is given, an id repeats, names an end-of-chapter question (those belong to
        the chapter's ``Quiz``), or is not in the bank (the message lists the quick checks
        that are).

    Examples
    --------
    >>> check = quick_check("02_uncertainty", "qc-resample-unit")
    >>> [q.id for q in check.questions]
    ['qc-resample-unit']
    >>> "data-quick-check" in check._repr_mimebundle_()["text/html"]
    True
    """
    bank = bank_or_name if isinstance(bank_or_name, QuizBank) else load_bank(bank_or_name)
    available = [q.id for q in bank.quick_checks]
    if not question_ids:
        raise ValueError(
            f"Expected at least one quick-check id after the bank name, e.g. "
            f"quick_check({bank.quiz!r}, {available[0] if available else 'qc-...'!r}); "
            f"{bank.quiz} has {available or 'no quick checks'}."
        )
    questions = []
    for question_id in question_ids:
        if not isinstance(question_id, str):
            raise TypeError(
                f"Expected each question id to be a str, but got {type(question_id).__name__}."
            )
        if not question_id.startswith(QUICK_CHECK_PREFIX):
            raise ValueError(
                f"Expected quick-check ids (starting with {QUICK_CHECK_PREFIX!r}), but got "
                f"{question_id!r}: an end-of-chapter question belongs to Quiz({bank.quiz!r})."
            )
        try:
            question = bank.quick_check(question_id)
        except KeyError:
            raise ValueError(
                f"Expected a quick check of {bank.quiz}, but {question_id!r} is not in its bank "
                f"({bank.source}); it has {available or 'no quick checks'}."
            ) from None
        if question in questions:
            raise ValueError(f"Expected each quick check once, but {question_id!r} repeats.")
        questions.append(question)
    return QuickCheck(bank, tuple(questions))
