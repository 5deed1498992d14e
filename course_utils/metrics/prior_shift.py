"""When the share of positives changes at deployment: estimate the new share from unlabelled
scores, and adjust the probabilities to it (Saerens, Latinne and Decaestecker, 2002).

Under *label shift* (prior shift) the classes keep their look, ``p(x | y)`` is unchanged,
and only the share of positives moves from ``pi`` (training) to ``pi'`` (deployment). Bayes'
rule then turns a calibrated training-time probability ``p`` into

``p' = (pi'/pi) p / ((pi'/pi) p + ((1 - pi')/(1 - pi)) (1 - p))``.

The new share ``pi'`` is unknown without labels, but the average of the adjusted
probabilities must equal it: the EM algorithm iterates ``pi' <- mean(p')`` to the
maximum-likelihood estimate. It needs the scores to be calibrated on the training
distribution, and only label shift (not new kinds of inputs).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_utils._validation import check_float, check_int
from course_utils.metrics._docs import MASK_AND_LENGTHS, fill_doc
from course_utils.metrics._validation import as_array, as_finite_floats, valid_selection
from course_utils.metrics._warnings import warn

__all__ = ["PriorShiftResult", "adjust_to_prior", "estimate_prior_shift"]


@dataclass(frozen=True, eq=False)
class PriorShiftResult:
    """The EM estimate of the deployment share of positives.

    Attributes
    ----------
    prior : float
        Estimated share of positives at deployment, ``pi'``.
    train_prior : float
        The share at training, ``pi``.
    adjusted_prob : numpy.ndarray of shape (n,)
        The valid steps' probabilities adjusted to ``prior`` (their mean is ``prior``).
    n_iter : int
        EM iterations run.
    converged : bool
        Whether the estimate moved less than ``tol`` in the last iteration.
    """

    prior: float
    train_prior: float
    adjusted_prob: np.ndarray = field(repr=False)
    n_iter: int = 0
    converged: bool = True

    def __str__(self) -> str:
        return (
            f"estimated share of positives {self.prior:.4f} (training {self.train_prior:.4f}; "
            f"{self.n_iter} EM iterations)"
        )


def adjust_to_prior(y_prob, *, train_prior, prior):
    """Probabilities calibrated for ``train_prior`` adjusted to a new share ``prior``.

    ``p' = (prior/train_prior) p / ((prior/train_prior) p + ((1-prior)/(1-train_prior))(1-p))``
    (Bayes' rule under label shift).

    Parameters
    ----------
    y_prob : array-like of float in [0, 1]
        Probabilities of the positive class, calibrated on data with ``train_prior``.
    train_prior, prior : float in (0, 1)
        The share of positives at training and at deployment.

    Returns
    -------
    numpy.ndarray of float64, the shape of ``y_prob``

    Examples
    --------
    A spam filter trained with 50% spam, deployed where 10% of mail is spam:

    >>> adjust_to_prior([0.5, 0.9], train_prior=0.5, prior=0.1).round(3).tolist()
    [0.1, 0.5]
    """
    p = _probabilities(as_array(y_prob, "y_prob"))
    train_prior = check_float(
        train_prior, name="train_prior", low=0, high=1, low_open=True, high_open=True
    )
    prior = check_float(prior, name="prior", low=0, high=1, low_open=True, high_open=True)
    return _adjust(p, prior / train_prior, (1 - prior) / (1 - train_prior))


def _adjust(p: np.ndarray, w1: float, w0: float) -> np.ndarray:
    num = w1 * p
    den = num + w0 * (1.0 - p)
    return np.divide(num, den, out=np.zeros_like(p), where=den > 0)


def _probabilities(p: np.ndarray) -> np.ndarray:
    p = as_finite_floats(p, "y_prob").astype(np.float64)
    if p.min() < 0 or p.max() > 1:
        bad = p.min() if p.min() < 0 else p.max()
        raise ValueError(
            f"Expected `y_prob` to hold probabilities in [0, 1], but found {bad}. Apply "
            "`torch.sigmoid` to logits first."
        )
    return p


@fill_doc(selection=MASK_AND_LENGTHS)
def estimate_prior_shift(y_prob, *, train_prior, max_iter=1000, tol=1e-10, mask=None, lengths=None):
    """EM estimate of the share of positives at deployment, from unlabelled scores.

    Starting from ``pi' = train_prior``, each step adjusts the probabilities to ``pi'``
    (:func:`adjust_to_prior`) and sets ``pi'`` to their mean (Saerens, Latinne and
    Decaestecker, 2002). The fixed point maximises the likelihood of the unlabelled scores
    over ``pi'``. It is only as good as the scores' calibration on the training
    distribution; check that first (:func:`calibration_slope_intercept`).

    Parameters
    ----------
    y_prob : array-like of float in [0, 1], any shape
        The model's probability of the positive class on the deployment data (no labels).
    train_prior : float in (0, 1)
        The share of positives in the data the probabilities are calibrated on.
    max_iter : int, default 1000
        Most EM iterations.
    tol : float, default 1e-10
        Stop when ``pi'`` moves less than this.
    {selection}

    Returns
    -------
    PriorShiftResult
        ``.prior`` (the estimate), ``.train_prior``, ``.adjusted_prob``, ``.n_iter`` and
        ``.converged``.

    Raises
    ------
    ValueError
        If the probabilities are outside [0, 1] or not finite, an option is out of range,
        or ``mask``/``lengths`` leave no step.
    TypeError
        If an input does not hold numbers or an option has the wrong type.

    Warns
    -----
    UserWarning
        If EM has not converged after ``max_iter`` iterations (the estimate is near 0 or 1,
        where EM slows down).

    Examples
    --------
    A model calibrated on balanced data (half positives) meets data with 20% positives:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = rng.random(20_000) < 0.2
    >>> logit = rng.normal(np.where(y, 1.0, -1.0), 1.0)  # balanced-calibrated: p = sigmoid(2x)
    >>> p = 1 / (1 + np.exp(-2 * logit))
    >>> round(float(p.mean()), 2), round(estimate_prior_shift(p, train_prior=0.5).prior, 2)
    (0.33, 0.2)
    """
    train_prior = check_float(
        train_prior, name="train_prior", low=0, high=1, low_open=True, high_open=True
    )
    max_iter = check_int(max_iter, name="max_iter", low=1)
    tol = check_float(tol, name="tol", low=0, high=1, low_open=True)
    v = as_array(y_prob, "y_prob")
    keep = valid_selection(v.shape, mask=mask, lengths=lengths, name="y_prob")
    p = _probabilities((v if keep is None else v[keep]).reshape(-1))
    prior, converged, n_iter = train_prior, False, 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - n_iter is reported
        adjusted = _adjust(p, prior / train_prior, (1 - prior) / (1 - train_prior))
        new = float(adjusted.mean())
        moved = abs(new - prior)
        prior = new
        if moved < tol or prior in (0.0, 1.0):
            converged = True
            break
    if not converged:
        warn(
            f"The EM estimate of the share of positives did not converge in {max_iter} "
            f"iterations (last estimate {prior:.6g}); raise `max_iter`.",
            UserWarning,
        )
    adjusted = _adjust(p, prior / train_prior, (1 - prior) / (1 - train_prior))
    return PriorShiftResult(prior, train_prior, adjusted, n_iter, converged)
