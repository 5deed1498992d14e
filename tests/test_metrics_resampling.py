"""Block schemes and the Politis-White block length, against arch and against theory; and the
bootstrap's handling of empty sequences, string labels and bad metrics (issue 27)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from arch.bootstrap import optimal_block_length as arch_block_length
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import lfilter

import course_utils.metrics as cu
from course_utils.metrics.resampling import draw_rows

PROPERTY = settings(max_examples=40, deadline=None)


def ar1(phi, n, seed):
    return lfilter([1.0], [1.0, -phi], np.random.default_rng(seed).normal(size=n))


# ------------------------------------------------------------------ block schemes


@PROPERTY
@given(st.integers(2, 60), st.data(), st.sampled_from(["circular", "moving", "stationary"]))
def test_every_scheme_draws_n_valid_rows(n, data, block):
    length = data.draw(st.integers(1, n))
    rows = draw_rows(np.random.default_rng(data.draw(st.integers(0, 99))), n, block, length)
    assert rows.shape == (n,) and rows.min() >= 0 and rows.max() < n
    if block != "stationary":  # consecutive (mod n) within each block
        steps = np.diff(rows.reshape(-1)[: (n // length) * length].reshape(-1, length), axis=1)
        if block == "circular":
            assert np.all((steps == 1) | (steps == 1 - n))
        else:
            assert np.all(steps == 1)


def test_circular_blocks_are_centred_on_the_estimate_and_moving_blocks_are_not():
    # Issue 26, finding 14: moving blocks under-sample the first and last rows, so on a
    # trending series the resampled means sit away from the sample mean.
    y = np.arange(36, dtype=float) ** 2  # a trend: ends matter
    results = {
        block: cu.bootstrap_ci(
            cu.mean_absolute_error, y, np.zeros(36), block_length=6, block=block,
            n_resamples=2000, seed=1,
        )
        for block in ("circular", "moving", "stationary")
    }  # fmt: skip
    estimate = y.mean()
    se = {k: r.samples.std() / np.sqrt(r.samples.size) for k, r in results.items()}
    assert abs(results["circular"].samples.mean() - estimate) < 4 * se["circular"]
    assert abs(results["stationary"].samples.mean() - estimate) < 4 * se["stationary"]
    # Moving blocks: row i lies in as many of the 31 blocks as cover it (1 at the ends, 6
    # in the middle), so the resampled mean centres on that weighted mean instead.
    cover = np.convolve(np.ones(31), np.ones(6))  # (36,) blocks covering each row
    centre = cover @ y / cover.sum()
    assert abs(results["moving"].samples.mean() - centre) < 4 * se["moving"]
    assert estimate - centre > 5 * se["moving"]
    # Each row is drawn equally often by the circular scheme: exactly n_blocks/n per start.
    rng = np.random.default_rng(0)
    counts = np.bincount(
        np.concatenate([draw_rows(rng, 36, "circular", 6) for _ in range(3000)]), minlength=36
    )
    assert counts.min() > 0.93 * counts.mean() and counts.max() < 1.07 * counts.mean()


def test_circular_bootstrap_variance_of_the_mean_matches_its_exact_value():
    # With n = k * L the circular resampled mean is the mean of k independent block means,
    # each uniform over the n circular blocks: Var* = Var(block means) / k, exactly.
    x = ar1(0.6, 48, seed=3)
    n, length = 48, 6
    k = n // length
    block_means = np.array([np.take(x, range(s, s + length), mode="wrap").mean() for s in range(n)])
    exact = block_means.var() / k
    result = cu.bootstrap_ci(
        cu.mean_absolute_error, x - x.min(), np.zeros(n), block_length=length, n_resamples=8000
    )
    assert result.samples.var() == pytest.approx(exact, rel=0.07)


def test_stationary_blocks_have_geometric_lengths_with_the_given_mean():
    rng = np.random.default_rng(0)
    runs = []
    for _ in range(300):
        rows = draw_rows(rng, 200, "stationary", 8)
        breaks = np.flatnonzero(np.diff(rows) % 200 != 1)
        runs.extend(np.diff(breaks))
    assert np.mean(runs) == pytest.approx(8, rel=0.08)


# ------------------------------------------------------------ Politis-White length


def test_optimal_block_length_agrees_with_arch():
    # arch normalises its autocorrelations slightly differently, which can move the chosen
    # bandwidth m by one on a few series; the formula given m is the same.
    same, total = 0, 0
    for seed in range(40):
        x = ar1([0.0, 0.3, 0.6, 0.9][seed % 4], [60, 100, 300, 1000][seed // 10], seed)
        ours = cu.optimal_block_length(x)
        theirs = arch_block_length(x).iloc[0]
        expected = np.maximum(1.0, [theirs["circular"], theirs["stationary"]])
        total += 1
        if np.allclose([ours.circular, ours.stationary], expected, rtol=1e-10):
            same += 1
        else:
            assert ours.circular == pytest.approx(expected[0], rel=0.35)
    assert same >= 0.9 * total


@pytest.mark.parametrize("phi", [0.3, 0.5, 0.7])
def test_optimal_block_length_matches_the_ar1_theory(phi):
    # For AR(1): G / g = 2 phi / (1 - phi**2), so b_CB = (1.5 (G/g)**2 n)**(1/3) and
    # b_SB = ((G/g)**2 n)**(1/3) (Politis and White, 2004; PPW 2009 for the 4/3).
    n = 20000
    ratio = 2 * phi / (1 - phi**2)
    estimates = [cu.optimal_block_length(ar1(phi, n, seed)) for seed in range(4)]
    circular = np.mean([e.circular for e in estimates])
    stationary = np.mean([e.stationary for e in estimates])
    assert circular == pytest.approx((1.5 * ratio**2 * n) ** (1 / 3), rel=0.15)
    assert stationary == pytest.approx((ratio**2 * n) ** (1 / 3), rel=0.15)
    assert "circular" in str(estimates[0])


def test_optimal_block_length_edges():
    assert cu.optimal_block_length(np.ones(20)) == cu.BlockLengths(1.0, 1.0)
    assert cu.optimal_block_length(np.random.default_rng(0).normal(size=500)).circular < 2
    with pytest.raises(ValueError, match="at least 8 values"):
        cu.optimal_block_length([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="`x` to hold finite"):
        cu.optimal_block_length([1.0] * 9 + [np.nan])


def test_auto_block_length_uses_the_per_row_loss():
    x = ar1(0.8, 120, seed=2)
    y_true, y_pred = x, np.zeros_like(x)
    result = cu.bootstrap_ci(cu.mean_absolute_error, y_true, y_pred, block_length="auto")
    expected = round(cu.optimal_block_length(np.abs(x)).circular)
    assert (result.block, result.block_length) == ("circular", expected)
    stationary = cu.bootstrap_ci(cu.mean_absolute_error, y_true, y_pred, block="stationary")
    assert stationary.block_length == round(cu.optimal_block_length(np.abs(x)).stationary)
    other = x + np.random.default_rng(0).normal(size=120)
    paired = cu.paired_bootstrap_ci(
        cu.mean_absolute_error, y_true, y_pred, other, block_length="auto"
    )
    loss_difference = np.abs(x) - np.abs(x - other)
    assert paired.block_length == round(cu.optimal_block_length(loss_difference).circular)
    with pytest.raises(ValueError, match="defined on single rows"):
        cu.bootstrap_ci(cu.roc_auc_score, (x > 0).astype(int), x, block_length="auto")
    with pytest.raises(
        ValueError, match=r"`block_length` to be an int >= 1, one of .auto. or None"
    ):
        cu.bootstrap_ci(cu.mean_absolute_error, y_true, y_pred, block_length="long")
    with pytest.raises(ValueError, match="`block` to be one of"):
        cu.bootstrap_ci(cu.mean_absolute_error, y_true, y_pred, block="overlapping")


# ------------------------------------------------------ bootstrap edges (issue 27)


def test_bootstrap_with_some_empty_sequences_checks_once_up_front():
    # Before: a resample that drew only empty sequences raised midway through resampling.
    y_true = np.array([[1, 0], [0, 1], [1, 1], [0, 0], [1, 0]])
    y_pred = np.array([[1, 0], [1, 1], [1, 1], [0, 0], [0, 0]])
    lengths = np.array([2, 0, 0, 0, 0])  # one real sequence among five
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no resample is undefined: empty rows are dropped
        result = cu.bootstrap_ci(
            cu.accuracy_score, y_true, y_pred, lengths=lengths, n_resamples=200
        )
    assert result.estimate == 1.0 and np.all(result.samples == 1.0)
    mask = np.arange(2) < lengths[:, None]
    by_mask = cu.bootstrap_ci(cu.accuracy_score, y_true, y_pred, mask=mask, n_resamples=200)
    np.testing.assert_array_equal(by_mask.samples, result.samples)
    with pytest.raises(ValueError, match="at least one valid step"):
        cu.bootstrap_ci(cu.accuracy_score, y_true, y_pred, lengths=np.zeros(5, int))


def test_block_resamples_with_only_empty_rows_are_undefined_not_errors():
    y = np.arange(12, dtype=float)
    mask = np.r_[np.ones(2, bool), np.zeros(10, bool)]  # a series with a long gap
    with pytest.warns(cu.UndefinedMetricWarning, match="no real step"):
        result = cu.bootstrap_ci(
            cu.mean_absolute_error, y, np.zeros(12), mask=mask, block_length=2, n_resamples=100
        )
    assert np.isnan(result.samples).any() and not np.isnan(result.samples).all()


@pytest.mark.parametrize(
    ("returned", "shown"),
    [(None, "returned None"), ("0.5", "returned '0.5'"), ([0.5, 0.4], r"returned shape \(2,\)")],
)
def test_a_metric_that_returns_no_number_is_a_type_error_naming_metric(returned, shown):
    # Before: a metric returning None gave float()'s bare TypeError.
    def metric(y_true, y_pred):
        return returned

    with pytest.raises(TypeError, match=rf"`metric` to return one number, but it {shown}"):
        cu.bootstrap_ci(metric, [0, 1, 1], [0, 1, 0])


def test_bootstrap_takes_string_labels_as_the_metrics_do():
    words = np.array(["ham", "spam"])
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 40)
    pred = np.where(rng.random(40) < 0.8, y, 1 - y)
    by_index = cu.bootstrap_ci(cu.accuracy_score, y, pred, n_resamples=100)
    by_word = cu.bootstrap_ci(cu.accuracy_score, words[y], words[pred], n_resamples=100)
    np.testing.assert_array_equal(by_index.samples, by_word.samples)
    seq = cu.sequence_accuracy(words[np.array([[0, 1], [1, 1]])], words[np.array([[0, 1], [0, 1]])])
    assert seq == 0.5
    with pytest.raises(TypeError, match="labels of one kind"):
        cu.sequence_accuracy([["a", "b"]], [[0, 1]])
    report = cu.per_length_report(
        words[y[:6]], words[pred[:6]], lengths=[1, 1, 2, 2, 3, 3], metric=cu.accuracy_score
    )
    assert [r["value"] for r in report.rows] == [
        cu.accuracy_score(y[i : i + 2], pred[i : i + 2]) for i in (0, 2, 4)
    ]


def test_bootstrap_seed_follows_the_package_rule():
    with pytest.raises(ValueError, match=r"`seed` to be an int in \[0, 2\*\*32\)"):
        cu.bootstrap_ci(cu.accuracy_score, [0, 1], [0, 1], seed=2**40)
    with pytest.raises(TypeError, match="`seed` to be an int"):
        cu.bootstrap_ci(cu.accuracy_score, [0, 1], [0, 1], seed=1.0)


def test_bootstrap_result_to_frame():
    result = cu.bootstrap_ci(cu.accuracy_score, [0, 1, 1, 0], [0, 1, 0, 0], n_resamples=50)
    frame = result.to_frame()
    assert list(frame.columns) == [
        "estimate", "low", "high", "confidence", "block", "block_length"
    ]  # fmt: skip
    assert frame.loc[0, "estimate"] == result.estimate and frame.loc[0, "block_length"] == 1


def test_sequence_accuracy_streams_batches_and_string_labels():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, (30, 5))
    p = np.where(rng.random((30, 5)) < 0.9, y, 0)
    lengths = rng.integers(0, 6, 30)
    s = cu.stream("sequence_accuracy")
    for i in range(0, 30, 7):
        s.update(y[i : i + 7], p[i : i + 7], lengths=lengths[i : i + 7])
    assert s.compute() == cu.sequence_accuracy(y, p, lengths=lengths)
    words = np.array(["do", "re", "mi"])
    s = cu.stream("sequence_accuracy")
    s.update(words[y[:15]], words[p[:15]], lengths=lengths[:15])
    s.update(words[y[15:]], words[p[15:]], lengths=lengths[15:])
    assert s.compute() == cu.sequence_accuracy(y, p, lengths=lengths)
    empty = cu.stream("sequence_accuracy").update(y[:2], p[:2], lengths=[0, 0])
    with pytest.raises(ValueError, match="at least one batch with a real step"):
        empty.compute()


def _torch_perplexity(tokens, logits, *, lengths):
    """Independent reference: exp of torch's cross-entropy over the real tokens."""
    import torch

    t = torch.as_tensor(np.asarray(tokens), dtype=torch.long).clone()
    steps = torch.arange(t.shape[1])[None, :]
    t[steps >= torch.as_tensor(np.asarray(lengths))[:, None]] = -100
    z = torch.as_tensor(np.asarray(logits), dtype=torch.float64)
    loss = torch.nn.functional.cross_entropy(z.reshape(-1, z.shape[-1]), t.reshape(-1))
    return float(torch.exp(loss))


def test_bootstrap_takes_logits_for_a_per_token_metric_and_resamples_whole_sequences():
    rng = np.random.default_rng(3)
    tokens = rng.integers(0, 6, (25, 7))
    logits = rng.normal(size=(25, 7, 6)) + 2.0 * np.eye(6)[tokens]  # (N, T, V)
    lengths = rng.integers(0, 8, 25)
    lengths[:3] = 0  # empty sequences are dropped up front, as for any metric
    ours = cu.bootstrap_ci(cu.perplexity, tokens, logits, lengths=lengths, n_resamples=200)
    reference = cu.bootstrap_ci(_torch_perplexity, tokens, logits, lengths=lengths, n_resamples=200)
    assert ours.estimate == pytest.approx(_torch_perplexity(tokens, logits, lengths=lengths))
    np.testing.assert_allclose(ours.samples, reference.samples, rtol=1e-9)  # same rows drawn
    assert ours.low < ours.estimate < ours.high and np.isfinite(ours.samples).all()
    # paired: a model with sharper logits against one with flatter logits, the same rows
    flat = logits / 4
    diff = cu.paired_bootstrap_ci(cu.perplexity, tokens, logits, flat, lengths=lengths)
    assert diff.estimate == pytest.approx(
        _torch_perplexity(tokens, logits, lengths=lengths)
        - _torch_perplexity(tokens, flat, lengths=lengths)
    )
    assert diff.high < 0  # the sharper model has the lower perplexity on every resample set
    # per length bucket and over training seeds, the same shape rule
    report = cu.per_length_report(tokens, logits, lengths=lengths, metric=cu.perplexity, bins=2)
    assert all(np.isfinite(row["value"]) for row in report.rows)
    two = cu.two_level_bootstrap_ci(
        cu.perplexity, tokens, [logits, logits * 1.1], [flat, flat * 1.1], lengths=lengths,
        n_resamples=100,
    )  # fmt: skip
    assert two.high < 0
    stacked = cu.two_level_bootstrap_ci(
        cu.perplexity, tokens, np.stack([logits, logits * 1.1]), np.stack([flat, flat * 1.1]),
        lengths=lengths, n_resamples=100,
    )  # fmt: skip
    np.testing.assert_allclose(stacked.samples, two.samples)


@pytest.mark.parametrize("shape", [(24, 7), (25, 6, 6), (25,), (5, 7, 6)])
def test_a_prediction_whose_leading_axes_are_not_y_trues_is_refused(shape):
    tokens = np.zeros((25, 7), dtype=int)
    with pytest.raises(ValueError, match=r"`y_pred` to have the shape of `y_true` \(25, 7\)"):
        cu.bootstrap_ci(cu.perplexity, tokens, np.zeros(shape))
    with pytest.raises(ValueError, match=r"`y_pred_b` to have the shape of `y_true`"):
        cu.paired_bootstrap_ci(cu.perplexity, tokens, np.zeros((25, 7, 6)), np.zeros(shape))
    with pytest.raises(ValueError, match=r"`y_pred_a\[1\]` to have the shape of `y_true`"):
        cu.two_level_bootstrap_ci(
            cu.perplexity, tokens, [np.zeros((25, 7, 6)), np.zeros(shape)],
            [np.zeros((25, 7, 6))] * 2,
        )  # fmt: skip
