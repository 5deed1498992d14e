"""Helpers for evaluating forecasts on windows of one series: origins, scaling, baselines.

A forecast is judged against the strongest rival that needs no training, on several
forecast origins rather than one split. These helpers keep that short in a chapter:
:func:`rolling_origin_split` cuts windows at several origins, :func:`scale_windows` turns a
``(windows, targets)`` part into the ``(x, lengths, y)`` triple that ``fit`` takes, and
:func:`naive_forecasts` computes the three classic baselines from the windows themselves.
"""

from __future__ import annotations

import itertools

import numpy as np
import torch

from course_utils._validation import check_int, check_lengths, lengths_to_mask
from course_utils.data.splits import _check_rows, _cut

__all__ = ["naive_forecasts", "rolling_origin_split", "scale_windows", "zero_padding"]


def rolling_origin_split(n_or_arrays, *, origins, test_size: int, val_size: int = 0) -> list:
    """Time-ordered splits at several forecast origins (rolling-origin evaluation).

    For each origin ``o`` (a row index), rows ``o .. o + test_size - 1`` are the test part,
    the ``val_size`` rows just before ``o`` the validation part, and every earlier row the
    training part. Scoring a model refitted at each origin, and pooling or comparing the
    results, says more than one split: one test period can be lucky.

    Parameters
    ----------
    n_or_arrays : int, array, or tuple of arrays
        As in :func:`~course_utils.data.chronological_split`: a number of rows in time
        order, one array, or several arrays sharing their first axis (e.g. ``(x, y)`` from
        :func:`~course_utils.data.sliding_windows`).
    origins : sequence of int
        Row index of the first test row of each split, increasing.
    test_size : int
        Test rows per origin, at least 1.
    val_size : int, default 0
        Validation rows just before each origin; 0 gives (train, test) pairs.

    Returns
    -------
    list of tuple
        One tuple per origin, ``(train, val, test)`` (or ``(train, test)`` when
        ``val_size=0``), each part as :func:`~course_utils.data.chronological_split`
        returns it: index arrays for an int, else the arrays' rows.

    Raises
    ------
    ValueError
        If an origin leaves no training row, a test part runs past the last row, or the
        origins are not increasing.
    TypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> splits = rolling_origin_split(10, origins=[6, 8], test_size=2, val_size=1)
    >>> [[part.tolist() for part in split] for split in splits]
    [[[0, 1, 2, 3, 4], [5], [6, 7]], [[0, 1, 2, 3, 4, 5, 6], [7], [8, 9]]]
    """
    n, arrays, single = _check_rows(n_or_arrays)
    test_size = check_int(test_size, name="test_size")
    val_size = check_int(val_size, name="val_size", low=0)
    if isinstance(origins, int | np.integer) or not len(origins):
        raise TypeError(
            "Expected `origins` to be a non-empty sequence of row indices, for example "
            f"[96, 108], but got {origins!r}."
        )
    origins = [check_int(o, name="origins", low=0) for o in origins]
    if any(b <= a for a, b in itertools.pairwise(origins)):
        raise ValueError(f"Expected `origins` to be increasing, but got {origins}.")
    splits = []
    for origin in origins:
        if origin - val_size < 1:
            raise ValueError(
                f"Expected every origin to leave at least one training row before its "
                f"{val_size} validation rows, but origin {origin} leaves none; use a later one."
            )
        if origin + test_size > n:
            raise ValueError(
                f"Expected every test part to end by row {n}, but origin {origin} with "
                f"test_size={test_size} ends at row {origin + test_size}; use an earlier origin."
            )
        parts = [np.arange(0, origin - val_size, dtype=np.int64)]
        if val_size:
            parts.append(np.arange(origin - val_size, origin, dtype=np.int64))
        parts.append(np.arange(origin, origin + test_size, dtype=np.int64))
        splits.append(_cut(parts, arrays, single))
    return splits


def scale_windows(scaler, windows) -> tuple:
    """A ``(windows, targets)`` part as ``(x, None, y)`` in the scaler's standard units.

    The triple is what :func:`~course_utils.training.fit` takes for a
    :class:`~course_utils.models.Forecaster`; ``None`` says every window is full length.

    Parameters
    ----------
    scaler : SequenceScaler
        Fitted, on training windows only.
    windows : tuple (x, y)
        Windows ``(n, window, features)`` and targets ``(n, horizon)``, as from
        :func:`~course_utils.data.sliding_windows`.

    Returns
    -------
    tuple
        ``(scaler.transform(x), None, scaler.transform(y))``.

    Raises
    ------
    TypeError
        If ``windows`` is not an ``(x, y)`` pair.

    Examples
    --------
    >>> from course_utils.data import SequenceScaler, sliding_windows
    >>> x, y = sliding_windows(torch.arange(10.0), window=3)
    >>> x_s, lengths, y_s = scale_windows(SequenceScaler().fit(x), (x, y))
    >>> tuple(x_s.shape), lengths, round(float(x_s.mean()), 6)
    ((7, 3, 1), None, 0.0)
    """
    if not isinstance(windows, tuple | list) or len(windows) != 2:
        raise TypeError(
            "Expected `windows` to be a pair (x, y) of windows and targets, such as one part "
            f"of chronological_split(sliding_windows(...)), but got {type(windows).__name__}."
        )
    x, y = windows
    return scaler.transform(x), None, scaler.transform(y)


def naive_forecasts(x, *, season: int = 12) -> dict[str, np.ndarray]:
    """One-step forecasts that need no training, from the windows themselves.

    - ``"persistence"``: next value = last value, ``y[t-1]``;
    - ``"seasonal naive"``: next value = the value one season earlier, ``y[t-season]``;
    - ``"seasonal difference"``: last season's value plus this season's change,
      ``y[t-season] + (y[t-1] - y[t-season-1])`` (a seasonal random walk that keeps the
      trend); on a trending seasonal series it is usually the strongest of the three.

    Parameters
    ----------
    x : array or tensor of shape (n, window) or (n, window, 1)
        Windows of one series, oldest step first; ``window`` at least ``season + 1``.
    season : int, default 12
        Steps per season (12 for monthly data with a yearly cycle).

    Returns
    -------
    dict of str to numpy.ndarray
        Each baseline's forecasts, float64 ``(n,)``.

    Raises
    ------
    ValueError
        If the windows are shorter than ``season + 1`` or have more than one feature.
    TypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> x = np.arange(14.0)[None, :]  # one window, a straight line
    >>> {name: f.tolist() for name, f in naive_forecasts(x).items()}
    {'persistence': [13.0], 'seasonal naive': [2.0], 'seasonal difference': [14.0]}
    """
    season = check_int(season, name="season")
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    if not isinstance(x, np.ndarray):
        raise TypeError(f"Expected `x` to be an array or tensor, but got {type(x).__name__}.")
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 3 and x.shape[2] == 1:
        x = x[:, :, 0]
    if x.ndim != 2:
        raise ValueError(
            f"Expected `x` to have shape (n, window) or (n, window, 1), but got {x.shape}."
        )
    if x.shape[1] < season + 1:
        raise ValueError(
            f"Expected windows of at least season + 1 = {season + 1} steps, but got "
            f"{x.shape[1]}; cut longer windows with sliding_windows(..., window={season + 1})."
        )
    return {
        "persistence": x[:, -1].copy(),
        "seasonal naive": x[:, -season].copy(),
        "seasonal difference": x[:, -season] + x[:, -1] - x[:, -season - 1],
    }


def zero_padding(x, lengths) -> torch.Tensor:
    """A copy of ``x`` with every step at or after ``lengths[i]`` set to 0 (padding).

    Turns full-length sequences into a padded batch of the given lengths, for example to
    test one model on several lengths cut from the same draws.

    Parameters
    ----------
    x : torch.Tensor of shape (batch, time, features)
    lengths : torch.Tensor or array of shape (batch,)
        Real steps per sequence, each in ``[0, time]`` (the package's rule; see
        :mod:`course_utils._validation`).

    Returns
    -------
    torch.Tensor
        Same shape and dtype as ``x``.

    Raises
    ------
    ValueError
        If the shapes disagree or a length is out of range.
    TypeError
        If ``x`` is not a tensor.

    Examples
    --------
    >>> zero_padding(torch.ones(2, 3, 1), torch.tensor([1, 3]))[..., 0].tolist()
    [[1.0, 0.0, 0.0], [1.0, 1.0, 1.0]]
    """
    if not isinstance(x, torch.Tensor) or x.ndim != 3:
        raise TypeError("Expected `x` to be a torch.Tensor of shape (batch, time, features).")
    lengths = check_lengths(lengths, n=x.shape[0], max_length=x.shape[1])
    real = lengths_to_mask(lengths.to(x.device), x.shape[1])[..., None]  # (batch, time, 1)
    return torch.where(real, x, torch.zeros_like(x))
