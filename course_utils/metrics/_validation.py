"""Checked NumPy arrays from what learners pass in, and one selection of the valid steps.

Every public metric calls these helpers once, at the top, so the code that computes a metric
can trust its inputs. Each message names the argument and says how to fix it.

Conventions shared by the whole package:

- Inputs may be lists, NumPy arrays or torch tensors (CPU or CUDA). Tensors are detached and
  copied to the CPU; torch itself is never imported here.
- ``lengths=`` (one integer per sequence) marks steps ``t >= lengths[b]`` of ``(batch, time,
  ...)`` inputs as padding; ``mask=`` (True = a real step) has the inputs' shape or the shape of
  their leading axes. Given both, a step counts only if both say so.
- Labels are numbers (class indices ``0, 1, 2, ...`` take a fast path without sorting),
  bools or strings. Floats such as ``1.0`` are accepted; ``0.7`` is not: scores are never
  thresholded silently.
"""

from __future__ import annotations

import numbers

import numpy as np

from course_utils._validation import check_lengths_range, is_tensor, lengths_to_mask, to_numpy

# Counting uses arrays as long as the largest class index; this bound keeps a stray label
# such as 10**9 from allocating gigabytes.
MAX_CLASS_INDEX = 2**24


# ----------------------------------------------------------------------------- arrays


def as_array(x, name: str) -> np.ndarray:
    """A non-empty numeric NumPy array (a view where possible) from a list, array or tensor."""
    try:
        arr = to_numpy(x)  # a tensor: detached, on the CPU, half precision widened
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"Expected `{name}` to be array-like (a list, NumPy array or torch tensor), "
            f"but it could not be converted: {err}"
        ) from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"Expected `{name}` to hold numbers, but got dtype {arr.dtype}. "
            "Encode labels as class indices 0..n_classes-1 first."
        )
    if arr.ndim == 0:
        raise ValueError(
            f"Expected `{name}` to be an array, but got the scalar {arr.item()!r}. "
            "Wrap it in a list."
        )
    if arr.size == 0:
        raise ValueError(f"Expected `{name}` to be non-empty, but got shape {arr.shape}.")
    return arr


def check_same_shape(a: np.ndarray, b: np.ndarray, names: tuple[str, str]) -> None:
    """Raise if two inputs that pair up step by step have different shapes."""
    if a.shape == b.shape:
        return
    hint = ""
    if b.ndim == a.ndim + 1 and b.shape[:-1] == a.shape:
        if b.shape[-1] == 1:
            hint = f" Squeeze the last axis: `{names[1]}.squeeze(-1)`."
        else:
            hint = f" If `{names[1]}` holds one score per class, take `{names[1]}.argmax(-1)`."
    raise ValueError(
        f"Expected `{names[0]}` and `{names[1]}` to have the same shape, "
        f"but got {a.shape} and {b.shape}.{hint}"
    )


# ----------------------------------------------------------------- mask= and lengths=


def valid_selection(
    shape: tuple, *, mask, lengths, name: str, allow_empty: bool = False
) -> np.ndarray | None:
    """Boolean array over the leading axes of ``shape`` (True = a real step), or None for all.

    With ``allow_empty=True`` a selection of no step is returned instead of refused (the
    statistics of a batch that is all padding; see :func:`require_steps`).
    """
    keep = None if lengths is None else _lengths_to_mask(lengths, shape, name)
    if mask is not None:
        given = _check_mask(mask, shape, name)
        keep = given if keep is None else _both(keep, given)
    if keep is not None and not allow_empty and not keep.any():
        require_steps(0, name)
    return keep


def require_steps(n_steps, name: str = "y_true") -> None:
    """Raise the package's "no valid step" error when ``n_steps`` is 0."""
    if not n_steps:
        raise ValueError(
            f"Expected at least one valid step, but `mask`/`lengths` mark every step of "
            f"`{name}` as padding."
        )


def _lengths_to_mask(lengths, shape: tuple, name: str) -> np.ndarray:
    lengths = as_array(lengths, "lengths")
    if lengths.dtype.kind not in "iu":
        raise TypeError(
            f"Expected `lengths` to hold integers, but got dtype {lengths.dtype}. "
            "Pass one int per sequence, e.g. `lengths.long()`."
        )
    if lengths.ndim != 1:
        raise ValueError(
            f"Expected `lengths` to be 1-D (one length per sequence), but got shape "
            f"{lengths.shape}."
        )
    if len(shape) < 2:
        raise ValueError(
            f"`lengths` needs inputs shaped (batch, time, ...), but `{name}` has shape {shape}. "
            "Use `mask=` for other layouts."
        )
    batch, time = shape[0], shape[1]
    if lengths.shape[0] != batch:
        raise ValueError(
            f"Expected `lengths` to have one entry per sequence ({batch}, the first axis of "
            f"`{name}`), but got {lengths.shape[0]}."
        )
    check_lengths_range(lengths, time=time, of=name)  # the package's rule: 0..T
    return lengths_to_mask(lengths, time)  # (batch, time)


def _check_mask(mask, shape: tuple, name: str) -> np.ndarray:
    mask = as_array(mask, "mask")
    if mask.dtype.kind in "iu":  # 0/1 integer masks, e.g. an attention mask
        if mask.min() < 0 or mask.max() > 1:
            raise ValueError(
                "Expected `mask` to hold only True/False or 0/1, but got values in "
                f"[{mask.min()}, {mask.max()}]."
            )
        mask = mask.astype(bool)
    elif mask.dtype.kind != "b":
        raise TypeError(
            f"Expected `mask` to be boolean (True marks a real step, False padding), but got "
            f"dtype {mask.dtype}. Build it with a comparison, e.g. `mask = x != pad_value`."
        )
    if mask.shape != shape[: mask.ndim]:
        raise ValueError(
            f"Expected `mask` to have the shape of `{name}` {shape} or of its leading axes, "
            f"but got {mask.shape}."
        )
    return mask


def _both(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """AND of two masks over leading axes; the shorter one is broadcast along the rest."""
    ndim = max(a.ndim, b.ndim)
    a = a.reshape(a.shape + (1,) * (ndim - a.ndim))
    b = b.reshape(b.shape + (1,) * (ndim - b.ndim))
    return a & b


# ----------------------------------------------------------------------------- values


def as_class_indices(y: np.ndarray, name: str) -> tuple[np.ndarray, int]:
    """``y`` flattened to non-negative integer class indices, and its largest index."""
    y = y.reshape(-1)
    if y.dtype.kind == "b":
        return y.view(np.uint8), int(y.max())
    if y.dtype.kind == "f":
        y = _whole_numbers(y, name)
    if y.dtype.kind == "i":
        # Seen as unsigned, a negative number is huge, so one max() checks both ends.
        top = int(y.view(f"u{y.dtype.itemsize}").max())
        if top > np.iinfo(y.dtype).max:
            raise ValueError(
                f"Expected `{name}` to hold class indices 0, 1, 2, ..., but found the negative "
                f"label {y.min()}. If it marks padding (such as -100), pass `lengths=` or "
                "`mask=` so padded steps are not counted; otherwise map labels to "
                "0..n_classes-1 first, e.g. `np.unique(y, return_inverse=True)[1]`."
            )
    else:
        top = int(y.max())
    if top >= MAX_CLASS_INDEX:
        raise ValueError(
            f"Expected `{name}` to hold class indices below 2**24, but got {top}. Map labels "
            "to 0..n_classes-1 first, e.g. `np.unique(y, return_inverse=True)[1]`."
        )
    if y.dtype == np.uint64:
        y = y.astype(np.int64)  # np.bincount refuses uint64
    return y, top


def _whole_numbers(y: np.ndarray, name: str) -> np.ndarray:
    with np.errstate(invalid="ignore"):  # NaN and inf cast to garbage; the check catches them
        as_int = y.astype(np.int64)
    if not np.array_equal(as_int, y):
        bad = y[as_int != y][0]
        raise ValueError(
            f"Expected `{name}` to hold class labels (whole numbers), but found {bad.item()!r}. "
            "Threshold scores first, e.g. `y_score >= 0.5`, or take `.argmax(-1)` of class "
            "scores."
        )
    return as_int


def distinct_labels(y: np.ndarray) -> np.ndarray:
    """``np.unique(y)`` without a sort for booleans and integers in a short range."""
    if y.size == 0:
        return np.unique(y)
    if y.dtype.kind == "b":
        return np.array([False, True])[[bool((~y).any()), bool(y.any())]]
    if y.dtype.kind in "iu":
        low, high = int(y.min()), int(y.max())
        if high - low <= 1:  # one or two labels, e.g. 0/1: both ends occur
            return np.unique(np.array([low, high], dtype=y.dtype))
        if high - low < 2**16:
            shifted = y.astype(np.int64) - low if low else y
            present = np.bincount(shifted, minlength=high - low + 1) > 0
            return (np.flatnonzero(present) + low).astype(y.dtype)
    return np.unique(y)


def as_scores(y: np.ndarray, name: str) -> np.ndarray:
    """Scores to rank: integers kept as integers (float64 would tie distinct int64 scores
    above 2**53), anything else as :func:`as_finite_floats` gives it."""
    if y.dtype.kind in "iu":
        return y
    return as_finite_floats(y, name)


def as_finite_floats(y: np.ndarray, name: str) -> np.ndarray:
    """``y`` as floats (float32 kept, others to float64), rejecting NaN and infinity."""
    if y.dtype.kind != "f":
        y = y.astype(np.float64)
    elif y.dtype.itemsize < 4:
        y = y.astype(np.float32)
    if not np.isfinite(y).all():
        n_bad = int(np.count_nonzero(~np.isfinite(y)))
        raise ValueError(
            f"Expected `{name}` to be finite, but found {n_bad} NaN or infinite value(s). "
            "Check the model's outputs (a diverged run?) or mark those steps with `mask=`."
        )
    return y


# ---------------------------------------------------------------------------- options


def check_option(value, name: str, choices: tuple) -> None:
    """Raise unless ``value`` is one of ``choices`` (strings and/or None)."""
    ok = (value is None and None in choices) or (isinstance(value, str) and value in choices)
    if not ok:
        shown = ", ".join(repr(c) for c in choices)
        raise ValueError(f"Expected `{name}` to be one of {shown}, but got {value!r}.")


def check_zero_division(value) -> None:
    """Raise unless ``value`` is "warn", 0, 1 or np.nan, as in scikit-learn."""
    if isinstance(value, str):
        ok = value == "warn"
    else:
        ok = isinstance(value, numbers.Real) and (value in (0, 1) or np.isnan(value))
    if not ok:
        raise ValueError(
            f'Expected `zero_division` to be "warn", 0, 1 or np.nan, but got {value!r}.'
        )


def check_bool(value, name: str) -> None:
    """Raise unless ``value`` is True or False."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"Expected `{name}` to be True or False, but got {value!r}.")


# ------------------------------------------------------------ labels of any kind


def as_label_array(x, name: str) -> np.ndarray:
    """A non-empty array of labels: numbers, booleans or strings (scikit-learn's kinds)."""
    if is_tensor(x):
        return as_array(x, name)
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"Expected `{name}` to be array-like (a list, NumPy array or torch tensor), "
            f"but it could not be converted: {err}"
        ) from None
    if arr.dtype.kind == "O":
        kinds = {type(v) for v in arr.reshape(-1)}
        if not kinds or not (kinds <= {str} or all(issubclass(k, numbers.Number) for k in kinds)):
            shown = sorted(k.__name__ for k in kinds)
            raise TypeError(
                f"Expected `{name}` to hold labels of one kind (numbers, booleans or strings), "
                f"but got values of types {shown}."
            )
        arr = arr.astype(str) if kinds <= {str} else arr.astype(np.float64)
    if arr.dtype.kind in "US":
        if arr.ndim == 0:
            raise ValueError(
                f"Expected `{name}` to be an array, but got the scalar {arr.item()!r}. "
                "Wrap it in a list."
            )
        if arr.size == 0:
            raise ValueError(f"Expected `{name}` to be non-empty, but got shape {arr.shape}.")
        return arr
    return as_array(arr, name)


def positive_class(y: np.ndarray, pos_label, name: str = "y_true") -> np.ndarray:
    """Boolean array: True where ``y == pos_label``; ``pos_label=None`` means 1, as in
    scikit-learn, when the labels are {0, 1} or {-1, 1} (or one of these)."""
    numeric = y.dtype.kind in "biuf"
    if pos_label is None:
        if y.dtype.kind == "b":
            return y
        if not (numeric and _is_zero_one_or_pm_one(y)):
            shown = np.unique(y).tolist()[:10]
            raise ValueError(
                f"Expected `{name}` to hold 0/1 (or -1/1) labels when `pos_label` is not "
                f"given, but it holds {shown}. Pass the positive class, e.g. "
                f"`pos_label={shown[-1]!r}` (every other label is then negative)."
            )
        return y == 1
    check_label_scalar(pos_label, "pos_label")
    if numeric == isinstance(pos_label, str):
        shown = np.unique(y).tolist()[:10]
        raise ValueError(
            f"Expected `pos_label` to be one of the labels in `{name}` {shown}, but got "
            f"{pos_label!r}."
        )
    return y == pos_label


def _is_zero_one_or_pm_one(y: np.ndarray) -> bool:
    """Whether every value of numeric ``y`` is in {0, 1} or every value in {-1, 1}."""
    low, high = y.min(), y.max()
    if low >= 0 and high <= 1:
        return y.dtype.kind in "iu" or bool(np.all((y == 0) | (y == 1)))
    if low >= -1 and high <= 1:
        return bool(np.all((y == -1) | (y == 1)))
    return False


def check_label_scalar(value, name: str) -> None:
    """Raise unless ``value`` is one label: a number, a bool or a string."""
    if not isinstance(value, numbers.Number | str | np.bool_):
        raise TypeError(
            f"Expected `{name}` to be one label (a number or a string), but got {value!r}."
        )


# ------------------------------------------------------------------ sample_weight=


def as_sample_weight(sample_weight, shape: tuple, name: str = "y_true") -> np.ndarray:
    """Non-negative finite float64 weights broadcast to ``shape`` (the labels' shape).

    Accepted shapes: ``shape`` itself or its leading axes (e.g. one weight per sequence of
    ``(batch, time)`` labels).
    """
    w = as_array(sample_weight, "sample_weight")
    if w.dtype.kind == "b":
        w = w.astype(np.float64)
    w = as_finite_floats(w, "sample_weight").astype(np.float64, copy=False)
    if w.shape != shape[: w.ndim]:
        raise ValueError(
            f"Expected `sample_weight` to have the shape of `{name}` {shape} (or of its leading "
            f"axes, e.g. one weight per sequence), but got {w.shape}."
        )
    if (w < 0).any():
        raise ValueError(
            f"Expected `sample_weight` to be non-negative, but found {w.min()}. Drop steps "
            "with `mask=` instead of giving them negative weight."
        )
    return np.broadcast_to(w.reshape(w.shape + (1,) * (len(shape) - w.ndim)), shape)


def check_weights_sum(w: np.ndarray | None) -> None:
    """Raise if the weights of the valid steps are all zero."""
    if w is not None and not (w > 0).any():
        raise ValueError(
            "Expected `sample_weight` to give some valid step a positive weight, but all "
            "weights are 0."
        )


def valid_labels_and_values(
    y_true,
    y_other,
    *,
    mask,
    lengths,
    sample_weight=None,
    names=("y_true", "y_score"),
    class_axis=False,
    allow_empty=False,
):
    """Valid steps as 1-D labels (any kind), values and weights.

    ``y_other`` has the shape of ``y_true``, or with ``class_axis=True`` may add a last axis
    of one value per class. Returns ``(labels (n,), values (n,) or (n, k), weights (n,) or
    None)``.
    """
    t = as_label_array(y_true, names[0])
    v = as_array(y_other, names[1])
    per_class = class_axis and v.ndim == t.ndim + 1 and v.shape[:-1] == t.shape
    if not per_class:
        check_same_shape(t, v, names)
    w = None if sample_weight is None else as_sample_weight(sample_weight, t.shape, names[0])
    keep = valid_selection(
        t.shape, mask=mask, lengths=lengths, name=names[0], allow_empty=allow_empty
    )
    if keep is not None:
        t, v = t[keep], v[keep]
        w = None if w is None else w[keep]
    n = t.size
    v = v.reshape(n, v.shape[-1]) if per_class else v.reshape(-1)
    w = None if w is None else np.ascontiguousarray(w.reshape(-1))
    if n:
        check_weights_sum(w)
    return t.reshape(-1), v, w


# --------------------------------------------------- encoded label pairs (classification)


class EncodedLabels:
    """Valid steps of ``y_true``/``y_pred`` as integer codes, and how codes map to labels.

    ``t`` and ``p`` are 1-D codes below ``n_codes``. ``classes`` holds the label of each
    code, sorted; it is None when the labels are already non-negative class indices (the
    code *is* the label), the fast path that needs no sort. ``weights`` is None or one
    non-negative float per step.
    """

    __slots__ = ("classes", "n_codes", "p", "t", "weights")

    def __init__(self, t, p, n_codes, classes, weights):
        self.t, self.p, self.n_codes, self.classes, self.weights = (
            t,
            p,
            n_codes,
            classes,
            weights,
        )

    def code(self, label) -> int:
        """The code of a label that the encoding knows (``wanted`` labels always are)."""
        if self.classes is None:
            return int(label)
        return int(np.searchsorted(self.classes, label))

    def labels_of(self, codes: np.ndarray) -> np.ndarray:
        return codes if self.classes is None else self.classes[codes]

    def present(self) -> np.ndarray:
        """Sorted codes that occur in ``t`` or ``p`` (weights ignored)."""
        seen = np.bincount(self.t, minlength=self.n_codes) + np.bincount(
            self.p, minlength=self.n_codes
        )
        return np.flatnonzero(seen)


def encode_pair(
    y_true, y_pred, *, mask, lengths, sample_weight=None, wanted=None, allow_empty=False
):
    """Valid steps of two label arrays, encoded (see :class:`EncodedLabels`).

    ``wanted`` maps an option's name (``"labels"``, ``"pos_label"``) to label values the
    caller will look up; they get codes even when absent from the data, and must be of the
    data's kind (numbers or strings).
    """
    a, b = as_label_array(y_true, "y_true"), as_label_array(y_pred, "y_pred")
    check_same_shape(a, b, ("y_true", "y_pred"))
    w = None if sample_weight is None else as_sample_weight(sample_weight, a.shape)
    keep = valid_selection(
        a.shape, mask=mask, lengths=lengths, name="y_true", allow_empty=allow_empty
    )
    if keep is not None:
        a, b = a[keep], b[keep]
        w = None if w is None else w[keep]
    a, b = a.reshape(-1), b.reshape(-1)
    if w is not None:
        w = np.ascontiguousarray(w.reshape(-1))
        if a.size:
            check_weights_sum(w)
    if a.size == 0:  # a batch that is all padding (allow_empty=True): nothing to encode
        empty = np.empty(0, dtype=np.int64)
        return EncodedLabels(empty, empty, 0, None, w)
    wanted = {} if wanted is None else wanted
    numeric = a.dtype.kind in "biuf"
    if (b.dtype.kind in "biuf") != numeric:
        raise TypeError(
            f"Expected `y_true` and `y_pred` to hold labels of one kind, but got "
            f"{a.dtype} and {b.dtype} (numbers and strings). Map one onto the other first."
        )
    wanted_values = []
    for name, values in wanted.items():
        for value in values:
            if isinstance(value, str) == numeric:
                kind = "numbers" if numeric else "strings"
                raise ValueError(
                    f"Expected `{name}` to hold labels like those of `y_true` ({kind}), but "
                    f"got {value!r}."
                )
            wanted_values.append(value)
    if numeric:
        a = _whole_numbers(a, "y_true") if a.dtype.kind == "f" else a
        b = _whole_numbers(b, "y_pred") if b.dtype.kind == "f" else b
        fast = _indices_or_none(a), _indices_or_none(b)
        if None not in fast and all(_is_index(v) for v in wanted_values):
            (t, top_t), (p, top_p) = fast
            top = max([top_t, top_p, *(int(v) for v in wanted_values)])
            return EncodedLabels(t, p, top + 1, None, w)
        a, b = a.astype(np.int64), b.astype(np.int64)
        extra = np.array([int(v) for v in wanted_values], dtype=np.int64)
    else:
        extra = np.array([str(v) for v in wanted_values], dtype=str)
    every = np.concatenate([a, b, extra]) if extra.size else np.concatenate([a, b])
    classes, codes = np.unique(every, return_inverse=True)
    n = a.size
    return EncodedLabels(codes[:n], codes[n : 2 * n], classes.size, classes, w)


def _indices_or_none(y: np.ndarray):
    """``(y as non-negative indices, max)`` if ``y`` holds them (below 2**24), else None."""
    if y.dtype.kind == "b":
        return y.view(np.uint8), int(y.max())
    if y.dtype.kind == "i":
        top = int(y.view(f"u{y.dtype.itemsize}").max())  # negatives look huge here
        if top > np.iinfo(y.dtype).max:
            return None
    else:
        top = int(y.max())
    if top >= MAX_CLASS_INDEX:
        return None
    if y.dtype == np.uint64:
        y = y.astype(np.int64)
    return y, top


def _is_index(value) -> bool:
    if isinstance(value, bool | np.bool_):
        return True
    if isinstance(value, numbers.Integral):
        return 0 <= value < MAX_CLASS_INDEX
    if isinstance(value, numbers.Real):
        return float(value).is_integer() and 0 <= value < MAX_CLASS_INDEX
    return False


def as_label_list(labels, name: str = "labels") -> list:
    """The ``labels=`` option as a list of distinct labels (numbers or strings)."""
    arr = as_label_array(labels, name)
    if arr.ndim != 1:
        raise ValueError(f"Expected `{name}` to be 1-D, but got shape {arr.shape}.")
    if arr.dtype.kind == "f":
        arr = _whole_numbers(arr, name)
    values = arr.tolist()
    if len(set(values)) != len(values):
        raise ValueError(f"Expected `{name}` to be distinct, but got {values}.")
    return values


def check_labels_of_one_kind(named: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Label arrays (already selected to the valid steps) checked as labels, not scores.

    All arrays must be numbers/bools or all strings (comparing ``"1"`` with ``1`` is always
    False, silently); whole-number floats become int64, and a score such as ``0.7`` or a NaN
    is refused with the fix. Returns the arrays in the same order.
    """
    kinds = {name: arr.dtype.kind in "biuf" for name, arr in named.items()}
    if len(set(kinds.values())) > 1:
        numbers_ = [n for n, k in kinds.items() if k]
        strings = [n for n, k in kinds.items() if not k]
        raise TypeError(
            f"Expected {', '.join(f'`{n}`' for n in named)} to hold labels of one kind, but "
            f"{', '.join(f'`{n}`' for n in numbers_)} hold numbers and "
            f"{', '.join(f'`{n}`' for n in strings)} strings. Map one onto the other first."
        )
    out = {}
    for name, arr in named.items():
        out[name] = _whole_numbers(arr, name) if arr.dtype.kind == "f" and arr.size else arr
    return out
