"""Brier score, log loss, calibration curve, ECE and counts at thresholds against scikit-learn;
the reliability diagram."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.calibration as skc
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


def assert_same(ours, theirs, rtol=1e-9):
    (a, a_warn), (b, b_warn) = run(ours), run(theirs)
    for x, y in zip(a, b, strict=True) if isinstance(b, tuple) else [(a, b)]:
        assert np.shape(x) == np.shape(y)
        np.testing.assert_allclose(x, y, rtol=rtol, atol=1e-12)
    assert a_warn == b_warn


@st.composite
def binary_probs(draw, max_size=60, two_classes=False):
    n = draw(st.integers(2 if two_classes else 1, max_size))
    y = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    if two_classes:
        y[0], y[-1] = 0, 1
    kind = draw(st.sampled_from(["continuous", "ties", "extreme"]))
    if kind == "ties":
        p = draw(arrays(np.float64, n, elements=st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0])))
    elif kind == "extreme":
        p = draw(arrays(np.float64, n, elements=st.sampled_from([0.0, 1e-300, 1 - 1e-17, 1.0])))
    else:
        p = draw(arrays(np.float64, n, elements=st.floats(0.0, 1.0, width=64)))
    return y, p


weights_for = st.integers(0, 2**32 - 1).map(lambda seed: np.random.default_rng(seed))


def some_weights(rng, n):
    w = rng.choice([0.0, 0.5, 1.0, 3.0], size=n)
    w[rng.integers(n)] = 2.0  # never all zero
    return w


# ------------------------------------------------------------------ Brier, log loss


@PROPERTY
@given(binary_probs(two_classes=True), weights_for, st.booleans())
def test_binary_scores_match_sklearn(data, rng, weighted):
    y, p = data
    w = some_weights(rng, y.size) if weighted else None
    assert_same(
        lambda: cu.brier_score_loss(y, p, sample_weight=w),
        lambda: skm.brier_score_loss(y, p, sample_weight=w),
    )
    for normalize in (True, False):
        assert_same(
            lambda n=normalize: cu.log_loss(y, p, sample_weight=w, normalize=n),
            lambda n=normalize: skm.log_loss(y, p, sample_weight=w, normalize=n),
        )


@PROPERTY
@given(st.integers(2, 5), st.integers(1, 40), weights_for, st.booleans(), st.booleans())
def test_multiclass_scores_match_sklearn(k, n, rng, weighted, unnormalised):
    y = rng.integers(0, k, size=n)
    y[:k] = np.arange(k)[: min(k, n)] if n >= k else y[:n]
    p = rng.dirichlet(np.ones(k), size=y.size)
    if unnormalised:
        p = p * 0.9  # rows sum to 0.9: used as given, with scikit-learn's warning
    labels = list(range(k))
    w = some_weights(rng, y.size) if weighted else None
    for kw in ({"labels": labels}, {"labels": labels, "scale_by_half": True}):
        assert_same(
            lambda kw=kw: cu.brier_score_loss(y, p, sample_weight=w, **kw),
            lambda kw=kw: skm.brier_score_loss(y, p, sample_weight=w, **kw),
        )
    assert_same(
        lambda: cu.log_loss(y, p, sample_weight=w, labels=labels),
        lambda: skm.log_loss(y, p, sample_weight=w, labels=labels),
    )


def test_string_and_bool_labels_and_pos_label():
    y = np.array(["spam", "ham", "ham", "spam", "ham"])
    p = np.array([0.8, 0.3, 0.1, 0.6, 0.4])
    assert_same(
        lambda: cu.brier_score_loss(y, p, pos_label="spam"),
        lambda: skm.brier_score_loss(y, p, pos_label="spam"),
    )
    assert_same(
        lambda: cu.brier_score_loss(y, 1 - p, pos_label="ham"),
        lambda: skm.brier_score_loss(y, 1 - p, pos_label="ham"),
    )
    assert_same(lambda: cu.log_loss(y, p), lambda: skm.log_loss(y, p))  # "spam" sorts second
    yb = y == "spam"
    assert cu.brier_score_loss(yb, p) == pytest.approx(skm.brier_score_loss(yb, p))
    y_pm = np.where(yb, 1, -1)
    assert cu.brier_score_loss(y_pm, p) == pytest.approx(skm.brier_score_loss(y_pm, p))


def test_log_loss_clips_like_sklearn():
    y, p = [1, 0, 1], [0.0, 1.0, 1.0]
    assert_same(lambda: cu.log_loss(y, p), lambda: skm.log_loss(y, p))
    assert np.isfinite(cu.log_loss(y, p))
    p32 = np.array([0.0, 1.0, 0.5], dtype=np.float32)
    assert cu.log_loss(y, p32) == pytest.approx(skm.log_loss(y, p32), rel=1e-6)


def test_probability_matrix_per_step_with_padding():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=(4, 6))
    p = rng.dirichlet(np.ones(3), size=(4, 6))
    lengths = np.array([6, 2, 4, 1])
    valid = np.arange(6) < lengths[:, None]
    y_pad, p_pad = y.copy(), p.copy()
    y_pad[~valid], p_pad[~valid] = -100, np.nan
    for ours, theirs in ((cu.log_loss, skm.log_loss), (cu.brier_score_loss, skm.brier_score_loss)):
        expected = theirs(y[valid], p[valid], labels=[0, 1, 2])
        got = ours(y_pad, p_pad, lengths=lengths, labels=[0, 1, 2])
        assert got == pytest.approx(expected, rel=1e-12)
        assert ours(y_pad, p_pad, mask=valid, labels=[0, 1, 2]) == pytest.approx(expected)


def test_sample_weight_per_sequence():
    y = np.array([[0, 1, 1], [1, 0, 0]])
    p = np.array([[0.2, 0.7, 0.6], [0.9, 0.5, 0.1]])
    w = np.array([2.0, 1.0])
    expected = skm.log_loss(y.ravel(), p.ravel(), sample_weight=np.repeat(w, 3))
    assert cu.log_loss(y, p, sample_weight=w) == pytest.approx(expected)
    assert cu.log_loss(torch.tensor(y), torch.tensor(p), sample_weight=torch.tensor(w)) == (
        pytest.approx(expected)
    )


# ------------------------------------------------------------- calibration curve


@PROPERTY
@given(binary_probs(max_size=80), st.integers(1, 12), st.sampled_from(["uniform", "quantile"]))
def test_calibration_curve_matches_sklearn(data, n_bins, strategy):
    y, p = data
    kw = {"n_bins": n_bins, "strategy": strategy}
    assert_same(lambda: cu.calibration_curve(y, p, **kw), lambda: skc.calibration_curve(y, p, **kw))
    prob_true, prob_pred, counts = cu.calibration_curve(y, p, return_counts=True, **kw)
    assert counts.sum() == y.size and (counts > 0).all()
    assert counts.dtype == np.int64 and counts.shape == prob_true.shape
    # ECE by hand from the same bins
    ece = np.sum(counts / y.size * np.abs(prob_true - prob_pred))
    assert cu.expected_calibration_error(y, p, **kw) == pytest.approx(ece, abs=1e-12)


def test_calibration_curve_with_strings_and_padding():
    y = np.array(["a", "b", "b", "a", "b", "a"])
    p = np.array([0.1, 0.8, 0.6, 0.3, 0.9, 0.2])
    assert_same(
        lambda: cu.calibration_curve(y, p, pos_label="b", n_bins=3),
        lambda: skc.calibration_curve(y, p, pos_label="b", n_bins=3),
    )
    y2 = np.array([[0, 1, 7], [1, 1, 0]])
    p2 = np.array([[0.1, 0.8, np.nan], [0.7, 0.9, 0.3]])
    ours = cu.calibration_curve(y2, p2, lengths=[2, 3], n_bins=4)
    theirs = skc.calibration_curve([0, 1, 1, 1, 0], [0.1, 0.8, 0.7, 0.9, 0.3], n_bins=4)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b)


def test_ece_of_calibrated_and_of_overconfident_scores():
    rng = np.random.default_rng(0)
    p = rng.random(200_000)
    y = rng.random(p.size) < p  # calibrated by construction
    assert cu.expected_calibration_error(y, p) < 0.01
    assert cu.expected_calibration_error(y, np.clip(1.6 * (p - 0.5) + 0.5, 0, 1)) > 0.05


# -------------------------------------------------------- counts at thresholds


@PROPERTY
@given(binary_probs(max_size=60), weights_for, st.booleans(), st.sampled_from([None, 0, 1]))
def test_confusion_matrix_at_thresholds_matches_sklearn(data, rng, weighted, pos_label):
    y, s = data
    w = some_weights(rng, y.size) if weighted else None
    assert_same(
        lambda: cu.confusion_matrix_at_thresholds(y, s, pos_label=pos_label, sample_weight=w),
        lambda: skm.confusion_matrix_at_thresholds(y, s, pos_label=pos_label, sample_weight=w),
    )


def test_confusion_matrix_at_thresholds_labels_and_padding():
    y = np.array(["no", "yes", "yes", "no", "maybe"])
    s = np.array([0.3, 0.9, 0.2, 0.6, 0.5])
    assert_same(
        lambda: cu.confusion_matrix_at_thresholds(y, s, pos_label="yes"),
        lambda: skm.confusion_matrix_at_thresholds(y, s, pos_label="yes"),
    )
    y2 = np.array([[0, 1, -100], [1, 0, 1]])
    s2 = np.array([[0.3, 0.8, np.nan], [0.4, 0.4, 0.9]])
    ours = cu.confusion_matrix_at_thresholds(y2, s2, lengths=[2, 3])
    theirs = skm.confusion_matrix_at_thresholds([0, 1, 1, 0, 1], [0.3, 0.8, 0.4, 0.4, 0.9])
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b)


def test_cost_at_every_threshold():
    y, s = [0, 0, 1, 1, 0, 1], [0.1, 0.7, 0.4, 0.8, 0.2, 0.9]
    _, fps, fns, _, thresholds = cu.confusion_matrix_at_thresholds(y, s)
    cost = 1 * fps + 5 * fns
    best = thresholds[np.argmin(cost)]
    assert best == 0.4
    predicted = np.asarray(s) >= best
    assert cu.confusion_matrix(y, predicted.astype(int)).ravel().tolist() == [2, 1, 0, 3]


# --------------------------------------------------------------------- errors

BAD = [
    (lambda: cu.log_loss([0, 1], [0.2, 1.2]), ValueError, r"`y_proba` to hold probabilities"),
    (lambda: cu.log_loss([0, 1], [0.2, np.nan]), ValueError, r"`y_proba` to hold finite"),
    (lambda: cu.log_loss([1, 1], [0.2, 0.3]), ValueError, r"only 1\. Pass all classes"),
    (
        lambda: cu.log_loss([0, 1, 2], np.full((3, 2), 0.5)),
        ValueError,
        r"one column per class \(3",
    ),
    (lambda: cu.log_loss([0, 1], [0.2, 0.3], normalize=1), TypeError, r"`normalize`"),
    (
        lambda: cu.log_loss([0, 1], [0.2, 0.3], sample_weight=[1.0]),
        ValueError,
        r"`sample_weight` to have the shape",
    ),
    (
        lambda: cu.log_loss([0, 1], [0.2, 0.3], sample_weight=[1.0, -1.0]),
        ValueError,
        r"`sample_weight` to be non-negative",
    ),
    (
        lambda: cu.brier_score_loss([0, 1], [0.2, 0.3], sample_weight=[0.0, 0.0]),
        ValueError,
        r"`sample_weight` to give some valid step a positive weight",
    ),
    (lambda: cu.brier_score_loss(["a", "b"], [0.2, 0.3]), ValueError, r"pos_label='b'"),
    (lambda: cu.brier_score_loss([0, 1, 2], [0.2, 0.3, 0.1]), ValueError, r"two classes"),
    (lambda: cu.brier_score_loss([0, 1], [0.2, 0.3], scale_by_half="yes"), TypeError, r"scale"),
    (lambda: cu.calibration_curve([0, 1], [0.2, 0.3], n_bins=0), ValueError, r"`n_bins`"),
    (lambda: cu.calibration_curve([0, 1], [0.2, 0.3], strategy="kmeans"), ValueError, r"`strat"),
    (lambda: cu.calibration_curve([0, 1], [0.2, 0.3], return_counts=1), TypeError, r"`return_c"),
    (lambda: cu.calibration_curve([0, 1], [-0.2, 0.3]), ValueError, r"`y_prob` to hold prob"),
    (
        lambda: cu.expected_calibration_error([0, 1], [0.2, 0.3], pos_label="1"),
        ValueError,
        r"`pos_label` to be one of the labels",
    ),
    (
        lambda: cu.confusion_matrix_at_thresholds([0, 1], [0.2, 0.3], pos_label=[1]),
        TypeError,
        r"`pos_label` to be one label",
    ),
    (
        lambda: cu.confusion_matrix_at_thresholds([0, 1], [0.2, np.inf]),
        ValueError,
        r"`y_score` to hold finite",
    ),
    (lambda: cu.log_loss([0, None], [0.2, 0.3]), TypeError, r"labels of one kind"),
]


@pytest.mark.parametrize(("call", "error", "match"), BAD)
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ----------------------------------------------------------- reliability diagram


def test_reliability_diagram_draws_counts_diagonal_and_ece():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from course_utils.plots import plot_reliability_diagram

    rng = np.random.default_rng(0)
    p = rng.random(300)
    y = rng.random(300) < p
    ax = plot_reliability_diagram(y, p, n_bins=5, label="raw")
    ax = plot_reliability_diagram(y, p**2, n_bins=5, label="squared", ax=ax)
    _, _, counts = cu.calibration_curve(y, p, n_bins=5, return_counts=True)
    texts = [t.get_text() for t in ax.texts]
    assert texts[: counts.size] == [f"n={c}" for c in counts]
    assert len(texts) == 2 * counts.size  # both curves' counts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    ece = cu.expected_calibration_error(y, p, n_bins=5)
    assert legend[0] == "perfectly calibrated"
    assert legend[1] == f"raw (ECE = {ece:.3f})"
    assert sum(line.get_gid() == "diagonal" for line in ax.get_lines()) == 1
    curves = [line for line in ax.get_lines() if line.get_gid() == "course_utils.curve"]
    assert curves[0].get_color() != curves[1].get_color()
    assert curves[0].get_marker() != curves[1].get_marker()
    with pytest.raises(TypeError, match="`ax`"):
        plot_reliability_diagram(y, p, ax="left")
    with pytest.raises(ValueError, match="`y_prob` to hold probabilities"):
        plot_reliability_diagram(y, p + 1)
    plt.close("all")
