"""Event-level scores: was each event caught, how much of it, how soon, and at what cost.

An *event* is a maximal run of positive steps in one sequence: a fault, an anomaly, a job
that ran. Detectors are judged on events because people act on them: an alarm is raised
once per event, and what matters is whether the event was caught and how late.

- :func:`event_recall_score`, :func:`event_precision_score`, :func:`event_f1_score`: the
  share of true events caught, and of predicted events that were real, under an
  **overlap rule** (``overlap="any"``: one shared step is enough; a number ``q``: the two
  events' intersection over union must be at least ``q``; ``overlap=1.0`` asks for the
  exact event, which is the segment-level score of :mod:`~course_utils.metrics.spans`).
- :func:`point_adjust` and :func:`point_adjusted_f1_score`: the point-adjusted protocol
  common in anomaly-detection papers (Xu et al., 2018), where one flagged step credits the
  whole event. **It is a trap**: a detector that flags steps at random scores well on long
  events, because it only has to hit each one once (Kim et al., AAAI 2022). It is here so
  you can reproduce the trap and recognise it, not to report it.
- :func:`range_recall_score`, :func:`range_precision_score`: the range-based scores of
  Tatbul et al. (NeurIPS 2018), which weigh how much of each event was covered, where
  (``bias``: flat, front, back or middle), whether it was split into pieces
  (``cardinality``) and, for recall, whether it was found at all (``alpha``, the existence
  reward).
- :func:`detection_delays`: for each true event, how many steps after its start the first
  flagged step came (NaN where the event was missed). Report it as a distribution.

Inputs are 1-D series, ``(N, T)`` arrays or tensors (with ``lengths=``/``mask=``) or lists
of sequences, in binary form (0/1 or bools) or as labels with ``pos_label=``. Positions are
time steps: a step that ``mask``/``lengths`` drop is neither event nor prediction, and it
breaks a run (two flagged stretches either side of a gap are two events). Events never run
across sequences.

Every score is ``finalize(stats(batch))`` with additive statistics (``STREAM_SPECS``).
"""

from __future__ import annotations

import numbers

import numpy as np

from course_utils.metrics._docs import fill_doc
from course_utils.metrics._validation import (
    check_option,
    check_zero_division,
    positive_class,
)
from course_utils.metrics.classification import _ratio
from course_utils.metrics.spans import _paired

__all__ = [
    "detection_delays",
    "event_f1_score",
    "event_precision_score",
    "event_recall_score",
    "point_adjust",
    "point_adjusted_f1_score",
    "range_precision_score",
    "range_recall_score",
]

BIASES = ("flat", "front", "back", "middle")
CARDINALITIES = ("reciprocal", "one")


# ------------------------------------------------------------------------------ inputs


class _Events:
    """The positive steps and events of one batch, in joined positions.

    Sequences are laid end to end with one gap position after each, so position
    ``offsets[i] + t`` is step ``t`` of sequence ``i`` and no run crosses sequences.
    ``start``/``stop`` (exclusive) of each event are sorted joined positions.
    """

    def __init__(self, flags: np.ndarray, keep: np.ndarray, offsets: np.ndarray):
        self.flags, self.keep, self.offsets = flags, keep, offsets
        edges = np.diff(np.concatenate([[False], flags, [False]]).astype(np.int8))
        self.start = np.flatnonzero(edges == 1)
        self.stop = np.flatnonzero(edges == -1)
        self.cumulative = np.concatenate([[0], np.cumsum(flags)])

    @property
    def size(self) -> int:
        return int(self.start.size)

    def sequence_of(self, positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.offsets, positions, side="right") - 1


def _binary_events(y_true, y_pred, *, pos_label, mask, lengths):
    """``(true events, predicted events, pair)`` of one batch (see :class:`_Events`)."""
    pair = _paired(y_true, y_pred, mask=mask, lengths=lengths)
    sizes = pair.sizes
    joined = np.arange(pair.t.size) + pair.sequence  # one gap position after each sequence
    total = int(sizes.sum() + sizes.size)
    offsets = np.concatenate([[0], np.cumsum(sizes + 1)[:-1]]).astype(np.int64)
    real = joined if pair.keep is None else joined[pair.keep]
    kept = np.zeros(total, dtype=bool)
    kept[real] = True
    flags = []
    for values, name in ((pair.t, "y_true"), (pair.p, "y_pred")):
        values = values if pair.keep is None else values[pair.keep]
        out = np.zeros(total, dtype=bool)
        if values.size:
            if values.dtype.kind == "U" and pos_label is None:
                raise ValueError(
                    f"Expected `{name}` to hold 0/1 (or True/False) when `pos_label` is not "
                    "given, but it holds strings. Pass the label of an event step, e.g. "
                    "`pos_label='fault'`."
                )
            out[real] = positive_class(values, pos_label, name)
        flags.append(out)
    return _Events(flags[0], kept, offsets), _Events(flags[1], kept, offsets), pair


def _pairs(a: _Events, b: _Events):
    """Every overlapping pair: ``(index in a, index in b, steps shared)``."""
    lo = np.searchsorted(b.stop, a.start, side="right")  # first b that ends after a starts
    hi = np.searchsorted(b.start, a.stop, side="left")  # b that start before a ends
    counts = np.maximum(hi - lo, 0)
    ia = np.repeat(np.arange(a.size), counts)
    first = np.repeat(lo, counts)
    within = np.arange(ia.size) - np.repeat(np.cumsum(counts) - counts, counts)
    ib = first + within
    shared = np.minimum(a.stop[ia], b.stop[ib]) - np.maximum(a.start[ia], b.start[ib])
    return ia, ib, shared


def _check_overlap(overlap):
    if isinstance(overlap, str) and overlap == "any":
        return 0.0
    if (
        isinstance(overlap, bool)
        or not isinstance(overlap, numbers.Real)
        or not 0 < float(overlap) <= 1
    ):
        raise ValueError(
            f'Expected `overlap` to be "any" or an intersection-over-union in (0, 1], but got '
            f"{overlap!r}."
        )
    return float(overlap)


def _n_steps(events: _Events) -> np.ndarray:
    return np.array(int(events.keep.sum()), dtype=np.int64)


def _check_some_step(stats) -> None:
    if int(stats["n_steps"]) == 0:
        raise ValueError(
            "Expected at least one real step, but the inputs are empty or `mask`/`lengths` "
            "mark every step as padding."
        )


def _divide(num, den, metric: str, modifier: str, zero_division) -> float:
    """``num / den`` as a float; ``zero_division`` (with a warning for "warn") when den is 0."""
    value = _ratio(np.atleast_1d(num), np.atleast_1d(den), metric, modifier, announce=True,
                   zero_division=zero_division)  # fmt: skip
    return float(value[0])


# ------------------------------------------------------------------ event-level scores


def _event_stats(
    y_true,
    y_pred,
    *,
    mask=None,
    lengths=None,
    sample_weight=None,
    pos_label=None,
    overlap="any",
    **_,
):
    """``caught`` (true events matched), ``n_true``, ``hits`` (predicted events matched),
    ``n_pred`` and ``n_steps`` of one batch."""
    _no_weights(sample_weight)
    threshold = _check_overlap(overlap)
    true, pred, _ = _binary_events(y_true, y_pred, pos_label=pos_label, mask=mask, lengths=lengths)
    it, ip, shared = _pairs(true, pred)
    union = (true.stop - true.start)[it] + (pred.stop - pred.start)[ip] - shared
    good = shared / union >= threshold if threshold > 0 else shared > 0
    caught = np.zeros(true.size, dtype=bool)
    caught[it[good]] = True
    hits = np.zeros(pred.size, dtype=bool)
    hits[ip[good]] = True
    return {
        "caught": np.array(int(caught.sum()), dtype=np.int64),
        "n_true": np.array(true.size, dtype=np.int64),
        "hits": np.array(int(hits.sum()), dtype=np.int64),
        "n_pred": np.array(pred.size, dtype=np.int64),
        "n_steps": _n_steps(true),
    }


def _no_weights(sample_weight) -> None:
    if sample_weight is not None:
        raise TypeError(
            "Event scores do not take `sample_weight`: an event spans many steps. Drop steps "
            "or sequences with `mask=` instead."
        )


def _event_recall_finalize(stats, *, zero_division="warn", **_):
    check_zero_division(zero_division)
    return _divide(stats["caught"], stats["n_true"], "recall", "true event", zero_division)


def _event_precision_finalize(stats, *, zero_division="warn", **_):
    check_zero_division(zero_division)
    return _divide(stats["hits"], stats["n_pred"], "precision", "predicted event", zero_division)


def _harmonic(precision: float, recall: float) -> float:
    if np.isnan(precision) or np.isnan(recall):
        return float("nan")
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _event_f1_finalize(stats, *, zero_division="warn", **_):
    return _harmonic(
        _event_precision_finalize(stats, zero_division=zero_division),
        _event_recall_finalize(stats, zero_division=zero_division),
    )


_PARAMETERS = """\
    y_true, y_pred : array-like of shape (T,) or (N, T), or a list of sequences
        True and predicted steps: 0/1 or bools (1 = an event step), or labels with
        ``pos_label``. Lists, NumPy arrays or torch tensors; ``y_pred[i]`` pairs up with
        ``y_true[i]`` step by step.
    pos_label : label, optional
        The label of an event step (every other label is background). Default: the inputs
        hold 0/1 or bools. For the course's tagger, "a job is running" is ``y != 0``.
    mask : array-like of bool, optional
        True marks a real step; a dropped step is neither event nor prediction and breaks
        a run.
    lengths : array-like of int, optional
        For ``(N, T)`` inputs: steps ``t >= lengths[i]`` are padding."""

_OVERLAP = """\
    overlap : "any" or float in (0, 1], default "any"
        When a predicted event matches a true one: ``"any"``, if they share a step; a
        number ``q``, if their intersection over union is at least ``q`` (``1.0``: the same
        steps exactly)."""

_ZERO = """\
    zero_division : {"warn", 0, 1, np.nan}, default "warn"
        Value when there is no true (recall) or no predicted (precision) event. ``"warn"``
        acts as 0 and warns."""

_RAISES = """\
    ValueError
        If the inputs do not pair up (the message names the sequence), hold labels other
        than 0/1 without ``pos_label``, ``mask``/``lengths`` do not fit or leave no step,
        or an option is out of range.
    TypeError
        If an input is not an array or a list of sequences."""

_docs = fill_doc(parameters=_PARAMETERS, overlap=_OVERLAP, zero=_ZERO, raises=_RAISES)


def _event_score(finalize, y_true, y_pred, *, zero_division, **options):
    check_zero_division(zero_division)
    stats = _event_stats(y_true, y_pred, **options)
    _check_some_step(stats)
    return finalize(stats, zero_division=zero_division)


@_docs
def event_recall_score(
    y_true,
    y_pred,
    *,
    pos_label=None,
    overlap="any",
    zero_division="warn",
    mask=None,
    lengths=None,
):
    """Event recall: the share of true events that some predicted event matches.

    Parameters
    ----------
    {parameters}
    {overlap}
    {zero}

    Returns
    -------
    float

    Raises
    ------
    {raises}

    Examples
    --------
    >>> y_true = [0, 1, 1, 1, 0, 0, 1, 1, 0, 0]
    >>> y_pred = [0, 0, 1, 0, 0, 0, 0, 0, 0, 1]
    >>> event_recall_score(y_true, y_pred)  # the first event is caught, the second missed
    0.5
    >>> event_recall_score(y_true, y_pred, overlap=0.5)  # 1 step of 3 is not enough
    0.0
    """
    return _event_score(_event_recall_finalize, y_true, y_pred, zero_division=zero_division,
                        pos_label=pos_label, overlap=overlap, mask=mask, lengths=lengths)  # fmt: skip


@_docs
def event_precision_score(
    y_true,
    y_pred,
    *,
    pos_label=None,
    overlap="any",
    zero_division="warn",
    mask=None,
    lengths=None,
):
    """Event precision: the share of predicted events that match some true event.

    Parameters
    ----------
    {parameters}
    {overlap}
    {zero}

    Returns
    -------
    float

    Raises
    ------
    {raises}

    Examples
    --------
    >>> y_true = [0, 1, 1, 1, 0, 0, 1, 1, 0, 0]
    >>> y_pred = [0, 0, 1, 0, 0, 0, 0, 0, 0, 1]
    >>> event_precision_score(y_true, y_pred)  # one of the two alarms was real
    0.5
    """
    return _event_score(_event_precision_finalize, y_true, y_pred, zero_division=zero_division,
                        pos_label=pos_label, overlap=overlap, mask=mask, lengths=lengths)  # fmt: skip


@_docs
def event_f1_score(
    y_true,
    y_pred,
    *,
    pos_label=None,
    overlap="any",
    zero_division="warn",
    mask=None,
    lengths=None,
):
    """Event F1: the harmonic mean of event precision and event recall.

    Parameters
    ----------
    {parameters}
    {overlap}
    {zero}

    Returns
    -------
    float
        0 when both are 0; NaN when either is NaN (``zero_division=np.nan``).

    Raises
    ------
    {raises}

    Examples
    --------
    >>> event_f1_score([0, 1, 1, 0, 1], [0, 1, 0, 0, 0])  # precision 1, recall 1/2
    0.6666666666666666
    """
    return _event_score(_event_f1_finalize, y_true, y_pred, zero_division=zero_division,
                        pos_label=pos_label, overlap=overlap, mask=mask, lengths=lengths)  # fmt: skip


# ---------------------------------------------------------------------- point adjust


def _adjusted(true: _Events, pred: _Events) -> np.ndarray:
    """Predicted flags with every true event that has a flagged step flagged whole."""
    flagged = pred.cumulative[true.stop] - pred.cumulative[true.start] > 0
    out = pred.flags.copy()
    cover = np.zeros(out.size + 1, dtype=np.int64)
    np.add.at(cover, true.start[flagged], 1)
    np.add.at(cover, true.stop[flagged], -1)
    out |= np.cumsum(cover)[:-1] > 0
    return out


@_docs
def point_adjust(y_true, y_pred, *, pos_label=None, mask=None, lengths=None):
    """The point-adjusted predictions: a true event with one flagged step is flagged whole.

    The protocol many anomaly-detection papers score with (Xu et al., 2018). **A trap**:
    it credits a detector for every step of an event it touched once, so a detector that
    flags steps at random looks strong on long events (Kim et al., AAAI 2022). Use it to
    see how much a published number owes to the adjustment; report event recall with
    detection delays, or range-based scores, instead.

    Parameters
    ----------
    {parameters}

    Returns
    -------
    numpy.ndarray of bool, or list of numpy.ndarray
        The adjusted flags, shaped as ``y_pred`` (a list of 1-D arrays for a list of
        sequences of different lengths). Dropped steps are False.

    Raises
    ------
    {raises}

    Examples
    --------
    >>> point_adjust([0, 1, 1, 1, 1, 0], [0, 0, 0, 1, 0, 0]).astype(int)
    array([0, 1, 1, 1, 1, 0])
    """
    true, pred, pair = _binary_events(y_true, y_pred, pos_label=pos_label, mask=mask,
                                      lengths=lengths)  # fmt: skip
    adjusted = _adjusted(true, pred)[np.arange(pair.t.size) + pair.sequence]
    if pair.shape is not None:
        return adjusted.reshape(pair.shape)
    return np.split(adjusted, np.cumsum(pair.sizes)[:-1])


def _point_adjusted_stats(
    y_true, y_pred, *, mask=None, lengths=None, sample_weight=None, pos_label=None, **_
):
    """Step counts after point adjustment: ``tp``, ``n_pred``, ``n_true``, ``n_steps``."""
    _no_weights(sample_weight)
    true, pred, _ = _binary_events(y_true, y_pred, pos_label=pos_label, mask=mask, lengths=lengths)
    adjusted = _adjusted(true, pred)
    return {
        "tp": np.array(int((adjusted & true.flags).sum()), dtype=np.int64),
        "n_pred": np.array(int(adjusted.sum()), dtype=np.int64),
        "n_true": np.array(int(true.flags.sum()), dtype=np.int64),
        "n_steps": _n_steps(true),
    }


def _point_adjusted_f1_finalize(stats, *, zero_division="warn", **_):
    check_zero_division(zero_division)
    return _divide(2 * stats["tp"], stats["n_pred"] + stats["n_true"], "f-score",
                   "true nor predicted", zero_division)  # fmt: skip


@_docs
def point_adjusted_f1_score(
    y_true, y_pred, *, pos_label=None, zero_division="warn", mask=None, lengths=None
):
    """Step F1 after :func:`point_adjust`: the number many anomaly papers report. A trap.

    One flagged step in an event counts as every step of it flagged, so the score rewards
    touching events, not finding them early or precisely. Compare it with the step F1 of
    the same predictions, and with a detector that flags steps at random: if the random
    one scores close, the number says little.

    Parameters
    ----------
    {parameters}
    {zero}

    Returns
    -------
    float

    Raises
    ------
    {raises}

    Examples
    --------
    >>> y_true = [0, 1, 1, 1, 1, 1, 1, 1, 1, 0]
    >>> y_pred = [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]  # one late step of an 8-step event
    >>> point_adjusted_f1_score(y_true, y_pred)  # step F1 would be 2/9
    1.0
    """
    check_zero_division(zero_division)
    stats = _point_adjusted_stats(y_true, y_pred, pos_label=pos_label, mask=mask, lengths=lengths)
    _check_some_step(stats)
    return _point_adjusted_f1_finalize(stats, zero_division=zero_division)


# ------------------------------------------------------------- range-based (Tatbul et al.)


def _bias_prefix(k: np.ndarray, length: np.ndarray, bias: str) -> np.ndarray:
    """``sum(delta(i, length) for i in 1..k)``: the positional weights of the first k steps.

    delta is Tatbul et al.'s: flat 1; front ``length - i + 1``; back ``i``; middle ``i`` up
    to ``length / 2`` and ``length - i + 1`` after.
    """
    k = k.astype(np.float64)
    length = length.astype(np.float64)
    triangle = k * (k + 1) / 2
    if bias == "flat":
        return k
    if bias == "back":
        return triangle
    if bias == "front":
        return k * (length + 1) - triangle
    half = np.floor(length / 2)
    half_triangle = half * (half + 1) / 2
    after = half_triangle + (k - half) * (length + 1) - (triangle - half_triangle)
    return np.where(k <= half, triangle, after)


def _rewards(own: _Events, other: _Events, *, bias: str, cardinality: str):
    """Per event of ``own``: the overlap reward (cardinality factor times the positional
    share it has in common with ``other``) and whether it overlaps at all."""
    io, ib, _ = _pairs(own, other)
    if io.size:
        start = np.maximum(own.start[io], other.start[ib]) - own.start[io]  # steps before
        stop = np.minimum(own.stop[io], other.stop[ib]) - own.start[io]
        length = (own.stop - own.start)[io]
        share = _bias_prefix(stop, length, bias) - _bias_prefix(start, length, bias)
        share = share / _bias_prefix(length, length, bias)
    else:
        share = np.zeros(0)
    omega = np.bincount(io, weights=share, minlength=own.size)
    count = np.bincount(io, minlength=own.size)
    factor = np.ones(own.size)
    if cardinality == "reciprocal":
        factor = np.where(count > 1, 1.0 / np.maximum(count, 1), 1.0)
    return factor * omega, count > 0


def _check_range_options(alpha, cardinality, bias):
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 <= alpha <= 1:
        raise ValueError(f"Expected `alpha` to be a float in [0, 1], but got {alpha!r}.")
    check_option(cardinality, "cardinality", CARDINALITIES)
    check_option(bias, "bias", BIASES)


def _range_recall_stats(
    y_true,
    y_pred,
    *,
    mask=None,
    lengths=None,
    sample_weight=None,
    pos_label=None,
    alpha=0.0,
    cardinality="reciprocal",
    bias="flat",
    **_,
):
    """``recall_sum`` (the sum of every true event's range recall), ``n_true``, ``n_steps``."""
    _no_weights(sample_weight)
    _check_range_options(alpha, cardinality, bias)
    true, pred, _ = _binary_events(y_true, y_pred, pos_label=pos_label, mask=mask, lengths=lengths)
    overlap, exists = _rewards(true, pred, bias=bias, cardinality=cardinality)
    recall = alpha * exists + (1 - alpha) * overlap
    return {
        "recall_sum": np.array(float(recall.sum())),
        "n_true": np.array(true.size, dtype=np.int64),
        "n_steps": _n_steps(true),
    }


def _range_precision_stats(
    y_true,
    y_pred,
    *,
    mask=None,
    lengths=None,
    sample_weight=None,
    pos_label=None,
    cardinality="reciprocal",
    bias="flat",
    **_,
):
    """``precision_sum`` (the sum of every predicted event's range precision), ``n_pred``,
    ``n_steps``."""
    _no_weights(sample_weight)
    _check_range_options(0.0, cardinality, bias)
    true, pred, _ = _binary_events(y_true, y_pred, pos_label=pos_label, mask=mask, lengths=lengths)
    overlap, _ = _rewards(pred, true, bias=bias, cardinality=cardinality)
    return {
        "precision_sum": np.array(float(overlap.sum())),
        "n_pred": np.array(pred.size, dtype=np.int64),
        "n_steps": _n_steps(true),
    }


def _range_recall_finalize(stats, *, zero_division="warn", **_):
    check_zero_division(zero_division)
    return _divide(stats["recall_sum"], stats["n_true"], "recall", "true event", zero_division)


def _range_precision_finalize(stats, *, zero_division="warn", **_):
    check_zero_division(zero_division)
    return _divide(stats["precision_sum"], stats["n_pred"], "precision", "predicted event",
                   zero_division)  # fmt: skip


_RANGE = """\
    cardinality : {"reciprocal", "one"}, default "reciprocal"
        The penalty for an event that overlaps several events of the other side (is split
        into pieces): ``"reciprocal"`` multiplies its reward by 1/x for x pieces (Tatbul et
        al.'s suggestion, and aeon's default); ``"one"``: no penalty.
    bias : {"flat", "front", "back", "middle"}, default "flat"
        Which steps of an event matter most: all alike; the first ones (early detection);
        the last ones; the middle ones."""

_range_docs = fill_doc(parameters=_PARAMETERS, range=_RANGE, zero=_ZERO, raises=_RAISES)


@_range_docs
def range_recall_score(
    y_true,
    y_pred,
    *,
    pos_label=None,
    alpha=0.0,
    cardinality="reciprocal",
    bias="flat",
    zero_division="warn",
    mask=None,
    lengths=None,
):
    """Range-based recall (Tatbul et al., NeurIPS 2018): how much of each true event was
    covered, averaged over true events.

    For a true event R: ``alpha * [R overlaps a prediction] + (1 - alpha) * gamma * sum_j
    omega(R, R & P_j)``, where omega is the share of R's positional weight (``bias``) that
    prediction P_j covers and gamma the ``cardinality`` factor.

    Parameters
    ----------
    {parameters}
    alpha : float in [0, 1], default 0.0
        Weight of the existence reward: credit for touching an event at all. ``alpha=1``
        is event recall with ``overlap="any"``.
    {range}
    {zero}

    Returns
    -------
    float

    Raises
    ------
    {raises}

    Examples
    --------
    >>> y_true = [0, 1, 1, 1, 1, 0]
    >>> y_pred = [0, 0, 0, 1, 1, 0]  # the second half of the event
    >>> range_recall_score(y_true, y_pred)
    0.5
    >>> range_recall_score(y_true, y_pred, bias="front")  # weights 4, 3, 2, 1: caught late
    0.3
    >>> range_recall_score(y_true, y_pred, alpha=0.5)
    0.75
    """
    check_zero_division(zero_division)
    stats = _range_recall_stats(y_true, y_pred, pos_label=pos_label, alpha=alpha,
                                cardinality=cardinality, bias=bias, mask=mask, lengths=lengths)  # fmt: skip
    _check_some_step(stats)
    return _range_recall_finalize(stats, zero_division=zero_division)


@_range_docs
def range_precision_score(
    y_true,
    y_pred,
    *,
    pos_label=None,
    cardinality="reciprocal",
    bias="flat",
    zero_division="warn",
    mask=None,
    lengths=None,
):
    """Range-based precision (Tatbul et al., NeurIPS 2018): how much of each predicted event
    lies inside true events, averaged over predicted events.

    For a predicted event P: ``gamma * sum_i omega(P, P & R_i)``; there is no existence
    reward, as in the paper (precision judges the quality of each prediction).

    Parameters
    ----------
    {parameters}
    {range}
    {zero}

    Returns
    -------
    float

    Raises
    ------
    {raises}

    Examples
    --------
    >>> y_true = [0, 1, 1, 0, 0, 1, 1, 0]
    >>> y_pred = [0, 1, 1, 1, 1, 1, 0, 0]  # one prediction over both events
    >>> round(range_precision_score(y_true, y_pred, cardinality="one"), 6)  # 3 of 5 steps
    0.6
    >>> round(range_precision_score(y_true, y_pred), 6)  # over two events: halved
    0.3
    """
    check_zero_division(zero_division)
    stats = _range_precision_stats(y_true, y_pred, pos_label=pos_label,
                                   cardinality=cardinality, bias=bias, mask=mask,
                                   lengths=lengths)  # fmt: skip
    _check_some_step(stats)
    return _range_precision_finalize(stats, zero_division=zero_division)


# ----------------------------------------------------------------------- detection delay


def _delay_stats(
    y_true, y_pred, *, mask=None, lengths=None, sample_weight=None, pos_label=None, **_
):
    """``delays``: one float per true event, in order (NaN where missed); ``n_steps``."""
    _no_weights(sample_weight)
    true, pred, _ = _binary_events(y_true, y_pred, pos_label=pos_label, mask=mask, lengths=lengths)
    flagged = np.flatnonzero(pred.flags)
    first = np.searchsorted(flagged, true.start)
    hit = np.minimum(first, max(flagged.size - 1, 0))
    delays = np.full(true.size, np.nan)
    if flagged.size:
        caught = (first < flagged.size) & (flagged[hit] < true.stop)
        delays[caught] = (flagged[hit] - true.start)[caught]
    return {"delays": delays, "n_steps": _n_steps(true)}


def _delay_finalize(stats, **_):
    return np.asarray(stats["delays"], dtype=np.float64).copy()


@_docs
def detection_delays(y_true, y_pred, *, pos_label=None, mask=None, lengths=None):
    """How many steps after each true event's start its first flagged step came.

    A flag raised before the event and still on when it starts counts as delay 0. A
    missed event (no flagged step inside it) gets NaN, so the result pairs up with the
    events and ``np.isnan(delays).mean()`` is the miss rate. Look at the distribution (a
    histogram, quantiles), not only the mean: a detector that is usually instant but
    sometimes very late has a modest mean.

    Parameters
    ----------
    {parameters}

    Returns
    -------
    numpy.ndarray of float, shape (n_true_events,)
        In event order (by sequence, then by start).

    Raises
    ------
    {raises}

    Examples
    --------
    >>> y_true = [0, 1, 1, 1, 0, 1, 1, 0, 1, 1]
    >>> y_pred = [0, 0, 0, 1, 0, 1, 0, 0, 0, 0]
    >>> detection_delays(y_true, y_pred)
    array([ 2.,  0., nan])
    """
    stats = _delay_stats(y_true, y_pred, pos_label=pos_label, mask=mask, lengths=lengths)
    _check_some_step(stats)
    return _delay_finalize(stats)


def _event_options(**options):
    """Options checked once, when a stream is made (the stats check them again)."""
    check_zero_division(options.get("zero_division", "warn"))
    if "overlap" in options:
        _check_overlap(options["overlap"])
    if "bias" in options:
        _check_range_options(options.get("alpha", 0.0), options["cardinality"], options["bias"])
    return options


def _spec(function, stats, finalize, reduce):
    return {
        "stats": stats,
        "finalize": finalize,
        "function": function,
        "options": _event_options,
        "reduce": {**reduce, "n_steps": "sum"},
        "count": "n_steps",
        "input": "labels",
    }


_EVENT_COUNTS = {"caught": "sum", "n_true": "sum", "hits": "sum", "n_pred": "sum"}

#: How the event scores stream (see :mod:`~course_utils.metrics.stream`): every count
#: adds up over batches; the delays are concatenated (one per true event, in order).
STREAM_SPECS = {
    "event_recall_score": _spec(
        event_recall_score, _event_stats, _event_recall_finalize, _EVENT_COUNTS
    ),
    "event_precision_score": _spec(
        event_precision_score, _event_stats, _event_precision_finalize, _EVENT_COUNTS
    ),
    "event_f1_score": _spec(event_f1_score, _event_stats, _event_f1_finalize, _EVENT_COUNTS),
    "point_adjusted_f1_score": _spec(
        point_adjusted_f1_score,
        _point_adjusted_stats,
        _point_adjusted_f1_finalize,
        {"tp": "sum", "n_pred": "sum", "n_true": "sum"},
    ),
    "range_recall_score": _spec(
        range_recall_score,
        _range_recall_stats,
        _range_recall_finalize,
        {"recall_sum": "sum", "n_true": "sum"},
    ),
    "range_precision_score": _spec(
        range_precision_score,
        _range_precision_stats,
        _range_precision_finalize,
        {"precision_sum": "sum", "n_pred": "sum"},
    ),
    "detection_delays": _spec(detection_delays, _delay_stats, _delay_finalize, {"delays": "cat"}),
}
