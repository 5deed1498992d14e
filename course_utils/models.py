"""Recurrent models that honour sequence lengths: classify, tag or forecast.

Each model wraps one ``nn.RNN`` or ``nn.GRU`` (``cell="rnn" | "gru"``) and is called as
``model(x, lengths)`` with a zero-padded batch ``x`` of shape ``(batch, time, features)`` and
the true ``lengths`` ``(batch,)``. The batch is packed before the recurrent layer
(:func:`torch.nn.utils.rnn.pack_padded_sequence`), so padding never enters the recurrence:
adding more padding never changes the output. ``lengths=None`` means every row is full.
Lengths follow the package's rule (:mod:`course_utils._validation`): each in ``0..T``; a
sequence of length 0 has no steps, so the model reads it as its initial (zero) state.

- :class:`SequenceClassifier` -- one label per sequence, logits ``(batch, classes)``.
- :class:`SequenceTagger` -- one label per step, logits ``(batch, time, classes)``.
- :class:`Forecaster` -- the next ``horizon`` values, forecasts ``(batch, horizon)``.
- :class:`NextTokenModel` -- the next token at every step of a token sequence: an
  embedding, the recurrent layer and a linear head, logits ``(batch, time, vocab_size)``;
  called with int tokens ``(batch, time)`` instead of float features.
- :class:`QuantileForecaster` -- quantiles of the next ``horizon`` values,
  ``(batch, horizon, quantiles)``, trained with the pinball loss.
- :class:`GaussianForecaster` -- a normal distribution for each of the next ``horizon``
  values, ``(batch, horizon, 2)`` (mean, standard deviation), trained by negative log
  likelihood.

Each forecaster carries its training loss as ``model.loss(output, target)``, which
:func:`~course_utils.training.fit` uses unless given another.
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from course_utils._validation import (
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_lengths,
    check_seed,
    check_sequences,
    lengths_to_mask,
)

__all__ = [
    "CELLS",
    "Forecaster",
    "GaussianForecaster",
    "NextTokenModel",
    "QuantileForecaster",
    "SequenceClassifier",
    "SequenceTagger",
]

#: The recurrent layers a model can use.
CELLS = {"rnn": nn.RNN, "gru": nn.GRU}


class _Recurrent(nn.Module):
    """The part every model shares: check the batch, pack it, run ``nn.RNN``/``nn.GRU``."""

    def __init__(
        self, input_size, hidden_size, *, cell, num_layers, dropout, bidirectional, update_gate_bias
    ):
        super().__init__()
        self.input_size = check_int(input_size, name="input_size")
        self.hidden_size = check_int(hidden_size, name="hidden_size")
        self.cell = check_choice(cell, name="cell", choices=tuple(CELLS))
        self.num_layers = check_int(num_layers, name="num_layers")
        dropout = check_float(dropout, name="dropout", low=0.0, high=1.0, high_open=True)
        check_bool(bidirectional, name="bidirectional")
        self.rnn = CELLS[cell](
            input_size,
            hidden_size,
            num_layers=num_layers,
            # nn.RNN/nn.GRU apply dropout between stacked layers only; we also apply it
            # to the output that feeds the head, so one layer still gets regularised.
            dropout=dropout if num_layers > 1 else 0.0,
            bidirectional=bidirectional,
            batch_first=True,
        )
        self.dropout = nn.Dropout(dropout)
        self.directions = 2 if bidirectional else 1
        self.output_size = hidden_size * self.directions
        if update_gate_bias is not None:
            if cell != "gru":
                raise ValueError(
                    "Expected `update_gate_bias` to be None for cell='rnn' (a plain RNN has no "
                    f"update gate), but got {update_gate_bias!r}."
                )
            bias = check_float(update_gate_bias, name="update_gate_bias", low=-10.0, high=10.0)
            self._start_keeping_state(bias)

    def _start_keeping_state(self, bias: float) -> None:
        """Start every GRU update gate z at sigmoid(bias), so a fresh GRU keeps its state.

        nn.GRU computes h_t = (1 - z) * candidate + z * h_{t-1}, with z's biases stored in
        the middle third of ``bias_ih`` and ``bias_hh`` ([reset | update | new]). The two
        add up, so one gets ``bias`` and the other 0.
        """
        h = self.hidden_size
        with torch.no_grad():
            for name, param in self.rnn.named_parameters():
                if name.startswith("bias_ih"):
                    param[h : 2 * h] = bias
                elif name.startswith("bias_hh"):
                    param[h : 2 * h] = 0.0

    def check(self, x, lengths) -> tuple[torch.Tensor, torch.Tensor]:
        """Validate a batch once: ``x`` (batch, time, input_size) float, lengths on the CPU."""
        x = check_sequences(x, features=self.input_size)
        lengths = check_lengths(lengths, n=x.shape[0], max_length=x.shape[1])
        return x.to(dtype=self.rnn.weight_ih_l0.dtype), lengths

    def _run(self, x, lengths):
        # pack_padded_sequence refuses empty rows: run them for one (padding) step and zero
        # what they produce afterwards (see encode and encode_steps).
        # enforce_sorted=False: sorting by length is done (and undone) for us.
        packed = pack_padded_sequence(
            x, lengths.clamp(min=1), batch_first=True, enforce_sorted=False
        )
        return self.rnn(packed)

    def encode(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """The last real hidden state of each (checked) sequence, ``(batch, hidden * dirs)``.

        For a bidirectional layer it joins the forward state after the last real step with
        the backward state after reading back to the first step. An empty sequence
        (length 0) gives the initial state, zero.
        """
        _, h_n = self._run(x, lengths)  # h_n: (layers * directions, batch, hidden)
        last_layer = h_n[-self.directions :]  # (directions, batch, hidden)
        h = torch.cat(list(last_layer), dim=-1)  # (batch, hidden * directions)
        empty = lengths == 0
        if empty.any():
            h = torch.where(empty.to(h.device)[:, None], torch.zeros_like(h), h)
        return h

    def encode_steps(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """The hidden state at every step, ``(batch, time, hidden * dirs)``; zero at padding."""
        out, _ = self._run(x, lengths)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        if (lengths == 0).any():
            real = lengths_to_mask(lengths.to(out.device), x.shape[1])[..., None]
            out = torch.where(real, out, torch.zeros_like(out))
        return out  # (batch, time, hidden * directions)

    def extra_repr(self) -> str:
        return f"cell={self.cell!r}"


@contextmanager
def _seeded(seed):
    """Draw initial weights from ``seed`` (if given) without touching the global generator."""
    if seed is None:
        yield
        return
    seed = check_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


class _Labeller(nn.Module):
    """A recurrent encoder and a linear head to class logits; subclasses choose what to label
    (the whole sequence or every step) in ``forward``."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_classes: int,
        *,
        cell: str = "gru",
        num_layers: int = 1,
        dropout: float = 0.0,
        bidirectional: bool = False,
        update_gate_bias: float | None = None,
        seed: int | None = None,
    ):
        super().__init__()
        self.num_classes = check_int(num_classes, name="num_classes", low=2)
        with _seeded(seed):
            self.encoder = _Recurrent(
                input_size,
                hidden_size,
                cell=cell,
                num_layers=num_layers,
                dropout=dropout,
                bidirectional=bidirectional,
                update_gate_bias=update_gate_bias,
            )
            self.head = nn.Linear(self.encoder.output_size, num_classes)

    @property
    def cell(self) -> str:
        return self.encoder.cell


class SequenceClassifier(_Labeller):
    """One label per sequence: a recurrent layer, its last real state, a linear head.

    Parameters
    ----------
    input_size : int
        Features per step (the last axis of ``x``).
    hidden_size : int
        Size of the recurrent state.
    num_classes : int
        Number of classes (2 for a binary task: the model returns two logits).
    cell : {"gru", "rnn"}, default "gru"
        ``nn.GRU`` or the plain ``nn.RNN`` (tanh).
    num_layers : int, default 1
        Stacked recurrent layers.
    dropout : float in [0, 1), default 0.0
        Dropout on the state that feeds the head (and between stacked layers).
    bidirectional : bool, default False
        Also read each sequence backwards (its true end first, never the padding).
    update_gate_bias : float or None, default None
        GRU only. Start every update gate at ``sigmoid(update_gate_bias)`` instead of
        PyTorch's random init around 0.5: 3.0 (z = 0.95) makes a fresh GRU keep its state
        for tens of steps, so it learns long-range dependencies much sooner (the GRU
        analogue of the LSTM forget-gate bias of 1). None keeps PyTorch's initialisation.
    seed : int or None, default None
        If given, draw the initial weights from this seed without touching the global
        random state, so the same seed always gives the same model.

    Raises
    ------
    ValueError
        If a size is not a positive int, ``cell`` is unknown, ``dropout`` is outside
        [0, 1), or ``update_gate_bias`` is given for ``cell="rnn"``.
    TypeError
        If a size is not an int or ``bidirectional`` is not a bool.

    Examples
    --------
    >>> import torch
    >>> model = SequenceClassifier(12, 16, 9, cell="gru", seed=0)
    >>> x = torch.randn(4, 29, 12)  # (batch, time, features)
    >>> lengths = torch.tensor([29, 20, 7, 12])
    >>> model(x, lengths).shape  # logits (batch, classes)
    torch.Size([4, 9])
    >>> longer = torch.cat([x, torch.zeros(4, 10, 12)], dim=1)  # more padding
    >>> torch.allclose(model(x, lengths), model(longer, lengths))
    True
    >>> SequenceClassifier(12, 16, 9, cell="lstm")
    Traceback (most recent call last):
        ...
    course_utils._params.InvalidParameterError: Expected `cell` to be one of 'rnn', 'gru', but got 'lstm'.
    """

    def forward(self, x: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """Logits ``(batch, num_classes)`` for a padded batch ``(batch, time, features)``."""
        x, lengths = self.encoder.check(x, lengths)
        h = self.encoder.encode(x, lengths)  # (batch, hidden * directions)
        return self.head(self.encoder.dropout(h))  # (batch, classes)


class SequenceTagger(_Labeller):
    """One label per step: a recurrent layer and a linear head applied at every step.

    Parameters are those of :class:`SequenceClassifier`; ``bidirectional=True`` lets each
    step's label depend on the steps after it as well.

    The logits at padding steps (``t >= lengths[i]``) are the head's bias alone: they carry
    no information and must be left out of losses and metrics (pass ``lengths`` or a mask).

    Raises
    ------
    ValueError
        If a size is not a positive int, ``cell`` is unknown, ``dropout`` is outside
        [0, 1), or ``update_gate_bias`` is given for ``cell="rnn"``.
    TypeError
        If a size is not an int or ``bidirectional`` is not a bool.

    Examples
    --------
    >>> import torch
    >>> model = SequenceTagger(2, 16, 3, cell="rnn", seed=0)
    >>> x, lengths = torch.randn(4, 30, 2), torch.tensor([30, 5, 17, 1])
    >>> model(x, lengths).shape  # logits (batch, time, classes)
    torch.Size([4, 30, 3])
    """

    def forward(self, x: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """Logits ``(batch, time, num_classes)`` for a padded batch ``(batch, time, features)``."""
        x, lengths = self.encoder.check(x, lengths)
        h = self.encoder.encode_steps(x, lengths)  # (batch, time, hidden * directions)
        return self.head(self.encoder.dropout(h))  # (batch, time, classes)


class Forecaster(nn.Module):
    """The next ``horizon`` values of a series from a window of its past.

    The model reads the window and predicts the *change* from the window's last real value
    of feature ``target`` (the persistence forecast), so the default forecast already equals
    "tomorrow looks like today" and training learns the correction. This keeps a small model
    honest on trending series such as the airline passengers, whose later values lie above
    anything seen in training. Pass ``residual=False`` to predict the values directly. An
    empty window (length 0) has no last value: its forecast is the change from 0.

    Parameters
    ----------
    input_size : int
        Features per step (1 for a univariate series).
    hidden_size : int
        Size of the recurrent state.
    horizon : int, default 1
        How many future steps to predict.
    cell : {"gru", "rnn"}, default "gru"
        ``nn.GRU`` or the plain ``nn.RNN`` (tanh).
    num_layers : int, default 1
        Stacked recurrent layers.
    dropout : float in [0, 1), default 0.0
        Dropout on the state that feeds the head (and between stacked layers).
    residual : bool, default True
        Predict the change from the last observed value of feature ``target``.
    target : int, default 0
        The feature being forecast (used when ``residual`` is True).
    update_gate_bias : float or None, default None
        GRU only: see :class:`SequenceClassifier`.
    seed : int or None, default None
        If given, draw the initial weights from this seed without touching the global
        random state.

    Raises
    ------
    ValueError
        If a size is not a positive int, ``cell`` is unknown, ``dropout`` is outside [0, 1),
        ``target`` is not a feature index, or ``update_gate_bias`` is given for
        ``cell="rnn"``.
    TypeError
        If a size is not an int or ``residual`` is not a bool.

    Examples
    --------
    >>> import torch
    >>> model = Forecaster(1, 8, horizon=3, seed=0)
    >>> x = torch.randn(5, 12, 1)  # (batch, time, features)
    >>> model(x).shape  # forecasts (batch, horizon)
    torch.Size([5, 3])
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        horizon: int = 1,
        *,
        cell: str = "gru",
        num_layers: int = 1,
        dropout: float = 0.0,
        residual: bool = True,
        target: int = 0,
        update_gate_bias: float | None = None,
        seed: int | None = None,
    ):
        super().__init__()
        self.horizon = check_int(horizon, name="horizon")
        self.residual = check_bool(residual, name="residual")
        with _seeded(seed):
            self.encoder = _Recurrent(
                input_size,
                hidden_size,
                cell=cell,
                num_layers=num_layers,
                dropout=dropout,
                bidirectional=False,
                update_gate_bias=update_gate_bias,
            )
            self.head = nn.Linear(self.encoder.output_size, horizon * self._outputs_per_step)
        self.target = check_int(target, name="target", low=0, high=self.encoder.input_size - 1)

    #: Head outputs per forecast step (1 for a point forecast).
    _outputs_per_step = 1

    @property
    def cell(self) -> str:
        return self.encoder.cell

    def _last_value(self, x, lengths) -> torch.Tensor:
        """The last real value of feature ``target`` per row ``(batch,)``; 0 if none, or if
        the model is not residual."""
        if not self.residual:
            return torch.zeros(x.shape[0], dtype=x.dtype, device=x.device)
        rows = torch.arange(x.shape[0], device=x.device)
        lengths = lengths.to(x.device)
        last = x[rows, (lengths - 1).clamp(min=0), self.target]  # (batch,) last real value
        return torch.where(lengths > 0, last, torch.zeros_like(last))  # nothing seen: 0

    def _head(self, x, lengths) -> tuple[torch.Tensor, torch.Tensor]:
        """The head's output ``(batch, horizon * outputs per step)`` and the last values."""
        x, lengths = self.encoder.check(x, lengths)
        h = self.encoder.encode(x, lengths)  # (batch, hidden)
        return self.head(self.encoder.dropout(h)), self._last_value(x, lengths)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """Forecasts ``(batch, horizon)`` for a padded batch of windows ``(batch, time, features)``."""
        change, last = self._head(x, lengths)  # (batch, horizon), (batch,)
        return last[:, None] + change  # (batch, horizon)

    def loss(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """The training loss :func:`~course_utils.training.fit` uses by default: mean squared
        error over rows and horizons."""
        return F.mse_loss(output, target)


class QuantileForecaster(Forecaster):
    """Quantiles of the next ``horizon`` values, trained with the pinball loss.

    One head output per horizon and quantile level; the outputs are sorted along the last
    axis, so the quantiles never cross. Trained with :meth:`loss`, the mean pinball loss
    over rows, horizons and levels, each output learns its level's quantile of the future
    value (the pinball loss is smallest at the true quantile): ``quantiles=(0.05, 0.5,
    0.95)`` gives a median forecast and a 90% interval in one model.

    Parameters
    ----------
    input_size, hidden_size, horizon
        As in :class:`Forecaster`.
    quantiles : sequence of float in (0, 1), default (0.05, 0.5, 0.95)
        The quantile levels, increasing.
    cell, num_layers, dropout, residual, target, update_gate_bias, seed
        As in :class:`Forecaster`: with ``residual=True`` every quantile is predicted as a
        change from the window's last value.

    Raises
    ------
    ValueError
        As :class:`Forecaster`, or if ``quantiles`` is empty, not increasing, or has a level
        outside (0, 1).

    Examples
    --------
    >>> import torch
    >>> model = QuantileForecaster(1, 8, horizon=3, quantiles=(0.1, 0.5, 0.9), seed=0)
    >>> q = model(torch.randn(5, 12, 1))
    >>> q.shape  # (batch, horizon, quantiles)
    torch.Size([5, 3, 3])
    >>> bool((q.diff(dim=-1) >= 0).all())  # sorted: the quantiles never cross
    True
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        horizon: int = 1,
        *,
        quantiles=(0.05, 0.5, 0.95),
        **kwargs,
    ):
        levels = [check_float(q, name="quantiles", low=0.0, high=1.0, low_open=True, high_open=True)
                  for q in quantiles]  # fmt: skip
        if not levels or any(b <= a for a, b in itertools.pairwise(levels)):
            raise ValueError(
                f"Expected `quantiles` to be increasing levels in (0, 1), e.g. (0.05, 0.5, "
                f"0.95), but got {tuple(quantiles)!r}."
            )
        self.quantiles = tuple(levels)
        self._outputs_per_step = len(levels)
        super().__init__(input_size, hidden_size, horizon, **kwargs)
        self.register_buffer("_levels", torch.tensor(levels), persistent=False)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """Quantile forecasts ``(batch, horizon, quantiles)``, sorted along the last axis."""
        change, last = self._head(x, lengths)
        change = change.view(change.shape[0], self.horizon, len(self.quantiles))
        return torch.sort(last[:, None, None] + change, dim=-1).values

    def loss(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Mean pinball loss of quantile forecasts ``(batch, horizon, quantiles)`` against
        targets ``(batch, horizon)``."""
        diff = target[..., None] - output  # (batch, horizon, quantiles)
        levels = self._levels.to(output.device, output.dtype)
        return torch.maximum(levels * diff, (levels - 1) * diff).mean()


class GaussianForecaster(Forecaster):
    """A normal distribution for each of the next ``horizon`` values, trained by negative
    log likelihood.

    Two head outputs per horizon: the mean (a change from the window's last value when
    ``residual=True``) and the standard deviation, made positive by a softplus plus
    ``min_scale``. Trained with :meth:`loss`, the Gaussian negative log likelihood, the mean
    learns the expected value and the scale how far outcomes stray from it, so
    ``mean +- 1.645 * std`` is a 90% interval if the errors really are normal.

    Parameters
    ----------
    input_size, hidden_size, horizon
        As in :class:`Forecaster`.
    min_scale : float, default 1e-3
        Smallest standard deviation (in the units of the targets), so the likelihood stays
        finite.
    cell, num_layers, dropout, residual, target, update_gate_bias, seed
        As in :class:`Forecaster`.

    Raises
    ------
    ValueError
        As :class:`Forecaster`, or if ``min_scale`` is not positive.

    Examples
    --------
    >>> import torch
    >>> model = GaussianForecaster(1, 8, horizon=4, seed=0)
    >>> out = model(torch.randn(5, 12, 1))
    >>> out.shape  # (batch, horizon, [mean, std])
    torch.Size([5, 4, 2])
    >>> bool((out[..., 1] > 0).all())
    True
    """

    _outputs_per_step = 2

    def __init__(
        self, input_size: int, hidden_size: int, horizon: int = 1, *, min_scale=1e-3, **kwargs
    ):
        self.min_scale = check_float(min_scale, name="min_scale", low=0.0, high=float("inf"),
                                     low_open=True, high_open=True)  # fmt: skip
        super().__init__(input_size, hidden_size, horizon, **kwargs)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """Mean and standard deviation ``(batch, horizon, 2)`` of each future value."""
        out, last = self._head(x, lengths)
        out = out.view(out.shape[0], self.horizon, 2)
        mean = last[:, None] + out[..., 0]
        std = F.softplus(out[..., 1]) + self.min_scale
        return torch.stack([mean, std], dim=-1)

    def loss(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Mean Gaussian negative log likelihood (without the constant ``log(2 pi) / 2``)."""
        mean, std = output[..., 0], output[..., 1]
        return (torch.log(std) + 0.5 * ((target - mean) / std) ** 2).mean()


class NextTokenModel(SequenceTagger):
    """A next-token (language) model: embedding, ``nn.RNN``/``nn.GRU``, linear head.

    Called as ``model(x, lengths)`` with int tokens ``x`` ``(batch, time)``, where ``x[:, t]``
    is the token *before* the one to predict at step ``t`` (``x[:, 0]`` a start token): what
    :func:`course_utils.data.next_token_data` builds. It returns logits
    ``(batch, time, vocab_size)`` for the next token at every step. The recurrent layer
    reads forwards only, so step ``t`` sees ``x[:, :t + 1]`` and nothing later. Inputs at
    padding steps are never read (they may hold anything); the logits there are the head's
    bias alone and must be left out of losses and metrics (pass ``lengths``).

    It is a :class:`SequenceTagger` whose labels are the next tokens, so
    :func:`course_utils.training.fit` trains it with cross-entropy over real tokens (the
    per-token loss) and ``predict_proba`` returns ``(batch, time, vocab_size)``.

    Parameters
    ----------
    vocab_size : int
        Number of real tokens ``V`` (at least 2); the embedding has one more row, for the
        start token ``V``.
    hidden_size : int
        Size of the recurrent state.
    embedding_dim : int or None, default None
        Size of each token's embedding; None uses ``hidden_size``.
    cell : {"gru", "rnn"}, default "gru"
        ``nn.GRU`` or the plain ``nn.RNN`` (tanh).
    num_layers : int, default 1
        Stacked recurrent layers.
    dropout : float in [0, 1), default 0.0
        Dropout on the embeddings and on the state that feeds the head.
    update_gate_bias : float or None, default None
        GRU only: see :class:`SequenceClassifier`.
    seed : int or None, default None
        If given, draw the initial weights from this seed without touching the global
        random state.

    Raises
    ------
    ValueError
        If a size is not a positive int (``vocab_size`` below 2), ``cell`` is unknown or
        ``dropout`` is outside [0, 1); when called, if a token at a real step is outside
        ``[0, vocab_size]``.
    TypeError
        If a size is not an int, or ``x`` is not an integer tensor ``(batch, time)``.

    Examples
    --------
    >>> import torch
    >>> model = NextTokenModel(31, 32, cell="gru", seed=0)
    >>> x = torch.tensor([[31, 5, 7, 9], [31, 2, 0, 0]])  # start token 31, then the tokens
    >>> lengths = torch.tensor([4, 2])
    >>> model(x, lengths).shape  # logits (batch, time, vocab_size)
    torch.Size([2, 4, 31])
    >>> sample = model.sample(torch.tensor([6, 3]), seed=0)  # free-running generation
    >>> sample.shape, int(sample[1, 3])  # padded with PAD (-100) after each length
    (torch.Size([2, 6]), -100)
    """

    def __init__(
        self,
        vocab_size: int,
        hidden_size: int,
        *,
        embedding_dim: int | None = None,
        cell: str = "gru",
        num_layers: int = 1,
        dropout: float = 0.0,
        update_gate_bias: float | None = None,
        seed: int | None = None,
    ):
        vocab_size = check_int(vocab_size, name="vocab_size", low=2)
        hidden_size = check_int(hidden_size, name="hidden_size")
        embedding_dim = (
            hidden_size if embedding_dim is None else check_int(embedding_dim, name="embedding_dim")
        )
        with _seeded(seed):
            # The seed covers the embedding too: it is drawn first, then the layers.
            embedding = nn.Embedding(vocab_size + 1, embedding_dim)
            super().__init__(
                embedding_dim,
                hidden_size,
                vocab_size,
                cell=cell,
                num_layers=num_layers,
                dropout=dropout,
                bidirectional=False,
                update_gate_bias=update_gate_bias,
                seed=None,
            )
        self.embedding = embedding
        self.vocab_size = vocab_size

    @property
    def start_token(self) -> int:
        """The id of the start token, ``vocab_size``."""
        return self.vocab_size

    def check_tokens(self, x, lengths, *, name: str = "x") -> tuple[torch.Tensor, torch.Tensor]:
        """Validate a batch of int tokens ``(batch, time)`` and its lengths."""
        if not isinstance(x, torch.Tensor):
            import numpy as np

            if not isinstance(x, np.ndarray | list | tuple):
                raise TypeError(
                    f"Expected `{name}` to be a tensor of token ids, but got {type(x).__name__}."
                )
            x = torch.as_tensor(np.asarray(x))
        if x.ndim != 2 or x.is_floating_point() or x.is_complex() or x.dtype == torch.bool:
            raise TypeError(
                f"Expected `{name}` to be an integer tensor of token ids shaped (batch, time) "
                f"(built by course_utils.data.next_token_data), but got {x.dtype} of shape "
                f"{tuple(x.shape)}."
            )
        if x.shape[0] == 0 or x.shape[1] == 0:
            raise ValueError(
                f"Expected `{name}` to hold at least one sequence of at least one step, but got "
                f"shape {tuple(x.shape)}."
            )
        lengths = check_lengths(lengths, n=x.shape[0], max_length=x.shape[1])
        real = lengths_to_mask(lengths.to(x.device), x.shape[1])
        values = x[real]
        if values.numel() and (int(values.min()) < 0 or int(values.max()) > self.vocab_size):
            raise ValueError(
                f"Expected the tokens in `{name}` to be in [0, {self.vocab_size}] (the "
                f"{self.vocab_size} real tokens and the start token {self.vocab_size}) at real "
                f"steps, but got values from {int(values.min())} to {int(values.max())}."
            )
        x = torch.where(real, x.long(), torch.zeros_like(x, dtype=torch.long))  # pad: any
        return x, lengths

    def forward(self, x: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """Logits ``(batch, time, vocab_size)`` for int tokens ``(batch, time)``."""
        x, lengths = self.check_tokens(x, lengths)
        emb = self.encoder.dropout(self.embedding(x))  # (batch, time, embedding_dim)
        # Forwards only, so padding after a sequence's end cannot reach its real steps:
        # no packing needed (and the padded batch runs about 3 times faster on a CPU).
        h, _ = self.encoder.rnn(emb)  # (batch, time, hidden)
        real = lengths_to_mask(lengths.to(h.device), x.shape[1])[..., None]
        h = torch.where(real, h, torch.zeros_like(h))  # padding: the head's bias alone
        return self.head(self.encoder.dropout(h))  # (batch, time, vocab_size)

    @torch.no_grad()
    def sample(self, lengths, *, temperature: float = 1.0, seed: int = 0) -> torch.Tensor:
        """Generate sequences token by token, each fed back as the next input (free running).

        Parameters
        ----------
        lengths : array-like of int, shape (n,)
            How many tokens to draw for each sequence.
        temperature : float > 0, default 1.0
            Divides the logits before sampling: below 1 favours likely tokens.
        seed : int, default 0
            Seed of a local generator (the global random state is left alone).

        Returns
        -------
        torch.Tensor
            int64 ``(n, max(lengths))`` on the CPU, padded with -100 (``PAD``).
        """
        lengths = check_lengths(
            torch.as_tensor(lengths), n=len(lengths), max_length=int(max(lengths, default=0))
        )
        temperature = check_float(temperature, name="temperature", low=0.0, high=1e3, low_open=True)
        generator = torch.Generator().manual_seed(check_seed(seed))
        was_training = self.training
        self.eval()
        device = self.head.weight.device
        n, steps = len(lengths), int(lengths.max()) if len(lengths) else 0
        out = torch.full((n, steps), -100, dtype=torch.int64)
        token = torch.full((n, 1), self.start_token, dtype=torch.int64, device=device)
        state = None
        for t in range(steps):
            h, state = self.encoder.rnn(self.embedding(token), state)  # h: (n, 1, hidden)
            probs = torch.softmax(self.head(h[:, 0]).double().cpu() / temperature, dim=-1)
            drawn = torch.multinomial(probs, 1, generator=generator)  # (n, 1)
            out[:, t] = torch.where(lengths > t, drawn[:, 0], out[:, t])
            token = drawn.to(device)
        self.train(was_training)
        return out
