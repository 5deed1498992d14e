"""Windows and splits: how to cut data into train, validation and test without leaking.

- :func:`sliding_windows` turns one series into (window -> next values) pairs. Neighbouring
  windows overlap, so a *random* split puts nearly the same window on both sides.
- :func:`chronological_split` keeps time order: the past trains, the future tests.
- :func:`grouped_split` keeps every group (a speaker, a card, a patient) on one side.
- :func:`random_split` shuffles, optionally stratified; fine for independent sequences.

The split functions take either a number of rows ``n`` (and return index arrays) or the
arrays themselves (and return the pieces), so ``train, val, test =
chronological_split((x, lengths, y))`` gives three ``(x, lengths, y)`` tuples ready for
:func:`course_utils.training.fit`.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch

from course_utils._validation import as_tensor, check_int, check_seed


def sliding_windows(
    series, *, window: int, horizon: int = 1, step: int = 1, target: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Cut a series into overlapping (window -> next ``horizon`` values) pairs.

    Window ``i`` covers ``series[i * step : i * step + window]`` and its target the
    ``horizon`` values right after it, so windows come out in time order.

    Parameters
    ----------
    series : array-like
        ``(T,)`` for one variable or ``(T, F)`` for several, NumPy or torch.
    window : int
        Steps each input window holds.
    horizon : int, default 1
        Future steps to predict.
    step : int, default 1
        Shift between consecutive windows; ``step < window`` makes them overlap.
    target : int, default 0
        The variable to predict when ``series`` has several.

    Returns
    -------
    x : torch.Tensor
        float32 ``(N, window, F)`` with ``N = (T - window - horizon) // step + 1``.
    y : torch.Tensor
        float32 ``(N, horizon)``.

    Raises
    ------
    ValueError
        If ``series`` is not 1-D or 2-D, or is too short for one window plus its horizon.
    TypeError
        If ``series`` is not an array or a size is not an int.

    Examples
    --------
    >>> import numpy as np
    >>> x, y = sliding_windows(np.arange(6.0), window=3)
    >>> x[..., 0].tolist(), y.tolist()
    ([[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 4.0]], [[3.0], [4.0], [5.0]])
    >>> x, y = sliding_windows(np.arange(10.0), window=4, horizon=2, step=3)
    >>> tuple(x.shape), y.tolist()
    ((2, 4, 1), [[4.0, 5.0], [7.0, 8.0]])
    """
    series = as_tensor(series, name="series")
    if series.ndim not in (1, 2) or series.is_complex() or series.dtype == torch.bool:
        raise ValueError(
            "Expected `series` to be a real array of shape (time,) or (time, features), but "
            f"got {series.dtype} of shape {tuple(series.shape)}."
        )
    series = series.float().reshape(series.shape[0], -1)  # (time, features)
    window = check_int(window, name="window")
    horizon = check_int(horizon, name="horizon")
    step = check_int(step, name="step")
    target = check_int(target, name="target", low=0, high=series.shape[1] - 1)
    if series.shape[0] < window + horizon:
        raise ValueError(
            f"Expected `series` to have at least window + horizon = {window + horizon} steps, "
            f"but got {series.shape[0]}."
        )

    starts = torch.arange(0, series.shape[0] - window - horizon + 1, step)  # (N,)
    offsets = torch.arange(window)
    x = series[starts[:, None] + offsets]  # (N, window, features)
    y = series[starts[:, None] + window + torch.arange(horizon), target]  # (N, horizon)
    return x.contiguous(), y.contiguous()


# --------------------------------------------------------------------------- splits


def _check_fractions(fractions) -> np.ndarray:
    values = np.asarray(fractions, dtype=np.float64) if _is_sequence(fractions) else None
    if (
        values is None
        or values.ndim != 1
        or len(values) < 2
        or not np.all(values > 0)
        or abs(values.sum() - 1.0) > 1e-6
    ):
        raise ValueError(
            "Expected `fractions` to be two or more positive numbers that sum to 1, such as "
            f"(0.7, 0.15, 0.15), but got {fractions!r}."
        )
    return values


def _is_sequence(a) -> bool:
    return isinstance(a, tuple | list | np.ndarray)


def _sizes(n: int, fractions: np.ndarray) -> np.ndarray:
    """Split ``n`` rows by ``fractions``: boundaries at cumulative fraction * n, halves up."""
    bounds = np.floor(np.cumsum(fractions) * n + 0.5 + 1e-9).astype(np.int64)
    bounds[-1] = n
    return np.diff(bounds, prepend=0)


def _check_rows(n_or_arrays) -> tuple[int, list | None, bool]:
    """The number of rows, the arrays to cut (None for a bare count), and whether one array."""
    if isinstance(n_or_arrays, numbers.Integral) and not isinstance(n_or_arrays, bool):
        return check_int(n_or_arrays, name="n_or_arrays"), None, False
    single = isinstance(n_or_arrays, torch.Tensor | np.ndarray)
    arrays = [n_or_arrays] if single else n_or_arrays
    if not isinstance(arrays, tuple | list) or not arrays:
        raise TypeError(
            "Expected `n_or_arrays` to be a number of rows, an array, or a tuple of arrays "
            f"such as (x, lengths, y), but got {type(n_or_arrays).__name__}."
        )
    for a in arrays:
        if not isinstance(a, torch.Tensor | np.ndarray):
            raise TypeError(
                "Expected every array in `n_or_arrays` to be a torch.Tensor or numpy.ndarray, "
                f"but got {type(a).__name__}."
            )
    rows = {a.shape[0] if a.ndim else 0 for a in arrays}
    if len(rows) != 1 or 0 in rows:
        raise ValueError(
            "Expected the arrays in `n_or_arrays` to share a non-empty first axis, but got "
            f"shapes {[tuple(a.shape) for a in arrays]}."
        )
    return rows.pop(), list(arrays), single


def _take(a, idx: np.ndarray):
    """Rows ``idx`` of a NumPy array or a tensor (on its own device), same type out."""
    if isinstance(a, np.ndarray):
        return a[idx]
    return a[torch.from_numpy(idx).to(a.device)]


def _cut(parts: list[np.ndarray], arrays, single: bool) -> tuple:
    """Index arrays as they are, or the arrays cut by them (one array or a tuple per part)."""
    if arrays is None:
        return tuple(parts)
    cut = [tuple(_take(a, idx) for a in arrays) for idx in parts]
    return tuple(pieces[0] if single else pieces for pieces in cut)


def chronological_split(n_or_arrays, *, fractions=(0.7, 0.15, 0.15)) -> tuple:
    """Split rows in their given order: first rows train, last rows test.

    Use it when rows are in time order (windows from :func:`sliding_windows`, days,
    transactions): the model is then tested on a future it has not seen, as in production.

    Parameters
    ----------
    n_or_arrays : int, array, or tuple of arrays
        A number of rows, one array, or several arrays that share their first axis
        (e.g. ``(x, lengths, y)``), NumPy arrays or torch tensors.
    fractions : sequence of float, default (0.7, 0.15, 0.15)
        Share of rows in each part, in order; two or more positive numbers summing to 1.
        Part boundaries are at ``cumulative fraction * n``, rounded half up.

    Returns
    -------
    tuple
        One entry per fraction: an int64 NumPy index array (for an int), the array's rows
        (for an array) or a tuple of the arrays' rows (for a tuple); each array keeps its
        type (NumPy or torch) and device.

    Raises
    ------
    ValueError
        If ``fractions`` do not sum to 1 or the arrays disagree on their number of rows.
    TypeError
        If ``n_or_arrays`` is none of the above.

    Examples
    --------
    >>> [idx.tolist() for idx in chronological_split(10)]
    [[0, 1, 2, 3, 4, 5, 6], [7, 8], [9]]
    >>> import torch
    >>> train, test = chronological_split(torch.arange(5.0), fractions=(0.6, 0.4))
    >>> train.tolist(), test.tolist()
    ([0.0, 1.0, 2.0], [3.0, 4.0])
    """
    n, arrays, single = _check_rows(n_or_arrays)
    ends = np.cumsum(_sizes(n, _check_fractions(fractions)))
    starts = np.concatenate([[0], ends[:-1]])
    parts = [np.arange(start, end, dtype=np.int64) for start, end in zip(starts, ends, strict=True)]
    return _cut(parts, arrays, single)


def random_split(
    n_or_arrays, *, fractions=(0.7, 0.15, 0.15), stratify=None, seed: int = 0
) -> tuple:
    """Split rows at random (seeded), optionally keeping class shares equal in every part.

    Right for independent sequences (one per speaker utterance, say). Wrong for overlapping
    windows of one series or several rows of one group: see :func:`chronological_split` and
    :func:`grouped_split`.

    Parameters
    ----------
    n_or_arrays : int, array, or tuple of arrays
        As in :func:`chronological_split`.
    fractions : sequence of float, default (0.7, 0.15, 0.15)
        Share of rows in each part.
    stratify : array-like of shape (n,) or None, default None
        Class labels; each class is split by ``fractions`` on its own, so rare classes
        (fraud at 1%) appear in every part.
    seed : int, default 0
        Seed of the shuffle.

    Returns
    -------
    tuple
        As in :func:`chronological_split`; each part's rows in increasing index order.

    Raises
    ------
    ValueError
        If ``fractions`` are invalid or ``stratify`` has the wrong length.
    TypeError
        If ``n_or_arrays`` or ``stratify`` has the wrong type.

    Examples
    --------
    >>> a, b = random_split(10, fractions=(0.5, 0.5), seed=0)
    >>> sorted(a.tolist() + b.tolist()) == list(range(10)), len(a), len(b)
    (True, 5, 5)
    >>> y = [0] * 8 + [1] * 2
    >>> [int(sum(y[i] for i in part)) for part in random_split(10, fractions=(0.5, 0.5),
    ...                                                         stratify=y)]
    [1, 1]
    """
    n, arrays, single = _check_rows(n_or_arrays)
    fractions = _check_fractions(fractions)
    rng = np.random.default_rng(check_seed(seed))
    if stratify is None:
        strata = [np.arange(n)]
    else:
        labels = as_tensor(stratify, name="stratify").cpu().numpy()
        if labels.shape != (n,):
            raise ValueError(
                f"Expected `stratify` to have shape ({n},), one label per row, but got "
                f"{labels.shape}."
            )
        strata = [np.flatnonzero(labels == c) for c in np.unique(labels)]
    parts = [[] for _ in fractions]
    for rows in strata:
        rows = rng.permutation(rows)
        bounds = np.cumsum(_sizes(len(rows), fractions))
        for k, piece in enumerate(np.split(rows, bounds[:-1])):
            parts[k].append(piece)
    parts = [np.sort(np.concatenate(p)).astype(np.int64) for p in parts]
    return _cut(parts, arrays, single)


def grouped_split(groups, *, fractions=(0.7, 0.15, 0.15), seed: int = 0) -> tuple:
    """Split rows so that all rows of a group land in the same part.

    Groups are shuffled (seeded) and dealt into the parts in turn until each part holds
    about its share of *rows*. Use it when rows of one group resemble each other (several
    sequences from one card, speaker or patient): a random split would test the model on
    groups it has already seen.

    Parameters
    ----------
    groups : array-like of shape (n,)
        Group id of every row (ints or strings).
    fractions : sequence of float, default (0.7, 0.15, 0.15)
        Approximate share of rows in each part; there must be at least as many groups as
        parts.
    seed : int, default 0
        Seed of the group shuffle.

    Returns
    -------
    tuple of numpy.ndarray
        One sorted int64 index array per fraction.

    Raises
    ------
    ValueError
        If ``groups`` is not 1-D and non-empty, has fewer groups than parts, or
        ``fractions`` are invalid.

    Examples
    --------
    >>> groups = ["a", "a", "b", "b", "c", "c", "d", "d"]
    >>> train, test = grouped_split(groups, fractions=(0.5, 0.5), seed=0)
    >>> sorted({groups[i] for i in train} & {groups[i] for i in test})  # no group on both sides
    []
    >>> len(train), len(test)
    (4, 4)
    """
    labels = np.asarray(groups.cpu() if isinstance(groups, torch.Tensor) else groups)
    fractions = _check_fractions(fractions)
    if labels.ndim != 1 or len(labels) == 0:
        raise ValueError(
            f"Expected `groups` to be a non-empty 1-D array of group ids, but got shape "
            f"{labels.shape}."
        )
    names, group_of_row = np.unique(labels, return_inverse=True)
    if len(names) < len(fractions):
        raise ValueError(
            f"Expected `groups` to hold at least {len(fractions)} groups (one per part), but "
            f"got {len(names)}."
        )
    rng = np.random.default_rng(check_seed(seed))
    order = rng.permutation(len(names))
    sizes = np.bincount(group_of_row, minlength=len(names))[order]
    # In shuffled order, each group goes to the part whose share of rows its middle row
    # falls into, so parts fill up in turn and no group is cut.
    middles = (np.cumsum(sizes) - sizes / 2) / len(labels)
    part_of = np.searchsorted(np.cumsum(fractions), middles, side="right")
    part_of = np.minimum(part_of, len(fractions) - 1)
    for k in range(len(fractions)):  # an empty part takes a group from the biggest one
        if not np.any(part_of == k):
            donor = np.bincount(part_of, minlength=len(fractions)).argmax()
            part_of[np.flatnonzero(part_of == donor)[-1 if donor < k else 0]] = k
    part_of_group = np.empty(len(names), dtype=np.int64)
    part_of_group[order] = part_of
    part_of_row = part_of_group[group_of_row]
    return tuple(np.flatnonzero(part_of_row == k).astype(np.int64) for k in range(len(fractions)))
