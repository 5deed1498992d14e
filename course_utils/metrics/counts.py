"""Counting right and wrong predictions: the confusion matrix and per-class totals.

Every classification metric is a ratio of counts, and every count here is one
:func:`numpy.bincount`: give each (true, predicted) pair a number, then count the numbers.
"""

from __future__ import annotations

import numbers

import numpy as np

from course_utils.metrics._validation import as_label_list, check_option, encode_pair
from course_utils.metrics._warnings import warn

__all__ = ["confusion_matrix", "predictions_from_counts"]


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
    listed_labels = None if labels is None else as_label_list(labels)
    enc = encode_pair(
        y_true,
        y_pred,
        mask=mask,
        lengths=lengths,
        sample_weight=sample_weight,
        wanted=None if labels is None else {"labels": listed_labels},
    )
    t, p, n_seen, w = enc.t, enc.p, enc.n_codes, enc.weights
    if labels is None:
        listed = enc.present()
    else:
        listed = np.array([enc.code(v) for v in listed_labels], dtype=np.int64)
        _check_some_label_in_y_true(t, listed, listed_labels)

    k = listed.size
    if k >= n_seen and np.array_equal(listed, np.arange(k)):
        # The usual case, classes 0..k-1: pair (i, j) gets the number k*i + j
        # (in int64: k*i + j can overflow a small label dtype such as uint8).
        cm = np.bincount(k * t.astype(np.int64) + p, weights=w, minlength=k * k).reshape(k, k)
    else:
        # Renumber the listed classes 0..k-1 and drop pairs involving any other class.
        index = np.full(max(n_seen, int(listed.max()) + 1), -1)
        index[listed] = np.arange(k)
        t, p = index[t], index[p]
        both_listed = (t >= 0) & (p >= 0)
        cm = np.bincount(
            k * t[both_listed] + p[both_listed],
            weights=None if w is None else w[both_listed],
            minlength=k * k,
        ).reshape(k, k)
    if w is not None and _integer_weights(sample_weight):
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
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"Expected `{name}` to be an int, but got {value!r}.")
        if value < 0:
            raise ValueError(f"Expected `{name}` to be a non-negative int, but got {value}.")
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


def _integer_weights(sample_weight) -> bool:
    kind = getattr(sample_weight, "dtype", None)
    kind = np.asarray(sample_weight).dtype if kind is None else kind
    return getattr(kind, "kind", "f") in "biu"


def _check_some_label_in_y_true(t: np.ndarray, listed: np.ndarray, shown: list) -> None:
    support = np.bincount(t, minlength=int(listed.max()) + 1)
    if support[listed].sum() == 0:
        raise ValueError(
            f"Expected at least one of `labels` to occur in `y_true`, but none of {shown} does."
        )
