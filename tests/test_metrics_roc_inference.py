"""DeLong's test and AUC intervals against an O(n^2) placement-value implementation written
here, scikit-learn's AUC, and a large bootstrap."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats as ss
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

import course_utils.metrics as cu

PROPERTY = settings(max_examples=60, deadline=None)


def delong_by_hand(y, scores):
    """DeLong et al. (1988) from the definition: psi(x, y) over every positive-negative pair."""
    y = np.asarray(y, bool)
    v10, v01 = [], []
    for s in scores:
        x, z = np.asarray(s)[y], np.asarray(s)[~y]
        psi = (x[:, None] > z[None, :]) + 0.5 * (x[:, None] == z[None, :])  # (m, n)
        v10.append(psi.mean(axis=1))
        v01.append(psi.mean(axis=0))
    v10, v01 = np.array(v10), np.array(v01)
    s = np.atleast_2d(np.cov(v10)) / y.sum() + np.atleast_2d(np.cov(v01)) / (~y).sum()
    return v10.mean(axis=1), s


def labelled_scores(seed, n=60, separation=1.0, ties=False):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    y[:2], y[2:4] = 0, 1
    a = rng.normal(separation * y, 1.0)
    b = 0.6 * a + rng.normal(0.4 * separation * y, 1.0)
    if ties:
        a, b = np.round(a, 0), np.round(b, 0)
    return y, a, b


@PROPERTY
@given(st.integers(0, 10_000), st.integers(6, 80), st.booleans())
def test_delong_matches_placement_values_by_hand(seed, n, ties):
    y, a, b = labelled_scores(seed, n, ties=ties)
    ours = cu.delong_test(y, a, b)
    aucs, s = delong_by_hand(y, [a, b])
    assert ours.auc_a == pytest.approx(skm.roc_auc_score(y, a), abs=1e-12)
    assert ours.auc_b == pytest.approx(aucs[1], abs=1e-12)
    variance = s[0, 0] + s[1, 1] - 2 * s[0, 1]
    if variance > 1e-12:
        assert ours.se == pytest.approx(math.sqrt(variance), rel=1e-9)
        z = (aucs[0] - aucs[1]) / math.sqrt(variance)
        assert ours.statistic == pytest.approx(z, rel=1e-9)
        assert ours.pvalue == pytest.approx(2 * ss.norm.sf(abs(z)), rel=1e-8, abs=1e-15)
    interval = cu.roc_auc_ci(y, a)
    assert interval.se == pytest.approx(math.sqrt(s[0, 0]), rel=1e-9)
    half = ss.norm.ppf(0.975) * interval.se
    assert interval.low == pytest.approx(max(0, aucs[0] - half), abs=1e-12)
    assert interval.high == pytest.approx(min(1, aucs[0] + half), abs=1e-12)


def test_delong_standard_errors_agree_with_a_large_bootstrap():
    y, a, b = labelled_scores(1, n=300)
    ours = cu.delong_test(y, a, b)
    rng = np.random.default_rng(0)

    def auc(labels, scores):  # Mann-Whitney U / (m n): the AUC, ties counted half
        pos, neg = scores[labels == 1], scores[labels == 0]
        return ss.mannwhitneyu(pos, neg).statistic / (pos.size * neg.size)

    diffs, aucs_a = [], []
    for _ in range(2000):
        rows = rng.integers(0, y.size, y.size)
        auc_a = auc(y[rows], a[rows])
        aucs_a.append(auc_a)
        diffs.append(auc_a - auc(y[rows], b[rows]))
    assert ours.se == pytest.approx(np.std(diffs, ddof=1), rel=0.1)
    assert cu.roc_auc_ci(y, a).se == pytest.approx(np.std(aucs_a, ddof=1), rel=0.1)
    boot = cu.roc_auc_ci(y, a, method="bootstrap", n_resamples=500)
    assert boot.method == "bootstrap" and boot.se == pytest.approx(np.std(aucs_a), rel=0.15)
    assert boot.estimate == pytest.approx(skm.roc_auc_score(y, a))
    assert "bootstrap" in str(boot)


def test_delong_test_has_its_level_under_the_null():
    # Two models with the same distribution of scores: p < 0.05 about 5% of the time.
    rejections = 0
    for seed in range(300):
        rng = np.random.default_rng(seed)
        y = rng.integers(0, 2, 80)
        common = rng.normal(0.8 * y, 1.0)
        a = common + rng.normal(0, 0.7, 80)
        b = common + rng.normal(0, 0.7, 80)
        rejections += cu.delong_test(y, a, b).pvalue < 0.05
    assert 0.02 < rejections / 300 < 0.09


def test_delong_ranks_integer_scores_as_integers():
    # Scores above 2**53 differ as integers but collide as floats.
    big = 2**60
    y = np.array([0, 1, 0, 1, 1, 0])
    a = np.array([big, big + 1, big + 2, big + 3, big + 5, big + 4], dtype=np.int64)
    b = np.array([1, 2, 3, 4, 6, 5], dtype=np.int64)  # the same order, small numbers
    assert cu.delong_test(y, a, b).difference == 0.0
    assert cu.roc_auc_ci(y, a).estimate == pytest.approx(skm.roc_auc_score(y, b), abs=1e-15)


def test_delong_identical_models_and_padding():
    y, a, _ = labelled_scores(0)
    same = cu.delong_test(y, a, a)
    assert (same.difference, same.statistic, same.pvalue) == (0.0, 0.0, 1.0)
    y2 = np.stack([y[:30], y[30:]])
    a2, b2 = np.stack([a[:30], a[30:]]), np.stack([-a[:30], a[30:]])
    lengths = np.array([20, 30])
    valid = np.arange(30) < lengths[:, None]
    ours = cu.delong_test(y2, a2, b2, lengths=lengths)
    flat = cu.delong_test(y2[valid], a2[valid], b2[valid])
    assert ours == flat
    assert "DeLong" in str(ours)


def test_delong_bad_input():
    with pytest.raises(ValueError, match="at least 2 positives and 2 negatives"):
        cu.delong_test([0, 0, 1], [0.1, 0.2, 0.3], [0.3, 0.2, 0.1])
    with pytest.raises(ValueError, match="two classes"):
        cu.delong_test([0, 1, 2, 1], [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match="`y_score_b` to be finite"):
        cu.delong_test([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4], [0.1, np.nan, 0.3, 0.4])
    with pytest.raises(ValueError, match="`y_true` and `y_score_a`"):
        cu.delong_test([0, 0, 1, 1], [0.1, 0.2, 0.3], [0.1, 0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match="`method` to be one of"):
        cu.roc_auc_ci([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4], method="hanley")
    with pytest.raises(ValueError, match=r"Use 0\.95"):
        cu.roc_auc_ci([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4], confidence=95)
