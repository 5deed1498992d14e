"""Next-token metrics: per-token loss, perplexity, bits per token and top-k accuracy.

A next-token model gives, at every real step, unnormalised scores (logits) for each of the
``V`` tokens of its vocabulary; the metrics here take those logits and the true tokens:

- :func:`token_cross_entropy` -- the mean negative log-likelihood of the true token, in nats:
  what ``torch.nn.functional.cross_entropy(..., ignore_index=...)`` returns on the same tokens;
- :func:`perplexity` -- its exponential: the model is as unsure as a uniform choice among that
  many tokens (1 is perfect, ``V`` is a uniform guess);
- :func:`bits_per_token` -- the mean loss in bits, ``log2(perplexity)``;
- :func:`top_k_accuracy_score` -- the share of real tokens that are among the ``k``
  highest-scored, as scikit-learn's namesake computes it.

All four average over **real tokens**: every real token of every sequence counts once, so
a corpus's value is not the mean of its batches' or sequences' values (those weigh tokens of
short sequences or small batches more). Padding, marked with ``lengths=`` or ``mask=``, may
hold anything (``-100`` targets, NaN logits) and is never counted.

Inputs: ``y_true`` int tokens ``(N, T)`` (or any shape, e.g. flat ``(n,)``) and ``logits`` of
``y_true``'s shape plus a last axis of ``V`` scores. Lists, NumPy arrays and torch tensors
(CPU or CUDA) are accepted; computations run in float64.

Each metric is one pair of functions, sufficient statistics of a batch and a finaliser
(``STREAM_SPECS``), so a streaming evaluation over a ``DataLoader`` gives the same number.
"""

from __future__ import annotations

import math

import numpy as np

from course_utils._params import POSITIVE_INT, Boolean, check_params, validate_params
from course_utils.metrics._docs import MASK_AND_LENGTHS, fill_doc
from course_utils.metrics._validation import (
    _both,
    _check_mask,
    _lengths_to_mask,
    as_array,
    as_sample_weight,
)
from course_utils.metrics._warnings import warn

__all__ = [
    "STREAM_SPECS",
    "bits_per_token",
    "perplexity",
    "token_cross_entropy",
    "top_k_accuracy_score",
]

_SHARED = {
    "inputs": """\
    y_true : array-like of int, shape (N, T) or any shape
        The true next tokens, ids in ``[0, V)`` at real steps; padding may hold anything
        (e.g. ``-100``, PyTorch's ``ignore_index``). Floats are refused, even whole ones:
        token ids are integers.
    logits : array-like of float, shape ``y_true.shape + (V,)``
        Unnormalised scores for each of the ``V`` tokens (a softmax is applied here;
        log-probabilities work too, as they are logits). Must be finite at real steps.""",
    "vocab_size": """\
    vocab_size : int, optional
        The vocabulary size ``V`` the logits must have on their last axis (a check that the
        model and the data agree); None takes it from ``logits``.""",
    "sample_weight": """\
    sample_weight : array-like of float, optional
        One non-negative weight per token (shape of ``y_true``) or per sequence (its
        leading axes); the mean becomes a weighted mean.""",
    "selection": MASK_AND_LENGTHS,
}


# ------------------------------------------------------------------------ validation


def _selection(shape: tuple, *, mask, lengths) -> np.ndarray | None:
    """Real steps over ``shape`` (True = real), or None for all; may select nothing."""
    keep = None if lengths is None else _lengths_to_mask(lengths, shape, "y_true")
    if mask is not None:
        given = _check_mask(mask, shape, "y_true")
        keep = given if keep is None else _both(keep, given)
    return keep


_VOCAB = {"vocab_size": [POSITIVE_INT, None]}


def _check_vocab_size(vocab_size) -> int | None:
    check_params(_VOCAB, {"vocab_size": vocab_size})
    return None if vocab_size is None else int(vocab_size)


def _real_tokens(y_true, logits, *, mask, lengths, sample_weight, vocab_size):
    """Real steps as ``(tokens (n,), logits (n, V) float64, weights (n,) or None, V)``."""
    vocab_size = _check_vocab_size(vocab_size)
    t = as_array(y_true, "y_true")
    if t.dtype.kind not in "iu":
        raise ValueError(
            f"Expected `y_true` to hold integer token ids, but got dtype {t.dtype}. Token ids "
            "are integers: pass the targets themselves (e.g. `y.long()`), not probabilities "
            "or one-hot rows."
        )
    z = as_array(logits, "logits")
    if z.ndim != t.ndim + 1 or z.shape[:-1] != t.shape:
        raise ValueError(
            f"Expected `logits` to have the shape of `y_true` {t.shape} plus a last axis of "
            f"one score per token, e.g. {(*t.shape, vocab_size or 'V')}, but got {z.shape}."
        )
    n_tokens = z.shape[-1]
    if vocab_size is not None and n_tokens != vocab_size:
        raise ValueError(
            f"Expected `logits` to hold {vocab_size} scores per step (`vocab_size`), but its "
            f"last axis has {n_tokens}. Check that the model's head and the data share one "
            "vocabulary."
        )
    w = None if sample_weight is None else as_sample_weight(sample_weight, t.shape)
    keep = _selection(t.shape, mask=mask, lengths=lengths)
    if keep is not None:
        t, z = t[keep], z[keep]
        w = None if w is None else w[keep]
    t = t.reshape(-1).astype(np.int64)
    z = z.reshape(t.size, n_tokens)
    if t.size and (t.min() < 0 or t.max() >= n_tokens):
        bad = t[(t < 0) | (t >= n_tokens)][0]
        hint = (
            " If it marks padding, pass `lengths=` or `mask=` so it is not counted."
            if bad < 0
            else " Check that the model's head and the data share one vocabulary."
        )
        raise ValueError(
            f"Expected every real token of `y_true` to be in [0, {n_tokens}) (the last axis "
            f"of `logits`), but found {int(bad)}.{hint}"
        )
    z = z.astype(np.float64, copy=False)
    if not np.isfinite(z).all():
        raise ValueError(
            f"Expected `logits` to be finite at real steps, but found "
            f"{int(np.count_nonzero(~np.isfinite(z)))} NaN or infinite value(s). Padding may "
            "hold anything: mark it with `lengths=` or `mask=`."
        )
    if w is not None:
        w = np.ascontiguousarray(w.reshape(-1), dtype=np.float64)
    return t, z, w, n_tokens


def _require_tokens(stats: dict, name: str) -> None:
    if not stats["weight"][0] > 0:
        if stats["count"][0] > 0:
            raise ValueError(
                "Expected `sample_weight` to give some real token a positive weight, but all "
                "weights are 0."
            )
        raise ValueError(
            f"{name} needs at least one real token, but `mask`/`lengths` mark every step of "
            "`y_true` as padding."
        )


# --------------------------------------------------------------- loss and perplexity


def _nll(t: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Negative log-softmax of the true token, per row: ``logsumexp(z) - z[t]``."""
    if not t.size:
        return np.zeros(0)
    top = z.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(z - top).sum(axis=1)) + top[:, 0]
    return log_norm - z[np.arange(t.size), t]


def _token_cross_entropy_stats(
    y_true, logits, *, mask=None, lengths=None, sample_weight=None, vocab_size=None, normalize=True
) -> dict[str, np.ndarray]:
    """Sufficient statistics of one batch: summed (weighted) NLL, weight, token count, V.

    Takes every option of the public functions (``normalize`` only matters when finalising).
    """
    t, z, w, n_tokens = _real_tokens(
        y_true, logits, mask=mask, lengths=lengths, sample_weight=sample_weight,
        vocab_size=vocab_size,
    )  # fmt: skip
    nll = _nll(t, z)
    total = nll.sum() if w is None else nll @ w
    weight = float(t.size) if w is None else w.sum()
    return {
        "nll": np.array([total], dtype=np.float64),
        "weight": np.array([weight], dtype=np.float64),
        "count": np.array([t.size], dtype=np.int64),
        "vocab_size": np.array([n_tokens], dtype=np.int64),
    }


def _token_cross_entropy_finalize(stats, *, normalize=True, **options) -> float:
    """The mean (or, with ``normalize=False``, the sum); other options act on the stats."""
    if not normalize:
        return float(stats["nll"][0])
    return float(stats["nll"][0] / stats["weight"][0]) if stats["weight"][0] > 0 else math.nan


def _perplexity_finalize(stats, **options) -> float:
    return math.exp(_token_cross_entropy_finalize(stats))


def _bits_per_token_finalize(stats, **options) -> float:
    return _token_cross_entropy_finalize(stats) / math.log(2)


@validate_params({**_VOCAB, "normalize": [Boolean()]})
@fill_doc(**_SHARED)
def token_cross_entropy(
    y_true,
    logits,
    *,
    normalize=True,
    sample_weight=None,
    vocab_size=None,
    mask=None,
    lengths=None,
):
    """The per-token loss: mean negative log-likelihood of the true tokens, in nats.

    ``-log softmax(logits)[y_true]`` averaged over every real token (not per batch, not per
    sequence), exactly what ``torch.nn.functional.cross_entropy(logits.reshape(-1, V),
    y_true.reshape(-1), ignore_index=PAD)`` returns when padding holds ``PAD``. A uniform
    guess over ``V`` tokens scores ``log(V)``.

    Parameters
    ----------
    {inputs}
    normalize : bool, default True
        Return the mean; False returns the (weighted) sum over real tokens.
    {sample_weight}
    {vocab_size}
    {selection}

    Returns
    -------
    float
        Non-negative, in nats (divide by ``log(2)`` for bits: :func:`bits_per_token`).

    Raises
    ------
    ValueError
        If ``y_true`` is not integer, ``logits`` does not have ``y_true``'s shape plus one
        axis (or not ``vocab_size`` entries on it), a real token is outside ``[0, V)``,
        logits are not finite at real steps, or no real token is left.
    TypeError
        If an input does not hold numbers.

    Examples
    --------
    >>> import numpy as np
    >>> y = [[0, 2, -100]]  # the third step is padding
    >>> logits = np.log([[[0.5, 0.25, 0.25], [0.25, 0.25, 0.5], [1, 1, 1]]])
    >>> round(token_cross_entropy(y, logits, lengths=[2]), 4)  # -log(0.5) on both tokens
    0.6931
    """
    stats = _token_cross_entropy_stats(
        y_true, logits, mask=mask, lengths=lengths, sample_weight=sample_weight,
        vocab_size=vocab_size,
    )  # fmt: skip
    _require_tokens(stats, "token_cross_entropy")
    return _token_cross_entropy_finalize(stats, normalize=normalize)


@validate_params(_VOCAB)
@fill_doc(**_SHARED)
def perplexity(y_true, logits, *, sample_weight=None, vocab_size=None, mask=None, lengths=None):
    """Perplexity: ``exp`` of the mean negative log-likelihood over real tokens.

    A model with perplexity ``P`` is, on average, as unsure of the next token as a uniform
    choice among ``P`` tokens: 1 is a perfect model, ``V`` a uniform guess over the
    vocabulary. It equals ``exp(torch.nn.functional.cross_entropy(..., ignore_index=...))``
    and torchmetrics' ``Perplexity(ignore_index=...)`` on the same tokens.

    Only perplexities over the same vocabulary and tokenisation, on the same tokens, can be
    compared: a model of notes and a model of characters, or a vocabulary of 31 pitches and
    one of 88 keys, measure different things.

    Parameters
    ----------
    {inputs}
    {sample_weight}
    {vocab_size}
    {selection}

    Returns
    -------
    float
        At least 1.

    Raises
    ------
    ValueError
        If ``y_true`` is not integer, ``logits`` does not have ``y_true``'s shape plus one
        axis (or not ``vocab_size`` entries on it), a real token is outside ``[0, V)``,
        logits are not finite at real steps, or no real token is left.
    TypeError
        If an input does not hold numbers.

    Examples
    --------
    >>> import numpy as np
    >>> uniform = np.zeros((2, 3, 4))  # equal logits for 4 tokens
    >>> round(perplexity([[0, 1, 2], [3, -100, -100]], uniform, lengths=[3, 1]), 6)
    4.0
    >>> perplexity([[0, 1, 2]], np.zeros((1, 3, 4)), vocab_size=5)
    Traceback (most recent call last):
        ...
    ValueError: Expected `logits` to hold 5 scores per step (`vocab_size`), but its last axis has 4. Check that the model's head and the data share one vocabulary.
    """
    stats = _token_cross_entropy_stats(
        y_true, logits, mask=mask, lengths=lengths, sample_weight=sample_weight,
        vocab_size=vocab_size,
    )  # fmt: skip
    _require_tokens(stats, "perplexity")
    return _perplexity_finalize(stats)


@validate_params(_VOCAB)
@fill_doc(**_SHARED)
def bits_per_token(y_true, logits, *, sample_weight=None, vocab_size=None, mask=None, lengths=None):
    """The mean negative log-likelihood in bits: ``log2(perplexity)``.

    The number of bits per token an ideal coder driven by the model would need (for a
    character model: bits per character, "bpc"). A uniform guess over ``V`` tokens scores
    ``log2(V)``.

    Parameters
    ----------
    {inputs}
    {sample_weight}
    {vocab_size}
    {selection}

    Returns
    -------
    float
        Non-negative.

    Raises
    ------
    ValueError
        As :func:`perplexity`.
    TypeError
        If an input does not hold numbers.

    Examples
    --------
    >>> import numpy as np
    >>> bits_per_token([0, 1, 2, 3], np.zeros((4, 8)))  # uniform over 8 tokens: 3 bits
    3.0
    """
    stats = _token_cross_entropy_stats(
        y_true, logits, mask=mask, lengths=lengths, sample_weight=sample_weight,
        vocab_size=vocab_size,
    )  # fmt: skip
    _require_tokens(stats, "bits_per_token")
    return _bits_per_token_finalize(stats)


# ---------------------------------------------------------------------------- top-k


def _check_k(k) -> int:
    check_params({"k": [POSITIVE_INT]}, {"k": k})
    return int(k)


def _top_k_accuracy_stats(
    y_true,
    y_score,
    *,
    k=2,
    mask=None,
    lengths=None,
    sample_weight=None,
    vocab_size=None,
    normalize=True,
) -> dict[str, np.ndarray]:
    """Sufficient statistics of one batch: (weighted) hits, weight, token count, V."""
    k = _check_k(k)
    t, z, w, n_tokens = _real_tokens(
        y_true, y_score, mask=mask, lengths=lengths, sample_weight=sample_weight,
        vocab_size=vocab_size,
    )  # fmt: skip
    if t.size:
        # scikit-learn's order: a stable ascending sort, reversed, so that among tied scores
        # the higher token id ranks first. Rank of the true token = tokens ranked above it.
        true_score = z[np.arange(t.size), t][:, None]
        above = (z > true_score).sum(axis=1)
        tied_above = ((z == true_score) & (np.arange(n_tokens)[None, :] > t[:, None])).sum(axis=1)
        hits = (above + tied_above < k).astype(np.float64)
    else:
        hits = np.zeros(0)
    return {
        "hits": np.array([hits.sum() if w is None else hits @ w], dtype=np.float64),
        "weight": np.array([t.size if w is None else w.sum()], dtype=np.float64),
        "count": np.array([t.size], dtype=np.int64),
        "vocab_size": np.array([n_tokens], dtype=np.int64),
    }


def _top_k_accuracy_finalize(stats, *, normalize=True, **options) -> float:
    if not normalize:
        return float(stats["hits"][0])
    return float(stats["hits"][0] / stats["weight"][0]) if stats["weight"][0] > 0 else math.nan


@validate_params({**_VOCAB, "k": [POSITIVE_INT], "normalize": [Boolean()]})
@fill_doc(**_SHARED)
def top_k_accuracy_score(
    y_true,
    y_score,
    *,
    k=2,
    normalize=True,
    sample_weight=None,
    vocab_size=None,
    mask=None,
    lengths=None,
):
    """Share of real tokens whose true id is among the ``k`` highest-scored.

    scikit-learn's ``top_k_accuracy_score`` with ``labels=range(V)``, for every real step of
    padded sequences: the same numbers, ties included (among equal scores the higher token
    id ranks first, as scikit-learn's sort does). ``k=1`` is plain accuracy of the most
    likely token. For a next-token model, the share of steps where the true token is in the
    model's top ``k``: a readable companion to perplexity, blind to how the remaining
    probability is spread.

    Parameters
    ----------
    y_true : array-like of int, shape (N, T) or any shape
        The true tokens, as in :func:`perplexity`.
    y_score : array-like of float, shape ``y_true.shape + (V,)``
        Scores per token (logits or probabilities: only their order matters). Column ``j``
        scores token ``j``.
    k : int, default 2
        How many of the highest-scored tokens count as a hit (scikit-learn's default).
    normalize : bool, default True
        Return the share; False returns the (weighted) number of hits.
    {sample_weight}
    {vocab_size}
    {selection}

    Returns
    -------
    float
        In [0, 1] (with ``normalize=True``).

    Raises
    ------
    ValueError
        As :func:`perplexity` (with ``y_score`` for ``logits``), or if ``k`` is not positive.
    TypeError
        If ``k`` is not an int or an input does not hold numbers.

    Warns
    -----
    UndefinedMetricWarning
        If ``k >= V``: every token is a hit, as scikit-learn warns.

    Examples
    --------
    >>> scores = [[0.1, 0.6, 0.3], [0.5, 0.2, 0.3], [0.2, 0.3, 0.5]]
    >>> top_k_accuracy_score([1, 2, 0], scores, k=2)  # 1 is first, 2 second, 0 third
    0.6666666666666666
    >>> top_k_accuracy_score([1, 2, 0], scores, k=1)
    0.3333333333333333
    """
    stats = _top_k_accuracy_stats(
        y_true, y_score, k=k, mask=mask, lengths=lengths, sample_weight=sample_weight,
        vocab_size=vocab_size,
    )  # fmt: skip
    n_tokens = int(stats["vocab_size"][0])
    if k >= n_tokens:
        warn(
            f"'k' ({k}) greater than or equal to 'n_classes' ({n_tokens}) will result in a "
            "perfect score and is therefore meaningless."
        )
    _require_tokens(stats, "top_k_accuracy_score")
    return _top_k_accuracy_finalize(stats, normalize=normalize)


# --------------------------------------------------------------------------- streams

_LOSS_REDUCE = {"nll": "sum", "weight": "sum", "count": "sum", "vocab_size": "same"}

#: How each metric of this module streams (see course_utils.metrics.stream).
STREAM_SPECS = {
    "token_cross_entropy": {
        "stats": _token_cross_entropy_stats,
        "finalize": _token_cross_entropy_finalize,
        "reduce": _LOSS_REDUCE,
    },
    "perplexity": {
        "stats": _token_cross_entropy_stats,
        "finalize": _perplexity_finalize,
        "reduce": _LOSS_REDUCE,
    },
    "bits_per_token": {
        "stats": _token_cross_entropy_stats,
        "finalize": _bits_per_token_finalize,
        "reduce": _LOSS_REDUCE,
    },
    "top_k_accuracy_score": {
        "stats": _top_k_accuracy_stats,
        "finalize": _top_k_accuracy_finalize,
        "reduce": {"hits": "sum", "weight": "sum", "count": "sum", "vocab_size": "same"},
    },
}
