"""training.evaluate (issue 22): one pass over a DataLoader, every metric of all the steps."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

import course_utils.metrics as cu
from course_utils.metrics import stream
from course_utils.models import Forecaster, SequenceClassifier, SequenceTagger
from course_utils.training import (
    evaluate,
    predict,
    predict_forecast,
    predict_proba,
    predict_scores,
)


def batches(n=23, t=7, f=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, t, f, generator=g)
    lengths = torch.randint(0, t + 1, (n,), generator=g)
    lengths[0] = t
    return x, lengths


# Forward passes over other batch compositions round float32 differently: scores agree to
# 1e-6, labels exactly.


def test_a_tagger_is_scored_on_real_steps_only():
    x, lengths = batches()
    y = torch.randint(0, 3, (23, 7))
    y[torch.arange(7)[None, :] >= lengths[:, None]] = -100  # padding
    model = SequenceTagger(3, 5, 3, seed=0)
    metrics = {
        "f1": stream("f1_score", average="macro"),
        "auc": stream("roc_auc_score", multi_class="ovr"),
        "seq": "sequence_accuracy",
        "loss": cu.log_loss,
    }
    got = evaluate(model, DataLoader(TensorDataset(x, lengths, y), batch_size=5), metrics)
    labels, proba = predict(model, x, lengths), predict_proba(model, x, lengths)
    assert got["f1"] == cu.f1_score(y, labels, average="macro", lengths=lengths)
    assert got["auc"] == pytest.approx(
        cu.roc_auc_score(y, proba, multi_class="ovr", lengths=lengths), abs=1e-6
    )
    assert got["seq"] == cu.sequence_accuracy(y, labels, lengths=lengths)
    assert got["loss"] == pytest.approx(cu.log_loss(y, proba, lengths=lengths), rel=1e-6)


def test_a_classifier_and_a_forecaster():
    x, lengths = batches()
    y = torch.randint(0, 2, (23,))
    model = SequenceClassifier(3, 4, 2, seed=1)
    loader = DataLoader(TensorDataset(x, lengths, y), batch_size=4)
    got = evaluate(model, loader, [cu.f1_score, "average_precision_score", "brier_score_loss"])
    scores = predict_scores(model, x, lengths)
    assert got["f1_score"] == cu.f1_score(y, predict(model, x, lengths))
    assert got["average_precision_score"] == pytest.approx(
        cu.average_precision_score(y, scores), abs=1e-6
    )
    assert got["brier_score_loss"] == pytest.approx(cu.brier_score_loss(y, scores), rel=1e-6)

    model = Forecaster(3, 4, horizon=2, seed=0)
    target = torch.randn(23, 2)
    loader = DataLoader(TensorDataset(x, lengths, target), batch_size=6)
    got = evaluate(model, loader, {"rmse": "root_mean_squared_error"})
    expected = cu.root_mean_squared_error(target, predict_forecast(model, x, lengths))
    assert got["rmse"] == pytest.approx(expected, rel=1e-6)


def test_eval_mode_no_grad_and_the_mode_restored():
    x, lengths = batches()
    y = torch.randint(0, 2, (23,))
    model = SequenceClassifier(3, 4, 2, dropout=0.5, seed=0)
    model.train()
    loader = DataLoader(TensorDataset(x, lengths, y), batch_size=4)
    first = evaluate(model, loader, ["roc_auc_score"])
    assert model.training  # restored
    assert evaluate(model, loader, ["roc_auc_score"]) == first  # dropout off: deterministic
    assert all(p.grad is None for p in model.parameters())


def test_distributed_sampler_copies_are_dropped():
    """Two ranks simulated in one process: their streams merged count each sample once."""
    x, lengths = batches(n=11)
    y = torch.randint(0, 2, (11,))
    data = TensorDataset(x, lengths, y)
    model = SequenceClassifier(3, 4, 2, seed=0)
    one = evaluate(model, DataLoader(data, batch_size=3), {"cm": "confusion_matrix"})["cm"]
    for drop, total in ((True, 11), (False, 12)):
        parts = []
        for rank in (0, 1):
            sampler = DistributedSampler(data, num_replicas=2, rank=rank, shuffle=True, seed=3)
            s = stream("confusion_matrix")
            evaluate(
                model,
                DataLoader(data, batch_size=3, sampler=sampler),
                {"cm": s},
                drop_sampler_padding=drop,
            )
            parts.append(s)
        merged = parts[0].merge(parts[1]).compute()
        assert merged.sum() == total
        if drop:
            np.testing.assert_array_equal(merged, one)
    sampler = DistributedSampler(data, num_replicas=2, rank=0, drop_last=True)
    with pytest.warns(UserWarning, match="drop_last=True: 1 samples are left out"):
        evaluate(model, DataLoader(data, sampler=sampler), ["accuracy_score"])


def test_bad_input():
    x, lengths = batches()
    y = torch.randint(0, 2, (23,))
    model = SequenceClassifier(3, 4, 2, seed=0)
    loader = DataLoader(TensorDataset(x, lengths, y), batch_size=4)
    with pytest.raises(TypeError, match="each batch to be \\(x, lengths, y\\)"):
        evaluate(model, DataLoader(TensorDataset(x, y)), ["accuracy_score"])
    with pytest.raises(TypeError, match="metrics of forecasts for a Forecaster"):
        evaluate(Forecaster(3, 4, horizon=1, seed=0), loader, ["accuracy_score"])
    with pytest.raises(TypeError, match="labels and scores for a SequenceClassifier"):
        evaluate(model, loader, ["mean_squared_error"])
    with pytest.raises(ValueError, match="has no streaming form"):
        from sklearn.metrics import accuracy_score

        evaluate(model, loader, [accuracy_score])
    with pytest.raises(ValueError, match="at least one metric"):
        evaluate(model, loader, {})
    with pytest.raises(TypeError, match="SequenceClassifier, SequenceTagger or Forecaster"):
        evaluate(torch.nn.Linear(2, 2), loader, ["accuracy_score"])
    with pytest.raises(ValueError, match="at least one batch with a real step"):
        empty = TensorDataset(x[:0], lengths[:0], y[:0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            evaluate(model, DataLoader(empty), ["accuracy_score"])
