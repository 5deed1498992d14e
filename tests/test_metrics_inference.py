"""McNemar, proportion intervals, Diebold-Mariano, MASE and the block bootstrap, each against an
independent reference: statsmodels, SciPy, or the formula computed by hand in the test."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.stats as ss
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

import course_utils.metrics as cu

PROPERTY = settings(max_examples=80, deadline=None)


# ---------------------------------------------------------------------------- McNemar


def predictions_with(n01, n10, n_both_right=5, n_both_wrong=3):
    """Labels and two models' predictions with the given discordant counts."""
    n = n01 + n10 + n_both_right + n_both_wrong
    y_true = np.zeros(n, dtype=int)
    right_a = np.r_[np.zeros(n01), np.ones(n10), np.ones(n_both_right), np.zeros(n_both_wrong)]
    right_b = np.r_[np.ones(n01), np.zeros(n10), np.ones(n_both_right), np.zeros(n_both_wrong)]
    return y_true, (1 - right_a).astype(int), (1 - right_b).astype(int)


@PROPERTY
@given(st.integers(0, 60), st.integers(0, 60), st.booleans(), st.booleans())
def test_mcnemar_matches_statsmodels(n01, n10, exact, correction):
    y_true, a, b = predictions_with(n01, n10)
    ours = cu.mcnemar_test(y_true, a, b, exact=exact, correction=correction)
    assert (ours.n01, ours.n10) == (n01, n10)
    table = [[5, n10], [n01, 3]]  # rows: A right/wrong; columns: B right/wrong
    if n01 + n10 == 0:
        assert (ours.statistic, ours.pvalue) == (0.0, 1.0)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = sm_mcnemar(table, exact=exact, correction=correction)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-12, abs=1e-12)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-15)


def test_mcnemar_exact_is_scipys_binomial_test():
    y_true, a, b = predictions_with(4, 15)
    ours = cu.mcnemar_test(y_true, a, b)
    assert ours.pvalue == pytest.approx(ss.binomtest(4, 19, 0.5).pvalue, rel=1e-12)


def test_mcnemar_with_padding_and_multiclass_labels():
    y_true = np.array([[2, 0, 1, -100], [1, 1, 0, 2]])
    a = np.array([[2, 0, 0, 7], [1, 2, 0, 2]])  # wrong at (0, 2) and (1, 1)
    b = np.array([[2, 1, 1, 7], [1, 1, 0, 0]])  # wrong at (0, 1) and (1, 3)
    result = cu.mcnemar_test(y_true, a, b, lengths=[3, 4])
    assert (result.n01, result.n10) == (2, 2)
    assert result.pvalue == 1.0
    masked = cu.mcnemar_test(y_true, a, b, mask=np.arange(4) < np.array([[3], [4]]))
    assert masked == result
    assert "McNemar" in str(result)
    words = np.array(["ham", "spam", "eggs"])
    y_true, a, b = predictions_with(4, 9)
    assert cu.mcnemar_test(words[y_true], words[a], words[b]) == cu.mcnemar_test(y_true, a, b)


def test_mcnemar_on_2d_labels_follows_one_rule_with_or_without_a_mask():
    # Before: without a mask whole sequences were compared, with an all-True mask single
    # steps, so the same data gave two p-values. Now both are per step; unit="sequence"
    # is the explicit choice for whole sequences.
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, size=(40, 6))
    a = np.where(rng.random((40, 6)) < 0.9, y_true, 1 - y_true)
    b = np.where(rng.random((40, 6)) < 0.75, y_true, 1 - y_true)
    plain = cu.mcnemar_test(y_true, a, b)
    assert plain == cu.mcnemar_test(y_true, a, b, mask=np.ones((40, 6), bool))
    assert plain == cu.mcnemar_test(y_true, a, b, lengths=np.full(40, 6))
    assert plain == cu.mcnemar_test(y_true.ravel(), a.ravel(), b.ravel())
    right_a, right_b = (a == y_true).all(axis=1), (b == y_true).all(axis=1)
    by_sequence = cu.mcnemar_test(y_true, a, b, unit="sequence")
    assert by_sequence.n01 == np.sum(~right_a & right_b)
    assert by_sequence.n10 == np.sum(right_a & ~right_b)
    assert by_sequence == cu.mcnemar_test(y_true, a, b, unit="sequence", mask=np.ones(40, bool))


def test_mcnemar_per_sequence_with_padding_leaves_out_empty_sequences():
    y_true = np.array([[1, 1, -100], [0, 1, 1], [5, 5, 5]])
    a = np.array([[1, 1, 9], [0, 0, 1], [0, 0, 0]])
    b = np.array([[1, 0, 9], [0, 1, 1], [0, 0, 0]])
    result = cu.mcnemar_test(y_true, a, b, unit="sequence", lengths=[2, 3, 0])
    assert (result.n01, result.n10) == (1, 1)
    steps = cu.mcnemar_test(y_true, a, b, lengths=[2, 3, 0])
    assert (steps.n01, steps.n10) == (1, 1)


@pytest.mark.parametrize(
    ("y_true", "a", "b", "error", "match"),
    [
        # probabilities passed by mistake used to be compared as labels
        ([0, 1, 1], [0.2, 0.9, 0.6], [0, 1, 0], ValueError, r"`y_pred_a` to hold class labels"),
        ([0, 1, np.nan], [0, 1, 1], [0, 1, 0], ValueError, r"`y_true` to hold class labels"),
        (["a", "b", "a"], [0, 1, 0], [0, 1, 1], TypeError, r"labels of one kind"),
        ([0, 1, 1], [0, 1, 1], ["0", "1", "1"], TypeError, r"`y_pred_b` strings"),
        # a list mixing ints and strings becomes strings in NumPy: then it mixes with y_pred
        ([0, "b", 1], [0, 1, 1], [0, 1, 0], TypeError, r"`y_true` strings"),
        ([0, None, 1], [0, 1, 1], [0, 1, 0], TypeError, r"`y_true` to hold labels of one kind"),
    ],
)
def test_mcnemar_checks_labels_as_the_other_metrics_do(y_true, a, b, error, match):
    with pytest.raises(error, match=match):
        cu.mcnemar_test(y_true, a, b)


# ------------------------------------------------------------------ proportion_ci


@PROPERTY
@given(st.integers(1, 400), st.data(), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_proportion_ci_matches_statsmodels(n, data, confidence):
    successes = data.draw(st.integers(0, n))
    alpha = 1 - confidence
    for ours_name, theirs_name in (("wilson", "wilson"), ("clopper-pearson", "beta")):
        ours = cu.proportion_ci(successes, n, method=ours_name, confidence=confidence)
        theirs = proportion_confint(successes, n, alpha=alpha, method=theirs_name)
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def test_clopper_pearson_from_beta_quantiles():
    low, high = cu.proportion_ci(7, 20, method="clopper-pearson", confidence=0.9)
    assert low == pytest.approx(ss.beta.ppf(0.05, 7, 14), rel=1e-12)
    assert high == pytest.approx(ss.beta.ppf(0.95, 8, 13), rel=1e-12)
    assert cu.proportion_ci(0, 10, method="clopper-pearson")[0] == 0.0
    assert cu.proportion_ci(10, 10, method="clopper-pearson")[1] == 1.0


def test_wilson_by_hand_and_numpy_ints():
    x, n, z = 27, 30, ss.norm.ppf(0.975)
    p = x / n
    center = (x + z**2 / 2) / (n + z**2)
    half = z * math.sqrt(n * p * (1 - p) + z**2 / 4) / (n + z**2)
    np.testing.assert_allclose(cu.proportion_ci(np.int64(x), n), (center - half, center + half))


def test_proportion_ci_refuses_counts_beyond_floats_cleanly():
    # Before: proportion_ci(1, 10**400) raised OverflowError (or a SciPy TypeError).
    for method in ("wilson", "clopper-pearson"):
        with pytest.raises(ValueError, match=r"`n` to be at most 2\*\*53"):
            cu.proportion_ci(1, 10**400, method=method)
    assert 0 <= cu.proportion_ci(1, 2**53)[0] < 1e-15


def exact_coverage(n, p, method, confidence=0.95):
    """P(the interval covers p) under Binomial(n, p), summed exactly over outcomes."""
    hits = [
        lo <= p <= hi
        for lo, hi in (
            cu.proportion_ci(k, n, method=method, confidence=confidence) for k in range(n + 1)
        )
    ]
    return float(ss.binom.pmf(np.arange(n + 1), n, p) @ np.array(hits, dtype=float))


def test_wilson_coverage_dips_near_one_and_clopper_pearson_never_undercovers():
    # What the docstring says: Wilson is close to nominal on average but dips (Brown, Cai and
    # DasGupta, 2001), Clopper-Pearson never falls below the nominal level.
    grid = np.linspace(0.99, 0.9999, 200)  # for n = 50 the dip is near p = 0.9965
    wilson = [exact_coverage(50, p, "wilson") for p in grid]
    clopper = [exact_coverage(50, p, "clopper-pearson") for p in grid]
    assert min(clopper) >= 0.95 - 1e-12
    assert 0.83 < min(wilson) < 0.85
    assert (
        abs(np.mean([exact_coverage(100, p, "wilson") for p in np.linspace(0.05, 0.95, 46)]) - 0.95)
        < 0.01
    )


# ------------------------------------------------------------- two proportions


@PROPERTY
@given(
    st.integers(1, 25),
    st.integers(1, 25),
    st.data(),
    st.sampled_from(["two-sided", "greater", "less"]),
)
def test_two_proportion_test_equals_scipy(n_a, n_b, data, alternative):
    s_a, s_b = data.draw(st.integers(0, n_a)), data.draw(st.integers(0, n_b))
    table = [[s_a, s_b], [n_a - s_a, n_b - s_b]]
    fisher = cu.two_proportion_test(s_a, n_a, s_b, n_b, alternative=alternative)
    assert fisher.pvalue == pytest.approx(
        min(1.0, ss.fisher_exact(table, alternative=alternative).pvalue), rel=1e-12
    )
    assert fisher.difference == pytest.approx(s_a / n_a - s_b / n_b)
    boschloo = cu.two_proportion_test(
        s_a, n_a, s_b, n_b, method="boschloo", alternative=alternative
    )
    theirs = ss.boschloo_exact(table, alternative=alternative).pvalue
    if np.isnan(theirs):
        assert boschloo.pvalue != boschloo.pvalue
    else:
        assert boschloo.pvalue == pytest.approx(min(1.0, theirs), rel=1e-9, abs=1e-12)


def fisher_by_hand(s_a, n_a, s_b, n_b):
    """Two-sided Fisher: the hypergeometric probability of every table as likely or less."""
    total, k = n_a + n_b, s_a + s_b

    def prob(x):
        return math.comb(n_a, x) * math.comb(n_b, k - x) / math.comb(total, k)

    observed = prob(s_a)
    support = range(max(0, k - n_b), min(k, n_a) + 1)
    return sum(prob(x) for x in support if prob(x) <= observed * (1 + 1e-7))


def test_fisher_by_hand_and_the_seed_success_example():
    for counts in [(5, 5, 1, 5), (3, 10, 9, 12), (0, 4, 4, 4), (7, 20, 7, 20)]:
        assert cu.two_proportion_test(*counts).pvalue == pytest.approx(
            fisher_by_hand(*counts), rel=1e-10
        )
    result = cu.two_proportion_test(5, 5, 1, 5)  # issue 26 finding 8: p = 0.048
    assert round(result.pvalue, 3) == 0.048 and "Fisher" in str(result)
    assert result.statistic == math.inf


def test_two_proportion_test_bad_input():
    with pytest.raises(ValueError, match=r"`successes_b` to be in \[0, n_b\]"):
        cu.two_proportion_test(1, 5, 6, 5)
    with pytest.raises(ValueError, match=r"`n_a` to be a positive int"):
        cu.two_proportion_test(0, 0, 1, 5)
    with pytest.raises(TypeError, match=r"`n_b` to be an int"):
        cu.two_proportion_test(1, 5, 1, 5.0)
    with pytest.raises(ValueError, match=r'Use method="fisher"'):
        cu.two_proportion_test(1, 5000, 1, 5, method="boschloo")
    with pytest.raises(ValueError, match=r"`alternative` to be one of"):
        cu.two_proportion_test(1, 5, 1, 5, alternative="bigger")


# ------------------------------------------------------------------ adjust_pvalues


@PROPERTY
@given(
    st.lists(st.floats(0, 1), min_size=1, max_size=40),
    st.sampled_from([("holm", "holm"), ("bonferroni", "bonferroni"), ("bh", "fdr_bh")]),
)
def test_adjust_pvalues_equals_statsmodels(pvalues, methods):
    ours_name, theirs_name = methods
    ours = cu.adjust_pvalues(pvalues, method=ours_name)
    _, theirs, _, _ = multipletests(pvalues, method=theirs_name)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    assert (ours >= np.asarray(pvalues) - 1e-15).all() and (ours <= 1).all()


def test_adjust_pvalues_keeps_the_shape_and_checks_input():
    p = np.array([[0.01, 0.2], [0.03, 0.04]])
    assert cu.adjust_pvalues(p).shape == (2, 2)
    np.testing.assert_allclose(
        cu.adjust_pvalues(p).ravel(), multipletests(p.ravel(), method="holm")[1]
    )
    for bad, error in [([0.1, np.nan], ValueError), ([0.1, 1.5], ValueError), ([True], TypeError)]:
        with pytest.raises(error, match="`pvalues`"):
            cu.adjust_pvalues(bad)
    with pytest.raises(ValueError, match="`method`"):
        cu.adjust_pvalues([0.1], method="fdr_bh")


# ----------------------------------------------------------------- Diebold-Mariano


def hac_by_statsmodels(d, lags):
    """The HAC t statistic of mean(d): OLS of d on a constant, Newey-West errors."""
    fit = sm.OLS(d, np.ones((len(d), 1))).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": False}
    )
    return float(fit.tvalues[0]), float(fit.pvalues[0])


def series_pair(seed, n=40):
    rng = np.random.default_rng(seed)
    e1 = rng.normal(0, 1, n).cumsum() * 0.3 + rng.normal(0, 1, n)
    e2 = rng.normal(0, 1.3, n)
    return e1, e2


@pytest.mark.parametrize("lags", [0, 1, 3, 7])
@pytest.mark.parametrize("loss", ["absolute", "squared"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_diebold_mariano_is_the_hac_t_statistic_of_statsmodels(lags, loss, seed):
    e1, e2 = series_pair(seed)
    d = np.abs(e1) - np.abs(e2) if loss == "absolute" else e1**2 - e2**2
    ours = cu.diebold_mariano_test(e1, e2, loss=loss, lags=lags, small_sample_correction=False)
    stat, pvalue = hac_by_statsmodels(d, lags)
    assert ours.statistic == pytest.approx(stat, rel=1e-10)
    assert ours.pvalue == pytest.approx(pvalue, rel=1e-9)
    assert (ours.lags, ours.small_sample_correction) == (lags, False)
    assert ours.mean_difference == pytest.approx(d.mean())


@PROPERTY
@given(
    st.integers(8, 200),
    st.integers(1, 4),
    st.integers(0, 10_000),
    st.sampled_from([1e-6, 1.0, 1e6]),
)
def test_diebold_mariano_with_the_small_sample_correction(n, horizon, seed, scale):
    rng = np.random.default_rng(seed)
    e1, e2 = scale * rng.normal(0, 1, n), scale * rng.normal(0, 1.2, n)
    d = np.abs(e1) - np.abs(e2)
    ours = cu.diebold_mariano_test(e1, e2, horizon=horizon)
    lags = max(horizon - 1, int(np.floor(4 * (n / 100) ** (2 / 9))))
    assert ours.lags == min(lags, n - 1) == cu.default_lags(n, horizon)
    stat, _ = hac_by_statsmodels(d, ours.lags)
    h = horizon
    corrected = stat * math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    assert ours.statistic == pytest.approx(corrected, rel=1e-8)
    assert ours.pvalue == pytest.approx(2 * ss.t.sf(abs(corrected), df=n - 1), rel=1e-8)


def test_diebold_mariano_with_no_lags_is_a_paired_t_test():
    # lags=0: only gamma_0 enters, so the HLN-corrected DM is the one-sample t test of d,
    # which assumes the d_t independent (what horizon=1 alone used to mean).
    rng = np.random.default_rng(3)
    e1, e2 = rng.normal(0, 1, 30), rng.normal(0, 1.5, 30)
    d = np.abs(e1) - np.abs(e2)
    ours = cu.diebold_mariano_test(e1, e2, lags=0)
    theirs = ss.ttest_1samp(d, 0.0)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-10)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-10)
    assert "Diebold-Mariano" in str(ours) and "0 lags" in str(ours)
    assert cu.diebold_mariano_test(e1, e2).lags == 3  # floor(4 * 0.3**(2/9)) = 3


def test_diebold_mariano_lags_widen_the_error_of_an_autocorrelated_differential():
    rng = np.random.default_rng(0)
    d = np.convolve(rng.normal(size=140), np.ones(6) / 6, mode="valid") + 0.2  # dependent
    e2 = np.full(d.size, 5.0)
    naive = cu.diebold_mariano_test(e2 + d, e2, lags=0)
    hac = cu.diebold_mariano_test(e2 + d, e2)
    assert abs(hac.statistic) < abs(naive.statistic)
    assert hac.pvalue > naive.pvalue


def test_diebold_mariano_overflowing_losses_are_an_error():
    # Before: the squared losses overflowed to inf and the test returned p = 1.0.
    big = np.array([1e200, -3e200, 2e200, 1e199])
    with pytest.raises(ValueError, match=r"overflow float64\. Rescale both"):
        cu.diebold_mariano_test(big, big / 2, loss="squared")
    scaled = cu.diebold_mariano_test(big / 1e200, big / 2e200, loss="squared")
    assert np.isfinite(scaled.pvalue)


def test_diebold_mariano_is_scale_free_up_to_the_largest_floats():
    # Losses that are finite but whose sum overflows: the statistic is the same as in units.
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=40), rng.normal(size=40) * 1.3
    small = cu.diebold_mariano_test(a, b, horizon=2)
    huge = cu.diebold_mariano_test(a * 1e307, b * 1e307, horizon=2)
    assert huge.statistic == pytest.approx(small.statistic, rel=1e-12)
    assert huge.pvalue == pytest.approx(small.pvalue, rel=1e-10)
    assert huge.mean_difference == pytest.approx(small.mean_difference * 1e307, rel=1e-12)


# ---------------------------------------------------------------------------- MASE


def test_mase_by_hand_with_seasonality():
    rng = np.random.default_rng(0)
    y_train = 100 + 10 * np.sin(np.arange(48) * 2 * np.pi / 12) + rng.normal(0, 1, 48)
    y_true = rng.normal(100, 5, 12)
    y_pred = y_true + rng.normal(0, 2, 12)
    scale = np.mean([abs(y_train[t] - y_train[t - 12]) for t in range(12, 48)])
    expected = np.mean(np.abs(y_true - y_pred)) / scale
    got = cu.mean_absolute_scaled_error(y_true, y_pred, y_train=y_train, seasonality=12)
    assert got == pytest.approx(expected, rel=1e-12)
    scale1 = np.mean(np.abs(np.diff(y_train)))
    assert cu.mean_absolute_scaled_error(y_true, y_pred, y_train=y_train) == pytest.approx(
        np.mean(np.abs(y_true - y_pred)) / scale1, rel=1e-12
    )


def test_mase_per_output_and_with_lengths():
    y_train = np.array([[1.0, 10.0], [2.0, 30.0], [4.0, 20.0]])  # scales 1.5 and 15
    y_true = np.array([[1.0, 10.0], [2.0, 20.0]])
    y_pred = np.array([[2.5, 25.0], [2.0, 20.0]])
    raw = cu.mean_absolute_scaled_error(y_true, y_pred, y_train=y_train, multioutput="raw_values")
    np.testing.assert_allclose(raw, [0.75 / 1.5, 7.5 / 15])
    # (batch, time) forecasts with padding: one output, scaled by a 1-D series
    y_true = np.array([[1.0, 2.0, 9.0], [3.0, 4.0, 5.0]])
    y_pred = np.array([[2.0, 2.0, -1.0], [3.0, 6.0, 5.0]])
    got = cu.mean_absolute_scaled_error(y_true, y_pred, y_train=[0.0, 2.0, 0.0], lengths=[2, 3])
    assert got == pytest.approx((1 + 0 + 0 + 2 + 0) / 5 / 2)


# ------------------------------------------------------------ block bootstrap


def test_block_length_one_is_the_plain_bootstrap():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.normal(size=30), rng.normal(size=30)
    plain = cu.bootstrap_ci(cu.mean_absolute_error, y_true, y_pred, n_resamples=50)
    one = cu.bootstrap_ci(cu.mean_absolute_error, y_true, y_pred, n_resamples=50, block_length=1)
    np.testing.assert_array_equal(plain.samples, one.samples)


def test_moving_blocks_by_hand():
    # The resampled rows are runs of consecutive rows; rebuild them from the same generator.
    y = np.arange(10, dtype=float)
    seen = []

    def metric(y_true, y_pred):
        seen.append(np.asarray(y_true).copy())
        return float(np.mean(y_true))

    result = cu.bootstrap_ci(metric, y, y, n_resamples=20, block_length=3, block="moving", seed=5)
    assert (result.block, result.block_length) == ("moving", 3)
    rng = np.random.default_rng(5)
    for drawn in seen[1:]:
        starts = rng.integers(0, 8, size=4)
        expected = np.concatenate([np.arange(s, s + 3) for s in starts])[:10]
        np.testing.assert_array_equal(drawn, expected)
    np.testing.assert_allclose(result.samples, [s.mean() for s in seen[1:]])


def test_blocks_widen_the_interval_of_an_autocorrelated_series():
    rng = np.random.default_rng(0)
    errors = np.convolve(rng.normal(size=300), np.ones(8) / 8, mode="same")  # dependent
    zeros = np.zeros_like(errors)
    kw = {"n_resamples": 400, "seed": 1}
    iid = cu.bootstrap_ci(cu.mean_squared_error, errors, zeros, **kw)
    blocks = cu.bootstrap_ci(cu.mean_squared_error, errors, zeros, block_length=16, **kw)
    assert blocks.high - blocks.low > 1.5 * (iid.high - iid.low)


def test_paired_block_bootstrap_uses_the_same_blocks_for_both_models():
    rng = np.random.default_rng(2)
    y = rng.normal(size=24)
    a, b = y + rng.normal(0, 1, 24), y + rng.normal(0, 1, 24)
    result = cu.paired_bootstrap_ci(
        cu.mean_absolute_error, y, a, b, block_length=6, n_resamples=200
    )
    assert result.block == "circular"  # the default scheme for blocks
    rng = np.random.default_rng(0)  # the default seed
    for sample in result.samples[:20]:
        rows = (rng.integers(0, 24, size=4)[:, None] + np.arange(6)).ravel() % 24
        expected = cu.mean_absolute_error(y[rows], a[rows]) - cu.mean_absolute_error(
            y[rows], b[rows]
        )
        assert sample == pytest.approx(expected, rel=1e-12)
    assert result.estimate == pytest.approx(
        cu.mean_absolute_error(y, a) - cu.mean_absolute_error(y, b)
    )
    assert result.low <= result.estimate <= result.high


# ----------------------------------------------------------------------- errors

BAD = [
    (lambda: cu.mcnemar_test([0, 1], [0, 1], [0]), ValueError, r"`y_true` and `y_pred_b`"),
    (lambda: cu.mcnemar_test([0, 1], [0, 1], [0, 1], exact="yes"), TypeError, r"`exact`"),
    (lambda: cu.proportion_ci(3.0, 10), TypeError, r"`successes` to be an int"),
    (lambda: cu.proportion_ci(3, 0), ValueError, r"`n` to be a positive int"),
    (lambda: cu.proportion_ci(11, 10), ValueError, r"`successes` to be in \[0, n\]"),
    (lambda: cu.proportion_ci(3, 10, method="exact"), ValueError, r"`method` to be one of"),
    (lambda: cu.proportion_ci(3, 10, confidence=95), ValueError, r"Use 0\.95"),
    (lambda: cu.diebold_mariano_test([1.0, 2.0], [1.0]), ValueError, r"same length"),
    (lambda: cu.diebold_mariano_test([[1.0, 2.0]], [[1.0, 2.0]]), ValueError, r"to be 1-D"),
    (lambda: cu.diebold_mariano_test([1.0], [2.0]), ValueError, r"at least 2"),
    (lambda: cu.diebold_mariano_test([1.0, 2, 3], [2.0, 1, 1], horizon=3), ValueError, r"\[1, 2\]"),
    (lambda: cu.diebold_mariano_test([1.0, 2], [2.0, 1], horizon=1.0), TypeError, r"`horizon`"),
    (lambda: cu.diebold_mariano_test([1.0, 2], [2.0, 1], loss="mse"), ValueError, r"`loss`"),
    (lambda: cu.diebold_mariano_test([1.0, 2], [1.0, 2]), ValueError, r"constant"),
    (
        lambda: cu.diebold_mariano_test([1.0, 2, 3], [2.0, 1, 1], lags=3),
        ValueError,
        r"`lags` to be in \[0, 2\]",
    ),
    (
        lambda: cu.diebold_mariano_test([1.0, 2, 3], [2.0, 1, 1], horizon=2, lags=0),
        ValueError,
        r"at least horizon - 1",
    ),
    (
        lambda: cu.diebold_mariano_test([1.0, 2, 3], [2.0, 1, 1], lags=1.0),
        TypeError,
        r"`lags` to be an int",
    ),
    (
        lambda: cu.diebold_mariano_test([1.0, 2, 3], [2.0, 1, 1], small_sample_correction=1),
        TypeError,
        r"`small_sample_correction`",
    ),
    (
        lambda: cu.mcnemar_test([0, 1], [0, 1], [0, 1], unit="row"),
        ValueError,
        r"`unit` to be one of",
    ),
    (lambda: cu.diebold_mariano_test([1.0, np.nan], [1.0, 2]), ValueError, r"`errors_a` to be fin"),
    (
        lambda: cu.mean_absolute_scaled_error([1.0], [1.0], y_train=[1.0, 2.0], seasonality=0.5),
        TypeError,
        r"`seasonality` to be an int",
    ),
    (
        lambda: cu.mean_absolute_scaled_error([1.0], [1.0], y_train=[1.0, 2.0], seasonality=0),
        ValueError,
        r"`seasonality` to be a positive int",
    ),
    (
        lambda: cu.mean_absolute_scaled_error([1.0], [1.0], y_train=[1.0, 2.0], seasonality=2),
        ValueError,
        r"more than `seasonality` = 2 steps",
    ),
    (
        lambda: cu.mean_absolute_scaled_error([1.0], [1.0], y_train=[3.0, 3.0]),
        ValueError,
        r"scale is 0",
    ),
    (
        lambda: cu.mean_absolute_scaled_error(
            [1.0], [1.0], y_train=np.ones((3, 2)) * [[1], [2], [3]]
        ),
        ValueError,
        r"one column per output \(1\)",
    ),
    (
        lambda: cu.bootstrap_ci(cu.mean_absolute_error, [1.0, 2], [1.0, 2], block_length=3),
        ValueError,
        r"`block_length` to be in \[1, 2\]",
    ),
    (
        lambda: cu.paired_bootstrap_ci(
            cu.mean_absolute_error, [1.0, 2], [1.0, 2], [1.0, 2], block_length=1.5
        ),
        TypeError,
        r"`block_length` to be an int",
    ),
]


@pytest.mark.parametrize(("call", "error", "match"), BAD)
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
