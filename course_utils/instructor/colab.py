"""The Colab edition of a chapter: the same notebook, written for a viewer without MyST.

Colab shows a notebook's markdown as plain Markdown (and HTML), with no glue roles and no
MyST, so a chapter opened there as it is shows raw roles and directives. The Colab edition
(:func:`colab_edition`, written to ``colab/<stem>.ipynb`` by ``tools/colab_edition.py``) is a
copy in which:

- the glued numbers are written into the prose (:func:`~course_utils.instructor.glue.paste_glue`);
- MyST becomes plain Markdown and HTML (:func:`~course_utils.instructor.myst.myst_to_markdown`):
  admonitions, exercises ("Exercise N"), folded sections (``<details>``); ``{doc}`` links go
  to the other chapters' Colab editions (other pages to the repository), ``{numref}``
  becomes "Fig. N", ``{term}`` plain text, with the chapter's terms defined at the end.
  Figures and exercises carry the numbers the book gives them (counted across the book);
- each figure's caption (cell metadata in the chapter) follows it as "**Fig. N.** ...";
- each solution is folded into one ``<details>`` cell holding its text, its code and its
  text outputs; its code no longer runs with the chapter;
- the cells the book hides keep their code, in Colab's form view (``# @title``, the code
  folded): the set-up cell, quick checks, folded code, and the hidden claims cells. A bare
  ``assert`` in a claims cell becomes a :func:`course_utils.book.claim` call, which in a
  learner's kernel shows a note instead of stopping "Run all";
- a first cell says what this edition is and where it comes from.

The result is deterministic: the same chapter gives the same edition, byte for byte, which is
what keeps the committed editions in sync (``tests/test_colab_edition.py``).
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

from course_utils.instructor.glue import paste_glue
from course_utils.instructor.myst import (
    References,
    details,
    glossary_entries,
    leftover_myst,
    myst_to_markdown,
)
from course_utils.instructor.notebook import find_exercises, find_solutions

__all__ = ["Book", "colab_edition", "colab_url", "edition_problems"]

COLAB = "https://colab.research.google.com/github"
FOLDER = "colab"
FORM_TITLES = {
    "setup-install": "Set-up: installs course_utils if it is missing (run this first)",
    "remove-cell": "Checks of the claims the text makes (hidden in the book)",
}
_HEADING = re.compile(r"^#\s+(.+)$", re.M)


@dataclass(frozen=True)
class Book:
    """What an edition needs to know about the whole book.

    Attributes
    ----------
    repository : str
        The GitHub repository, ``https://github.com/<org>/<repo>``.
    branch : str
        The branch the launch buttons open.
    titles : dict of str to str
        Docname (``"chapters/01_rnn_metrics"``, ``"glossary"``) -> its title.
    glossary : dict of str to str
        Glossary term (lower case) -> ``(term, definition)`` in MyST.
    folder : str
        The folder of the Colab editions, from the repository's root.
    offsets : dict of str to (int, int)
        Docname -> how many figures and exercises come before it. The book numbers both
        across the whole book, in the order of the table of contents (its chapters are not
        numbered sections), and an edition uses the same numbers as the book's page.
    """

    repository: str
    branch: str = "main"
    titles: dict[str, str] = field(default_factory=dict)
    glossary: dict[str, tuple[str, str]] = field(default_factory=dict)
    folder: str = FOLDER
    offsets: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def from_root(cls, root: str | Path) -> Book:
        """The book at ``root``: repository from ``_config.yml``, pages from ``_toc.yml``.

        Raises
        ------
        ValueError
            If ``_config.yml`` names no GitHub repository.
        """
        import nbformat
        import yaml

        root = Path(root)
        config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
        repository = str((config.get("repository") or {}).get("url", "")).rstrip("/")
        if not repository.startswith("https://github.com/"):
            raise ValueError(
                f"Expected `repository.url` in {root / '_config.yml'} to be a GitHub URL "
                f"(Colab opens notebooks from GitHub), but got {repository!r}."
            )
        branch = str((config.get("repository") or {}).get("branch") or "main")
        from course_utils.instructor.course import read_toc

        docs = [entry.file for entry in read_toc(root)]
        titles, offsets, figures, exercises = {}, {}, 0, 0
        for doc in filter(None, docs):
            for suffix in (".ipynb", ".md"):
                path = root / f"{doc}{suffix}"
                if not path.is_file():
                    continue
                if suffix == ".ipynb":
                    nb = nbformat.read(path, as_version=4)
                    text = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
                else:
                    text = path.read_text(encoding="utf-8")
                    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
                match = _HEADING.search(text)
                titles[doc] = match[1].strip() if match else doc
                offsets[doc] = (figures, exercises)
                figures += len(figure_labels(nb))
                exercises += len(find_exercises(nb))
                break
        glossary = {}
        glossary_file = root / "glossary.md"
        if glossary_file.is_file():
            glossary = read_glossary(glossary_file.read_text(encoding="utf-8"))
        return cls(repository, branch, titles, glossary, FOLDER, offsets)

    def github_path(self) -> tuple[str, str]:
        """``(org, repo)`` of the repository."""
        org, repo = self.repository.removeprefix("https://github.com/").split("/")[:2]
        return org, repo

    def link(self, docname: str) -> tuple[str, str] | None:
        """``(url, title)`` for a page of the book: a chapter's Colab edition, or the page's
        source in the repository; None for a page the book does not have."""
        if docname not in self.titles:
            return None
        if docname.startswith("chapters/"):
            url = colab_url(self, docname.split("/", 1)[1])
        else:
            suffix = ".md" if not docname.startswith("instructor") else ".ipynb"
            url = f"{self.repository}/blob/{self.branch}/{docname}{suffix}"
        return url, self.titles[docname]


def read_glossary(text: str) -> dict[str, tuple[str, str]]:
    """``{term in lower case: (term, definition)}`` from a page's ``{glossary}`` block."""
    match = re.search(r"^(`{3,}|:{3,})\{glossary\}[^\n]*\n(.*?)^\1\s*$", text, re.M | re.S)
    if not match:
        return {}
    entries = glossary_entries(match[2].split("\n"))
    return {term.lower(): (term, " ".join(lines)) for term, lines in entries}


def colab_url(book: Book, stem: str) -> str:
    """The Colab URL of a chapter's edition.

    Examples
    --------
    >>> colab_url(Book("https://github.com/org/course"), "02_uncertainty")
    'https://colab.research.google.com/github/org/course/blob/main/colab/02_uncertainty.ipynb'
    """
    org, repo = book.github_path()
    return f"{COLAB}/{org}/{repo}/blob/{book.branch}/{book.folder}/{stem}.ipynb"


# ---------------------------------------------------------------------------- the edition


def colab_edition(nb, *, docname: str, book: Book):
    """The Colab edition of one chapter (module docstring).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed chapter, as committed; it is not modified.
    docname : str
        Its page in the book, e.g. ``"chapters/02_uncertainty"``.
    book : Book
        The book it belongs to (:meth:`Book.from_root`).

    Returns
    -------
    nbformat.NotebookNode

    Raises
    ------
    ValueError
        If a glued value is missing from the stored outputs (execute the chapter first), or
        MyST is left after the conversion (the message names the cell and what is left).
    """
    import nbformat.v4 as v4

    nb = copy.deepcopy(nb)
    missing = paste_glue(nb)
    if missing:
        raise ValueError(
            f"{docname}: no stored value for {sorted(set(missing))}; execute the chapter "
            "(make notebooks) before writing its Colab edition."
        )
    refs = _references(nb, docname, book)
    solutions = {s.start: s for s in find_solutions(nb)}
    stem = docname.rsplit("/", 1)[-1]
    cells = [v4.new_markdown_cell(_intro(book, docname, stem))]
    index = 0
    while index < len(nb.cells):
        if index in solutions:
            solution = solutions[index]
            cells.append(_solution_cell(nb.cells[solution.start : solution.stop], refs))
            index = solution.stop
            continue
        cell = nb.cells[index]
        index += 1
        if cell.cell_type == "markdown":
            cell.source = myst_to_markdown(cell.source, refs)
            cells.append(cell)
        elif cell.cell_type == "code":
            cells.append(_code_cell(cell))
            caption = _caption(cell, refs)
            if caption:
                cells.append(v4.new_markdown_cell(caption))
        else:
            cells.append(cell)
    if refs.terms:
        cells.append(v4.new_markdown_cell(_terms(refs, book)))
    for position, cell in enumerate(cells):
        cell.pop("id", None)
        if (nb.nbformat, nb.nbformat_minor) >= (4, 5):
            cell["id"] = f"colab-{position:03d}"  # stable ids: the same edition every time
    nb.cells = cells
    nb.metadata["colab"] = {"name": f"{stem}.ipynb", "provenance": [], "toc_visible": True}
    problems = edition_problems(nb)
    if problems:
        raise ValueError(f"{docname}: the Colab edition would show raw MyST: {problems[:5]}")
    return nb


def edition_problems(nb) -> list[str]:
    """MyST left in an edition's markdown, as ``"cell N: ..."`` lines (empty when clean)."""
    problems = []
    for number, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            problems += [f"cell {number}: {p}" for p in leftover_myst(cell.source)]
            if "{glue" in cell.source:
                problems.append(f"cell {number}: a glue role")
    return problems


def figure_labels(nb) -> list[str]:
    """The labels of a notebook's numbered figures, in order: code cells with a figure in
    their ``mystnb`` metadata, and ``{figure}`` directives with a ``:name:``."""
    labels = []
    for cell in nb.cells:
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
        if cell.cell_type == "code" and figure.get("name"):
            labels.append(figure["name"])
        if cell.cell_type == "markdown" and "{figure}" in cell.source:
            labels += re.findall(r"^:name:\s*(\S+)", cell.source, re.M)
    return labels


def _references(nb, docname: str, book: Book) -> References:
    figure_offset, exercise_offset = book.offsets.get(docname, (0, 0))
    numbered = enumerate(figure_labels(nb), start=figure_offset + 1)
    figures = {label: number for number, label in numbered}
    sections = {}
    heading = re.compile(r"^\(([^()\s]+)\)=\s*\n+#+\s+(.+)$", re.M)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            sections.update((label, text.strip()) for label, text in heading.findall(cell.source))
    refs = References(docname=docname, figures=figures, sections=sections, doc_link=book.link)
    for number, exercise in enumerate(find_exercises(nb), start=exercise_offset + 1):
        refs.exercises[exercise.label] = number  # numbered up front: prose may point ahead
    return refs


def _intro(book: Book, docname: str, stem: str) -> str:
    source = f"{book.repository}/blob/{book.branch}/{docname}.ipynb"
    return (
        "> **Colab edition.** This notebook is generated from the course's chapter "
        f"[`{docname}.ipynb`]({source}) by `tools/colab_edition.py`: the numbers the book "
        "glues into the text are written in, the book's markup is plain Markdown, and the "
        "solutions are folded (open them after trying). Run the cells from the top: the "
        "first code cell installs `course_utils` when it is missing."
    )


def _form(cell, title: str) -> None:
    """Colab's form view: the code folded under a ``# @title`` line."""
    if not cell.source.startswith("# @title"):
        cell.source = f"# @title {title}\n" + cell.source
    cell.metadata["cellView"] = "form"


def _code_cell(cell):
    tags = set(cell.metadata.get("tags", []))
    if "setup-install" in tags:
        _form(cell, FORM_TITLES["setup-install"])
    elif "remove-cell" in tags:
        cell.source = claims_from_asserts(cell.source)
        _form(cell, FORM_TITLES["remove-cell"])
    elif tags & {"remove-input", "hide-input", "hide-cell"}:
        prompt = cell.metadata.get("mystnb", {}).get("code_prompt_show", "")
        if "quick_check(" in cell.source:
            prompt = "Quick check"
        _form(cell, prompt.replace("{type}", "code") or "Code folded in the book")
    return cell


def _caption(cell, refs: References) -> str | None:
    figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
    name, caption = figure.get("name"), figure.get("caption")
    if not caption:
        return None
    number = refs.figures.get(name)
    label = f"**Fig. {number}.**" if number else "**Figure.**"
    return f"{label} {myst_to_markdown(caption, refs)}"


def _solution_cell(cells, refs: References):
    """One folded markdown cell holding a whole solution: text, code, text outputs."""
    import nbformat.v4 as v4

    first = cells[0].source if cells else ""
    label = re.search(r"\{solution-start\}\s*(\S+)", first)
    number = refs.exercises.get(label[1]) if label else None
    parts: list[str] = []
    for cell in cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "markdown":
            text = myst_to_markdown(cell.source, refs).strip()
            if text:
                parts += [text, ""]
        elif cell.cell_type == "code" and "remove-cell" not in tags:
            parts += ["```python", cell.source, "```", ""]
            parts += _outputs(cell)
    title = f"Solution to Exercise {number}" if number else "Solution"
    merged = v4.new_markdown_cell("\n".join(details(title, parts)).replace("\n\n\n", "\n\n"))
    merged.metadata["tags"] = ["solution"]
    return merged


def _outputs(cell) -> list[str]:
    lines: list[str] = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        text = None
        if output.get("output_type") == "stream":
            text = output.get("text", "")
        elif "image/png" in data:
            png = data["image/png"]
            if isinstance(png, str):  # stored as base64 text
                lines += [
                    f'<img alt="output figure" src="data:image/png;base64,{png.strip()}">',
                    "",
                ]
            continue
        elif "text/plain" in data and not any(k.startswith("application/") for k in data):
            text = data["text/plain"]
        if text:
            text = "".join(text) if isinstance(text, list) else text
            lines += ["```text", text.rstrip("\n"), "```", ""]
    return lines


def _terms(refs: References, book: Book) -> str:
    lines = ["## Terms used in this chapter", ""]
    for key in sorted(refs.terms):
        term, definition = book.glossary.get(key, (key, ""))
        text = myst_to_markdown(definition, References(doc_link=book.link)) if definition else ""
        lines.append(f"- **{term}**: {text}".rstrip(": "))
    lines += ["", "From the course's glossary."]
    return "\n".join(lines)


# ------------------------------------------------------------------- claims that never stop


def claims_from_asserts(source: str) -> str:
    """Rewrite each ``assert`` statement of a claims cell as a ``claim(...)`` call.

    ``assert cond, "message"`` becomes ``claim(bool(cond), "message")`` (the condition's own
    source is the statement when there is no message), so that in a learner's kernel a claim
    that no longer holds shows a note and "Run all" carries on, while under
    ``COURSE_STRICT_CLAIMS=1`` it still raises. Statements that share a line with other code
    are left as they are. Source that does not parse is returned unchanged.

    Examples
    --------
    >>> print(claims_from_asserts("x = 2\\nassert x > 1  # why\\nassert x < 3, 'small'"))
    from course_utils.book import claim
    x = 2
    claim(bool(x > 1), 'x > 1')  # why
    claim(bool(x < 3), 'small')
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.split("\n")
    asserts = [node for node in ast.walk(tree) if isinstance(node, ast.Assert)]
    if not asserts:
        return source
    changed = False
    for node in sorted(asserts, key=lambda n: n.lineno, reverse=True):
        first, last = node.lineno - 1, node.end_lineno - 1
        before = lines[first][: node.col_offset]
        after = lines[last][node.end_col_offset :]
        if before.strip() or (after.strip() and not after.strip().startswith("#")):
            continue
        condition = ast.get_source_segment(source, node.test)
        message = (
            ast.get_source_segment(source, node.msg)
            if node.msg is not None
            else repr(" ".join(condition.split()))
        )
        call = f"{before}claim(bool({condition}), {message}){after}"
        lines[first : last + 1] = [call]
        changed = True
    if not changed:
        return source
    text = "\n".join(lines)
    if "from course_utils.book import claim" not in text:
        text = "from course_utils.book import claim\n" + text
    return text
