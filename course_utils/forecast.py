"""Forecasts many steps ahead, with intervals: recursive and direct, conformal, and the
statistical rivals.

A :class:`~course_utils.models.Forecaster` with ``horizon=H`` forecasts ``H`` steps at once
(*direct*: one output per horizon). One with ``horizon=1`` can still forecast ``H`` steps by
feeding its own forecasts back, step after step (*recursive*, :func:`recursive_forecast`).
Feeding back the *true* values instead (``truth=``) is teacher forcing: what many published
"12-step" evaluations compute by mistake, a one-step forecast in disguise.

Intervals:

- a :class:`~course_utils.models.QuantileForecaster` (pinball loss) or a
  :class:`~course_utils.models.GaussianForecaster` (negative log likelihood) learns them;
- :func:`conformal_intervals` wraps any point forecast in split-conformal intervals from its
  errors on a calibration window, one width per horizon, with coverage guaranteed when
  calibration and test errors are exchangeable;
- :func:`~course_utils.data.bootstrap_paths` simulates a simple rival's future from its
  bootstrapped residuals, :func:`ets_forecast` fits exponential smoothing (statsmodels,
  imported only when called: ``pip install course_utils[forecast]``) and
  :func:`theta_forecast` the Theta method (NumPy, checked against statsmodels).

:func:`forecast_scores` scores any of them at once: coverage, width, interval score, pinball
loss and CRPS.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import torch

from course_utils._validation import check_float, check_int, check_lengths, check_sequences

__all__ = [
    "conformal_intervals",
    "conformal_samples",
    "ets_forecast",
    "forecast_scores",
    "gaussian_quantiles",
    "recursive_forecast",
    "theta_forecast",
]


def _numpy(a, name: str) -> np.ndarray:
    if isinstance(a, torch.Tensor):
        a = a.detach().cpu().numpy()
    try:
        out = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"Expected `{name}` to be an array of numbers: {err}") from None
    if not np.isfinite(out).all():
        raise ValueError(f"Expected `{name}` to be finite, but it holds NaN or infinity.")
    return out


def _check_alpha(alpha) -> float:
    return check_float(alpha, name="alpha", low=0.0, high=1.0, low_open=True, high_open=True)


# --------------------------------------------------------------------------- recursive


def recursive_forecast(
    model, x, horizon: int, *, lengths=None, truth=None, centred: bool = False
) -> np.ndarray:
    """Forecast ``horizon`` steps by feeding a one-step model's forecasts back as inputs.

    At each step the model reads the window, forecasts the next value (its first output),
    and that forecast joins the window: a full window drops its oldest step, so the model
    always reads windows as long as those it was trained on; a shorter (padded) window
    grows by one real step. Errors compound: a miss at step 1 is an input at step 2.

    Pass ``truth`` to feed back the *true* values instead (teacher forcing). Then every
    "h-step" forecast is a one-step forecast from a window that already holds the true
    values up to ``h - 1`` steps after the origin: information a real forecast made at the
    origin does not have. Use it only to show how much an evaluation that does this flatters
    a model.

    Parameters
    ----------
    model : Forecaster
        A trained forecaster with one input feature; only its first output (one step
        ahead) is used.
    x : torch.Tensor or numpy.ndarray of shape (n, T, 1)
        Windows in the model's units (scaled as in training), zero-padded.
    horizon : int
        Steps to forecast.
    lengths : array-like of int of shape (n,) or None, default None
        Real steps per window; None: every window is full.
    truth : array-like of shape (n, horizon) or None, default None
        The true next values, in the model's units: fed back instead of the forecasts.
    centred : bool, default False
        The model was trained on windows centred on their last value (as
        :func:`~course_utils.data.many_series_windows` cuts them): after each step the
        window is centred again on its new last value, and the forecasts are returned in
        the units of ``x`` (relative to its last value).

    Returns
    -------
    numpy.ndarray
        float64 ``(n, horizon)``, in the model's units.

    Raises
    ------
    TypeError
        If ``model`` is not a Forecaster with point outputs.
    ValueError
        If the model has more than one input feature, or ``x``, ``lengths`` or ``truth`` do
        not fit.

    Examples
    --------
    >>> from course_utils.models import Forecaster
    >>> model = Forecaster(1, 4, seed=0)
    >>> x = torch.randn(3, 8, 1)
    >>> recursive_forecast(model, x, 5).shape
    (3, 5)
    >>> fed = recursive_forecast(model, x, 5, truth=np.zeros((3, 5)))  # teacher forcing
    >>> bool(np.allclose(fed[:, 0], recursive_forecast(model, x, 1)[:, 0]))  # step 1: same
    True
    """
    from course_utils.models import Forecaster, GaussianForecaster, QuantileForecaster
    from course_utils.training import predict_forecast

    if not isinstance(model, Forecaster) or isinstance(
        model, GaussianForecaster | QuantileForecaster
    ):
        raise TypeError(
            "Expected `model` to be a point Forecaster (its forecasts are fed back), but got "
            f"{type(model).__name__}."
        )
    if model.encoder.input_size != 1:
        raise ValueError(
            "Expected a univariate model (input_size=1): recursive forecasts feed the "
            f"forecast back as the only input, but the model reads {model.encoder.input_size}."
        )
    horizon = check_int(horizon, name="horizon")
    x = check_sequences(x, features=1).detach().cpu().double()
    n, steps = x.shape[:2]
    lengths = check_lengths(lengths, n=n, max_length=steps).clone()
    if truth is not None:
        truth = _numpy(truth, "truth")
        if truth.shape != (n, horizon):
            raise ValueError(
                f"Expected `truth` to have shape ({n}, {horizon}) (windows, horizon), but got "
                f"{truth.shape}."
            )
    if not isinstance(centred, bool):
        raise TypeError(f"Expected `centred` to be a bool, but got {centred!r}.")
    x = x.clone()
    out = np.empty((n, horizon))
    rows = torch.arange(n)
    offset = torch.zeros(n, dtype=torch.float64)  # what centring has subtracted so far
    for step in range(horizon):
        out[:, step] = predict_forecast(model, x.float(), lengths)[:, 0] + offset.numpy()
        fed = torch.from_numpy(out[:, step] if truth is None else truth[:, step]) - offset
        full = lengths == steps
        x[full] = torch.roll(x[full], shifts=-1, dims=1)  # drop the oldest step
        place = torch.where(full, steps - 1, lengths)
        x[rows, place, 0] = fed
        lengths = torch.where(full, lengths, lengths + 1)
        if centred:  # the new last value becomes 0 again; padding stays 0
            real = torch.arange(steps)[None, :] < lengths[:, None]
            x[..., 0] = torch.where(real, x[..., 0] - fed[:, None], x[..., 0])
            offset = offset + fed
    return out


# ---------------------------------------------------------------------------- conformal


def _calibration(cal_true, cal_pred, pred):
    cal_true, cal_pred = _numpy(cal_true, "cal_true"), _numpy(cal_pred, "cal_pred")
    pred = _numpy(pred, "pred")
    if cal_true.ndim == 1:
        cal_true, cal_pred = cal_true[:, None], cal_pred[:, None]
    if cal_true.shape != cal_pred.shape or cal_true.ndim != 2:
        raise ValueError(
            f"Expected `cal_true` and `cal_pred` to share a shape (n_cal, horizon), but got "
            f"{cal_true.shape} and {cal_pred.shape}."
        )
    single = pred.ndim == 1
    pred2 = pred[None, :] if single else pred
    if pred2.ndim != 2 or pred2.shape[1] != cal_true.shape[1]:
        raise ValueError(
            f"Expected `pred` to have {cal_true.shape[1]} horizons on its last axis, like the "
            f"calibration forecasts, but got shape {pred.shape}."
        )
    return cal_true, cal_pred, pred2, single


def conformal_intervals(cal_true, cal_pred, pred, *, alpha: float):
    """Split-conformal prediction intervals, one width per horizon.

    On a calibration window that the model did not train on, take the absolute errors
    ``|cal_true - cal_pred|`` at each horizon; the interval is ``pred -+ q_h``, with
    ``q_h`` the ``ceil((n_cal + 1) * (1 - alpha))``-th smallest of those ``n_cal`` errors
    (Vovk et al., 2005; Angelopoulos and Bates, 2023). If the calibration and test errors
    are exchangeable, each interval holds the outcome with probability at least
    ``1 - alpha``, whatever the model. Errors of a time series drift and are correlated, so
    for forecasts that is a hope to check, not a guarantee: measure the coverage.

    Parameters
    ----------
    cal_true, cal_pred : array-like of shape (n_cal, horizon) or (n_cal,)
        Outcomes and forecasts on the calibration window.
    pred : array-like of shape (n, horizon) or (horizon,)
        Forecasts to wrap.
    alpha : float in (0, 1)
        Nominal miss rate: 0.1 for 90% intervals.

    Returns
    -------
    lower, upper : numpy.ndarray
        float64, the shape of ``pred``.

    Raises
    ------
    ValueError
        If ``alpha`` is outside (0, 1), the shapes disagree, or the calibration window is too
        short for ``alpha`` (it needs ``n_cal >= 1 / alpha - 1`` errors, or the interval would
        be infinite).

    Examples
    --------
    >>> cal_true = np.arange(9.0)[:, None]  # 9 calibration errors: 0, 1, ..., 8
    >>> lower, upper = conformal_intervals(cal_true, np.zeros((9, 1)), [[100.0]], alpha=0.2)
    >>> lower.tolist(), upper.tolist()  # the ceil(10 * 0.8) = 8th smallest error is 7
    ([[93.0]], [[107.0]])
    """
    alpha = _check_alpha(alpha)
    cal_true, cal_pred, pred, single = _calibration(cal_true, cal_pred, pred)
    n_cal = cal_true.shape[0]
    rank = math.ceil((n_cal + 1) * (1 - alpha))
    if rank > n_cal:
        raise ValueError(
            f"Expected a calibration window of at least {math.ceil(1 / alpha - 1)} forecasts "
            f"for alpha={alpha}, but got {n_cal}: the interval would be infinite. Lengthen the "
            "calibration window or raise `alpha`."
        )
    errors = np.sort(np.abs(cal_true - cal_pred), axis=0)  # (n_cal, horizon)
    q = errors[rank - 1]  # (horizon,)
    lower, upper = pred - q, pred + q
    return (lower[0], upper[0]) if single else (lower, upper)


def conformal_samples(cal_true, cal_pred, pred) -> np.ndarray:
    """The forecasts plus every calibration error of their horizon: an ensemble forecast.

    The empirical distribution of ``pred + (cal_true - cal_pred)`` at each horizon is the
    conformal predictive distribution behind :func:`conformal_intervals` (with signed
    errors), and can be scored with :func:`~course_utils.metrics.crps_ensemble`.

    Parameters
    ----------
    cal_true, cal_pred : array-like of shape (n_cal, horizon) or (n_cal,)
    pred : array-like of shape (n, horizon) or (horizon,)

    Returns
    -------
    numpy.ndarray
        float64 ``pred.shape + (n_cal,)``: members on the last axis.

    Raises
    ------
    ValueError
        If the shapes disagree.

    Examples
    --------
    >>> conformal_samples([[1.0], [3.0]], [[2.0], [2.0]], [[10.0]]).tolist()
    [[[9.0, 11.0]]]
    """
    cal_true, cal_pred, pred, single = _calibration(cal_true, cal_pred, pred)
    errors = (cal_true - cal_pred).T  # (horizon, n_cal)
    out = pred[:, :, None] + errors[None]
    return out[0] if single else out


def gaussian_quantiles(mu, sigma, levels) -> np.ndarray:
    """Quantiles of normal forecasts ``N(mu, sigma**2)`` at ``levels``: ``(*mu.shape, len(levels))``.

    Parameters
    ----------
    mu, sigma : array-like, same shape
        Means and standard deviations (non-negative).
    levels : sequence of float in (0, 1)

    Returns
    -------
    numpy.ndarray
        float64, levels on the last axis.

    Raises
    ------
    ValueError
        If ``sigma`` is negative, the shapes differ, or a level is outside (0, 1).

    Examples
    --------
    >>> gaussian_quantiles([0.0], [1.0], [0.05, 0.5, 0.95]).round(3).tolist()
    [[-1.645, 0.0, 1.645]]
    """
    from scipy.special import ndtri

    mu, sigma = _numpy(mu, "mu"), _numpy(sigma, "sigma")
    if mu.shape != sigma.shape:
        raise ValueError(f"Expected `mu` and `sigma` to share a shape: {mu.shape}, {sigma.shape}.")
    if (sigma < 0).any():
        raise ValueError("Expected `sigma` to be non-negative (a standard deviation).")
    levels = np.array([_check_alpha(q) for q in levels]) if len(levels) else None
    if levels is None:
        raise ValueError("Expected `levels` to hold at least one level in (0, 1).")
    return mu[..., None] + sigma[..., None] * ndtri(levels)


# ---------------------------------------------------------------------------- scoring


def forecast_scores(y_true, forecast: Mapping, *, alpha: float, mask=None, lengths=None) -> dict:
    """Coverage, width, interval score, pinball loss and CRPS of one interval forecast.

    Parameters
    ----------
    y_true : array-like of shape (n, horizon)
        Outcomes.
    forecast : mapping
        ``"lower"``, ``"upper"`` (the central ``1 - alpha`` interval) and ``"point"`` (the
        median forecast), each the shape of ``y_true``; for the CRPS either ``"samples"``
        (an ensemble, members last) or ``"mu"`` and ``"sigma"`` (a normal forecast). Without
        either, the CRPS is NaN.
    alpha : float in (0, 1)
        Nominal miss rate of the interval.
    mask, lengths : optional
        As in :mod:`course_utils.metrics`.

    Returns
    -------
    dict
        ``"coverage"`` (share inside, to compare with ``1 - alpha``), ``"width"`` (mean
        ``upper - lower``), ``"interval score"``, ``"pinball"`` (the mean pinball loss of the
        three quantiles ``alpha / 2``, 0.5 and ``1 - alpha / 2``: lower, point, upper) and
        ``"CRPS"``.

    Raises
    ------
    ValueError
        If a key is missing or a score's checks fail (e.g. ``lower > upper``).

    Examples
    --------
    >>> y = np.array([[1.0, 2.0]])
    >>> f = {"lower": y - 1, "point": y, "upper": y + 1, "samples": y[..., None]}
    >>> forecast_scores(y, f, alpha=0.1)["width"], forecast_scores(y, f, alpha=0.1)["CRPS"]
    (2.0, 0.0)
    """
    from course_utils import metrics

    missing = {"lower", "upper", "point"} - set(forecast)
    if missing:
        raise ValueError(
            f"Expected `forecast` to have keys 'lower', 'upper' and 'point', but {sorted(missing)} "
            "are missing."
        )
    alpha = _check_alpha(alpha)
    sel = {"mask": mask, "lengths": lengths}
    lo, up, point = forecast["lower"], forecast["upper"], forecast["point"]
    width = np.asarray(up, dtype=np.float64) - np.asarray(lo, dtype=np.float64)
    pinball = np.mean(
        [
            metrics.mean_pinball_loss(y_true, lo, alpha=alpha / 2, **sel),
            metrics.mean_pinball_loss(y_true, point, alpha=0.5, **sel),
            metrics.mean_pinball_loss(y_true, up, alpha=1 - alpha / 2, **sel),
        ]
    )
    if "samples" in forecast:
        crps = metrics.crps_ensemble(y_true, forecast["samples"], **sel)
    elif "mu" in forecast and "sigma" in forecast:
        crps = metrics.crps_gaussian(y_true, forecast["mu"], forecast["sigma"], **sel)
    else:
        crps = float("nan")
    return {
        "coverage": metrics.interval_coverage(y_true, lo, up, **sel),
        "width": metrics.mean_absolute_error(width, np.zeros_like(width), **sel),
        "interval score": metrics.interval_score(y_true, lo, up, alpha=alpha, **sel),
        "pinball": float(pinball),
        "CRPS": crps,
    }


# --------------------------------------------------------------------- statistical rivals


def _statsmodels(what: str):
    try:
        import statsmodels  # noqa: F401
    except ImportError as err:  # pragma: no cover - statsmodels is in the course's stack
        raise ImportError(
            f"{what} needs statsmodels: pip install 'course_utils[forecast]' "
            "(or statsmodels>=0.14)."
        ) from err


def _history(history) -> np.ndarray:
    h = _numpy(history, "history")
    if h.ndim != 1 or h.size < 4:
        raise ValueError(
            f"Expected `history` to be one series (T,) of at least 4 steps, but got shape "
            f"{h.shape}."
        )
    return h


def _gaussian_result(mean, sigma, *, alpha, log, n_samples) -> dict:
    """Point, interval and a quantile ensemble of a normal forecast (of the log if ``log``)."""
    levels = (np.arange(n_samples) + 0.5) / n_samples  # an even grid of quantile levels
    grid = gaussian_quantiles(mean, sigma, levels)
    ends = gaussian_quantiles(mean, sigma, [alpha / 2, 1 - alpha / 2])
    out = {"point": mean, "lower": ends[..., 0], "upper": ends[..., 1], "samples": grid}
    if log:
        out = {key: np.exp(value) for key, value in out.items()}  # quantiles map through exp
    else:
        out |= {"mu": mean, "sigma": sigma}
    return out


def ets_forecast(
    history,
    horizon: int,
    *,
    alpha: float = 0.1,
    error: str = "add",
    trend: str | None = "add",
    damped_trend: bool = False,
    seasonal: str | None = None,
    seasonal_periods: int | None = None,
    log: bool = False,
    params=None,
    n_samples: int = 100,
) -> dict:
    """Exponential smoothing (ETS) forecasts with intervals, from statsmodels' ``ETSModel``.

    Fits the state-space ETS model by maximum likelihood on ``history`` and forecasts
    ``horizon`` steps, with the model's (normal) prediction intervals (Hyndman and
    Athanasopoulos, FPP3 §8). With ``log=True`` the model is fitted to ``log(history)``
    (multiplicative growth and seasons become additive) and every quantile is mapped back
    through ``exp``, so ``point`` is the forecast median.

    Parameters
    ----------
    history : array-like of shape (T,)
        One series, oldest first (positive if ``log``).
    horizon : int
        Steps ahead.
    alpha : float in (0, 1), default 0.1
        Nominal miss rate of the interval (0.1: 90%).
    error, trend, damped_trend, seasonal, seasonal_periods
        The ETS form, as in ``statsmodels.tsa.exponential_smoothing.ets.ETSModel``.
    log : bool, default False
        Model the logarithm of the series.
    params : array-like or None, default None
        Fitted parameters (the ``"params"`` of an earlier call): instead of fitting again,
        run the model with these parameters through ``history`` (its states follow the
        data) and forecast from its end. This is how to forecast from many origins with
        parameters fitted once, on the training period only.
    n_samples : int, default 100
        Size of the quantile ensemble returned for the CRPS (quantiles at levels
        ``(i + 0.5) / n_samples``).

    Returns
    -------
    dict
        ``"point"``, ``"lower"``, ``"upper"`` ``(horizon,)``, ``"samples"``
        ``(horizon, n_samples)``, and (without ``log``) ``"mu"``, ``"sigma"``: what
        :func:`forecast_scores` takes; ``"params"``, the model's parameters.

    Raises
    ------
    ValueError
        If ``history`` is too short or not positive with ``log=True``, or an option is
        invalid.
    ImportError
        If statsmodels is not installed.

    Examples
    --------
    >>> y = 10 + np.arange(20.0) + np.tile([0.0, 1.0], 10)
    >>> f = ets_forecast(y, 3, trend="add")
    >>> f["point"].shape, bool((f["lower"] < f["point"]).all())
    ((3,), True)
    """
    _statsmodels("ets_forecast")
    import warnings

    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    h = _history(history)
    horizon = check_int(horizon, name="horizon")
    alpha = _check_alpha(alpha)
    n_samples = check_int(n_samples, name="n_samples")
    if log:
        if (h <= 0).any():
            raise ValueError("Expected a positive `history` for log=True.")
        h = np.log(h)
    import pandas as pd  # statsmodels' ETS prediction frame needs an index

    model = ETSModel(
        pd.Series(h), error=error, trend=trend, damped_trend=damped_trend, seasonal=seasonal,
        seasonal_periods=seasonal_periods,
    )  # fmt: skip
    with warnings.catch_warnings():  # convergence chatter; the fit is still the best found
        warnings.simplefilter("ignore")
        fit = model.fit(disp=False) if params is None else model.smooth(_numpy(params, "params"))
        frame = fit.get_prediction(start=len(h), end=len(h) + horizon - 1).summary_frame(
            alpha=alpha
        )
    from scipy.special import ndtri

    mean = frame["mean"].to_numpy()
    sigma = (frame["pi_upper"].to_numpy() - mean) / ndtri(1 - alpha / 2)
    out = _gaussian_result(mean, np.maximum(sigma, 0.0), alpha=alpha, log=log,
                           n_samples=n_samples)  # fmt: skip
    return out | {"params": np.asarray(fit.params, dtype=np.float64)}


def _ses_levels(y: np.ndarray, alpha: float, drift: float = 0.0) -> np.ndarray:
    """Levels ``l[0] = y[0]``, ``l[t + 1] = l[t] + drift + alpha * (y[t] - l[t] - drift)``
    (with ``drift = 0``: simple exponential smoothing started at the first value)."""
    levels = np.empty(len(y) + 1)
    levels[0] = y[0]
    for t, value in enumerate(y):
        levels[t + 1] = levels[t] + drift + alpha * (value - levels[t] - drift)
    return levels


def theta_forecast(history, horizon: int, *, alpha: float = 0.1, n_samples: int = 100) -> dict:
    """Forecasts of the Theta method (no season), with normal prediction intervals.

    The Theta method (Assimakopoulos and Nikolopoulos, 2000), the winner of the M3
    competition, is simple exponential smoothing with a drift of half the slope ``b0`` of
    the series' straight-line trend (Hyndman and Billah, 2003):
    ``y[T + h] = l[T] + b0 / 2 * (h - 1 + 1 / a - (1 - a) ** T / a)``, with the smoothing
    weight ``a`` chosen to minimise the in-sample squared one-step errors of the smoothing.
    This is statsmodels' ``ThetaModel(period=1, deseasonalize=False)`` (the point forecasts
    agree to about 1e-5), written in NumPy because it is a hundred times faster.

    The variance of the ``h``-step error is statsmodels' ``sigma2 * (1 + (h - 1) * (1 + (a -
    1) ** 2))``; ``sigma2`` here is the mean squared in-sample one-step error of the method
    in its smoothing-with-drift form (statsmodels fits an ARIMA(0,1,1) with drift for it,
    which gives a different, usually smaller, value on trending series).

    Parameters
    ----------
    history : array-like of shape (T,)
        One series, oldest first, at least 4 steps.
    horizon : int
        Steps ahead.
    alpha : float in (0, 1), default 0.1
        Nominal miss rate of the interval.
    n_samples : int, default 100
        Size of the quantile ensemble returned for the CRPS.

    Returns
    -------
    dict
        ``"point"``, ``"lower"``, ``"upper"``, ``"mu"``, ``"sigma"`` ``(horizon,)`` and
        ``"samples"`` ``(horizon, n_samples)``; ``"params"``: ``[b0, a, sigma2]``.

    Raises
    ------
    ValueError
        If ``history`` is too short or not finite, or an option is invalid.

    Examples
    --------
    >>> f = theta_forecast(np.arange(1.0, 21.0), 2)
    >>> f["point"].round(1).tolist()  # the last level plus half the trend per step
    [20.5, 21.0]
    """
    from scipy.optimize import minimize_scalar

    y = _history(history)
    horizon = check_int(horizon, name="horizon")
    alpha = _check_alpha(alpha)
    n_samples = check_int(n_samples, name="n_samples")
    n, t = len(y), np.arange(len(y), dtype=np.float64)
    b0 = float(np.polyfit(t, y, 1)[0])  # the straight-line trend's slope

    def sse(a):
        return float(np.sum((y - _ses_levels(y, a)[:-1]) ** 2))

    a = float(minimize_scalar(sse, bounds=(1e-4, 1.0), method="bounded",
                              options={"xatol": 1e-10}).x)  # fmt: skip
    level = _ses_levels(y, a)[-1]
    steps = np.arange(horizon, dtype=np.float64) + 1 / a - (1 - a) ** n / a
    mean = level + 0.5 * b0 * steps
    drifted = _ses_levels(y, a, drift=0.5 * b0)
    sigma2 = float(np.mean((y[1:] - drifted[1:-1] - 0.5 * b0) ** 2))
    sigma = np.sqrt(sigma2 * (1 + np.arange(horizon) * (1 + (a - 1) ** 2)))
    out = _gaussian_result(mean, sigma, alpha=alpha, log=False, n_samples=n_samples)
    return out | {"params": np.array([b0, a, sigma2])}
