"""Token sequences for next-token models: a padded corpus, model inputs and near-duplicates.

A corpus of token sequences is held as :class:`TokenSequences`: ``tokens`` int64 ``(N, T)``
padded with :data:`PAD` (PyTorch's ``ignore_index``, -100) after each sequence's last real
token, ``lengths`` int64 ``(N,)``, the ``vocabulary`` (token ``i`` is ``vocabulary[i]``),
one name per sequence and one ``group`` id per sequence (sequences that must stay on one side
of a split, such as several settings of one melody).

- :func:`next_token_data` turns it into ``(x, lengths, y)`` for
  :func:`course_utils.training.fit` and :class:`course_utils.models.NextTokenModel`: the
  model reads a start token and then the sequence, and predicts each real token from the
  ones before it.
- :func:`near_duplicates` finds, for each sequence, the most similar sequence of another set
  (a test sequence that nearly repeats a training one makes the test too easy).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import torch

from course_utils._validation import check_float, check_lengths

__all__ = ["PAD", "TokenSequences", "near_duplicates", "next_token_data", "sequence_similarity"]

#: What the padding of :class:`TokenSequences` holds: PyTorch's default ``ignore_index``.
PAD = -100


@dataclass(frozen=True, eq=False)
class TokenSequences:
    """A padded corpus of token sequences.

    Attributes
    ----------
    tokens : torch.Tensor
        int64 ``(N, T)``: token ids in ``0..len(vocabulary)-1``, :data:`PAD` after the end.
    lengths : torch.Tensor
        int64 ``(N,)``: real tokens per sequence.
    vocabulary : tuple of str
        The name of every token id.
    names : tuple of str
        One name per sequence (for the chorales, the BWV number of the setting).
    groups : numpy.ndarray
        int64 ``(N,)``: sequences with one group id must stay in one split
        (:func:`course_utils.data.grouped_split`).

    Indexing with an int array, a list or a slice gives the chosen sequences, padded to the
    longest of them: ``corpus[train_idx]``.
    """

    tokens: torch.Tensor
    lengths: torch.Tensor
    vocabulary: tuple
    names: tuple
    groups: np.ndarray

    @property
    def vocab_size(self) -> int:
        """Number of distinct tokens (the models' ``vocab_size``)."""
        return len(self.vocabulary)

    @property
    def n_tokens(self) -> int:
        """Number of real tokens in the corpus (padding excluded)."""
        return int(self.lengths.sum())

    def __len__(self) -> int:
        return int(self.tokens.shape[0])

    def __getitem__(self, index) -> TokenSequences:
        if isinstance(index, int | np.integer):
            index = [int(index)]
        rows = np.arange(len(self))[index]
        rows_t = torch.as_tensor(rows, dtype=torch.int64)
        lengths = self.lengths[rows_t]
        longest = int(lengths.max()) if len(rows) else 0
        return TokenSequences(
            tokens=self.tokens[rows_t, :longest].clone(),
            lengths=lengths.clone(),
            vocabulary=self.vocabulary,
            names=tuple(self.names[i] for i in rows),
            groups=self.groups[rows].copy(),
        )

    def sequences(self) -> list[list[int]]:
        """Each sequence's real tokens, as a list of Python lists."""
        return [row[:n].tolist() for row, n in zip(self.tokens, self.lengths.tolist(), strict=True)]

    def decode(self, i: int) -> list[str]:
        """Sequence ``i`` as token names."""
        return [self.vocabulary[t] for t in self.tokens[i, : int(self.lengths[i])].tolist()]

    def __repr__(self) -> str:
        return (
            f"TokenSequences({len(self)} sequences, {self.n_tokens} tokens, "
            f"vocab_size={self.vocab_size}, longest={int(self.lengths.max())})"
        )


def _as_token_rows(tokens, lengths, *, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Integer tokens ``(N, T)`` and checked lengths."""
    if isinstance(tokens, TokenSequences):
        return tokens.tokens, tokens.lengths
    if (
        isinstance(tokens, list | tuple)
        and tokens
        and all(isinstance(row, list | tuple | np.ndarray) for row in tokens)
    ):
        sizes = [len(row) for row in tokens]
        if len(set(sizes)) > 1:  # ragged: a list of sequences, padded here
            padded = np.full((len(tokens), max(sizes)), PAD, dtype=np.int64)
            for i, row in enumerate(tokens):
                padded[i, : len(row)] = np.asarray(row, dtype=np.int64)
            lengths = np.array(sizes, dtype=np.int64) if lengths is None else lengths
            tokens = padded
    if isinstance(tokens, np.ndarray | list | tuple):
        tokens = torch.as_tensor(np.asarray(tokens))
    if not isinstance(tokens, torch.Tensor):
        raise TypeError(
            f"Expected `{name}` to be a TokenSequences, a tensor or an array of token ids, but "
            f"got {type(tokens).__name__}."
        )
    if tokens.ndim != 2 or tokens.is_floating_point() or tokens.dtype == torch.bool:
        raise ValueError(
            f"Expected `{name}` to be an integer array of token ids shaped (N, T), but got "
            f"{tokens.dtype} of shape {tuple(tokens.shape)}."
        )
    lengths = check_lengths(lengths, n=tokens.shape[0], max_length=tokens.shape[1], of=name)
    return tokens.long(), lengths


def next_token_data(tokens, lengths=None, *, vocab_size: int | None = None):
    """Inputs and targets for a next-token model: ``(x, lengths, y)``.

    Step ``t`` of ``x`` holds the token before target ``y[:, t]``: ``x[:, 0]`` is the start
    token (id ``vocab_size``, one more than any real token) and ``x[:, t] = y[:, t - 1]``
    after it. So the model predicts every real token, the first one included, from the
    tokens before it only, and no target is ever a start, end or padding token.

    Parameters
    ----------
    tokens : TokenSequences, array-like of int of shape (N, T), or list of sequences
        The sequences, padded after each one's end (padding may hold anything); a list
        of sequences of different lengths is padded here.
    lengths : array-like of int, shape (N,), optional
        Real tokens per row (taken from ``tokens`` when it is a TokenSequences; None means
        every row is full).
    vocab_size : int, optional
        Number of real tokens (taken from ``tokens`` when it is a TokenSequences). Needed to
        number the start token.

    Returns
    -------
    x : torch.Tensor
        int64 ``(N, T)``: the start token, then the sequence shifted one step right; 0 at
        padding.
    lengths : torch.Tensor
        int64 ``(N,)``, unchanged.
    y : torch.Tensor
        int64 ``(N, T)``: the sequence itself, :data:`PAD` at padding.

    Raises
    ------
    ValueError
        If ``vocab_size`` is missing for plain arrays, or a real token is outside
        ``[0, vocab_size)``.

    Examples
    --------
    >>> x, lengths, y = next_token_data([[2, 0, 1], [1, 1, -100]], [3, 2], vocab_size=3)
    >>> x.tolist(), y.tolist()
    ([[3, 2, 0], [3, 1, 0]], [[2, 0, 1], [1, 1, -100]])
    """
    if isinstance(tokens, TokenSequences):
        vocab_size = tokens.vocab_size if vocab_size is None else vocab_size
        lengths = tokens.lengths if lengths is None else lengths
    if vocab_size is None:
        raise ValueError(
            "Expected `vocab_size` (the number of real tokens) for plain token arrays; a "
            "TokenSequences carries its own."
        )
    tokens, lengths = _as_token_rows(tokens, lengths, name="tokens")
    _n, steps = tokens.shape
    real = torch.arange(steps)[None, :] < lengths[:, None]
    values = tokens[real]
    if values.numel() and (int(values.min()) < 0 or int(values.max()) >= vocab_size):
        raise ValueError(
            f"Expected every real token in `tokens` to be in [0, {vocab_size}) (`vocab_size` "
            f"is {vocab_size}), but got values from {int(values.min())} to {int(values.max())}."
        )
    y = torch.where(real, tokens, torch.full_like(tokens, PAD))
    x = torch.zeros_like(tokens)
    x[:, 0] = vocab_size  # the start token
    x[:, 1:] = torch.where(real[:, :-1], tokens[:, :-1], torch.zeros_like(tokens[:, :-1]))
    x = torch.where(real, x, torch.zeros_like(x))
    return x, lengths.clone(), y


def sequence_similarity(a, b) -> float:
    """How much of two token sequences is the same, in order: in [0, 1].

    The ratio of :class:`difflib.SequenceMatcher`: twice the number of tokens in matching
    runs over the total number of tokens. 1 means identical; two settings of one chorale
    melody score above 0.7 almost always, unrelated melodies rarely above 0.6.

    Examples
    --------
    >>> sequence_similarity([1, 2, 3, 4], [1, 2, 3, 4])
    1.0
    >>> sequence_similarity([1, 2, 3, 4], [1, 2, 9, 4])
    0.75
    """
    return difflib.SequenceMatcher(None, list(a), list(b), autojunk=False).ratio()


def near_duplicates(query, reference, *, threshold: float = 0.7):
    """For each sequence of ``query``, its most similar sequence in ``reference``.

    Uses :func:`sequence_similarity`; pairs are skipped quickly when their token counts
    alone rule out reaching ``threshold``, so only near-duplicates are compared in full.

    Parameters
    ----------
    query, reference : TokenSequences or list of sequences of int
        E.g. the test set and the training set.
    threshold : float in [0, 1], default 0.7
        Similarities below it are reported as 0 (not computed exactly).

    Returns
    -------
    similarity : numpy.ndarray
        float64 ``(len(query),)``: the best similarity, 0 where none reaches ``threshold``.
    nearest : numpy.ndarray
        int64 ``(len(query),)``: the index in ``reference`` of that sequence, -1 where none
        reaches ``threshold``.

    Examples
    --------
    >>> sim, nearest = near_duplicates([[1, 2, 3, 4], [5, 6, 7, 8]], [[9, 9], [1, 2, 3, 5]])
    >>> sim.tolist(), nearest.tolist()
    ([0.75, 0.0], [1, -1])
    """
    threshold = check_float(threshold, name="threshold", low=0.0, high=1.0)
    queries = query.sequences() if isinstance(query, TokenSequences) else [list(q) for q in query]
    refs = (
        reference.sequences()
        if isinstance(reference, TokenSequences)
        else [list(r) for r in reference]
    )
    similarity = np.zeros(len(queries))
    nearest = np.full(len(queries), -1, dtype=np.int64)
    for i, q in enumerate(queries):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(q)  # SequenceMatcher caches details of its second sequence
        for j, r in enumerate(refs):
            matcher.set_seq1(r)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            value = matcher.ratio()
            if value >= threshold and value > similarity[i]:
                similarity[i], nearest[i] = value, j
    return similarity, nearest
