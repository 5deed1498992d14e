"""ThresholdExplorer: counts, embedded curve data, page markup, and the live widget in-process."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from bs4 import BeautifulSoup
from sklearn import metrics as sk

from course_utils.explorer import MAX_CURVE_POINTS, MAX_THRESHOLDS, METRICS, ThresholdExplorer


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
    assert len(thresholds) <= MAX_THRESHOLDS + 1
    assert np.all(np.diff(thresholds) > 0)
    assert thresholds[0] == s.min() and thresholds[-1] == s.max()
    assert thresholds[data["initial"]] == 0.5
    for i in range(0, len(thresholds), 17):
        got = {k: data[k][i] for k in ("tp", "fp", "fn", "tn")}
        assert got == sk_counts(y, s, thresholds[i])
    assert np.all(np.diff(data["tp"]) <= 0) and np.all(np.diff(data["fp"]) <= 0)
    assert data["tp"][0] == y.sum() and data["fp"][0] == (1 - y).sum()  # lowest: all positive
    assert data["prevalence"] == pytest.approx(y.mean())

    precision, recall, _ = sk.precision_recall_curve(y, s)
    curve = data["curve"]
    assert 2 <= len(curve["precision"]) == len(curve["recall"]) <= MAX_CURVE_POINTS
    assert curve["precision"][0] == pytest.approx(precision[0], abs=1e-6)
    assert curve["recall"][-1] == 0 and curve["precision"][-1] == 1  # sklearn's end point
    for p, r in zip(curve["precision"], curve["recall"], strict=True):
        # every drawn point lies on sklearn's curve
        assert np.min(np.abs(precision - p) + np.abs(recall - r)) < 2e-6


def test_small_data_keeps_every_threshold():
    explorer = ThresholdExplorer([0, 1, 0, 1], [0.2, 0.8, 0.4, 0.4], threshold=0.5)
    data = explorer.curve_data()
    assert data["thresholds"] == [0.2, 0.4, 0.5, 0.8]
    assert data["tp"] == [2, 2, 1, 1] and data["fp"] == [2, 1, 0, 0]
    assert data["initial"] == 2


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
        ((["a", "b"], [0.1, 0.9]), {}, TypeError, "`y_true`"),
        (([0, 1], [0.1, 0.9]), {"threshold": "0.5"}, TypeError, "`threshold`"),
        (([0, 1], [0.1, 0.9]), {"threshold": float("inf")}, ValueError, "`threshold`"),
        (([0, 1], [0.1, 0.9]), {"title": 3}, TypeError, "`title`"),
        (([0, 1], [0.1, 0.9]), {"pos_label": True}, TypeError, "`pos_label`"),
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
