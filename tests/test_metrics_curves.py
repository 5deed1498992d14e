"""PR and ROC curves, AP and ROC AUC against scikit-learn: every point, threshold and warning."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import course_utils.metrics as cu

PROPERTY = settings(max_examples=80, deadline=None)


def run(func):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = func()
    return value, sorted({str(w.message) for w in caught if issubclass(w.category, UserWarning)})


def assert_same(ours, theirs):
    """Equal arrays/values to 1e-9 (same lengths, nan where theirs is nan), same warnings."""
    (a, a_warn), (b, b_warn) = run(ours), run(theirs)
    for x, y in zip(a, b, strict=True) if isinstance(b, tuple) else [(a, b)]:
        assert np.shape(x) == np.shape(y)
        np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-12)
    assert a_warn == b_warn


@st.composite
def scored(draw, max_size=60):
    """0/1 labels (sometimes one class only) and scores (sometimes heavily tied)."""
    n = draw(st.integers(1, max_size))
    y_true = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    kind = draw(st.sampled_from(["continuous", "ties", "logits"]))
    if kind == "ties":  # e.g. a model that outputs rounded probabilities
        y_score = draw(arrays(np.float64, n, elements=st.sampled_from([0.0, 0.25, 0.5, 1.0])))
    else:
        low, high = (0.0, 1.0) if kind == "continuous" else (-30.0, 30.0)
        y_score = draw(arrays(np.float64, n, elements=st.floats(low, high, width=64)))
    return y_true, y_score


@PROPERTY
@given(scored(), st.booleans(), st.sampled_from([0, 1]))
def test_curves_match_sklearn(data, drop_intermediate, pos_label):
    y_true, y_score = data
    kw = {"pos_label": pos_label, "drop_intermediate": drop_intermediate}
    assert_same(
        lambda: cu.precision_recall_curve(y_true, y_score, **kw),
        lambda: skm.precision_recall_curve(y_true, y_score, **kw),
    )
    assert_same(
        lambda: cu.roc_curve(y_true, y_score, **kw),
        lambda: skm.roc_curve(y_true, y_score, **kw),
    )


@PROPERTY
@given(scored(), st.sampled_from([0, 1]))
def test_areas_match_sklearn(data, pos_label):
    y_true, y_score = data
    assert_same(
        lambda: cu.average_precision_score(y_true, y_score, pos_label=pos_label),
        lambda: skm.average_precision_score(y_true, y_score, pos_label=pos_label),
    )
    assert_same(
        lambda: cu.roc_auc_score(y_true, y_score), lambda: skm.roc_auc_score(y_true, y_score)
    )


def test_curve_ends_and_first_threshold():
    y_true, y_score = [0, 1, 1, 0, 1], [0.2, 0.9, 0.6, 0.6, 0.1]
    precision, recall, thresholds = cu.precision_recall_curve(y_true, y_score)
    assert (precision[-1], recall[-1]) == (1.0, 0.0)  # the final point
    assert precision.shape == recall.shape == (thresholds.size + 1,)
    np.testing.assert_array_equal(thresholds, [0.1, 0.2, 0.6, 0.9])  # distinct, increasing
    fpr, tpr, roc_thresholds = cu.roc_curve(y_true, y_score, drop_intermediate=False)
    assert np.isinf(roc_thresholds[0]) and (fpr[0], tpr[0]) == (0.0, 0.0)
    assert (fpr[-1], tpr[-1]) == (1.0, 1.0)
    assert roc_thresholds.dtype == np.float64


def test_all_tied_scores():
    y_true, y_score = [0, 1, 1, 0], [0.5] * 4
    assert_same(
        lambda: cu.precision_recall_curve(y_true, y_score),
        lambda: skm.precision_recall_curve(y_true, y_score),
    )
    assert cu.roc_auc_score(y_true, y_score) == 0.5
    assert cu.average_precision_score(y_true, y_score) == 0.5


def test_one_class_warns_like_sklearn():
    y_score = [0.1, 0.7, 0.3]
    with pytest.warns(cu.UndefinedMetricWarning, match="Only one class is present"):
        assert np.isnan(cu.roc_auc_score([1, 1, 1], y_score))
    with pytest.warns(cu.UndefinedMetricWarning, match="No positive class found"):
        assert cu.average_precision_score([0, 0, 0], y_score) == 0.0
    with pytest.warns(cu.UndefinedMetricWarning, match="No negative samples"):
        fpr, _, _ = cu.roc_curve([1, 1, 1], y_score)
    assert np.isnan(fpr).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cu.average_precision_score([1, 1, 1], y_score) == 1.0


def test_large_n_matches_sklearn():
    rng = np.random.default_rng(0)
    n = 200_000
    y_true = (rng.random(n) < 0.05).astype(np.int64)
    y_score = (rng.random(n) + 0.5 * y_true) / 1.5
    rounded = np.round(y_score, 3)  # many ties
    for scores in (y_score, rounded, y_score.astype(np.float32)):
        assert_same(
            lambda s=scores: cu.precision_recall_curve(y_true, s),
            lambda s=scores: skm.precision_recall_curve(y_true, s),
        )
        assert_same(
            lambda s=scores: cu.roc_curve(y_true, s), lambda s=scores: skm.roc_curve(y_true, s)
        )
        assert_same(
            lambda s=scores: cu.average_precision_score(y_true, s),
            lambda s=scores: skm.average_precision_score(y_true, s),
        )
        assert_same(
            lambda s=scores: cu.roc_auc_score(y_true, s),
            lambda s=scores: skm.roc_auc_score(y_true, s),
        )


def test_majority_positive_class_takes_the_other_branch():
    rng = np.random.default_rng(1)
    y_true = (rng.random(5_000) < 0.9).astype(np.int64)
    y_score = np.round(rng.random(5_000) + 0.3 * y_true, 2)
    assert_same(
        lambda: cu.precision_recall_curve(y_true, y_score),
        lambda: skm.precision_recall_curve(y_true, y_score),
    )


def test_scores_are_taken_as_given():
    # Logits and their sigmoid rank the same way: the same AUC, and thresholds stay logits.
    logits = np.array([-2.0, 3.0, 0.5, -0.1])
    y_true = [0, 1, 1, 0]
    assert cu.roc_auc_score(y_true, logits) == cu.roc_auc_score(y_true, 1 / (1 + np.exp(-logits)))
    _, _, thresholds = cu.precision_recall_curve(y_true, logits)
    np.testing.assert_array_equal(thresholds, np.sort(logits))


def test_tensor_inputs():
    y_true = torch.tensor([[0, 1, 1], [1, 0, 0]])
    y_score = torch.tensor([[0.1, 0.8, 0.6], [0.7, 0.2, 0.4]], requires_grad=True)
    expected = skm.roc_auc_score(y_true.numpy().ravel(), y_score.detach().numpy().ravel())
    assert cu.roc_auc_score(y_true, y_score) == pytest.approx(expected, abs=1e-12)
    half = y_score.detach().to(torch.bfloat16)
    assert 0 <= cu.average_precision_score(y_true.bool(), half) <= 1


# ------------------------------------------------------- mask= and lengths=


@st.composite
def padded_scores(draw):
    batch = draw(st.integers(1, 6))
    time = draw(st.integers(1, 8))
    lengths = np.array(draw(st.lists(st.integers(0, time), min_size=batch, max_size=batch)))
    if lengths.sum() == 0:
        lengths[-1] = time
    y_true = draw(arrays(np.int64, (batch, time), elements=st.integers(0, 1)))
    y_score = draw(arrays(np.float64, (batch, time), elements=st.sampled_from([0.1, 0.4, 0.9])))
    padding = np.arange(time) >= lengths[:, None]
    y_true[padding], y_score[padding] = 7, np.nan  # garbage that would fail validation
    return y_true, y_score, lengths


@PROPERTY
@given(padded_scores())
def test_lengths_and_mask_equal_the_metric_on_unpadded_steps(padded):
    y_true, y_score, lengths = padded
    valid = np.arange(y_true.shape[1]) < lengths[:, None]
    flat_true, flat_score = y_true[valid], y_score[valid]
    for name in ("precision_recall_curve", "roc_curve", "average_precision_score", "roc_auc_score"):
        ours, theirs = getattr(cu, name), getattr(skm, name)
        assert_same(
            lambda o=ours: o(y_true, y_score, lengths=lengths),
            lambda t=theirs: t(flat_true, flat_score),
        )
        assert_same(
            lambda o=ours: o(y_true, y_score, mask=valid), lambda t=theirs: t(flat_true, flat_score)
        )


def test_all_but_one_step_masked():
    y_true = np.array([[1, 0, 1], [0, 1, 1]])
    y_score = np.array([[0.3, np.nan, 0.2], [0.9, 0.1, np.inf]])
    mask = np.zeros(y_true.shape, dtype=bool)
    mask[0, 0] = True
    precision, recall, thresholds = cu.precision_recall_curve(y_true, y_score, mask=mask)
    np.testing.assert_array_equal(precision, [1.0, 1.0])
    np.testing.assert_array_equal(recall, [1.0, 0.0])
    np.testing.assert_array_equal(thresholds, [0.3])
    with pytest.warns(cu.UndefinedMetricWarning, match="Only one class"):
        assert np.isnan(cu.roc_auc_score(y_true, y_score, mask=mask))
