"""The plots built on course_utils.metrics: one-vs-rest curves (the reliability diagram is
tested with the calibration metrics)."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
import sklearn.metrics as skm

import course_utils.metrics as cu
from course_utils.plots import plot_one_vs_rest_curves

matplotlib.use("Agg")


@pytest.fixture
def three_classes():
    rng = np.random.default_rng(0)
    y = np.array(["x", "y", "z"])[rng.integers(0, 3, size=200)]
    proba = rng.dirichlet(np.ones(3), size=200) + 0.5 * (y[:, None] == np.array(["x", "y", "z"]))
    return y, proba / proba.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("curve", ["roc", "pr"])
def test_one_curve_per_class_and_a_micro_average(three_classes, curve):
    import matplotlib.pyplot as plt

    y, proba = three_classes
    ax = plot_one_vs_rest_curves(y, proba, curve=curve)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    per_class = (
        skm.roc_auc_score(y, proba, multi_class="ovr", average=None)
        if curve == "roc"
        else cu.average_precision_score(y, proba, average=None)
    )
    micro = (
        skm.roc_auc_score(y, proba, multi_class="ovr", average="micro")
        if curve == "roc"
        else skm.average_precision_score(y, proba, average="micro")
    )
    what = "AUC" if curve == "roc" else "AP"
    expected = [f"{c} ({what} = {a:.3f})" for c, a in zip("xyz", per_class, strict=True)]
    expected.append(f"micro-average ({what} = {micro:.3f})")
    assert legend[-4:] == expected
    assert (legend[0] == "chance") == (curve == "roc")
    lines = [line for line in ax.get_lines() if line.get_gid() == "course_utils.curve"]
    styles = {(line.get_color(), line.get_linestyle()) for line in lines}
    assert len(styles) == 4  # three classes and the micro average look different
    assert ax.get_xlabel() == ("False positive rate" if curve == "roc" else "Recall")
    plt.close("all")


def test_one_vs_rest_plot_checks_its_options(three_classes):
    y, proba = three_classes
    with pytest.raises(ValueError, match="`class_names` to name all 3 classes"):
        plot_one_vs_rest_curves(y, proba, class_names=["a"])
    with pytest.raises(TypeError, match="`micro`"):
        plot_one_vs_rest_curves(y, proba, micro="yes")
    with pytest.raises(ValueError, match="`curve`"):
        plot_one_vs_rest_curves(y, proba, curve="det")
    with pytest.raises(ValueError, match="one column per class"):
        plot_one_vs_rest_curves(y, proba[:, 0])
