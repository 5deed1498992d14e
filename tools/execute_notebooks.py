"""Execute chapter notebooks in place and store clean outputs (`make notebooks`).

Clean means: no widget state (the book and GitHub show the quizzes' HTML instead), no
per-cell timing metadata, no widget-view outputs with random model ids. What is left is what
`pytest --nbval` compares against a fresh run.

Usage: python tools/execute_notebooks.py chapters/01_rnn_metrics.ipynb [...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop widget state and anything that changes from run to run without meaning."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    return nb


def execute(path: Path, *, timeout: int = 600) -> tuple[nbformat.NotebookNode, float]:
    """Run one notebook top to bottom in its own folder; return it cleaned and the seconds."""
    nb = nbformat.read(path, as_version=4)
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
    args = parser.parse_args(argv)
    for path in args.notebooks:
        nb, seconds = execute(path, timeout=args.timeout)
        # The instructor guide reads this to tell teachers how long a chapter takes to run.
        nb.metadata.setdefault("course", {})["execution_seconds"] = round(seconds, 1)
        nbformat.write(nb, path)
        print(f"{path}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
