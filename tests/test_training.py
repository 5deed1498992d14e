"""Tests for course_utils.training: the fit loop, its history, predictions and recipes."""

from __future__ import annotations

import copy
import os
import subprocess
import sys

import numpy as np
import pytest
import torch
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error, roc_auc_score
from sklearn.utils.class_weight import compute_class_weight

from course_utils.data import (
    SequenceScaler,
    load_japanese_vowels,
    make_fraud_sequences,
    make_long_range_task,
    make_tagging_task,
    sliding_windows,
)
from course_utils.models import Forecaster, SequenceClassifier, SequenceTagger
from course_utils.training import (
    History,
    fit,
    needs_scores,
    predict,
    predict_forecast,
    predict_proba,
    predict_scores,
    recommended_config,
)
from course_utils.training import _check_class_weight as check_class_weight


@pytest.fixture(autouse=True)
def _no_progress_bars(monkeypatch):
    monkeypatch.setenv("TQDM_DISABLE", "1")


@pytest.fixture(scope="module")
def binary():
    """Small, quick binary data: the long-range task at length 8."""
    return make_long_range_task(96, length=8, seed=0), make_long_range_task(64, length=8, seed=1)


@pytest.fixture(scope="module")
def tagging():
    return make_tagging_task(48, max_length=20, seed=0), make_tagging_task(
        32, max_length=20, seed=1
    )


def _classifier(seed=0, **kwargs):
    return SequenceClassifier(1, 8, 2, seed=seed, **kwargs)


# --------------------------------------------------------------------------- history


def test_history_records_every_epoch(binary):
    train, val = binary
    history = fit(
        _classifier(), train, val, epochs=4, metrics={"acc": accuracy_score, "f1": f1_score}
    )
    assert isinstance(history, History)
    assert history.epochs == 4 and len(history.val_loss) == 4
    assert set(history.metrics) == {"train_acc", "train_f1", "val_acc", "val_f1"}
    assert all(len(v) == 4 for v in history.metrics.values())
    assert history.monitor == "val_loss"
    assert history.best_value == min(history.val_loss)
    assert history.val_loss[history.best_epoch - 1] == history.best_value
    assert history.seconds > 0 and not history.stopped_early
    frame = history.to_frame()
    assert list(frame.columns) == [
        "epoch", "train_loss", "val_loss", "train_acc", "train_f1", "val_acc", "val_f1"
    ]  # fmt: skip
    assert frame["epoch"].tolist() == [1, 2, 3, 4]


def test_without_validation_data_the_training_loss_is_watched(binary):
    train, _ = binary
    history = fit(_classifier(), train, epochs=2)
    assert history.monitor == "train_loss" and history.val_loss == []
    assert "val_loss" not in history.to_frame().columns


def test_training_reduces_the_loss(binary):
    train, val = binary
    history = fit(_classifier(), train, val, epochs=15, lr=2e-2)
    assert history.val_loss[-1] < 0.1 * history.val_loss[0]


# --------------------------------------------------------------------------- determinism


def _run(train, val, seed):
    model = _classifier(seed=seed, dropout=0.2)
    history = fit(model, train, val, epochs=3, seed=seed, metrics={"acc": accuracy_score})
    return history, predict_proba(model, *val[:2])


def test_same_seed_gives_bitwise_identical_history_and_predictions(binary):
    train, val = binary
    (h1, p1), (h2, p2) = _run(train, val, 0), _run(train, val, 0)
    assert h1.train_loss == h2.train_loss and h1.val_loss == h2.val_loss
    assert h1.metrics == h2.metrics and h1.best_epoch == h2.best_epoch
    assert np.array_equal(p1, p2)
    h3, p3 = _run(train, val, 1)
    assert h3.train_loss != h1.train_loss and not np.array_equal(p1, p3)


def test_fit_restores_the_thread_count(binary):
    before = torch.get_num_threads()
    seen = []
    fit(_classifier(), binary[0], epochs=1, threads=1, loss=_spy_loss(seen))
    assert seen == [1] * len(seen) and seen
    assert torch.get_num_threads() == before


def test_fit_cleans_up_when_a_metric_raises(binary):
    before = torch.get_num_threads()

    def broken(y_true, y_pred):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fit(_classifier(), binary[0], epochs=1, threads=before + 1, metrics={"b": broken})
    assert torch.get_num_threads() == before


def _spy_loss(seen):
    def loss(output, target):
        seen.append(torch.get_num_threads())
        return torch.nn.functional.cross_entropy(output, target)

    return loss


# --------------------------------------------------------------------------- early stopping


class _Scripted:
    """A 'metric' that returns preset values and snapshots the model at each call."""

    def __init__(self, model, values):
        self.model, self.values, self.states = model, list(values), []

    def __call__(self, y_true, y_pred):
        # fit calls it twice per epoch, for train then val: both get that epoch's value.
        self.states.append(copy.deepcopy(self.model.state_dict()))
        return self.values[(len(self.states) - 1) // 2]


def test_early_stopping_and_restore_best(binary):
    train, val = binary
    model = _classifier()
    scripted = _Scripted(model, [0.1, 0.9, 0.5, 0.4, 0.3, 0.95])
    history = fit(
        model, train, val, epochs=6, lr=5e-2, metrics={"score": scripted}, monitor="score",
        patience=2,
    )  # fmt: skip
    assert history.monitor == "val_score"
    assert history.epochs == 4 and history.stopped_early
    assert history.best_epoch == 2 and history.best_value == 0.9
    best_state = scripted.states[3]  # the val call of epoch 2
    assert all(torch.equal(v, best_state[k]) for k, v in model.state_dict().items())
    last_state = scripted.states[-1]
    assert not all(torch.equal(v, last_state[k]) for k, v in model.state_dict().items())


def test_restore_best_false_keeps_the_last_weights(binary):
    train, val = binary
    model = _classifier()
    scripted = _Scripted(model, [0.9, 0.1, 0.1])
    fit(model, train, val, epochs=3, metrics={"s": scripted}, monitor="val_s", restore_best=False)
    last = scripted.states[-1]
    assert all(torch.equal(v, last[k]) for k, v in model.state_dict().items())


def test_a_nan_epoch_is_never_the_best(binary):
    """Issue 27, item 20: a NaN at epoch 1 used to stay "best" (NaN compares False)."""
    train, val = binary
    model = _classifier()
    scripted = _Scripted(model, [float("nan"), 0.3, 0.5, float("nan"), 0.4, 0.2])
    history = fit(
        model, train, val, epochs=6, metrics={"score": scripted}, monitor="score", patience=2
    )
    assert history.best_epoch == 3 and history.best_value == 0.5
    assert history.epochs == 5 and history.stopped_early  # epochs 4 (NaN) and 5: no better
    best_state = scripted.states[5]  # the val call of epoch 3
    assert all(torch.equal(v, best_state[k]) for k, v in model.state_dict().items())


@pytest.mark.parametrize("mode", ["min", "max"])
def test_nan_never_best_in_either_mode(binary, mode):
    train, val = binary
    scripted = _Scripted(_classifier(), [0.5, float("nan"), 0.4, 0.6])
    history = fit(_classifier(), train, val, epochs=4, metrics={"s": scripted}, monitor="s",
                  mode=mode)  # fmt: skip
    assert (history.best_epoch, history.best_value) == ((3, 0.4) if mode == "min" else (4, 0.6))


def test_every_epoch_nan_warns_and_keeps_the_last_weights(binary):
    train, val = binary
    model = _classifier()
    scripted = _Scripted(model, [float("nan")] * 3)
    with pytest.warns(UserWarning, match=r"'val_s'.*NaN at all 3 epochs.*best_epoch` is None"):
        history = fit(model, train, val, epochs=3, metrics={"s": scripted}, monitor="s")
    assert history.best_epoch is None and history.best_value is None
    last = scripted.states[-1]
    assert all(torch.equal(v, last[k]) for k, v in model.state_dict().items())


def test_undefined_precision_at_epoch_one_does_not_win():
    """The package's own precision_score(zero_division=nan) is NaN while nothing is predicted
    positive (imbalanced data, first epoch): the best epoch is a defined one."""
    from course_utils.metrics import precision_score

    def precision(y_true, y_pred):
        return precision_score(y_true, y_pred, zero_division=np.nan)

    train = make_fraud_sequences(300, prevalence=0.1, signal=3.0, seed=0)
    val = make_fraud_sequences(200, prevalence=0.1, signal=3.0, seed=1)
    history = fit(
        SequenceClassifier(5, 8, 2, seed=0), train, val, epochs=10, patience=3,
        metrics={"precision": precision}, monitor="precision",
    )  # fmt: skip
    values = history.metrics["val_precision"]
    assert np.isnan(values[0]) and not np.isnan(values).all()  # the case of the issue
    assert history.best_epoch > 1 and history.best_value == np.nanmax(values)
    assert history.epochs > 4  # patience counts from the first defined best, not epoch 1


def test_mode_min_for_error_metrics():
    series = np.sin(np.arange(120) / 4)
    x, y = sliding_windows(series, window=8)
    train, val = (x[:80], None, y[:80]), (x[80:], None, y[80:])
    history = fit(
        Forecaster(1, 8, seed=0), train, val, epochs=3, metrics={"mae": mean_absolute_error},
        monitor="val_mae", mode="min",
    )  # fmt: skip
    assert history.best_value == min(history.metrics["val_mae"])


# --------------------------------------------------------------------------- losses and metrics


def test_balanced_class_weight_matches_scikit_learn():
    model = _classifier()
    y = torch.tensor([0] * 90 + [1] * 10)
    weight = check_class_weight("balanced", model=model, y=y, lengths=None)
    expected = compute_class_weight("balanced", classes=np.array([0, 1]), y=y.numpy())
    assert np.allclose(weight.numpy(), expected)


def test_class_weight_changes_training(binary):
    train, _ = binary
    a = fit(_classifier(), train, epochs=2)
    b = fit(_classifier(), train, epochs=2, class_weight=[1.0, 5.0])
    assert a.train_loss != b.train_loss


def test_score_metrics_get_probabilities_and_label_metrics_get_labels(binary):
    train, val = binary
    seen = {}

    def labels_metric(y_true, y_pred):
        seen["labels"] = y_pred
        return 0.0

    def scores_metric(y_true, y_score):
        seen["scores"] = y_score
        return roc_auc_score(y_true, y_score)

    fit(
        _classifier(), train, val, epochs=1,
        metrics={"l": labels_metric, "auc": needs_scores(scores_metric)},
    )  # fmt: skip
    assert seen["labels"].dtype.kind == "i" and set(np.unique(seen["labels"])) <= {0, 1}
    assert seen["scores"].shape == (64,) and seen["scores"].dtype == np.float64
    assert 0 <= seen["scores"].min() and seen["scores"].max() <= 1


def test_multiclass_scores_are_all_probabilities():
    x, lengths, y = load_japanese_vowels("train")
    seen = {}

    def spy(y_true, y_score):
        seen["shape"] = y_score.shape
        return 0.0

    model = SequenceClassifier(12, 4, 9, seed=0)
    fit(model, (x[:40], lengths[:40], y[:40]), epochs=1, metrics={"s": needs_scores(spy)})
    assert seen["shape"] == (40, 9)


def test_tagger_loss_and_metrics_ignore_padding(tagging):
    (x, lengths, y), val = tagging
    other_padding = y.clone()
    other_padding[torch.arange(20)[None, :] >= lengths[:, None]] = 2  # a real class, at padding
    sizes = []

    def count(y_true, y_pred):
        sizes.append(len(y_true))
        return float(np.mean(y_true == y_pred))

    runs = [
        fit(SequenceTagger(3, 8, 3, seed=0), (x, lengths, labels), val, epochs=2,
            metrics={"acc": count})
        for labels in (y, other_padding)
    ]  # fmt: skip
    assert runs[0].train_loss == runs[1].train_loss and runs[0].metrics == runs[1].metrics
    assert sizes[0] == int(lengths.sum()) and sizes[1] == int(val[1].sum())


def test_forecaster_learns_a_sine():
    series = np.sin(np.arange(200) / 3)
    x, y = sliding_windows(series, window=10)
    model = Forecaster(1, 16, seed=0)
    history = fit(model, (x[:150], None, y[:150]), (x[150:], None, y[150:]), epochs=15)
    assert history.val_loss[-1] < 0.2 * history.val_loss[0]
    forecasts = predict_forecast(model, x[150:])
    assert forecasts.shape == (len(x) - 150, 1)
    assert mean_absolute_error(y[150:].numpy(), forecasts) < 0.15


def test_custom_loss(binary):
    train, _ = binary
    calls = []

    def loss(output, target):
        calls.append(output.shape)
        return torch.nn.functional.cross_entropy(output, target, label_smoothing=0.1)

    fit(_classifier(), train, epochs=1, batch_size=32, loss=loss)
    assert calls == [(32, 2)] * 3


# --------------------------------------------------------------------------- progress


def test_progress_bar_shown_only_when_asked(binary, capsys):
    train, _ = binary
    fit(_classifier(), train, epochs=2)  # TQDM_DISABLE=1 from the fixture
    assert "epoch" not in capsys.readouterr().err
    fit(_classifier(), train, epochs=2, progress=True)
    err = capsys.readouterr().err
    assert "fit SequenceClassifier(gru)" in err and "2/2" in err


def test_importing_training_stays_light():
    code = (
        "import sys, course_utils.training; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'seaborn', 'aeon') if m in sys.modules))"
    )
    env = os.environ | {"TQDM_DISABLE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"epochs": 0}, ValueError, "`epochs` to be an int >= 1, but got 0"),
        ({"lr": -1.0}, ValueError, "`lr` to be a float > 0.0, but got -1.0"),
        ({"batch_size": 2.5}, TypeError, "`batch_size` to be an int"),
        ({"monitor": "val_f2"}, ValueError, "`monitor` to be one of 'train_loss', 'val_loss'"),
        ({"mode": "up"}, ValueError, "`mode` to be one of 'auto', 'min', 'max'"),
        ({"patience": 0}, ValueError, "`patience` to be an int >= 1"),
        ({"class_weight": [1.0]}, ValueError, "'balanced' or 2 non-negative finite weights"),
        ({"class_weight": "auto"}, ValueError, "`class_weight` to be one of 'balanced'"),
        ({"metrics": [accuracy_score]}, TypeError, "`metrics` to be a dict"),
        ({"metrics": {"loss": accuracy_score}}, ValueError, "other than 'loss'"),
        ({"metrics": {"acc": 1}}, TypeError, r"`metrics\['acc'\]` to be callable"),
        ({"loss": "mse"}, TypeError, "`loss` to be callable or None"),
        ({"grad_clip": 0.0}, ValueError, "`grad_clip`"),
        ({"progress": "yes"}, TypeError, "`progress` to be a bool or None"),
        ({"device": "tpu:0"}, ValueError, "`device` to be None, 'cpu', 'cuda'"),
        ({"restore_best": 1}, TypeError, "`restore_best` to be a bool"),
        ({"threads": 0}, ValueError, "`threads` to be an int >= 1"),
        ({"seed": -1}, ValueError, "`seed`"),
    ],
)
def test_bad_options(binary, kwargs, error, match):
    train, val = binary
    with pytest.raises(error, match=match):
        fit(_classifier(), train, val, **kwargs)


def test_monitor_on_validation_needs_validation_data(binary):
    with pytest.raises(ValueError, match=r"pass `val` to watch validation values"):
        fit(_classifier(), binary[0], monitor="val_loss")


def test_bad_data(binary):
    (x, lengths, y), _ = binary
    model = _classifier()
    with pytest.raises(TypeError, match=r"`train` to be a tuple \(x, lengths, y\)"):
        fit(model, (x, y))
    with pytest.raises(ValueError, match=r"labels in `train\[2\] \(y\)` to be in \[0, 1\]"):
        fit(model, (x, lengths, y + 1))
    with pytest.raises(ValueError, match=r"`train\[2\] \(y\)` to be an integer tensor"):
        fit(model, (x, lengths, y.float()))
    with pytest.raises(ValueError, match=r"`val\[1\] \(lengths\)` to be in \[0, 8\].*got 16"):
        fit(model, (x, lengths, y), (x, lengths * 2, y))
    with pytest.raises(ValueError, match=r"`train\[0\] \(x\)` to have 1 features"):
        fit(model, (x.expand(-1, -1, 2), lengths, y))
    with pytest.raises(TypeError, match="SequenceClassifier, SequenceTagger or Forecaster"):
        fit(torch.nn.GRU(1, 4), (x, lengths, y))


def test_forecaster_targets_and_class_weight():
    x, y = sliding_windows(np.arange(30.0), window=5, horizon=2)
    model = Forecaster(1, 4, horizon=2, seed=0)
    with pytest.raises(ValueError, match=r"float tensor of shape \(24, 2\)"):
        fit(model, (x, None, y[:, 0]))
    with pytest.raises(ValueError, match="`class_weight` to be None for a Forecaster"):
        fit(model, (x, None, y), class_weight="balanced")


# --------------------------------------------------------------------------- predictions


def test_predict_helpers_agree(binary):
    train, (x, lengths, _) = binary
    model = _classifier()
    fit(model, train, epochs=3)
    proba = predict_proba(model, x, lengths)
    assert proba.shape == (64, 2) and proba.dtype == np.float64
    assert np.allclose(proba.sum(axis=1), 1.0)
    scores = predict_scores(model, x, lengths)
    assert np.array_equal(scores, proba[:, 1])
    assert np.array_equal(predict(model, x, lengths), proba.argmax(axis=1))
    assert np.array_equal(predict(model, x, lengths, threshold=0.3), (scores >= 0.3).astype(int))
    small_batches = predict_proba(model, x, lengths, batch_size=5)
    assert np.allclose(small_batches, proba, atol=1e-6)


def test_predict_leaves_the_model_mode_alone(binary):
    model = _classifier(dropout=0.5).train()
    predict(model, *binary[1][:2])
    assert model.training


def test_tagger_predictions(tagging):
    _, (x, lengths, _) = tagging
    model = SequenceTagger(3, 8, 3, seed=0)
    assert predict_proba(model, x, lengths).shape == (32, 20, 3)
    assert predict(model, x, lengths).shape == (32, 20)
    binary_tagger = SequenceTagger(3, 8, 2, seed=0)
    assert predict_scores(binary_tagger, x, lengths).shape == (32, 20)


def test_predict_bad_input(binary):
    x, lengths, _ = binary[1]
    with pytest.raises(ValueError, match=r"binary `model` .* it has 3 classes"):
        predict_scores(SequenceClassifier(1, 4, 3), x, lengths)
    with pytest.raises(ValueError, match=r"`threshold` to be a float in \[0.0, 1.0\]"):
        predict(_classifier(), x, lengths, threshold=1.5)
    with pytest.raises(TypeError, match="Forecaster for predict_forecast"):
        predict_forecast(_classifier(), x, lengths)
    with pytest.raises(TypeError, match="SequenceClassifier or SequenceTagger for predict_proba"):
        predict_proba(Forecaster(1, 4), x, lengths)
    with pytest.raises(ValueError, match="`lengths`"):
        predict(_classifier(), x, lengths + 1)


# --------------------------------------------------------------------------- recipes


def test_recommended_config_is_a_fresh_copy():
    config = recommended_config("japanese_vowels", "gru")
    assert set(config) == {"data", "model", "fit"} and config["model"]["cell"] == "gru"
    config["fit"]["epochs"] = 1
    assert recommended_config("japanese_vowels", "gru")["fit"]["epochs"] == 30
    assert "update_gate_bias" not in recommended_config("long_range", "rnn")["model"]
    with pytest.raises(ValueError, match="`task` to be one of 'japanese_vowels'"):
        recommended_config("mnist")
    with pytest.raises(ValueError, match="`cell` to be one of 'gru', 'rnn'"):
        recommended_config("fraud", "lstm")


@pytest.mark.parametrize(
    "task", ["japanese_vowels", "italy_power_demand", "fraud", "long_range", "tagging", "airline"]
)
def test_every_recipe_builds_a_model_and_runs_an_epoch(task):
    for cell in ("gru", "rnn"):
        config = recommended_config(task, cell)
        model_class = {"tagging": SequenceTagger, "airline": Forecaster}.get(
            task, SequenceClassifier
        )
        if model_class is Forecaster:
            model = model_class(1, **config["model"], seed=0)
            x, y = sliding_windows(np.arange(40.0), window=5)
            data = (x, None, y)
        elif model_class is SequenceTagger:
            model = model_class(3, num_classes=3, **config["model"], seed=0)
            data = make_tagging_task(16, max_length=10, seed=0)
        else:
            model = model_class(2, num_classes=2, **config["model"], seed=0)
            data = (torch.randn(16, 10, 2), torch.full((16,), 10), torch.arange(16) % 2)
        before = copy.deepcopy(model.state_dict())
        history = fit(model, data, **(config["fit"] | {"epochs": 1, "restore_best": False}))
        assert model.cell == cell and history.epochs == 1
        assert np.isfinite(history.train_loss[0]) and history.monitor == "train_loss"
        changed = [not torch.equal(before[k], v) for k, v in model.state_dict().items()]
        assert any(changed)  # one epoch of training moved the weights
        assert not model.training  # fit leaves the model in evaluation mode
        if task == "long_range":
            assert ("update_gate_bias" in config["model"]) == (cell == "gru")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_fit_and_predict_on_cuda(binary):
    train, val = binary
    model = _classifier()
    history = fit(model, train, val, epochs=2, device="cuda")
    assert next(model.parameters()).device.type == "cuda"
    assert history.epochs == 2
    assert predict_proba(model, *val[:2]).shape == (64, 2)


# --------------------------------------------------------------------------- targets (slow)


def _japanese_vowels_accuracy(cell: str, seed: int) -> tuple[float, float]:
    config = recommended_config("japanese_vowels", cell)
    (x, lengths, y), (xt, lt, yt) = load_japanese_vowels("train"), load_japanese_vowels("test")
    scaler = SequenceScaler().fit(x, lengths)
    model = SequenceClassifier(12, num_classes=9, **config["model"], seed=seed)
    history = fit(model, (scaler.transform(x, lengths), lengths, y), seed=seed, **config["fit"])
    return accuracy_score(yt.numpy(), predict(model, scaler.transform(xt, lt), lt)), history.seconds


@pytest.mark.slow
@pytest.mark.parametrize("cell", ["gru", "rnn"])
def test_japanese_vowels_target(cell):
    accuracy, seconds = _japanese_vowels_accuracy(cell, seed=0)
    assert accuracy >= 0.96, accuracy
    assert seconds < 60  # the 20 s budget is tracked in benchmarks/train.py


@pytest.mark.slow
def test_long_range_gru_beats_rnn():
    accuracy = {}
    for cell in ("gru", "rnn"):
        config = recommended_config("long_range", cell)
        train = make_long_range_task(config["data"]["n"], length=60, seed=0)
        x, lengths, y = make_long_range_task(500, length=60, seed=1)
        model = SequenceClassifier(1, num_classes=2, **config["model"], seed=0)
        fit(model, train, **config["fit"])
        accuracy[cell] = accuracy_score(y.numpy(), predict(model, x, lengths))
    assert accuracy["gru"] >= 0.9 and accuracy["rnn"] <= 0.75, accuracy


@pytest.mark.slow
def test_fraud_accuracy_paradox_and_class_weights():
    config = recommended_config("fraud", "gru")
    train = make_fraud_sequences(config["data"]["n"], seed=0)
    x, lengths, y = make_fraud_sequences(4000, seed=2)
    results = {}
    for class_weight in (None, "balanced"):
        model = SequenceClassifier(5, num_classes=2, **config["model"], seed=0)
        fit(model, train, class_weight=class_weight, **config["fit"])
        scores = predict_scores(model, x, lengths)
        predicted = scores >= 0.5
        recall = predicted[y.numpy() == 1].mean()
        results[class_weight] = (accuracy_score(y.numpy(), predicted), recall)
    accuracy, recall = results[None]
    never_fraud = 1 - y.numpy().mean()  # the accuracy of flagging nothing
    # The accuracy paradox: about as accurate as flagging nothing, most fraud missed.
    assert accuracy >= 0.975 and accuracy - never_fraud < 0.01 and recall < 0.5, results
    # Class weights move the threshold's operating point: far more fraud caught.
    assert results["balanced"][1] >= recall + 0.2, results


# --------------------------------------------------------------------------- fit_seeds


def test_fit_seeds_matches_separate_seeded_runs(binary):
    from course_utils import seed_everything
    from course_utils.training import fit_seeds

    train, val = binary
    kwargs = {"epochs": 2, "metrics": {"acc": accuracy_score}}
    runs = fit_seeds(lambda: _classifier(seed=None, dropout=0.2), train, val=val, seeds=[3, 4],
                     **kwargs)  # fmt: skip
    assert len(runs) == 2
    for seed, (model, history) in zip([3, 4], runs, strict=True):
        seed_everything(seed)
        alone = _classifier(seed=None, dropout=0.2)
        expected = fit(alone, train, val, seed=seed, **kwargs)
        assert history.train_loss == expected.train_loss
        assert history.metrics == expected.metrics
        assert np.array_equal(predict_proba(model, *val[:2]), predict_proba(alone, *val[:2]))
    assert runs[0][1].train_loss != runs[1][1].train_loss


def test_fit_seeds_ignores_course_seed(binary, monkeypatch):
    from course_utils.training import fit_seeds

    def losses():
        runs = fit_seeds(lambda: _classifier(seed=None), binary[0], seeds=[0, 1], epochs=1)
        return [h.train_loss for _, h in runs]

    plain = losses()
    monkeypatch.setenv("COURSE_SEED", "9")
    assert losses() == plain


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (("not callable",), {"seeds": [0]}, TypeError, "`make_model`"),
        ((_classifier,), {"seeds": 3}, TypeError, "`seeds`"),
        ((_classifier,), {"seeds": "01"}, TypeError, "`seeds`"),
        ((_classifier,), {"seeds": []}, ValueError, "`seeds`"),
        ((_classifier,), {"seeds": [1, 1]}, ValueError, "no repeats"),
        ((_classifier,), {"seeds": [-1]}, ValueError, "`seeds`"),
        ((_classifier,), {"seeds": [0.5]}, TypeError, "`seeds`"),
        ((_classifier,), {"seeds": [0], "seed": 1}, TypeError, "`seed` keyword"),
        ((lambda: "model",), {"seeds": [0]}, TypeError, r"make_model\(\)"),
        ((_classifier,), {"seeds": [0], "n_jobs": 0}, ValueError, "`n_jobs`"),
        ((_classifier,), {"seeds": [0], "n_jobs": -2}, ValueError, "`n_jobs`"),
        ((_classifier,), {"seeds": [0], "n_jobs": 2.0}, TypeError, "`n_jobs`"),
        ((_classifier,), {"seeds": [0], "n_jobs": True}, TypeError, "`n_jobs`"),
    ],
)
def test_fit_seeds_bad_arguments(binary, args, kwargs, error, match):
    from course_utils.training import fit_seeds

    with pytest.raises(error, match=match):
        fit_seeds(*args, binary[0], **kwargs)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
@pytest.mark.parametrize("n_jobs", [2, 3, -1])
def test_fit_seeds_in_processes_equals_one_after_another(binary, n_jobs):
    """Same seeds, same weights, same histories, and the same random state afterwards."""
    from course_utils.training import fit_seeds

    train, val = binary
    kwargs = {"epochs": 2, "metrics": {"acc": accuracy_score}, "progress": True}
    seeds = [5, 6, 7, 8]

    def runs_and_state(n):
        runs = fit_seeds(lambda: _classifier(seed=None, dropout=0.2), train, val=val,
                         seeds=seeds, n_jobs=n, **kwargs)  # fmt: skip
        return runs, (torch.rand(3), np.random.rand(3))  # noqa: NPY002 - the global state

    serial, serial_state = runs_and_state(None)
    parallel, parallel_state = runs_and_state(n_jobs)
    for (model, history), (expected_model, expected) in zip(parallel, serial, strict=True):
        assert history.train_loss == expected.train_loss
        assert history.val_loss == expected.val_loss
        assert history.metrics == expected.metrics
        assert history.best_epoch == expected.best_epoch
        for (name, value), (_, want) in zip(
            model.state_dict().items(), expected_model.state_dict().items(), strict=True
        ):
            assert torch.equal(value, want), name
        assert not model.training
    assert torch.equal(parallel_state[0], serial_state[0])
    assert np.array_equal(parallel_state[1], serial_state[1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_fit_seeds_workers_survive_the_parents_thread_team(tmp_path):
    """A parent that already ran a multi-threaded op (as a notebook kernel has) must not
    hang its forked workers: their first parallel op would wait for threads that the fork
    did not copy."""
    script = tmp_path / "fork_after_threads.py"
    script.write_text(
        "import torch\n"
        "from course_utils.data import make_long_range_task\n"
        "from course_utils.models import SequenceClassifier\n"
        "from course_utils.training import fit_seeds\n"
        "torch.set_num_threads(2)\n"
        "x = torch.randn(1000, 1000)\n"
        "assert bool((x @ x).isfinite().all())  # the parent's OpenMP team now exists\n"
        "train = make_long_range_task(4000, length=25, seed=0)  # big enough for parallel ops\n"
        "runs = fit_seeds(lambda: SequenceClassifier(1, 4, 2), train, seeds=[0, 1, 2],\n"
        "                 epochs=1, progress=False, n_jobs=2)\n"
        "print(len(runs))\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "3"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_fit_seeds_reports_a_worker_that_dies(binary):
    from course_utils.training import fit_seeds

    def make_model():  # the worker training seed 1 dies outright, as if killed
        if torch.initial_seed() == 1:
            os._exit(9)
        return _classifier(seed=None)

    with pytest.raises(RuntimeError, match=r"worker process failed(.|\n)*exited with code 9"):
        fit_seeds(make_model, binary[0], seeds=[0, 1, 2], n_jobs=2, epochs=1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_fit_seeds_reports_an_error_in_a_worker(binary):
    from course_utils.training import fit_seeds

    def make_model():  # fails for seed 1 only, which a worker trains (the parent ends with 2)
        return "not a model" if torch.initial_seed() == 1 else _classifier(seed=None)

    with pytest.raises(RuntimeError, match=r"worker process failed(.|\n)*make_model\(\)"):
        fit_seeds(make_model, binary[0], seeds=[0, 1, 2], n_jobs=2, epochs=1)


# --------------------------------------------------------------------------- hostile input


def _global_torch_state():
    return (
        torch.get_num_threads(),
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
        torch.backends.cudnn.deterministic,
        torch.backends.cudnn.benchmark,
    )


@pytest.fixture
def changed_torch_state():
    """Global settings unlike what fit uses, put back after the test."""
    before = _global_torch_state()
    torch.set_num_threads(before[0] + 1)
    torch.use_deterministic_algorithms(False)
    torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = False, True
    yield _global_torch_state()
    torch.set_num_threads(before[0])
    torch.use_deterministic_algorithms(before[1], warn_only=before[2])
    torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = before[3:]


def test_fit_restores_global_torch_settings(binary, changed_torch_state):
    seen = []

    def spy(output, target):
        seen.append(torch.are_deterministic_algorithms_enabled())
        return torch.nn.functional.cross_entropy(output, target)

    fit(_classifier(), binary[0], epochs=1, loss=spy)
    assert seen and all(seen)  # deterministic while training
    assert _global_torch_state() == changed_torch_state


def test_fit_restores_global_torch_settings_when_a_metric_raises(binary, changed_torch_state):
    def broken(y_true, y_pred):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fit(_classifier(), binary[0], epochs=1, metrics={"b": broken})
    assert _global_torch_state() == changed_torch_state


def test_torch_settings_context_manager_restores_on_error(changed_torch_state):
    from course_utils.training import _torch_settings

    with pytest.raises(KeyError), _torch_settings(seed=0, threads=1):
        assert torch.get_num_threads() == 1 and torch.are_deterministic_algorithms_enabled()
        raise KeyError("inside")
    assert _global_torch_state() == changed_torch_state


@pytest.fixture
def no_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)


@pytest.mark.parametrize("device", ["cuda", "cuda:0", torch.device("cuda", 1)])
def test_unavailable_device_is_a_value_error_naming_what_is_available(
    binary, no_cuda, changed_torch_state, device
):
    message = r"cuda requested but torch.cuda.is_available\(\) is False; available: cpu"
    model = _classifier()
    with pytest.raises(ValueError, match=message):
        fit(model, binary[0], epochs=1, device=device)
    assert _global_torch_state() == changed_torch_state
    x, lengths, _ = binary[1]
    for function in (predict, predict_proba, predict_scores):
        with pytest.raises(ValueError, match=message):
            function(model, x, lengths, device=device)
    with pytest.raises(ValueError, match=message):
        predict_forecast(Forecaster(1, 4), x, lengths, device=device)


def test_unknown_device_lists_the_available_ones(binary):
    with pytest.raises(ValueError, match=r"`device` to be None, 'cpu', 'cuda'.*available: cpu"):
        predict(_classifier(), *binary[1][:2], device="tpu:0")
    with pytest.raises(ValueError, match="'meta' devices are not supported"):
        fit(_classifier(), binary[0], epochs=1, device="meta")


def test_nan_loss_stops_training_naming_the_epoch(binary, changed_torch_state):
    calls = []

    def loss(output, target):
        calls.append(1)
        value = torch.nn.functional.cross_entropy(output, target)
        return value * float("nan") if len(calls) > 3 else value  # 3 batches per epoch

    with pytest.raises(ValueError, match=r"training loss became nan at epoch 2.*lr=0.01") as info:
        fit(_classifier(), binary[0], epochs=5, loss=loss)
    assert "NaN or infinite values in the inputs or targets" in str(info.value)
    assert "class_weight" in str(info.value)
    assert _global_torch_state() == changed_torch_state


def test_infinite_validation_loss_stops_training(binary):
    def loss(output, target):
        value = torch.nn.functional.cross_entropy(output, target)
        return value if torch.is_grad_enabled() else value + float("inf")

    with pytest.raises(ValueError, match="validation loss became inf at epoch 1"):
        fit(_classifier(), *binary, epochs=2, loss=loss)


def test_nan_inputs_and_targets_are_refused_before_training(binary):
    (x, lengths, y), _ = binary
    bad_x = x.clone()
    bad_x[3, 0, 0] = float("nan")
    with pytest.raises(ValueError, match=r"`train\[0\] \(x\)` to hold finite numbers.* 1 NaN"):
        fit(_classifier(), (bad_x, lengths, y))
    with pytest.raises(ValueError, match=r"`val\[0\] \(x\)` to hold finite"):
        fit(_classifier(), (x, lengths, y), (bad_x * float("inf"), lengths, y))
    windows, targets = sliding_windows(np.arange(30.0), window=5)
    targets[2, 0] = float("inf")
    with pytest.raises(ValueError, match=r"`train\[2\] \(y\)` to hold finite numbers"):
        fit(Forecaster(1, 4), (windows, None, targets))


@pytest.mark.parametrize("class_weight", [[0.0, 0.0], [0.0, 1.0]])
def test_class_weight_that_zeroes_every_present_class_is_refused(binary, class_weight):
    x, lengths, y = binary[0]
    only_class_0 = (x, lengths, torch.zeros_like(y))
    with pytest.raises(ValueError, match=r"positive weight.*0/0 \(NaN\)"):
        fit(_classifier(), only_class_0, class_weight=class_weight)
    if class_weight == [0.0, 1.0]:
        fit(_classifier(), (x, lengths, y), class_weight=class_weight, epochs=1)  # class 1 is there


@pytest.mark.parametrize("kind", ["classifier", "tagger", "forecaster"])
def test_all_zero_lengths_are_refused_naming_the_argument(binary, tagging, kind):
    """Issue 27, item 21: a classifier trained on nothing but padding (its initial state)."""
    if kind == "classifier":
        model, (x, lengths, y) = _classifier(), binary[0]
    elif kind == "tagger":
        (x, lengths, y) = tagging[0]
        model = SequenceTagger(x.shape[-1], 8, int(y.max()) + 1, seed=0)
    else:
        x, y = sliding_windows(np.sin(np.arange(60.0)), window=6)
        model, lengths = Forecaster(1, 4, seed=0), torch.full((len(x),), 6)
    empty = torch.zeros_like(torch.as_tensor(lengths))
    message = r"`train\[1\] \(lengths\)` to give at least one real step.*every length is 0"
    with pytest.raises(ValueError, match=message + r".*true number of steps"):
        fit(model, (x, empty, y), epochs=1)
    with pytest.raises(ValueError, match=r"`val\[1\] \(lengths\)` to give at least one real"):
        fit(model, (x, lengths, y), (x, empty, y), epochs=1)
    fit(model, (x, lengths, y), epochs=1)  # one real step is enough: the rule is "not all 0"


def test_one_eval_mode_inference_loop(binary, monkeypatch):
    """Issue 28: fit's validation, predict_* and evaluate share training._inference, the one
    place that calls the model in evaluation mode (the other forward is the training step)."""
    import ast
    import inspect

    import course_utils.training as training

    tree = ast.parse(inspect.getsource(training))
    forwards = {
        func.name
        for func in ast.walk(tree)
        if isinstance(func, ast.FunctionDef)
        for node in ast.walk(func)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "model"
    }
    assert forwards == {"_train_epoch", "_inference"}
    calls = []
    real = training._inference
    monkeypatch.setattr(training, "_inference", lambda *a, **k: calls.append(1) or real(*a, **k))
    train, val = binary
    model = _classifier()
    fit(model, train, val, epochs=1)
    predict_proba(model, val[0], val[1])
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*val), batch_size=16)
    training.evaluate(model, loader, ["accuracy_score"])
    assert len(calls) == 3
