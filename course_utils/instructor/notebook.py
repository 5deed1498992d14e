"""Reading a chapter notebook: its exercises, solutions, learning objectives and quizzes.

The chapters follow CONTRIBUTING.md:

- an exercise is a markdown cell with ``:::{exercise}`` and ``:label: ex-...``;
- a solution is the run of cells from ``:::{solution-start} ex-...`` to ``:::{solution-end}``,
  every one of them tagged ``solution``;

but what counts is what the book renders. :func:`read_chapter` is the one place that decides
which cells and blocks are exercises and solutions: it parses every cell with the book's own
MyST parser (:mod:`course_utils.instructor.solutions`) and finds sphinx-exercise's directives in the
token stream, so that a student edition never holds a solution in any form the book renders:
a plain ``{solution}`` directive inside a cell (:func:`find_solution_directives`) in any fence
form and capitalisation, nested in other blocks, ``.. solution::`` and
``.. solution-start::``/``.. solution-end::`` in ``{eval-rst}`` blocks, substitutions from the
notebook's ``myst.substitutions``, the ``solution`` tag in any capitalisation (``Solution``,
``solutions``), and markers in raw cells as well as markdown cells;

- the learning objectives are the bullets of a ``:::{admonition} Learning objectives`` block;
- a quiz is a code cell calling ``Quiz("<stem>")``.

Everything here takes an ``nbformat`` notebook and returns plain data; nothing is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_NOTEBOOK_BYTES = 200_000_000  # far above any chapter with its outputs
MAX_NOTEBOOK_DEPTH = 64  # outputs nest a little; nothing honest nests this deep
_CELL_TYPES = ("markdown", "code", "raw")
SOLUTION_TAG = "solution"
SOLUTION_TAGS = frozenset({"solution", "solutions"})  # compared casefolded
_MARKDOWN_LIKE = ("markdown", "raw")  # cells whose text MyST may render as markdown

# A MyST directive opens with 3+ colons, backticks or tildes: ":::{exercise}", "```{exercise}".
# Directive names are case-insensitive (docutils lowercases them).
_FENCE = r"^[ \t]*(?::{3,}|`{3,}|~{3,})"
# Anywhere on a line (a directive may sit in a list item or a block quote): used to refuse.
_ANY_SOLUTION = re.compile(r"(?::{3,}|`{3,}|~{3,})[ \t]*\{solutions?(?:-start|-end)?\}", re.I)
_RST_SOLUTION = re.compile(r"\.\.[ \t]+solutions?(?:-start|-end)?[ \t]*::", re.I)
_OBJECTIVES = re.compile(_FENCE + r"\{admonition\}[ \t]*Learning objectives", re.M | re.I)
_CLOSING_FENCE = re.compile(r"^[ \t]*(?::{3,}|`{3,})[ \t]*$")
_OPTION_LINE = re.compile(r"^[ \t]*:[\w-]+:")
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+(.*)$")
_QUIZ_CALL = re.compile(r"\bQuiz\(\s*([\"'])([^\"']+)\1")


@dataclass(frozen=True)
class Exercise:
    """One exercise of a chapter.

    Attributes
    ----------
    label : str
        Its ``:label:``, e.g. ``"ex-gru-2"``.
    first_line : str
        The first line of its text (what it asks), whitespace collapsed.
    cell : int
        Index of the markdown cell that holds it.
    title : str
        The directive's argument (may be empty).
    text : str
        Its body, options left out.
    numbered : bool
        False for an exercise marked ``:nonumber:``.
    """

    label: str
    first_line: str
    cell: int
    title: str = field(default="", repr=False, compare=False)
    text: str = field(default="", repr=False, compare=False)
    numbered: bool = field(default=True, repr=False, compare=False)


@dataclass(frozen=True)
class Solution:
    """One solution: the cells ``start`` to ``stop - 1`` of the notebook.

    Attributes
    ----------
    label : str or None
        The exercise it solves (from ``{solution-start} <label>``); None for cells tagged
        ``solution`` outside any start/end pair.
    start, stop : int
        Cell indices, ``stop`` excluded.
    """

    label: str | None
    start: int
    stop: int


def _tags(cell) -> list[str]:
    tags = cell.get("metadata", {}).get("tags", [])
    if isinstance(tags, str):
        return [tags]
    return [tag for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else []


def is_solution_tagged(cell) -> bool:
    """Whether a cell carries the ``solution`` tag, in any capitalisation, or ``solutions``.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> [is_solution_tagged(v4.new_code_cell("", metadata={"tags": [t]}))
    ...  for t in ["solution", "Solution", "SOLUTIONS", "hide-input"]]
    [True, True, True, False]
    """
    return any(tag.strip().casefold() in SOLUTION_TAGS for tag in _tags(cell))


def _markdown_text(cell) -> str:
    return cell.source if cell.cell_type in _MARKDOWN_LIKE else ""


@dataclass(frozen=True)
class ChapterReading:
    """What the book's renderer sees in a notebook: :func:`read_chapter`'s answer.

    Attributes
    ----------
    exercises : tuple of Exercise
        In notebook order.
    solutions : tuple of Solution
        Runs of whole cells (``{solution-start}`` to ``{solution-end}``, or tagged cells).
    directives : tuple of SolutionDirective
        Solutions inside cells outside those runs: the lines to cut.
    substitutions : tuple of str
        Names of the notebook's ``myst.substitutions`` whose value holds a solution.
    errors : tuple of str
        Why the solutions cannot be removed with certainty (one line each, naming the cell);
        empty when they can.
    """

    exercises: tuple[Exercise, ...]
    solutions: tuple[Solution, ...]
    directives: tuple[SolutionDirective, ...]
    substitutions: tuple[str, ...]
    errors: tuple[str, ...]

    def check(self) -> ChapterReading:
        """Raise the first error as a ``ValueError``; return self when there is none."""
        if self.errors:
            raise ValueError(self.errors[0])
        return self


def read_chapter(nb, *, syntax=None) -> ChapterReading:
    """Which cells and blocks of a notebook are exercises and solutions, as the book renders it.

    This is the one place the package decides it: every cell is parsed with the book's MyST
    parser (:mod:`course_utils.instructor.solutions`: markdown-it-py with the extensions
    ``_config.yml`` enables and the notebook's ``myst`` metadata), and sphinx-exercise's
    directives are found in the token stream, in ``{eval-rst}`` blocks and in substitutions.
    Raw cells are read like Markdown cells (a learner sees their text), code cells by their
    ``solution`` tag only.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook.
    syntax : course_utils.instructor.solutions.BookSyntax or None, default None
        The book's MyST configuration; None reads the repository's ``_config.yml``.

    Returns
    -------
    ChapterReading
        Exercises, solutions (whole-cell runs and cuts inside cells), substitutions holding a
        solution, and the reasons (if any) why the solutions cannot be removed for certain.

    Raises
    ------
    TypeError
        If ``nb`` is not a notebook.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> nb = v4.new_notebook(cells=[
    ...     v4.new_markdown_cell(":::{exercise}\\n:label: ex-1\\nDo it.\\n:::"),
    ...     v4.new_markdown_cell("```{eval-rst}\\n.. solution:: ex-1\\n\\n   42\\n```")])
    >>> reading = read_chapter(nb)
    >>> [e.label for e in reading.exercises], reading.directives
    (['ex-1'], (SolutionDirective(label='ex-1', cell=1, start=1, stop=4),))
    """
    from course_utils.instructor.solutions import (
        EXERCISE,
        SOLUTION,
        SOLUTION_END,
        SOLUTION_START,
        NotebookReader,
    )

    _check_notebook(nb)
    reader = NotebookReader(nb.get("metadata", {}), syntax)
    findings = [
        reader.read_cell(cell.source) if cell.cell_type in _MARKDOWN_LIKE else []
        for cell in nb.cells
    ]
    exercises = [
        _exercise(finding, index)
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown"  # the book renders Markdown cells, not raw ones
        for finding in findings[index]
        if finding.kind == EXERCISE
    ]
    errors: list[str] = []
    solutions: list[Solution] = []
    open_label, open_start = None, None  # the solution whose end we have not seen yet
    stray_start = None  # a run of tagged cells outside any start/end pair
    for index, cell in enumerate(nb.cells):
        markers = [f.kind for f in findings[index] if f.kind in (SOLUTION_START, SOLUTION_END)]
        start = next((f for f in findings[index] if f.kind == SOLUTION_START), None)
        if markers not in ([], [SOLUTION_START], [SOLUTION_END], [SOLUTION_START, SOLUTION_END]):
            errors.append(
                f"Cell {index}: holds the solution markers {', '.join(markers)} in this order; "
                "put each {solution-start} and {solution-end} in a cell of its own."
            )
            break
        if start:
            if open_start is not None:
                errors.append(
                    f"Cell {index}: `{{solution-start}} {start.label or ''}` opens inside the "
                    f"solution of {open_label!r}, which has no `{{solution-end}}` before it."
                )
                break
            if not start.label:
                errors.append(f"Cell {index}: `{{solution-start}}` needs the exercise label.")
                break
            if stray_start is not None:
                solutions.append(Solution(None, stray_start, index))
                stray_start = None
            open_label, open_start = start.label, index
        inside = open_start is not None
        holds_exercise = any(f.kind == EXERCISE for f in findings[index])
        if (inside or is_solution_tagged(cell)) and holds_exercise:
            errors.append(
                f"Cell {index}: a solution cell also holds an `{{exercise}}`; put the exercise "
                "in a cell of its own, outside the solution."
            )
            break
        if SOLUTION_END in markers:
            if not inside:
                errors.append(f"Cell {index}: `{{solution-end}}` without a `{{solution-start}}`.")
                break
            solutions.append(Solution(open_label, open_start, index + 1))
            open_label, open_start = None, None
        elif not inside:
            if is_solution_tagged(cell):
                stray_start = index if stray_start is None else stray_start
            elif stray_start is not None:
                solutions.append(Solution(None, stray_start, index))
                stray_start = None
    else:
        if open_start is not None:
            errors.append(
                f"Cell {open_start}: the solution of {open_label!r} has no `{{solution-end}}`."
            )
        if stray_start is not None:
            solutions.append(Solution(None, stray_start, len(nb.cells)))

    whole = {i for solution in solutions for i in range(solution.start, solution.stop)}
    directives = []
    for index in range(len(nb.cells)):
        if index in whole:
            continue
        for finding in findings[index]:
            if finding.kind != SOLUTION:
                continue
            if finding.problem or finding.lines is None:
                errors.append(
                    f"Cell {index}: holds {finding.problem or 'a solution that cannot be located'}"
                    ", which cannot be removed with certainty; refusing to hand it out. Put the "
                    "solution in {solution-start}/{solution-end} cells or a plain closed "
                    "{solution} directive."
                )
                continue
            directives.append(
                SolutionDirective(
                    finding.label, index, *finding.lines, prefix=finding.prefix,
                    syntax=finding.syntax,
                )
            )  # fmt: skip
    return ChapterReading(
        tuple(exercises),
        tuple(solutions),
        tuple(_outermost(directives)),
        tuple(_secret_substitutions(nb, reader)),
        tuple(errors),
    )


def _exercise(finding, index: int) -> Exercise:
    body = [line for line in finding.text.split("\n") if line.strip()]
    return Exercise(
        finding.label or "(unlabelled)",
        " ".join(body[0].split()) if body else "",
        index,
        title=finding.title,
        text=finding.text,
        numbered="nonumber" not in finding.options,
    )


def _outermost(directives: list[SolutionDirective]) -> list[SolutionDirective]:
    """Cuts in one cell that overlap merged into the outermost one (a block and one inside)."""
    kept: list[SolutionDirective] = []
    for item in sorted(directives, key=lambda d: (d.cell, d.start, -d.stop)):
        last = kept[-1] if kept else None
        if last and last.cell == item.cell and item.start < last.stop:
            if item.stop > last.stop:
                kept[-1] = SolutionDirective(
                    last.label, last.cell, last.start, item.stop, prefix=last.prefix,
                    syntax=last.syntax,
                )  # fmt: skip
            continue
        kept.append(item)
    return kept


def _substitution_values(metadata) -> dict:
    """``{name: value}`` of a notebook's MyST substitutions (``myst.substitutions``, and the
    deprecated top-level ``substitutions`` myst still reads)."""
    values: dict = {}
    if not isinstance(metadata, dict):
        return values
    for holder in (metadata.get("myst"), metadata):
        subs = holder.get("substitutions") if isinstance(holder, dict) else None
        if isinstance(subs, dict):
            values.update(subs)
    return values


def _secret_substitutions(nb, reader) -> list[str]:
    """Substitution names whose value holds a solution, read as the renderer reads ``{{ x }}``
    (and, to be sure, any value whose text looks like a solution directive)."""
    from course_utils.instructor.solutions import SOLUTION, SOLUTION_END, SOLUTION_START

    secret = []
    for name, value in _substitution_values(nb.get("metadata", {})).items():
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        kinds = {f.kind for f in reader.read_cell(str(text))}
        if kinds & {SOLUTION, SOLUTION_START, SOLUTION_END} or _looks_like_solution(text):
            secret.append(name)
    return secret


def _looks_like_solution(text: str) -> bool:
    return bool(_ANY_SOLUTION.search(text) or _RST_SOLUTION.search(text))


def find_exercises(nb, *, syntax=None) -> list[Exercise]:
    """The exercises of a notebook, in order, as the book renders them (:func:`read_chapter`).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook (``nbformat.read(path, as_version=4)``).
    syntax : course_utils.instructor.solutions.BookSyntax or None, default None
        The book's MyST configuration; None reads the repository's ``_config.yml``.

    Returns
    -------
    list of Exercise
        One per ``{exercise}`` directive of a Markdown cell (in any fence form, nested or in
        ``{eval-rst}``). An exercise without ``:label:`` gets the label ``"(unlabelled)"``.

    Raises
    ------
    TypeError
        If ``nb`` is not a notebook.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> nb = v4.new_notebook(cells=[v4.new_markdown_cell(
    ...     ":::{exercise}\\n:label: ex-demo-1\\n\\nCompute   the *recall*.\\nThen F1.\\n:::")])
    >>> find_exercises(nb)
    [Exercise(label='ex-demo-1', first_line='Compute the *recall*.', cell=0)]
    """
    return list(read_chapter(nb, syntax=syntax).exercises)


def find_solutions(nb, *, syntax=None) -> list[Solution]:
    """The solutions of a notebook, checked for well-formed start/end markers.

    A cell belongs to a solution if it carries the ``solution`` tag or lies between a
    ``{solution-start}`` and its ``{solution-end}`` (so a forgotten tag still counts). Each
    start opens a new solution; tagged cells outside any pair form solutions of their own.
    The markers are found as the book's renderer finds them (:func:`read_chapter`): in any
    fence form, in ``{eval-rst}`` blocks (``.. solution-start::``), in substitutions.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook.
    syntax : course_utils.instructor.solutions.BookSyntax or None, default None
        The book's MyST configuration; None reads the repository's ``_config.yml``.

    Returns
    -------
    list of Solution
        In notebook order; cell ranges do not overlap.

    Raises
    ------
    TypeError
        If ``nb`` is not a notebook.
    ValueError
        If a ``{solution-start}`` has no label, is nested in another solution or has no
        ``{solution-end}``, if a ``{solution-end}`` has no start, if a solution cell also
        holds an ``{exercise}`` (it would be removed with the solution), or if a solution
        cannot be removed with certainty. The message names the cell.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> tag = {"tags": ["solution"]}
    >>> nb = v4.new_notebook(cells=[
    ...     v4.new_markdown_cell(":::{exercise}\\n:label: ex-1\\nDo it.\\n:::"),
    ...     v4.new_markdown_cell(":::{solution-start} ex-1\\n:::", metadata=tag),
    ...     v4.new_code_cell("answer = 42", metadata=tag),
    ...     v4.new_markdown_cell(":::{solution-end}\\n:::", metadata=tag),
    ...     v4.new_code_cell("print(answer)")])
    >>> find_solutions(nb)
    [Solution(label='ex-1', start=1, stop=4)]
    """
    return list(read_chapter(nb, syntax=syntax).check().solutions)


@dataclass(frozen=True)
class SolutionDirective:
    """A solution inside a cell: lines ``start`` to ``stop - 1`` of its source are cut.

    Attributes
    ----------
    label : str or None
        The exercise it solves (the directive's argument).
    cell : int
        Index of the cell that holds it.
    start, stop : int
        Line indices in the cell's source, ``stop`` excluded (the closing fence included).
    prefix : str
        What precedes the directive on its first line (a block quote's ``>``, a list item's
        marker), so that a stub written in its place stays in that block.
    syntax : str
        ``"md"``, or ``"rst"`` for a ``.. solution::`` inside an ``{eval-rst}`` block (a stub
        there is written in reStructuredText).
    """

    label: str | None
    cell: int
    start: int
    stop: int
    prefix: str = field(default="", repr=False, compare=False)
    syntax: str = field(default="md", repr=False, compare=False)


def find_solution_directives(nb, *, syntax=None) -> list[SolutionDirective]:
    """The solutions inside cells (outside whole-cell solutions), as the book renders them.

    sphinx-exercise renders ``:::{solution} ex-1`` (with colons, backticks or tildes, in any
    capitalisation, inside block quotes, list items or other directives), ``.. solution::``
    in an ``{eval-rst}`` block, and a substitution whose value is one. Each is found in the
    token stream of the book's parser (:func:`read_chapter`), so a line that only looks like a
    closing fence (indented four spaces, or by a tab) does not end it; a directive left open
    runs to the end of its cell, as markdown-it reads it.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook.
    syntax : course_utils.instructor.solutions.BookSyntax or None, default None
        The book's MyST configuration; None reads the repository's ``_config.yml``.

    Returns
    -------
    list of SolutionDirective
        In notebook order. Cells that are solutions as a whole (see :func:`find_solutions`)
        are not searched: they are removed anyway.

    Raises
    ------
    TypeError
        If ``nb`` is not a notebook.
    ValueError
        As :func:`find_solutions`, and if a solution cannot be removed with certainty (inside
        an exercise it cannot be cut from, produced by a substitution that cannot be
        evaluated...), naming the cell.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> nb = v4.new_notebook(cells=[v4.new_markdown_cell(
    ...     ":::{exercise}\\n:label: ex-1\\nDo it.\\n:::\\n\\n::::{Solution} ex-1\\n42\\n::::\\nMore.")])
    >>> find_solution_directives(nb)
    [SolutionDirective(label='ex-1', cell=0, start=5, stop=8)]
    """
    return list(read_chapter(nb, syntax=syntax).check().directives)


def solution_markers(nb, *, syntax=None) -> list[int]:
    """Indices of cells that still hold or look like a solution; empty for a student edition.

    A cell counts if it is tagged ``solution`` (any case), if the book's parser finds a
    solution or a solution marker in it (:func:`read_chapter`), if its text holds anything
    that looks like a solution directive (``{solution}``, ``{solution-start}``,
    ``{solution-end}`` after a fence, ``.. solution::``), or if a code cell has a Markdown
    output that does. A notebook whose substitutions hold a solution counts as cell 0.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> solution_markers(v4.new_notebook(cells=[v4.new_markdown_cell("Text"),
    ...     v4.new_raw_cell("```{SOLUTION-start} ex-1\\n```")]))
    [1]
    """
    from course_utils.instructor.solutions import EXERCISE

    _check_notebook(nb)
    reading = read_chapter(nb, syntax=syntax)
    flagged = {i for s in reading.solutions for i in range(s.start, s.stop)}
    flagged |= {d.cell for d in reading.directives}
    flagged |= {
        int(m.group(1)) for m in map(re.compile(r"^Cell (\d+):").match, reading.errors) if m
    }
    if reading.substitutions:
        flagged.add(0)
    from course_utils.instructor.solutions import NotebookReader

    reader = NotebookReader(nb.get("metadata", {}), syntax)
    for index, cell in enumerate(nb.cells):
        if is_solution_tagged(cell) or _looks_like_solution(_markdown_text(cell)):
            flagged.add(index)
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            text = output.get("data", {}).get("text/markdown") if isinstance(output, dict) else None
            text = "".join(text) if isinstance(text, list) else text
            if isinstance(text, str) and (
                _looks_like_solution(text)
                or any(f.kind != EXERCISE for f in reader.read_cell(text))
            ):
                flagged.add(index)
    return sorted(flagged)


def learning_objectives(nb) -> list[str]:
    """The bullets of the notebook's ``Learning objectives`` admonition.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook.

    Returns
    -------
    list of str
        One string per bullet, continuation lines joined; empty if there is no such block.

    Raises
    ------
    TypeError
        If ``nb`` is not a notebook.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> nb = v4.new_notebook(cells=[v4.new_markdown_cell(
    ...     "# 1. T\\n\\n:::{admonition} Learning objectives\\n:class: tip\\n"
    ...     "- Compute recall\\n  by hand.\\n- Read a confusion matrix.\\n:::\\n\\nMore text.")])
    >>> learning_objectives(nb)
    ['Compute recall by hand.', 'Read a confusion matrix.']
    """
    _check_notebook(nb)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        match = _OBJECTIVES.search(cell.source)
        if not match:
            continue
        bullets: list[str] = []
        for line in _directive_body(cell.source[match.end() :]):
            bullet = _BULLET.match(line)
            if bullet:
                bullets.append(bullet.group(1).strip())
            elif bullets and line.strip() and not _OPTION_LINE.match(line):
                bullets[-1] += " " + line.strip()  # a bullet wrapped onto the next line
        return [" ".join(bullet.split()) for bullet in bullets]
    return []


def quiz_names(nb) -> list[str]:
    """The quiz ids a notebook shows with ``Quiz("<id>")``, in order, without repeats.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook.

    Returns
    -------
    list of str
        For example ``["01_rnn_metrics"]``.

    Raises
    ------
    TypeError
        If ``nb`` is not a notebook.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> quiz_names(v4.new_notebook(cells=[v4.new_code_cell('Quiz("01_rnn_metrics")')]))
    ['01_rnn_metrics']
    """
    _check_notebook(nb)
    names: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            for match in _QUIZ_CALL.finditer(cell.source):
                if match.group(2) not in names:
                    names.append(match.group(2))
    return names


def title(nb) -> str:
    """The notebook's title: the text of its first ``# `` heading ("" if it has none).

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> title(v4.new_notebook(cells=[v4.new_markdown_cell("# 2. GRU metrics\\n\\nText")]))
    '2. GRU metrics'
    """
    _check_notebook(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#[ \t]+(.+)$", cell.source, re.M)
            if match:
                return match.group(1).strip()
    return ""


def _directive_body(text: str) -> list[str]:
    """Lines of a directive's body: after its opening line, up to its closing fence."""
    lines = text.split("\n")[1:]  # the rest of the opening line is the directive's argument
    body = []
    for line in lines:
        if _CLOSING_FENCE.match(line):
            break
        body.append(line)
    return body


def read_notebook(path: str | Path):
    """Read a chapter notebook, refusing anything malformed with one line that names the file.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.ipynb`` file.

    Returns
    -------
    nbformat.NotebookNode
        The notebook (format 4).

    Raises
    ------
    ValueError
        ``<path>: ...``: it cannot be read, is not UTF-8 JSON, is nested absurdly deep, is not
        an nbformat-4 notebook, a cell is not an object, has an unknown ``cell_type``, no
        ``source`` or a ``source`` that is not text, or its metadata or tags have the wrong
        type; or nbformat's schema rejects it.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name, text in [("a.ipynb", "[]"), ("b.ipynb", "{}"),
    ...                    ("c.ipynb", '{"nbformat": 4, "cells": [{"cell_type": "code"}]}')]:
    ...     _ = (folder / name).write_text(text)
    ...     try:
    ...         read_notebook(folder / name)
    ...     except ValueError as err:
    ...         print(str(err).split(": ", 1)[1])
    not a valid notebook: expected a JSON object, but got list.
    not a valid notebook: expected `nbformat` 4, but got None.
    not a valid notebook: cell 0 has no `source`.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ValueError(f"{path}: cannot read the notebook ({err.strerror}).") from err
    if len(raw) > MAX_NOTEBOOK_BYTES:
        raise ValueError(f"{path}: larger than {MAX_NOTEBOOK_BYTES:,} bytes; not a chapter.")
    try:
        text = raw.decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: not a valid notebook: not UTF-8 (byte {err.start}).") from err
    except json.JSONDecodeError as err:
        raise ValueError(
            f"{path}: not a valid notebook: not JSON ({err.msg} at line {err.lineno})."
        ) from err
    except (ValueError, RecursionError) as err:
        raise ValueError(f"{path}: not a valid notebook: not JSON ({type(err).__name__}).") from err
    problem = _notebook_problem(data)
    if problem:
        raise ValueError(f"{path}: not a valid notebook: {problem}.")
    import warnings

    import nbformat

    errors: dict = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat warns on stderr about what it fixes
            nb = nbformat.reads(text, as_version=4, capture_validation_error=errors)
    except Exception as err:  # nbformat raises many kinds; the chapter is unusable either way
        first = " ".join(str(err).split())[:200]
        raise ValueError(f"{path}: not a valid notebook ({type(err).__name__}: {first}).") from err
    if errors:
        first = " ".join(str(next(iter(errors.values()))).split("\n")[0].split())[:200]
        raise ValueError(f"{path}: not a valid notebook: nbformat's schema says {first}")
    return nb


def _notebook_problem(data) -> str | None:
    """What makes parsed JSON ``data`` unusable as a notebook (None if nothing)."""
    from course_utils.quiz.answers import json_depth

    if not isinstance(data, dict):
        return f"expected a JSON object, but got {type(data).__name__}"
    version = data.get("nbformat")
    if isinstance(version, bool) or version != 4:
        return f"expected `nbformat` 4, but got {str(version)[:20]}"
    if json_depth(data) > MAX_NOTEBOOK_DEPTH:
        return f"nested deeper than {MAX_NOTEBOOK_DEPTH} levels"
    if not isinstance(data.get("metadata", {}), dict):
        return "its `metadata` is not an object"
    cells = data.get("cells")
    if not isinstance(cells, list):
        return "`cells` is missing or not a list"
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            return f"cell {index} is not an object"
        if cell.get("cell_type") not in _CELL_TYPES:
            return f"cell {index} has `cell_type` {str(cell.get('cell_type'))[:20]!r}"
        if "source" not in cell:
            return f"cell {index} has no `source`"
        source = cell["source"]
        if not isinstance(source, str) and not (
            isinstance(source, list) and all(isinstance(line, str) for line in source)
        ):
            return f"cell {index} has a `source` that is not text"
        metadata = cell.get("metadata", {})
        if not isinstance(metadata, dict):
            return f"cell {index} has `metadata` that is not an object"
        tags = metadata.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            return f"cell {index} has `tags` that are not a list of strings"
        if cell["cell_type"] == "code" and not isinstance(cell.get("outputs", []), list):
            return f"cell {index} has `outputs` that are not a list"
    return None


def _check_notebook(nb) -> None:
    if not hasattr(nb, "cells") or not isinstance(nb.cells, list):
        raise TypeError(
            "Expected `nb` to be a notebook (nbformat.read(path, as_version=4)), "
            f"but got {type(nb).__name__}."
        )
