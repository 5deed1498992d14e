"""Sequence accuracy, per-length reports, bootstrap intervals, and package-level behaviour."""

from __future__ import annotations

import functools
import inspect
import subprocess
import sys
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
import torch

import course_utils.metrics as cu

# ------------------------------------------------------------- sequence_accuracy


def test_sequence_accuracy_needs_every_valid_step_right():
    y_true = np.array([[1, 2, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]])
    y_pred = np.array([[1, 2, 5, 5], [1, 1, 1, 0], [0, 0, 0, 0]])
    assert cu.sequence_accuracy(y_true, y_pred) == pytest.approx(1 / 3)
    assert cu.sequence_accuracy(y_true, y_pred, lengths=[2, 4, 4]) == pytest.approx(2 / 3)
    assert cu.sequence_accuracy(y_true, y_pred, lengths=[2, 3, 4]) == 1.0
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]], dtype=bool)
    assert cu.sequence_accuracy(y_true, y_pred, mask=mask) == 1.0


def test_sequence_accuracy_skips_empty_sequences_and_ignores_padding_labels():
    y_true = torch.tensor([[3, -100, -100], [1, 2, -100], [-100, -100, -100]])
    y_pred = torch.tensor([[3, 0, 0], [1, 0, 0], [4, 4, 4]])
    assert cu.sequence_accuracy(y_true, y_pred, lengths=torch.tensor([1, 2, 0])) == 0.5


def test_sequence_accuracy_matches_a_loop():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 3, size=(50, 6))
    y_pred = np.where(rng.random((50, 6)) < 0.9, y_true, rng.integers(0, 3, size=(50, 6)))
    lengths = rng.integers(1, 7, size=50)
    expected = np.mean(
        [np.array_equal(t[:n], p[:n]) for t, p, n in zip(y_true, y_pred, lengths, strict=True)]
    )
    assert cu.sequence_accuracy(y_true, y_pred, lengths=lengths) == pytest.approx(expected)


# ------------------------------------------------------------- per_length_report


def test_per_length_report_rows_equal_the_metric_per_bucket():
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 2, size=(40, 10))
    y_pred = np.where(rng.random((40, 10)) < 0.8, y_true, 1 - y_true)
    lengths = rng.integers(1, 11, size=40)
    report = cu.per_length_report(
        y_true, y_pred, lengths=lengths, metric=cu.f1_score, bins=[1, 4, 7, 10]
    )
    assert report.metric == "f1_score"
    assert [r["lengths"] for r in report.rows] == ["1-3", "4-6", "7-10"]
    assert sum(r["n_sequences"] for r in report.rows) == 40
    assert sum(r["n_steps"] for r in report.rows) == lengths.sum()
    for row in report.rows:
        rows = (lengths >= row["min_length"]) & (lengths <= row["max_length"])
        valid = np.arange(10) < lengths[rows][:, None]
        expected = skm.f1_score(y_true[rows][valid], y_pred[rows][valid])
        assert row["value"] == pytest.approx(expected, abs=1e-12)


def test_per_length_report_bins_as_none_and_int():
    y = np.zeros((5, 6), dtype=int)
    lengths = np.array([1, 2, 2, 5, 6])
    by_length = cu.per_length_report(y, y, lengths=lengths, metric=cu.accuracy_score)
    assert [r["lengths"] for r in by_length.rows] == ["1", "2", "5", "6"]
    assert [r["n_sequences"] for r in by_length.rows] == [1, 2, 1, 1]
    halves = cu.per_length_report(y, y, lengths=lengths, metric=cu.accuracy_score, bins=2)
    assert [(r["min_length"], r["max_length"]) for r in halves.rows] == [(1, 3), (4, 6)]
    empty_bucket = cu.per_length_report(
        y, y, lengths=lengths, metric=cu.accuracy_score, bins=[0, 1, 7]
    )
    assert empty_bucket.rows[0]["n_sequences"] == 0 and np.isnan(empty_bucket.rows[0]["value"])


def test_per_length_report_for_one_label_per_sequence():
    # Sequence classification: lengths only group the sequences.
    y_true = np.array([0, 1, 1, 0, 1, 0])
    y_score = np.array([0.1, 0.8, 0.4, 0.3, 0.9, 0.7])
    lengths = np.array([3, 3, 3, 9, 9, 9])
    report = cu.per_length_report(y_true, y_score, lengths=lengths, metric=cu.roc_auc_score)
    assert [r["value"] for r in report.rows] == [
        skm.roc_auc_score(y_true[:3], y_score[:3]),
        skm.roc_auc_score(y_true[3:], y_score[3:]),
    ]
    frame = report.to_frame()
    assert list(frame["lengths"]) == ["3", "9"]
    assert "roc_auc_score" in repr(report)


def test_per_length_report_passes_partial_options():
    y_true = np.array([[0, 1, 2], [2, 2, 1]])
    y_pred = np.array([[0, 1, 1], [2, 0, 1]])
    report = cu.per_length_report(
        y_true, y_pred, lengths=[3, 3], metric=functools.partial(cu.f1_score, average="macro")
    )
    assert report.metric == "f1_score"
    assert report.rows[0]["value"] == pytest.approx(
        skm.f1_score(y_true.ravel(), y_pred.ravel(), average="macro")
    )


def test_per_length_report_takes_lengths_by_keyword_only():
    # Keyword-only like every option of the package; the old positional call says what to do.
    calls = []

    def metric(y_true, y_pred, **kwargs):
        calls.append(kwargs)
        return 1.0

    y = [[1, 0], [0, 1]]
    assert inspect.signature(cu.per_length_report).parameters["lengths"].kind is (
        inspect.Parameter.KEYWORD_ONLY
    )
    with pytest.raises(
        TypeError,
        match=r"takes 2 positional arguments \(y_true, y_pred\) but 3 were given: pass "
        r"`lengths=` by keyword, as in per_length_report\(y_true, y_pred, lengths=\.\.\.\)",
    ):
        cu.per_length_report(y, y, [2, 1], metric=metric)
    with pytest.raises(TypeError, match=r"pass `lengths=`, `metric=` by keyword"):
        cu.per_length_report(y, y, [2, 1], metric)
    assert calls == []  # refused before any work
    report = cu.per_length_report(y, y, lengths=[2, 1], metric=metric)
    assert [r["value"] for r in report.rows] == [1.0, 1.0] and len(calls) == 2


# ------------------------------------------------------------------- bootstrap


def make_sequences(seed=0, batch=60, time=8):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, size=(batch, time))
    good = np.where(rng.random((batch, time)) < 0.85, y_true, 1 - y_true)
    bad = np.where(rng.random((batch, time)) < 0.65, y_true, 1 - y_true)
    lengths = rng.integers(1, time + 1, size=batch)
    return y_true, good, bad, lengths


def test_bootstrap_resamples_whole_sequences_reproducibly():
    y_true, y_pred, _, lengths = make_sequences()
    result = cu.bootstrap_ci(cu.accuracy_score, y_true, y_pred, lengths=lengths, n_resamples=200)
    assert result.estimate == cu.accuracy_score(y_true, y_pred, lengths=lengths)
    assert result.low < result.estimate < result.high
    assert result.samples.shape == (200,)
    # the same draws by hand: rows of the batch, with their lengths
    rng = np.random.default_rng(0)
    for sample in result.samples[:5]:
        rows = rng.integers(0, 60, size=60)
        assert sample == cu.accuracy_score(y_true[rows], y_pred[rows], lengths=lengths[rows])
    again = cu.bootstrap_ci(cu.accuracy_score, y_true, y_pred, lengths=lengths, n_resamples=200)
    np.testing.assert_array_equal(again.samples, result.samples)
    other = cu.bootstrap_ci(
        cu.accuracy_score, y_true, y_pred, lengths=lengths, n_resamples=200, seed=1
    )
    assert not np.array_equal(other.samples, result.samples)
    np.testing.assert_allclose(
        [result.low, result.high], np.quantile(result.samples, [0.025, 0.975])
    )
    assert "95% CI" in str(result)


def test_bootstrap_interval_narrows_with_confidence():
    y_true, y_pred, _, lengths = make_sequences()
    wide = cu.bootstrap_ci(cu.f1_score, y_true, y_pred, lengths=lengths, n_resamples=300)
    narrow = cu.bootstrap_ci(
        cu.f1_score, y_true, y_pred, lengths=lengths, n_resamples=300, confidence=0.5
    )
    assert wide.low < narrow.low < narrow.high < wide.high


def test_paired_bootstrap_tells_a_better_model_apart():
    y_true, good, bad, lengths = make_sequences(batch=80)
    diff = cu.paired_bootstrap_ci(cu.f1_score, y_true, good, bad, lengths=lengths)
    assert diff.estimate == pytest.approx(
        cu.f1_score(y_true, good, lengths=lengths) - cu.f1_score(y_true, bad, lengths=lengths)
    )
    assert 0 < diff.low < diff.estimate < diff.high
    same = cu.paired_bootstrap_ci(cu.f1_score, y_true, good, good, lengths=lengths)
    assert same.low == same.high == same.estimate == 0.0


def test_bootstrap_reports_undefined_resamples_once():
    y_true = np.array([0, 0, 0, 0, 0, 0, 0, 1])
    y_score = np.linspace(0, 1, 8)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = cu.bootstrap_ci(cu.roc_auc_score, y_true, y_score, n_resamples=100)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "undefined on" in messages[0]
    n_nan = int(np.isnan(result.samples).sum())
    assert 0 < n_nan < 100 and f"on {n_nan} of 100" in messages[0]
    assert np.isfinite([result.low, result.high]).all()


def test_bootstrap_with_a_mask_and_tensors():
    y_true, y_pred, _, lengths = make_sequences(batch=30)
    mask = np.arange(8) < lengths[:, None]
    by_mask = cu.bootstrap_ci(
        cu.accuracy_score, torch.tensor(y_true), torch.tensor(y_pred), mask=mask, n_resamples=50
    )
    by_lengths = cu.bootstrap_ci(cu.accuracy_score, y_true, y_pred, lengths=lengths, n_resamples=50)
    np.testing.assert_array_equal(by_mask.samples, by_lengths.samples)


# ---------------------------------------------------------------------- package


def test_import_stays_light():
    code = (
        "import sys, course_utils.metrics; "
        "heavy = {'torch', 'sklearn', 'pandas', 'matplotlib', 'seaborn', 'ipywidgets', 'aeon', "
        "'scipy', 'statsmodels'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api_is_exported():
    for name in cu.__all__:
        assert callable(getattr(cu, name)) or isinstance(getattr(cu, name), type)
    assert issubclass(cu.UndefinedMetricWarning, UserWarning)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_tensors():
    y_true = torch.tensor([[0, 1, 1], [1, 0, 0]], device="cuda")
    y_score = torch.tensor([[0.1, 0.8, 0.6], [0.7, 0.2, 0.4]], device="cuda", requires_grad=True)
    lengths = torch.tensor([3, 2], device="cuda")
    expected = skm.roc_auc_score([0, 1, 1, 1, 0], [0.1, 0.8, 0.6, 0.7, 0.2])
    assert cu.roc_auc_score(y_true, y_score, lengths=lengths) == pytest.approx(expected)
    assert cu.f1_score(y_true, (y_score > 0.5).long(), lengths=lengths) == 1.0
    assert cu.mean_squared_error(y_score, y_score.half(), lengths=lengths) < 1e-6


def test_bootstrap_passes_other_warnings_on_once():
    y_true = np.array([0, 0, 1, 1, 0, 1])
    y_pred = np.array([0, 2, 1, 1, 0, 1])  # class 2 never occurs in y_true
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cu.bootstrap_ci(cu.balanced_accuracy_score, y_true, y_pred, n_resamples=100)
    messages = [str(w.message) for w in caught]
    # once for the estimate on all the data, once for all the resamples together
    assert messages.count("y_pred contains classes not in y_true") == 2
