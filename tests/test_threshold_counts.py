"""One counting core for decisions at thresholds (issue 28, "one rule per idea").

``calibration.costs_at_thresholds`` and ``explorer.ThresholdExplorer`` count FP/FN (and TP/TN)
at a grid of thresholds through :func:`course_utils.metrics.confusion_matrix_at_thresholds`,
with one decision rule (positive iff ``score >= threshold``, scikit-learn's) and one label rule
(the metrics': 0/1, bools or -1/1, else ``pos_label``). Here they are checked against each
other and against scikit-learn's ``confusion_matrix`` at each threshold, ties included.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.metrics import confusion_matrix

import course_utils.calibration as calibration
import course_utils.metrics as metrics
from course_utils.calibration import costs_at_thresholds
from course_utils.explorer import ThresholdExplorer

PROPERTY = settings(max_examples=80, deadline=None)


def sklearn_counts(y01, scores, t) -> dict:
    """The independent reference: one confusion matrix of ``scores >= t``."""
    tn, fp, fn, tp = confusion_matrix(y01, (scores >= t).astype(int), labels=[0, 1]).ravel()
    return {"tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn)}


@st.composite
def scored(draw):
    """0/1 labels with both classes, scores with many ties (or not, or float32, or ints), and
    thresholds in any order with repeats: most of them equal to a score (a tie at the
    threshold), the rest anywhere, past both ends included."""
    n = draw(st.integers(2, 40))
    y = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    y[draw(st.integers(0, n - 1))] = 0
    y[(np.flatnonzero(y == 0)[0] + 1) % n] = 1  # both classes, whatever was drawn
    kind = draw(st.sampled_from(["ties", "continuous", "float32", "int"]))
    if kind == "ties":
        s = draw(arrays(np.float64, n, elements=st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0])))
    elif kind == "int":
        s = draw(arrays(np.int64, n, elements=st.integers(-3, 3)))
    else:
        width = 32 if kind == "float32" else 64
        s = draw(
            arrays(
                np.float32 if width == 32 else np.float64,
                n,
                elements=st.floats(-2, 2, width=width),
            )
        )
    at_scores = draw(st.lists(st.sampled_from(s.tolist()), min_size=1, max_size=8))
    elsewhere = draw(st.lists(st.floats(-3, 3), max_size=4))
    grid = draw(st.permutations(at_scores + elsewhere))
    return y, s, np.asarray(grid, dtype=np.float64)


@PROPERTY
@given(scored())
def test_costs_and_explorer_count_as_sklearn_and_as_each_other(data):
    y, s, grid = data
    want = [sklearn_counts(y, s, t) for t in grid]
    explorer = ThresholdExplorer(y, s)
    assert [explorer.counts(t) for t in grid] == want
    fp = costs_at_thresholds(y, s, grid, cost_fp=1, cost_fn=0)
    fn = costs_at_thresholds(y, s, grid, cost_fp=0, cost_fn=1)
    assert fp.tolist() == [w["fp"] for w in want]
    assert fn.tolist() == [w["fn"] for w in want]
    both = costs_at_thresholds(y, s, grid, cost_fp=5, cost_fn=2)
    assert both.tolist() == [5 * w["fp"] + 2 * w["fn"] for w in want]


@PROPERTY
@given(scored())
def test_explorer_slider_counts_equal_the_cost_search(data):
    """Every slider position's embedded counts and cost are the costs_at_thresholds ones."""
    y, s, _ = data
    curve = ThresholdExplorer(y, s, cost_fp=3, cost_fn=7).curve_data()
    grid = np.array(curve["thresholds"])
    assert curve["cost"] == costs_at_thresholds(y, s, grid, cost_fp=3, cost_fn=7).tolist()
    assert curve["fp"] == costs_at_thresholds(y, s, grid, cost_fp=1, cost_fn=0).tolist()
    assert curve["fn"] == costs_at_thresholds(y, s, grid, cost_fp=0, cost_fn=1).tolist()
    for i in range(0, len(grid), 17):
        got = {k: curve[k][i] for k in ("tp", "fp", "fn", "tn")}
        assert got == sklearn_counts(y, s, grid[i])


def test_a_score_equal_to_the_threshold_is_flagged():
    y, s = [0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]
    assert ThresholdExplorer(y, s).counts(0.5) == {"tp": 2, "fp": 1, "fn": 0, "tn": 1}
    assert costs_at_thresholds(y, s, [0.5], cost_fp=1, cost_fn=0).tolist() == [1.0]
    assert costs_at_thresholds(y, s, [np.nextafter(0.5, 1)], cost_fp=1, cost_fn=1).tolist() == [
        1.0
    ]  # just above the tie: both 0.5s let through, one of them a positive


@pytest.mark.parametrize(
    ("labels", "pos_label"),
    [
        (np.array([-1, 1, -1, 1, 1, -1]), None),
        (np.array([False, True, False, True, True, False]), None),
        (np.array(["ok", "fraud", "ok", "fraud", "fraud", "ok"]), "fraud"),
        (np.array([0, 2, 1, 2, 2, 0]), 2),
    ],
)
def test_one_label_rule(labels, pos_label):
    """Both read labels as the metrics do; the same labels as 0/1 give the same counts."""
    s = np.array([0.2, 0.7, 0.7, 0.4, 0.9, 0.1])
    y01 = np.array([0, 1, 0, 1, 1, 0])
    grid = np.array([0.7, 0.0, 0.4, 1.0, 0.7])
    costs = costs_at_thresholds(labels, s, grid, cost_fp=2, cost_fn=3, pos_label=pos_label)
    assert costs.tolist() == costs_at_thresholds(y01, s, grid, cost_fp=2, cost_fn=3).tolist()
    explorer = ThresholdExplorer(labels, s, pos_label=pos_label)
    assert [explorer.counts(t) for t in grid] == [sklearn_counts(y01, s, t) for t in grid]


def test_other_labels_need_pos_label():
    with pytest.raises(ValueError, match=r"Pass the positive class, e.g. `pos_label="):
        costs_at_thresholds(["ok", "fraud"], [0.1, 0.9], [0.5], cost_fp=1, cost_fn=1)
    with pytest.raises(ValueError, match=r"`thresholds`"):
        costs_at_thresholds([0, 1], [0.1, 0.9], [0.5, np.nan], cost_fp=1, cost_fn=1)


def test_both_callers_use_the_metrics_counting_core(monkeypatch):
    calls = []
    real = metrics.confusion_matrix_at_thresholds

    def spy(*args, **kwargs):
        calls.append(kwargs.get("thresholds"))
        return real(*args, **kwargs)

    monkeypatch.setattr(metrics, "confusion_matrix_at_thresholds", spy)
    monkeypatch.setattr(calibration, "confusion_matrix_at_thresholds", spy)
    y, s = [0, 1, 0, 1], [0.2, 0.8, 0.4, 0.4]
    costs_at_thresholds(y, s, [0.4, 0.5], cost_fp=1, cost_fn=1)
    ThresholdExplorer(y, s).counts(0.4)
    ThresholdExplorer(y, s).curve_data()
    assert len(calls) == 3 and all(t is not None for t in calls)
