"""Classification metrics and counts against scikit-learn: values, layouts and warnings."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import course_utils.metrics as cu

PROPERTY = settings(max_examples=60, deadline=None)
ZERO_DIVISIONS = ["warn", 0, 1, 0.0, 1.0, np.nan]


def run(func):
    """``func()`` and the sorted messages of the UserWarnings (incl. undefined-metric) it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = func()
    return value, sorted({str(w.message) for w in caught if issubclass(w.category, UserWarning)})


def assert_same(ours, theirs, *, warnings_match="same"):
    """Same value(s) to 1e-9, nan where scikit-learn gives nan, and matching warnings.

    ``warnings_match``: "same" messages; "flag": both warn or neither; "superset": we warn
    at least wherever scikit-learn does.
    """
    (a, a_warn), (b, b_warn) = run(ours), run(theirs)
    if isinstance(b, tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            assert (x is None) == (y is None)
            if y is not None:
                np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-12)
    else:
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
        assert type(a) is type(b) or isinstance(b, np.ndarray)
    if warnings_match == "same":
        assert a_warn == b_warn
    elif warnings_match == "flag":
        assert bool(a_warn) == bool(b_warn)
    else:
        assert bool(a_warn) or not b_warn


@st.composite
def label_pairs(draw, n_classes=2, max_size=50):
    n = draw(st.integers(1, max_size))
    labels = st.integers(0, n_classes - 1)
    y_true = draw(arrays(np.int64, n, elements=labels))
    y_pred = draw(arrays(np.int64, n, elements=labels))
    return y_true, y_pred


# ------------------------------------------------------------------- seed example


def test_seed_lesson_example():
    y_true, y_pred = cu.predictions_from_counts(tp=50, fn=10, fp=5, tn=35)
    assert y_true.dtype == y_pred.dtype == np.int64
    np.testing.assert_array_equal(cu.confusion_matrix(y_true, y_pred), [[35, 5], [10, 50]])
    assert cu.precision_score(y_true, y_pred) == pytest.approx(50 / 55, abs=1e-15)
    assert cu.recall_score(y_true, y_pred) == pytest.approx(50 / 60, abs=1e-15)
    assert cu.f1_score(y_true, y_pred) == pytest.approx(100 / 115, abs=1e-15)
    assert (
        round(cu.precision_score(y_true, y_pred), 3),
        round(cu.f1_score(y_true, y_pred), 3),
    ) == (
        0.909,
        0.87,
    )
    assert round(cu.recall_score(y_true, y_pred), 3) == 0.833
    assert cu.accuracy_score(y_true, y_pred) == 0.85
    assert cu.specificity_score(y_true, y_pred) == 35 / 40
    tn, fp, fn, tp = cu.confusion_matrix(y_true, y_pred).ravel()
    assert (tn, fp, fn, tp) == (35, 5, 10, 50)


def test_predictions_from_counts_order_is_fixed():
    y_true, y_pred = cu.predictions_from_counts(tp=2, fn=1, fp=1, tn=1)
    np.testing.assert_array_equal(y_true, [1, 1, 1, 0, 0])
    np.testing.assert_array_equal(y_pred, [1, 1, 0, 1, 0])


# ------------------------------------------------------------ against scikit-learn


@PROPERTY
@given(label_pairs(), st.sampled_from(ZERO_DIVISIONS), st.sampled_from([0, 1]))
def test_binary_scores_match_sklearn(pair, zero_division, pos_label):
    y_true, y_pred = pair
    kw = {"zero_division": zero_division, "pos_label": pos_label}
    for name in ("precision_score", "recall_score", "f1_score"):
        assert_same(
            lambda name=name: getattr(cu, name)(y_true, y_pred, **kw),
            lambda name=name: getattr(skm, name)(y_true, y_pred, **kw),
        )
    for beta in (0.0, 0.5, 2.0, np.inf):
        assert_same(
            lambda beta=beta: cu.fbeta_score(y_true, y_pred, beta=beta, **kw),
            lambda beta=beta: skm.fbeta_score(y_true, y_pred, beta=beta, **kw),
        )
    # specificity is the recall of the other class
    assert_same(
        lambda: cu.specificity_score(y_true, y_pred, **kw),
        lambda: skm.recall_score(y_true, y_pred, **{**kw, "pos_label": 1 - pos_label}),
        warnings_match="flag",  # ours says "Specificity", not "Recall"
    )


@PROPERTY
@given(
    label_pairs(n_classes=4),
    st.sampled_from(["micro", "macro", "weighted", None]),
    st.sampled_from(ZERO_DIVISIONS),
    st.sampled_from([None, [0, 1, 2, 3], [2, 0], [3, 1, 5]]),
)
def test_multiclass_scores_match_sklearn(pair, average, zero_division, labels):
    y_true, y_pred = pair
    if labels is not None and not set(labels) & set(y_true.tolist()) | set(y_pred.tolist()):
        labels = None
    kw = {"average": average, "zero_division": zero_division, "labels": labels}
    for name in ("precision_score", "recall_score", "f1_score"):
        assert_same(
            lambda name=name: getattr(cu, name)(y_true, y_pred, **kw),
            lambda name=name: getattr(skm, name)(y_true, y_pred, **kw),
        )
    assert_same(
        lambda: cu.fbeta_score(y_true, y_pred, beta=0.5, **kw),
        lambda: skm.fbeta_score(y_true, y_pred, beta=0.5, **kw),
    )
    assert_same(
        lambda: cu.precision_recall_fscore_support(y_true, y_pred, beta=2.0, **kw),
        lambda: skm.precision_recall_fscore_support(y_true, y_pred, beta=2.0, **kw),
    )


@PROPERTY
@given(label_pairs(n_classes=3), st.sampled_from(["micro", "macro", "weighted", None]))
def test_multiclass_specificity_matches_confusion_matrices(pair, average):
    y_true, y_pred = pair
    labels = np.union1d(y_true, y_pred)
    mcm = skm.multilabel_confusion_matrix(y_true, y_pred, labels=labels)  # (k, 2, 2)
    tn, fp = mcm[:, 0, 0].astype(float), mcm[:, 0, 1].astype(float)
    with np.errstate(all="ignore"):
        per_class = np.where(tn + fp > 0, tn / np.maximum(tn + fp, 1), 0.0)
    support = mcm[:, 1, 0] + mcm[:, 1, 1]
    expected = {
        None: per_class,
        "macro": per_class.mean(),
        "micro": tn.sum() / (tn + fp).sum() if (tn + fp).sum() else 0.0,
        "weighted": np.average(per_class, weights=support) if support.sum() else per_class.mean(),
    }[average]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cu.UndefinedMetricWarning)
        np.testing.assert_allclose(cu.specificity_score(y_true, y_pred, average=average), expected)


@PROPERTY
@given(label_pairs(n_classes=3, max_size=40))
def test_other_metrics_match_sklearn(pair):
    y_true, y_pred = pair
    assert_same(
        lambda: cu.accuracy_score(y_true, y_pred), lambda: skm.accuracy_score(y_true, y_pred)
    )
    assert_same(
        lambda: cu.accuracy_score(y_true, y_pred, normalize=False),
        lambda: skm.accuracy_score(y_true, y_pred, normalize=False),
    )
    # scikit-learn warns about a 1x1 confusion matrix here; we warn when the metric is
    # undefined or degenerate, which includes those cases.
    assert_same(
        lambda: cu.matthews_corrcoef(y_true, y_pred),
        lambda: skm.matthews_corrcoef(y_true, y_pred),
        warnings_match="superset",
    )
    assert_same(
        lambda: cu.balanced_accuracy_score(y_true, y_pred),
        lambda: skm.balanced_accuracy_score(y_true, y_pred),
        warnings_match="superset",
    )
    if len(np.unique(y_true)) > 1:  # scikit-learn divides 0 by 0 for one class
        assert_same(
            lambda: cu.balanced_accuracy_score(y_true, y_pred, adjusted=True),
            lambda: skm.balanced_accuracy_score(y_true, y_pred, adjusted=True),
        )


@PROPERTY
@given(
    label_pairs(n_classes=4, max_size=40),
    st.sampled_from([None, "true", "pred", "all"]),
    st.sampled_from([None, [0, 1, 2, 3], [3, 0], [1, 2, 7]]),
)
def test_confusion_matrix_matches_sklearn(pair, normalize, labels):
    y_true, y_pred = pair
    if labels is not None and not set(labels) & set(y_true.tolist()):
        labels = None
    assert_same(
        lambda: cu.confusion_matrix(y_true, y_pred, labels=labels, normalize=normalize),
        lambda: skm.confusion_matrix(y_true, y_pred, labels=labels, normalize=normalize),
    )
    counts, _ = run(lambda: cu.confusion_matrix(y_true, y_pred, labels=labels))
    assert counts.dtype == np.int64


@PROPERTY
@given(
    label_pairs(n_classes=3, max_size=40),
    st.sampled_from([None, [0, 1, 2], [2, 0], [0, 1, 2, 3]]),
    st.integers(0, 4),
    st.sampled_from(ZERO_DIVISIONS),
)
def test_classification_report_matches_sklearn(pair, labels, digits, zero_division):
    y_true, y_pred = pair
    names = None if labels is None else [f"class {k}" for k in labels]
    kw = {"labels": labels, "target_names": names, "digits": digits}
    kw["zero_division"] = zero_division
    (text, ours_warn), (sk_text, sk_warn) = (
        run(lambda: cu.classification_report(y_true, y_pred, **kw)),
        run(lambda: skm.classification_report(y_true, y_pred, **kw)),
    )
    if not (y_true == y_pred).any():
        # With no right prediction, scikit-learn's counts become float zeros and support
        # prints as "1.0"; ours stays an int, right-aligned in the same column.
        sk_text = re.sub(r" *\d+\.0$", lambda m: f"{m[0][:-2]:>{len(m[0])}}", sk_text, flags=re.M)
    assert text == sk_text
    assert ours_warn == sk_warn
    ours, _ = run(lambda: cu.classification_report(y_true, y_pred, output_dict=True, **kw))
    theirs, _ = run(lambda: skm.classification_report(y_true, y_pred, output_dict=True, **kw))
    assert list(ours) == list(theirs)
    for key, value in theirs.items():
        if isinstance(value, dict):
            assert list(ours[key]) == list(value)
            np.testing.assert_allclose(list(ours[key].values()), list(value.values()))
        else:
            np.testing.assert_allclose(ours[key], value)


def test_classification_report_layout_for_the_seed_example():
    y_true, y_pred = cu.predictions_from_counts(tp=50, fn=10, fp=5, tn=35)
    text = cu.classification_report(y_true, y_pred, digits=3)
    assert text == skm.classification_report(y_true, y_pred, digits=3)
    assert "       1      0.909     0.833     0.870        60" in text


# -------------------------------------------------------------- degenerate inputs


def test_one_class_everywhere():
    y = np.ones(10, dtype=int)
    assert_same(lambda: cu.f1_score(y, y), lambda: skm.f1_score(y, y))
    assert_same(lambda: cu.confusion_matrix(y, y), lambda: skm.confusion_matrix(y, y))
    np.testing.assert_array_equal(cu.confusion_matrix(y, y, labels=[0, 1]), [[0, 0], [0, 10]])
    zeros = np.zeros(10, dtype=int)
    assert_same(lambda: cu.f1_score(zeros, zeros), lambda: skm.f1_score(zeros, zeros))
    assert_same(lambda: cu.precision_score(zeros, y), lambda: skm.precision_score(zeros, y))
    assert_same(lambda: cu.recall_score(y, zeros), lambda: skm.recall_score(y, zeros))
    with pytest.warns(cu.UndefinedMetricWarning, match="Matthews"):
        assert cu.matthews_corrcoef(y, y) == 0.0
    with pytest.warns(cu.UndefinedMetricWarning, match="one class"):
        assert np.isnan(cu.balanced_accuracy_score(y, y, adjusted=True))


def test_undefined_precision_warns_like_sklearn():
    with pytest.warns(cu.UndefinedMetricWarning, match="Precision is ill-defined"):
        assert cu.precision_score([1, 0, 1], [0, 0, 0]) == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cu.precision_score([1, 0, 1], [0, 0, 0], zero_division=1) == 1.0
        assert np.isnan(cu.precision_score([1, 0, 1], [0, 0, 0], zero_division=np.nan))


def test_warning_points_at_the_callers_line():
    with pytest.warns(cu.UndefinedMetricWarning) as record:
        cu.precision_score([1, 0], [0, 0])
    assert record[0].filename == __file__


def test_pos_label_ignored_warning_outside_binary():
    with pytest.warns(UserWarning, match="pos_label"):
        cu.f1_score([0, 1, 2], [0, 1, 1], average="macro", pos_label=0)


def test_large_n_matches_sklearn():
    rng = np.random.default_rng(0)
    y_true = (rng.random(300_000) < 0.05).astype(np.int64)
    y_pred = (rng.random(300_000) < 0.07).astype(np.int64)
    assert_same(lambda: cu.f1_score(y_true, y_pred), lambda: skm.f1_score(y_true, y_pred))
    assert_same(
        lambda: cu.confusion_matrix(y_true, y_pred), lambda: skm.confusion_matrix(y_true, y_pred)
    )
    assert_same(
        lambda: cu.matthews_corrcoef(y_true, y_pred), lambda: skm.matthews_corrcoef(y_true, y_pred)
    )


# ------------------------------------------------------------- input types


@pytest.mark.parametrize(
    "convert",
    [
        list,
        lambda a: a.astype(bool),
        lambda a: a.astype(np.uint8),
        lambda a: a.astype(np.int8),
        lambda a: a.astype(np.uint64),
        lambda a: a.astype(np.float32),  # e.g. targets kept as floats for BCE
        torch.from_numpy,
        lambda a: torch.from_numpy(a).float().requires_grad_(),
        lambda a: torch.from_numpy(a).to(torch.bfloat16),
    ],
)
def test_input_types_give_the_same_numbers(convert):
    y_true, y_pred = cu.predictions_from_counts(tp=5, fn=3, fp=2, tn=7)
    converted = convert(y_true), convert(y_pred)
    assert cu.f1_score(*converted) == cu.f1_score(y_true, y_pred)
    np.testing.assert_array_equal(
        cu.confusion_matrix(*converted), cu.confusion_matrix(y_true, y_pred)
    )
    assert cu.matthews_corrcoef(*converted) == cu.matthews_corrcoef(y_true, y_pred)


def test_small_label_dtypes_do_not_overflow():
    # 20 classes in uint8: the pair code 20 * 19 + 19 does not fit in a uint8
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 20, 500).astype(np.uint8)
    y_pred = rng.integers(0, 20, 500).astype(np.uint8)
    np.testing.assert_array_equal(
        cu.confusion_matrix(y_true, y_pred), skm.confusion_matrix(y_true, y_pred)
    )


def test_per_step_labels_are_flattened():
    y_true = np.array([[0, 1, 1], [1, 0, 0]])
    y_pred = np.array([[0, 1, 0], [1, 1, 0]])
    assert cu.accuracy_score(y_true, y_pred) == skm.accuracy_score(y_true.ravel(), y_pred.ravel())
    assert cu.f1_score(y_true, y_pred) == skm.f1_score(y_true.ravel(), y_pred.ravel())


# ------------------------------------------------------- mask= and lengths=


@st.composite
def padded_labels(draw, n_classes=2):
    batch = draw(st.integers(1, 6))
    time = draw(st.integers(1, 8))
    lengths = np.array(draw(st.lists(st.integers(0, time), min_size=batch, max_size=batch)))
    if lengths.sum() == 0:
        lengths[0] = 1
    labels = st.integers(0, n_classes - 1)
    y_true = draw(arrays(np.int64, (batch, time), elements=labels))
    y_pred = draw(arrays(np.int64, (batch, time), elements=labels))
    padding = np.arange(time) >= lengths[:, None]
    y_true[padding], y_pred[padding] = -100, 99  # garbage that would fail validation
    return y_true, y_pred, lengths


@PROPERTY
@given(padded_labels(n_classes=3))
def test_lengths_and_mask_equal_the_metric_on_unpadded_steps(padded):
    y_true, y_pred, lengths = padded
    valid = np.arange(y_true.shape[1]) < lengths[:, None]
    flat_true, flat_pred = y_true[valid], y_pred[valid]
    extra = np.random.default_rng(0).random(y_true.shape) < 0.8  # also drop some real steps
    extra[tuple(np.argwhere(valid)[0])] = True  # but keep one
    both = valid & extra
    for name, kw in [
        ("accuracy_score", {}),
        ("balanced_accuracy_score", {}),
        ("matthews_corrcoef", {}),
        ("f1_score", {"average": "macro", "zero_division": 0}),
        ("precision_score", {"average": None, "zero_division": 0}),
        ("confusion_matrix", {}),
    ]:
        func = getattr(cu, name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = getattr(skm, name)(flat_true, flat_pred, **kw)
            np.testing.assert_allclose(func(y_true, y_pred, lengths=lengths, **kw), expected)
            np.testing.assert_allclose(func(y_true, y_pred, mask=valid, **kw), expected)
            np.testing.assert_allclose(
                func(y_true, y_pred, lengths=lengths, mask=extra, **kw),
                getattr(skm, name)(y_true[both], y_pred[both], **kw),
            )


def test_all_but_one_step_masked():
    y_true = np.array([[1, 0, 1], [0, 1, 1]])
    y_pred = np.array([[1, 1, 0], [1, 0, 0]])
    mask = np.zeros_like(y_true, dtype=bool)
    mask[0, 0] = True
    assert cu.accuracy_score(y_true, y_pred, mask=mask) == 1.0
    assert cu.f1_score(y_true, y_pred, mask=mask) == 1.0
    assert cu.accuracy_score(y_true, y_pred, lengths=[1, 0]) == 1.0
    np.testing.assert_array_equal(
        cu.confusion_matrix(y_true, y_pred, mask=mask, labels=[0, 1]), [[0, 0], [0, 1]]
    )


def test_leading_axis_mask_and_integer_mask():
    y_true = np.array([[1, 0], [0, 1], [1, 1]])
    y_pred = np.array([[1, 0], [1, 1], [1, 0]])
    keep_sequences = np.array([True, False, True])  # a mask over the batch axis only
    assert cu.accuracy_score(y_true, y_pred, mask=keep_sequences) == 0.75
    assert cu.accuracy_score(y_true, y_pred, mask=keep_sequences.astype(int)) == 0.75
    assert cu.accuracy_score(y_true, y_pred, mask=torch.tensor(keep_sequences)) == 0.75
