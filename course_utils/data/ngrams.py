"""N-gram models of token sequences: the rivals a next-token RNN has to beat.

:class:`NGramModel` counts, in the training sequences only, how often each token follows
each context of ``order - 1`` tokens, and turns the counts into next-token probabilities:

- ``smoothing="add-k"``: add ``k`` to every count (Lidstone; ``k=1`` is Laplace). With
  ``order=1`` it is the smoothed **unigram** model: token frequencies, blind to context.
- ``smoothing="kneser-ney"``: interpolated Kneser-Ney (Chen and Goodman, 1998), the
  strongest classic n-gram smoother. Each order subtracts a discount ``D`` from every seen
  count and gives the freed probability to the next lower order, whose counts are
  *continuation* counts (in how many distinct contexts a token appears), down to a uniform
  distribution over the vocabulary. ``D`` is estimated per order as ``n1 / (n1 + 2 n2)``
  from the numbers of counts equal to 1 and 2, unless given.

Every sequence starts with ``order - 1`` start symbols, so the first tokens are predicted
from "the start of a sequence". :meth:`NGramModel.log_proba` returns, for every step,
the log-probabilities of all ``V`` tokens given the real tokens before it: the same
``(N, T, V)`` layout as a model's logits, so :func:`course_utils.metrics.perplexity` scores
both on the same tokens.
"""

from __future__ import annotations

import numbers
from collections import defaultdict

import numpy as np
import torch

from course_utils._validation import check_choice, check_float, check_int, check_seed
from course_utils.data.tokens import PAD, TokenSequences, _as_token_rows

__all__ = ["NGramModel"]


class NGramModel:
    """A next-token model from n-gram counts: unigram, add-k or interpolated Kneser-Ney.

    Parameters
    ----------
    order : int, default 3
        Tokens per n-gram: the model reads the ``order - 1`` tokens before each step (1: a
        unigram model, 2: bigrams, ...).
    smoothing : {"kneser-ney", "add-k"}, default "kneser-ney"
        How counts become probabilities (see the module's docstring).
    k : float > 0, default 1.0
        What "add-k" adds to every count (ignored by Kneser-Ney).
    discount : float in (0, 1) or None, default None
        Kneser-Ney's discount, the same at every order; None estimates one per order.

    Attributes
    ----------
    vocab_size : int
        ``V``, set by :meth:`fit`.
    discounts_ : list of float
        Kneser-Ney's discount per order (lowest first), set by :meth:`fit`.

    Examples
    --------
    >>> train = [[0, 1, 2, 0, 1, 2], [0, 1, 2, 0]]
    >>> model = NGramModel(order=2).fit(train, [6, 4], vocab_size=3)
    >>> logp = model.log_proba([[0, 1, 2]], [3])  # (1, 3, 3): all tokens, every step
    >>> np.exp(logp[0, 1]).round(3).tolist()  # after a 0: almost surely a 1
    [0.006, 0.989, 0.006]
    >>> float(np.exp(logp).sum(axis=-1).max().round(12))
    1.0
    """

    def __init__(self, order: int = 3, *, smoothing: str = "kneser-ney", k: float = 1.0,
                 discount: float | None = None):  # fmt: skip
        self.order = check_int(order, name="order", low=1, high=20)
        self.smoothing = check_choice(smoothing, name="smoothing", choices=("kneser-ney", "add-k"))
        self.k = check_float(k, name="k", low=0.0, high=1e6, low_open=True)
        self.discount = (
            None
            if discount is None
            else check_float(
                discount, name="discount", low=0.0, high=1.0, low_open=True, high_open=True
            )
        )
        self.vocab_size = None

    def __repr__(self) -> str:
        extra = f", k={self.k:g}" if self.smoothing == "add-k" else ""
        return f"NGramModel(order={self.order}, smoothing={self.smoothing!r}{extra})"

    # ------------------------------------------------------------------ fitting

    def _rows(self, tokens, lengths, *, name: str) -> list[list[int]]:
        tokens, lengths = _as_token_rows(tokens, lengths, name=name)
        return [row[:n].tolist() for row, n in zip(tokens, lengths.tolist(), strict=True)]

    def fit(self, tokens, lengths=None, *, vocab_size: int | None = None) -> NGramModel:
        """Count n-grams in the training sequences.

        Parameters
        ----------
        tokens : TokenSequences or array-like of int, shape (N, T)
            Training sequences, padded after each one's end (padding may hold anything).
        lengths : array-like of int, shape (N,), optional
            Real tokens per row (a TokenSequences carries its own; None: every row is full).
        vocab_size : int, optional
            Number of distinct tokens ``V`` (a TokenSequences carries its own; otherwise
            required, so tokens unseen in training still get probability).

        Returns
        -------
        NGramModel
            ``self``, fitted.

        Raises
        ------
        ValueError
            If ``vocab_size`` is missing or a real token is outside ``[0, vocab_size)``.
        """
        if isinstance(tokens, TokenSequences):
            vocab_size = tokens.vocab_size if vocab_size is None else vocab_size
        if vocab_size is None:
            raise ValueError(
                "Expected `vocab_size` (the number of distinct tokens) for plain token "
                "arrays; a TokenSequences carries its own."
            )
        self.vocab_size = check_int(vocab_size, name="vocab_size")
        rows = self._rows(tokens, lengths, name="tokens")
        self._check_tokens(rows, name="tokens")
        n, start = self.order, self.vocab_size  # the start symbol's id
        # raw[m][context of m - 1 tokens] -> (V,) counts of the next token
        raw = {m: defaultdict(lambda: np.zeros(self.vocab_size)) for m in range(1, n + 1)}
        for row in rows:
            padded = [start] * (n - 1) + row
            for t in range(n - 1, len(padded)):
                for m in range(1, n + 1):
                    raw[m][tuple(padded[t - m + 1 : t])][padded[t]] += 1
        self._counts = {n: dict(raw[n])}
        for m in range(n - 1, 0, -1):  # continuation counts: distinct left neighbours
            cont = defaultdict(lambda: np.zeros(self.vocab_size))
            for context, counts in self._counts[m + 1].items():
                if not (context and context[0] == start):
                    cont[context[1:]] += counts > 0
            # A context that opens a sequence has no left neighbour but the start: keep
            # its raw counts (as KenLM does for n-grams that begin with <s>).
            cont.update({c: v for c, v in raw[m].items() if c and c[0] == start})
            self._counts[m] = dict(cont)
        self.discounts_ = [self._estimate_discount(self._counts[m]) for m in range(1, n + 1)]
        self._cache = {}
        return self

    def _check_tokens(self, rows, *, name: str) -> None:
        values = [t for row in rows for t in row]
        if values and (min(values) < 0 or max(values) >= self.vocab_size):
            raise ValueError(
                f"Expected every real token of `{name}` to be in [0, {self.vocab_size}) "
                f"(`vocab_size`), but got values from {min(values)} to {max(values)}."
            )

    def _estimate_discount(self, counts: dict) -> float:
        if self.discount is not None:
            return self.discount
        every = np.concatenate([c for c in counts.values()]) if counts else np.zeros(0)
        n1, n2 = np.sum(every == 1), np.sum(every == 2)
        estimate = n1 / (n1 + 2 * n2) if n1 + 2 * n2 > 0 else 0.5
        # Kept inside [0.05, 0.95]: D = 0 (no count of 1) would give unseen tokens no mass.
        return float(np.clip(estimate, 0.05, 0.95))

    # ------------------------------------------------------------- probabilities

    def _check_fitted(self) -> None:
        if self.vocab_size is None:
            raise ValueError("This NGramModel is not fitted yet: call `fit` first.")

    def _distribution(self, context: tuple) -> np.ndarray:
        """P(next token | the last order-1 tokens), (V,), memoised."""
        found = self._cache.get(context)
        if found is not None:
            return found
        if self.smoothing == "add-k":
            counts = self._counts[self.order].get(context)
            if counts is None:
                p = np.full(self.vocab_size, 1.0 / self.vocab_size)
            else:
                p = (counts + self.k) / (counts.sum() + self.k * self.vocab_size)
        else:
            p = self._kneser_ney(context)
        self._cache[context] = p
        return p

    def _kneser_ney(self, context: tuple) -> np.ndarray:
        p = np.full(self.vocab_size, 1.0 / self.vocab_size)  # order 0: uniform
        for m in range(1, self.order + 1):  # context of m - 1 tokens, shortest first
            counts = self._counts[m].get(context[len(context) - (m - 1) :])
            if counts is None or counts.sum() == 0:
                continue  # unseen context: the lower order's distribution as it is
            total, d = counts.sum(), self.discounts_[m - 1]
            p = np.maximum(counts - d, 0) / total + d * np.count_nonzero(counts) / total * p
        return p

    def log_proba(self, tokens, lengths=None) -> np.ndarray:
        """Log-probabilities of every token at every step, given the real tokens before it.

        Parameters
        ----------
        tokens : TokenSequences or array-like of int, shape (N, T)
            The sequences to score (teacher forcing: step ``t`` sees the true tokens
            ``0..t-1``).
        lengths : array-like of int, shape (N,), optional
            Real tokens per row.

        Returns
        -------
        numpy.ndarray
            float64 ``(N, T, V)``: ``log P(token v at step t | tokens before t)``; padding
            steps hold the uniform ``-log V`` (they carry nothing: score with ``lengths``).

        Raises
        ------
        ValueError
            If the model is not fitted or a real token is outside ``[0, V)``.
        """
        self._check_fitted()
        tokens_t, lengths_t = _as_token_rows(tokens, lengths, name="tokens")
        rows = [row[:n].tolist() for row, n in zip(tokens_t, lengths_t.tolist(), strict=True)]
        self._check_tokens(rows, name="tokens")
        n_rows, steps = tokens_t.shape
        out = np.full((n_rows, steps, self.vocab_size), 1.0 / self.vocab_size)
        start, width = self.vocab_size, self.order - 1
        for i, row in enumerate(rows):
            padded = [start] * width + row
            for t in range(len(row)):
                out[i, t] = self._distribution(tuple(padded[t : t + width]))
        return np.log(out)

    def sample(self, lengths, *, seed: int = 0) -> torch.Tensor:
        """Draw sequences from the model, one token at a time (free running).

        Parameters
        ----------
        lengths : array-like of int, shape (n,)
            How many tokens to draw for each sequence.
        seed : int, default 0
            Seed of a local generator (the global random state is left alone).

        Returns
        -------
        torch.Tensor
            int64 ``(n, max(lengths))``, padded with :data:`~course_utils.data.PAD`.
        """
        self._check_fitted()
        lengths = np.asarray(lengths.cpu() if isinstance(lengths, torch.Tensor) else lengths)
        if lengths.ndim != 1 or not all(isinstance(v, numbers.Integral) for v in lengths.tolist()):
            raise ValueError(f"Expected `lengths` to be a 1-D array of ints, but got {lengths!r}.")
        rng = np.random.default_rng(check_seed(seed))
        out = np.full((len(lengths), int(lengths.max(initial=0))), PAD, dtype=np.int64)
        width = self.order - 1
        for i, n in enumerate(lengths.tolist()):
            history = [self.vocab_size] * width
            for t in range(n):
                p = self._distribution(tuple(history[len(history) - width :]) if width else ())
                out[i, t] = rng.choice(self.vocab_size, p=p / p.sum())
                history.append(int(out[i, t]))
        return torch.from_numpy(out)
