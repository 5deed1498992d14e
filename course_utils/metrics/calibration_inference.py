"""How sure can we be about miscalibration? The calibration slope and intercept with their
intervals, and what ECE would read for a perfectly calibrated model with the same scores.

**ECE is biased upwards.** Within a bin the observed share of positives scatters around
the bin's mean probability even when the model is perfectly calibrated, and
``|share - mean probability|`` is positive whatever the sign of the scatter. So a perfectly
calibrated model has an expected ECE above 0, of the order of
``sum_b (n_b / n) sqrt(2 p_b (1 - p_b) / (pi n_b))`` (larger with more bins and fewer
examples). An ECE is evidence of miscalibration only above that floor:
:func:`ece_reference` computes it for given scores, by drawing the labels from the scores
themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

from course_utils._validation import check_int, check_seed
from course_utils.metrics._docs import MASK_AND_LENGTHS, fill_doc
from course_utils.metrics._validation import (
    as_array,
    as_finite_floats,
    check_option,
    positive_class,
    valid_labels_and_values,
    valid_selection,
)

__all__ = [
    "CalibrationFit",
    "ECEReference",
    "calibration_slope_intercept",
    "ece_reference",
]

# logit(p) of probabilities at exactly 0 or 1 is infinite: they are clipped to this margin.
CLIP = 1e-15


def _probabilities(p: np.ndarray, name: str) -> np.ndarray:
    p = as_finite_floats(p, name).astype(np.float64)
    low, high = p.min(), p.max()
    if low < 0 or high > 1:
        raise ValueError(
            f"Expected `{name}` to hold probabilities in [0, 1], but found "
            f"{low if low < 0 else high}. Apply `torch.sigmoid` to logits first."
        )
    return p


def _binary_outcome(t: np.ndarray, pos_label) -> np.ndarray:
    classes = np.unique(t)
    if classes.size > 2:
        raise ValueError(
            f"Expected `y_true` to hold two classes, but found {classes.size}: "
            f"{classes.tolist()[:10]}. Score one class against the rest (`y_true == k`)."
        )
    return positive_class(t, pos_label).astype(np.float64)


# ------------------------------------------------------------- slope and intercept


@dataclass(frozen=True)
class CalibrationFit:
    """Calibration slope and intercept with Wald intervals.

    Perfect calibration has slope 1 and intercept 0. A slope below 1 means the scores are
    too extreme (overconfident: the logits should be shrunk), above 1 too timid. An
    intercept below 0 means the model predicts too many positives on average, above 0 too
    few.

    Attributes
    ----------
    slope, slope_se, slope_low, slope_high : float
        The slope of the logistic regression of the outcome on ``logit(p)``, its standard
        error and interval.
    intercept, intercept_se, intercept_low, intercept_high : float
        Calibration-in-the-large: the intercept of the logistic regression with
        ``logit(p)`` as an offset (slope fixed at 1), its standard error and interval.
    confidence : float
        The intervals' confidence level.
    n : int
        Number of examples.
    """

    slope: float
    slope_se: float
    slope_low: float
    slope_high: float
    intercept: float
    intercept_se: float
    intercept_low: float
    intercept_high: float
    confidence: float
    n: int

    def __str__(self) -> str:
        percent = f"{100 * self.confidence:g}%"
        return (
            f"calibration slope {self.slope:.3f} ({percent} CI {self.slope_low:.3f} to "
            f"{self.slope_high:.3f}; 1 is ideal), intercept {self.intercept:.3f} "
            f"({self.intercept_low:.3f} to {self.intercept_high:.3f}; 0 is ideal)"
        )

    def to_frame(self):
        """Two rows, slope and intercept (pandas is imported only here)."""
        import pandas as pd

        rows = []
        for name, ideal in (("slope", 1.0), ("intercept", 0.0)):
            rows.append(
                {
                    "parameter": name,
                    "estimate": getattr(self, name),
                    "se": getattr(self, f"{name}_se"),
                    "low": getattr(self, f"{name}_low"),
                    "high": getattr(self, f"{name}_high"),
                    "ideal": ideal,
                }
            )
        return pd.DataFrame(rows)


@fill_doc(selection=MASK_AND_LENGTHS)
def calibration_slope_intercept(
    y_true, y_prob, *, confidence=0.95, pos_label=None, mask=None, lengths=None
):
    """Calibration slope and intercept (Cox, 1958), with their confidence intervals.

    - **Slope**: fit ``logit P(y = 1) = a + b * logit(p)`` by maximum likelihood; ``b`` is
      the slope (1 when calibrated).
    - **Intercept** (calibration-in-the-large): fit ``logit P(y = 1) = a + logit(p)``, with
      ``logit(p)`` as an offset; ``a`` is the intercept (0 when calibrated).

    The intervals are Wald intervals from the observed information, as a GLM package
    reports them. Probabilities of exactly 0 or 1 are clipped to ``[1e-15, 1 - 1e-15]``
    before the logit. Read the slope and intercept with their intervals: Platt scaling
    fitted on one sample and judged on another moves both by chance too.

    Parameters
    ----------
    y_true : array-like of labels, any shape
        True binary labels.
    y_prob : array-like of float in [0, 1], same shape as ``y_true``
        Predicted probability of the positive class.
    confidence : float, default 0.95
        Confidence level of the intervals, in (0, 1).
    pos_label : label, optional
        The positive class. Default: 1, when the labels are 0/1 or -1/1.
    {selection}

    Returns
    -------
    CalibrationFit
        ``.slope``, ``.intercept``, their ``_se``, ``_low`` and ``_high``, ``.confidence``,
        ``.n``; ``.to_frame()``.

    Raises
    ------
    ValueError
        If shapes differ, probabilities are outside [0, 1] or not finite, ``y_true`` does
        not hold both classes, or ``logit(p)`` separates the classes perfectly (the
        slope is then infinite).
    TypeError
        If an input does not hold numbers or labels.

    Examples
    --------
    Scores twice as extreme as they should be (the logits doubled):

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> logits = rng.normal(0, 1.5, 4000)
    >>> y = rng.random(4000) < 1 / (1 + np.exp(-logits))
    >>> fit = calibration_slope_intercept(y, 1 / (1 + np.exp(-2 * logits)))
    >>> bool(fit.slope_low < 0.5 < fit.slope_high), bool(fit.intercept_low < 0 < fit.intercept_high)
    (True, True)
    """
    from course_utils.metrics.inference import _check_confidence

    _check_confidence(confidence)
    t, p, _ = valid_labels_and_values(
        y_true, y_prob, mask=mask, lengths=lengths, names=("y_true", "y_prob")
    )
    p = _probabilities(p, "y_prob")
    y = _binary_outcome(t, pos_label)
    if y.min() == y.max():
        raise ValueError(
            "Expected `y_true` to hold both classes, but every valid step is of one class: "
            "the calibration slope and intercept are undefined."
        )
    x = np.log(np.clip(p, CLIP, 1 - CLIP)) - np.log1p(-np.clip(p, CLIP, 1 - CLIP))
    design = np.column_stack([np.ones_like(x), x])
    beta, cov = _logistic_fit(design, y, offset=np.zeros_like(x))
    (intercept_only,), cov_offset = _logistic_fit(design[:, :1], y, offset=x)
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    slope, slope_se = float(beta[1]), math.sqrt(cov[1, 1])
    intercept, intercept_se = float(intercept_only), math.sqrt(cov_offset[0, 0])
    return CalibrationFit(
        slope=slope,
        slope_se=slope_se,
        slope_low=slope - z * slope_se,
        slope_high=slope + z * slope_se,
        intercept=intercept,
        intercept_se=intercept_se,
        intercept_low=intercept - z * intercept_se,
        intercept_high=intercept + z * intercept_se,
        confidence=float(confidence),
        n=int(y.size),
    )


def _logistic_fit(design: np.ndarray, y: np.ndarray, *, offset: np.ndarray):
    """Maximum likelihood logistic regression by Newton's method: (beta, covariance)."""
    beta = np.zeros(design.shape[1])
    for _ in range(100):
        eta = offset + design @ beta
        mu = 0.5 * (1.0 + np.tanh(0.5 * eta))  # the logistic function, without overflow
        weight = mu * (1.0 - mu)
        information = design.T @ (design * weight[:, None])
        try:
            step = np.linalg.solve(information, design.T @ (y - mu))
        except np.linalg.LinAlgError:
            break
        beta = beta + step
        if not np.isfinite(beta).all() or np.abs(beta).max() > 1e6:
            break
        if np.abs(step).max() < 1e-12 * (1.0 + np.abs(beta).max()):
            eta = offset + design @ beta
            mu = 0.5 * (1.0 + np.tanh(0.5 * eta))
            information = design.T @ (design * (mu * (1.0 - mu))[:, None])
            cov = np.linalg.inv(information)
            if np.isfinite(cov).all() and (np.diag(cov) > 0).all():
                return beta, cov
            break
    raise ValueError(
        "The logistic regression of `y_true` on logit(`y_prob`) did not converge: the "
        "scores separate the classes (almost) perfectly, so the calibration slope is "
        "infinite. Use more examples, or report the calibration curve instead."
    )


# ------------------------------------------------------------------ ECE reference


@dataclass(frozen=True, eq=False)
class ECEReference:
    """ECE under perfect calibration for given scores (labels drawn from the scores).

    Attributes
    ----------
    mean : float
        Expected ECE of a perfectly calibrated model with these scores: the noise floor.
    samples : numpy.ndarray of shape (n_resamples,)
        The ECE of each draw.
    n_bins : int
        Number of bins (as in :func:`expected_calibration_error`).
    strategy : str
        ``"uniform"`` or ``"quantile"``.
    observed : float or None
        With ``y_true``: the ECE of the real labels.
    pvalue : float or None
        With ``y_true``: the share of draws with an ECE at least ``observed`` (with the
        +1 of a Monte Carlo test): a small value means more miscalibration than chance
        gives a calibrated model.
    debiased : float or None
        With ``y_true``: the bias-corrected ECE, ``2 * observed - mean(ECE*)``, where the
        ``ECE*`` redraw each bin's positives from its observed share (Kumar, Liang and Ma's
        2019 correction, with binomial draws). It can be negative: then no miscalibration
        is detectable.
    """

    mean: float
    samples: np.ndarray = field(repr=False)
    n_bins: int = 10
    strategy: str = "uniform"
    observed: float | None = None
    pvalue: float | None = None
    debiased: float | None = None

    def quantile(self, q):
        """Quantile(s) of the ECE under perfect calibration, e.g. ``quantile(0.95)``."""
        return np.quantile(self.samples, q)

    def __str__(self) -> str:
        text = (
            f"ECE of a perfectly calibrated model with these scores: mean {self.mean:.4f}, "
            f"95th percentile {float(self.quantile(0.95)):.4f}"
        )
        if self.observed is not None:
            text += (
                f"; observed {self.observed:.4f} (p = {self.pvalue:.3g}), "
                f"debiased {self.debiased:.4f}"
            )
        return text

    def to_frame(self):
        """One row of the summary (pandas is imported only here)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "n_bins": self.n_bins,
                    "strategy": self.strategy,
                    "reference_mean": self.mean,
                    "reference_q95": float(self.quantile(0.95)),
                    "observed": self.observed,
                    "pvalue": self.pvalue,
                    "debiased": self.debiased,
                }
            ]
        )


@fill_doc(selection=MASK_AND_LENGTHS)
def ece_reference(
    y_prob,
    *,
    y_true=None,
    n_bins=10,
    strategy="uniform",
    n_resamples=1000,
    seed=0,
    pos_label=None,
    mask=None,
    lengths=None,
):
    """What ECE would a perfectly calibrated model with these very scores read?

    Each draw replaces the labels by ``Bernoulli(p)`` draws from the scores themselves, so
    the scores are exactly calibrated for them, and computes
    :func:`expected_calibration_error` with the same bins. The draws' mean is the ECE's
    noise floor for these scores (ECE is biased upwards: see the module docstring); an
    observed ECE near it is no evidence of miscalibration.

    With ``y_true``, the result also holds the observed ECE, a Monte Carlo p-value of
    "perfectly calibrated", and a bias-corrected ECE.

    Parameters
    ----------
    y_prob : array-like of float in [0, 1], any shape
        Predicted probability of the positive class.
    y_true : array-like of labels, same shape as ``y_prob``, optional
        The real labels, to compare the observed ECE with the reference.
    n_bins : int, default 10
        Number of bins, in ``[1, 10_000]``.
    strategy : {"uniform", "quantile"}, default "uniform"
        Equal-width bins, or bins holding about equally many steps.
    n_resamples : int, default 1000
        Number of draws.
    seed : int, default 0
        Seed of the draws, in ``[0, 2**32)``.
    pos_label : label, optional
        With ``y_true``: the positive class.
    {selection}

    Returns
    -------
    ECEReference
        ``.mean``, ``.samples``, ``.quantile(q)``; with ``y_true`` also ``.observed``,
        ``.pvalue`` and ``.debiased``.

    Raises
    ------
    ValueError
        If probabilities are outside [0, 1] or not finite, an option is out of range, or
        ``mask``/``lengths`` leave no step.
    TypeError
        If an input does not hold numbers or an option has the wrong type.

    Examples
    --------
    1,000 scores spread over [0, 1]: even perfectly calibrated, ECE with 10 bins reads
    about 0.03.

    >>> import numpy as np
    >>> p = np.random.default_rng(0).random(1000)
    >>> ref = ece_reference(p, n_resamples=200)
    >>> round(ref.mean, 2)
    0.03
    """
    n_bins = check_int(n_bins, name="n_bins", low=1, high=10_000)
    check_option(strategy, "strategy", ("uniform", "quantile"))
    n_resamples = check_int(n_resamples, name="n_resamples", low=1)
    seed = check_seed(seed)
    if y_true is None:
        v = as_array(y_prob, "y_prob")
        keep = valid_selection(v.shape, mask=mask, lengths=lengths, name="y_prob")
        p = _probabilities((v if keep is None else v[keep]).reshape(-1), "y_prob")
        y = None
    else:
        t, v, _ = valid_labels_and_values(
            y_true, y_prob, mask=mask, lengths=lengths, names=("y_true", "y_prob")
        )
        p = _probabilities(v, "y_prob")
        y = _binary_outcome(t, pos_label)
    n = p.size
    if strategy == "quantile":
        edges = np.percentile(p, np.linspace(0, 1, n_bins + 1) * 100)  # as scikit-learn
    else:
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = np.searchsorted(edges[1:-1], p)  # the last bin includes 1.0, as in scikit-learn
    order = np.argsort(bins, kind="stable")
    p_sorted, bins_sorted = p[order], bins[order]
    counts = np.bincount(bins, minlength=n_bins)
    sums = np.bincount(bins, weights=p, minlength=n_bins)
    starts = np.flatnonzero(np.r_[True, bins_sorted[1:] != bins_sorted[:-1]])
    occupied = bins_sorted[starts]
    rng = np.random.default_rng(seed)
    samples = np.empty(n_resamples)
    chunk = max(1, min(n_resamples, 4_000_000 // max(n, 1)))
    for first in range(0, n_resamples, chunk):
        rows = min(chunk, n_resamples - first)
        draws = rng.random((rows, n)) < p_sorted  # (rows, n) labels drawn from the scores
        positives = np.add.reduceat(draws, starts, axis=1, dtype=np.float64)
        samples[first : first + rows] = np.abs(positives - sums[occupied]).sum(axis=1) / n
    result = {"mean": float(samples.mean())}
    if y is not None:
        observed_pos = np.bincount(bins, weights=y, minlength=n_bins)
        observed = float(np.abs(observed_pos - sums).sum() / n)
        share = observed_pos[occupied] / counts[occupied]
        redrawn = rng.binomial(counts[occupied], share, size=(n_resamples, occupied.size))
        bias_draws = np.abs(redrawn - sums[occupied]).sum(axis=1) / n
        result.update(
            observed=observed,
            pvalue=float((1 + np.count_nonzero(samples >= observed - 1e-15)) / (1 + n_resamples)),
            debiased=float(2.0 * observed - bias_draws.mean()),
        )
    return ECEReference(samples=samples, n_bins=n_bins, strategy=strategy, **result)
