"""Print each chapter's execution seconds, as recorded by the last book build.

myst-nb executes chapters through jupyter-cache (`execute_notebooks: cache`) and stores the
execution time of each notebook in `_build/.jupyter_cache`.
"""

from __future__ import annotations

import sys
from pathlib import Path

CACHE = Path("_build/.jupyter_cache")


def main() -> int:
    if not CACHE.exists():
        print("No execution cache yet: run `make book` first.")
        return 0
    from jupyter_cache import get_cache

    records = get_cache(CACHE).list_cache_records()
    rows = sorted((Path(r.uri).name, r.data.get("execution_seconds")) for r in records)
    if not rows:
        print("The execution cache is empty.")
        return 0
    print("Chapter execution seconds (last build):")
    total = 0.0
    for name, seconds in rows:
        seconds = float(seconds or 0.0)
        total += seconds
        print(f"  {name:<40} {seconds:6.1f} s")
    print(f"  {'total':<40} {total:6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
