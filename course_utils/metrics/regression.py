"""Regression errors for forecasts, equal to scikit-learn's.

Which axes are samples and which are outputs (scikit-learn's ``multioutput``):

- 1-D inputs: every entry is a sample of one output.
- Without ``mask``/``lengths``: the last axis lists the outputs and every other axis lists
  samples, so a 2-D ``(n_samples, n_outputs)`` input means what it means in scikit-learn and
  ``(batch, time, features)`` has one output per feature.
- With ``mask``/``lengths``: the valid steps are the samples and the axes the selection does
  not cover are the outputs. ``lengths`` on ``(batch, time)`` forecasts gives one output;
  on ``(batch, time, features)`` one per feature.

Errors are computed in float32 when both inputs are float32, else in float64, as in
scikit-learn.
"""

from __future__ import annotations

import math

import numpy as np

from course_utils._params import POSITIVE_INT, check_params, renamed_parameter, validate_params
from course_utils.metrics._docs import MASK_AND_LENGTHS, fill_doc
from course_utils.metrics._validation import (
    as_array,
    as_finite_floats,
    as_sample_weight,
    check_same_shape,
    check_weights_sum,
    require_steps,
    valid_selection,
)

#: ``season=``: steps per season (``m`` in Hyndman's notation); ``seasonality=`` is its
#: deprecated name.
SEASON = {"season": [POSITIVE_INT]}
SEASON_HINT = {"season": "It is the season length, e.g. 12 for monthly data, 1 for yearly."}

__all__ = [
    "mean_absolute_error",
    "mean_absolute_scaled_error",
    "mean_squared_error",
    "root_mean_squared_error",
]

_DOC_PARAMETERS = """\
    y_true, y_pred : array-like of float, any shape (the same for both)
        Targets and forecasts: lists, NumPy arrays or torch tensors (CPU or CUDA). Must be
        finite on valid steps. See the module notes for which axes are outputs.
    multioutput : {"uniform_average", "raw_values"} or array-like of shape (n_outputs,)
        How to combine the outputs' errors: their mean, each one, or a weighted mean.
    sample_weight : array-like of float, optional
        Non-negative weight per sample: the shape of the sample axes (every axis but the
        outputs'; with ``mask``/``lengths``, the selected axes) or of their leading axes,
        e.g. one weight per sequence. Weighted means replace plain means.
"""
_DOC_PARAMETERS += MASK_AND_LENGTHS

_DOC_RAISES = """\
    ValueError
        If shapes differ, an input holds NaN or infinity on a valid step,
        ``mask``/``lengths`` do not fit or leave no step, or ``multioutput`` is invalid.
    TypeError
        If an input does not hold numbers."""


_shared_docs = fill_doc(parameters=_DOC_PARAMETERS, raises=_DOC_RAISES)


@_shared_docs
def mean_squared_error(
    y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", mask=None, lengths=None
):
    """Mean of the squared errors ``(y_true - y_pred) ** 2`` over valid steps.

    Parameters
    ----------
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_outputs,)
        An array only for ``multioutput="raw_values"``.

    Raises
    ------
    {raises}

    Examples
    --------
    >>> mean_squared_error([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
    0.375

    Two forecasts of different lengths, padded to 3 steps (the padding holds anything):

    >>> y_true = [[1.0, 2.0, 0.0], [1.0, 1.0, 1.0]]
    >>> y_pred = [[1.0, 4.0, 9.9], [2.0, 1.0, 1.0]]
    >>> mean_squared_error(y_true, y_pred, lengths=[2, 3])  # (0 + 4 + 1 + 0 + 0) / 5
    1.0
    """
    stats = _squared_stats(
        y_true,
        y_pred,
        sample_weight=sample_weight,
        multioutput=multioutput,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _mse_finalize(stats, multioutput=multioutput)


@_shared_docs
def root_mean_squared_error(
    y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", mask=None, lengths=None
):
    """Square root of the mean squared error, in the units of the target.

    With several outputs, each output's RMSE is taken first, then they are combined.

    Parameters
    ----------
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_outputs,)
        An array only for ``multioutput="raw_values"``.

    Raises
    ------
    {raises}

    Examples
    --------
    >>> root_mean_squared_error([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
    0.6123724356957945
    """
    stats = _squared_stats(
        y_true,
        y_pred,
        sample_weight=sample_weight,
        multioutput=multioutput,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _rmse_finalize(stats, multioutput=multioutput)


@_shared_docs
def mean_absolute_error(
    y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", mask=None, lengths=None
):
    """Mean of the absolute errors ``|y_true - y_pred|`` over valid steps.

    Parameters
    ----------
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_outputs,)
        An array only for ``multioutput="raw_values"``.

    Raises
    ------
    {raises}

    Examples
    --------
    >>> mean_absolute_error([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
    0.5
    """
    stats = _absolute_stats(
        y_true,
        y_pred,
        sample_weight=sample_weight,
        multioutput=multioutput,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _mae_finalize(stats, multioutput=multioutput)


@renamed_parameter("seasonality", "season")
@validate_params(SEASON, hints=SEASON_HINT)
@_shared_docs
def mean_absolute_scaled_error(
    y_true,
    y_pred,
    *,
    y_train,
    season=1,
    sample_weight=None,
    multioutput="uniform_average",
    mask=None,
    lengths=None,
):
    """Mean absolute error divided by the in-sample MAE of the seasonal naive forecast.

    ``MASE = MAE(y_true, y_pred) / mean_t |y_train[t] - y_train[t - m]|`` with ``m`` the
    ``season`` (Hyndman and Koehler, 2006). Below 1, the forecast beats what "repeat the
    value one season ago" achieved on the training series; above 1, it does worse. Being
    scale-free, it compares forecasts across series.

    Parameters
    ----------
    {parameters}
    y_train : array-like of float of shape (n_train,) or (n_train, n_outputs)
        The training series, in time order (first axis), that scales the error. 1-D: one
        scale for every output; 2-D: one column per output.
    season : int, default 1
        Season length ``m`` of the naive forecast (1: the previous value; 12: the same
        month a year before, for monthly data). ``y_train`` needs more than ``m`` steps.

    Returns
    -------
    float or numpy.ndarray of shape (n_outputs,)
        An array only for ``multioutput="raw_values"``.

    Raises
    ------
    ValueError
        If shapes differ, an input holds NaN or infinity on a valid step,
        ``mask``/``lengths`` do not fit or leave no step, ``multioutput`` is invalid, or
        ``y_train`` is not 1-D or 2-D, has at most ``season`` steps, does not match the
        number of outputs, or repeats itself exactly at lag ``m`` (the scale is 0).
    TypeError
        If an input does not hold numbers or ``season`` is not an int.

    Examples
    --------
    The seasonal naive forecast made in-sample errors of 2 on average; this forecast's MAE is
    1, so its MASE is 0.5:

    >>> y_train = [10.0, 20.0, 12.0, 22.0, 14.0, 24.0]
    >>> mean_absolute_scaled_error([16.0, 26.0], [17.0, 25.0], y_train=y_train, season=2)
    0.5
    """
    _check_season(season)
    stats = _absolute_stats(
        y_true,
        y_pred,
        sample_weight=sample_weight,
        multioutput=multioutput,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _mase_finalize(stats, y_train=y_train, season=season, multioutput=multioutput)


def _check_season(season) -> None:
    check_params(SEASON, {"season": season})


# ------------------------------------------------------- sufficient statistics (streams)


def _error_stats(errors_of, y_true, y_pred, *, sample_weight, multioutput, mask, lengths):
    """Per output: the (weighted) sum of errors, and the weight of the samples.

    Sums are kept in float64 (float32 inputs are summed in float32 first, as scikit-learn
    does, and ``float32`` remembers it so the mean is rounded back to float32).
    """
    y_true, y_pred, _, w = _outputs(
        y_true, y_pred, multioutput, sample_weight, mask, lengths, allow_empty=True
    )
    errors = errors_of(y_true, y_pred)  # (n_samples, n_outputs)
    if w is None:
        total, weight = errors.sum(axis=0), errors.shape[0]
    else:
        # Not BLAS (w @ errors): its threads stall when the cores are busy.
        total, weight = (errors * w[:, None]).sum(axis=0), w.sum()
    return {
        "errors": total.astype(np.float64),
        "weight": np.array(weight, dtype=np.float64 if w is not None else np.int64),
        "n_steps": np.array(errors.shape[0]),
        "n_outputs": np.array(errors.shape[1]),
        "float32": np.array(errors.dtype == np.float32),
        "weighted": np.array(w is not None),
    }


def _squared_stats(
    y_true,
    y_pred,
    *,
    sample_weight=None,
    multioutput="uniform_average",
    mask=None,
    lengths=None,
    **_,
):
    return _error_stats(
        lambda t, p: (t - p) ** 2,
        y_true,
        y_pred,
        sample_weight=sample_weight,
        multioutput=multioutput,
        mask=mask,
        lengths=lengths,
    )


def _absolute_stats(
    y_true,
    y_pred,
    *,
    sample_weight=None,
    multioutput="uniform_average",
    mask=None,
    lengths=None,
    **_,
):
    return _error_stats(
        lambda t, p: np.abs(p - t),
        y_true,
        y_pred,
        sample_weight=sample_weight,
        multioutput=multioutput,
        mask=mask,
        lengths=lengths,
    )


def _mean_errors(stats) -> np.ndarray:
    """Mean error per output, in float32 when the inputs were float32."""
    mean = stats["errors"] / stats["weight"]
    return mean.astype(np.float32) if stats["float32"] else mean


def _mse_finalize(stats, *, multioutput="uniform_average", **_):
    return _combine(_mean_errors(stats), multioutput, _output_weights(multioutput, stats))


def _rmse_finalize(stats, *, multioutput="uniform_average", **_):
    errors = np.sqrt(_mean_errors(stats))
    return _combine(errors, multioutput, _output_weights(multioutput, stats))


def _mae_finalize(stats, *, multioutput="uniform_average", **_):
    return _combine(_mean_errors(stats), multioutput, _output_weights(multioutput, stats))


def _mase_finalize(stats, *, y_train, season=1, multioutput="uniform_average", **_):
    errors = _mean_errors(stats)  # (n_outputs,)
    scale = _naive_scale(y_train, int(season), errors.size)  # (n_outputs,) or ()
    return _combine(errors / scale, multioutput, _output_weights(multioutput, stats))


def _naive_scale(y_train, m: int, n_outputs: int) -> np.ndarray:
    """In-sample MAE of the seasonal naive forecast ``y[t - m]``, per output."""
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
    if train.ndim == 2 and train.shape[1] != n_outputs:
        raise ValueError(
            f"Expected `y_train` to have one column per output ({n_outputs}), but got shape "
            f"{train.shape}. Pass a 1-D series to use one scale for every output."
        )
    scale = np.mean(np.abs(train[m:] - train[:-m]), axis=0)
    if np.any(scale == 0):
        raise ValueError(
            f"Expected `y_train` to vary at lag {m}, but its seasonal naive forecast is exact "
            "in-sample (the scale is 0), so MASE is undefined. Check `season`."
        )
    return scale


def _outputs(y_true, y_pred, multioutput, sample_weight, mask, lengths, *, allow_empty=False):
    """Valid steps as float arrays of shape (n_samples, n_outputs), output weights, and
    sample weights (n_samples,) or None."""
    a, b = as_array(y_true, "y_true"), as_array(y_pred, "y_pred")
    check_same_shape(a, b, ("y_true", "y_pred"))
    keep = valid_selection(
        a.shape, mask=mask, lengths=lengths, name="y_true", allow_empty=allow_empty
    )
    if keep is not None:
        sample_axes = a.shape[: keep.ndim]  # the selection's axes list samples
    else:
        sample_axes = a.shape if a.ndim == 1 else a.shape[:-1]  # every axis but the last
    n_outputs = math.prod(a.shape[len(sample_axes) :])
    w = None if sample_weight is None else as_sample_weight(sample_weight, sample_axes)
    if keep is not None:
        a, b = a[keep], b[keep]
        w = None if w is None else w[keep]
    y_true = as_finite_floats(a, "y_true")
    y_pred = as_finite_floats(b, "y_pred")
    shape = (y_true.size // n_outputs, n_outputs)
    if w is not None:
        w = w.reshape(-1)
        if w.size:
            check_weights_sum(w)
    output_weights = _check_multioutput(multioutput, shape[1])
    return y_true.reshape(shape), y_pred.reshape(shape), output_weights, w


def _output_weights(multioutput, stats):
    return _check_multioutput(multioutput, int(stats["n_outputs"]))


def _multioutput_options(**options):
    multioutput = options["multioutput"]
    if isinstance(multioutput, str):
        _check_multioutput(multioutput, 2)
    else:
        options["multioutput"] = as_array(multioutput, "multioutput").tolist()
    return options


def _mase_options(*, season=1, y_train=None, **options):
    _check_season(season)
    train = as_finite_floats(as_array(y_train, "y_train"), "y_train").astype(np.float64)
    return _multioutput_options(season=season, y_train=train, **options)


def _check_multioutput(multioutput, n_outputs: int):
    if isinstance(multioutput, str):
        if multioutput not in ("uniform_average", "raw_values"):
            raise ValueError(
                "Expected `multioutput` to be 'uniform_average', 'raw_values' or an array of "
                f"{n_outputs} weights, but got {multioutput!r}."
            )
        return None
    weights = as_array(multioutput, "multioutput")
    if n_outputs == 1:
        raise ValueError(
            "Expected `multioutput` weights only for several outputs, but the inputs have one. "
            "Drop `multioutput` or pass 'uniform_average'."
        )
    if weights.shape != (n_outputs,):
        raise ValueError(
            f"Expected `multioutput` to have one weight per output ({n_outputs}), but got "
            f"shape {weights.shape}."
        )
    return weights


def _combine(errors, multioutput, weights):
    if isinstance(multioutput, str) and multioutput == "raw_values":
        return errors
    return float(np.average(errors, weights=weights))


_REDUCE = {
    "errors": "sum",
    "weight": "sum",
    "n_steps": "sum",
    "n_outputs": "same",
    "float32": "min",
    "weighted": "same",
}
_NAMES = {
    "n_outputs": "the number of outputs (see the module notes on which axes are outputs)",
    "weighted": "whether `sample_weight` is given",
}


def _regression_spec(function, stats, finalize, options=_multioutput_options):
    return {
        "stats": stats,
        "finalize": finalize,
        "function": function,
        "options": options,
        "reduce": _REDUCE,
        "count": "n_steps",
        "input": "values",
        "names": _NAMES,
    }


STREAM_SPECS = {
    "mean_squared_error": _regression_spec(mean_squared_error, _squared_stats, _mse_finalize),
    "root_mean_squared_error": _regression_spec(
        root_mean_squared_error, _squared_stats, _rmse_finalize
    ),
    "mean_absolute_error": _regression_spec(mean_absolute_error, _absolute_stats, _mae_finalize),
    "mean_absolute_scaled_error": _regression_spec(
        mean_absolute_scaled_error, _absolute_stats, _mase_finalize, options=_mase_options
    ),
}
