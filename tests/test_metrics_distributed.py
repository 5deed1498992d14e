"""Real torch.distributed runs (issue 22): 2 and 3 gloo processes on CPU, started with
torch.multiprocessing and a file:// rendezvous in a temporary folder (gloo talks over the
loopback only), uneven shards and a rank with no data; every rank's result must equal the
single-process metric on all the data. The same runs with NCCL when GPUs are present."""

from __future__ import annotations

import os
import sys
import warnings

import numpy as np
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

import course_utils.metrics as cu
from course_utils.metrics import stream

N = 400


def everything():
    """The whole data set, the same in every process."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, N)
    y2 = (y == 1).astype(np.int64)
    score = np.clip(0.4 * y2 + rng.uniform(0, 0.6, N), 0, 1)
    proba = rng.dirichlet(np.ones(3), N)
    names = np.array(["ant", "bee", "cat"])[rng.integers(0, 3, N)]
    target, forecast = rng.normal(size=(N, 2)), rng.normal(size=(N, 2))
    w = rng.uniform(0.5, 2.0, N)
    return y, y2, score, proba, names, target, forecast, w


def cases():
    y, y2, score, proba, names, target, forecast, w = everything()
    pred = (proba.argmax(1) + (score > 0.8)) % 3
    return [
        # (name, options, y_true, y_pred, sample_weight)
        ("f1_score", {"average": "macro"}, y, pred, None),
        ("confusion_matrix", {}, names, np.roll(names, 1), None),
        ("accuracy_score", {}, y, pred, w),
        ("roc_auc_score", {}, y2, score, None),
        ("roc_auc_score", {"multi_class": "ovr"}, y, proba, w),
        ("average_precision_score", {"thresholds": 50}, y2, score, None),
        ("precision_recall_curve", {}, y2, score, w),
        ("log_loss", {}, y, proba, None),
        ("calibration_curve", {"strategy": "quantile"}, y2, score, None),
        ("mean_squared_error", {"multioutput": "raw_values"}, target, forecast, w),
        ("sequence_accuracy", {}, y.reshape(-1, 4), pred.reshape(-1, 4), None),
    ]


def _histogram_stats(y_true, y_pred, **_):
    y = np.asarray(y_true)
    return {
        "hist": np.bincount(y),
        "top": np.array(y.max()),
        "low": np.array(y.min() / 2),
        "n": np.array(y.size),
    }


HISTOGRAM = {  # a spec with the reductions the package's own metrics do not use
    "stats": _histogram_stats,
    "finalize": lambda s, **_: (s["hist"], int(s["top"]), float(s["low"]), int(s["n"])),
    "reduce": {"hist": "sum_pad", "top": "max", "low": "min", "n": "sum"},
    "count": "n",
}


def check_other_reductions(rank, world):
    cu.register_stream("label_histogram", HISTOGRAM)
    y = np.sort(np.random.default_rng(5).integers(0, 12, N))  # each shard: other labels
    rows = shard(N, rank, world)
    s = stream("label_histogram")
    for batch in np.array_split(np.arange(rows.start, rows.stop), 2):
        s.update(y[batch], y[batch])
    expected = HISTOGRAM["finalize"](_histogram_stats(y, y))
    got = s.sync().compute()
    assert all(same(a, b) for a, b in zip(got, expected, strict=True)), (got, expected)


def shard(n, rank, world):
    """Uneven contiguous shards; with 3 ranks the last one has nothing (1 rank: NCCL on a
    machine with one GPU)."""
    edges = {1: [0, n], 2: [0, int(0.7 * n), n], 3: [0, int(0.55 * n), n, n]}[world]
    return slice(edges[rank], edges[rank + 1])


def same(a, b):
    if isinstance(a, tuple):
        return all(same(x, z) for x, z in zip(a, b, strict=True))
    return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-12, atol=1e-14)


def check_streams(rank, world):
    for name, options, y_true, y_pred, w in cases():
        rows = shard(len(y_true), rank, world)
        s = stream(name, **options)
        for batch in np.array_split(np.arange(rows.start, rows.stop), 3):
            kw = {} if w is None else {"sample_weight": w[batch]}
            s.update(y_true[batch], y_pred[batch], **kw)
        expected = getattr(cu, name)(
            y_true, y_pred, **options, **({} if w is None else {"sample_weight": w})
        )
        got = s.sync().compute()
        assert same(got, expected), f"rank {rank}: {name} {got} != {expected}"
        assert same(s.sync().compute(), expected), "a second sync must not count twice"


def check_errors(rank, world):
    s = stream("f1_score", average="macro" if rank == 0 else "micro").update([0, 1], [0, 1])
    with pytest.raises(ValueError, match="same options"):
        s.sync()
    s = stream("roc_auc_score", multi_class="ovr")
    s.update([0, 1, 2], np.eye(3) if rank else np.eye(3)[:, :3])
    if rank == 1:
        s = stream("roc_auc_score", multi_class="ovr").update([0, 1, 2, 3], np.eye(4))
    with pytest.raises(ValueError, match="number of score columns"):
        s.sync()


def fresh_metrics():
    return {
        "cm": stream("confusion_matrix", labels=[0, 1]),
        "auc": "roc_auc_score",
        "acc": "accuracy_score",
    }


def check_evaluate(rank, world):
    from course_utils.models import SequenceClassifier
    from course_utils.training import evaluate

    torch.manual_seed(0)
    for n in (11, 2):  # 2 samples on 3 ranks: one rank gets only a copy, i.e. no data
        x = torch.randn(n, 5, 3)
        lengths = torch.randint(1, 6, (n,))
        y = torch.randint(0, 2, (n,))
        model = SequenceClassifier(3, 4, 2, seed=0)
        data = TensorDataset(x, lengths, y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # one class only on a tiny shard
            one = evaluate(model, DataLoader(data, batch_size=4), fresh_metrics())
            for shuffle in (False, True):
                sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=shuffle)
                loader = DataLoader(data, batch_size=4, sampler=sampler)
                many = evaluate(model, loader, fresh_metrics())
                assert int(many["cm"].sum()) == n  # each sample once
                for key in one:
                    assert same(many[key], one[key]), f"rank {rank}: {key}"
            # The trap: counting the sampler's copies counts some samples twice.
            loader = DataLoader(
                data,
                batch_size=4,
                sampler=DistributedSampler(data, num_replicas=world, rank=rank, shuffle=False),
            )
            counted = evaluate(model, loader, fresh_metrics(), drop_sampler_padding=False)
        assert int(counted["cm"].sum()) == sampler.total_size  # n plus the copies
        assert sampler.total_size > n or n % world == 0


def worker(rank, world, init_file, backend):
    if sys.platform.startswith("linux"):
        os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")  # the loopback only
    torch.set_num_threads(1)
    if backend == "nccl":
        torch.cuda.set_device(rank)
    dist.init_process_group(backend, init_method=f"file://{init_file}", rank=rank, world_size=world)
    try:
        check_streams(rank, world)
        check_other_reductions(rank, world)
        if backend == "gloo":
            check_errors(rank, world)
            check_evaluate(rank, world)
    finally:
        dist.destroy_process_group()


def spawn(world, backend, tmp_path):
    mp.spawn(worker, args=(world, str(tmp_path / "rendezvous"), backend), nprocs=world, join=True)


@pytest.mark.slow
@pytest.mark.parametrize("world", [2, 3])
def test_gloo_every_rank_equals_one_process(world, tmp_path):
    spawn(world, "gloo", tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(
    not (torch.cuda.is_available() and dist.is_nccl_available()), reason="needs CUDA and NCCL"
)
def test_nccl_every_rank_equals_one_process(tmp_path):
    spawn(min(2, torch.cuda.device_count()), "nccl", tmp_path)
