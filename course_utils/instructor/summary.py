"""What the chapters say, for the instructor guide: per-chapter summaries and exercises.

Everything is read from the chapters themselves, so the guide never disagrees with them:

- each notebook is read with :func:`~course_utils.instructor.notebook.read_notebook` (which
  refuses malformed ones, naming the file), and its learning objectives, exercises, solutions
  and quizzes by :mod:`~course_utils.instructor.notebook`, the one reader of exercise
  directives (the book's own MyST parser: any fence, any capitalisation, nested blocks); quiz
  sizes, items and misconceptions come from the banks;
- reading time is the words of the cells a reader sees (markdown and code, without cells
  tagged ``remove-cell`` or ``remove-input``) at ``WORDS_PER_MINUTE``;
- time to run is ``metadata["course"]["execution_seconds"]``, which ``make notebooks``
  measures and stores; until then the guide says "not measured yet";
- prerequisites are the chapters before it in ``_toc.yml`` (each builds on the previous);
- glued values are pasted into the quoted text by :func:`~course_utils.instructor.glue.paste_text`
  (a glue key exists only on its own page); a role whose value is not stored is an error, since
  the guide's page cannot show it: execute the chapter (``make notebooks``) first.

The planning figures (``WORDS_PER_MINUTE``, ``EXERCISE_MINUTES``, ``QUESTION_MINUTES``) are
course content, read from data by :mod:`~course_utils.instructor.guide_content`.
:mod:`~course_utils.instructor.guide` renders all of it.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from pathlib import Path

from course_utils.instructor.course import check_bank_dir, load_quiz_bank, toc_chapters
from course_utils.instructor.glue import glued_values, paste_text
from course_utils.instructor.guide_content import (
    EXERCISE_MINUTES,
    QUESTION_MINUTES,
    WORDS_PER_MINUTE,
)
from course_utils.instructor.notebook import (
    _OPTION_LINE,  # one rule for a directive's option line, shared with the exercise finder
    Exercise,
    learning_objectives,
    quiz_names,
    read_chapter,
    read_notebook,
    title,
)

_HIDDEN_TAGS = {"remove-cell", "remove-input"}


@dataclass(frozen=True)
class ChapterSummary:
    """What an instructor needs to know about one chapter.

    Attributes
    ----------
    stem : str
        File stem, e.g. ``"03_gru_metrics"``.
    title : str
        The chapter's ``# `` heading.
    docname : str
        Its name in the book, for ``{doc}`` references (e.g. ``"chapters/03_gru_metrics"``).
    objectives : tuple of str
        The learning objectives.
    exercises : tuple of Exercise
        Labels and first lines.
    quizzes : tuple of str
        Quiz ids it shows.
    n_quiz_questions : int or None
        Questions in those quizzes; None if a bank is missing or invalid.
    words : int
        Words a reader sees.
    execution_seconds : float or None
        Measured time to run the notebook; None if not measured yet.
    prerequisites : tuple of str
        Stems of the chapters to read first.
    exercise_numbers : tuple of (int or None)
        The number readers see for each exercise ("Exercise 9"), counted through the book by
        :func:`course_summaries` (through the chapter alone by :func:`chapter_summary`); None
        for an exercise marked ``:nonumber:``.
    """

    stem: str
    title: str
    docname: str
    objectives: tuple[str, ...]
    exercises: tuple[Exercise, ...]
    quizzes: tuple[str, ...]
    n_quiz_questions: int | None
    words: int
    execution_seconds: float | None
    prerequisites: tuple[str, ...] = ()
    exercise_numbers: tuple[int | None, ...] = ()

    @property
    def reading_minutes(self) -> int:
        """Minutes to read, rounded up: ``ceil(words / WORDS_PER_MINUTE)``."""
        return math.ceil(self.words / WORDS_PER_MINUTE)

    @property
    def workload_minutes(self) -> int:
        """Planning estimate: reading + running + exercises + quiz, in minutes."""
        running = math.ceil((self.execution_seconds or 0) / 60)
        questions = self.n_quiz_questions or 0
        return (
            self.reading_minutes
            + running
            + EXERCISE_MINUTES * len(self.exercises)
            + QUESTION_MINUTES * questions
        )


def chapter_summary(path: str | Path, *, bank_dir: str | Path | None = None) -> ChapterSummary:
    """Summarise one chapter notebook.

    Parameters
    ----------
    path : str or pathlib.Path
        The chapter's ``.ipynb`` file.
    bank_dir : str, pathlib.Path or None, default None
        A folder of quiz banks that take precedence over the shipped ones.

    Returns
    -------
    ChapterSummary
        With no prerequisites (those come from the book's order, see :func:`course_summaries`)
        and ``docname`` ``"chapters/<stem>"``.

    Raises
    ------
    TypeError
        If ``path`` is not a str or a path.
    ValueError
        If ``path`` is not a readable notebook.

    Examples
    --------
    >>> import tempfile, nbformat, nbformat.v4 as v4
    >>> path = Path(tempfile.mkdtemp()) / "01_demo.ipynb"
    >>> nbformat.write(v4.new_notebook(cells=[
    ...     v4.new_markdown_cell("# 1. Demo\\n\\n:::{admonition} Learning objectives\\n"
    ...                          "- Count words.\\n:::"),
    ...     v4.new_markdown_cell(":::{exercise}\\n:label: ex-demo-1\\nCount them.\\n:::"),
    ...     v4.new_code_cell('Quiz("01_rnn_metrics")')],
    ...     metadata={"course": {"execution_seconds": 12.5}}), path)
    >>> s = chapter_summary(path)
    >>> s.title, s.objectives, [e.label for e in s.exercises], s.quizzes
    ('1. Demo', ('Count words.',), ['ex-demo-1'], ('01_rnn_metrics',))
    >>> s.words, s.reading_minutes, s.execution_seconds
    (17, 1, 12.5)
    """
    if not isinstance(path, str | Path):
        raise TypeError(f"Expected `path` to be a str or Path, but got {type(path).__name__}.")
    bank_folder = check_bank_dir(bank_dir)
    path = Path(path)

    try:
        nb = read_notebook(path)
    except ValueError as err:
        raise ValueError(f"Expected `path` to be a readable notebook, but {err}") from err
    syntax = _book_syntax(path.parent)
    quizzes = quiz_names(nb)
    glued = glued_values(nb)
    exercises = read_chapter(nb, syntax=syntax).exercises
    numbers, n = [], 0
    for e in exercises:
        n += e.numbered
        numbers.append(n if e.numbered else None)

    def paste(text: str) -> str:
        return _rebase_doc_roles(_paste(text, glued, path))

    return ChapterSummary(
        stem=path.stem,
        title=title(nb) or path.stem,
        docname=f"chapters/{path.stem}",
        objectives=tuple(paste(o) for o in learning_objectives(nb)),
        exercises=tuple(
            dataclasses.replace(e, first_line=paste(_first_sentence(e.text or e.first_line)))
            for e in exercises
        ),
        exercise_numbers=tuple(numbers),
        quizzes=tuple(quizzes),
        n_quiz_questions=_count_questions(quizzes, bank_folder),
        words=_count_words(nb),
        execution_seconds=_execution_seconds(nb),
    )


def _paste(text: str, glued: dict, path: Path) -> str:
    """``text`` with its glue roles pasted; a role with no stored value is an error.

    >>> _paste("Recall was {glue:text}`recall:.2f`.", {"recall": {"text/plain": "0.8333"}},
    ...        Path("01_a.ipynb"))
    'Recall was 0.83.'
    >>> _paste("Seen {glue:}`n` times.", {}, Path("01_a.ipynb"))
    Traceback (most recent call last):
    ...
    ValueError: 01_a.ipynb: no stored value for {glue:}`n`; execute the chapter (`make notebooks`) so that the guide can show it.
    """
    pasted, missing = paste_text(text, glued)
    if missing:
        raise ValueError(
            f"{path}: no stored value for {', '.join(dict.fromkeys(missing))}; execute the "
            "chapter (`make notebooks`) so that the guide can show it."
        )
    return pasted


def _book_syntax(folder: Path):
    """The MyST configuration of the book that holds ``folder`` (its ``_config.yml``)."""
    from course_utils.instructor.solutions import book_syntax, find_book_config

    return book_syntax(find_book_config(folder))


def course_summaries(
    root: str | Path = ".", *, bank_dir: str | Path | None = None
) -> list[ChapterSummary]:
    """Summaries of the chapters listed in the book's ``_toc.yml``, in book order.

    Parameters
    ----------
    root : str or pathlib.Path, default "."
        The book's folder (with ``_toc.yml``). Entries under ``chapters/`` whose notebook
        exists are summarised; the rest of the book is not made of chapters.
    bank_dir : str, pathlib.Path or None, default None
        As for :func:`chapter_summary`.

    Returns
    -------
    list of ChapterSummary
        Each with the chapters before it as prerequisites. Empty if none are listed yet.

    Raises
    ------
    TypeError, ValueError
        If ``root`` has no readable ``_toc.yml`` or a chapter is not a readable notebook.

    Examples
    --------
    >>> import tempfile, nbformat, nbformat.v4 as v4
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "chapters").mkdir()
    >>> for stem in ["01_a", "02_b"]:
    ...     nbformat.write(v4.new_notebook(cells=[v4.new_markdown_cell(f"# {stem}")]),
    ...                    root / "chapters" / f"{stem}.ipynb")
    >>> _ = (root / "_toc.yml").write_text(
    ...     "root: intro\\nchapters:\\n- file: chapters/01_a\\n- file: chapters/02_b\\n")
    >>> [(s.stem, s.prerequisites) for s in course_summaries(root)]
    [('01_a', ()), ('02_b', ('01_a',))]
    """
    entries = toc_chapters(root)
    summaries: list[ChapterSummary] = []
    for entry in entries:
        path = Path(root) / f"{entry}.ipynb"
        if not path.is_file():
            continue  # a chapter written as Markdown, or one not there yet
        summary = chapter_summary(path, bank_dir=bank_dir)
        before = tuple(s.stem for s in summaries)
        offset = sum(1 for s in summaries for k in s.exercise_numbers if k is not None)
        numbers = tuple(None if k is None else k + offset for k in summary.exercise_numbers)
        summaries.append(
            dataclasses.replace(
                summary, docname=entry, prerequisites=before, exercise_numbers=numbers
            )
        )
    return summaries


def _count_questions(quizzes: list[str], bank_dir: Path | None) -> int | None:
    total = 0
    for name in quizzes:
        try:
            total += len(load_quiz_bank(name, bank_dir=bank_dir))
        except ValueError:
            return None
    return total


def _count_words(nb) -> int:
    words = 0
    for cell in nb.cells:
        if cell.cell_type in ("markdown", "code") and not _HIDDEN_TAGS & set(
            cell.get("metadata", {}).get("tags", [])
        ):
            words += len(cell.source.split())
    return words


def _execution_seconds(nb) -> float | None:
    seconds = nb.metadata.get("course", {}).get("execution_seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        return None
    return float(seconds)


# ----------------------------------------------------------------------------------------------
# Exercises as readers see them, and quiz items.
# ----------------------------------------------------------------------------------------------

_DIRECTIVE_LINE = re.compile(r"^[ \t]*(?::{3,}|`{3,}|~{3,})(\{[\w-]+\}.*)?[ \t]*$")
_SENTENCE_END = re.compile(r"(?<=[.?!:])\s+")


@dataclass(frozen=True)
class ExerciseText:
    """An exercise as the book shows it, with what a marker needs.

    Attributes
    ----------
    chapter : str
        Stem of its chapter.
    label : str
        Its ``:label:`` (what the tools use).
    number : int or None
        The number readers see ("Exercise 9"): exercises are numbered through the book in
        table-of-contents order; None for an exercise marked ``:nonumber:``.
    title : str
        The directive's argument (may be empty).
    text : str
        The full text, glued values pasted in.
    questions : tuple of str
        The sentences of the text that end with a question mark: the open parts to mark.
    reference : str
        The prose of its solution (Markdown cells between ``{solution-start}`` and
        ``{solution-end}``), or "" if the solution is code only.
    """

    chapter: str
    label: str
    number: int | None
    title: str
    text: str
    questions: tuple[str, ...]
    reference: str

    @property
    def heading(self) -> str:
        """``"Exercise 9 (Precision and recall from the counts)"``, as the page shows it.

        >>> ExerciseText("03_a", "ex-a-1", 9, "From counts", "Do it.", (), "").heading
        'Exercise 9 (From counts)'
        >>> ExerciseText("03_a", "ex-a-1", None, "", "Do it.", (), "").heading
        'Exercise'
        """
        name = "Exercise" if self.number is None else f"Exercise {self.number}"
        return f"{name} ({self.title})" if self.title else name


def book_exercises(root: str | Path = ".") -> list[ExerciseText]:
    """Every exercise of the book's chapters, in reading order, numbered as readers see them.

    Parameters
    ----------
    root : str or pathlib.Path, default "."
        The book's folder (with ``_toc.yml``).

    Returns
    -------
    list of ExerciseText

    Examples
    --------
    >>> import tempfile, nbformat, nbformat.v4 as v4
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "chapters").mkdir()
    >>> for stem, n in [("01_a", 2), ("02_b", 1)]:
    ...     cells = [v4.new_markdown_cell(f":::{{exercise}} Part {k}\\n:label: ex-{stem}-{k}\\n"
    ...                                   "Compute it. Why is it small?\\n:::")
    ...              for k in range(1, n + 1)]
    ...     nbformat.write(v4.new_notebook(cells=cells), root / "chapters" / f"{stem}.ipynb")
    >>> _ = (root / "_toc.yml").write_text(
    ...     "root: intro\\nchapters:\\n- file: chapters/01_a\\n- file: chapters/02_b\\n")
    >>> [(e.label, e.heading, e.questions) for e in book_exercises(root)]  # doctest: +NORMALIZE_WHITESPACE
    [('ex-01_a-1', 'Exercise 1 (Part 1)', ('Why is it small?',)),
     ('ex-01_a-2', 'Exercise 2 (Part 2)', ('Why is it small?',)),
     ('ex-02_b-1', 'Exercise 3 (Part 1)', ('Why is it small?',))]
    """
    exercises: list[ExerciseText] = []
    number = 0
    for entry in toc_chapters(root):
        path = Path(root) / f"{entry}.ipynb"
        if not path.is_file():
            continue
        nb = read_notebook(path)
        glued = glued_values(nb)
        reading = read_chapter(nb, syntax=_book_syntax(path.parent)).check()
        references = {}
        for solution in reading.solutions:
            prose = [
                _directive_free(nb.cells[i].source)
                for i in range(solution.start, solution.stop)
                if nb.cells[i].cell_type == "markdown"
            ]
            references[solution.label] = _rebase_doc_roles(
                _paste("\n\n".join(p for p in prose if p), glued, path)
            )
        for e in reading.exercises:
            text = _rebase_doc_roles(_paste(e.text, glued, path))
            number += e.numbered
            exercises.append(
                ExerciseText(
                    chapter=path.stem,
                    label=e.label,
                    number=number if e.numbered else None,
                    title=e.title,
                    text=text,
                    questions=_questions(text),
                    reference=references.get(e.label, ""),
                )
            )
    return exercises


_DOC_ROLE = re.compile(r"\{doc\}`([^`<]*<)?([^`>/][^`>]*)(>?)`")


def _rebase_doc_roles(text: str) -> str:
    """Chapter-relative ``{doc}`` targets made absolute, so they resolve on the guide's page.

    >>> _rebase_doc_roles("See {doc}`03_gru_metrics` and {doc}`chapter 1 <01_rnn_metrics>`.")
    'See {doc}`/chapters/03_gru_metrics` and {doc}`chapter 1 </chapters/01_rnn_metrics>`.'
    >>> _rebase_doc_roles("{doc}`/how_to_use`")
    '{doc}`/how_to_use`'
    """
    return _DOC_ROLE.sub(lambda m: f"{{doc}}`{m[1] or ''}/chapters/{m[2]}{m[3]}`", text)


def _first_sentence(text: str) -> str:
    """The first whole sentence (not the first line, which may stop mid-sentence).

    >>> _first_sentence("Compute the recall\\nof the model. Then plot it.")
    'Compute the recall of the model.'
    """
    return _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0]


def _questions(text: str) -> tuple[str, ...]:
    """The sentences of ``text`` that ask something.

    >>> _questions("Compute it. Is 0.5 enough? Then plot. Why?")
    ('Is 0.5 enough?', 'Why?')
    """
    sentences = _SENTENCE_END.split(" ".join(text.split()))
    return tuple(s for s in sentences if s.endswith("?"))


def _directive_free(source: str) -> str:
    """Markdown without directive fences and option lines (what a solution cell says)."""
    keep = [
        line
        for line in source.split("\n")
        if not _DIRECTIVE_LINE.match(line) and not _OPTION_LINE.match(line)
    ]
    return "\n".join(keep).strip()


# -- quiz items: numbers, misconceptions, and the objectives they test ---------------------------


@dataclass(frozen=True)
class QuizItem:
    """One quiz question as the guide refers to it: ``Quiz 01_rnn_metrics, Q3``.

    ``objectives`` are the learning objectives the bank says it tests (its ``objectives:``
    field): ints for objectives of the bank's own chapter, ``"C.n"`` for chapter C's.
    """

    quiz: str
    number: int
    id: str
    text: str  # prompt, options and explanation: what the item is about
    objectives: tuple[int | str, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.quiz} Q{self.number} (`{self.id}`)"


def _loaded_banks(quizzes, bank_dir):
    """``(name, bank)`` for each named quiz whose bank loads, in order (missing banks skipped)."""
    folder = check_bank_dir(bank_dir)
    for name in quizzes:
        try:
            yield name, load_quiz_bank(name, bank_dir=folder)
        except ValueError:
            continue


def quiz_items(quizzes, *, bank_dir: str | Path | None = None) -> list[QuizItem]:
    """The questions of the named quizzes, numbered in bank order (missing banks skipped)."""
    items = []
    for name, bank in _loaded_banks(quizzes, bank_dir):
        for n, q in enumerate(bank.questions, start=1):
            text = " ".join([q.prompt, q.explanation, *(o.text for o in q.options)])
            items.append(QuizItem(name, n, q.id, text, getattr(q, "objectives", ())))
    return items


def misconceptions(quizzes, *, bank_dir: str | Path | None = None) -> list[tuple[str, list[str]]]:
    """The misconceptions named in the quizzes' wrong options, each with the items that catch
    it (``"01_rnn_metrics Q2 (`precision-question`)"``), in bank order.

    Banks read by a parser that does not keep ``misconception:`` give an empty list.
    """
    found: dict[str, list[str]] = {}
    for name, bank in _loaded_banks(quizzes, bank_dir):
        for n, q in enumerate(bank.questions, start=1):
            for option in q.options:
                text = getattr(option, "misconception", None)
                if text and not option.correct:
                    ref = f"{name} Q{n} (`{q.id}`)"
                    refs = found.setdefault(text.strip(), [])
                    if ref not in refs:
                        refs.append(ref)
    return list(found.items())
