"""Budget for `make claims` (issue 12): every chapter under 3 drawn seeds, at most 15 min.

Prints:
  BENCH claims.seconds    wall time of tools/run_claims.py over every chapter (2 in parallel)
  BENCH claims.runs       chapter x seed runs executed (and all passed, or this exits 1)

Runs the same command as `make claims`; CLAIM_SEEDS overrides the seeds as there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.4g} {unit}", flush=True)


def main() -> int:
    env = os.environ | {"TQDM_DISABLE": "1", "PYTHONHASHSEED": "0"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "run_claims.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stdout + done.stderr, file=sys.stderr)
        return 1
    bench("claims.seconds", seconds, "s")
    bench("claims.runs", done.stdout.count("  ok  "), "runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
