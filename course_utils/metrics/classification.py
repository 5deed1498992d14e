"""Classification metrics as ratios of counts, equal to scikit-learn's.

Each metric first counts, per class, the true positives, the predictions and the true
occurrences (:func:`course_utils.metrics.counts.class_totals`), then divides. Where a ratio
has a zero denominator it is set to ``zero_division`` and, by default, an
:class:`~course_utils.metrics.UndefinedMetricWarning` says so, exactly as scikit-learn does.

Inputs are per-step labels of any shape; ``mask=``/``lengths=`` drop padding before counting.
Unlike scikit-learn, 2-D inputs are not read as multilabel indicators: ``(batch, time)``
labels are one classification per valid step.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from course_utils._params import (
    NON_NEGATIVE_INT,
    Boolean,
    Interval,
    Options,
    StrOptions,
    check_params,
    validate_params,
)
from course_utils.metrics._docs import MASK_AND_LENGTHS, fill_doc
from course_utils.metrics._validation import (
    ZERO_DIVISION,
    as_label_list,
    check_bool,
    check_label_scalar,
    encode_pair,
    require_steps,
)
from course_utils.metrics._warnings import warn
from course_utils.metrics.counts import (
    CLASS_INDEX,
    CLASS_REDUCE,
    STAT_NAMES,
    class_positions,
)
from course_utils.metrics.counts import class_stats as _class_stats

__all__ = [
    "accuracy_score",
    "balanced_accuracy_score",
    "classification_report",
    "f1_score",
    "fbeta_score",
    "matthews_corrcoef",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "specificity_score",
]

AVERAGES = ("binary", "micro", "macro", "weighted", None)
_PRF = {
    "average": [StrOptions(AVERAGES[:-1]), None],
    "zero_division": ZERO_DIVISION,
}
_BETA = {"beta": [Interval(Real, 0, None, closed="left"), Options(Real, (math.inf,), shown="inf")]}
_REPORT = {
    "digits": [NON_NEGATIVE_INT],
    "output_dict": [Boolean()],
    "zero_division": ZERO_DIVISION,
}

_SHARED_PARAMETERS = """\
    y_true, y_pred : array-like of labels, any shape (the same for both)
        True and predicted labels (class indices, any ints, bools or strings): lists, NumPy
        arrays or torch tensors (CPU or CUDA). Scores are not accepted: threshold them
        first.
    labels : array-like, optional
        Classes to include when ``average != "binary"``, and their order when
        ``average=None``. Default: every class in ``y_true`` or ``y_pred``, sorted.
    pos_label : label, default 1
        The class to report when ``average="binary"`` (one of the labels, e.g. ``True`` or
        ``"spam"``); ignored otherwise.
    average : {"binary", "micro", "macro", "weighted"} or None, default "binary"
        ``"binary"``: the score of ``pos_label`` (at most two classes). ``"micro"``: from
        counts summed over classes. ``"macro"``: unweighted mean over classes.
        ``"weighted"``: mean weighted by each class's support. None: one score per class.
    zero_division : {"warn", 0, 1, np.nan}, default "warn"
        Value of an undefined ratio. ``"warn"`` acts as 0 and warns; ``np.nan`` values are
        left out of averages.
    sample_weight : array-like of float, optional
        Non-negative weight per step (shape of ``y_true`` or its leading axes, e.g. one
        weight per sequence): counts become sums of weights.
"""
_SHARED_PARAMETERS += MASK_AND_LENGTHS

_SHARED_RAISES = """\
    ValueError
        If shapes differ, float labels are not whole numbers, there are more than two
        classes with ``average="binary"`` or ``pos_label`` is not one of them,
        ``sample_weight`` is invalid, ``mask``/``lengths`` do not fit or leave no step, or an
        option is unknown.
    TypeError
        If an input does not hold numbers."""


_shared_docs = fill_doc(parameters=_SHARED_PARAMETERS, raises=_SHARED_RAISES)


# ------------------------------------------------------------------------- accuracy


@validate_params({"normalize": [Boolean()]})
def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None, mask=None, lengths=None):
    """Fraction (or number) of valid steps whose predicted label is right.

    Parameters
    ----------
    y_true, y_pred : array-like of labels, any shape (the same for both)
        True and predicted labels (class indices, any ints, bools or strings): lists, NumPy
        arrays or torch tensors (CPU or CUDA).
    normalize : bool, default True
        Return the fraction of right steps; False returns their number (or weight).
    sample_weight : array-like of float, optional
        Non-negative weight per step (shape of ``y_true`` or its leading axes).
    mask : array-like of bool, optional
        True marks a real step, False padding (never counted).
    lengths : array-like of int, optional
        For ``(batch, time, ...)`` inputs: steps ``t >= lengths[b]`` are padding.

    Returns
    -------
    float
        In [0, 1], or a count when ``normalize=False``.

    Raises
    ------
    ValueError
        If shapes differ, labels are not class indices or ``mask``/``lengths`` do not fit.
    TypeError
        If an input does not hold numbers or ``normalize`` is not a bool.

    Examples
    --------
    >>> accuracy_score([0, 1, 1, 0], [0, 1, 0, 0])
    0.75

    With padding: only the first 2 steps of the first sequence are real.

    >>> accuracy_score([[1, 1, 0], [0, 1, 1]], [[1, 1, 1], [0, 1, 0]], lengths=[2, 3])
    0.8
    """
    stats = _accuracy_stats(y_true, y_pred, sample_weight=sample_weight, mask=mask, lengths=lengths)
    require_steps(stats["n_steps"])
    return _accuracy_finalize(stats, normalize=normalize)


def _accuracy_stats(y_true, y_pred, *, sample_weight=None, mask=None, lengths=None, **_):
    enc = encode_pair(
        y_true, y_pred, mask=mask, lengths=lengths, sample_weight=sample_weight, allow_empty=True
    )
    right = enc.t == enc.p
    if enc.weights is not None:
        n_right, total = enc.weights[right].sum(), enc.weights.sum()
    else:
        n_right, total = np.count_nonzero(right), right.size
    return {
        "right": np.array(n_right),
        "total": np.array(total),
        "n_steps": np.array(enc.t.size),
        "weighted": np.array(enc.weights is not None),
    }


def _accuracy_finalize(stats, *, normalize=True, **_):
    n_right, total = stats["right"], stats["total"]
    return float(n_right / total) if normalize else float(n_right)


@validate_params({"adjusted": [Boolean()]})
def balanced_accuracy_score(
    y_true, y_pred, *, sample_weight=None, adjusted=False, mask=None, lengths=None
):
    """Mean recall over the classes present in ``y_true``.

    Unlike accuracy it does not reward always predicting the majority class: with 95%
    negatives, "always 0" has accuracy 0.95 but balanced accuracy 0.5.

    Parameters
    ----------
    y_true, y_pred : array-like of labels, any shape (the same for both)
        True and predicted labels (class indices, any ints, bools or strings): lists, NumPy
        arrays or torch tensors (CPU or CUDA).
    sample_weight : array-like of float, optional
        Non-negative weight per step (shape of ``y_true`` or its leading axes).
    adjusted : bool, default False
        Rescale so that chance scores 0 and perfect scores 1.
    mask : array-like of bool, optional
        True marks a real step, False padding (never counted).
    lengths : array-like of int, optional
        For ``(batch, time, ...)`` inputs: steps ``t >= lengths[b]`` are padding.

    Returns
    -------
    float
        In [0, 1] (can be negative when ``adjusted=True``).

    Raises
    ------
    ValueError
        If shapes differ, labels are not class indices or ``mask``/``lengths`` do not fit.
    TypeError
        If an input does not hold numbers or ``adjusted`` is not a bool.

    Warns
    -----
    UserWarning
        If ``y_pred`` holds classes absent from ``y_true`` (they are left out).
    UndefinedMetricWarning
        If ``y_true`` has one class (the score is that class's recall; with
        ``adjusted=True`` it is nan).

    Examples
    --------
    >>> balanced_accuracy_score([0, 0, 0, 1], [0, 0, 0, 0])
    0.5
    """
    stats = _class_stats(y_true, y_pred, sample_weight=sample_weight, mask=mask, lengths=lengths)
    require_steps(stats["n_steps"])
    return _balanced_accuracy_finalize(stats, adjusted=adjusted)


def _balanced_accuracy_finalize(stats, *, adjusted=False, **_):
    hits, pred, true = stats["hits"], stats["pred"], stats["true"]
    in_y_true = true > 0
    if (pred[~in_y_true] > 0).any():
        warn("y_pred contains classes not in y_true", UserWarning)
    recalls = hits[in_y_true] / true[in_y_true]  # (n_classes_in_y_true,)
    score = recalls.mean()
    if not adjusted:
        if recalls.size == 1:
            warn("Only one class is present in y_true; balanced accuracy is its recall alone.")
        return float(score)
    if recalls.size == 1:
        warn("Adjusted balanced accuracy is undefined with one class in y_true; returning nan.")
        return float("nan")
    chance = 1 / recalls.size
    return float((score - chance) / (1 - chance))


# ------------------------------------------------- precision, recall, F, specificity


@validate_params({**_PRF, **_BETA})
@_shared_docs
def precision_recall_fscore_support(
    y_true,
    y_pred,
    *,
    beta=1.0,
    labels=None,
    pos_label=1,
    average=None,
    zero_division="warn",
    sample_weight=None,
    mask=None,
    lengths=None,
):
    """Precision, recall, F-beta and support, per class or averaged.

    Precision is ``tp / (tp + fp)``, recall ``tp / (tp + fn)`` and F-beta
    ``(1 + beta**2) * tp / ((1 + beta**2) * tp + beta**2 * fn + fp)``.

    Parameters
    ----------
    {parameters}
    beta : float, default 1.0
        Weight of recall against precision in the F-score (``inf``: recall only).

    Returns
    -------
    precision, recall, fbeta : float or numpy.ndarray of shape (n_labels,)
        Floats when averaged, else one value per class.
    support : None or numpy.ndarray of shape (n_labels,)
        Number of true occurrences of each class (None when averaged).

    Raises
    ------
    {raises}

    Warns
    -----
    UndefinedMetricWarning
        For each undefined ratio when ``zero_division="warn"``.

    Examples
    --------
    >>> p, r, f, support = precision_recall_fscore_support([0, 1, 2, 2], [0, 2, 2, 1])
    >>> p
    array([1. , 0. , 0.5])
    >>> support
    array([1, 1, 2])
    """
    return _prfs(
        y_true,
        y_pred,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        zero_division=zero_division,
        sample_weight=sample_weight,
        mask=mask,
        lengths=lengths,
        warn_for=("precision", "recall", "f-score"),
    )


@validate_params(_PRF)
@_shared_docs
def precision_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    zero_division="warn",
    sample_weight=None,
    mask=None,
    lengths=None,
):
    """Precision ``tp / (tp + fp)``: of the predicted positives, the fraction that are right.

    Parameters
    ----------
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_labels,)
        One value per class when ``average=None``.

    Raises
    ------
    {raises}

    Warns
    -----
    UndefinedMetricWarning
        If nothing is predicted positive and ``zero_division="warn"``.

    Examples
    --------
    The seed lessons' example (TP 50, FN 10, FP 5, TN 35):

    >>> from course_utils.metrics import predictions_from_counts
    >>> y_true, y_pred = predictions_from_counts(tp=50, fn=10, fp=5, tn=35)
    >>> round(precision_score(y_true, y_pred), 3)
    0.909
    """
    precision, _, _, _ = _prfs(
        y_true,
        y_pred,
        beta=1.0,
        labels=labels,
        pos_label=pos_label,
        average=average,
        zero_division=zero_division,
        sample_weight=sample_weight,
        mask=mask,
        lengths=lengths,
        warn_for=("precision",),
    )
    return precision


@validate_params(_PRF)
@_shared_docs
def recall_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    zero_division="warn",
    sample_weight=None,
    mask=None,
    lengths=None,
):
    """Recall ``tp / (tp + fn)``: of the true positives, the fraction found.

    Parameters
    ----------
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_labels,)
        One value per class when ``average=None``.

    Raises
    ------
    {raises}

    Warns
    -----
    UndefinedMetricWarning
        If ``y_true`` has no positives and ``zero_division="warn"``.

    Examples
    --------
    >>> from course_utils.metrics import predictions_from_counts
    >>> y_true, y_pred = predictions_from_counts(tp=50, fn=10, fp=5, tn=35)
    >>> round(recall_score(y_true, y_pred), 3)
    0.833
    """
    _, recall, _, _ = _prfs(
        y_true,
        y_pred,
        beta=1.0,
        labels=labels,
        pos_label=pos_label,
        average=average,
        zero_division=zero_division,
        sample_weight=sample_weight,
        mask=mask,
        lengths=lengths,
        warn_for=("recall",),
    )
    return recall


@validate_params({**_PRF, **_BETA})
@_shared_docs
def fbeta_score(
    y_true,
    y_pred,
    *,
    beta,
    labels=None,
    pos_label=1,
    average="binary",
    zero_division="warn",
    sample_weight=None,
    mask=None,
    lengths=None,
):
    """F-beta score: a weighted harmonic mean of precision and recall.

    ``beta > 1`` favours recall, ``beta < 1`` precision; ``beta=0`` is precision and
    ``beta=inf`` recall.

    Parameters
    ----------
    {parameters}
    beta : float
        Non-negative weight of recall against precision.

    Returns
    -------
    float or numpy.ndarray of shape (n_labels,)
        One value per class when ``average=None``.

    Raises
    ------
    {raises}

    Warns
    -----
    UndefinedMetricWarning
        If there are no true and no predicted positives and ``zero_division="warn"``.

    Examples
    --------
    >>> from course_utils.metrics import predictions_from_counts
    >>> y_true, y_pred = predictions_from_counts(tp=50, fn=10, fp=5, tn=35)
    >>> round(fbeta_score(y_true, y_pred, beta=2.0), 4)
    0.8475
    """
    _, _, fscore, _ = _prfs(
        y_true,
        y_pred,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        zero_division=zero_division,
        sample_weight=sample_weight,
        mask=mask,
        lengths=lengths,
        warn_for=("f-score",),
    )
    return fscore


@validate_params(_PRF)
@_shared_docs
def f1_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    zero_division="warn",
    sample_weight=None,
    mask=None,
    lengths=None,
):
    """F1 score ``2 * precision * recall / (precision + recall)``, i.e. ``2tp / (2tp + fp + fn)``.

    Parameters
    ----------
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_labels,)
        One value per class when ``average=None``.

    Raises
    ------
    {raises}

    Warns
    -----
    UndefinedMetricWarning
        If there are no true and no predicted positives and ``zero_division="warn"``.

    Examples
    --------
    >>> from course_utils.metrics import predictions_from_counts
    >>> y_true, y_pred = predictions_from_counts(tp=50, fn=10, fp=5, tn=35)
    >>> round(f1_score(y_true, y_pred), 4)
    0.8696

    Per step of padded sequences, and per class:

    >>> y_true = [[0, 1, 2, 2], [1, 1, 0, 0]]
    >>> y_pred = [[0, 2, 2, 2], [1, 1, 1, 0]]
    >>> f1_score(y_true, y_pred, average=None, lengths=[4, 2])
    array([1. , 0.8, 0.8])
    """
    return fbeta_score(
        y_true,
        y_pred,
        beta=1.0,
        labels=labels,
        pos_label=pos_label,
        average=average,
        zero_division=zero_division,
        sample_weight=sample_weight,
        mask=mask,
        lengths=lengths,
    )


@validate_params(_PRF)
@_shared_docs
def specificity_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    zero_division="warn",
    sample_weight=None,
    mask=None,
    lengths=None,
):
    """Specificity ``tn / (tn + fp)``: of the true negatives, the fraction predicted negative.

    For binary labels it is the recall of the other class. scikit-learn has no function of
    this name; ``recall_score(y_true, y_pred, pos_label=0)`` gives the same number. For
    several classes, each class is scored against the rest and averaged as the other
    metrics are (``"weighted"`` weights by each class's support).

    Parameters
    ----------
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_labels,)
        One value per class when ``average=None``.

    Raises
    ------
    {raises}

    Warns
    -----
    UndefinedMetricWarning
        If ``y_true`` has no negatives and ``zero_division="warn"``.

    Examples
    --------
    >>> from course_utils.metrics import predictions_from_counts
    >>> y_true, y_pred = predictions_from_counts(tp=50, fn=10, fp=5, tn=35)
    >>> round(specificity_score(y_true, y_pred), 3)
    0.875
    """
    _check_options(1.0, average, zero_division, pos_label)
    stats = _prfs_stats(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _specificity_finalize(
        stats, labels=labels, pos_label=pos_label, average=average, zero_division=zero_division
    )


def _specificity_finalize(stats, *, labels, pos_label, average, zero_division, **_):
    hits, pred, true, n_steps = _listed_counts(
        stats, labels=labels, pos_label=pos_label, average=average
    )
    negatives = n_steps - true  # tn + fp, per class
    true_negatives = negatives - (pred - hits)  # negatives minus false positives
    if average == "micro":
        true_negatives, negatives = true_negatives.sum(keepdims=True), negatives.sum(keepdims=True)
    specificity = _ratio(
        true_negatives,
        negatives,
        "specificity",
        "negative",
        announce=True,
        zero_division=zero_division,
    )
    return _average(specificity, average, weights=true)


def _prfs(
    y_true,
    y_pred,
    *,
    beta,
    labels,
    pos_label,
    average,
    zero_division,
    sample_weight,
    mask,
    lengths,
    warn_for,
):
    _check_options(beta, average, zero_division, pos_label)
    stats = _prfs_stats(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _prfs_finalize(
        stats,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        zero_division=zero_division,
        warn_for=warn_for,
    )


def _prfs_stats(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    sample_weight=None,
    mask=None,
    lengths=None,
    **_,
):
    """Class statistics with ``pos_label`` (binary) or ``labels`` (otherwise) always a class."""
    binary = average == "binary"
    return _class_stats(
        y_true,
        y_pred,
        labels=None if labels is None or binary else as_label_list(labels),
        pos_label=pos_label if binary else None,
        sample_weight=sample_weight,
        mask=mask,
        lengths=lengths,
    )


def _prfs_finalize(stats, *, beta, labels, pos_label, average, zero_division, warn_for, **_):
    hits, pred, true, _ = _listed_counts(stats, labels=labels, pos_label=pos_label, average=average)
    return _prfs_from_counts(
        hits, pred, true, beta=beta, average=average, zero_division=zero_division, warn_for=warn_for
    )


def _prfs_from_counts(hits, pred, true, *, beta, average, zero_division, warn_for):
    """Precision, recall, F-beta and support from per-class counts (the formulas)."""
    support = true
    if average == "micro":  # pool the counts of all classes, then divide once
        hits, pred, true = hits.sum(keepdims=True), pred.sum(keepdims=True), true.sum(keepdims=True)

    def ratio(num, den, metric, modifier):
        announce = metric in warn_for
        return _ratio(num, den, metric, modifier, announce=announce, zero_division=zero_division)

    precision = ratio(hits, pred, "precision", "predicted")  # tp / (tp + fp)
    recall = ratio(hits, true, "recall", "true")  # tp / (tp + fn)
    if np.isposinf(beta):
        fscore = recall
    elif beta == 0:
        fscore = precision
    else:  # (1 + b²) tp / (b² (tp + fn) + (tp + fp)), the harmonic mean without its 0/0 cases
        b2 = beta**2
        fscore = ratio((1 + b2) * hits, b2 * true + pred, "f-score", "true nor predicted")

    if average is None:
        return precision, recall, fscore, support
    scores = [_average(s, average, weights=support) for s in (precision, recall, fscore)]
    return (*scores, None)


def _listed_counts(stats, *, labels, pos_label, average):
    """Per listed class: hits (tp), predicted count, true count; plus every step's weight.

    The listed classes: ``pos_label`` for ``average="binary"``, else ``labels`` or every
    class that occurs in ``y_true`` or ``y_pred``.
    """
    classes, seen = stats["classes"], stats["seen"]
    if average == "binary":
        _check_binary_average(classes, seen, pos_label)
        listed = class_positions(classes, [pos_label])
    else:
        if pos_label != 1:
            warn(
                f"Note that pos_label (set to {pos_label!r}) is ignored when average != "
                f"'binary' (got {average!r}). You may use labels=[pos_label] to specify a "
                "single positive class.",
                UserWarning,
            )
        listed = (
            np.flatnonzero(seen > 0)  # classes seen in y_true or y_pred
            if labels is None
            else class_positions(classes, as_label_list(labels))
        )
    return stats["hits"][listed], stats["pred"][listed], stats["true"][listed], stats["n"]


def _check_binary_average(classes, seen, pos_label) -> None:
    """scikit-learn's rules for average='binary': at most two labels, pos_label among them."""
    shown = classes[seen > 0].tolist()
    if len(shown) > 2:
        hint = ""
        if -100 in shown:
            hint = " If -100 marks padding, pass `lengths=` or `mask=` so it is not counted."
        raise ValueError(
            f"Expected `y_true` and `y_pred` to hold at most two classes when "
            f"average='binary', but found {len(shown)}: {shown[:10]}. For multiclass data "
            f"pass average='macro', 'micro', 'weighted' or None.{hint}"
        )
    if len(shown) == 2 and not _among(pos_label, shown):
        raise ValueError(
            f"Expected `pos_label` to be one of the labels {shown}, but got {pos_label!r}."
        )


def _among(label, shown: list) -> bool:
    if isinstance(label, str):
        return label in shown
    return int(label) in shown if float(label).is_integer() else False


def _ratio(num, den, metric, modifier, *, announce, zero_division):
    """``num / den`` per class; where ``den == 0`` the result is ``zero_division``."""
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    undefined = den == 0
    result = num / np.where(undefined, 1.0, den)
    if not undefined.any():
        return result
    result[undefined] = 0.0 if zero_division == "warn" else float(zero_division)
    if announce and zero_division == "warn":
        where = "due to" if result.size == 1 else "in labels with"
        warn(
            f"{metric.capitalize()} is ill-defined and being set to 0.0 {where} no {modifier} "
            "samples. Use `zero_division` parameter to control this behavior."
        )
    return result


def _average(scores, average, *, weights):
    """One float from per-class scores (nan scores left out), or the scores for None."""
    if average is None:
        return scores
    defined = ~np.isnan(scores)
    if not defined.any():
        return float("nan")
    if average != "weighted" or weights[defined].sum() == 0:
        return float(scores[defined].mean())
    return float(np.average(scores[defined], weights=weights[defined]))


def _check_options(beta, average, zero_division, pos_label):
    check_params(
        {**_PRF, **_BETA}, {"beta": beta, "average": average, "zero_division": zero_division}
    )
    check_label_scalar(pos_label, "pos_label")


# ---------------------------------------------------------------------------- MCC


def matthews_corrcoef(y_true, y_pred, *, sample_weight=None, mask=None, lengths=None):
    """Matthews correlation coefficient: the correlation between true and predicted labels.

    +1 is perfect, 0 no better than chance, -1 always wrong. It uses all four cells of the
    confusion matrix, so a majority-class guesser scores 0 however imbalanced the data.
    When it is undefined (one class only) it is 0, as in scikit-learn.

    Parameters
    ----------
    y_true, y_pred : array-like of labels, any shape (the same for both)
        True and predicted labels (class indices, any ints, bools or strings): lists, NumPy
        arrays or torch tensors (CPU or CUDA).
    sample_weight : array-like of float, optional
        Non-negative weight per step (shape of ``y_true`` or its leading axes).
    mask : array-like of bool, optional
        True marks a real step, False padding (never counted).
    lengths : array-like of int, optional
        For ``(batch, time, ...)`` inputs: steps ``t >= lengths[b]`` are padding.

    Returns
    -------
    float
        In [-1, 1].

    Warns
    -----
    UndefinedMetricWarning
        If ``y_true`` or ``y_pred`` holds a single class (the result is 0).

    Raises
    ------
    ValueError
        If shapes differ, labels are not class indices or ``mask``/``lengths`` do not fit.
    TypeError
        If an input does not hold numbers.

    Examples
    --------
    >>> from course_utils.metrics import predictions_from_counts
    >>> y_true, y_pred = predictions_from_counts(tp=50, fn=10, fp=5, tn=35)
    >>> round(matthews_corrcoef(y_true, y_pred), 4)
    0.6975
    """
    stats = _class_stats(y_true, y_pred, sample_weight=sample_weight, mask=mask, lengths=lengths)
    require_steps(stats["n_steps"])
    return _mcc_finalize(stats)


def _mcc_finalize(stats, **_):
    hits, pred, true = (stats[k].astype(np.float64) for k in ("hits", "pred", "true"))
    n = float(stats["n"])
    cov_true_pred = hits.sum() * n - true @ pred
    cov_pred_pred = n**2 - pred @ pred
    cov_true_true = n**2 - true @ true
    if cov_pred_pred * cov_true_true == 0:
        warn(
            "Matthews correlation coefficient is undefined when y_true or y_pred holds a "
            "single class; returning 0.0."
        )
        return 0.0
    return float(cov_true_pred / np.sqrt(cov_pred_pred * cov_true_true))


# ----------------------------------------------------------------------------- report


@validate_params(_REPORT)
def classification_report(
    y_true,
    y_pred,
    *,
    labels=None,
    target_names=None,
    digits=2,
    output_dict=False,
    zero_division="warn",
    sample_weight=None,
    mask=None,
    lengths=None,
):
    """Precision, recall, F1 and support per class, with averages, as scikit-learn lays it out.

    Parameters
    ----------
    y_true, y_pred : array-like of labels, any shape (the same for both)
        True and predicted labels (class indices, any ints, bools or strings): lists, NumPy
        arrays or torch tensors (CPU or CUDA).
    labels : array-like, optional
        Classes to report, in this order. Default: every class in ``y_true`` or ``y_pred``.
    target_names : list of str, optional
        Display names, one per reported class.
    digits : int, default 2
        Digits after the decimal point in the text (the dict is not rounded).
    output_dict : bool, default False
        Return a dict ``{name: {"precision": ..., "recall": ..., "f1-score": ...,
        "support": ...}, "accuracy": ..., "macro avg": {...}, "weighted avg": {...}}``.
    zero_division : {"warn", 0, 1, np.nan}, default "warn"
        Value of an undefined ratio; ``"warn"`` acts as 0 and warns.
    sample_weight : array-like of float, optional
        Non-negative weight per step; support becomes a sum of weights.
    mask : array-like of bool, optional
        True marks a real step, False padding (never counted).
    lengths : array-like of int, optional
        For ``(batch, time, ...)`` inputs: steps ``t >= lengths[b]`` are padding.

    Returns
    -------
    str or dict
        The text table, or the dict when ``output_dict=True``. The "accuracy" row replaces
        "micro avg" when every class is reported (micro-averaged scores then equal accuracy).

    Raises
    ------
    ValueError
        If shapes differ, labels are not class indices, ``mask``/``lengths`` do not fit,
        ``target_names`` has the wrong length (scikit-learn only warns when ``labels`` is
        given), or ``digits``/``zero_division`` is invalid.
    TypeError
        If an input does not hold numbers or ``output_dict`` is not a bool.

    Warns
    -----
    UndefinedMetricWarning
        For undefined ratios when ``zero_division="warn"``.

    Examples
    --------
    >>> from course_utils.metrics import predictions_from_counts
    >>> y_true, y_pred = predictions_from_counts(tp=50, fn=10, fp=5, tn=35)
    >>> print(classification_report(y_true, y_pred, target_names=["ham", "spam"]))
                  precision    recall  f1-score   support
    <BLANKLINE>
             ham       0.78      0.88      0.82        40
            spam       0.91      0.83      0.87        60
    <BLANKLINE>
        accuracy                           0.85       100
       macro avg       0.84      0.85      0.85       100
    weighted avg       0.86      0.85      0.85       100
    <BLANKLINE>
    """
    _check_report_options(digits, output_dict, zero_division)
    stats = _class_stats(
        y_true,
        y_pred,
        labels=None if labels is None else as_label_list(labels),
        sample_weight=sample_weight,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _report_finalize(
        stats,
        labels=labels,
        target_names=target_names,
        digits=digits,
        output_dict=output_dict,
        zero_division=zero_division,
    )


def _report_options(**options):
    _check_report_options(options["digits"], options["output_dict"], options["zero_division"])
    if options["labels"] is not None:
        options["labels"] = as_label_list(options["labels"])
    return options


def _report_stats(y_true, y_pred, *, labels=None, sample_weight=None, mask=None, lengths=None, **_):
    return _class_stats(
        y_true, y_pred, labels=labels, sample_weight=sample_weight, mask=mask, lengths=lengths
    )


def _check_report_options(digits, output_dict, zero_division):
    check_params(
        _REPORT, {"digits": digits, "output_dict": output_dict, "zero_division": zero_division}
    )


def _report_finalize(stats, *, labels, target_names, digits, output_dict, zero_division, **_):
    classes, seen = stats["classes"], stats["seen"]
    present = np.flatnonzero(seen > 0)
    listed = None if labels is None else class_positions(classes, as_label_list(labels))
    micro_is_accuracy = listed is None or set(present.tolist()) <= set(listed.tolist())
    listed = present if listed is None else listed
    hits, pred, true = stats["hits"][listed], stats["pred"][listed], stats["true"][listed]

    shown = classes[listed].tolist()
    if target_names is None:
        target_names = shown
    elif len(target_names) != listed.size:
        raise ValueError(
            f"Expected `target_names` to have one name per reported class ({listed.size}: "
            f"{shown}), but got {len(target_names)}. Pass `labels=` to choose the "
            "classes."
        )

    target_names = [str(name) for name in target_names]

    def scores(average):
        return _prfs_from_counts(
            hits,
            pred,
            true,
            beta=1.0,
            average=average,
            zero_division=zero_division,
            warn_for=("precision", "recall", "f-score"),
        )

    headers = ["precision", "recall", "f1-score", "support"]
    per_class = [(name, *values) for name, *values in zip(target_names, *scores(None), strict=True)]
    averages = []
    for average in ("micro", "macro", "weighted"):
        heading = "accuracy" if average == "micro" and micro_is_accuracy else f"{average} avg"
        averages.append((heading, *scores(average)[:3], true.sum()))

    if output_dict:
        report = {
            name: dict(zip(headers, map(float, values), strict=True)) for name, *values in per_class
        }
        for heading, *values in averages:
            report[heading] = dict(zip(headers, map(float, values), strict=True))
        if "accuracy" in report:
            report["accuracy"] = report["accuracy"]["precision"]
        return report
    return _format_report(per_class, averages, headers, digits)


def _format_report(per_class: list, averages: list, headers: list, digits: int) -> str:
    """scikit-learn's text layout, character for character."""
    width = max(max(len(row[0]) for row in per_class), len("weighted avg"), digits)
    text = ("{:>{width}s} " + " {:>9}" * len(headers)).format("", *headers, width=width)
    text += "\n\n"
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    for row in per_class:
        text += row_fmt.format(*row, width=width, digits=digits)
    text += "\n"
    for heading, *values in averages:
        if heading == "accuracy":  # one number: precision = recall = F1 = accuracy here
            accuracy_fmt = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f} {:>9}\n"
            text += accuracy_fmt.format(heading, "", "", *values[2:], width=width, digits=digits)
        else:
            text += row_fmt.format(heading, *values, width=width, digits=digits)
    return text


# ------------------------------------------------------------------------ streaming


def _prfs_options(**options):
    _check_options(
        options.get("beta", 1.0), options["average"], options["zero_division"], options["pos_label"]
    )
    if options.get("labels") is not None:
        options["labels"] = as_label_list(options["labels"])
    return options


def _binary_check(stats, *, average, pos_label, **_):
    if average == "binary":
        _check_binary_average(stats["classes"], stats["seen"], pos_label)


def _finalize_part(part: int, warn_for: tuple, beta=None):
    def finalize(stats, **options):
        if beta is not None:
            options["beta"] = beta
        return _prfs_finalize(stats, warn_for=warn_for, **options)[part]

    return finalize


def _spec(function, finalize, *, stats=_prfs_stats, options=_prfs_options, check=_binary_check):
    spec = {
        "stats": stats,
        "finalize": finalize,
        "function": function,
        "reduce": CLASS_REDUCE,
        "index": CLASS_INDEX,
        "count": "n_steps",
        "input": "labels",
        "names": STAT_NAMES,
    }
    if options is not None:
        spec["options"] = options
    if check is not None:
        spec["check"] = check
    return spec


def _flag_options(name):
    def options(**given):
        check_bool(given[name], name)
        return given

    return options


_PRFS = ("precision", "recall", "f-score")
STREAM_SPECS = {
    "accuracy_score": {
        "stats": _accuracy_stats,
        "finalize": _accuracy_finalize,
        "function": accuracy_score,
        "options": _flag_options("normalize"),
        "reduce": {"right": "sum", "total": "sum", "n_steps": "sum", "weighted": "same"},
        "count": "n_steps",
        "input": "labels",
        "names": STAT_NAMES,
    },
    "balanced_accuracy_score": _spec(
        balanced_accuracy_score,
        _balanced_accuracy_finalize,
        stats=_class_stats,
        options=_flag_options("adjusted"),
        check=None,
    ),
    "precision_recall_fscore_support": _spec(
        precision_recall_fscore_support,
        lambda stats, **options: _prfs_finalize(stats, warn_for=_PRFS, **options),
    ),
    "precision_score": _spec(precision_score, _finalize_part(0, ("precision",), beta=1.0)),
    "recall_score": _spec(recall_score, _finalize_part(1, ("recall",), beta=1.0)),
    "fbeta_score": _spec(fbeta_score, _finalize_part(2, ("f-score",))),
    "f1_score": _spec(f1_score, _finalize_part(2, ("f-score",), beta=1.0)),
    "specificity_score": _spec(specificity_score, _specificity_finalize),
    "matthews_corrcoef": _spec(
        matthews_corrcoef, _mcc_finalize, stats=_class_stats, options=None, check=None
    ),
    "classification_report": _spec(
        classification_report,
        _report_finalize,
        stats=_report_stats,
        options=_report_options,
        check=None,
    ),
}
