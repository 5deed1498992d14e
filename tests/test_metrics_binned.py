"""Binned curves (``thresholds=``): torchmetrics' counts and scores, constant memory, and the
documented bound on how far binned AP and ROC AUC are from the exact ones."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torchmetrics.classification import (
    BinaryAUROC,
    BinaryAveragePrecision,
    BinaryPrecisionRecallCurve,
    BinaryROC,
)

import course_utils.metrics as cu
from course_utils.metrics import stream
from course_utils.metrics.curves import _bin_index, _grid


@pytest.fixture(autouse=True)
def _torchmetrics_without_deterministic_mode():
    """torchmetrics' bincount falls back to an (n, bins) table in deterministic mode, which
    ``seed_everything`` in an earlier test of the same worker may have left on: 96 GB here."""
    was = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(False)
    yield
    torch.use_deterministic_algorithms(was)


def data(seed, n=3000, *, kind="uniform", top=False):
    """0/1 labels and float32 probabilities; some exactly on the grid of ``torch.linspace``."""
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 2, (n,), generator=g)
    if kind == "uniform":
        s = (0.3 * y + 0.7 * torch.rand(n, generator=g)).float()
    elif kind == "one_bin":  # most steps in one narrow bin: the binned curve loses most
        s = 0.5 + 0.004 * torch.rand(n, generator=g) + 0.002 * y
    else:  # "grid": scores equal to thresholds, where counting >= matters
        s = torch.linspace(0, 1, 11)[torch.randint(0, 11, (n,), generator=g)]
    s = s.clamp(0, 1).float()
    if not top:
        s = s.clamp(max=0.999)  # nothing reaches the top threshold 1.0
    return y, s


def counts(metric: BinaryPrecisionRecallCurve):
    confmat = metric.confmat.numpy()  # (K, 2, 2), thresholds increasing
    return confmat[:, 0, 0], confmat[:, 0, 1], confmat[:, 1, 0], confmat[:, 1, 1]


@pytest.mark.parametrize("thresholds", [2, 7, 11, 200, 1001, [0.05, 0.3, 0.5, 0.71, 1.0]])
@pytest.mark.parametrize("kind", ["uniform", "grid"])
def test_binned_equals_torchmetrics(thresholds, kind):
    y, s = data(0, kind=kind, top=True)
    if not isinstance(thresholds, int):  # the same float32 values on both sides
        thresholds = torch.tensor(thresholds)
    theirs_t = thresholds
    tm_curve = BinaryPrecisionRecallCurve(thresholds=theirs_t)
    tm_curve.update(s, y)
    tns, fps, fns, tps, thr = cu.confusion_matrix_at_thresholds(y, s, thresholds=thresholds)
    for ours, theirs in zip((tns, fps, fns, tps), counts(tm_curve), strict=True):
        np.testing.assert_array_equal(ours[::-1], theirs)  # the counts: exactly equal
    np.testing.assert_array_equal(thr[::-1], tm_curve.thresholds.numpy())

    precision, recall, thresholds_pr = cu.precision_recall_curve(y, s, thresholds=thresholds)
    tm_p, tm_r, tm_t = tm_curve.compute()
    np.testing.assert_allclose(precision, tm_p.numpy(), rtol=1e-6, equal_nan=True)
    np.testing.assert_allclose(recall, tm_r.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(thresholds_pr, tm_t.numpy())

    tm_ap = BinaryAveragePrecision(thresholds=theirs_t)(s, y).item()
    assert cu.average_precision_score(y, s, thresholds=thresholds) == pytest.approx(tm_ap, 1e-5)

    fpr, tpr, thresholds_roc = cu.roc_curve(y, s, thresholds=thresholds)
    tm_fpr, tm_tpr, tm_thr = BinaryROC(thresholds=theirs_t)(s, y)
    assert (fpr[0], tpr[0], thresholds_roc[0]) == (0.0, 0.0, np.inf)  # ours starts at (0, 0)
    np.testing.assert_allclose(fpr[1:], tm_fpr.numpy(), rtol=1e-6)
    np.testing.assert_allclose(tpr[1:], tm_tpr.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(thresholds_roc[1:], tm_thr.numpy())

    y, s = data(1, kind=kind)  # nothing at the top threshold: the same area as torchmetrics
    tm_auc = BinaryAUROC(thresholds=theirs_t)(s, y).item()
    assert cu.roc_auc_score(y, s, thresholds=thresholds) == pytest.approx(tm_auc, 1e-5)


def test_streams_equal_torchmetrics_batch_by_batch():
    y, s = data(2, n=5000, top=True)
    ours = stream("average_precision_score", thresholds=200)
    theirs = BinaryAveragePrecision(thresholds=200)
    for rows in torch.arange(5000).split(700):
        ours.update(y[rows], s[rows])
        theirs.update(s[rows], y[rows])
    assert ours.compute() == pytest.approx(theirs.compute().item(), rel=1e-5)
    assert ours.compute() == cu.average_precision_score(y, s, thresholds=200)


def test_the_top_threshold_where_torchmetrics_roc_leaves_area_out():
    y = torch.tensor([1, 1, 0, 1, 0, 0])
    s = torch.tensor([1.0, 0.9, 1.0, 0.4, 0.3, 0.1])  # scores at the top threshold
    ours = cu.roc_auc_score(y, s, thresholds=11)
    theirs = BinaryAUROC(thresholds=11)(s, y).item()
    fpr, tpr, _ = cu.roc_curve(y, s, thresholds=11)
    first_segment = fpr[1] * tpr[1] / 2  # from (0, 0) to the first point
    assert first_segment > 0
    assert ours == pytest.approx(theirs + first_segment)
    # ours is the exact AUC of the scores rounded down to the grid
    q = _grid(11)[_bin_index(s.numpy(), _grid(11), uniform=True)]
    assert ours == pytest.approx(cu.roc_auc_score(y, q))


@pytest.mark.parametrize("seed", range(6))
def test_binned_is_exact_on_scores_rounded_down_to_the_grid(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 500)
    s = rng.uniform(size=500).astype(np.float32)
    for thresholds in (5, 33, np.r_[0.0, np.sort(rng.uniform(size=9))]):
        grid = _grid(thresholds)
        q = grid[_bin_index(s, grid, uniform=isinstance(thresholds, int))]
        for function in (cu.average_precision_score, cu.roc_auc_score):
            binned = function(y, s, thresholds=thresholds)
            assert binned == pytest.approx(function(y, q), abs=1e-12)


@pytest.mark.parametrize("seed", range(25))
def test_the_bounds_hold(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 3000))
    y = (rng.uniform(size=n) < rng.uniform(0.05, 0.6)).astype(int)
    y[:2] = [0, 1]
    kind = ["uniform", "one_bin", "ties", "skewed", "logits"][seed % 5]
    if kind == "uniform":
        s = np.clip(rng.uniform(0.2, 0.8) * y + rng.uniform(size=n), 0, 1)
    elif kind == "one_bin":
        s = 0.5 + 0.01 * rng.uniform(size=n) + 0.005 * y
    elif kind == "ties":
        s = np.round(rng.uniform(size=n) * 0.5 + 0.4 * y, 2)
    elif kind == "skewed":
        s = rng.beta(0.3 + 2 * y, 3.0)
    else:
        s = rng.normal(size=n) + y
    if kind == "logits":  # any scores, thresholds that leave some below the lowest one
        thresholds = np.sort(rng.normal(size=int(rng.integers(1, 12))))
    else:
        thresholds = int(rng.integers(2, 60))
    tns, fps, fns, tps, _ = cu.confusion_matrix_at_thresholds(y, s, thresholds=thresholds)
    for metric, function in (
        ("average_precision", cu.average_precision_score),
        ("roc_auc", cu.roc_auc_score),
    ):
        b = cu.binning_bounds(tns, fps, fns, tps, metric=metric)
        exact, binned = function(y, s), function(y, s, thresholds=thresholds)
        assert b.binned == pytest.approx(binned, abs=1e-12)
        assert b.low - 1e-12 <= exact <= b.high + 1e-12
        assert abs(binned - exact) <= b.error + 1e-12
    if kind != "logits":  # the a-priori ROC AUC bound: half the largest share of negatives
        negatives_in_bin = np.diff(np.concatenate(([0.0], fps)))
        b = cu.binning_bounds(tns, fps, fns, tps, metric="roc_auc")
        assert b.error <= negatives_in_bin.max() / (tns[0] + fps[0]) / 2 + 1e-12


def test_the_bounds_are_tight_where_nothing_is_lost():
    y = np.array([0, 1, 0, 1, 1])
    s = np.array([0.05, 0.25, 0.45, 0.65, 0.85])  # one step per bin of 11 thresholds
    counts = cu.confusion_matrix_at_thresholds(y, s, thresholds=11)[:4]
    for metric in ("average_precision", "roc_auc"):
        b = cu.binning_bounds(*counts, metric=metric)
        assert b.low == pytest.approx(b.high) and b.error == pytest.approx(0.0, abs=1e-15)


def test_bin_index_is_searchsorted():
    rng = np.random.default_rng(0)
    for k in (2, 3, 10, 101, 200, 999, 65536):
        grid = _grid(k)
        on_grid = grid.astype(np.float32)
        near = np.concatenate([np.nextafter(on_grid, 2), np.nextafter(on_grid, -1)]).clip(0, 1)
        for s in (
            rng.uniform(size=2000),
            rng.uniform(size=2000).astype(np.float32),
            on_grid,
            near,
            grid,
        ):
            expected = np.searchsorted(grid, s, side="right") - 1
            np.testing.assert_array_equal(_bin_index(s, grid, uniform=True), expected)


def test_binned_state_has_constant_size():
    s = stream("roc_auc_score", thresholds=64)
    rng = np.random.default_rng(0)
    sizes = []
    for _ in range(3):
        for _ in range(20):
            s.update(rng.integers(0, 2, 1000), rng.uniform(size=1000))
        sizes.append(sum(v.nbytes for v in s.stats.values()))
    assert sizes[0] == sizes[1] == sizes[2] < 4096


def test_weights_and_padding_in_binned_counts():
    rng = np.random.default_rng(4)
    y, s = rng.integers(0, 2, (6, 8)), rng.uniform(size=(6, 8))
    w, lengths = rng.uniform(size=6), np.array([8, 3, 0, 5, 8, 1])
    valid = np.arange(8) < lengths[:, None]
    binned = cu.confusion_matrix_at_thresholds(y, s, sample_weight=w, lengths=lengths, thresholds=9)
    grid = _grid(9)
    ww = np.broadcast_to(w[:, None], y.shape)[valid]
    tps = [(ww * (y[valid] == 1) * (s[valid] >= t)).sum() for t in grid[::-1]]
    fps = [(ww * (y[valid] == 0) * (s[valid] >= t)).sum() for t in grid[::-1]]
    np.testing.assert_allclose(binned[3], tps)
    np.testing.assert_allclose(binned[1], fps)


def test_bad_thresholds_are_refused():
    y, s = [0, 1, 1], [0.2, 0.6, 0.9]
    with pytest.raises(ValueError, match="probabilities in \\[0, 1\\] with `thresholds=5`"):
        cu.roc_auc_score(y, [-1.0, 0.5, 2.0], thresholds=5)
    assert 0 <= cu.roc_auc_score(y, [-1.0, 0.5, 2.0], thresholds=[-2.0, 0.0, 1.0]) <= 1
    with pytest.raises(ValueError, match="increase strictly"):
        cu.average_precision_score(y, s, thresholds=[0.5, 0.2])
    with pytest.raises(ValueError, match="to be 1-D"):
        cu.precision_recall_curve(y, s, thresholds=[[0.5]])
    with pytest.raises(ValueError, match="`thresholds` to hold finite"):
        cu.roc_curve(y, s, thresholds=[0.1, np.nan])
    with pytest.raises(TypeError, match="an int or an array"):
        cu.roc_curve(y, s, thresholds=True)
    with pytest.raises(ValueError, match="int in \\[2, 1_000_000\\]"):
        cu.roc_curve(y, s, thresholds=10**7)
    with pytest.raises(ValueError, match="one score per step with `thresholds=`"):
        cu.roc_auc_score([0, 1, 2], np.eye(3), multi_class="ovr", thresholds=10)
    with pytest.raises(ValueError, match="counts \\(non-negative whole numbers\\)"):
        cu.binning_bounds([1.5], [0], [0], [1])
    with pytest.raises(ValueError, match="undefined"):
        cu.binning_bounds([3], [0], [0], [0], metric="roc_auc")
