"""Per-token loss, perplexity, bits per token and top-k accuracy against torch's cross-entropy,
torchmetrics' Perplexity and scikit-learn's top_k_accuracy_score; their streaming statistics."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import course_utils.metrics as cu
from course_utils.metrics import language
from course_utils.metrics._warnings import UndefinedMetricWarning

PROPERTY = settings(max_examples=60, deadline=None)


@st.composite
def padded_batches(
    draw, max_batch=5, max_time=7, max_vocab=9, ties=False, scales=(0.1, 1, 10, 100)
):
    """(y (N, T) with -100 padding, logits (N, T, V) with garbage at padding, lengths)."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n, steps = draw(st.integers(1, max_batch)), draw(st.integers(1, max_time))
    vocab = draw(st.integers(2, max_vocab))
    lengths = rng.integers(0, steps + 1, size=n)
    lengths[rng.integers(n)] = max(1, lengths.max())  # at least one real token
    y = rng.integers(0, vocab, size=(n, steps))
    if ties:
        logits = rng.choice([-1.0, 0.0, 0.5, 2.0], size=(n, steps, vocab))
    else:
        logits = rng.normal(scale=draw(st.sampled_from(scales)), size=(n, steps, vocab))
    real = np.arange(steps)[None, :] < lengths[:, None]
    y[~real] = -100
    logits[~real] = np.nan  # padding may hold anything
    return y, logits, lengths


def torch_nll(y, logits, lengths):
    """The reference: F.cross_entropy with ignore_index on the real tokens."""
    y_t = torch.as_tensor(y).reshape(-1)
    z = torch.as_tensor(np.nan_to_num(logits)).reshape(len(y_t), -1)
    return float(F.cross_entropy(z, y_t, ignore_index=-100))


@PROPERTY
@given(padded_batches())
def test_cross_entropy_perplexity_and_bits_match_torch(batch):
    y, logits, lengths = batch
    expected = torch_nll(y, logits, lengths)
    assert cu.token_cross_entropy(y, logits, lengths=lengths) == pytest.approx(expected, rel=1e-9)
    assert cu.perplexity(y, logits, lengths=lengths) == pytest.approx(math.exp(expected), rel=1e-9)
    assert cu.bits_per_token(y, logits, lengths=lengths) == pytest.approx(
        expected / math.log(2), rel=1e-9, abs=1e-12
    )
    # The same tokens through mask= instead of lengths=, and flattened to (n,) / (n, V).
    real = np.arange(y.shape[1])[None, :] < lengths[:, None]
    assert cu.perplexity(y, logits, mask=real) == pytest.approx(math.exp(expected), rel=1e-9)
    assert cu.perplexity(y[real], logits[real]) == pytest.approx(math.exp(expected), rel=1e-9)


@PROPERTY
@given(padded_batches(scales=(0.1, 1, 10)))
def test_perplexity_matches_torchmetrics(batch):
    from torchmetrics.text import Perplexity

    y, logits, lengths = batch
    metric = Perplexity(ignore_index=-100)  # computes in float32 (probabilities, then logs)
    metric.update(torch.as_tensor(np.nan_to_num(logits)), torch.as_tensor(y))
    ours = cu.perplexity(y, logits, lengths=lengths)
    assert math.log(ours) == pytest.approx(math.log(float(metric.compute())), rel=1e-5, abs=1e-5)


@PROPERTY
@given(padded_batches(ties=True), st.integers(1, 10))
def test_top_k_matches_scikit_learn_ties_included(batch, k):
    y, logits, lengths = batch
    vocab = logits.shape[-1]
    real = np.arange(y.shape[1])[None, :] < lengths[:, None]
    if vocab < 3:
        return  # scikit-learn reads two columns as a binary problem with 1-D scores
    k = min(k, vocab - 1)
    expected = skm.top_k_accuracy_score(y[real], logits[real], k=k, labels=np.arange(vocab))
    assert cu.top_k_accuracy_score(y, logits, k=k, lengths=lengths) == pytest.approx(expected)
    hits = skm.top_k_accuracy_score(
        y[real], logits[real], k=k, labels=np.arange(vocab), normalize=False
    )
    assert cu.top_k_accuracy_score(y, logits, k=k, lengths=lengths, normalize=False) == hits


def test_top_1_is_accuracy_of_the_argmax():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(50, 6))
    y = rng.integers(0, 6, size=50)
    assert cu.top_k_accuracy_score(y, logits, k=1) == np.mean(logits.argmax(1) == y)


def test_top_k_warns_when_k_covers_the_vocabulary():
    with pytest.warns(UndefinedMetricWarning, match="perfect score"):
        assert cu.top_k_accuracy_score([0, 1, 2], np.zeros((3, 3)), k=3) == 1.0


@PROPERTY
@given(padded_batches(), st.integers(0, 2**32 - 1))
def test_sample_weight_is_a_weighted_mean_and_normalize_false_a_sum(batch, seed):
    y, logits, lengths = batch
    real = np.arange(y.shape[1])[None, :] < lengths[:, None]
    w = np.random.default_rng(seed).choice([0.0, 0.5, 1.0, 3.0], size=y.shape)
    w[real.nonzero()[0][0], real.nonzero()[1][0]] = 2.0  # some real token weighs
    nll = -torch.log_softmax(torch.as_tensor(logits[real]), -1)[
        torch.arange(real.sum()), torch.as_tensor(y[real])
    ].numpy()
    expected = np.average(nll, weights=w[real])
    got = cu.token_cross_entropy(y, logits, lengths=lengths, sample_weight=w)
    assert got == pytest.approx(expected, rel=1e-9)
    total = cu.token_cross_entropy(y, logits, lengths=lengths, normalize=False)
    assert total == pytest.approx(nll.sum(), rel=1e-9)
    # One weight per sequence broadcasts over its tokens.
    per_row = np.arange(1, y.shape[0] + 1, dtype=float)
    rows = np.broadcast_to(per_row[:, None], y.shape)[real]
    assert cu.perplexity(y, logits, lengths=lengths, sample_weight=per_row) == pytest.approx(
        math.exp(np.average(nll, weights=rows)), rel=1e-9
    )


def test_known_values():
    uniform = np.zeros((2, 3, 4))
    assert cu.perplexity([[0, 1, 2], [3, -100, -100]], uniform, lengths=[3, 1]) == pytest.approx(4)
    assert cu.bits_per_token([0, 1, 2, 3], np.zeros((4, 8))) == pytest.approx(3)
    # A perfect model: perplexity 1, no loss.
    sure = np.full((3, 5), -1e3)
    sure[np.arange(3), [4, 0, 2]] = 0.0
    assert cu.perplexity([4, 0, 2], sure) == pytest.approx(1.0)
    # Logits are unnormalised: adding a constant per row changes nothing.
    rng = np.random.default_rng(1)
    z, y = rng.normal(size=(10, 7)), rng.integers(0, 7, 10)
    shifted = z + rng.normal(size=(10, 1)) * 50
    assert cu.perplexity(y, z) == pytest.approx(cu.perplexity(y, shifted), rel=1e-9)


def test_torch_tensors_and_float32_in():
    rng = np.random.default_rng(2)
    z = torch.as_tensor(rng.normal(size=(3, 4, 5)), dtype=torch.float32)
    y = torch.as_tensor(rng.integers(0, 5, size=(3, 4)))
    lengths = torch.tensor([4, 2, 1])
    expected = math.exp(
        float(F.cross_entropy(z.double().reshape(-1, 5), torch.where(
            torch.arange(4)[None] < lengths[:, None], y, -100).reshape(-1)))
    )  # fmt: skip
    assert cu.perplexity(y, z, lengths=lengths) == pytest.approx(expected, rel=1e-6)


def test_per_token_average_differs_from_per_sequence_average():
    """A short, easy sequence and a long, hard one: the corpus mean weighs tokens, not rows."""
    vocab = 4
    logits = np.zeros((2, 10, vocab))
    logits[0, :2, 0] = 5.0  # row 0: two confident right tokens
    y = np.zeros((2, 10), dtype=int)
    y[1] = 1  # row 1: ten tokens, uniform guess
    lengths = np.array([2, 10])
    corpus = cu.token_cross_entropy(y, logits, lengths=lengths)
    rows = [cu.token_cross_entropy(y[i : i + 1], logits[i : i + 1], lengths=lengths[i : i + 1])
            for i in range(2)]  # fmt: skip
    assert corpus == pytest.approx((2 * rows[0] + 10 * rows[1]) / 12)
    assert corpus > np.mean(rows)


# ------------------------------------------------------------------ bad input


def test_float_targets_are_refused_even_when_whole():
    with pytest.raises(ValueError, match="`y_true` to hold integer token ids"):
        cu.perplexity(np.array([0.0, 1.0]), np.zeros((2, 3)))


@pytest.mark.parametrize("func", [cu.perplexity, cu.token_cross_entropy, cu.bits_per_token,
                                  cu.top_k_accuracy_score])  # fmt: skip
def test_tokens_outside_the_vocabulary_at_real_steps(func):
    z = np.zeros((1, 3, 4))
    with pytest.raises(ValueError, match=r"`y_true` to be in \[0, 4\).*found 4"):
        func([[0, 4, 1]], z)
    with pytest.raises(ValueError, match=r"found -100\. If it marks padding, pass `lengths=`"):
        func([[0, 1, -100]], z)
    func([[0, 1, 99]], z, lengths=[2])  # padding may hold anything
    func([[0, 1, 99]], z, mask=[[True, True, False]])


def test_logits_that_disagree_with_the_vocabulary():
    with pytest.raises(ValueError, match=r"hold 5 scores per step \(`vocab_size`\)"):
        cu.perplexity([[0, 1]], np.zeros((1, 2, 4)), vocab_size=5)
    with pytest.raises(ValueError, match=r"`logits` to have the shape of `y_true` \(1, 2\)"):
        cu.perplexity([[0, 1]], np.zeros((1, 3, 4)))
    with pytest.raises(ValueError, match="`logits` to have the shape"):
        cu.perplexity([[0, 1]], np.zeros((1, 2)))  # one score per step: not logits


def test_non_finite_logits_at_real_steps_but_not_padding():
    z = np.zeros((1, 2, 3))
    z[0, 1] = np.nan
    with pytest.raises(ValueError, match="`logits` to be finite at real steps"):
        cu.perplexity([[0, 1]], z)
    assert cu.perplexity([[0, 1]], z, lengths=[1]) == pytest.approx(3.0)


def test_no_real_token_and_zero_weights():
    with pytest.raises(ValueError, match="at least one real token"):
        cu.perplexity([[0, 1]], np.zeros((1, 2, 3)), lengths=[0])
    with pytest.raises(ValueError, match="positive weight"):
        cu.perplexity([0, 1], np.zeros((2, 3)), sample_weight=[0.0, 0.0])


def test_options_are_checked():
    with pytest.raises(ValueError, match="`k` to be an int >= 1"):
        cu.top_k_accuracy_score([0], np.zeros((1, 3)), k=0)
    with pytest.raises(TypeError, match="`k` to be an int"):
        cu.top_k_accuracy_score([0], np.zeros((1, 3)), k=1.5)
    with pytest.raises(TypeError, match="`vocab_size` to be an int"):
        cu.perplexity([0], np.zeros((1, 3)), vocab_size="3")
    with pytest.raises(TypeError, match="`normalize`"):
        cu.token_cross_entropy([0], np.zeros((1, 3)), normalize="yes")


# -------------------------------------------------------------------- streaming


def _merge(stats_list, reduce):
    out = {}
    for key, how in reduce.items():
        values = [s[key] for s in stats_list]
        if how == "sum":
            out[key] = np.sum(values, axis=0)
        elif how == "same":
            assert all(np.array_equal(v, values[0]) for v in values), key
            out[key] = values[0]
        else:  # pragma: no cover - not used by this module
            raise AssertionError(how)
    return out


@PROPERTY
@given(
    padded_batches(max_batch=8), st.integers(1, 4), st.sampled_from(sorted(language.STREAM_SPECS))
)
def test_stats_of_batches_merge_to_the_whole(batch, n_parts, name):
    """Sum the statistics of row chunks (some with no real token at all): the finaliser gives
    the functional value on the whole batch."""
    y, logits, lengths = batch
    spec = language.STREAM_SPECS[name]
    options = {"k": 2} if name == "top_k_accuracy_score" else {}
    parts = np.array_split(np.arange(len(y)), n_parts)
    stats = [spec["stats"](y[p], logits[p], lengths=lengths[p], **options) for p in parts if len(p)]
    stats.append(spec["stats"](y[:1], logits[:1], lengths=[0], **options))  # empty batch
    for s in stats:
        assert set(s) == set(spec["reduce"])
        assert all(isinstance(v, np.ndarray) for v in s.values())
    merged = spec["finalize"](_merge(stats, spec["reduce"]), **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        whole = getattr(cu, name)(y, logits, lengths=lengths, **options)
    assert merged == pytest.approx(whole, rel=1e-9)


def test_an_empty_batch_is_representable():
    stats = language._token_cross_entropy_stats([[5, 7]], np.zeros((1, 2, 3)), lengths=[0])
    assert stats["count"].tolist() == [0] and stats["vocab_size"].tolist() == [3]
    assert math.isnan(language._perplexity_finalize(stats))
