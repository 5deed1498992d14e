"""ThresholdExplorer: counts, embedded curve data, page markup, and the live widget in-process."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from bs4 import BeautifulSoup
from sklearn import metrics as sk

from course_utils.explorer import MAX_CURVE_POINTS, METRICS, N_BINS, ThresholdExplorer


def scores(n=600, positive_rate=0.1, seed=0):
    """Imbalanced labels and overlapping scores in (0, 1), seeded."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < positive_rate).astype(np.int64)
    logits = rng.normal(size=n) + 1.8 * y - 1.0
    return y, 1 / (1 + np.exp(-logits))


def sk_counts(y, s, t):
    tn, fp, fn, tp = sk.confusion_matrix(y, (s >= t).astype(int), labels=[0, 1]).ravel()
    return {"tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn)}


@pytest.mark.parametrize("t", [-1.0, 0.0, 0.2, 0.5, 0.73, 0.99, 2.0])
def test_counts_and_rates_match_sklearn(t):
    y, s = scores()
    explorer = ThresholdExplorer(y, s)
    assert explorer.counts(t) == sk_counts(y, s, t)
    m = explorer.metrics(t)
    pred = (s >= t).astype(int)
    assert m["recall"] == pytest.approx(sk.recall_score(y, pred))
    assert m["f1"] == pytest.approx(sk.f1_score(y, pred, zero_division=0))
    if pred.any():
        assert m["precision"] == pytest.approx(sk.precision_score(y, pred))
    else:
        assert m["precision"] is None  # undefined, not a made-up 0 or 1


def test_curve_data():
    y, s = scores(n=2000)
    explorer = ThresholdExplorer(y, s, threshold=0.5)
    data = explorer.curve_data()
    thresholds = np.array(data["thresholds"])
    # Linear in the threshold: 0, 0.01, ..., 1, so 0.5 is one of the positions.
    assert len(thresholds) == 101 and thresholds[0] == 0 and thresholds[-1] == 1
    np.testing.assert_allclose(np.diff(thresholds), 0.01, atol=1e-12)
    assert thresholds[data["initial"]] == 0.5 and data["initial"] == 50
    for i in range(0, len(thresholds), 7):
        got = {k: data[k][i] for k in ("tp", "fp", "fn", "tn")}
        assert got == sk_counts(y, s, thresholds[i])
    assert np.all(np.diff(data["tp"]) <= 0) and np.all(np.diff(data["fp"]) <= 0)
    assert data["tp"][0] == y.sum() and data["fp"][0] == (1 - y).sum()  # lowest: all positive
    assert data["prevalence"] == pytest.approx(y.mean())
    assert data["cost"] is None and data["costs"] is None

    precision, recall, _ = sk.precision_recall_curve(y, s)
    curve = data["curve"]
    assert 2 <= len(curve["precision"]) == len(curve["recall"]) <= MAX_CURVE_POINTS
    assert curve["precision"][0] == pytest.approx(precision[0], abs=1e-6)
    assert curve["recall"][-1] == 0 and curve["precision"][-1] == 1  # sklearn's end point
    for p, r in zip(curve["precision"], curve["recall"], strict=True):
        # every drawn point lies on sklearn's curve
        assert np.min(np.abs(precision - p) + np.abs(recall - r)) < 2e-6


def test_histograms_and_costs():
    y, s = scores(n=1500)
    explorer = ThresholdExplorer(y, s, threshold=0.3, cost_fp=5, cost_fn=1)
    data = explorer.curve_data()
    edges = np.array(data["hist"]["edges"])
    assert len(edges) == N_BINS + 1 and edges[0] == 0 and edges[-1] == 1
    for key, label in (("negative", 0), ("positive", 1)):
        want, _ = np.histogram(s[y == label], edges)
        assert data["hist"][key] == want.tolist()
    assert sum(data["hist"]["positive"]) == y.sum()
    assert data["costs"] == {"fp": 5, "fn": 1}
    for i, t in enumerate(data["thresholds"]):
        c = sk_counts(y, s, t)
        assert data["cost"][i] == 5 * c["fp"] + c["fn"]
    assert (
        explorer.metrics(0.42)["cost"]
        == 5 * sk_counts(y, s, 0.42)["fp"] + sk_counts(y, s, 0.42)["fn"]
    )
    fractional = ThresholdExplorer(y, s, cost_fp=0.5, cost_fn=2)
    assert fractional.metrics(0.5)["cost"] == pytest.approx(
        0.5 * sk_counts(y, s, 0.5)["fp"] + 2 * sk_counts(y, s, 0.5)["fn"]
    )


def test_off_grid_start_and_other_steps():
    y, s = scores()
    data = ThresholdExplorer(y, s, threshold=0.8234).curve_data()
    assert len(data["thresholds"]) == 102 and data["thresholds"][data["initial"]] == 0.8234
    coarse = ThresholdExplorer(y, s, step=0.05).curve_data()["thresholds"]
    assert len(coarse) == 21 and coarse[10] == 0.5


def test_small_data():
    explorer = ThresholdExplorer([0, 1, 0, 1], [0.2, 0.8, 0.4, 0.4], threshold=0.5, step=0.1)
    data = explorer.curve_data()
    assert data["thresholds"] == [round(0.1 * k, 1) for k in range(11)]
    assert data["tp"] == [2, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0]
    assert data["fp"] == [2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0]
    assert data["initial"] == 5


def test_logits_get_an_even_grid_over_their_range():
    y, s = scores()
    logits = np.log(s / (1 - s))
    data = ThresholdExplorer(y, logits, threshold=0.0).curve_data()
    thresholds = np.array(data["thresholds"])
    assert thresholds[0] == logits.min() and thresholds[-1] == logits.max()
    assert 0.0 in data["thresholds"] and len(thresholds) in (101, 102)
    for i in range(0, len(thresholds), 9):
        assert {k: data[k][i] for k in ("tp", "fp", "fn", "tn")} == sk_counts(
            y, logits, thresholds[i]
        )


def test_string_and_bool_labels():
    y = np.array(["ham", "spam", "ham", "spam"])
    s = np.array([0.2, 0.8, 0.6, 0.4])
    assert ThresholdExplorer(y, s, pos_label="spam").counts(0.5) == {
        "tp": 1,
        "fp": 1,
        "fn": 1,
        "tn": 1,
    }
    assert ThresholdExplorer(y == "spam", s, pos_label=True).counts(0.5)["tp"] == 1


def test_pos_label_and_tensors():
    torch = pytest.importorskip("torch")
    y = np.array([0, 2, 1, 2, 0, 2])
    s = np.array([0.1, 0.9, 0.6, 0.4, 0.3, 0.7])
    explorer = ThresholdExplorer(torch.tensor(y), torch.tensor(s), pos_label=2)
    assert explorer.counts(0.5) == sk_counts((y == 2).astype(int), s, 0.5)
    assert explorer.counts(0.5) == {"tp": 2, "fp": 1, "fn": 1, "tn": 2}


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "fragment"),
    [
        (([0, 1], [0.5]), {}, ValueError, "same length"),
        (([[0, 1]], [[0.1, 0.9]]), {}, ValueError, "1-D"),
        (([0, 1], [0.1, float("nan")]), {}, ValueError, "finite"),
        (([1, 1], [0.1, 0.9]), {}, ValueError, "both positives"),
        (([0, 1], [0.1, 0.9]), {"pos_label": 2}, ValueError, "pos_label"),
        ((["a", "b"], [0.1, 0.9]), {}, ValueError, "pos_label='b'"),
        (([0, 1], [0.1, 0.9]), {"pos_label": "1"}, ValueError, "`pos_label`"),
        (([b"a", b"b"], [0.1, 0.9]), {"pos_label": [1]}, TypeError, "`pos_label`"),
        (([0, 1], [0.1, 0.9]), {"threshold": "0.5"}, TypeError, "`threshold`"),
        (([0, 1], [0.1, 0.9]), {"threshold": float("inf")}, ValueError, "`threshold`"),
        (([0, 1], [0.1, 0.9]), {"title": 3}, TypeError, "`title`"),
        (([0, 1], [0.1, 0.9]), {"cost_fp": 5}, ValueError, "`cost_fn` is missing"),
        (([0, 1], [0.1, 0.9]), {"cost_fp": -1, "cost_fn": 1}, ValueError, "`cost_fp`"),
        (([0, 1], [0.1, 0.9]), {"cost_fp": "5", "cost_fn": 1}, TypeError, "`cost_fp`"),
        (([0, 1], [0.1, 0.9]), {"step": 0.03}, ValueError, "`step`"),
        (([0, 1], [0.1, 0.9]), {"step": 0}, ValueError, "`step`"),
        (([0, 1], [0.1, 0.9]), {"labels": ("good",)}, TypeError, "`labels`"),
    ],
)
def test_validation(args, kwargs, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)):
        ThresholdExplorer(*args, **kwargs)


# ------------------------------------------------------------------------------------ page


def test_page_markup_contract():
    y, s = scores()
    explorer = ThresholdExplorer(y, s, threshold=0.5, title="Spam <filter> & co")
    page = explorer.to_html()
    soup = BeautifulSoup(page, "html.parser")
    (root,) = soup.select("[data-explorer]")
    assert root["id"] == explorer.element_id
    assert "Spam &lt;filter&gt; &amp; co" in page
    for metric in METRICS:
        assert len(root.select(f'[data-metric="{metric}"]')) == 1, metric
    slider = root.find("input", type="range")
    label = root.find("label", attrs={"for": slider["id"]})
    assert label is not None and label.get_text().strip()
    data = json.loads(root.select_one("script[data-explorer-data]").string)
    expected = explorer.curve_data()
    assert {k: data[k] for k in expected} == expected
    assert int(slider["max"]) == len(data["thresholds"]) - 1
    assert int(slider["value"]) == data["initial"]
    # The no-JavaScript text shows the start threshold's numbers.
    start = explorer.metrics()
    assert root.select_one('[data-metric="tp"]').get_text() == str(start["tp"])
    assert root.select_one('[data-metric="recall"]').get_text() == f"{start['recall']:.3f}"
    assert root.select_one('[data-metric="precision"]')["data-value"] == repr(start["precision"])
    assert not soup.find_all(src=True) and "https://" not in page
    assert len(page) < 40_000, "keep the embedded data small"


def test_page_is_stable_and_ids_differ_between_explorers():
    y, s = scores()
    a = ThresholdExplorer(y, s).to_html()
    assert a == ThresholdExplorer(y.copy(), s.copy()).to_html()
    assert ThresholdExplorer(y, s, threshold=0.6).element_id != ThresholdExplorer(y, s).element_id
    y2, s2 = scores(seed=1)
    assert ThresholdExplorer(y2, s2).element_id != ThresholdExplorer(y, s).element_id


def test_mimebundle_outside_a_kernel():
    y, s = scores()
    bundle = ThresholdExplorer(y, s)._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert bundle["text/plain"].startswith("Threshold explorer: threshold 0.500, precision")


# ---------------------------------------------------------------------------- live widget


def shown_numbers(html: str) -> dict:
    return {
        key: value for key, value in re.findall(r'data-metric="(\w+)" data-value="([^"]*)"', html)
    }


def test_widget_slider_updates_numbers_and_marker():
    pytest.importorskip("ipywidgets")
    y, s = scores()
    explorer = ThresholdExplorer(y, s, threshold=0.5)
    ui = explorer.ui
    assert ui.slider.min == 0.0 and ui.slider.max == 1.0
    before_plot = ui.plot.value
    for t in (0.3, 0.62, 0.9):
        ui.slider.value = t
        shown = shown_numbers(ui.numbers.value)
        want = sk_counts(y, s, ui.slider.value)
        assert {k: int(shown[k]) for k in want} == want
        pred = (s >= ui.slider.value).astype(int)
        assert float(shown["precision"]) == pytest.approx(sk.precision_score(y, pred))
        assert float(shown["recall"]) == pytest.approx(sk.recall_score(y, pred))
        assert float(shown["threshold"]) == ui.slider.value
    assert ui.plot.value != before_plot  # the marker moved
    assert explorer.threshold == 0.5  # the start threshold is left alone


def test_widget_callback_never_raises(monkeypatch):
    pytest.importorskip("ipywidgets")
    y, s = scores()
    explorer = ThresholdExplorer(y, s)
    ui = explorer.ui

    def broken(threshold=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(explorer, "metrics", broken)
    ui.slider.value = 0.7  # must not raise
    assert "boom" in ui.message.value and "Could not update" in ui.message.value


def test_widget_range_covers_logits():
    pytest.importorskip("ipywidgets")
    y, s = scores()
    logits = np.log(s / (1 - s))
    ui = ThresholdExplorer(y, logits, threshold=0.0).ui
    assert ui.slider.min == pytest.approx(logits.min()) and ui.slider.max == pytest.approx(
        logits.max()
    )


def test_page_with_costs_and_histograms():
    y, s = scores()
    explorer = ThresholdExplorer(y, s, threshold=0.5, cost_fp=5, cost_fn=1, labels=("good", "spam"))
    page = explorer.to_html()
    soup = BeautifulSoup(page, "html.parser")
    (root,) = soup.select("[data-explorer]")
    start = explorer.metrics()
    cost = root.select_one('[data-metric="cost"]')
    assert cost.get_text() == str(start["cost"]) and cost["data-value"] == repr(start["cost"])
    assert root.select_one("[data-threshold-line]") is not None
    assert root.select_one("[data-cost-marker]") is not None
    assert len(root.select("rect.cu-bar-pos")) >= 3 and len(root.select("rect.cu-bar-neg")) >= 3
    assert "good" in root.select_one("svg.cu-dist")["aria-label"]
    data = json.loads(root.select_one("script[data-explorer-data]").string)
    assert len(data["dist"]["costY"]) == len(data["thresholds"])
    # The line sits at the start threshold on the shared axis.
    line = root.select_one("[data-threshold-line]")
    g = data["dist"]
    assert float(line["x1"]) == pytest.approx(g["left"] + 0.5 * g["width"], abs=0.06)


def test_static_files_inlined_and_dark_mode_rules():
    from course_utils._static_html import static_text

    page = ThresholdExplorer(*scores()).to_html()
    js, css = static_text("explorer.js"), static_text("explorer.css")
    assert js.strip() in page and css.strip() in page
    assert "EXPLORER_JS" not in page and "<script src" not in page
    for selector in (
        'html[data-theme="dark"] .cu-explorer',
        "@media (prefers-color-scheme: dark)",
        'html[data-theme="light"] .cu-explorer',
        "var(--pst-color-text-base",
        "var(--pst-color-background",
    ):
        assert selector in css, selector
    assert "#222832" not in css  # the unreadable dark-mode text colour of issue 14


def _luminance(hex_color: str) -> float:
    rgb = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_fallback_palettes_meet_wcag_aa():
    from course_utils._static_html import static_text

    css = static_text("explorer.css")
    blocks = re.findall(r"\{([^{}]*--cu-ex-fg:[^{}]*)\}", css)
    assert len(blocks) >= 3
    for block in blocks:
        colours = dict(re.findall(r"--cu-ex-([a-z]+):\s*(#[0-9a-fA-F]{6})", block))
        for key in ("fg", "muted", "neg", "pos", "cost"):  # text colours: AA for normal text
            assert _contrast(colours[key], colours["bg"]) >= 4.5, (key, block)
        for key in ("grid", "curve", "mark"):  # graphics: 3:1
            assert _contrast(colours[key], colours["bg"]) >= 3, (key, block)


def test_widget_shows_cost_and_moves_the_threshold_line():
    pytest.importorskip("ipywidgets")
    y, s = scores()
    ui = ThresholdExplorer(y, s, threshold=0.5, cost_fp=5, cost_fn=1).ui
    assert ui.slider.step == 0.01 and ui.slider.min == 0 and ui.slider.max == 1
    before = ui.dist.value
    ui.slider.value = 0.8
    shown = shown_numbers(ui.numbers.value)
    c = sk_counts(y, s, 0.8)
    assert int(shown["cost"]) == 5 * c["fp"] + c["fn"]
    assert ui.dist.value != before and "data-threshold-line" in ui.dist.value


def test_cost_axis_keeps_the_minimum_visible():
    y, s = scores(n=2000, positive_rate=0.05)
    explorer = ThresholdExplorer(y, s, cost_fp=5, cost_fn=1)
    page = explorer.to_html()
    data = json.loads(
        BeautifulSoup(page, "html.parser").select_one("script[data-explorer-data]").string
    )
    g = data["dist"]
    nothing = int(y.sum())  # c_FN * positives: the cost of blocking nothing
    assert g["costMax"] == 2 * nothing < max(data["cost"])
    top, bottom = g["cost_top"], g["cost_top"] + g["cost_height"]
    assert all(top <= cy <= bottom for cy in g["costY"])
    assert g["costY"][0] == top  # blocking everything: off the scale, drawn at the top edge
    cheapest = int(np.argmin(data["cost"]))
    assert g["costY"][cheapest] == max(g["costY"]) > top + 0.3 * g["cost_height"]
    assert f">{2 * nothing}+</text>" in page
