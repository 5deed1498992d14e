"""The public API of ``course_utils.metrics``, pinned (issue 28).

- ``__all__`` and every public signature equal the snapshot in ``tests/public_api.json``: a
  change to a name, an argument, its order, kind or default fails here and must be made on
  purpose (regenerate with ``python tests/test_public_api.py`` and say why in the commit).
- Every function that shares its name with one of scikit-learn's takes the same leading
  positional arguments, in the same order, and the same defaults for the options both have;
  the options scikit-learn has and we do not (or with another default) are listed in
  ``SKLEARN_DIFFERENCES``, each with its reason. The extra options we add (``mask=``, ``lengths=``) are keyword-only.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

import pytest

import course_utils.metrics as metrics

SNAPSHOT = Path(__file__).with_name("public_api.json")

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


def current() -> dict[str, str]:
    return {name: describe(getattr(metrics, name)) for name in sorted(metrics.__all__)}


def test_the_public_api_matches_its_snapshot():
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    now = current()
    added, removed = sorted(set(now) - set(pinned)), sorted(set(pinned) - set(now))
    changed = {n: (pinned[n], now[n]) for n in set(now) & set(pinned) if now[n] != pinned[n]}
    assert not (added or removed or changed), (
        f"added {added}, removed {removed}, changed {changed}: a deliberate change "
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


def test_every_listed_difference_is_still_a_difference():
    shared = {name: (ours, theirs) for name, ours, theirs in _shared_with_sklearn()}
    for (name, param), reason in SKLEARN_DIFFERENCES.items():
        assert reason
        ours, theirs = shared[name]
        assert param in theirs.parameters, (name, param)
        missing = param not in ours.parameters
        assert missing or ours.parameters[param].default != theirs.parameters[param].default


if __name__ == "__main__":  # regenerate the snapshot after a deliberate change
    SNAPSHOT.write_text(json.dumps(current(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    sys.exit(0)
