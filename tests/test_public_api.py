"""The public API of ``course_utils.metrics``, ``course_utils.quiz`` and ``course_utils.instructor``,
pinned (issue 28).

- Each package's ``__all__`` and every public signature equal the snapshot in
  ``tests/public_api.json`` (one object per package): a change to a name, an argument, its
  order, kind or default fails here and must be made on purpose (regenerate with
  ``python tests/test_public_api.py`` and say why in the commit).
- ``quiz`` and ``instructor`` export what a learner, an instructor or a course author calls;
  the answers-file format and the plumbing stay in their modules (``INTERNALS``): not in the
  package, importable from the module, and the package docstring says where. Nothing in the
  repository (code, chapters, Colab editions, the instructor guide) imports them from the
  package.
- Every function of ``metrics`` that shares its name with one of scikit-learn's takes the same
  leading positional arguments, in the same order, and the same defaults for the options both
  have; the options scikit-learn has and we do not (or with another default) are listed in
  ``SKLEARN_DIFFERENCES``, each with its reason. The extra options we add (``mask=``,
  ``lengths=``) are keyword-only.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

import course_utils.instructor as instructor
import course_utils.metrics as metrics
import course_utils.quiz as quiz

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = Path(__file__).with_name("public_api.json")
PACKAGES = {
    "course_utils.metrics": metrics,
    "course_utils.quiz": quiz,
    "course_utils.instructor": instructor,
}

# Exported by the packages until issue 28; now only from their modules (module -> names).
INTERNALS = {
    "course_utils.quiz": {
        "course_utils.quiz.answers": [
            "AnswersFile",
            "answers_checksum",
            "answers_filename",
            "canonical_json",
            "learner_slug",
            "make_answers_payload",
            "write_answers",
        ],
        "course_utils.quiz.checking": ["parse_number"],
    },
    "course_utils.instructor": {
        "course_utils.instructor.assign": ["zip_folder"],
        "course_utils.instructor.course": ["find_chapters_dir", "toc_chapters"],
        "course_utils.instructor.grade": ["check_gradebook_path", "find_answers_files"],
        "course_utils.instructor.notebook": [
            "SolutionDirective",
            "find_solution_directives",
            "read_notebook",
        ],
    },
}

# (function, scikit-learn's parameter we do not take, or take with another default) -> why
SKLEARN_DIFFERENCES = {
    ("log_loss", "y_proba"): (
        "required here; scikit-learn's default None exists only for its deprecated y_pred"
    ),
    ("log_loss", "y_pred"): "scikit-learn's deprecated name for y_proba; one name here",
    ("precision_recall_fscore_support", "warn_for"): (
        "which metrics warn on 0/0 is not an option here: zero_division says what to do"
    ),
    ("roc_auc_score", "max_fpr"): (
        "the standardised partial AUC is not offered; the course reads the ROC curve instead"
    ),
    ("top_k_accuracy_score", "labels"): (
        "classes are the score columns 0..n-1; naming them by label is not supported"
    ),
}
OURS_ONLY_KEYWORD = {"mask", "lengths", "background", "thresholds"}


def describe(obj) -> str:
    if inspect.isclass(obj):
        bases = ", ".join(b.__name__ for b in obj.__bases__)
        return f"class({bases})"
    return str(inspect.signature(obj))


def current() -> dict[str, dict[str, str]]:
    return {
        package: {name: describe(getattr(module, name)) for name in sorted(module.__all__)}
        for package, module in PACKAGES.items()
    }


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_the_public_api_matches_its_snapshot(package):
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8")).get(package, {})
    now = current()[package]
    added, removed = sorted(set(now) - set(pinned)), sorted(set(pinned) - set(now))
    changed = {n: (pinned[n], now[n]) for n in set(now) & set(pinned) if now[n] != pinned[n]}
    assert not (added or removed or changed), (
        f"{package}: added {added}, removed {removed}, changed {changed}: a deliberate change "
        "regenerates tests/public_api.json (python tests/test_public_api.py)"
    )


def _shared_with_sklearn():
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    for name in metrics.__all__:
        ours = getattr(metrics, name)
        theirs = getattr(sklearn_metrics, name, None)
        if inspect.isfunction(ours) and callable(theirs):
            yield name, inspect.signature(ours), inspect.signature(theirs)


def _positional(sig):
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in sig.parameters.values() if p.kind in kinds]


def test_names_shared_with_scikit_learn_are_called_the_same_way():
    shared = list(_shared_with_sklearn())
    assert len(shared) >= 20, [name for name, _, _ in shared]
    problems = []
    for name, ours, theirs in shared:
        if _positional(ours)[:2] != _positional(theirs)[:2]:
            problems.append(f"{name}: positional {_positional(ours)} vs {_positional(theirs)}")
        for param in theirs.parameters.values():
            mine = ours.parameters.get(param.name)
            if mine is None:
                if (name, param.name) not in SKLEARN_DIFFERENCES:
                    problems.append(f"{name}: no {param.name}= (scikit-learn has it)")
            elif param.default is not param.empty and mine.default != param.default:
                both_nan = param.default != param.default and mine.default != mine.default
                if not both_nan and (name, param.name) not in SKLEARN_DIFFERENCES:
                    problems.append(f"{name}({param.name}=): {mine.default!r} vs {param.default!r}")
        for extra in set(ours.parameters) - set(theirs.parameters):
            kind = ours.parameters[extra].kind
            if extra in OURS_ONLY_KEYWORD and kind is not inspect.Parameter.KEYWORD_ONLY:
                problems.append(f"{name}: {extra}= should be keyword-only")
    assert not problems, "\n".join(problems)


def test_every_metrics_function_takes_mask_and_lengths_by_keyword():
    # The package's rule for its padding options, scikit-learn namesake or not
    # (per_length_report took `lengths` by position until issue 28).
    problems = []
    for name in metrics.__all__:
        obj = getattr(metrics, name)
        if not inspect.isfunction(obj):
            continue
        for param in inspect.signature(obj).parameters.values():
            if param.name in ("mask", "lengths") and param.kind is not param.KEYWORD_ONLY:
                problems.append(f"{name}: {param.name}= should be keyword-only")
    assert not problems, "\n".join(problems)


def test_every_listed_difference_is_still_a_difference():
    shared = {name: (ours, theirs) for name, ours, theirs in _shared_with_sklearn()}
    for (name, param), reason in SKLEARN_DIFFERENCES.items():
        assert reason
        ours, theirs = shared[name]
        assert param in theirs.parameters, (name, param)
        missing = param not in ours.parameters
        assert missing or ours.parameters[param].default != theirs.parameters[param].default


def test_the_snapshot_pins_exactly_these_packages():
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert sorted(pinned) == sorted(PACKAGES), "regenerate: python tests/test_public_api.py"


def _internals():
    for package, modules in INTERNALS.items():
        for module, names in modules.items():
            for name in names:
                yield package, module, name


@pytest.mark.parametrize(("package", "module", "name"), list(_internals()))
def test_file_format_helpers_live_in_their_modules_not_the_package(package, module, name):
    assert name not in PACKAGES[package].__all__
    assert not hasattr(PACKAGES[package], name), (
        f"{package}.{name} is importable from the package; import it from {module}"
    )
    helper = getattr(importlib.import_module(module), name)
    assert callable(helper) and helper.__name__ == name


@pytest.mark.parametrize("package", ["course_utils.quiz", "course_utils.instructor"])
def test_the_package_docstring_names_its_api_and_where_the_rest_lives(package):
    doc = PACKAGES[package].__doc__
    for name in PACKAGES[package].__all__:
        assert re.search(rf":(func|class):`{name}`", doc), f"{package}'s docstring: {name}"
    for module, names in INTERNALS[package].items():
        assert module in doc, f"{package}'s docstring does not say {names} live in {module}"
        for name in names:
            assert f"``{name}``" in doc, f"{package}'s docstring: where {name} lives"


def _code_sources():
    """(where, source) of every Python file and notebook code cell the repository ships."""
    for folder in ("course_utils", "tests", "tools", "benchmarks", "_ext"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT), path.read_text(encoding="utf-8")
    notebooks = [*sorted((ROOT / "chapters").glob("*.ipynb")), ROOT / "instructor_guide.ipynb"]
    notebooks += sorted((ROOT / "colab").glob("*.ipynb"))
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for k, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                lines = cell.source.splitlines()
                code = "\n".join("" if line.lstrip()[:1] in "%!" else line for line in lines)
                yield f"{path.relative_to(ROOT)} cell {k}", code


def package_imports(source: str):
    """(package, name) of each ``from course_utils.<package> import name`` in ``source``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in PACKAGES:
            for alias in node.names:
                yield node.module, alias.name


def test_package_imports_are_found():
    src = "def f():\n    from course_utils.quiz import Quiz, make_answers_payload as m\n"
    assert list(package_imports(src)) == [
        ("course_utils.quiz", "Quiz"),
        ("course_utils.quiz", "make_answers_payload"),
    ]
    assert list(package_imports("from course_utils.quiz.answers import write_answers")) == []


def test_the_repository_imports_only_public_names_from_the_packages():
    bad = []
    for where, source in _code_sources():
        for package, name in package_imports(source):
            submodule = importlib.util.find_spec(f"{package}.{name}") is not None
            if name not in PACKAGES[package].__all__ and not submodule:
                bad.append(f"{where}: from {package} import {name}")
    assert not bad, "import these from their modules (see the package docstring):\n" + "\n".join(
        bad
    )


if __name__ == "__main__":  # regenerate the snapshot after a deliberate change
    SNAPSHOT.write_text(json.dumps(current(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    sys.exit(0)
