"""Tests and intervals that fit the data: McNemar's test for two classifiers on the same
steps, intervals for one proportion and exact tests of two, the Diebold-Mariano test for two
forecasts, and p-values adjusted for many comparisons.

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
    check_labels_of_one_kind,
    check_option,
    check_same_shape,
    valid_selection,
)

__all__ = [
    "DieboldMarianoResult",
    "McNemarResult",
    "TwoProportionResult",
    "adjust_pvalues",
    "default_lags",
    "diebold_mariano_test",
    "mcnemar_test",
    "proportion_ci",
    "two_proportion_test",
]


# --------------------------------------------------------------------------- McNemar


@dataclass(frozen=True)
class McNemarResult:
    """McNemar's test of two classifiers scored on the same steps (or sequences).

    Attributes
    ----------
    statistic : float
        ``min(n01, n10)`` for the exact test; the chi-square statistic otherwise.
    pvalue : float
        Two-sided p-value of "both models are wrong equally often".
    n01 : int
        Units (steps or sequences) where model A is wrong and model B is right.
    n10 : int
        Units where model A is right and model B is wrong.
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
    y_true,
    y_pred_a,
    y_pred_b,
    *,
    exact=True,
    correction=True,
    unit="step",
    mask=None,
    lengths=None,
):
    """McNemar's test: do two classifiers make mistakes equally often on the same data?

    Only the units where exactly one model is right carry information: ``n01`` (A wrong,
    B right) and ``n10`` (A right, B wrong). If both models were equally good, each of these
    ``n01 + n10`` disagreements would go either way with probability 1/2. The exact test is
    the two-sided binomial test of that, ``p = min(1, 2 * P(X <= min(n01, n10)))`` with
    ``X ~ Binomial(n01 + n10, 1/2)``; the chi-square version is its large-sample
    approximation, ``(|n01 - n10| - 1)**2 / (n01 + n10)`` with one degree of freedom.

    **What is one unit.** As in every metric of this package, labels of any shape are
    per-step labels: with ``unit="step"`` (the default) each real step is one unit, with or
    without ``mask``/``lengths`` (a 2-D input without them is a batch of full sequences, and
    an all-True mask changes nothing). With ``unit="sequence"`` each row of the first axis is
    one unit, right when every one of its real steps is right (as
    :func:`sequence_accuracy` counts), and rows without a real step are left out.

    The units must be independent for the p-value to hold. Steps of one sequence are not:
    for per-step predictions of sequences use ``unit="sequence"`` or
    :func:`paired_bootstrap_ci`, which resamples whole sequences.

    Parameters
    ----------
    y_true : array-like of labels, any shape
        True labels (numbers, bools or strings, one kind): lists, NumPy arrays or torch
        tensors (CPU or CUDA).
    y_pred_a, y_pred_b : array-like of labels, same shape as ``y_true``
        The two models' predicted labels (not scores: threshold them first).
    exact : bool, default True
        Exact binomial test (right for any number of disagreements). False uses the
        chi-square approximation.
    correction : bool, default True
        With ``exact=False``, apply the continuity correction (the ``- 1`` above).
    unit : {"step", "sequence"}, default "step"
        What one paired observation is (see above).
    {selection}

    Returns
    -------
    McNemarResult
        ``.statistic``, ``.pvalue``, ``.n01`` and ``.n10``. With no disagreement at all the
        p-value is 1 (statsmodels gives nan for the chi-square version there).

    Raises
    ------
    ValueError
        If shapes differ, a label is a score (``0.7``) or NaN, or ``mask``/``lengths`` do
        not fit or leave no step.
    TypeError
        If an input is not array-like, the labels mix numbers and strings, or a flag is not
        a bool.

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

    Per-step labels of 2 sequences, compared per sequence:

    >>> y_true = [[1, 1, 0], [0, 1, 1]]
    >>> mcnemar_test(y_true, [[1, 1, 0], [0, 0, 1]], [[1, 0, 0], [0, 1, 1]], unit="sequence")
    McNemarResult(statistic=1.0, pvalue=1.0, n01=1, n10=1)
    """
    check_bool(exact, "exact")
    check_bool(correction, "correction")
    check_option(unit, "unit", ("step", "sequence"))
    t, a, b = (as_label_array(x, name) for x, name in _named(y_true, y_pred_a, y_pred_b))
    check_same_shape(t, a, ("y_true", "y_pred_a"))
    check_same_shape(t, b, ("y_true", "y_pred_b"))
    keep = valid_selection(t.shape, mask=mask, lengths=lengths, name="y_true")
    if keep is None:
        keep = np.ones(t.shape[:1], dtype=bool)
    keep = np.broadcast_to(keep.reshape(keep.shape + (1,) * (t.ndim - keep.ndim)), t.shape)
    labels = check_labels_of_one_kind({"y_true": t[keep], "y_pred_a": a[keep], "y_pred_b": b[keep]})
    right_a = labels["y_pred_a"] == labels["y_true"]  # (n_real_steps,)
    right_b = labels["y_pred_b"] == labels["y_true"]
    if unit == "sequence":
        row = np.broadcast_to(np.arange(t.shape[0]).reshape((-1,) + (1,) * (t.ndim - 1)), t.shape)[
            keep
        ]  # the sequence of each real step
        n_rows = t.shape[0]
        wrong_a = np.bincount(row, weights=~right_a, minlength=n_rows) > 0
        wrong_b = np.bincount(row, weights=~right_b, minlength=n_rows) > 0
        present = np.bincount(row, minlength=n_rows) > 0
        right_a, right_b = ~wrong_a[present], ~wrong_b[present]
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

# Counts beyond this are not exactly representable as floats: the formulas would round them.
MAX_COUNT = 2**53


def _check_counts(pairs) -> list[int]:
    """``(name, value)`` pairs as Python ints, each a count in ``[0, 2**53]``."""
    out = []
    for name, value in pairs:
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
            raise TypeError(
                f"Expected `{name}` to be an int, but got {value!r}. Pass counts, e.g. "
                "`int((y_pred == y_true).sum())` and `len(y_true)`."
            )
        value = int(value)
        if value > MAX_COUNT:
            raise ValueError(
                f"Expected `{name}` to be at most 2**53 (counts beyond that are not exact as "
                f"floats), but got a number with {len(str(value))} digits."
            )
        out.append(value)
    return out


def proportion_ci(successes, n, *, method="wilson", confidence=0.95):
    """Confidence interval for a proportion ``successes / n`` (an accuracy, a recall...).

    - ``"wilson"``: the Wilson score interval. Its coverage is close to the nominal level
      on average, even for small ``n``, where the textbook ``p ± z * sqrt(p(1-p)/n)``
      fails (it gives a zero-width interval at ``p = 1``). At particular values of
      ``(n, p)``, above all ``p`` near 0 or 1, its coverage dips well below nominal (to
      about 0.84 for a 95% interval: Brown, Cai and DasGupta, 2001).
    - ``"clopper-pearson"``: the "exact" interval from the binomial distribution
      (quantiles of Beta distributions); its coverage is never below nominal, so it is
      wider. Prefer it when undercoverage must not happen, e.g. near 100% accuracy.

    Each of the ``n`` trials must be independent: count whole sequences, not steps.

    Parameters
    ----------
    successes : int
        Number of successes, in ``[0, n]``.
    n : int
        Number of independent trials, in ``[1, 2**53]``.
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
        If ``n < 1`` or above 2**53, ``successes`` is outside ``[0, n]``, or an option is
        invalid.

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
    successes, n = _check_counts((("successes", successes), ("n", n)))
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


# ------------------------------------------------------------------ two proportions


@dataclass(frozen=True)
class TwoProportionResult:
    """An exact test of two independent proportions, ``a = successes_a / n_a`` against
    ``b = successes_b / n_b``.

    Attributes
    ----------
    pvalue : float
        The p-value (SciPy's, for the chosen method and alternative).
    proportion_a, proportion_b : float
        The two observed proportions.
    difference : float
        ``proportion_a - proportion_b``.
    statistic : float
        Fisher: the sample odds ratio (inf when ``b`` has no success or ``a`` no failure);
        Boschloo: Fisher's one-sided p-value, the statistic Boschloo's test orders tables by.
    method : str
        ``"fisher"`` or ``"boschloo"``.
    alternative : str
        ``"two-sided"``, ``"greater"`` (a above b) or ``"less"``.
    """

    pvalue: float
    proportion_a: float
    proportion_b: float
    difference: float
    statistic: float
    method: str
    alternative: str

    def __str__(self) -> str:
        return (
            f"{self.method.capitalize()} exact test: {self.proportion_a:.4g} vs "
            f"{self.proportion_b:.4g} (difference {self.difference:.4g}), "
            f"p = {self.pvalue:.4g} ({self.alternative})"
        )


# Boschloo's test maximises over a nuisance parameter on every table: O(n_a * n_b) work.
MAX_BOSCHLOO_N = 2000


def two_proportion_test(
    successes_a, n_a, successes_b, n_b, *, method="fisher", alternative="two-sided"
):
    """Exact test of two independent proportions: do two groups succeed equally often?

    For example the share of training seeds on which each architecture learns a task (5 of
    5 against 1 of 5). Whether the two confidence intervals overlap is not such a test: two
    95% intervals can overlap while the difference is significant.

    - ``"fisher"``: Fisher's exact test, conditional on the total number of successes
      (:func:`scipy.stats.fisher_exact`). Its p-values are conservative.
    - ``"boschloo"``: Boschloo's unconditional exact test
      (:func:`scipy.stats.boschloo_exact`), which orders tables by Fisher's p-value and
      maximises over the unknown common proportion; uniformly more powerful than Fisher's
      test, and slower (``n_a`` and ``n_b`` at most 2000).

    The trials must be independent within and between the groups: one per training seed,
    or per whole sequence, never per step. For paired data (two models on the same
    examples) use :func:`mcnemar_test` instead.

    Parameters
    ----------
    successes_a, n_a : int
        Successes and trials of group A, ``0 <= successes_a <= n_a``, ``n_a >= 1``.
    successes_b, n_b : int
        The same for group B.
    method : {"fisher", "boschloo"}, default "fisher"
        Which exact test.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        ``"greater"``: the alternative that A's proportion is higher than B's.

    Returns
    -------
    TwoProportionResult
        ``.pvalue``, ``.proportion_a``, ``.proportion_b``, ``.difference``,
        ``.statistic``, ``.method`` and ``.alternative``.

    Raises
    ------
    TypeError
        If a count is not an int.
    ValueError
        If a count is out of range or an option is unknown.

    Examples
    --------
    The GRU learned the task with 5 of 5 seeds, the RNN with 1 of 5:

    >>> result = two_proportion_test(5, 5, 1, 5)
    >>> round(result.difference, 2), round(result.pvalue, 4)
    (0.8, 0.0476)
    >>> round(two_proportion_test(5, 5, 1, 5, method="boschloo").pvalue, 4)
    0.0215
    """
    successes_a, n_a, successes_b, n_b = _check_counts(
        (("successes_a", successes_a), ("n_a", n_a), ("successes_b", successes_b), ("n_b", n_b))
    )
    for s_name, s, n_name, n in (
        ("successes_a", successes_a, "n_a", n_a),
        ("successes_b", successes_b, "n_b", n_b),
    ):
        if n < 1:
            raise ValueError(f"Expected `{n_name}` to be a positive int, but got {n}.")
        if not 0 <= s <= n:
            raise ValueError(f"Expected `{s_name}` to be in [0, {n_name}] = [0, {n}], but got {s}.")
    check_option(method, "method", ("fisher", "boschloo"))
    check_option(alternative, "alternative", ("two-sided", "greater", "less"))
    # Columns are the two groups (SciPy's convention for the unconditional tests).
    table = [[successes_a, successes_b], [n_a - successes_a, n_b - successes_b]]
    if method == "fisher":
        from scipy.stats import fisher_exact

        res = fisher_exact(table, alternative=alternative)
    else:
        if max(n_a, n_b) > MAX_BOSCHLOO_N:
            raise ValueError(
                f"Expected `n_a` and `n_b` to be at most {MAX_BOSCHLOO_N} for "
                f'method="boschloo" (its cost grows as n_a * n_b), but got {n_a} and {n_b}. '
                'Use method="fisher" for large counts.'
            )
        from scipy.stats import boschloo_exact

        res = boschloo_exact(table, alternative=alternative)
    pa, pb = successes_a / n_a, successes_b / n_b
    return TwoProportionResult(
        pvalue=min(1.0, float(res.pvalue)),
        proportion_a=pa,
        proportion_b=pb,
        difference=pa - pb,
        statistic=float(res.statistic),
        method=method,
        alternative=alternative,
    )


# ------------------------------------------------------------------ Diebold-Mariano


@dataclass(frozen=True)
class DieboldMarianoResult:
    """The Diebold-Mariano test of two forecasts' accuracy.

    Attributes
    ----------
    statistic : float
        The test statistic (with the Harvey-Leybourne-Newbold factor when
        ``small_sample_correction``). Positive: forecast A has the larger loss (B is
        better); negative: A is better.
    pvalue : float
        Two-sided p-value: from Student's t with ``n - 1`` degrees of freedom with the
        small-sample correction, else from the standard normal.
    mean_difference : float
        Mean loss of A minus mean loss of B.
    horizon : int
        The forecast horizon.
    lags : int
        Autocovariance lags in the Newey-West long-run variance.
    small_sample_correction : bool
        Whether the Harvey-Leybourne-Newbold correction was applied.
    """

    statistic: float
    pvalue: float
    mean_difference: float
    horizon: int
    lags: int = 0
    small_sample_correction: bool = True

    def __str__(self) -> str:
        return (
            f"Diebold-Mariano: mean loss difference {self.mean_difference:.4g}, "
            f"statistic {self.statistic:.4g}, p = {self.pvalue:.4g} ({self.lags} lags)"
        )


def default_lags(n: int, horizon: int = 1) -> int:
    """The default number of lags of :func:`diebold_mariano_test`:
    ``max(horizon - 1, floor(4 * (n / 100)**(2/9)))``, at most ``n - 1``.

    ``floor(4 * (n / 100)**(2/9))`` is Newey and West's (1994) rule of thumb for the
    Bartlett kernel (statsmodels uses it too); ``horizon - 1`` is the dependence that
    ``h``-step-ahead forecast errors have by construction.

    >>> default_lags(36), default_lags(36, horizon=6), default_lags(500)
    (3, 5, 5)
    """
    rule = math.floor(4.0 * (n / 100.0) ** (2.0 / 9.0))
    return int(min(max(horizon - 1, rule), n - 1))


def diebold_mariano_test(
    errors_a, errors_b, *, horizon=1, loss="absolute", lags=None, small_sample_correction=True
):
    """Diebold-Mariano test: do two forecasts of the same series differ in accuracy?

    With ``d_t = L(errors_a[t]) - L(errors_b[t])`` the loss differential, its mean is
    compared with its standard error. The losses of consecutive steps of a series are
    usually correlated, so the standard error uses the Newey-West (Bartlett kernel)
    long-run variance with ``lags`` autocovariances:

    ``var(mean d) = (gamma_0 + 2 * sum_{k=1}^{lags} (1 - k / (lags + 1)) gamma_k) / n``

    with ``gamma_k`` the sample autocovariances of ``d`` (divided by ``n``). With
    ``lags=0`` only ``gamma_0`` enters, and the test is exactly a paired t-test that
    assumes the ``d_t`` independent: it then allows for no autocorrelation at all.

    ``DM = mean(d) / sqrt(var(mean d))`` is the HAC t statistic of the mean loss
    difference (the t statistic of a regression of ``d`` on a constant with Newey-West
    standard errors). With ``small_sample_correction=True`` (the default) it gets the
    Harvey-Leybourne-Newbold factor ``sqrt((n + 1 - 2h + h(h - 1)/n) / n)`` and is compared
    with Student's t with ``n - 1`` degrees of freedom, as in R's ``forecast::dm.test``
    (which weights the lags equally instead); otherwise with the standard normal, as in
    Diebold and Mariano (1995). Both are two-sided.

    Parameters
    ----------
    errors_a, errors_b : array-like of float of shape (n,)
        Forecast errors (``y_true - y_pred``) of the two forecasts on the same ``n`` target
        steps, in time order; at least 2 steps.
    horizon : int, default 1
        Forecast horizon ``h`` (1 for one-step-ahead forecasts), below ``n``.
    loss : {"absolute", "squared"}, default "absolute"
        Loss of one error: ``|e|`` (compares MAEs) or ``e**2`` (compares MSEs).
    lags : int, optional
        Autocovariance lags of the long-run variance, in ``[horizon - 1, n - 1]``. Default:
        :func:`default_lags`, ``max(horizon - 1, floor(4 * (n / 100)**(2/9)))`` (Newey
        and West's 1994 rule; 3 for 36 months).
    small_sample_correction : bool, default True
        Apply the Harvey-Leybourne-Newbold factor and Student's t (see above).

    Returns
    -------
    DieboldMarianoResult
        ``.statistic``, ``.pvalue``, ``.mean_difference``, ``.horizon``, ``.lags`` and
        ``.small_sample_correction``.

    Raises
    ------
    ValueError
        If the errors are not 1-D, differ in length, hold NaN or infinity, their losses
        overflow, they have fewer than 2 steps, if ``horizon`` is not in ``[1, n - 1]``,
        ``lags`` is out of range, ``loss`` is unknown, or the loss differential is
        constant (its variance is 0: the test is undefined).
    TypeError
        If an input does not hold numbers, or ``horizon``/``lags`` is not an int.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> errors_a = rng.normal(0, 1.0, 48)
    >>> errors_b = rng.normal(0, 2.0, 48)
    >>> result = diebold_mariano_test(errors_a, errors_b, loss="squared")
    >>> result.lags, bool(result.statistic < 0), bool(result.pvalue < 0.05)
    (3, True, True)
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
    h = int(horizon)
    if lags is None:
        lags = default_lags(n, h)
    elif isinstance(lags, bool) or not isinstance(lags, numbers.Integral):
        raise TypeError(f"Expected `lags` to be an int or None, but got {lags!r}.")
    elif not h - 1 <= lags <= n - 1:
        raise ValueError(
            f"Expected `lags` to be in [{h - 1}, {n - 1}] (at least horizon - 1: "
            f"{h}-step-ahead errors are correlated up to lag {h - 1}), but got {lags}."
        )
    lags = int(lags)
    check_option(loss, "loss", ("absolute", "squared"))
    check_bool(small_sample_correction, "small_sample_correction")
    with np.errstate(over="ignore", invalid="ignore"):
        d = np.abs(a) - np.abs(b) if loss == "absolute" else a * a - b * b
    if not np.isfinite(d).all():
        raise ValueError(
            f"The {loss} losses of `errors_a` and `errors_b` overflow float64. Rescale both "
            "series by the same factor (e.g. divide by the series' scale): the test does not "
            "depend on the units."
        )
    # The statistic is scale-free: work in units of max |d| so no sum or square overflows.
    unit = float(np.abs(d).max())
    u = d / unit if unit > 0 else d
    mean_u = float(u.mean())
    mean = mean_u * unit if unit > 0 else 0.0
    centered = u - mean_u
    scale = float(np.abs(centered).max())
    if scale == 0.0:
        raise ValueError(
            "The loss differential of `errors_a` and `errors_b` is constant (for example two "
            "identical forecasts), so its variance is 0 and the Diebold-Mariano test is "
            "undefined. Compare the mean losses directly."
        )
    z = centered / scale
    gamma = np.array([z[k:] @ z[: n - k] for k in range(lags + 1)]) / n  # (lags + 1,)
    weights = 1.0 - np.arange(1, lags + 1) / (lags + 1.0)  # Bartlett
    long_run = float(gamma[0] + 2.0 * weights @ gamma[1:])
    if not long_run > 1e-12 * gamma[0]:
        raise ValueError(
            f"The Newey-West variance of the loss differential with lags={lags} is 0, so the "
            "Diebold-Mariano test is undefined. Use fewer lags."
        )
    dm = (mean_u / scale) / math.sqrt(long_run / n)
    if not small_sample_correction:
        pvalue = 2.0 * NormalDist().cdf(-abs(dm))
        return DieboldMarianoResult(float(dm), min(1.0, pvalue), mean, h, lags, False)
    from scipy.stats import t as student_t

    statistic = dm * math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    pvalue = 2.0 * float(student_t.sf(abs(statistic), df=n - 1))
    return DieboldMarianoResult(float(statistic), min(1.0, pvalue), mean, h, lags, True)


def _errors(errors, name: str) -> np.ndarray:
    arr = as_array(errors, name)
    if arr.ndim != 1:
        raise ValueError(
            f"Expected `{name}` to be 1-D (one error per target step, in time order), but got "
            f"shape {arr.shape}. Flatten one series, e.g. `errors.ravel()`."
        )
    return as_finite_floats(arr, name).astype(np.float64)


# ------------------------------------------------------------------ many p-values


def adjust_pvalues(pvalues, *, method="holm"):
    """P-values adjusted for making several comparisons at once.

    Reject the hypotheses whose adjusted p-value is below ``alpha``:

    - ``"holm"`` (Holm, 1979): controls the family-wise error rate (the chance of any false
      rejection) under any dependence, and rejects at least as much as Bonferroni. The
      ``i``-th smallest p-value becomes ``max_{j <= i} min(1, (m - j + 1) p_(j))``.
    - ``"bonferroni"``: ``min(1, m p)``; controls the same rate, more conservatively.
    - ``"bh"`` (Benjamini and Hochberg, 1995): controls the false discovery rate (the
      expected share of false rejections among the rejections) for independent or
      positively dependent tests: ``min_{j >= i} min(1, m p_(j) / j)``.

    Parameters
    ----------
    pvalues : array-like of float in [0, 1]
        The ``m`` raw p-values, any shape.

    method : {"holm", "bonferroni", "bh"}, default "holm"
        The adjustment.

    Returns
    -------
    numpy.ndarray of float64, the shape of ``pvalues``
        The adjusted p-values, each at least its raw p-value and at most 1.

    Raises
    ------
    ValueError
        If a p-value is NaN or outside [0, 1], or ``method`` is unknown.
    TypeError
        If ``pvalues`` does not hold numbers.

    Examples
    --------
    Three comparisons made at once:

    >>> adjust_pvalues([0.01, 0.04, 0.03]).round(4).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_pvalues([0.01, 0.04, 0.03], method="bh").round(4).tolist()
    [0.03, 0.04, 0.04]
    """
    check_option(method, "method", ("holm", "bonferroni", "bh"))
    arr = as_array(pvalues, "pvalues")
    if arr.dtype.kind == "b":
        raise TypeError("Expected `pvalues` to hold numbers in [0, 1], but got booleans.")
    p = as_finite_floats(arr, "pvalues").astype(np.float64)
    if p.min() < 0 or p.max() > 1:
        raise ValueError(
            f"Expected `pvalues` to be in [0, 1], but found {p.min() if p.min() < 0 else p.max()}."
        )
    flat = p.reshape(-1)
    m = flat.size
    if method == "bonferroni":
        return np.minimum(1.0, m * p)
    order = np.argsort(flat, kind="stable")
    ranked = flat[order]
    ranks = np.arange(1, m + 1)
    if method == "holm":
        adjusted = np.maximum.accumulate(np.minimum(1.0, (m - ranks + 1) * ranked))
    else:
        adjusted = np.minimum.accumulate(np.minimum(1.0, m * ranked / ranks)[::-1])[::-1]
    out = np.empty(m)
    out[order] = adjusted
    return out.reshape(p.shape)
