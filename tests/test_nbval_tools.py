"""The book is executed once per check, and CI's second nbval runs on this CPU's other paths.

- `make test` runs nbval (one execution of each chapter), the claims (one per seed) and a book
  build that renders the stored outputs (tests/nbval_tools.py `rendered-config`): checked on
  the commands `make -n` prints and on the configuration myst-nb receives.
- `make check` is lint plus the unit tests not marked slow.
- `.ci/run` runs nbval a second time with the widest vector paths off; the variables it sets
  are accepted by NumPy and torch on this machine (no warning, no crash).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from nbval_tools import AVX512, RENDERED_EXCLUDE, other_cpu_env, rendered_config

ROOT = Path(__file__).resolve().parents[1]
ISSUE_AVX512 = (
    "AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR"
)


def make_commands(target: str) -> list[str]:
    """The shell commands `make -n TARGET` would run (recipes of up-to-date stamps left out)."""
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    run = subprocess.run(
        ["make", "-n", "--no-print-directory", target],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line.strip() for line in run.stdout.splitlines() if line.strip()]


def test_make_test_executes_each_chapter_once_for_nbval_and_renders_the_build():
    commands = make_commands("test")
    nbval = [c for c in commands if "--nbval" in c]
    builds = [c for c in commands if "jupyter-book build" in c]
    assert len(nbval) == 1 and "-p tests.nbval_plugin" in nbval[0], nbval
    assert "--nbval-seconds-json _build/nbval_seconds.json" in nbval[0]
    assert len([c for c in commands if "tools/run_claims.py" in c]) == 1
    assert len(builds) == 1, builds
    assert "--config _build/config/_config.yml" in builds[0], builds
    (generate,) = [c for c in commands if "rendered-config" in c]
    assert commands.index(generate) < commands.index(builds[0])
    # In order: the stored outputs are proven equal to a fresh run before the build shows them.
    assert commands.index(nbval[0]) < commands.index(builds[0])
    assert "tools/execute_notebooks.py" not in "\n".join(commands)
    assert any("COURSE_STRICT_CLAIMS=1" in c and "--nbval" in c for c in commands)


def test_make_book_still_executes():
    (build,) = [c for c in make_commands("book") if "jupyter-book build" in c]
    assert "--config" not in build  # _config.yml itself: execute_notebooks: cache


def test_make_check_is_lint_and_the_fast_unit_tests():
    commands = make_commands("check")
    text = "\n".join(commands)
    assert "ruff check ." in text and "ruff format --check ." in text and "eslint" in text
    (unit,) = [c for c in commands if "pytest" in c]
    words = shlex.split(unit)
    assert words[words.index("-m") + 1] == "not slow", unit
    assert "--doctest-modules" in words and "--ignore=tests/browser" in words
    assert "--nbval" not in text and "jupyter-book" not in text and "run_claims" not in text


def test_ci_runs_make_test_then_nbval_on_the_other_cpu_paths():
    lines = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines()]
    commands = [ln for ln in lines if ln.startswith("make ")]
    assert commands == ["make test", "make nbval-other-cpu"]
    (other,) = [c for c in make_commands("nbval-other-cpu") if "--nbval" in c]
    assert "tests/nbval_tools.py other-cpu --" in other and "-p tests.nbval_plugin" in other


# ---- the rendered configuration --------------------------------------------------------------


def test_rendered_config_differs_from_the_book_only_in_what_it_must(tmp_path):
    target = tmp_path / "config" / "_config.yml"
    rendered_config(ROOT / "_config.yml", target)
    book = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    rendered = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert target.read_text().startswith("# Generated from _config.yml")
    assert rendered["execute"]["exclude_patterns"] == [
        *book["execute"].get("exclude_patterns", []),
        RENDERED_EXCLUDE,
    ]
    assert rendered["execute"]["execute_notebooks"] == book["execute"]["execute_notebooks"]
    for name, path in rendered["sphinx"]["local_extensions"].items():
        assert Path(path).is_absolute() and (Path(path) / f"{name}.py").is_file(), (name, path)
        assert Path(path) == (ROOT / book["sphinx"]["local_extensions"][name]).resolve()
    for key in ("execute", "sphinx"):
        book.pop(key), rendered.pop(key)
    assert rendered == book
    # Idempotent: the pattern is not added twice.
    rendered_config(target, tmp_path / "again.yml")
    again = yaml.safe_load((tmp_path / "again.yml").read_text())
    assert again["execute"]["exclude_patterns"].count(RENDERED_EXCLUDE) == 1


def test_myst_nb_renders_chapters_and_executes_the_instructor_guide(tmp_path):
    from jupyter_book.config import get_final_config
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.execute import NotebookClientBase, NotebookClientCache, create_client

    target = tmp_path / "_config.yml"
    rendered_config(ROOT / "_config.yml", target)
    sphinx_config, _ = get_final_config(
        user_yaml=target, cli_config={"latex_individualpages": False}, sourcedir=ROOT
    )
    assert sphinx_config["nb_execution_mode"] == "cache"
    config = NbParserConfig(
        execution_mode=sphinx_config["nb_execution_mode"],
        execution_excludepatterns=sphinx_config["nb_execution_excludepatterns"],
        execution_cache_path=str(tmp_path / "cache"),
    )
    logger = logging.getLogger("test_nbval_tools")
    chapters = sorted(ROOT.glob("chapters/[0-9]*.ipynb"))
    assert chapters
    for path in chapters:
        client = create_client(nbformat.read(path, as_version=4), str(path), config, logger)
        assert type(client) is NotebookClientBase, path  # stored outputs, no kernel
    guide = ROOT / "instructor_guide.ipynb"
    client = create_client(nbformat.read(guide, as_version=4), str(guide), config, logger)
    assert isinstance(client, NotebookClientCache)  # no stored outputs: executed


# ---- the other CPU's paths ----------------------------------------------------------------------


def test_other_cpu_env_names_only_features_this_cpu_has():
    assert other_cpu_env("AVX512", set(AVX512)) == {
        "ATEN_CPU_CAPABILITY": "avx2",
        "NPY_DISABLE_CPU_FEATURES": ISSUE_AVX512,
    }
    assert other_cpu_env("AVX512", {"AVX512F": True, "AVX512_SPR": False, "AVX2": True}) == {
        "ATEN_CPU_CAPABILITY": "avx2",
        "NPY_DISABLE_CPU_FEATURES": "AVX512F",
    }
    # Never a torch capability above the CPU's (torch believes the variable).
    assert other_cpu_env("AVX2", {"AVX2", "FMA3"})["ATEN_CPU_CAPABILITY"] == "default"
    assert other_cpu_env("NEON", {"NEON", "ASIMD"}) == {"ATEN_CPU_CAPABILITY": "default"}


def _import_numpy_and_torch(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import json, numpy, torch\n"
        "from numpy._core._multiarray_umath import __cpu_features__ as f\n"
        "a = torch.randn(64, 64, generator=torch.Generator().manual_seed(0))\n"
        "print(json.dumps([torch.backends.cpu.get_cpu_capability(), f, float((a @ a).sum()),"
        " float(numpy.linalg.norm(numpy.arange(10.0)))]))"
    )
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_numpy_accepts_the_issue_variables_on_this_machine():
    run = _import_numpy_and_torch(
        {"ATEN_CPU_CAPABILITY": "avx2", "NPY_DISABLE_CPU_FEATURES": ISSUE_AVX512}
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr
    _, features, *_ = json.loads(run.stdout)
    assert not any(features[name] for name in AVX512 if name in features)


def test_the_other_cpu_command_runs_with_accepted_variables():
    # What `make nbval-other-cpu` does, with a command that reports what it was given.
    probe = (
        "import json, os, sys; print(json.dumps({k: os.environ.get(k) for k in "
        "('ATEN_CPU_CAPABILITY', 'NPY_DISABLE_CPU_FEATURES')}))"
    )
    probe_command = [sys.executable, "-c", probe]
    run = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "nbval_tools.py"), "other-cpu", "--", *probe_command],
        env={k: v for k, v in os.environ.items() if k != "ATEN_CPU_CAPABILITY"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    announced, given = run.stdout.strip().splitlines()[-2:]
    assert announced.startswith("other-cpu: this CPU's torch capability is")
    env = {k: v for k, v in json.loads(given).items() if v is not None}
    assert env["ATEN_CPU_CAPABILITY"] in {"avx2", "default"}
    checked = _import_numpy_and_torch(env)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr
    capability, features, *_ = json.loads(checked.stdout)
    assert capability.lower() == env["ATEN_CPU_CAPABILITY"]
    for name in env.get("NPY_DISABLE_CPU_FEATURES", "").split():
        assert features[name] is False, name


def test_usage_is_printed_for_a_wrong_command():
    run = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "nbval_tools.py"), "nonsense"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "rendered-config" in run.stderr


@pytest.mark.parametrize("line", ["nbval:", "nbval-other-cpu:", "check:", "build-rendered:"])
def test_the_makefile_has_the_targets(line):
    text = (ROOT / "Makefile").read_text()
    assert re.search(rf"^{re.escape(line)}", text, re.M), line
