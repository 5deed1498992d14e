"""Tests for course_utils.plots: every figure returns labelled Axes and rejects bad input."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb

from course_utils.metrics import per_length_report
from course_utils.plots import (
    plot_confusion_matrix,
    plot_forecast,
    plot_learning_curves,
    plot_metric_vs_length,
    plot_metric_vs_threshold,
    plot_pr_curve,
    plot_roc_curve,
)
from course_utils.training import History

COLORBLIND = [to_rgb(c) for c in sns.color_palette("colorblind")]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _labelled(ax: Axes) -> None:
    assert isinstance(ax, Axes)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def _curve_colors(ax: Axes) -> list:
    return [to_rgb(line.get_color()) for line in ax.get_lines() if line.get_gid()]


# --------------------------------------------------------------------------- confusion matrix


class TestConfusionMatrix:
    def test_counts(self):
        ax = plot_confusion_matrix([[50, 10], [5, 35]], labels=["fraud", "honest"])
        _labelled(ax)
        assert [t.get_text() for t in ax.texts] == ["50", "10", "5", "35"]
        assert [t.get_text() for t in ax.get_xticklabels()] == ["fraud", "honest"]
        assert ax.get_xlabel() == "Predicted label" and ax.get_ylabel() == "True label"

    @pytest.mark.parametrize(
        ("normalize", "expected"),
        [
            ("true", ["0.83", "0.17", "0.12", "0.88"]),
            ("pred", ["0.91", "0.22", "0.09", "0.78"]),
            ("all", ["0.50", "0.10", "0.05", "0.35"]),
        ],
    )
    def test_normalized(self, normalize, expected):
        ax = plot_confusion_matrix(np.array([[50, 10], [5, 35]]), normalize=normalize)
        assert [t.get_text() for t in ax.texts] == expected
        assert "share" in ax.get_title()

    def test_large_counts_are_written_in_full(self):
        ax = plot_confusion_matrix([[1234567, 3], [2, 5]])
        assert ax.texts[0].get_text() == "1234567"

    def test_empty_row_shows_zero_not_nan(self):
        ax = plot_confusion_matrix([[0, 0], [3, 1]], normalize="true")
        assert [t.get_text() for t in ax.texts] == ["0.00", "0.00", "0.75", "0.25"]

    def test_draws_on_given_axes_with_custom_title(self):
        _, ax = plt.subplots()
        assert plot_confusion_matrix([[1, 2], [3, 4]], ax=ax, title="GRU") is ax
        assert ax.get_title() == "GRU"

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"cm": [[1, 2, 3], [4, 5, 6]]}, ValueError, r"square .* shape \(2, 3\)"),
            ({"cm": [[1, -2], [3, 4]]}, ValueError, "non-negative finite counts"),
            ({"normalize": "rows"}, ValueError, "`normalize` to be one of None, 'true'"),
            ({"labels": ["a"]}, ValueError, "`labels` to name all 2 classes, but got 1"),
            ({"ax": "left"}, TypeError, "`ax` to be a matplotlib Axes or None"),
        ],
    )
    def test_bad_input(self, kwargs, error, match):
        args = {"cm": [[1, 2], [3, 4]]} | kwargs
        with pytest.raises(error, match=match):
            plot_confusion_matrix(args.pop("cm"), **args)


# --------------------------------------------------------------------------- curves


class TestPrCurve:
    def test_curve_baseline_and_operating_point(self):
        precision, recall = [0.5, 0.67, 1.0, 1.0], [1.0, 1.0, 0.5, 0.0]
        ax = plot_pr_curve(
            precision, recall, operating_point=(0.67, 1.0), operating_label="threshold 0.5",
            average_precision=0.83, prevalence=0.5, label="GRU",
        )  # fmt: skip
        _labelled(ax)
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("Recall", "Precision")
        curve, baseline, point = ax.get_lines()
        assert list(curve.get_xdata()) == recall and list(curve.get_ydata()) == precision
        assert list(baseline.get_ydata()) == [0.5, 0.5]
        assert (point.get_xdata()[0], point.get_ydata()[0]) == (1.0, 0.67)  # x = recall
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend == ["GRU (AP = 0.830)", "no skill (prevalence 0.50)", "threshold 0.5"]

    def test_second_curve_takes_the_next_colorblind_colour(self):
        ax = plot_pr_curve([0.5, 1.0], [1.0, 0.0], label="RNN")
        plot_pr_curve([0.6, 1.0], [1.0, 0.0], label="GRU", ax=ax)
        assert _curve_colors(ax) == COLORBLIND[:2]

    def test_sklearn_output_is_accepted(self):
        from sklearn.metrics import precision_recall_curve

        precision, recall, _ = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        ax = plot_pr_curve(precision, recall)
        _labelled(ax)
        (curve,) = [line for line in ax.get_lines() if line.get_gid()]
        assert np.array_equal(curve.get_xdata(), recall)  # recall on x, sklearn's order kept
        assert np.array_equal(curve.get_ydata(), precision)

    def test_tensors_are_accepted(self):
        import torch

        precision, recall = torch.tensor([0.5, 0.75, 1.0]), torch.tensor([1.0, 0.5, 0.0])
        ax = plot_pr_curve(precision.half(), recall)
        (curve,) = [line for line in ax.get_lines() if line.get_gid()]
        assert curve.get_xdata().tolist() == [1.0, 0.5, 0.0]
        assert curve.get_ydata().tolist() == [0.5, 0.75, 1.0]
        ax = plot_confusion_matrix(torch.tensor([[3, 1], [0, 2]]))
        assert [t.get_text() for t in ax.texts] == ["3", "1", "0", "2"]

    @pytest.mark.parametrize(
        ("args", "kwargs", "match"),
        [
            (([0.5, 1.0], [1.0]), {}, "same length, but got 2 and 1"),
            (([0.5, 1.2], [1.0, 0.0]), {}, r"`precision` to hold values in \[0, 1\]"),
            (([0.5, np.nan], [1.0, 0.0]), {}, "finite numbers"),
            (([0.5, 1.0], [1.0, 0.0]), {"operating_point": 0.5}, r"pair \(precision, recall\)"),
            (([0.5, 1.0], [1.0, 0.0]), {"prevalence": 2.0}, r"`prevalence` to be in \[0, 1\]"),
            (([], []), {}, "non-empty 1-D array"),
        ],
    )
    def test_bad_input(self, args, kwargs, match):
        with pytest.raises(ValueError, match=match):
            plot_pr_curve(*args, **kwargs)


class TestRocCurve:
    def test_curve_chance_line_and_operating_point(self):
        fpr, tpr = [0.0, 0.0, 0.5, 1.0], [0.0, 0.5, 1.0, 1.0]
        ax = plot_roc_curve(fpr, tpr, operating_point=(0.5, 1.0), roc_auc=0.875, label="GRU")
        _labelled(ax)
        chance, curve, point = ax.get_lines()
        assert list(chance.get_xdata()) == [0, 1]
        assert list(curve.get_xdata()) == fpr
        assert (point.get_xdata()[0], point.get_ydata()[0]) == (0.5, 1.0)
        assert "GRU (AUC = 0.875)" in [t.get_text() for t in ax.get_legend().get_texts()]

    def test_one_chance_line_for_several_models(self):
        ax = plot_roc_curve([0, 1], [0, 1], label="RNN")
        plot_roc_curve([0, 0, 1], [0, 1, 1], label="GRU", ax=ax)
        assert sum(line.get_gid() == "chance" for line in ax.get_lines()) == 1
        assert _curve_colors(ax)[1:] == COLORBLIND[:2]

    def test_bad_input(self):
        with pytest.raises(ValueError, match=r"pair \(fpr, tpr\)"):
            plot_roc_curve([0, 1], [0, 1], operating_point=(0.1, 0.2, 0.3))
        with pytest.raises(TypeError, match="`fpr` to hold numbers"):
            plot_roc_curve(["a", "b"], [0, 1])


# --------------------------------------------------------------------------- learning curves


def _history():
    return History(
        train_loss=[0.9, 0.5, 0.3, 0.2],
        val_loss=[1.0, 0.7, 0.6, 0.8],
        metrics={"train_f1": [0.3, 0.6, 0.8, 0.9], "val_f1": [0.2, 0.5, 0.7, 0.6]},
        best_epoch=3,
    )


class TestLearningCurves:
    def test_loss_with_best_epoch(self):
        ax = plot_learning_curves(_history())
        _labelled(ax)
        train, val, best = ax.get_lines()
        assert list(train.get_xdata()) == [1, 2, 3, 4]
        assert list(val.get_ydata()) == [1.0, 0.7, 0.6, 0.8]
        assert list(best.get_xdata()) == [3, 3]
        assert [to_rgb(train.get_color()), to_rgb(val.get_color())] == COLORBLIND[:2]
        assert "best epoch 3" in [t.get_text() for t in ax.texts]

    def test_metric(self):
        ax = plot_learning_curves(_history(), metric="f1", mark_best=False)
        assert ax.get_ylabel() == "f1" and ax.get_title() == "Learning curves: f1"
        assert [line.get_label() for line in ax.get_lines()] == ["train", "validation"]

    def test_dict_history_without_validation(self):
        ax = plot_learning_curves({"train_loss": [3.0, 2.0]})
        assert [line.get_label() for line in ax.get_lines()] == ["train"]

    def test_unknown_metric_lists_the_names(self):
        with pytest.raises(ValueError, match=r"one of \['f1', 'loss'\].*'auc'"):
            plot_learning_curves(_history(), metric="auc")
        with pytest.raises(TypeError, match="`history` to be a History"):
            plot_learning_curves([0.1, 0.2])


# --------------------------------------------------------------------------- sweeps


def test_metric_vs_threshold():
    thresholds = np.linspace(0, 1, 11)
    ax = plot_metric_vs_threshold(
        thresholds, {"precision": thresholds, "recall": 1 - thresholds}, threshold=0.3
    )
    _labelled(ax)
    precision, recall, chosen = ax.get_lines()
    assert precision.get_label() == "precision" and recall.get_label() == "recall"
    assert list(chosen.get_xdata()) == [0.3, 0.3] and chosen.get_label() == "threshold 0.30"


def test_metric_vs_threshold_explains_the_extra_point():
    with pytest.raises(ValueError, match=r"one point more than thresholds: drop the last"):
        plot_metric_vs_threshold([0.1, 0.5], {"precision": [0.5, 0.7, 1.0]})
    with pytest.raises(TypeError, match="`values` to be a dict"):
        plot_metric_vs_threshold([0.1, 0.5], [0.5, 0.7])


class TestMetricVsLength:
    def test_lengths_and_named_values(self):
        ax = plot_metric_vs_length(
            [10, 50, 100], {"GRU": [1.0, 1.0, 0.98], "RNN": [1.0, 0.55, 0.5]}, chance=0.5,
            ylabel="Test accuracy",
        )  # fmt: skip
        _labelled(ax)
        gru, rnn, chance = ax.get_lines()
        assert list(rnn.get_xdata()) == [10, 50, 100] and list(rnn.get_ydata()) == [1, 0.55, 0.5]
        assert [to_rgb(gru.get_color()), to_rgb(rnn.get_color())] == COLORBLIND[:2]
        assert list(chance.get_ydata()) == [0.5, 0.5]

    def test_report_from_metrics(self):
        from course_utils.metrics import accuracy_score

        y_true = np.array([1, 0, 1, 1, 0, 0])
        y_pred = np.array([1, 0, 0, 1, 1, 0])
        report = per_length_report(
            y_true,
            y_pred,
            lengths=[5, 6, 12, 14, 20, 22],
            metric=accuracy_score,
            bins=[5, 10, 15, 25],
        )
        ax = plot_metric_vs_length(report)
        _labelled(ax)
        (line,) = ax.get_lines()
        assert list(line.get_ydata()) == [1.0, 0.5, 0.5]
        assert [t.get_text() for t in ax.get_xticklabels()] == ["5-9", "10-14", "15-25"]
        assert ax.get_ylabel() == "accuracy_score"

    def test_dict_of_reports_compares_models(self):
        rows = [{"lengths": "1-4", "min_length": 1, "max_length": 4, "value": 0.9}]
        ax = plot_metric_vs_length({"GRU": rows, "RNN": [dict(rows[0], value=0.7)]})
        assert [line.get_label() for line in ax.get_lines()] == ["GRU", "RNN"]

    def test_bad_input(self):
        with pytest.raises(ValueError, match=r"`values\['GRU'\]` to have 3 values"):
            plot_metric_vs_length([1, 2, 3], {"GRU": [0.5, 0.6]})
        with pytest.raises(TypeError, match="per_length_report"):
            plot_metric_vs_length([{"length": 3}])


# --------------------------------------------------------------------------- forecast


class TestForecast:
    def test_forecasts_cover_the_end_by_default(self):
        actual = np.arange(10.0)
        ax = plot_forecast(actual, {"GRU": [8.1, 9.2], "persistence": [7, 8]}, train_end=8)
        _labelled(ax)
        _, gru, naive, split = ax.get_lines()
        assert list(gru.get_xdata()) == [8, 9] and list(naive.get_ydata()) == [7, 8]
        assert list(split.get_xdata()) == [8, 8]

    def test_start_and_dates(self):
        time = np.arange("1949-01", "1950-01", dtype="datetime64[M]")
        ax = plot_forecast(np.arange(12.0), np.array([3.0, 4.0]), start=3, time=time)
        assert ax.get_xlabel() == "Date"
        forecast = ax.get_lines()[1]
        assert list(forecast.get_xdata()) == list(time[3:5])

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"predicted": np.zeros(11)}, "1 to 10 forecasts"),
            ({"predicted": {"a": [1.0], "b": [1.0, 2.0]}}, "all series the same length"),
            ({"start": 9}, r"`start` to be in \[0, 8\]"),
            ({"time": np.arange(5)}, "`time` to have one value per step"),
            ({"train_end": 10}, r"`train_end` to be an index in \[0, 9\]"),
        ],
    )
    def test_bad_input(self, kwargs, match):
        args = {"predicted": [1.0, 2.0]} | kwargs
        with pytest.raises(ValueError, match=match):
            plot_forecast(np.arange(10.0), args.pop("predicted"), **args)


def test_importing_plots_stays_light():
    code = (
        "import sys, course_utils.plots; "
        "print(sorted(m for m in ('matplotlib', 'seaborn', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
