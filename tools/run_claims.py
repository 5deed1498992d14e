"""Re-execute chapters under other global seeds and fail if any claim breaks (`make claims`).

Every chapter starts with ``SEED = seed_everything(0)`` and derives its training seeds from
``SEED``; the environment variable ``COURSE_SEED`` replaces that 0. This script runs each
chapter once per seed in a fresh kernel, on a temporary copy (the stored notebook and its
outputs are never touched), and fails if any cell raises: a hidden claim cell whose
``assert`` no longer holds, or anything else. Cells tagged ``raises-exception`` may raise.
Outputs are not compared (that is ``make nbval``'s job); only execution matters.

Seeds are drawn anew on every run (3 by default), so no claim is tuned to a fixed set; they
are printed first, with the line that reruns exactly those seeds. Drawn seeds are multiples
of 1000 (from 1000 to 999000), so the seeds a chapter derives from them (``SEED + k``) never
overlap between two drawn values, and 0 (the stored run) is never drawn.

Usage::

    python tools/run_claims.py                       # chapters/[0-9]*.ipynb, 3 drawn seeds
    python tools/run_claims.py --runs 6              # 6 drawn seeds
    python tools/run_claims.py chapters/03_gru_metrics.ipynb --seeds 1,4
    CLAIM_SEEDS=5,6 python tools/run_claims.py       # fixed seeds from the environment

Prints the seeds, one line per chapter and seed with its seconds, then a summary. Exit
status 0 when every run passed, 1 when any failed (each failure names the chapter, the seed,
the cell index and the error), 2 for a usage error. A failed run's executed copy is kept under
``_build/claims/`` for inspection.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RUNS = 3  # drawn seeds per chapter when none are given
SEED_SPACING = 1000  # drawn seeds are multiples of this: SEED + k never collides
FAILED_COPIES = ROOT / "_build" / "claims"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ARROW = re.compile(r"^-+>\s*\d+\s")  # IPython marks the raising line "---> 13 ..."


@dataclass(frozen=True)
class Result:
    """What one chapter did under one seed."""

    chapter: str
    seed: int
    seconds: float
    error: str | None = None  # None: every cell ran

    def line(self) -> str:
        status = "ok" if self.error is None else "FAILED"
        return f"{self.chapter}  COURSE_SEED={self.seed}  {status}  {self.seconds:.1f} s"


def parse_seeds(text: str) -> list[int]:
    """``"1,2, 3"`` -> ``[1, 2, 3]``; raises ValueError naming the bad entry."""
    seeds = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit():
            raise ValueError(
                f"Expected seeds as comma-separated non-negative ints (e.g. 1,2,3), but got "
                f"{part!r} in {text!r}."
            )
        seeds.append(int(part))
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"Expected distinct seeds, but got {text!r}.")
    return seeds


def draw_seeds(count: int, *, rng=None) -> list[int]:
    """``count`` distinct fresh seeds, multiples of 1000 in ``[1000, 999000]``, sorted.

    ``rng`` defaults to the operating system's randomness (``secrets.SystemRandom``): no
    seed of ours decides which seeds check the claims.
    """
    if not 1 <= count <= 999:
        raise ValueError(f"Expected between 1 and 999 seeds to draw, but got {count}.")
    rng = rng or secrets.SystemRandom()
    return sorted(SEED_SPACING * k for k in rng.sample(range(1, 1000), count))


def choose_seeds(given: str | None, runs: int) -> tuple[list[int], bool]:
    """The seeds to use, and whether they were drawn: ``given`` ("1,2,3") when set."""
    if given:
        return parse_seeds(given), False
    return draw_seeds(runs), True


def seeds_line(seeds: list[int], drawn: bool, *, command: str = "make claims") -> str:
    """The first line a run prints: its seeds, and how to rerun exactly them."""
    text = ",".join(map(str, seeds))
    how = "drawn for this run" if drawn else "given"
    return f"COURSE_SEED values ({how}): {text}  (rerun: CLAIM_SEEDS={text} {command})"


def _failing_cell(nb) -> tuple[int, dict] | None:
    """Index and error output of the first code cell that raised without being allowed to."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "raises-exception" in cell.metadata.get("tags", []):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index, output
    return None


def _describe(nb, error) -> str:
    """One paragraph: cell index, error type and message, and the line that raised."""
    found = _failing_cell(nb)
    index, output = found if found else ("?", {})
    ename = output.get("ename", getattr(error, "ename", type(error).__name__))
    evalue = output.get("evalue", getattr(error, "evalue", str(error)))
    frames = [_ANSI.sub("", frame) for frame in output.get("traceback", [])]
    arrows = [line.strip() for frame in frames for line in frame.splitlines() if _ARROW.match(line)]
    where = f"\n      at: {arrows[-1]}" if arrows else ""
    message = f": {evalue}" if evalue else ""
    return f"cell {index}: {ename}{message}{where}"


def execute(chapter: str, seed: int, timeout: int, *, allow_errors: bool = False):
    """Execute ``chapter`` with ``COURSE_SEED=seed`` (claims strict) on a temporary copy, in a
    fresh kernel. Returns ``(executed notebook, error or None, seconds)``.

    With ``allow_errors`` every cell runs even after one raises (each error stays in its
    cell's outputs); a timeout or a dead kernel still stops the run.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    # The kernel inherits this process's environment (one worker process per run).
    os.environ.update(
        {
            "COURSE_SEED": str(seed),
            "TQDM_DISABLE": "1",
            "PYTHONHASHSEED": "0",
            "COURSE_STRICT_CLAIMS": "1",
        }
    )
    path = Path(chapter)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:  # no stored output may pass for this run's
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    start = time.perf_counter()
    error = None
    with tempfile.TemporaryDirectory(prefix="claims-") as folder:
        copy = Path(folder) / path.name
        nbformat.write(nb, copy)  # the run works on (and may write next to) this copy only
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": folder}},
            record_timing=False,
            allow_errors=allow_errors,
        )
        try:
            client.execute()
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as raised:
            error = raised
    return nb, error, time.perf_counter() - start


def run_one(chapter: str, seed: int, timeout: int) -> Result:
    """Execute ``chapter`` with ``COURSE_SEED=seed``; a failed run's copy is kept."""
    import nbformat

    nb, error, seconds = execute(chapter, seed, timeout)
    if error is None:
        return Result(chapter, seed, seconds)
    FAILED_COPIES.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, FAILED_COPIES / f"{Path(chapter).stem}-seed{seed}.ipynb")
    return Result(chapter, seed, seconds, _describe(nb, error))


def _stored_seconds(chapter: str) -> float:
    """How long the chapter took when its outputs were stored (0 if unknown)."""
    import json

    try:
        with open(chapter, encoding="utf-8") as handle:
            metadata = json.load(handle).get("metadata", {})
        return float(metadata.get("course", {}).get("execution_seconds", 0.0))
    except (OSError, ValueError, TypeError, AttributeError):
        return 0.0


def _chapters(given: list[str]) -> list[str]:
    found = sorted(ROOT.glob("chapters/[0-9]*.ipynb"))
    paths = [os.path.relpath(p) for p in (given or found)]
    missing = [p for p in paths if not Path(p).is_file()]
    if missing:
        raise ValueError(f"No such notebook: {', '.join(missing)}.")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("notebooks", nargs="*", help="default: chapters/[0-9]*.ipynb")
    parser.add_argument(
        "--seeds",
        default=os.environ.get("CLAIM_SEEDS") or None,
        help="comma-separated COURSE_SEED values (default: $CLAIM_SEEDS, else drawn anew)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=DEFAULT_RUNS,
        help=f"how many seeds to draw when none are given (default {DEFAULT_RUNS})",
    )
    parser.add_argument("--jobs", type=int, default=2, help="runs in parallel (default 2)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    try:
        seeds, drawn = choose_seeds(args.seeds, args.runs)
        chapters = _chapters(args.notebooks)
        if args.jobs < 1:
            raise ValueError(f"Expected --jobs to be at least 1, but got {args.jobs}.")
    except ValueError as error:
        print(f"run_claims: {error}", file=sys.stderr)
        return 2

    print(seeds_line(seeds, drawn), flush=True)
    start = time.perf_counter()
    # Longest chapters first (their last stored run time), so two workers finish together.
    runs = sorted(
        ((chapter, seed) for chapter in chapters for seed in seeds),
        key=lambda run: -_stored_seconds(run[0]),
    )
    results = []
    with ProcessPoolExecutor(max_workers=min(args.jobs, len(runs))) as pool:
        futures = [pool.submit(run_one, chapter, seed, args.timeout) for chapter, seed in runs]
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            print(result.line(), flush=True)

    failed = sorted((r for r in results if r.error), key=lambda r: (r.chapter, r.seed))
    for result in failed:
        print(f"\nFAILED {result.chapter} with COURSE_SEED={result.seed}, {result.error}")
    wall = time.perf_counter() - start
    print(
        f"\nclaims: {len(results) - len(failed)}/{len(results)} runs passed "
        f"({len(chapters)} chapters x seeds {','.join(map(str, seeds))}) in {wall:.1f} s"
    )
    if failed:
        print(f"Executed copies of the failed runs are in {os.path.relpath(FAILED_COPIES)}/.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
