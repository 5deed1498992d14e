"""Tests for course_utils._validation: one rule for lengths, masks and tensors, everywhere."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import course_utils.metrics as cu
from course_utils._validation import (
    as_float_vector,
    check_lengths,
    check_lengths_range,
    is_tensor,
    lengths_to_mask,
    to_numpy,
)
from course_utils.data import SequenceScaler
from course_utils.models import Forecaster, SequenceClassifier, SequenceTagger

X = torch.randn(3, 4, 1)
Y = np.array([[1, 0, 1, 1], [0, 0, 1, 0], [1, 1, 0, 0]])


def _entry_points():
    """Every public function that takes lengths, as f(lengths)."""
    return {
        "accuracy_score": lambda lengths: cu.accuracy_score(Y, Y, lengths=lengths),
        "f1_score": lambda lengths: cu.f1_score(Y, Y, lengths=lengths),
        "mean_squared_error": lambda lengths: cu.mean_squared_error(Y, Y, lengths=lengths),
        "SequenceScaler.fit": lambda lengths: SequenceScaler().fit(X, lengths),
        "SequenceClassifier": lambda lengths: SequenceClassifier(1, 4, 2, seed=0)(X, lengths),
        "SequenceTagger": lambda lengths: SequenceTagger(1, 4, 2, seed=0)(X, lengths),
        "Forecaster": lambda lengths: Forecaster(1, 4, seed=0)(X, lengths),
    }


@pytest.mark.parametrize("entry", sorted(_entry_points()))
def test_every_entry_point_accepts_lengths_from_0_to_t(entry):
    _entry_points()[entry](torch.tensor([0, 4, 2]))


@pytest.mark.parametrize("entry", sorted(_entry_points()))
@pytest.mark.parametrize("bad", [-1, 5])
def test_every_entry_point_rejects_lengths_outside_0_to_t_with_one_message(entry, bad):
    with pytest.raises(ValueError, match=rf"`lengths` to be in \[0, 4\].*but got {bad}\."):
        _entry_points()[entry](torch.tensor([0, bad, 2]))


def test_lengths_to_mask_is_the_same_for_numpy_and_torch():
    lengths = [3, 0, 1]
    from_numpy = lengths_to_mask(np.array(lengths), 4)
    from_torch = lengths_to_mask(torch.tensor(lengths), 4)
    assert isinstance(from_numpy, np.ndarray) and isinstance(from_torch, torch.Tensor)
    assert (
        from_numpy.tolist()
        == from_torch.tolist()
        == [
            [True, True, True, False],
            [False, False, False, False],
            [True, False, False, False],
        ]
    )


def test_check_lengths_none_means_full_and_refuses_bool_and_float():
    assert check_lengths(None, n=2, max_length=5).tolist() == [5, 5]
    with pytest.raises(TypeError, match="integer tensor"):
        check_lengths(torch.tensor([True, False]), n=2, max_length=5)
    with pytest.raises(TypeError, match="integer tensor"):
        check_lengths(np.array([1.0, 2.0]), n=2, max_length=5)
    with pytest.raises(ValueError, match=r"`val\[1\]` to be in \[0, 5\] \(the time axis of `v`\)"):
        check_lengths([1, 6], n=2, max_length=5, name="val[1]", of="v")


def test_check_lengths_range_names_the_input():
    with pytest.raises(ValueError, match=r"time axis of `y_true`\), but got -2"):
        check_lengths_range(np.array([-2, 1]), time=3, of="y_true")


def test_tensor_sniffing_and_conversion():
    assert is_tensor(torch.zeros(1)) and not is_tensor(np.zeros(1)) and not is_tensor([0])
    half = to_numpy(torch.tensor([0.5, 1.5], dtype=torch.bfloat16, requires_grad=True))
    assert half.dtype == np.float32 and half.tolist() == [0.5, 1.5]
    assert to_numpy(torch.tensor([1, 2])).dtype == np.int64
    assert to_numpy([[1, 2]]).shape == (1, 2)


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (["a", "b"], TypeError, "`v` to hold numbers"),
        ([[1.0, 2.0]], ValueError, "non-empty 1-D array"),
        ([], ValueError, "non-empty 1-D array"),
        ([1.0, np.inf], ValueError, "1 NaN or infinite"),
    ],
)
def test_as_float_vector_errors(value, error, match):
    with pytest.raises(error, match=match):
        as_float_vector(value, name="v")
