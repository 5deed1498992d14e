"""Tests for course_utils.data: offline loaders, synthetic generators, splits and scaling."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from course_utils.data import (
    FRAUD_FEATURES,
    JAPANESE_VOWELS_MAX_LENGTH,
    SequenceScaler,
    chronological_split,
    grouped_split,
    load_airline,
    load_gunpoint,
    load_italy_power_demand,
    load_japanese_vowels,
    make_fraud_sequences,
    make_long_range_task,
    make_tagging_task,
    random_split,
    sliding_windows,
)


def _mask(lengths, steps):
    return torch.arange(steps)[None, :] < lengths[:, None]


def _assert_padded(x, lengths):
    """Every step after a row's length is exactly zero, and its last real step is not."""
    pad = ~_mask(lengths, x.shape[1])
    assert bool((x[pad] == 0).all())
    last = x[torch.arange(len(x)), lengths - 1]
    assert bool((last.abs().sum(dim=-1) > 0).all())


# --------------------------------------------------------------------------- real data


class TestJapaneseVowels:
    @pytest.mark.parametrize(("split", "n", "longest"), [("train", 270, 26), ("test", 370, 29)])
    def test_shapes_dtypes_and_padding(self, split, n, longest):
        x, lengths, y = load_japanese_vowels(split)
        assert x.dtype == torch.float32 and lengths.dtype == torch.int64 and y.dtype == torch.int64
        assert x.shape == (n, JAPANESE_VOWELS_MAX_LENGTH, 12)
        assert lengths.shape == y.shape == (n,)
        assert int(lengths.min()) == 7 and int(lengths.max()) == longest
        _assert_padded(x, lengths)

    def test_published_class_balance(self):
        _, _, y_train = load_japanese_vowels("train")
        _, _, y_test = load_japanese_vowels("test")
        assert y_train.bincount().tolist() == [30] * 9
        assert y_test.bincount().tolist() == [31, 35, 88, 44, 29, 24, 40, 50, 29]

    def test_each_call_returns_fresh_tensors(self):
        x, _, y = load_japanese_vowels("train")
        x.zero_()
        y.fill_(99)
        x2, _, y2 = load_japanese_vowels("train")
        assert x2.abs().sum() > 0 and int(y2.max()) == 8

    @pytest.mark.parametrize(
        "loader", [load_japanese_vowels, load_gunpoint, load_italy_power_demand]
    )
    def test_unknown_split(self, loader):
        with pytest.raises(ValueError, match=r"`split` to be one of 'train', 'test'.*'valid'"):
            loader("valid")


def test_gunpoint():
    x, lengths, y = load_gunpoint("train")
    assert x.shape == (50, 150, 1) and x.dtype == torch.float32
    assert lengths.unique().tolist() == [150]
    assert sorted(y.unique().tolist()) == [0, 1]
    assert tuple(load_gunpoint("test")[0].shape) == (150, 150, 1)


def test_italy_power_demand():
    x, lengths, y = load_italy_power_demand("test")
    assert x.shape == (1029, 24, 1)
    assert lengths.unique().tolist() == [24]
    assert y.bincount().tolist() == [513, 516]


def test_airline():
    series = load_airline()
    assert isinstance(series, np.ndarray) and series.dtype == np.float64
    assert series.shape == (144,)
    assert series[:4].tolist() == [112.0, 118.0, 132.0, 129.0]
    assert series[-1] == 432.0
    series[:] = 0  # a copy: the next call is unaffected
    assert load_airline()[0] == 112.0


def test_importing_data_stays_light():
    code = (
        "import sys, course_utils.data; "
        "print(sorted(m for m in ('aeon', 'pandas', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- fraud


class TestFraud:
    def test_shapes_prevalence_and_padding(self):
        x, lengths, y = make_fraud_sequences(500, prevalence=0.02, length=(12, 25), seed=3)
        assert x.shape == (500, 25, len(FRAUD_FEATURES)) and x.dtype == torch.float32
        assert int(y.sum()) == 10
        assert 12 <= int(lengths.min()) and int(lengths.max()) <= 25
        _assert_padded(x, lengths)

    def test_prevalence_down_to_one_percent(self):
        _, _, y = make_fraud_sequences(1000, prevalence=0.01, seed=0)
        assert int(y.sum()) == 10

    def test_seeded(self):
        a = make_fraud_sequences(200, seed=5)
        b = make_fraud_sequences(200, seed=5)
        c = make_fraud_sequences(200, seed=6)
        assert all(torch.equal(u, v) for u, v in zip(a, b, strict=True))
        assert not torch.equal(a[0], c[0])

    @staticmethod
    def _auc_of_simple_features(signal: float) -> float:
        """AUC of a logistic regression on the mean of each history's last four steps."""
        x, lengths, y = make_fraud_sequences(4000, prevalence=0.05, signal=signal, seed=0)
        rows = torch.arange(len(x))
        tail = torch.stack([x[rows, lengths - k] for k in range(1, 5)], dim=1)  # (n, 4, 5)
        features = tail.mean(dim=1).numpy()
        half = len(x) // 2
        model = LogisticRegression().fit(features[:half], y[:half].numpy())
        return roc_auc_score(y[half:].numpy(), model.predict_proba(features[half:])[:, 1])

    def test_pattern_is_weak_but_learnable(self):
        assert self._auc_of_simple_features(1.0) > 0.7
        assert self._auc_of_simple_features(3.0) > self._auc_of_simple_features(1.0)

    def test_signal_zero_makes_fraud_undetectable(self):
        assert abs(self._auc_of_simple_features(0.0) - 0.5) < 0.1

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"prevalence": 0.005}, ValueError, r"`prevalence` to be a float in \[0.01, 0.5\]"),
            ({"length": (5, 20)}, ValueError, r"`length\[0\]` to be at least 8"),
            ({"length": (30, 20)}, ValueError, r"shortest <= longest"),
            ({"length": 20}, TypeError, r"`length` to be a pair"),
            ({"signal": -1.0}, ValueError, r"`signal`"),
            ({"seed": -1}, ValueError, r"`seed`"),
        ],
    )
    def test_bad_input(self, kwargs, error, match):
        with pytest.raises(error, match=match):
            make_fraud_sequences(100, **kwargs)

    def test_bad_n(self):
        with pytest.raises(ValueError, match=r"`n` to be an int >= 1, but got 0"):
            make_fraud_sequences(0)
        with pytest.raises(TypeError, match=r"`n` to be an int, but got float"):
            make_fraud_sequences(10.0)


# --------------------------------------------------------------------------- long range


class TestLongRange:
    def test_label_is_the_sign_of_the_first_step(self):
        x, lengths, y = make_long_range_task(400, length=30, seed=0)
        assert x.shape == (400, 30, 1) and lengths.unique().tolist() == [30]
        assert torch.equal((x[:, 0, 0] > 0).long(), y)
        assert int(y.sum()) == 200  # balanced

    def test_later_steps_carry_no_label_information(self):
        x, _, y = make_long_range_task(4000, length=20, noise=1.0, seed=1)
        later = x[:, 1:, 0]
        gap = later[y == 1].mean() - later[y == 0].mean()
        assert abs(float(gap)) < 0.02
        assert abs(float(later.std()) - 1.0) < 0.02

    def test_seeded_and_validated(self):
        a, b = (
            make_long_range_task(10, length=5, seed=2),
            make_long_range_task(10, length=5, seed=2),
        )
        assert all(torch.equal(u, v) for u, v in zip(a, b, strict=True))
        with pytest.raises(ValueError, match="`length` to be an int >= 1"):
            make_long_range_task(10, length=0)
        with pytest.raises(ValueError, match=r"`noise` to be a float in \[0.0, 10.0\]"):
            make_long_range_task(10, length=5, noise=-0.1)


# --------------------------------------------------------------------------- tagging


def _rule_tagger(x, lengths, threshold=0.5):
    """Tag steps by following the spikes, as the generator does (exact when noise=0)."""
    y = np.zeros(x.shape[:2], dtype=np.int64)
    for i, steps in enumerate(lengths.tolist()):
        state = 0
        for t in range(steps):
            start, stop = x[i, t, :2] > threshold, x[i, t, 2] > threshold
            if state == 0 and start.any():
                state = int(start.argmax()) + 1
            elif state != 0 and stop:
                state = 0
            y[i, t] = state
    return y


class TestTagging:
    def test_shapes_padding_and_classes(self):
        x, lengths, y = make_tagging_task(200, max_length=40, seed=0)
        assert x.shape == (200, 40, 3) and y.shape == (200, 40) and y.dtype == torch.int64
        real = _mask(lengths, 40)
        assert bool((x[~real] == 0).all()) and bool((y[~real] == 0).all())
        assert 10 <= int(lengths.min()) and int(lengths.max()) <= 40
        counts = y[real].bincount(minlength=3)
        assert int(counts.argmax()) == 0  # idle is the majority class, as documented
        assert all(int(c) > 0 for c in counts)

    def test_labels_follow_the_spikes(self):
        x, lengths, y = make_tagging_task(100, max_length=30, noise=0.0, seed=4)
        real = _mask(lengths, 30).numpy()
        assert np.array_equal(_rule_tagger(x.numpy(), lengths)[real], y.numpy()[real])

    def test_pad_label(self):
        _, lengths, y = make_tagging_task(50, max_length=20, pad_label=-100, seed=0)
        real = _mask(lengths, 20)
        assert bool((y[~real] == -100).all()) and int(y[real].min()) >= 0

    def test_min_length_and_errors(self):
        _, lengths, _ = make_tagging_task(100, max_length=20, min_length=20, seed=0)
        assert lengths.unique().tolist() == [20]
        with pytest.raises(ValueError, match=r"`min_length` to be an int in \[1, 20\]"):
            make_tagging_task(10, max_length=20, min_length=21)
        with pytest.raises(ValueError, match="`max_length` to be an int >= 2"):
            make_tagging_task(10, max_length=1)


# --------------------------------------------------------------------------- windows


class TestSlidingWindows:
    def test_windows_and_targets_line_up(self):
        series = np.arange(20.0)
        x, y = sliding_windows(series, window=5, horizon=2)
        assert x.shape == (14, 5, 1) and y.shape == (14, 2)
        assert x.dtype == y.dtype == torch.float32
        for i in (0, 7, 13):
            assert x[i, :, 0].tolist() == list(range(i, i + 5))
            assert y[i].tolist() == [i + 5, i + 6]

    def test_step_and_multivariate_target(self):
        series = torch.stack([torch.arange(12.0), -torch.arange(12.0)], dim=1)  # (T, 2)
        x, y = sliding_windows(series, window=4, step=4, target=1)
        assert x.shape == (2, 4, 2)
        assert y[:, 0].tolist() == [-4.0, -8.0]

    def test_neighbouring_windows_overlap(self):
        x, y = sliding_windows(load_airline(), window=12)
        assert torch.equal(x[1, :-1], x[0, 1:])  # 11 of 12 steps shared
        assert float(y[0, 0]) == float(x[1, -1, 0])  # one window's target is the next's input

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"window": 10, "horizon": 1}, ValueError, r"at least window \+ horizon = 11"),
            ({"window": 0}, ValueError, r"`window` to be an int >= 1"),
            ({"window": 3, "target": 1}, ValueError, r"`target` to be an int in \[0, 0\]"),
        ],
    )
    def test_bad_input(self, kwargs, error, match):
        with pytest.raises(error, match=match):
            sliding_windows(np.arange(10.0), **kwargs)

    def test_bad_series(self):
        with pytest.raises(ValueError, match=r"shape \(time,\) or \(time, features\)"):
            sliding_windows(np.zeros((2, 3, 4)), window=1)
        with pytest.raises(TypeError, match=r"`series` to be a torch\.Tensor or numpy\.ndarray"):
            sliding_windows("abc", window=1)


# --------------------------------------------------------------------------- splits


class TestChronologicalSplit:
    def test_indices_in_order(self):
        parts = chronological_split(20)
        assert [p.tolist() for p in parts] == [list(range(14)), [14, 15, 16], [17, 18, 19]]

    def test_tuple_of_arrays_gives_fit_ready_tuples(self):
        x, lengths, y = make_long_range_task(10, length=3, seed=0)
        train, test = chronological_split((x, lengths, y), fractions=(0.8, 0.2))
        assert torch.equal(train[0], x[:8]) and torch.equal(test[2], y[8:])
        assert len(train) == len(test) == 3

    def test_numpy_stays_numpy(self):
        a, b = chronological_split(np.arange(10), fractions=(0.5, 0.5))
        assert isinstance(a, np.ndarray) and b.tolist() == [5, 6, 7, 8, 9]

    @pytest.mark.parametrize("fractions", [(0.5, 0.6), (1.0,), (0.5, -0.5, 1.0), "abc"])
    def test_bad_fractions(self, fractions):
        with pytest.raises(ValueError, match="`fractions` to be two or more positive numbers"):
            chronological_split(10, fractions=fractions)

    def test_arrays_must_agree(self):
        with pytest.raises(ValueError, match="share a non-empty first axis"):
            chronological_split((torch.zeros(5), torch.zeros(6)))
        with pytest.raises(TypeError, match="`n_or_arrays`"):
            chronological_split("x")


class TestRandomSplit:
    def test_partition_and_seed(self):
        parts = random_split(100, seed=1)
        joined = np.sort(np.concatenate(parts))
        assert np.array_equal(joined, np.arange(100))
        assert [len(p) for p in parts] == [70, 15, 15]
        again = random_split(100, seed=1)
        other = random_split(100, seed=2)
        assert all(np.array_equal(a, b) for a, b in zip(parts, again, strict=True))
        assert not np.array_equal(parts[0], other[0])

    def test_stratify_puts_rare_positives_in_every_part(self):
        _, _, y = make_fraud_sequences(1000, prevalence=0.02, seed=0)
        parts = random_split(1000, stratify=y, seed=0)
        assert [int(y[p].sum()) for p in parts] == [14, 3, 3]

    def test_bad_stratify(self):
        with pytest.raises(ValueError, match=r"`stratify` to have shape \(10,\)"):
            random_split(10, stratify=[0, 1])


class TestGroupedSplit:
    def test_no_group_on_two_sides(self):
        groups = np.repeat(np.arange(40), np.arange(40) % 5 + 1)  # uneven group sizes
        parts = grouped_split(groups, seed=0)
        seen = [set(groups[p]) for p in parts]
        assert not (seen[0] & seen[1] or seen[0] & seen[2] or seen[1] & seen[2])
        assert np.array_equal(np.sort(np.concatenate(parts)), np.arange(len(groups)))
        shares = [len(p) / len(groups) for p in parts]
        assert shares == pytest.approx([0.7, 0.15, 0.15], abs=0.06)

    def test_every_part_gets_a_group(self):
        parts = grouped_split(["a"] * 10 + ["b", "c"], seed=0)
        assert all(len(p) > 0 for p in parts)

    def test_too_few_groups(self):
        with pytest.raises(ValueError, match="at least 3 groups"):
            grouped_split([1, 1, 2, 2])


# --------------------------------------------------------------------------- scaler


class TestSequenceScaler:
    def test_statistics_ignore_padding(self):
        x, lengths, _ = make_tagging_task(50, max_length=30, seed=0)
        x = x * 3 + 1
        x[~_mask(lengths, 30)] = 0.0
        scaler = SequenceScaler().fit(x, lengths)
        real = x[_mask(lengths, 30)].double()  # (steps, features)
        assert torch.allclose(scaler.mean_, real.mean(0))
        assert torch.allclose(scaler.scale_, real.std(0, correction=0))

    def test_transform_standardises_real_steps_and_keeps_padding_zero(self):
        x, lengths, _ = load_japanese_vowels("train")
        z = SequenceScaler().fit_transform(x, lengths)
        real = z[_mask(lengths, x.shape[1])]
        assert torch.allclose(real.mean(0), torch.zeros(12), atol=1e-5)
        assert torch.allclose(real.std(0, correction=0), torch.ones(12), atol=1e-5)
        assert bool((z[~_mask(lengths, x.shape[1])] == 0).all())

    def test_fitted_on_train_only(self):
        train, test = load_japanese_vowels("train"), load_japanese_vowels("test")
        scaler = SequenceScaler().fit(train[0], train[1])
        mean = scaler.mean_.clone()
        scaler.transform(test[0], test[1])
        assert torch.equal(scaler.mean_, mean)
        other = SequenceScaler().fit(test[0], test[1])
        assert not torch.allclose(other.mean_, mean)

    def test_inverse_round_trip(self):
        x, lengths, _ = make_fraud_sequences(100, seed=0)
        scaler = SequenceScaler().fit(x, lengths)
        back = scaler.inverse_transform(scaler.transform(x, lengths), lengths)
        assert torch.allclose(back, x, atol=1e-5)

    def test_empty_sequences_add_no_steps(self):
        x = torch.tensor([[[1.0], [3.0]], [[7.0], [9.0]], [[5.0], [0.0]]])
        with_empty = SequenceScaler().fit(x, torch.tensor([2, 0, 1]))
        without = SequenceScaler().fit(x[[0, 2]], torch.tensor([2, 1]))
        assert torch.equal(with_empty.mean_, without.mean_)
        assert torch.equal(with_empty.scale_, without.scale_)
        z = with_empty.transform(x, torch.tensor([2, 0, 1]))
        assert bool((z[1] == 0).all())  # an empty row is all padding, left at zero

    def test_one_feature_scaler_accepts_targets(self):
        x, y = sliding_windows(load_airline(), window=12)
        scaler = SequenceScaler().fit(x)
        z = scaler.transform(y)  # (N, 1) targets, same units as the feature
        expected = (y.double() - scaler.mean_) / scaler.scale_
        assert torch.allclose(z.double(), expected, atol=1e-5)

    def test_constant_feature_is_left_centred(self):
        x = torch.ones(4, 3, 2)
        x[..., 1] = torch.arange(12.0).reshape(4, 3)
        scaler = SequenceScaler().fit(x)
        assert scaler.scale_[0] == 1.0
        assert bool((scaler.transform(x)[..., 0] == 0).all())

    def test_errors(self):
        with pytest.raises(RuntimeError, match="not fitted yet"):
            SequenceScaler().transform(torch.zeros(2, 3, 1))
        scaler = SequenceScaler().fit(torch.randn(4, 5, 3))
        with pytest.raises(ValueError, match="`x` to have 3 features"):
            scaler.transform(torch.randn(4, 5, 2))
        with pytest.raises(ValueError, match=r"`lengths` to be in \[0, 5\].*got 6"):
            scaler.fit(torch.randn(2, 5, 3), torch.tensor([0, 6]))
        with pytest.raises(ValueError, match="at least one real step"):
            scaler.fit(torch.randn(2, 5, 3), torch.tensor([0, 0]))
        with pytest.raises(TypeError, match="`x` to be a floating-point tensor"):
            scaler.fit(torch.ones(2, 5, 3, dtype=torch.int64))
        with pytest.raises(TypeError, match="`lengths` to be an integer tensor"):
            scaler.fit(torch.randn(2, 5, 3), torch.tensor([1.0, 2.0]))
        with pytest.raises(ValueError, match=r"shape \(batch, time, features\)"):
            scaler.fit(torch.randn(5, 3))
