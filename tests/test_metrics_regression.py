"""MSE, RMSE and MAE against scikit-learn, including outputs, dtypes and padding."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.metrics as skm
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import course_utils.metrics as cu

PROPERTY = settings(max_examples=60, deadline=None)
NAMES = ["mean_squared_error", "root_mean_squared_error", "mean_absolute_error"]
FINITE = st.floats(-1e3, 1e3, width=64)


def assert_same(ours, theirs):
    assert type(ours) is type(theirs) or isinstance(theirs, np.ndarray)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


@st.composite
def targets(draw):
    n = draw(st.integers(1, 40))
    shape = draw(st.sampled_from([(n,), (n, 1), (n, 3)]))
    return draw(arrays(np.float64, shape, elements=FINITE)), draw(
        arrays(np.float64, shape, elements=FINITE)
    )


@PROPERTY
@given(targets(), st.sampled_from(["uniform_average", "raw_values", "weights"]))
def test_match_sklearn(pair, multioutput):
    y_true, y_pred = pair
    if multioutput == "weights":
        if y_true.ndim == 1 or y_true.shape[1] == 1:
            multioutput = "uniform_average"
        else:
            multioutput = [0.2, 0.5, 0.3]
    for name in NAMES:
        assert_same(
            getattr(cu, name)(y_true, y_pred, multioutput=multioutput),
            getattr(skm, name)(y_true, y_pred, multioutput=multioutput),
        )


def test_float32_is_computed_like_sklearn():
    rng = np.random.default_rng(0)
    y_true = rng.normal(size=10_001).astype(np.float32)
    y_pred = (y_true + rng.normal(size=10_001)).astype(np.float32)
    for name in NAMES:
        ours, theirs = getattr(cu, name)(y_true, y_pred), getattr(skm, name)(y_true, y_pred)
        assert ours == pytest.approx(theirs, rel=1e-9)


def test_large_n_matches_sklearn():
    rng = np.random.default_rng(1)
    y_true, y_pred = rng.normal(size=(300_000, 2)), rng.normal(size=(300_000, 2))
    for name in NAMES:
        assert_same(getattr(cu, name)(y_true, y_pred), getattr(skm, name)(y_true, y_pred))


def test_which_axes_are_outputs():
    rng = np.random.default_rng(2)
    y_true, y_pred = rng.normal(size=(4, 5, 3)), rng.normal(size=(4, 5, 3))  # (batch, time, feat)
    per_feature = cu.root_mean_squared_error(y_true, y_pred, multioutput="raw_values")
    expected = skm.root_mean_squared_error(
        y_true.reshape(-1, 3), y_pred.reshape(-1, 3), multioutput="raw_values"
    )
    np.testing.assert_allclose(per_feature, expected)
    # lengths on (batch, time) forecasts: one output over all real steps
    lengths = np.array([5, 3, 1, 4])
    valid = np.arange(5) < lengths[:, None]
    assert cu.root_mean_squared_error(y_true[..., 0], y_pred[..., 0], lengths=lengths) == (
        pytest.approx(skm.root_mean_squared_error(y_true[..., 0][valid], y_pred[..., 0][valid]))
    )
    # lengths on (batch, time, features): one output per feature
    np.testing.assert_allclose(
        cu.mean_absolute_error(y_true, y_pred, lengths=lengths, multioutput="raw_values"),
        skm.mean_absolute_error(y_true[valid], y_pred[valid], multioutput="raw_values"),
    )


@st.composite
def padded_forecasts(draw):
    batch, time = draw(st.integers(1, 5)), draw(st.integers(1, 7))
    features = draw(st.sampled_from([(), (2,)]))
    lengths = np.array(draw(st.lists(st.integers(0, time), min_size=batch, max_size=batch)))
    if lengths.sum() == 0:
        lengths[0] = time
    shape = (batch, time, *features)
    y_true = draw(arrays(np.float64, shape, elements=FINITE))
    y_pred = draw(arrays(np.float64, shape, elements=FINITE))
    padding = np.arange(time) >= lengths[:, None]
    y_true[padding], y_pred[padding] = np.nan, np.inf  # garbage that would fail validation
    return y_true, y_pred, lengths


@PROPERTY
@given(padded_forecasts())
def test_lengths_and_mask_equal_the_metric_on_unpadded_steps(padded):
    y_true, y_pred, lengths = padded
    valid = np.arange(y_true.shape[1]) < lengths[:, None]
    for name in NAMES:
        expected = getattr(skm, name)(y_true[valid], y_pred[valid])
        assert_same(getattr(cu, name)(y_true, y_pred, lengths=lengths), expected)
        assert_same(getattr(cu, name)(y_true, y_pred, mask=valid), expected)


def test_tensor_inputs_and_all_but_one_step_masked():
    y_true = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    y_pred = torch.tensor([[1.5, 0.0], [0.0, 0.0]], requires_grad=True)
    assert cu.mean_squared_error(y_true, y_pred, lengths=torch.tensor([1, 0])) == 0.25
    mask = torch.tensor([[False, False], [False, True]])
    assert cu.mean_absolute_error(y_true, y_pred, mask=mask) == 4.0
