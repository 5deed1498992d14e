"""Every import the package makes is declared, and `pip install course_utils` alone is enough.

Two kinds of check:

- fast: every module ``course_utils`` imports (at the top of a file or lazily inside a
  function) is the standard library, the package itself, or a distribution that
  ``pyproject.toml`` declares, in the core ``dependencies`` or in an extra; the licence is an
  SPDX string and the build backend is new enough to read it;
- slow: an EMPTY virtual environment (no pip, no setuptools, nothing from the book's stack)
  gets the package's wheel and nothing else, then, step by step, each extra. After the core
  install it trains and predicts with a GRU and an RNN (tqdm's bar shown), runs every doctest
  (so every metric is computed), and runs ``course-utils assign`` and ``course-utils grade``;
  after each extra it runs what that extra is for, and the doctests that had been missing it.
  A doctest may miss only a module of an extra not installed yet, and none at the end.

pip resolves against ``requirements.txt`` as a constraints file, so the environment gets the
book's pinned versions (``torch==2.13.0``: the CPU build here, never a CUDA build of several
GB) and the resolution needs no backtracking; the package cache keeps it fast.
"""

from __future__ import annotations

import ast
import csv
import functools
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
# The order the slow test installs them in: each extra's job uses only the core and itself.
EXTRAS_IN_ORDER = ["widgets", "plots", "data", "forecast", "notebooks"]


def _names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in requirements}


CORE = _names(PROJECT["dependencies"])
EXTRAS = {extra: _names(reqs) for extra, reqs in PROJECT["optional-dependencies"].items()}


def imported_modules() -> dict[str, set[str]]:
    """``{top-level module: {files importing it}}`` for every absolute import in the package."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "course_utils").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


@functools.cache
def _packages_distributions() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


def distributions_of(module: str) -> set[str]:
    """The distributions (canonical names) that provide a top-level module, in this env."""
    provided = _packages_distributions().get(module, [])
    return {canonicalize_name(name) for name in provided}


def _third_party() -> dict[str, set[str]]:
    local = {"course_utils", "__future__"}
    return {
        module: files
        for module, files in imported_modules().items()
        if module not in local and module not in sys.stdlib_module_names
    }


def test_every_import_is_a_declared_distribution():
    declared = CORE.union(*EXTRAS.values())
    problems = []
    for module, files in sorted(_third_party().items()):
        dists = distributions_of(module)
        if not dists:
            problems.append(f"{module} (imported in {sorted(files)}) is not installed here")
        elif not dists & declared:
            problems.append(
                f"{module} (imported in {sorted(files)}) comes from {sorted(dists)}, which "
                "pyproject.toml declares neither in `dependencies` nor in an extra"
            )
    assert not problems, "\n".join(problems)


def test_the_console_script_and_what_it_imports_are_core():
    assert PROJECT["scripts"] == {"course-utils": "course_utils.cli:main"}
    # assign reads and writes notebooks, grade reads YAML banks: the core install must do both.
    assert {"nbformat", "pyyaml", "tqdm", "pandas", "scipy"} <= CORE


def test_every_extra_the_slow_test_installs_is_declared():
    assert sorted(EXTRAS) == sorted(EXTRAS_IN_ORDER)


def test_licence_is_an_spdx_string_and_setuptools_reads_it():
    assert PROJECT["license"] == "MIT", "PEP 639: an SPDX expression, not a table"
    (backend,) = (Requirement(r) for r in PYPROJECT["build-system"]["requires"])
    assert backend.name == "setuptools"
    assert not SpecifierSet(str(backend.specifier)).contains("76.1.0")
    assert SpecifierSet(str(backend.specifier)).contains("77.0.0")
    # The pinned stack's setuptools (used by builds without isolation) is new enough too.
    pins = dict(
        line.split("==", 1)
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert int(pins["setuptools"].split(".")[0]) >= 77


# ---- the slow part: an empty environment -----------------------------------------------------

# Runs inside the new environment (from a folder outside the repository, so the repository's
# course_utils cannot shadow the installed one). Prints one JSON line.
DOCTESTS = r'''
import doctest, importlib, json, pkgutil, re, sys
import course_utils

# Only the docstrings named (or inside the modules named) in argv[1], when given.
only = [name for name in sys.argv[1].split(",") if name] if len(sys.argv) > 1 else []
report = {"file": course_utils.__file__, "attempted": 0, "failed": [], "missing": {}}


def missing_module(error):
    """The module an ImportError says is missing: a ModuleNotFoundError's name, or the
    distribution of an extra that the package's own ImportError names ("pip install 'aeon...'")."""
    if isinstance(error, ModuleNotFoundError) and error.name:
        return error.name
    if isinstance(error, ImportError):
        found = re.search(r"pip install '([A-Za-z0-9_.-]+(?:\[[A-Za-z0-9_,-]+\])?)", str(error))
        if found:
            return found.group(1)
    return None


class Runner(doctest.DocTestRunner):
    """Records failures; a docstring whose example misses a module counts as 'missing'."""

    def run(self, test, **kwargs):
        self.current = test.name
        return super().run(test, **kwargs)

    def report_failure(self, out, test, example, got):
        if test.name not in report["missing"]:
            report["failed"].append(f"{test.name}: {example.source.strip()} -> {got.strip()}")

    def report_unexpected_exception(self, out, test, example, exc_info):
        error = exc_info[1]
        module = missing_module(error)
        if module and test.name not in report["missing"]:
            report["missing"][test.name] = module
        elif test.name not in report["missing"]:
            report["failed"].append(f"{test.name}: {example.source.strip()} -> {error!r}")


runner = Runner(optionflags=doctest.ELLIPSIS, verbose=False)
for info in pkgutil.walk_packages(course_utils.__path__, "course_utils."):
    try:
        module = importlib.import_module(info.name)
    except ModuleNotFoundError as error:
        report["missing"][info.name] = error.name
        continue
    for test in doctest.DocTestFinder().find(module, info.name):
        wanted = not only or any(test.name == n or test.name.startswith(n + ".") for n in only)
        if test.examples and wanted:
            report["attempted"] += len(test.examples)
            runner.run(test, out=lambda text: None)
print(json.dumps(report))
'''

TRAIN = """
import numpy as np
from course_utils import seed_everything
from course_utils.data import make_fraud_sequences
from course_utils.metrics import accuracy_score, average_precision_score, f1_score, roc_auc_score
from course_utils.models import SequenceClassifier
from course_utils.training import fit, predict, predict_proba

seed_everything(0)
train = make_fraud_sequences(200, prevalence=0.2, seed=0)
test = make_fraud_sequences(100, prevalence=0.2, seed=1)
x, lengths, y = test
for cell in ("gru", "rnn"):
    model = SequenceClassifier(x.shape[-1], 8, 2, cell=cell, seed=0)
    history = fit(model, train, test, epochs=2, progress=True)
    frame = history.to_frame()
    assert list(frame["epoch"]) == [1, 2], frame
    labels = predict(model, x, lengths)
    scores = predict_proba(model, x, lengths)[:, 1]
    print(cell, accuracy_score(y, labels), f1_score(y, labels, zero_division=0),
          roc_auc_score(y, scores), average_precision_score(y, scores))
print("TRAINED")
"""

ANSWERS = """
import sys
from pathlib import Path
from course_utils.quiz import available_banks, load_bank
from course_utils.quiz.answers import answers_filename, make_answers_payload, write_answers
bank = load_bank(available_banks()[0])
payload = make_answers_payload(bank, {}, learner="Ada Lovelace", learner_id="ada@example.org")
write_answers(Path(sys.argv[1]) / answers_filename(bank, "Ada Lovelace"), payload)
print(bank.quiz)
"""

WIDGETS = """
from course_utils.explorer import ThresholdExplorer
from course_utils.quiz import Quiz, available_banks
quiz = Quiz(available_banks()[0])
assert quiz.ui is not None and "<" in quiz.to_html()
explorer = ThresholdExplorer([0, 1, 1, 0, 1], [0.1, 0.8, 0.6, 0.4, 0.9])
assert explorer.ui is not None
print("WIDGETS")
"""

PLOTS = """
import matplotlib
matplotlib.use("Agg")
from course_utils.metrics import confusion_matrix, precision_recall_curve, roc_curve
from course_utils.plots import plot_confusion_matrix, plot_pr_curve, plot_roc_curve
y, s = [0, 1, 1, 0, 1, 0], [0.1, 0.8, 0.6, 0.4, 0.9, 0.3]
precision, recall, _ = precision_recall_curve(y, s)
fpr, tpr, _ = roc_curve(y, s)
axes = [plot_confusion_matrix(confusion_matrix(y, [int(v > 0.5) for v in s])),
        plot_pr_curve(precision, recall), plot_roc_curve(fpr, tpr)]
for number, ax in enumerate(axes):
    ax.figure.savefig(f"figure{number}.svg")
print("PLOTS")
"""

DATA = """
from course_utils.data import load_japanese_vowels
x, lengths, y = load_japanese_vowels("train")
assert x.ndim == 3 and len(lengths) == len(y) == x.shape[0], x.shape
print("DATA", tuple(x.shape))
"""


FORECAST = """
import numpy as np
from course_utils.forecast import ets_forecast
y = 100 + 2 * np.arange(48.0) + np.tile([0.0, 5.0, 10.0, 5.0], 12)
f = ets_forecast(y, 8, trend="add", seasonal="add", seasonal_periods=4)
assert f["point"].shape == (8,) and bool((f["lower"] < f["upper"]).all()), f
print("FORECAST")
"""


def _chapter_imports() -> set[str]:
    """Top-level modules any chapter imports (magics and shell lines left out)."""
    modules = set()
    for path in sorted(ROOT.glob("chapters/[0-9]*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
            for node in ast.walk(ast.parse("\n".join(lines))):
                if isinstance(node, ast.Import):
                    modules |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    return modules


NOTEBOOKS = """
import importlib.util, sys
missing = [name for name in sys.argv[1].split(",") if name and importlib.util.find_spec(name) is None]
assert not missing, f"a chapter imports {missing}, which [notebooks] does not install"
from myst_nb import glue
print("NOTEBOOKS")
"""


class Environment:
    """An empty virtual environment that pip (this one, run with --python) installs into."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.python = folder / "venv" / "bin" / "python"
        self.work = folder / "work"  # the jobs' working folder, outside the repository
        self.work.mkdir(parents=True)
        subprocess.run(
            [sys.executable, "-m", "venv", "--without-pip", str(folder / "venv")], check=True
        )
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "TQDM_DISABLE"}
        } | {"PYTHONNOUSERSITE": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}

    def pip_install(self, *requirements: str) -> None:
        command = [sys.executable, "-m", "pip", "--python", str(self.python), "install"]
        command += ["--quiet", "--constraint", str(ROOT / "requirements.txt"), *requirements]
        run = subprocess.run(command, env=self.env, capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr

    def distributions(self) -> set[str]:
        listing = self.run(
            "import importlib.metadata as m, json; "
            "print(json.dumps([d.metadata['Name'] for d in m.distributions()]))"
        )
        return {canonicalize_name(name) for name in json.loads(listing.stdout)}

    def run(self, code: str, *args: str, cwd: Path | None = None, env: dict | None = None):
        script = self.folder / "job.py"
        script.write_text(textwrap.dedent(code), encoding="utf-8")
        run = subprocess.run(
            [str(self.python), str(script), *args],
            cwd=cwd or self.work,
            env=self.env | (env or {}),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, f"{code}\n{run.stdout}\n{run.stderr}"
        return run

    def command(self, *args: str):
        return subprocess.run(
            [str(self.python.parent / "course-utils"), *args],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def doctests(self, only: set[str] | None = None) -> dict:
        # Doctests run where pytest runs them (the repository root); the script's own folder,
        # not the working folder, is first on sys.path, so the installed package is the one used.
        run = self.run(DOCTESTS, ",".join(sorted(only or [])), cwd=ROOT, env={"TQDM_DISABLE": "1"})
        report = json.loads(run.stdout.strip().splitlines()[-1])
        assert Path(report["file"]).is_relative_to(self.folder), report["file"]
        assert not report["failed"], "\n".join(report["failed"])
        return report


def _extra_of(module: str) -> set[str]:
    named = re.fullmatch(r"course_utils\[([A-Za-z0-9_,-]+)\]", module)
    if named:  # the package's own message names the extra: "pip install 'course_utils[forecast]'"
        return set(named.group(1).split(",")) & set(EXTRAS)
    dists = distributions_of(module)
    return {extra for extra, names in EXTRAS.items() if names & dists}


@pytest.mark.slow
def test_an_empty_environment_gets_the_package_then_each_extra(tmp_path):
    source = tmp_path / "src"  # a copy: no build/ or egg-info left in the repository
    shutil.copytree(ROOT / "course_utils", source / "course_utils")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    environment = Environment(tmp_path / "env")
    try:
        # The wheel, built the way pip builds `pip install .`: in isolation, with setuptools
        # from the build-system table (>= 77 reads the SPDX licence without a warning).
        pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(wheels)]
        build = subprocess.run(
            [*pip_wheel, str(source)],
            env=environment.env,
            capture_output=True,
            text=True,
        )
        assert build.returncode == 0, build.stdout + build.stderr
        assert "SetuptoolsDeprecationWarning" not in build.stdout + build.stderr, build.stderr
        (wheel,) = wheels.glob("course_utils-*.whl")

        assert environment.distributions() == set(), "the new environment is not empty"
        environment.pip_install(str(wheel))
        installed = environment.distributions()
        assert "torch" in installed and not {n for n in installed if n.startswith("nvidia")}
        assert not installed & set().union(*EXTRAS.values()) - CORE, sorted(installed)

        # Core: train and predict (tqdm's bar shown), every doctest, assign, grade.
        trained = environment.run(TRAIN)
        assert "TRAINED" in trained.stdout and "fit SequenceClassifier(gru)" in trained.stderr
        report = environment.doctests()
        assert report["attempted"] > 100, report
        metrics_missing = [n for n in report["missing"] if n.startswith("course_utils.metrics")]
        assert not metrics_missing, f"metrics need more than the core: {metrics_missing}"
        pending = _check_missing(report["missing"], installed_extras=set())

        chapter = sorted(ROOT.glob("chapters/[0-9]*.ipynb"))[0].stem
        out = environment.work / "week1"
        assign = environment.command(
            "assign", chapter, "--out", str(out), "--chapters", str(ROOT / "chapters")
        )
        assert assign.returncode == 0, assign.stdout + assign.stderr
        assert (out / "student" / f"{chapter}.ipynb").is_file() and (out / "student.zip").is_file()
        submissions = environment.work / "submissions"
        submissions.mkdir()
        environment.run(ANSWERS, str(submissions))
        gradebook = environment.work / "gradebook.csv"
        grade = environment.command("grade", str(submissions), "--out", str(gradebook))
        assert grade.returncode == 0, grade.stdout + grade.stderr
        rows = list(csv.DictReader(gradebook.open(encoding="utf-8")))
        assert [row["learner"] for row in rows] == ["Ada Lovelace"], rows

        # Each extra, on top: its job, then the doctests that were missing one of its modules.
        jobs = {
            "widgets": (WIDGETS, ()),
            "plots": (PLOTS, ()),
            "data": (DATA, ()),
            "forecast": (FORECAST, ()),
            "notebooks": (NOTEBOOKS, (",".join(sorted(_chapter_imports())),)),
        }
        done: set[str] = set()
        for extra in EXTRAS_IN_ORDER:
            environment.pip_install(f"course_utils[{extra}] @ {wheel.as_uri()}")
            done.add(extra)
            code, args = jobs[extra]
            assert extra.upper() in environment.run(code, *args).stdout
            if pending:
                report = environment.doctests(only=set(pending))
                pending = _check_missing(report["missing"], installed_extras=done)
        assert not pending, f"doctests still missing a module with every extra: {pending}"
    finally:
        shutil.rmtree(tmp_path / "env", ignore_errors=True)  # about 1.5 GB


def _check_missing(missing: dict[str, str], *, installed_extras: set[str]) -> dict[str, str]:
    """Every module a doctest (or an import) missed belongs to an extra not installed yet."""
    problems = []
    for where, module in sorted(missing.items()):
        extras = _extra_of(module.split(".")[0])
        if not extras:
            problems.append(f"{where} needs {module}, which no extra declares")
        elif extras & installed_extras:
            problems.append(f"{where} needs {module}, missing with {sorted(extras)} installed")
    assert not problems, "\n".join(problems)
    return missing


def test_missing_module_rules():
    with pytest.raises(AssertionError, match="which no extra declares"):
        _check_missing({"course_utils.x": "numpy_that_does_not_exist"}, installed_extras=set())
    assert _check_missing({"course_utils.plots": "matplotlib"}, installed_extras={"data"})
    with pytest.raises(AssertionError, match="missing with"):
        _check_missing({"course_utils.plots": "matplotlib"}, installed_extras={"plots"})
    assert _check_missing(
        {"course_utils.forecast.x": "course_utils[forecast]"}, installed_extras=set()
    )
    with pytest.raises(AssertionError, match="missing with"):
        _check_missing(
            {"course_utils.forecast.x": "course_utils[forecast]"}, installed_extras={"forecast"}
        )
