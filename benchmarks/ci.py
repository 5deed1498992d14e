"""CI's budget (issue 21): `bash .ci/run` on a fresh clone of HEAD, stage by stage.

Prints, for a fresh clone with the package cache warm:
  BENCH ci.install.seconds                  `make install` (the venv and the pinned stack)
  BENCH ci.<target>.seconds                 each target of `make test`, in its order
  BENCH ci.nbval-other-cpu.seconds          the second nbval, as on another CPU
  BENCH ci.make_test_fresh_clone.seconds    `make test` itself (install excluded)
  BENCH ci.run_fresh_clone.seconds          all of `.ci/run`: install, make test, other-cpu

Budget: `.ci/run` well under 60 minutes (CI's limit is 90). The stages run one after another
exactly as `make test` chains them (CLAIM_SEEDS as `.ci/run` sets it), so a red stage stops
the benchmark with its exit status. Takes as long as CI: about 45 minutes on 2 cores.
`BENCH_CI_KEEP=DIR` clones into DIR (kept afterwards, for inspection) instead of a temporary
folder.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.1f} {unit}", flush=True)


def test_targets() -> list[str]:
    """The prerequisites of `make test` after the install stamp, in the Makefile's order."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^test:([^#\n]*)", makefile, flags=re.MULTILINE)
    if found is None:
        raise SystemExit("benchmarks/ci.py: the Makefile has no `test:` target")
    return [t for t in found.group(1).split() if not t.startswith("$(")]


def claim_seeds() -> str:
    """The seeds `.ci/run` exports for `make claims`."""
    found = re.search(r"CLAIM_SEEDS:-([0-9,]+)", (ROOT / ".ci" / "run").read_text("utf-8"))
    return os.environ.get("CLAIM_SEEDS") or (found.group(1) if found else "")


def main() -> int:
    keep = os.environ.get("BENCH_CI_KEEP")
    with tempfile.TemporaryDirectory(prefix="ci-bench-") as tmp:
        clone = Path(keep) if keep else Path(tmp) / "course"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        drop = {"VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env |= {"CI": "true", "CLAIM_SEEDS": claim_seeds()}

        def stage(target: str) -> float:
            start = time.perf_counter()
            done = subprocess.run(["make", target], cwd=clone, env=env)
            seconds = time.perf_counter() - start
            bench(f"ci.{target}.seconds", seconds, "s")
            if done.returncode:
                print(f"benchmarks/ci.py: `make {target}` failed ({done.returncode})", flush=True)
                raise SystemExit(done.returncode)
            return seconds

        install = stage("install")
        tested = sum(stage(target) for target in test_targets())
        other = stage("nbval-other-cpu")
        bench("ci.make_test_fresh_clone.seconds", tested, "s")
        bench("ci.run_fresh_clone.seconds", install + tested + other, "s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
