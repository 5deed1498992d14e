"""Re-derive the training recipes on validation data carved from the training data only.

For each task in :mod:`course_utils.recipes` (or those named), and each cell, this trains the
recipe and its one-step neighbours (learning rate halved/doubled, hidden size
halved/doubled) with two seeds on a validation split cut from the *training* data, and
checks that no neighbour beats the recipe by more than one standard error of the recipe's
validation score (a smaller difference is one the validation split cannot resolve). Test data is never
loaded. The rules are written out in the docstring of :mod:`course_utils.recipes`.

Usage::

    python tools/check_recipes.py                         # every task, both cells (slow)
    python tools/check_recipes.py long_range --cells gru  # one task, one cell

Prints one line per candidate (``validation score``, mean over seeds, and seconds) and one
verdict per task and cell; exit status 1 if a neighbour wins by more than the margin.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("TQDM_DISABLE", "1")

import numpy as np
from sklearn.metrics import accuracy_score, average_precision_score

from course_utils.data import (
    SequenceScaler,
    chronological_split,
    load_airline,
    load_italy_power_demand,
    load_japanese_vowels,
    make_fraud_sequences,
    make_long_range_task,
    make_tagging_task,
    random_split,
    sliding_windows,
)
from course_utils.models import Forecaster, SequenceClassifier, SequenceTagger
from course_utils.recipes import FIXED_BUDGET, TASKS, recommended_config
from course_utils.training import fit_seeds, predict, predict_forecast, predict_scores

SEEDS = (0, 1)


# --------------------------------------------------------------------------- data


def _scaled(fit_part, val_part):
    (x, lengths, y), (xv, lv, yv) = fit_part, val_part
    scaler = SequenceScaler().fit(x, lengths)  # statistics of the fitting part only
    return (scaler.transform(x, lengths), lengths, y), (scaler.transform(xv, lv), lv, yv)


def _cut(data, *, stratify=True):
    """75/25 random cut of a training set (stratified by class for classifiers)."""
    x, lengths, y = data
    labels = y.numpy() if stratify else None
    fit_part, val_part = random_split((x, lengths, y), fractions=(0.75, 0.25), stratify=labels)
    return fit_part, val_part


def validation_data(task: str, config: dict):
    """(fit part, validation part, input size, model class, extra model kwargs)."""
    n = config["data"].get("n")
    if task == "japanese_vowels":
        fit_part, val_part = _scaled(*_cut(load_japanese_vowels("train")))
        return fit_part, val_part, 12, SequenceClassifier, {"num_classes": 9}
    if task == "italy_power_demand":
        fit_part, val_part = _scaled(*_cut(load_italy_power_demand("train")))
        return fit_part, val_part, 1, SequenceClassifier, {"num_classes": 2}
    if task == "fraud":
        fit_part, val_part = _cut(make_fraud_sequences(n, seed=0))
        return fit_part, val_part, 5, SequenceClassifier, {"num_classes": 2}
    if task == "long_range":
        fit_part, val_part = _cut(make_long_range_task(n, length=60, seed=0))
        return fit_part, val_part, 1, SequenceClassifier, {"num_classes": 2}
    if task == "tagging":
        data = make_tagging_task(n, max_length=config["data"]["max_length"], seed=0)
        fit_part, val_part = _cut(data, stratify=False)
        return fit_part, val_part, 3, SequenceTagger, {"num_classes": 3}
    if task == "airline":
        x, y = sliding_windows(load_airline(), window=config["data"]["window"])
        (x_train, y_train), _, _ = chronological_split((x, y))  # the training period only
        (xf, yf), (xv, yv) = chronological_split((x_train, y_train), fractions=(0.75, 0.25))
        scaler = SequenceScaler().fit(xf)
        fit_part = (scaler.transform(xf), None, scaler.transform(yf))
        val_part = (scaler.transform(xv), None, yv, scaler)  # targets kept in passengers
        return fit_part, val_part, 1, Forecaster, {}
    raise ValueError(f"No validation data for task {task!r}.")


def score(task: str, model, val_part) -> tuple[float, float]:
    """Validation score (higher is better; MAE is negated) and its standard error."""
    if task == "airline":
        x, _, y, scaler = val_part
        forecast = scaler.inverse_transform(predict_forecast(model, x)).numpy().reshape(-1)
        errors = np.abs(np.asarray(y).reshape(-1) - forecast)
        return -float(errors.mean()), float(errors.std(ddof=1) / np.sqrt(errors.size))
    x, lengths, y = val_part
    if task == "fraud":
        y_true = y.numpy()
        ap = average_precision_score(y_true, predict_scores(model, x, lengths))
        return ap, float(np.sqrt(ap * (1 - ap) / max(int(y_true.sum()), 1)))  # rough: positives
    predicted = predict(model, x, lengths)
    y_true = y.numpy()
    if task == "tagging":
        real = np.arange(x.shape[1])[None, :] < lengths.numpy()[:, None]
        y_true, predicted = y_true[real], predicted[real]
    accuracy = accuracy_score(y_true, predicted)
    n = y_true.size  # one validation example is the finest difference it can show
    return accuracy, max(float(np.sqrt(accuracy * (1 - accuracy) / n)), 1 / n)


# --------------------------------------------------------------------------- candidates


def candidates(config: dict) -> dict[str, dict]:
    """The recipe and its one-step neighbours, by name."""
    lr, hidden = config["fit"]["lr"], config["model"]["hidden_size"]
    out = {"recipe": config}
    for name, part, key, value in [
        ("lr/2", "fit", "lr", lr / 2),
        ("lr*2", "fit", "lr", lr * 2),
        ("hidden/2", "model", "hidden_size", max(hidden // 2, 1)),
        ("hidden*2", "model", "hidden_size", hidden * 2),
    ]:
        changed = {k: dict(v) for k, v in config.items()}
        changed[part][key] = value
        out[name] = changed
    return out


def check(task: str, cell: str) -> bool:
    """True unless a neighbour beats the recipe by more than one standard error."""
    config = recommended_config(task, cell)
    fit_part, val_part, features, model_class, extra = validation_data(task, config)
    results = {}
    for name, candidate in candidates(config).items():
        start = time.perf_counter()
        runs = fit_seeds(
            lambda c=candidate: model_class(features, **extra, **c["model"]),
            fit_part,
            seeds=list(SEEDS),
            **candidate["fit"],
        )
        value, error = np.mean([score(task, model, val_part) for model, _ in runs], axis=0)
        results[name] = (float(value), float(error))
        seconds = time.perf_counter() - start
        print(
            f"  {task} {cell} {name:9s} validation {value:+.4f} (se {error:.4f})  {seconds:.1f} s"
        )
    recipe, margin = results["recipe"]
    best = max(results, key=lambda k: results[k][0])
    ok = results[best][0] <= recipe + margin
    verdict = "ok" if ok else f"FAILED: {best} beats the recipe by more than one standard error"
    if task in FIXED_BUDGET:  # an experiment's budget: reported, not held to the rule
        verdict, ok = f"fixed budget, not tuned ({'within' if ok else 'beyond'} one se)", True
    print(f"{task} {cell}: recipe {recipe:+.4f}, best {best} {results[best][0]:+.4f}: {verdict}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tasks", nargs="*", help=f"default: all of {', '.join(TASKS)}")
    parser.add_argument("--cells", default="gru,rnn", help="comma-separated (default gru,rnn)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.tasks) - set(TASKS))
    if unknown:
        parser.error(f"unknown task(s) {', '.join(unknown)}; choose from {', '.join(TASKS)}")
    failed = 0
    for task in args.tasks or TASKS:
        for cell in args.cells.split(","):
            failed += not check(task, cell.strip())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
