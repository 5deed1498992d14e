"""Tests and intervals that fit the data: McNemar's test for two classifiers on the same
steps, an interval for one proportion, and the Diebold-Mariano test for two forecasts.

Each function is checked in the test suite against an independent implementation
(statsmodels or SciPy). SciPy is imported inside the functions that need it, so importing
:mod:`course_utils.metrics` stays light.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from course_utils.metrics._docs import MASK_AND_LENGTHS, fill_doc
from course_utils.metrics._validation import (
    as_array,
    as_finite_floats,
    as_label_array,
    check_bool,
    check_option,
    check_same_shape,
    valid_selection,
)
from course_utils.metrics._warnings import warn

__all__ = [
    "DieboldMarianoResult",
    "McNemarResult",
    "diebold_mariano_test",
    "mcnemar_test",
    "proportion_ci",
]


# --------------------------------------------------------------------------- McNemar


@dataclass(frozen=True)
class McNemarResult:
    """McNemar's test of two classifiers scored on the same steps.

    Attributes
    ----------
    statistic : float
        ``min(n01, n10)`` for the exact test; the chi-square statistic otherwise.
    pvalue : float
        Two-sided p-value of "both models are wrong equally often".
    n01 : int
        Steps where model A is wrong and model B is right.
    n10 : int
        Steps where model A is right and model B is wrong.
    """

    statistic: float
    pvalue: float
    n01: int
    n10: int

    def __str__(self) -> str:
        return (
            f"McNemar: A wrong/B right {self.n01}, A right/B wrong {self.n10}, "
            f"statistic {self.statistic:.4g}, p = {self.pvalue:.4g}"
        )


@fill_doc(selection=MASK_AND_LENGTHS)
def mcnemar_test(
    y_true, y_pred_a, y_pred_b, *, exact=True, correction=True, mask=None, lengths=None
):
    """McNemar's test: do two classifiers make mistakes equally often on the same steps?

    Only the steps where exactly one model is right carry information: ``n01`` (A wrong,
    B right) and ``n10`` (A right, B wrong). If both models were equally good, each of these
    ``n01 + n10`` disagreements would go either way with probability 1/2. The exact test is
    the two-sided binomial test of that, ``p = min(1, 2 * P(X <= min(n01, n10)))`` with
    ``X ~ Binomial(n01 + n10, 1/2)``; the chi-square version is its large-sample
    approximation, ``(|n01 - n10| - 1)**2 / (n01 + n10)`` with one degree of freedom.

    Steps must be independent for the p-value to hold: for per-step predictions of
    sequences, prefer one prediction per sequence or :func:`paired_bootstrap_ci`.

    Parameters
    ----------
    y_true : array-like of labels, any shape
        True labels (numbers, bools or strings): lists, NumPy arrays or torch tensors (CPU
        or CUDA).
    y_pred_a, y_pred_b : array-like of labels, same shape as ``y_true``
        The two models' predicted labels.
    exact : bool, default True
        Exact binomial test (right for any number of disagreements). False uses the
        chi-square approximation.
    correction : bool, default True
        With ``exact=False``, apply the continuity correction (the ``- 1`` above).
    {selection}

    Returns
    -------
    McNemarResult
        ``.statistic``, ``.pvalue``, ``.n01`` and ``.n10``. With no disagreement at all the
        p-value is 1 (statsmodels gives nan for the chi-square version there).

    Raises
    ------
    ValueError
        If shapes differ or ``mask``/``lengths`` do not fit or leave no step.
    TypeError
        If an input is not array-like or a flag is not a bool.

    Examples
    --------
    Two taggers on the same 100 steps: A is wrong on 3 steps where B is right, B is wrong
    on 11 steps where A is right.

    >>> import numpy as np
    >>> y_true = np.zeros(100, dtype=int)
    >>> a = np.r_[np.ones(3), np.zeros(97)].astype(int)
    >>> b = np.r_[np.zeros(3), np.ones(11), np.zeros(86)].astype(int)
    >>> result = mcnemar_test(y_true, a, b)
    >>> result.n01, result.n10, round(result.pvalue, 4)
    (3, 11, 0.0574)
    """
    check_bool(exact, "exact")
    check_bool(correction, "correction")
    t, a, b = (as_label_array(x, name) for x, name in _named(y_true, y_pred_a, y_pred_b))
    check_same_shape(t, a, ("y_true", "y_pred_a"))
    check_same_shape(t, b, ("y_true", "y_pred_b"))
    keep = valid_selection(t.shape, mask=mask, lengths=lengths, name="y_true")
    if keep is not None:
        t, a, b = t[keep], a[keep], b[keep]
    right_a = (a == t).reshape(t.shape[0], -1).all(axis=1) if t.ndim > 1 else a == t
    right_b = (b == t).reshape(t.shape[0], -1).all(axis=1) if t.ndim > 1 else b == t
    n01 = int(np.count_nonzero(~right_a & right_b))
    n10 = int(np.count_nonzero(right_a & ~right_b))
    return _mcnemar_from_counts(n01, n10, exact=exact, correction=correction)


def _named(y_true, y_pred_a, y_pred_b):
    return ((y_true, "y_true"), (y_pred_a, "y_pred_a"), (y_pred_b, "y_pred_b"))


def _mcnemar_from_counts(n01: int, n10: int, *, exact: bool, correction: bool) -> McNemarResult:
    n = n01 + n10
    if n == 0:
        return McNemarResult(0.0, 1.0, n01, n10)
    if exact:
        from scipy.stats import binom

        statistic = float(min(n01, n10))
        pvalue = min(1.0, 2.0 * float(binom.cdf(statistic, n, 0.5)))
        return McNemarResult(statistic, pvalue, n01, n10)
    from scipy.stats import chi2

    diff = abs(n01 - n10) - (1.0 if correction else 0.0)
    statistic = diff * diff / n
    return McNemarResult(float(statistic), float(chi2.sf(statistic, 1)), n01, n10)


# ------------------------------------------------------------------ one proportion


def proportion_ci(successes, n, *, method="wilson", confidence=0.95):
    """Confidence interval for a proportion ``successes / n`` (an accuracy, a recall...).

    - ``"wilson"``: the Wilson score interval. Its coverage is close to the nominal level
      even for small ``n`` or proportions near 0 or 1, where the textbook
      ``p ± z * sqrt(p(1-p)/n)`` fails (it gives a zero-width interval at ``p = 1``).
    - ``"clopper-pearson"``: the "exact" interval from the binomial distribution
      (quantiles of Beta distributions); it never undercovers, so it is wider.

    Each of the ``n`` trials must be independent: count whole sequences, not steps.

    Parameters
    ----------
    successes : int
        Number of successes, in ``[0, n]``.
    n : int
        Number of independent trials, positive.
    method : {"wilson", "clopper-pearson"}, default "wilson"
        Which interval.
    confidence : float, default 0.95
        Confidence level, in (0, 1).

    Returns
    -------
    low, high : float
        The interval's ends, within [0, 1].

    Raises
    ------
    TypeError
        If ``successes`` or ``n`` is not an int.
    ValueError
        If ``n < 1``, ``successes`` is outside ``[0, n]``, or an option is invalid.

    Examples
    --------
    A model right on 27 of 30 test sequences:

    >>> low, high = proportion_ci(27, 30)
    >>> round(low, 3), round(high, 3)
    (0.744, 0.965)
    >>> low, high = proportion_ci(27, 30, method="clopper-pearson")
    >>> round(low, 3), round(high, 3)
    (0.735, 0.979)
    """
    for name, value in (("successes", successes), ("n", n)):
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
            raise TypeError(
                f"Expected `{name}` to be an int, but got {value!r}. Pass counts, e.g. "
                "`int((y_pred == y_true).sum())` and `len(y_true)`."
            )
    successes, n = int(successes), int(n)
    if n < 1:
        raise ValueError(f"Expected `n` to be a positive int, but got {n}.")
    if not 0 <= successes <= n:
        raise ValueError(f"Expected `successes` to be in [0, n] = [0, {n}], but got {successes}.")
    check_option(method, "method", ("wilson", "clopper-pearson"))
    _check_confidence(confidence)
    alpha = 1.0 - confidence
    if method == "wilson":
        z = NormalDist().inv_cdf(1.0 - alpha / 2.0)
        p = successes / n
        center = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return max(0.0, center - half), min(1.0, center + half)
    from scipy.stats import beta

    low = 0.0 if successes == 0 else float(beta.ppf(alpha / 2, successes, n - successes + 1))
    high = 1.0 if successes == n else float(beta.ppf(1 - alpha / 2, successes + 1, n - successes))
    return low, high


def _check_confidence(confidence) -> None:
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, numbers.Real)
        or not 0 < confidence < 1
    ):
        raise ValueError(
            f"Expected `confidence` to be a float in (0, 1), but got {confidence!r}. "
            "Use 0.95 for a 95% interval."
        )


# ------------------------------------------------------------------ Diebold-Mariano


@dataclass(frozen=True)
class DieboldMarianoResult:
    """The Diebold-Mariano test of two forecasts' accuracy.

    Attributes
    ----------
    statistic : float
        The Harvey-Leybourne-Newbold corrected statistic. Positive: forecast A has the larger
        loss (B is better); negative: A is better.
    pvalue : float
        Two-sided p-value from Student's t with ``n - 1`` degrees of freedom.
    mean_difference : float
        Mean loss of A minus mean loss of B.
    horizon : int
        The forecast horizon whose autocovariances entered the variance.
    """

    statistic: float
    pvalue: float
    mean_difference: float
    horizon: int

    def __str__(self) -> str:
        return (
            f"Diebold-Mariano: mean loss difference {self.mean_difference:.4g}, "
            f"statistic {self.statistic:.4g}, p = {self.pvalue:.4g}"
        )


def diebold_mariano_test(errors_a, errors_b, *, horizon=1, loss="absolute"):
    """Diebold-Mariano test: do two forecasts of the same series differ in accuracy?

    With ``d_t = L(errors_a[t]) - L(errors_b[t])`` the loss differential, its mean is
    compared with its standard error, which allows for autocorrelation: ``h``-step-ahead
    forecast errors are correlated up to lag ``h - 1``, so

    ``var(mean d) = (gamma_0 + 2 * sum_{k=1}^{h-1} gamma_k) / n``

    with ``gamma_k`` the sample autocovariances of ``d`` (divided by ``n``). The statistic
    ``DM = mean(d) / sqrt(var(mean d))`` gets the Harvey-Leybourne-Newbold small-sample
    correction ``sqrt((n + 1 - 2h + h(h - 1)/n) / n)`` and is compared with Student's t with
    ``n - 1`` degrees of freedom (two-sided), as in R's ``forecast::dm.test``.

    Parameters
    ----------
    errors_a, errors_b : array-like of float of shape (n,)
        Forecast errors (``y_true - y_pred``) of the two forecasts on the same ``n`` target
        steps, in time order; at least 2 steps.
    horizon : int, default 1
        Forecast horizon ``h`` (1 for one-step-ahead forecasts), below ``n``.
    loss : {"absolute", "squared"}, default "absolute"
        Loss of one error: ``|e|`` (compares MAEs) or ``e**2`` (compares MSEs).

    Returns
    -------
    DieboldMarianoResult
        ``.statistic``, ``.pvalue``, ``.mean_difference`` and ``.horizon``.

    Raises
    ------
    ValueError
        If the errors are not 1-D, differ in length, hold NaN or infinity, have fewer than
        2 steps, if ``horizon`` is not in ``[1, n - 1]``, ``loss`` is unknown, or the loss
        differential is constant (its variance is 0: the test is undefined).
    TypeError
        If an input does not hold numbers or ``horizon`` is not an int.

    Warns
    -----
    UserWarning
        If the variance estimate with ``horizon > 1`` is not positive; the test then uses
        ``horizon=1`` (as R's ``dm.test`` does), and ``.horizon`` says so.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> errors_a = rng.normal(0, 1.0, 48)
    >>> errors_b = rng.normal(0, 2.0, 48)
    >>> result = diebold_mariano_test(errors_a, errors_b, loss="squared")
    >>> result.statistic < 0, result.pvalue < 0.05
    (True, True)
    """
    a = _errors(errors_a, "errors_a")
    b = _errors(errors_b, "errors_b")
    if a.shape != b.shape:
        raise ValueError(
            f"Expected `errors_a` and `errors_b` to have the same length (the same target "
            f"steps), but got {a.size} and {b.size}."
        )
    n = a.size
    if n < 2:
        raise ValueError(f"Expected at least 2 forecast errors, but got {n}.")
    if isinstance(horizon, bool) or not isinstance(horizon, numbers.Integral):
        raise TypeError(f"Expected `horizon` to be an int, but got {horizon!r}.")
    if not 1 <= horizon < n:
        raise ValueError(
            f"Expected `horizon` to be in [1, {n - 1}] (below the number of errors), but got "
            f"{horizon}."
        )
    check_option(loss, "loss", ("absolute", "squared"))
    d = np.abs(a) - np.abs(b) if loss == "absolute" else a * a - b * b
    centered = d - d.mean()
    gamma = np.array([centered[k:] @ centered[: n - k] for k in range(horizon)]) / n
    variance = (gamma[0] + 2.0 * gamma[1:].sum()) / n
    if gamma[0] <= 0:
        raise ValueError(
            "The loss differential of `errors_a` and `errors_b` is constant (for example two "
            "identical forecasts), so its variance is 0 and the Diebold-Mariano test is "
            "undefined. Compare the mean losses directly."
        )
    h = int(horizon)
    if variance <= 0:
        warn(
            f"The variance estimate of the Diebold-Mariano statistic with horizon={h} is not "
            "positive; proceeding with horizon=1.",
            UserWarning,
        )
        h, variance = 1, gamma[0] / n
    from scipy.stats import t as student_t

    dm = d.mean() / math.sqrt(variance)
    statistic = dm * math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    pvalue = 2.0 * float(student_t.sf(abs(statistic), df=n - 1))
    return DieboldMarianoResult(float(statistic), min(1.0, pvalue), float(d.mean()), h)


def _errors(errors, name: str) -> np.ndarray:
    arr = as_array(errors, name)
    if arr.ndim != 1:
        raise ValueError(
            f"Expected `{name}` to be 1-D (one error per target step, in time order), but got "
            f"shape {arr.shape}. Flatten one series, e.g. `errors.ravel()`."
        )
    return as_finite_floats(arr, name).astype(np.float64)
