"""Helpers for evaluating forecasts: origins, scaling, baselines, one step or many ahead.

A forecast is judged against the strongest rival that needs no training, on several
forecast origins rather than one split. These helpers keep that short in a chapter:
:func:`rolling_origin_split` cuts windows at several origins, :func:`scale_windows` turns a
``(windows, targets)`` part into the ``(x, lengths, y)`` triple that ``fit`` takes, and
:func:`naive_forecasts` computes the three classic baselines from the windows themselves.

Many steps ahead: :func:`origin_windows` cuts every forecast origin of a test window,
:func:`baseline_forecasts` runs a simple rival (:data:`BASELINES`) ``horizon`` steps,
:func:`bootstrap_paths` simulates its future paths from bootstrapped residuals
(:func:`baseline_residuals`), and :func:`many_series_windows` cuts windows across many series,
each in its own series' units, for one global model.
"""

from __future__ import annotations

import itertools

import numpy as np
import torch

from course_utils._validation import check_choice, check_int, check_lengths, lengths_to_mask
from course_utils.data.splits import _check_rows, _cut

__all__ = [
    "BASELINES",
    "baseline_forecasts",
    "baseline_residuals",
    "bootstrap_paths",
    "many_series_windows",
    "naive_forecasts",
    "origin_windows",
    "rolling_origin_split",
    "scale_windows",
    "zero_padding",
]


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


# --------------------------------------------------------------------- many steps ahead

#: The simple rivals that forecast many steps ahead (Hyndman and Athanasopoulos, FPP3 §5.2),
#: each a rule for the next value given the past:
#:
#: - ``"naive"``: the last value, ``y[T]``;
#: - ``"seasonal naive"``: the value one season earlier, ``y[T + h - m]`` (repeating the last
#:   season);
#: - ``"drift"``: the last value plus the average change so far, ``y[T] + h * (y[T] - y[1]) /
#:   (T - 1)``;
#: - ``"seasonal difference"``: last season's value plus the change since then, the rule
#:   ``y[t] = y[t-1] + y[t-m] - y[t-m-1]`` applied step after step (a seasonal random walk
#:   that keeps the trend; one step ahead it is :func:`naive_forecasts`' ``"seasonal
#:   difference"``).
BASELINES = ("naive", "seasonal naive", "drift", "seasonal difference")

# Steps of history each rule needs, given the season m.
_NEEDS = {
    "naive": lambda m: 1,
    "seasonal naive": lambda m: m,
    "drift": lambda m: 2,
    "seasonal difference": lambda m: m + 1,
}


def _histories(history, *, name: str = "history") -> tuple[np.ndarray, bool]:
    """``history`` as float64 ``(rows, T)``, and whether it was one 1-D series."""
    if isinstance(history, torch.Tensor):
        history = history.detach().cpu().numpy()
    if not isinstance(history, np.ndarray | list | tuple):
        raise TypeError(
            f"Expected `{name}` to be an array or tensor, but got {type(history).__name__}."
        )
    h = np.asarray(history, dtype=np.float64)
    if h.ndim == 3 and h.shape[2] == 1:
        h = h[:, :, 0]
    if h.ndim not in (1, 2) or h.size == 0:
        raise ValueError(
            f"Expected `{name}` to be one series (T,) or windows (n, T) or (n, T, 1), but got "
            f"shape {h.shape}."
        )
    if not np.isfinite(h).all():
        raise ValueError(f"Expected `{name}` to be finite; impute or drop missing values first.")
    return (h[None, :], True) if h.ndim == 1 else (h, False)


def _check_method(method, season, length: int, *, name: str = "history") -> int:
    check_choice(method, name="method", choices=BASELINES)
    season = check_int(season, name="season")
    needed = _NEEDS[method](season)
    if length < needed:
        raise ValueError(
            f"Expected `{name}` to have at least {needed} steps for method={method!r} with "
            f"season={season}, but got {length}."
        )
    return season


def _drift(h: np.ndarray) -> np.ndarray:
    """Average one-step change of each row, ``(y[T] - y[1]) / (T - 1)``: ``(rows,)``."""
    return (h[:, -1] - h[:, 0]) / (h.shape[1] - 1)


def _next(path: np.ndarray, method: str, m: int, drift: np.ndarray | None) -> np.ndarray:
    """The rule's next value for paths ``(..., t)``: ``(...)``."""
    if method == "naive":
        return path[..., -1]
    if method == "seasonal naive":
        return path[..., -m]
    if method == "drift":
        return path[..., -1] + drift
    return path[..., -1] + path[..., -m] - path[..., -m - 1]


def _roll_out(h: np.ndarray, horizon: int, method: str, m: int, noise=None) -> np.ndarray:
    """Apply the rule ``horizon`` times from histories ``(rows, T)``, adding ``noise``
    ``(rows, horizon, paths)`` if given; ``(rows, horizon)`` or ``(rows, horizon, paths)``."""
    drift = _drift(h) if method == "drift" else None
    keep = _NEEDS[method](m) + 1
    if noise is None:
        path = h[:, -keep:]
    else:
        path = np.repeat(h[:, None, -keep:], noise.shape[2], axis=1)  # (rows, paths, keep)
        drift = None if drift is None else drift[:, None]
    out = []
    for step in range(horizon):
        value = _next(path, method, m, drift)
        if noise is not None:
            value = value + noise[:, step, :]
        out.append(value)
        path = np.concatenate([path[..., 1:], value[..., None]], axis=-1)
    return np.stack(out, axis=1)  # (rows, horizon[, paths])


def baseline_forecasts(history, horizon: int, *, method: str, season: int = 1) -> np.ndarray:
    """Forecasts of a simple rival for the next ``horizon`` steps (see :data:`BASELINES`).

    Parameters
    ----------
    history : array or tensor of shape (T,), (n, T) or (n, T, 1)
        One series, or ``n`` windows of one (each a forecast origin), oldest step first.
    horizon : int
        Steps ahead, at least 1.
    method : {"naive", "seasonal naive", "drift", "seasonal difference"}
        The rule (see :data:`BASELINES`).
    season : int, default 1
        Steps per season ``m`` (12 for monthly data with a yearly cycle).

    Returns
    -------
    numpy.ndarray
        float64 ``(horizon,)`` for one series, ``(n, horizon)`` for windows.

    Raises
    ------
    ValueError
        If ``method`` is unknown, the history is too short for it (``season + 1`` steps for
        the seasonal difference), or holds NaN.
    TypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> y = np.array([1.0, 2.0, 3.0, 5.0])
    >>> baseline_forecasts(y, 2, method="naive").tolist()
    [5.0, 5.0]
    >>> baseline_forecasts(y, 2, method="drift").tolist()  # average change (5 - 1) / 3
    [6.333333333333333, 7.666666666666666]
    >>> monthly = np.arange(14.0)  # a straight line: the seasonal difference continues it
    >>> baseline_forecasts(monthly, 3, method="seasonal difference", season=12).tolist()
    [14.0, 15.0, 16.0]
    """
    h, single = _histories(history)
    horizon = check_int(horizon, name="horizon")
    season = _check_method(method, season, h.shape[1])
    out = _roll_out(h, horizon, method, season)
    return out[0] if single else out


def baseline_residuals(series, *, method: str, season: int = 1) -> np.ndarray:
    """In-sample one-step residuals of a simple rival: ``y[t] - rule(y[:t])``, in time order.

    What :func:`bootstrap_paths` resamples. The drift's residuals use the whole series'
    average change, so they average 0.

    Parameters
    ----------
    series : array or tensor of shape (T,)
        The training series, oldest first.
    method : {"naive", "seasonal naive", "drift", "seasonal difference"}
    season : int, default 1

    Returns
    -------
    numpy.ndarray
        float64, one residual per step the rule can forecast in-sample (``T - 1`` for the
        naive and drift rules, ``T - season`` for seasonal naive, ``T - season - 1`` for the
        seasonal difference).

    Raises
    ------
    ValueError
        If the series is not 1-D, is too short to leave a residual, or ``method`` is unknown.

    Examples
    --------
    >>> baseline_residuals([1.0, 2.0, 4.0, 7.0], method="naive").tolist()
    [1.0, 2.0, 3.0]
    >>> baseline_residuals([1.0, 2.0, 4.0, 7.0], method="drift").tolist()
    [-1.0, 0.0, 1.0]
    """
    h, single = _histories(series, name="series")
    if not single:
        raise ValueError(f"Expected `series` to be one series (T,), but got shape {h.shape}.")
    y = h[0]
    check_choice(method, name="method", choices=BASELINES)
    season = check_int(season, name="season")
    needed = _NEEDS[method](season)
    if len(y) <= needed:
        raise ValueError(
            f"Expected `series` to have more than {needed} steps for method={method!r} with "
            f"season={season}, so that some step has a forecast, but got {len(y)}."
        )
    m = season
    if method == "naive":
        fitted = y[:-1]
    elif method == "seasonal naive":
        fitted = y[:-m]
    elif method == "drift":
        fitted = y[:-1] + _drift(h)[0]
    else:
        fitted = y[m:-1] + y[1:-m] - y[: -m - 1]
    return y[len(y) - len(fitted) :] - fitted


def bootstrap_paths(
    history,
    horizon: int,
    *,
    method: str,
    season: int = 1,
    residuals=None,
    centre: bool = True,
    n_paths: int = 1000,
    seed: int = 0,
) -> np.ndarray:
    """Simulated future paths of a simple rival, from bootstrapped residuals (FPP3 §5.5).

    Each path applies the rule step after step, adding at every step a residual drawn at
    random (with replacement) from the rival's past one-step residuals, so errors build up
    with the horizon as they would for the rule. The paths' quantiles are prediction
    intervals; the paths themselves are an ensemble forecast
    (:func:`~course_utils.metrics.crps_ensemble`). It assumes the residuals are alike and
    unrelated over time; it does not assume they are normal.

    Parameters
    ----------
    history : array or tensor of shape (T,), (n, T) or (n, T, 1)
        One series, or ``n`` windows (forecast origins), oldest step first.
    horizon : int
        Steps ahead, at least 1.
    method : {"naive", "seasonal naive", "drift", "seasonal difference"}
        The rule (see :data:`BASELINES`).
    season : int, default 1
        Steps per season.
    residuals : array-like of shape (k,) or None, default None
        The residuals to draw from, e.g. :func:`baseline_residuals` of the training series;
        None uses each history's own in-sample residuals (give them explicitly for short
        windows).
    centre : bool, default True
        Subtract the residuals' mean first, so the paths spread around the rule's own
        forecast. Without it, residuals that average above 0 (a naive rule on a rising
        series) push every path up: the naive rule's paths would then follow the drift
        rule, and its intervals would not surround its forecasts.
    n_paths : int, default 1000
        Paths per history.
    seed : int, default 0
        Seeds a local generator (the global random state is left alone).

    Returns
    -------
    numpy.ndarray
        float64 ``(horizon, n_paths)`` for one series, ``(n, horizon, n_paths)`` for windows:
        ensemble members on the last axis.

    Raises
    ------
    ValueError
        If the history is too short for the rule, ``residuals`` is empty or not finite, or
        ``method`` is unknown.
    TypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> paths = bootstrap_paths(np.arange(10.0), 3, method="naive", n_paths=500)
    >>> paths.shape
    (3, 500)
    >>> np.allclose(paths, 9.0)  # every past change was +1: centred, the noise is 0
    True
    >>> rising = bootstrap_paths(np.arange(10.0), 3, method="naive", centre=False)
    >>> rising[:, 0].tolist()  # the residuals' mean, +1, drives every path up
    [10.0, 11.0, 12.0]
    """
    h, single = _histories(history)
    horizon = check_int(horizon, name="horizon")
    season = _check_method(method, season, h.shape[1])
    n_paths = check_int(n_paths, name="n_paths")
    seed = check_int(seed, name="seed", low=0)
    rng = np.random.default_rng(seed)
    if not isinstance(centre, bool):
        raise TypeError(f"Expected `centre` to be a bool, but got {centre!r}.")
    if residuals is None:
        pools = [baseline_residuals(row, method=method, season=season) for row in h]
        pools = [p - p.mean() if centre else p for p in pools]
        noise = np.stack([rng.choice(pool, size=(horizon, n_paths)) for pool in pools])
    else:
        pool = np.asarray(
            residuals.detach().cpu().numpy() if isinstance(residuals, torch.Tensor) else residuals,
            dtype=np.float64,
        ).ravel()
        if pool.size == 0 or not np.isfinite(pool).all():
            raise ValueError(
                "Expected `residuals` to be a non-empty array of finite numbers, e.g. "
                "baseline_residuals(train_series, method=...)."
            )
        noise = rng.choice(
            pool - pool.mean() if centre else pool, size=(h.shape[0], horizon, n_paths)
        )
    out = _roll_out(h, horizon, method, season, noise=noise)  # (rows, horizon, paths)
    return out[0] if single else out


def origin_windows(series, *, window: int, horizon: int, test_start: int, test_end=None):
    """Inputs and targets of every forecast origin whose ``horizon`` targets lie in the test
    window ``series[test_start:test_end]``.

    Origin ``o`` (``test_start <= o <= test_end - horizon``) reads ``series[o - window:o]``
    and is judged on ``series[o:o + horizon]``: forecasts from every month of a test year,
    say, each ``horizon`` steps long, all inside the test period.

    Parameters
    ----------
    series : array-like of shape (T,)
        One series, oldest first.
    window : int
        Steps each input window holds; ``test_start - window`` must be at least 0.
    horizon : int
        Steps ahead; at most the test window's length.
    test_start : int
        Index of the first test step.
    test_end : int or None, default None
        One past the last test step; None is the end of the series.

    Returns
    -------
    x : torch.Tensor
        float32 ``(origins, window, 1)``.
    y : torch.Tensor
        float32 ``(origins, horizon)``.

    Raises
    ------
    ValueError
        If ``horizon`` is longer than the test window, the window starts before the series,
        or the test window runs past it.

    Examples
    --------
    >>> x, y = origin_windows(np.arange(10.0), window=3, horizon=2, test_start=6)
    >>> x[..., 0].tolist(), y.tolist()
    ([[3.0, 4.0, 5.0], [4.0, 5.0, 6.0], [5.0, 6.0, 7.0]], [[6.0, 7.0], [7.0, 8.0], [8.0, 9.0]])
    """
    from course_utils.data.splits import sliding_windows

    h, single = _histories(series, name="series")
    if not single:
        raise ValueError(f"Expected `series` to be one series (T,), but got shape {h.shape}.")
    n = h.shape[1]
    window = check_int(window, name="window")
    horizon = check_int(horizon, name="horizon")
    test_start = check_int(test_start, name="test_start", low=0)
    test_end = n if test_end is None else check_int(test_end, name="test_end", low=1, high=n)
    if test_end <= test_start:
        raise ValueError(
            f"Expected `test_end` ({test_end}) to be after `test_start` ({test_start})."
        )
    if horizon > test_end - test_start:
        raise ValueError(
            f"Expected `horizon` ({horizon}) to be at most the test window's "
            f"{test_end - test_start} steps (test_start={test_start}, test_end={test_end}): a "
            "forecast cannot be judged on steps after the test window. Shorten the horizon or "
            "lengthen the test window."
        )
    if test_start < window:
        raise ValueError(
            f"Expected `test_start` ({test_start}) to leave a full window of {window} steps "
            "before it; use a shorter `window` or a later `test_start`."
        )
    return sliding_windows(h[0, test_start - window : test_end], window=window, horizon=horizon)


def many_series_windows(
    series, *, window: int, horizon: int | None = None, scales=None, min_length: int = 2
):
    """Windows cut from many series, for one (global) model across all of them.

    Series differ in scale (M1 holds thousands and billions), so every window is put in its
    own series' units: centred on the window's last value and divided by the series'
    ``scale`` (by default the mean absolute one-step change of the series, the scale of
    MASE). A model trained on these windows forecasts *changes in units of typical
    year-to-year moves*, the same for every series; its squared error is a MASE-like error.
    Map a forecast back with ``anchor + scale * forecast`` (see Returns).

    Short histories are kept: a window holds the last ``min(window, available)`` steps,
    zero-padded after them, with its true length in ``lengths`` (the models read only the
    real steps).

    Parameters
    ----------
    series : sequence of 1-D arrays
        The series (each oldest first), cut to the part the windows may use (their training
        part, for training windows).
    window : int
        Most steps one input holds.
    horizon : int or None, default None
        Targets per window. An int gives every window whose ``horizon`` targets lie inside
        its series (training windows); None gives one window per series, at its end, with no
        target (the forecast origin).
    scales : array-like of shape (n_series,) or None, default None
        Positive scale per series; None: the mean absolute one-step change of each series
        (a constant series gets 1).
    min_length : int, default 2
        Fewest real input steps a training window may have.

    Returns
    -------
    dict
        ``"x"`` float32 ``(N, window, 1)``, ``"lengths"`` int64 ``(N,)``, ``"y"`` float32
        ``(N, horizon)`` (only with ``horizon``), ``"series"`` int64 ``(N,)`` (which series
        each window is from), ``"anchor"`` float64 ``(N,)`` (the window's last value) and
        ``"scale"`` float64 ``(N,)``.

    Raises
    ------
    ValueError
        If ``series`` is empty, a series is not 1-D and finite, a scale is not positive, or
        no series is long enough for one training window.

    Examples
    --------
    >>> parts = [np.array([1.0, 2.0, 3.0, 4.0]), np.array([10.0, 30.0, 50.0])]
    >>> w = many_series_windows(parts, window=3, horizon=1)
    >>> w["x"][..., 0].tolist(), w["lengths"].tolist(), w["y"].tolist()
    ([[-1.0, 0.0, 0.0], [-2.0, -1.0, 0.0], [-1.0, 0.0, 0.0]], [2, 3, 2], [[1.0], [1.0], [1.0]])
    >>> w["scale"].tolist(), w["anchor"].tolist()
    ([1.0, 1.0, 20.0], [2.0, 3.0, 30.0])
    """
    if (isinstance(series, np.ndarray) and series.ndim == 1) or not len(series):
        raise TypeError(
            "Expected `series` to be a non-empty sequence of 1-D arrays (one per series), "
            "e.g. load_m1_yearly()."
        )
    arrays = []
    for i, s in enumerate(series):
        a = np.asarray(s.detach().cpu().numpy() if isinstance(s, torch.Tensor) else s,
                       dtype=np.float64)  # fmt: skip
        if a.ndim != 1 or a.size < 2 or not np.isfinite(a).all():
            raise ValueError(
                f"Expected every series to be 1-D, finite and at least 2 steps long, but "
                f"series {i} has shape {a.shape}."
            )
        arrays.append(a)
    window = check_int(window, name="window")
    min_length = check_int(min_length, name="min_length", high=window)
    if scales is None:
        scales = np.array([np.mean(np.abs(np.diff(a))) for a in arrays])
        scales = np.where(scales > 0, scales, 1.0)
    scales = np.asarray(scales, dtype=np.float64)
    if scales.shape != (len(arrays),) or not (np.isfinite(scales) & (scales > 0)).all():
        raise ValueError(
            f"Expected `scales` to be {len(arrays)} positive finite numbers, one per series, "
            f"but got shape {scales.shape}."
        )
    rows = []  # (series, end): the input is a[max(0, end - window):end]
    if horizon is None:
        rows = [(i, len(a)) for i, a in enumerate(arrays)]
    else:
        horizon = check_int(horizon, name="horizon")
        rows = [
            (i, end)
            for i, a in enumerate(arrays)
            for end in range(min_length, len(a) - horizon + 1)
        ]
        if not rows:
            raise ValueError(
                f"Expected some series to hold min_length + horizon = {min_length + horizon} "
                "steps for one training window, but none does."
            )
    n = len(rows)
    x = np.zeros((n, window, 1))
    lengths = np.zeros(n, dtype=np.int64)
    y = None if horizon is None else np.zeros((n, horizon))
    index, anchor, scale = np.zeros(n, dtype=np.int64), np.zeros(n), np.zeros(n)
    for r, (i, end) in enumerate(rows):
        a, start = arrays[i], max(0, end - window)
        index[r], anchor[r], scale[r], lengths[r] = i, a[end - 1], scales[i], end - start
        x[r, : end - start, 0] = (a[start:end] - anchor[r]) / scale[r]
        if y is not None:
            y[r] = (a[end : end + horizon] - anchor[r]) / scale[r]
    out = {"x": torch.from_numpy(x).float(), "lengths": torch.from_numpy(lengths)}
    if y is not None:
        out["y"] = torch.from_numpy(y).float()
    return out | {"series": index, "anchor": anchor, "scale": scale}
