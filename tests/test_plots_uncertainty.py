"""Tests for the uncertainty figures of course_utils.plots: plot_resampled, plot_intervals."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_rgb

from course_utils.plots import plot_intervals, plot_resampled


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _bars(ax):
    return ax.patches  # the histogram's rectangles, in x order


def _vlines(ax):
    """(x, linestyle, label) of each vertical line on ``ax``."""
    out = []
    for line in ax.get_lines():
        xs = np.asarray(line.get_xdata(), dtype=float)
        if xs.size == 2 and xs[0] == xs[1]:
            out.append((float(xs[0]), line.get_linestyle(), line.get_label()))
    return out


# --------------------------------------------------------------------------- plot_resampled


class TestPlotResampled:
    def test_labels_and_lines(self):
        draws = np.random.default_rng(0).normal(0.9, 0.01, size=500)
        ax = plot_resampled(draws, estimate=0.9, interval=(0.88, 0.92), xlabel="Accuracy")
        assert ax.get_xlabel() == "Accuracy"
        assert ax.get_ylabel() == "Number of resamples"
        assert ax.get_title() == "Resampled values"
        lines = _vlines(ax)
        assert (0.9, "-", "on the test set") in lines
        dashed = sorted(x for x, style, _ in lines if style == "--")
        assert dashed == [0.88, 0.92]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend == ["on the test set", "95% interval"]  # one entry for both ends

    def test_every_sample_is_counted(self):
        draws = np.random.default_rng(1).normal(size=777)
        ax = plot_resampled(draws)
        assert sum(bar.get_height() for bar in _bars(ax)) == 777
        assert ax.get_legend() is None  # nothing but the histogram: no legend

    def test_an_accuracy_gets_one_bin_per_level(self):
        # accuracies on n = 50 items move in steps of 1/50: one bar per step, centred on it
        n = 50
        rng = np.random.default_rng(2)
        draws = rng.binomial(n, 0.8, size=3000) / n
        ax = plot_resampled(draws)
        bars = _bars(ax)
        levels = np.unique(draws)
        span = round((levels[-1] - levels[0]) * n) + 1
        assert len(bars) == span  # no empty artificial gaps, no merged levels
        centres = np.array([b.get_x() + b.get_width() / 2 for b in bars])
        assert np.allclose(centres, levels[0] + np.arange(span) / n)
        heights = {round(c * n): b.get_height() for c, b in zip(centres, bars, strict=True)}
        for level in levels:
            assert heights[round(level * n)] == np.sum(np.isclose(draws, level))

    def test_a_null_distribution_of_integers(self):
        # leads in days take even values only (a lead of wins minus losses): bins of width 2
        leads = 2 * np.random.default_rng(3).binomial(40, 0.5, size=2000) - 40
        ax = plot_resampled(leads, interval=(-10, 10), interval_label="observed lead")
        widths = {round(b.get_width(), 9) for b in _bars(ax)}
        assert widths == {2.0}
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["observed lead"]

    def test_nan_is_dropped(self):
        draws = np.array([0.1, np.nan, 0.3, 0.2, np.nan])
        ax = plot_resampled(draws)
        assert sum(bar.get_height() for bar in _bars(ax)) == 3

    def test_interval_as_an_array(self):
        draws = np.random.default_rng(4).normal(size=200)
        ax = plot_resampled(draws, interval=np.quantile(draws, [0.025, 0.975]))
        assert len([x for x, style, _ in _vlines(ax) if style == "--"]) == 2

    def test_draws_on_given_axes(self):
        _, ax = plt.subplots()
        assert plot_resampled([1.0, 2.0, 2.0], ax=ax, title="Mine") is ax
        assert ax.get_title() == "Mine"

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"samples": [np.nan, np.nan]}, "finite resampled values"),
            ({"samples": []}, "finite resampled values"),
            ({"samples": [1.0, np.inf]}, "infinite"),
            ({"samples": [1.0, 2.0], "interval": (2.0, 1.0)}, "low <= high"),
            ({"samples": [1.0, 2.0], "interval": (1.0,)}, "pair"),
            ({"samples": [1.0, 2.0], "interval": 0.95}, "pair"),
        ],
    )
    def test_bad_input(self, kwargs, match):
        samples = kwargs.pop("samples")
        with pytest.raises(ValueError, match=match):
            plot_resampled(samples, **kwargs)

    def test_bad_axes(self):
        with pytest.raises(TypeError, match="`ax`"):
            plot_resampled([1.0, 2.0], ax="left")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=60))
def test_plot_resampled_counts_every_value(values):
    ax = plot_resampled(values)
    assert sum(bar.get_height() for bar in _bars(ax)) == len(values)
    plt.close("all")


# --------------------------------------------------------------------------- plot_intervals


def _segments(ax):
    """Each hlines collection: (rows, lows, highs, linestyle kind)."""
    out = []
    for coll in ax.collections:
        segs = coll.get_segments()
        rows = [seg[0][1] for seg in segs]
        out.append((rows, [seg[0][0] for seg in segs], [seg[1][0] for seg in segs], coll))
    return out


class TestPlotIntervals:
    def test_covers_and_misses(self):
        ax = plot_intervals([0.5, 0.7, 0.52], [0.4, 0.65, 0.45], [0.6, 0.75, 0.6], reference=0.55)
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend == ["true value", "covers it (2)", "misses it (1)"]
        (hit_rows, *_, hit), (miss_rows, miss_low, miss_high, miss) = _segments(ax)
        assert sorted(hit_rows) == [0, 2]  # first interval on top: rows 2 and 0
        assert miss_rows == [1] and miss_low == [0.65] and miss_high == [0.75]
        # a miss differs by more than colour: a dashed line and another marker
        assert hit.get_linestyle() != miss.get_linestyle()
        markers = {line.get_label(): line.get_marker() for line in ax.get_lines()}
        assert markers["covers it (2)"] != markers["misses it (1)"]
        assert to_rgb(hit.get_color()[0][:3]) != to_rgb(miss.get_color()[0][:3])

    def test_the_first_interval_is_on_top_with_its_label(self):
        ax = plot_intervals([1, 2, 3], [0, 1, 2], [2, 3, 4], labels=["a", "b", "c"])
        ticks = {
            t.get_text(): pos for t, pos in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)
        }
        assert ticks["a"] > ticks["b"] > ticks["c"]
        assert ax.get_legend() is None  # no reference: nothing to count
        assert ax.get_title() == "Intervals" and ax.get_xlabel() == "Value"

    def test_rows_are_numbered_from_one(self):
        ax = plot_intervals([1, 2], [0, 1], [2, 3])
        assert sorted(t.get_text() for t in ax.get_yticklabels()) == ["1", "2"]

    def test_every_interval_is_covered_or_missed(self):
        rng = np.random.default_rng(0)
        est = rng.normal(size=200)
        low, high = est - 1.96, est + 1.96
        ax = plot_intervals(est, low, high, reference=0.0)
        covers = int(np.sum((low <= 0) & (0 <= high)))
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend == ["true value", f"covers it ({covers})", f"misses it ({200 - covers})"]
        assert sum(len(rows) for rows, *_ in _segments(ax)) == 200
        assert len(ax.get_yticks()) <= 20  # too many rows to name them all

    def test_no_miss_no_miss_entry(self):
        ax = plot_intervals([1.0], [0.0], [2.0], reference=1.5, reference_label="baseline")
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
            "baseline",
            "covers it (1)",
        ]

    @pytest.mark.parametrize(
        ("args", "kwargs", "match"),
        [
            (([1, 2], [0], [2, 3]), {}, "same length"),
            (([1, 2], [0, 1], [2]), {}, "same length"),
            (([], [], []), {}, "non-empty"),
            (([1, 2], [0, 3], [2, 2.5]), {}, "row 1 has low 3.0 > high 2.5"),
            (([1, 2], [0, 1], [2, 3]), {"labels": ["only one"]}, "one label per interval"),
            (([1, np.nan], [0, 1], [2, 3]), {}, "estimates"),
        ],
    )
    def test_bad_input(self, args, kwargs, match):
        with pytest.raises(ValueError, match=match):
            plot_intervals(*args, **kwargs)
