"""Two commands around `make nbval` (the Makefile and .ci/run call them).

``python tests/nbval_tools.py rendered-config _config.yml _build/config/_config.yml``
    Writes the book's configuration for the build inside ``make test``: the same as
    ``_config.yml``, except that the chapters (``chapters/*``) are excluded from execution, so
    the build renders the stored outputs that nbval has just proven equal to a fresh run. The
    instructor guide, which stores no outputs, is still executed; ``make book`` keeps executing
    everything (``execute_notebooks: cache``). Jupyter Book resolves ``local_extensions``
    against the configuration file's folder, so their paths are written out in full.

``python tests/nbval_tools.py other-cpu -- COMMAND ...``
    Runs ``COMMAND`` (``make nbval-other-cpu``: nbval) as if on another CPU: with torch's and
    NumPy's widest vector code paths switched off. On a CPU with AVX-512, that is the setting
    of issue 21, ``ATEN_CPU_CAPABILITY=avx2`` and ``NPY_DISABLE_CPU_FEATURES`` naming the
    AVX-512 features NumPy found; on a CPU without AVX-512 (where that setting would change
    nothing), torch's scalar kernels (``ATEN_CPU_CAPABILITY=default``) and NumPy without AVX2.
    Only features this CPU has are named, and torch is never asked for a capability above the
    CPU's (it would believe the variable and crash on an illegal instruction).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: NumPy's names for the AVX-512 groups (issue 21's list).
AVX512 = (
    "AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR"
).split()
#: Switched off on a CPU without AVX-512, so NumPy takes its SSE/AVX paths.
AVX2 = ["AVX2", "FMA3"]
CPU_VARIABLES = ("ATEN_CPU_CAPABILITY", "NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES")
#: Executing the chapters is for nbval; the book build in `make test` renders what it stored.
RENDERED_EXCLUDE = "chapters/*"


def rendered_config(source: Path, target: Path) -> dict:
    """Write ``source`` (a Jupyter Book ``_config.yml``) to ``target`` with chapters not executed."""
    import yaml

    source = Path(source).resolve()
    config = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    execute = config.setdefault("execute", {}) or {}
    config["execute"] = execute
    patterns = list(execute.get("exclude_patterns") or [])
    if RENDERED_EXCLUDE not in patterns:
        patterns.append(RENDERED_EXCLUDE)
    execute["exclude_patterns"] = patterns
    extensions = (config.get("sphinx") or {}).get("local_extensions") or {}
    for name, path in extensions.items():
        extensions[name] = (source.parent / path).resolve().as_posix()
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    header = (
        f"# Generated from {source.name} by tests/nbval_tools.py for `make test`'s build: "
        f"chapters render their stored outputs (validated by nbval). Do not edit.\n"
    )
    target.write_text(
        header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return config


def other_cpu_env(capability: str, numpy_features: dict[str, bool] | set[str]) -> dict[str, str]:
    """The variables that switch off the widest vector paths of this CPU.

    ``capability`` is torch's (``torch.backends.cpu.get_cpu_capability()``, with
    ``ATEN_CPU_CAPABILITY`` unset); ``numpy_features`` the features NumPy found.

    >>> other_cpu_env("AVX512", {"AVX2", "AVX512F", "AVX512CD", "AVX512_SKX"})
    {'ATEN_CPU_CAPABILITY': 'avx2', 'NPY_DISABLE_CPU_FEATURES': 'AVX512F AVX512CD AVX512_SKX'}
    >>> other_cpu_env("AVX2", {"AVX", "AVX2", "FMA3"})
    {'ATEN_CPU_CAPABILITY': 'default', 'NPY_DISABLE_CPU_FEATURES': 'AVX2 FMA3'}
    >>> other_cpu_env("DEFAULT", set())
    {'ATEN_CPU_CAPABILITY': 'default'}
    """
    if isinstance(numpy_features, dict):
        found = {name for name, present in numpy_features.items() if present}
    else:
        found = set(numpy_features)
    wide = capability.upper().startswith("AVX512") or bool(found & set(AVX512))
    env = {"ATEN_CPU_CAPABILITY": "avx2" if wide else "default"}
    off = [name for name in (AVX512 if wide else AVX2) if name in found]
    if off:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(off)
    return env


def _this_cpu() -> tuple[str, dict[str, bool]]:
    """torch's capability and NumPy's features with none of the variables set (a clean child)."""
    import json
    import subprocess

    code = (
        "import json, numpy, torch\n"
        "try:\n    from numpy._core._multiarray_umath import __cpu_features__ as f\n"
        "except ImportError:\n    from numpy.core._multiarray_umath import __cpu_features__ as f\n"
        "print(json.dumps([torch.backends.cpu.get_cpu_capability(), f]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in CPU_VARIABLES}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    capability, features = json.loads(out.stdout.strip().splitlines()[-1])
    return capability, features


def main(argv: list[str]) -> int:
    if argv[:1] == ["rendered-config"] and len(argv) == 3:
        rendered_config(Path(argv[1]), Path(argv[2]))
        print(f"{argv[2]}: {argv[1]} with {RENDERED_EXCLUDE} rendered from stored outputs")
        return 0
    if argv[:1] == ["other-cpu"] and len(argv) > 2 and argv[1] == "--":
        capability, features = _this_cpu()
        env = other_cpu_env(capability, features)
        shown = " ".join(f"{k}={v!r}" for k, v in env.items())
        print(f"other-cpu: this CPU's torch capability is {capability}; running with {shown}")
        sys.stdout.flush()
        clean = {k: v for k, v in os.environ.items() if k not in CPU_VARIABLES}
        command = argv[2:]
        os.execvpe(command[0], command, clean | env)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
