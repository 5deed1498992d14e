"""Seed summaries and differences against SciPy and statsmodels; the sign-test rule; the
two-level bootstrap by hand and against the variance it should have."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

import course_utils.metrics as cu

PROPERTY = settings(max_examples=60, deadline=None)
values = st.lists(st.floats(-100, 100, allow_nan=False), min_size=2, max_size=30)


@PROPERTY
@given(values, st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_seed_summary_is_the_t_interval_of_statsmodels(v, confidence):
    summary = cu.seed_summary(v, confidence=confidence)
    stats = DescrStatsW(np.array(v))
    assert summary.mean == pytest.approx(stats.mean, abs=1e-12)
    assert summary.sd == pytest.approx(np.std(v, ddof=1), rel=1e-10, abs=1e-12)
    assert summary.n == len(v) and summary.se == pytest.approx(stats.std_mean, abs=1e-12)
    if stats.std_mean > 1e-9:
        np.testing.assert_allclose(
            [summary.low, summary.high], stats.tconfint_mean(alpha=1 - confidence), rtol=1e-9
        )


def test_seed_table_rows_and_frame():
    table = cu.seed_summary({"gru": [0.9, 0.92, 0.91], "rnn": [0.7, 0.5, 0.8, 0.6]})
    assert table["rnn"].n == 4 and table["gru"].mean == pytest.approx(0.91)
    frame = table.to_frame()
    assert list(frame.index) == ["gru", "rnn"]
    assert list(frame.columns) == ["mean", "sd", "n", "se", "low", "high", "confidence"]
    from_frame = cu.seed_summary(pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [0.0, 1.0, 1.0]}))
    assert from_frame["a"].mean == pytest.approx(7 / 3)
    assert cu.seed_summary([1.0, 2.0]).to_frame().loc[0, "n"] == 2
    assert cu.seed_summary(pd.Series([1.0, 2.0, 4.0])).mean == pytest.approx(7 / 3)  # 1-D
    assert "gru" in repr(table)


def test_seed_summary_bad_input():
    with pytest.raises(ValueError, match="at least 2 seeds"):
        cu.seed_summary([0.9])
    with pytest.raises(ValueError, match="finite"):
        cu.seed_summary([0.9, np.nan])
    with pytest.raises(ValueError, match=r"`confidence` to be a float in \(0"):
        cu.seed_summary([0.9, 0.8], confidence=95)
    with pytest.raises(ValueError, match=r"values\['b'\]"):
        cu.seed_summary({"a": [1.0, 2.0], "b": [1.0]})


@PROPERTY
@given(st.integers(2, 20), st.integers(0, 10_000))
def test_paired_difference_is_scipys_paired_t_test(n, seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 1, n)
    b = a + rng.normal(0.3, 0.5, n)
    ours = cu.paired_seed_difference(a, b, confidence=0.9)
    theirs = ss.ttest_rel(a, b)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-9)
    np.testing.assert_allclose([ours.low, ours.high], theirs.confidence_interval(0.9), rtol=1e-9)
    assert ours.paired and ours.df == n - 1
    np.testing.assert_allclose(ours.differences, a - b)
    d = a - b
    k, m = int((d > 0).sum()), int((d != 0).sum())
    assert ours.sign_pvalue == pytest.approx(ss.binomtest(k, m).pvalue)


@PROPERTY
@given(st.integers(2, 15), st.integers(2, 15), st.integers(0, 10_000))
def test_unpaired_difference_is_welch(n_a, n_b, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(0.5, 1, n_a), rng.normal(0, 2, n_b)
    ours = cu.unpaired_seed_difference(a, b)
    theirs = ss.ttest_ind(a, b, equal_var=False)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-9)
    np.testing.assert_allclose([ours.low, ours.high], theirs.confidence_interval(0.95), rtol=1e-9)
    sm_low, sm_high = CompareMeans.from_data(a, b).tconfint_diff(usevar="unequal")
    np.testing.assert_allclose([ours.low, ours.high], [sm_low, sm_high], rtol=1e-9)
    assert not ours.paired and ours.differences is None and (ours.n_a, ours.n_b) == (n_a, n_b)


def test_differences_read_and_refuse():
    d = cu.paired_seed_difference([1.0, 2.0, 3.0], [0.0, 1.0, 1.5])
    assert d.excludes_zero and "paired" in str(d)
    assert list(d.to_frame().columns)[:3] == ["difference", "se", "df"]
    with pytest.raises(ValueError, match="Unequal counts cannot pair"):
        cu.paired_seed_difference([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="every value within each is equal"):
        cu.unpaired_seed_difference([1.0, 1.0], [2.0, 2.0])
    same = cu.paired_seed_difference([1.0, 2.0], [0.0, 1.0])  # constant difference
    assert same.pvalue == 0.0 and same.se == 0.0


def test_sign_test_and_the_seeds_a_claim_needs():
    # Five of five: p = 2 / 32 = 0.0625, never below 0.05 (issue 26).
    assert cu.sign_test(np.ones(5)).pvalue == pytest.approx(0.0625)
    assert cu.sign_test(np.ones(6)).pvalue == pytest.approx(2 / 64)
    assert cu.sign_test(np.ones(5), alternative="greater").pvalue == pytest.approx(1 / 32)
    result = cu.sign_test([1.0, -2.0, 0.0, 3.0])
    assert (result.n_positive, result.n_negative, result.n_ties) == (2, 1, 1)
    assert result.pvalue == pytest.approx(ss.binomtest(2, 3).pvalue)
    assert cu.sign_test([0.0, 0.0]).pvalue == 1.0
    for losses in range(4):
        for alternative, factor in (("two-sided", 2), ("greater", 1)):
            n = cu.min_seeds_for_sign_test(losses=losses, alternative=alternative)
            best = factor * ss.binom.cdf(losses, n, 0.5)
            below = factor * ss.binom.cdf(losses, n - 1, 0.5)
            assert best <= 0.05 < below
    assert cu.min_seeds_for_sign_test() == 6
    assert cu.min_seeds_for_sign_test(alpha=0.01) == 8


# ------------------------------------------------------------ two-level bootstrap


def seed_predictions(seed, n_rows=50, n_seeds=4, good=0.85, bad=0.7):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n_rows)

    def runs(quality):
        return [np.where(rng.random(n_rows) < quality, y, 1 - y) for _ in range(n_seeds)]

    return y, runs(good), runs(bad)


def test_two_level_bootstrap_by_hand():
    y, a, b = seed_predictions(0, n_seeds=3)
    b = [*b, b[0]]  # B may have another number of seeds
    result = cu.two_level_bootstrap_ci(cu.accuracy_score, y, a, b, n_resamples=30, seed=7)
    assert result.estimate == pytest.approx(
        np.mean([cu.accuracy_score(y, p) for p in a])
        - np.mean([cu.accuracy_score(y, p) for p in b])
    )
    rows_rng, seeds_rng = np.random.default_rng(7), np.random.default_rng([7, 1])
    for sample in result.samples:
        rows = rows_rng.integers(0, y.size, y.size)
        drawn_a = seeds_rng.integers(0, 3, 3)
        drawn_b = seeds_rng.integers(0, 4, 4)
        expected = np.mean([cu.accuracy_score(y[rows], a[s][rows]) for s in drawn_a]) - np.mean(
            [cu.accuracy_score(y[rows], b[s][rows]) for s in drawn_b]
        )
        assert sample == pytest.approx(expected, abs=1e-12)


def test_two_level_bootstrap_separates_a_real_architecture_gap():
    y, a, b = seed_predictions(1, n_rows=80, n_seeds=8)
    both = cu.two_level_bootstrap_ci(cu.accuracy_score, y, a, b, n_resamples=400)
    assert both.low > 0  # 0.85 against 0.7 on 80 sequences and 8 seeds
    y, a, b = seed_predictions(1, n_rows=80, n_seeds=8, good=0.8, bad=0.8)
    none = cu.two_level_bootstrap_ci(cu.accuracy_score, y, a, b, n_resamples=400)
    assert none.low < 0 < none.high


def test_two_level_bootstrap_variance_is_seed_plus_row_variance():
    # For a mean-type metric, Var(diff) ~ s_a^2/n_a + s_b^2/n_b (seeds, shrunk by (n-1)/n in the
    # bootstrap) + the row-level variance of the seed-averaged difference.
    rng = np.random.default_rng(3)
    n_rows, n_seeds = 200, 10
    y = np.zeros(n_rows)
    shift_a, shift_b = rng.normal(0, 0.3, n_seeds), rng.normal(0, 0.3, n_seeds)
    a = [y + s + rng.normal(0, 1, n_rows) for s in shift_a]
    b = [y + s + rng.normal(0, 1, n_rows) for s in shift_b]

    def mean_error(y_true, y_pred):
        return float(np.mean(y_pred - y_true))

    result = cu.two_level_bootstrap_ci(mean_error, y, a, b, n_resamples=3000)
    per_seed_a = np.array([np.mean(p) for p in a])
    per_seed_b = np.array([np.mean(p) for p in b])
    seed_var = (per_seed_a.var() + per_seed_b.var()) / n_seeds  # ddof=0: the bootstrap's
    row_diff = np.mean(a, axis=0) - np.mean(b, axis=0)
    row_var = row_diff.var() / n_rows
    assert result.samples.var() == pytest.approx(seed_var + row_var, rel=0.12)


def test_two_level_bootstrap_paired_and_bad_input():
    y, a, b = seed_predictions(2)
    paired = cu.two_level_bootstrap_ci(cu.accuracy_score, y, a, b, paired=True, n_resamples=20)
    seeds_rng = np.random.default_rng([0, 1])
    rows_rng = np.random.default_rng(0)
    for sample in paired.samples[:5]:
        rows = rows_rng.integers(0, y.size, y.size)
        drawn = seeds_rng.integers(0, 4, 4)
        expected = np.mean(
            [
                cu.accuracy_score(y[rows], a[s][rows]) - cu.accuracy_score(y[rows], b[s][rows])
                for s in drawn
            ]
        )
        assert sample == pytest.approx(expected, abs=1e-12)
    stacked = cu.two_level_bootstrap_ci(
        cu.accuracy_score, y, np.stack(a), np.stack(b), paired=True, n_resamples=20
    )
    np.testing.assert_array_equal(stacked.samples, paired.samples)
    with pytest.raises(ValueError, match="Unequal counts cannot pair"):
        cu.two_level_bootstrap_ci(cu.accuracy_score, y, a, b[:3], paired=True)
    with pytest.raises(ValueError, match="at least 2 seeds"):
        cu.two_level_bootstrap_ci(cu.accuracy_score, y, a[:1], b)
    with pytest.raises(ValueError, match=r"`y_pred_b\[1\]` to have the shape of `y_true`"):
        cu.two_level_bootstrap_ci(cu.accuracy_score, y, a, [b[0], b[1][:10]])
    with pytest.raises(ValueError, match=r"\(n_seeds, 50, \.\.\.\)"):
        cu.two_level_bootstrap_ci(cu.accuracy_score, y, np.stack(a)[:, :10], b)
    with pytest.raises(TypeError, match="`paired` to be a bool"):
        cu.two_level_bootstrap_ci(cu.accuracy_score, y, a, b, paired="yes")
    with pytest.raises(TypeError, match="list of per-seed predictions"):
        cu.two_level_bootstrap_ci(cu.accuracy_score, y, 3, b)


def test_two_level_bootstrap_blocks_for_a_series():
    rng = np.random.default_rng(4)
    months = 36
    actual = np.cumsum(rng.normal(size=months))
    gru = [actual + rng.normal(0, 1, months) for _ in range(3)]
    rnn = [actual + rng.normal(0, 1.5, months) for _ in range(3)]
    result = cu.two_level_bootstrap_ci(
        cu.mean_absolute_error, actual, gru, rnn, block_length=6, n_resamples=50
    )
    assert (result.block, result.block_length) == ("circular", 6)
    assert math.isfinite(result.low)
