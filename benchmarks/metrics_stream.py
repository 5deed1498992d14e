"""Streams (issue 22): speed against torchmetrics, constant memory, and two gloo processes.

Prints:

  BENCH metrics.stream.<name>.vs_torchmetrics  ours / torchmetrics', 2e7 scores in batches of
                                               2e5 (update every batch, then compute), on
                                               the same tensors; target <= 1.0
  BENCH metrics.stream.<name>.seconds          our time for that
  BENCH metrics.stream.exact_ap.bytes_per_step the exact AP's state: a score and a label
  BENCH metrics.stream.binned_ap.1e8.peak_mb   peak memory growth over 1e8 scores in batches
                                               of 1e6 (thresholds=200); target < 64 MB
  BENCH metrics.sync.one_process.seconds       exact AP over 1e7 scores, one process
  BENCH metrics.sync.gloo2.seconds             the same split over two gloo processes
                                               (update, sync, compute; rank 0's clock)
  BENCH metrics.sync.gloo2.sync_seconds        of which sync()
  BENCH metrics.sync.gloo2.equal               1 if both ranks' AP equals the one process's

<name>: f1 (BinaryF1Score; ours is f1_score on ``score >= 0.5``), ap_exact
(BinaryAveragePrecision), ap_binned_200 (thresholds=200). Each contender's best of 2 runs;
results are checked equal first. ``python benchmarks/metrics_stream.py PART ...`` runs only
the parts named (speed, memory, sync).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import threading
import time
import tracemalloc

import numpy as np
import torch

N, BATCH = 2 * 10**7, 2 * 10**5


def tensors(n: int, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    y = (torch.rand(n, generator=g) < 0.3).long()
    s = ((torch.rand(n, generator=g) + 0.6 * y) / 1.6).float()
    return y, s


def best(func, repeats: int = 2):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def speed() -> None:
    from torchmetrics.classification import BinaryAveragePrecision, BinaryF1Score

    from course_utils.metrics import stream

    y, s = tensors(N)
    batches = list(zip(y.split(BATCH), s.split(BATCH), strict=True))

    def ours(name, **options):
        def run():
            m = stream(name, **options)
            for yb, sb in batches:
                m.update(yb, sb >= 0.5 if name == "f1_score" else sb)
            return m.compute()

        return run

    def theirs(cls, **options):
        def run():
            m = cls(**options)
            for yb, sb in batches:
                m.update(sb, yb)
            return m.compute().item()

        return run

    contenders = {
        "f1": (ours("f1_score"), theirs(BinaryF1Score)),
        "ap_exact": (ours("average_precision_score"), theirs(BinaryAveragePrecision)),
        "ap_binned_200": (
            ours("average_precision_score", thresholds=200),
            theirs(BinaryAveragePrecision, thresholds=200),
        ),
    }
    for name, (mine, other) in contenders.items():
        t_ours, v_ours = best(mine)
        t_theirs, v_theirs = best(other)
        if not np.isclose(v_ours, v_theirs, rtol=1e-5):
            raise SystemExit(f"{name}: ours {v_ours} != torchmetrics {v_theirs}")
        print(f"BENCH metrics.stream.{name}.vs_torchmetrics {t_ours / t_theirs:.3f} x")
        print(f"BENCH metrics.stream.{name}.seconds {t_ours:.3f} s")
    m = stream("average_precision_score")
    for yb, sb in batches[:10]:
        m.update(yb, sb)
    steps = 10 * BATCH
    print(f"BENCH metrics.stream.exact_ap.bytes_per_step {_nbytes(m) / steps:.2f} B")


def _nbytes(m) -> int:
    return sum(v.nbytes for v in m.stats.values())


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory() -> None:
    """Peak growth of the resident set (sampled every ms) and of NumPy's allocations
    (tracemalloc, exact) while 1e8 scores stream through a binned AP; the larger is shown."""
    from course_utils.metrics import stream

    total, batch = 10**8, 10**6
    g = torch.Generator().manual_seed(0)
    m = stream("average_precision_score", thresholds=200)
    y = torch.empty(batch, dtype=torch.long)
    s = torch.empty(batch)
    m.update(y.random_(0, 2, generator=g), s.uniform_(generator=g))  # warm up
    peak, stop = [_rss()], threading.Event()
    before = peak[0]

    def sample():
        while not stop.is_set():
            peak.append(_rss())
            time.sleep(0.001)

    sampler = threading.Thread(target=sample, daemon=True)
    tracemalloc.start()
    sampler.start()
    for _ in range(total // batch - 1):
        m.update(y.random_(0, 2, generator=g), s.uniform_(generator=g))
    value = m.compute()
    stop.set()
    sampler.join()
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    growth = max(max(peak) - before, traced) / 2**20
    assert 0.4 < value < 0.6, value  # random labels: AP about the share of positives
    print(f"BENCH metrics.stream.binned_ap.1e8.peak_mb {growth:.1f} MB")


# ------------------------------------------------------------------------ two processes

SYNC_N = 10**7


def _sync_worker(rank: int, world: int, init: str, out: str) -> None:
    import torch.distributed as dist

    from course_utils.metrics import stream

    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"file://{init}", rank=rank, world_size=world)
    y, s = tensors(SYNC_N, seed=1)
    mine = slice(rank * SYNC_N // world, (rank + 1) * SYNC_N // world)
    batches = list(zip(y[mine].split(BATCH), s[mine].split(BATCH), strict=True))
    dist.barrier()
    start = time.perf_counter()
    m = stream("average_precision_score")
    for yb, sb in batches:
        m.update(yb, sb)
    synced = time.perf_counter()
    m.sync()
    sync_seconds = time.perf_counter() - synced
    value = m.compute()
    seconds = time.perf_counter() - start
    with open(f"{out}.{rank}", "w") as f:
        f.write(f"{value!r} {seconds!r} {sync_seconds!r}")
    dist.destroy_process_group()


def sync() -> None:
    import torch.multiprocessing as mp

    from course_utils.metrics import stream

    torch.set_num_threads(1)
    y, s = tensors(SYNC_N, seed=1)
    batches = list(zip(y.split(BATCH), s.split(BATCH), strict=True))
    start = time.perf_counter()
    m = stream("average_precision_score")
    for yb, sb in batches:
        m.update(yb, sb)
    one = m.compute()
    one_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "result")
        mp.spawn(_sync_worker, args=(2, os.path.join(tmp, "init"), out), nprocs=2, join=True)
        results = [open(f"{out}.{r}").read().split() for r in range(2)]
    values = [float(r[0]) for r in results]
    equal = all(abs(v - one) <= 1e-12 for v in values)
    print(f"BENCH metrics.sync.one_process.seconds {one_seconds:.2f} s")
    print(f"BENCH metrics.sync.gloo2.seconds {float(results[0][1]):.2f} s")
    print(f"BENCH metrics.sync.gloo2.sync_seconds {float(results[0][2]):.2f} s")
    print(f"BENCH metrics.sync.gloo2.equal {int(equal)} bool")


PARTS = {"speed": speed, "memory": memory, "sync": sync}


def main(argv: list[str]) -> int:
    for name in argv or list(PARTS):
        PARTS[name]()
    print(
        f"# peak RSS of the parent: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
