"""Seeded synthetic data sets for controlled experiments.

Every generator here is **synthetic**: made up by a few lines of NumPy so that one property
(rare positives, long-range memory, per-step labels) can be switched on and studied. They
follow the course's convention and return ``(x, lengths, y)``: a zero-padded float32 tensor
``(N, T, F)``, int64 lengths ``(N,)`` and int64 labels. The same ``seed`` always gives the
same data.
"""

from __future__ import annotations

import numpy as np
import torch

from course_utils._validation import check_float, check_int, check_seed

#: Names of the features of :func:`make_fraud_sequences`, in order.
FRAUD_FEATURES = ("log_amount", "hour_sin", "hour_cos", "log_gap", "new_merchant")

#: Class names of :func:`make_tagging_task`, indexed by label.
TAGGING_CLASSES = ("idle", "job A", "job B")


def _to_padded(rows: list[np.ndarray], features: int, max_length: int):
    """List of (length_i, features) arrays -> zero-padded (N, T, F) tensor and lengths."""
    x = np.zeros((len(rows), max_length, features), dtype=np.float32)
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    for i, r in enumerate(rows):
        x[i, : len(r)] = r
    return torch.from_numpy(x), torch.from_numpy(lengths)


def _check_length_range(length, *, name: str) -> tuple[int, int]:
    if not isinstance(length, tuple | list) or len(length) != 2:
        raise TypeError(
            f"Expected `{name}` to be a pair (shortest, longest) of ints, but got {length!r}."
        )
    low = check_int(length[0], name=f"{name}[0]")
    high = check_int(length[1], name=f"{name}[1]")
    if low > high:
        raise ValueError(
            f"Expected `{name}` to be (shortest, longest) with shortest <= longest, but got "
            f"{tuple(length)}."
        )
    return low, high


def make_fraud_sequences(
    n: int,
    *,
    prevalence: float = 0.02,
    length: tuple[int, int] = (10, 30),
    signal: float = 1.0,
    seed: int = 0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Synthetic card-transaction histories where a few are fraudulent (label 1).

    Each sequence is one card's recent transactions, five features per transaction
    (``FRAUD_FEATURES``): log amount, hour of day as sine and cosine, log time since the
    previous transaction, and whether the merchant is new to the card. All features are
    roughly standardised already. A fraudulent history ends with a short *card-testing
    burst*: a few quick, small transactions at new merchants late at night, then a large
    one. The burst is weak: its strength varies from card to card and is scaled by
    ``signal``, and honest cards have the occasional night purchase and new merchant too.

    The result is the classic accuracy trap. Trained untreated, a recurrent classifier
    reaches about ``1 - prevalence`` accuracy while catching only a small share of the
    fraud at threshold 0.5 (the course reproduces "98% accuracy, 12% recall"); the scores
    still rank fraud high, so class weights or a lower threshold recover much of it.

    Parameters
    ----------
    n : int
        Number of sequences.
    prevalence : float in [0.01, 0.5], default 0.02
        Share of fraudulent sequences; exactly ``round(prevalence * n)`` of them (at least
        one), placed at random.
    length : (int, int), default (10, 30)
        Shortest and longest history; lengths are drawn uniformly. The shortest must leave
        room for the burst (at least 8).
    signal : float in [0, 5], default 1.0
        Strength of the fraud pattern: 1 is the weak default described above, 2 to 3 makes
        most fraud visible at threshold 0.5, and 0 makes it undetectable.
    seed : int, default 0
        Seed of the generator.

    Returns
    -------
    x : torch.Tensor
        float32 ``(n, length[1], 5)``, zero-padded.
    lengths : torch.Tensor
        int64 ``(n,)``.
    y : torch.Tensor
        int64 ``(n,)``: 1 for fraud, 0 for an honest history.

    Raises
    ------
    ValueError
        If ``n`` is not positive, ``prevalence`` or ``signal`` is out of range, or ``length``
        is not a valid (shortest, longest) pair.
    TypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> x, lengths, y = make_fraud_sequences(1000, prevalence=0.02, seed=0)
    >>> tuple(x.shape), int(y.sum())
    ((1000, 30, 5), 20)
    >>> int(lengths.min()) >= 10, int(lengths.max()) <= 30
    (True, True)
    """
    n = check_int(n, name="n")
    prevalence = check_float(prevalence, name="prevalence", low=0.01, high=0.5)
    low, high = _check_length_range(length, name="length")
    if low < 8:
        raise ValueError(f"Expected `length[0]` to be at least 8, but got {low}.")
    signal = check_float(signal, name="signal", low=0.0, high=5.0)
    rng = np.random.default_rng(check_seed(seed))

    y = np.zeros(n, dtype=np.int64)
    y[rng.choice(n, size=max(1, round(prevalence * n)), replace=False)] = 1
    rows = []
    for label in y:
        steps = int(rng.integers(low, high + 1))
        hour = rng.normal(14, 4, steps) % 24  # honest cards shop mostly in the daytime
        features = np.column_stack(
            [
                rng.normal(0, 1, steps),  # log amount (standardised)
                np.sin(2 * np.pi * hour / 24),
                np.cos(2 * np.pi * hour / 24),
                rng.normal(0, 1, steps),  # log gap since previous transaction (standardised)
                rng.random(steps) < 0.1,  # new merchant
            ]
        )
        if label:
            strength = 0.3 * signal * rng.uniform(0.2, 1.0)  # weak, and some bursts fainter
            burst = int(rng.integers(3, 6))  # small test transactions, then the big one
            part = features[-burst - 1 :]
            night = rng.normal(3, 2, burst + 1) % 24
            part[:, 1] += strength * (np.sin(2 * np.pi * night / 24) - part[:, 1])
            part[:, 2] += strength * (np.cos(2 * np.pi * night / 24) - part[:, 2])
            part[:, 3] -= strength * 1.5  # quick succession
            part[:, 4] = np.maximum(part[:, 4], rng.random(burst + 1) < 0.5 * strength)
            part[:-1, 0] -= strength * 1.0  # small amounts while testing the card ...
            part[-1, 0] += strength * 2.0  # ... then a large one
        rows.append(features)
    x, lengths = _to_padded(rows, len(FRAUD_FEATURES), high)
    return x, lengths, torch.from_numpy(y)


def make_long_range_task(
    n: int, *, length: int, min_length: int | None = None, noise: float = 1.0, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Synthetic memory test: remember the first step of a long, noisy sequence.

    One feature. The first step is +1 (label 1) or -1 (label 0); every later step is
    Gaussian noise with standard deviation ``noise``, which carries no information. A model
    that reads the sequence forwards must hold the first value in its state for
    ``length - 1`` steps. Under a small fixed training budget a plain ``nn.RNN`` often
    stays at chance (its gradient with respect to early steps shrinks over many steps),
    while a ``nn.GRU`` started with its update gates nearly shut learns to keep its state;
    with more epochs or another learning rate some RNN runs learn the task too.

    Parameters
    ----------
    n : int
        Number of sequences; the classes are balanced (``n // 2`` of label 1).
    length : int
        Steps per sequence (all sequences have this length), at least 1; with
        ``min_length``, the longest sequence and the padded time axis.
    min_length : int or None, default None
        If given, lengths are drawn uniformly from ``[min_length, length]`` and the steps
        after each length are zero padding (the same draws as without it, then cut).
    noise : float in [0, 10], default 1.0
        Standard deviation of the distracting steps.
    seed : int, default 0
        Seed of the generator.

    Returns
    -------
    x : torch.Tensor
        float32 ``(n, length, 1)``.
    lengths : torch.Tensor
        int64 ``(n,)``: all ``length``, or drawn from ``[min_length, length]``.
    y : torch.Tensor
        int64 ``(n,)`` in {0, 1}.

    Raises
    ------
    ValueError
        If ``n`` or ``length`` is not positive or ``noise`` is out of range.
    TypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> x, lengths, y = make_long_range_task(6, length=50, seed=0)
    >>> tuple(x.shape), lengths.unique().tolist()
    ((6, 50, 1), [50])
    >>> bool(((x[:, 0, 0] > 0).long() == y).all())  # the label is the sign of step 0
    True
    >>> x, lengths, y = make_long_range_task(6, length=50, min_length=5, seed=0)
    >>> bool(lengths.min() >= 5), bool((x[0, lengths[0]:] == 0).all())
    (True, True)
    """
    n = check_int(n, name="n")
    length = check_int(length, name="length")
    noise = check_float(noise, name="noise", low=0.0, high=10.0)
    rng = np.random.default_rng(check_seed(seed))

    y = rng.permutation(np.arange(n) < n // 2).astype(np.int64)  # balanced, shuffled
    x = rng.normal(0, noise, (n, length, 1)).astype(np.float32)  # (batch, time, features)
    x[:, 0, 0] = np.where(y == 1, 1.0, -1.0)
    lengths = np.full(n, length, dtype=np.int64)
    if min_length is not None:
        min_length = check_int(min_length, name="min_length", low=1, high=length)
        lengths = rng.integers(min_length, length + 1, n).astype(np.int64)
        x[np.arange(length)[None, :] >= lengths[:, None]] = 0.0  # zero padding
    return torch.from_numpy(x), torch.from_numpy(lengths), torch.from_numpy(y)


def make_tagging_task(
    n: int,
    *,
    max_length: int,
    min_length: int | None = None,
    noise: float = 0.2,
    pad_label: int = 0,
    seed: int = 0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Synthetic per-step labels: which job is a machine running at each step?

    Three sensor channels. A spike on channel 0 starts job A, a spike on channel 1 starts
    job B, a spike on channel 2 stops the running job; everywhere else the channels carry
    Gaussian noise, and spikes vary in height, so some are hard to tell from noise. Each
    step is labelled ``TAGGING_CLASSES``: 0 idle (the majority, about half the real steps),
    1 running job A, 2 running job B. The label of a step depends on the last spike before
    it, however long ago: a recurrent model must remember it.

    Padding: steps after ``lengths[i]`` have ``x == 0`` and ``y == pad_label``. The default
    ``pad_label=0`` is the label of the majority class, as in many real pipelines: an
    accuracy that forgets the mask counts every padding step as a correct "idle" and looks
    better than it is. Pass ``pad_label=-100`` (PyTorch's ``ignore_index``) to make padding
    impossible to mistake for a class.

    Parameters
    ----------
    n : int
        Number of sequences.
    max_length : int
        Longest sequence and the padded time axis, at least 2.
    min_length : int or None, default None
        Shortest sequence; None means ``max(2, max_length // 4)``. Lengths are uniform.
    noise : float in [0, 1], default 0.2
        Standard deviation of the noise on every channel. At 0.2 a hand-written rule that
        knows how the data were made tags about 96% of real steps right; at 0.3, about 85%.
    pad_label : int, default 0
        Label written at padding steps.
    seed : int, default 0
        Seed of the generator.

    Returns
    -------
    x : torch.Tensor
        float32 ``(n, max_length, 3)``, zero-padded.
    lengths : torch.Tensor
        int64 ``(n,)``.
    y : torch.Tensor
        int64 ``(n, max_length)``: labels 0..2 at real steps, ``pad_label`` after.

    Raises
    ------
    ValueError
        If a size is out of range or ``min_length > max_length``.
    TypeError
        If an argument has the wrong type.

    Examples
    --------
    >>> x, lengths, y = make_tagging_task(4, max_length=30, seed=0)
    >>> tuple(x.shape), tuple(y.shape)
    ((4, 30, 3), (4, 30))
    >>> i = int(lengths.argmin())
    >>> bool((y[i, lengths[i]:] == 0).all()), bool((x[i, lengths[i]:] == 0).all())
    (True, True)
    """
    n = check_int(n, name="n")
    max_length = check_int(max_length, name="max_length", low=2)
    if min_length is None:
        min_length = max(2, max_length // 4)
    min_length = check_int(min_length, name="min_length", low=1, high=max_length)
    noise = check_float(noise, name="noise", low=0.0, high=1.0)
    pad_label = check_int(pad_label, name="pad_label", low=-(2**31))
    rng = np.random.default_rng(check_seed(seed))

    x = rng.normal(0, noise, (n, max_length, 3)).astype(np.float32)  # (batch, time, channels)
    y = np.full((n, max_length), pad_label, dtype=np.int64)
    lengths = rng.integers(min_length, max_length + 1, n)
    for i, steps in enumerate(lengths):
        state = 0
        for t in range(steps):
            # Idle machines start a job now and then; jobs run about 8 steps on average.
            start = rng.random() < (0.12 if state == 0 else 0.0)
            stop = state != 0 and rng.random() < 0.12
            if start:
                state = int(rng.integers(1, 3))
                x[i, t, state - 1] += rng.uniform(0.8, 1.6)
            elif stop:
                state = 0
                x[i, t, 2] += rng.uniform(0.8, 1.6)
            y[i, t] = state
        x[i, steps:] = 0.0
    return torch.from_numpy(x), torch.from_numpy(lengths.astype(np.int64)), torch.from_numpy(y)
