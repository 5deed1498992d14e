"""A threshold explorer: move the decision threshold, watch the counts, the cost and the curves.

A model outputs scores; a person chooses the threshold that turns them into decisions.
:class:`ThresholdExplorer` shows the consequences, in two renderings of one display object:

- in a kernel, an ipywidgets ``FloatSlider`` whose callback recomputes the counts at the exact
  threshold;
- on the book page, self-contained HTML+JS: a native ``<input type="range">`` stepping through
  thresholds spaced evenly (``0, 0.01, ..., 1`` for probabilities, so 0.5 is one of them),
  their TP/FP/FN/TN riding along as JSON, the numbers derived in the browser. The
  precision-recall curve (with a moving marker) and the two classes' score histograms with the
  cost curve (with a moving threshold line) are inline SVG. The script and style sheet are
  ``course_utils/static/explorer.js`` and ``explorer.css``, inlined at render time: no kernel,
  no other host.

The counts at every slider position come from the metrics' one counting core,
:func:`course_utils.metrics.confusion_matrix_at_thresholds` at the slider's thresholds (the
same call :func:`course_utils.calibration.costs_at_thresholds` makes), in one pass over the
scores, not one confusion matrix each. One rule throughout: predicted positive iff
``y_score >= threshold`` (scikit-learn's; a score equal to the threshold is flagged).

Page markup contract (the browser tests read it): the container has ``data-explorer``; numbers
sit in elements with ``data-metric="threshold|tp|fp|fn|tn|precision|recall|f1"`` (plus
``"cost"`` when costs are given; text rounded to 3 decimals, ``data-value`` unrounded); the
slider's value is an index into ``thresholds`` of the JSON in
``<script type="application/json" data-explorer-data>``; the PR marker is ``[data-pr-marker]``,
the threshold line ``[data-threshold-line]`` and the cost marker ``[data-cost-marker]``.
"""

from __future__ import annotations

import copy
import hashlib
import math
import numbers

import numpy as np

from course_utils._static_html import escape, inline_css, inline_js, json_for_script, mimebundle

STEP = 0.01  # default slider step for probabilities
N_STEPS = 100  # slider positions for scores that are not probabilities
MAX_THRESHOLDS = 1001  # at most this many slider positions (+ the start threshold)
MAX_CURVE_POINTS = 200  # points of the drawn PR curve
N_BINS = 20  # histogram bins per class
METRICS = ("threshold", "tp", "fp", "fn", "tn", "precision", "recall", "f1")

# Plot geometry in SVG user units: the axes box inside a 340 x 250 drawing.
_PLOT = {"left": 52.0, "top": 14.0, "width": 270.0, "height": 200.0}
# Scores panel: histograms on top, the cost curve below, one shared threshold axis.
_DIST = {"left": 52.0, "width": 270.0, "hist_top": 14.0, "hist_height": 88.0,
         "cost_top": 124.0, "cost_height": 90.0}  # fmt: skip


class ThresholdExplorer:
    """Interactive view of what the decision threshold trades: errors, cost, precision, recall.

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
    pos_label : int, bool, str or None, default None
        The label of the positive class, of the labels' own kind; None means 1 and needs
        labels 0/1 (or -1/1).
    cost_fp, cost_fn : float or None, default None
        The cost of one false positive and of one false negative. Given both, the explorer
        shows the total cost ``cost_fp * FP + cost_fn * FN`` at every threshold.
    labels : tuple of two str, default ("negative", "positive")
        Names of the negative and the positive class, for the histograms' key.
    step : float, default 0.01
        Slider step when the scores are probabilities (it must divide 1); other scores get
        100 even steps from their lowest to their highest value.

    Raises
    ------
    TypeError
        If an option has the wrong type, or the arrays do not hold numbers.
    ValueError
        If the arrays are not 1-D, differ in length, hold non-finite scores, ``y_true`` does
        not contain both positives and negatives, only one cost is given, or ``step`` does
        not divide 1.

    Examples
    --------
    >>> explorer = ThresholdExplorer([0, 0, 1, 1, 0, 1], [0.1, 0.6, 0.7, 0.4, 0.2, 0.9])
    >>> explorer.counts()
    {'tp': 2, 'fp': 1, 'fn': 1, 'tn': 2}
    >>> {k: round(v, 3) for k, v in explorer.metrics(0.65).items() if k in ("precision", "recall")}
    {'precision': 1.0, 'recall': 0.667}
    >>> data = explorer.curve_data()
    >>> len(data["thresholds"]), data["thresholds"][50]
    (101, 0.5)
    >>> ThresholdExplorer([0, 1, 1], [0.2, 0.9, 0.6], cost_fp=5, cost_fn=1).metrics(0.7)["cost"]
    1
    """

    def __init__(
        self,
        y_true,
        y_score,
        *,
        threshold: float = 0.5,
        title: str | None = None,
        pos_label=None,
        cost_fp: float | None = None,
        cost_fn: float | None = None,
        labels: tuple[str, str] = ("negative", "positive"),
        step: float = STEP,
    ):
        positive, y_score = _check_inputs(y_true, y_score, pos_label)
        self.threshold = _check_number(threshold, "threshold")
        if title is not None and not isinstance(title, str):
            raise TypeError(
                f"Expected `title` to be a str or None, but got {type(title).__name__}."
            )
        self.costs = _check_costs(cost_fp, cost_fn)
        if (
            not isinstance(labels, tuple | list)
            or len(labels) != 2
            or not all(isinstance(name, str) for name in labels)
        ):
            raise TypeError(
                f"Expected `labels` to be two str (negative class, positive class), but got "
                f"{labels!r}."
            )
        step = _check_number(step, "step")
        n = round(1 / step) if step > 0 else 0
        if not 2 <= n <= MAX_THRESHOLDS - 1 or abs(n * step - 1) > 1e-9:
            raise ValueError(
                f"Expected `step` to divide 1 into 2 to {MAX_THRESHOLDS - 1} steps "
                f"(e.g. 0.01 or 0.05), but got {step}."
            )

        self.y_true = positive  # (n_samples,) 1 = positive
        self.y_score = y_score  # (n_samples,)
        self.title = title or "Threshold explorer"
        self.labels = (str(labels[0]), str(labels[1]))
        self.step = step
        self._ui = None
        self._html: str | None = None
        self._curve: dict | None = None  # curve_data(), computed once

    # -- numbers ---------------------------------------------------------------------------

    @property
    def is_probability(self) -> bool:
        """True when every score lies in [0, 1]: the slider then runs over 0..1."""
        return bool(self.y_score.min() >= 0 and self.y_score.max() <= 1)

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
        t = self.threshold if threshold is None else float(threshold)
        tp, fp, fn, tn = _counts_on_grid(self.y_true, self.y_score, [t])
        return {"tp": int(tp[0]), "fp": int(fp[0]), "fn": int(fn[0]), "tn": int(tn[0])}

    def metrics(self, threshold: float | None = None) -> dict:
        """Counts plus precision, recall, F1 (and cost, if given) at ``threshold``.

        Returns
        -------
        dict
            Keys ``threshold``, ``tp``, ``fp``, ``fn``, ``tn``, ``precision`` (None when nothing
            is predicted positive), ``recall``, ``f1`` and, with costs, ``cost``.
        """
        t = self.threshold if threshold is None else float(threshold)
        return {"threshold": t, **_with_rates(self.counts(t), self.costs)}

    def thresholds(self) -> np.ndarray:
        """The slider's positions: evenly spaced, plus the start threshold if it falls between."""
        if self.is_probability:
            n = round(1 / self.step)
            grid = np.round(np.arange(n + 1) * self.step, 12)
        else:
            low, high = float(self.y_score.min()), float(self.y_score.max())
            grid = np.linspace(low, high, N_STEPS + 1)
        if np.min(np.abs(grid - self.threshold)) > 1e-12:
            grid = np.sort(np.append(grid, self.threshold))
        return grid

    def curve_data(self) -> dict:
        """The data the page embeds.

        Returns
        -------
        dict
            ``thresholds`` (ascending, evenly spaced, the start threshold included),
            ``tp``/``fp``/``fn``/``tn`` (one per threshold), ``cost`` (one per threshold, or
            None) and ``costs`` (``{"fp": c_FP, "fn": c_FN}`` or None), ``initial`` (index of
            the start threshold), ``curve`` (``precision`` and ``recall`` lists of at most
            ``MAX_CURVE_POINTS``), ``hist`` (``edges`` and per-class ``negative`` and
            ``positive`` counts) and ``prevalence``.
        """
        if self._curve is not None:
            return copy.deepcopy(self._curve)  # callers may edit their copy
        from course_utils.metrics import precision_recall_curve

        thresholds = self.thresholds()
        tp, fp, fn, tn = _counts_on_grid(self.y_true, self.y_score, thresholds)
        cost = None
        if self.costs is not None:
            cost = [
                _number(self.costs["fp"] * a + self.costs["fn"] * b)
                for a, b in zip(fp, fn, strict=True)
            ]

        precision, recall, _ = precision_recall_curve(self.y_true, self.y_score)
        precision, recall = np.asarray(precision, float), np.asarray(recall, float)
        keep = _spread_indices(len(precision), MAX_CURVE_POINTS)
        low, high = float(thresholds[0]), float(thresholds[-1])
        edges = np.linspace(low, high, N_BINS + 1)
        hist = {
            "edges": [round(float(e), 12) for e in edges],
            "negative": np.histogram(self.y_score[self.y_true == 0], edges)[0].tolist(),
            "positive": np.histogram(self.y_score[self.y_true == 1], edges)[0].tolist(),
        }
        self._curve = {
            "thresholds": [float(t) for t in thresholds],
            "tp": tp.tolist(),
            "fp": fp.tolist(),
            "fn": fn.tolist(),
            "tn": tn.tolist(),
            "costs": None if self.costs is None else dict(self.costs),
            "cost": cost,
            "initial": int(np.argmin(np.abs(thresholds - self.threshold))),
            "curve": {
                "precision": [round(float(p), 6) for p in precision[keep]],
                "recall": [round(float(r), 6) for r in recall[keep]],
            },
            "hist": hist,
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
        digest.update(repr((self.title, self.costs, self.labels, self.step)).encode("utf-8"))
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
        cost = "" if "cost" not in m else f", cost {_fmt_count(m['cost'])}"
        plain = (
            f"{self.title}: threshold {m['threshold']:.3f}, precision {_fmt(m['precision'])}, "
            f"recall {_fmt(m['recall'])}, F1 {_fmt(m['f1'])}{cost}."
        )
        return mimebundle(self.to_html(), plain, lambda: self.ui.box)


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------


def _check_inputs(y_true, y_score, pos_label) -> tuple[np.ndarray, np.ndarray]:
    """``(is_positive as 0/1 int64, scores as float64)``, both 1-D, with the package's rules
    (:mod:`course_utils._validation`): lists, arrays or tensors; ``pos_label`` one label of
    the labels' own kind, None meaning 1 for 0/1 (or -1/1) labels."""
    from course_utils._validation import as_float_vector, to_numpy
    from course_utils.metrics.checks import positive_class

    y_score = as_float_vector(y_score, name="y_score")  # 1-D, finite, float64
    labels = to_numpy(y_true)
    if labels.dtype.kind not in "biufUS":
        raise TypeError(
            f"Expected `y_true` to hold labels (numbers, bools or strings), but got dtype "
            f"{labels.dtype}."
        )
    if labels.ndim != 1:
        raise ValueError(
            f"Expected `y_true` to be 1-D (one label per sample), but got shape "
            f"{labels.shape}. Flatten per-step labels (dropping padding) first."
        )
    if len(labels) != len(y_score):
        raise ValueError(
            f"Expected `y_true` and `y_score` to have the same length, but got {len(labels)} "
            f"and {len(y_score)}."
        )
    positive = positive_class(labels, pos_label)
    if positive.all() or not positive.any():
        raise ValueError(
            f"Expected `y_true` to contain both positives (== pos_label "
            f"{1 if pos_label is None else pos_label!r}) and negatives; precision and recall "
            "need both. Check `pos_label`."
        )
    return positive.astype(np.int64), y_score


def _check_number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Expected `{name}` to be a float, but got {type(value).__name__}.")
    if not math.isfinite(value):
        raise ValueError(f"Expected `{name}` to be a finite float, but got {value}.")
    return float(value)


def _check_costs(cost_fp, cost_fn) -> dict | None:
    if cost_fp is None and cost_fn is None:
        return None
    if cost_fp is None or cost_fn is None:
        missing = "cost_fn" if cost_fn is None else "cost_fp"
        raise ValueError(
            f"Expected both `cost_fp` and `cost_fn`, or neither, but `{missing}` is missing."
        )
    costs = {"fp": _check_number(cost_fp, "cost_fp"), "fn": _check_number(cost_fn, "cost_fn")}
    for key, value in costs.items():
        if value < 0:
            raise ValueError(f"Expected `cost_{key}` to be >= 0, but got {value}.")
    return {key: _number(value) for key, value in costs.items()}


# ---------------------------------------------------------------------------------------------
# Counting (inputs already validated)
# ---------------------------------------------------------------------------------------------


def _counts_on_grid(y01: np.ndarray, scores: np.ndarray, grid) -> tuple:
    """TP, FP, FN, TN (int64) at each ``t`` of ``grid`` (any order, repeats allowed),
    predicting positive iff ``score >= t``: the metrics' counting core, as in
    :func:`course_utils.calibration.costs_at_thresholds`."""
    from course_utils.metrics import confusion_matrix_at_thresholds

    distinct, where = np.unique(np.asarray(grid, np.float64).reshape(-1), return_inverse=True)
    tns, fps, fns, tps, _ = confusion_matrix_at_thresholds(y01, scores, thresholds=distinct)
    at = distinct.size - 1 - where.reshape(-1)  # the counts come highest threshold first
    return tuple(np.rint(c[at]).astype(np.int64) for c in (tps, fps, fns, tns))


def _number(value: float):
    """An int when the value is whole (costs such as 35 print as 35, not 35.0)."""
    value = float(value)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _with_rates(counts: dict, costs: dict | None = None) -> dict:
    """Add precision, recall, F1 (and cost) to TP/FP/FN/TN (the page's script does the same)."""
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    out = {
        **counts,
        "precision": tp / (tp + fp) if tp + fp else None,  # undefined with no positive calls
        "recall": tp / (tp + fn),
        "f1": 2 * tp / (2 * tp + fp + fn),  # equals 2PR/(P+R), and is 0 when tp == 0
    }
    if costs is not None:
        out["cost"] = _number(costs["fp"] * fp + costs["fn"] * fn)
    return out


def _spread_indices(n: int, k: int) -> np.ndarray:
    """At most ``k`` indices spread evenly over ``range(n)``, first and last included."""
    if n <= k:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, k).round().astype(np.int64))


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _fmt_count(value) -> str:
    return str(value) if isinstance(value, int) else f"{value:.3f}"


# ---------------------------------------------------------------------------------------------
# Markup
# ---------------------------------------------------------------------------------------------


def _numbers_html(m: dict, costs: dict | None) -> str:
    """The confusion matrix and the rates, each number tagged with ``data-metric``."""

    def cell(key: str, text: str) -> str:
        value = "" if m[key] is None else repr(m[key])
        return f'<span data-metric="{key}" data-value="{value}">{text}</span>'

    counts = {key: cell(key, str(m[key])) for key in ("tp", "fp", "fn", "tn")}
    rates = {key: cell(key, _fmt(m[key])) for key in ("precision", "recall", "f1")}
    threshold = cell("threshold", _fmt(m["threshold"]))
    cost = ""
    if costs is not None:
        cost = (
            f'<p class="cu-rates">Cost <span class="cu-key-cost">&#9679;</span> '
            f"{cell('cost', _fmt_count(m['cost']))} "
            f"= {costs['fp']:g}&thinsp;&times;&thinsp;FP + {costs['fn']:g}&thinsp;&times;&thinsp;FN</p>"
        )
    return (
        f'<p class="cu-threshold">Threshold: {threshold} '
        "(predict positive when score &ge; threshold)</p>"
        '<table class="cu-confusion"><caption>Confusion matrix</caption>'
        '<tr><td></td><th scope="col">predicted +</th><th scope="col">predicted &minus;</th></tr>'
        f'<tr><th scope="row">actual +</th><td>TP {counts["tp"]}</td><td>FN {counts["fn"]}</td></tr>'
        f'<tr><th scope="row">actual &minus;</th><td>FP {counts["fp"]}</td><td>TN {counts["tn"]}</td></tr>'
        "</table>"
        f'<p class="cu-rates">Precision {rates["precision"]} &middot; Recall {rates["recall"]} '
        f"&middot; F1 {rates['f1']}</p>" + cost
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
        f'<rect class="cu-frame" x="{left}" y="{top}" width="{width}" height="{height}"/>'
        f'<line class="cu-baseline" x1="{left}" y1="{base_y:.1f}" x2="{left + width}" '
        f'y2="{base_y:.1f}"><title>no-skill baseline (positive rate)</title></line>'
        f'<polyline class="cu-curve" points="{points}"/>'
        f'<circle class="cu-marker" data-pr-marker r="6" cx="{cx:.1f}" cy="{cy:.1f}"{hidden}/>'
        + "".join(ticks)
        + f'<text x="{left + width / 2:.1f}" y="{top + height + 30:.1f}" text-anchor="middle">recall</text>'
        f'<text x="14" y="{top + height / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + height / 2:.1f})">precision</text>'
        "</svg>"
    )


def _dist_geometry(data: dict) -> dict:
    """Where the scores panel draws: the x scale, and the cost marker's y at each threshold."""
    g = dict(_DIST)
    if data["cost"] is None:  # no cost panel: the histograms take the whole height
        g["hist_height"] = g["cost_top"] + g["cost_height"] - g["hist_top"]
    g["low"], g["high"] = data["thresholds"][0], data["thresholds"][-1]
    if data["cost"] is not None:
        # The axis tops at twice the cheaper of "block nothing" and "block everything", so
        # the region near the minimum is not flattened by the huge cost of blocking all;
        # higher costs are drawn at the top edge.
        n_pos = data["tp"][0] + data["fn"][0]
        n_neg = data["fp"][0] + data["tn"][0]
        trivial = min(data["costs"]["fn"] * n_pos, data["costs"]["fp"] * n_neg)
        top = min(max(data["cost"]), 2 * trivial) if trivial > 0 else max(data["cost"])
        top = max(top, 1e-12)
        g["costMax"] = top
        g["costY"] = [
            round(g["cost_top"] + (1 - min(c / top, 1.0)) * g["cost_height"], 1)
            for c in data["cost"]
        ]
    return g


def _x(g: dict, t: float) -> float:
    frac = (t - g["low"]) / (g["high"] - g["low"]) if g["high"] > g["low"] else 0.0
    return g["left"] + min(1.0, max(0.0, frac)) * g["width"]


def _dist_svg(data: dict, g: dict, labels: tuple[str, str], threshold: float, cost) -> str:
    """Both classes' score histograms and the cost curve.

    Each class is scaled to its own tallest bar, on a square-root scale, so that a rare class
    and the thin tails of a common one stay visible.
    """
    left, width = g["left"], g["width"]
    h_top, h_height = g["hist_top"], g["hist_height"]
    edges = data["hist"]["edges"]
    parts = [f'<rect class="cu-frame" x="{left}" y="{h_top}" width="{width}" height="{h_height}"/>']
    for key, css, name in (("negative", "cu-bar-neg", labels[0]), ("positive", "cu-bar-pos", labels[1])):  # fmt: skip
        counts = data["hist"][key]
        tallest = max(max(counts), 1)
        for lo, hi, c in zip(edges[:-1], edges[1:], counts, strict=True):
            if c == 0:
                continue
            x0, x1 = _x(g, lo), _x(g, hi)
            h = math.sqrt(c / tallest) * h_height
            parts.append(
                f'<rect class="{css}" x="{x0:.1f}" y="{h_top + h_height - h:.1f}" '
                f'width="{max(x1 - x0 - 0.6, 0.5):.1f}" height="{h:.1f}">'
                f"<title>{escape(name)}: {c} with score in [{lo:.3g}, {hi:.3g}]</title></rect>"
            )
    bottom = h_top + h_height
    label_y = bottom
    if data["cost"] is not None:
        c_top, c_height = g["cost_top"], g["cost_height"]
        bottom = c_top + c_height
        points = " ".join(
            f"{_x(g, t):.1f},{y:.1f}" for t, y in zip(data["thresholds"], g["costY"], strict=True)
        )
        cy = c_top + (1 - min(cost / g["costMax"], 1.0)) * c_height
        parts += [
            f'<rect class="cu-frame" x="{left}" y="{c_top}" width="{width}" height="{c_height}"/>',
            f'<polyline class="cu-cost" points="{points}"/>',
            f'<text x="{left - 6:.1f}" y="{c_top + 4:.1f}" text-anchor="end">{_fmt_count(_number(g["costMax"]))}{"+" if max(data["cost"]) > g["costMax"] else ""}</text>',
            f'<text x="{left - 6:.1f}" y="{bottom + 4:.1f}" text-anchor="end">0</text>',
            f'<text x="14" y="{c_top + c_height / 2:.1f}" text-anchor="middle" '
            f'transform="rotate(-90 14 {c_top + c_height / 2:.1f})">cost</text>',
            f'<circle class="cu-cost-marker" data-cost-marker r="5" cx="{_x(g, threshold):.1f}" '
            f'cy="{cy:.1f}"/>',
        ]
        label_y = bottom
    x = _x(g, threshold)
    for v in (g["low"], (g["low"] + g["high"]) / 2, g["high"]):
        parts.append(
            f'<text x="{_x(g, v):.1f}" y="{label_y + 14:.1f}" text-anchor="middle">{v:.3g}</text>'
        )
    parts += [
        f'<text x="{left + width / 2:.1f}" y="{label_y + 30:.1f}" text-anchor="middle">'
        "score (and threshold)</text>",
        f'<text x="14" y="{h_top + h_height / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {h_top + h_height / 2:.1f})">share</text>',
        f'<line class="cu-threshold-line" data-threshold-line x1="{x:.1f}" y1="{h_top}" '
        f'x2="{x:.1f}" y2="{bottom}"/>',
    ]
    aria = (
        f"Histograms of the scores of {labels[0]} and {labels[1]} cases"
        + (", and the total cost against the threshold" if data["cost"] is not None else "")
        + "; the vertical line marks the current threshold"
    )
    return (
        f'<svg class="cu-dist" viewBox="0 0 340 {label_y + 36:.0f}" width="340" '
        f'height="{label_y + 36:.0f}" role="img" aria-label="{escape(aria)}" font-size="11" '
        'font-family="sans-serif">' + "".join(parts) + "</svg>"
    )


def _key_html(labels: tuple[str, str], costs: dict | None) -> str:
    cost = ', <span class="cu-key-cost">&#9679;&nbsp;cost</span> at each threshold' if costs else ""
    return (
        '<p class="cu-note">Scores of <span class="cu-key-neg">&#9632;&nbsp;'
        f'{escape(labels[0])}</span> and <span class="cu-key-pos">&#9632;&nbsp;'
        f"{escape(labels[1])}</span> cases (each class scaled to its own tallest bar, square-root heights){cost}.</p>"
    )


def _marker(m: dict) -> tuple[float, float] | None:
    return None if m["precision"] is None else (m["recall"], m["precision"])


def _render_page(explorer: ThresholdExplorer) -> str:
    data = explorer.curve_data()
    geometry = _dist_geometry(data)
    data = {**data, "plot": _PLOT, "dist": geometry}
    i = data["initial"]
    start = {
        "threshold": data["thresholds"][i],
        **{k: data[k][i] for k in ("tp", "fp", "fn", "tn")},
    }
    start = _with_rates(start, explorer.costs)
    root = explorer.element_id
    last = len(data["thresholds"]) - 1
    return "\n".join(
        [
            f'<div class="cu-box cu-explorer" id="{root}" data-explorer>',
            f"<style>{inline_css('explorer.css')}</style>",
            f'<p class="cu-explorer-title">{escape(explorer.title)}</p>',
            f'<label for="{root}-slider">Move the threshold (arrow keys work too):</label><br>',
            f'<input type="range" id="{root}-slider" min="0" max="{last}" step="1" value="{i}" '
            f'aria-valuetext="threshold {start["threshold"]:.3f}">',
            '<div class="cu-explorer-body">',
            f'<div class="cu-numbers" aria-live="polite">{_numbers_html(start, explorer.costs)}</div>',
            _pr_svg(data["curve"], data["prevalence"], _marker(start)),
            "<div>",
            _dist_svg(data, geometry, explorer.labels, start["threshold"], start.get("cost")),
            _key_html(explorer.labels, explorer.costs),
            "</div>",
            "</div>",
            f'<script type="application/json" data-explorer-data>{json_for_script(data)}</script>',
            f"<script>{inline_js('explorer.js')}</script>",
            "</div>",
        ]
    )


class ExplorerUI:
    """The live version: a ``FloatSlider`` and HTML areas redrawn at the exact threshold."""

    def __init__(self, explorer: ThresholdExplorer):
        import ipywidgets as widgets  # only when a kernel shows the explorer

        self.explorer = explorer
        self._curve = explorer.curve_data()
        self._geometry = _dist_geometry(self._curve)
        grid = explorer.thresholds()
        low, high = float(grid[0]), float(grid[-1])
        step = explorer.step if explorer.is_probability else (high - low) / N_STEPS or 0.001
        self.slider = widgets.FloatSlider(
            value=explorer.threshold,
            min=low,
            max=high,
            step=step,
            description="Threshold",
            readout_format=".3f",
            continuous_update=True,
            layout=widgets.Layout(width="28rem"),
        )
        self.numbers = widgets.HTML()
        self.plot = widgets.HTML()
        self.dist = widgets.HTML()
        self.message = widgets.HTML()
        self.slider.observe(self._on_change, names="value")
        title = widgets.HTML(f"<b>{escape(explorer.title)}</b>")
        style = widgets.HTML(f"<style>{inline_css('explorer.css')}</style>")
        body = widgets.HBox([self.numbers, self.plot, self.dist])
        body.add_class("cu-explorer")
        self.box = widgets.VBox([style, title, self.slider, body, self.message])
        self.box.add_class("cu-explorer")
        self.update(explorer.threshold)

    def update(self, threshold: float) -> None:
        """Redraw the numbers, the PR marker, the threshold line and the cost marker."""
        self.threshold = float(threshold)
        m = self.explorer.metrics(self.threshold)
        self.numbers.value = (
            f'<div class="cu-explorer">{_numbers_html(m, self.explorer.costs)}</div>'
        )
        self.plot.value = (
            f'<div class="cu-explorer">'
            f"{_pr_svg(self._curve['curve'], self._curve['prevalence'], _marker(m))}</div>"
        )
        self.dist.value = (
            '<div class="cu-explorer">'
            + _dist_svg(
                self._curve, self._geometry, self.explorer.labels, self.threshold, m.get("cost")
            )
            + _key_html(self.explorer.labels, self.explorer.costs)
            + "</div>"
        )

    def _on_change(self, change) -> None:
        try:  # a callback must not end in a traceback
            self.update(change["new"])
            self.message.value = ""
        except Exception as err:
            self.message.value = (
                f"<span class='cu-error'>Could not update for threshold {change['new']!r}: "
                f"{escape(type(err).__name__)}: {escape(err)}</span>"
            )
