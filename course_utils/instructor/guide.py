"""What the instructor guide shows: per-chapter summaries and suggested study plans.

Everything is read from the chapters themselves, so the guide never disagrees with them:

- learning objectives, exercises and quizzes are parsed from the notebook
  (:mod:`~course_utils.instructor.notebook`), quiz sizes from the banks;
- reading time is the words of the cells a reader sees (markdown and code, without cells
  tagged ``remove-cell`` or ``remove-input``) at ``WORDS_PER_MINUTE``;
- time to run is ``metadata["course"]["execution_seconds"]``, which ``make notebooks``
  measures and stores; until then the guide says "not measured yet";
- prerequisites are the chapters before it in ``_toc.yml`` (each builds on the previous).

The plans split the chapters, in book order, into sessions of about equal workload:
reading + running + ``EXERCISE_MINUTES`` per exercise + ``QUESTION_MINUTES`` per quiz question.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from pathlib import Path

from course_utils.instructor.course import check_bank_dir, load_quiz_bank, toc_chapters
from course_utils.instructor.notebook import (
    Exercise,
    find_exercises,
    learning_objectives,
    quiz_names,
    title,
)

WORDS_PER_MINUTE = 200  # a common figure for technical reading
EXERCISE_MINUTES = 15  # a planning guess per exercise, not a measurement
QUESTION_MINUTES = 1  # per quiz question
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
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError) as err:
        raise ValueError(f"Expected `path` to be a readable notebook, but {path}: {err}") from err
    quizzes = quiz_names(nb)
    glued = _glued_values(nb)
    exercises = find_exercises(nb)
    bodies = _exercise_bodies(nb)
    if len(bodies) != len(exercises):  # not the same directives: keep what notebook.py found
        bodies = [(e.first_line, True) for e in exercises]
    firsts = [_first_sentence(text) for text, _ in bodies]
    numbers, n = [], 0
    for _, numbered in bodies:
        n += numbered
        numbers.append(n if numbered else None)
    numbers = tuple(numbers)
    return ChapterSummary(
        stem=path.stem,
        title=title(nb) or path.stem,
        docname=f"chapters/{path.stem}",
        objectives=tuple(_rebase_doc_roles(_paste_glue(o, glued)) for o in learning_objectives(nb)),
        exercises=tuple(
            dataclasses.replace(e, first_line=_rebase_doc_roles(_paste_glue(first, glued)))
            for e, first in zip(exercises, firsts, strict=True)
        ),
        exercise_numbers=numbers,
        quizzes=tuple(quizzes),
        n_quiz_questions=_count_questions(quizzes, bank_folder),
        words=_count_words(nb),
        execution_seconds=_execution_seconds(nb),
    )


_GLUE_ROLE = re.compile(r"\{glue(?::\w*)?\}`([^`:]+)(?::([^`]*))?`")


def _glued_values(nb) -> dict[str, str]:
    """The ``text/plain`` of every value the notebook glued (myst-nb stores them as outputs)."""
    values = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook", {})
            mime = record.get("mime_prefix", "") + "text/plain"
            if "name" in record and mime in output.get("data", {}):
                values[record["name"]] = output["data"][mime]
    return values


def _paste_glue(text: str, glued: dict[str, str]) -> str:
    """Chapter Markdown made valid on another page: glue roles become the values they show.

    A glue key exists only on its own page, so the guide pastes the stored value, formatted
    as the role asks, or an ellipsis if the chapter has not been executed.

    >>> _paste_glue("Recall was {glue:text}`recall:.2f`.", {"recall": "0.8333"})
    'Recall was 0.83.'
    >>> _paste_glue("Seen {glue:}`n` times.", {})
    'Seen ... times.'
    """

    def paste(match: re.Match) -> str:
        value = glued.get(match[1])
        if value is None:
            return "..."
        try:
            return format(float(value), match[2] or "")
        except ValueError:
            return value.strip("'\"")

    return _GLUE_ROLE.sub(paste, text)


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


def study_plan(summaries, *, sessions: int) -> list[tuple[ChapterSummary, ...]]:
    """Split chapters, in order, into at most ``sessions`` groups of balanced workload.

    Among all ways to cut the sequence into consecutive groups, the one whose heaviest group
    (by :attr:`ChapterSummary.workload_minutes`) is lightest; ties go to the earliest cut.

    Parameters
    ----------
    summaries : list of ChapterSummary
        In book order.
    sessions : int
        The most groups to make (days, weeks...). At least 1.

    Returns
    -------
    list of tuple of ChapterSummary
        ``min(sessions, len(summaries))`` non-empty groups, in order.

    Raises
    ------
    TypeError
        If ``summaries`` holds something other than ChapterSummary, or ``sessions`` is not
        an int.
    ValueError
        If ``sessions`` is below 1.

    Examples
    --------
    >>> def chapter(stem, words):
    ...     return ChapterSummary(stem, stem, stem, (), (), (), None, words, None)
    >>> plan = study_plan([chapter("a", 2000), chapter("b", 1000), chapter("c", 1000)],
    ...                   sessions=2)
    >>> [[s.stem for s in group] for group in plan]
    [['a'], ['b', 'c']]
    """
    summaries = _check_summaries(summaries)
    if isinstance(sessions, bool) or not isinstance(sessions, int):
        raise TypeError(f"Expected `sessions` to be an int, but got {type(sessions).__name__}.")
    if sessions < 1:
        raise ValueError(f"Expected `sessions` to be at least 1, but got {sessions}.")
    n, k = len(summaries), min(sessions, len(summaries))
    if n == 0:
        return []
    loads = [s.workload_minutes for s in summaries]
    prefix = [0]
    for load in loads:
        prefix.append(prefix[-1] + load)
    # best[j][i]: the smallest possible heaviest group when the first i chapters form j groups.
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0
    for j in range(1, k + 1):
        for i in range(j, n + 1):
            for m in range(j - 1, i):  # the last group is chapters m..i-1
                candidate = max(best[j - 1][m], prefix[i] - prefix[m])
                if candidate < best[j][i]:
                    best[j][i], cut[j][i] = candidate, m
    groups, i = [], n
    for j in range(k, 0, -1):
        m = cut[j][i]
        groups.append(tuple(summaries[m:i]))
        i = m
    return groups[::-1]


def format_minutes(minutes: float) -> str:
    """``75`` -> ``"1 h 15 min"``, ``40`` -> ``"40 min"`` (rounded up to whole minutes).

    Examples
    --------
    >>> format_minutes(75), format_minutes(40), format_minutes(120), format_minutes(0.2)
    ('1 h 15 min', '40 min', '2 h', '1 min')
    """
    minutes = max(1, math.ceil(minutes))
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def format_run_time(seconds: float | None) -> str:
    """The time to run a chapter as shown in the guide.

    Examples
    --------
    >>> format_run_time(None), format_run_time(42.4), format_run_time(130)
    ('not measured yet', '42 s', '3 min')
    """
    if seconds is None:
        return "not measured yet"
    if seconds < 90:
        return f"{seconds:.0f} s"
    return format_minutes(seconds / 60)


def overview_table(summaries):
    """One row per chapter: what an instructor checks before assigning it.

    Parameters
    ----------
    summaries : list of ChapterSummary
        From :func:`course_summaries`.

    Returns
    -------
    pandas.DataFrame
        Indexed by chapter title; columns Prerequisites (chapter numbers), Reading, Running,
        Exercises, Quiz questions.

    Raises
    ------
    TypeError
        If ``summaries`` holds something other than ChapterSummary.

    Examples
    --------
    >>> s = ChapterSummary("01_a", "1. A", "chapters/01_a", (), (), ("01_a",), 6, 400, None)
    >>> table = overview_table([s])
    >>> list(table.columns)
    ['Prerequisites', 'Reading', 'Running', 'Exercises', 'Quiz questions']
    >>> table.loc["1. A", "Running"], table.loc["1. A", "Quiz questions"]
    ('not measured yet', '6')
    """
    summaries = _check_summaries(summaries)
    import pandas as pd

    titles = {s.stem: s.title for s in summaries}
    rows = [
        {
            "Prerequisites": ", ".join(_short(titles[p]) for p in s.prerequisites) or "none",
            "Reading": format_minutes(s.reading_minutes),
            "Running": format_run_time(s.execution_seconds),
            "Exercises": len(s.exercises),
            "Quiz questions": _questions_text(s),
        }
        for s in summaries
    ]
    columns = ["Prerequisites", "Reading", "Running", "Exercises", "Quiz questions"]
    table = pd.DataFrame(rows, columns=columns, index=[s.title for s in summaries])
    table.index.name = "Chapter"
    return table


def chapter_details_markdown(summaries) -> str:
    """MyST Markdown with, for each chapter, its objectives, prerequisites, times, exercises
    and quiz. Chapters are linked with ``{doc}``; no headings, so the page's outline stays
    the notebook's own.

    Examples
    --------
    >>> s = ChapterSummary("01_a", "1. A", "chapters/01_a", ("Do X.", "Do Y."),
    ...                    (Exercise("ex-a-1", "Compute X.", 3),), ("01_a",), 4, 450, 30.0)
    >>> print(chapter_details_markdown([s]))
    **{doc}`/chapters/01_a`**
    <BLANKLINE>
    - Prerequisites: none. Reading: about 3 min (450 words). Running: 30 s.
    - Learning objectives:
      - Do X.
      - Do Y.
    - Exercises:
      - `ex-a-1`: Compute X.
    - Quiz `01_a`: 4 questions.
    """
    summaries = _check_summaries(summaries)
    if not summaries:
        return _NO_CHAPTERS
    docnames = {s.stem: s.docname for s in summaries}
    blocks = []
    for s in summaries:
        prerequisites = ", ".join(f"{{doc}}`/{docnames[p]}`" for p in s.prerequisites) or "none"
        lines = [
            f"**{{doc}}`/{s.docname}`**",
            "",
            f"- Prerequisites: {prerequisites}. Reading: about {format_minutes(s.reading_minutes)} "
            f"({s.words} words). Running: {format_run_time(s.execution_seconds)}.",
        ]
        lines += _sublist("Learning objectives", s.objectives)
        if len(s.exercise_numbers) == len(s.exercises):
            named = [
                f"{'Exercise' if k is None else f'Exercise {k}'} (`{e.label}`): {e.first_line}"
                for e, k in zip(s.exercises, s.exercise_numbers, strict=True)
            ]
        else:
            named = [f"`{e.label}`: {e.first_line}" for e in s.exercises]
        lines += _sublist("Exercises", named)
        if s.quizzes:
            quizzes = ", ".join(f"`{q}`" for q in s.quizzes)
            lines.append(f"- Quiz {quizzes}: {_questions_text(s)} questions.")
        else:
            lines.append("- Quiz: none.")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def one_week_plan(summaries) -> str:
    """A five-day plan in MyST Markdown: chapters over days 1-4, review on day 5.

    Examples
    --------
    >>> s = ChapterSummary("01_a", "1. A", "chapters/01_a", (), (), ("01_a",), 4, 450, 30.0)
    >>> print(one_week_plan([s]))  # doctest: +NORMALIZE_WHITESPACE
    - **Day 1**: {doc}`/chapters/01_a` (about 8 min: 3 min of reading, 1 min of running, the quiz).
      Read and run the chapter, do its exercises, and save the quiz answers.
    - **Day 2**: review. Grade the saved answers with `course-utils grade`, go over the
      questions most learners missed, and revisit the exercises that took longest.
    """
    summaries = _check_summaries(summaries)
    if not summaries:
        return _NO_CHAPTERS
    days = study_plan(summaries, sessions=4)
    lines = [
        f"- **Day {n}**: {_group_text(group)}\n  Read and run the "
        f"{'chapter' if len(group) == 1 else 'chapters'}, do "
        f"{'its' if len(group) == 1 else 'their'} exercises, and save the quiz answers."
        for n, group in enumerate(days, start=1)
    ]
    lines.append(
        f"- **Day {len(days) + 1}**: review. Grade the saved answers with `course-utils grade`, "
        "go over the\n  questions most learners missed, and revisit the exercises that took "
        "longest."
    )
    return "\n".join(lines)


def three_week_plan(summaries) -> str:
    """A three-week plan in MyST Markdown: reading before class, exercises in class, the
    quiz as homework.

    Examples
    --------
    >>> s = ChapterSummary("01_a", "1. A", "chapters/01_a", (), (), ("01_a",), 4, 450, 30.0)
    >>> print(three_week_plan([s]))  # doctest: +NORMALIZE_WHITESPACE
    - **Week 1**: {doc}`/chapters/01_a` (about 8 min: 3 min of reading, 1 min of running, the quiz).
      Before class, learners read the chapter. In class, run the notebooks together and
      start the exercises (hand out a student edition made with `course-utils assign`).
      As homework, they finish the exercises and hand in the saved quiz answers by the end
      of the week.
    """
    summaries = _check_summaries(summaries)
    if not summaries:
        return _NO_CHAPTERS
    weeks = study_plan(summaries, sessions=3)
    lines = []
    for n, group in enumerate(weeks, start=1):
        what = "the chapter" if len(group) == 1 else "the chapters"
        lines.append(
            f"- **Week {n}**: {_group_text(group)}\n  Before class, learners read {what}. In class, "
            "run the notebooks together and\n  start the exercises (hand out a student edition "
            "made with `course-utils assign`).\n  As homework, they finish the exercises and hand "
            "in the saved quiz answers by the end\n  of the week."
        )
    return "\n".join(lines)


_NO_CHAPTERS = "No chapters are listed in `_toc.yml` yet."


def _group_text(group) -> str:
    """`{doc}` links and the workload of one session, broken down."""
    links = " and ".join(f"{{doc}}`/{s.docname}`" for s in group)
    reading = sum(s.reading_minutes for s in group)
    parts = [f"{format_minutes(reading)} of reading"]
    measured = [s.execution_seconds for s in group if s.execution_seconds is not None]
    if measured:
        parts.append(f"{format_minutes(sum(measured) / 60)} of running")
    if len(measured) < len(group):
        parts.append("running time not measured yet")
    n_exercises = sum(len(s.exercises) for s in group)
    if n_exercises:
        parts.append(f"{n_exercises} exercise{'s' if n_exercises > 1 else ''}")
    if any(s.quizzes for s in group):
        parts.append("the quiz" if sum(len(s.quizzes) for s in group) == 1 else "the quizzes")
    total = sum(s.workload_minutes for s in group)
    return f"{links} (about {format_minutes(total)}: {', '.join(parts)})."


def _sublist(name: str, items) -> list[str]:
    """A bullet with nested bullets, or "none" when there are no items."""
    if not items:
        return [f"- {name}: none."]
    return [f"- {name}:", *(f"  - {item}" for item in items)]


def _questions_text(summary: ChapterSummary) -> str:
    if not summary.quizzes:
        return "no quiz"
    return "bank missing" if summary.n_quiz_questions is None else str(summary.n_quiz_questions)


def _short(chapter_title: str) -> str:
    """'2. GRU metrics' -> '2' (chapters are numbered in their titles); else the title."""
    match = re.match(r"^(\d+)\.", chapter_title)
    return match.group(1) if match else chapter_title


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


def _check_summaries(summaries) -> list[ChapterSummary]:
    if isinstance(summaries, ChapterSummary) or not hasattr(summaries, "__iter__"):
        raise TypeError(
            "Expected `summaries` to be a list of ChapterSummary (see course_summaries), "
            f"but got {type(summaries).__name__}."
        )
    summaries = list(summaries)
    for item in summaries:
        if not isinstance(item, ChapterSummary):
            raise TypeError(
                f"Expected `summaries` to hold ChapterSummary objects, but got {type(item).__name__}."
            )
    return summaries


# ----------------------------------------------------------------------------------------------
# Exercises as readers see them, marking guides, the objectives map, misconceptions, prompts.
# ----------------------------------------------------------------------------------------------

_EXERCISE_OPEN = re.compile(r"^[ \t]*(?::{3,}|`{3,})\{exercise\}[ \t]*(.*)$", re.M)
_NONUMBER = re.compile(r"^[ \t]*:nonumber:", re.M)
_DIRECTIVE_LINE = re.compile(r"^[ \t]*(?::{3,}|`{3,})(\{[\w-]+\}.*)?[ \t]*$")
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
    import nbformat

    from course_utils.instructor.notebook import find_solutions

    exercises: list[ExerciseText] = []
    number = 0
    for entry in toc_chapters(root):
        path = Path(root) / f"{entry}.ipynb"
        if not path.is_file():
            continue
        nb = nbformat.read(path, as_version=4)
        glued = _glued_values(nb)
        references = {}
        for solution in find_solutions(nb):
            prose = [
                _directive_free(nb.cells[i].source)
                for i in range(solution.start, solution.stop)
                if nb.cells[i].cell_type == "markdown"
            ]
            references[solution.label] = _rebase_doc_roles(
                _paste_glue("\n\n".join(p for p in prose if p), glued)
            )
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            for match in _EXERCISE_OPEN.finditer(cell.source):
                body = _body_lines(cell.source[match.end() :])
                options = "\n".join(line for line in body if _option(line))
                label = re.search(r":label:[ \t]*(\S+)", options)
                label = label.group(1) if label else "(unlabelled)"
                text = "\n".join(line for line in body if not _option(line)).strip()
                text = _rebase_doc_roles(_paste_glue(text, glued))
                numbered = not _NONUMBER.search(options)
                number += numbered
                exercises.append(
                    ExerciseText(
                        chapter=path.stem,
                        label=label,
                        number=number if numbered else None,
                        title=match.group(1).strip(),
                        text=text,
                        questions=_questions(text),
                        reference=references.get(label, ""),
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


def _exercise_bodies(nb) -> list[tuple[str, bool]]:
    """Each ``{exercise}``'s full text (options removed) and whether it is numbered."""
    bodies = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for match in _EXERCISE_OPEN.finditer(cell.source):
            body = _body_lines(cell.source[match.end() :])
            options = "\n".join(line for line in body if _option(line))
            text = "\n".join(line for line in body if not _option(line)).strip()
            bodies.append((text, not _NONUMBER.search(options)))
    return bodies


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


def _option(line: str) -> bool:
    return bool(re.match(r"^[ \t]*:[\w-]+:", line))


def _body_lines(text: str) -> list[str]:
    lines = text.split("\n")[1:]
    body = []
    for line in lines:
        if re.match(r"^[ \t]*(?::{3,}|`{3,})[ \t]*$", line):
            break
        body.append(line)
    return body


def _directive_free(source: str) -> str:
    """Markdown without directive fences and option lines (what a solution cell says)."""
    keep = [
        line for line in source.split("\n") if not _DIRECTIVE_LINE.match(line) and not _option(line)
    ]
    return "\n".join(keep).strip()


def exercises_markdown(exercises, *, chapter: str) -> str:
    """MyST Markdown with the full text and marking guide of each exercise of ``chapter``.

    Examples
    --------
    >>> e = ExerciseText("01_a", "ex-a-1", 3, "", "Compute X. Why is X small?",
    ...                  ("Why is X small?",), "Because Y.")
    >>> print(exercises_markdown([e], chapter="01_a"))  # doctest: +NORMALIZE_WHITESPACE
    **Exercise 3** (`ex-a-1`)
    <BLANKLINE>
    > Compute X. Why is X small?
    <BLANKLINE>
    *Marking guide.* Open parts: (1) Why is X small? For each, 2 points: the answer agrees with
    the reference below and cites the learner's own output; 1 point: the right direction without
    evidence from the output; 0: wrong or missing. Reference answer: Because Y.
    """
    blocks = []
    for e in exercises:
        if e.chapter != chapter:
            continue
        quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in e.text.split("\n"))
        lines = [f"**{e.heading}** (`{e.label}`)", "", quoted, ""]
        if e.questions:
            parts = " ".join(f"({k}) {q}" for k, q in enumerate(e.questions, start=1))
            guide = (
                f"*Marking guide.* Open parts: {parts} For each, 2 points: the answer agrees with "
                "the reference below and cites the learner's own output; 1 point: the right "
                "direction without evidence from the output; 0: wrong or missing."
            )
        else:
            guide = (
                "*Marking guide.* No open question: full marks when the code runs and its output "
                "matches the solution's."
            )
        reference = " ".join(e.reference.split())
        guide += (
            f" Reference answer: {reference}"
            if reference
            else " Reference: the solution's code and output in the answer key."
        )
        lines.append(guide)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) or "No exercises."


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


def quiz_items(quizzes, *, bank_dir: str | Path | None = None) -> list[QuizItem]:
    """The questions of the named quizzes, numbered in bank order (missing banks skipped)."""
    folder = check_bank_dir(bank_dir)
    items = []
    for name in quizzes:
        try:
            bank = load_quiz_bank(name, bank_dir=folder)
        except ValueError:
            continue
        for n, q in enumerate(bank.questions, start=1):
            text = " ".join([q.prompt, q.explanation, *(o.text for o in q.options)])
            items.append(QuizItem(name, n, q.id, text, getattr(q, "objectives", ())))
    return items


def misconceptions(quizzes, *, bank_dir: str | Path | None = None) -> list[tuple[str, list[str]]]:
    """The misconceptions named in the quizzes' wrong options, each with the items that catch
    it (``"01_rnn_metrics Q2 (`precision-question`)"``), in bank order.

    Banks read by a parser that does not keep ``misconception:`` give an empty list.
    """
    folder = check_bank_dir(bank_dir)
    found: dict[str, list[str]] = {}
    for name in quizzes:
        try:
            bank = load_quiz_bank(name, bank_dir=folder)
        except ValueError:
            continue
        for n, q in enumerate(bank.questions, start=1):
            for option in q.options:
                text = getattr(option, "misconception", None)
                if text and not option.correct:
                    ref = f"{name} Q{n} (`{q.id}`)"
                    refs = found.setdefault(text.strip(), [])
                    if ref not in refs:
                        refs.append(ref)
    return list(found.items())


# The learning objectives each exercise assesses, by exercise label: numbers of objectives of
# the exercise's own chapter, in the order of its "Learning objectives" box (1 is the first), or
# "C.n" for objective n of chapter C. Quiz items say theirs in the banks (`objectives:`).
# tests/test_bank_standards.py requires an entry for every exercise of the book, objectives
# that exist, and every objective assessed by a quiz item or an exercise.
EXERCISE_OBJECTIVES: dict[str, tuple[int | str, ...]] = {
    "ex-rnn-1": (2,),  # rebuild the confusion matrix in the lessons' order
    "ex-rnn-2": (4,),  # a classifier at the rules' "good" accuracy that is useless
    "ex-rnn-3": (1,),  # per-step against whole-sequence accuracy, by length
    "ex-rnn-4": (3,),  # the RNN against persistence, year by year
    "ex-unc-1": (2,),  # coverage of Wilson and the bootstrap on 30 test days
    "ex-unc-2": (3,),  # how many test days a one-point difference needs (power)
    "ex-unc-3": (4,),  # every matching of seeds gives its own "paired" p-value
    "ex-unc-4": (1,),  # resampling steps against whole sequences
    "ex-gru-1": (1, 2),  # the paired comparison again with macro-averaged F1
    "ex-gru-2": (2,),  # why pair: paired against unpaired interval width
    "ex-gru-3": (2,),  # McNemar on 22 disagreements
    "ex-gru-4": (1, 4),  # the long-range models' per-class report
    "ex-gru-5": (4,),  # an RNN set by hand solves the long-range task
    "ex-pr-1": (1,),  # precision and recall from the counts at a threshold
    "ex-pr-2": (3,),  # a threshold from the costs of the two errors
    "ex-pr-3": (2,),  # ROC AUC and average precision of random scores
    "ex-pr-4": (3,),  # a recall target met on validation data
    "ex-segments-1": (2,),  # the GRU's predictions as IOB2 tags, default and strict mode
    "ex-segments-2": (3,),  # typed detection delays: naming the right job late
    "ex-segments-3": (1, 3),  # event F1 as the overlap rule tightens; IoU 1 is segment F1
    "ex-next-1": (1, 2),  # the unigram without smoothing: one unseen note, infinite loss
    "ex-next-2": (3,),  # Kneser-Ney's test perplexity with an interval over chorales
    "ex-next-3": (1, 2),  # top-k accuracy against perplexity
    "ex-forecast-1": (2,),  # 80% conformal intervals: coverage and interval score
    "ex-forecast-2": (3, 4),  # drift against the global GRU at h = 1 and h = 6
    "ex-forecast-3": (4,),  # the block length of the airline interval
    "ex-forecast-4": (1,),  # teacher-forced against recursive error by horizon
    "ex-scale-1": (1,),  # per-batch precision: undefined where nothing is flagged
    "ex-scale-2": (1, 2),  # a per-token loss accumulator in plain PyTorch, merged
    "ex-scale-3": (3,),  # DistributedSampler's copies for 2 to 8 processes
    "ex-scale-4": (4,),  # thresholds for a binned ROC AUC and AP within 0.001
    "ex-pitfalls-1": (1,),  # 98% accuracy against a model that flags 300
    "ex-pitfalls-2": (2,),  # counting the leak of a random split of windows
    "ex-pitfalls-3": (4,),  # accuracy over all positions as a function of padding
    "ex-pitfalls-4": (1,),  # a threshold for the class-weighted GRU, chosen on validation
}


def chapter_number(stem: str) -> int | None:
    """The number of a chapter (or of its quiz bank) from its stem: ``"03_x"`` gives 3.

    >>> chapter_number("04_precision_recall_tradeoff"), chapter_number("demo")
    (4, None)
    """
    match = re.match(r"^(\d+)_", stem)
    return int(match[1]) if match else None


def objective_key(ref, own: str) -> tuple[int | str, int]:
    """Where an objective reference points: (chapter, number).

    ``ref`` is an int (objective ``ref`` of the chapter ``own``, a stem) or ``"C.n"``
    (objective n of chapter C). The chapter is its number, or the stem of an unnumbered one.

    >>> objective_key(2, "01_rnn_metrics"), objective_key("3.1", "10_self_check")
    ((1, 2), (3, 1))

    Raises
    ------
    ValueError
        If ``ref`` is neither.
    """
    if isinstance(ref, int) and not isinstance(ref, bool) and ref >= 1:
        number = chapter_number(own)
        return (own if number is None else number), ref
    match = re.fullmatch(r"([1-9]\d*)\.([1-9]\d*)", ref) if isinstance(ref, str) else None
    if match is None:
        raise ValueError(
            f'Expected an objective reference: a number (1, 2, ...) or "<chapter>.<number>", '
            f"but got {ref!r} (in {own})."
        )
    return int(match[1]), int(match[2])


def objective_map(
    summary: ChapterSummary, exercises, items, *, exercise_objectives=None
) -> list[tuple[str, list, list]]:
    """Which quiz items and exercises assess each learning objective of a chapter.

    Explicit, never guessed: an item assesses the objectives its bank lists for it
    (``objectives:``), an exercise those ``exercise_objectives`` lists for its label (default
    :data:`EXERCISE_OBJECTIVES`). Items and exercises of any chapter may point here (the
    self-check's items do). An objective with nothing under it is not assessed.

    Returns
    -------
    list of (objective, item refs, exercise headings)

    Examples
    --------
    >>> s = ChapterSummary("01_a", "1. A", "chapters/01_a",
    ...                    ("Compute recall from a confusion matrix.",
    ...                     "Compare two models with a paired bootstrap."), (), (), None, 0, None)
    >>> items = [QuizItem("01_a", 1, "boot", "Why pair?", (2,)),
    ...          QuizItem("05_b", 3, "recall", "Recall?", (1, "1.1"))]
    >>> ex = [ExerciseText("01_a", "ex-1", 1, "", "Compute the recall.", (), "")]
    >>> [(o[:14], i, e) for o, i, e in objective_map(s, ex, items,
    ...                                              exercise_objectives={"ex-1": (1,)})]
    [('Compute recall', ['05_b Q3 (`recall`)'], ['Exercise 1']), ('Compare two mo', ['01_a Q1 (`boot`)'], [])]
    """
    if exercise_objectives is None:
        exercise_objectives = EXERCISE_OBJECTIVES
    rows = [(o, [], []) for o in summary.objectives]
    number = chapter_number(summary.stem)
    here = summary.stem if number is None else number

    def targets(refs, own: str) -> list[int]:
        keys = [objective_key(ref, own) for ref in refs]
        return [n - 1 for chapter, n in keys if chapter == here and 1 <= n <= len(rows)]

    for item in items:
        for k in targets(item.objectives, item.quiz):
            rows[k][1].append(item.ref)
    for e in exercises:
        for k in targets(exercise_objectives.get(e.label, ()), e.chapter):
            rows[k][2].append(e.heading)
    return rows


def objectives_markdown(summary: ChapterSummary, exercises, items, **kwargs) -> str:
    """The objectives-to-assessment map of one chapter as a Markdown list, each objective
    numbered as the banks cite it (``3.2``: chapter 3, objective 2)."""
    number = chapter_number(summary.stem)
    lines = []
    for k, (objective, refs, headings) in enumerate(
        objective_map(summary, exercises, items, **kwargs), start=1
    ):
        assessed = [*refs, *headings]
        label = f"{number}.{k}" if number is not None else f"{k}."
        lines.append(f"- **{label}** {objective}")
        lines.append(f"  - Assessed by: {'; '.join(assessed) if assessed else 'nothing yet'}.")
    return "\n".join(lines) or "No learning objectives."


# Discussion prompts per chapter: judgement questions with no single right answer, for a
# seminar. Chapters not listed get prompts built from their quiz's misconceptions.
DISCUSSION_PROMPTS = {
    "01_rnn_metrics": (
        "Name a task from your own work where precision matters more than recall, and one "
        "where it is the other way round. What would each mistake cost, and who pays it?",
        "The chapter gives a baseline the best constant answer of the test set, which "
        "flatters it. When is it fair to flatter a baseline, and when does it mislead?",
        "A tagger that is right at 97% of the steps gets few whole sequences right. Which "
        "number would you put in a report to a manager, and why?",
    ),
    "03_gru_metrics": (
        "Two models' accuracies differ by two points on 500 test sequences. What would you "
        "need to see before you switched production to the better one?",
        "A test-set interval covers the luck of the test set; seeds cover the luck of "
        "training. Which one matters more for the decision you are making, and why?",
        "A flat line at chance and a curve that falls with length look alike in one overall "
        "number. What experiment tells them apart?",
    ),
    "04_precision_recall_tradeoff": (
        "Who should choose a decision threshold: the person who trains the model, or the "
        "person who lives with its mistakes? What information does each of them need?",
        "Your fraud share doubles next year. Which of your reported numbers stay valid, and "
        "which must you recompute?",
        "When is a well-ranked but badly calibrated model good enough, and when must its "
        "scores be recalibrated?",
    ),
    "09_pitfalls": (
        "Each pitfall in the chapter raised a score without an error message. Which would you "
        "catch in a code review, and which only by re-running the evaluation?",
        "A colleague's model beats every baseline by a wide margin on the first try. What do "
        "you check first?",
        "How would you write an evaluation plan before training, so that no choice is made "
        "after looking at the test set?",
    ),
    "10_self_check": (
        "Which question of the self-check did the group find hardest, and which misconception "
        "behind it did the feedback name? Where does that belief come from?",
        "Pick one audit question and rewrite the evaluation it describes so that every "
        "number in it could be trusted.",
    ),
}


def discussion_prompts(summary: ChapterSummary, found_misconceptions) -> tuple[str, ...]:
    """Two or three discussion prompts for a chapter (authored, or built from its
    misconceptions)."""
    if summary.stem in DISCUSSION_PROMPTS:
        return DISCUSSION_PROMPTS[summary.stem]
    built = [
        f'Some learners believe: "{text}" Why is that tempting, and what in the chapter shows '
        "otherwise?"
        for text, _ in found_misconceptions[:3]
    ]
    return tuple(built)


def teaching_notes_markdown(
    summaries, *, root: str | Path = ".", bank_dir=None, exercise_objectives=None
) -> str:
    """For each chapter: full exercise texts with marking guides, the objectives map, the
    misconceptions with the items that catch them, and discussion prompts (MyST Markdown).

    The map is the explicit one of :func:`objective_map`: the banks' ``objectives:`` fields
    and ``exercise_objectives`` (default :data:`EXERCISE_OBJECTIVES`)."""
    summaries = _check_summaries(summaries)
    if not summaries:
        return _NO_CHAPTERS
    exercises = book_exercises(root)
    # Every quiz's items, once: a review quiz (the self-check) assesses other chapters' objectives.
    quizzes = list(dict.fromkeys(q for s in summaries for q in s.quizzes))
    items = quiz_items(quizzes, bank_dir=bank_dir)
    blocks = []
    for s in summaries:
        found = misconceptions(s.quizzes, bank_dir=bank_dir)
        lines = [f"**{{doc}}`/{s.docname}`**", "", "*Objectives and what assesses them*", ""]
        lines.append(
            objectives_markdown(s, exercises, items, exercise_objectives=exercise_objectives)
        )
        lines += ["", "*Common misconceptions, and the quiz items that catch them*", ""]
        if found:
            lines += [f"- {text} ({', '.join(refs)})" for text, refs in found]
        else:
            lines.append("- None named in the quiz bank yet.")
        lines += ["", "*Discussion prompts*", ""]
        lines += [f"{k}. {p}" for k, p in enumerate(discussion_prompts(s, found), start=1)]
        if any(e.chapter == s.stem for e in exercises):
            lines += ["", "*Exercises, as learners see them, with marking guides*", ""]
            lines.append(exercises_markdown(exercises, chapter=s.stem))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def load_summary_markdown(groups, *, unit: str) -> str:
    """One sentence on how unequal the sessions of a plan are, from the computed loads.

    >>> a = ChapterSummary("01_a", "1. A", "chapters/01_a", (), (), (), None, 4000, 60.0)
    >>> b = ChapterSummary("02_b", "2. B", "chapters/02_b", (), (), (), None, 1000, 60.0)
    >>> load_summary_markdown([(a,), (b,)], unit="Week")
    'The loads are not equal: Week 1 takes about 21 min, Week 2 about 6 min.'
    """
    groups = list(groups)
    if not groups:
        return ""
    loads = [sum(s.workload_minutes for s in group) for group in groups]
    if len(set(loads)) == 1:
        return f"Each {unit.lower()} takes about {format_minutes(loads[0])}."
    heavy, light = loads.index(max(loads)), loads.index(min(loads))
    return (
        f"The loads are not equal: {unit} {heavy + 1} takes about {format_minutes(loads[heavy])}, "
        f"{unit} {light + 1} about {format_minutes(loads[light])}."
    )


# -- the figure pack ------------------------------------------------------------------------------


def write_figure_pack(summaries, out: str | Path, *, root: str | Path = ".") -> list[Path]:
    """Write every figure of every chapter, with its caption and alt text, for slides.

    For each chapter, ``out/<stem>/`` receives a PNG and an SVG per figure (the chapters'
    set-up cell stores both; a chapter executed before it did has PNGs only), named after the figure's ``name`` in the cell metadata (else
    ``figure-<n>``), and ``captions.md`` listing each file with its caption and alt text.
    Figures are taken from the chapters' stored outputs; nothing is re-executed.

    Returns
    -------
    list of pathlib.Path
        The image files written.
    """
    import base64

    import nbformat

    summaries = _check_summaries(summaries)
    out = Path(out)
    written = []
    for s in summaries:
        nb = nbformat.read(Path(root) / f"{s.docname}.ipynb", as_version=4)
        entries = []
        n = 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            meta = cell.get("metadata", {}).get("mystnb", {})
            figure = meta.get("figure", {}) if isinstance(meta, dict) else {}
            alt = meta.get("image", {}).get("alt", "") if isinstance(meta, dict) else ""
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/png" not in data:
                    continue
                n += 1
                name = re.sub(r"[^\w-]", "-", figure.get("name") or f"figure-{n}")
                folder = out / s.stem
                folder.mkdir(parents=True, exist_ok=True)
                png = folder / f"{name}.png"
                png.write_bytes(base64.b64decode(data["image/png"]))
                written.append(png)
                files = [png.name]
                if "image/svg+xml" in data:
                    svg = folder / f"{name}.svg"
                    text = data["image/svg+xml"]
                    svg.write_text(text if isinstance(text, str) else "".join(text))
                    written.append(svg)
                    files.append(svg.name)
                entries.append(
                    f"## {', '.join(files)}\n\nCaption: {figure.get('caption', '(none)')}\n\n"
                    f"Alt text: {alt or '(none)'}\n"
                )
        if entries:
            (out / s.stem / "captions.md").write_text(
                f"# Figures of {s.title}\n\n" + "\n".join(entries), encoding="utf-8"
            )
    return written
