"""Can the scores be read as probabilities? Proper scoring rules and calibration curves,
equal to scikit-learn's.

A model is *calibrated* when, among the steps it gives probability ``p``, a fraction ``p``
is positive. The Brier score and the log loss score probabilities directly (both are
"proper": they are best in expectation for the true probabilities); the calibration curve
and the expected calibration error (ECE) show and summarise how far the probabilities are
from the observed frequencies, bin by bin.

Probabilities are used as given: pass ``torch.sigmoid(logits)`` or ``softmax(-1)``, never
logits.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np

from course_utils._params import Boolean, Interval, StrOptions, check_params, validate_params
from course_utils.metrics._docs import MASK_AND_LENGTHS, fill_doc
from course_utils.metrics._validation import (
    as_finite_floats,
    check_bool,
    distinct_labels,
    positive_class,
    require_steps,
    valid_labels_and_values,
)
from course_utils.metrics._warnings import warn

__all__ = [
    "brier_score_loss",
    "calibration_curve",
    "expected_calibration_error",
    "log_loss",
]

_SAMPLE_WEIGHT = """\
    sample_weight : array-like of float, optional
        Non-negative weight of each step, with the shape of ``y_true`` (or of its leading
        axes: one weight per sequence). Weighted means replace plain means."""

_BINARY_PARAMETERS = """\
    y_true : array-like of labels, any shape
        True labels (0/1, bools, -1/1, or any two labels with ``pos_label``): lists, NumPy
        arrays or torch tensors (CPU or CUDA).
    y_prob : array-like of float in [0, 1], same shape as ``y_true``
        Predicted probability of the positive class."""

_shared_docs = fill_doc(
    selection=MASK_AND_LENGTHS, sample_weight=_SAMPLE_WEIGHT, binary=_BINARY_PARAMETERS
)


#: The most bins a calibration curve may have: its state is 3 arrays of ``n_bins`` numbers
#: (24 MB at this bound), and a bin per step is already more than a curve can show.
MAX_BINS = 1_000_000

_BINS = {
    "n_bins": [Interval(Integral, 1, MAX_BINS, closed="both")],
    "strategy": [StrOptions(("uniform", "quantile"))],
}
_BINS_HINTS = {"n_bins": "Each bin needs memory and a curve cannot show more; use 10 to 50."}
_SCALE_BY_HALF = {"scale_by_half": [StrOptions(("auto",)), Boolean()]}


@validate_params(_SCALE_BY_HALF)
@_shared_docs
def brier_score_loss(
    y_true,
    y_proba,
    *,
    sample_weight=None,
    pos_label=None,
    labels=None,
    scale_by_half="auto",
    mask=None,
    lengths=None,
):
    """Brier score: the mean squared difference between probabilities and outcomes.

    Binary: ``mean((y_proba - [y_true == pos_label])**2)``; 0 is perfect, 0.25 is what
    always saying 0.5 scores. With one probability per class, the squared differences to the
    one-hot labels are summed over classes (then halved for two classes, so both forms agree).

    Parameters
    ----------
    y_true : array-like of labels, any shape
        True labels: numbers, bools or strings; lists, NumPy arrays or torch tensors.
    y_proba : array-like of float in [0, 1]
        Shape of ``y_true``: probability of ``pos_label``. Shape of ``y_true`` plus one
        last axis: one probability per class, columns in sorted label order.
    {sample_weight}
    pos_label : label, optional
        The positive class for 1-D probabilities. Default: 1, when the labels are 0/1 or
        -1/1.
    labels : array-like, optional
        All classes, for probability matrices whose classes do not all occur in ``y_true``.
    scale_by_half : bool or "auto", default "auto"
        Halve the score; "auto" halves it for binary problems only (scikit-learn's choice).
    {selection}

    Returns
    -------
    float
        In [0, 1] for binary problems (in [0, 2] for matrices without halving).

    Raises
    ------
    ValueError
        If shapes differ, probabilities are outside [0, 1] or not finite, ``y_true`` is not
        binary where it must be, ``pos_label`` is needed or unknown, ``sample_weight`` is
        invalid, or ``mask``/``lengths`` do not fit.
    TypeError
        If an input does not hold numbers or labels.

    Warns
    -----
    UserWarning
        If the rows of a probability matrix do not sum to 1 (they are used as given).

    Examples
    --------
    >>> round(brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]), 4)
    0.0375
    >>> round(brier_score_loss(["ham", "spam", "spam"], [0.2, 0.7, 0.9], pos_label="spam"), 4)
    0.0467
    """
    _check_scale_by_half(scale_by_half)
    stats = _brier_stats(
        y_true,
        y_proba,
        sample_weight=sample_weight,
        pos_label=pos_label,
        labels=labels,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _brier_finalize(stats, labels=labels, scale_by_half=scale_by_half)


def _check_scale_by_half(scale_by_half) -> None:
    check_params(_SCALE_BY_HALF, {"scale_by_half": scale_by_half})


def _brier_stats(
    y_true,
    y_proba,
    *,
    sample_weight=None,
    pos_label=None,
    labels=None,
    mask=None,
    lengths=None,
    **_,
):
    """Sum of the (weighted) squared errors, and what finalize checks the classes with."""
    t, p, w = _steps(y_true, y_proba, sample_weight, mask, lengths)
    if p.ndim == 2 and p.shape[1] == 1:
        p = p[:, 0]
    classes = None
    if p.ndim == 1:
        classes = _check_binary_labels(t, pos_label)
        y = positive_class(t, pos_label).astype(np.float64) if t.size else np.zeros(0)
        loss = 2.0 * (y - p) ** 2  # both columns [1 - p, p] of the one-hot form
        column, local = None, 0
    else:
        column, local = _columns(t, labels, p.shape[1], "y_proba")
        onehot = np.zeros(p.shape)
        onehot[np.arange(t.size), column] = 1.0
        if t.size:
            _warn_unless_rows_sum_to_one(p)
        loss = ((onehot - p) ** 2).sum(axis=1)
    n_columns = 0 if column is None else p.shape[1]
    return _loss_stats(t, loss, w, n_columns=n_columns, local=local, classes=classes)


def _brier_finalize(stats, *, labels=None, scale_by_half="auto", **_):
    n_columns = int(stats["n_columns"])
    if n_columns:
        _check_columns(stats, labels, n_columns, "y_proba", "brier_score_loss")
    else:
        _check_binary_labels(stats["classes"], None)
    score = float(stats["loss"] / stats["weight"])
    halve = n_columns < 3 if scale_by_half == "auto" else scale_by_half
    return 0.5 * score if halve else score


@validate_params({"normalize": [Boolean()]})
@_shared_docs
def log_loss(
    y_true, y_proba, *, normalize=True, sample_weight=None, labels=None, mask=None, lengths=None
):
    """Log loss (cross-entropy): the mean of ``-log`` of the probability given to the true class.

    It is what ``nn.BCELoss``/``nn.NLLLoss`` compute on probabilities. A confident mistake
    costs a lot: probability 0 for the true class would cost infinity.

    **Clipping**, as scikit-learn does: probabilities are clipped to ``[eps, 1 - eps]`` with
    ``eps = np.finfo(y_proba.dtype).eps`` (about 2.2e-16 for float64, 1.2e-7 for float32)
    before taking logs, so the loss stays finite (at most about 36 per step in float64).
    Rows are not renormalised; a warning says when they do not sum to 1.

    Parameters
    ----------
    y_true : array-like of labels, any shape
        True labels: numbers, bools or strings; lists, NumPy arrays or torch tensors.
    y_proba : array-like of float in [0, 1]
        Shape of ``y_true``: probability of the second of the two sorted labels (1 for 0/1
        labels). Shape of ``y_true`` plus one last axis: one probability per class, columns
        in sorted label order.
    normalize : bool, default True
        Return the mean loss; False returns the (weighted) sum.
    {sample_weight}
    labels : array-like, optional
        All classes, when not all of them occur in ``y_true``.
    {selection}

    Returns
    -------
    float
        Non-negative; ``log(2) = 0.693`` for always saying 0.5 on a binary problem.

    Raises
    ------
    ValueError
        If shapes differ, probabilities are outside [0, 1] or not finite, ``y_true`` holds a
        single class and ``labels`` is not given, the number of classes does not match the
        columns, ``sample_weight`` is invalid, or ``mask``/``lengths`` do not fit.
    TypeError
        If an input does not hold numbers or labels.

    Warns
    -----
    UserWarning
        If the rows of ``y_proba`` do not sum to 1 (they are used as given).

    Examples
    --------
    >>> round(log_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]), 4)
    0.1976
    >>> round(log_loss(["spam", "ham", "ham", "spam"],
    ...                [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]), 5)
    0.21616
    """
    stats = _log_loss_stats(
        y_true, y_proba, sample_weight=sample_weight, labels=labels, mask=mask, lengths=lengths
    )
    require_steps(stats["n_steps"])
    return _log_loss_finalize(stats, normalize=normalize, labels=labels)


def _log_loss_stats(
    y_true, y_proba, *, sample_weight=None, labels=None, mask=None, lengths=None, **_
):
    """Sum of the (weighted) losses, the clipping's eps, and what finalize checks."""
    t, p, w = _steps(y_true, y_proba, sample_weight, mask, lengths)
    eps = np.finfo(p.dtype).eps
    if p.ndim == 2 and p.shape[1] == 1:
        p = p[:, 0]
    if p.ndim == 1:  # columns [1 - p, p] for the two classes
        column, local = _columns(t, labels, 2, "y_proba")
        true_class = np.where(column == 1, p, 1 - p)
    else:
        if t.size:
            _warn_unless_rows_sum_to_one(p)
        column, local = _columns(t, labels, p.shape[1], "y_proba")
        true_class = p[np.arange(t.size), column]  # (n,), the true class's probability
    true_class = np.clip(true_class, eps, 1 - eps)
    loss = -np.log(true_class.astype(np.float64))  # (n,)
    stats = _loss_stats(t, loss, w, n_columns=2 if p.ndim == 1 else p.shape[1], local=local)
    stats["eps"] = np.array(eps, dtype=np.float64)
    return stats


def _log_loss_finalize(stats, *, normalize=True, labels=None, **_):
    _check_columns(stats, labels, int(stats["n_columns"]), "y_proba", "log_loss")
    if normalize:
        return float(stats["loss"] / stats["weight"])
    return float(stats["loss"])


@validate_params({**_BINS, "return_counts": [Boolean()]}, hints=_BINS_HINTS)
@_shared_docs
def calibration_curve(
    y_true,
    y_prob,
    *,
    pos_label=None,
    n_bins=5,
    strategy="uniform",
    return_counts=False,
    mask=None,
    lengths=None,
):
    """Observed frequency of positives against mean predicted probability, bin by bin.

    The probabilities are cut into ``n_bins`` bins; for each bin that holds some step, the
    curve has one point: the mean probability in the bin (x) and the fraction of positives
    there (y). A calibrated model's points lie on the diagonal. Empty bins are left out,
    as in scikit-learn, so the arrays can be shorter than ``n_bins``.

    Parameters
    ----------
    {binary}
    pos_label : label, optional
        The positive class. Default: 1, when the labels are 0/1 or -1/1.
    n_bins : int, default 5
        Number of bins.
    strategy : {"uniform", "quantile"}, default "uniform"
        "uniform": bins of equal width on [0, 1]. "quantile": edges at quantiles of
        ``y_prob``, so bins hold about equally many steps (ties can merge bins).
    return_counts : bool, default False
        Also return how many steps fell in each (non-empty) bin: a point from 5 steps
        deserves less trust than one from 500.
    {selection}

    Returns
    -------
    prob_true : numpy.ndarray of shape (n_nonempty_bins,)
        Fraction of positives in each bin.
    prob_pred : numpy.ndarray of shape (n_nonempty_bins,)
        Mean predicted probability in each bin.
    counts : numpy.ndarray of int64 of shape (n_nonempty_bins,)
        Only with ``return_counts=True``: number of steps in each bin.

    Raises
    ------
    ValueError
        If shapes differ, ``y_prob`` is outside [0, 1] or not finite, ``y_true`` has more
        than two classes, ``pos_label`` is needed, ``n_bins`` or ``strategy`` is invalid, or
        ``mask``/``lengths`` do not fit.
    TypeError
        If an input does not hold numbers or labels.

    Examples
    --------
    >>> y_true = [0, 0, 0, 1, 0, 1, 1, 1]
    >>> y_prob = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9]
    >>> prob_true, prob_pred, counts = calibration_curve(
    ...     y_true, y_prob, n_bins=2, return_counts=True
    ... )
    >>> prob_true, prob_pred, counts
    (array([0.25, 0.75]), array([0.25, 0.75]), array([4, 4]))
    """
    stats = _binned_stats(
        y_true,
        y_prob,
        pos_label=pos_label,
        n_bins=n_bins,
        strategy=strategy,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _calibration_curve_finalize(
        stats, n_bins=n_bins, strategy=strategy, return_counts=return_counts
    )


def _calibration_curve_finalize(stats, *, n_bins, strategy, return_counts=False, **_):
    counts, sums, positives = _bins(stats, n_bins, strategy)
    nonzero = counts != 0
    prob_true = positives[nonzero] / counts[nonzero]
    prob_pred = sums[nonzero] / counts[nonzero]
    if return_counts:
        return prob_true, prob_pred, counts[nonzero]
    return prob_true, prob_pred


@validate_params(_BINS, hints=_BINS_HINTS)
@_shared_docs
def expected_calibration_error(
    y_true, y_prob, *, pos_label=None, n_bins=10, strategy="uniform", mask=None, lengths=None
):
    """Expected calibration error: the gap between the calibration curve and the diagonal,
    averaged over steps.

    ``ECE = sum_b (n_b / n) * |prob_true_b - prob_pred_b|`` over the bins of
    :func:`calibration_curve` with the same ``n_bins`` and ``strategy``. 0 means every
    bin's mean probability equals its fraction of positives. It depends on the binning
    (more bins, more noise), so compare models with the same ``n_bins``; read it next to the
    reliability diagram, never alone.

    This is the ECE of the positive class's probability. For a multiclass model's
    confidence, pass ``y_true == y_pred`` and the top probability (``proba.max(-1)``).

    Parameters
    ----------
    {binary}
    pos_label : label, optional
        The positive class. Default: 1, when the labels are 0/1 or -1/1.
    n_bins : int, default 10
        Number of bins.
    strategy : {"uniform", "quantile"}, default "uniform"
        Equal-width bins, or bins holding about equally many steps.
    {selection}

    Returns
    -------
    float
        In [0, 1].

    Raises
    ------
    ValueError
        As :func:`calibration_curve`.
    TypeError
        If an input does not hold numbers or labels.

    Examples
    --------
    Scores that are too confident: steps given 0.9 are positive only 60% of the time.

    >>> y_true = [1, 1, 1, 0, 0, 0, 0, 0, 1, 1]
    >>> y_prob = [0.9, 0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1]
    >>> round(expected_calibration_error(y_true, y_prob), 3)
    0.3
    """
    stats = _binned_stats(
        y_true,
        y_prob,
        pos_label=pos_label,
        n_bins=n_bins,
        strategy=strategy,
        mask=mask,
        lengths=lengths,
    )
    require_steps(stats["n_steps"])
    return _ece_finalize(stats, n_bins=n_bins, strategy=strategy)


def _ece_finalize(stats, *, n_bins, strategy, **_):
    counts, sums, positives = _bins(stats, n_bins, strategy)
    return float(np.abs(positives - sums).sum() / counts.sum())


def _check_bins(n_bins, strategy) -> None:
    check_params(_BINS, {"n_bins": n_bins, "strategy": strategy})


def _binned_stats(
    y_true,
    y_prob,
    *,
    pos_label=None,
    n_bins=5,
    strategy="uniform",
    mask=None,
    lengths=None,
    sample_weight=None,
    **_,
):
    """Uniform bins: per bin, the step count, sum of probabilities and positives.
    Quantile bins need every probability (the edges are quantiles of all of them)."""
    if sample_weight is not None:
        raise ValueError(
            "Expected `sample_weight` to be None: calibration curves count steps (scikit-learn's "
            "calibration_curve takes no weights either)."
        )
    t, p, _ = valid_labels_and_values(
        y_true, y_prob, mask=mask, lengths=lengths, names=("y_true", "y_prob"), allow_empty=True
    )
    p = _probabilities(p, "y_prob").astype(np.float64)
    classes = _check_binary_labels(t, pos_label)
    y = positive_class(t, pos_label) if t.size else np.zeros(0, dtype=bool)
    stats = {"classes": _label_set(t, classes), "n_steps": np.array(t.size)}
    if strategy == "quantile":
        return {**stats, "p": p, "y": y}
    return {**stats, **_bin_counts(p, y, np.linspace(0.0, 1.0, n_bins + 1), n_bins)}


def _bins(stats, n_bins, strategy):
    """Per bin (all ``n_bins``): step count, sum of probabilities, number of positives."""
    _check_binary_labels(stats["classes"], None)
    if strategy == "uniform":
        return stats["counts"], stats["sums"], stats["positives"]
    p = stats["p"]
    edges = np.percentile(p, np.linspace(0, 1, n_bins + 1) * 100)  # as scikit-learn
    counts = _bin_counts(p, stats["y"], edges, n_bins)
    return counts["counts"], counts["sums"], counts["positives"]


def _bin_counts(p, y, edges, n_bins) -> dict:
    bin_ids = np.searchsorted(edges[1:-1], p)  # the last bin includes 1.0, as in scikit-learn
    return {
        "counts": np.bincount(bin_ids, minlength=n_bins),
        "sums": np.bincount(bin_ids, weights=p, minlength=n_bins),
        "positives": np.bincount(bin_ids, weights=y, minlength=n_bins),
    }


# ------------------------------------------------------------------------- helpers


def _steps(y_true, y_proba, sample_weight, mask, lengths):
    """Valid steps: labels (n,), probabilities (n,) or (n, k), weights or None."""
    t, p, w = valid_labels_and_values(
        y_true,
        y_proba,
        mask=mask,
        lengths=lengths,
        sample_weight=sample_weight,
        names=("y_true", "y_proba"),
        class_axis=True,
        allow_empty=True,
    )
    return t, _probabilities(p, "y_proba"), w


def _loss_stats(t, loss, w, *, n_columns, local, classes=None) -> dict:
    return {
        "loss": np.array(loss.sum() if w is None else (loss * w).sum(), dtype=np.float64),
        "weight": np.array(t.size if w is None else w.sum(), dtype=np.float64),
        "n_steps": np.array(t.size),
        "classes": _label_set(t, classes),
        "n_columns": np.array(n_columns),
        "weighted": np.array(w is not None),
        "local": np.array(local),
        "n_batches": np.array(1),
    }


def _label_set(t: np.ndarray, classes: np.ndarray | None = None) -> np.ndarray:
    """The distinct labels of a batch (``classes`` if known): int64 for whole numbers."""
    classes = distinct_labels(t) if classes is None else classes
    if classes.dtype.kind in "biu":
        return classes.astype(np.int64)
    if classes.dtype.kind == "f" and np.all(np.mod(classes, 1) == 0):
        return classes.astype(np.int64)
    return classes


def _probabilities(p: np.ndarray, name: str) -> np.ndarray:
    p = as_finite_floats(p, name)
    if p.size == 0:
        return p
    low, high = p.min(), p.max()
    if low < 0 or high > 1:
        raise ValueError(
            f"Expected `{name}` to hold probabilities in [0, 1], but found "
            f"{low if low < 0 else high}. Apply `torch.sigmoid` (binary) or `softmax(-1)` "
            "(one column per class) to logits first."
        )
    return p


def _check_binary_labels(t: np.ndarray, pos_label) -> np.ndarray:
    """The distinct labels, at most two of them."""
    classes = distinct_labels(t)
    if classes.size > 2:
        raise ValueError(
            f"Expected `y_true` to hold two classes for one probability per step, but found "
            f"{classes.size}: {classes.tolist()[:10]}. Score one class against the rest "
            "(`y_true == k` with the probabilities of class k), or pass one column per class."
        )
    return classes


def _columns(t: np.ndarray, labels, n_columns: int, name: str) -> tuple[np.ndarray, int]:
    """The column of each step's true class, and 1 if it was found from this batch alone.

    Columns follow the sorted classes, as scikit-learn's LabelBinarizer orders them: the
    classes of ``labels``; else, for class indices ``0..n_columns-1``, the index itself (the
    classes of all the data can then only be those); else the rank among this batch's
    classes, right for one call but not for a stream of batches (see ``_check_columns``).
    """
    if labels is not None:
        classes = _listed_classes(labels, t)
        return np.searchsorted(classes, t), 0
    if t.size == 0:
        return np.zeros(0, dtype=np.int64), 0
    if t.dtype.kind in "biuf":
        low, high = t.min(), t.max()
        if low >= 0 and high < n_columns and (t.dtype.kind != "f" or np.all(np.mod(t, 1) == 0)):
            return t.astype(np.int64), 0
    classes = np.unique(t)
    if classes.size > n_columns:
        _column_mismatch(classes, n_columns, name)
    return np.searchsorted(classes, t), 1


def _listed_classes(labels, t: np.ndarray) -> np.ndarray:
    classes = np.unique(np.asarray(labels))
    if classes.size < 2:
        raise ValueError(f"Expected `labels` to list at least two classes, but got {labels!r}.")
    unknown = np.setdiff1d(np.unique(t), classes) if t.size else t
    if unknown.size:
        raise ValueError(
            f"Expected every label of `y_true` to be in `labels` {classes.tolist()}, but "
            f"found {unknown.tolist()[:10]}."
        )
    return classes


def _check_columns(stats, labels, n_columns: int, name: str, metric: str) -> None:
    """scikit-learn's rules: at least two classes, one column per class."""
    if labels is None:
        classes = stats["classes"]
        if classes.size == 1:
            raise ValueError(
                f"Expected `y_true` to hold at least two classes, but it holds only "
                f"{classes[0].item()!r}. Pass all classes with `labels=`."
            )
    else:
        classes = _listed_classes(labels, stats["classes"])
    if classes.size != n_columns:
        _column_mismatch(classes, n_columns, name)
    if stats["local"] and stats["n_batches"] > 1:
        raise ValueError(
            f"Expected `labels=` for a stream of {metric} whose classes are not "
            f"0..{n_columns - 1} (found {classes.tolist()[:10]}): a class's column is its rank "
            f"among all the classes, which a stream knows only at the end. Pass "
            f"stream({metric!r}, labels={classes.tolist()[:10]!r})."
        )


def _column_mismatch(classes: np.ndarray, n_columns: int, name: str):
    raise ValueError(
        f"Expected `{name}` to have one column per class ({classes.size}: "
        f"{classes.tolist()[:10]}), but got {n_columns}. Pass all classes with `labels=`."
    )


def _warn_unless_rows_sum_to_one(p: np.ndarray) -> None:
    eps = np.finfo(p.dtype).eps
    if not np.allclose(p.sum(axis=1), 1.0, rtol=np.sqrt(eps), atol=1e-8):
        warn(
            "The y_prob values do not sum to one. Make sure to pass probabilities.",
            UserWarning,
        )


# ------------------------------------------------------------------------ streaming

_LOSS_REDUCE = {
    "loss": "sum",
    "weight": "sum",
    "n_steps": "sum",
    "classes": "union",
    "n_columns": "same",
    "weighted": "same",
    "local": "sum",
    "n_batches": "sum",
}
_NAMES = {
    "classes": "the labels",
    "n_columns": "the number of probability columns (0: one probability per step)",
    "weighted": "whether `sample_weight` is given",
    "eps": "the clipping eps of the probabilities' dtype (float32 or float64)",
}


def _brier_options(**options):
    _check_scale_by_half(options["scale_by_half"])
    return options


def _log_loss_options(**options):
    check_bool(options["normalize"], "normalize")
    return options


def _bins_options(**options):
    _check_bins(options["n_bins"], options["strategy"])
    if "return_counts" in options:
        check_bool(options["return_counts"], "return_counts")
    return options


def _binned_spec(function, finalize):
    return {
        "stats": _binned_stats,
        "finalize": finalize,
        "function": function,
        "options": _bins_options,
        "reduce": {
            "classes": "union",
            "n_steps": "sum",
            "counts": "sum",
            "sums": "sum",
            "positives": "sum",
            "p": "cat",
            "y": "cat",
        },
        "count": "n_steps",
        "input": "scores",
        "names": _NAMES,
    }


STREAM_SPECS = {
    "brier_score_loss": {
        "stats": _brier_stats,
        "finalize": _brier_finalize,
        "function": brier_score_loss,
        "options": _brier_options,
        "reduce": _LOSS_REDUCE,
        "count": "n_steps",
        "input": "scores",
        "names": _NAMES,
    },
    "log_loss": {
        "stats": _log_loss_stats,
        "finalize": _log_loss_finalize,
        "function": log_loss,
        "options": _log_loss_options,
        "reduce": {**_LOSS_REDUCE, "eps": "same"},
        "count": "n_steps",
        "input": "scores",
        "names": _NAMES,
    },
    "calibration_curve": _binned_spec(calibration_curve, _calibration_curve_finalize),
    "expected_calibration_error": _binned_spec(expected_calibration_error, _ece_finalize),
}
