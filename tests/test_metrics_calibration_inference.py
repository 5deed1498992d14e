"""Calibration slope and intercept against statsmodels' GLM; ECE's reference distribution
against the package's own ECE and the exact binomial expectation; the prior-shift EM
estimate against a direct maximisation of the same likelihood and against the truth."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.stats as ss
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

import course_utils.metrics as cu

PROPERTY = settings(max_examples=40, deadline=None)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# ------------------------------------------------------------- slope and intercept


@PROPERTY
@given(st.integers(0, 10_000), st.integers(60, 600), st.floats(0.3, 2.5), st.floats(-1, 1))
def test_calibration_slope_intercept_match_statsmodels_glm(seed, n, power, shift):
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 1.5, n)
    y = (rng.random(n) < sigmoid(logits)).astype(int)
    p = sigmoid(power * logits + shift)
    fit = cu.calibration_slope_intercept(y, p, confidence=0.9)
    x = np.log(p) - np.log1p(-p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        slope_model = sm.GLM(y, sm.add_constant(x), family=sm.families.Binomial()).fit(
            tol=1e-14, maxiter=200
        )
        offset_model = sm.GLM(y, np.ones((n, 1)), family=sm.families.Binomial(), offset=x).fit(
            tol=1e-14, maxiter=200
        )
    assert fit.slope == pytest.approx(slope_model.params[1], rel=1e-7, abs=1e-9)
    assert fit.slope_se == pytest.approx(slope_model.bse[1], rel=1e-6)
    np.testing.assert_allclose(
        [fit.slope_low, fit.slope_high], slope_model.conf_int(alpha=0.1)[1], rtol=1e-6, atol=1e-9
    )
    assert fit.intercept == pytest.approx(offset_model.params[0], rel=1e-7, abs=1e-9)
    assert fit.intercept_se == pytest.approx(offset_model.bse[0], rel=1e-6)
    np.testing.assert_allclose(
        [fit.intercept_low, fit.intercept_high],
        offset_model.conf_int(alpha=0.1)[0],
        rtol=1e-6,
        atol=1e-9,
    )
    assert fit.n == n


def test_calibration_slope_reads_overconfidence_and_its_frame():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 1.5, 5000)
    y = rng.random(5000) < sigmoid(logits)
    calibrated = cu.calibration_slope_intercept(y, sigmoid(logits))
    assert calibrated.slope_low < 1 < calibrated.slope_high
    assert calibrated.intercept_low < 0 < calibrated.intercept_high
    overconfident = cu.calibration_slope_intercept(y, sigmoid(2 * logits))
    assert overconfident.slope_high < 0.6  # the logits are twice too large: slope 1/2
    too_many_positives = cu.calibration_slope_intercept(y, sigmoid(logits + 1))
    assert too_many_positives.intercept_high < -0.8
    frame = calibrated.to_frame()
    assert list(frame["parameter"]) == ["slope", "intercept"]
    assert list(frame["ideal"]) == [1.0, 0.0]
    assert "calibration slope" in str(calibrated)


def test_calibration_slope_intercept_edges():
    y = np.array([0, 1, 0, 1, 1, 0, 1, 0])
    p = np.array([0.0, 1.0, 0.3, 0.6, 0.4, 0.7, 0.5, 0.2])  # 0 and 1 are clipped
    fit = cu.calibration_slope_intercept(y, p)
    assert np.isfinite([fit.slope, fit.intercept]).all()
    padded = cu.calibration_slope_intercept(
        np.stack([y, 1 - y]), np.stack([p, np.full(8, np.nan)]), lengths=[8, 0]
    )
    assert padded.slope == pytest.approx(fit.slope) and padded.n == 8
    with pytest.raises(ValueError, match="separate the classes"):
        cu.calibration_slope_intercept([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    with pytest.raises(ValueError, match="both classes"):
        cu.calibration_slope_intercept([1, 1, 1], [0.1, 0.2, 0.8])
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        cu.calibration_slope_intercept([0, 1, 1], [0.1, 1.2, 0.8])
    with pytest.raises(ValueError, match="two classes"):
        cu.calibration_slope_intercept([0, 1, 2], [0.1, 0.2, 0.8])


# ------------------------------------------------------------------ ECE reference


def test_ece_reference_draws_are_the_packages_ece_of_labels_drawn_from_the_scores():
    rng = np.random.default_rng(0)
    p = rng.beta(2, 5, 300)
    for strategy in ("uniform", "quantile"):
        ref = cu.ece_reference(p, n_bins=8, strategy=strategy, n_resamples=30, seed=4)
        draws = np.random.default_rng(4)
        order = np.argsort(
            np.searchsorted(
                np.linspace(0, 1, 9)[1:-1]
                if strategy == "uniform"
                else np.percentile(p, np.linspace(0, 100, 9))[1:-1],
                p,
            ),
            kind="stable",
        )
        p_sorted = p[order]
        expected = [
            cu.expected_calibration_error(
                (draws.random(300) < p_sorted).astype(int), p_sorted, n_bins=8, strategy=strategy
            )
            for _ in range(30)
        ]
        np.testing.assert_allclose(ref.samples, expected, rtol=1e-12, atol=1e-15)
        assert ref.mean == pytest.approx(np.mean(expected))


@pytest.mark.parametrize(("n", "prob"), [(40, 0.5), (200, 0.15)])
def test_ece_reference_mean_is_the_exact_binomial_expectation(n, prob):
    # One bin holding n scores all equal to prob: ECE = |K/n - prob| with K ~ Binomial.
    exact = ss.binom.pmf(np.arange(n + 1), n, prob) @ np.abs(np.arange(n + 1) / n - prob)
    ref = cu.ece_reference(np.full(n, prob), n_bins=1, n_resamples=20000, seed=1)
    assert ref.mean == pytest.approx(exact, rel=0.03)
    assert ref.mean > 0  # the upward bias: a perfectly calibrated model's ECE is not 0


def test_ece_reference_with_labels_tells_noise_from_miscalibration():
    rng = np.random.default_rng(0)
    p = rng.random(2000)
    calibrated = (rng.random(2000) < p).astype(int)
    ref = cu.ece_reference(p, y_true=calibrated, n_resamples=500)
    assert ref.observed == pytest.approx(cu.expected_calibration_error(calibrated, p))
    assert ref.pvalue > 0.01
    assert abs(ref.debiased) < ref.observed  # most of the observed ECE is bias
    skewed = (rng.random(2000) < p**1.5).astype(int)
    bad = cu.ece_reference(p, y_true=skewed, n_resamples=500)
    assert bad.pvalue < 0.01 and bad.debiased > bad.quantile(0.95)
    assert "observed" in str(bad) and bad.to_frame().loc[0, "observed"] == bad.observed


def test_debiased_ece_is_closer_to_the_truth_on_average():
    # Scores with a known miscalibration: the true ECE with these bins is computable.
    rng = np.random.default_rng(1)
    errors_plain, errors_debiased = [], []
    for _ in range(40):
        p = rng.random(400)
        truth_prob = np.clip(p + 0.04, 0, 1)
        y = (rng.random(400) < truth_prob).astype(int)
        bins = np.minimum((p * 10).astype(int), 9)
        true_ece = (
            sum(abs(truth_prob[bins == b].sum() - p[bins == b].sum()) for b in range(10)) / 400
        )
        ref = cu.ece_reference(p, y_true=y, n_resamples=200, seed=2)
        errors_plain.append(ref.observed - true_ece)
        errors_debiased.append(ref.debiased - true_ece)
    assert abs(np.mean(errors_debiased)) < 0.5 * abs(np.mean(errors_plain))


def test_ece_reference_bad_input():
    with pytest.raises(ValueError, match=r"`n_bins` to be an int \[1, 10000\]"):
        cu.ece_reference([0.2, 0.4], n_bins=10**9)
    with pytest.raises(TypeError, match="`n_resamples` to be an int"):
        cu.ece_reference([0.2, 0.4], n_resamples="10")
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        cu.ece_reference([0.2, 1.4])
    with pytest.raises(ValueError, match="`strategy` to be one of"):
        cu.ece_reference([0.2, 0.4], strategy="equal")


# -------------------------------------------------------------------- prior shift


def log_likelihood(prior, p, train_prior):
    return np.log(p * prior / train_prior + (1 - p) * (1 - prior) / (1 - train_prior)).sum()


@PROPERTY
@given(st.integers(0, 10_000), st.floats(0.05, 0.95), st.floats(0.1, 0.9))
def test_em_prior_is_the_maximum_likelihood_estimate(seed, new_prior, train_prior):
    rng = np.random.default_rng(seed)
    y = rng.random(3000) < new_prior
    logit = rng.normal(np.where(y, 1.0, -1.0), 1.0)
    # calibrated for the training prior: log-odds 2x + log(train_prior / (1 - train_prior))
    p = sigmoid(2 * logit + np.log(train_prior / (1 - train_prior)))
    result = cu.estimate_prior_shift(p, train_prior=train_prior)
    best = minimize_scalar(
        lambda q: -log_likelihood(q, p, train_prior),
        bounds=(1e-9, 1 - 1e-9),
        method="bounded",
        options={"xatol": 1e-12},
    )
    assert result.converged
    assert result.prior == pytest.approx(best.x, abs=1e-5)
    assert result.adjusted_prob.mean() == pytest.approx(result.prior, abs=1e-8)
    np.testing.assert_allclose(
        result.adjusted_prob,
        cu.adjust_to_prior(p, train_prior=train_prior, prior=result.prior),
    )


def test_em_recovers_the_deployment_share():
    rng = np.random.default_rng(0)
    estimates = []
    for _ in range(20):
        y = rng.random(5000) < 0.1
        logit = rng.normal(np.where(y, 1.2, -1.2), 1.0)
        p = sigmoid(2 * 1.2 * logit)  # calibrated for a balanced training set
        estimates.append(cu.estimate_prior_shift(p, train_prior=0.5).prior)
    assert np.mean(estimates) == pytest.approx(0.1, abs=0.005)
    assert "estimated share of positives" in str(
        cu.estimate_prior_shift(p, train_prior=0.5, mask=np.ones(5000, bool))
    )


def test_adjust_to_prior_by_bayes_rule():
    p = np.array([0.1, 0.5, 0.9])
    out = cu.adjust_to_prior(p, train_prior=0.5, prior=0.2)
    odds = p / (1 - p) * (0.2 / 0.8)
    np.testing.assert_allclose(out, odds / (1 + odds))
    np.testing.assert_allclose(cu.adjust_to_prior(p, train_prior=0.3, prior=0.3), p)


def test_prior_shift_bad_input_and_non_convergence():
    with pytest.raises(ValueError, match=r"`train_prior` to be a float in \(0"):
        cu.estimate_prior_shift([0.2, 0.4], train_prior=1.0)
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        cu.estimate_prior_shift([0.2, 1.4], train_prior=0.5)
    with pytest.warns(UserWarning, match="did not converge in 2 iterations"):
        result = cu.estimate_prior_shift(np.full(50, 0.01), train_prior=0.5, max_iter=2)
    assert not result.converged
