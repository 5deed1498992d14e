"""The student edition of a chapter: solutions out, one short stub per exercise in.

The rule, applied to a copy of the notebook:

1. Every solution (see :func:`~course_utils.instructor.notebook.find_solutions`: the cells from
   ``{solution-start}`` to ``{solution-end}`` and any other cell tagged ``solution``) is
   replaced by two cells, both tagged ``exercise-stub``: a markdown cell saying what to do and
   an empty code cell for the learner's answer. A plain ``{solution}`` directive inside a cell
   (:func:`~course_utils.instructor.notebook.find_solution_directives`) is replaced by the same
   words in that cell, and the empty code cell follows it.
2. Code cells between an exercise and its solution (starter code, a setup the exercise refers
   to) keep their source but lose their outputs, so no stored output gives the answer away.
3. Everything else, the quiz included, is kept as it is, except that the glued numbers are
   written into the prose (:func:`~course_utils.instructor.glue.paste_glue`): JupyterLab and
   Colab have no glue roles and would show their names where the book shows the numbers.

Finally the edition is searched again for anything that still looks like a solution (a
``solution`` tag in any capitalisation, any solution directive): if one is left, the chapter
is refused with a ``ValueError`` rather than handed out.
"""

from __future__ import annotations

import copy
import re

from course_utils.instructor.glue import glued_values, paste_glue
from course_utils.instructor.notebook import (
    _check_notebook,
    find_exercises,
    find_solution_directives,
    find_solutions,
    solution_markers,
)

STUB_TAG = "exercise-stub"


def stub_text(label: str | None) -> str:
    """The markdown a learner sees where a solution was.

    Examples
    --------
    >>> print(stub_text("ex-gru-2"))
    **Your turn** (exercise `ex-gru-2`): write your solution in the code cell below and run it.
    """
    target = f"exercise `{label}`" if label else "the exercise above"
    return f"**Your turn** ({target}): write your solution in the code cell below and run it."


def student_edition(nb):
    """A copy of a chapter notebook for learners: no solutions, a stub for each one.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The full chapter (``nbformat.read(path, as_version=4)``); it is not modified.

    Returns
    -------
    nbformat.NotebookNode
        The student edition: each solution replaced by a markdown stub and an empty code cell
        (both tagged ``exercise-stub``), outputs cleared from code cells between an exercise
        and its solution, glued numbers written into the prose, everything else unchanged.

    Raises
    ------
    TypeError
        If ``nb`` is not a notebook.
    ValueError
        If the solution markers are malformed (see
        :func:`~course_utils.instructor.notebook.find_solutions`), a ``{solution}`` directive
        is not closed, or anything that looks like a solution would be left in the edition.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> tag = {"tags": ["solution"]}
    >>> nb = v4.new_notebook(cells=[
    ...     v4.new_markdown_cell(":::{exercise}\\n:label: ex-1\\nPrint 42.\\n:::"),
    ...     v4.new_markdown_cell(":::{solution-start} ex-1\\n:::", metadata=tag),
    ...     v4.new_code_cell("print(42)", metadata=tag),
    ...     v4.new_markdown_cell(":::{solution-end}\\n:::", metadata=tag),
    ...     v4.new_code_cell('Quiz("01_demo")')])
    >>> student = student_edition(nb)
    >>> [(c.cell_type, c.source[:24]) for c in student.cells]  # doctest: +NORMALIZE_WHITESPACE
    [('markdown', ':::{exercise}\\n:label: ex'), ('markdown', '**Your turn** (exercise '),
     ('code', ''), ('code', 'Quiz("01_demo")')]
    >>> len(nb.cells)  # the original is untouched
    5
    """
    _check_notebook(nb)
    solutions = find_solutions(nb)
    directives = find_solution_directives(nb)
    exercise_cell = {exercise.label: exercise.cell for exercise in find_exercises(nb)}
    student = copy.deepcopy(nb)

    # Rule 2 first, while the cell indices still match the original.
    ends = [(s.label, s.start) for s in solutions] + [(d.label, d.cell) for d in directives]
    for label, end in ends:
        first = exercise_cell.get(label)
        if first is None or first >= end:
            continue
        for cell in student.cells[first + 1 : end]:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None

    # Rule 1, in one pass from the top.
    used_ids = {cell.get("id") for cell in nb.cells}
    with_ids = (nb.nbformat, nb.nbformat_minor) >= (4, 5)  # cell ids exist from nbformat 4.5
    ids = used_ids if with_ids else None
    whole = {solution.start: (number, solution) for number, solution in enumerate(solutions, 1)}
    inside: dict[int, list] = {}
    for directive in directives:
        inside.setdefault(directive.cell, []).append(directive)
    cells, index, number = [], 0, len(solutions)
    while index < len(student.cells):
        if index in whole:
            position, solution = whole[index]
            cells += _stub_cells(solution.label, position, ids)
            index = solution.stop
            continue
        cell = student.cells[index]
        cells.append(cell)
        if index in inside:
            lines = cell.source.split("\n")
            for directive in reversed(inside[index]):
                lines[directive.start : directive.stop] = [stub_text(directive.label)]
            cell.source = "\n".join(lines)
            for directive in inside[index]:
                number += 1
                cells.append(_stub_cells(directive.label, number, ids)[1])
        index += 1
    student.cells = cells
    # The values come from the full chapter: rule 2 may have cleared a cell that glued one.
    paste_glue(student, glued_values(nb))

    left = solution_markers(student)
    if left:
        raise ValueError(
            f"Cell {left[0]} of the student edition would still hold a solution marker (a "
            "`solution` tag or a solution directive) that could not be removed; refusing to "
            "write a student edition that may hold a solution. Use {solution-start}/"
            "{solution-end} pairs or a closed {solution} directive."
        )
    return student


def _stub_cells(label: str | None, number: int, used_ids: set | None) -> list:
    """The two stub cells; their ids derive from the label, so output is deterministic."""
    import nbformat.v4 as v4

    metadata = {"tags": [STUB_TAG]}
    markdown = v4.new_markdown_cell(stub_text(label), metadata=copy.deepcopy(metadata))
    code = v4.new_code_cell("", metadata=copy.deepcopy(metadata))
    if used_ids is None:
        markdown.pop("id", None)
        code.pop("id", None)
        return [markdown, code]
    # Cell ids: 1-64 of [a-zA-Z0-9-_]. nbformat would draw random ones; we must not.
    base = re.sub(r"[^A-Za-z0-9_-]", "-", label or f"solution-{number}")[:48]
    for cell, suffix in ((markdown, "stub"), (code, "answer")):
        candidate, n = f"{base}-{suffix}", 1
        while candidate in used_ids:
            n += 1
            candidate = f"{base}-{suffix}-{n}"
        used_ids.add(candidate)
        cell["id"] = candidate
    return [markdown, code]
