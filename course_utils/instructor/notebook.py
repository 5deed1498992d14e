"""Reading a chapter notebook: its exercises, solutions, learning objectives and quizzes.

The chapters follow CONTRIBUTING.md, and these parsers rely on exactly that:

- an exercise is a markdown cell with ``:::{exercise}`` and ``:label: ex-...``;
- a solution is the run of cells from ``:::{solution-start} ex-...`` to ``:::{solution-end}``,
  every one of them tagged ``solution``;
- the learning objectives are the bullets of a ``:::{admonition} Learning objectives`` block;
- a quiz is a code cell calling ``Quiz("<stem>")``.

Everything here takes an ``nbformat`` notebook and returns plain data; nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SOLUTION_TAG = "solution"

# A MyST directive opens with 3+ colons or backticks: ":::{exercise}" or "```{exercise}".
_FENCE = r"^[ \t]*(?::{3,}|`{3,})"
_SOLUTION_START = re.compile(_FENCE + r"\{solution-start\}[ \t]*(\S*)", re.M)
_SOLUTION_END = re.compile(_FENCE + r"\{solution-end\}", re.M)
_EXERCISE = re.compile(_FENCE + r"\{exercise\}", re.M)
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
    return list(cell.get("metadata", {}).get("tags", []))


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
        if cell.cell_type != "markdown":
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
        source = cell.source if cell.cell_type == "markdown" else ""
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
        if (inside or SOLUTION_TAG in _tags(cell)) and _EXERCISE.search(source):
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
            if SOLUTION_TAG in _tags(cell):
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


def _check_notebook(nb) -> None:
    if not hasattr(nb, "cells") or not isinstance(nb.cells, list):
        raise TypeError(
            "Expected `nb` to be a notebook (nbformat.read(path, as_version=4)), "
            f"but got {type(nb).__name__}."
        )
