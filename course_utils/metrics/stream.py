"""Metrics that stream: batch by batch, merged across streams, processes and checkpoints.

``stream(metric, **options)`` is the streaming twin of a metric function: feed it the
function's own inputs one batch at a time, and :meth:`Stream.compute` gives what the function
gives on all the batches concatenated. Both forms run one implementation, split in two (the
convention every module of :mod:`course_utils.metrics` follows):

- ``stats(y_true, y_pred, *, mask, lengths, sample_weight, **options)`` checks one batch and
  returns its sufficient statistics, a dict of plain NumPy arrays;
- ``finalize(stats, **options)`` turns statistics into the metric.

The function is ``finalize(stats(batch))``; the stream adds the statistics of each batch to
those of the earlier ones, following how each statistic merges, and calls the same
``finalize``. So the two forms cannot drift apart.

Why it matters: the mean of per-batch scores is not the score. F1, precision, AP or ROC AUC
averaged over batches differ from the score of all steps (a batch without positives has
recall 0/0, and the last, smaller batch weighs as much as a full one); a mean loss per
batch is not the loss per real step when batches hold different numbers of real steps.
Counts and sums add up; ratios do not.

>>> from course_utils.metrics import f1_score, stream
>>> y_true = [[1, 0, 1, 1], [0, 0, 1, 0]]
>>> y_pred = [[1, 0, 0, 1], [0, 1, 1, 0]]
>>> f1 = stream("f1_score")
>>> for t, p in zip(y_true, y_pred):
...     _ = f1.update(t, p)
>>> f1.compute() == f1_score(sum(y_true, []), sum(y_pred, []))
True

The convention for metric authors
---------------------------------
A module of :mod:`course_utils.metrics` declares, at module level::

    STREAM_SPECS = {
        "foo": {
            "stats": _foo_stats,          # (y_true, y_pred, *, mask, lengths, sample_weight,
                                          #  **options) -> dict[str, numpy.ndarray]
            "finalize": _foo_finalize,    # (stats, **options) -> the metric's result
            "reduce": {"tp": "sum", "scores": "cat", "n_classes": "same"},
            # optional:
            "function": foo,              # the public function (its keyword defaults are the
                                          #  stream's default options; stream(foo) finds it)
            "count": "n_steps",           # the statistic counting real steps: a batch where it
                                          #  is 0 (all padding) is skipped
            "index": {"tp": ("classes",)},  # axes of a statistic indexed by a "union" statistic
            "check": _foo_check,          # (stats, **options): raise ValueError when the merged
                                          #  statistics can no longer give a result
            "options": _foo_options,      # (**options) -> options, checked and normalised
            "input": "labels",            # what evaluate() passes as y_pred: "labels",
                                          #  "scores", "proba", "logits" (default) or "values"
            "names": {"n_classes": "the number of classes"},  # for error messages
        },
    }

How a statistic merges (``"reduce"``):

``"sum"``
    elementwise sum of arrays of one shape (counts, sums of errors, sums of weights);
``"sum_pad"``
    elementwise sum after padding with zeros to the larger shape;
``"cat"``
    concatenation along axis 0 (what exact curves keep: every score); kept as a list of
    chunks and concatenated once, so a stream of many batches is not quadratic;
``"max"``, ``"min"``
    elementwise;
``"same"``
    must be equal in every batch, else a ValueError names the statistic (the number of score
    columns, whether weights were given);
``"union"``
    sorted union of 1-D arrays (a label set); every statistic that ``"index"`` ties to it is
    re-indexed on the union before it is summed. This is how a stream learns the classes
    batch by batch: a class first seen in the tenth batch gets zeros for the nine before.

The registry collects ``STREAM_SPECS`` from every module of :mod:`course_utils.metrics`
lazily, on the first call of :func:`stream` or :func:`available_streams`, so a new module's
metrics stream without any edit here. :func:`register_stream` adds a metric of your own.

State that travels
------------------
:meth:`Stream.state_dict` holds plain arrays (or tensors) and strings: the metric's name, its
options as JSON, and the statistics. ``np.savez(path, **state)`` and
``torch.save(stream.state_dict(tensors=True), path)`` store it; ``np.load(path)`` and
``torch.load(path, weights_only=True)`` read it back without unpickling any code.
:meth:`Stream.sync` reduces the statistics over :mod:`torch.distributed` (gloo on CPU, NCCL on
GPU) so that every rank's :meth:`Stream.compute` is that of one process over all the data.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import json
import math
import numbers
import os
import pkgutil
import zlib
from collections.abc import Mapping

import numpy as np

from course_utils._validation import is_tensor, to_numpy

__all__ = ["Stream", "available_streams", "register_stream", "stream"]

REDUCTIONS = ("sum", "sum_pad", "cat", "max", "min", "same", "union")
INPUTS = ("labels", "scores", "proba", "logits", "values")
_SPEC_KEYS = {
    "stats",
    "finalize",
    "reduce",
    "function",
    "count",
    "index",
    "check",
    "options",
    "input",
    "names",
}
_PER_BATCH = ("mask", "lengths", "sample_weight")  # update()'s arguments, never options
_FORMAT = "course_utils.metrics.stream/1"


# ------------------------------------------------------------------------------ registry

_FOUND: dict[str, dict] | None = None  # STREAM_SPECS of the package's modules, once read
_ADDED: dict[str, dict] = {}  # register_stream()


def _registry() -> dict[str, dict]:
    global _FOUND
    if _FOUND is None:
        # The sibling modules, found by path: importing the package here would be a cycle.
        here = os.path.dirname(os.path.abspath(__file__))
        found = {}
        for info in sorted(pkgutil.iter_modules([here]), key=lambda i: i.name):
            if info.name.startswith("_") or info.name == "stream":
                continue
            module = importlib.import_module(f"{__package__}.{info.name}")
            for name, spec in getattr(module, "STREAM_SPECS", {}).items():
                found[name] = _checked_spec(name, spec, module.__name__)
        _FOUND = found
    return {**_FOUND, **_ADDED}


def _checked_spec(name: str, spec, where: str) -> dict:
    """A spec with its fields checked (a mistake here is the metric author's, so TypeError)."""
    if not isinstance(spec, Mapping):
        raise TypeError(f"STREAM_SPECS[{name!r}] in {where} must be a dict, got {spec!r}.")
    unknown = set(spec) - _SPEC_KEYS
    missing = {"stats", "finalize", "reduce"} - set(spec)
    if unknown or missing:
        raise TypeError(
            f"STREAM_SPECS[{name!r}] in {where}: unknown fields {sorted(unknown)}, missing "
            f"fields {sorted(missing)}. Fields: {sorted(_SPEC_KEYS)}."
        )
    reduce = dict(spec["reduce"])
    bad = {k: v for k, v in reduce.items() if v not in REDUCTIONS}
    if bad:
        raise TypeError(
            f"STREAM_SPECS[{name!r}] in {where}: reductions must be among {REDUCTIONS}, got {bad}."
        )
    index = {
        k: tuple(v) if isinstance(v, tuple | list) else (v,)
        for k, v in dict(spec.get("index", {})).items()
    }
    for key, axes in index.items():
        if reduce.get(key) != "sum" or any(
            a is not None and reduce.get(a) != "union" for a in axes
        ):
            raise TypeError(
                f"STREAM_SPECS[{name!r}] in {where}: index[{key!r}] must tie a 'sum' "
                f"statistic to 'union' statistics, got {axes}."
            )
    if spec.get("input", "logits") not in INPUTS:
        raise TypeError(f"STREAM_SPECS[{name!r}] in {where}: input must be one of {INPUTS}.")
    count = spec.get("count")
    if count is not None and count not in reduce:
        raise TypeError(f"STREAM_SPECS[{name!r}] in {where}: count {count!r} is not in reduce.")
    return {**spec, "reduce": reduce, "index": index, "module": where}


def register_stream(name: str, spec: Mapping) -> None:
    """Make ``stream(name)`` build a stream from ``spec`` (the convention above).

    Parameters
    ----------
    name : str
        The metric's name.
    spec : dict
        ``{"stats": ..., "finalize": ..., "reduce": {...}}`` and any optional field.

    Raises
    ------
    TypeError
        If the spec is malformed.

    Examples
    --------
    >>> import numpy as np
    >>> def _stats(y_true, y_pred, **_):
    ...     e = np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))
    ...     return {"max_error": np.array(e.max())}
    >>> register_stream("max_error", {"stats": _stats, "reduce": {"max_error": "max"},
    ...                               "finalize": lambda s, **_: float(s["max_error"])})
    >>> stream("max_error").update([1, 2], [1, 5]).update([0], [2]).compute()
    3.0
    """
    if not isinstance(name, str):
        raise TypeError(f"Expected `name` to be a str, but got {name!r}.")
    _ADDED[name] = _checked_spec(name, spec, "register_stream")


def available_streams() -> list[str]:
    """The names :func:`stream` accepts, sorted.

    >>> {"f1_score", "roc_auc_score", "mean_squared_error"} <= set(available_streams())
    True
    """
    return sorted(_registry())


def _lookup(metric) -> tuple[str, dict]:
    registry = _registry()
    if isinstance(metric, str):
        if metric in registry:
            return metric, registry[metric]
        close = difflib.get_close_matches(metric, registry, n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(
            f"Expected `metric` to name a metric of course_utils.metrics, but got {metric!r}."
            f"{hint} See available_streams()."
        )
    if callable(metric):
        name = getattr(metric, "__name__", None)
        spec = registry.get(name)
        if spec is not None and (
            spec.get("function") is metric or getattr(metric, "__module__", None) == spec["module"]
        ):
            return name, spec
        where = f"{getattr(metric, '__module__', '?')}.{name}"
        raise ValueError(
            f"Expected `metric` to be a metric of course_utils.metrics (or its name), but "
            f"{where} has no streaming form. See available_streams()."
        )
    raise TypeError(f"Expected `metric` to be a metric function or its name, but got {metric!r}.")


# ------------------------------------------------------------------------------- options


def _default_options(spec: dict) -> dict:
    function = spec.get("function")
    if function is None:
        return {}
    return {
        p.name: p.default
        for p in inspect.signature(function).parameters.values()
        if p.kind is p.KEYWORD_ONLY and p.name not in _PER_BATCH and p.default is not p.empty
    }


def _options(name: str, spec: dict, given: dict) -> dict:
    misplaced = [k for k in given if k in _PER_BATCH]
    if misplaced:
        raise TypeError(
            f"`{misplaced[0]}` belongs to each batch: pass it to update(), not to "
            f"stream({name!r}, ...)."
        )
    defaults = _default_options(spec)
    function = spec.get("function")
    if function is not None:
        allowed = {
            p.name
            for p in inspect.signature(function).parameters.values()
            if p.kind is p.KEYWORD_ONLY and p.name not in _PER_BATCH
        }
        unknown = sorted(set(given) - allowed)
        if unknown:
            raise TypeError(
                f"{name}() has no option {unknown[0]!r}; its options are {sorted(allowed)}."
            )
        for key in allowed - set(defaults) - set(given):
            raise TypeError(f"stream({name!r}) needs the option `{key}` (as {name}() does).")
    options = {**defaults, **given}
    check = spec.get("options")
    return dict(check(**options)) if check is not None else options


def _canonical(value, name: str):
    """Options as JSON-ready values, so two streams' options compare as text."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if is_tensor(value) or isinstance(value, np.ndarray):
        return _canonical(to_numpy(value).tolist(), name)
    if isinstance(value, list | tuple):
        return [_canonical(v, name) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _canonical(v, name) for k, v in value.items()}
    raise TypeError(
        f"Expected option `{name}` to be a number, string, bool, None, list or array (so "
        f"the stream can be saved and compared), but got {type(value).__name__}."
    )


def _options_json(metric: str, options: dict) -> str:
    canonical = {k: _canonical(v, k) for k, v in sorted(options.items())}
    return json.dumps(canonical, sort_keys=True)


def _differences(mine: str, theirs: str) -> str:
    a, b = json.loads(mine), json.loads(theirs)
    keys = sorted(set(a) | set(b))
    parts = [f"{k}={a.get(k)!r} here, {b.get(k)!r} there" for k in keys if a.get(k) != b.get(k)]
    return "; ".join(parts) or "(none)"


# ---------------------------------------------------------------------------- the stream


class Stream:
    """The streaming form of one metric with fixed options; build it with :func:`stream`.

    Attributes
    ----------
    metric : str
        The metric's name.
    options : dict
        Its options (defaults filled in).
    n_updates : int
        Batches with at least one real step added to this process's state.
    """

    def __init__(self, metric: str, spec: dict, options: dict):
        self.metric = metric
        self._spec = spec
        self._options = options
        self._json = _options_json(metric, options)
        self._state: dict | None = None  # this process's statistics ("cat": list of chunks)
        self._synced: dict | None = None  # after sync(): every process's statistics
        self.n_updates = 0

    # -- the four verbs

    def update(self, y_true, y_pred, *more, mask=None, lengths=None, sample_weight=None) -> Stream:
        """Add one batch: the metric function's own inputs (lists, NumPy, torch CPU/CUDA).

        ``more`` holds the further inputs of metrics that take several, in the function's
        order: ``stream("interval_score", alpha=0.1).update(y, lower, upper)``.

        An empty batch, or one whose every step is padding, changes nothing. Returns the
        stream, so calls chain: ``stream("accuracy_score").update(y, p).compute()``.

        Raises
        ------
        ValueError
            Where the function would (bad shapes, NaN scores on real steps, ...), and when
            this batch disagrees with the earlier ones (its number of score columns,
            weights given or not, labels that make a binary metric multiclass, ...): the
            state is then left as it was.
        TypeError
            Where the function would.
        """
        if _size(y_true) == 0 and _size(y_pred) == 0:
            return self
        stats = self._spec["stats"](
            y_true,
            y_pred,
            *more,
            mask=mask,
            lengths=lengths,
            sample_weight=sample_weight,
            **self._options,
        )
        self._check_keys(stats)
        count = self._spec.get("count")
        if count is not None and not np.any(stats[count]):
            return self  # all padding
        batch = {
            k: [_owned(v)] if self._spec["reduce"][k] == "cat" else _owned(v)
            for k, v in stats.items()
        }
        merged = batch if self._state is None else self._merged(self._state, batch, "this batch")
        check = self._spec.get("check")
        if check is not None:
            try:
                check(_concatenated(merged, self._spec, keep_chunks=True), **self._options)
            except ValueError as err:
                raise ValueError(
                    f"{err} (after this batch of the '{self.metric}' stream; its earlier state "
                    "is kept)"
                ) from None
        self._state, self._synced = merged, None
        self.n_updates += 1
        return self

    def compute(self):
        """The metric over every batch added (and, after :meth:`sync`, every process's).

        Equal to the metric function on all the batches concatenated: exactly for counts,
        curves and label-based metrics, up to the order of float sums for means.

        Raises
        ------
        ValueError
            If no batch with a real step was added, or where the function would.
        """
        state = self._synced if self._synced is not None else self._state
        if state is None:
            raise ValueError(
                f"Expected at least one batch with a real step before compute(), but the "
                f"'{self.metric}' stream has none. Call update(y_true, y_pred) first (an "
                "empty or all-padding batch adds nothing)."
            )
        return self._spec["finalize"](_concatenated(state, self._spec), **self._options)

    def merge(self, other: Stream) -> Stream:
        """Add another stream's (local) state to this one's; returns this stream.

        Raises
        ------
        TypeError
            If ``other`` is not a Stream.
        ValueError
            If it streams another metric or the same metric with other options.
        """
        if not isinstance(other, Stream):
            raise TypeError(f"Expected `other` to be a Stream, but got {type(other).__name__}.")
        if other.metric != self.metric:
            raise ValueError(
                f"Expected `other` to stream '{self.metric}' too, but it streams '{other.metric}'."
            )
        if other._json != self._json:
            raise ValueError(
                f"Expected `other` to have the same options as this '{self.metric}' stream, "
                f"but they differ: {_differences(self._json, other._json)}."
            )
        if other._state is not None:
            copy = {k: list(v) if isinstance(v, list) else v for k, v in other._state.items()}
            self._state = (
                copy if self._state is None else self._merged(self._state, copy, "the other stream")
            )
            self.n_updates += other.n_updates
        self._synced = None
        return self

    def reset(self) -> Stream:
        """Forget every batch (the options stay); returns the stream."""
        self._state, self._synced, self.n_updates = None, None, 0
        return self

    # -- checkpoints

    def state_dict(self, *, tensors: bool = False) -> dict:
        """This process's state as plain values: strings and arrays (or tensors).

        Keys: ``"format"``, ``"metric"``, ``"options"`` (JSON), ``"n_updates"`` and
        ``"stats.<name>"`` per statistic. After :meth:`sync` it is still this process's own
        state, so that loading every rank's checkpoint and syncing again counts each step
        once.

        Parameters
        ----------
        tensors : bool, default False
            Give torch tensors (for ``torch.save(..., weights_only=True)``) instead of NumPy
            arrays (for ``np.savez``). String statistics become lists of str.

        Examples
        --------
        >>> import io
        >>> import numpy as np
        >>> s = stream("accuracy_score").update([0, 1, 1], [0, 1, 0])
        >>> buffer = io.BytesIO()
        >>> np.savez(buffer, **s.state_dict())
        >>> _ = buffer.seek(0)
        >>> stream("accuracy_score").load_state_dict(np.load(buffer)).compute()
        0.6666666666666666
        """
        if not isinstance(tensors, bool):
            raise TypeError(f"Expected `tensors` to be True or False, but got {tensors!r}.")
        out = {
            "format": _FORMAT,
            "metric": self.metric,
            "options": self._json,
            "n_updates": self.n_updates,
        }
        if self._state is not None:
            for key, value in _concatenated(self._state, self._spec).items():
                out[f"stats.{key}"] = _to_tensor_value(value) if tensors else value
        if tensors:
            import torch

            out["n_updates"] = torch.tensor(self.n_updates)
        else:
            out["n_updates"] = np.array(self.n_updates)
        return out

    def load_state_dict(self, state) -> Stream:
        """Replace this process's state by a saved one; returns the stream.

        Accepts what :meth:`state_dict` returns, also after ``np.load`` (an ``NpzFile``) or
        ``torch.load(..., weights_only=True)``.

        Raises
        ------
        ValueError
            If ``state`` is of another metric or of other options, or holds statistics this
            metric does not have.
        TypeError
            If ``state`` is not a mapping or holds values that are not arrays.
        """
        if not hasattr(state, "keys") or not hasattr(state, "__getitem__"):
            raise TypeError(
                f"Expected `state` to be a mapping from state_dict(), but got "
                f"{type(state).__name__}."
            )
        items = {str(k): state[k] for k in state.keys()}
        for key in ("metric", "options"):
            if key not in items:
                raise ValueError(
                    f"Expected `state` to come from Stream.state_dict(), but it has no {key!r}."
                )
        metric, options = _as_text(items["metric"], "metric"), _as_text(items["options"], "options")
        if metric != self.metric:
            raise ValueError(
                f"Expected the state of a '{self.metric}' stream, but `state` holds the metric "
                f"'{metric}'. Load it into stream({metric!r}, ...)."
            )
        if options != self._json:
            raise ValueError(
                f"Expected the state of a '{self.metric}' stream with the same options, but "
                f"they differ: {_differences(self._json, options)}."
            )
        reduce = self._spec["reduce"]
        stats = {}
        for key, value in items.items():
            if not key.startswith("stats."):
                continue
            name = key[len("stats.") :]
            if name not in reduce:
                raise ValueError(
                    f"Expected the statistics of '{self.metric}' ({sorted(reduce)}), but "
                    f"`state` holds {name!r}."
                )
            stats[name] = _from_saved_value(value, key)
        n_updates = int(_from_saved_value(items.get("n_updates", 0), "n_updates"))
        if stats:
            self._state = None
            self._check_keys(stats, where="`state`")
            self._state = {k: [v] if reduce[k] == "cat" else v for k, v in stats.items()}
        else:
            self._state = None
        self._synced, self.n_updates = None, n_updates if stats else 0
        return self

    # -- processes

    def sync(self, group=None) -> Stream:
        """Reduce every process's statistics over :mod:`torch.distributed`; returns the stream.

        Afterwards :meth:`compute` on every rank equals one process over all ranks' data.
        Each rank may hold a different number of batches, or none at all. Collective: call
        it on every rank of ``group``. The local state is kept, so calling ``sync`` again
        (after more updates) counts each step once; ``update``/``merge``/``reset`` return
        :meth:`compute` to the local state until the next ``sync``.

        Parameters
        ----------
        group : torch.distributed.ProcessGroup, optional
            Default: the whole world. Backend gloo (CPU tensors) or NCCL (CUDA tensors on
            ``torch.cuda.current_device()``).

        Raises
        ------
        ValueError
            If no process group is initialised, or ranks' options or statistics disagree
            (every rank raises the same error).
        """
        dist = _distributed()
        local = None if self._state is None else _concatenated(self._state, self._spec)
        synced = _reduce_over_ranks(local, self._spec, self._json, self.metric, dist, group)
        reduce = self._spec["reduce"]
        self._synced = (
            None
            if synced is None
            else {k: [v] if reduce[k] == "cat" else v for k, v in synced.items()}
        )
        return self

    # -- helpers

    @property
    def options(self) -> dict:
        return dict(self._options)

    @property
    def input(self) -> str:
        """What the metric takes as ``y_pred``: "labels", "scores", "proba", "logits" or
        "values" (what :func:`course_utils.training.evaluate` passes it)."""
        return self._spec.get("input", "logits")

    @property
    def stats(self) -> dict | None:
        """The statistics :meth:`compute` would use (concatenated), or None before any batch."""
        state = self._synced if self._synced is not None else self._state
        return None if state is None else _concatenated(state, self._spec)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._options.items())
        synced = ", synced" if self._synced is not None else ""
        return f"<stream {self.metric}({shown}): {self.n_updates} batches{synced}>"

    def _check_keys(self, stats, where: str = "stats") -> None:
        if not isinstance(stats, Mapping):
            raise TypeError(f"The stats of '{self.metric}' must be a dict, got {type(stats)}.")
        reduce = self._spec["reduce"]
        unknown = set(stats) - set(reduce)
        if unknown:
            raise TypeError(
                f"{where} of '{self.metric}' hold statistics {sorted(unknown)} that its spec "
                "does not reduce."
            )
        if self._state is not None and set(stats) != set(self._state):
            raise ValueError(
                f"Expected {where} of '{self.metric}' to hold the statistics "
                f"{sorted(self._state)}, but got {sorted(stats)}."
            )

    def _merged(self, a: dict, b: dict, other: str) -> dict:
        return _merge_states(a, b, self._spec, other)


def stream(metric, /, **options) -> Stream:
    """The streaming form of a metric: update it batch by batch, then compute.

    Parameters
    ----------
    metric : str or callable
        A metric of :mod:`course_utils.metrics`, by name (``"f1_score"``) or the function
        itself (``f1_score``); :func:`available_streams` lists them.
    **options
        The metric's keyword options (``average="macro"``, ``thresholds=200``, ...), fixed
        for the stream. ``mask``, ``lengths`` and ``sample_weight`` go to each
        :meth:`Stream.update` instead.

    Returns
    -------
    Stream

    Raises
    ------
    ValueError
        If the metric is unknown or has no streaming form, or an option's value is invalid.
    TypeError
        If an option is unknown to the metric or of the wrong type.

    Notes
    -----
    Labels: a stream learns the classes as it goes (the union of the labels seen, numbers
    or strings; a class first seen late gets zero counts for the batches before), so
    ``labels=`` is only needed where the function needs it, with one exception: score
    matrices of ``log_loss`` and ``brier_score_loss`` whose classes are not
    ``0..n_columns-1`` (a class's column is its rank among all the classes, which a stream
    knows only at the end) need ``labels=`` listing every class; compute() says so. A batch
    that makes the data impossible for the metric (a third class with ``average="binary"``)
    is refused at update(), naming what differs.

    Examples
    --------
    >>> from course_utils.metrics import stream
    >>> auc = stream("roc_auc_score")
    >>> _ = auc.update([0, 1], [0.2, 0.9]).update([1, 0], [0.4, 0.6])
    >>> auc.compute()
    0.75

    Constant memory with binned thresholds, and a checkpoint of plain arrays:

    >>> ap = stream("average_precision_score", thresholds=101)
    >>> _ = ap.update([0, 1, 1, 0], [0.1, 0.9, 0.55, 0.5])
    >>> sorted(ap.state_dict())[:3]
    ['format', 'metric', 'n_updates']
    """
    name, spec = _lookup(metric)
    return Stream(name, spec, _options(name, spec, options))


# ------------------------------------------------------------------- merging statistics


def _describe(spec: dict, key: str) -> str:
    name = spec.get("names", {}).get(key)
    return f"{name} (statistic {key!r})" if name else f"the statistic {key!r}"


def _concatenated(state: dict, spec: dict, *, keep_chunks: bool = False) -> dict:
    """Statistics with each "cat" list of chunks concatenated (cached in ``state``)."""
    out = {}
    for key, value in state.items():
        if isinstance(value, list):
            if keep_chunks:
                out[key] = value
                continue
            if len(value) > 1:
                value[:] = [np.concatenate(value)]
            value = value[0]
        out[key] = value
    return out


def _merge_states(a: dict, b: dict, spec: dict, other: str) -> dict:
    """The statistics of ``a`` and ``b`` together (neither is changed)."""
    reduce, index = spec["reduce"], spec["index"]
    if set(a) != set(b):
        raise ValueError(
            f"Expected the same statistics in {other} as before, but got {sorted(b)} and "
            f"{sorted(a)}."
        )
    out = {}
    for key in sorted(a):  # layout first: "same" statistics say what differs
        if reduce[key] == "same":
            out[key] = _reduce_two("same", a[key], b[key], spec, key, other)
    unions = {}
    for key in sorted(a):
        if reduce[key] == "union":
            unions[key] = _union(a[key], b[key], spec, key, other)
            out[key] = unions[key][0]
    for key in sorted(a):
        kind = reduce[key]
        x, y = a[key], b[key]
        if kind in ("union", "same"):
            continue
        if key in index:
            x = _reindex(x, index[key], {u: unions[u][1] for u in unions}, out)
            y = _reindex(y, index[key], {u: unions[u][2] for u in unions}, out)
        out[key] = _reduce_two(kind, x, y, spec, key, other)
    return out


def _reduce_two(kind: str, x, y, spec: dict, key: str, other: str):
    if kind == "cat":
        if x[0].shape[1:] != y[0].shape[1:]:
            raise ValueError(
                f"Expected {_describe(spec, key)} to have trailing shape {x[0].shape[1:]} in "
                f"{other} as before, but got {y[0].shape[1:]}."
            )
        if (x[0].dtype.kind in "US") != (y[0].dtype.kind in "US"):
            raise ValueError(_kind_message(spec, key, other))
        return x + y
    if kind == "same":
        if not _equal(x, y):
            raise ValueError(
                f"Expected {_describe(spec, key)} to be the same in every batch, but it is "
                f"{_show(x)} before and {_show(y)} in {other}."
            )
        return x
    if kind == "sum_pad":
        if x.ndim != y.ndim:
            raise ValueError(f"Expected {_describe(spec, key)} to keep {x.ndim} axes in {other}.")
        shape = tuple(max(m, n) for m, n in zip(x.shape, y.shape, strict=True))
        return _padded(x, shape) + _padded(y, shape)
    if x.shape != y.shape:
        raise ValueError(
            f"Expected {_describe(spec, key)} to have shape {x.shape} in {other} as before, "
            f"but got {y.shape}."
        )
    if kind == "sum":
        return x + y
    return np.maximum(x, y) if kind == "max" else np.minimum(x, y)


def _union(x: np.ndarray, y: np.ndarray, spec: dict, key: str, other: str):
    """(sorted union, positions of x in it, positions of y in it)."""
    if (x.dtype.kind in "US") != (y.dtype.kind in "US"):
        raise ValueError(_kind_message(spec, key, other))
    if x.shape == y.shape and np.array_equal(x, y):
        positions = np.arange(x.size)
        return x, positions, positions
    union = np.union1d(x, y)
    return union, np.searchsorted(union, x), np.searchsorted(union, y)


def _reindex(value: np.ndarray, axes: tuple, positions: dict, unions: dict) -> np.ndarray:
    """``value`` placed on the union's positions along each indexed axis (zeros elsewhere)."""
    if all(a is None or np.array_equal(positions[a], np.arange(unions[a].size)) for a in axes):
        return value
    shape = list(value.shape)
    where = []
    for axis, size in enumerate(value.shape):
        union_key = axes[axis] if axis < len(axes) else None
        if union_key is None:
            where.append(np.arange(size))
        else:
            shape[axis] = unions[union_key].size
            where.append(positions[union_key])
    out = np.zeros(shape, dtype=value.dtype)
    out[np.ix_(*where)] = value
    return out


def _padded(x: np.ndarray, shape: tuple) -> np.ndarray:
    if x.shape == shape:
        return x
    return np.pad(x, [(0, n - m) for m, n in zip(x.shape, shape, strict=True)])


def _kind_message(spec: dict, key: str, other: str) -> str:
    return (
        f"Expected labels of one kind in every batch, but {_describe(spec, key)} holds "
        f"numbers on one side and strings in {other}. Map one onto the other first."
    )


def _equal(x: np.ndarray, y: np.ndarray) -> bool:
    if x.shape != y.shape:
        return False
    if x.dtype.kind == "f" or y.dtype.kind == "f":
        return bool(np.array_equal(x, y, equal_nan=True))
    return bool(np.array_equal(x, y))


def _show(x: np.ndarray) -> str:
    return repr(x.item()) if x.size == 1 else repr(x.tolist()[:10])


def _owned(value) -> np.ndarray:
    """An array the stream may keep: a view (e.g. of the caller's tensor) is copied."""
    if isinstance(value, np.ndarray) and value.flags.owndata:
        return value
    return np.array(value)


def _size(x) -> int:
    if is_tensor(x):
        return int(x.numel())
    if isinstance(x, np.ndarray):
        return x.size
    try:
        return int(np.size(x))
    except (ValueError, TypeError):
        return -1  # ragged or odd: let the metric's own checks speak


# --------------------------------------------------------------------- saved statistics


def _to_tensor_value(value: np.ndarray):
    import torch

    if value.dtype.kind in "US":
        return [str(v) for v in value.reshape(-1)]
    if value.dtype.kind == "u" and value.dtype.itemsize > 1:
        value = value.astype(np.int64)
    return torch.from_numpy(np.array(value, order="C"))


def _from_saved_value(value, key: str) -> np.ndarray:
    if is_tensor(value):
        return to_numpy(value)
    if isinstance(value, list | tuple):
        if all(isinstance(v, str) for v in value):
            return np.array(value, dtype=str) if value else np.empty(0, dtype="<U1")
        value = np.asarray(value)
    if isinstance(value, numbers.Number):
        return np.asarray(value)
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biufUS":
        raise TypeError(
            f"Expected `state[{key!r}]` to be an array of numbers or strings, but got "
            f"{type(value).__name__}{'' if not isinstance(value, np.ndarray) else ' of dtype ' + str(value.dtype)}."
        )
    return value


def _as_text(value, key: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray) and value.dtype.kind in "US" and value.ndim == 0:
        return str(value.item())
    raise TypeError(f"Expected `state[{key!r}]` to be a str, but got {type(value).__name__}.")


# ------------------------------------------------------------------ torch.distributed

_DTYPES = ("b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "U")
_MAX_NDIM = 6


def _distributed():
    try:
        import torch.distributed as dist
    except ImportError:  # pragma: no cover - torch is a dependency
        dist = None
    if dist is None or not dist.is_available() or not dist.is_initialized():
        raise ValueError(
            "Expected an initialised torch.distributed process group for sync(), but there is "
            "none. Call torch.distributed.init_process_group(backend='gloo' (CPU) or 'nccl' "
            "(GPU), ...) in every process first; in a single process, skip sync()."
        )
    return dist


def _dtype_code(dtype: np.dtype) -> tuple[int, int]:
    if dtype.kind == "U":
        return _DTYPES.index("U") + 1, dtype.itemsize // 4
    if dtype.kind == "S":
        raise TypeError("byte-string statistics do not travel: use str (unicode) arrays")
    return _DTYPES.index(f"{dtype.kind}{dtype.itemsize}") + 1, 0


def _dtype_of(code: int, chars: int) -> np.dtype:
    name = _DTYPES[code - 1]
    return np.dtype(f"<U{max(chars, 1)}") if name == "U" else np.dtype(name)


def _header(local: dict | None, keys: list[str], options_hash: int) -> np.ndarray:
    per_key = 4 + _MAX_NDIM  # present, dtype code, chars, ndim, shape...
    header = np.zeros(2 + per_key * len(keys), dtype=np.int64)
    header[1] = options_hash
    if local is None:
        return header
    header[0] = 1
    for i, key in enumerate(keys):
        if key not in local:
            continue
        value = local[key]
        if value.ndim > _MAX_NDIM:
            raise ValueError(f"statistic {key!r} has more than {_MAX_NDIM} axes")
        code, chars = _dtype_code(value.dtype)
        start = 2 + i * per_key
        header[start : start + 4] = (1, code, chars, value.ndim)
        header[start + 4 : start + 4 + value.ndim] = value.shape
    return header


class _Ranks:
    """What every rank said about each statistic, and the collectives to move them."""

    def __init__(self, dist, group, device, headers: np.ndarray, keys: list[str]):
        self.dist, self.group, self.device = dist, group, device
        self.world = headers.shape[0]
        self.has = headers[:, 0] == 1
        self.info = {}
        per_key = 4 + _MAX_NDIM
        for i, key in enumerate(keys):
            start = 2 + i * per_key
            rows = headers[:, start : start + per_key]
            self.info[key] = [
                None
                if not (self.has[r] and rows[r, 0])
                else (
                    _dtype_of(int(rows[r, 1]), int(rows[r, 2])),
                    tuple(rows[r, 4 : 4 + rows[r, 3]]),
                )
                for r in range(self.world)
            ]

    def data_ranks(self) -> list[int]:
        return [r for r in range(self.world) if self.has[r]]

    def tensor(self, array: np.ndarray):
        import torch

        return torch.from_numpy(np.array(array, order="C")).to(self.device)

    def all_reduce(self, array: np.ndarray, op: str) -> np.ndarray:
        t = self.tensor(array)
        ops = {
            "sum": self.dist.ReduceOp.SUM,
            "max": self.dist.ReduceOp.MAX,
            "min": self.dist.ReduceOp.MIN,
        }
        self.dist.all_reduce(t, op=ops[op], group=self.group)
        return t.cpu().numpy()

    def all_gather_bytes(self, raw: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
        """Every rank's bytes (``sizes[r]`` of them), gathered; ``raw`` is this rank's."""
        import torch

        longest = max(sizes)
        if longest == 0:
            return [np.empty(0, np.uint8) for _ in sizes]
        buffer = np.zeros(longest, dtype=np.uint8)
        buffer[: raw.size] = raw
        out = [torch.empty(longest, dtype=torch.uint8, device=self.device) for _ in sizes]
        self.dist.all_gather(out, self.tensor(buffer), group=self.group)
        return [o[:n].cpu().numpy() for o, n in zip(out, sizes, strict=True)]


def _reduce_over_ranks(local, spec, options_json, metric, dist, group):
    import torch

    backend = dist.get_backend(group)
    device = (
        torch.device("cuda", torch.cuda.current_device())
        if str(backend).lower() == "nccl"
        else torch.device("cpu")
    )
    reduce, index = spec["reduce"], spec["index"]
    keys = sorted(reduce)
    options_hash = zlib.crc32(f"{metric}\n{options_json}".encode())
    header = _header(local, keys, options_hash)
    world = dist.get_world_size(group)
    gathered = [torch.zeros(header.size, dtype=torch.int64, device=device) for _ in range(world)]
    dist.all_gather(gathered, torch.from_numpy(header).to(device), group=group)
    headers = np.stack([g.cpu().numpy() for g in gathered])
    if len(set(headers[:, 1].tolist())) > 1:
        raise ValueError(
            f"Expected every rank to stream '{metric}' with the same options, but the ranks' "
            "options differ (compare stream.options on each rank)."
        )
    ranks = _Ranks(dist, group, device, headers, keys)
    data = ranks.data_ranks()
    if not data:
        return None
    present = [k for k in keys if ranks.info[k][data[0]] is not None]
    for key in keys:
        if any((ranks.info[key][r] is None) != (key not in present) for r in data):
            raise ValueError(f"Expected every rank to hold the statistic {key!r}, but not all do.")
    out, unions = {}, {}
    for key in present:  # union statistics first: their dependents are re-indexed on them
        if reduce[key] == "union":
            union, mine = _gather_union(ranks, local, key, spec)
            out[key], unions[key] = union, mine
    for key in present:
        kind = reduce[key]
        if kind == "union":
            continue
        value = None if local is None else local[key]
        if key in index:
            out[key] = _sum_reindexed(ranks, value, key, spec, out, unions)
            continue
        out[key] = _reduce_key(ranks, kind, value, key, spec)
    return out


def _sum_reindexed(ranks: _Ranks, value, key: str, spec: dict, out: dict, unions: dict):
    """A statistic indexed by union statistics: re-indexed on the unions, then summed."""
    axes = spec["index"][key]
    infos = ranks.info[key]
    data = ranks.data_ranks()
    _, first = infos[data[0]]

    def indexed(a):
        return a < len(axes) and axes[a] is not None

    if len({tuple(s for a, s in enumerate(infos[r][1]) if not indexed(a)) for r in data}) > 1:
        raise ValueError(f"Expected {_describe(spec, key)} to have one shape on every rank.")
    shape = tuple(out[axes[a]].size if indexed(a) else n for a, n in enumerate(first))
    if value is None:
        value = np.zeros(shape, dtype=np.result_type(*[infos[r][0] for r in data]))
    else:
        value = _reindex(value, axes, unions, out)
    return _sum_over_ranks(ranks, value, key)


def _gather_union(ranks: _Ranks, local, key: str, spec: dict):
    infos = ranks.info[key]
    data = ranks.data_ranks()
    kinds = {infos[r][0].kind in "US" for r in data}
    if len(kinds) > 1:
        raise ValueError(_kind_message(spec, key, "another rank"))
    pieces = _gather_cat(ranks, None if local is None else local[key], key, spec)
    union = np.unique(np.concatenate([pieces[r] for r in data]))
    mine = None if local is None else np.searchsorted(union, local[key])
    return union, mine


def _common_dtype(ranks: _Ranks, key: str, spec: dict) -> np.dtype:
    dtypes = [ranks.info[key][r][0] for r in ranks.data_ranks()]
    if all(d.kind == "U" for d in dtypes):
        return np.dtype(f"<U{max(d.itemsize // 4 for d in dtypes)}")
    if any(d.kind == "U" for d in dtypes):
        raise ValueError(_kind_message(spec, key, "another rank"))
    return np.result_type(*dtypes)


def _gather_cat(ranks: _Ranks, value, key: str, spec: dict) -> list:
    """Every rank's array (None for ranks without data), in a common dtype."""
    infos = ranks.info[key]
    data = ranks.data_ranks()
    trailing = {infos[r][1][1:] for r in data}
    if len(trailing) > 1:
        raise ValueError(
            f"Expected {_describe(spec, key)} to have one trailing shape on every rank, but "
            f"the ranks hold {sorted(trailing)}."
        )
    dtype = _common_dtype(ranks, key, spec)
    (rest,) = trailing
    row = dtype.itemsize * math.prod(rest)
    sizes = [0 if infos[r] is None else int(infos[r][1][0]) * row for r in range(ranks.world)]
    raw = np.empty(0, np.uint8)
    if value is not None:
        raw = np.ascontiguousarray(value.astype(dtype, copy=False)).reshape(-1).view(np.uint8)
    gathered = ranks.all_gather_bytes(raw, sizes)
    return [
        None if infos[r] is None else gathered[r].view(dtype).reshape(infos[r][1])
        for r in range(ranks.world)
    ]


def _sum_over_ranks(ranks: _Ranks, value, key: str):
    data = ranks.data_ranks()
    infos = ranks.info[key]
    dtype = np.result_type(*[infos[r][0] for r in data])
    wire = np.float64 if dtype.kind in "fc" else np.int64
    if value is None:
        value = np.zeros(infos[data[0]][1], dtype=dtype)
    return ranks.all_reduce(value.astype(wire), "sum").astype(dtype)


def _reduce_key(ranks: _Ranks, kind: str, value, key: str, spec: dict):
    data = ranks.data_ranks()
    infos = ranks.info[key]
    shapes = {infos[r][1] for r in data}
    if kind == "cat":
        pieces = _gather_cat(ranks, value, key, spec)
        return np.concatenate([pieces[r] for r in data])
    if kind == "same":
        if len(shapes) > 1:
            raise ValueError(
                f"Expected {_describe(spec, key)} to be the same on every rank, but the ranks "
                f"hold shapes {sorted(shapes)}."
            )
        (shape,) = shapes
        dtype = _common_dtype(ranks, key, spec)
        size = dtype.itemsize * math.prod(shape)
        raw = np.empty(0, np.uint8)
        if value is not None:
            raw = np.ascontiguousarray(value.astype(dtype)).reshape(-1).view(np.uint8)
        sizes = [size if infos[r] is not None else 0 for r in range(ranks.world)]
        gathered = ranks.all_gather_bytes(raw, sizes)
        pieces = {r: gathered[r].view(dtype).reshape(shape) for r in data}
        first = pieces[data[0]]
        for r in data[1:]:
            if not _equal(first, pieces[r]):
                raise ValueError(
                    f"Expected {_describe(spec, key)} to be the same on every rank, but rank "
                    f"{data[0]} has {_show(first)} and rank {r} has {_show(pieces[r])}."
                )
        return first.astype(infos[data[0]][0])
    if kind == "sum_pad":
        ndims = {len(s) for s in shapes}
        if len(ndims) > 1:
            raise ValueError(f"Expected {_describe(spec, key)} to have one number of axes.")
        shape = tuple(int(max(s[a] for s in shapes)) for a in range(ndims.pop()))
        padded = None if value is None else _padded(value, shape)
        if padded is None:
            padded = np.zeros(shape, dtype=infos[data[0]][0])
        return _sum_over_ranks(ranks, padded, key)
    if len(shapes) > 1:
        raise ValueError(
            f"Expected {_describe(spec, key)} to have one shape on every rank, but the ranks "
            f"hold {sorted(shapes)}."
        )
    if kind == "sum":
        return _sum_over_ranks(ranks, value, key)
    dtype = np.result_type(*[infos[r][0] for r in data])
    (shape,) = shapes
    if dtype.kind in "fc":
        wire, identity = np.float64, (-np.inf if kind == "max" else np.inf)
    else:
        info = np.iinfo(np.int64)
        wire, identity = np.int64, (info.min if kind == "max" else info.max)
    mine = np.full(shape, identity, dtype=wire) if value is None else value.astype(wire)
    return ranks.all_reduce(mine, kind).astype(dtype)
