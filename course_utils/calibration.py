"""From scores to decisions: recalibration, cost thresholds and shifts in the share of positives.

A threshold chosen by cost is only as good as the scores under it. This module holds the small
tools chapter 3 uses to check and repair them:

- recalibrators fitted on **validation** data and applied to anything else:
  :class:`PlattCalibrator` (a logistic fit on the score's log-odds, two parameters),
  :class:`TemperatureCalibrator` (one parameter: the log-odds divided by a temperature; also
  for a multiclass probability matrix) and :class:`IsotonicCalibrator` (a monotone step
  function); :func:`fit_calibrator` picks one by name;
- the cost threshold :func:`cost_threshold`, ``c_FP / (c_FP + c_FN)``, which is the best
  threshold only for calibrated probabilities, and :func:`costs_at_thresholds`, the cost
  ``c_FP * FP(t) + c_FN * FN(t)`` at many thresholds at once;
- prior shift: posterior odds = likelihood ratio x prior odds, so when the share of positives
  moves from ``prevalence`` to ``new_prevalence`` the odds of a calibrated probability are
  multiplied by the ratio of the prior odds (:func:`adjust_for_prevalence`,
  :func:`threshold_for_prevalence`), and precision at a fixed (TPR, FPR) follows
  :func:`precision_at_prevalence`.

Arguments follow the metrics: ``(y_true, y_prob)`` first, options keyword-only. The
recalibrators take class indices (binary: 1 is positive); :func:`costs_at_thresholds` reads
labels as the metrics do (0/1, bools or -1/1, or ``pos_label``). Probabilities are used as
given (no sigmoid).
"""

from __future__ import annotations

import numbers

import numpy as np

from course_utils.metrics import confusion_matrix_at_thresholds
from course_utils.metrics.checks import as_array, as_class_indices, as_finite_floats

__all__ = [
    "IsotonicCalibrator",
    "PlattCalibrator",
    "TemperatureCalibrator",
    "adjust_for_prevalence",
    "cost_threshold",
    "costs_at_thresholds",
    "fit_calibrator",
    "precision_at_prevalence",
    "threshold_for_prevalence",
]

# Probabilities are clipped to [_EPS, 1 - _EPS] before taking log-odds, so that scores of
# exactly 0 or 1 (a saturated sigmoid) give large finite log-odds instead of infinities.
_EPS = 1e-12


# ------------------------------------------------------------------------------- checks


def _probabilities(y_prob, name: str = "y_prob", *, ndim: tuple[int, ...] = (1,)) -> np.ndarray:
    arr = as_finite_floats(as_array(y_prob, name), name)
    if arr.ndim not in ndim:
        shapes = " or ".join({1: "(n_samples,)", 2: "(n_samples, n_classes)"}[d] for d in ndim)
        hint = " Pass the positive class's column, e.g. `proba[:, 1]`." if arr.ndim == 2 else ""
        raise ValueError(f"Expected `{name}` of shape {shapes}, but got {arr.shape}.{hint}")
    if arr.min() < 0 or arr.max() > 1:
        raise ValueError(
            f"Expected `{name}` to hold probabilities in [0, 1], but got values from "
            f"{arr.min():g} to {arr.max():g}. Logits? Apply a sigmoid or softmax first."
        )
    return arr.astype(np.float64, copy=False)


def _binary_labels(y_true, n: int) -> np.ndarray:
    labels, top = as_class_indices(as_array(y_true, "y_true"), "y_true")
    if labels.ndim != 1 or labels.size != n:
        raise ValueError(
            f"Expected `y_true` of shape ({n},), one label per score, but got {labels.shape}."
        )
    if top > 1:
        raise ValueError(
            f"Expected binary labels 0/1 in `y_true`, but got class index {top}. Score one "
            "class against the rest: `(y_true == k)` with `y_prob[:, k]`."
        )
    if labels.min() == labels.max():
        raise ValueError(
            "Expected `y_true` to hold both classes; a calibrator cannot be fitted on one. "
            "Fit it on a larger validation set."
        )
    return labels.astype(np.float64)


def _positive_number(value, name: str, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Expected `{name}` to be a number, but got {type(value).__name__}.")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"Expected `{name}` to be a finite number {bound}, but got {value}.")
    return value


def _prevalence(value, name: str) -> float:
    value = _positive_number(value, name)
    if value >= 1:
        raise ValueError(
            f"Expected `{name}` to be a share of positives strictly between 0 and 1, but got "
            f"{value}. Percentages? Divide by 100."
        )
    return value


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p) - np.log1p(-p)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # stable for large |z|


# ----------------------------------------------------------------------- recalibrators


class _Calibrator:
    """Shared ``fit``/``predict`` plumbing; subclasses define ``_fit`` and ``_predict``."""

    _fitted_attribute = ""

    def fit(self, y_true, y_prob):
        """Fit on validation labels and scores; returns ``self``.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Labels 0/1 (class indices for a multiclass temperature).
        y_prob : array-like of shape (n_samples,)
            The model's probability of the positive class (or a probability matrix
            ``(n_samples, n_classes)`` for :class:`TemperatureCalibrator`).
        """
        p = _probabilities(y_prob, ndim=self._ndim)
        self._fit(y_true, p)
        return self

    def predict(self, y_prob) -> np.ndarray:
        """Recalibrated probabilities for new scores of the same model (same shape)."""
        if getattr(self, self._fitted_attribute, None) is None:
            raise ValueError(
                f"This {type(self).__name__} is not fitted yet: call "
                "`.fit(y_val, scores_val)` on validation data first."
            )
        return self._predict(_probabilities(y_prob, ndim=self._ndim))

    def fit_predict(self, y_true, y_prob) -> np.ndarray:
        """``fit`` then ``predict`` on the same scores (for a look at validation data only)."""
        return self.fit(y_true, y_prob).predict(y_prob)


class PlattCalibrator(_Calibrator):
    r"""Platt scaling: :math:`\hat p = \sigma(a \cdot \operatorname{logit}(p) + b)`.

    A logistic regression with one input, the score's log-odds, fitted by maximum likelihood
    (Newton's method). ``a < 1`` shrinks over-confident scores toward 0.5, ``b`` moves them
    all up or down (for example after training with class weights). Being monotone, it
    leaves the ranking, and so ROC AUC and average precision, unchanged.

    Attributes
    ----------
    coef_ : float
        The slope ``a`` (None before ``fit``).
    intercept_ : float
        The offset ``b``.

    Examples
    --------
    >>> y = [0, 0, 1, 0, 1, 1, 0, 1]
    >>> p = [0.1, 0.3, 0.35, 0.4, 0.6, 0.8, 0.75, 0.9]
    >>> platt = PlattCalibrator().fit(y, p)
    >>> round(platt.coef_, 3), round(platt.intercept_, 3)
    (1.054, -0.146)
    >>> platt.predict([0.5]).round(3)
    array([0.464])
    """

    _ndim = (1,)
    _fitted_attribute = "coef_"

    def __init__(self):
        self.coef_: float | None = None
        self.intercept_: float | None = None

    def _fit(self, y_true, p):
        y = _binary_labels(y_true, p.size)
        z = _logit(p)  # (n,)
        self.coef_, self.intercept_ = _newton_logistic(z, y)

    def _predict(self, p):
        return _sigmoid(self.coef_ * _logit(p) + self.intercept_)

    def __repr__(self) -> str:
        if self.coef_ is None:
            return "PlattCalibrator()"
        return f"PlattCalibrator(coef_={self.coef_:.4g}, intercept_={self.intercept_:.4g})"


class TemperatureCalibrator(_Calibrator):
    r"""Temperature scaling: divide the log-odds (or the log-probabilities) by :math:`T`.

    Binary: :math:`\hat p = \sigma(\operatorname{logit}(p) / T)`. Multiclass (a probability
    matrix): :math:`\hat p = \operatorname{softmax}(\log p / T)`. One parameter, fitted by
    maximum likelihood: ``T > 1`` softens over-confident scores, ``T < 1`` sharpens timid ones.
    It cannot move the scores up or down as a whole, so it cannot repair a shift such as
    the one class weights cause; Platt scaling can. The ranking (and the argmax) is unchanged.

    Attributes
    ----------
    temperature_ : float
        The fitted temperature (None before ``fit``).

    Examples
    --------
    >>> y = [0, 1, 1, 0, 1, 0]
    >>> over_confident = [0.02, 0.97, 0.3, 0.45, 0.99, 0.6]
    >>> round(TemperatureCalibrator().fit(y, over_confident).temperature_, 3)
    1.419
    >>> proba = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.6, 0.3, 0.1]]
    >>> TemperatureCalibrator().fit([0, 1, 2, 1], proba).predict(proba).sum(axis=1).round(6)
    array([1., 1., 1., 1.])
    """

    _ndim = (1, 2)
    _fitted_attribute = "temperature_"

    def __init__(self):
        self.temperature_: float | None = None

    def _fit(self, y_true, p):
        from scipy.optimize import minimize_scalar

        if p.ndim == 1:
            y = _binary_labels(y_true, p.size)
            z = _logit(p)

            def nll(log_t):
                q = np.clip(_sigmoid(z / np.exp(log_t)), _EPS, 1 - _EPS)
                return -np.mean(y * np.log(q) + (1 - y) * np.log1p(-q))

        else:
            labels, top = as_class_indices(as_array(y_true, "y_true"), "y_true")
            if labels.shape != (p.shape[0],) or top >= p.shape[1]:
                raise ValueError(
                    f"Expected `y_true` of shape ({p.shape[0]},) with class indices below "
                    f"{p.shape[1]} (the columns of `y_prob`), but got shape {labels.shape} "
                    f"and largest index {top}."
                )
            log_p = np.log(np.clip(p, _EPS, 1.0))
            rows = np.arange(p.shape[0])

            def nll(log_t):
                z = log_p / np.exp(log_t)
                z = z - z.max(axis=1, keepdims=True)
                return -np.mean(z[rows, labels] - np.log(np.exp(z).sum(axis=1)))

        best = minimize_scalar(nll, bounds=(-5.0, 5.0), method="bounded", options={"xatol": 1e-8})
        self.temperature_ = float(np.exp(best.x))

    def _predict(self, p):
        if p.ndim == 1:
            return _sigmoid(_logit(p) / self.temperature_)
        z = np.log(np.clip(p, _EPS, 1.0)) / self.temperature_
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def __repr__(self) -> str:
        if self.temperature_ is None:
            return "TemperatureCalibrator()"
        return f"TemperatureCalibrator(temperature_={self.temperature_:.4g})"


class IsotonicCalibrator(_Calibrator):
    """Isotonic regression: the best non-decreasing step function from scores to frequencies.

    No shape is assumed, so it can repair any monotone miscalibration, but it needs more
    validation data than Platt or temperature scaling, and its steps create ties: scores
    that differed may share one probability, which can lower average precision a little.
    Scores outside the validation range get the nearest end's value.

    Attributes
    ----------
    isotonic_ : sklearn.isotonic.IsotonicRegression
        The fitted regression (None before ``fit``).

    Examples
    --------
    >>> iso = IsotonicCalibrator().fit([0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.6, 0.9])
    >>> iso.predict([0.05, 0.25, 0.95]).round(3)
    array([0. , 0.5, 1. ])
    """

    _ndim = (1,)
    _fitted_attribute = "isotonic_"

    def __init__(self):
        self.isotonic_ = None

    def _fit(self, y_true, p):
        from sklearn.isotonic import IsotonicRegression

        y = _binary_labels(y_true, p.size)
        self.isotonic_ = IsotonicRegression(
            y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip"
        ).fit(p, y)

    def _predict(self, p):
        return np.asarray(self.isotonic_.predict(p), dtype=np.float64)

    def __repr__(self) -> str:
        if self.isotonic_ is None:
            return "IsotonicCalibrator()"
        return f"IsotonicCalibrator(steps={len(self.isotonic_.X_thresholds_)})"


_METHODS = {
    "platt": PlattCalibrator,
    "temperature": TemperatureCalibrator,
    "isotonic": IsotonicCalibrator,
}


def fit_calibrator(method: str, y_true, y_prob):
    """Fit the recalibrator called ``method`` on validation labels and scores.

    Parameters
    ----------
    method : {"platt", "temperature", "isotonic"}
        Which recalibrator.
    y_true, y_prob : array-like
        Validation labels and the model's probabilities, as in the calibrators' ``fit``.

    Returns
    -------
    PlattCalibrator, TemperatureCalibrator or IsotonicCalibrator
        Fitted; call ``.predict(scores)`` on test or deployment scores.

    Examples
    --------
    >>> fit_calibrator("platt", [0, 1, 0, 1, 1, 0], [0.2, 0.7, 0.6, 0.9, 0.4, 0.1])
    PlattCalibrator(coef_=1.465, intercept_=0.134)
    """
    if not isinstance(method, str) or method not in _METHODS:
        raise ValueError(f"Expected `method` to be one of {sorted(_METHODS)}, but got {method!r}.")
    return _METHODS[method]().fit(y_true, y_prob)


# --------------------------------------------------------------------- cost thresholds


def cost_threshold(*, cost_fp: float, cost_fn: float) -> float:
    r"""The threshold that minimises expected cost, **if** the scores are calibrated.

    Blocking a case with probability :math:`p` of being positive costs
    :math:`c_\mathrm{FP}(1-p)` on average; letting it through costs :math:`c_\mathrm{FN}\,p`.
    Blocking pays when :math:`p > c_\mathrm{FP} / (c_\mathrm{FP} + c_\mathrm{FN})`.

    Parameters
    ----------
    cost_fp, cost_fn : float
        The cost of one false positive and of one false negative (>= 0, not both 0).

    Examples
    --------
    >>> round(cost_threshold(cost_fp=5, cost_fn=1), 4)
    0.8333
    >>> cost_threshold(cost_fp=1, cost_fn=1)
    0.5
    """
    cost_fp = _positive_number(cost_fp, "cost_fp", allow_zero=True)
    cost_fn = _positive_number(cost_fn, "cost_fn", allow_zero=True)
    if cost_fp + cost_fn == 0:
        raise ValueError("Expected `cost_fp` or `cost_fn` to be positive, but both are 0.")
    return cost_fp / (cost_fp + cost_fn)


def costs_at_thresholds(
    y_true, y_score, thresholds, *, cost_fp: float, cost_fn: float, pos_label=None
):
    r"""Total cost :math:`c_\mathrm{FP}\,\mathrm{FP}(t) + c_\mathrm{FN}\,\mathrm{FN}(t)` at each threshold.

    A case is predicted positive when ``y_score >= t`` (scikit-learn's rule; a score equal
    to the threshold is flagged). The counts come from
    :func:`course_utils.metrics.confusion_matrix_at_thresholds`, the metrics' one counting
    core (the threshold explorer's too), in one pass over the scores, not one confusion
    matrix each.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, read as the metrics read them: 0/1, bools or -1/1 (1 is positive), or any
        labels with ``pos_label``.
    y_score : array-like of shape (n_samples,)
        Scores for the positive class (any scale).
    thresholds : array-like of shape (n_thresholds,)
        Where to evaluate: any order, repeats allowed (the result follows them).
    cost_fp, cost_fn : float
        Cost of one false positive and of one false negative.
    pos_label : label, optional
        The positive class; every other label is negative. Default: 1, for 0/1 or -1/1
        labels.

    Returns
    -------
    numpy.ndarray of shape (n_thresholds,)

    Examples
    --------
    >>> costs_at_thresholds([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], [0.0, 0.5, 1.0],
    ...                     cost_fp=5, cost_fn=1)
    array([10.,  6.,  2.])
    >>> costs_at_thresholds(["ok", "ok", "fraud"], [0.2, 0.6, 0.6], [0.6],
    ...                     cost_fp=1, cost_fn=10, pos_label="fraud")  # 0.6 >= 0.6: flagged
    array([1.])
    """
    cost_fp = _positive_number(cost_fp, "cost_fp", allow_zero=True)
    cost_fn = _positive_number(cost_fn, "cost_fn", allow_zero=True)
    grid = as_finite_floats(as_array(thresholds, "thresholds"), "thresholds").reshape(-1)
    distinct, where = np.unique(grid, return_inverse=True)
    _, fps, fns, _, _ = confusion_matrix_at_thresholds(
        y_true, y_score, pos_label=pos_label, thresholds=distinct
    )
    at = distinct.size - 1 - where.reshape(-1)  # the counts come highest threshold first
    return cost_fp * fps[at] + cost_fn * fns[at]


# ------------------------------------------------------------------------ prior shift


def _odds_ratio(prevalence, new_prevalence) -> float:
    prevalence = _prevalence(prevalence, "prevalence")
    new_prevalence = _prevalence(new_prevalence, "new_prevalence")
    return (new_prevalence / (1 - new_prevalence)) / (prevalence / (1 - prevalence))


def adjust_for_prevalence(y_prob, *, prevalence: float, new_prevalence: float) -> np.ndarray:
    r"""Calibrated probabilities for a new share of positives (prior shift).

    Bayes' rule in odds form: posterior odds = likelihood ratio :math:`\times` prior odds.
    The likelihood ratio, what a case's features say, does not change when only the mix
    changes, so the odds of each probability are multiplied by
    :math:`k = \frac{\pi'/(1-\pi')}{\pi/(1-\pi)}`. Valid for probabilities calibrated at
    ``prevalence`` (recalibrate first), and only if the classes themselves look the same.

    Parameters
    ----------
    y_prob : array-like of shape (n_samples,)
        Calibrated probabilities of the positive class at the old share of positives.
    prevalence : float
        The share of positives the probabilities are calibrated for (strictly in (0, 1)).
    new_prevalence : float
        The share of positives in deployment.

    Examples
    --------
    >>> adjust_for_prevalence([0.5, 0.9], prevalence=0.5, new_prevalence=0.1).round(4)
    array([0.1, 0.5])
    """
    k = _odds_ratio(prevalence, new_prevalence)
    p = _probabilities(y_prob)
    return _sigmoid(_logit(p) + np.log(k))


def threshold_for_prevalence(threshold: float, *, prevalence: float, new_prevalence: float):
    r"""The threshold on the old scores that makes the same decision after a prior shift.

    Deciding ``adjusted >= threshold`` with the adjusted probabilities of
    :func:`adjust_for_prevalence` is the same as deciding ``p >= t'`` on the old ones, with
    :math:`t' = \frac{t}{t + k(1-t)}`. Rarer positives (:math:`k < 1`) raise the threshold.

    Examples
    --------
    >>> round(threshold_for_prevalence(0.5, prevalence=0.5, new_prevalence=0.1), 4)
    0.9
    >>> round(threshold_for_prevalence(0.8, prevalence=0.05, new_prevalence=0.05), 4)
    0.8
    """
    t = _positive_number(threshold, "threshold", allow_zero=True)
    if t > 1:
        raise ValueError(f"Expected `threshold` in [0, 1], but got {t}.")
    k = _odds_ratio(prevalence, new_prevalence)
    return float(t / (t + k * (1 - t))) if t > 0 else 0.0


def precision_at_prevalence(tpr, fpr, *, prevalence: float):
    r"""Precision of a classifier with rates ``tpr`` and ``fpr`` at a share of positives.

    :math:`\mathrm{precision} = \frac{\mathrm{TPR}\,\pi}{\mathrm{TPR}\,\pi + \mathrm{FPR}\,(1-\pi)}`.
    TPR and FPR, and so the ROC curve, do not depend on :math:`\pi`; precision does.
    Returns NaN where nothing is predicted positive (both rates 0).

    Examples
    --------
    >>> precision_at_prevalence(0.8, 0.01, prevalence=0.5).round(4)
    np.float64(0.9877)
    >>> precision_at_prevalence([0.8], [0.01], prevalence=0.01).round(4)
    array([0.4469])
    """
    pi = _prevalence(prevalence, "prevalence")
    tpr_arr = as_finite_floats(as_array(np.atleast_1d(tpr), "tpr"), "tpr").astype(np.float64)
    fpr_arr = as_finite_floats(as_array(np.atleast_1d(fpr), "fpr"), "fpr").astype(np.float64)
    for name, arr in (("tpr", tpr_arr), ("fpr", fpr_arr)):
        if arr.min() < 0 or arr.max() > 1:
            raise ValueError(f"Expected `{name}` to be rates in [0, 1], but got {arr}.")
    num = tpr_arr * pi
    den = num + fpr_arr * (1 - pi)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    if np.ndim(tpr) == 0 and np.ndim(fpr) == 0:
        return np.float64(out.reshape(-1)[0])
    return out


# ---------------------------------------------------------------------------- fitting


def _newton_logistic(z: np.ndarray, y: np.ndarray, *, ridge: float = 1e-6, steps: int = 100):
    """Maximum-likelihood ``(a, b)`` of ``P(y=1) = sigmoid(a z + b)`` by damped Newton steps.

    A tiny ridge on ``a`` keeps the fit finite when the classes are separable.
    """
    a, b = 1.0, 0.0

    def nll(a, b):
        q = np.clip(_sigmoid(a * z + b), _EPS, 1 - _EPS)
        return -np.sum(y * np.log(q) + (1 - y) * np.log1p(-q)) + 0.5 * ridge * a * a

    current = nll(a, b)
    for _ in range(steps):
        q = _sigmoid(a * z + b)
        r = q - y  # (n,)
        w = q * (1 - q)  # (n,)
        grad = np.array([r @ z + ridge * a, r.sum()])
        hess = np.array([[w @ (z * z) + ridge, w @ z], [w @ z, w.sum() + 1e-12]])
        step = np.linalg.solve(hess, grad)
        scale = 1.0
        while scale > 1e-6:  # halve the step until the likelihood improves
            new = nll(a - scale * step[0], b - scale * step[1])
            if new <= current:
                break
            scale /= 2
        a, b = a - scale * step[0], b - scale * step[1]
        if abs(current - new) < 1e-12 * max(1.0, abs(current)):
            current = new
            break
        current = new
    return float(a), float(b)
