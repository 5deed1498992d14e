"""Counting right and wrong predictions: the confusion matrix and per-class totals.

Every classification metric is a ratio of counts, and every count here is one
:func:`numpy.bincount`: give each (true, predicted) pair a number, then count the numbers.
"""

from __future__ import annotations

import numpy as np

from course_utils._params import NON_NEGATIVE_INT, StrOptions, validate_params
from course_utils.metrics._validation import (
    as_label_list,
    check_option,
    encode_pair,
    require_steps,
)
from course_utils.metrics._warnings import warn

__all__ = ["confusion_matrix", "predictions_from_counts"]


@validate_params({"normalize": [StrOptions(("true", "pred", "all")), None]})
def confusion_matrix(
    y_true, y_pred, *, labels=None, sample_weight=None, normalize=None, mask=None, lengths=None
):
    """Count each (true class, predicted class) pair, in scikit-learn's layout.

    Row ``i`` is the true class, column ``j`` the predicted one, so for binary labels the
    matrix is ``[[TN, FP], [FN, TP]]`` and ``tn, fp, fn, tp = confusion_matrix(...).ravel()``.

    Parameters
    ----------
    y_true, y_pred : array-like of labels, any shape (the same for both)
        True and predicted labels (class indices, any ints, bools or strings): lists, NumPy
        arrays or torch tensors (CPU or CUDA). Every valid step counts once.
    labels : array-like, optional
        Classes to show, in this order (absent ones give rows and columns of 0). Pairs
        involving other classes are left out. Default: every class that occurs in
        ``y_true`` or ``y_pred``, sorted.
    sample_weight : array-like of float, optional
        Non-negative weight per step (shape of ``y_true`` or its leading axes): cells sum
        weights instead of counting steps.
    normalize : {"true", "pred", "all"} or None, default None
        Divide by row sums (``"true"``: each row is a recall), column sums (``"pred"``) or the
        total. Empty rows or columns give 0.
    mask : array-like of bool, optional
        True marks a real step, False padding (never counted). Same shape as ``y_true`` or as
        its leading axes.
    lengths : array-like of int, optional
        For ``(batch, time, ...)`` inputs: steps ``t >= lengths[b]`` are padding. Combined
        with ``mask`` by AND.

    Returns
    -------
    numpy.ndarray of shape (n_labels, n_labels)
        Counts (int64), or float64 for float weights or when ``normalize`` is set.

    Raises
    ------
    ValueError
        If shapes differ, float labels are not whole numbers, ``mask``/``lengths`` do not
        fit or leave nothing, ``labels`` share nothing with ``y_true``, ``sample_weight`` is
        invalid, or ``normalize`` is unknown.
    TypeError
        If an input does not hold numbers.

    Warns
    -----
    UserWarning
        If only one class is found (the matrix is 1x1); pass ``labels=[0, 1]``.

    Examples
    --------
    >>> confusion_matrix([0, 1, 1, 0, 1], [0, 1, 0, 0, 1])
    array([[2, 0],
           [1, 2]])

    Padding never counts: here the last step of the first sequence is padding.

    >>> confusion_matrix([[1, 1, 0], [0, 1, 1]], [[1, 0, 1], [0, 1, 1]], lengths=[2, 3])
    array([[1, 0],
           [1, 3]])
    """
    check_option(normalize, "normalize", ("true", "pred", "all", None))
    stats = _confusion_stats(
        y_true, y_pred, labels=labels, sample_weight=sample_weight, mask=mask, lengths=lengths
    )
    require_steps(stats["n_steps"])
    return _confusion_finalize(stats, labels=labels, normalize=normalize)


def _confusion_stats(
    y_true, y_pred, *, labels=None, sample_weight=None, mask=None, lengths=None, **_
) -> dict:
    """Counts of (true, predicted) pairs over the classes seen (and ``labels``).

    ``classes`` (sorted labels), ``cm`` (weighted counts, rows true, columns predicted),
    ``support`` (unweighted true count per class), ``n_steps`` and whether weights were
    integers (scikit-learn then keeps the matrix integer).
    """
    listed_labels = None if labels is None else as_label_list(labels)
    enc = encode_pair(
        y_true,
        y_pred,
        mask=mask,
        lengths=lengths,
        sample_weight=sample_weight,
        wanted=None if labels is None else {"labels": listed_labels},
        allow_empty=True,
    )
    t, p, w = enc.t, enc.p, enc.weights
    if t.size == 0:  # all padding
        return {
            "classes": np.empty(0, dtype=np.int64),
            "cm": np.zeros((0, 0), dtype=np.int64 if w is None else np.float64),
            "support": np.zeros(0, dtype=np.int64),
            "n_steps": np.array(0),
            "weighted": np.array(w is not None),
            "integer_weights": np.array(w is not None and _integer_weights(sample_weight)),
        }
    kept = _kept_codes(enc, listed_labels)
    k = kept.size
    if not (k == enc.n_codes and np.array_equal(kept, np.arange(k))):
        index = np.full(enc.n_codes, -1, dtype=np.int64)
        index[kept] = np.arange(k)
        t, p = index[t], index[p]
    # Pair (i, j) gets the number k*i + j (in int64: a small label dtype could overflow).
    cm = np.bincount(k * t.astype(np.int64) + p, weights=w, minlength=k * k).reshape(k, k)
    return {
        "classes": _labels_of(enc, kept),
        "cm": cm,
        "support": np.bincount(t, minlength=k),
        "n_steps": np.array(t.size),
        "weighted": np.array(w is not None),
        "integer_weights": np.array(w is not None and _integer_weights(sample_weight)),
    }


def _confusion_finalize(stats, *, labels=None, normalize=None, **_):
    classes, cm = stats["classes"], stats["cm"]
    if labels is not None:
        listed_labels = as_label_list(labels)
        listed = class_positions(classes, listed_labels)
        if stats["support"][listed].sum() == 0:
            raise ValueError(
                "Expected at least one of `labels` to occur in `y_true`, but none of "
                f"{listed_labels} does."
            )
        cm = cm[np.ix_(listed, listed)]
    if stats["integer_weights"]:
        cm = cm.astype(np.int64)  # scikit-learn keeps integer weights integer

    if cm.shape == (1, 1):
        warn(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion matrix to "
            "have the correct shape, use the 'labels' parameter to pass all known labels.",
            UserWarning,
        )
    if normalize is None:
        return cm
    with np.errstate(all="ignore"):
        if normalize == "true":
            cm = cm / cm.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            cm = cm / cm.sum(axis=0, keepdims=True)
        else:
            cm = cm / cm.sum()
    return np.nan_to_num(cm)


def _confusion_options(*, labels=None, normalize=None, **options):
    check_option(normalize, "normalize", ("true", "pred", "all", None))
    if labels is not None:
        labels = as_label_list(labels)
    return {"labels": labels, "normalize": normalize, **options}


@validate_params({name: [NON_NEGATIVE_INT] for name in ("tp", "fn", "fp", "tn")})
def predictions_from_counts(*, tp: int, fn: int, fp: int, tn: int):
    """Labels and predictions that produce given confusion counts.

    Handy to rebuild a worked example from its confusion matrix. The order is fixed: the true
    positives, then false negatives, false positives and true negatives.

    Parameters
    ----------
    tp, fn, fp, tn : int
        Non-negative counts of true positives, false negatives, false positives and true
        negatives; at least one is positive.

    Returns
    -------
    y_true, y_pred : numpy.ndarray of shape (tp + fn + fp + tn,)
        int64 arrays of 0/1 labels.

    Raises
    ------
    TypeError
        If a count is not an int.
    ValueError
        If a count is negative or all are zero.

    Examples
    --------
    The seed lessons' example: TP 50, FN 10, FP 5, TN 35.

    >>> y_true, y_pred = predictions_from_counts(tp=50, fn=10, fp=5, tn=35)
    >>> y_true.shape
    (100,)
    >>> confusion_matrix(y_true, y_pred)
    array([[35,  5],
           [10, 50]])
    """
    counts = {"tp": tp, "fn": fn, "fp": fp, "tn": tn}
    if sum(counts.values()) == 0:
        raise ValueError("Expected at least one of `tp`, `fn`, `fp`, `tn` to be positive.")

    repeats = [tp, fn, fp, tn]
    y_true = np.repeat(np.array([1, 1, 0, 0], dtype=np.int64), repeats)
    y_pred = np.repeat(np.array([1, 0, 1, 0], dtype=np.int64), repeats)
    return y_true, y_pred


# ------------------------------------------------ shared by the classification metrics


def class_totals(t: np.ndarray, p: np.ndarray, n_classes: int, weights=None):
    """Per class ``c``: true positives, predicted count and true count (support).

    Returns three int64 arrays of shape ``(n_classes,)`` (float64 sums of ``weights`` when
    given). ``t`` and ``p`` are 1-D class indices below ``n_classes``.
    """
    if weights is not None and n_classes == 2:
        tn, fp, fn, tp = np.bincount(2 * t + p, weights=weights, minlength=4)
        return np.array([tn, tp]), np.array([tn + fn, fp + tp]), np.array([tn + fp, fn + tp])
    if weights is not None:
        true = np.bincount(t, weights=weights, minlength=n_classes)
        pred = np.bincount(p, weights=weights, minlength=n_classes)
        right = t == p
        hits = np.bincount(t[right], weights=weights[right], minlength=n_classes)
        return hits, pred, true
    if n_classes == 2:
        # One pass instead of three: 2*t + p numbers the cells tn, fp, fn, tp as 0, 1, 2, 3.
        tn, fp, fn, tp = np.bincount(2 * t + p, minlength=4)
        return np.array([tn, tp]), np.array([tn + fn, fp + tp]), np.array([tn + fp, fn + tp])
    true = np.bincount(t, minlength=n_classes)
    pred = np.bincount(p, minlength=n_classes)
    hits = np.bincount(t[t == p], minlength=n_classes)
    return hits, pred, true


def class_stats(
    y_true, y_pred, *, labels=None, pos_label=None, sample_weight=None, mask=None, lengths=None, **_
) -> dict:
    """Per-class totals of one batch, for every classification metric but the matrix.

    ``labels`` and ``pos_label`` get a class even when absent from the batch. Returns
    ``classes`` (sorted labels), per class ``hits`` (true positives), ``pred`` (predicted
    count), ``true`` (support) as weight sums, ``seen`` (unweighted count of the class in
    ``y_true`` or ``y_pred``), and ``n`` (the weight of every step), ``n_steps``, ``weighted``.
    """
    wanted = {}
    if pos_label is not None:
        wanted["pos_label"] = [pos_label]
    if labels is not None:
        wanted["labels"] = list(labels)
    enc = encode_pair(
        y_true,
        y_pred,
        mask=mask,
        lengths=lengths,
        sample_weight=sample_weight,
        wanted=wanted,
        allow_empty=True,
    )
    if enc.t.size == 0:  # all padding
        zeros = np.zeros(0, dtype=np.int64 if enc.weights is None else np.float64)
        return {
            "classes": np.empty(0, dtype=np.int64),
            **dict.fromkeys(("hits", "pred", "true"), zeros),
            "seen": np.zeros(0, dtype=np.int64),
            "n": np.array(0.0 if enc.weights is not None else 0),
            "n_steps": np.array(0),
            "weighted": np.array(enc.weights is not None),
        }
    hits, pred, true = class_totals(enc.t, enc.p, enc.n_codes, enc.weights)
    if enc.weights is None:
        seen = true + pred  # unweighted: the counts are the occurrences
    else:
        seen = np.bincount(enc.t, minlength=enc.n_codes) + np.bincount(enc.p, minlength=enc.n_codes)
    kept = _kept_codes(enc, [v for values in wanted.values() for v in values], seen=seen)
    return {
        "classes": _labels_of(enc, kept),
        "hits": hits[kept],
        "pred": pred[kept],
        "true": true[kept],
        "seen": seen[kept],
        "n": np.array(enc.t.size if enc.weights is None else enc.weights.sum()),
        "n_steps": np.array(enc.t.size),
        "weighted": np.array(enc.weights is not None),
    }


#: How class statistics merge: the classes are a union, and the per-class totals follow it.
CLASS_REDUCE = {
    "classes": "union",
    "hits": "sum",
    "pred": "sum",
    "true": "sum",
    "seen": "sum",
    "n": "sum",
    "n_steps": "sum",
    "weighted": "same",
}
CLASS_INDEX = {key: ("classes",) for key in ("hits", "pred", "true", "seen")}
STAT_NAMES = {
    "classes": "the labels",
    "weighted": "whether `sample_weight` is given",
    "integer_weights": "whether `sample_weight` holds integers",
}


def class_positions(classes: np.ndarray, values) -> np.ndarray:
    """Positions of label ``values`` in sorted ``classes`` (all of them must be there)."""
    if classes.dtype.kind in "US":
        wanted = np.array([str(v) for v in values], dtype=str)
    else:
        wanted = np.array([int(v) for v in values], dtype=np.int64)
    return np.searchsorted(classes, wanted)


def _kept_codes(enc, wanted_values, seen=None) -> np.ndarray:
    """Codes that occur in the batch, plus the codes of ``wanted_values``, sorted."""
    if seen is None:
        seen = np.bincount(enc.t, minlength=enc.n_codes) + np.bincount(enc.p, minlength=enc.n_codes)
    kept = seen > 0
    if wanted_values:
        kept[[enc.code(v) for v in wanted_values]] = True
    return np.flatnonzero(kept)


def _labels_of(enc, codes: np.ndarray) -> np.ndarray:
    """Labels of codes: int64 numbers, or strings."""
    labels = enc.labels_of(codes)
    return labels if labels.dtype.kind in "US" else labels.astype(np.int64)


STREAM_SPECS = {
    "confusion_matrix": {
        "stats": _confusion_stats,
        "finalize": _confusion_finalize,
        "function": confusion_matrix,
        "options": _confusion_options,
        "reduce": {
            "classes": "union",
            "cm": "sum",
            "support": "sum",
            "n_steps": "sum",
            "weighted": "same",
            "integer_weights": "same",
        },
        "index": {"cm": ("classes", "classes"), "support": ("classes",)},
        "count": "n_steps",
        "input": "labels",
        "names": STAT_NAMES,
    },
}


def _integer_weights(sample_weight) -> bool:
    kind = getattr(sample_weight, "dtype", None)
    kind = np.asarray(sample_weight).dtype if kind is None else kind
    return getattr(kind, "kind", "f") in "biu"
