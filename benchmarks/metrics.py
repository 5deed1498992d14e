"""Speed of course_utils.metrics against scikit-learn, torchmetrics and a NumPy floor.

At 1e6 and 1e7 binary predictions (5% positives, seeded), times each metric (best of a few
repeats) and prints, per metric and size:

  BENCH metrics.<name>.<n>.seconds          our time
  BENCH metrics.<name>.<n>.vs_sklearn       ours / scikit-learn's      (below 1: we are faster)
  BENCH metrics.<name>.<n>.vs_torchmetrics  ours / torchmetrics' (functional API, exact curves)
  BENCH metrics.<name>.<n>.vs_floor         ours / the floor

The floor is the least work the textbook algorithm needs: one ``np.bincount`` of
``2 * y_true + y_pred`` for counts, one ``np.argsort`` of the scores for curves. Our curves
sort values instead of indices, which is why they can beat that floor.

Target: faster than both libraries on every row and within 1.5x of the floor.
Before timing, each result is checked against scikit-learn (1e-9).
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np

SIZES = {"1e6": (10**6, 3), "1e7": (10**7, 2)}  # n and the least number of repeats
POSITIVE_RATE = 0.05
CHEAP_BUDGET_S = 0.5  # fast functions repeat until they have run this long (at most 25 times)


def make_data(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    y_true = (rng.random(n) < POSITIVE_RATE).astype(np.int64)
    y_score = (rng.random(n) + 0.5 * y_true) / 1.5  # continuous: about n distinct thresholds
    y_pred = (y_score >= 0.5).astype(np.int64)
    return y_true, y_pred, y_score


def best_time(func, repeats: int) -> float:
    """Best of at least ``repeats`` runs; cheap functions get more runs (noise on 2 cores)."""
    times = []
    while len(times) < repeats or (sum(times) < CHEAP_BUDGET_S and len(times) < 25):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def warm_memory(n_bytes: int = 2 * 1024**3) -> None:
    """Touch memory once: on a fresh VM the first touch of a page is slow, and that cost
    would land on whichever contender happened to run first."""
    np.ones(n_bytes // 8).sum()


def contenders(y_true, y_pred, y_score):
    """{metric: {who: zero-argument function}}."""
    import sklearn.metrics as skm
    import torch
    import torchmetrics.functional.classification as tmf

    import course_utils.metrics as cu

    t_true, t_pred, t_score = (torch.from_numpy(a) for a in (y_true, y_pred, y_score))
    argsort_floor = {"floor": lambda: np.argsort(y_score)}  # one function: timed once per size
    return {
        "f1_score": {
            "ours": lambda: cu.f1_score(y_true, y_pred),
            "sklearn": lambda: skm.f1_score(y_true, y_pred),
            "torchmetrics": lambda: tmf.binary_f1_score(t_pred, t_true),
            "floor": lambda: np.bincount(2 * y_true + y_pred, minlength=4),
        },
        "precision_recall_curve": {
            "ours": lambda: cu.precision_recall_curve(y_true, y_score),
            "sklearn": lambda: skm.precision_recall_curve(y_true, y_score),
            "torchmetrics": lambda: tmf.binary_precision_recall_curve(
                t_score, t_true, thresholds=None
            ),
            **argsort_floor,
        },
        "average_precision_score": {
            "ours": lambda: cu.average_precision_score(y_true, y_score),
            "sklearn": lambda: skm.average_precision_score(y_true, y_score),
            "torchmetrics": lambda: tmf.binary_average_precision(t_score, t_true, thresholds=None),
            **argsort_floor,
        },
        "roc_auc_score": {
            "ours": lambda: cu.roc_auc_score(y_true, y_score),
            "sklearn": lambda: skm.roc_auc_score(y_true, y_score),
            "torchmetrics": lambda: tmf.binary_auroc(t_score, t_true, thresholds=None),
            **argsort_floor,
        },
    }


def check_equal(ours, theirs, name: str) -> None:
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=name)


def main() -> int:
    warnings.simplefilter("error")  # an unexpected warning would make the timings meaningless
    warm_memory()
    for label, (n, repeats) in SIZES.items():
        y_true, y_pred, y_score = make_data(n)
        timed = {}  # function -> seconds, so the shared argsort floor is timed once
        for name, funcs in contenders(y_true, y_pred, y_score).items():
            if label == "1e6":  # check against scikit-learn once; also warms every library up
                check_equal(funcs["ours"](), funcs["sklearn"](), name)
                funcs["torchmetrics"]()
            seconds = {}
            for who, func in funcs.items():
                if func not in timed:
                    timed[func] = best_time(func, repeats)
                seconds[who] = timed[func]
            ours = seconds["ours"]
            print(f"BENCH metrics.{name}.{label}.seconds {ours:.4f} s", flush=True)
            for who in ("sklearn", "torchmetrics", "floor"):
                print(f"BENCH metrics.{name}.{label}.vs_{who} {ours / seconds[who]:.3f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
