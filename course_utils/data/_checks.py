"""Private checks shared by the data, models and training modules.

The course keeps one convention for a batch of variable-length sequences: ``x`` is a
zero-padded float tensor ``(batch, time, features)`` and ``lengths`` an int64 tensor
``(batch,)`` that says how many leading steps of each row are real. These helpers turn
NumPy or torch input into that form once, at the top of a public function, with an error
that names the argument and the fix.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch


def as_tensor(a, *, name: str) -> torch.Tensor:
    """``a`` (tensor, ndarray or nested list) as a tensor, without copying when possible."""
    if isinstance(a, torch.Tensor):
        return a
    if isinstance(a, np.ndarray | list | tuple):
        return torch.as_tensor(np.asarray(a))
    raise TypeError(
        f"Expected `{name}` to be a torch.Tensor or numpy.ndarray, but got {type(a).__name__}."
    )


def check_sequences(x, *, name: str = "x", features: int | None = None) -> torch.Tensor:
    """A float32 (or float64) tensor of shape (batch, time, features)."""
    x = as_tensor(x, name=name)
    if x.ndim != 3:
        raise ValueError(
            f"Expected `{name}` to have shape (batch, time, features), but got shape "
            f"{tuple(x.shape)}. Add a trailing feature axis with `{name}[..., None]` for a "
            "single feature."
        )
    if not x.is_floating_point():
        raise TypeError(
            f"Expected `{name}` to be a floating-point tensor, but got dtype {x.dtype}. "
            f"Convert it with `{name}.float()`."
        )
    if x.dtype != torch.float64:
        x = x.float()  # float16/bfloat16 in, float32 out
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(
            f"Expected `{name}` to hold at least one sequence of at least one step, but got "
            f"shape {tuple(x.shape)}."
        )
    if features is not None and x.shape[2] != features:
        raise ValueError(
            f"Expected `{name}` to have {features} features (its last axis), but got {x.shape[2]}."
        )
    return x


def check_lengths(lengths, *, n: int, max_length: int, name: str = "lengths") -> torch.Tensor:
    """An int64 CPU tensor of shape (n,) with values in [1, max_length].

    ``None`` means every sequence uses all ``max_length`` steps.
    """
    if lengths is None:
        return torch.full((n,), max_length, dtype=torch.int64)
    lengths = as_tensor(lengths, name=name)
    if lengths.dtype == torch.bool or lengths.is_floating_point() or lengths.is_complex():
        raise TypeError(
            f"Expected `{name}` to be an integer tensor, but got dtype {lengths.dtype}. "
            f"Convert it with `{name}.long()`."
        )
    if lengths.shape != (n,):
        raise ValueError(
            f"Expected `{name}` to have shape ({n},), one length per sequence, but got shape "
            f"{tuple(lengths.shape)}."
        )
    lengths = lengths.to(device="cpu", dtype=torch.int64)  # pack_padded_sequence wants CPU
    low, high = int(lengths.min()), int(lengths.max())
    if low < 1 or high > max_length:
        raise ValueError(
            f"Expected every value of `{name}` to be in [1, {max_length}] (the time axis of "
            f"the padded input), but got values from {low} to {high}."
        )
    return lengths


def check_int(value, *, name: str, low: int = 1, high: int | None = None) -> int:
    """``value`` as a Python int in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"Expected `{name}` to be an int, but got {type(value).__name__}.")
    value = int(value)
    if value < low or (high is not None and value > high):
        bounds = f"[{low}, {high}]" if high is not None else f">= {low}"
        raise ValueError(f"Expected `{name}` to be an int {bounds}, but got {value}.")
    return value


def check_float(
    value, *, name: str, low: float, high: float, low_open: bool = False, high_open: bool = False
) -> float:
    """``value`` as a Python float inside the given interval."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Expected `{name}` to be a float, but got {type(value).__name__}.")
    value = float(value)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if np.isnan(value) or too_low or too_high:
        interval = f"{'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
        raise ValueError(f"Expected `{name}` to be a float in {interval}, but got {value}.")
    return value


def check_choice(value, *, name: str, choices: tuple) -> str:
    """``value`` if it is one of ``choices``."""
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"Expected `{name}` to be one of {listed}, but got {value!r}.")
    return value


def check_seed(seed) -> int:
    """A seed for numpy's and torch's generators."""
    return check_int(seed, name="seed", low=0, high=2**32 - 1)
