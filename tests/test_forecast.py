"""Many steps ahead: recursive forecasts and teacher forcing, quantile and Gaussian heads,
conformal intervals, the simple rivals and their bootstrapped paths, ETS and Theta, M1."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import course_utils.metrics as cu
from course_utils.data import (
    BASELINES,
    M1_YEARLY_HORIZON,
    baseline_forecasts,
    baseline_residuals,
    bootstrap_paths,
    load_m1_yearly,
    many_series_windows,
    naive_forecasts,
    origin_windows,
    sliding_windows,
)
from course_utils.forecast import (
    conformal_intervals,
    conformal_samples,
    ets_forecast,
    forecast_scores,
    gaussian_quantiles,
    recursive_forecast,
    theta_forecast,
)
from course_utils.models import Forecaster, GaussianForecaster, QuantileForecaster
from course_utils.training import fit, predict_forecast

PROPERTY = settings(max_examples=40, deadline=None)


# ------------------------------------------------------------------------- simple rivals


@PROPERTY
@given(st.integers(14, 40), st.integers(1, 30), st.integers(0, 2**16))
def test_baselines_match_their_textbook_formulas(n, horizon, seed):
    y = np.random.default_rng(seed).normal(size=n).cumsum() + 100
    m, h = 12, np.arange(1, horizon + 1)
    assert np.allclose(baseline_forecasts(y, horizon, method="naive"), y[-1])
    assert np.allclose(
        baseline_forecasts(y, horizon, method="drift"), y[-1] + h * (y[-1] - y[0]) / (n - 1)
    )
    k = (h - 1) // m  # FPP3 §5.2: y[T + h - m (k + 1)]
    assert np.allclose(
        baseline_forecasts(y, horizon, method="seasonal naive", season=m),
        y[n + h - m * (k + 1) - 1],
    )
    sdiff = baseline_forecasts(y, horizon, method="seasonal difference", season=m)
    # Up to one season ahead: last year's month plus the change over the last year.
    first = min(horizon, m)
    assert np.allclose(sdiff[:first], y[n - m + np.arange(first)] + y[-1] - y[-1 - m])


def test_one_step_seasonal_difference_is_the_chapters_rule():
    y = np.random.default_rng(0).normal(size=(5, 30)).cumsum(axis=1)
    one = baseline_forecasts(y, 1, method="seasonal difference", season=12)[:, 0]
    assert np.allclose(one, naive_forecasts(y, season=12)["seasonal difference"])


@pytest.mark.parametrize("method", BASELINES)
def test_residuals_are_the_one_step_errors(method):
    y = np.random.default_rng(1).normal(size=40).cumsum()
    res = baseline_residuals(y, method=method, season=4)
    n = len(res)
    if method != "drift":  # drift's residuals use the whole series' average change
        fitted = [
            baseline_forecasts(y[:t], 1, method=method, season=4)[0] for t in range(40 - n, 40)
        ]
        assert np.allclose(res, y[40 - n :] - fitted)
    else:
        assert abs(res.mean()) < 1e-12


def test_bootstrap_paths_spread_grows_and_centres_on_the_rule():
    y = np.random.default_rng(2).normal(size=200).cumsum()
    paths = bootstrap_paths(y, 8, method="naive", n_paths=4000, seed=0)
    assert paths.shape == (8, 4000)
    spread = paths.std(axis=1)
    assert np.all(np.diff(spread) > 0), "a random walk's uncertainty grows with the horizon"
    res = baseline_residuals(y, method="naive")
    # Variance adds up: sd at h is about sqrt(h) times the one-step sd.
    assert spread[-1] / spread[0] == pytest.approx(np.sqrt(8), rel=0.1)
    assert np.allclose(np.median(paths, axis=1), y[-1], atol=0.5), "centred on the forecast"
    raw = bootstrap_paths(y, 8, method="naive", n_paths=4000, seed=0, centre=False)
    assert np.allclose(raw.mean(axis=1), y[-1] + res.mean() * np.arange(1, 9), atol=0.5)
    drift = bootstrap_paths(y, 8, method="drift", n_paths=4000, seed=0)
    assert np.allclose(drift, raw), "naive with raw residuals is the drift rule's bootstrap"
    same = bootstrap_paths(y, 8, method="naive", n_paths=4000, seed=0)
    assert np.array_equal(paths, same), "seeded"


def test_bootstrap_paths_for_windows_with_given_residuals():
    x = np.arange(60.0).reshape(3, 20)
    paths = bootstrap_paths(x, 5, method="seasonal difference", season=4, residuals=[0.0])
    assert paths.shape == (3, 5, 1000)
    assert np.allclose(
        paths, baseline_forecasts(x, 5, method="seasonal difference", season=4)[..., None]
    )


def test_baseline_bad_input():
    with pytest.raises(ValueError, match="method"):
        baseline_forecasts(np.arange(5.0), 2, method="mean")
    with pytest.raises(ValueError, match="at least 13 steps"):
        baseline_forecasts(np.arange(5.0), 2, method="seasonal difference", season=12)
    with pytest.raises(ValueError, match="finite"):
        baseline_forecasts([1.0, np.nan], 2, method="naive")
    with pytest.raises(ValueError, match="residuals"):
        bootstrap_paths(np.arange(5.0), 2, method="naive", residuals=[])


def test_origin_windows_and_a_horizon_longer_than_the_test_window():
    y = np.arange(30.0)
    x, target = origin_windows(y, window=5, horizon=4, test_start=20, test_end=28)
    assert x.shape == (5, 5, 1) and target.shape == (5, 4)
    assert target[0].tolist() == [20.0, 21.0, 22.0, 23.0] and target[-1, -1] == 27.0
    assert x[0, :, 0].tolist() == [15.0, 16.0, 17.0, 18.0, 19.0]
    with pytest.raises(ValueError, match=r"`horizon` \(12\) to be at most the test window's 8"):
        origin_windows(y, window=5, horizon=12, test_start=20, test_end=28)
    with pytest.raises(ValueError, match="test_start"):
        origin_windows(y, window=25, horizon=2, test_start=20)


# ------------------------------------------------------------------------------- M1


def test_m1_matches_aeons_loader():
    from aeon.datasets import load_forecasting

    ours, names, starts = load_m1_yearly(return_names=True)
    frame = load_forecasting("m1_yearly_dataset")
    assert len(ours) == 181 == len(frame) and M1_YEARLY_HORIZON == 6
    for s, (_, row) in zip(ours, frame.iterrows(), strict=True):
        assert np.array_equal(s, np.asarray(row["series_value"], dtype=np.float64))
    assert names[:2] == ["T1", "T2"] and starts[0] == 1972
    ours[0][0] = -1.0  # a copy: the cache is untouched
    assert load_m1_yearly()[0][0] == 3600.0


def test_many_series_windows_scale_each_series_and_map_back():
    rng = np.random.default_rng(0)
    parts = [rng.normal(size=n).cumsum() * s + 1000 * s for n, s in [(9, 1.0), (20, 1e4), (4, 3.0)]]
    w = many_series_windows(parts, window=6, horizon=3)
    assert w["x"].shape[1:] == (6, 1) and w["y"].shape[1] == 3
    assert set(w["series"].tolist()) == {0, 1}  # the third is too short for one window
    # Map back: anchor + scale * value recovers the raw targets.
    raw = w["anchor"][:, None] + w["scale"][:, None] * w["y"].double().numpy()
    for r, i in enumerate(w["series"]):
        end = int(np.flatnonzero(np.isclose(parts[i], w["anchor"][r]))[0]) + 1
        assert np.allclose(raw[r], parts[i][end : end + 3])
    assert (w["lengths"] <= 6).all() and (w["lengths"] >= 2).all()
    # Windows are unit-free: both series' inputs have one-step changes about 1 on average.
    last = many_series_windows(parts, window=6)
    assert last["x"].shape == (3, 6, 1) and "y" not in last
    assert last["lengths"].tolist() == [6, 6, 4]


def test_many_series_windows_bad_input():
    with pytest.raises(TypeError, match="sequence of 1-D arrays"):
        many_series_windows(np.arange(5.0), window=3)
    with pytest.raises(ValueError, match="scales"):
        many_series_windows([np.arange(5.0)], window=3, scales=[0.0])
    with pytest.raises(ValueError, match="none does"):
        many_series_windows([np.arange(3.0)], window=3, horizon=5)


# -------------------------------------------------------------------- recursive forecasts


def test_recursive_forecast_matches_a_hand_loop():
    model = Forecaster(1, 6, seed=0)
    x = torch.randn(4, 10, 1)
    out = recursive_forecast(model, x, 3)
    window, expected = x.clone(), []
    for _ in range(3):
        step = predict_forecast(model, window)[:, 0]
        expected.append(step)
        window = torch.cat([window[:, 1:], torch.from_numpy(step).float()[:, None, None]], dim=1)
    assert np.allclose(out, np.stack(expected, axis=1), atol=1e-6)


def test_teacher_forcing_feeds_the_truth():
    model = Forecaster(1, 6, seed=1)
    series = torch.randn(30)
    x, y = sliding_windows(series, window=10, horizon=4)
    fed = recursive_forecast(model, x[:1], 4, truth=y[:1])
    # Step h with the truth fed back is the one-step forecast from the window that ends
    # h - 1 steps later: a one-step forecast in disguise.
    one_step = predict_forecast(model, x[:4])[:, 0]
    assert np.allclose(fed[0], one_step, atol=1e-6)


def test_recursive_forecast_grows_short_windows():
    model = Forecaster(1, 6, seed=2)
    x = torch.randn(2, 8, 1)
    x[1, 5:] = 0.0
    lengths = torch.tensor([8, 5])
    out = recursive_forecast(model, x, 2, lengths=lengths)
    first = predict_forecast(model, x, lengths)[:, 0]
    grown = x[1:].clone()
    grown[0, 5, 0] = float(first[1])
    second = predict_forecast(model, grown, torch.tensor([6]))[0, 0]
    assert out[1, 1] == pytest.approx(second, abs=1e-6)


def test_recursive_forecast_bad_input():
    with pytest.raises(TypeError, match="point Forecaster"):
        recursive_forecast(QuantileForecaster(1, 4), torch.randn(2, 5, 1), 3)
    with pytest.raises(ValueError, match="truth"):
        recursive_forecast(Forecaster(1, 4), torch.randn(2, 5, 1), 3, truth=np.zeros((2, 2)))


# ------------------------------------------------------------------- quantile and Gaussian


def noisy_task(n=400, seed=0):
    """A window of noise predicts its last value plus N(0, 0.5^2) noise at each horizon."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 6, 1, generator=g)
    y = x[:, -1, :] + 0.5 * torch.randn(n, 2, generator=g)
    return x, None, y


@pytest.mark.slow
def test_quantile_head_learns_the_noise_quantiles():
    model = QuantileForecaster(1, 8, horizon=2, quantiles=(0.1, 0.5, 0.9), seed=0)
    train = noisy_task()
    history = fit(model, train, epochs=40, lr=2e-2, batch_size=64, progress=False)
    assert history.train_loss[-1] < history.train_loss[0]
    x, _, y = noisy_task(2000, seed=1)
    q = predict_forecast(model, x)  # (n, 2, 3)
    assert q.shape == (2000, 2, 3) and (np.diff(q, axis=-1) >= 0).all()
    inside = cu.interval_coverage(y.numpy(), q[..., 0], q[..., 2])
    assert inside == pytest.approx(0.8, abs=0.06)
    assert model.loss(torch.from_numpy(q).float(), y).item() == pytest.approx(
        np.mean(
            [
                cu.mean_pinball_loss(y.numpy(), q[..., k], alpha=a)
                for k, a in enumerate((0.1, 0.5, 0.9))
            ]
        ),
        rel=1e-4,
    )


@pytest.mark.slow
def test_gaussian_head_learns_the_noise_scale():
    model = GaussianForecaster(1, 8, horizon=2, seed=0)
    fit(model, noisy_task(), epochs=40, lr=2e-2, batch_size=64, progress=False)
    x, _, y = noisy_task(2000, seed=1)
    out = predict_forecast(model, x)
    assert np.median(out[..., 1]) == pytest.approx(0.5, rel=0.2)
    ends = gaussian_quantiles(out[..., 0], out[..., 1], [0.05, 0.95])
    assert cu.interval_coverage(y.numpy(), ends[..., 0], ends[..., 1]) == pytest.approx(
        0.9, abs=0.08
    )


def test_quantile_levels_are_checked():
    with pytest.raises(ValueError, match="increasing"):
        QuantileForecaster(1, 4, quantiles=(0.9, 0.1))
    with pytest.raises(ValueError, match="quantiles"):
        QuantileForecaster(1, 4, quantiles=(0.0, 0.5))
    with pytest.raises(ValueError, match="min_scale"):
        GaussianForecaster(1, 4, min_scale=0.0)


def test_same_seed_same_heads():
    a, b = QuantileForecaster(1, 4, horizon=3, seed=5), QuantileForecaster(1, 4, horizon=3, seed=5)
    x = torch.randn(2, 5, 1)
    assert torch.equal(a(x), b(x))
    assert GaussianForecaster(1, 4, horizon=3, seed=5)(x).shape == (2, 3, 2)


# --------------------------------------------------------------------------- conformal


def test_conformal_quantile_is_the_finite_sample_rank():
    rng = np.random.default_rng(0)
    cal_true, cal_pred = rng.normal(size=(19, 3)), np.zeros((19, 3))
    lower, upper = conformal_intervals(cal_true, cal_pred, np.ones((2, 3)), alpha=0.1)
    q = np.sort(np.abs(cal_true), axis=0)[17]  # ceil(20 * 0.9) = 18th smallest
    assert np.allclose(upper - 1, q) and np.allclose(1 - lower, q)


def test_conformal_coverage_holds_for_exchangeable_errors():
    rng = np.random.default_rng(1)
    hits = []
    for _ in range(400):
        e = rng.standard_t(3, size=(20, 2))  # heavy tails: no normality needed
        lo, up = conformal_intervals(e[:10], np.zeros((10, 2)), np.zeros((10, 2)), alpha=0.2)
        hits.append(cu.interval_coverage(e[10:], lo, up))
    # Guarantee: at least 1 - alpha on average (here ceil(11 * 0.8) / 11 = 0.818).
    assert np.mean(hits) >= 0.8 - 0.01


def test_conformal_bad_input_and_samples():
    with pytest.raises(ValueError, match="calibration window of at least 9"):
        conformal_intervals(np.zeros((5, 2)), np.zeros((5, 2)), np.zeros((1, 2)), alpha=0.1)
    with pytest.raises(ValueError, match="alpha"):
        conformal_intervals(np.zeros((5, 2)), np.zeros((5, 2)), np.zeros((1, 2)), alpha=1.0)
    with pytest.raises(ValueError, match="horizons"):
        conformal_intervals(np.zeros((50, 2)), np.zeros((50, 2)), np.zeros((1, 3)), alpha=0.2)
    s = conformal_samples(np.ones((4, 2)), np.zeros((4, 2)), np.zeros((3, 2)))
    assert s.shape == (3, 2, 4) and np.allclose(s, 1.0)


# ------------------------------------------------------------------ statistical rivals


def test_ets_matches_statsmodels_directly():
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = np.random.default_rng(3).normal(size=60).cumsum() + 50
    ours = ets_forecast(y, 4, alpha=0.2, trend="add", damped_trend=True)
    theirs = ETSModel(pd.Series(y), trend="add", damped_trend=True).fit(disp=False)
    frame = theirs.get_prediction(start=60, end=63).summary_frame(alpha=0.2)
    assert np.allclose(ours["point"], frame["mean"], rtol=1e-6)
    assert np.allclose(ours["lower"], frame["pi_lower"], rtol=1e-6)
    assert np.allclose(ours["upper"], frame["pi_upper"], rtol=1e-6)
    assert ours["samples"].shape == (4, 100)
    # The quantile ensemble's CRPS is close to the closed form of the same normal forecast.
    assert cu.crps_ensemble(y[-4:], ours["samples"]) == pytest.approx(
        cu.crps_gaussian(y[-4:], ours["mu"], ours["sigma"]), rel=0.02
    )


def test_ets_on_the_log_scale_maps_quantiles_back():
    y = np.exp(np.linspace(0, 2, 48) + 0.1 * np.sin(np.arange(48)))
    f = ets_forecast(y, 6, log=True, trend="add")
    assert (f["lower"] < f["point"]).all() and (f["point"] < f["upper"]).all()
    assert "mu" not in f and f["samples"].shape == (6, 100)
    with pytest.raises(ValueError, match="positive"):
        ets_forecast(-y, 6, log=True)


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_theta_matches_statsmodels_directly(seed):
    from statsmodels.tsa.forecasting.theta import ThetaModel

    y = np.random.default_rng(seed).normal(size=30).cumsum() + 20
    ours = theta_forecast(y, 6, alpha=0.1)
    fit_ = ThetaModel(y, period=1, deseasonalize=False).fit()
    np.testing.assert_allclose(ours["point"], fit_.forecast(6), rtol=1e-4)
    b0, a, sigma2 = ours["params"]
    assert a == pytest.approx(fit_.params["alpha"], abs=1e-3)
    assert b0 == pytest.approx(fit_.params["b0"], rel=1e-9)
    # statsmodels' interval formula, with our sigma2 in place of its ARIMA estimate:
    width = np.sqrt(sigma2 * (1 + np.arange(6) * (1 + (a - 1) ** 2))) * 1.6448536269514722
    np.testing.assert_allclose(ours["upper"] - ours["point"], width, rtol=1e-9)


def test_theta_on_the_m1_series_matches_statsmodels():
    from statsmodels.tsa.forecasting.theta import ThetaModel

    for s in load_m1_yearly()[:5]:
        got = theta_forecast(s[:-6], 6)["point"]
        want = ThetaModel(s[:-6], period=1, deseasonalize=False).fit().forecast(6)
        np.testing.assert_allclose(got, want, rtol=1e-4)


def test_forecast_scores_agree_with_the_metrics():
    rng = np.random.default_rng(5)
    y = rng.normal(size=(8, 3))
    mu, sigma = rng.normal(size=(8, 3)), np.full((8, 3), 1.2)
    ends = gaussian_quantiles(mu, sigma, [0.05, 0.95])
    f = {"lower": ends[..., 0], "upper": ends[..., 1], "point": mu, "mu": mu, "sigma": sigma}
    s = forecast_scores(y, f, alpha=0.1)
    assert s["coverage"] == cu.interval_coverage(y, ends[..., 0], ends[..., 1])
    assert s["width"] == pytest.approx(2 * 1.6448536 * 1.2)
    assert s["interval score"] == cu.interval_score(y, ends[..., 0], ends[..., 1], alpha=0.1)
    assert s["CRPS"] == cu.crps_gaussian(y, mu, sigma)
    assert s["pinball"] == pytest.approx(
        (cu.interval_score(y, ends[..., 0], ends[..., 1], alpha=0.1) * 0.1 / 2
         + cu.mean_pinball_loss(y, mu)) / 3
    )  # fmt: skip
    with pytest.raises(ValueError, match="point"):
        forecast_scores(y, {"lower": y, "upper": y}, alpha=0.1)
