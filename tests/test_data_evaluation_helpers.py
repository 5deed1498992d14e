"""Tests for the evaluation helpers in course_utils.data (rolling origins, baselines, padding)."""

import numpy as np
import pytest
import torch

from course_utils.data import (
    SequenceScaler,
    load_airline,
    make_long_range_task,
    make_tagging_task,
    naive_forecasts,
    rolling_origin_split,
    scale_windows,
    sliding_windows,
    tagging_rule,
    zero_padding,
)
from course_utils.metrics import accuracy_score


def test_rolling_origin_split_parts_are_time_ordered_and_cut_arrays():
    x, y = torch.arange(20.0)[:, None, None], torch.arange(20.0)[:, None]
    splits = rolling_origin_split((x, y), origins=[10, 15], test_size=5, val_size=3)
    for origin, (train, val, test) in zip([10, 15], splits, strict=True):
        assert train[0][-1, 0, 0] < val[0][0, 0, 0] and val[0][-1, 0, 0] < test[0][0, 0, 0]
        assert int(test[1][0, 0]) == origin and len(test[0]) == 5 and len(val[0]) == 3
    train, test = rolling_origin_split(8, origins=[6], test_size=2)[0]
    assert train.tolist() == list(range(6)) and test.tolist() == [6, 7]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"origins": [5], "test_size": 10}, ValueError, "test part"),
        ({"origins": [2], "test_size": 1, "val_size": 2}, ValueError, "training row"),
        ({"origins": [6, 4], "test_size": 1}, ValueError, "increasing"),
        ({"origins": 5, "test_size": 1}, TypeError, "origins"),
        ({"origins": [], "test_size": 1}, TypeError, "origins"),
    ],
)
def test_rolling_origin_split_refuses_bad_origins(kwargs, error, match):
    with pytest.raises(error, match=match):
        rolling_origin_split(10, **kwargs)


def test_naive_forecasts_on_the_airline_series():
    series = load_airline()
    x, y = sliding_windows(series, window=24)
    forecasts = naive_forecasts(x)
    target = y.numpy()[:, 0]
    assert np.allclose(forecasts["persistence"], series[23:-1])
    assert np.allclose(forecasts["seasonal naive"], series[12:-12])
    expected = series[12:-12] + series[23:-1] - series[11:-13]
    assert np.allclose(forecasts["seasonal difference"], expected)
    # On this trending seasonal series the seasonal difference is the strongest of the three.
    errors = {name: np.abs(f - target).mean() for name, f in forecasts.items()}
    assert min(errors, key=errors.get) == "seasonal difference"


def test_naive_forecasts_refuses_short_windows_and_bad_types():
    with pytest.raises(ValueError, match="season \\+ 1"):
        naive_forecasts(np.zeros((3, 12)))
    with pytest.raises(ValueError, match="shape"):
        naive_forecasts(np.zeros((3, 13, 2)))
    with pytest.raises(TypeError, match="array or tensor"):
        naive_forecasts([[1.0] * 13])


def test_scale_windows_matches_the_scaler():
    x, y = sliding_windows(torch.arange(30.0), window=5)
    scaler = SequenceScaler().fit(x)
    xs, lengths, ys = scale_windows(scaler, (x, y))
    assert lengths is None
    assert torch.equal(xs, scaler.transform(x)) and torch.equal(ys, scaler.transform(y))
    with pytest.raises(TypeError, match="pair"):
        scale_windows(scaler, x)


def test_zero_padding_and_min_length():
    x = torch.ones(3, 4, 2)
    out = zero_padding(x, torch.tensor([1, 4, 2]))
    assert out[:, :, 0].tolist() == [[1, 0, 0, 0], [1, 1, 1, 1], [1, 1, 0, 0]]
    assert torch.equal(x, torch.ones(3, 4, 2))  # a copy
    with pytest.raises(ValueError, match="lengths"):
        zero_padding(x, torch.tensor([5, 1, 2]))
    with pytest.raises(ValueError, match="shape"):
        zero_padding(x, torch.tensor([1, 2]))
    full, _, y_full = make_long_range_task(50, length=30, seed=4)
    cut, lengths, y_cut = make_long_range_task(50, length=30, min_length=5, seed=4)
    assert torch.equal(y_full, y_cut) and int(lengths.min()) >= 5
    assert torch.equal(cut, zero_padding(full, lengths))  # the same draws, then cut


def test_tagging_rule_beats_the_idle_baseline():
    x, lengths, y = make_tagging_task(200, max_length=40, seed=3)
    rule = accuracy_score(y, tagging_rule(x), lengths=lengths)
    idle = accuracy_score(y, np.zeros(tuple(y.shape), dtype=np.int64), lengths=lengths)
    assert rule > 0.9 > idle
    with pytest.raises(ValueError, match="three sensor channels"):
        tagging_rule(np.zeros((2, 5, 2)))
