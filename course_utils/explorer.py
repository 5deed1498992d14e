"""A threshold explorer: move the decision threshold, watch the confusion matrix and PR point move.

A model outputs scores; a person chooses the threshold that turns them into decisions.
:class:`ThresholdExplorer` shows the consequences, in two renderings of one display object:

- in a kernel, an ipywidgets ``FloatSlider`` whose callback recomputes the counts at the exact
  threshold with :func:`course_utils.metrics.confusion_matrix`;
- on the book page, self-contained HTML+JS: a native ``<input type="range">`` stepping through
  at most ~200 precomputed thresholds (their TP/FP/FN/TN ride along as JSON), the numbers
  derived in the browser, and the precision-recall curve drawn as inline SVG with a moving
  marker. No kernel, no CDN.

Page markup contract (the browser tests read it): the container has ``data-explorer``; numbers
sit in elements with ``data-metric="threshold|tp|fp|fn|tn|precision|recall|f1"`` (text rounded
to 3 decimals, ``data-value`` unrounded); the curve data is in
``<script type="application/json" data-explorer-data>``.
"""

from __future__ import annotations

import copy
import hashlib
import math

import numpy as np

from course_utils._static_html import BASE_CSS, escape, json_for_script, mimebundle

MAX_THRESHOLDS = 200  # thresholds embedded in the page; keeps the JSON small
MAX_CURVE_POINTS = 200  # points of the drawn PR curve
METRICS = ("threshold", "tp", "fp", "fn", "tn", "precision", "recall", "f1")

# Plot geometry in SVG user units: the axes box inside a 340 x 260 drawing.
_PLOT = {"left": 52.0, "top": 14.0, "width": 270.0, "height": 200.0}


class ThresholdExplorer:
    """Interactive view of how the decision threshold trades precision against recall.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels (list, NumPy array or torch tensor). Samples equal to ``pos_label`` are
        positive; all other labels are negative.
    y_score : array-like of shape (n_samples,)
        Scores for the positive class (probabilities or logits); a sample is predicted
        positive when ``y_score >= threshold``.
    threshold : float, default 0.5
        Where the slider starts.
    title : str or None, default None
        Heading above the explorer (default "Threshold explorer").
    pos_label : int, default 1
        The label of the positive class.

    Raises
    ------
    TypeError
        If ``threshold``, ``title`` or ``pos_label`` has the wrong type, or the arrays do not
        hold numbers.
    ValueError
        If the arrays are not 1-D, differ in length, hold non-finite scores, or ``y_true`` does
        not contain both positives and negatives.

    Examples
    --------
    >>> explorer = ThresholdExplorer([0, 0, 1, 1, 0, 1], [0.1, 0.6, 0.7, 0.4, 0.2, 0.9])
    >>> explorer.counts()
    {'tp': 2, 'fp': 1, 'fn': 1, 'tn': 2}
    >>> {k: round(v, 3) for k, v in explorer.metrics(0.65).items() if k in ("precision", "recall")}
    {'precision': 1.0, 'recall': 0.667}
    >>> "data-explorer" in explorer.to_html()
    True
    """

    def __init__(
        self,
        y_true,
        y_score,
        *,
        threshold: float = 0.5,
        title: str | None = None,
        pos_label: int = 1,
    ):
        y_true, y_score = _check_arrays(y_true, y_score)
        if isinstance(pos_label, bool) or not isinstance(pos_label, int | np.integer):
            raise TypeError(
                f"Expected `pos_label` to be an int, but got {type(pos_label).__name__}."
            )
        positive = y_true == pos_label
        if positive.all() or not positive.any():
            raise ValueError(
                f"Expected `y_true` to contain both positives (== pos_label {pos_label}) and "
                "negatives; precision and recall need both. Check `pos_label`."
            )
        if isinstance(threshold, bool) or not isinstance(threshold, int | float | np.floating):
            raise TypeError(
                f"Expected `threshold` to be a float, but got {type(threshold).__name__}."
            )
        if not math.isfinite(threshold):
            raise ValueError(f"Expected `threshold` to be a finite float, but got {threshold}.")
        if title is not None and not isinstance(title, str):
            raise TypeError(
                f"Expected `title` to be a str or None, but got {type(title).__name__}."
            )

        self.y_true = positive.astype(np.int64)  # (n_samples,) 1 = positive
        self.y_score = y_score  # (n_samples,)
        self.threshold = float(threshold)
        self.title = title or "Threshold explorer"
        self._ui = None
        self._html: str | None = None
        self._curve: dict | None = None  # curve_data(), computed once

    # -- numbers ---------------------------------------------------------------------------

    def counts(self, threshold: float | None = None) -> dict:
        """TP, FP, FN and TN when predicting positive for ``y_score >= threshold``.

        Parameters
        ----------
        threshold : float or None, default None
            The threshold; None means the start threshold given to the constructor.

        Returns
        -------
        dict
            ``{"tp": int, "fp": int, "fn": int, "tn": int}``.
        """
        from course_utils.metrics import confusion_matrix

        t = self.threshold if threshold is None else float(threshold)
        y_pred = (self.y_score >= t).astype(np.int64)  # (n_samples,)
        matrix = np.asarray(confusion_matrix(self.y_true, y_pred, labels=[0, 1]))  # (2, 2)
        (tn, fp), (fn, tp) = matrix.tolist()
        return {"tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn)}

    def metrics(self, threshold: float | None = None) -> dict:
        """Counts plus precision, recall and F1 at ``threshold`` (default: the start threshold).

        Returns
        -------
        dict
            Keys ``threshold``, ``tp``, ``fp``, ``fn``, ``tn``, ``precision`` (None when nothing
            is predicted positive), ``recall`` and ``f1``.
        """
        t = self.threshold if threshold is None else float(threshold)
        return {"threshold": t, **_with_rates(self.counts(t))}

    def curve_data(self) -> dict:
        """The data the page embeds: candidate thresholds with their counts, and the PR curve.

        Returns
        -------
        dict
            ``thresholds`` (ascending, at most ~``MAX_THRESHOLDS`` + 1, the start threshold
            included), ``tp``/``fp``/``fn``/``tn`` (one per threshold), ``initial`` (index of the
            start threshold), ``curve`` (``precision`` and ``recall`` lists of at most
            ``MAX_CURVE_POINTS``) and ``prevalence``.
        """
        if self._curve is not None:
            return copy.deepcopy(self._curve)  # callers may edit their copy
        from course_utils.metrics import precision_recall_curve

        distinct = np.unique(self.y_score)  # ascending
        picked = distinct[_spread_indices(len(distinct), MAX_THRESHOLDS)]
        thresholds = np.unique(np.append(picked, self.threshold))
        counts = [self.counts(t) for t in thresholds]

        precision, recall, _ = precision_recall_curve(self.y_true, self.y_score)
        precision, recall = np.asarray(precision, float), np.asarray(recall, float)
        keep = _spread_indices(len(precision), MAX_CURVE_POINTS)
        self._curve = {
            "thresholds": [float(t) for t in thresholds],
            **{key: [c[key] for c in counts] for key in ("tp", "fp", "fn", "tn")},
            "initial": int(np.searchsorted(thresholds, self.threshold)),
            "curve": {
                "precision": [round(float(p), 6) for p in precision[keep]],
                "recall": [round(float(r), 6) for r in recall[keep]],
            },
            "prevalence": float(self.y_true.mean()),
        }
        return copy.deepcopy(self._curve)

    # -- rendering -------------------------------------------------------------------------

    @property
    def element_id(self) -> str:
        """A stable id derived from the data, so stored outputs compare equal run to run."""
        digest = hashlib.sha256()
        for part in (self.y_true, self.y_score, np.float64(self.threshold)):
            digest.update(np.ascontiguousarray(part).tobytes())
        digest.update(self.title.encode("utf-8"))
        return f"cute-{digest.hexdigest()[:12]}"

    @property
    def ui(self):
        """The live widgets (:class:`ExplorerUI`), built on first use."""
        if self._ui is None:
            self._ui = ExplorerUI(self)
        return self._ui

    def to_html(self) -> str:
        """The self-contained HTML+JS version (what the book page shows)."""
        if self._html is None:
            self._html = _render_page(self)
        return self._html

    def __repr__(self) -> str:
        return f"ThresholdExplorer(n_samples={len(self.y_true)}, threshold={self.threshold:g})"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        m = self.metrics()
        plain = (
            f"{self.title}: threshold {m['threshold']:.3f}, precision {_fmt(m['precision'])}, "
            f"recall {_fmt(m['recall'])}, F1 {_fmt(m['f1'])}."
        )
        return mimebundle(self.to_html(), plain, lambda: self.ui.box)


# ---------------------------------------------------------------------------------------------
# Helpers (inputs already validated)
# ---------------------------------------------------------------------------------------------


def _check_arrays(y_true, y_score) -> tuple[np.ndarray, np.ndarray]:
    arrays = []
    for name, value in (("y_true", y_true), ("y_score", y_score)):
        if hasattr(value, "detach"):  # a torch tensor
            value = value.detach().cpu().numpy()
        arr = np.asarray(value)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"Expected `{name}` to hold numbers, but got dtype {arr.dtype}.")
        if arr.ndim != 1:
            raise ValueError(
                f"Expected `{name}` to be 1-D (one value per sample), but got shape {arr.shape}. "
                "Flatten per-step predictions (dropping padding) first."
            )
        arrays.append(arr)
    y_true, y_score = arrays
    if len(y_true) != len(y_score):
        raise ValueError(
            f"Expected `y_true` and `y_score` to have the same length, but got {len(y_true)} "
            f"and {len(y_score)}."
        )
    y_score = y_score.astype(np.float64)
    if not np.isfinite(y_score).all():
        raise ValueError("Expected `y_score` to be finite, but it contains NaN or inf.")
    return y_true, y_score


def _with_rates(counts: dict) -> dict:
    """Add precision, recall and F1 to TP/FP/FN/TN (the page's script does the same)."""
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {
        **counts,
        "precision": tp / (tp + fp) if tp + fp else None,  # undefined with no positive calls
        "recall": tp / (tp + fn),
        "f1": 2 * tp / (2 * tp + fp + fn),  # equals 2PR/(P+R), and is 0 when tp == 0
    }


def _spread_indices(n: int, k: int) -> np.ndarray:
    """At most ``k`` indices spread evenly over ``range(n)``, first and last included."""
    if n <= k:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, k).round().astype(np.int64))


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _numbers_html(m: dict) -> str:
    """The confusion matrix and the rates, each number tagged with ``data-metric``."""

    def cell(key: str, text: str) -> str:
        value = "" if m[key] is None else repr(m[key])
        return f'<span data-metric="{key}" data-value="{value}">{text}</span>'

    counts = {key: cell(key, str(m[key])) for key in ("tp", "fp", "fn", "tn")}
    rates = {key: cell(key, _fmt(m[key])) for key in ("precision", "recall", "f1")}
    threshold = cell("threshold", _fmt(m["threshold"]))
    return (
        f'<p class="cu-threshold">Threshold: {threshold} '
        "(predict positive when score &ge; threshold)</p>"
        '<table class="cu-confusion"><caption>Confusion matrix</caption>'
        '<tr><td></td><th scope="col">predicted +</th><th scope="col">predicted &minus;</th></tr>'
        f'<tr><th scope="row">actual +</th><td>TP {counts["tp"]}</td><td>FN {counts["fn"]}</td></tr>'
        f'<tr><th scope="row">actual &minus;</th><td>FP {counts["fp"]}</td><td>TN {counts["tn"]}</td></tr>'
        "</table>"
        f'<p class="cu-rates">Precision {rates["precision"]} &middot; Recall {rates["recall"]} '
        f"&middot; F1 {rates['f1']}</p>"
    )


def _xy(recall: float, precision: float) -> tuple[float, float]:
    """SVG coordinates of a (recall, precision) point."""
    return (
        _PLOT["left"] + recall * _PLOT["width"],
        _PLOT["top"] + (1 - precision) * _PLOT["height"],
    )


def _pr_svg(curve: dict, prevalence: float, marker: tuple[float, float] | None) -> str:
    """The PR curve as inline SVG, with the no-skill line and the current point."""
    left, top, width, height = (_PLOT[k] for k in ("left", "top", "width", "height"))
    points = " ".join(
        "{:.1f},{:.1f}".format(*_xy(r, p))
        for r, p in zip(curve["recall"], curve["precision"], strict=True)
    )
    base_y = _xy(0, prevalence)[1]
    ticks = []
    for v in (0, 0.5, 1):
        x, y = _xy(v, v)
        ticks.append(
            f'<text x="{x:.1f}" y="{top + height + 14:.1f}" text-anchor="middle">{v:g}</text>'
        )
        ticks.append(f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end">{v:g}</text>')
    if marker is None:
        cx, cy, hidden = left, top, ' visibility="hidden"'
    else:
        (cx, cy), hidden = _xy(*marker), ""
    return (
        '<svg class="cu-pr" viewBox="0 0 340 250" width="340" height="250" role="img" '
        'aria-label="Precision-recall curve; the dot marks the current threshold" '
        'font-size="11" font-family="sans-serif">'
        f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="none" stroke="#888"/>'
        f'<line x1="{left}" y1="{base_y:.1f}" x2="{left + width}" y2="{base_y:.1f}" '
        'stroke="#999" stroke-dasharray="4 3"><title>no-skill baseline (positive rate)</title></line>'
        f'<polyline points="{points}" fill="none" stroke="#3465a4" stroke-width="2"/>'
        f'<circle data-pr-marker r="6" cx="{cx:.1f}" cy="{cy:.1f}" fill="#e66100" '
        f'stroke="#fff" stroke-width="1.5"{hidden}/>'
        + "".join(ticks)
        + f'<text x="{left + width / 2:.1f}" y="{top + height + 30:.1f}" text-anchor="middle">recall</text>'
        f'<text x="14" y="{top + height / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + height / 2:.1f})">precision</text>'
        "</svg>"
    )


def _marker(m: dict) -> tuple[float, float] | None:
    return None if m["precision"] is None else (m["recall"], m["precision"])


EXPLORER_CSS = """
.cu-explorer .cu-explorer-body { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.cu-explorer input[type=range] { width: 100%; max-width: 26rem; }
.cu-explorer table.cu-confusion { border-collapse: collapse; margin: 0.4rem 0; }
.cu-explorer table.cu-confusion caption { text-align: left; font-size: 0.9em; }
.cu-explorer table.cu-confusion th, .cu-explorer table.cu-confusion td {
  border: 1px solid var(--pst-color-border, #c9ced6); padding: 0.2rem 0.6rem; text-align: right; }
.cu-explorer [data-metric] { font-variant-numeric: tabular-nums; font-weight: 600; }
.cu-explorer svg text { fill: currentColor; }
"""


def _render_page(explorer: ThresholdExplorer) -> str:
    data = {**explorer.curve_data(), "plot": _PLOT}
    i = data["initial"]
    start = {
        "threshold": data["thresholds"][i],
        **{k: data[k][i] for k in ("tp", "fp", "fn", "tn")},
    }
    start = _with_rates(start)
    root = explorer.element_id
    last = len(data["thresholds"]) - 1
    return "\n".join(
        [
            f'<div class="cu-box cu-explorer" id="{root}" data-explorer>',
            f"<style>{BASE_CSS}{EXPLORER_CSS}</style>",
            f'<p class="cu-quiz-title"><strong>{escape(explorer.title)}</strong></p>',
            f'<label for="{root}-slider">Move the threshold (arrow keys work too):</label><br>',
            f'<input type="range" id="{root}-slider" min="0" max="{last}" step="1" value="{i}" '
            f'aria-valuetext="threshold {start["threshold"]:.3f}">',
            '<div class="cu-explorer-body">',
            f'<div class="cu-numbers" aria-live="polite">{_numbers_html(start)}</div>',
            _pr_svg(data["curve"], data["prevalence"], _marker(start)),
            "</div>",
            f'<script type="application/json" data-explorer-data>{json_for_script(data)}</script>',
            f"<script>{EXPLORER_JS}</script>",
            "</div>",
        ]
    )


EXPLORER_JS = r"""(function () {
// Derives precision, recall and F1 from the embedded counts, exactly as explorer._with_rates.
function rates(d, i) {
  var tp = d.tp[i], fp = d.fp[i], fn = d.fn[i];
  return { threshold: d.thresholds[i], tp: tp, fp: fp, fn: fn, tn: d.tn[i],
    precision: tp + fp ? tp / (tp + fp) : null, recall: tp / (tp + fn),
    f1: 2 * tp / (2 * tp + fp + fn) };
}

function setup(root) {
  root.setAttribute("data-explorer-ready", "");
  var d = JSON.parse(root.querySelector("script[data-explorer-data]").textContent);
  var slider = root.querySelector("input[type=range]");
  var marker = root.querySelector("[data-pr-marker]");
  function showThreshold() {
    var m = rates(d, Number(slider.value));
    Object.keys(m).forEach(function (key) {
      var el = root.querySelector('[data-metric="' + key + '"]');
      if (!el) return;
      var v = m[key];
      el.setAttribute("data-value", v === null ? "" : String(v));
      el.textContent = v === null ? "n/a"
        : (key === "tp" || key === "fp" || key === "fn" || key === "tn") ? String(v) : v.toFixed(3);
    });
    slider.setAttribute("aria-valuetext", "threshold " + m.threshold.toFixed(3));
    if (m.precision === null) {
      marker.setAttribute("visibility", "hidden");
    } else {
      marker.removeAttribute("visibility");
      marker.setAttribute("cx", (d.plot.left + m.recall * d.plot.width).toFixed(1));
      marker.setAttribute("cy", (d.plot.top + (1 - m.precision) * d.plot.height).toFixed(1));
    }
  }
  slider.addEventListener("input", showThreshold);
  showThreshold();
}

function setupAll() {
  document.querySelectorAll("[data-explorer]:not([data-explorer-ready])").forEach(function (root) {
    try { setup(root); } catch (err) { console.error("course_utils explorer:", err); }
  });
}

window.CourseUtilsExplorer = { setupAll: setupAll, rates: rates };
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupAll);
else setupAll();
})();
"""


class ExplorerUI:
    """The live version: a ``FloatSlider`` and an HTML area redrawn at the exact threshold."""

    def __init__(self, explorer: ThresholdExplorer):
        import ipywidgets as widgets  # only when a kernel shows the explorer

        self.explorer = explorer
        low, high = float(explorer.y_score.min()), float(explorer.y_score.max())
        if 0.0 <= low and high <= 1.0:
            low, high = 0.0, 1.0  # probabilities: the familiar scale
        low, high = min(low, explorer.threshold), max(high, explorer.threshold)
        self._curve = explorer.curve_data()
        self.slider = widgets.FloatSlider(
            value=explorer.threshold,
            min=low,
            max=high,
            step=(high - low) / 1000 or 0.001,
            description="Threshold",
            readout_format=".3f",
            continuous_update=True,
            layout=widgets.Layout(width="28rem"),
        )
        self.numbers = widgets.HTML()
        self.plot = widgets.HTML()
        self.message = widgets.HTML()
        self.slider.observe(self._on_change, names="value")
        title = widgets.HTML(f"<b>{escape(explorer.title)}</b>")
        body = widgets.HBox([self.numbers, self.plot])
        self.box = widgets.VBox([title, self.slider, body, self.message])
        self.update(explorer.threshold)

    def update(self, threshold: float) -> None:
        """Redraw the numbers and the marker for ``threshold``."""
        self.threshold = float(threshold)
        m = self.explorer.metrics(self.threshold)
        self.numbers.value = f'<div class="cu-explorer">{_numbers_html(m)}</div>'
        self.plot.value = _pr_svg(self._curve["curve"], self._curve["prevalence"], _marker(m))

    def _on_change(self, change) -> None:
        try:  # a callback must not end in a traceback
            self.update(change["new"])
            self.message.value = ""
        except Exception as err:
            self.message.value = (
                f"<span style='color:#b3261e'>Could not update for threshold {change['new']!r}: "
                f"{escape(type(err).__name__)}: {escape(err)}</span>"
            )
