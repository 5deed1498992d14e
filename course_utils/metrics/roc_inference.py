"""Uncertainty of ROC AUC: DeLong's test of two correlated AUCs, and intervals for one.

DeLong, DeLong and Clarke-Pearson (1988) write the AUC as the mean of *placement values*:
each positive's share of negatives scored below it (ties count half), and each negative's
share of positives scored above it. Their sample covariances give the AUC's variance without
resampling, and the covariance of two models' AUCs on the same examples. The placement
values come from midranks (Sun and Xu, 2014), so the cost is that of a sort,
``O(n log n)``. Integer scores are ranked as integers (no rounding through floats).

Like every test of this package, the examples must be independent: one score per sequence
(sequence classification), or per-step scores of steps that do not depend on each other.
For per-step scores within sequences, resample whole sequences:
``roc_auc_ci(..., method="bootstrap")`` or :func:`paired_bootstrap_ci` with
:func:`roc_auc_score`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from course_utils.metrics._docs import MASK_AND_LENGTHS, fill_doc
from course_utils.metrics._validation import (
    as_array,
    as_finite_floats,
    as_label_array,
    check_option,
    check_same_shape,
    positive_class,
    valid_selection,
)

__all__ = ["AUCInterval", "DeLongResult", "delong_test", "roc_auc_ci"]


@dataclass(frozen=True)
class DeLongResult:
    """DeLong's test of two ROC AUCs measured on the same examples.

    Attributes
    ----------
    auc_a, auc_b : float
        The two models' ROC AUCs.
    difference : float
        ``auc_a - auc_b``.
    se : float
        Standard error of the difference (it allows for the two AUCs' correlation).
    statistic : float
        ``difference / se``, compared with the standard normal.
    pvalue : float
        Two-sided p-value of "the two AUCs are equal".
    """

    auc_a: float
    auc_b: float
    difference: float
    se: float
    statistic: float
    pvalue: float

    def __str__(self) -> str:
        return (
            f"DeLong: AUC {self.auc_a:.4f} vs {self.auc_b:.4f} (difference "
            f"{self.difference:.4f}, se {self.se:.4f}), z = {self.statistic:.3f}, "
            f"p = {self.pvalue:.4g}"
        )


@dataclass(frozen=True)
class AUCInterval:
    """A ROC AUC and its confidence interval.

    Attributes
    ----------
    estimate : float
        The AUC on all the data.
    low, high : float
        The interval's ends, within [0, 1].
    confidence : float
        Its confidence level.
    method : str
        ``"delong"`` or ``"bootstrap"``.
    se : float
        DeLong's standard error (for ``"bootstrap"``: the resamples' standard deviation).
    """

    estimate: float
    low: float
    high: float
    confidence: float
    method: str
    se: float

    def __str__(self) -> str:
        percent = f"{100 * self.confidence:g}%"
        return (
            f"{self.estimate:.4f} ({percent} CI {self.low:.4f} to {self.high:.4f}, {self.method})"
        )


_PARAMETERS = """\
    pos_label : label, optional
        The positive class. Default: 1, when the labels are 0/1 or -1/1."""


@fill_doc(selection=MASK_AND_LENGTHS, pos_label=_PARAMETERS)
def delong_test(y_true, y_score_a, y_score_b, *, pos_label=None, mask=None, lengths=None):
    """DeLong's test: do two models' ROC AUCs on the same examples differ?

    Both AUCs are means of placement values over the same positives and negatives, so their
    difference has a variance that allows for their correlation: ``var = S_aa + S_bb -
    2 S_ab`` with ``S = cov(V10) / m + cov(V01) / n`` over the ``m`` positives' and ``n``
    negatives' placement values. ``z = (AUC_a - AUC_b) / sqrt(var)`` is compared with the
    standard normal (two-sided).

    Parameters
    ----------
    y_true : array-like of labels, any shape
        True binary labels (lists, NumPy arrays or torch tensors).
    y_score_a, y_score_b : array-like of float, same shape as ``y_true``
        The two models' scores (higher means more likely positive); any monotone scale.
    {pos_label}
    {selection}

    Returns
    -------
    DeLongResult
        ``.auc_a``, ``.auc_b``, ``.difference``, ``.se``, ``.statistic`` and ``.pvalue``.
        Two models whose placement values agree exactly (e.g. the same scores) get
        statistic 0 and p-value 1.

    Raises
    ------
    ValueError
        If shapes differ, scores are not finite, the labels are not two classes, or there
        are fewer than 2 positives or 2 negatives (the variance needs two of each).
    TypeError
        If an input does not hold numbers or labels.

    Examples
    --------
    >>> y_true = [0, 0, 0, 0, 1, 1, 1, 1, 0, 1]
    >>> a = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.35, 0.65]
    >>> b = [0.1, 0.5, 0.3, 0.7, 0.6, 0.4, 0.8, 0.2, 0.9, 0.65]
    >>> result = delong_test(y_true, a, b)
    >>> round(result.auc_a, 2), round(result.auc_b, 2), round(result.pvalue, 4)
    (1.0, 0.52, 0.0233)
    """
    positive, scores = _labels_and_scores(
        y_true, {"y_score_a": y_score_a, "y_score_b": y_score_b}, pos_label, mask, lengths
    )
    aucs, cov = _delong(positive, scores)
    difference = float(aucs[0] - aucs[1])
    variance = float(cov[0, 0] + cov[1, 1] - 2.0 * cov[0, 1])
    scale = max(float(cov[0, 0] + cov[1, 1]), 1e-300)
    if variance <= 1e-12 * scale:
        if abs(difference) < 1e-12:
            return DeLongResult(float(aucs[0]), float(aucs[1]), 0.0, 0.0, 0.0, 1.0)
        statistic = math.copysign(math.inf, difference)
        return DeLongResult(float(aucs[0]), float(aucs[1]), difference, 0.0, statistic, 0.0)
    se = math.sqrt(variance)
    statistic = difference / se
    pvalue = 2.0 * NormalDist().cdf(-abs(statistic))
    return DeLongResult(float(aucs[0]), float(aucs[1]), difference, se, statistic, pvalue)


@fill_doc(selection=MASK_AND_LENGTHS, pos_label=_PARAMETERS)
def roc_auc_ci(
    y_true,
    y_score,
    *,
    method="delong",
    confidence=0.95,
    n_resamples=2000,
    seed=0,
    pos_label=None,
    mask=None,
    lengths=None,
):
    """Confidence interval for a ROC AUC.

    - ``"delong"``: ``AUC ± z * se`` with DeLong's standard error (clipped to [0, 1]). Fast
      and without randomness; assumes independent examples.
    - ``"bootstrap"``: the percentile interval of :func:`bootstrap_ci` with
      :func:`roc_auc_score`, which resamples whole rows (sequences): use it for per-step
      scores of ``(batch, time)`` inputs, whose steps are not independent.

    Parameters
    ----------
    y_true : array-like of labels, any shape
        True binary labels.
    y_score : array-like of float, same shape as ``y_true``
        Scores (higher means more likely positive).
    method : {"delong", "bootstrap"}, default "delong"
        Which interval.
    confidence : float, default 0.95
        Confidence level, in (0, 1).
    n_resamples : int, default 2000
        Resamples for ``"bootstrap"``.
    seed : int, default 0
        Seed of the resampling for ``"bootstrap"``.
    {pos_label}
    {selection}

    Returns
    -------
    AUCInterval
        ``.estimate``, ``.low``, ``.high``, ``.confidence``, ``.method`` and ``.se``.

    Raises
    ------
    ValueError
        As :func:`delong_test` (for one model), or if an option is out of range.
    TypeError
        If an input does not hold numbers or labels.

    Examples
    --------
    >>> y_true = [0, 0, 0, 0, 1, 1, 1, 1, 0, 1]
    >>> y_score = [0.1, 0.5, 0.3, 0.7, 0.6, 0.4, 0.8, 0.2, 0.9, 0.65]
    >>> print(roc_auc_ci(y_true, y_score))
    0.5200 (95% CI 0.1052 to 0.9348, delong)
    """
    check_option(method, "method", ("delong", "bootstrap"))
    from course_utils.metrics.inference import _check_confidence

    _check_confidence(confidence)
    if method == "bootstrap":
        from functools import partial

        from course_utils.metrics.curves import roc_auc_score
        from course_utils.metrics.sequences import bootstrap_ci

        metric = roc_auc_score if pos_label is None else partial(roc_auc_score, pos_label=pos_label)
        result = bootstrap_ci(
            metric,
            y_true,
            y_score,
            n_resamples=n_resamples,
            confidence=confidence,
            seed=seed,
            mask=mask,
            lengths=lengths,
        )
        se = float(np.nanstd(result.samples, ddof=1)) if n_resamples > 1 else math.nan
        return AUCInterval(result.estimate, result.low, result.high, confidence, method, se)
    positive, scores = _labels_and_scores(y_true, {"y_score": y_score}, pos_label, mask, lengths)
    aucs, cov = _delong(positive, scores)
    auc, se = float(aucs[0]), math.sqrt(max(float(cov[0, 0]), 0.0))
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    low, high = max(0.0, auc - z * se), min(1.0, auc + z * se)
    return AUCInterval(auc, low, high, confidence, method, se)


def _labels_and_scores(y_true, named_scores: dict, pos_label, mask, lengths):
    """Valid steps as (positive (n,) bool, scores (k, n)), the scores' dtype kept for ranks."""
    t = as_label_array(y_true, "y_true")
    arrays = []
    for name, values in named_scores.items():
        v = as_array(values, name)
        check_same_shape(t, v, ("y_true", name))
        arrays.append((name, v))
    keep = valid_selection(t.shape, mask=mask, lengths=lengths, name="y_true")
    if keep is not None:
        t = t[keep]
        arrays = [(name, v[keep]) for name, v in arrays]
    t = t.reshape(-1)
    classes = np.unique(t)
    if classes.size != 2:
        raise ValueError(
            f"Expected `y_true` to hold two classes, but found {classes.size}: "
            f"{classes.tolist()[:10]}. ROC AUC needs positives and negatives."
        )
    positive = positive_class(t, pos_label)
    m, n = int(positive.sum()), int((~positive).sum())
    if m < 2 or n < 2:
        raise ValueError(
            f"Expected at least 2 positives and 2 negatives for DeLong's variance, but got "
            f"{m} and {n}. Use more examples."
        )
    scores = []
    for name, v in arrays:
        v = v.reshape(-1)
        if v.dtype.kind == "b":
            v = v.astype(np.uint8)
        elif v.dtype.kind == "f":
            v = as_finite_floats(v, name)
        scores.append(v)
    return positive, scores


def _delong(positive: np.ndarray, scores: list) -> tuple[np.ndarray, np.ndarray]:
    """AUCs (k,) and their covariance (k, k) from midranks (Sun and Xu, 2014)."""
    from scipy.stats import rankdata

    m, n = int(positive.sum()), int((~positive).sum())
    v10 = np.empty((len(scores), m))  # each positive's share of negatives below it
    v01 = np.empty((len(scores), n))  # each negative's share of positives above it
    for r, s in enumerate(scores):
        x, y = s[positive], s[~positive]
        tz = rankdata(np.concatenate([x, y]), method="average")  # ranks on the dtype given
        tx, ty = rankdata(x, method="average"), rankdata(y, method="average")
        v10[r] = (tz[:m] - tx) / n
        v01[r] = 1.0 - (tz[m:] - ty) / m
    aucs = v10.mean(axis=1)
    cov = np.atleast_2d(np.cov(v10)) / m + np.atleast_2d(np.cov(v01)) / n
    return aucs, cov
