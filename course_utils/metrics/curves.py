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
is several times cheaper than sorting indices, and the numbers are the same. With
``sample_weight`` counts become sums of weights (an argsort is then needed).

The curves score one class against the rest: ``y_true`` holds 0/1, bools or -1/1, or any
labels with ``pos_label``, and ``y_score`` the scores of the positive class as given
(probabilities, logits or any other ranking; no sigmoid is applied).
:func:`average_precision_score` and :func:`roc_auc_score` also take one column of scores
per class (multiclass, averaged one-vs-rest or one-vs-one), and :func:`one_vs_rest_curves`
gives one curve per class.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from course_utils.metrics._docs import MASK_AND_LENGTHS, fill_doc
from course_utils.metrics._validation import (
    as_finite_floats,
    as_label_list,
    check_bool,
    check_label_scalar,
    check_option,
    positive_class,
    valid_labels_and_values,
)
from course_utils.metrics._warnings import warn

__all__ = [
    "average_precision_score",
    "confusion_matrix_at_thresholds",
    "one_vs_rest_curves",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
]

_SHARED_PARAMETERS = """\
    y_true : array-like of labels, any shape
        True labels: lists, NumPy arrays or torch tensors (CPU or CUDA). 0/1, bools or
        -1/1; any other labels (strings, several classes) with ``pos_label``.
    y_score : array-like of float, same shape as ``y_true``
        Scores of the positive class, higher meaning more likely positive: probabilities,
        logits or any ranking. Must be finite on valid steps."""

_SAMPLE_WEIGHT = """\
    sample_weight : array-like of float, optional
        Non-negative weight per step (shape of ``y_true`` or its leading axes, e.g. one
        weight per sequence): counts become sums of weights; steps of weight 0 are dropped,
        as in scikit-learn."""

_SHARED_SELECTION = MASK_AND_LENGTHS

_SHARED_RAISES = """\
    ValueError
        If shapes differ, ``y_true`` does not hold 0/1 (or -1/1) labels and ``pos_label`` is
        not given, ``y_score`` holds NaN or infinity on a valid step, ``sample_weight`` is
        invalid, or ``mask``/``lengths`` do not fit or leave no step.
    TypeError
        If an input does not hold numbers or labels, ``pos_label`` is not one label, or a
        flag is not a bool."""


_shared_docs = fill_doc(
    parameters=_SHARED_PARAMETERS,
    sample_weight=_SAMPLE_WEIGHT,
    selection=_SHARED_SELECTION,
    raises=_SHARED_RAISES,
)


@_shared_docs
def precision_recall_curve(
    y_true,
    y_score,
    *,
    pos_label=None,
    sample_weight=None,
    drop_intermediate=False,
    mask=None,
    lengths=None,
):
    """Precision and recall at every distinct threshold.

    Parameters
    ----------
    {parameters}
    pos_label : label, optional
        The class ``y_score`` scores; every other label is negative. Default: 1, when the
        labels are 0/1 or -1/1.
    {sample_weight}
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

    Any labels, with the positive one named:

    >>> _, recall, _ = precision_recall_curve(["ham", "spam"], [0.2, 0.9], pos_label="spam")
    >>> recall
    array([1., 1., 0.])
    """
    check_bool(drop_intermediate, "drop_intermediate")
    is_pos, scores, w = _binary_inputs(y_true, y_score, pos_label, sample_weight, mask, lengths)
    return _pr_curve(is_pos, scores, w, drop_intermediate=drop_intermediate)


def _pr_curve(is_pos, scores, w, *, drop_intermediate):
    tps, pps, thresholds = _counts(is_pos, scores, w)

    if drop_intermediate and tps.size > 2:
        # Keep both ends and every point next to a change of TP (i.e. of recall).
        tp_changes = (tps[:-2] != tps[1:-1]) | (tps[1:-1] != tps[2:])
        keep = np.concatenate(([True], tp_changes, [True]))
        tps, pps, thresholds = tps[keep], pps[keep], thresholds[keep]

    # One slot more than thresholds: the curve ends at precision 1, recall 0.
    precision, recall = np.empty(tps.size + 1), np.empty(tps.size + 1)
    precision[-1], recall[-1] = 1.0, 0.0
    np.divide(tps, pps, out=precision[:-1])  # pps > 0: each threshold is some step's score
    n_pos = tps[0]  # at the lowest threshold every step is predicted positive
    if n_pos == 0:
        warn("No positive class found in y_true, recall is set to one for all thresholds.")
        recall[:-1] = 1.0
    else:
        np.divide(tps, n_pos, out=recall[:-1])
    return precision, recall, thresholds


@_shared_docs
def roc_curve(
    y_true,
    y_score,
    *,
    pos_label=None,
    sample_weight=None,
    drop_intermediate=True,
    mask=None,
    lengths=None,
):
    """False and true positive rates at every distinct threshold, highest threshold first.

    Parameters
    ----------
    {parameters}
    pos_label : label, optional
        The class ``y_score`` scores; every other label is negative. Default: 1, when the
        labels are 0/1 or -1/1.
    {sample_weight}
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
    check_bool(drop_intermediate, "drop_intermediate")
    is_pos, scores, w = _binary_inputs(y_true, y_score, pos_label, sample_weight, mask, lengths)
    return _roc(is_pos, scores, w, drop_intermediate=drop_intermediate)


_AP_AVERAGES = ("micro", "macro", "weighted", None)


@_shared_docs
def average_precision_score(
    y_true, y_score, *, average="macro", pos_label=1, sample_weight=None, mask=None, lengths=None
):
    """Average precision: the mean of the precisions at each threshold, weighted by recall gained.

    ``AP = sum_i (recall[i] - recall[i+1]) * precision[i]``: a step-wise sum over the
    thresholds, as in scikit-learn. It is **not** the trapezoidal area under the
    precision-recall curve (``sklearn.metrics.auc(recall, precision)``), which joins the
    points with straight lines that precision does not follow. The two differ most with few
    positives and with tied scores, in either direction: for labels ``[1, 0, 0, 1]`` and
    scores ``[0.9, 0.8, 0.7, 0.1]``, AP is 0.75 and the trapezoid 0.708 (its line starts
    from the lowest precision at recall 0.5); for labels ``[1, 0, 1, 0]`` and tied scores
    ``[0.9, 0.5, 0.5, 0.5]``, AP is 0.75 and the trapezoid 0.875 (the straight line across
    the tie is optimistic).

    Parameters
    ----------
    {parameters}
        For several classes: one column per class, ``(*y_true.shape, n_classes)``, columns
        in sorted label order; each class is scored against the rest.
    average : {"macro", "micro", "weighted"} or None, default "macro"
        Only for score matrices. ``"macro"``: mean of the classes' AP; ``"weighted"``: mean
        weighted by each class's support; ``"micro"``: AP of all (step, class) pairs pooled;
        None: one AP per class.
    pos_label : label, default 1
        The class ``y_score`` scores (binary case). Must stay 1 for score matrices.
    {sample_weight}
    {selection}

    Returns
    -------
    float or numpy.ndarray of shape (n_classes,)
        In [0, 1]; the fraction of positives for a random ranking. An array for
        ``average=None`` with a score matrix.

    Raises
    ------
    ValueError
        If shapes differ, ``y_score`` holds NaN or infinity on a valid step,
        ``sample_weight`` is invalid, ``mask``/``lengths`` do not fit or leave no step,
        or a score matrix's columns do not match the classes of ``y_true``, or 1-D
        scores come with more than two classes.
    TypeError
        If an input does not hold numbers or labels.

    Warns
    -----
    UndefinedMetricWarning
        If ``y_true`` has no positives (the result is 0).

    Examples
    --------
    >>> round(average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    >>> average_precision_score([1, 0, 0, 1], [0.9, 0.8, 0.7, 0.1])
    0.75

    Three classes, one column of scores each:

    >>> y_true = [0, 1, 2, 2]
    >>> y_score = [[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]]
    >>> average_precision_score(y_true, y_score, average=None)
    array([1.        , 0.5       , 0.83333333])
    """
    check_option(average, "average", _AP_AVERAGES)
    check_label_scalar(pos_label, "pos_label")
    t, s, w = _label_score_inputs(y_true, y_score, sample_weight, mask, lengths)
    if s.ndim == 1:
        is_pos = _positive_for_average_precision(t, pos_label)
        return _ap(is_pos, as_finite_floats(s, "y_score"), w)
    if pos_label != 1:
        raise ValueError(
            f"Expected `pos_label` to be left at 1 with one column of scores per class (each "
            f"class is scored against the rest), but got {pos_label!r}."
        )
    onehot, _ = _one_vs_rest_targets(t, s, None, "average_precision_score")
    return _average_over_classes(_ap, onehot, as_finite_floats(s, "y_score"), w, average)


@_shared_docs
def roc_auc_score(
    y_true,
    y_score,
    *,
    average="macro",
    sample_weight=None,
    multi_class="raise",
    labels=None,
    mask=None,
    lengths=None,
):
    """Area under the ROC curve: the chance that a random positive outscores a random negative.

    Parameters
    ----------
    {parameters}
        The positive class is the larger of the two labels (1 for 0/1, ``True`` for bools,
        the second in sorted order for strings), as in scikit-learn. For several classes:
        one column per class, ``(*y_true.shape, n_classes)``, columns in sorted label order,
        with ``multi_class`` set.
    average : {"macro", "weighted", "micro"} or None, default "macro"
        Only for score matrices. ``"macro"``: mean of the per-class (or per-pair) AUCs;
        ``"weighted"``: weighted by each class's support (``"ovo"``: by each pair's share of
        steps); ``"micro"`` (``"ovr"`` only): AUC of all (step, class) pairs pooled; None
        (``"ovr"`` only): one AUC per class.
    {sample_weight}
        Not supported with ``multi_class="ovo"`` (as in scikit-learn).
    multi_class : {"raise", "ovr", "ovo"}, default "raise"
        For score matrices: ``"ovr"`` scores each class against the rest; ``"ovo"`` averages
        the AUCs of every pair of classes (Hand and Till, 2001), which does not depend on
        how common each class is. Rows need not sum to 1: scores are used as given (no
        softmax is applied; scikit-learn refuses such rows).
    labels : array-like, optional
        All classes, sorted, one per column, for a score matrix whose classes do not all
        occur in ``y_true``.
    {selection}

    Returns
    -------
    float or numpy.ndarray of shape (n_classes,)
        In [0, 1]; 0.5 for a random ranking. nan if ``y_true`` has one class only. An array
        for ``average=None`` with ``multi_class="ovr"``.

    Raises
    ------
    ValueError
        If shapes differ, ``y_score`` holds NaN or infinity on a valid step,
        ``sample_weight`` is invalid, ``mask``/``lengths`` do not fit or leave no step,
        or a score matrix is given without ``multi_class``, its columns do not match
        the classes, or an ``average`` does not go with ``multi_class``.
    TypeError
        If an input does not hold numbers or labels.

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

    Three classes, one column of scores each:

    >>> y_true = [0, 1, 2, 2]
    >>> y_score = [[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]]
    >>> round(roc_auc_score(y_true, y_score, multi_class="ovr"), 4)
    0.8472
    """
    check_option(multi_class, "multi_class", ("raise", "ovr", "ovo"))
    check_option(average, "average", ("macro", "weighted", "micro", None))
    t, s, w = _label_score_inputs(y_true, y_score, sample_weight, mask, lengths)
    if s.ndim == 1:
        is_pos = _positive_for_roc_auc(t)
        return _binary_auc(is_pos, as_finite_floats(s, "y_score"), w)
    if multi_class == "raise":
        raise ValueError(
            "Expected `multi_class` to be 'ovr' or 'ovo' for one column of scores per class, "
            "but got 'raise'. Choose how to average: 'ovr' (each class against the rest) or "
            "'ovo' (every pair of classes)."
        )
    s = as_finite_floats(s, "y_score")
    onehot, _ = _one_vs_rest_targets(t, s, labels, "roc_auc_score")
    if multi_class == "ovr":
        return _average_over_classes(_binary_auc, onehot, s, w, average)
    if average not in ("macro", "weighted"):
        raise ValueError(
            f"Expected `average` to be 'macro' or 'weighted' with multi_class='ovo', but got "
            f"{average!r}."
        )
    if w is not None:
        raise ValueError(
            "Expected `sample_weight` to be None with multi_class='ovo' (as in scikit-learn); "
            "use multi_class='ovr' to weight steps."
        )
    return _ovo_auc(onehot, s, weighted=average == "weighted")


def one_vs_rest_curves(
    y_true, y_score, *, curve="roc", labels=None, sample_weight=None, mask=None, lengths=None
):
    """One precision-recall or ROC curve per class, each class scored against the rest.

    Parameters
    ----------
    y_true : array-like of labels, any shape
        True class labels (class indices, any ints, bools or strings).
    y_score : array-like of float of shape (*y_true.shape, n_classes)
        One column of scores per class, in sorted label order (e.g. softmax outputs).
    curve : {"roc", "pr"}, default "roc"
        :func:`roc_curve` or :func:`precision_recall_curve`.
    labels : array-like, optional
        All classes, sorted, one per column, when not all occur in ``y_true``.
    sample_weight : array-like of float, optional
        Non-negative weight per step.
    mask, lengths : array-like, optional
        Padding, as everywhere in :mod:`course_utils.metrics`.

    Returns
    -------
    dict
        ``{label: (fpr, tpr, thresholds)}`` for ``"roc"`` or ``{label: (precision, recall,
        thresholds)}`` for ``"pr"``, one entry per class in column order, then ``"micro"``:
        the curve of all (step, class) pairs pooled.

    Raises
    ------
    ValueError
        If ``y_score`` has no class axis or its columns do not match the classes, or an
        option is invalid; and as :func:`roc_curve`.
    TypeError
        If an input does not hold numbers or labels.

    Examples
    --------
    >>> y_true = [0, 1, 2, 2]
    >>> y_score = [[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]]
    >>> curves = one_vs_rest_curves(y_true, y_score, curve="pr")
    >>> list(curves)
    [0, 1, 2, 'micro']
    >>> precision, recall, thresholds = curves[2]
    >>> recall
    array([1. , 1. , 0.5, 0. ])
    """
    check_option(curve, "curve", ("roc", "pr"))
    t, s, w = _label_score_inputs(y_true, y_score, sample_weight, mask, lengths)
    if s.ndim == 1:
        raise ValueError(
            f"Expected `y_score` to have one column per class, shape (*y_true.shape, "
            f"n_classes), but got the shape of `y_true` {np.shape(t)}. For one class against "
            "the rest use roc_curve or precision_recall_curve with `pos_label`."
        )
    s = as_finite_floats(s, "y_score")
    onehot, classes = _one_vs_rest_targets(t, s, labels, "one_vs_rest_curves")

    def one(is_pos, scores, weights):
        if curve == "roc":
            return _roc(is_pos, scores, weights, drop_intermediate=True)
        return _pr_curve(is_pos, scores, weights, drop_intermediate=False)

    result = {label: one(onehot[:, k], s[:, k], w) for k, label in enumerate(classes.tolist())}
    pooled_w = None if w is None else np.repeat(w, s.shape[1])
    result["micro"] = one(onehot.reshape(-1), s.reshape(-1), pooled_w)
    return result


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
    tps, pps, thresholds = _counts(is_pos, scores, w)
    n_pos, n_all = float(tps[0]), float(pps[0])  # at the lowest threshold: every step
    tps, pps, thresholds = (
        tps[::-1].astype(np.float64),
        pps[::-1].astype(np.float64),
        thresholds[::-1],
    )
    fps = pps - tps
    return (n_all - n_pos) - fps, fps, n_pos - tps, tps, thresholds


# --------------------------------------------------------------- inputs and averages


def _label_score_inputs(y_true, y_score, sample_weight, mask, lengths):
    """Valid steps: labels (n,), scores (n,) or (n, n_classes), weights or None."""
    t, s, w = valid_labels_and_values(
        y_true, y_score, mask=mask, lengths=lengths, sample_weight=sample_weight, class_axis=True
    )
    if s.ndim == 2 and s.shape[1] == 1:
        raise ValueError(
            "Expected `y_score` to have the shape of `y_true` (one score per step) or one "
            "column per class, but it has a single column. Squeeze the last axis: "
            "`y_score.squeeze(-1)`."
        )
    return t, s, w


def _binary_inputs(y_true, y_score, pos_label, sample_weight, mask, lengths):
    """Valid steps as (is_positive bool (n,), finite float scores (n,), weights or None)."""
    t, scores, w = valid_labels_and_values(
        y_true, y_score, mask=mask, lengths=lengths, sample_weight=sample_weight
    )
    is_pos = positive_class(t, pos_label)
    return is_pos, as_finite_floats(scores, "y_score"), w


def _positive_for_average_precision(t, pos_label):
    """scikit-learn's rules: at most two classes, and pos_label one of them if there are two."""
    check_label_scalar(pos_label, "pos_label")
    if t.dtype.kind in "biuf" and pos_label in (0, 1) and _is_zero_one(t):
        return t == pos_label
    classes = np.unique(t)
    shown = classes.tolist()[:10]
    if classes.size > 2:
        raise ValueError(
            f"Expected `y_true` to hold two classes for one score per step, but found "
            f"{classes.size}: {shown}. Pass one column of scores per class, or score one "
            "class against the rest (`y_true == k` with the scores of class k)."
        )
    if classes.size == 2 and pos_label not in shown:
        raise ValueError(
            f"Expected `pos_label` to be one of the labels {shown}, but got {pos_label!r}."
        )
    return positive_class(t, pos_label)


def _positive_for_roc_auc(t):
    """The larger of the two labels is positive, as in scikit-learn's roc_auc_score."""
    if t.dtype.kind == "b":
        return t
    if t.dtype.kind in "biuf" and _is_zero_one(t):
        return t == 1
    classes = np.unique(t)
    if classes.size > 2:
        raise ValueError(
            f"Expected `y_true` to hold two classes for one score per step, but found "
            f"{classes.size}: {classes.tolist()[:10]}. Pass one column of scores per class "
            "with multi_class='ovr' or 'ovo', or score one class against the rest "
            "(`y_true == k` with the scores of class k)."
        )
    return t == classes[-1]


def _is_zero_one(t) -> bool:
    low, high = t.min(), t.max()
    return low >= 0 and high <= 1 and (t.dtype.kind in "biu" or bool(np.all((t == 0) | (t == 1))))


def _one_vs_rest_targets(t, s, labels, who):
    """(n, n_classes) bool one-hot targets for score columns in sorted label order."""
    n_columns = s.shape[1]
    if labels is None:
        classes = np.unique(t)
        if classes.size != n_columns:
            raise ValueError(
                f"Expected `y_score` to have one column per class of `y_true` "
                f"({classes.size}: {classes.tolist()[:10]}), but got {n_columns}. If some "
                f"classes do not occur in `y_true`, pass all of them with `labels=`"
                f"{' (roc_auc_score, one_vs_rest_curves)' if who == 'average_precision_score' else ''}."
            )
    else:
        listed = as_label_list(labels)
        classes = np.asarray(listed)
        if not np.array_equal(np.sort(classes), classes):
            raise ValueError(
                f"Expected `labels` to be sorted (the column order), but got {listed}."
            )
        if classes.size != n_columns:
            raise ValueError(
                f"Expected one label per column of `y_score` ({n_columns}), but `labels` has "
                f"{classes.size}."
            )
        unknown = np.setdiff1d(t, classes)
        if unknown.size:
            raise ValueError(
                f"Expected every label of `y_true` to be in `labels` {listed}, but found "
                f"{unknown.tolist()[:10]}."
            )
    onehot = t[:, None] == classes[None, :]
    return onehot, classes


def _average_over_classes(binary_metric, onehot, s, w, average):
    """scikit-learn's _average_binary_score for one-vs-rest targets."""
    if average == "micro":
        pooled_w = None if w is None else np.repeat(w, s.shape[1])
        return binary_metric(onehot.reshape(-1), s.reshape(-1), pooled_w)
    scores = np.array(
        [binary_metric(onehot[:, k], s[:, k], w) for k in range(s.shape[1])], dtype=np.float64
    )
    if average is None:
        return scores
    if average == "weighted":
        support = onehot.sum(axis=0) if w is None else (onehot * w[:, None]).sum(axis=0)
        if np.isclose(support.sum(), 0.0):
            return 0.0
        scores[support == 0] = 0.0
        return float(np.average(scores, weights=support))
    return float(np.mean(scores))


def _ovo_auc(onehot, s, *, weighted):
    """Hand and Till's one-vs-one AUC over the classes present in y_true."""
    present = np.flatnonzero(onehot.any(axis=0))
    pair_scores, prevalence = [], []
    for a, b in combinations(present.tolist(), 2):
        in_pair = onehot[:, a] | onehot[:, b]
        a_true = onehot[in_pair, a]
        score_a = _binary_auc(a_true, s[in_pair, a], None)
        score_b = _binary_auc(~a_true, s[in_pair, b], None)
        pair_scores.append((score_a + score_b) / 2)
        prevalence.append(np.mean(in_pair))
    return float(np.average(pair_scores, weights=prevalence if weighted else None))


def _ap(is_pos, scores, w):
    """Binary average precision from the PR curve (the step-wise sum)."""
    precision, recall, _ = _pr_curve(is_pos, scores, w, drop_intermediate=False)
    # recall decreases along the arrays, so -diff(recall) is each recall step.
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


def _binary_auc(is_pos, scores, w):
    n_pos = np.count_nonzero(is_pos)  # labels, not weights, decide (as scikit-learn)
    if n_pos == 0 or n_pos == is_pos.size:
        warn("Only one class is present in y_true. ROC AUC score is not defined in that case.")
        return float("nan")
    fpr, tpr, _ = _roc(is_pos, scores, w, drop_intermediate=True)
    # Trapezoids between consecutive points: width * mean height.
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))


# ------------------------------------------------------------------------ the core


def _counts(is_pos, scores, w):
    """Increasing thresholds with true and predicted positives (or their weights)."""
    if w is None:
        return _counts_at_thresholds(is_pos, scores)
    return _weighted_counts_at_thresholds(is_pos, scores, w)


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
    # Any order within ties will do: only sums over whole groups of tied scores are used.
    order = np.argsort(scores)
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


def _roc(is_pos, scores, w, *, drop_intermediate):
    """ROC points from the highest threshold down, as scikit-learn orders them."""
    tps, pps, thresholds = _counts(is_pos, scores, w)
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
