"""What no library hands you for sequences: whole-sequence accuracy, any metric per length
bucket, and confidence intervals from resampling whole sequences (or blocks of rows of a
series: :mod:`course_utils.metrics.resampling`).

``metric`` arguments are functions called as ``metric(y_true, y_pred)`` plus ``lengths=``
and/or ``mask=`` when those are given, like every metric in :mod:`course_utils.metrics`.
Fix other options with :func:`functools.partial`, e.g. ``partial(f1_score, average="macro")``.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import math
import numbers
import warnings
from dataclasses import dataclass, field

import numpy as np

from course_utils._params import (
    CONFIDENCE,
    CONFIDENCE_HINT,
    POSITIVE_INT,
    InvalidParameterError,
    Seed,
    StrOptions,
    check_params,
    validate_params,
)
from course_utils.metrics._docs import fill_doc
from course_utils.metrics._validation import (
    as_array,
    as_label_array,
    check_labels_of_one_kind,
    check_same_shape,
    require_steps,
    valid_selection,
)
from course_utils.metrics._warnings import UndefinedMetricWarning, warn
from course_utils.metrics.resampling import BLOCK_SCHEMES, draw_rows, optimal_block_length

__all__ = [
    "BootstrapResult",
    "LengthReport",
    "bootstrap_ci",
    "paired_bootstrap_ci",
    "per_length_report",
    "sequence_accuracy",
]


# ------------------------------------------------------------------ sequence accuracy


def sequence_accuracy(y_true, y_pred, *, mask=None, lengths=None):
    """Fraction of sequences whose every valid step is predicted right.

    Much stricter than per-step accuracy: one wrong step makes the whole sequence wrong.
    Sequences without any valid step are left out.

    Parameters
    ----------
    y_true, y_pred : array-like of labels, shape (batch, time, ...)
        True and predicted labels per step (numbers, bools or strings, one kind): lists,
        NumPy arrays or torch tensors. Padding may hold anything (e.g. ``-100``, PyTorch's
        ``ignore_index``).
    mask : array-like of bool, optional
        True marks a real step, False padding. Same shape as ``y_true`` or as its leading
        axes.
    lengths : array-like of int of shape (batch,), optional
        Steps ``t >= lengths[b]`` are padding. Combined with ``mask`` by AND.

    Returns
    -------
    float
        In [0, 1].

    Raises
    ------
    ValueError
        If the inputs are not at least 2-D, shapes differ, labels on valid steps are
        scores or NaN (not whole numbers), or ``mask``/``lengths`` do not fit or leave no
        step.
    TypeError
        If an input does not hold labels, or ``y_true`` and ``y_pred`` mix numbers and
        strings.

    Examples
    --------
    The second sequence has one wrong step, so half the sequences are right while 5 of 6
    valid steps are:

    >>> y_true = [[1, 0, -100], [0, 0, 1]]
    >>> y_pred = [[1, 0, 1], [0, 1, 1]]
    >>> sequence_accuracy(y_true, y_pred, lengths=[2, 3])
    0.5
    """
    stats = _sequence_accuracy_stats(y_true, y_pred, mask=mask, lengths=lengths)
    require_steps(stats["n_sequences"])
    return _sequence_accuracy_finalize(stats)


def _sequence_accuracy_stats(y_true, y_pred, *, mask=None, lengths=None, sample_weight=None, **_):
    """Sequences with a valid step, and how many of them are right at every valid step.

    A batch without any real step gives zeros (the public function raises on that).
    """
    if sample_weight is not None:
        raise ValueError("Expected `sample_weight` to be None: sequence_accuracy takes no weights.")
    a, b = as_label_array(y_true, "y_true"), as_label_array(y_pred, "y_pred")
    check_same_shape(a, b, ("y_true", "y_pred"))
    if a.ndim < 2:
        raise ValueError(
            f"Expected `y_true` shaped (batch, time, ...), but got shape {a.shape}. For one "
            "label per sequence, use accuracy_score."
        )
    keep = valid_selection(a.shape, mask=mask, lengths=lengths, name="y_true", allow_empty=True)
    if keep is None:
        keep = np.ones(a.shape, dtype=bool)
    keep = np.broadcast_to(keep.reshape(keep.shape + (1,) * (a.ndim - keep.ndim)), a.shape)
    # Only real steps must be labels (padding may hold anything, e.g. -100).
    checked = check_labels_of_one_kind({"y_true": a[keep], "y_pred": b[keep]})
    batch = a.shape[0]
    wrong_steps = np.zeros(a.shape, dtype=bool)
    wrong_steps[keep] = checked["y_true"] != checked["y_pred"]
    wrong = wrong_steps.reshape(batch, -1).any(axis=1)  # (batch,)
    has_steps = keep.reshape(batch, -1).any(axis=1)  # (batch,)
    return {
        "n_right": np.array(np.count_nonzero(has_steps & ~wrong)),
        "n_sequences": np.array(np.count_nonzero(has_steps)),
    }


def _sequence_accuracy_finalize(stats, **_) -> float:
    return float(stats["n_right"] / stats["n_sequences"])


# ------------------------------------------------------------------- per length


#: The bootstrap functions' options (also :func:`~course_utils.metrics.two_level_bootstrap_ci`'s).
BOOTSTRAP = {
    "n_resamples": [POSITIVE_INT],
    "confidence": [CONFIDENCE],
    "seed": [Seed()],
    "block": [StrOptions(BLOCK_SCHEMES), None],
    "block_length": [POSITIVE_INT, StrOptions(("auto",)), None],
}
BOOTSTRAP_HINTS = {"confidence": CONFIDENCE_HINT, "block_length": "An int is rows per block."}


@dataclass(frozen=True)
class LengthReport:
    """A metric per bucket of sequence lengths: ``rows`` is a list of dicts.

    Each row has ``lengths`` (a label such as ``"5-9"``), ``min_length``, ``max_length``,
    ``n_sequences``, ``n_steps`` and ``value`` (nan for a bucket without valid steps).
    """

    metric: str
    rows: list = field(default_factory=list)

    def to_frame(self):
        """The rows as a :class:`pandas.DataFrame` (pandas is imported only here)."""
        import pandas as pd

        return pd.DataFrame(self.rows)

    def __repr__(self) -> str:
        width = max(10, len(self.metric))
        lines = [f"{'lengths':>9} {'sequences':>9} {'steps':>7} {self.metric:>{width}}"]
        for row in self.rows:
            lines.append(
                f"{row['lengths']:>9} {row['n_sequences']:>9} {row['n_steps']:>7} "
                f"{row['value']:>{width}.4f}"
            )
        return "\n".join(lines)


def _by_keyword(func):
    """Refuse extra positional arguments with a message that says which keyword to use.

    Python's own error ("takes 2 positional arguments but 3 were given") does not say that
    the third is ``lengths=``; until issue 28 ``per_length_report`` took it positionally.
    """
    params = inspect.signature(func).parameters.values()
    positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    keywords = [p.name for p in params if p.kind is p.KEYWORD_ONLY]

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if len(args) > len(positional):
            extra = keywords[: len(args) - len(positional)]
            by_keyword = ", ".join(f"{name}=..." for name in extra)
            raise TypeError(
                f"{func.__name__}() takes {len(positional)} positional arguments "
                f"({', '.join(positional)}) but {len(args)} were given: pass "
                f"{', '.join(f'`{name}=`' for name in extra)} by keyword, as in "
                f"{func.__name__}({', '.join(positional)}, {by_keyword})."
            )
        return func(*args, **kwargs)

    return wrapper


@_by_keyword
def per_length_report(y_true, y_pred, *, lengths, metric, bins=None, mask=None):
    """Compute ``metric`` separately for sequences grouped by length.

    Answers "does the model get worse on long sequences?". With ``(batch, time, ...)``
    inputs ``lengths`` also marks padding, as everywhere in this package; with one label
    (or score) per sequence, ``(batch,)`` inputs, it only groups them.

    Parameters
    ----------
    y_true, y_pred : array-like, shape (batch, ...)
        What ``metric`` takes: labels, predictions or scores. ``y_pred`` may carry more
        axes after ``y_true``'s, e.g. logits ``(batch, time, V)`` for
        :func:`~course_utils.metrics.perplexity`.
    lengths : array-like of int of shape (batch,)
        Each sequence's length.
    metric : callable
        Called as ``metric(y_true[rows], y_pred[rows], lengths=lengths[rows])`` per bucket
        (``lengths=`` only for inputs with a time axis; ``mask=`` too when given).
    bins : None, int or sequence of int, default None
        None: one bucket per distinct length. An int ``k``: ``k`` buckets of (nearly) equal
        width between the shortest and longest length. A sequence of increasing edges
        ``[e0, e1, ..., ek]``: buckets ``e0..e1-1``, ``e1..e2-1``, ..., and the last
        ``e(k-1)..ek`` includes ``ek`` (as :func:`numpy.histogram` does).
    mask : array-like of bool, optional
        Passed on to ``metric`` for each bucket's rows.

    Returns
    -------
    LengthReport
        ``.rows`` (list of dicts, one per bucket, shortest first) and ``.to_frame()``.

    Raises
    ------
    ValueError
        If shapes differ, ``lengths`` do not fit, ``bins`` is invalid or leaves some length
        outside every bucket; or whatever ``metric`` raises.
    TypeError
        If ``metric`` is not callable or does not return one number, or ``lengths`` is
        passed by position (pass ``lengths=``).

    Examples
    --------
    >>> from course_utils.metrics import accuracy_score
    >>> y_true = [[1, 1, 0, 0], [0, 1, 0, 0], [1, 0, 1, 1]]
    >>> y_pred = [[1, 1, 1, 1], [0, 0, 0, 0], [1, 0, 1, 0]]
    >>> per_length_report(
    ...     y_true, y_pred, lengths=[2, 3, 4], metric=accuracy_score, bins=[2, 4, 6]
    ... )
      lengths sequences   steps accuracy_score
          2-3         2       5         0.8000
          4-6         1       4         0.7500
    """
    _check_callable(metric)
    a, b = as_label_array(y_true, "y_true"), as_label_array(y_pred, "y_pred")
    _check_prediction_shape(a, b, "y_pred")
    lengths = _group_lengths(lengths, a.shape[0])
    buckets = _buckets(lengths, bins)
    mask = None if mask is None else as_array(mask, "mask")
    # With a time axis, lengths mark padding too; otherwise only mask can drop sequences.
    has_time = a.ndim >= 2
    keep = valid_selection(a.shape, mask=mask, lengths=lengths if has_time else None, name="y_true")
    if keep is None:
        steps_per_row = np.full(a.shape[0], a.shape[1] if has_time else 1)
    else:
        steps_per_row = keep.reshape(a.shape[0], -1).sum(axis=1)

    rows = []
    for low, high in buckets:
        in_bucket = np.flatnonzero((lengths >= low) & (lengths <= high))
        n_steps = int(steps_per_row[in_bucket].sum())
        value = math.nan
        if n_steps > 0:
            kwargs = {"lengths": lengths[in_bucket]} if has_time else {}
            if mask is not None:
                kwargs["mask"] = mask[in_bucket]
            value = _as_number(metric(a[in_bucket], b[in_bucket], **kwargs))
        rows.append(
            {
                "lengths": str(low) if low == high else f"{low}-{high}",
                "min_length": low,
                "max_length": high,
                "n_sequences": int(in_bucket.size),
                "n_steps": n_steps,
                "value": value,
            }
        )
    return LengthReport(metric=_name(metric), rows=rows)


def _group_lengths(lengths, batch: int) -> np.ndarray:
    lengths = as_array(lengths, "lengths")
    if lengths.dtype.kind not in "iu" or lengths.ndim != 1:
        raise ValueError(
            f"Expected `lengths` to be a 1-D array of ints, but got dtype {lengths.dtype} and "
            f"shape {lengths.shape}."
        )
    if lengths.shape[0] != batch:
        raise ValueError(
            f"Expected `lengths` to have one entry per sequence ({batch}), but got "
            f"{lengths.shape[0]}."
        )
    if lengths.min() < 0:
        raise ValueError(f"Expected `lengths` to be non-negative, but got {lengths.min()}.")
    return lengths.astype(np.int64)


def _buckets(lengths: np.ndarray, bins) -> list[tuple[int, int]]:
    """Inclusive ``(low, high)`` length ranges, shortest first."""
    shortest, longest = int(lengths.min()), int(lengths.max())
    if bins is None:
        return [(n, n) for n in np.unique(lengths).tolist()]
    if isinstance(bins, numbers.Integral) and not isinstance(bins, bool):
        n_values = longest - shortest + 1
        if not 1 <= bins <= n_values:
            raise InvalidParameterError(
                f"Expected `bins` to be an int in [1, {n_values}] (the number of possible "
                f"lengths from {shortest} to {longest}), but got {bins}."
            )
        chunks = np.array_split(np.arange(shortest, longest + 1), bins)
        return [(int(c[0]), int(c[-1])) for c in chunks]
    edges = np.asarray(bins)
    if edges.ndim != 1 or edges.size < 2 or edges.dtype.kind not in "iu":
        raise ValueError(
            f"Expected `bins` to be None, an int, or at least 2 increasing int edges, but got "
            f"{bins!r}."
        )
    if (np.diff(edges) <= 0).any():
        raise ValueError(f"Expected the edges in `bins` to increase, but got {edges.tolist()}.")
    if shortest < edges[0] or longest > edges[-1]:
        raise ValueError(
            f"Expected `bins` to cover every length ({shortest} to {longest}), but the edges "
            f"span {int(edges[0])} to {int(edges[-1])}."
        )
    ranges = [(int(lo), int(hi) - 1) for lo, hi in itertools.pairwise(edges[:-1])]
    return [*ranges, (int(edges[-2]), int(edges[-1]))]


# --------------------------------------------------------------------- bootstrap

_BLOCKS = """\
    block_length : int or "auto", optional
        Resample runs of this many consecutive rows instead of single rows, for rows that
        depend on their neighbours, such as the months of one forecast's errors. ``"auto"``
        estimates it with :func:`optimal_block_length` (Politis and White) from the metric on
        each single row (for a loss such as :func:`mean_absolute_error`, the per-row loss, or
        for a paired interval the per-row loss difference; other metrics need an int).
        Choose it longer than the dependence lasts, and short enough that a resample holds
        many blocks: with ``n`` rows a resample joins about ``n / block_length`` blocks, and
        with fewer than about 10 the interval is rough. None: rows are drawn one at a time,
        independently (the default, right for whole sequences).
    block : {"circular", "moving", "stationary"}, optional
        How blocks are drawn (default ``"circular"`` when ``block_length`` is given; given
        alone, ``block_length`` is ``"auto"``). ``"circular"``: blocks of ``block_length``
        rows that wrap from the last row to the first, so every row is drawn equally often
        and the resamples are centred on the estimate. ``"moving"``: blocks that do not
        wrap (Künsch's moving-block bootstrap), which draw the first and last rows less
        often. ``"stationary"``: wrapping blocks of random, geometric lengths with mean
        ``block_length`` (Politis and Romano's stationary bootstrap). See
        :mod:`course_utils.metrics.resampling`."""


@dataclass(frozen=True, eq=False)
class BootstrapResult:
    """A metric's value on the data and a percentile bootstrap interval around it.

    Attributes
    ----------
    estimate : float
        The metric on all the data (for a paired test: metric(a) - metric(b)).
    low, high : float
        The interval's ends.
    confidence : float
        Its confidence level, e.g. 0.95.
    samples : numpy.ndarray of shape (n_resamples,)
        The metric on each resample (nan where it was undefined).
    block : str or None
        The block scheme (None: single rows drawn independently).
    block_length : int
        Rows per block (1 for single rows; the mean length for ``"stationary"``).
    """

    estimate: float
    low: float
    high: float
    confidence: float
    samples: np.ndarray = field(repr=False)
    block: str | None = None
    block_length: int = 1

    def __str__(self) -> str:
        percent = f"{100 * self.confidence:g}%"
        return f"{self.estimate:.4f} ({percent} CI {self.low:.4f} to {self.high:.4f})"

    def to_frame(self):
        """One row: estimate, low, high, confidence (pandas is imported only here)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "estimate": self.estimate,
                    "low": self.low,
                    "high": self.high,
                    "confidence": self.confidence,
                    "block": self.block,
                    "block_length": self.block_length,
                }
            ]
        )


@validate_params(BOOTSTRAP, hints=BOOTSTRAP_HINTS)
@fill_doc(blocks=_BLOCKS)
def bootstrap_ci(
    metric,
    y_true,
    y_pred,
    *,
    n_resamples=1000,
    confidence=0.95,
    seed=0,
    block_length=None,
    block=None,
    mask=None,
    lengths=None,
):
    """Confidence interval of a metric from resampling whole sequences with replacement.

    Steps of one sequence are not independent, so resampling steps would give intervals
    that are too narrow; resampling sequences (rows of the first axis) keeps each sequence
    together. The interval is the percentile interval of the resampled values.

    Sequences without any real step (``lengths`` 0, or a row that ``mask`` leaves empty)
    add nothing to any metric: with single rows they are dropped before resampling, so no
    resample is left without a real step. With blocks they keep their place in the series,
    and a resample that draws only such rows counts as undefined (nan).

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_pred, [lengths=..., mask=...])`` returning one number, e.g.
        :func:`course_utils.metrics.f1_score`.
    y_true : array-like, shape (batch, ...)
        Targets (labels of any kind, or values); rows are sequences.
    y_pred : array-like, shape (batch, ...) or (batch, ..., *more)
        What ``metric`` takes as its second argument: ``y_true``'s shape (predictions,
        scores), or that shape followed by more axes, such as class probabilities
        ``(batch, C)`` or logits ``(batch, time, V)`` for a per-token metric like
        :func:`~course_utils.metrics.perplexity`. Each resample keeps whole rows.
    n_resamples : int, default 1000
        Number of resamples.
    confidence : float, default 0.95
        Confidence level, in (0, 1).
    seed : int, default 0
        Seed of the resampling, in ``[0, 2**32)`` (a local generator: global random state
        is left alone).
    {blocks}
    mask, lengths : array-like, optional
        Passed to ``metric``, resampled along with the rows.

    Returns
    -------
    BootstrapResult
        ``.estimate`` (the metric on all data), ``.low``, ``.high``, ``.confidence``,
        ``.samples``, ``.block`` and ``.block_length``.

    Raises
    ------
    ValueError
        If an option is out of range, inputs disagree on the number of sequences, no
        sequence has a real step, or ``metric`` raises on the full data.
    TypeError
        If ``metric`` is not callable or does not return one number.

    Warns
    -----
    UndefinedMetricWarning
        Once, if the metric was undefined on some resamples (e.g. only one class drawn).

    Examples
    --------
    >>> from course_utils.metrics import accuracy_score
    >>> y_true = [[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 1]]
    >>> y_pred = [[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 1, 0]]
    >>> result = bootstrap_ci(accuracy_score, y_true, y_pred, lengths=[3, 2, 3, 3])
    >>> round(result.estimate, 4), result.low <= result.estimate <= result.high
    (0.8182, True)

    Forecast errors of consecutive months depend on each other: resample runs of 6 months
    (circular blocks). The interval is wider than the one that treats months as
    independent.

    >>> import numpy as np
    >>> from course_utils.metrics import mean_absolute_error
    >>> rng = np.random.default_rng(0)
    >>> errors = np.convolve(rng.normal(size=60), np.ones(6), mode="same")  # smooth: dependent
    >>> months = bootstrap_ci(mean_absolute_error, errors, np.zeros(60))
    >>> blocks = bootstrap_ci(mean_absolute_error, errors, np.zeros(60), block_length=6)
    >>> blocks.block, blocks.high - blocks.low > months.high - months.low
    ('circular', True)
    >>> auto = bootstrap_ci(mean_absolute_error, errors, np.zeros(60), block_length="auto")
    >>> auto.block_length > 1
    True

    A per-token metric takes logits with a vocabulary axis; whole sequences are resampled:

    >>> from course_utils.metrics import perplexity
    >>> tokens, logits = rng.integers(0, 5, (20, 8)), rng.normal(size=(20, 8, 5))
    >>> ppl = bootstrap_ci(perplexity, tokens, logits, lengths=rng.integers(1, 9, 20))
    >>> bool(ppl.low < ppl.estimate < ppl.high)
    True
    """
    _check_bootstrap_options(metric, n_resamples, confidence, seed)
    t, p, m_lengths, m_mask = _resampling_inputs(y_true, y_pred, lengths=lengths, mask=mask)

    def statistic(rows):
        return _call(metric, t, p, m_lengths, m_mask, rows=rows)

    return _bootstrap(
        statistic, t, m_lengths, m_mask, n_resamples, confidence, seed, block, block_length
    )


@validate_params(BOOTSTRAP, hints=BOOTSTRAP_HINTS)
@fill_doc(blocks=_BLOCKS)
def paired_bootstrap_ci(
    metric,
    y_true,
    y_pred_a,
    y_pred_b,
    *,
    n_resamples=1000,
    confidence=0.95,
    seed=0,
    block_length=None,
    block=None,
    mask=None,
    lengths=None,
):
    """Confidence interval of ``metric(a) - metric(b)`` for two models on the same sequences.

    Both models are scored on the same resampled sequences, so the interval reflects the
    difference between the models, not how hard each resample happens to be. If the
    interval excludes 0 the data support a real difference on this kind of data ("is this
    GRU better than this RNN?"). The pairing is by test sequence, which is real: both models
    saw the same inputs. For "is the architecture better", over training seeds too, see
    :func:`two_level_bootstrap_ci`.

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_pred, [lengths=..., mask=...])`` returning one number.
    y_true : array-like, shape (batch, ...)
        Shared targets; rows are sequences.
    y_pred_a, y_pred_b : array-like, shape of ``y_true`` (or followed by more axes)
        The two models' predictions, scores, or logits ``(batch, time, V)``.
    n_resamples : int, default 1000
        Number of resamples.
    confidence : float, default 0.95
        Confidence level, in (0, 1).
    seed : int, default 0
        Seed of the resampling, in ``[0, 2**32)`` (a local generator).
    {blocks}
        Both models get the same blocks.
    mask, lengths : array-like, optional
        Passed to ``metric``, resampled along with the rows.

    Returns
    -------
    BootstrapResult
        For the difference ``metric(a) - metric(b)``.

    Raises
    ------
    ValueError
        If an option is out of range, inputs disagree on the number of sequences, no
        sequence has a real step, or ``metric`` raises on the full data.
    TypeError
        If ``metric`` is not callable or does not return one number.

    Warns
    -----
    UndefinedMetricWarning
        Once, if the metric was undefined on some resamples.

    Examples
    --------
    >>> from course_utils.metrics import accuracy_score
    >>> y_true = [1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0]
    >>> gru = [0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0]
    >>> rnn = [0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0]
    >>> print(paired_bootstrap_ci(accuracy_score, y_true, gru, rnn))
    0.1875 (95% CI -0.0625 to 0.4375)

    The GRU is right on 3 more of 16 sequences, yet the interval includes 0: this little
    data cannot tell the two models apart.
    """
    _check_bootstrap_options(metric, n_resamples, confidence, seed)
    t, a, m_lengths, m_mask = _resampling_inputs(y_true, y_pred_a, lengths=lengths, mask=mask)
    b = as_label_array(y_pred_b, "y_pred_b")
    _check_prediction_shape(t, b, "y_pred_b")

    def statistic(rows):
        return _call(metric, t, a, m_lengths, m_mask, rows=rows) - _call(
            metric, t, b, m_lengths, m_mask, rows=rows
        )

    return _bootstrap(
        statistic, t, m_lengths, m_mask, n_resamples, confidence, seed, block, block_length
    )


def _bootstrap(
    statistic,
    t,
    lengths,
    mask,
    n_resamples,
    confidence,
    seed,
    block,
    block_length,
    *,
    resample_statistic=None,
) -> BootstrapResult:
    """``statistic(rows)`` on all rows and on each resample of rows (``resample_statistic``
    on the resamples instead, when given: the two-level bootstrap draws seeds there)."""
    resample_statistic = resample_statistic or statistic
    n_rows = t.shape[0]
    real = _rows_with_real_steps(t, lengths, mask)  # (n_rows,) bool
    block, block_length = _check_blocks(block, block_length, n_rows)
    estimate = statistic(None)  # on all rows; also surfaces input errors before resampling
    if block_length == "auto":
        block_length = _auto_block_length(statistic, n_rows, real, block)
    if block is None:
        pool = np.flatnonzero(real)  # rows that carry a real step: every resample has one
    else:
        pool = np.arange(n_rows)  # the series keeps its order; empty rows keep their place
    rng = np.random.default_rng(seed)
    samples = np.empty(n_resamples)  # (n_resamples,)
    n_undefined, other_warnings = 0, {}
    for i in range(n_resamples):
        rows = pool[draw_rows(rng, pool.size, block, block_length)]
        if not real[rows].any():
            samples[i] = math.nan
            n_undefined += 1
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            samples[i] = resample_statistic(rows)
        undefined = [w for w in caught if issubclass(w.category, UndefinedMetricWarning)]
        n_undefined += bool(undefined)
        for w in caught:  # other warnings are passed on, each once
            if w not in undefined:
                other_warnings.setdefault((w.category, str(w.message)), w)
    for category, message in other_warnings:
        warn(message, category)
    if n_undefined:
        warn(
            f"The metric was undefined on {n_undefined} of {n_resamples} resamples (e.g. only "
            "one class drawn, or no real step); those count as their replacement value, or "
            "are left out when nan. Use more sequences or a metric defined on every resample."
        )
    tail = (1 - confidence) / 2
    if np.isnan(samples).all():
        low = high = math.nan
    else:
        low, high = np.nanquantile(samples, [tail, 1 - tail]).tolist()
    return BootstrapResult(
        estimate, low, high, confidence, samples, block=block, block_length=int(block_length)
    )


def _rows_with_real_steps(t: np.ndarray, lengths, mask) -> np.ndarray:
    """Which rows hold at least one real step (all rows when neither option is given)."""
    keep = valid_selection(t.shape, mask=mask, lengths=lengths, name="y_true")
    if keep is None:
        return np.ones(t.shape[0], dtype=bool)
    return keep.reshape(t.shape[0], -1).any(axis=1)


def _auto_block_length(statistic, n_rows: int, real: np.ndarray, block: str) -> int:
    """Politis-White block length from the metric on each single row."""
    values = np.full(n_rows, math.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for row in np.flatnonzero(real):
            try:
                values[row] = statistic(np.array([row]))
            except (ValueError, ZeroDivisionError):
                break
    if not np.isfinite(values[real]).all():
        raise ValueError(
            'Expected `metric` to be defined on single rows for `block_length="auto"` (a loss '
            "such as mean_absolute_error), but it is not. Pass an int, e.g. "
            "`round(optimal_block_length(per_row_loss).circular)`."
        )
    lengths = optimal_block_length(values[real])
    chosen = lengths.stationary if block == "stationary" else lengths.circular
    return int(min(max(1, round(chosen)), n_rows))


def _resampling_inputs(y_true, y_pred, *, lengths, mask):
    t, p = as_label_array(y_true, "y_true"), as_label_array(y_pred, "y_pred")
    _check_prediction_shape(t, p, "y_pred")
    extras = []
    for name, value in (("lengths", lengths), ("mask", mask)):
        if value is not None:
            value = as_array(value, name)
            if value.ndim == 0 or value.shape[0] != t.shape[0]:
                raise ValueError(
                    f"Expected `{name}` to have one entry per sequence ({t.shape[0]}, the first "
                    f"axis of `y_true`), but got shape {value.shape}."
                )
        extras.append(value)
    return t, p, *extras


def _check_prediction_shape(t: np.ndarray, p: np.ndarray, name: str) -> None:
    """``p`` has ``t``'s shape, or that shape followed by more axes (scores per class,
    logits over a vocabulary, quantiles): whole rows are resampled either way."""
    if p.ndim == 0 or t.ndim == 0:
        check_same_shape(t, p, ("y_true", name))
    if p.shape[: t.ndim] != t.shape:
        logits = f"({', '.join(map(str, t.shape))}, V)"
        raise ValueError(
            f"Expected `{name}` to have the shape of `y_true` {t.shape}, or that shape "
            f"followed by more axes (e.g. logits {logits} for perplexity), but got "
            f"{p.shape}. Rows (the first axis) are the sequences resampled."
        )


def _call(metric, t, p, lengths, mask, *, rows):
    """``metric`` on the given rows (all when None), passing lengths/mask only if set."""

    def take(x):
        return x if rows is None or x is None else x[rows]

    kwargs = {name: take(x) for name, x in (("lengths", lengths), ("mask", mask)) if x is not None}
    return _as_number(metric(take(t), take(p), **kwargs))


def _check_bootstrap_options(metric, n_resamples, confidence, seed) -> None:
    _check_callable(metric)
    check_params(
        BOOTSTRAP,
        {"n_resamples": n_resamples, "confidence": confidence, "seed": seed},
    )


def _check_blocks(block, block_length, n_rows: int):
    """``(block, block_length)``: block None with length 1 for single rows."""
    check_params(BOOTSTRAP, {"block": block, "block_length": block_length})
    if block_length is None:
        return (None, 1) if block is None else (block, "auto")
    if isinstance(block_length, str):
        return block or "circular", "auto"
    if block_length > n_rows:
        raise InvalidParameterError(
            f"Expected `block_length` to be in [1, {n_rows}] (the number of rows), but got "
            f"{block_length}."
        )
    return block or "circular", int(block_length)


def _check_callable(metric) -> None:
    if not callable(metric):
        raise TypeError(f"Expected `metric` to be a function such as f1_score, but got {metric!r}.")


def _as_number(value) -> float:
    if value is None or isinstance(value, str | bytes) or np.ndim(value) != 0:
        shown = "None" if value is None else f"shape {np.shape(value)}"
        if isinstance(value, str | bytes):
            shown = repr(value)
        raise TypeError(
            f"Expected `metric` to return one number, but it returned {shown}. Return a "
            "float (e.g. `return float(...)`), or choose an average, e.g. "
            "`partial(f1_score, average='macro')`."
        )
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"Expected `metric` to return one number, but it returned {value!r}."
        ) from None


def _name(metric) -> str:
    inner = getattr(metric, "func", metric)  # functools.partial
    return getattr(inner, "__name__", type(inner).__name__)


STREAM_SPECS = {
    "sequence_accuracy": {
        "stats": _sequence_accuracy_stats,
        "finalize": _sequence_accuracy_finalize,
        "function": sequence_accuracy,
        "reduce": {"n_right": "sum", "n_sequences": "sum"},
        "count": "n_sequences",
        "input": "labels",
    },
}
