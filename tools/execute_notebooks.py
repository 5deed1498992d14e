"""Execute chapter notebooks in place and store clean outputs (`make notebooks`).

Before running, every chapter is *normalised* (:func:`normalise`), so chapter authors need not
do any of this by hand:

- its first code cell is the set-up cell (tag ``setup-install``, removed from the book page):
  it installs ``course_utils`` pinned to this book's version when it is missing (Colab, Binder,
  a bare kernel), and asks the inline backend for high-resolution (retina) PNG figures, which
  the book shows, and for deterministic SVG (fixed ids, no date) for the figure pack;
- the set-up cell starts folded in JupyterLab; cells the book removes (``remove-cell``:
  asserted claims) start hidden, and
  solution cells (``solution``) start collapsed, through the cell metadata JupyterLab honours
  (``"jupyter": {"source_hidden": true, "outputs_hidden": true}``).

Clean means: no widget state (the book and GitHub show the quizzes' HTML instead), no
per-cell timing metadata, no widget-view outputs with random model ids. What is left is what
`pytest --nbval` compares against a fresh run.

Usage: python tools/execute_notebooks.py chapters/01_rnn_metrics.ipynb [...]
       python tools/execute_notebooks.py --normalise-only chapters/*.ipynb
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
ROOT = Path(__file__).resolve().parents[1]
SETUP_TAG = "setup-install"
HIDDEN_IN_LAB = {"source_hidden": True, "outputs_hidden": True}
REPOSITORY = "https://github.com/rnn-eval-course/rnn-eval-course"
EXTRAS = "notebooks"

SETUP_SOURCE = """\
# Set-up (added by tools/execute_notebooks.py): install course_utils {version}, the version this
# book was built with, when it is missing (Colab, Binder, a fresh kernel). COURSE_UTILS_SOURCE
# may name another pip source: a local wheel or a checkout of the repository.
import importlib
import importlib.util
import os
import subprocess
import sys

COURSE_UTILS_VERSION = "{version}"
if importlib.util.find_spec("course_utils") is None:
    _repository = "{repository}"
    _source = os.environ.get("COURSE_UTILS_SOURCE") or (
        f"course_utils[{extras}] @ git+{{_repository}}@v{{COURSE_UTILS_VERSION}}"
    )
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", _source], check=True)
    importlib.invalidate_caches()
course_utils = importlib.import_module("course_utils")
assert course_utils.__version__ == COURSE_UTILS_VERSION, course_utils.__version__
# Figures: a retina PNG for the page, and an SVG for the instructors' figure pack, the same
# bytes on every run (fixed ids, no date).
%config InlineBackend.rc = {{"svg.hashsalt": "rnn-eval-course"}}
%config InlineBackend.print_figure_kwargs = {{"bbox_inches": "tight", "metadata": {{"Date": None}}}}
%config InlineBackend.figure_formats = ["retina", "svg"]"""


def book_version() -> str:
    """``course_utils.__version__`` as written in the package (read, not imported)."""
    text = (ROOT / "course_utils" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if match is None:  # pragma: no cover - the package always has one
        raise RuntimeError("course_utils/__init__.py has no __version__ line")
    return match.group(1)


def setup_source(version: str | None = None) -> str:
    """The source of the set-up cell for ``version`` (default: the book's own)."""
    return SETUP_SOURCE.format(
        version=version or book_version(), extras=EXTRAS, repository=REPOSITORY
    )


def normalise(nb: nbformat.NotebookNode, *, version: str | None = None) -> nbformat.NotebookNode:
    """Insert or refresh the set-up cell and set JupyterLab's hidden/collapsed metadata.

    Idempotent: normalising twice gives the same notebook.
    """
    cells = [c for c in nb.cells if SETUP_TAG not in c.metadata.get("tags", [])]
    setup = nbformat.v4.new_code_cell(
        setup_source(version), metadata={"tags": [SETUP_TAG, "remove-cell"]}
    )
    setup.pop("id", None)
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    cells.insert(first_code, setup)
    for cell in cells:
        tags = cell.metadata.get("tags", [])
        jupyter = dict(cell.metadata.get("jupyter", {}))
        for key in HIDDEN_IN_LAB:
            jupyter.pop(key, None)
        if SETUP_TAG in tags:
            jupyter["source_hidden"] = True  # folded; its output (pip, if it installs) shows
        elif "remove-cell" in tags or "solution" in tags:
            jupyter["source_hidden"] = True
            if cell.cell_type == "code":
                jupyter["outputs_hidden"] = True
        if jupyter:
            cell.metadata["jupyter"] = jupyter
        else:
            cell.metadata.pop("jupyter", None)
    nb.cells = cells
    if nb.nbformat_minor >= 5:  # cell ids: one that is the same from run to run
        setup["id"] = SETUP_TAG
    return nb


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop widget state and anything that changes from run to run without meaning."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    return nb


def coalesce_streams(outputs: list) -> list:
    """Merge consecutive stream outputs of the same name (stdout, stderr) into one.

    How the kernel cuts what a cell prints into messages depends on timing (a flush between
    two prints), not on the text; merged, the same text gives the same outputs every run.
    """
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def execute(path: Path, *, timeout: int = 600) -> tuple[nbformat.NotebookNode, float]:
    """Run one notebook top to bottom in its own folder; return it cleaned and the seconds."""
    nb = normalise(nbformat.read(path, as_version=4))
    os.environ["COURSE_STRICT_CLAIMS"] = "1"  # the kernel inherits it: a failed claim stops the run
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    return clean(nb), time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument(
        "--normalise-only",
        action="store_true",
        help="only insert the set-up cell and set the JupyterLab metadata; do not execute",
    )
    args = parser.parse_args(argv)
    for path in args.notebooks:
        if args.normalise_only:
            nbformat.write(normalise(nbformat.read(path, as_version=4)), path)
            print(f"{path}: normalised")
            continue
        nb, seconds = execute(path, timeout=args.timeout)
        # The instructor guide reads this to tell teachers how long a chapter takes to run.
        nb.metadata.setdefault("course", {})["execution_seconds"] = round(seconds, 1)
        nbformat.write(nb, path)
        print(f"{path}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
