"""Property-based agreement with scikit-learn for every argument added for issue 13: labels of
any kind and ``pos_label``, ``sample_weight=``, and multiclass ``average=``/``multi_class=``."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

import course_utils.metrics as cu

PROPERTY = settings(max_examples=60, deadline=None)

# Label sets as learners meet them: class indices, -1/1, strings, bools, gaps, negatives.
BINARY_SETS = [[0, 1], [-1, 1], [3, 7], ["ham", "spam"], [False, True], [-5, 0]]
MULTI_SETS = [[0, 1, 2], [-2, 0, 5], ["a", "b", "c", "d"], [1, 2, 3, 4, 5]]


def run(func):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = func()
    return value, sorted({str(w.message) for w in caught if issubclass(w.category, UserWarning)})


def assert_same(ours, theirs, *, same_warnings=True):
    (a, a_warn), (b, b_warn) = run(ours), run(theirs)
    pairs = zip(a, b, strict=True) if isinstance(b, tuple) else [(a, b)]
    for x, y in pairs:
        if y is None:
            assert x is None
            continue
        assert np.shape(x) == np.shape(y)
        np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-12)
    if same_warnings:
        assert a_warn == b_warn


@st.composite
def labelled(draw, sets=BINARY_SETS, max_size=40):
    """y_true, y_pred drawn from one label set, and that set."""
    values = draw(st.sampled_from(sets))
    n = draw(st.integers(1, max_size))
    pick = st.integers(0, len(values) - 1)
    t = draw(st.lists(pick, min_size=n, max_size=n))
    p = draw(st.lists(pick, min_size=n, max_size=n))
    arr = np.array(values)
    return arr[t], arr[p], values


@st.composite
def weights(draw, n):
    """None, or non-negative weights (some zero, never all zero)."""
    if draw(st.booleans()):
        return None
    w = np.array(
        draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.25]), min_size=n, max_size=n))
    )
    w[draw(st.integers(0, n - 1))] = 1.5
    return w


# ------------------------------------------------------------------ classification


@PROPERTY
@given(st.data())
def test_binary_metrics_with_any_labels_pos_label_and_weights(data):
    y_true, y_pred, values = data.draw(labelled())
    pos_label = data.draw(st.sampled_from(values))
    w = data.draw(weights(y_true.size))
    kw = {"pos_label": pos_label, "sample_weight": w}
    for name in ("precision_score", "recall_score", "f1_score"):
        assert_same(
            lambda n=name: getattr(cu, n)(y_true, y_pred, **kw),
            lambda n=name: getattr(skm, n)(y_true, y_pred, **kw),
        )
    assert_same(
        lambda: cu.fbeta_score(y_true, y_pred, beta=0.5, **kw),
        lambda: skm.fbeta_score(y_true, y_pred, beta=0.5, **kw),
    )
    if len(values) == 2 and set(y_true.tolist()) | set(y_pred.tolist()) == set(values):
        negative = values[0] if pos_label == values[1] else values[1]
        assert_same(  # specificity is the recall of the other class
            lambda: cu.specificity_score(y_true, y_pred, pos_label=pos_label, sample_weight=w),
            lambda: skm.recall_score(y_true, y_pred, pos_label=negative, sample_weight=w),
            same_warnings=False,
        )
    assert_same(
        lambda: cu.accuracy_score(y_true, y_pred, sample_weight=w),
        lambda: skm.accuracy_score(y_true, y_pred, sample_weight=w),
    )
    assert_same(
        lambda: cu.accuracy_score(y_true, y_pred, sample_weight=w, normalize=False),
        lambda: skm.accuracy_score(y_true, y_pred, sample_weight=w, normalize=False),
    )
    assert_same(
        lambda: cu.confusion_matrix(y_true, y_pred, sample_weight=w),
        lambda: skm.confusion_matrix(y_true, y_pred, sample_weight=w),
    )
    # scikit-learn warns about a single class in different words; compare values only
    assert_same(
        lambda: cu.matthews_corrcoef(y_true, y_pred, sample_weight=w),
        lambda: skm.matthews_corrcoef(y_true, y_pred, sample_weight=w),
        same_warnings=False,
    )
    assert_same(
        lambda: cu.balanced_accuracy_score(y_true, y_pred, sample_weight=w),
        lambda: skm.balanced_accuracy_score(y_true, y_pred, sample_weight=w),
        same_warnings=False,
    )


@PROPERTY
@given(st.data(), st.sampled_from(["macro", "micro", "weighted", None]))
def test_multiclass_metrics_with_any_labels_and_weights(data, average):
    y_true, y_pred, values = data.draw(labelled(MULTI_SETS))
    w = data.draw(weights(y_true.size))
    kw = {"average": average, "sample_weight": w, "zero_division": 0}
    assert_same(
        lambda: cu.precision_recall_fscore_support(y_true, y_pred, **kw),
        lambda: skm.precision_recall_fscore_support(y_true, y_pred, **kw),
    )
    if y_true.size and set(y_true.tolist()) & set(values[:2]):
        listed = list(reversed(values[:3]))  # an order of our own, some maybe absent
        assert_same(
            lambda: cu.confusion_matrix(y_true, y_pred, labels=listed, sample_weight=w),
            lambda: skm.confusion_matrix(y_true, y_pred, labels=listed, sample_weight=w),
        )
        assert_same(
            lambda: cu.f1_score(y_true, y_pred, labels=listed, **kw),
            lambda: skm.f1_score(y_true, y_pred, labels=listed, **kw),
        )
    ours = cu.classification_report(
        y_true, y_pred, output_dict=True, sample_weight=w, zero_division=0
    )
    theirs = skm.classification_report(
        y_true, y_pred, output_dict=True, sample_weight=w, zero_division=0
    )
    assert list(ours) == list(theirs)
    for key, row in theirs.items():
        np.testing.assert_allclose(
            ours[key] if not isinstance(row, dict) else [ours[key][k] for k in row],
            row if not isinstance(row, dict) else list(row.values()),
            rtol=1e-9,
        )


def test_report_text_with_string_labels_matches_sklearn():
    y_true = ["ham", "spam", "spam", "ham", "eggs", "spam"]
    y_pred = ["ham", "spam", "ham", "ham", "eggs", "eggs"]
    assert cu.classification_report(y_true, y_pred, zero_division=0) == (
        skm.classification_report(y_true, y_pred, zero_division=0)
    )


def test_pos_label_true_and_float_one():
    y_true = np.array([True, False, True, True])
    y_pred = np.array([True, True, False, True])
    for pos_label in (True, 1, 1.0, False, 0):
        assert cu.f1_score(y_true, y_pred, pos_label=pos_label) == pytest.approx(
            skm.f1_score(y_true, y_pred, pos_label=pos_label)
        )
    y_float = y_true.astype(float)
    assert cu.recall_score(y_float, y_pred.astype(float), pos_label=1.0) == pytest.approx(2 / 3)


# --------------------------------------------------------------------- ranking


@st.composite
def scored(draw, sets=BINARY_SETS, max_size=40):
    values = draw(st.sampled_from(sets))
    n = draw(st.integers(1, max_size))
    t = np.array(values)[draw(st.lists(st.integers(0, len(values) - 1), min_size=n, max_size=n))]
    tied = draw(st.booleans())
    grid = [0.0, 0.25, 0.5, 1.0] if tied else None
    s = np.array(
        draw(
            st.lists(
                st.sampled_from(grid) if tied else st.floats(-5, 5, width=64),
                min_size=n,
                max_size=n,
            )
        )
    )
    return t, s, values


@PROPERTY
@given(st.data(), st.booleans())
def test_curves_with_any_pos_label_and_weights(data, drop_intermediate):
    y_true, y_score, values = data.draw(scored(BINARY_SETS + MULTI_SETS))
    pos_label = data.draw(st.sampled_from(values))
    w = data.draw(weights(y_true.size))
    kw = {"pos_label": pos_label, "sample_weight": w, "drop_intermediate": drop_intermediate}
    assert_same(
        lambda: cu.precision_recall_curve(y_true, y_score, **kw),
        lambda: skm.precision_recall_curve(y_true, y_score, **kw),
    )
    assert_same(
        lambda: cu.roc_curve(y_true, y_score, **kw),
        lambda: skm.roc_curve(y_true, y_score, **kw),
    )


@PROPERTY
@given(st.data())
def test_areas_with_any_binary_labels_and_weights(data):
    y_true, y_score, values = data.draw(scored())
    w = data.draw(weights(y_true.size))
    pos_label = data.draw(st.sampled_from(values))
    if len(set(y_true.tolist())) == 2 or pos_label in (0, 1):
        assert_same(
            lambda: cu.average_precision_score(
                y_true, y_score, pos_label=pos_label, sample_weight=w
            ),
            lambda: skm.average_precision_score(
                y_true, y_score, pos_label=pos_label, sample_weight=w
            ),
        )
    if len(set(y_true.tolist())) == 2:
        assert_same(
            lambda: cu.roc_auc_score(y_true, y_score, sample_weight=w),
            lambda: skm.roc_auc_score(y_true, y_score, sample_weight=w),
        )


@st.composite
def score_matrices(draw, max_size=40):
    """Multiclass labels where every class occurs, and probability rows (sometimes tied)."""
    values = draw(st.sampled_from(MULTI_SETS))
    k = len(values)
    n = draw(st.integers(k, max_size))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    codes = np.concatenate([np.arange(k), rng.integers(0, k, size=n - k)])
    rng.shuffle(codes)
    proba = rng.dirichlet(np.ones(k), size=n)
    if draw(st.booleans()):
        proba = np.round(proba, 1)
        proba /= proba.sum(axis=1, keepdims=True)
    return np.array(values)[codes], proba, values, rng


@PROPERTY
@given(score_matrices(), st.sampled_from(["macro", "micro", "weighted", None]), st.booleans())
def test_multiclass_average_precision_matches_sklearn(data, average, weighted):
    y_true, proba, _, rng = data
    w = rng.choice([0.0, 1.0, 2.5], size=y_true.size) + 0.1 if weighted else None
    assert_same(
        lambda: cu.average_precision_score(y_true, proba, average=average, sample_weight=w),
        lambda: skm.average_precision_score(y_true, proba, average=average, sample_weight=w),
    )


@PROPERTY
@given(
    score_matrices(),
    st.sampled_from(
        [
            ("ovr", "macro"),
            ("ovr", "weighted"),
            ("ovr", "micro"),
            ("ovr", None),
            ("ovo", "macro"),
            ("ovo", "weighted"),
        ]
    ),
    st.booleans(),
)
def test_multiclass_roc_auc_matches_sklearn(data, setting, weighted):
    y_true, proba, values, rng = data
    multi_class, average = setting
    w = rng.choice([0.0, 1.0, 2.5], size=y_true.size) + 0.1 if weighted else None
    if multi_class == "ovo":
        w = None
    kw = {"multi_class": multi_class, "average": average, "sample_weight": w}
    assert_same(
        lambda: cu.roc_auc_score(y_true, proba, **kw),
        lambda: skm.roc_auc_score(y_true, proba, **kw),
    )
    assert_same(
        lambda: cu.roc_auc_score(y_true, proba, labels=sorted(values), **kw),
        lambda: skm.roc_auc_score(y_true, proba, labels=sorted(values), **kw),
    )


def test_ovr_rows_not_summing_to_one_are_used_as_given():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 3, size=60)
    logits = rng.normal(size=(60, 3)) + 2 * np.eye(3)[y_true]  # not probabilities
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = cu.roc_auc_score(y_true, logits, multi_class="ovr", average=None)
    expected = [skm.roc_auc_score(y_true == k, logits[:, k]) for k in range(3)]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="sum up to 1"):
        skm.roc_auc_score(y_true, logits, multi_class="ovr")  # scikit-learn refuses them


def test_one_vs_rest_curves_are_the_binary_curves_per_class():
    rng = np.random.default_rng(1)
    labels = np.array(["a", "b", "c"])
    y_true = labels[rng.integers(0, 3, size=80)]
    proba = rng.dirichlet(np.ones(3), size=80)
    w = rng.random(80)
    for curve, func in (("roc", skm.roc_curve), ("pr", skm.precision_recall_curve)):
        got = cu.one_vs_rest_curves(y_true, proba, curve=curve, sample_weight=w)
        assert list(got) == ["a", "b", "c", "micro"]
        for k, label in enumerate(labels):
            for x, y in zip(
                got[label], func(y_true == label, proba[:, k], sample_weight=w), strict=True
            ):
                np.testing.assert_allclose(x, y)
        onehot = (y_true[:, None] == labels).ravel()
        micro = func(onehot, proba.ravel(), sample_weight=np.repeat(w, 3))
        for x, y in zip(got["micro"], micro, strict=True):
            np.testing.assert_allclose(x, y)


def test_score_matrices_with_padding():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 3, size=(5, 7))
    proba = rng.dirichlet(np.ones(3), size=(5, 7))
    lengths = np.array([7, 3, 5, 7, 2])
    valid = np.arange(7) < lengths[:, None]
    y[~valid], proba[~valid] = -100, np.nan
    y_flat, p_flat = y[valid], proba[valid]
    assert cu.roc_auc_score(y, proba, lengths=lengths, multi_class="ovo") == pytest.approx(
        skm.roc_auc_score(y_flat, p_flat, multi_class="ovo")
    )
    assert cu.average_precision_score(y, proba, mask=valid) == pytest.approx(
        skm.average_precision_score(y_flat, p_flat)
    )


@pytest.mark.parametrize(
    ("y_true", "y_score", "trapezoid"),
    [([1, 0, 0, 1], [0.9, 0.8, 0.7, 0.1], 0.7083333), ([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.5], 0.875)],
)
def test_average_precision_is_not_the_trapezoid(y_true, y_score, trapezoid):
    # the two examples of the docstring: the trapezoid errs either way
    precision, recall, _ = cu.precision_recall_curve(y_true, y_score)
    assert cu.average_precision_score(y_true, y_score) == 0.75
    assert skm.auc(recall, precision) == pytest.approx(trapezoid)


# ------------------------------------------------------------------ regression


@PROPERTY
@given(st.integers(1, 30), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_regression_sample_weight_matches_sklearn(n, n_outputs, seed):
    rng = np.random.default_rng(seed)
    shape = (n,) if n_outputs == 1 else (n, n_outputs)
    y_true, y_pred = rng.normal(size=shape), rng.normal(size=shape)
    w = rng.choice([0.0, 0.5, 2.0], size=n)
    w[0] = 1.0
    for name in ("mean_squared_error", "mean_absolute_error", "root_mean_squared_error"):
        for multioutput in ("uniform_average", "raw_values"):
            assert_same(
                lambda n=name, m=multioutput: getattr(cu, n)(
                    y_true, y_pred, sample_weight=w, multioutput=m
                ),
                lambda n=name, m=multioutput: getattr(skm, n)(
                    y_true, y_pred, sample_weight=w, multioutput=m
                ),
            )


def test_regression_weights_per_sequence_with_lengths():
    y_true = np.array([[1.0, 2.0, 9.0], [3.0, 4.0, 5.0]])
    y_pred = np.array([[2.0, 2.0, 0.0], [3.0, 6.0, 5.0]])
    got = cu.mean_absolute_error(y_true, y_pred, lengths=[2, 3], sample_weight=[2.0, 1.0])
    expected = np.average([1, 0, 0, 2, 0], weights=[2, 2, 1, 1, 1])
    assert got == pytest.approx(expected)


# ------------------------------------------------------- weights with padding


@PROPERTY
@given(st.integers(1, 5), st.integers(1, 6), st.integers(0, 2**32 - 1), st.booleans())
def test_weights_and_padding_select_the_same_steps(batch, time, seed, per_sequence):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, time + 1, size=batch)
    lengths[0] = max(lengths[0], 1)
    valid = np.arange(time) < lengths[:, None]
    y = rng.integers(0, 2, size=(batch, time))
    pred = rng.integers(0, 2, size=(batch, time))
    score = rng.random((batch, time))
    w = rng.choice([0.5, 1.0, 2.0], size=batch if per_sequence else (batch, time))
    w_steps = np.broadcast_to(w[:, None], (batch, time)) if per_sequence else w
    y_pad, score_pad = y.copy(), score.copy()
    y_pad[~valid], score_pad[~valid] = -100, np.nan
    flat = {"sample_weight": w_steps[valid]}
    pairs = [
        (cu.f1_score, skm.f1_score, pred),
        (cu.accuracy_score, skm.accuracy_score, pred),
        (cu.precision_recall_curve, skm.precision_recall_curve, score),
        (cu.roc_curve, skm.roc_curve, score),
        (cu.average_precision_score, skm.average_precision_score, score),
    ]
    for ours, theirs, second in pairs:
        padded = score_pad if second is score else second
        assert_same(
            lambda o=ours, p=padded: o(y_pad, p, lengths=lengths, sample_weight=w),
            lambda t=theirs, s=second: t(y[valid], s[valid], **flat),
        )
        assert_same(
            lambda o=ours, p=padded: o(y_pad, p, mask=valid, sample_weight=w),
            lambda t=theirs, s=second: t(y[valid], s[valid], **flat),
        )
    assert cu.mean_squared_error(
        score_pad, y_pad, lengths=lengths, sample_weight=w
    ) == pytest.approx(skm.mean_squared_error(score[valid], y[valid], **flat))
