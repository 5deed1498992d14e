"""The instructor guide, rendered: overview table, chapter details, study plans, teaching notes.

Rendering only. What it renders comes from elsewhere, so the guide never disagrees with the book:

- what the chapters say (summaries, exercises as readers see them, quiz items and
  misconceptions) is read by :mod:`~course_utils.instructor.summary`;
- the course content the chapters cannot hold (planning figures, discussion prompts, the
  objectives each exercise assesses) is data, ``guide_content.yaml``, read and checked by
  :mod:`~course_utils.instructor.guide_content`.

The plans split the chapters, in book order, into sessions of about equal workload:
reading + running + ``EXERCISE_MINUTES`` per exercise + ``QUESTION_MINUTES`` per quiz question.
The names of those modules that the guide page and its tests use are exported here too.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from course_utils.instructor.guide_content import (
    DISCUSSION_PROMPTS,
    EXERCISE_MINUTES,
    EXERCISE_OBJECTIVES,
    QUESTION_MINUTES,
    WORDS_PER_MINUTE,
    chapter_number,
    objective_key,
)
from course_utils.instructor.notebook import Exercise, read_notebook
from course_utils.instructor.summary import (
    ChapterSummary,
    ExerciseText,
    QuizItem,
    book_exercises,
    chapter_summary,
    course_summaries,
    misconceptions,
    quiz_items,
)

# The rendering functions, and the names of summary and guide_content that the guide page
# and its tests use.
__all__ = [
    "DISCUSSION_PROMPTS",
    "EXERCISE_MINUTES",
    "EXERCISE_OBJECTIVES",
    "QUESTION_MINUTES",
    "WORDS_PER_MINUTE",
    "ChapterSummary",
    "Exercise",
    "ExerciseText",
    "QuizItem",
    "book_exercises",
    "chapter_details_markdown",
    "chapter_number",
    "chapter_summary",
    "course_summaries",
    "discussion_prompts",
    "exercises_markdown",
    "format_minutes",
    "format_run_time",
    "load_summary_markdown",
    "misconceptions",
    "objective_key",
    "objective_map",
    "objectives_markdown",
    "one_week_plan",
    "overview_table",
    "quiz_items",
    "study_plan",
    "teaching_notes_markdown",
    "three_week_plan",
    "write_figure_pack",
]


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


def discussion_prompts(summary: ChapterSummary, found_misconceptions) -> tuple[str, ...]:
    """Two or three discussion prompts for a chapter: those ``guide_content.yaml`` lists for it
    (:data:`DISCUSSION_PROMPTS`), else built from its quiz's misconceptions."""
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

    summaries = _check_summaries(summaries)
    out = Path(out)
    written = []
    for s in summaries:
        nb = read_notebook(Path(root) / f"{s.docname}.ipynb")
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
