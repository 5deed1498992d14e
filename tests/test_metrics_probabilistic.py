"""Pinball loss, interval coverage and score, MSIS and CRPS against scikit-learn,
properscoring and scoringrules; padding, weights, streaming statistics and bad input."""

from __future__ import annotations

import warnings

import numpy as np
import properscoring
import pytest
import scoringrules
import sklearn.metrics as skm
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import course_utils.metrics as cu
from course_utils.metrics import probabilistic as prob

PROPERTY = settings(max_examples=60, deadline=None)
FINITE = st.floats(-1e3, 1e3, width=64)
LEVEL = st.floats(0.01, 0.99)


def close(ours, theirs):
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)


@st.composite
def shaped(draw, count, *, extra=()):
    n = draw(st.integers(1, 30))
    shape = draw(st.sampled_from([(n,), (n, 1), (n, 4)]))
    return shape, [draw(arrays(np.float64, shape + extra, elements=FINITE)) for _ in range(count)]


@st.composite
def intervals(draw):
    _, (y, a, b) = draw(shaped(3))
    return y, np.minimum(a, b), np.maximum(a, b)


# ------------------------------------------------------------------ independent references


@PROPERTY
@given(shaped(2), LEVEL, st.sampled_from(["uniform_average", "raw_values"]), st.booleans())
def test_pinball_matches_sklearn(data, alpha, multioutput, weighted):
    shape, (y, q) = data
    w = np.linspace(0.5, 2.0, shape[0]) if weighted else None
    close(
        cu.mean_pinball_loss(y, q, alpha=alpha, sample_weight=w, multioutput=multioutput),
        skm.mean_pinball_loss(y, q, alpha=alpha, sample_weight=w, multioutput=multioutput),
    )


def test_pinball_multioutput_weights_match_sklearn():
    rng = np.random.default_rng(0)
    y, q = rng.normal(size=(20, 3)), rng.normal(size=(20, 3))
    weights = [0.2, 0.5, 0.3]
    close(
        cu.mean_pinball_loss(y, q, alpha=0.8, multioutput=weights),
        skm.mean_pinball_loss(y, q, alpha=0.8, multioutput=weights),
    )


@PROPERTY
@given(intervals(), LEVEL)
def test_interval_score_matches_scoringrules(data, alpha):
    y, lo, up = data
    theirs = scoringrules.interval_score(y, lo, up, alpha)
    close(cu.interval_score(y, lo, up, alpha=alpha, multioutput="raw_values"),
          np.atleast_2d(theirs.reshape(len(y), -1)).mean(axis=0))  # fmt: skip
    close(cu.interval_score(y, lo, up, alpha=alpha), float(np.mean(theirs)))


@PROPERTY
@given(intervals(), LEVEL)
def test_interval_score_is_rescaled_pinball_of_its_ends(data, alpha):
    y, lo, up = data
    pinball = cu.mean_pinball_loss(y, lo, alpha=alpha / 2) + cu.mean_pinball_loss(
        y, up, alpha=1 - alpha / 2
    )
    assert cu.interval_score(y, lo, up, alpha=alpha) == pytest.approx(
        2 / alpha * pinball, rel=1e-9, abs=1e-9
    )


@PROPERTY
@given(intervals())
def test_coverage_is_share_inside(data):
    y, lo, up = data
    inside = (lo <= y) & (y <= up)
    assert cu.interval_coverage(y, lo, up) == pytest.approx(inside.mean())
    assert 0.0 <= cu.interval_coverage(y, lo, up) <= 1.0


@PROPERTY
@given(shaped(2), st.floats(0.01, 100.0))
def test_crps_gaussian_matches_properscoring_and_scoringrules(data, scale):
    shape, (y, mu) = data
    sigma = np.full(shape, scale) * np.linspace(0.5, 1.5, shape[0]).reshape(
        -1, *[1] * (len(shape) - 1)
    )
    ours = cu.crps_gaussian(y, mu, sigma)
    close(ours, float(np.mean(properscoring.crps_gaussian(y, mu, sigma))))
    close(ours, float(np.mean(scoringrules.crps_normal(y, mu, sigma))))


def test_crps_gaussian_without_spread_is_absolute_error():
    y, mu = np.array([1.0, -2.0, 3.5]), np.array([0.0, 0.0, 4.0])
    assert cu.crps_gaussian(y, mu, np.zeros(3)) == pytest.approx(cu.mean_absolute_error(y, mu))
    # ... and the limit of small spreads
    assert cu.crps_gaussian(y, mu, np.full(3, 1e-9)) == pytest.approx(
        cu.mean_absolute_error(y, mu), abs=1e-8
    )


@PROPERTY
@given(shaped(1), st.integers(1, 12), st.integers(0, 2**16))
def test_crps_ensemble_matches_properscoring_and_scoringrules(data, m, seed):
    shape, (y,) = data
    samples = y[..., None] + np.random.default_rng(seed).normal(scale=3.0, size=(*shape, m))
    ours = cu.crps_ensemble(y, samples, multioutput="raw_values")
    theirs = properscoring.crps_ensemble(y, samples)
    close(ours, theirs.reshape(len(y), -1).mean(axis=0))
    close(cu.crps_ensemble(y, samples), float(np.mean(scoringrules.crps_ensemble(y, samples, estimator="nrg"))))  # fmt: skip


def test_crps_ensemble_of_many_normal_draws_approaches_the_closed_form():
    rng = np.random.default_rng(3)
    y = rng.normal(size=200)
    samples = rng.normal(loc=0.5, scale=2.0, size=(200, 4000))
    assert cu.crps_ensemble(y, samples) == pytest.approx(
        cu.crps_gaussian(y, np.full(200, 0.5), np.full(200, 2.0)), rel=0.02
    )


def test_crps_of_one_member_is_absolute_error():
    y, x = np.array([1.0, 5.0]), np.array([3.0, 4.0])
    assert cu.crps_ensemble(y, x[:, None]) == cu.mean_absolute_error(y, x)


def test_scores_are_proper_in_expectation():
    """The true quantiles beat shifted ones on the pinball loss and the interval score, and
    the true distribution beats a too-narrow one on CRPS (large sample, fixed seed)."""
    rng = np.random.default_rng(7)
    y = rng.normal(size=200_000)
    q05, q95 = -1.6448536269514722, 1.6448536269514722
    for shift in (-0.3, 0.3):
        assert cu.mean_pinball_loss(y, np.full_like(y, q95), alpha=0.95) < cu.mean_pinball_loss(
            y, np.full_like(y, q95 + shift), alpha=0.95
        )
    true = cu.interval_score(y, np.full_like(y, q05), np.full_like(y, q95), alpha=0.1)
    for lo, up in ((-1.0, 1.0), (-2.5, 2.5)):
        assert true < cu.interval_score(y, np.full_like(y, lo), np.full_like(y, up), alpha=0.1)
    zeros, ones = np.zeros_like(y), np.ones_like(y)
    assert cu.crps_gaussian(y, zeros, ones) < cu.crps_gaussian(y, zeros, 0.5 * ones)
    assert cu.crps_gaussian(y, zeros, ones) < cu.crps_gaussian(y, zeros, 2.0 * ones)


# ---------------------------------------------------------------------- scaled interval score


def test_msis_uses_the_mase_scale():
    rng = np.random.default_rng(1)
    y_train = np.cumsum(rng.normal(size=40)) + 50
    y, p = rng.normal(size=6) + 50, rng.normal(size=6) + 50
    scale = cu.mean_absolute_error(y, p) / cu.mean_absolute_scaled_error(y, p, y_train=y_train)
    lo, up = p - 1.0, p + 1.5
    ours = cu.mean_scaled_interval_score(y, lo, up, alpha=0.05, y_train=y_train)
    assert ours == pytest.approx(cu.interval_score(y, lo, up, alpha=0.05) / scale)
    seasonal = cu.mean_scaled_interval_score(y, lo, up, alpha=0.05, y_train=y_train, season=4)
    assert seasonal == pytest.approx(
        cu.interval_score(y, lo, up, alpha=0.05) / np.mean(np.abs(y_train[4:] - y_train[:-4]))
    )


def test_msis_by_horizon_with_one_scale_per_output():
    y_train = np.array([[1.0, 10.0], [2.0, 30.0], [4.0, 20.0]])  # scales 1.5 and 15
    y = np.array([[1.0, 1.0]])
    got = cu.mean_scaled_interval_score(
        y, y - 1, y + 2, alpha=0.5, y_train=y_train, multioutput="raw_values"
    )
    np.testing.assert_allclose(got, [3 / 1.5, 3 / 15])


# ------------------------------------------------------------------------ padding and weights

ALL = {
    "mean_pinball_loss": lambda y, a, b, **k: cu.mean_pinball_loss(y, a, alpha=0.3, **k),
    "interval_coverage": lambda y, a, b, **k: cu.interval_coverage(y, a, b, **k),
    "interval_score": lambda y, a, b, **k: cu.interval_score(y, a, b, alpha=0.2, **k),
    "crps_gaussian": lambda y, a, b, **k: cu.crps_gaussian(y, a, b - a, **k),
    "crps_ensemble": lambda y, a, b, **k: cu.crps_ensemble(y, np.stack([a, b], -1), **k),
}


def padded(seed=0):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=(5, 7))
    a = y + rng.normal(size=(5, 7)) - 1
    b = a + rng.uniform(0, 3, size=(5, 7))
    lengths = np.array([7, 3, 0, 5, 1])
    return y, a, b, lengths


@pytest.mark.parametrize("name", list(ALL))
def test_lengths_and_mask_count_only_real_steps(name):
    y, a, b, lengths = padded()
    metric = ALL[name]
    real = np.arange(7)[None, :] < lengths[:, None]
    expected = metric(y[real], a[real], b[real])
    garbage = np.where(real, y, np.nan)  # padding may hold anything
    a_g = np.where(real, a, 1e300)
    assert metric(garbage, a_g, np.where(real, b, 2e300), lengths=lengths) == pytest.approx(
        expected
    )
    assert metric(y, a, b, mask=real) == pytest.approx(expected)
    assert metric(torch.tensor(y), torch.tensor(a), torch.tensor(b), lengths=torch.tensor(lengths)) == pytest.approx(expected)  # fmt: skip


@pytest.mark.parametrize("name", list(ALL))
def test_sample_weight_per_sequence_is_a_weighted_mean(name):
    y, a, b, _ = padded(1)
    metric = ALL[name]
    w = np.array([1.0, 2.0, 0.0, 3.0, 1.0])
    per_row = np.array([metric(y[i], a[i], b[i]) for i in range(5)])
    got = metric(y.ravel(), a.ravel(), b.ravel(), sample_weight=np.repeat(w, 7))
    assert got == pytest.approx(np.average(per_row, weights=w))
    by_horizon = metric(y, a, b, multioutput="raw_values")
    assert by_horizon.shape == (7,)
    assert metric(y, a, b) == pytest.approx(by_horizon.mean())


# ------------------------------------------------------------------------- streaming specs


@pytest.mark.parametrize("name", list(prob.STREAM_SPECS))
def test_stats_of_batches_merge_to_the_whole(name):
    y, a, b, lengths = padded(2)
    spec = prob.STREAM_SPECS[name]
    if name == "mean_pinball_loss":
        args, options = (a,), {"alpha": 0.3}
    elif name == "crps_ensemble":
        args, options = (np.stack([a, b], -1),), {}
    elif name == "crps_gaussian":
        args, options = (a, b - a), {}
    elif name == "mean_scaled_interval_score":
        args, options = (a, b), {"alpha": 0.2, "y_train": np.arange(10.0) ** 1.5}
    else:
        args, options = (a, b), ({"alpha": 0.2} if name == "interval_score" else {})
    whole = getattr(cu, name)(y, *args, lengths=lengths, multioutput="raw_values", **options)
    merged = None
    for rows in (slice(0, 2), slice(2, 3), slice(3, 5)):  # the middle batch is all padding
        stats = spec["stats"](y[rows], *(x[rows] for x in args), lengths=lengths[rows], **options)
        assert set(stats) == set(spec["reduce"])
        assert all(isinstance(v, np.ndarray) for v in stats.values())
        merged = stats if merged is None else {k: merged[k] + stats[k] for k in stats}
    np.testing.assert_allclose(spec["finalize"](merged, multioutput="raw_values", **options), whole)
    empty = spec["stats"](y[2:3], *(x[2:3] for x in args), lengths=lengths[2:3], **options)
    with pytest.raises(ValueError, match="at least one valid step"):
        spec["finalize"](empty, **options)


# ------------------------------------------------------------------------------ bad input


def test_lower_above_upper_names_the_arguments():
    for metric in (cu.interval_coverage, lambda *a: cu.interval_score(*a, alpha=0.1)):
        with pytest.raises(ValueError, match=r"`lower` <= `upper`.*\(the first: 3.0 > 2.5\)"):
            metric([1.0, 2.0], [0.0, 3.0], [2.0, 2.5])
    # ... but padding may hold a reversed interval
    assert cu.interval_coverage([1.0, 2.0], [0.0, 3.0], [2.0, 2.5], mask=[True, False]) == 1.0


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.1, 1.5, float("nan")])
def test_alpha_outside_unit_interval(alpha):
    with pytest.raises(ValueError, match="`alpha`"):
        cu.mean_pinball_loss([1.0], [1.0], alpha=alpha)
    with pytest.raises(ValueError, match="`alpha`"):
        cu.interval_score([1.0], [0.0], [2.0], alpha=alpha)


def test_alpha_of_wrong_type():
    with pytest.raises(TypeError, match="`alpha`"):
        cu.interval_score([1.0], [0.0], [2.0], alpha="0.1")
    with pytest.raises(TypeError, match="`alpha`"):
        cu.mean_pinball_loss([1.0], [1.0], alpha=True)


def test_negative_sigma():
    with pytest.raises(ValueError, match="`sigma` to be non-negative"):
        cu.crps_gaussian([1.0, 2.0], [0.0, 0.0], [1.0, -0.5])


def test_samples_shape_mismatch():
    with pytest.raises(ValueError, match=r"`samples` to have the shape of `y_true` \(3,\)"):
        cu.crps_ensemble([1.0, 2.0, 3.0], np.zeros((2, 10)))
    with pytest.raises(ValueError, match="`samples`"):
        cu.crps_ensemble([1.0, 2.0, 3.0], np.zeros(3))


def test_shapes_nan_and_empty_selection():
    with pytest.raises(ValueError, match="same shape"):
        cu.mean_pinball_loss([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="`y_pred` to hold finite"):
        cu.mean_pinball_loss([1.0, 2.0], [1.0, np.nan])
    with pytest.raises(ValueError, match="at least one valid step"):
        cu.interval_score([[1.0]], [[0.0]], [[2.0]], alpha=0.1, lengths=[0])
    with pytest.raises(ValueError, match="multioutput"):
        cu.crps_gaussian([[1.0, 2.0]], [[1.0, 2.0]], [[1.0, 1.0]], multioutput="mean")
    with pytest.raises(ValueError, match="y_train"):
        cu.mean_scaled_interval_score([1.0], [0.0], [2.0], alpha=0.1, y_train=[3.0, 3.0])
    with pytest.raises(TypeError, match="season"):
        cu.mean_scaled_interval_score([1.0], [0.0], [2.0], alpha=0.1, y_train=[1.0, 3.0],
                                      season=1.5)  # fmt: skip


def test_no_warnings_from_degenerate_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cu.crps_gaussian([0.0, 1.0], [0.0, 0.0], [0.0, 0.0]) == 0.5
        assert cu.interval_score([1.0], [1.0], [1.0], alpha=0.5) == 0.0


def test_every_probabilistic_metric_streams_equal_to_the_function_on_all_batches():
    """The streaming twins: batches of (y, lower, upper), (y, mu, sigma) or (y, samples)."""
    rng = np.random.default_rng(3)
    y = rng.normal(size=(40, 3))
    lower, upper = y - rng.uniform(0, 2, size=y.shape), y + rng.uniform(-1, 2, size=y.shape)
    upper = np.maximum(upper, lower)
    mu, sigma = y + rng.normal(size=y.shape), rng.uniform(0.1, 2, size=y.shape)
    samples = y[..., None] + rng.normal(size=(*y.shape, 7))
    y_train = rng.normal(size=(30, 3)).cumsum(axis=0)
    cases = {
        "mean_pinball_loss": ((mu,), {"alpha": 0.3}),
        "interval_coverage": ((lower, upper), {}),
        "interval_score": ((lower, upper), {"alpha": 0.1}),
        "mean_scaled_interval_score": ((lower, upper), {"alpha": 0.1, "y_train": y_train}),
        "crps_gaussian": ((mu, sigma), {}),
        "crps_ensemble": ((samples,), {}),
    }
    for name, (inputs, options) in cases.items():
        expected = getattr(cu, name)(y, *inputs, **options)
        s = cu.stream(name, **options)
        for rows in (slice(0, 15), slice(15, 16), slice(16, 40)):
            s.update(y[rows], *(a[rows] for a in inputs))
        assert s.compute() == pytest.approx(expected, rel=1e-12), name
