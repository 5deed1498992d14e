"""Reading a chapter notebook: its exercises, solutions, learning objectives and quizzes.

The chapters follow CONTRIBUTING.md, and these parsers rely on exactly that:

- an exercise is a markdown cell with ``:::{exercise}`` and ``:label: ex-...``;
- a solution is the run of cells from ``:::{solution-start} ex-...`` to ``:::{solution-end}``,
  every one of them tagged ``solution``;

and, because a student edition must never hold a solution, they also recognise every other
form sphinx-exercise renders: a plain ``:::{solution} ex-...`` directive inside a cell
(:func:`find_solution_directives`), directive names and the ``solution`` tag in any
capitalisation (``Solution``, ``solutions``), fences of colons, backticks or tildes, and
markers in raw cells as well as markdown cells;
- the learning objectives are the bullets of a ``:::{admonition} Learning objectives`` block;
- a quiz is a code cell calling ``Quiz("<stem>")``.

Everything here takes an ``nbformat`` notebook and returns plain data; nothing is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
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
_SOLUTION_START = re.compile(_FENCE + r"\{solution-start\}[ \t]*(\S*)", re.M | re.I)
_SOLUTION_END = re.compile(_FENCE + r"\{solution-end\}", re.M | re.I)
_SOLUTION_DIRECTIVE = re.compile(r"^([ \t]*)(:{3,}|`{3,}|~{3,})\{solution\}[ \t]*(\S*)", re.I)
# Anywhere on a line (a directive may sit in a list item or a block quote): used to refuse.
_ANY_SOLUTION = re.compile(r"(?::{3,}|`{3,}|~{3,})[ \t]*\{solutions?(?:-start|-end)?\}", re.I)
_EXERCISE = re.compile(_FENCE + r"\{exercise\}", re.M | re.I)
_OBJECTIVES = re.compile(_FENCE + r"\{admonition\}[ \t]*Learning objectives", re.M | re.I)
_LABEL = re.compile(r"^[ \t]*:label:[ \t]*(\S+)", re.M)
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
    """

    label: str
    first_line: str
    cell: int


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


def find_exercises(nb) -> list[Exercise]:
    """The exercises of a notebook, in order.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook (``nbformat.read(path, as_version=4)``).

    Returns
    -------
    list of Exercise
        One per ``{exercise}`` directive. An exercise without ``:label:`` gets the label
        ``"(unlabelled)"``.

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
    _check_notebook(nb)
    exercises = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type not in _MARKDOWN_LIKE:
            continue
        source = cell.source
        for match in _EXERCISE.finditer(source):
            block = _directive_body(source[match.end() :])
            label = next((m.group(1) for m in map(_LABEL.match, block) if m), "(unlabelled)")
            text = [line for line in block if line.strip() and not _OPTION_LINE.match(line)]
            first = " ".join(text[0].split()) if text else ""
            exercises.append(Exercise(label, first, index))
    return exercises


def find_solutions(nb) -> list[Solution]:
    """The solutions of a notebook, checked for well-formed start/end markers.

    A cell belongs to a solution if it carries the ``solution`` tag or lies between a
    ``{solution-start}`` and its ``{solution-end}`` (so a forgotten tag still counts). Each
    start opens a new solution; tagged cells outside any pair form solutions of their own.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook.

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
        ``{solution-end}``, if a ``{solution-end}`` has no start, or if a solution cell also
        holds an ``{exercise}`` (it would be removed with the solution). The message names the
        cell.

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
    _check_notebook(nb)
    solutions: list[Solution] = []
    open_label, open_start = None, None  # the solution whose end we have not seen yet
    stray_start = None  # a run of tagged cells outside any start/end pair
    for index, cell in enumerate(nb.cells):
        source = _markdown_text(cell)
        start = _SOLUTION_START.search(source)
        end = _SOLUTION_END.search(source)
        if start:
            if open_start is not None:
                raise ValueError(
                    f"Cell {index}: `{{solution-start}} {start.group(1)}` opens inside the "
                    f"solution of {open_label!r}, which has no `{{solution-end}}` before it."
                )
            if not start.group(1):
                raise ValueError(f"Cell {index}: `{{solution-start}}` needs the exercise label.")
            if stray_start is not None:
                solutions.append(Solution(None, stray_start, index))
                stray_start = None
            open_label, open_start = start.group(1), index
        inside = open_start is not None
        if (inside or is_solution_tagged(cell)) and _EXERCISE.search(source):
            raise ValueError(
                f"Cell {index}: a solution cell also holds an `{{exercise}}`; put the exercise "
                "in a cell of its own, outside the solution."
            )
        if end:
            if not inside:
                raise ValueError(
                    f"Cell {index}: `{{solution-end}}` without a `{{solution-start}}`."
                )
            solutions.append(Solution(open_label, open_start, index + 1))
            open_label, open_start = None, None
        elif not inside:
            if is_solution_tagged(cell):
                stray_start = index if stray_start is None else stray_start
            elif stray_start is not None:
                solutions.append(Solution(None, stray_start, index))
                stray_start = None
    if open_start is not None:
        raise ValueError(
            f"Cell {open_start}: the solution of {open_label!r} has no `{{solution-end}}`."
        )
    if stray_start is not None:
        solutions.append(Solution(None, stray_start, len(nb.cells)))
    return solutions


@dataclass(frozen=True)
class SolutionDirective:
    """A plain ``{solution}`` directive inside a cell: lines ``start`` to ``stop - 1``.

    Attributes
    ----------
    label : str or None
        The exercise it solves (the directive's argument).
    cell : int
        Index of the cell that holds it.
    start, stop : int
        Line indices in the cell's source, ``stop`` excluded (the closing fence included).
    """

    label: str | None
    cell: int
    start: int
    stop: int


def find_solution_directives(nb) -> list[SolutionDirective]:
    """The plain ``{solution}`` directives of a notebook, outside solution cells.

    sphinx-exercise renders ``:::{solution} ex-1`` (or with backticks or tildes, any
    capitalisation) as a solution, like a ``{solution-start}``/``{solution-end}`` pair. The
    directive ends at the first line that is only a fence of the same character at least as
    long as the opening one (as markdown-it reads it).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook.

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
        If a directive has no closing fence in its cell (MyST would then hide the rest of the
        page in it), naming the cell.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> nb = v4.new_notebook(cells=[v4.new_markdown_cell(
    ...     ":::{exercise}\\n:label: ex-1\\nDo it.\\n:::\\n\\n::::{Solution} ex-1\\n42\\n::::\\nMore.")])
    >>> find_solution_directives(nb)
    [SolutionDirective(label='ex-1', cell=0, start=5, stop=8)]
    """
    _check_notebook(nb)
    whole = {i for solution in find_solutions(nb) for i in range(solution.start, solution.stop)}
    found = []
    for index, cell in enumerate(nb.cells):
        if index in whole or cell.cell_type not in _MARKDOWN_LIKE:
            continue
        lines = cell.source.split("\n")
        line = 0
        while line < len(lines):
            opening = _SOLUTION_DIRECTIVE.match(lines[line])
            if not opening:
                line += 1
                continue
            fence = opening.group(2)
            closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
            stop = next((j for j in range(line + 1, len(lines)) if closing.match(lines[j])), None)
            if stop is None:
                raise ValueError(
                    f"Cell {index}: the `{{solution}}` directive on line {line + 1} has no closing "
                    f"`{fence}`; close it in the same cell."
                )
            found.append(SolutionDirective(opening.group(3) or None, index, line, stop + 1))
            line = stop + 1
    return found


def solution_markers(nb) -> list[int]:
    """Indices of cells that still look like a solution: tagged ``solution`` (any case) or
    holding any solution directive (``{solution}``, ``{solution-start}``, ``{solution-end}``,
    any case, any fence) in a markdown or raw cell. Empty for a proper student edition.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> solution_markers(v4.new_notebook(cells=[v4.new_markdown_cell("Text"),
    ...     v4.new_raw_cell("```{SOLUTION-start} ex-1\\n```")]))
    [1]
    """
    _check_notebook(nb)
    return [
        index
        for index, cell in enumerate(nb.cells)
        if is_solution_tagged(cell) or _ANY_SOLUTION.search(_markdown_text(cell))
    ]


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
