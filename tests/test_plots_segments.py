"""plot_segments and plot_detection_delays: what they draw, and their input checks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PolyCollection

from course_utils.plots import plot_detection_delays, plot_segments


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def bars(ax):
    """(x start, width, y centre) of every drawn segment."""
    out = []
    for coll in ax.collections:
        if isinstance(coll, PolyCollection):
            for path in coll.get_paths():
                v = path.vertices
                out.append((v[:, 0].min(), v[:, 0].max() - v[:, 0].min(), v[:, 1].mean()))
    return sorted(out)


def test_segments_draw_one_bar_per_run_and_skip_padding():
    y = np.array([[0, 1, 1, 0, 2, 2], [1, 1, 1, 1, 1, 1]])
    p = np.array([[0, 1, 2, 0, 2, 2], [1, 1, 0, 0, 2, 2]])
    ax = plot_segments(y, {"model": p}, lengths=[6, 3], names={1: "A", 2: "B"})
    drawn = bars(ax)
    # truth: 2 runs + 1 (cut to 3 steps); model: 3 runs + 1 (steps 0-1; its 2s are padding)
    assert len(drawn) == 7
    widths = sorted(round(w) for _, w, _ in drawn)
    assert widths == [1, 1, 2, 2, 2, 2, 3]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]
    assert ax.get_xlabel() == "Step" and ax.get_title() == "Segments, sequence by sequence"


def test_segments_bad_input():
    with pytest.raises(TypeError, match="dict of name"):
        plot_segments([[0, 1]], [[0, 1]])
    with pytest.raises(ValueError, match="`sequences`"):
        plot_segments([[0, 1]], {"m": [[0, 1]]}, sequences=[3])
    with pytest.raises(ValueError, match="sequence 0 has 2 steps"):
        plot_segments([[0, 1]], {"m": [[0, 1, 1]]})


def test_delays_count_each_delay_and_the_misses():
    ax = plot_detection_delays(
        {"a": [0, 0, 2, 9, np.nan], "b": [0, 1, 1, 1, 1]}, max_delay=3, title="Delays"
    )
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["0", "1", "2", "3", "> 3", "missed"]
    heights = [b.get_height() for b in ax.patches]
    a, b = heights[:6], heights[6:]
    assert np.array_equal(np.nan_to_num(a), [2, 0, 1, 0, 1, 1])
    assert np.array_equal(np.nan_to_num(b), [1, 4, 0, 0, 0, 0])
    assert ax.get_yscale() == "log" and ax.get_title() == "Delays"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def test_delays_bad_input():
    with pytest.raises(ValueError, match="whole numbers"):
        plot_detection_delays([0.5])
    with pytest.raises(ValueError, match="whole numbers"):
        plot_detection_delays([-1])
    with pytest.raises(ValueError, match="`max_delay`"):
        plot_detection_delays([0], max_delay=0)
