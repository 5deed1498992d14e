"""McNemar, proportion intervals, Diebold-Mariano, MASE and the block bootstrap, each against an
independent reference: statsmodels, SciPy, or the formula computed by hand in the test."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
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


# ----------------------------------------------------------------- Diebold-Mariano


def dm_by_hand(e1, e2, h, power):
    """R's forecast::dm.test (acf variance, HLN correction, t with n-1 df), written out."""
    d = np.abs(e1) ** power - np.abs(e2) ** power
    n = len(d)
    dbar = sum(d) / n
    gammas = [sum((d[t] - dbar) * (d[t - k] - dbar) for t in range(k, n)) / n for k in range(h)]
    var = (gammas[0] + 2 * sum(gammas[1:])) / n
    if var <= 0:  # R warns and proceeds with h = 1
        return dm_by_hand(e1, e2, 1, power)
    dm = dbar / math.sqrt(var)
    k = math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    stat = dm * k
    return stat, 2 * ss.t.cdf(-abs(stat), df=n - 1)


@pytest.mark.parametrize("horizon", [1, 2, 3, 6])
@pytest.mark.parametrize("loss", ["absolute", "squared"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_diebold_mariano_matches_the_formula(horizon, loss, seed):
    rng = np.random.default_rng(seed)
    e1 = rng.normal(0, 1, 40).cumsum() * 0.3 + rng.normal(0, 1, 40)
    e2 = rng.normal(0, 1.3, 40)
    power = 1 if loss == "absolute" else 2
    stat, pvalue = dm_by_hand(e1, e2, horizon, power)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = cu.diebold_mariano_test(e1, e2, horizon=horizon, loss=loss)
    assert ours.statistic == pytest.approx(stat, rel=1e-10)
    assert ours.pvalue == pytest.approx(pvalue, rel=1e-10)
    fell_back = [w for w in caught if "proceeding with horizon=1" in str(w.message)]
    assert ours.horizon == (1 if fell_back else horizon)
    assert len(caught) == len(fell_back)
    assert ours.mean_difference == pytest.approx(np.mean(np.abs(e1) ** power - np.abs(e2) ** power))


def test_diebold_mariano_horizon_one_is_a_paired_t_test():
    # For h = 1 the HLN-corrected DM equals the one-sample t test of d (variance with n - 1).
    rng = np.random.default_rng(3)
    e1, e2 = rng.normal(0, 1, 30), rng.normal(0, 1.5, 30)
    d = np.abs(e1) - np.abs(e2)
    ours = cu.diebold_mariano_test(e1, e2)
    theirs = ss.ttest_1samp(d, 0.0)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-10)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-10)
    assert "Diebold-Mariano" in str(ours)


def test_diebold_mariano_falls_back_to_horizon_one_when_variance_is_not_positive():
    d = np.tile([1.0, -1.0], 10)  # strongly negative lag-1 autocovariance
    e1, e2 = 2 + d, np.full(20, 2.0)
    with pytest.warns(UserWarning, match="proceeding with horizon=1"):
        result = cu.diebold_mariano_test(e1, e2, horizon=2)
    assert result.horizon == 1
    assert result.statistic == pytest.approx(cu.diebold_mariano_test(e1, e2).statistic)


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
