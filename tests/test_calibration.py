"""Recalibrators, cost thresholds and prior-shift helpers, against scikit-learn and by hand."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn import metrics as sk
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from course_utils.calibration import (
    IsotonicCalibrator,
    PlattCalibrator,
    TemperatureCalibrator,
    adjust_for_prevalence,
    cost_threshold,
    costs_at_thresholds,
    fit_calibrator,
    precision_at_prevalence,
    threshold_for_prevalence,
)


def miscalibrated(n=4000, prevalence=0.1, seed=0, shift=1.5, slope=2.0):
    """Labels and over-confident, shifted probabilities: true log-odds z, reported slope*z+shift."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < prevalence).astype(np.int64)
    z = rng.normal(size=n) + 2.0 * y + np.log(prevalence / (1 - prevalence)) - 1.0
    p = 1 / (1 + np.exp(-(slope * z + shift)))
    return y, p


def logit(p):
    return np.log(p / (1 - p))


def test_platt_matches_unpenalised_logistic_regression():
    y, p = miscalibrated()
    platt = PlattCalibrator().fit(y, p)
    lr = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(logit(p)[:, None], y)
    assert platt.coef_ == pytest.approx(lr.coef_[0, 0], rel=1e-4)
    assert platt.intercept_ == pytest.approx(lr.intercept_[0], rel=1e-4, abs=1e-5)
    np.testing.assert_allclose(
        platt.predict(p), lr.predict_proba(logit(p)[:, None])[:, 1], rtol=1e-4
    )


def test_recalibration_improves_held_out_scores_and_keeps_the_ranking():
    y, p = miscalibrated(seed=0)
    y_test, p_test = miscalibrated(seed=1)
    before = sk.log_loss(y_test, p_test)
    for method in ("platt", "temperature", "isotonic"):
        q = fit_calibrator(method, y, p).predict(p_test)
        assert q.shape == p_test.shape and np.all((q >= 0) & (q <= 1))
        assert sk.brier_score_loss(y_test, q) < sk.brier_score_loss(y_test, p_test), method
        if method != "isotonic":  # isotonic's exact 0s and 1s can cost log loss
            assert sk.log_loss(y_test, q) < before, method
            # monotone: the ranking and ROC AUC are unchanged
            assert sk.roc_auc_score(y_test, q) == pytest.approx(sk.roc_auc_score(y_test, p_test))


def test_platt_recovers_a_known_distortion():
    rng = np.random.default_rng(3)
    z = rng.normal(size=200_000) * 2
    y = (rng.random(z.size) < 1 / (1 + np.exp(-z))).astype(int)
    p = 1 / (1 + np.exp(-(0.5 * z - 1.0)))  # reported log-odds 0.5 z - 1
    platt = PlattCalibrator().fit(y, p)
    assert platt.coef_ == pytest.approx(2.0, rel=0.03)
    assert platt.intercept_ == pytest.approx(2.0, rel=0.05)
    temp = TemperatureCalibrator().fit(y, 1 / (1 + np.exp(-3 * z)))  # over-confident by 3
    assert temp.temperature_ == pytest.approx(3.0, rel=0.03)


def test_isotonic_matches_sklearn():
    y, p = miscalibrated(n=800)
    ours = IsotonicCalibrator().fit(y, p)
    ref = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(p, y)
    grid = np.linspace(0, 1, 101)
    np.testing.assert_allclose(ours.predict(grid), ref.predict(grid))


def test_multiclass_temperature():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3000, 4)) * 3
    y = np.array([rng.choice(4, p=np.exp(r) / np.exp(r).sum()) for r in logits])
    over = np.exp(2 * logits)
    over /= over.sum(axis=1, keepdims=True)  # over-confident by a factor 2
    temp = TemperatureCalibrator().fit(y, over)
    assert temp.temperature_ == pytest.approx(2.0, rel=0.1)
    q = temp.predict(over)
    np.testing.assert_allclose(q.sum(axis=1), 1)
    assert (q.argmax(axis=1) == over.argmax(axis=1)).all()
    assert sk.log_loss(y, q) < sk.log_loss(y, over)


def test_cost_threshold_and_costs_at_thresholds():
    assert cost_threshold(cost_fp=5, cost_fn=1) == pytest.approx(5 / 6)
    assert cost_threshold(cost_fp=0, cost_fn=3) == 0
    y, p = miscalibrated(n=500)
    grid = np.linspace(-0.1, 1.1, 57)
    got = costs_at_thresholds(y, p, grid, cost_fp=5, cost_fn=1)
    for t, c in zip(grid, got, strict=True):
        _, fp, fn, _ = sk.confusion_matrix(y, (p >= t).astype(int), labels=[0, 1]).ravel()
        assert c == 5 * fp + fn


def test_cost_threshold_is_optimal_for_calibrated_probabilities():
    rng = np.random.default_rng(1)
    p = rng.random(200_000)
    y = (rng.random(p.size) < p).astype(int)  # calibrated by construction
    grid = np.linspace(0.01, 0.99, 99)
    costs = costs_at_thresholds(y, p, grid, cost_fp=5, cost_fn=1)
    assert abs(grid[costs.argmin()] - cost_threshold(cost_fp=5, cost_fn=1)) <= 0.02


def test_prior_shift_by_simulation():
    rng = np.random.default_rng(2)

    def sample(n, prevalence):
        y = (rng.random(n) < prevalence).astype(int)
        x = rng.normal(size=n) + 1.5 * y
        return y, x

    def posterior(x, prevalence):  # exact P(y=1 | x) for two unit Gaussians 1.5 apart
        log_lr = 1.5 * x - 1.125
        return 1 / (1 + np.exp(-(log_lr + np.log(prevalence / (1 - prevalence)))))

    y_new, x_new = sample(400_000, 0.02)
    p_old = posterior(x_new, 0.3)  # calibrated for 30% positives, deployed at 2%
    adjusted = adjust_for_prevalence(p_old, prevalence=0.3, new_prevalence=0.02)
    np.testing.assert_allclose(adjusted, posterior(x_new, 0.02), rtol=1e-9)
    t_new = threshold_for_prevalence(0.5, prevalence=0.3, new_prevalence=0.02)
    assert t_new > 0.5
    assert np.array_equal(p_old >= t_new, adjusted >= 0.5 - 1e-12) or (
        np.mean((p_old >= t_new) != (adjusted >= 0.5)) < 1e-5
    )
    # precision at a fixed (TPR, FPR) follows the formula
    blocked = p_old >= t_new
    tpr, fpr = blocked[y_new == 1].mean(), blocked[y_new == 0].mean()
    measured = y_new[blocked].mean()
    assert precision_at_prevalence(tpr, fpr, prevalence=y_new.mean()) == pytest.approx(
        measured, rel=1e-9
    )
    assert np.isnan(precision_at_prevalence(0.0, 0.0, prevalence=0.1))


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda: PlattCalibrator().fit([0, 1], [0.2, 1.3]), ValueError, "probabilities in [0, 1]"),
        (lambda: PlattCalibrator().fit([1, 1], [0.2, 0.3]), ValueError, "both classes"),
        (lambda: PlattCalibrator().fit([0, 2], [0.2, 0.3]), ValueError, "binary labels"),
        (lambda: PlattCalibrator().fit([0, 1, 0], [0.2, 0.3]), ValueError, "shape (2,)"),
        (
            lambda: PlattCalibrator().fit([0, 1], [[0.2, 0.8], [0.3, 0.7]]),
            ValueError,
            "proba[:, 1]",
        ),
        (lambda: PlattCalibrator().predict([0.2]), ValueError, "not fitted"),
        (lambda: IsotonicCalibrator().predict([0.2]), ValueError, "not fitted"),
        (lambda: fit_calibrator("beta", [0, 1], [0.1, 0.9]), ValueError, "`method`"),
        (lambda: PlattCalibrator().fit([0, 1], [0.2, float("nan")]), ValueError, "y_prob"),
        (
            lambda: TemperatureCalibrator().fit([0, 3], [[0.5, 0.5], [0.4, 0.6]]),
            ValueError,
            "columns",
        ),
        (lambda: cost_threshold(cost_fp=0, cost_fn=0), ValueError, "both are 0"),
        (lambda: cost_threshold(cost_fp=-1, cost_fn=1), ValueError, "`cost_fp`"),
        (lambda: cost_threshold(cost_fp="5", cost_fn=1), TypeError, "`cost_fp`"),
        (
            lambda: adjust_for_prevalence([0.5], prevalence=5, new_prevalence=0.1),
            ValueError,
            "Divide by 100",
        ),
        (
            lambda: adjust_for_prevalence([0.5], prevalence=0.0, new_prevalence=0.1),
            ValueError,
            "`prevalence`",
        ),
        (
            lambda: threshold_for_prevalence(1.5, prevalence=0.1, new_prevalence=0.2),
            ValueError,
            "`threshold`",
        ),
        (lambda: precision_at_prevalence([1.2], [0.1], prevalence=0.1), ValueError, "`tpr`"),
        (
            lambda: costs_at_thresholds([0, 1], [0.2], [0.5], cost_fp=1, cost_fn=1),
            ValueError,
            "same shape",
        ),
    ],
)
def test_bad_input(call, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)):
        call()


def test_repr():
    assert repr(PlattCalibrator()) == "PlattCalibrator()"
    y, p = miscalibrated(n=300)
    assert repr(TemperatureCalibrator().fit(y, p)).startswith("TemperatureCalibrator(temperature_=")
    assert repr(IsotonicCalibrator().fit(y, p)).startswith("IsotonicCalibrator(steps=")
