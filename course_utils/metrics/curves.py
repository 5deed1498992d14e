"""Threshold curves and the areas under them, equal to scikit-learn's.

A binary classifier gives each step a score; choosing a threshold turns scores into labels
(positive when ``score >= threshold``). Sweeping the threshold over every distinct score
traces a curve. At each threshold a curve needs two counts: how many steps score at or above
it (predicted positives) and how many of those are positives (TP; the rest are FP). Sorting
the scores gives both:

- the distinct scores, in order, are the thresholds;
- the steps scoring ``>= threshold`` are those from the threshold's first sorted position on;
- each positive is dropped at the sorted position of its score, and a cumulative sum from
  the right counts the positives at or above every threshold.

This is scikit-learn's "argsort, then cumulative sum" without the argsort: sorting values
is several times cheaper than sorting indices, and the numbers are the same.

All functions are binary: ``y_true`` holds 0/1 (or bool) and ``y_score`` the scores of class 1
as given (probabilities, logits or any other ranking; no sigmoid is applied).
"""

from __future__ import annotations

import numpy as np

from course_utils.metrics._docs import MASK_AND_LENGTHS, fill_doc
from course_utils.metrics._validation import (
    as_class_indices,
    as_finite_floats,
    check_binary,
    check_bool,
    check_pos_label,
    positive_class,
    valid_labels_and_values,
    valid_pair,
)
from course_utils.metrics._warnings import warn

__all__ = [
    "average_precision_score",
    "confusion_matrix_at_thresholds",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
]

_BINARY_ONLY = (
    "for curves and their areas",
    "Score one class against the rest: pass `y_true == k` and the scores of class k.",
)

_SHARED_PARAMETERS = """\
    y_true : array-like of 0/1 or bool, any shape
        True labels: lists, NumPy arrays or torch tensors (CPU or CUDA).
    y_score : array-like of float, same shape as ``y_true``
        Scores of the positive class, higher meaning more likely positive: probabilities,
        logits or any ranking. Must be finite on valid steps."""

_SHARED_SELECTION = MASK_AND_LENGTHS

_SHARED_RAISES = """\
    ValueError
        If shapes differ, ``y_true`` holds labels other than 0/1, ``y_score`` holds NaN or
        infinity on a valid step, ``mask``/``lengths`` do not fit or leave no step, or
        ``pos_label`` is not 0 or 1.
    TypeError
        If an input does not hold numbers or a flag is not a bool."""


_shared_docs = fill_doc(
    parameters=_SHARED_PARAMETERS, selection=_SHARED_SELECTION, raises=_SHARED_RAISES
)


@_shared_docs
def precision_recall_curve(
    y_true, y_score, *, pos_label=1, drop_intermediate=False, mask=None, lengths=None
):
    """Precision and recall at every distinct threshold.

    Parameters
    ----------
    {parameters}
    pos_label : {0, 1}, default 1
        The class ``y_score`` scores.
    drop_intermediate : bool, default False
        Keep only the first and last threshold of each recall level (a lighter plot with
        the same shape).
    {selection}

    Returns
    -------
    precision : numpy.ndarray of shape (n_thresholds + 1,)
        ``precision[i]`` at ``thresholds[i]``, then a final 1.
    recall : numpy.ndarray of shape (n_thresholds + 1,)
        Decreasing, then a final 0 (the curve's end at precision 1, recall 0).
    thresholds : numpy.ndarray of shape (n_thresholds,)
        The distinct scores, increasing.

    Raises
    ------
    {raises}

    Warns
    -----
    UndefinedMetricWarning
        If ``y_true`` has no positives (recall is then set to 1 at every threshold).

    Examples
    --------
    >>> precision, recall, thresholds = precision_recall_curve(
    ...     [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]
    ... )
    >>> precision
    array([0.5       , 0.66666667, 0.5       , 1.        , 1.        ])
    >>> recall
    array([1. , 1. , 0.5, 0.5, 0. ])
    >>> thresholds
    array([0.1 , 0.35, 0.4 , 0.8 ])
    """
    check_pos_label(pos_label)
    check_bool(drop_intermediate, "drop_intermediate")
    is_pos, scores = _binary_inputs(y_true, y_score, pos_label, mask, lengths)
    tps, pps, thresholds = _counts_at_thresholds(is_pos, scores)

    if drop_intermediate and tps.size > 2:
        # Keep both ends and every point next to a change of TP (i.e. of recall).
        tp_changes = (tps[:-2] != tps[1:-1]) | (tps[1:-1] != tps[2:])
        keep = np.concatenate(([True], tp_changes, [True]))
        tps, pps, thresholds = tps[keep], pps[keep], thresholds[keep]

    # One slot more than thresholds: the curve ends at precision 1, recall 0.
    precision, recall = np.empty(tps.size + 1), np.empty(tps.size + 1)
    precision[-1], recall[-1] = 1.0, 0.0
    np.divide(tps, pps, out=precision[:-1])  # pps >= 1: each threshold is some step's score
    n_pos = tps[0]  # at the lowest threshold every step is predicted positive
    if n_pos == 0:
        warn("No positive class found in y_true, recall is set to one for all thresholds.")
        recall[:-1] = 1.0
    else:
        np.divide(tps, n_pos, out=recall[:-1])
    return precision, recall, thresholds


@_shared_docs
def roc_curve(y_true, y_score, *, pos_label=1, drop_intermediate=True, mask=None, lengths=None):
    """False and true positive rates at every distinct threshold, highest threshold first.

    Parameters
    ----------
    {parameters}
    pos_label : {0, 1}, default 1
        The class ``y_score`` scores.
    drop_intermediate : bool, default True
        Drop thresholds whose point lies on a straight segment between its neighbours
        (they change neither the plot nor the area).
    {selection}

    Returns
    -------
    fpr : numpy.ndarray of shape (n_points,)
        False positive rate ``fp / n_negatives``, increasing from 0.
    tpr : numpy.ndarray of shape (n_points,)
        True positive rate (recall) ``tp / n_positives``, increasing from 0.
    thresholds : numpy.ndarray of shape (n_points,)
        Decreasing float64; the first is ``inf`` (nothing predicted positive).

    Raises
    ------
    {raises}

    Warns
    -----
    UndefinedMetricWarning
        If ``y_true`` has no negatives (``fpr`` is nan) or no positives (``tpr`` is nan).

    Examples
    --------
    >>> fpr, tpr, thresholds = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr
    array([0. , 0. , 0.5, 0.5, 1. ])
    >>> tpr
    array([0. , 0.5, 0.5, 1. , 1. ])
    >>> thresholds
    array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    """
    check_pos_label(pos_label)
    check_bool(drop_intermediate, "drop_intermediate")
    is_pos, scores = _binary_inputs(y_true, y_score, pos_label, mask, lengths)
    return _roc(is_pos, scores, drop_intermediate=drop_intermediate)


@_shared_docs
def average_precision_score(y_true, y_score, *, pos_label=1, mask=None, lengths=None):
    """Average precision: the mean of the precisions at each threshold, weighted by recall gained.

    ``AP = sum_i (recall[i] - recall[i+1]) * precision[i]``, the area under the step-shaped
    precision-recall curve (no interpolation, as in scikit-learn).

    Parameters
    ----------
    {parameters}
    pos_label : {0, 1}, default 1
        The class ``y_score`` scores.
    {selection}

    Returns
    -------
    float
        In [0, 1]; the fraction of positives for a random ranking.

    Raises
    ------
    {raises}

    Warns
    -----
    UndefinedMetricWarning
        If ``y_true`` has no positives (the result is 0).

    Examples
    --------
    >>> round(average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    precision, recall, _ = precision_recall_curve(
        y_true, y_score, pos_label=pos_label, mask=mask, lengths=lengths
    )
    # recall decreases along the arrays, so -diff(recall) is each recall step.
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


@_shared_docs
def roc_auc_score(y_true, y_score, *, mask=None, lengths=None):
    """Area under the ROC curve: the chance that a random positive outscores a random negative.

    Parameters
    ----------
    {parameters}
    {selection}

    Returns
    -------
    float
        In [0, 1]; 0.5 for a random ranking. nan if ``y_true`` has one class only.

    Raises
    ------
    {raises}

    Warns
    -----
    UndefinedMetricWarning
        If ``y_true`` has one class only (the result is nan).

    Examples
    --------
    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75

    Padding never counts (here the padded steps hold garbage):

    >>> roc_auc_score([[0, 1, 1], [1, 0, 0]], [[0.2, 0.9, -5.0], [0.7, 0.1, 99.0]],
    ...               lengths=[2, 2])
    1.0
    """
    is_pos, scores = _binary_inputs(y_true, y_score, 1, mask, lengths)
    n_pos = np.count_nonzero(is_pos)
    if n_pos == 0 or n_pos == is_pos.size:
        warn("Only one class is present in y_true. ROC AUC score is not defined in that case.")
        return float("nan")
    fpr, tpr, _ = _roc(is_pos, scores, drop_intermediate=True)
    # Trapezoids between consecutive points: width * mean height.
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))


@_shared_docs
def confusion_matrix_at_thresholds(
    y_true, y_score, *, pos_label=None, sample_weight=None, mask=None, lengths=None
):
    """The four confusion counts at every distinct threshold, highest threshold first.

    At ``thresholds[i]`` a step is predicted positive when ``y_score >= thresholds[i]``;
    ``tns[i], fps[i], fns[i], tps[i]`` count the outcomes. Every curve in this module is a
    ratio of these counts; with them a cost ``c_fp * fps + c_fn * fns`` can be evaluated at
    every threshold at once. Same arguments, order and results as scikit-learn's function
    of this name (scikit-learn 1.8+).

    Parameters
    ----------
    y_true : array-like of labels, any shape
        True labels (0/1, bools, -1/1, or any labels with ``pos_label``): lists, NumPy
        arrays or torch tensors (CPU or CUDA).
    y_score : array-like of float, same shape as ``y_true``
        Scores of the positive class (probabilities, logits or any ranking), finite on
        valid steps.
    pos_label : label, optional
        The positive class; every other label is negative. Default: 1, when the labels
        are 0/1 or -1/1.
    sample_weight : array-like of float, optional
        Non-negative weight per step (shape of ``y_true`` or its leading axes); counts
        become sums of weights and steps of weight 0 are dropped, as in scikit-learn.
    {selection}

    Returns
    -------
    tns, fps, fns, tps : numpy.ndarray of float64 of shape (n_thresholds,)
        Counts (or weight sums) of true negatives, false positives, false negatives and
        true positives at each threshold. ``fps`` and ``tps`` increase.
    thresholds : numpy.ndarray of shape (n_thresholds,)
        The distinct scores, decreasing.

    Raises
    ------
    ValueError
        If shapes differ, ``y_score`` holds NaN or infinity on a valid step, ``pos_label`` is
        needed but not given, ``sample_weight`` is invalid, or ``mask``/``lengths`` do not
        fit or leave no step.
    TypeError
        If an input does not hold numbers or labels.

    Examples
    --------
    >>> tns, fps, fns, tps, thresholds = confusion_matrix_at_thresholds(
    ...     [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]
    ... )
    >>> fps, tps, thresholds
    (array([0., 1., 1., 2.]), array([1., 1., 2., 2.]), array([0.8 , 0.4 , 0.35, 0.1 ]))
    >>> tns, fns
    (array([2., 1., 1., 0.]), array([1., 1., 0., 0.]))
    """
    t, scores, w = valid_labels_and_values(
        y_true, y_score, mask=mask, lengths=lengths, sample_weight=sample_weight
    )
    is_pos = positive_class(t, pos_label)
    scores = as_finite_floats(scores, "y_score")
    if w is None:
        tps, pps, thresholds = _counts_at_thresholds(is_pos, scores)
        n_pos = float(tps[0]) if tps.size else 0.0
        n_all = float(scores.size)
    else:
        tps, pps, thresholds = _weighted_counts_at_thresholds(is_pos, scores, w)
        n_pos, n_all = float(tps[0]), float(pps[0])
    tps, pps, thresholds = (
        tps[::-1].astype(np.float64),
        pps[::-1].astype(np.float64),
        thresholds[::-1],
    )
    fps = pps - tps
    return (n_all - n_pos) - fps, fps, n_pos - tps, tps, thresholds


# ------------------------------------------------------------------------ the core


def _binary_inputs(y_true, y_score, pos_label, mask, lengths):
    """Valid steps as (is_positive bool (n,), finite float scores (n,))."""
    y_true, y_score = valid_pair(
        y_true, y_score, mask=mask, lengths=lengths, names=("y_true", "y_score")
    )
    labels, top = as_class_indices(y_true, "y_true")
    check_binary(top, "y_true", _BINARY_ONLY)
    scores = as_finite_floats(y_score.reshape(-1), "y_score")
    return labels == pos_label, scores


def _counts_at_thresholds(is_pos, scores):
    """True and predicted positives at each distinct score used as threshold (increasing).

    Returns ``tps, pps, thresholds``, each of shape ``(n_thresholds,)``: at
    ``thresholds[i]``, ``pps[i]`` steps score at least the threshold and ``tps[i]`` of them
    are positives.
    """
    sorted_scores = np.sort(scores)  # (n,)
    new_value = np.empty(scores.size, dtype=bool)  # True where a new distinct score starts
    new_value[0] = True
    np.not_equal(sorted_scores[1:], sorted_scores[:-1], out=new_value[1:])
    starts = np.flatnonzero(new_value)  # (n_thresholds,)
    thresholds = sorted_scores[starts]

    pps = scores.size - starts  # every step from a threshold's first position on scores >= it
    n_pos = np.count_nonzero(is_pos)
    if n_pos <= scores.size - n_pos:  # count the rarer class; the other one is the rest
        tps = _n_at_or_above(scores[is_pos], sorted_scores, starts)
    else:
        tps = pps - _n_at_or_above(scores[~is_pos], sorted_scores, starts)
    return tps, pps, thresholds


def _weighted_counts_at_thresholds(is_pos, scores, weights):
    """As :func:`_counts_at_thresholds`, with counts replaced by sums of ``weights``.

    Steps of weight 0 are dropped first (their scores are no thresholds), as in scikit-learn.
    """
    keep = weights != 0
    is_pos, scores, weights = is_pos[keep], scores[keep], weights[keep]
    order = np.argsort(scores, kind="stable")
    sorted_scores, w, pos = scores[order], weights[order], is_pos[order]
    new_value = np.empty(scores.size, dtype=bool)
    new_value[0] = True
    np.not_equal(sorted_scores[1:], sorted_scores[:-1], out=new_value[1:])
    starts = np.flatnonzero(new_value)
    # Weight at or above each position: a cumulative sum from the right.
    pps = np.cumsum(w[::-1])[::-1][starts]
    tps = np.cumsum((w * pos)[::-1])[::-1][starts]
    return tps, pps, sorted_scores[starts]


def _n_at_or_above(values, sorted_scores, starts):
    """For each threshold ``sorted_scores[starts[i]]``, how many ``values`` are >= it."""
    # Drop each value at the first sorted position of its score, then count from the right.
    positions = np.searchsorted(sorted_scores, np.sort(values), side="left")
    dropped = np.bincount(positions, minlength=sorted_scores.size)  # (n,)
    return np.cumsum(dropped[::-1])[::-1][starts]


def _roc(is_pos, scores, *, drop_intermediate):
    """ROC points from the highest threshold down, as scikit-learn orders them."""
    tps, pps, thresholds = _counts_at_thresholds(is_pos, scores)
    tps, fps, thresholds = tps[::-1], pps[::-1] - tps[::-1], thresholds[::-1]
    if drop_intermediate and fps.size > 2:
        # A point is a corner if the slope changes there; the others lie on a straight line.
        corner = (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0)
        keep = np.concatenate(([True], corner, [True]))
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]

    # Start at (0, 0): a threshold above every score predicts nothing positive.
    fps = np.concatenate(([0], fps))
    tps = np.concatenate(([0], tps))
    thresholds = np.concatenate(([np.inf], thresholds.astype(np.float64)))
    return (
        _rate(fps, "No negative samples in y_true, false positive value should be meaningless"),
        _rate(tps, "No positive samples in y_true, true positive value should be meaningless"),
        thresholds,
    )


def _rate(counts, undefined_message):
    """``counts / counts[-1]`` (the last point counts everything), or nan with a warning."""
    if counts[-1] == 0:
        warn(undefined_message)
        return np.full(counts.shape, np.nan)
    return counts / counts[-1]
