"""The chorale corpus, token sequences, n-gram rivals and the next-token model."""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.data import (
    MELODY_SIMILARITY,
    PAD,
    NGramModel,
    TokenSequences,
    grouped_split,
    load_chorales,
    near_duplicates,
    next_token_data,
    sequence_similarity,
)
from course_utils.data.chorales import _read_asset, _shift_to_no_accidentals, pitch_name
from course_utils.metrics import perplexity
from course_utils.models import NextTokenModel
from course_utils.training import fit, predict_proba

PROPERTY = settings(max_examples=40, deadline=None)


@pytest.fixture(scope="module")
def corpus():
    return load_chorales()


# ---------------------------------------------------------------------- corpus


def test_corpus_shape_and_padding(corpus):
    assert len(corpus) == 409 and corpus.vocab_size == 31
    assert corpus.tokens.dtype == torch.int64 and corpus.tokens.shape == (409, 185)
    real = torch.arange(185)[None, :] < corpus.lengths[:, None]
    assert (corpus.tokens[~real] == PAD).all()
    assert corpus.tokens[real].min() >= 0 and corpus.tokens[real].max() < 31
    assert int(corpus.lengths.min()) >= 20 and corpus.n_tokens == int(corpus.lengths.sum())
    assert len(set(corpus.names)) == 409 and corpus.names[0] == "bwv1.6"
    assert corpus.vocabulary == tuple(sorted(corpus.vocabulary, key=corpus.vocabulary.index))
    assert corpus.vocabulary[0] == "G3" and "C4" in corpus.vocabulary


def test_pitch_names_and_transposition():
    assert [pitch_name(m) for m in (60, 61, 70, 81)] == ["C4", "C#4", "Bb4", "A5"]
    # Every key signature moves to none by at most six semitones, to C major / A minor.
    for sharps in range(-7, 8):
        shift = _shift_to_no_accidentals(sharps)
        assert -6 <= shift <= 6 and ((7 * sharps) + shift) % 12 == 0


def test_transposed_to_no_accidentals_mostly_diatonic(corpus):
    """After transposing to C major / A minor, chromatic notes are rare (the raised 7th of A
    minor, G#, is the common exception)."""
    names = np.array(corpus.vocabulary)[corpus.tokens[corpus.tokens != PAD].numpy()]
    natural = np.char.find(names.astype(str), "#") < 0
    flat = np.char.find(names.astype(str), "b") < 0
    assert np.mean(natural & flat) > 0.9


def test_melody_groups_hold_near_duplicates(corpus):
    """Settings of one melody share a group; across groups no pair reaches the threshold."""
    groups = corpus.groups
    assert groups.shape == (409,) and groups.min() == 0
    assert 200 < groups.max() + 1 < 300
    # Groups are numbered in order of first appearance.
    firsts = [np.flatnonzero(groups == g)[0] for g in range(groups.max() + 1)]
    assert firsts == sorted(firsts)
    seqs = corpus.sequences()
    rng = np.random.default_rng(0)
    for i, j in rng.integers(0, 409, size=(300, 2)):
        if groups[i] != groups[j]:
            assert sequence_similarity(seqs[j], seqs[i]) < MELODY_SIMILARITY or (
                sequence_similarity(seqs[i], seqs[j]) < MELODY_SIMILARITY
            )
    # A known pair: the Christmas Oratorio's two versions of one chorale.
    a, b = corpus.names.index("bwv248.23-2"), corpus.names.index("bwv248.23-s")
    assert groups[a] == groups[b]


def test_grouped_split_keeps_melodies_apart_and_near_duplicates_out(corpus):
    train, _val, test = grouped_split(corpus.groups, fractions=(0.6, 0.2, 0.2), seed=0)
    assert not set(corpus.groups[train]) & set(corpus.groups[test])
    sim, _ = near_duplicates(corpus[test], corpus[train], threshold=MELODY_SIMILARITY)
    assert sim.max() == 0.0  # nothing in test is a near-copy of a training melody
    random = np.random.default_rng(0).permutation(409)
    sim_random, nearest = near_duplicates(
        corpus[random[:80]], corpus[random[80:]], threshold=MELODY_SIMILARITY
    )
    assert (sim_random > 0).sum() > 10 and (nearest[sim_random > 0] >= 0).all()


def test_indexing_trims_padding_and_keeps_fields(corpus):
    part = corpus[[3, 1]]
    assert isinstance(part, TokenSequences) and len(part) == 2
    assert part.tokens.shape[1] == int(part.lengths.max())
    assert part.names == (corpus.names[3], corpus.names[1])
    assert part.decode(1) == corpus.decode(1)
    assert "409 sequences" in repr(corpus)


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("music21") is None, reason="needs music21")
def test_shipped_cache_equals_a_fresh_parse():
    from course_utils.data.chorales import parse_chorales

    fresh, shipped = parse_chorales(), _read_asset()
    assert set(fresh) == set(shipped)
    for key in fresh:
        np.testing.assert_array_equal(fresh[key], shipped[key], err_msg=key)


# ---------------------------------------------------------------------- tokens


def test_next_token_data_shifts_and_pads():
    x, lengths, y = next_token_data([[2, 0, 1], [1, 1, 7]], [3, 2], vocab_size=3)
    assert x.tolist() == [[3, 2, 0], [3, 1, 0]]
    assert y.tolist() == [[2, 0, 1], [1, 1, PAD]]
    assert lengths.tolist() == [3, 2]
    with pytest.raises(ValueError, match=r"real token in `tokens` to be in \[0, 3\)"):
        next_token_data([[2, 3]], [2], vocab_size=3)
    with pytest.raises(ValueError, match="`vocab_size`"):
        next_token_data([[2, 0]], [2])
    with pytest.raises(ValueError, match="integer array of token ids"):
        next_token_data(np.zeros((2, 3)), vocab_size=3)


def test_near_duplicates_and_similarity():
    assert sequence_similarity([1, 2, 3, 4], [1, 2, 9, 4]) == 0.75
    sim, nearest = near_duplicates([[1, 2, 3, 4], [5, 6, 7, 8]], [[9, 9], [1, 2, 3, 5]])
    assert sim.tolist() == [0.75, 0.0] and nearest.tolist() == [1, -1]
    with pytest.raises(ValueError, match="`threshold`"):
        near_duplicates([[1]], [[1]], threshold=2.0)


# ---------------------------------------------------------------------- n-grams


@st.composite
def token_rows(draw, vocab=5):
    n = draw(st.integers(1, 6))
    return [draw(st.lists(st.integers(0, vocab - 1), min_size=1, max_size=12)) for _ in range(n)]


@PROPERTY
@given(token_rows(), token_rows(), st.integers(1, 4), st.sampled_from(["kneser-ney", "add-k"]))
def test_ngram_distributions_are_proper(train, test, order, smoothing):
    model = NGramModel(order, smoothing=smoothing, k=0.5).fit(train, vocab_size=5)
    logp = model.log_proba(test)
    assert logp.shape == (len(test), max(map(len, test)), 5)
    np.testing.assert_allclose(np.exp(logp).sum(-1), 1.0, rtol=1e-12)
    assert np.isfinite(logp).all()  # every token keeps some probability


def test_add_k_unigram_and_bigram_by_hand():
    train = [[0, 1, 1, 2]]
    uni = NGramModel(1, smoothing="add-k", k=1.0).fit(train, vocab_size=4)
    p = np.exp(uni.log_proba([[3]])[0, 0])
    np.testing.assert_allclose(p, np.array([2, 3, 2, 1]) / 8)  # (count + 1) / (4 + 4)
    bi = NGramModel(2, smoothing="add-k", k=0.5).fit(train, vocab_size=4)
    p = np.exp(bi.log_proba([[1, 1]])[0, 1])  # after a 1: one 1 and one 2 seen
    np.testing.assert_allclose(p, np.array([0.5, 1.5, 1.5, 0.5]) / 4)


def test_kneser_ney_uses_continuation_counts():
    """Token 2 is the most frequent but only ever follows token 1: its lower-order
    (continuation) count is 1, below token 0's, which follows two different tokens."""
    train = [[1, 2, 1, 2, 1, 2, 0, 3], [3, 0, 3, 0, 1, 2]]
    model = NGramModel(2, discount=0.75).fit(train, vocab_size=4)
    raw = np.bincount(np.concatenate(train), minlength=4)
    continuation = model._counts[1][()]
    assert raw[2] > raw[0] and continuation[2] == 1 and continuation[0] == 2
    # After a 2 (seen followed only by 1 and 0), another 2 gets only the backed-off share.
    p = np.exp(model.log_proba([[2, 2]])[0, 1])
    assert p[2] < raw[2] / raw.sum() and p[1] > p[2]


def test_kneser_ney_beats_add_k_and_unigram_on_held_out_chorales(corpus):
    train, val, _ = grouped_split(corpus.groups, fractions=(0.6, 0.2, 0.2), seed=0)
    train, val = corpus[train], corpus[val]

    def ppl(model):
        return perplexity(val.tokens, model.fit(train).log_proba(val), lengths=val.lengths)

    unigram = ppl(NGramModel(1, smoothing="add-k", k=0.5))
    add_k = ppl(NGramModel(3, smoothing="add-k", k=0.5))
    kneser_ney = ppl(NGramModel(3))
    assert kneser_ney < add_k < unigram < corpus.vocab_size


def test_ngram_errors_and_sampling():
    with pytest.raises(ValueError, match="not fitted"):
        NGramModel(2).log_proba([[0]])
    with pytest.raises(ValueError, match="`smoothing`"):
        NGramModel(2, smoothing="witten-bell")
    with pytest.raises(ValueError, match="`vocab_size`"):
        NGramModel(2).fit([[0, 1]])
    with pytest.raises(ValueError, match=r"in \[0, 2\)"):
        NGramModel(2).fit([[0, 2]], vocab_size=2)
    model = NGramModel(2).fit([[0, 1, 0, 1]], vocab_size=3)
    drawn = model.sample([4, 2], seed=0)
    assert drawn.shape == (2, 4) and (drawn[1, 2:] == PAD).all()
    assert torch.equal(drawn, model.sample([4, 2], seed=0))
    assert "order=2" in repr(model)


# ---------------------------------------------------------------- next-token model


def test_next_token_model_is_causal_and_ignores_padding():
    model = NextTokenModel(5, 8, cell="gru", seed=0).eval()
    x = torch.tensor([[5, 1, 2, 3, 4]])
    full = model(x, torch.tensor([5]))
    changed = x.clone()
    changed[0, 3:] = torch.tensor([0, 0])
    # Steps 0..2 see only x[:, :3], which did not change.
    torch.testing.assert_close(model(changed, torch.tensor([5]))[:, :3], full[:, :3])
    # Padding may hold anything, even ids outside the vocabulary.
    short = model(torch.tensor([[5, 1, 2, 99, -7]]), torch.tensor([3]))
    torch.testing.assert_close(short[:, :3], full[:, :3])
    with pytest.raises(ValueError, match=r"tokens in `x` to be in \[0, 5\]"):
        model(torch.tensor([[5, 6]]), torch.tensor([2]))
    with pytest.raises(TypeError, match="integer tensor of token ids"):
        model(torch.zeros(1, 3, 1), torch.tensor([3]))


def test_same_seed_same_weights_and_sampling():
    a, b = NextTokenModel(6, 4, seed=3), NextTokenModel(6, 4, seed=3)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert not torch.equal(a.embedding.weight, NextTokenModel(6, 4, seed=4).embedding.weight)
    drawn = a.sample([5, 3], seed=1)
    assert drawn.shape == (2, 5) and (drawn[1, 3:] == PAD).all()
    assert drawn[drawn != PAD].max() < 6  # never the start token
    assert torch.equal(drawn, a.sample([5, 3], seed=1))


def test_fit_trains_on_real_tokens_and_val_loss_is_per_token_cross_entropy(corpus):
    train = next_token_data(corpus[:60])
    val_part = corpus[60:90]
    val = next_token_data(val_part)
    model = NextTokenModel(corpus.vocab_size, 16, embedding_dim=8, cell="rnn", seed=0)
    history = fit(model, train, val, epochs=3, lr=0.02, batch_size=32, progress=False)
    assert history.val_loss[-1] < history.val_loss[0] < math.log(corpus.vocab_size) + 0.5
    proba = predict_proba(model, val[0], val[1])  # (N, T, V)
    assert proba.shape == (*val[0].shape, corpus.vocab_size)
    ppl = perplexity(val[2], np.log(proba), lengths=val[1])
    assert ppl == pytest.approx(math.exp(history.val_loss[history.best_epoch - 1]), rel=1e-5)
    # Same number from torch's own loss on the real tokens.
    logits = torch.log(torch.as_tensor(proba)).reshape(-1, corpus.vocab_size)
    torch_ppl = math.exp(float(F.cross_entropy(logits, val[2].reshape(-1), ignore_index=PAD)))
    assert ppl == pytest.approx(torch_ppl, rel=1e-9)


def test_fit_refuses_float_inputs_for_a_next_token_model(corpus):
    model = NextTokenModel(corpus.vocab_size, 4, seed=0)
    x, lengths, y = next_token_data(corpus[:4])
    with pytest.raises(ValueError, match=r"`train\[0\] \(x\)` to be an integer tensor"):
        fit(model, (x.float()[..., None], lengths, y), epochs=1, progress=False)
    bad = y.clone()
    bad[0, 0] = corpus.vocab_size
    with pytest.raises(ValueError, match=r"labels in `train\[2\] \(y\)`"):
        fit(model, (x, lengths, bad), epochs=1, progress=False)
