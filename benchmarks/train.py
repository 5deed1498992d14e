"""Training budgets (issue 4): the course's recipes, timed on this machine.

Prints:
  BENCH train.japanese_vowels.<cell>.test_accuracy         published test split, target >= 0.97
  BENCH train.japanese_vowels.<cell>.seconds               fit() wall time, budget <= 20 s
  BENCH train.long_range.<length>.gru_minus_rnn_accuracy   GRU ahead of the RNN at long lengths
  BENCH train.long_range.seconds                           all long-range fits together
  BENCH train.fraud.gru.test_accuracy                      untreated, threshold 0.5 (about 0.98)
  BENCH train.fraud.gru.test_recall                        untreated, threshold 0.5 (low)
  BENCH train.fraud.gru_balanced.test_recall               class_weight="balanced"
  BENCH train.fraud.seconds                                both fraud fits together
  BENCH train.total.seconds                                every fit above
  BENCH train.seeds.<k>.seconds                            fit_seeds over k seeds (issue 12)
  BENCH train.seeds.<k>.n_jobs_2.seconds                   fit_seeds(n_jobs=2): two processes
  BENCH train.seeds.<k>.separate_seconds                   the same k fits run one by one

`python benchmarks/train.py seeds` runs only the multi-seed figures.

Every model uses course_utils.training.recommended_config and fixed seeds; run with
TQDM_DISABLE=1 (the Makefile does). Budget for all training in the book: under 90 s.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("TQDM_DISABLE", "1")

import numpy as np

from course_utils import seed_everything
from course_utils.data import (
    SequenceScaler,
    load_japanese_vowels,
    make_fraud_sequences,
    make_long_range_task,
)
from course_utils.models import SequenceClassifier
from course_utils.training import fit, fit_seeds, predict, predict_scores, recommended_config

LENGTHS = (10, 25, 50, 75)


def bench(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.4g} {unit}", flush=True)


def japanese_vowels(cell: str) -> tuple[float, float]:
    config = recommended_config("japanese_vowels", cell)
    (x, lengths, y), (xt, lt, yt) = load_japanese_vowels("train"), load_japanese_vowels("test")
    scaler = SequenceScaler().fit(x, lengths)  # training statistics only
    model = SequenceClassifier(12, num_classes=9, **config["model"], seed=0)
    history = fit(model, (scaler.transform(x, lengths), lengths, y), seed=0, **config["fit"])
    accuracy = float(np.mean(predict(model, scaler.transform(xt, lt), lt) == yt.numpy()))
    return accuracy, history.seconds


def long_range(length: int, cell: str) -> tuple[float, float]:
    config = recommended_config("long_range", cell)
    train = make_long_range_task(config["data"]["n"], length=length, seed=0)
    x, lengths, y = make_long_range_task(1000, length=length, seed=1)
    model = SequenceClassifier(1, num_classes=2, **config["model"], seed=0)
    history = fit(model, train, seed=0, **config["fit"])
    return float(np.mean(predict(model, x, lengths) == y.numpy())), history.seconds


def fraud(class_weight) -> tuple[float, float, float]:
    config = recommended_config("fraud", "gru")
    train = make_fraud_sequences(config["data"]["n"], seed=0)
    x, lengths, y = make_fraud_sequences(4000, seed=2)
    model = SequenceClassifier(5, num_classes=2, **config["model"], seed=0)
    history = fit(model, train, class_weight=class_weight, seed=0, **config["fit"])
    predicted = predict_scores(model, x, lengths) >= 0.5
    y = y.numpy() == 1
    return float(np.mean(predicted == y)), float(predicted[y].mean()), history.seconds


def seeds(k: int) -> tuple[float, float, float]:
    """Seconds for k seeds of the long-range GRU (length 25): fit_seeds with n_jobs None and
    2, then one by one."""
    config = recommended_config("long_range", "gru")
    train = make_long_range_task(config["data"]["n"], length=25, seed=0)

    def make_model():
        return SequenceClassifier(1, num_classes=2, **config["model"])

    start = time.perf_counter()
    fit_seeds(make_model, train, seeds=list(range(k)), **config["fit"])
    together = time.perf_counter() - start
    start = time.perf_counter()
    fit_seeds(make_model, train, seeds=list(range(k)), n_jobs=2, **config["fit"])
    two_processes = time.perf_counter() - start
    start = time.perf_counter()
    for seed in range(k):
        seed_everything(seed)
        fit(make_model(), train, seed=seed, **config["fit"])
    return together, two_processes, time.perf_counter() - start


def bench_seeds() -> None:
    for k in (1, 5):
        together, two_processes, separate = seeds(k)
        bench(f"train.seeds.{k}.seconds", together, "s")
        bench(f"train.seeds.{k}.n_jobs_2.seconds", two_processes, "s")
        bench(f"train.seeds.{k}.separate_seconds", separate, "s")


def main() -> int:
    if sys.argv[1:] == ["seeds"]:
        bench_seeds()
        return 0
    total = 0.0
    for cell in ("gru", "rnn"):
        accuracy, seconds = japanese_vowels(cell)
        bench(f"train.japanese_vowels.{cell}.test_accuracy", accuracy, "ratio")
        bench(f"train.japanese_vowels.{cell}.seconds", seconds, "s")
        total += seconds

    long_range_seconds = 0.0
    for length in LENGTHS:
        (gru, t_gru), (rnn, t_rnn) = long_range(length, "gru"), long_range(length, "rnn")
        bench(f"train.long_range.{length}.gru_minus_rnn_accuracy", gru - rnn, "ratio")
        long_range_seconds += t_gru + t_rnn
    bench("train.long_range.seconds", long_range_seconds, "s")
    total += long_range_seconds

    accuracy, recall, t_plain = fraud(None)
    _, recall_balanced, t_balanced = fraud("balanced")
    bench("train.fraud.gru.test_accuracy", accuracy, "ratio")
    bench("train.fraud.gru.test_recall", recall, "ratio")
    bench("train.fraud.gru_balanced.test_recall", recall_balanced, "ratio")
    bench("train.fraud.seconds", t_plain + t_balanced, "s")
    total += t_plain + t_balanced

    bench("train.total.seconds", total, "s")
    bench_seeds()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
