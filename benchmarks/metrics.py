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

The metrics added for issues 12 and 13 (calibration, counts at thresholds, ``sample_weight=``,
multiclass averages, labels other than 0/1) print ``.seconds`` and ``.vs_sklearn`` only
(target: within 1.5x of scikit-learn or faster). ``python benchmarks/metrics.py NAME ...``
runs only the named metrics.
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


def new_contenders(y_true, y_pred, y_score):
    """{metric: {"ours": f, "sklearn": g}} for the metrics added for issues 12 and 13."""
    import sklearn.calibration as skc
    import sklearn.metrics as skm

    import course_utils.metrics as cu

    n = y_true.size
    rng = np.random.default_rng(1)
    weight = rng.random(n)  # float weights: the weighted code paths
    labels = np.array(["ham", "spam"])[y_true]  # string labels: the encoded code paths
    pred_labels = np.array(["ham", "spam"])[y_pred]
    k = 3
    y_multi = rng.integers(0, k, size=n)
    proba = rng.random((n, k)) + 2.0 * np.eye(k)[y_multi]
    proba /= proba.sum(axis=1, keepdims=True)
    return {
        "brier_score_loss": {
            "ours": lambda: cu.brier_score_loss(y_true, y_score),
            "sklearn": lambda: skm.brier_score_loss(y_true, y_score),
        },
        "log_loss": {
            "ours": lambda: cu.log_loss(y_true, y_score),
            "sklearn": lambda: skm.log_loss(y_true, y_score),
        },
        "calibration_curve": {
            "ours": lambda: cu.calibration_curve(y_true, y_score, n_bins=10),
            "sklearn": lambda: skc.calibration_curve(y_true, y_score, n_bins=10),
        },
        "confusion_matrix_at_thresholds": {
            "ours": lambda: cu.confusion_matrix_at_thresholds(y_true, y_score),
            "sklearn": lambda: skm.confusion_matrix_at_thresholds(y_true, y_score),
        },
        "f1_score_weighted": {
            "ours": lambda: cu.f1_score(y_true, y_pred, sample_weight=weight),
            "sklearn": lambda: skm.f1_score(y_true, y_pred, sample_weight=weight),
        },
        "f1_score_strings": {
            "ours": lambda: cu.f1_score(labels, pred_labels, pos_label="spam"),
            "sklearn": lambda: skm.f1_score(labels, pred_labels, pos_label="spam"),
        },
        "roc_auc_score_weighted": {
            "ours": lambda: cu.roc_auc_score(y_true, y_score, sample_weight=weight),
            "sklearn": lambda: skm.roc_auc_score(y_true, y_score, sample_weight=weight),
        },
        "mean_absolute_error_weighted": {
            "ours": lambda: cu.mean_absolute_error(y_score, y_pred, sample_weight=weight),
            "sklearn": lambda: skm.mean_absolute_error(y_score, y_pred, sample_weight=weight),
        },
        "roc_auc_score_ovr": {
            "ours": lambda: cu.roc_auc_score(y_multi, proba, multi_class="ovr"),
            "sklearn": lambda: skm.roc_auc_score(y_multi, proba, multi_class="ovr"),
        },
        "average_precision_score_macro": {
            "ours": lambda: cu.average_precision_score(y_multi, proba),
            "sklearn": lambda: skm.average_precision_score(y_multi, proba),
        },
    }


def check_equal(ours, theirs, name: str) -> None:
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=name)


def main(only: list[str] | None = None) -> int:
    warnings.simplefilter("error")  # an unexpected warning would make the timings meaningless
    warm_memory()
    for label, (n, repeats) in SIZES.items():
        y_true, y_pred, y_score = make_data(n)
        timed = {}  # function -> seconds, so the shared argsort floor is timed once
        groups = (contenders(y_true, y_pred, y_score), new_contenders(y_true, y_pred, y_score))
        for group in groups:
            for name, funcs in group.items():
                if only and name not in only:
                    continue
                if label == "1e6":  # check against scikit-learn once; also warms libraries up
                    check_equal(funcs["ours"](), funcs["sklearn"](), name)
                    if "torchmetrics" in funcs:
                        funcs["torchmetrics"]()
                seconds = {}
                for who, func in funcs.items():
                    if func not in timed:
                        timed[func] = best_time(func, repeats)
                    seconds[who] = timed[func]
                ours = seconds["ours"]
                print(f"BENCH metrics.{name}.{label}.seconds {ours:.4f} s", flush=True)
                for who in ("sklearn", "torchmetrics", "floor"):
                    if who in seconds:
                        print(f"BENCH metrics.{name}.{label}.vs_{who} {ours / seconds[who]:.3f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or None))
