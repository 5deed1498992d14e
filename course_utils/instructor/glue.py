"""Glued values written into a notebook's prose, for readers without the book's build.

The book writes a computed number into the text with myst-nb's glue roles,
``{glue:text}`name:.2f```, ``{glue:md}`name``` and ``{glue}`name``` (also spelt ``{glue:}``
and ``{glue:any}``), and myst-nb fills them at build time from the stored
``application/papermill.record/...`` outputs of the code cells. Nothing else fills them:
jupyterlab-myst (2.7, the newest release) has no glue roles and shows the bare name, and Colab
shows the raw role. So the notebooks a learner opens outside the book (``make lab``, Binder,
the student editions of ``course-utils assign``) and the chapter text the instructor guide
quotes on its own page get each role replaced by the text the book shows, formatted as myst-nb
formats it (:func:`format_plain_text`, checked against myst-nb's own in the tests).

This module is the one glue paster (:func:`paste_text` for a string, :func:`paste_glue` for a
notebook), with one rule for a value it cannot show: a role whose value is not stored (a
chapter not executed, a value glued in another notebook, a value its format spec cannot
format) is left exactly as written and reported, never guessed or replaced by a placeholder.
Each caller decides what a reported role means: an edition keeps it, the guide refuses.
"""

from __future__ import annotations

import re
from ast import literal_eval

RECORD = "application/papermill.record/"
# {glue}, {glue:}, {glue:any}, {glue:text}, {glue:md}: the roles myst-nb registers.
GLUE_ROLE = re.compile(r"\{glue(?::(?P<kind>text|md|any)?)?\}`(?P<body>[^`]+)`")


def format_plain_text(text: str, fmt_spec: str) -> str:
    """Format a glued value's ``text/plain`` the way myst-nb's ``{glue:text}`` does.

    Examples
    --------
    >>> format_plain_text("0.7421", ".2f"), format_plain_text("0.125", ".0%")
    ('0.74', '12%')
    >>> format_plain_text("'JapaneseVowels'", "s")  # quotes of a str's repr removed
    'JapaneseVowels'
    """
    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if fmt_spec == "":
        return str(value)
    type_char = fmt_spec[-1]
    if type_char == "s":
        value = str(value)
    elif type_char in "bcdoxX":
        value = int(value)
    elif type_char in "eEfFgGn%":
        value = float(value)
    return format(value, fmt_spec)


def glued_values(nb) -> dict[str, dict]:
    """``{name: mime bundle}`` of every value glued in ``nb``'s stored outputs."""
    values = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            data = output.get("data", {})
            if name and any(key.startswith(RECORD) for key in data):
                values[name] = {
                    key[len(RECORD) :]: value
                    for key, value in data.items()
                    if key.startswith(RECORD)
                }
    return values


def glue_text(kind: str, body: str, values: dict[str, dict]) -> str | None:
    """The text the book shows for one glue role, or None when its value is not stored."""
    if kind == "md":  # {glue:md}`name` or `name:commonmark|gfm|myst`
        key, _, fmt = body.rpartition(":")
        key = key if fmt in {"commonmark", "gfm", "myst"} else body
        markdown = values.get(key, {}).get("text/markdown")
        return None if markdown is None else str(markdown).strip()
    key, fmt_spec = body.rsplit(":", 1) if ":" in body else (body, "s")
    if "::" in key:  # a value glued in another notebook: not resolved here
        return None
    plain = values.get(key, {}).get("text/plain")
    if plain is None:
        return None
    try:
        return format_plain_text(str(plain), fmt_spec)
    except (TypeError, ValueError):
        return None


def paste_text(text: str, values: dict[str, dict]) -> tuple[str, list[str]]:
    """``text`` with each glue role replaced by what the book shows, and the roles left.

    Parameters
    ----------
    text : str
        Markdown.
    values : dict
        The glued values (:func:`glued_values`).

    Returns
    -------
    (str, list of str)
        The text, and the roles left as they were because no value is stored for them (or
        their value cannot be formatted as asked), in order.

    Examples
    --------
    >>> values = {"recall": {"text/plain": "0.8333"}, "n": {"text/plain": "42"},
    ...           "name": {"text/plain": "'JapaneseVowels'"},
    ...           "table": {"text/plain": "<table>", "text/markdown": "| a |"}}
    >>> paste_text("Recall {glue:text}`recall:.2f`, {glue:}`n` and {glue}`name`.", values)
    ('Recall 0.83, 42 and JapaneseVowels.', [])
    >>> paste_text("{glue:md}`table` {glue:any}`gone` {glue:text}`name:.2f`", values)
    ('| a | {glue:any}`gone` {glue:text}`name:.2f`', ['{glue:any}`gone`', '{glue:text}`name:.2f`'])
    """
    missing: list[str] = []

    def replace(match: re.Match) -> str:
        pasted = glue_text(match["kind"] or "any", match["body"], values)
        if pasted is None:
            missing.append(match[0])
            return match[0]
        return pasted

    return GLUE_ROLE.sub(replace, text), missing


def paste_glue(nb, values: dict[str, dict] | None = None) -> list[str]:
    """Replace the glue roles in ``nb``'s markdown cells, in place; return the ones left.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook to change.
    values : dict, optional
        The glued values (:func:`glued_values`); by default those stored in ``nb`` itself.
        Pass the original chapter's when ``nb`` is an edition that lost some outputs.

    Returns
    -------
    list of str
        The roles left as they were because no value is stored for them.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> out = v4.new_output("display_data", data={RECORD + "text/plain": "0.7421"},
    ...                     metadata={"scrapbook": {"name": "acc"}})
    >>> nb = v4.new_notebook(cells=[v4.new_code_cell(outputs=[out]),
    ...     v4.new_markdown_cell("Accuracy {glue:text}`acc:.2f`, {glue:text}`gone`.")])
    >>> paste_glue(nb), nb.cells[1].source
    (['{glue:text}`gone`'], 'Accuracy 0.74, {glue:text}`gone`.')
    """
    values = glued_values(nb) if values is None else values
    missing: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "{glue" in cell.source:
            cell.source, left = paste_text(cell.source, values)
            missing += left
    return missing
