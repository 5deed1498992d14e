"""How often does each claim hold? Run chapters under many values of COURSE_SEED and report
each claim cell's failure share, with its interval.

A claim about a random outcome can fail for some seeds even when the effect is real. This
tool measures it: each chapter runs once per seed (20 fresh seeds by default, drawn as
``make claims`` draws them, see ``tools/run_claims.py``), in a fresh kernel on a temporary
copy, with claims strict (``COURSE_STRICT_CLAIMS=1``) and every cell run even after one
fails. A *claim cell* is a code cell that calls ``claim(...)`` or holds an ``assert``.
For each one it counts the runs where it

- **failed**: raised ``ClaimError`` or ``AssertionError`` (the claim did not hold);
- **errored**: raised anything else (often because an earlier cell failed).

and reports the failure share with a 95% Clopper-Pearson interval
(:func:`course_utils.metrics.proportion_ci`), worst first. Keep as claims only statements
that hold at essentially every seed; state the rest as rates ("the GRU learned the task in
k of n runs").

Usage::

    python tools/claim_rates.py                           # every chapter, 20 drawn seeds
    python tools/claim_rates.py chapters/03_gru_metrics.ipynb --runs 40
    python tools/claim_rates.py --seeds 1000,2000 --json _build/claim_rates.json
    python tools/claim_rates.py --fail-above 0.05         # exit 1 if a claim fails > 5%

This runs each chapter N times: minutes per chapter and seed. Exit status 0 when done
(1 with ``--fail-above`` and a claim cell above it), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run_claims  # the shared machinery of `make claims` (tools/run_claims.py)

DEFAULT_RUNS = 20
CLAIM_ERRORS = {"AssertionError", "ClaimError"}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ----------------------------------------------------------------- claim cells


def _is_claim_code(source: str) -> bool:
    """Whether code asserts something: an ``assert`` or a call of ``claim``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics and the like: fall back to the words
        return bool(re.search(r"^\s*assert\b|\bclaim\(", source, re.MULTILINE))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name == "claim":
                return True
    return False


def _label(source: str) -> str:
    """A short, stable name for a claim cell: its first claim statement or assert line."""
    found = re.search(r"\bclaim\([^\n]*?,\s*(['\"])(.+?)\1", source)
    if found:
        return found.group(2)
    for line in source.splitlines():
        if line.strip().startswith("assert"):
            return line.strip()[:100]
    return source.strip().splitlines()[0][:100] if source.strip() else "(empty)"


def claim_cells(nb) -> dict[int, str]:
    """``{cell index: label}`` of a notebook's claim cells (cells allowed to raise excluded)."""
    cells = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "raises-exception" in cell.metadata.get("tags", []):
            continue
        if _is_claim_code(cell.source):
            cells[index] = _label(cell.source)
    return cells


def _error_of(cell) -> tuple[str, str] | None:
    """``(ename, evalue)`` of a cell's error output, or None."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output.get("ename", "Error"), _ANSI.sub("", output.get("evalue", ""))
    return None


# ---------------------------------------------------------------------- one run


@dataclass
class Run:
    """The outcome of every claim cell in one chapter under one seed."""

    chapter: str
    seed: int
    seconds: float
    outcomes: dict = field(default_factory=dict)  # cell index -> "ok"/"failed"/"errored"
    messages: dict = field(default_factory=dict)  # cell index -> "Ename: message"
    other_errors: list = field(default_factory=list)  # non-claim cells that raised
    stopped: str | None = None  # a timeout or dead kernel ended the run early


def read_run(chapter: str, seed: int, nb, error, seconds: float) -> Run:
    """Classify each claim cell of an executed notebook."""
    run = Run(chapter, seed, seconds)
    if error is not None:
        run.stopped = f"{type(error).__name__}: {str(error).strip().splitlines()[-1][:200]}"
    claims = claim_cells(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "raises-exception" in cell.metadata.get("tags", []):
            continue
        raised = _error_of(cell)
        if index in claims:
            ran = cell.get("execution_count") is not None or raised is not None
            if raised is None:
                run.outcomes[index] = "ok" if ran else "not run"
            else:
                ename, evalue = raised
                run.outcomes[index] = "failed" if ename in CLAIM_ERRORS else "errored"
                run.messages[index] = f"{ename}: {evalue}"[:300]
        elif raised is not None:
            run.other_errors.append((index, f"{raised[0]}: {raised[1]}"[:300]))
    return run


def run_chapter(chapter: str, seed: int, timeout: int) -> Run:
    """Run ``chapter`` under ``seed`` with every cell executed (a worker's job)."""
    nb, error, seconds = run_claims.execute(chapter, seed, timeout, allow_errors=True)
    return read_run(chapter, seed, nb, error, seconds)


# ---------------------------------------------------------------------- summary


def summarise(runs: list[Run], labels: dict[str, dict[int, str]]) -> list[dict]:
    """One row per chapter and claim cell: counts, failure share and its interval."""
    from course_utils.metrics import proportion_ci

    rows = []
    for chapter, cells in labels.items():
        chapter_runs = [r for r in runs if r.chapter == chapter]
        for index, label in cells.items():
            outcomes = [r.outcomes.get(index, "not run") for r in chapter_runs]
            n = len(outcomes)
            failed = outcomes.count("failed")
            errored = outcomes.count("errored")
            low, high = proportion_ci(failed, n, method="clopper-pearson") if n else (0.0, 1.0)
            messages: dict[str, int] = {}
            for r in chapter_runs:
                if index in r.messages:
                    key = r.messages[index].splitlines()[0][:160]
                    messages[key] = messages.get(key, 0) + 1
            rows.append(
                {
                    "chapter": chapter,
                    "cell": index,
                    "claim": label,
                    "runs": n,
                    "failed": failed,
                    "errored": errored,
                    "not_run": outcomes.count("not run"),
                    "failure_share": failed / n if n else 0.0,
                    "low": low,
                    "high": high,
                    "failed_seeds": [
                        r.seed for r in chapter_runs if r.outcomes.get(index) == "failed"
                    ],
                    "messages": messages,
                }
            )
    rows.sort(key=lambda row: (-row["failure_share"], -row["errored"], row["chapter"], row["cell"]))
    return rows


def report(rows: list[dict], runs: list[Run]) -> str:
    """The table a person reads: worst claims first."""
    lines = []
    for row in rows:
        share = f"{row['failed']}/{row['runs']}"
        interval = f"{100 * row['low']:.0f}-{100 * row['high']:.0f}%"
        extra = f", {row['errored']} errored" if row["errored"] else ""
        extra += f", {row['not_run']} not run" if row["not_run"] else ""
        lines.append(
            f"{row['chapter']}  cell {row['cell']:>3}  failed {share:>6} "
            f"({100 * row['failure_share']:.0f}%, 95% CI {interval}){extra}  {row['claim']}"
        )
        for message, count in sorted(row["messages"].items(), key=lambda kv: -kv[1]):
            lines.append(f"      {count} x {message}")
        if row["failed_seeds"]:
            seeds = ",".join(map(str, row["failed_seeds"]))
            lines.append(f"      failed with COURSE_SEED={seeds}")
    for run in runs:
        for index, message in run.other_errors:
            lines.append(
                f"{run.chapter}  COURSE_SEED={run.seed}: cell {index} (not a claim) raised "
                f"{message}"
            )
        if run.stopped:
            lines.append(f"{run.chapter}  COURSE_SEED={run.seed}: stopped early, {run.stopped}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("notebooks", nargs="*", help="default: chapters/[0-9]*.ipynb")
    parser.add_argument("--seeds", default=None, help="comma-separated COURSE_SEED values")
    parser.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, help=f"seeds to draw (default {DEFAULT_RUNS})"
    )
    parser.add_argument("--jobs", type=int, default=2, help="runs in parallel (default 2)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    parser.add_argument(
        "--fail-above",
        type=float,
        default=None,
        help="exit 1 if a claim cell's failure share is above this (e.g. 0.05)",
    )
    args = parser.parse_args(argv)
    try:
        seeds, drawn = run_claims.choose_seeds(args.seeds, args.runs)
        chapters = run_claims._chapters(args.notebooks)
        if args.jobs < 1:
            raise ValueError(f"Expected --jobs to be at least 1, but got {args.jobs}.")
        if args.fail_above is not None and not 0 <= args.fail_above < 1:
            raise ValueError(f"Expected --fail-above in [0, 1), but got {args.fail_above}.")
    except ValueError as error:
        print(f"claim_rates: {error}", file=sys.stderr)
        return 2

    import nbformat

    labels = {c: claim_cells(nbformat.read(c, as_version=4)) for c in chapters}
    command = "python tools/claim_rates.py " + " ".join(chapters)
    print(run_claims.seeds_line(seeds, drawn, command=command).replace("CLAIM_SEEDS=", "--seeds "))
    start = time.perf_counter()
    jobs = sorted(
        ((c, s) for c in chapters for s in seeds), key=lambda j: -run_claims._stored_seconds(j[0])
    )
    runs = []
    with ProcessPoolExecutor(max_workers=min(args.jobs, len(jobs))) as pool:
        futures = [pool.submit(run_chapter, c, s, args.timeout) for c, s in jobs]
        for future in as_completed(futures):
            run = future.result()
            runs.append(run)
            n_failed = sum(o == "failed" for o in run.outcomes.values())
            print(
                f"{run.chapter}  COURSE_SEED={run.seed}  {n_failed} of {len(run.outcomes)} "
                f"claim cells failed  {run.seconds:.1f} s",
                flush=True,
            )
    runs.sort(key=lambda r: (r.chapter, r.seed))
    rows = summarise(runs, labels)
    print()
    print(report(rows, runs))
    n_cells = sum(len(cells) for cells in labels.values())
    always = sum(row["failed"] == 0 and row["errored"] == 0 for row in rows)
    print(
        f"\nclaim_rates: {always}/{n_cells} claim cells held in every run "
        f"({len(chapters)} chapters x {len(seeds)} seeds) in {time.perf_counter() - start:.1f} s"
    )
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"seeds": seeds, "chapters": chapters, "rows": rows}
        args.json.write_text(json.dumps(payload, indent=1), encoding="utf-8")
        print(f"rows written to {os.path.relpath(args.json)}")
    if args.fail_above is not None and any(r["failure_share"] > args.fail_above for r in rows):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
