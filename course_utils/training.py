"""One training loop for the course, and the helpers that turn a model into predictions.

:func:`fit` trains any model from :mod:`course_utils.models` on ``(x, lengths, y)`` tuples:
seeded and deterministic on CPU, with a history of losses and metrics per epoch, early
stopping on any of them, and the best weights restored at the end. The ``predict_*``
helpers return NumPy arrays ready for :mod:`course_utils.metrics` and
:mod:`course_utils.plots`. :func:`evaluate` runs a model over a ``DataLoader`` and streams
metrics batch by batch (also across processes). All of them run one inference loop.

The loss follows the model: cross-entropy for :class:`~course_utils.models.SequenceClassifier`
and :class:`~course_utils.models.SequenceTagger` (over real steps only), mean squared error
for :class:`~course_utils.models.Forecaster` (a forecaster's own ``model.loss``: the pinball loss
for a quantile head, the Gaussian negative log likelihood for a Gaussian head). A
:class:`~course_utils.models.NextTokenModel` is a tagger of next tokens: its loss is the
per-token cross-entropy over real tokens (the epoch's value weighs every real token once, so
``exp(val_loss)`` is the validation perplexity), and it takes int tokens ``(N, T)`` as ``x``.
"""

from __future__ import annotations

import copy
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np
import torch
from torch import nn

from course_utils._validation import (
    as_tensor,
    check_bool,
    check_choice,
    check_class_indices,
    check_finite,
    check_float,
    check_int,
    check_lengths,
    check_seed,
    check_sequences,
    lengths_to_mask,
)
from course_utils.models import Forecaster, NextTokenModel, SequenceClassifier, SequenceTagger
from course_utils.recipes import recommended_config  # re-exported: chapters import it here
from course_utils.reproducibility import _seed_all

__all__ = [
    "History",
    "evaluate",
    "fit",
    "fit_seeds",
    "needs_scores",
    "predict",
    "predict_forecast",
    "predict_proba",
    "predict_scores",
    "recommended_config",
]

_MODELS = (SequenceClassifier, SequenceTagger, Forecaster)


# --------------------------------------------------------------------------- history


@dataclass
class History:
    """What :func:`fit` saw, one entry per epoch.

    Attributes
    ----------
    train_loss : list of float
        Mean training loss over each epoch's batches (weights change during the epoch, and
        dropout is on, so it is a little pessimistic compared with ``val_loss``).
    val_loss : list of float
        Loss on the validation data after each epoch; empty without validation data.
    metrics : dict of str to list of float
        ``"train_<name>"`` and ``"val_<name>"`` for every metric passed to :func:`fit`.
        Training metrics are computed from the predictions made during the epoch, like the
        training loss.
    monitor : str
        The quantity watched for early stopping and for the best epoch.
    best_epoch : int or None
        The epoch (counting from 1) with the best ``monitor`` value. An epoch whose value is
        NaN (an undefined metric, e.g. precision with no positive prediction) is never the
        best; None when every epoch's value was NaN.
    best_value : float or None
        The ``monitor`` value at ``best_epoch`` (None when ``best_epoch`` is None).
    stopped_early : bool
        Whether training stopped before ``epochs`` because ``monitor`` stopped improving.
    seconds : float
        Wall-clock time spent in :func:`fit`.
    """

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    monitor: str = "val_loss"
    best_epoch: int | None = None
    best_value: float | None = None
    stopped_early: bool = False
    seconds: float = 0.0

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.train_loss)

    def append(self, record: dict[str, float]) -> None:
        """Add one epoch: ``train_loss``, optional ``val_loss`` and ``<split>_<metric>``."""
        self.train_loss.append(record["train_loss"])
        if "val_loss" in record:
            self.val_loss.append(record["val_loss"])
        for key, value in record.items():
            if key not in ("train_loss", "val_loss"):
                self.metrics.setdefault(key, []).append(value)

    def curves(self) -> dict[str, list[float]]:
        """Every per-epoch series by name: ``train_loss``, ``val_loss`` and the metrics."""
        out = {"train_loss": self.train_loss}
        if self.val_loss:
            out["val_loss"] = self.val_loss
        return out | self.metrics

    def to_frame(self):
        """The history as a :class:`pandas.DataFrame`, one row per epoch (``epoch`` from 1)."""
        import pandas as pd  # heavy: imported only when asked for a frame

        frame = pd.DataFrame(self.curves())
        frame.insert(0, "epoch", range(1, len(frame) + 1))
        return frame


class _ScoreMetric:
    """A metric that :func:`fit` calls with scores; made by :func:`needs_scores`."""

    def __init__(self, metric: Callable):
        self.metric = metric
        self.__name__ = getattr(metric, "__name__", type(metric).__name__)

    def __call__(self, y_true, y_score) -> float:
        return self.metric(y_true, y_score)

    def __repr__(self) -> str:
        return f"needs_scores({self.__name__})"


def needs_scores(metric: Callable) -> Callable:
    """Mark a metric that takes scores (probabilities) instead of predicted labels.

    :func:`fit` calls a plain metric as ``metric(y_true, y_pred)`` with predicted labels, and
    a marked one as ``metric(y_true, y_score)``: the positive-class probability ``(n,)`` for
    two classes, or all class probabilities ``(n, classes)`` otherwise.

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_score) -> float``, e.g. ``roc_auc_score`` or
        ``average_precision_score``.

    Returns
    -------
    callable
        The same metric, marked; calling it calls ``metric``.

    Raises
    ------
    TypeError
        If ``metric`` is not callable.

    Examples
    --------
    >>> from sklearn.metrics import roc_auc_score
    >>> auc = needs_scores(roc_auc_score)
    >>> auc
    needs_scores(roc_auc_score)
    >>> float(auc([0, 1, 1], [0.2, 0.9, 0.6]))
    1.0
    """
    if not callable(metric):
        raise TypeError(f"Expected `metric` to be callable, but got {type(metric).__name__}.")
    return _ScoreMetric(metric)


# --------------------------------------------------------------------------- checks


def _check_model(model) -> nn.Module:
    if not isinstance(model, _MODELS):
        raise TypeError(
            "Expected `model` to be a SequenceClassifier, SequenceTagger or Forecaster from "
            f"course_utils.models, but got {type(model).__name__}."
        )
    return model


def _check_targets(y, *, model, x, lengths, name) -> torch.Tensor:
    """Targets that match the model: class indices, per-step class indices or values."""
    y = as_tensor(y, name=name)
    n, steps = x.shape[:2]
    if isinstance(model, Forecaster):
        if y.ndim == 1 and model.horizon == 1:
            y = y[:, None]  # (batch,) -> (batch, 1)
        if y.shape != (n, model.horizon) or not y.is_floating_point():
            raise ValueError(
                f"Expected `{name}` to be a float tensor of shape ({n}, {model.horizon}) "
                f"(batch, horizon), but got {y.dtype} of shape {tuple(y.shape)}."
            )
        check_finite(y, name=name, hint=" Drop or impute missing targets before training.")
        return y.float()
    shape = (n,) if isinstance(model, SequenceClassifier) else (n, steps)
    if y.is_floating_point() or y.dtype == torch.bool or y.shape != shape:
        raise ValueError(
            f"Expected `{name}` to be an integer tensor of class indices with shape {shape}, "
            f"but got {y.dtype} of shape {tuple(y.shape)}."
        )
    y = y.long()
    real = None if y.ndim == 1 else lengths_to_mask(lengths, steps)  # padding may be anything
    check_class_indices(y, num_classes=model.num_classes, name=name, real=real)
    return y


def _check_inputs(model, x, *, name: str, finite: bool = False) -> torch.Tensor:
    """The model's inputs: float features ``(N, T, F)``, or int tokens ``(N, T)`` for a
    :class:`~course_utils.models.NextTokenModel` (checked against lengths by the model)."""
    if isinstance(model, NextTokenModel):
        x = as_tensor(x, name=name)
        if x.ndim != 2 or x.is_floating_point() or x.is_complex() or x.dtype == torch.bool:
            raise ValueError(
                f"Expected `{name}` to be an integer tensor of token ids shaped (N, T) for a "
                f"NextTokenModel (course_utils.data.next_token_data builds it), but got "
                f"{x.dtype} of shape {tuple(x.shape)}."
            )
        return x
    return check_sequences(x, name=name, features=model.encoder.input_size, finite=finite)


def _check_data(data, *, model, name) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(x, lengths, y)`` checked against the model: finite inputs and targets, at least one
    real step."""
    if not isinstance(data, tuple | list) or len(data) != 3:
        raise TypeError(
            f"Expected `{name}` to be a tuple (x, lengths, y), as returned by the loaders in "
            f"course_utils.data, but got {type(data).__name__}"
            + (f" of length {len(data)}." if isinstance(data, tuple | list) else ".")
        )
    x, lengths, y = data
    x = _check_inputs(model, x, name=f"{name}[0] (x)", finite=True)
    lengths = check_lengths(
        lengths, n=x.shape[0], max_length=x.shape[1], name=f"{name}[1] (lengths)", of=f"{name}[0]"
    )
    if isinstance(model, NextTokenModel):
        x, lengths = model.check_tokens(x, lengths, name=f"{name}[0] (x)")
    if not lengths.any():  # the package's rule: at least one real step over the input
        raise ValueError(
            f"Expected `{name}[1] (lengths)` to give at least one real step, but every length "
            f"is 0: the {type(model).__name__} would see only padding (its initial state), "
            "so there is nothing to learn from. Pass each row's true number of steps (None "
            "in place of the lengths means every row is full)."
        )
    y = _check_targets(y, model=model, x=x, lengths=lengths, name=f"{name}[2] (y)")
    return x, lengths, y


def _check_class_weight(class_weight, *, model, y, lengths) -> torch.Tensor | None:
    if class_weight is None:
        return None
    if isinstance(model, Forecaster):
        raise ValueError("Expected `class_weight` to be None for a Forecaster (no classes).")
    classes = model.num_classes
    real = y if y.ndim == 1 else y[lengths_to_mask(lengths, y.shape[1])]
    counts = torch.bincount(real, minlength=classes).double()
    if isinstance(class_weight, str):
        check_choice(class_weight, name="class_weight", choices=("balanced",))
        # scikit-learn's rule: n_samples / (n_classes * count), so weights average to 1.
        weight = real.numel() / (classes * counts.clamp(min=1))
        return weight.float()
    weight = as_tensor(class_weight, name="class_weight").double()
    if weight.shape != (classes,) or not torch.isfinite(weight).all() or (weight < 0).any():
        raise ValueError(
            f"Expected `class_weight` to be 'balanced' or {classes} non-negative finite "
            f"weights, one per class, but got {class_weight!r}."
        )
    if not (weight * counts).any():
        raise ValueError(
            f"Expected `class_weight` to give some class in the training labels a positive "
            f"weight, but got {class_weight!r}: the weighted loss would be 0/0 (NaN)."
        )
    return weight.float()


def _check_metrics(metrics) -> dict[str, Callable]:
    if metrics is None:
        return {}
    if not isinstance(metrics, Mapping):
        raise TypeError(
            "Expected `metrics` to be a dict of name -> metric(y_true, y_pred), but got "
            f"{type(metrics).__name__}."
        )
    for name, metric in metrics.items():
        if not isinstance(name, str) or not name or name == "loss":
            raise ValueError(
                f"Expected each key of `metrics` to be a non-empty name other than 'loss', "
                f"but got {name!r}."
            )
        if not callable(metric):
            raise TypeError(f"Expected `metrics[{name!r}]` to be callable, but got {metric!r}.")
    return dict(metrics)


def _check_monitor(monitor, mode, *, metrics, has_val) -> tuple[str, str]:
    split = "val" if has_val else "train"
    if monitor is None:
        monitor = f"{split}_loss"
    known = ["train_loss"] + [f"train_{m}" for m in metrics]
    if has_val:
        known += ["val_loss"] + [f"val_{m}" for m in metrics]
    if monitor in metrics:  # a bare metric name watches it on the validation data
        monitor = f"{split}_{monitor}"
    if monitor not in known:
        hint = " (pass `val` to watch validation values)" if monitor.startswith("val_") else ""
        raise ValueError(
            f"Expected `monitor` to be one of {', '.join(map(repr, known))}{hint}, but got "
            f"{monitor!r}."
        )
    check_choice(mode, name="mode", choices=("auto", "min", "max"))
    if mode == "auto":
        mode = "min" if monitor.endswith("_loss") else "max"
    return monitor, mode


def _available_devices() -> list[str]:
    """The devices this torch can train on, for error messages."""
    names = ["cpu"]
    if torch.cuda.is_available():
        names += ["cuda"] + [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        names.append("mps")
    return names


def _resolve_device(device) -> torch.device:
    """``device`` as a torch.device that exists here; None picks CUDA when available."""
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    available = ", ".join(_available_devices())
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as error:
        raise ValueError(
            f"Expected `device` to be None, 'cpu', 'cuda' or a torch.device, but got {device!r}; "
            f"available: {available}."
        ) from error
    if resolved.type == "cuda" and not torch.cuda.is_available():
        problem = "cuda requested but torch.cuda.is_available() is False"
    elif resolved.type == "cuda" and (resolved.index or 0) >= torch.cuda.device_count():
        problem = f"{resolved} requested but only {torch.cuda.device_count()} CUDA device(s) exist"
    elif resolved.type == "mps" and "mps" not in available:
        problem = "mps requested but torch.backends.mps.is_available() is False"
    elif resolved.type not in ("cpu", "cuda", "mps"):
        problem = f"{resolved.type!r} devices are not supported by the course models"
    else:
        return resolved
    raise ValueError(
        f"Expected `device` to name a device torch can use, but got {device!r}: {problem}; "
        f"available: {available}. Pass device=None to pick one automatically."
    )


def _progress_enabled(progress) -> bool:
    if progress is None:
        return os.environ.get("TQDM_DISABLE", "").lower() not in {"1", "true", "yes"}
    if not isinstance(progress, bool):
        raise TypeError(f"Expected `progress` to be a bool or None, but got {progress!r}.")
    return progress


@dataclass(frozen=True)
class _Settings:
    """Everything :func:`fit` was asked to do, checked once (see :func:`_check_settings`)."""

    train: tuple[torch.Tensor, torch.Tensor, torch.Tensor]
    val: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None
    epochs: int
    lr: float
    batch_size: int
    loss: Callable | None
    class_weight: torch.Tensor | None
    metrics: Mapping[str, Callable]
    monitor: str
    mode: str
    patience: int | None
    restore_best: bool
    weight_decay: float
    grad_clip: float | None
    seed: int
    threads: int | None
    device: torch.device
    progress: bool


def _check_settings(
    model, train, val, *, epochs, lr, batch_size, loss, class_weight, metrics, monitor, mode,
    patience, restore_best, weight_decay, grad_clip, seed, threads, device, progress,
) -> _Settings:  # fmt: skip
    """Check every argument of :func:`fit` before anything changes; the frozen result."""
    train = _check_data(train, model=model, name="train")
    val = None if val is None else _check_data(val, model=model, name="val")
    if loss is not None and not callable(loss):
        raise TypeError(f"Expected `loss` to be callable or None, but got {type(loss).__name__}.")
    weight = _check_class_weight(class_weight, model=model, y=train[2], lengths=train[1])
    if weight is not None and loss is not None:
        raise ValueError("Expected `class_weight` to be None when a custom `loss` is given.")
    metrics = _check_metrics(metrics)
    monitor, mode = _check_monitor(monitor, mode, metrics=metrics, has_val=val is not None)
    positive = {"low": 0.0, "high": np.inf, "low_open": True}
    return _Settings(
        train=train, val=val, loss=loss, class_weight=weight, metrics=metrics, monitor=monitor,
        mode=mode,
        epochs=check_int(epochs, name="epochs"),
        lr=check_float(lr, name="lr", **positive, high_open=True),
        batch_size=check_int(batch_size, name="batch_size"),
        patience=None if patience is None else check_int(patience, name="patience"),
        restore_best=check_bool(restore_best, name="restore_best"),
        weight_decay=check_float(weight_decay, name="weight_decay", low=0.0, high=np.inf),
        grad_clip=None if grad_clip is None else check_float(grad_clip, name="grad_clip", **positive),
        seed=check_seed(seed),
        threads=None if threads is None else check_int(threads, name="threads"),
        device=_resolve_device(device),
        progress=_progress_enabled(progress),
    )  # fmt: skip


# --------------------------------------------------------------------------- global state


@contextmanager
def _torch_settings(*, seed: int, threads: int | None):
    """Seed torch and set its thread count and deterministic mode for one training run; put
    every global setting back on the way out, whatever happens inside.

    The random generators stay seeded afterwards: that is part of what :func:`fit` does.
    """
    cudnn = torch.backends.cudnn
    saved = (
        torch.get_num_threads(),
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
        cudnn.deterministic,
        cudnn.benchmark,
        os.environ.get("CUBLAS_WORKSPACE_CONFIG"),
    )
    try:
        _seed_all(seed, threads=threads)  # exactly `seed`: COURSE_SEED acts via seed_everything
        yield
    finally:
        threads_before, deterministic, warn_only, cudnn.deterministic, cudnn.benchmark, cublas = (
            saved
        )
        torch.set_num_threads(threads_before)
        torch.use_deterministic_algorithms(deterministic, warn_only=warn_only)
        if cublas is None:
            os.environ.pop("CUBLAS_WORKSPACE_CONFIG", None)
        else:
            os.environ["CUBLAS_WORKSPACE_CONFIG"] = cublas


@contextmanager
def _epoch_bar(model, settings: _Settings):
    """``range(1, epochs + 1)``, wrapped in a tqdm bar when progress is shown (and closed)."""
    epochs = range(1, settings.epochs + 1)
    if not settings.progress:
        yield epochs
        return
    from tqdm.auto import tqdm  # imported only when a bar is shown

    # disable=False: an explicit request beats a TQDM_DISABLE left in the environment.
    name = f"fit {type(model).__name__}({model.cell})"
    bar = tqdm(epochs, desc=name, unit="epoch", disable=False)
    try:
        yield bar
    finally:
        bar.close()


# --------------------------------------------------------------------------- the loop


def _real(output, y, lengths):
    """Drop padding steps of a tagger's output and targets: (batch, time, C) -> (steps, C).

    A forecaster's targets are floats: its outputs (``(batch, horizon)``, or ``(batch,
    horizon, k)`` for a quantile or Gaussian head) pass unchanged."""
    if output.ndim == 3 and not y.is_floating_point():
        mask = lengths_to_mask(lengths.to(output.device), output.shape[1])
        return output[mask], y[mask]
    return output, y


def _labels_and_scores(model, output: torch.Tensor):
    """Predicted labels and scores (NumPy) from real-step logits or forecasts."""
    if isinstance(model, Forecaster):
        values = output.double().cpu().numpy()
        return values, values
    proba = torch.softmax(output.double(), dim=-1).cpu().numpy()
    scores = proba[:, 1] if proba.shape[-1] == 2 else proba
    return proba.argmax(axis=-1), scores


def _score(metrics, model, y, output) -> dict[str, float]:
    labels, scores = _labels_and_scores(model, output)
    y_true = y.cpu().numpy()
    return {
        name: float(metric(y_true, scores if isinstance(metric, _ScoreMetric) else labels))
        for name, metric in metrics.items()
    }


def _check_loss(value: float, *, epoch: int, where: str, settings: _Settings) -> None:
    """Stop training with a ValueError at the first NaN or infinite loss."""
    if math.isfinite(value):
        return
    raise ValueError(
        f"The {where} loss became {value} at epoch {epoch}, so training stopped. Likely "
        "causes: NaN or infinite values in the inputs or targets, a `class_weight` that is 0 "
        f"for every class in a batch, or a learning rate too high for this model (lr="
        f"{settings.lr:g}; try a smaller `lr` or a `grad_clip`)."
    )


def _train_epoch(model, loss_fn, optimizer, data, *, order, settings, epoch, keep):
    """One pass over shuffled mini-batches: mean loss, and (if ``keep``) real-step outputs."""
    x, lengths, y = data
    model.train()
    total, count, outputs, targets = 0.0, 0, [], []
    for idx in torch.randperm(len(x), generator=order).split(settings.batch_size):
        output, target = _real(model(x[idx], lengths[idx]), y[idx], lengths[idx])
        loss = loss_fn(output, target)
        value = loss.item()
        _check_loss(value, epoch=epoch, where="training", settings=settings)
        optimizer.zero_grad()
        loss.backward()
        if settings.grad_clip is not None:
            nn.utils.clip_grad_norm_(model.parameters(), settings.grad_clip)
        optimizer.step()
        total += value * len(target)  # weight by rows (or, for a tagger, real steps)
        count += len(target)
        if keep:
            outputs.append(output.detach())
            targets.append(target)
    if not keep:
        return total / count, None, None
    return total / count, torch.cat(outputs), torch.cat(targets)


def _evaluate(model, loss_fn, data, *, batch_size=1024):
    """Loss and real-step outputs on a whole data set, in evaluation mode."""
    outputs, targets = [], []
    for output, lengths, y in _inference(model, _split(data, batch_size)):
        output, target = _real(output, y, lengths)
        outputs.append(output)
        targets.append(target)
    output, target = torch.cat(outputs), torch.cat(targets)
    with torch.no_grad():
        return float(loss_fn(output, target)), output, target


def _split(data, batch_size: int):
    """``(x, lengths, y)`` tensors as batches of ``batch_size`` rows (``y`` may be None)."""
    x, lengths, y = data
    for idx in torch.arange(len(x)).split(batch_size):
        yield x[idx], lengths[idx], None if y is None else y[idx]


def _inference(model, batches, *, device=None):
    """The package's one inference loop: ``(output, lengths, y)`` for each ``(x, lengths, y)``
    batch, with the model in evaluation mode and no gradients; the mode is restored after.

    ``x`` moves to ``device`` (when given); ``lengths`` stay where they are (packing wants
    them on the CPU) and ``y`` is passed through.
    """
    was_training = model.training
    model.eval()
    try:
        for x, lengths, y in batches:
            with torch.no_grad():
                output = model(x if device is None else x.to(device), lengths)
            yield output, lengths, y
    finally:
        model.train(was_training)


def _run_epoch(model, loss_fn, optimizer, settings: _Settings, *, order, epoch) -> dict:
    """Train one epoch, then score it: ``train_loss``, ``val_loss`` and ``<split>_<metric>``."""
    metrics = settings.metrics
    train_loss, output, target = _train_epoch(
        model, loss_fn, optimizer, settings.train, order=order, settings=settings, epoch=epoch,
        keep=bool(metrics),
    )  # fmt: skip
    record = {"train_loss": train_loss}
    if metrics:
        record |= {f"train_{k}": v for k, v in _score(metrics, model, target, output).items()}
    if settings.val is not None:
        record["val_loss"], output, target = _evaluate(model, loss_fn, settings.val)
        _check_loss(record["val_loss"], epoch=epoch, where="validation", settings=settings)
        if metrics:
            record |= {f"val_{k}": v for k, v in _score(metrics, model, target, output).items()}
    return record


class _EarlyStopping:
    """Watches the monitored value: the best epoch, its weights, and when to stop."""

    def __init__(self, *, mode: str, patience: int | None, keep_weights: bool):
        self.mode, self.patience, self.keep_weights = mode, patience, keep_weights
        self.best_epoch: int | None = None
        self.best_value: float | None = None
        self.best_state, self.stale = None, 0

    def update(self, model, epoch: int, value: float) -> bool:
        """Record one epoch's value; True when ``patience`` epochs passed without improving.

        A NaN value is never the best and counts as an epoch without improvement.
        """
        better = not math.isnan(value) and (
            self.best_value is None
            or (value < self.best_value if self.mode == "min" else value > self.best_value)
        )
        if better:
            self.best_epoch, self.best_value, self.stale = epoch, value, 0
            if self.keep_weights:
                self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.stale += 1
        return self.patience is not None and self.stale >= self.patience

    def restore(self, model) -> None:
        """Load the best epoch's weights (if kept)."""
        if self.best_state is not None:
            model.load_state_dict(self.best_state)


def _warn_all_nan(monitor: str, epochs: int) -> None:
    import warnings

    warnings.warn(
        f"`monitor` ({monitor!r}) was NaN at all {epochs} epochs, so no epoch is the best: "
        "`best_epoch` is None and the last epoch's weights are kept. The metric is undefined "
        "on this data (e.g. precision with zero_division=nan when nothing is predicted "
        "positive): monitor the loss, or pass a metric that is defined, such as "
        "zero_division=0.",
        UserWarning,
        stacklevel=3,
    )


def _setup(model, settings: _Settings):
    """Move model and data to the device; the loss and the optimizer."""
    device = settings.device
    model.to(device)
    x, lengths, y = settings.train
    val = settings.val
    settings = replace(
        settings,
        train=(x.to(device), lengths, y.to(device)),
        val=None if val is None else (val[0].to(device), val[1], val[2].to(device)),
    )
    loss = settings.loss
    if loss is None and isinstance(model, Forecaster):
        loss = model.loss  # mean squared error, pinball loss or Gaussian NLL
    elif loss is None:
        weight = settings.class_weight
        loss = nn.CrossEntropyLoss(weight=None if weight is None else weight.to(device))
    optimizer = torch.optim.Adam(
        model.parameters(), lr=settings.lr, weight_decay=settings.weight_decay
    )
    return settings, loss, optimizer


def fit(
    model: nn.Module,
    train,
    val=None,
    *,
    epochs: int = 30,
    lr: float = 1e-2,
    batch_size: int = 32,
    loss: Callable | None = None,
    class_weight=None,
    metrics: Mapping[str, Callable] | None = None,
    monitor: str | None = None,
    mode: str = "auto",
    patience: int | None = None,
    restore_best: bool = True,
    weight_decay: float = 0.0,
    grad_clip: float | None = 1.0,
    seed: int = 0,
    threads: int | None = 1,
    device=None,
    progress: bool | None = None,
) -> History:
    """Train ``model`` with Adam and return its :class:`History`.

    The same ``seed`` (and the same model weights, see the models' ``seed=``) gives a
    bitwise-identical history and model on the same CPU with the same ``threads``.

    Parameters
    ----------
    model : SequenceClassifier, SequenceTagger, NextTokenModel or Forecaster
        The model to train, in place. It is moved to ``device`` and left there.
    train : tuple (x, lengths, y)
        Training data: ``x`` float ``(N, T, F)`` zero-padded (int tokens ``(N, T)`` for a
        NextTokenModel, from :func:`course_utils.data.next_token_data`), ``lengths`` int
        ``(N,)`` (or None for full rows), ``y`` int ``(N,)`` for a classifier, int ``(N, T)``
        for a tagger or next-token model (values at padding steps are ignored) or float
        ``(N, horizon)`` for a forecaster.
    val : tuple (x, lengths, y) or None, default None
        Validation data, evaluated after every epoch.
    epochs : int, default 30
        Maximum number of passes over ``train``.
    lr : float, default 0.01
        Adam's learning rate.
    batch_size : int, default 32
        Sequences per gradient step.
    loss : callable or None, default None
        ``loss(output, target) -> scalar tensor``. None picks cross-entropy (classifier,
        tagger) or the forecaster's own ``model.loss``: mean squared error for a
        ``Forecaster``, the pinball loss for a ``QuantileForecaster``, the Gaussian negative
        log likelihood for a ``GaussianForecaster``. A tagger's output and targets reach it
        with padding steps already removed: ``(steps, classes)`` and ``(steps,)``.
    class_weight : None, "balanced" or sequence of float, default None
        Weights for the default cross-entropy, one per class; "balanced" uses
        ``n / (classes * count)`` from the training labels.
    metrics : dict of str to callable, or None, default None
        ``metric(y_true, y_pred) -> float`` computed each epoch on training and validation
        data, e.g. ``{"f1": f1_score}``; wrap score-based metrics with :func:`needs_scores`.
        A tagger's metrics see real steps only, flattened to ``(steps,)``.
    monitor : str or None, default None
        What early stopping and ``restore_best`` watch: "val_loss" (the default with
        validation data), "train_loss" (the default without), or "val_<name>" /
        "train_<name>" for a metric; a bare metric name means its validation value.
    mode : {"auto", "min", "max"}, default "auto"
        Whether smaller or larger ``monitor`` values are better; "auto" minimises losses and
        maximises metrics (pass "min" for error metrics such as MAE).
    patience : int or None, default None
        Stop after this many epochs without improvement; None trains for all ``epochs``.
        An epoch whose ``monitor`` value is NaN is never the best and counts as an epoch
        without improvement.
    restore_best : bool, default True
        Load the weights of the best epoch at the end (the last epoch's weights stay when
        every ``monitor`` value was NaN).
    weight_decay : float, default 0.0
        Adam's L2 penalty.
    grad_clip : float or None, default 1.0
        Clip the gradient norm to this value (recurrent nets can have exploding gradients);
        None turns clipping off.
    seed : int, default 0
        Seeds the batch order and dropout (every generator, as
        :func:`course_utils.seed_everything` does, except that ``COURSE_SEED`` does not
        replace it: derive it from the seed that ``seed_everything`` returned).
    threads : int or None, default 1
        CPU threads torch may use while training (restored afterwards). The course's tiny
        models train fastest on one thread, and many times slower with two on a busy
        2-core machine; None leaves torch's setting alone.
    device : str, torch.device or None, default None
        Where to train; None picks CUDA when available, else the CPU. A device this machine
        lacks is a ValueError that lists the available ones.
    progress : bool or None, default None
        Show a tqdm progress bar; None shows it unless the ``TQDM_DISABLE`` environment
        variable is set (the book build and tests set it).

    Returns
    -------
    History
        Per-epoch losses and metrics, the best epoch and the time taken.

    Raises
    ------
    TypeError
        If ``model`` is not a course model, ``train``/``val`` are not ``(x, lengths, y)``
        tuples, or an option has the wrong type.
    ValueError
        If shapes, dtypes, lengths or labels do not fit the model, every length of ``train``
        or ``val`` is 0 (no real step to learn from or score), inputs or targets hold
        NaN or infinity, ``class_weight`` is 0 for every class present, an option is out of
        range or ``device`` is not available (the message names it); or, during training,
        if a loss becomes NaN or infinite (the message names the epoch and likely causes).
        Torch's global settings (thread count, deterministic mode) are restored on every
        exit, this one included.

    Warns
    -----
    UserWarning
        If the ``monitor`` value was NaN at every epoch: no epoch is the best
        (``best_epoch`` is None) and the last epoch's weights are kept.

    Examples
    --------
    >>> from course_utils.data import make_long_range_task
    >>> from course_utils.models import SequenceClassifier
    >>> from sklearn.metrics import accuracy_score
    >>> train = make_long_range_task(256, length=10, seed=0)
    >>> val = make_long_range_task(128, length=10, seed=1)
    >>> model = SequenceClassifier(1, 8, 2, seed=0)
    >>> history = fit(model, train, val, epochs=5, metrics={"accuracy": accuracy_score},
    ...               progress=False)
    >>> history.epochs, history.monitor, len(history.metrics["val_accuracy"])
    (5, 'val_loss', 5)
    >>> history.val_loss[-1] < history.val_loss[0]
    True
    """
    settings = _check_settings(
        _check_model(model), train, val, epochs=epochs, lr=lr, batch_size=batch_size, loss=loss,
        class_weight=class_weight, metrics=metrics, monitor=monitor, mode=mode,
        patience=patience, restore_best=restore_best, weight_decay=weight_decay,
        grad_clip=grad_clip, seed=seed, threads=threads, device=device, progress=progress,
    )  # fmt: skip
    start = time.perf_counter()
    history = History(monitor=settings.monitor)
    stopper = _EarlyStopping(
        mode=settings.mode, patience=settings.patience, keep_weights=settings.restore_best
    )
    with (
        _torch_settings(seed=settings.seed, threads=settings.threads),
        _epoch_bar(model, settings) as epochs,
    ):
        order = torch.Generator().manual_seed(settings.seed)  # batch order, apart from init
        settings, loss_fn, optimizer = _setup(model, settings)
        for epoch in epochs:
            record = _run_epoch(model, loss_fn, optimizer, settings, order=order, epoch=epoch)
            history.append(record)
            stop = stopper.update(model, epoch, record[settings.monitor])
            history.best_epoch, history.best_value = stopper.best_epoch, stopper.best_value
            if settings.progress:
                epochs.set_postfix({k: f"{v:.4g}" for k, v in record.items()})
            if stop:
                history.stopped_early = epoch < settings.epochs
                break
    if stopper.best_epoch is None:
        _warn_all_nan(settings.monitor, history.epochs)
    stopper.restore(model)
    model.eval()
    history.seconds = time.perf_counter() - start
    return history


def fit_seeds(
    make_model: Callable[[], nn.Module],
    train,
    *,
    seeds,
    val=None,
    n_jobs=None,
    progress=None,
    **fit_kwargs,
):
    """Train one fresh model per seed: the evidence that a result is not one seed's luck.

    For each seed, every generator is seeded with it, ``make_model()`` builds a fresh model
    (so its initial weights come from that seed, unless ``make_model`` passes its own
    ``seed=``), and :func:`fit` trains it with ``seed=`` that seed (batch order, dropout).
    Run ``k`` is therefore identical to seeding with ``seeds[k]``, building the model and
    calling ``fit(model, train, val, seed=seeds[k], **fit_kwargs)`` by hand, whichever
    ``n_jobs`` is used.

    Parameters
    ----------
    make_model : callable
        ``make_model() -> model``: builds a new, untrained course model each time it is
        called, e.g. ``lambda: SequenceClassifier(12, 32, 9, cell="gru")``.
    train : tuple (x, lengths, y)
        Training data, as in :func:`fit`.
    seeds : sequence of int
        One run per seed, in this order; at least one, no repeats. Derive them from the
        chapter's seed, e.g. ``[SEED + k for k in range(5)]``.
    val : tuple (x, lengths, y) or None, default None
        Validation data, as in :func:`fit`.
    n_jobs : int or None, default None
        How many runs train at the same time, in forked worker processes: None or 1 trains
        them one after another; -1 uses every CPU core. Each run uses one thread (``fit``'s
        default ``threads=1``), so on 2 cores ``n_jobs=2`` nearly halves the time, with
        results identical to ``n_jobs=1`` (same seeds, same weights, same histories). The
        workers show no progress bar. Runs stay sequential where forking is not safe: on a
        GPU, and on systems other than Linux.
    progress : bool or None, default None
        Show one tqdm progress bar over the seeds (a step per finished run, workers'
        included, with the last run's seed and final training loss); the runs themselves show
        no bar of their own. None shows it unless the ``TQDM_DISABLE`` environment variable
        is set (as the book's build and the tests set it).
    **fit_kwargs
        Any other keyword argument of :func:`fit` (``epochs``, ``lr``, ``metrics``, ...),
        except ``seed`` (and ``progress``, which is fit_seeds' own).

    Returns
    -------
    list of (model, History)
        One trained model and its history per seed, in the order of ``seeds``. The global
        random generators are left as the last seed's run leaves them, as with ``n_jobs=1``.

    Raises
    ------
    TypeError
        If ``make_model`` is not callable, ``seeds`` is not a sequence of ints, ``seed`` is
        passed in ``fit_kwargs``, ``n_jobs`` is not an int, ``progress`` is not a bool or
        None, or ``make_model()`` does not return a course model.
    ValueError
        If ``seeds`` is empty, repeats a seed, or holds a seed outside [0, 2**32), or
        ``n_jobs`` is 0 or below -1.

    Examples
    --------
    >>> from course_utils.data import make_long_range_task
    >>> from course_utils.models import SequenceClassifier
    >>> train = make_long_range_task(64, length=6, seed=0)
    >>> runs = fit_seeds(lambda: SequenceClassifier(1, 4, 2), train, seeds=[0, 1],
    ...                  epochs=2, progress=False)
    >>> [history.epochs for _, history in runs]
    [2, 2]
    >>> runs[0][1].train_loss != runs[1][1].train_loss  # other seed, other run
    True
    >>> together = fit_seeds(lambda: SequenceClassifier(1, 4, 2), train, seeds=[0, 1],
    ...                      epochs=2, progress=False, n_jobs=2)  # two processes, same runs
    >>> [h.train_loss for _, h in together] == [h.train_loss for _, h in runs]
    True
    """
    if not callable(make_model):
        raise TypeError(
            "Expected `make_model` to be a callable that builds a fresh model, e.g. "
            f"`lambda: SequenceClassifier(...)`, but got {type(make_model).__name__}."
        )
    if "seed" in fit_kwargs:
        raise TypeError("Expected no `seed` keyword in fit_seeds: pass `seeds=[...]` instead.")
    if isinstance(seeds, str | bytes) or not isinstance(seeds, Sequence | np.ndarray):
        raise TypeError(
            f"Expected `seeds` to be a sequence of ints, e.g. [0, 1, 2], but got {seeds!r}."
        )
    seeds = [check_seed(s, name="seeds") for s in seeds]
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"Expected `seeds` to hold at least one seed and no repeats, got {seeds}.")
    workers = min(_check_n_jobs(n_jobs), len(seeds))
    if workers > 1 and not _can_fork(fit_kwargs.get("device")):
        workers = 1
    show = _progress_enabled(progress)

    def run(seed: int):
        _seed_all(seed)
        model = make_model()
        if not isinstance(model, _MODELS):
            raise TypeError(
                "Expected `make_model()` to return a SequenceClassifier, SequenceTagger or "
                f"Forecaster, but it returned {type(model).__name__}."
            )
        # No bar per run: the seeds' bar (if shown) says how far the whole loop has got.
        return model, fit(model, train, val, seed=seed, progress=False, **fit_kwargs)

    with _seeds_bar(len(seeds), show) as done:
        if workers == 1:
            runs = []
            for seed in seeds:
                runs.append(run(seed))
                done(seed, runs[-1][1])
            return runs
        return _run_in_processes(run, seeds, workers, done)


@contextmanager
def _seeds_bar(total: int, show: bool):
    """``done(seed, history)``, to call when a run finishes: a tqdm bar's step when shown."""
    if not show:
        yield lambda seed, history: None
        return
    from tqdm.auto import tqdm  # imported only when a bar is shown

    # disable=False: an explicit request beats a TQDM_DISABLE left in the environment.
    bar = tqdm(total=total, desc="fit_seeds", unit="seed", disable=False)

    def done(seed, history):
        postfix = {"seed": seed}
        if history is not None and history.train_loss:
            postfix["train_loss"] = f"{history.train_loss[-1]:.4g}"
        bar.set_postfix(postfix)
        bar.update(1)

    try:
        yield done
    finally:
        bar.close()


def _check_n_jobs(n_jobs) -> int:
    """``n_jobs`` as a number of processes (None -> 1, -1 -> every core)."""
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer):
        raise TypeError(f"Expected `n_jobs` to be an int or None, but got {n_jobs!r}.")
    if n_jobs == -1:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if n_jobs < 1:
        raise ValueError(
            f"Expected `n_jobs` to be a positive int, -1 (every core) or None, got {n_jobs}."
        )
    return int(n_jobs)


def _can_fork(device) -> bool:
    """Forked workers are safe only on Linux, and only when CUDA is neither used nor started."""
    import sys

    if not sys.platform.startswith("linux") or torch.cuda.is_initialized():
        return False
    return device is None or _resolve_device(device).type == "cpu"


def _run_in_processes(run, seeds: list[int], workers: int, done=None) -> list:
    """``[run(seed) for seed in seeds]``, spread over ``workers`` processes, parent included.

    The parent trains every ``workers``-th seed counting back from the last one, ending with
    the last seed, so the global random generators end as a sequential loop leaves them. Each
    forked child trains its share with no progress bar, says ``("done", (seed, loss))`` after
    each run, and at the end sends back its models and histories, serialised with
    ``torch.save``; an error in a child is raised here. ``done(seed, history)`` is called as
    each run finishes, the children's included (with a ``_Finished`` that holds only the
    run's last training loss), so a progress bar moves while they train.
    """
    import io
    import multiprocessing
    from multiprocessing.connection import wait

    done = done or (lambda seed, history: None)
    context = multiprocessing.get_context("fork")
    mine = list(range(len(seeds) - 1, -1, -workers))[::-1]
    others = [i for i in range(len(seeds)) if i not in mine]
    shares = [others[w :: workers - 1] for w in range(workers - 1)]
    children = []
    for share in shares:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(run, [seeds[i] for i in share], sender))
        child.start()
        sender.close()
        children.append((share, receiver, child))
    results: dict[int, tuple] = {}
    pending = {receiver: (share, child) for share, receiver, child in children}

    def receive(receiver) -> None:
        share, child = pending[receiver]
        try:
            status, payload = receiver.recv()
        except EOFError:  # the worker died without a word: killed, or out of memory
            child.join()
            status, payload = "error", f"the worker exited with code {child.exitcode}."
        if status == "done":  # one run of the worker's share finished
            seed, loss = payload
            done(seed, _Finished(loss))
            return
        del pending[receiver]
        child.join()
        if status == "error":
            raise RuntimeError(f"Training in a worker process failed:\n{payload}")
        runs = torch.load(io.BytesIO(payload), weights_only=False)
        results.update(zip(share, runs, strict=True))

    try:
        for i in mine:
            results[i] = run(seeds[i])
            done(seeds[i], results[i][1])
            for receiver in list(pending):  # what the workers said meanwhile
                while receiver in pending and receiver.poll():
                    receive(receiver)
        while pending:
            for receiver in wait(list(pending)):
                receive(receiver)
    finally:
        for _, receiver, child in children:
            receiver.close()
            if child.is_alive():
                child.terminate()
            child.join()
    return [results[i] for i in range(len(seeds))]


class _Finished:
    """What the parent knows of a worker's finished run before its results arrive."""

    def __init__(self, loss):
        self.train_loss = [] if loss is None else [loss]


def _child(run, seeds: list[int], sender) -> None:  # pragma: no cover - runs in a fork
    """A worker: train ``seeds`` quietly, send ``("ok", bytes)`` or ``("error", traceback)``."""
    import io
    import traceback

    # The parent's OpenMP thread team does not survive a fork: a parallel torch op here would
    # wait for it for ever. One thread per worker, set before any op, as DataLoader's do.
    torch.set_num_threads(1)
    try:
        runs = []
        for seed in seeds:  # no progress bar here: a fork's would land in the parent's stderr
            runs.append(run(seed))
            losses = runs[-1][1].train_loss
            sender.send(("done", (seed, losses[-1] if losses else None)))  # the parent's bar
        buffer = io.BytesIO()
        torch.save(runs, buffer)
        sender.send(("ok", buffer.getvalue()))
    except BaseException:  # reported to the parent, which raises
        sender.send(("error", traceback.format_exc()))
    finally:
        sender.close()
        os._exit(0)  # skip the parent's atexit handlers and kernel machinery in the fork


# --------------------------------------------------------------------------- predictions


def _model_device(model, device) -> torch.device:
    return next(model.parameters()).device if device is None else _resolve_device(device)


def _outputs(model, x, lengths, *, batch_size, device) -> torch.Tensor:
    """The model's raw outputs for every row, on the CPU, computed in evaluation mode."""
    model = _check_model(model)
    x = _check_inputs(model, x, name="x")
    lengths = check_lengths(lengths, n=x.shape[0], max_length=x.shape[1])
    batch_size = check_int(batch_size, name="batch_size")
    device = _model_device(model, device)
    model.to(device)
    batches = _split((x, lengths, None), batch_size)
    return torch.cat([out.cpu() for out, _, _ in _inference(model, batches, device=device)])


def _require(model, kinds, function):
    if not isinstance(model, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise TypeError(
            f"Expected `model` to be a {names} for {function}, but got {type(model).__name__}."
        )


def predict_proba(model, x, lengths=None, *, batch_size: int = 1024, device=None) -> np.ndarray:
    """Class probabilities (softmax of the logits), as float64 NumPy.

    Parameters
    ----------
    model : SequenceClassifier or SequenceTagger
        A trained model.
    x : torch.Tensor or numpy.ndarray
        Zero-padded inputs, float ``(N, T, F)``.
    lengths : torch.Tensor, numpy.ndarray or None, default None
        Real steps per row ``(N,)``; None means every row is full.
    batch_size : int, default 1024
        Rows per forward pass (memory only: the result does not depend on it).
    device : str, torch.device or None, default None
        Where to run (the model is moved there); None uses the device the model is on.

    Returns
    -------
    numpy.ndarray
        ``(N, C)`` for a classifier, ``(N, T, C)`` for a tagger. A tagger's rows at padding
        steps come from the head's bias alone: mask them out with ``lengths``.

    Raises
    ------
    TypeError
        If ``model`` is a Forecaster (use :func:`predict_forecast`) or inputs have the wrong
        type.
    ValueError
        If shapes or lengths do not fit.

    Examples
    --------
    >>> import torch
    >>> from course_utils.models import SequenceClassifier
    >>> model = SequenceClassifier(3, 4, 5, seed=0)
    >>> proba = predict_proba(model, torch.randn(2, 6, 3), torch.tensor([6, 2]))
    >>> proba.shape, proba.sum(axis=1).round(6).tolist()
    ((2, 5), [1.0, 1.0])
    """
    _require(model, (SequenceClassifier, SequenceTagger), "predict_proba")
    out = _outputs(model, x, lengths, batch_size=batch_size, device=device)
    return torch.softmax(out.double(), dim=-1).numpy()


def predict_scores(model, x, lengths=None, *, batch_size: int = 1024, device=None) -> np.ndarray:
    """Positive-class probability of a binary model: what ROC and PR curves need.

    Parameters
    ----------
    model : SequenceClassifier or SequenceTagger
        A trained model with ``num_classes == 2``; class 1 is the positive class.
    x, lengths, batch_size, device
        As in :func:`predict_proba`.

    Returns
    -------
    numpy.ndarray
        float64 ``(N,)`` for a classifier, ``(N, T)`` for a tagger.

    Raises
    ------
    ValueError
        If the model has more than two classes (use :func:`predict_proba`).
    TypeError
        If ``model`` is a Forecaster.

    Examples
    --------
    >>> import torch
    >>> from course_utils.models import SequenceClassifier
    >>> model = SequenceClassifier(3, 4, 2, seed=0)
    >>> predict_scores(model, torch.randn(5, 6, 3)).shape
    (5,)
    """
    _require(model, (SequenceClassifier, SequenceTagger), "predict_scores")
    if model.num_classes != 2:
        raise ValueError(
            f"Expected a binary `model` (num_classes=2) for predict_scores, but it has "
            f"{model.num_classes} classes; use predict_proba for per-class probabilities."
        )
    return predict_proba(model, x, lengths, batch_size=batch_size, device=device)[..., 1]


def predict(
    model, x, lengths=None, *, threshold: float | None = None, batch_size: int = 1024, device=None
) -> np.ndarray:
    """Predicted labels, as int64 NumPy.

    Parameters
    ----------
    model : SequenceClassifier or SequenceTagger
        A trained model.
    x, lengths, batch_size, device
        As in :func:`predict_proba`.
    threshold : float in [0, 1] or None, default None
        None takes the most probable class. For a binary model, a number predicts class 1
        when its probability is at least ``threshold``.

    Returns
    -------
    numpy.ndarray
        int64 ``(N,)`` for a classifier, ``(N, T)`` for a tagger (padding steps included:
        mask them with ``lengths``).

    Raises
    ------
    ValueError
        If ``threshold`` is outside [0, 1] or given for a model with more than two classes.
    TypeError
        If ``model`` is a Forecaster.

    Examples
    --------
    >>> import torch
    >>> from course_utils.models import SequenceClassifier
    >>> model = SequenceClassifier(3, 4, 2, seed=0)
    >>> x = torch.randn(5, 6, 3)
    >>> predict(model, x, threshold=0.0).tolist()  # every score is >= 0
    [1, 1, 1, 1, 1]
    """
    _require(model, (SequenceClassifier, SequenceTagger), "predict")
    if threshold is None:
        return predict_proba(model, x, lengths, batch_size=batch_size, device=device).argmax(-1)
    threshold = check_float(threshold, name="threshold", low=0.0, high=1.0)
    scores = predict_scores(model, x, lengths, batch_size=batch_size, device=device)
    return (scores >= threshold).astype(np.int64)


def predict_forecast(model, x, lengths=None, *, batch_size: int = 1024, device=None) -> np.ndarray:
    """Forecasts of a :class:`~course_utils.models.Forecaster`, as float64 NumPy.

    Parameters
    ----------
    model : Forecaster
        A trained forecaster.
    x, lengths, batch_size, device
        As in :func:`predict_proba`.

    Returns
    -------
    numpy.ndarray
        ``(N, horizon)``; ``(N, horizon, quantiles)`` for a ``QuantileForecaster`` and
        ``(N, horizon, 2)`` (mean, standard deviation) for a ``GaussianForecaster``.

    Raises
    ------
    TypeError
        If ``model`` is not a Forecaster.

    Examples
    --------
    >>> import torch
    >>> from course_utils.models import Forecaster
    >>> predict_forecast(Forecaster(1, 4, horizon=2, seed=0), torch.randn(3, 8, 1)).shape
    (3, 2)
    """
    _require(model, (Forecaster,), "predict_forecast")
    out = _outputs(model, x, lengths, batch_size=batch_size, device=device)
    return out.double().numpy()


# --------------------------------------------------------------------------- evaluation


def evaluate(
    model, loader, metrics, *, device=None, sync=None, drop_sampler_padding=True
) -> dict[str, object]:
    """Run a model over a ``DataLoader`` once, in evaluation mode, and compute metrics.

    Each batch is ``(x, lengths, y)``, as :mod:`course_utils.data` gives them (e.g.
    ``DataLoader(TensorDataset(x, lengths, y), batch_size=256)``). The model runs under
    ``model.eval()`` and ``torch.no_grad()`` (its mode is restored after), and each batch
    updates one stream per metric (:func:`course_utils.metrics.stream`), so every metric is
    that of all the steps, never a mean over batches. A tagger's padding steps are left out
    (its ``lengths`` go to every update).

    What each metric gets as ``y_pred`` follows the metric: predicted labels (most probable
    class) for label metrics, scores for ranking and calibration metrics (the positive-class
    probability for two classes, else every class's probability), forecasts for regression
    metrics.

    Several processes (``torch.distributed``): give each rank its shard, e.g. with
    ``DistributedSampler(dataset, shuffle=False)``. That sampler repeats samples so every rank
    gets the same number: the last ``world_size - n % world_size`` positions are copies, and
    counting them twice is a classic bug. Here they are dropped (``drop_sampler_padding``):
    the ``k``-th sample a rank sees is position ``rank + k * world_size`` of the padded order,
    a copy when that is ``>= len(dataset)``. Then the streams are synced, so every rank
    returns the metrics of all the data, each sample counted once.

    Parameters
    ----------
    model : SequenceClassifier, SequenceTagger or Forecaster
    loader : iterable of (x, lengths, y)
        Usually a :class:`torch.utils.data.DataLoader`. ``x`` is moved to ``device``.
    metrics : dict of str to (str, metric function or Stream), or list of str or functions
        Metrics of :mod:`course_utils.metrics` (names or functions) or streams with their
        options set, e.g. ``{"f1": stream("f1_score", average="macro")}``. A list names each
        metric by its own name. Streams passed in are updated (pass fresh ones).
    device : str, torch.device or None, default None
        Where to run (the model is moved there); None uses the device the model is on.
    sync : bool or None, default None
        Sync every stream over ``torch.distributed`` after the last batch. None: when the
        loader's sampler is a ``DistributedSampler`` and a process group is initialised.
    drop_sampler_padding : bool, default True
        Leave out the copies a ``DistributedSampler`` (with ``drop_last=False``) appends.

    Returns
    -------
    dict
        ``{name: value}``, each metric's ``compute()``.

    Raises
    ------
    TypeError
        If the model, the batches or a metric are of the wrong kind (e.g. a label metric for
        a Forecaster).
    ValueError
        If a metric refuses the data (as the metric itself would), or the loader yields no
        real step.

    Warns
    -----
    UserWarning
        If the loader's ``DistributedSampler`` has ``drop_last=True`` (it leaves samples out).

    Examples
    --------
    >>> import torch
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> from course_utils.models import SequenceClassifier
    >>> model = SequenceClassifier(3, 4, 2, seed=0)
    >>> x, lengths = torch.randn(10, 6, 3), torch.tensor([6, 5, 4, 3, 2, 6, 5, 4, 3, 2])
    >>> y = torch.tensor([0, 1] * 5)
    >>> loader = DataLoader(TensorDataset(x, lengths, y), batch_size=4)
    >>> result = evaluate(model, loader, ["accuracy_score", "roc_auc_score"])
    >>> sorted(result)
    ['accuracy_score', 'roc_auc_score']
    >>> result["accuracy_score"] == float((predict(model, x, lengths) == y.numpy()).mean())
    True
    """
    model = _check_model(model)
    streams = _check_streams(metrics, model)
    check_bool(drop_sampler_padding, name="drop_sampler_padding")
    if sync is not None:
        check_bool(sync, name="sync")
    device = _model_device(model, device)
    model.to(device)
    is_copy = _sampler_copies(loader) if drop_sampler_padding else None
    tagger = isinstance(model, SequenceTagger)
    seen = 0
    for output, lengths, y in _inference(model, _loader_batches(loader), device=device):
        if is_copy is not None:
            real = ~is_copy(np.arange(seen, seen + len(y)))
            seen += len(y)
            if not real.all():
                keep = torch.from_numpy(real)
                output, lengths, y = output[keep.to(output.device)], lengths[keep], y[keep]
        if len(y) == 0:
            continue
        views = _Views(model, output)
        for s in streams.values():
            s.update(y, views[s.input], lengths=lengths if tagger else None)
    if sync is None:
        sync = _distributed_sampler(loader) is not None and _process_group()
    if sync:
        for s in streams.values():
            s.sync()
    return {name: s.compute() for name, s in streams.items()}


def _check_streams(metrics, model) -> dict:
    from course_utils.metrics import Stream, stream

    if isinstance(metrics, str) or callable(metrics):
        metrics = [metrics]
    if isinstance(metrics, Mapping):
        items = list(metrics.items())
    elif isinstance(metrics, Sequence):
        items = [(m if isinstance(m, str) else getattr(m, "__name__", repr(m)), m) for m in metrics]
    else:
        raise TypeError(
            "Expected `metrics` to be a dict of name -> metric (a name, a metric function or a "
            f"stream) or a list of metrics, but got {type(metrics).__name__}."
        )
    if not items:
        raise ValueError("Expected at least one metric in `metrics`, but got none.")
    streams = {}
    for name, metric in items:
        if not isinstance(name, str) or not name:
            raise ValueError(f"Expected each metric's name to be a non-empty str, got {name!r}.")
        streams[name] = metric if isinstance(metric, Stream) else stream(metric)
        wanted = streams[name].input
        forecaster = isinstance(model, Forecaster)
        if forecaster != (wanted == "values"):
            kind = "forecasts" if forecaster else "labels and scores"
            raise TypeError(
                f"Expected metrics of {kind} for a {type(model).__name__}, but "
                f"`metrics[{name!r}]` ({streams[name].metric}) takes {wanted}."
            )
    return streams


class _Views:
    """What metrics take from a batch's outputs, each computed once, when first asked for."""

    def __init__(self, model, output: torch.Tensor):
        self.model, self.output, self.cache = model, output, {}

    def __getitem__(self, kind: str):
        if kind not in self.cache:
            self.cache[kind] = self._make(kind)
        return self.cache[kind]

    def _make(self, kind: str):
        if kind in ("logits", "values"):
            return self.output
        proba = self["proba"] if kind != "proba" else torch.softmax(self.output.double(), dim=-1)
        if kind == "proba":
            return proba
        if kind == "labels":
            return proba.argmax(dim=-1)
        return proba[..., 1] if proba.shape[-1] == 2 else proba  # "scores"


def _loader_batches(loader):
    try:
        iterator = iter(loader)
    except TypeError:
        raise TypeError(
            f"Expected `loader` to be an iterable of (x, lengths, y) batches (a DataLoader), "
            f"but got {type(loader).__name__}."
        ) from None
    for batch in iterator:
        if not (isinstance(batch, Sequence) and len(batch) == 3):
            raise TypeError(
                "Expected each batch to be (x, lengths, y), e.g. from "
                "DataLoader(TensorDataset(x, lengths, y)), but got "
                f"{type(batch).__name__} of length {len(batch) if hasattr(batch, '__len__') else '?'}."
            )
        x, lengths, y = batch
        yield (
            as_tensor(x, name="x"),
            as_tensor(lengths, name="lengths").cpu(),
            as_tensor(y, name="y"),
        )


def _distributed_sampler(loader):
    from torch.utils.data.distributed import DistributedSampler

    sampler = getattr(loader, "sampler", None)
    return sampler if isinstance(sampler, DistributedSampler) else None


def _sampler_copies(loader):
    """For a DistributedSampler: which of this rank's positions are copies (padding)."""
    sampler = _distributed_sampler(loader)
    if sampler is None:
        return None
    if sampler.drop_last:
        import warnings

        left_out = len(sampler.dataset) - sampler.total_size
        warnings.warn(
            f"The loader's DistributedSampler has drop_last=True: {left_out} samples are left "
            "out of the metrics. Use drop_last=False (evaluate drops its copies).",
            UserWarning,
            stacklevel=3,
        )
        return None
    n, rank, world = len(sampler.dataset), sampler.rank, sampler.num_replicas

    def is_copy(k: np.ndarray) -> np.ndarray:
        return rank + k * world >= n

    return is_copy


def _process_group() -> bool:
    import torch.distributed as dist

    return dist.is_available() and dist.is_initialized()
