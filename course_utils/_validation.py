"""The package's one set of input checks, and the rules they enforce.

Every public entry point (metrics, data, models, training, plots) checks its arguments once,
at the top, with the helpers here (or, in :mod:`course_utils.metrics`, with helpers built on
them), so the code below can trust its inputs. Each error names the argument and the fix:
``TypeError`` for the wrong kind of thing, ``ValueError`` for a value out of range, and
for options (ints, floats, choices, bools, seeds) :class:`~course_utils._params.InvalidParameterError`,
which is both (the constraints live in :mod:`course_utils._params`).

The rules
---------
Arrays
    Inputs may be lists, NumPy arrays or torch tensors (CPU or CUDA). A tensor is recognised
    without importing torch (:func:`is_tensor`) and turned into NumPy once
    (:func:`to_numpy`: detached, copied to the CPU, half precision widened to float32).
    NumPy-side code never imports torch; torch-side helpers import it when called.

Padded batches
    A batch of variable-length sequences is ``x`` zero-padded to ``(batch, time, features)``
    with ``lengths`` ``(batch,)``: step ``t`` of row ``b`` is real when ``t < lengths[b]``.

Lengths: every entry in ``0..T``
    ``T`` is the time axis of the padded input. A length of 0 is an empty sequence: it adds
    no step to a metric, and a model reads it as its initial (zero) state. This is the one
    rule everywhere (metrics, scaling, models, training). What an entry point needs is at
    least one real step over the whole input: metrics, the scaler and ``fit`` reject inputs
    whose every step is padding. ``lengths=None`` means every row is full. Lengths are
    integers (bool and float are refused), one per row. :func:`lengths_to_mask` is the one
    place that turns lengths into a mask, for NumPy and torch alike.

Masks
    ``mask=`` is boolean (or 0/1 integers), ``True`` at a real step, with the shape of the
    inputs or of their leading axes. Given with ``lengths=``, a step counts only if both say
    it is real.

Labels
    Class labels are class indices ``0..C-1`` (what ``argmax`` and ``nn.CrossEntropyLoss``
    use); only real steps are checked, so padding may hold anything (such as -100). Metrics
    also accept whole-number floats (``1.0``), never scores (``0.7``), and string labels
    where scikit-learn does.

``pos_label``
    The label of the positive class: one value of the labels' own kind (an int, a bool or a
    string), as in scikit-learn. Where it is optional, ``None`` means 1 and needs labels in
    {0, 1} (or {-1, 1}). Functions that work on class indices of a binary model take
    ``pos_label`` in {0, 1}.

Options
    Keyword-only; integers are real ints (``True`` is not 1), floats are finite and inside
    the documented interval, seeds are ints in ``[0, 2**32)``.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

from course_utils._params import (
    Boolean,
    Interval,
    InvalidParameterError,
    Seed,
    StrOptions,
    check_param,
)

__all__ = [
    "InvalidParameterError",
    "as_float_vector",
    "as_tensor",
    "check_bool",
    "check_choice",
    "check_class_indices",
    "check_finite",
    "check_float",
    "check_int",
    "check_lengths",
    "check_lengths_range",
    "check_seed",
    "check_sequences",
    "is_tensor",
    "lengths_to_mask",
    "to_numpy",
]


# ----------------------------------------------------------------------------- arrays


def is_tensor(x) -> bool:
    """Whether ``x`` is a torch tensor, found without importing torch.

    >>> import torch
    >>> is_tensor(torch.zeros(2)), is_tensor([0.0, 1.0])
    (True, False)
    """
    return hasattr(x, "detach") and hasattr(x, "cpu") and hasattr(x, "numpy")


def to_numpy(x):
    """A tensor as a NumPy array (detached, on the CPU, half precision widened to float32);
    anything else through :func:`numpy.asarray` unchanged in dtype.

    >>> import torch
    >>> to_numpy(torch.tensor([1.0, 2.0], dtype=torch.float16)).dtype
    dtype('float32')
    >>> to_numpy([1, 2]).tolist()
    [1, 2]
    """
    if is_tensor(x):
        if getattr(x, "is_meta", False):
            raise ValueError(
                f"got a meta tensor of shape {tuple(x.shape)}: it has a shape but no values. "
                "Pass the tensor after running the model on a real device (CPU or CUDA)."
            )
        x = x.detach()
        if x.is_floating_point() and x.element_size() < 4:
            x = x.float()  # NumPy has no bfloat16, and half-precision sums lose too much
        return x.cpu().numpy()
    return np.asarray(x)


def as_tensor(a, *, name: str):
    """``a`` (tensor, ndarray or nested list) as a tensor, without copying when possible."""
    import torch

    if isinstance(a, torch.Tensor):
        return a
    if isinstance(a, np.ndarray | list | tuple):
        return torch.as_tensor(np.asarray(a))
    raise TypeError(
        f"Expected `{name}` to be a torch.Tensor or numpy.ndarray, but got {type(a).__name__}."
    )


def as_float_vector(a, *, name: str) -> np.ndarray:
    """A finite, non-empty 1-D float64 array from a list, NumPy array or (CPU or GPU) tensor.

    >>> as_float_vector([1, 2], name="values").tolist()
    [1.0, 2.0]
    >>> as_float_vector([1.0, float("nan")], name="values")
    Traceback (most recent call last):
        ...
    ValueError: Expected `values` to hold finite numbers, but it has 1 NaN or infinite value(s).
    """
    try:
        a = np.asarray(to_numpy(a), dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"Expected `{name}` to hold numbers, but got {type(a).__name__}."
        ) from error
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"Expected `{name}` to be a non-empty 1-D array, but got shape {a.shape}.")
    check_finite(a, name=name)
    return a


def check_finite(a, *, name: str, hint: str = "") -> None:
    """Raise ValueError if the array or tensor ``a`` holds NaN or infinity."""
    finite = a.isfinite() if is_tensor(a) else np.isfinite(a)
    if not bool(finite.all()):
        n_bad = int((~finite).sum())
        raise ValueError(
            f"Expected `{name}` to hold finite numbers, but it has {n_bad} NaN or infinite "
            f"value(s).{hint}"
        )


# ----------------------------------------------------------------- lengths and masks


def check_lengths_range(lengths, *, time: int, of: str, name: str = "lengths") -> None:
    """Raise ValueError unless every entry of integer ``lengths`` is in ``0..time``.

    ``of`` names the padded input whose time axis bounds the lengths.

    >>> check_lengths_range(np.array([0, 3]), time=3, of="x")
    >>> check_lengths_range(np.array([1, 4]), time=3, of="x")
    Traceback (most recent call last):
        ...
    ValueError: Expected every entry of `lengths` to be in [0, 3] (the time axis of `x`), but got 4.
    """
    low, high = int(lengths.min()), int(lengths.max())
    if low < 0 or high > time:
        raise ValueError(
            f"Expected every entry of `{name}` to be in [0, {time}] (the time axis of `{of}`), "
            f"but got {low if low < 0 else high}."
        )


def lengths_to_mask(lengths, steps: int):
    """``True`` at real steps: a ``(batch, steps)`` mask from checked ``lengths`` ``(batch,)``.

    NumPy lengths give a NumPy mask, a tensor gives a tensor on its device.

    >>> lengths_to_mask(np.array([2, 0]), 3).tolist()
    [[True, True, False], [False, False, False]]
    """
    if is_tensor(lengths):
        import torch

        return torch.arange(steps, device=lengths.device)[None, :] < lengths[:, None]
    return np.arange(steps)[None, :] < np.asarray(lengths)[:, None]


def check_sequences(x, *, name: str = "x", features: int | None = None, finite: bool = False):
    """A float32 (or float64) tensor of shape ``(batch, time, features)``.

    With ``finite=True`` NaN and infinity are refused too (training would turn them into a
    NaN loss).
    """
    import torch

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
    if finite:
        check_finite(x, name=name, hint=" Drop or impute missing values before training.")
    return x


def check_lengths(lengths, *, n: int, max_length: int, name: str = "lengths", of: str = "x"):
    """An int64 CPU tensor of shape ``(n,)`` with entries in ``0..max_length``.

    ``None`` means every sequence uses all ``max_length`` steps.
    """
    import torch

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
    check_lengths_range(lengths, time=max_length, of=of, name=name)
    return lengths


# ----------------------------------------------------------------------------- labels


def check_class_indices(y, *, num_classes: int, name: str, real=None):
    """Raise ValueError unless the integer tensor ``y`` holds class indices in
    ``0..num_classes-1`` at the real steps (``real``: a boolean mask of ``y``'s shape, or
    None for every entry)."""
    values = y if real is None else y[real]
    if values.numel() and (int(values.min()) < 0 or int(values.max()) >= num_classes):
        raise ValueError(
            f"Expected the labels in `{name}` to be in [0, {num_classes - 1}] (the model has "
            f"{num_classes} classes), but got values from {int(values.min())} to "
            f"{int(values.max())}."
        )


# ---------------------------------------------------------------------------- options


def check_int(value, *, name: str, low: int = 1, high: int | None = None) -> int:
    """``value`` as a Python int in [low, high] (the rule of
    :class:`~course_utils._params.Interval` over ``Integral``).

    >>> check_int(3, name="epochs")
    3
    >>> check_int(True, name="epochs")
    Traceback (most recent call last):
        ...
    course_utils._params.InvalidParameterError: Expected `epochs` to be an int, but got bool True. Pass an int >= 1.
    """
    check_param(name, value, [Interval(Integral, low, high, closed="both")])
    return int(value)


def check_float(
    value, *, name: str, low: float, high: float, low_open: bool = False, high_open: bool = False
) -> float:
    """``value`` as a Python float inside the given interval (finite: never NaN or infinity;
    ``high=inf`` means no upper bound)."""
    closed = {(False, False): "both", (False, True): "left", (True, False): "right"}.get(
        (low_open, high_open), "neither"
    )
    if high is not None and math.isinf(high):
        high, closed = None, ("left" if closed in ("both", "left") else "neither")
    check_param(name, value, [Interval(Real, low, high, closed=closed)])
    return float(value)


def check_choice(value, *, name: str, choices: tuple):
    """``value`` if it is one of the strings ``choices`` (``None`` too, if listed)."""
    strings = [c for c in choices if c is not None]
    check_param(name, value, [StrOptions(strings), *([None] if None in choices else [])])
    return value


def check_bool(value, *, name: str) -> bool:
    """``value`` if it is True or False (NumPy's bool included): the one bool rule."""
    check_param(name, value, [Boolean()])
    return bool(value)


def check_seed(seed, *, name: str = "seed") -> int:
    """A seed for Python's, NumPy's and torch's generators: an int in ``[0, 2**32)``.

    >>> check_seed(-1)
    Traceback (most recent call last):
        ...
    course_utils._params.InvalidParameterError: Expected `seed` to be an int in [0, 2**32), but got -1.
    """
    check_param(name, seed, [Seed()])
    return int(seed)
