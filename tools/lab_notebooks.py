"""Chapters for JupyterLab with the glued values written into their prose (`make lab`, Binder).

jupyterlab-myst (2.7, the newest release) renders MyST in JupyterLab but has no glue roles: it
shows the bare name where the book shows the number. Its only inline-value mechanism, the
``{eval}`` role with results in a markdown cell's ``user_expressions`` metadata, re-evaluates
each expression in the kernel whenever the cell runs, and a glue name is not a Python
expression, so "Run All" would replace every value by a ``NameError``. So the notebooks a
learner opens in JupyterLab are copies with each glue role replaced by the text the book shows
(:func:`course_utils.instructor.glue.paste_glue`). A role whose value is missing is left as it
is and reported (an error with ``--strict``). The chapters themselves keep their glue roles.

Usage: python tools/lab_notebooks.py chapters/*.ipynb --out _build/lab
       python tools/lab_notebooks.py --in-place chapters/*.ipynb   (Binder's postBuild)

With ``--out``, a copy is written only when it is missing or older than its chapter, so a
learner's edits survive until the chapter itself changes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from course_utils.instructor.glue import paste_glue


def write_lab_copy(source: Path, target: Path) -> list[str]:
    """Write ``source`` with its glue pasted to ``target``; return the roles left unresolved."""
    nb = nbformat.read(source, as_version=4)
    missing = paste_glue(nb)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="folder for the copies")
    where.add_argument("--in-place", action="store_true", help="rewrite the notebooks given")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a value is missing")
    args = parser.parse_args(argv)
    status = 0
    for source in args.notebooks:
        target = source if args.in_place else args.out / source.name
        if not args.in_place and target.exists():
            if target.stat().st_mtime >= source.stat().st_mtime:
                continue  # up to date, perhaps with the learner's edits
        missing = write_lab_copy(source, target)
        if missing:
            status = 1 if args.strict else 0
            print(
                f"{source}: no stored value for {', '.join(sorted(set(missing)))}", file=sys.stderr
            )
    return status


if __name__ == "__main__":
    sys.exit(main())
