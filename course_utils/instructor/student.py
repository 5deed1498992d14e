"""The student edition of a chapter: solutions out, one short stub per exercise in.

The rule, applied to a copy of the notebook:

1. Every solution, found as the book renders it
   (:func:`~course_utils.instructor.notebook.read_chapter`), goes. A run of whole cells (from
   ``{solution-start}`` to ``{solution-end}``, in any form, and any other cell tagged
   ``solution``) is replaced by two cells, both tagged ``exercise-stub``: a markdown cell saying
   what to do and an empty code cell for the learner's answer. A solution inside a cell (a
   ``{solution}`` directive, ``.. solution::`` in an ``{eval-rst}`` block, a substitution that
   renders one) is cut and replaced by the same words in that cell, the empty code cell
   follows it, and the cell keeps only the attachments its remaining text shows.
   Substitutions that hold a solution leave the notebook's metadata.
2. Code cells between an exercise and its solution (starter code, a setup the exercise refers
   to) keep their source but lose their outputs, so no stored output gives the answer away.
3. Everything else, the quiz included, is kept as it is, except that the glued numbers are
   written into the prose (:func:`~course_utils.instructor.glue.paste_glue`): JupyterLab and
   Colab have no glue roles and would show their names where the book shows the numbers.

Finally the edition is read again, with the same parser, and searched for anything that still
looks like a solution (a ``solution`` tag in any capitalisation, any solution directive): if
one is left, or if a solution could not be removed with certainty in the first place, the
chapter is refused with a ``ValueError`` rather than handed out.
"""

from __future__ import annotations

import copy
import re

from course_utils.instructor.glue import glued_values, paste_glue
from course_utils.instructor.notebook import _check_notebook, read_chapter, solution_markers

STUB_TAG = "exercise-stub"


def stub_text(label: str | None, *, syntax: str = "md") -> str:
    """The text a learner sees where a solution was (``syntax="rst"`` inside ``{eval-rst}``).

    Examples
    --------
    >>> print(stub_text("ex-gru-2"))
    **Your turn** (exercise `ex-gru-2`): write your solution in the code cell below and run it.
    >>> print(stub_text("ex-1", syntax="rst"))
    **Your turn** (exercise ``ex-1``): write your solution in the code cell below and run it.
    """
    quote = "``" if syntax == "rst" else "`"
    target = f"exercise {quote}{label}{quote}" if label else "the exercise above"
    return f"**Your turn** ({target}): write your solution in the code cell below and run it."


def student_edition(nb, *, syntax=None):
    """A copy of a chapter notebook for learners: no solutions, a stub for each one.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The full chapter (``nbformat.read(path, as_version=4)``); it is not modified.
    syntax : course_utils.instructor.solutions.BookSyntax or None, default None
        The book's MyST configuration (what ``_config.yml`` sets); None reads the
        repository's.

    Returns
    -------
    nbformat.NotebookNode
        The student edition: each solution replaced by a markdown stub and an empty code cell
        (both tagged ``exercise-stub``), outputs cleared from code cells between an exercise
        and its solution, glued numbers written into the prose, substitutions that hold a
        solution dropped from the metadata, attachments only a cut solution showed dropped,
        everything else unchanged.

    Raises
    ------
    TypeError
        If ``nb`` is not a notebook.
    ValueError
        If the solution markers are malformed (see
        :func:`~course_utils.instructor.notebook.find_solutions`), a solution cannot be removed
        with certainty, or anything that looks like a solution would be left in the edition.

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
    reading = read_chapter(nb, syntax=syntax).check()
    solutions, directives = reading.solutions, reading.directives
    exercise_cell = {exercise.label: exercise.cell for exercise in reading.exercises}
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
    from course_utils.instructor.solutions import NotebookReader

    reader = NotebookReader(nb.get("metadata", {}), syntax)
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
                stub = directive.prefix + stub_text(directive.label, syntax=directive.syntax)
                lines[directive.start : directive.stop] = [stub]
            cell.source = "\n".join(lines)
            _drop_unshown_attachments(cell, reader)
            for directive in inside[index]:
                number += 1
                cells.append(_stub_cells(directive.label, number, ids)[1])
        index += 1
    student.cells = cells
    _drop_substitutions(student, reading.substitutions)
    # The values come from the full chapter: rule 2 may have cleared a cell that glued one.
    paste_glue(student, glued_values(nb))

    left = solution_markers(student, syntax=syntax)
    if left:
        raise ValueError(
            f"Cell {left[0]} of the student edition would still hold a solution marker (a "
            "`solution` tag or a solution directive) that could not be removed; refusing to "
            "write a student edition that may hold a solution. Use {solution-start}/"
            "{solution-end} pairs or a closed {solution} directive."
        )
    return student


def _drop_unshown_attachments(cell, reader) -> None:
    """Keep only the attachments the cell's remaining text still shows (a cut solution's image
    goes with it)."""
    attachments = cell.get("attachments")
    if not isinstance(attachments, dict) or not attachments:
        return
    shown = reader.attachment_names(cell.source)
    kept = {name: data for name, data in attachments.items() if name in shown}
    if kept:
        cell["attachments"] = kept
    else:
        del cell["attachments"]


def _drop_substitutions(nb, names) -> None:
    """Remove substitutions that hold a solution from the notebook's metadata."""
    if not names:
        return
    metadata = nb.metadata
    for holder_key in ("myst", None):
        holder = metadata.get(holder_key) if holder_key else metadata
        subs = holder.get("substitutions") if isinstance(holder, dict) else None
        if not isinstance(subs, dict):
            continue
        for name in names:
            subs.pop(name, None)
        if not subs:
            del holder["substitutions"]
    if isinstance(metadata.get("myst"), dict) and not metadata["myst"]:
        del metadata["myst"]


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
