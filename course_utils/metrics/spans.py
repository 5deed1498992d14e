"""Segment-level (span) scores for taggers: a segment counts only if it is found whole.

A tagger labels every step, but the people who use it act on *segments*: an entity in a
sentence, a job that ran from step 12 to step 40. A predicted segment is a true positive
only if a true segment has the same label, the same first step and the same last step;
precision is the share of predicted segments that are right, recall the share of true
segments found. One wrong step in the middle of a segment costs one step in step-level
F1, but two wrong segments and one missed here.

What a segment is (``scheme=``)
-------------------------------
- ``"runs"`` (the default for label arrays such as class indices): a segment is a maximal
  run of one label other than ``background``. This is the course's tagger: ``0`` idle,
  ``1`` job A, ``2`` job B, and a segment is one job from its first step to its last.
- ``"IOB1"``, ``"IOB2"``, ``"IOE2"``, ``"IOBES"``: tag strings such as ``"B-PER"``, read as
  `seqeval <https://github.com/chakki-works/seqeval>`_ 1.2.2 reads them. The numbers
  equal seqeval's, in both modes (the tests check it on random tag sequences).

How inconsistent tags are read (``mode=``)
------------------------------------------
- ``"default"``: conlleval's lenient rules, as in seqeval's default mode. Any of the
  prefixes ``B-``, ``I-``, ``E-``, ``S-`` and the tag ``O`` are understood; an ``I-X`` after
  ``O`` or after ``B-Y`` *starts* a segment of ``X``. With ``scheme=None`` a tag with any
  other prefix (``"U-PER"``, ``"PER"``, ``"."``) is read as seqeval reads it (its first
  character as the prefix, the text after the first ``-`` as the label) and a
  ``UserWarning`` names it, as seqeval warns. With a scheme given, such a tag is a
  ``ValueError`` instead.
- ``"strict"``: seqeval's strict mode (``mode="strict"`` with ``scheme=``): a segment must
  follow the scheme exactly, so an ``I-X`` after ``B-Y`` or after ``O`` in IOB2 belongs to
  no segment at all. A tag whose prefix the scheme does not allow is a ``ValueError`` (seqeval
  raises ``ValueError``, or a bare ``KeyError`` for a letter it does not know). Strict mode
  needs a scheme: seqeval silently falls back to the default mode without one; here it is an
  error.

Sequences and padding
---------------------
``y_true`` and ``y_pred`` are lists of sequences (lists of tags, of any lengths), or
``(N, T)`` arrays or tensors with ``lengths=``/``mask=``. Steps that ``mask``/``lengths``
drop are removed and the rest of each sequence joined, as Hugging Face's token-
classification examples drop ``-100`` sub-word positions before calling seqeval; positions
are counted in the kept steps. ``y_true[i]`` and ``y_pred[i]`` must have the same length
(a ``ValueError`` names the first ``i`` where they do not).

Streaming
---------
Every score is ``finalize(stats(batch))`` (see ``STREAM_SPECS``): the statistics are the
per-label counts of true positives, predicted and true segments, which add up over
batches. Labels seen in one batch and not another are re-indexed to the union (the
``"union"`` reduction of :mod:`~course_utils.metrics.stream`); ``labels=`` fixes them. One caveat, for malformed tags only: in the
default mode seqeval carries its reading state from one sequence to the next (a tag such
as ``"X"`` at the end of one sequence can end a segment in the next); batches of a stream
start afresh.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from course_utils._validation import is_tensor, to_numpy
from course_utils.metrics._docs import fill_doc
from course_utils.metrics._validation import (
    _both,
    _check_mask,
    _lengths_to_mask,
    check_bool,
    check_option,
    check_zero_division,
)
from course_utils.metrics._warnings import warn
from course_utils.metrics.classification import _average, _prfs_from_counts

__all__ = [
    "Span",
    "extract_spans",
    "span_classification_report",
    "span_f1_score",
    "span_precision_score",
    "span_recall_score",
]

SCHEMES = ("IOB1", "IOB2", "IOE2", "IOBES", "runs", None)
MODES = ("default", "strict")
AVERAGES = ("micro", "macro", "weighted", None)

# The prefixes each tag scheme allows (``O`` is always allowed).
_ALLOWED = {
    "IOB1": frozenset("IOB"),
    "IOB2": frozenset("IOB"),
    "IOE2": frozenset("IOE"),
    "IOBES": frozenset("IOBES"),
}

# Strict reading: seqeval 1.2.2's patterns (seqeval/scheme.py), one triple per rule:
# (prefixes of the previous token, prefixes of this token, label condition). "ANY" is every
# prefix; "same"/"diff" compare the two tokens' labels, None accepts either.
_ANY = "IOBESUL"
_PATTERNS = {
    "IOB1": {
        "start": [("O", "I", None), ("I", "I", "diff"), ("B", "I", None), ("I", "B", "same"),
                  ("B", "B", "same")],
        "inside": [("B", "I", "same"), ("I", "I", "same")],
        "end": [("I", "I", "diff"), ("I", "O", None), ("I", "B", None), ("B", "O", None),
                ("B", "I", "diff"), ("B", "B", "same")],
    },
    "IOB2": {
        "start": [(_ANY, "B", None)],
        "inside": [("B", "I", "same"), ("I", "I", "same")],
        "end": [("I", "O", None), ("I", "I", "diff"), ("I", "B", None), ("B", "O", None),
                ("B", "I", "diff"), ("B", "B", None)],
    },
    "IOE2": {
        "start": [("O", "I", None), ("O", "E", None), ("E", "I", None), ("E", "E", None),
                  ("I", "I", "diff"), ("I", "E", "diff")],
        "inside": [("I", "E", "same"), ("I", "I", "same")],
        "end": [("E", _ANY, None)],
    },
    "IOBES": {
        "start": [(_ANY, "B", None), (_ANY, "S", None)],
        "inside": [("B", "I", "same"), ("B", "E", "same"), ("I", "I", "same"),
                   ("I", "E", "same")],
        "end": [("S", _ANY, None), ("E", _ANY, None)],
    },
}  # fmt: skip


class Span(NamedTuple):
    """One segment: ``sequence`` (its index), ``label``, and its steps ``start:stop``.

    ``stop`` is exclusive, as in a Python slice: the segment covers ``y[sequence][start:stop]``
    (positions counted in the kept steps when ``mask``/``lengths`` drop some).
    """

    sequence: int
    label: object
    start: int
    stop: int


# ------------------------------------------------------------------------------ inputs


def _row(value, name: str, index: int | None) -> np.ndarray:
    """One sequence as a 1-D NumPy array of numbers or strings (may be empty)."""
    where = f"`{name}`" if index is None else f"`{name}[{index}]`"
    try:
        arr = to_numpy(value) if is_tensor(value) else np.asarray(value)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"Expected {where} to be a sequence of tags or labels, but it could not be "
            f"converted: {err}"
        ) from None
    if arr.ndim != 1:
        raise ValueError(
            f"Expected {where} to be one sequence (1-D), but got shape {arr.shape}. Pass a "
            "list of sequences, or an (N, T) array."
        )
    if arr.dtype.kind == "O" or (arr.size and arr.dtype.kind not in "biufU"):
        kinds = sorted({type(v).__name__ for v in arr.tolist()})
        raise TypeError(
            f"Expected {where} to hold tag strings or labels of one kind (numbers or "
            f"strings), but got values of types {kinds}."
        )
    return arr


def _flat(y, name: str):
    """``(values, sizes, shape)``: every sequence's steps laid end to end, the number of
    steps of each sequence, and the rectangular shape of the input (an array's own shape,
    ``(N, T)`` for a list of equal-length lists, None for a ragged list)."""
    if y is None or isinstance(y, str | bytes):
        raise TypeError(
            f"Expected `{name}` to be a list of sequences or an (N, T) array, but got "
            f"{type(y).__name__}."
        )
    if is_tensor(y) or isinstance(y, np.ndarray):
        arr = to_numpy(y) if is_tensor(y) else y
        if arr.ndim not in (1, 2):
            raise ValueError(
                f"Expected `{name}` to be (N, T) (one row per sequence) or 1-D, but got shape "
                f"{arr.shape}. For class scores take `.argmax(-1)` first."
            )
        values = _row(arr.reshape(-1), name, None)
        rows, steps = (1, arr.shape[0]) if arr.ndim == 1 else arr.shape
        return values, np.full(rows, steps, dtype=np.int64), arr.shape
    if not isinstance(y, list | tuple):
        raise TypeError(
            f"Expected `{name}` to be a list of sequences or an (N, T) array, but got "
            f"{type(y).__name__}."
        )
    if len(y) == 0:
        raise ValueError(f"Expected `{name}` to hold at least one sequence, but it is empty.")
    nested = [isinstance(v, list | tuple | np.ndarray) or is_tensor(v) for v in y]
    if not any(nested):  # a flat list: one sequence
        values = _row(list(y), name, None)
        return values, np.array([values.size], dtype=np.int64), (values.size,)
    if not all(nested):
        i = nested.index(False)
        raise TypeError(
            f"Expected `{name}` to be a list of sequences, but `{name}[{i}]` is "
            f"{type(y[i]).__name__}: {y[i]!r}. Wrap a single sequence in a list."
        )
    rows = [_row(v, name, i) for i, v in enumerate(y)]
    filled = [r for r in rows if r.size]
    if len({r.dtype.kind == "U" for r in filled}) > 1:
        raise TypeError(
            f"Expected `{name}` to hold labels of one kind, but some sequences hold numbers "
            "and others strings."
        )
    values = np.concatenate(filled) if filled else np.zeros(0)
    sizes = np.array([r.size for r in rows], dtype=np.int64)
    shape = (len(rows), int(sizes[0])) if np.all(sizes == sizes[0]) else None
    return values, sizes, shape


class _Pair(NamedTuple):
    """Both inputs with every sequence's steps laid end to end (sequence after sequence).

    ``keep`` (None: every step) marks the real steps; ``shape`` is the inputs' rectangular
    shape (None for ragged lists); ``kind`` is "str", "num" or None (no step at all).
    """

    t: np.ndarray
    p: np.ndarray
    sizes: np.ndarray
    keep: np.ndarray | None
    shape: tuple | None
    kind: str | None

    @property
    def sequence(self) -> np.ndarray:
        """The sequence index of each step."""
        return np.repeat(np.arange(self.sizes.size), self.sizes)

    def joined(self):
        """``(t, p, sizes)`` of the kept steps only: dropped steps removed, the rest of each
        sequence joined (the segment rule)."""
        if self.keep is None:
            return self.t, self.p, self.sizes
        kept = np.bincount(self.sequence[self.keep], minlength=self.sizes.size)
        return self.t[self.keep], self.p[self.keep], kept.astype(np.int64)

    def n_steps(self) -> int:
        return int(self.t.size if self.keep is None else self.keep.sum())


def _paired(y_true, y_pred, *, mask, lengths) -> _Pair:
    """Both inputs, checked to pair up sequence by sequence, with the real steps marked."""
    t, t_sizes, t_shape = _flat(y_true, "y_true")
    p, p_sizes, p_shape = _flat(y_pred, "y_pred")
    if t_sizes.size != p_sizes.size:
        raise ValueError(
            f"Expected `y_true` and `y_pred` to hold the same number of sequences, but got "
            f"{t_sizes.size} and {p_sizes.size}."
        )
    differ = np.flatnonzero(t_sizes != p_sizes)
    if differ.size:
        i = int(differ[0])
        raise ValueError(
            f"Expected `y_true` and `y_pred` to pair up step by step, but sequence {i} has "
            f"{t_sizes[i]} steps in `y_true` and {p_sizes[i]} in `y_pred`."
        )
    keep = None
    if mask is not None or lengths is not None:
        if t_shape is None or p_shape is None:
            raise ValueError(
                "`mask=`/`lengths=` need rectangular inputs, such as (N, T) arrays; these "
                "lists of sequences differ in length, so they are already cut: drop the "
                "padding from each list instead."
            )
        shape = tuple(t_shape)
        keep_arr = None if lengths is None else _lengths_to_mask(lengths, shape, "y_true")
        if mask is not None:
            given = _check_mask(mask, shape, "y_true")
            keep_arr = given if keep_arr is None else _both(keep_arr, given)
        keep_arr = np.asarray(keep_arr, dtype=bool)
        keep_arr = keep_arr.reshape(keep_arr.shape + (1,) * (len(shape) - keep_arr.ndim))
        keep = np.ascontiguousarray(np.broadcast_to(keep_arr, shape)).reshape(-1)
    kinds = {("str" if v.dtype.kind == "U" else "num") for v in (t, p) if v.size}
    if len(kinds) > 1:
        raise TypeError(
            "Expected `y_true` and `y_pred` to hold labels of one kind, but got both numbers "
            "and strings. Map one onto the other first."
        )
    return _Pair(t, p, t_sizes, keep, t_shape, kinds.pop() if kinds else None)


def _check_scheme(scheme, mode, kind):
    check_option(scheme, "scheme", SCHEMES)
    check_option(mode, "mode", MODES)
    if scheme is None:
        if kind == "str" and mode == "strict":
            raise ValueError(
                'mode="strict" needs the tag scheme, e.g. scheme="IOB2" (seqeval silently '
                "falls back to the default mode without one)."
            )
        return "runs" if kind != "str" else None
    if scheme != "runs" and kind == "num":
        raise TypeError(
            f'scheme="{scheme}" reads tag strings such as "B-PER", but the labels are '
            'numbers. Use scheme="runs" (a segment is a run of one non-background label) or '
            "map label ids to tag strings first."
        )
    return scheme


# ----------------------------------------------------------------- reading segments


def _default_spans(rows: list[list[str]], scheme: str | None):
    """Segments as seqeval's default mode (conlleval) finds them.

    seqeval joins all sequences with an ``O`` between them and reads them in one pass; the
    segments are ``(label, first, last)`` in those joined positions. Returned as a list of
    ``(label, start, stop, sequence)`` with ``start``/``stop`` in joined positions (stop
    exclusive) and the sequence holding the start.
    """
    allowed = None if scheme is None else _ALLOWED[scheme]
    malformed: list[str] = []
    spans = []
    prev_tag, prev_type, begin = "O", "", 0
    pos, begin_seq = 0, 0
    for s, row in enumerate(rows):
        for j, chunk in enumerate([*row, "O"]):
            if j < len(row):
                _check_default_tag(chunk, allowed, scheme, s, j, malformed)
            tag = chunk[0]
            type_ = chunk[1:].split("-", maxsplit=1)[-1] or "_"
            if _ends(prev_tag, tag, prev_type, type_):
                spans.append((prev_type, begin, pos, begin_seq))
            if _starts(prev_tag, tag, prev_type, type_):
                begin, begin_seq = pos, s
            prev_tag, prev_type = tag, type_
            pos += 1
    if malformed:
        shown = ", ".join(repr(m) for m in malformed[:5])
        warn(
            f"{len(malformed)} tag(s) have no B-/I-/E-/S- prefix and are not O ({shown}); "
            "they are read as seqeval's default mode reads them (the first character as the "
            "prefix). Pass scheme= to reject them instead.",
            UserWarning,
        )
    return spans


def _check_default_tag(chunk, allowed, scheme, s, j, malformed) -> None:
    if chunk in ("O", "B", "I", "E", "S") or chunk.startswith(("B-", "I-", "E-", "S-")):
        if allowed is None or chunk == "O" or chunk[0] in allowed:
            return
    elif allowed is None:
        malformed.append(chunk)
        return
    raise ValueError(
        f"Tag {chunk!r} at step {j} of sequence {s} is not a {scheme} tag (allowed: O and "
        f"the prefixes {'-, '.join(sorted(allowed - {'O'}))}-). Pass scheme=None to read it "
        "as seqeval's default mode does, or fix the tags."
    )


def _ends(prev_tag, tag, prev_type, type_) -> bool:
    """conlleval's rule: did a segment end between the previous tag and this one?"""
    if prev_tag in ("E", "S"):
        return True
    if prev_tag in ("B", "I") and tag in ("B", "S", "O"):
        return True
    return prev_tag not in ("O", ".") and prev_type != type_


def _starts(prev_tag, tag, prev_type, type_) -> bool:
    """conlleval's rule: did a segment start at this tag?"""
    if tag in ("B", "S"):
        return True
    if tag in ("E", "I") and prev_tag in ("E", "S", "O"):
        return True
    return tag not in ("O", ".") and prev_type != type_


def _strict_tokens(row: list[str], scheme: str, s: int):
    allowed = _ALLOWED[scheme]
    tokens = []
    for j, token in enumerate(row):
        if token[0] not in allowed:
            raise ValueError(
                f"Tag {token!r} at step {j} of sequence {s} has a prefix that {scheme} does not "
                f"allow (allowed: {', '.join(sorted(allowed))}). Check `scheme=`, or fix "
                "the tags."
            )
        tokens.append((token[0], token[1:].strip("-") or "_"))
    tokens.append(("O", "_"))  # seqeval's outside token closes the last segment
    return tokens


def _match(rules, prev, token) -> bool:
    for prev_prefixes, prefixes, condition in rules:
        if prev[0] in prev_prefixes and token[0] in prefixes:
            if condition is None or (condition == "same") == (prev[1] == token[1]):
                return True
    return False


def _strict_spans(row: list[str], scheme: str, s: int):
    """Segments as seqeval's strict mode finds them: ``(label, start, stop, sequence)``."""
    rules = _PATTERNS[scheme]
    tokens = _strict_tokens(row, scheme, s)
    spans = []
    i, prev = 0, ("O", "_")
    while i < len(tokens):
        token = tokens[i]
        if _match(rules["start"], prev, token):
            end, inner = i + 1, token
            while end < len(tokens) and _match(rules["inside"], inner, tokens[end]):
                inner, end = tokens[end], end + 1
            if _match(rules["end"], tokens[end - 1], tokens[end]):
                spans.append((token[1], i, end, s))
            i = end
        else:
            i += 1
        prev = tokens[i - 1]
    return spans


def _run_spans(values: np.ndarray, sizes: np.ndarray, background):
    """Maximal runs of one non-background label: ``(labels, starts, stops, sequences)``
    with positions in the joined sequences (each followed by one gap position)."""
    n = values.size
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0), empty, empty, empty
    seq = np.repeat(np.arange(sizes.size), sizes)
    pos = np.arange(n) + seq  # one gap position after each sequence
    new = np.ones(n, dtype=bool)
    new[1:] = (values[1:] != values[:-1]) | (seq[1:] != seq[:-1])
    first = np.flatnonzero(new)
    last = np.r_[first[1:], n] - 1
    labels = values[first]
    real = labels != background
    first, last = first[real], last[real]
    return labels[real], pos[first], pos[last] + 1, seq[first]


def _background(background, kind):
    if background is None:
        return "O" if kind == "str" else 0
    if isinstance(background, bool | np.bool_) or isinstance(background, numbers.Number):
        if kind == "str":
            raise ValueError(
                f"Expected `background` to be a label like those of `y_true` (strings), but "
                f"got {background!r}."
            )
        return background
    if isinstance(background, str):
        if kind == "num":
            raise ValueError(
                f"Expected `background` to be a label like those of `y_true` (numbers), but "
                f"got {background!r}."
            )
        return background
    raise TypeError(f"Expected `background` to be one label, but got {background!r}.")


def _spans(values, sizes, *, scheme, mode, kind, background):
    """``(labels, starts, stops, sequences)`` arrays of every segment (joined positions)."""
    if scheme == "runs":
        return _run_spans(values, sizes, _background(background, kind))
    if background is not None:
        raise ValueError(
            "`background` is for scheme='runs'; tag schemes mark the outside with 'O'."
        )
    lists = [r.tolist() for r in np.split(values, np.cumsum(sizes)[:-1])]
    for s, row in enumerate(lists):
        if "" in row:
            raise ValueError(
                f"Found an empty tag string at step {row.index('')} of sequence {s}; every "
                "step needs a tag (use 'O' outside segments)."
            )
    if mode == "strict":
        found, offset = [], 0
        for s, row in enumerate(lists):
            found += [
                (lab, a + offset, b + offset, s) for lab, a, b, _ in _strict_spans(row, scheme, s)
            ]
            offset += len(row) + 1
    else:
        found = _default_spans(lists, scheme)
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=str), empty, empty, empty
    labels, starts, stops, seqs = zip(*found, strict=True)
    return (
        np.array(labels, dtype=str),
        np.array(starts, dtype=np.int64),
        np.array(stops, dtype=np.int64),
        np.array(seqs, dtype=np.int64),
    )


# ---------------------------------------------------------------------- statistics


def _check_labels(labels, kind):
    if labels is None:
        return None
    values = list(labels) if not isinstance(labels, str) else None
    if values is None or not values:
        raise ValueError(f"Expected `labels` to be a non-empty list of labels, but got {labels!r}.")
    if len(set(values)) != len(values):
        raise ValueError(f"Expected `labels` to be distinct, but got {values}.")
    is_str = [isinstance(v, str) for v in values]
    if all(is_str):
        if kind == "num":
            raise ValueError(f"Expected `labels` to be numbers like the labels, but got {values}.")
        return np.array(values, dtype=str)
    if any(is_str) or kind == "str":
        raise ValueError(
            f"Expected `labels` to be strings like the tags' labels, but got {values}."
        )
    return np.array(values)


def _span_stats(
    y_true,
    y_pred,
    *,
    mask=None,
    lengths=None,
    sample_weight=None,
    scheme=None,
    mode="default",
    labels=None,
    background=None,
    **_,
):
    """Per-label counts of one batch: ``labels``, ``tp``, ``n_pred``, ``n_true``, ``n_steps``.

    ``labels`` is sorted (or the ``labels=`` option as given); ``tp`` counts predicted
    segments that equal a true one (label, first and last step), ``n_pred``/``n_true`` the
    predicted and true segments. An empty batch gives arrays of size 0 and ``n_steps`` 0.
    """
    if sample_weight is not None:
        raise TypeError(
            "Segment scores do not take `sample_weight`: a segment spans many steps. Drop "
            "sequences with `mask=` instead."
        )
    pair = _paired(y_true, y_pred, mask=mask, lengths=lengths)
    kind = pair.kind
    scheme = _check_scheme(scheme, mode, kind)
    listed = _check_labels(labels, kind)
    n_steps = pair.n_steps()
    if kind is None:  # no step at all
        lab = listed if listed is not None else np.zeros(0, dtype=np.int64)
        zero = np.zeros(lab.size, dtype=np.int64)
        return {"labels": lab, "tp": zero, "n_pred": zero.copy(), "n_true": zero.copy(),
                "n_steps": np.array(0, dtype=np.int64)}  # fmt: skip
    t, p, sizes = pair.joined()
    true = _spans(t, sizes, scheme=scheme, mode=mode, kind=kind, background=background)
    pred = _spans(p, sizes, scheme=scheme, mode=mode, kind=kind, background=background)
    if listed is not None:
        names = listed
    else:
        names = np.unique(np.concatenate([true[0], pred[0]]))
    tp = np.zeros(names.size, dtype=np.int64)
    n_pred = np.zeros(names.size, dtype=np.int64)
    n_true = np.zeros(names.size, dtype=np.int64)
    width = np.int64(max(true[2].max(initial=0), pred[2].max(initial=0)) + 1)
    for k, name in enumerate(names.tolist()):
        tk = true[1][true[0] == name] * width + true[2][true[0] == name]
        pk = pred[1][pred[0] == name] * width + pred[2][pred[0] == name]
        tk, pk = np.unique(tk), np.unique(pk)
        n_true[k], n_pred[k] = tk.size, pk.size
        tp[k] = np.intersect1d(tk, pk, assume_unique=True).size
    return {"labels": names, "tp": tp, "n_pred": n_pred, "n_true": n_true,
            "n_steps": np.array(n_steps, dtype=np.int64)}  # fmt: skip


def _check_average(average, zero_division):
    check_option(average, "average", AVERAGES)
    check_zero_division(zero_division)


def _prf(stats, *, average, zero_division, warn_for):
    tp = np.asarray(stats["tp"], dtype=np.float64)
    pred = np.asarray(stats["n_pred"], dtype=np.float64)
    true = np.asarray(stats["n_true"], dtype=np.float64)
    if tp.size == 0 and average is not None:
        # No segment anywhere: every ratio is 0/0 (seqeval returns this for "micro" and
        # "weighted"; for "macro" it returns nan from a mean of nothing).
        tp, pred, true = np.zeros(1), np.zeros(1), np.zeros(1)
        average = "micro"
    precision, recall, _, support = _prfs_from_counts(
        tp, pred, true, beta=1.0, average=average, zero_division=zero_division,
        warn_for=warn_for,
    )  # fmt: skip
    f1 = _f1_as_seqeval(tp, pred, true, average=average, zero_division=zero_division)
    return precision, recall, f1, support


def _f1_as_seqeval(tp, pred, true, *, average, zero_division):
    """F1 as seqeval computes it, ``2 p r / (p + r)`` from the rounded ratios.

    Mathematically ``2 tp / (pred + true)``, the count form, but the two can differ in the
    last bit (0.75 against 0.7499999999999999), which decides a rounded report. Where a
    ratio is undefined the count form's rules (``zero_division``) stand.
    """
    weights = true
    if average == "micro":
        tp, pred, true = (a.sum(keepdims=True) for a in (tp, pred, true))
    p, r, f, _ = _prfs_from_counts(
        tp, pred, true, beta=1.0, average=None, zero_division=zero_division, warn_for=()
    )
    defined = (pred > 0) & (true > 0)
    denominator = np.where(p + r == 0, 1.0, p + r)
    f = np.where(defined, 2 * p * r / denominator, f)
    return _average(f, average, weights=weights)


def _span_precision_finalize(stats, *, average="micro", zero_division="warn", **_):
    _check_average(average, zero_division)
    return _prf(stats, average=average, zero_division=zero_division, warn_for=("precision",))[0]


def _span_recall_finalize(stats, *, average="micro", zero_division="warn", **_):
    _check_average(average, zero_division)
    return _prf(stats, average=average, zero_division=zero_division, warn_for=("recall",))[1]


def _span_f1_finalize(stats, *, average="micro", zero_division="warn", **_):
    _check_average(average, zero_division)
    return _prf(stats, average=average, zero_division=zero_division, warn_for=("f-score",))[2]


def _check_some_step(stats) -> None:
    if int(stats["n_steps"]) == 0:
        raise ValueError(
            "Expected at least one real step, but every sequence is empty or `mask`/`lengths` "
            "mark every step as padding."
        )


# ------------------------------------------------------------------------- public API

_PARAMETERS = """\
    y_true, y_pred : list of sequences, or array-like of shape (N, T)
        True and predicted tags: lists of tag strings (``["B-PER", "I-PER", "O"]``), of any
        lengths but pairing up (``len(y_true[i]) == len(y_pred[i])``), or ``(N, T)`` arrays or
        tensors of labels (class indices, any numbers, or strings). A flat list or a 1-D
        array is one sequence.
    scheme : {"IOB1", "IOB2", "IOE2", "IOBES", "runs"} or None, default None
        How segments are marked. ``"runs"``: a segment is a maximal run of one label other
        than ``background`` (the default for numeric labels). A tag scheme reads strings
        such as ``"B-PER"``. None for tag strings: any of ``B-``, ``I-``, ``E-``, ``S-`` are
        read (seqeval's default).
    mode : {"default", "strict"}, default "default"
        ``"default"``: conlleval's lenient reading, as seqeval's default mode (``I-X`` after
        ``O`` or ``B-Y`` starts a segment of ``X``). ``"strict"``: only segments that follow
        ``scheme`` exactly count, as seqeval's ``mode="strict"`` (needs ``scheme``). The
        two are the same for ``"runs"``.
    labels : list, optional
        Segment labels to score and their order (default: every label in ``y_true`` or
        ``y_pred``, sorted). Fix them to stream over batches that lack some.
    average : {"micro", "macro", "weighted"} or None, default "micro"
        ``"micro"``: from counts pooled over labels (seqeval's default). ``"macro"``: the
        unweighted mean over labels. ``"weighted"``: weighted by each label's number of true
        segments. None: one score per label.
    background : label, optional
        For ``scheme="runs"``: the label outside segments (default 0, or "O" for strings).
    zero_division : {"warn", 0, 1, np.nan}, default "warn"
        Value of an undefined ratio (no predicted or no true segment). ``"warn"`` acts as 0
        and warns.
    mask : array-like of bool, optional
        True marks a real step. Dropped steps are removed and the rest of each sequence
        joined (as Hugging Face's examples drop ``-100`` sub-word positions before seqeval).
    lengths : array-like of int, optional
        For ``(N, T)`` inputs: steps ``t >= lengths[i]`` are padding."""

_RAISES = """\
    ValueError
        If ``y_true`` and ``y_pred`` hold different numbers of sequences or sequence ``i``
        differs in length (the message names ``i``); if a tag is malformed for ``scheme``
        (the message names the sequence and step); if ``mode="strict"`` has no scheme; if
        ``mask``/``lengths`` do not fit or leave no step; or if an option is unknown.
    TypeError
        If the inputs are not sequences of labels, or a tag scheme is given numeric labels."""


_fill = fill_doc(parameters=_PARAMETERS, raises=_RAISES)


def _score(finalize, y_true, y_pred, *, average, zero_division, **options):
    _check_average(average, zero_division)
    stats = _span_stats(y_true, y_pred, **options)
    _check_some_step(stats)
    return finalize(stats, average=average, zero_division=zero_division)


@_fill
def span_precision_score(
    y_true,
    y_pred,
    *,
    scheme=None,
    mode="default",
    labels=None,
    average="micro",
    background=None,
    zero_division="warn",
    mask=None,
    lengths=None,
):
    """Segment precision: of the predicted segments, the share that match a true one exactly.

    A predicted segment matches when a true segment has the same label, first step and
    last step. Equal to ``seqeval.metrics.precision_score`` (see the module docstring for
    how tags are read).

    Parameters
    ----------
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_labels,)
        One value per label (sorted, or in ``labels`` order) when ``average=None``.

    Raises
    ------
    {raises}

    Examples
    --------
    >>> y_true = [["O", "B-PER", "I-PER", "O"], ["B-LOC", "O"]]
    >>> y_pred = [["O", "B-PER", "O", "O"], ["B-LOC", "O"]]
    >>> span_precision_score(y_true, y_pred)
    0.5

    The course's tagger: class indices, a segment per run of one job (0 is idle):

    >>> span_precision_score([[0, 1, 1, 0, 2, 2]], [[0, 1, 1, 1, 2, 2]])
    0.5
    """
    return _score(
        _span_precision_finalize, y_true, y_pred, average=average, zero_division=zero_division,
        scheme=scheme, mode=mode, labels=labels, background=background, mask=mask,
        lengths=lengths,
    )  # fmt: skip


@_fill
def span_recall_score(
    y_true,
    y_pred,
    *,
    scheme=None,
    mode="default",
    labels=None,
    average="micro",
    background=None,
    zero_division="warn",
    mask=None,
    lengths=None,
):
    """Segment recall: of the true segments, the share that are predicted exactly.

    Equal to ``seqeval.metrics.recall_score`` (see the module docstring for how tags are
    read).

    Parameters
    ----------
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_labels,)
        One value per label when ``average=None``.

    Raises
    ------
    {raises}

    Examples
    --------
    >>> y_true = [["O", "B-PER", "I-PER", "O"], ["B-LOC", "O"]]
    >>> y_pred = [["O", "B-PER", "O", "O"], ["B-LOC", "O"]]
    >>> span_recall_score(y_true, y_pred)
    0.5

    In strict IOB2, an ``I-`` tag cannot start a segment:

    >>> span_recall_score([["B-PER", "I-PER"]], [["I-PER", "I-PER"]])
    1.0
    >>> span_recall_score([["B-PER", "I-PER"]], [["I-PER", "I-PER"]], scheme="IOB2",
    ...                   mode="strict", zero_division=0)
    0.0
    """
    return _score(
        _span_recall_finalize, y_true, y_pred, average=average, zero_division=zero_division,
        scheme=scheme, mode=mode, labels=labels, background=background, mask=mask,
        lengths=lengths,
    )  # fmt: skip


@_fill
def span_f1_score(
    y_true,
    y_pred,
    *,
    scheme=None,
    mode="default",
    labels=None,
    average="micro",
    background=None,
    zero_division="warn",
    mask=None,
    lengths=None,
):
    """Segment F1: the harmonic mean of segment precision and recall (entity-level F1).

    The standard score for taggers (CoNLL's, seqeval's ``f1_score``). One wrong step inside
    a segment cuts it in two: step-level F1 loses one step, segment F1 loses the segment
    and gains two false ones.

    Parameters
    ----------
    {parameters}

    Returns
    -------
    float or numpy.ndarray of shape (n_labels,)
        One value per label when ``average=None``.

    Raises
    ------
    {raises}

    Examples
    --------
    >>> y_true = [["O", "B-MISC", "I-MISC", "B-MISC", "O"], ["B-PER", "I-PER", "O"]]
    >>> y_pred = [["O", "B-MISC", "I-MISC", "B-MISC", "I-MISC"], ["B-PER", "I-PER", "O"]]
    >>> round(span_f1_score(y_true, y_pred), 4)
    0.6667
    >>> span_f1_score(y_true, y_pred, average=None)
    array([0.5, 1. ])

    Label arrays with padding; one flipped step splits job 1's segment in two:

    >>> y = [[1, 1, 1, 1, 0, 2], [2, 2, 0, 0, 0, 0]]
    >>> p = [[1, 1, 2, 1, 0, 2], [2, 2, 1, 1, 1, 1]]
    >>> round(span_f1_score(y, p, lengths=[6, 2]), 4)
    0.5
    """
    return _score(
        _span_f1_finalize, y_true, y_pred, average=average, zero_division=zero_division,
        scheme=scheme, mode=mode, labels=labels, background=background, mask=mask,
        lengths=lengths,
    )  # fmt: skip


def span_classification_report(
    y_true,
    y_pred,
    *,
    scheme=None,
    mode="default",
    labels=None,
    target_names=None,
    digits=2,
    output_dict=False,
    background=None,
    zero_division="warn",
    mask=None,
    lengths=None,
):
    """Segment precision, recall, F1 and support per label, with averages, as seqeval lays
    them out (``micro avg``, ``macro avg``, ``weighted avg``).

    Parameters
    ----------
    y_true, y_pred, scheme, mode, labels, background, zero_division, mask, lengths
        As for :func:`span_f1_score`.
    target_names : list of str, optional
        Display names, one per reported label (e.g. ``["job A", "job B"]`` for labels
        ``[1, 2]``).
    digits : int, default 2
        Digits after the decimal point in the text (the dict is not rounded).
    output_dict : bool, default False
        Return ``{name: {"precision", "recall", "f1-score", "support"}, "micro avg": ...,
        "macro avg": ..., "weighted avg": ...}`` instead of text.

    Returns
    -------
    str or dict
        seqeval's text table (the same characters, for the same labels), or the dict.
        Support is the number of true segments.

    Raises
    ------
    ValueError
        As :func:`span_f1_score`, or if ``target_names`` does not give one name per label,
        ``digits`` is not a non-negative int, or there is no segment to report.
    TypeError
        As :func:`span_f1_score`, or if ``output_dict`` is not a bool.

    Examples
    --------
    >>> y_true = [["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]
    >>> y_pred = [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]
    >>> print(span_classification_report(y_true, y_pred))
                  precision    recall  f1-score   support
    <BLANKLINE>
            MISC       0.00      0.00      0.00         1
             PER       1.00      1.00      1.00         1
    <BLANKLINE>
       micro avg       0.50      0.50      0.50         2
       macro avg       0.50      0.50      0.50         2
    weighted avg       0.50      0.50      0.50         2
    <BLANKLINE>
    """
    check_zero_division(zero_division)
    check_bool(output_dict, "output_dict")
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral) or digits < 0:
        raise ValueError(f"Expected `digits` to be a non-negative int, but got {digits!r}.")
    stats = _span_stats(
        y_true, y_pred, mask=mask, lengths=lengths, scheme=scheme, mode=mode, labels=labels,
        background=background,
    )  # fmt: skip
    _check_some_step(stats)
    return _span_report_finalize(
        stats, target_names=target_names, digits=digits, output_dict=output_dict,
        zero_division=zero_division,
    )  # fmt: skip


def _span_report_finalize(
    stats, *, target_names=None, digits=2, output_dict=False, zero_division="warn", **_
):
    shown = [str(v) for v in np.asarray(stats["labels"]).tolist()]
    if not shown:
        raise ValueError(
            "There is no segment in `y_true` or `y_pred` to report; pass `labels=` to report "
            "labels that do not occur."
        )
    if target_names is None:
        target_names = shown
    elif isinstance(target_names, str) or len(target_names) != len(shown):
        raise ValueError(
            f"Expected `target_names` to give one name per reported label ({len(shown)}: "
            f"{shown}), but got {target_names!r}."
        )
    names = [str(n) for n in target_names]
    support = np.asarray(stats["n_true"], dtype=np.int64)
    warn_for = ("precision", "recall", "f-score")
    per_label = _prf(stats, average=None, zero_division=zero_division, warn_for=warn_for)
    rows = [(n, float(p), float(r), float(f), int(s))
            for n, p, r, f, s in zip(names, *per_label[:3], support, strict=True)]  # fmt: skip
    averages = []
    for average in ("micro", "macro", "weighted"):
        p, r, f, _ = _prf(stats, average=average, zero_division=zero_division, warn_for=warn_for)
        averages.append((f"{average} avg", float(p), float(r), float(f), int(support.sum())))
    headers = ["precision", "recall", "f1-score", "support"]
    if output_dict:
        return {name: dict(zip(headers, values, strict=True)) for name, *values in rows + averages}
    width = max(max(len(n) for n in names), len("weighted avg"), digits)
    text = ("{:>{width}s} " + " {:>9}" * 4).format("", *headers, width=width) + "\n\n"
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}"
    lines = [row_fmt.format(*row, width=width, digits=digits) for row in rows]
    lines.append("")
    lines += [row_fmt.format(*row, width=width, digits=digits) for row in averages]
    lines.append("")
    return text + "\n".join(lines)


def extract_spans(y, *, scheme=None, mode="default", background=None, mask=None, lengths=None):
    """The segments of tag sequences or label arrays, as :class:`Span` tuples.

    The segments the span scores compare, read by the same rules (see the module
    docstring): useful to look at what a tagger predicted, segment by segment.

    Parameters
    ----------
    y : list of sequences, or array-like of shape (N, T)
        Tags or labels, as for :func:`span_f1_score`.
    scheme, mode, background, mask, lengths
        As for :func:`span_f1_score`.

    Returns
    -------
    list of Span
        ``Span(sequence, label, start, stop)`` in order, ``stop`` exclusive; positions count
        the kept steps. For numeric labels ``label`` is a Python number.

    Raises
    ------
    ValueError, TypeError
        As :func:`span_f1_score`.

    Examples
    --------
    >>> extract_spans([["B-PER", "I-PER", "O", "B-LOC"]])
    [Span(sequence=0, label='PER', start=0, stop=2), Span(sequence=0, label='LOC', start=3, stop=4)]
    >>> extract_spans([[0, 1, 1, 0, 2], [2, 2, 0, 0, 0]], lengths=[5, 2])
    [Span(sequence=0, label=1, start=1, stop=3), Span(sequence=0, label=2, start=4, stop=5), Span(sequence=1, label=2, start=0, stop=2)]
    """
    pair = _paired(y, y, mask=mask, lengths=lengths)
    scheme = _check_scheme(scheme, mode, pair.kind)
    if pair.kind is None:
        return []
    values, _, sizes = pair.joined()
    labels, starts, stops, seqs = _spans(values, sizes, scheme=scheme, mode=mode,
                                         kind=pair.kind, background=background)  # fmt: skip
    offsets = np.concatenate([[0], np.cumsum(sizes + 1)[:-1]])
    return [
        Span(int(s), lab, int(a - offsets[s]), int(b - offsets[s]))
        for lab, a, b, s in zip(labels.tolist(), starts, stops, seqs, strict=True)
    ]


def _span_options(**options):
    """The finalisers' options checked once, when a stream is made."""
    if "average" in options:
        check_option(options["average"], "average", AVERAGES)
    check_zero_division(options.get("zero_division", "warn"))
    _check_scheme(options.get("scheme"), options.get("mode", "default"), None)
    if "output_dict" in options:
        check_bool(options["output_dict"], "output_dict")
        digits = options["digits"]
        if isinstance(digits, bool) or not isinstance(digits, numbers.Integral) or digits < 0:
            raise ValueError(f"Expected `digits` to be a non-negative int, but got {digits!r}.")
    return options


def _spec(function, finalize):
    return {
        "stats": _span_stats,
        "finalize": finalize,
        "function": function,
        "options": _span_options,
        "reduce": {
            "labels": "union",
            "tp": "sum",
            "n_pred": "sum",
            "n_true": "sum",
            "n_steps": "sum",
        },
        "index": {"tp": ("labels",), "n_pred": ("labels",), "n_true": ("labels",)},
        "count": "n_steps",
        "input": "labels",
        "names": {"labels": "the segment labels"},
    }


#: How the span scores stream (see :mod:`~course_utils.metrics.stream`): per-label counts
#: that add up, re-indexed to the union of the labels seen (``labels=`` fixes them).
STREAM_SPECS = {
    "span_precision_score": _spec(span_precision_score, _span_precision_finalize),
    "span_recall_score": _spec(span_recall_score, _span_recall_finalize),
    "span_f1_score": _spec(span_f1_score, _span_f1_finalize),
    "span_classification_report": _spec(span_classification_report, _span_report_finalize),
}
