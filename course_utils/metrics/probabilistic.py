"""Scores for forecasts that say how sure they are: quantiles, intervals and distributions.

A point forecast is judged by its error; a forecast with a range is judged by whether the
range holds what happened (coverage) and by how wide it had to be to do so. The scores here
reward both at once, and are *proper*: a forecaster scores best, on average, by reporting
what it really believes (Gneiting and Raftery, 2007).

- :func:`mean_pinball_loss` -- the quantile (pinball) loss of one quantile forecast, as in
  scikit-learn;
- :func:`interval_coverage` -- the share of outcomes inside ``[lower, upper]``;
- :func:`interval_score` -- the interval (Winkler) score of a central ``(1 - alpha)``
  interval: its width plus ``2 / alpha`` times every miss; and
  :func:`mean_scaled_interval_score`, the same divided by the in-sample error of the
  seasonal naive forecast (the M4 competition's MSIS), to average across series;
- :func:`crps_gaussian` and :func:`crps_ensemble` -- the continuous ranked probability
  score of a normal forecast and of a sample (ensemble) forecast, as in properscoring.

The interval score is the pinball losses of the interval's two ends, rescaled:
``interval_score(y, l, u, alpha=a) == 2 / a * (mean_pinball_loss(y, l, alpha=a / 2) +
mean_pinball_loss(y, u, alpha=1 - a / 2))``. The CRPS of a point forecast (a one-member
ensemble, or ``sigma=0``) is its absolute error, so CRPS and MAE share units and can be
compared.

Axes follow :mod:`~course_utils.metrics.regression`: 1-D inputs are samples of one output;
otherwise the last axis lists the outputs (for forecasts ``(windows, horizon)``: one output per
horizon, so ``multioutput="raw_values"`` gives the score at each horizon); with
``mask``/``lengths`` the selected axes are the samples. Scores are computed in float64.

Every metric is one implementation split in two (see ``STREAM_SPECS``): sufficient statistics
of a batch (weighted sums per output) and a finaliser, so the streaming form over a
``DataLoader`` gives the same numbers.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from course_utils._params import (
    Interval,
    check_param,
    check_params,
    renamed_parameter,
    validate_params,
)
from course_utils.metrics._docs import MASK_AND_LENGTHS, fill_doc
from course_utils.metrics._validation import (
    _both,
    _check_mask,
    _lengths_to_mask,
    as_array,
    as_finite_floats,
    as_sample_weight,
    check_same_shape,
)
from course_utils.metrics.regression import SEASON, SEASON_HINT

__all__ = [
    "crps_ensemble",
    "crps_gaussian",
    "interval_coverage",
    "interval_score",
    "mean_pinball_loss",
    "mean_scaled_interval_score",
]

_DOC_PARAMETERS = """\
    sample_weight : array-like of float, optional
        Non-negative weight per sample: the shape of the sample axes (every axis but the
        outputs'; with ``mask``/``lengths``, the selected axes) or of their leading axes,
        e.g. one weight per window. Weighted means replace plain means.
    multioutput : {"uniform_average", "raw_values"} or array-like of shape (n_outputs,)
        How to combine the outputs' scores (for ``(windows, horizon)`` forecasts, the
        horizons'): their mean, each one, or a weighted mean.
"""
_DOC_PARAMETERS += MASK_AND_LENGTHS

_shared_docs = fill_doc(parameters=_DOC_PARAMETERS)


# ----------------------------------------------------------------------------- checks


_ALPHA = {"alpha": [Interval(Real, 0, 1, closed="neither")]}


def _check_alpha(alpha, *, name: str = "alpha", what: str) -> float:
    """A float strictly inside (0, 1)."""
    check_param(name, alpha, _ALPHA["alpha"], hint=f"It is {what}.")
    return float(alpha)


def _keep(shape: tuple, mask, lengths) -> np.ndarray | None:
    """Boolean selection of the real steps over the leading axes (may select nothing)."""
    keep = None if lengths is None else _lengths_to_mask(lengths, shape, "y_true")
    if mask is not None:
        given = _check_mask(mask, shape, "y_true")
        keep = given if keep is None else _both(keep, given)
    return keep


def _rows(y_true, others: dict, *, mask, lengths, sample_weight, members: str | None = None):
    """Valid steps as float64 ``(n, n_outputs)`` arrays (``(n, n_outputs, m)`` for the
    ``members`` input, whose last axis lists ensemble members) and weights ``(n,)``.

    ``n`` may be 0 when ``mask``/``lengths`` select nothing (an empty batch).
    """
    y = as_array(y_true, "y_true")
    arrays = {}
    for name, value in others.items():
        arr = as_array(value, name)
        if name == members:
            if arr.shape[:-1] != y.shape or arr.ndim != y.ndim + 1:
                raise ValueError(
                    f"Expected `{name}` to have the shape of `y_true` {y.shape} plus one last "
                    f"axis of ensemble members, e.g. {(*y.shape, 100)}, but got {arr.shape}. "
                    "Put the members last (move them with `np.moveaxis`)."
                )
        else:
            check_same_shape(y, arr, ("y_true", name))
        arrays[name] = arr
    keep = _keep(y.shape, mask, lengths)
    if keep is not None:
        sample_axes = y.shape[: keep.ndim]
    else:
        sample_axes = y.shape if y.ndim == 1 else y.shape[:-1]
    w = None if sample_weight is None else as_sample_weight(sample_weight, sample_axes)
    if keep is not None:
        y = y[keep]  # (n, *output axes)
        arrays = {name: arr[keep] for name, arr in arrays.items()}
        w = None if w is None else w[keep]
        rest = y.shape[1:]
    else:
        rest = () if y.ndim == 1 else y.shape[-1:]
    k = int(np.prod(rest)) if rest else 1
    n = y.size // k
    out = {"y_true": as_finite_floats(y, "y_true").astype(np.float64).reshape(n, k)}
    for name, arr in arrays.items():
        tail = (arr.shape[-1],) if name == members else ()
        out[name] = as_finite_floats(arr, name).astype(np.float64).reshape(n, k, *tail)
    w = np.ones(n) if w is None else np.asarray(w, dtype=np.float64).reshape(n)
    return out, w


def _sums(scores: np.ndarray, w: np.ndarray) -> dict[str, np.ndarray]:
    """Weighted sums per output of ``(n, n_outputs)`` scores: the statistics to merge."""
    # Not BLAS (w @ scores): its threads stall when the cores are busy.
    return {"total": (scores * w[:, None]).sum(axis=0), "weight": np.full(scores.shape[1], w.sum())}


def _finalize(stats: dict, multioutput, *, what: str):
    """Weighted means per output, combined as ``multioutput`` asks."""
    weight = np.asarray(stats["weight"], dtype=np.float64)
    if not np.all(weight > 0):
        raise ValueError(
            f"Expected at least one valid step with a positive weight to compute the {what}, "
            "but `mask`/`lengths` mark every step as padding or every `sample_weight` is 0."
        )
    scores = np.asarray(stats["total"], dtype=np.float64) / weight
    if isinstance(multioutput, str):
        if multioutput not in ("uniform_average", "raw_values"):
            raise ValueError(
                "Expected `multioutput` to be 'uniform_average', 'raw_values' or an array of "
                f"{scores.size} weights, but got {multioutput!r}."
            )
        return scores if multioutput == "raw_values" else float(scores.mean())
    weights = as_finite_floats(as_array(multioutput, "multioutput"), "multioutput")
    if scores.size == 1 or weights.shape != scores.shape:
        raise ValueError(
            f"Expected `multioutput` to have one weight per output ({scores.size}), but got "
            f"shape {weights.shape}; pass 'uniform_average' for a single output."
        )
    return float(np.average(scores, weights=weights))


def _check_interval(lower: np.ndarray, upper: np.ndarray) -> None:
    bad = lower > upper
    if bad.any():
        first = int(np.argmax(bad.ravel()))
        raise ValueError(
            f"Expected `lower` <= `upper` at every valid step, but found "
            f"{int(np.count_nonzero(bad))} step(s) with lower > upper (the first: "
            f"{float(lower.ravel()[first])} > {float(upper.ravel()[first])}). Swap the bounds "
            "or sort quantile forecasts before using them as an interval."
        )


# ----------------------------------------------------------------------------- pinball


def _pinball(y, q, alpha):
    diff = y - q
    return np.where(diff >= 0, alpha * diff, (alpha - 1.0) * diff)


def _mean_pinball_loss_stats(
    y_true, y_pred, *, alpha=0.5, sample_weight=None, multioutput="uniform_average",
    mask=None, lengths=None,
) -> dict[str, np.ndarray]:  # fmt: skip
    alpha = _check_alpha(alpha, what="the quantile level of `y_pred`")
    rows, w = _rows(
        y_true, {"y_pred": y_pred}, mask=mask, lengths=lengths, sample_weight=sample_weight
    )
    return _sums(_pinball(rows["y_true"], rows["y_pred"], alpha), w)


def _mean_pinball_loss_finalize(stats, *, alpha=0.5, multioutput="uniform_average"):
    return _finalize(stats, multioutput, what="pinball loss")


@validate_params(_ALPHA, hints={"alpha": "It is the quantile level of `y_pred`."})
@_shared_docs
def mean_pinball_loss(
    y_true, y_pred, *, alpha=0.5, sample_weight=None, multioutput="uniform_average",
    mask=None, lengths=None,
):  # fmt: skip
    """Mean pinball (quantile) loss of a forecast of the ``alpha`` quantile.

    ``alpha * (y - q)`` when the outcome ``y`` is above the forecast ``q``, and
    ``(1 - alpha) * (q - y)`` when below (scikit-learn's ``mean_pinball_loss``). It is
    smallest, on average, when ``q`` is the true ``alpha`` quantile, which is why a quantile
    head is trained with it. At ``alpha=0.5`` it is half the absolute error.

    Parameters
    ----------
    y_true, y_pred : array-like of float, same shape
        Outcomes and quantile forecasts: lists, NumPy arrays or torch tensors, finite on
        valid steps.
    alpha : float in (0, 1), default 0.5
        The quantile level that ``y_pred`` forecasts (0.9: a value the outcome should fall
        below 90% of the time).
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_outputs,)
        An array only for ``multioutput="raw_values"``.

    Raises
    ------
    ValueError
        If ``alpha`` is not strictly between 0 and 1, shapes differ, an input holds NaN or
        infinity on a valid step, ``mask``/``lengths`` do not fit or leave no step, or
        ``multioutput`` is invalid.
    TypeError
        If ``alpha`` is not a number or an input does not hold numbers.

    Examples
    --------
    >>> mean_pinball_loss([1.0, 2.0, 3.0], [0.0, 2.0, 4.0], alpha=0.9)  # (0.9 + 0 + 0.1) / 3
    0.3333333333333333
    >>> mean_pinball_loss([[1.0, 9.0]], [[2.0, 0.0]], lengths=[1])  # the padding is left out
    0.5
    """
    stats = _mean_pinball_loss_stats(
        y_true, y_pred, alpha=alpha, sample_weight=sample_weight, mask=mask, lengths=lengths
    )
    return _mean_pinball_loss_finalize(stats, alpha=alpha, multioutput=multioutput)


# ---------------------------------------------------------------------------- intervals


def _interval_rows(y_true, lower, upper, *, mask, lengths, sample_weight):
    rows, w = _rows(
        y_true, {"lower": lower, "upper": upper}, mask=mask, lengths=lengths,
        sample_weight=sample_weight,
    )  # fmt: skip
    _check_interval(rows["lower"], rows["upper"])
    return rows["y_true"], rows["lower"], rows["upper"], w


def _interval_coverage_stats(
    y_true, lower, upper, *, sample_weight=None, multioutput="uniform_average", mask=None,
    lengths=None,
) -> dict[str, np.ndarray]:  # fmt: skip
    y, lo, up, w = _interval_rows(
        y_true, lower, upper, mask=mask, lengths=lengths, sample_weight=sample_weight
    )
    return _sums(((lo <= y) & (y <= up)).astype(np.float64), w)


def _interval_coverage_finalize(stats, *, multioutput="uniform_average"):
    return _finalize(stats, multioutput, what="interval coverage")


@_shared_docs
def interval_coverage(
    y_true, lower, upper, *, sample_weight=None, multioutput="uniform_average", mask=None,
    lengths=None,
):  # fmt: skip
    """Share of outcomes inside their interval, ``lower <= y_true <= upper``.

    The empirical coverage of a ``(1 - alpha)`` interval should be close to ``1 - alpha``:
    far below, the intervals are too narrow (overconfident); far above, wider than they
    need to be. Coverage alone rewards absurdly wide intervals, so report it next to the
    width or the :func:`interval_score`.

    Parameters
    ----------
    y_true, lower, upper : array-like of float, same shape
        Outcomes and each interval's ends, finite on valid steps, ``lower <= upper``.
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_outputs,)
        In [0, 1]; an array only for ``multioutput="raw_values"``.

    Raises
    ------
    ValueError
        If ``lower > upper`` at a valid step, shapes differ, an input holds NaN or infinity
        on a valid step, ``mask``/``lengths`` do not fit or leave no step, or
        ``multioutput`` is invalid.
    TypeError
        If an input does not hold numbers.

    Examples
    --------
    >>> interval_coverage([1.0, 5.0, 3.0, 0.0], [0.0, 0.0, 0.0, 0.0], [2.0, 2.0, 4.0, 1.0])
    0.75
    """
    stats = _interval_coverage_stats(
        y_true, lower, upper, sample_weight=sample_weight, mask=mask, lengths=lengths
    )
    return _interval_coverage_finalize(stats, multioutput=multioutput)


def _winkler(y, lo, up, alpha):
    return (up - lo) + (2.0 / alpha) * (np.maximum(lo - y, 0.0) + np.maximum(y - up, 0.0))


def _interval_score_stats(
    y_true, lower, upper, *, alpha, sample_weight=None, multioutput="uniform_average",
    mask=None, lengths=None,
) -> dict[str, np.ndarray]:  # fmt: skip
    alpha = _check_alpha(alpha, what="the interval's nominal miss rate: 0.1 for 90% intervals")
    y, lo, up, w = _interval_rows(
        y_true, lower, upper, mask=mask, lengths=lengths, sample_weight=sample_weight
    )
    return _sums(_winkler(y, lo, up, alpha), w)


def _interval_score_finalize(stats, *, alpha=None, multioutput="uniform_average"):
    return _finalize(stats, multioutput, what="interval score")


@validate_params(_ALPHA, hints={"alpha": "It is the nominal miss rate: 0.1 for 90% intervals."})
@_shared_docs
def interval_score(
    y_true, lower, upper, *, alpha, sample_weight=None, multioutput="uniform_average",
    mask=None, lengths=None,
):  # fmt: skip
    """Mean interval (Winkler) score of central ``(1 - alpha)`` prediction intervals.

    For each outcome ``y`` and interval ``[l, u]``:
    ``(u - l) + 2 / alpha * (l - y) if y < l``, ``+ 2 / alpha * (y - u) if y > u``
    (Gneiting and Raftery, 2007, eq. 43; scoringrules' ``interval_score``). The width is
    paid always, a miss is paid ``2 / alpha`` times over, so the score is lowest, on average,
    for the true ``alpha / 2`` and ``1 - alpha / 2`` quantiles. Lower is better; it is in the
    units of ``y``.

    Parameters
    ----------
    y_true, lower, upper : array-like of float, same shape
        Outcomes and each interval's ends, finite on valid steps, ``lower <= upper``.
    alpha : float in (0, 1)
        The nominal miss rate: 0.1 for 90% intervals (ends at the 5% and 95% quantiles).
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_outputs,)
        An array only for ``multioutput="raw_values"``.

    Raises
    ------
    ValueError
        If ``alpha`` is not strictly between 0 and 1, ``lower > upper`` at a valid step,
        shapes differ, an input holds NaN or infinity on a valid step, ``mask``/``lengths``
        do not fit or leave no step, or ``multioutput`` is invalid.
    TypeError
        If ``alpha`` is not a number or an input does not hold numbers.

    Examples
    --------
    A 90% interval [0, 2]: width 2 when it holds the outcome, plus 20 times the miss when not:

    >>> interval_score([1.0, 2.5], [0.0, 0.0], [2.0, 2.0], alpha=0.1)  # (2 + 2 + 20 * 0.5) / 2
    7.0
    """
    stats = _interval_score_stats(
        y_true, lower, upper, alpha=alpha, sample_weight=sample_weight, mask=mask,
        lengths=lengths,
    )  # fmt: skip
    return _interval_score_finalize(stats, alpha=alpha, multioutput=multioutput)


def _seasonal_naive_scale(y_train, m: int) -> np.ndarray:
    """In-sample mean absolute error of the seasonal naive forecast ``y[t - m]``, per output.

    The same scale as :func:`~course_utils.metrics.mean_absolute_scaled_error`'s.
    """
    check_params(SEASON, {"season": m})
    train = as_finite_floats(as_array(y_train, "y_train"), "y_train").astype(np.float64)
    if train.ndim not in (1, 2):
        raise ValueError(
            f"Expected `y_train` to be 1-D (n_train,) or 2-D (n_train, n_outputs), but got "
            f"shape {train.shape}."
        )
    if train.shape[0] <= m:
        raise ValueError(
            f"Expected `y_train` to have more than `season` = {m} steps, but got "
            f"{train.shape[0]}. Pass the whole training series."
        )
    scale = np.mean(np.abs(train[m:] - train[:-m]), axis=0)
    if np.any(scale == 0):
        raise ValueError(
            f"Expected `y_train` to vary at lag {m}, but its seasonal naive forecast is exact "
            "in-sample (the scale is 0), so the scaled score is undefined. Check `season`."
        )
    return scale


@renamed_parameter("seasonality", "season")
@validate_params(
    {**_ALPHA, **SEASON},
    hints={**SEASON_HINT, **{"alpha": "It is the nominal miss rate: 0.1 for 90% intervals."}},
)
@_shared_docs
def mean_scaled_interval_score(
    y_true, lower, upper, *, alpha, y_train, season=1, sample_weight=None,
    multioutput="uniform_average", mask=None, lengths=None,
):  # fmt: skip
    """Interval score divided by the in-sample MAE of the seasonal naive forecast (MSIS).

    ``MSIS = interval_score(...) / mean_t |y_train[t] - y_train[t - m]|``, the M4
    competition's score for prediction intervals (Makridakis et al., 2020). The scale is that
    of :func:`~course_utils.metrics.mean_absolute_scaled_error`, so, like MASE, it is
    unit-free and can be averaged across series.

    Parameters
    ----------
    y_true, lower, upper, alpha
        As in :func:`interval_score`.
    y_train : array-like of float of shape (n_train,) or (n_train, n_outputs)
        The training series, in time order, that sets the scale (one column per output,
        or 1-D for one scale).
    season : int, default 1
        Season length ``m`` of the naive forecast (1 for yearly data, 12 for monthly).
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_outputs,)
        An array only for ``multioutput="raw_values"``.

    Raises
    ------
    ValueError
        As :func:`interval_score`; or if ``y_train`` is not 1-D or 2-D, has at most
        ``season`` steps, does not match the outputs, or repeats itself exactly at lag
        ``m`` (the scale is 0).
    TypeError
        If an input does not hold numbers or ``season`` is not an int.

    Examples
    --------
    >>> y_train = [10.0, 12.0, 11.0, 13.0]  # naive in-sample errors 2, 1, 2: scale 5 / 3
    >>> mean_scaled_interval_score([14.0], [13.0], [15.0], alpha=0.1, y_train=y_train)
    1.2
    """
    _seasonal_naive_scale(y_train, season)  # checked before the intervals are scored
    stats = _interval_score_stats(
        y_true, lower, upper, alpha=alpha, sample_weight=sample_weight, mask=mask,
        lengths=lengths,
    )  # fmt: skip
    return _msis_finalize(stats, y_train=y_train, season=season, multioutput=multioutput)


def _msis_stats(y_true, lower, upper, *, alpha, y_train=None, season=1, **options):
    """The interval score's sums: the scale is applied once, by the finaliser."""
    return _interval_score_stats(y_true, lower, upper, alpha=alpha, **options)


def _msis_finalize(stats, *, y_train, season=1, multioutput="uniform_average", **_):
    scale = _seasonal_naive_scale(y_train, season)
    total = np.asarray(stats["total"], dtype=np.float64)
    if scale.ndim == 1 and scale.shape != total.shape:
        raise ValueError(
            f"Expected `y_train` to have one column per output ({total.size}), but got "
            f"{scale.size}. Pass a 1-D series to use one scale for every output."
        )
    scaled = {**stats, "total": total / scale}  # a constant scale per output: mean / scale
    return _finalize(scaled, multioutput, what="scaled interval score")


# ---------------------------------------------------------------------------------- CRPS


def _crps_gaussian_stats(
    y_true, mu, sigma, *, sample_weight=None, multioutput="uniform_average", mask=None,
    lengths=None,
) -> dict[str, np.ndarray]:  # fmt: skip
    rows, w = _rows(
        y_true, {"mu": mu, "sigma": sigma}, mask=mask, lengths=lengths,
        sample_weight=sample_weight,
    )  # fmt: skip
    y, m, s = rows["y_true"], rows["mu"], rows["sigma"]
    if np.any(s < 0):
        raise ValueError(
            f"Expected `sigma` to be non-negative (a standard deviation), but found "
            f"{int(np.count_nonzero(s < 0))} negative value(s), the smallest {s.min()!r}. "
            "A network's scale output needs a softplus or exp."
        )
    return _sums(_crps_normal(y, m, s), w)


def _crps_normal(y, mu, sigma):
    """Closed form of the CRPS of N(mu, sigma^2); sigma = 0 gives |y - mu|."""
    from scipy.special import ndtr  # the normal CDF, vectorised

    safe = np.where(sigma > 0, sigma, 1.0)
    z = (y - mu) / safe
    pdf = np.exp(-0.5 * z**2) / math.sqrt(2 * math.pi)
    crps = safe * (z * (2 * ndtr(z) - 1) + 2 * pdf - 1 / math.sqrt(math.pi))
    return np.where(sigma > 0, crps, np.abs(y - mu))


def _crps_gaussian_finalize(stats, *, multioutput="uniform_average"):
    return _finalize(stats, multioutput, what="CRPS")


@_shared_docs
def crps_gaussian(
    y_true, mu, sigma, *, sample_weight=None, multioutput="uniform_average", mask=None,
    lengths=None,
):  # fmt: skip
    """Mean continuous ranked probability score of normal forecasts ``N(mu, sigma**2)``.

    The CRPS is the squared distance between the forecast's CDF and the outcome's step
    function, integrated over all values; for a normal forecast it has a closed form
    (Gneiting and Raftery, 2007; properscoring's ``crps_gaussian``). It is in the units of
    ``y``, lower is better, and for ``sigma=0`` it is the absolute error ``|y - mu|``: a
    probabilistic forecast and a point forecast are compared on one scale.

    Parameters
    ----------
    y_true, mu, sigma : array-like of float, same shape
        Outcomes, forecast means and forecast standard deviations (non-negative), finite on
        valid steps.
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_outputs,)
        An array only for ``multioutput="raw_values"``.

    Raises
    ------
    ValueError
        If ``sigma`` is negative at a valid step, shapes differ, an input holds NaN or
        infinity on a valid step, ``mask``/``lengths`` do not fit or leave no step, or
        ``multioutput`` is invalid.
    TypeError
        If an input does not hold numbers.

    Examples
    --------
    >>> round(crps_gaussian([0.0], [0.0], [1.0]), 6)  # (sqrt(2) - 1) / sqrt(pi)
    0.233695
    >>> crps_gaussian([3.0], [1.0], [0.0])  # no spread: the absolute error
    2.0
    """
    stats = _crps_gaussian_stats(
        y_true, mu, sigma, sample_weight=sample_weight, mask=mask, lengths=lengths
    )
    return _crps_gaussian_finalize(stats, multioutput=multioutput)


def _crps_ensemble_stats(
    y_true, samples, *, sample_weight=None, multioutput="uniform_average", mask=None,
    lengths=None,
) -> dict[str, np.ndarray]:  # fmt: skip
    rows, w = _rows(
        y_true, {"samples": samples}, mask=mask, lengths=lengths,
        sample_weight=sample_weight, members="samples",
    )  # fmt: skip
    return _sums(_crps_members(rows["y_true"], rows["samples"]), w)


def _crps_members(y, x):
    """``E|X - y| - E|X - X'| / 2`` for the empirical distribution of the members ``x``
    (last axis), in O(m log m) per forecast: with members sorted, ``E|X - X'|`` is
    ``2 / m**2 * sum_i (2 i - m - 1) x_(i)``."""
    m = x.shape[-1]
    spread_to_y = np.abs(x - y[..., None]).mean(axis=-1)
    ranks = 2.0 * np.arange(1, m + 1) - m - 1.0
    spread = 2.0 * (np.sort(x, axis=-1) * ranks).sum(axis=-1) / m**2
    return spread_to_y - 0.5 * spread


def _crps_ensemble_finalize(stats, *, multioutput="uniform_average"):
    return _finalize(stats, multioutput, what="CRPS")


@_shared_docs
def crps_ensemble(
    y_true, samples, *, sample_weight=None, multioutput="uniform_average", mask=None,
    lengths=None,
):  # fmt: skip
    """Mean continuous ranked probability score of forecasts given as samples (an ensemble).

    ``CRPS = E|X - y| - E|X - X'| / 2`` for ``X``, ``X'`` drawn independently from the
    forecast's members (properscoring's ``crps_ensemble``, scoringrules' ``"nrg"``
    estimator). The first term rewards members close to the outcome, the second rewards
    spread; a one-member ensemble scores its absolute error. Use it for simulated paths
    (bootstrapped residuals, ETS simulations) or an empirical residual distribution.

    Parameters
    ----------
    y_true : array-like of float
        Outcomes, finite on valid steps.
    samples : array-like of float of shape ``y_true.shape + (m,)``
        ``m`` members per outcome, on the last axis.
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_outputs,)
        An array only for ``multioutput="raw_values"``.

    Raises
    ------
    ValueError
        If ``samples`` is not ``y_true``'s shape plus a last axis of members, an input holds
        NaN or infinity on a valid step, ``mask``/``lengths`` do not fit or leave no step,
        or ``multioutput`` is invalid.
    TypeError
        If an input does not hold numbers.

    Examples
    --------
    >>> crps_ensemble([0.0], [[-1.0, 1.0]])  # E|X - y| = 1, E|X - X'| = 1
    0.5
    >>> crps_ensemble([2.0], [[5.0]])  # one member: the absolute error
    3.0
    """
    stats = _crps_ensemble_stats(
        y_true, samples, sample_weight=sample_weight, mask=mask, lengths=lengths
    )
    return _crps_ensemble_finalize(stats, multioutput=multioutput)


_REDUCE = {"total": "sum", "weight": "sum"}

#: How each metric streams (see course_utils.metrics.stream): batch statistics, finaliser,
#: and how each statistic merges across batches and processes.
STREAM_SPECS = {
    "mean_pinball_loss": {
        "stats": _mean_pinball_loss_stats,
        "finalize": _mean_pinball_loss_finalize,
        "reduce": _REDUCE,
    },
    "interval_coverage": {
        "stats": _interval_coverage_stats,
        "finalize": _interval_coverage_finalize,
        "reduce": _REDUCE,
    },
    "interval_score": {
        "stats": _interval_score_stats,
        "finalize": _interval_score_finalize,
        "reduce": _REDUCE,
    },
    "mean_scaled_interval_score": {
        "stats": _msis_stats,
        "finalize": _msis_finalize,
        "reduce": _REDUCE,
    },
    "crps_gaussian": {
        "stats": _crps_gaussian_stats,
        "finalize": _crps_gaussian_finalize,
        "reduce": _REDUCE,
    },
    "crps_ensemble": {
        "stats": _crps_ensemble_stats,
        "finalize": _crps_ensemble_finalize,
        "reduce": _REDUCE,
    },
}
