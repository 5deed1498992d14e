"""Replace a chapter's ``<!-- quick-check: qc-a qc-b -->`` markers by quick-check cells.

Each marker line in a markdown cell becomes a code cell, tagged ``remove-input``, that shows
those items of the chapter's bank::

    quick_check("<stem>", "qc-a", "qc-b")

placed where the marker was (text after the marker stays in a markdown cell of its own). The
first such cell imports ``quick_check``. Execute the chapter afterwards
(``tools/execute_notebooks.py``) and run ``tests/test_quick_checks.py``.

Usage: python tools/quick_check_cells.py chapters/06_next_token.ipynb [--check]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

MARKER = re.compile(r"^\s*<!--\s*quick-check:([^>]*)-->\s*$")
IMPORT = "from course_utils.quiz import quick_check\n\n"


def _call(stem: str, ids: list[str]) -> str:
    return f"quick_check({', '.join(repr(x).replace(chr(39), chr(34)) for x in [stem, *ids])})"


def _parts(source: str) -> list[tuple[str, object]]:
    """``[("text", str) | ("ids", list[str])]``: a markdown source cut at its markers."""
    parts: list[tuple[str, object]] = []
    text: list[str] = []
    for line in source.splitlines():
        match = MARKER.match(line)
        if not match:
            text.append(line)
            continue
        parts.append(("text", "\n".join(text).strip("\n")))
        parts.append(("ids", match[1].split()))
        text = []
    parts.append(("text", "\n".join(text).strip("\n")))
    return [(kind, value) for kind, value in parts if value != ""]


def convert(nb, stem: str) -> int:
    """Replace the markers of ``nb`` in place; return how many were replaced."""
    imported = any(
        "from course_utils.quiz import quick_check" in c.source
        for c in nb.cells
        if c.cell_type == "code"
    )
    cells, replaced = [], 0
    for cell in nb.cells:
        parts = _parts(cell.source) if cell.cell_type == "markdown" else [("cell", cell)]
        if all(kind != "ids" for kind, _ in parts):
            cells.append(cell)
            continue
        kept_id = False  # the first text part keeps the cell (its id, its metadata)
        for kind, value in parts:
            if kind == "text":
                part = cell if not kept_id else nbformat.v4.new_markdown_cell()
                part.source = value
                cells.append(part)
                kept_id = True
                continue
            if not value:
                raise ValueError(f"{stem}: a quick-check marker names no item")
            source = ("" if imported else IMPORT) + _call(stem, value)
            imported = True
            cells.append(nbformat.v4.new_code_cell(source, metadata={"tags": ["remove-input"]}))
            replaced += 1
    nb.cells = cells
    return replaced


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="exit 1 if a marker is left")
    args = parser.parse_args(argv)
    left = 0
    for path in args.chapters:
        nb = nbformat.read(path, as_version=4)
        count = convert(nb, path.stem)
        if args.check:
            left += count
            if count:
                print(f"{path}: {count} quick-check markers left", file=sys.stderr)
        elif count:
            nbformat.write(nb, path)
            print(f"{path}: {count} markers replaced by quick-check cells; execute it now")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
