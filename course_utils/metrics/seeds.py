"""Results over training seeds: summaries with t intervals, differences (paired only where
the pairing is real), sign tests, and a two-level bootstrap over seeds and test sequences.

A model trained once is one draw: another seed gives another model. A claim about an
architecture ("the GRU beats the RNN on this task") is a claim about the distribution over
seeds, and about test sets like this one.

**When is a comparison paired?** Two results pair up when they share what makes them vary:
the same model scored with and without a fix (the same weights), or two preprocessing
choices applied to the same training run's seed *and* that seed fixes the same initial
weights and batch order in both. Two different architectures trained with the same seed
number share nothing but the batch order (their initial weights are different draws), so
comparing them per seed pairs nothing: use :func:`unpaired_seed_difference` or
:func:`two_level_bootstrap_ci` with ``paired=False``.

**How many seeds a claim needs.** A sign test on ``n`` seeds ("A ahead on all of them")
has its smallest possible two-sided p-value at ``2 * 0.5**n``: with 5 seeds that is
``0.0625``, so 5 seeds can never give p < 0.05, however large the effect.
:func:`min_seeds_for_sign_test` gives the fewest seeds for a level: 6 when A must win
every seed, 9 when one loss is allowed (two-sided, 0.05). A t interval of the mean
difference can exclude 0 with fewer seeds, but with 5 seeds its ``t`` quantile is 2.78
(against 1.96 for many), and it leans on the per-seed results being roughly normal.

**The rule this package's docs follow.** Report each architecture's mean and t interval
over seeds (:func:`seed_summary`), and call a difference real when the 95% interval of the
mean difference excludes 0: the two-level bootstrap (seeds and test sequences, unpaired
across architectures) when the test set is shared, the paired t interval only where the
pairing is real. Within noise otherwise. A success rate ("learned the task in 4 of 5
runs") is a proportion: give it with :func:`proportion_ci`, and compare two with
:func:`two_proportion_test`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from course_utils._validation import as_float_vector, check_bool, check_float, check_int
from course_utils.metrics._validation import as_label_array, check_option

__all__ = [
    "SeedDifference",
    "SeedSummary",
    "SeedTable",
    "SignTestResult",
    "min_seeds_for_sign_test",
    "paired_seed_difference",
    "seed_summary",
    "sign_test",
    "two_level_bootstrap_ci",
    "unpaired_seed_difference",
]


def _confidence(confidence) -> float:
    return check_float(
        confidence, name="confidence", low=0.0, high=1.0, low_open=True, high_open=True
    )


def _seed_values(values, name: str) -> np.ndarray:
    v = as_float_vector(values, name=name)
    if v.size < 2:
        raise ValueError(
            f"Expected `{name}` to hold at least 2 seeds' results (a standard deviation needs "
            f"two), but got {v.size}. Train more seeds."
        )
    return v


# ------------------------------------------------------------------- one summary


@dataclass(frozen=True, eq=False)
class SeedSummary:
    """Mean, spread and t interval of one result over training seeds.

    Attributes
    ----------
    mean : float
        Mean over seeds.
    sd : float
        Standard deviation over seeds (``ddof=1``): how much one run varies.
    n : int
        Number of seeds.
    se : float
        Standard error of the mean, ``sd / sqrt(n)``.
    low, high : float
        Student-t interval of the mean, ``mean ± t_{n-1} * se``.
    confidence : float
        Its confidence level.
    values : numpy.ndarray of shape (n,)
        The per-seed results.
    """

    mean: float
    sd: float
    n: int
    se: float
    low: float
    high: float
    confidence: float
    values: np.ndarray = field(repr=False)

    def __str__(self) -> str:
        percent = f"{100 * self.confidence:g}%"
        return (
            f"{self.mean:.4f} ± {self.sd:.4f} sd over {self.n} seeds "
            f"({percent} CI {self.low:.4f} to {self.high:.4f})"
        )

    def row(self) -> dict:
        """The summary as one dict (a table row)."""
        return {
            "mean": self.mean,
            "sd": self.sd,
            "n": self.n,
            "se": self.se,
            "low": self.low,
            "high": self.high,
            "confidence": self.confidence,
        }

    def to_frame(self):
        """One row: mean, sd, n, se, low, high, confidence (pandas imported only here)."""
        import pandas as pd

        return pd.DataFrame([self.row()])


@dataclass(frozen=True, eq=False)
class SeedTable:
    """One :class:`SeedSummary` per named result (``.summaries``, in the given order)."""

    summaries: dict

    def __getitem__(self, name) -> SeedSummary:
        return self.summaries[name]

    def __repr__(self) -> str:
        width = max(4, *(len(str(name)) for name in self.summaries))
        lines = [f"{'':<{width}} {'mean':>9} {'sd':>9} {'n':>3} {'low':>9} {'high':>9}"]
        for name, s in self.summaries.items():
            lines.append(
                f"{name!s:<{width}} {s.mean:>9.4f} {s.sd:>9.4f} {s.n:>3} {s.low:>9.4f} "
                f"{s.high:>9.4f}"
            )
        return "\n".join(lines)

    def to_frame(self):
        """One row per name, indexed by name (pandas is imported only here)."""
        import pandas as pd

        frame = pd.DataFrame([s.row() for s in self.summaries.values()])
        frame.index = list(self.summaries)
        return frame


def seed_summary(values, *, confidence=0.95):
    """Mean, standard deviation (``ddof=1``) and t interval of results over seeds.

    The interval is ``mean ± t_{n-1, (1 + confidence)/2} * sd / sqrt(n)``: where the mean
    over all seeds would lie, assuming the per-seed results are a sample from a roughly
    normal distribution. ``sd`` says how much a single run varies; the interval says how
    well ``n`` runs pin down the mean.

    Parameters
    ----------
    values : array-like of float of shape (n,), or a mapping of name to such arrays
        Per-seed results (at least 2 seeds), e.g. test accuracy of 5 training runs. A
        mapping (a dict, or a :class:`pandas.DataFrame`'s columns) gives one row per name.
    confidence : float, default 0.95
        Confidence level, in (0, 1).

    Returns
    -------
    SeedSummary or SeedTable
        For one array: ``.mean``, ``.sd``, ``.n``, ``.se``, ``.low``, ``.high``,
        ``.confidence``, ``.values`` and ``.to_frame()``. For a mapping: a
        :class:`SeedTable` (``table["gru"]`` is a summary; ``.to_frame()`` a table).

    Raises
    ------
    ValueError
        If there are fewer than 2 values, or any is NaN or infinite, or ``confidence`` is
        outside (0, 1).
    TypeError
        If the values are not numbers.

    Examples
    --------
    >>> summary = seed_summary([0.91, 0.88, 0.93, 0.90, 0.89])
    >>> print(summary)
    0.9020 ± 0.0192 sd over 5 seeds (95% CI 0.8781 to 0.9259)
    >>> seed_summary({"nn.RNN": [0.71, 0.52, 0.80], "nn.GRU": [0.90, 0.93, 0.91]})
                mean        sd   n       low      high
    nn.RNN    0.6767    0.1429   3    0.3216    1.0318
    nn.GRU    0.9133    0.0153   3    0.8754    0.9513
    """
    confidence = _confidence(confidence)
    if isinstance(values, Mapping) or hasattr(values, "columns"):  # a dict or a DataFrame
        names = list(values.columns) if hasattr(values, "columns") else list(values.keys())
        if not names:
            raise ValueError("Expected `values` to name at least one result, but it is empty.")
        return SeedTable(
            {
                name: _summary(_seed_values(values[name], f"values[{name!r}]"), confidence)
                for name in names
            }
        )
    return _summary(_seed_values(values, "values"), confidence)


def _summary(v: np.ndarray, confidence: float) -> SeedSummary:
    from scipy.stats import t as student_t

    n = v.size
    mean, sd = float(v.mean()), float(v.std(ddof=1))
    se = sd / math.sqrt(n)
    half = float(student_t.ppf(0.5 + confidence / 2.0, df=n - 1)) * se
    return SeedSummary(mean, sd, n, se, mean - half, mean + half, confidence, v)


# ------------------------------------------------------------------- differences


@dataclass(frozen=True, eq=False)
class SeedDifference:
    """The difference of two results' means over seeds, with a t interval and test.

    Attributes
    ----------
    difference : float
        ``mean(a) - mean(b)``.
    se : float
        Its standard error.
    df : float
        Degrees of freedom of the t distribution (``n - 1`` paired; Welch's otherwise).
    low, high : float
        The t interval of the difference.
    pvalue : float
        Two-sided p-value of "the means are equal" (paired or Welch t-test).
    confidence : float
        The interval's confidence level.
    paired : bool
        Whether the seeds were paired.
    differences : numpy.ndarray or None
        Paired: the per-seed differences ``a - b``; unpaired: None.
    sign_pvalue : float or None
        Paired: the two-sided sign test's p-value (ties dropped); unpaired: None.
    n_a, n_b : int
        Number of seeds of each.
    """

    difference: float
    se: float
    df: float
    low: float
    high: float
    pvalue: float
    confidence: float
    paired: bool
    differences: np.ndarray | None = field(repr=False, default=None)
    sign_pvalue: float | None = None
    n_a: int = 0
    n_b: int = 0

    @property
    def excludes_zero(self) -> bool:
        """Whether the interval excludes 0 (the difference counts, by the rule above)."""
        return bool(self.low > 0 or self.high < 0)

    def __str__(self) -> str:
        percent = f"{100 * self.confidence:g}%"
        kind = "paired" if self.paired else "unpaired (Welch)"
        return (
            f"difference {self.difference:.4f} ({percent} CI {self.low:.4f} to "
            f"{self.high:.4f}, {kind}, p = {self.pvalue:.3g})"
        )

    def to_frame(self):
        """One row of the comparison (pandas is imported only here)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "difference": self.difference,
                    "se": self.se,
                    "df": self.df,
                    "low": self.low,
                    "high": self.high,
                    "pvalue": self.pvalue,
                    "paired": self.paired,
                    "sign_pvalue": self.sign_pvalue,
                    "n_a": self.n_a,
                    "n_b": self.n_b,
                }
            ]
        )


def paired_seed_difference(a, b, *, confidence=0.95):
    """Per-seed differences ``a[i] - b[i]``: their mean, t interval, t-test and sign test.

    Use it only where the pairing is real: ``a[i]`` and ``b[i]`` share what makes seed
    ``i`` vary (the same trained model scored two ways, or the same initial weights and
    batch order with and without a change). For two architectures, which share no weights,
    use :func:`unpaired_seed_difference`.

    Parameters
    ----------
    a, b : array-like of float of shape (n,)
        The two results per seed, in the same seed order (at least 2 seeds).
    confidence : float, default 0.95
        Confidence level, in (0, 1).

    Returns
    -------
    SeedDifference
        ``.difference``, ``.low``, ``.high``, ``.pvalue`` (paired t-test), ``.sign_pvalue``,
        ``.differences``, ``.excludes_zero``...

    Raises
    ------
    ValueError
        If ``a`` and ``b`` differ in length, have fewer than 2 values, or hold NaN.
    TypeError
        If they do not hold numbers.

    Examples
    --------
    The same five models, scored with an honest and with a leaky scaler:

    >>> honest = [12.1, 15.3, 11.8, 14.0, 13.2]
    >>> leaky = [11.0, 14.1, 12.0, 12.9, 12.1]
    >>> print(paired_seed_difference(honest, leaky))
    difference 0.8600 (95% CI 0.1223 to 1.5977, paired, p = 0.0318)
    """
    confidence = _confidence(confidence)
    a, b = _seed_values(a, "a"), _seed_values(b, "b")
    if a.size != b.size:
        raise ValueError(
            f"Expected `a` and `b` to hold one result per seed each, for the same seeds, but "
            f"got {a.size} and {b.size}. Unequal counts cannot pair: use "
            "unpaired_seed_difference."
        )
    from scipy.stats import t as student_t

    d = a - b
    n = d.size
    mean, se = float(d.mean()), float(d.std(ddof=1)) / math.sqrt(n)
    df = n - 1
    q = float(student_t.ppf(0.5 + confidence / 2.0, df=df))
    if se == 0.0:
        pvalue = 1.0 if mean == 0.0 else 0.0
    else:
        pvalue = 2.0 * float(student_t.sf(abs(mean / se), df=df))
    return SeedDifference(
        mean,
        se,
        float(df),
        mean - q * se,
        mean + q * se,
        pvalue,
        confidence,
        True,
        d,
        sign_test(d).pvalue,
        n,
        n,
    )


def unpaired_seed_difference(a, b, *, confidence=0.95):
    """Difference of two results' means over independent seeds (Welch's t interval).

    For two architectures, or any two settings whose runs share nothing: the seeds of ``a``
    and ``b`` need not be as many, nor in any order.

    Parameters
    ----------
    a, b : array-like of float
        Per-seed results of each (at least 2 each).
    confidence : float, default 0.95
        Confidence level, in (0, 1).

    Returns
    -------
    SeedDifference
        ``.difference``, ``.se``, ``.df`` (Welch-Satterthwaite), ``.low``, ``.high``,
        ``.pvalue`` (Welch's t-test).

    Raises
    ------
    ValueError
        If either has fewer than 2 values or holds NaN, or both have zero spread.
    TypeError
        If they do not hold numbers.

    Examples
    --------
    >>> gru = [0.90, 0.93, 0.91, 0.92, 0.89]
    >>> rnn = [0.71, 0.52, 0.80, 0.66, 0.75]
    >>> print(unpaired_seed_difference(gru, rnn))
    difference 0.2220 (95% CI 0.0898 to 0.3542, unpaired (Welch), p = 0.00917)
    """
    confidence = _confidence(confidence)
    a, b = _seed_values(a, "a"), _seed_values(b, "b")
    from scipy.stats import t as student_t

    va, vb = float(a.var(ddof=1)) / a.size, float(b.var(ddof=1)) / b.size
    if va + vb == 0.0:
        raise ValueError(
            "Expected some spread over seeds in `a` or `b`, but every value within each is "
            "equal: the t interval is undefined. Compare the values directly."
        )
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    mean = float(a.mean() - b.mean())
    q = float(student_t.ppf(0.5 + confidence / 2.0, df=df))
    pvalue = 2.0 * float(student_t.sf(abs(mean / se), df=df))
    return SeedDifference(
        mean,
        se,
        float(df),
        mean - q * se,
        mean + q * se,
        pvalue,
        confidence,
        False,
        n_a=a.size,
        n_b=b.size,
    )


# ---------------------------------------------------------------------- sign test


@dataclass(frozen=True)
class SignTestResult:
    """The sign test of paired differences.

    Attributes
    ----------
    pvalue : float
        Exact binomial p-value of "positive and negative equally likely" (ties dropped).
    n_positive, n_negative, n_ties : int
        How many differences were above, below and at 0.
    """

    pvalue: float
    n_positive: int
    n_negative: int
    n_ties: int


def sign_test(differences, *, alternative="two-sided"):
    """Sign test: are paired differences positive more often than negative?

    Counts the signs and tests them against a fair coin (exact binomial test); zeros are
    dropped. It assumes nothing about the differences' distribution, and so needs several
    seeds: see :func:`min_seeds_for_sign_test`.

    Parameters
    ----------
    differences : array-like of float of shape (n,)
        Paired differences (e.g. per-seed ``a - b``, where the pairing is real).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        ``"greater"``: the alternative that positive differences are more likely.

    Returns
    -------
    SignTestResult
        ``.pvalue``, ``.n_positive``, ``.n_negative``, ``.n_ties``. With every difference 0
        the p-value is 1.

    Raises
    ------
    ValueError
        If the differences hold NaN or ``alternative`` is unknown.
    TypeError
        If they do not hold numbers.

    Examples
    --------
    Five of five seeds favour A, yet a two-sided sign test cannot reach 0.05:

    >>> sign_test([0.02, 0.01, 0.05, 0.03, 0.04]).pvalue
    0.0625
    """
    check_option(alternative, "alternative", ("two-sided", "greater", "less"))
    d = as_float_vector(differences, name="differences")
    pos, neg = int(np.count_nonzero(d > 0)), int(np.count_nonzero(d < 0))
    ties = d.size - pos - neg
    if pos + neg == 0:
        return SignTestResult(1.0, 0, 0, ties)
    from scipy.stats import binomtest

    pvalue = float(binomtest(pos, pos + neg, 0.5, alternative=alternative).pvalue)
    return SignTestResult(min(1.0, pvalue), pos, neg, ties)


def min_seeds_for_sign_test(*, alpha=0.05, losses=0, alternative="two-sided"):
    """The fewest seeds with which a sign test can reach ``p <= alpha``.

    With ``n`` seeds of which A loses ``losses``, the sign test's p-value is
    ``P(X <= losses)`` for ``X ~ Binomial(n, 1/2)`` (twice that, two-sided); this is the
    smallest ``n`` where that is at most ``alpha``.

    Parameters
    ----------
    alpha : float, default 0.05
        The significance level, in (0, 1).
    losses : int, default 0
        Seeds allowed to go the other way.
    alternative : {"two-sided", "greater"}, default "two-sided"
        Two-sided, or one-sided in the claimed direction.

    Returns
    -------
    int

    Examples
    --------
    >>> min_seeds_for_sign_test(), min_seeds_for_sign_test(losses=1)
    (6, 9)
    >>> min_seeds_for_sign_test(alternative="greater")
    5
    """
    alpha = check_float(alpha, name="alpha", low=0.0, high=1.0, low_open=True, high_open=True)
    losses = check_int(losses, name="losses", low=0)
    check_option(alternative, "alternative", ("two-sided", "greater"))
    factor = 2.0 if alternative == "two-sided" else 1.0
    n = max(1, 2 * losses + 1)
    while True:
        tail = sum(math.comb(n, k) for k in range(losses + 1)) / 2.0**n
        if factor * tail <= alpha:
            return n
        n += 1


# ------------------------------------------------------------ two-level bootstrap


def _per_seed(predictions, name: str, like: np.ndarray) -> list:
    """Per-seed prediction arrays, each with the shape of ``like`` (or that shape followed
    by more axes, such as logits over a vocabulary)."""
    from course_utils.metrics.sequences import _check_prediction_shape

    if hasattr(predictions, "shape") and not isinstance(predictions, list | tuple):
        arr = as_label_array(predictions, name)
        if arr.ndim <= like.ndim or arr.shape[1 : 1 + like.ndim] != like.shape:
            raise ValueError(
                f"Expected `{name}` shaped (n_seeds, *y_true.shape, ...) = (n_seeds, "
                f"{', '.join(map(str, like.shape))}, ...), but got {arr.shape}. Stack one "
                "prediction array per seed."
            )
        seeds = [arr[i] for i in range(arr.shape[0])]
    elif isinstance(predictions, list | tuple):
        seeds = [as_label_array(p, f"{name}[{i}]") for i, p in enumerate(predictions)]
        for i, p in enumerate(seeds):
            _check_prediction_shape(like, p, f"{name}[{i}]")
    else:
        raise TypeError(
            f"Expected `{name}` to be a list of per-seed predictions (or an array with a "
            f"leading seed axis), but got {type(predictions).__name__}."
        )
    if len(seeds) < 2:
        raise ValueError(
            f"Expected `{name}` to hold at least 2 seeds' predictions, but got {len(seeds)}. "
            "With one seed, use paired_bootstrap_ci (test sequences only)."
        )
    return seeds


def two_level_bootstrap_ci(
    metric,
    y_true,
    y_pred_a,
    y_pred_b,
    *,
    paired=False,
    n_resamples=1000,
    confidence=0.95,
    seed=0,
    block_length=None,
    block=None,
    mask=None,
    lengths=None,
):
    """Interval for "is architecture A better than B": over training seeds and test sequences.

    Each resample draws, at the same time,

    - the test sequences, with replacement (whole rows, or blocks of rows of a series as
      in :func:`bootstrap_ci`), the same rows for both architectures, since both were
      scored on the same test set;
    - A's seeds and, independently, B's seeds, with replacement (``paired=False``): two
      architectures trained with the same seed number share no weights, so their seeds do
      not pair. ``paired=True`` draws the same seed indices for both, for settings whose
      runs do share a seed's randomness (see the module docstring).

    and records ``mean over drawn A seeds of metric - mean over drawn B seeds of metric``
    on the drawn rows. The percentile interval of these values covers both sources of
    uncertainty: which models training happens to produce, and which test sequences happen
    to be drawn. The estimate is the difference of the means over all seeds on all rows.

    With few seeds the bootstrap over seeds understates their spread (a resample of ``n``
    of ``n`` values has ``(n - 1)/n`` of their variance, and few distinct values): with 5
    seeds read the interval as optimistic, and prefer 10 or more for a claim.

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_pred, [lengths=..., mask=...])`` returning one number.
    y_true : array-like, shape (batch, ...)
        The shared test targets; rows are sequences.
    y_pred_a, y_pred_b : list of array-like, or array-like of shape (n_seeds, batch, ...)
        Each architecture's predictions (or scores, or logits with a trailing vocabulary
        axis) on the test set, one per training seed (at least 2 seeds each; they may
        differ in number unless ``paired``).
    paired : bool, default False
        Draw the same seed indices for A and B (only where the pairing is real).
    n_resamples : int, default 1000
        Number of resamples.
    confidence : float, default 0.95
        Confidence level, in (0, 1).
    seed : int, default 0
        Seed of the resampling, in ``[0, 2**32)``.
    block_length, block : optional
        Blocks of test rows, as in :func:`bootstrap_ci` (for a series such as months).
    mask, lengths : array-like, optional
        Passed to ``metric``, resampled along with the rows.

    Returns
    -------
    BootstrapResult
        For ``mean_A(metric) - mean_B(metric)``: ``.estimate``, ``.low``, ``.high``,
        ``.samples``...

    Raises
    ------
    ValueError
        If fewer than 2 seeds are given, shapes differ, ``paired`` with unequal seed
        counts, or an option is out of range.
    TypeError
        If ``metric`` is not callable or does not return one number.

    Warns
    -----
    UndefinedMetricWarning
        Once, if the metric was undefined on some resamples.

    Examples
    --------
    Five seeds of each architecture, scored on the same 40 sequences:

    >>> import numpy as np
    >>> from course_utils.metrics import accuracy_score
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 40)
    >>> gru = [np.where(rng.random(40) < 0.9, y, 1 - y) for _ in range(5)]
    >>> rnn = [np.where(rng.random(40) < 0.7, y, 1 - y) for _ in range(5)]
    >>> result = two_level_bootstrap_ci(accuracy_score, y, gru, rnn, n_resamples=300)
    >>> round(result.estimate, 3), bool(result.low > 0)
    (0.22, True)
    """
    from course_utils.metrics.sequences import (
        _bootstrap,
        _call,
        _check_bootstrap_options,
        _resampling_inputs,
    )

    _check_bootstrap_options(metric, n_resamples, confidence, seed)
    check_bool(paired, name="paired")
    t = as_label_array(y_true, "y_true")
    seeds_a = _per_seed(y_pred_a, "y_pred_a", t)
    seeds_b = _per_seed(y_pred_b, "y_pred_b", t)
    if paired and len(seeds_a) != len(seeds_b):
        raise ValueError(
            f"Expected as many seeds in `y_pred_a` as in `y_pred_b` for paired=True, but got "
            f"{len(seeds_a)} and {len(seeds_b)}. Unequal counts cannot pair: use "
            "paired=False."
        )
    t, _, m_lengths, m_mask = _resampling_inputs(t, seeds_a[0], lengths=lengths, mask=mask)
    seed_rng = np.random.default_rng([int(seed), 1])  # seeds drawn apart from rows

    def mean_over(seeds, counts, rows):
        total = 0.0
        for index in np.flatnonzero(counts):
            total += counts[index] * _call(metric, t, seeds[index], m_lengths, m_mask, rows=rows)
        return float(total / counts.sum())

    def statistic(rows):  # every seed once: the estimate (and the per-row values for "auto")
        return mean_over(seeds_a, np.ones(len(seeds_a)), rows) - mean_over(
            seeds_b, np.ones(len(seeds_b)), rows
        )

    def resample_statistic(rows):
        drawn_a = seed_rng.integers(0, len(seeds_a), size=len(seeds_a))
        drawn_b = drawn_a if paired else seed_rng.integers(0, len(seeds_b), size=len(seeds_b))
        counts_a = np.bincount(drawn_a, minlength=len(seeds_a))
        counts_b = np.bincount(drawn_b, minlength=len(seeds_b))
        return mean_over(seeds_a, counts_a, rows) - mean_over(seeds_b, counts_b, rows)

    return _bootstrap(
        statistic,
        t,
        m_lengths,
        m_mask,
        n_resamples,
        confidence,
        seed,
        block,
        block_length,
        resample_statistic=resample_statistic,
    )
