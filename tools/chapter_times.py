"""Print each chapter's execution seconds (`make times`).

`make test` executes the chapters once, under nbval (`make nbval`; tests/nbval_plugin.py writes
`_build/nbval_seconds.json`), and its book build renders the stored outputs. `make book`
executes them through jupyter-cache (`execute_notebooks: cache`), which stores the execution
time of each notebook in `_build/.jupyter_cache`. Both are printed when present.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

NBVAL = Path("_build/nbval_seconds.json")
CACHE = Path("_build/.jupyter_cache")


def _print(title: str, rows: list[tuple[str, float]], note: str = "") -> None:
    print(title)
    total = 0.0
    for name, seconds in rows:
        total += seconds
        print(f"  {name:<40} {seconds:6.1f} s")
    print(f"  {'total':<40} {total:6.1f} s{note}")


def main() -> int:
    shown = False
    if NBVAL.is_file():
        record = json.loads(NBVAL.read_text(encoding="utf-8"))
        rows = sorted(
            (Path(path).name, float(entry["seconds"]))
            for path, entry in record.get("notebooks", {}).items()
        )
        if rows:
            wall = record.get("wall_seconds")
            note = f"  (wall {wall:.1f} s, 2 workers)" if isinstance(wall, int | float) else ""
            _print(
                "Chapter execution seconds (last make nbval, kernel start included):", rows, note
            )
            shown = True
    if CACHE.exists():
        from jupyter_cache import get_cache

        records = get_cache(CACHE).list_cache_records()
        rows = sorted(
            (Path(r.uri).name, float(r.data.get("execution_seconds") or 0.0)) for r in records
        )
        if rows:
            _print("Notebook execution seconds (last build that executed them):", rows)
            shown = True
    if not shown:
        print("No execution times yet: run `make nbval` or `make book` first.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
