"""``Quiz``: one display object that is an ipywidgets quiz in a kernel and HTML+JS on a page."""

from __future__ import annotations

from pathlib import Path

from course_utils._static_html import mimebundle
from course_utils.quiz.answers import answers_filename, make_answers_payload, write_answers
from course_utils.quiz.bank import QuizBank, load_bank
from course_utils.quiz.checking import QuizResult, score_answers
from course_utils.quiz.page import render_quiz_html


class Quiz:
    """A self-check quiz that works in a live kernel and on the static book page.

    Put it last in a cell: in a kernel it shows ipywidgets (a Check button per question,
    feedback, score, "Start over"); on the book page it is the self-contained HTML+JS version
    (the book's config ranks ``text/html`` first), with a "Download answers" button.

    Parameters
    ----------
    bank_or_name : QuizBank or str or pathlib.Path
        A bank from :func:`~course_utils.quiz.load_bank`, or what ``load_bank`` accepts (a
        chapter stem such as ``"10_self_check"`` or a file path).
    learner : str or None, default None
        The learner's name, written into saved answers (the widget has a field for it too).
    learner_id : str or None, default None
        A student number or e-mail address, written into saved answers (optional).

    Attributes
    ----------
    bank : QuizBank
        The questions.
    learner, learner_id : str or None
        The name and id recorded by :meth:`save`.

    Raises
    ------
    TypeError
        If ``learner`` or ``learner_id`` is neither a string nor None, or ``bank_or_name`` has
        the wrong type.
    ValueError
        If the bank cannot be found or is invalid.

    Examples
    --------
    >>> quiz = Quiz("10_self_check", learner="Ada")
    >>> quiz.answer("seed-precision", "91%")
    >>> quiz.answers
    {'seed-precision': '91%'}
    >>> quiz.score.correct["seed-precision"], quiz.score.n_correct
    (True, 1)
    >>> "text/html" in quiz._repr_mimebundle_()
    True
    """

    def __init__(
        self,
        bank_or_name: QuizBank | str | Path,
        *,
        learner: str | None = None,
        learner_id: str | None = None,
    ):
        for name, value in (("learner", learner), ("learner_id", learner_id)):
            if value is not None and not isinstance(value, str):
                raise TypeError(
                    f"Expected `{name}` to be a str or None, but got {type(value).__name__}."
                )
        self.bank = bank_or_name if isinstance(bank_or_name, QuizBank) else load_bank(bank_or_name)
        self.learner = learner
        self.learner_id = learner_id
        self._pending_save: str | None = None  # the save that was questioned (its checksum)
        self._answers: dict = {}  # used until the widgets exist; then they hold the answers
        self._ui = None
        self._html: str | None = None

    # -- answers ---------------------------------------------------------------------------

    @property
    def answers(self) -> dict:
        """The current answers, ``{question_id: value}`` (answered questions only).

        Values are as in an answers file: an option id (single), a list of option ids
        (multiple) or the text typed (numeric).
        """
        if self._ui is not None:
            return self._ui.answers()
        return dict(self._answers)

    def answer(self, question_id: str, value) -> None:
        """Set the answer to one question (also in the widgets, if they are shown).

        Parameters
        ----------
        question_id : str
            A question id of the bank.
        value : str, list of str or None
            An option id (single), a list of option ids (multiple), the text typed (numeric),
            or None to clear the answer.

            NumPy scalars and 0-d arrays (what a NumPy calculation returns) count as the
            Python numbers or strings they hold.

        Raises
        ------
        TypeError
            If ``value`` is a NumPy array with one or more axes (pass one number).
        ValueError
            If the question id is unknown or ``value`` does not fit the question.
        """
        value = _plain(value)
        score_answers(self.bank, {question_id: value})  # validates the id and the value
        if self._ui is not None:
            self._ui.questions[question_id].value = value
        elif value in (None, "", []):
            self._answers.pop(question_id, None)
        else:
            self._answers[question_id] = list(value) if isinstance(value, list | tuple) else value

    @property
    def score(self) -> QuizResult:
        """:class:`~course_utils.quiz.QuizResult` of the current answers (checked or not)."""
        return score_answers(self.bank, self.answers)

    def check(self) -> QuizResult:
        """Check every question: update the widgets' feedback (if shown) and return the score."""
        if self._ui is not None:
            self._ui.check_all()
        return self.score

    @property
    def first_try(self) -> dict:
        """``{question_id: bool}``: whether the first Check of each checked question was right."""
        return self._ui.first_try() if self._ui is not None else {}

    def save(self, path: str | Path | None = None, *, confirm: bool = False) -> Path | None:
        """Write the answers file (see :mod:`course_utils.quiz.answers`); return its path.

        Saving with no answer or no learner name asks first: the first call prints why and
        returns None, and calling again with nothing changed (or ``confirm=True``) saves. A
        problem it can explain (a name that cannot be saved, a folder that does not exist) is
        printed as one line and None returned: nothing raises into the notebook.

        Parameters
        ----------
        path : str or pathlib.Path or None, default None
            Where to write the JSON file, which is what an instructor grades. By default
            ``<quiz>-<learner>-answers.json`` in the current folder (next to the notebook);
            an existing folder gets that file name inside it.
        confirm : bool, default False
            Save even with no answer or no learner name, without asking.

        Returns
        -------
        pathlib.Path or None
            The path written, or None when nothing was written (the printed line says why).

        Examples
        --------
        >>> import os, tempfile
        >>> quiz = Quiz("10_self_check")
        >>> quiz.save(tempfile.mkdtemp())  # doctest: +ELLIPSIS
        Not saved: No question is answered yet. Your name is empty, ...
        >>> quiz.learner = "Ada"
        >>> quiz.answer("seed-precision", "10/11")
        >>> quiz.save(os.path.join(tempfile.mkdtemp(), "a.json")).name
        'a.json'
        """
        written, message = self._save(path, confirm=confirm, button=None)
        if written is None or not self.answers:
            print(message)  # an empty file saved is said out loud, like a refusal
        return written

    def _save(self, path, *, confirm: bool, button: str | None) -> tuple[Path | None, str]:
        """``(path written or None, message)``; never raises for input it can explain."""
        from course_utils.quiz.page import SAVE_MESSAGES

        if path is not None and not isinstance(path, str | Path):
            return None, f"Not saved: `path` must be a str or a Path, not {type(path).__name__}."
        try:
            payload = make_answers_payload(
                self.bank,
                self.answers,
                learner=self.learner,
                learner_id=self.learner_id,
                first_try=self.first_try,
            )
            target = Path.cwd() if path is None else Path(path)
            if path is None or target.is_dir():
                target = target / answers_filename(self.bank, payload["learner"])
        except (TypeError, ValueError) as err:
            return None, f"Not saved: {err}"
        problems = []
        if not payload["answers"]:
            problems.append(SAVE_MESSAGES["save_empty"])
        if payload["learner"] is None:
            problems.append(SAVE_MESSAGES["save_no_name"])
        if problems and not confirm and self._pending_save != payload["checksum"]:
            self._pending_save = payload["checksum"]
            again = (
                SAVE_MESSAGES["save_confirm"].format(button=button)
                if button
                else "Run quiz.save() again (or pass confirm=True) to save anyway."
            )
            return None, " ".join(["Not saved:", *problems, again])
        self._pending_save = None
        try:
            written = write_answers(target, payload)
        except (OSError, ValueError) as err:
            return None, f"Not saved: cannot write {target} ({err})."
        message = SAVE_MESSAGES["saved"].format(file=written.name)
        if not payload["answers"]:
            message += " It is empty: no question is answered."
        return written, message

    # -- rendering -------------------------------------------------------------------------

    @property
    def ui(self):
        """The live widgets (:class:`course_utils.quiz.widgets.QuizUI`), built on first use."""
        if self._ui is None:
            from course_utils.quiz.widgets import QuizUI  # ipywidgets only when needed

            ui = QuizUI(self)
            for question_id, value in self._answers.items():
                ui.questions[question_id].value = value
            self._ui = ui
        return self._ui

    def to_html(self) -> str:
        """The self-contained HTML+JS version (what the book page shows)."""
        if self._html is None:
            self._html = render_quiz_html(self.bank)
        return self._html

    def __repr__(self) -> str:
        return (
            f"Quiz({self.bank.quiz!r}, {len(self.bank)} questions, version {self.bank.version!r})"
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        plain = (
            f"Quiz {self.bank.quiz!r}: {self.bank.title} ({len(self.bank)} questions). "
            "Run it in Jupyter, or answer it on the book's page."
        )
        return mimebundle(self.to_html(), plain, lambda: self.ui.box)


def _plain(value):
    """NumPy scalars and 0-d arrays as the Python values they hold (also inside a list)."""
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.ndim:
            raise TypeError(
                f"Expected `value` to be one answer (a str, a number or a list of option ids), "
                f"but got a NumPy array of shape {value.shape}: pass one element, e.g. "
                "value[0] or float(value)."
            )
        return value.item()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
