"""Book budgets (issue: the book's spine), measured on a fresh clone of HEAD.

Prints:
  BENCH book.make_book_fresh_clone.seconds   `make book` in a fresh clone (package cache warm)
  BENCH book.rebuild_unchanged.seconds       a second `make book` with nothing changed
  BENCH book.execution.seconds               all chapters' execution time in that build
  BENCH book.chapter.<stem>.seconds          each chapter's execution time

Budgets: under 300 s, under 30 s, under 120 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed_make(target: str, cwd: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS"}}
    start = time.perf_counter()
    subprocess.run(["make", target], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def chapter_seconds(clone: Path) -> dict[str, float]:
    from jupyter_cache import get_cache

    records = get_cache(clone / "_build" / ".jupyter_cache").list_cache_records()
    return {Path(r.uri).stem: float(r.data.get("execution_seconds") or 0.0) for r in records}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        clone = Path(tmp) / "course"
        subprocess.run(
            ["git", "clone", "--quiet", str(ROOT), str(clone)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        fresh = timed_make("book", clone)
        rebuild = timed_make("book", clone)
        chapters = chapter_seconds(clone)
    print(f"BENCH book.make_book_fresh_clone.seconds {fresh:.1f} s")
    print(f"BENCH book.rebuild_unchanged.seconds {rebuild:.1f} s")
    print(f"BENCH book.execution.seconds {sum(chapters.values()):.1f} s")
    for stem, seconds in sorted(chapters.items()):
        print(f"BENCH book.chapter.{stem}.seconds {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
