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

Binned curves (``thresholds=``)
-------------------------------
Exact curves keep every score: at a billion per-token scores that is gigabytes. With
``thresholds=K`` (``K`` evenly spaced thresholds in [0, 1], ``torch.linspace(0, 1, K)`` in
float32 as torchmetrics builds them, for probabilities) or an increasing array of
thresholds, a curve keeps, per label, how many steps score at or above each threshold: ``K``
numbers, whatever the number of steps. These are torchmetrics' binned semantics, and the
counts are exactly torchmetrics' (``BinaryPrecisionRecallCurve(thresholds=K)`` and the
metrics built on it). A binned curve is the exact curve of the scores rounded down to the
grid, so it can be off only by the order of the steps inside each bin;
:func:`binning_bounds` gives, from the binned counts alone, the range the exact AP or ROC
AUC lies in.

The bound, derived. Call bin ``b`` the steps scoring in ``[t_b, t_{b+1})``, with ``p_b``
positives and ``n_b`` negatives, and ``T_b``/``A_b`` the positives/steps of all higher bins
(``P``, ``N`` the totals). Steps in different bins are ranked the same way by the exact and
the binned curve; only the order inside a bin is lost. So:

- ROC AUC (the fraction of positive/negative pairs ranked right, ties counting half):
  pairs inside a bin count 1/2 in the binned AUC and between 0 and 1 in the exact one, so
  ``|AUC_binned - AUC_exact| <= sum_b p_b n_b / (2 P N) <= max_b n_b / (2 N)``: at most half
  the largest share of negatives in one bin (when the thresholds cover every score).
- AP (the mean, over positives, of the precision at each positive's rank): a positive's
  precision depends only on the steps ranked above it, so only bin-mates matter. The ``j``-th
  positive of bin ``b`` (``j = 1..p_b``) has precision ``(T_b + j) / (A_b + r)`` with its rank
  ``r`` in the bin between ``j`` and ``j + n_b``: summed over the bin, the exact AP lies
  between ``sum_j (T_b + j) / (A_b + n_b + j)`` (positives last) and
  ``sum_j (T_b + j) / (A_b + j)`` (positives first), each over ``P``; the binned AP gives
  every positive of the bin the precision ``(T_b + p_b) / (A_b + p_b + n_b)``. The sums
  have closed forms in harmonic numbers, so :func:`binning_bounds` costs ``O(K)``. The
  error is small when no bin holds a large share of the steps ranked at or above it.
"""

from __future__ import annotations

import functools
import numbers
from itertools import combinations
from typing import NamedTuple

import numpy as np

from course_utils._params import Boolean, StrOptions, validate_params
from course_utils.metrics._docs import MASK_AND_LENGTHS, fill_doc
from course_utils.metrics._validation import (
    as_array,
    as_finite_floats,
    as_label_list,
    as_scores,
    check_bool,
    check_label_scalar,
    check_option,
    positive_class,
    require_steps,
    valid_labels_and_values,
)
from course_utils.metrics._warnings import warn

__all__ = [
    "BinningBounds",
    "average_precision_score",
    "binning_bounds",
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

_THRESHOLDS = """\
    thresholds : int or array-like of float, optional
        Bin the curve in constant memory (see the module notes): an int ``K`` takes ``K``
        evenly spaced thresholds in [0, 1] (``y_score`` must then be probabilities in [0,
        1]; torchmetrics would apply a sigmoid silently, this refuses), an array its own
        increasing thresholds (any scores). Default None: exact, every distinct score."""

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
    thresholds=_THRESHOLDS,
)


@validate_params({"drop_intermediate": [Boolean()]})
@_shared_docs
def precision_recall_curve(
    y_true,
    y_score,
    *,
    pos_label=None,
    sample_weight=None,
    drop_intermediate=False,
    thresholds=None,
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
        the same shape). Exact curves only.
    {thresholds}
        A binned curve has one point per threshold; its precision is nan at thresholds
        above every score (nothing predicted positive), as in torchmetrics.
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
    _check_thresholds(thresholds)
    stats = _curve_stats(
        y_true,
        y_score,
        pos_label=pos_label,
        sample_weight=sample_weight,
        thresholds=thresholds,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _pr_curve_finalize(
        stats, pos_label=pos_label, drop_intermediate=drop_intermediate, thresholds=thresholds
    )


def _pr_curve_finalize(stats, *, pos_label=None, drop_intermediate=False, thresholds=None, **_):
    positive = _curve_rule(pos_label)
    if thresholds is None:
        is_pos, scores, w = _exact_inputs(stats, positive)
        return _pr_curve(is_pos, scores, w, drop_intermediate=drop_intermediate)
    tps, pps, n_pos, _, grid = _binned_inputs(stats, positive, thresholds)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.append(tps / pps, 1.0)  # nan where nothing scores that high
    if n_pos == 0:
        warn("No positive class found in y_true, recall is set to one for all thresholds.")
        recall = np.append(np.ones(tps.size), 0.0)
    else:
        recall = np.append(tps / n_pos, 0.0)
    return precision, recall, grid.copy()


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


@validate_params({"drop_intermediate": [Boolean()]})
@_shared_docs
def roc_curve(
    y_true,
    y_score,
    *,
    pos_label=None,
    sample_weight=None,
    drop_intermediate=True,
    thresholds=None,
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
        (they change neither the plot nor the area). Exact curves only.
    {thresholds}
        A binned curve has the point (0, 0) at threshold ``inf`` and then one point per
        threshold, highest first: torchmetrics' ``BinaryROC(thresholds=K)`` points after
        that first one (torchmetrics leaves it out, so its curve starts above (0, 0) when
        some score reaches the highest threshold).
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
    _check_thresholds(thresholds)
    stats = _curve_stats(
        y_true,
        y_score,
        pos_label=pos_label,
        sample_weight=sample_weight,
        thresholds=thresholds,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _roc_curve_finalize(
        stats, pos_label=pos_label, drop_intermediate=drop_intermediate, thresholds=thresholds
    )


def _roc_curve_finalize(stats, *, pos_label=None, drop_intermediate=True, thresholds=None, **_):
    positive = _curve_rule(pos_label)
    if thresholds is None:
        is_pos, scores, w = _exact_inputs(stats, positive)
        return _roc(is_pos, scores, w, drop_intermediate=drop_intermediate)
    return _binned_roc(*_binned_inputs(stats, positive, thresholds))


_AP_AVERAGES = ("micro", "macro", "weighted", None)


@validate_params({"average": [StrOptions(_AP_AVERAGES[:-1]), None]})
@_shared_docs
def average_precision_score(
    y_true,
    y_score,
    *,
    average="macro",
    pos_label=1,
    sample_weight=None,
    thresholds=None,
    mask=None,
    lengths=None,
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
    {thresholds}
        One score per step only. The binned AP equals torchmetrics'
        ``BinaryAveragePrecision(thresholds=K)``; :func:`binning_bounds` bounds its
        distance to the exact AP.
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
    _ap_options(average=average, pos_label=pos_label, thresholds=thresholds)
    stats = _ap_stats(
        y_true,
        y_score,
        pos_label=pos_label,
        sample_weight=sample_weight,
        thresholds=thresholds,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _ap_finalize(stats, average=average, pos_label=pos_label, thresholds=thresholds)


def _ap_options(**options):
    check_option(options["average"], "average", _AP_AVERAGES)
    check_label_scalar(options["pos_label"], "pos_label")
    _check_thresholds(options["thresholds"])
    return options


def _ap_stats(y_true, y_score, *, pos_label=1, thresholds=None, **kw):
    def check(t, s):
        if s.ndim == 1:
            _positive_for_average_precision(t, pos_label)
        elif pos_label != 1:
            raise ValueError(
                f"Expected `pos_label` to be left at 1 with one column of scores per class "
                f"(each class is scored against the rest), but got {pos_label!r}."
            )

    return _ranking_stats(y_true, y_score, check, thresholds=thresholds, class_axis=True, **kw)


def _ap_finalize(stats, *, average="macro", pos_label=1, thresholds=None, **_):
    def positive(t):
        return _positive_for_average_precision(t, pos_label)

    if thresholds is not None:
        tps, pps, n_pos, _, _ = _binned_inputs(stats, positive, thresholds)
        return _binned_ap(tps, pps, n_pos)
    t, s, w = _exact_arrays(stats)
    if s.ndim == 1:
        return _ap(positive(t), s, w)
    onehot, _ = _one_vs_rest_targets(t, s, None, "average_precision_score")
    return _average_over_classes(_ap, onehot, s, w, average)


@validate_params(
    {
        "average": [StrOptions(("macro", "weighted", "micro")), None],
        "multi_class": [StrOptions(("raise", "ovr", "ovo"))],
    }
)
@_shared_docs
def roc_auc_score(
    y_true,
    y_score,
    *,
    average="macro",
    sample_weight=None,
    multi_class="raise",
    labels=None,
    thresholds=None,
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
    {thresholds}
        One score per step only. The area under the binned :func:`roc_curve`, which starts
        at (0, 0): equal to torchmetrics' ``BinaryAUROC(thresholds=K)`` unless some score
        reaches the highest threshold (torchmetrics then leaves out the area under the
        curve's first segment). :func:`binning_bounds` bounds its distance to the exact
        AUC.
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
    _auc_options(average=average, multi_class=multi_class, labels=labels, thresholds=thresholds)
    stats = _auc_stats(
        y_true,
        y_score,
        average=average,
        multi_class=multi_class,
        labels=labels,
        sample_weight=sample_weight,
        thresholds=thresholds,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _auc_finalize(
        stats, average=average, multi_class=multi_class, labels=labels, thresholds=thresholds
    )


def _auc_options(**options):
    check_option(options["multi_class"], "multi_class", ("raise", "ovr", "ovo"))
    check_option(options["average"], "average", ("macro", "weighted", "micro", None))
    _check_thresholds(options["thresholds"])
    if options["labels"] is not None:
        options["labels"] = as_label_list(options["labels"])
    return options


def _auc_stats(
    y_true,
    y_score,
    *,
    average="macro",
    multi_class="raise",
    labels=None,
    thresholds=None,
    sample_weight=None,
    **kw,
):
    def check(t, s):
        if s.ndim == 1:
            _positive_for_roc_auc(t)
            return
        _check_multi_class(multi_class, average, sample_weight)
        if labels is not None:
            _one_vs_rest_targets(t, s, labels, "roc_auc_score")

    return _ranking_stats(
        y_true,
        y_score,
        check,
        thresholds=thresholds,
        class_axis=True,
        sample_weight=sample_weight,
        **kw,
    )


def _check_multi_class(multi_class, average, w) -> None:
    if multi_class == "raise":
        raise ValueError(
            "Expected `multi_class` to be 'ovr' or 'ovo' for one column of scores per class, "
            "but got 'raise'. Choose how to average: 'ovr' (each class against the rest) or "
            "'ovo' (every pair of classes)."
        )
    if multi_class == "ovo":
        if average not in ("macro", "weighted"):
            raise ValueError(
                f"Expected `average` to be 'macro' or 'weighted' with multi_class='ovo', but "
                f"got {average!r}."
            )
        if w is not None:
            raise ValueError(
                "Expected `sample_weight` to be None with multi_class='ovo' (as in "
                "scikit-learn); use multi_class='ovr' to weight steps."
            )


def _auc_finalize(
    stats, *, average="macro", multi_class="raise", labels=None, thresholds=None, **_
):
    if thresholds is not None:
        return _binned_auc(*_binned_inputs(stats, _positive_for_roc_auc, thresholds))
    t, s, w = _exact_arrays(stats)
    if s.ndim == 1:
        return _binary_auc(_positive_for_roc_auc(t), s, w)
    _check_multi_class(multi_class, average, w)
    onehot, _ = _one_vs_rest_targets(t, s, labels, "roc_auc_score")
    if multi_class == "ovr":
        return _average_over_classes(_binary_auc, onehot, s, w, average)
    return _ovo_auc(onehot, s, weighted=average == "weighted")


@validate_params({"curve": [StrOptions(("roc", "pr"))]})
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
    _ovr_options(curve=curve, labels=labels)
    stats = _ovr_stats(
        y_true, y_score, labels=labels, sample_weight=sample_weight, mask=mask, lengths=lengths
    )
    require_steps(stats["n_steps"])
    return _ovr_finalize(stats, curve=curve, labels=labels)


def _ovr_options(**options):
    check_option(options["curve"], "curve", ("roc", "pr"))
    if options["labels"] is not None:
        options["labels"] = as_label_list(options["labels"])
    return options


def _ovr_stats(y_true, y_score, *, labels=None, **kw):
    def check(t, s):
        if s.ndim == 1:
            raise ValueError(
                f"Expected `y_score` to have one column per class, shape (*y_true.shape, "
                f"n_classes), but got the shape of `y_true` {np.shape(y_true)}. For one class "
                "against the rest use roc_curve or precision_recall_curve with `pos_label`."
            )
        if labels is not None:
            _one_vs_rest_targets(t, s, labels, "one_vs_rest_curves")

    return _ranking_stats(y_true, y_score, check, class_axis=True, **kw)


def _ovr_finalize(stats, *, curve="roc", labels=None, **_):
    t, s, w = _exact_arrays(stats)
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
    y_true, y_score, *, pos_label=None, sample_weight=None, thresholds=None, mask=None, lengths=None
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
    {thresholds}
        The counts at each threshold, highest first: exactly torchmetrics' multi-threshold
        confusion matrix (``BinaryPrecisionRecallCurve(thresholds=K)``'s state), in
        constant memory; what :func:`binning_bounds` reads.
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
    _check_thresholds(thresholds)
    stats = _curve_stats(
        y_true,
        y_score,
        pos_label=pos_label,
        sample_weight=sample_weight,
        thresholds=thresholds,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _cm_at_thresholds_finalize(stats, pos_label=pos_label, thresholds=thresholds)


def _cm_at_thresholds_finalize(stats, *, pos_label=None, thresholds=None, **_):
    positive = _curve_rule(pos_label)
    if thresholds is None:
        is_pos, scores, w = _exact_inputs(stats, positive)
        tps, pps, grid = _counts(is_pos, scores, w)
        n_pos, n_all = float(tps[0]), float(pps[0])  # at the lowest threshold: every step
    else:
        tps, pps, n_pos, n_all, grid = _binned_inputs(stats, positive, thresholds)
        n_pos, n_all = float(n_pos), float(n_all)
    tps, pps, grid = tps[::-1].astype(np.float64), pps[::-1].astype(np.float64), grid[::-1]
    fps = pps - tps
    return (n_all - n_pos) - fps, fps, n_pos - tps, tps, grid.copy()


# ---------------------------------------------------------------- binned error bounds


class BinningBounds(NamedTuple):
    """How far a binned AP or ROC AUC can be from the exact one (see :func:`binning_bounds`)."""

    binned: float
    low: float
    high: float
    error: float


@validate_params({"metric": [StrOptions(("average_precision", "roc_auc"))]})
def binning_bounds(tns, fps, fns, tps, *, metric="average_precision") -> BinningBounds:
    """The range of the exact AP or ROC AUC of any scores that bin to these counts.

    A binned curve loses only the order of the steps inside each bin between two
    thresholds (the module notes derive the bounds). From the counts at the thresholds, this
    gives the lowest and highest exact score possible, so ``error = max(high - binned,
    binned - low)`` bounds ``|binned - exact|`` for the data at hand. Scores below the lowest
    threshold form one more bin (the binned curve never predicts them positive).

    Parameters
    ----------
    tns, fps, fns, tps : array-like of shape (n_thresholds,)
        Counts at each threshold, highest threshold first, as
        :func:`confusion_matrix_at_thresholds` returns them with ``thresholds=`` (or its
        stream). Whole numbers: the bounds count steps, so unweighted counts only.
    metric : {"average_precision", "roc_auc"}, default "average_precision"

    Returns
    -------
    BinningBounds
        ``binned`` (the binned score), ``low`` and ``high`` (the exact score lies between
        them) and ``error`` (the largest possible ``|binned - exact|``).

    Raises
    ------
    ValueError
        If the counts do not come from one curve (shapes, negative or fractional counts,
        totals that change between thresholds), there is no positive (or, for ROC AUC, no
        negative), or ``metric`` is unknown.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 10_000)
    >>> p = np.clip(0.3 * y + rng.uniform(0, 0.7, y.size), 0, 1)
    >>> counts = confusion_matrix_at_thresholds(y, p, thresholds=101)[:4]
    >>> b = binning_bounds(*counts, metric="average_precision")
    >>> round(b.low, 4), round(average_precision_score(y, p), 4), round(b.high, 4)
    (0.8527, 0.8563, 0.86)
    >>> round(b.binned, 4), round(b.error, 4)  # the binned AP, and how far it can be off
    (0.8537, 0.0063)
    """
    names = ("tns", "fps", "fns", "tps")
    tn, fp, fn, tp = (_count_array(a, n) for a, n in zip((tns, fps, fns, tps), names, strict=True))
    if not (tn.shape == fp.shape == fn.shape == tp.shape) or tp.ndim != 1 or tp.size == 0:
        raise ValueError(
            "Expected `tns`, `fps`, `fns`, `tps` to be 1-D arrays of one length, but got shapes "
            f"{tn.shape}, {fp.shape}, {fn.shape}, {tp.shape}."
        )
    n_pos, n_neg = tp + fn, tn + fp
    if np.ptp(n_pos) or np.ptp(n_neg):
        raise ValueError(
            "Expected `tps + fns` and `tns + fps` to be the same at every threshold (the "
            "counts of one curve), but they change."
        )
    n_pos, n_neg = float(n_pos[0]), float(n_neg[0])
    if n_pos == 0 or (metric == "roc_auc" and n_neg == 0):
        raise ValueError(
            f"Expected positives{' and negatives' if metric == 'roc_auc' else ''} among the "
            f"steps, but there are {n_pos:g} positives and {n_neg:g} negatives: the score is "
            "undefined."
        )
    # Bins from the highest threshold down, then the steps below the lowest threshold.
    tp_at = np.concatenate(([0.0], tp, [n_pos]))  # at or above each bin's lower edge
    fp_at = np.concatenate(([0.0], fp, [n_neg]))
    if np.any(np.diff(tp_at) < 0) or np.any(np.diff(fp_at) < 0):
        raise ValueError(
            "Expected `tps` and `fps` to grow as the threshold falls (highest threshold first)."
        )
    p, n = np.diff(tp_at), np.diff(fp_at)  # positives and negatives in each bin
    above_pos, above = tp_at[:-1], tp_at[:-1] + fp_at[:-1]  # T_b and A_b
    if metric == "roc_auc":
        pairs = n_pos * n_neg
        cross = float(np.sum(p * (n_neg - fp_at[1:])))  # pairs in different bins, ranked right
        inside = float(np.sum(p * n))  # pairs inside a bin: their order is lost
        low, high = cross / pairs, (cross + inside) / pairs
        # The binned curve ends at the lowest threshold: its area leaves out the pairs with a
        # negative below it.
        left_out = float(np.sum(p[:-1])) * n[-1]
        binned = (cross - left_out + 0.5 * (inside - p[-1] * n[-1])) / pairs
    else:
        most = _precision_sum(above_pos, above, p)  # positives first in their bin
        least = _precision_sum(above_pos, above + n, p)  # positives last
        low, high = float(np.sum(least)) / n_pos, float(np.sum(most)) / n_pos
        with np.errstate(invalid="ignore", divide="ignore"):
            tied = np.where(p > 0, p * (above_pos + p) / (above + p + n), 0.0)
        binned = float(np.sum(tied[:-1])) / n_pos  # below the lowest threshold: never positive
    binned, low, high = float(binned), float(low), float(high)
    return BinningBounds(binned, low, high, max(high - binned, binned - low, 0.0))


def _count_array(a, name: str) -> np.ndarray:
    counts = as_finite_floats(as_array(a, name), name).astype(np.float64)
    if np.any(counts < 0) or np.any(counts != np.round(counts)):
        raise ValueError(
            f"Expected `{name}` to hold counts (non-negative whole numbers), but got "
            f"{counts[(counts < 0) | (counts != np.round(counts))][0]!r}. The bounds count "
            "steps: pass unweighted counts."
        )
    return counts


def _precision_sum(above_pos, above, p):
    """``sum_{j=1..p} (T + j) / (A + j)`` per bin, in closed form: ``p - (A - T)(H(A+p) - H(A))``."""
    return np.where(p > 0, p - (above - above_pos) * _harmonic_diff(above, above + p), 0.0)


_EULER = 0.5772156649015329
_HARMONIC = np.concatenate(([0.0], np.cumsum(1.0 / np.arange(1, 257))))  # H(0..256)


def _harmonic(x: np.ndarray) -> np.ndarray:
    """Harmonic numbers ``H(x) = 1 + 1/2 + ... + 1/x`` of whole ``x >= 0`` (float64)."""
    x = np.asarray(x, dtype=np.float64)
    small = x <= 256
    out = np.empty_like(x)
    out[small] = _HARMONIC[x[small].astype(np.int64)]
    big = x[~small]
    out[~small] = np.log(big) + _EULER + _tail(big)
    return out


def _tail(x: np.ndarray) -> np.ndarray:
    """``H(x) - log(x) - gamma`` for large ``x`` (asymptotic series, error < 1e-19 at 256)."""
    x2 = 1.0 / (x * x)
    return 1.0 / (2 * x) - x2 * (1.0 / 12 - x2 * (1.0 / 120 - x2 / 252))


def _harmonic_diff(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``H(b) - H(a)`` for whole ``0 <= a <= b``, without cancellation when both are large."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    out = _harmonic(b) - _harmonic(a)
    big = a > 256
    if big.any():
        x, y = a[big], b[big]
        out[big] = np.log1p((y - x) / x) + (_tail(y) - _tail(x))
    return out


# ------------------------------------------------------- sufficient statistics (streams)

#: The most thresholds a binned curve may have (its state is a few arrays of that length).
MAX_THRESHOLDS = 1_000_000


def _check_thresholds(thresholds) -> None:
    """Raise unless ``thresholds`` is None, an int in [2, MAX_THRESHOLDS] or an increasing
    1-D array of finite floats."""
    if thresholds is None:
        return
    if isinstance(thresholds, bool | np.bool_):
        raise TypeError(f"Expected `thresholds` to be an int or an array, but got {thresholds!r}.")
    if isinstance(thresholds, numbers.Integral):
        if not 2 <= thresholds <= MAX_THRESHOLDS:
            raise ValueError(
                f"Expected `thresholds` to be an int in [2, {MAX_THRESHOLDS:_}] (the number of "
                f"evenly spaced thresholds in [0, 1]), but got {thresholds}."
            )
        return
    grid = _grid(thresholds)
    if grid.ndim != 1 or grid.size > MAX_THRESHOLDS:
        raise ValueError(
            f"Expected `thresholds` to be 1-D with at most {MAX_THRESHOLDS:_} values, but got "
            f"shape {grid.shape}."
        )
    if grid.size > 1 and not np.all(np.diff(grid) > 0):
        raise ValueError(
            f"Expected `thresholds` to increase strictly, but got {grid.tolist()[:10]}. Pass "
            "`np.unique(thresholds)`."
        )


def _grid(thresholds) -> np.ndarray:
    """The thresholds as float64 (an int ``K``: torchmetrics' ``torch.linspace(0, 1, K)``)."""
    if isinstance(thresholds, numbers.Integral):
        return _linspace(int(thresholds))
    return as_finite_floats(as_array(thresholds, "thresholds"), "thresholds").astype(np.float64)


@functools.lru_cache(maxsize=16)
def _linspace(k: int) -> np.ndarray:
    # torch's own float32 values (not NumPy's): a score equal to a threshold must be
    # counted as torchmetrics counts it. torch is imported only here.
    import torch

    grid = torch.linspace(0, 1, k, dtype=torch.float32).numpy().astype(np.float64)
    grid.flags.writeable = False
    return grid


def _ranking_stats(
    y_true,
    y_score,
    check,
    *,
    thresholds=None,
    sample_weight=None,
    mask=None,
    lengths=None,
    class_axis=False,
    **_,
):
    """What every curve keeps of a batch: every label and score (exact), or per label the
    number (weight) of steps at or above each threshold (binned)."""
    if class_axis:
        t, s, w = _label_score_inputs(y_true, y_score, sample_weight, mask, lengths, True)
    else:
        t, s, w = valid_labels_and_values(
            y_true,
            y_score,
            mask=mask,
            lengths=lengths,
            sample_weight=sample_weight,
            allow_empty=True,
        )
    s = as_scores(s, "y_score")
    if t.size:
        check(t, s)
    stats = {
        "n_steps": np.array(t.size),
        "weighted": np.array(w is not None),
        "n_columns": np.array(s.shape[1] if s.ndim == 2 else 0),
    }
    if thresholds is None:
        return {
            **stats,
            "labels": _compact_labels(t),
            "scores": s,
            "weights": np.empty(0) if w is None else w,
        }
    if s.ndim != 1:
        raise ValueError(
            "Expected one score per step with `thresholds=` (binned curves are binary), but "
            f"`y_score` has {s.shape[1]} columns. Score each class against the rest "
            "(`y_true == k` with column k), or leave `thresholds=None`."
        )
    grid = _grid(thresholds)
    uniform = isinstance(thresholds, numbers.Integral)
    if uniform and s.size and (s.min() < 0 or s.max() > 1):
        bad = s.min() if s.min() < 0 else s.max()
        raise ValueError(
            f"Expected `y_score` to hold probabilities in [0, 1] with `thresholds={thresholds}` "
            f"(evenly spaced in [0, 1]), but found {bad}. Apply `torch.sigmoid` to logits "
            "first, or pass the thresholds as an array."
        )
    classes, codes = _label_codes(t)
    hist = _histogram(codes, s, w, grid, classes.size, uniform=uniform)
    above = np.cumsum(hist[:, ::-1], axis=1)[:, ::-1]  # steps at or above each bin
    return {**stats, "classes": classes, "above": above[:, 1:], "total": above[:, 0]}


_CHUNK = 2**18  # steps binned at a time: the temporaries stay a few MB for any batch size


def _histogram(codes, s, w, grid, n_classes: int, *, uniform: bool) -> np.ndarray:
    """``(n_classes, K + 1)`` counts (weights) per label and bin; bin 0 is below every
    threshold, bin ``i + 1`` is ``[grid[i], grid[i + 1])``."""
    k = grid.size
    hist = np.zeros(n_classes * (k + 1), dtype=np.int64 if w is None else np.float64)
    for start in range(0, s.size, _CHUNK):
        part = slice(start, start + _CHUNK)
        bins = _bin_index(s[part], grid, uniform=uniform) + 1
        bins += codes[part] * (k + 1) if n_classes > 1 else 0
        hist += np.bincount(
            bins, weights=None if w is None else w[part], minlength=hist.size
        ).astype(hist.dtype, copy=False)
    return hist.reshape(n_classes, k + 1)


def _curve_stats(y_true, y_score, *, pos_label=None, **kw):
    def check(t, s):
        positive_class(t, pos_label)

    return _ranking_stats(y_true, y_score, check, **kw)


def _curve_rule(pos_label):
    def positive(t):
        return positive_class(t, pos_label)

    return positive


def _compact_labels(t: np.ndarray) -> np.ndarray:
    """Labels in the smallest integer dtype that holds them (exact curves keep them all)."""
    if t.size == 0 or t.dtype.kind not in "iu":
        return t
    low, high = int(t.min()), int(t.max())
    for dtype in (np.int8, np.int16, np.int32):
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max:
            return t.astype(dtype)
    return t


def _label_codes(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct labels (bools and whole numbers as int64) and each step's position."""
    if t.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    if t.dtype.kind == "b":
        t = t.view(np.uint8)
    if t.dtype.kind in "iu":
        low, high = int(t.min()), int(t.max())
        if high - low < 2**16:
            shifted = t.astype(np.int64) - low if low else t.astype(np.int64)
            present = np.bincount(shifted, minlength=high - low + 1) > 0
            if present.all():
                return np.arange(low, high + 1, dtype=np.int64), shifted
            return np.flatnonzero(present) + low, (np.cumsum(present) - 1)[shifted]
        t = t.astype(np.int64)
    classes, codes = np.unique(t, return_inverse=True)
    return classes, codes.reshape(-1)


def _bin_index(s: np.ndarray, grid: np.ndarray, *, uniform: bool) -> np.ndarray:
    """For each score, the last threshold at or below it (-1: below every threshold)."""
    if not uniform:
        return np.searchsorted(grid, s, side="right") - 1
    # Evenly spaced in [0, 1]: floor(s * (K - 1)) is right or one off (the float32 grid
    # is within an ulp of i / (K - 1)), and two comparisons settle it.
    k = grid.size
    if s.dtype == np.float32:  # the grid's values are float32: compare in float32
        grid = grid.astype(np.float32)
    index = np.multiply(s, k - 1, dtype=s.dtype if s.dtype.kind == "f" else np.float64)
    index = np.minimum(index.astype(np.int64), k - 1)
    index -= grid[index] > s
    up = np.minimum(index + 1, k - 1)
    index += (grid[up] <= s) & (up > index)
    return index


def _exact_arrays(stats):
    """Every step's label, score and weight (None), from exact statistics."""
    w = stats["weights"] if stats["weighted"] else None
    return stats["labels"], stats["scores"], w


def _exact_inputs(stats, positive):
    t, s, w = _exact_arrays(stats)
    return positive(t), s, w


def _binned_inputs(stats, positive, thresholds):
    """Binned: TP and predicted positives at each threshold (increasing), the totals, grid."""
    above, total = stats["above"], stats["total"]
    is_pos = positive(stats["classes"]) if stats["classes"].size else np.zeros(0, dtype=bool)
    tps, pps = above[is_pos].sum(axis=0), above.sum(axis=0)
    return tps, pps, total[is_pos].sum(), total.sum(), _grid(thresholds)


def _binned_roc(tps, pps, n_pos, n_all, grid):
    """(0, 0) at threshold inf, then one point per threshold, highest first."""
    fps = pps - tps
    fpr = np.concatenate(([0.0], fps[::-1])).astype(np.float64)
    tpr = np.concatenate(([0.0], tps[::-1])).astype(np.float64)
    return (
        _binned_rate(
            fpr,
            n_all - n_pos,
            "No negative samples in y_true, false positive value should be meaningless",
        ),
        _binned_rate(
            tpr, n_pos, "No positive samples in y_true, true positive value should be meaningless"
        ),
        np.concatenate(([np.inf], grid[::-1])),
    )


def _binned_rate(counts, total, undefined_message):
    if total == 0:
        warn(undefined_message)
        return np.full(counts.shape, np.nan)
    return counts / total


def _binned_ap(tps, pps, n_pos):
    """torchmetrics' binned AP: ``sum (recall[i] - recall[i+1]) * precision[i]``."""
    if n_pos == 0:
        warn("No positive class found in y_true, recall is set to one for all thresholds.")
        return 0.0  # every precision it could weigh is 0 (no true positive)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(pps > 0, tps / pps, 0.0)
    recall = np.append(tps / n_pos, 0.0)
    return float(max(0.0, np.sum((recall[:-1] - recall[1:]) * precision)))


def _binned_auc(tps, pps, n_pos, n_all, grid):
    if n_pos == 0 or n_pos == n_all:
        warn("Only one class is present in y_true. ROC AUC score is not defined in that case.")
        return float("nan")
    fpr, tpr, _ = _binned_roc(tps, pps, n_pos, n_all, grid)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))


# --------------------------------------------------------------- inputs and averages


def _label_score_inputs(y_true, y_score, sample_weight, mask, lengths, allow_empty=False):
    """Valid steps: labels (n,), scores (n,) or (n, n_classes), weights or None."""
    t, s, w = valid_labels_and_values(
        y_true,
        y_score,
        mask=mask,
        lengths=lengths,
        sample_weight=sample_weight,
        class_axis=True,
        allow_empty=allow_empty,
    )
    if s.ndim == 2 and s.shape[1] == 1:
        raise ValueError(
            "Expected `y_score` to have the shape of `y_true` (one score per step) or one "
            "column per class, but it has a single column. Squeeze the last axis: "
            "`y_score.squeeze(-1)`."
        )
    return t, s, w


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


# ------------------------------------------------------------------------ streaming

_REDUCE = {
    "n_steps": "sum",
    "weighted": "same",
    "n_columns": "same",
    "labels": "cat",
    "scores": "cat",
    "weights": "cat",
    "classes": "union",
    "above": "sum",
    "total": "sum",
}
_NAMES = {
    "weighted": "whether `sample_weight` is given",
    "n_columns": "the number of score columns (0: one score per step)",
    "classes": "the labels",
}


def _curve_options(**options):
    check_label_scalar_or_none(options["pos_label"])
    _check_thresholds(options.get("thresholds"))
    if "drop_intermediate" in options:
        check_bool(options["drop_intermediate"], "drop_intermediate")
    return options


def check_label_scalar_or_none(pos_label) -> None:
    if pos_label is not None:
        check_label_scalar(pos_label, "pos_label")


def _spec(function, stats, finalize, options):
    return {
        "stats": stats,
        "finalize": finalize,
        "function": function,
        "options": options,
        "reduce": _REDUCE,
        "index": {"above": ("classes",), "total": ("classes",)},
        "count": "n_steps",
        "input": "scores",
        "names": _NAMES,
    }


STREAM_SPECS = {
    "precision_recall_curve": _spec(
        precision_recall_curve, _curve_stats, _pr_curve_finalize, _curve_options
    ),
    "roc_curve": _spec(roc_curve, _curve_stats, _roc_curve_finalize, _curve_options),
    "confusion_matrix_at_thresholds": _spec(
        confusion_matrix_at_thresholds, _curve_stats, _cm_at_thresholds_finalize, _curve_options
    ),
    "average_precision_score": _spec(average_precision_score, _ap_stats, _ap_finalize, _ap_options),
    "roc_auc_score": _spec(roc_auc_score, _auc_stats, _auc_finalize, _auc_options),
    "one_vs_rest_curves": _spec(one_vs_rest_curves, _ovr_stats, _ovr_finalize, _ovr_options),
}
