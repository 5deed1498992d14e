"""Figures for the chapters: evaluation plots that take arrays and return their Axes.

Every function draws on ``ax`` (or on a new figure when ``ax=None``), labels both axes,
sets a title and returns the :class:`matplotlib.axes.Axes`, so a chapter can restyle or
combine panels. Colours come from seaborn's colour-blind-safe "colorblind" palette, and
the confusion matrix uses a single-hue sequential map. matplotlib and seaborn are imported
inside the functions, so ``import course_utils.plots`` stays light; this module never
imports models or training: it takes arrays, histories and reports, checked with
:mod:`course_utils._validation`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from course_utils._validation import as_float_vector as _vector  # finite 1-D float64
from course_utils._validation import to_numpy

__all__ = [
    "plot_by_horizon",
    "plot_confusion_matrix",
    "plot_detection_delays",
    "plot_forecast",
    "plot_intervals",
    "plot_learning_curves",
    "plot_metric_vs_length",
    "plot_metric_vs_threshold",
    "plot_one_vs_rest_curves",
    "plot_pr_curve",
    "plot_reliability_diagram",
    "plot_resampled",
    "plot_roc_curve",
    "plot_segments",
]

_PALETTE = "colorblind"
_CURVE = "course_utils.curve"  # gid of the lines that pick palette colours in turn


# --------------------------------------------------------------------------- helpers


def _axes(ax, figsize=(5.0, 4.0)):
    """``ax`` if given (checked), else the Axes of a new figure in seaborn's whitegrid style."""
    import matplotlib.pyplot as plt
    import seaborn as sns
    from matplotlib.axes import Axes

    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(
                f"Expected `ax` to be a matplotlib Axes or None, but got {type(ax).__name__}."
            )
        return ax
    with sns.axes_style("whitegrid"):
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _colors(n: int = 10) -> list:
    import seaborn as sns

    return sns.color_palette(_PALETTE, n)


def _next_color(ax):
    """The next palette colour for a curve on ``ax``, so repeated calls do not clash."""
    used = sum(1 for line in ax.get_lines() if line.get_gid() == _CURVE)
    return _colors()[used % 10]


def _same_length(a: np.ndarray, b: np.ndarray, names: tuple[str, str], hint: str = "") -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"Expected `{names[0]}` and `{names[1]}` to have the same length, but got "
            f"{a.size} and {b.size}.{hint}"
        )


def _point(point, *, name: str, order: str) -> tuple[float, float] | None:
    if point is None:
        return None
    values = np.asarray(point, dtype=np.float64) if isinstance(point, Sequence) else None
    if values is None or values.shape != (2,) or not np.all(np.isfinite(values)):
        raise ValueError(f"Expected `{name}` to be None or a pair {order}, but got {point!r}.")
    return float(values[0]), float(values[1])


def _title(ax, title, default: str) -> None:
    ax.set_title(default if title is None else title)


# --------------------------------------------------------------------------- confusion matrix


def plot_confusion_matrix(
    cm,
    *,
    labels=None,
    normalize: str | None = None,
    ax=None,
    title: str | None = None,
    cmap: str = "Blues",
    colorbar: bool = False,
):
    """Draw a confusion matrix as an annotated heatmap: rows true, columns predicted.

    Parameters
    ----------
    cm : array-like of shape (n_classes, n_classes)
        Counts, with true classes in rows and predicted classes in columns (the layout of
        ``confusion_matrix`` in :mod:`course_utils.metrics` and scikit-learn).
    labels : sequence of str or None, default None
        Class names in index order; None uses 0, 1, ...
    normalize : {None, "true", "pred", "all"}, default None
        Show counts (None), or shares of each true class (rows sum to 1: per-class recall
        on the diagonal), of each predicted class (columns sum to 1: precision on the
        diagonal), or of all samples. Empty rows or columns show 0.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.
    title : str or None, default None
        None gives "Confusion matrix" plus what the shares are of.
    cmap : str, default "Blues"
        A sequential colormap (single hue reads well for colour-blind readers).
    colorbar : bool, default False
        Draw a colour bar.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``cm`` is not square or has negative or non-finite entries, ``labels`` has the
        wrong length, or ``normalize`` is unknown.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_confusion_matrix([[50, 10], [5, 35]], labels=["fraud", "honest"],
    ...                            normalize="true")
    >>> ax.get_xlabel(), ax.get_ylabel(), ax.get_title()
    ('Predicted label', 'True label', 'Confusion matrix (share of each true class)')
    >>> [t.get_text() for t in ax.texts]
    ['0.83', '0.17', '0.12', '0.88']
    """
    import seaborn as sns

    cm = np.asarray(to_numpy(cm), dtype=np.float64)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.size == 0:
        raise ValueError(
            f"Expected `cm` to be a square (n_classes, n_classes) array, but got shape {cm.shape}."
        )
    if not np.all(np.isfinite(cm)) or np.any(cm < 0):
        raise ValueError("Expected `cm` to hold non-negative finite counts.")
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(
            f"Expected `normalize` to be one of None, 'true', 'pred', 'all', but got {normalize!r}."
        )
    n = cm.shape[0]
    labels = [str(k) for k in range(n)] if labels is None else [str(c) for c in labels]
    if len(labels) != n:
        raise ValueError(f"Expected `labels` to name all {n} classes, but got {len(labels)} names.")
    side = min(0.6 * n + 2.5, 9.0)
    ax = _axes(ax, figsize=(side, side - 0.6))

    axis = {"true": 1, "pred": 0, "all": None}.get(normalize)
    if normalize is None:
        whole = np.all(cm == np.round(cm))
        values, fmt = (cm.astype(np.int64), "d") if whole else (cm, ".3g")
    else:
        totals = cm.sum(axis=axis, keepdims=axis is not None)
        values = np.divide(cm, totals, out=np.zeros_like(cm), where=totals > 0)
        fmt = ".2f"
    sns.heatmap(
        values,
        annot=True,
        fmt=fmt,
        cmap=cmap,
        cbar=colorbar,
        square=True,
        ax=ax,
        xticklabels=labels,
        yticklabels=labels,
        linewidths=0.5,
        linecolor="white",
        vmin=0.0,
        vmax=1.0 if normalize else None,
    )
    ax.set_xlabel("Predicted label")
    ax.set_ylabel("True label")
    ax.tick_params(axis="y", labelrotation=0)
    what = {
        None: "",
        "true": " (share of each true class)",
        "pred": " (share of each predicted class)",
        "all": " (share of all samples)",
    }[normalize]
    _title(ax, title, f"Confusion matrix{what}")
    return ax


# --------------------------------------------------------------------------- curves


def plot_pr_curve(
    precision,
    recall,
    *,
    operating_point=None,
    operating_label: str = "operating point",
    average_precision: float | None = None,
    prevalence: float | None = None,
    label: str | None = None,
    ax=None,
    title: str | None = None,
):
    """Draw a precision-recall curve, optionally with the model's operating point.

    Parameters
    ----------
    precision, recall : array-like of shape (n,)
        As returned by ``precision_recall_curve`` (same length; recall on the x-axis).
    operating_point : (precision, recall) or None, default None
        The precision and recall at the threshold in use (in that order, as the
        arguments), marked with a dot.
    operating_label : str, default "operating point"
        Legend text of the dot, e.g. "threshold 0.5".
    average_precision : float or None, default None
        Shown in the legend when given.
    prevalence : float in [0, 1] or None, default None
        Share of positives: draws the no-skill line (a random ranking's precision).
    label : str or None, default None
        Legend text of the curve (e.g. the model's name).
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure. Call again with the same ``ax`` to compare
        models: each curve takes the next colour.
    title : str or None, default None
        None gives "Precision-recall curve".

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the arrays differ in length, hold values outside [0, 1] or NaN, or the operating
        point or prevalence is invalid.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_pr_curve([0.5, 0.67, 1.0, 1.0], [1.0, 1.0, 0.5, 0.0],
    ...                    operating_point=(0.67, 1.0), prevalence=0.5, label="GRU")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Recall', 'Precision')
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['GRU', 'no skill (prevalence 0.50)', 'operating point']
    """
    precision = _unit_interval(precision, name="precision")
    recall = _unit_interval(recall, name="recall")
    _same_length(precision, recall, ("precision", "recall"))
    point = _point(operating_point, name="operating_point", order="(precision, recall)")
    ax = _axes(ax)
    color = _next_color(ax)
    text = label or "model"
    if average_precision is not None:
        text += f" (AP = {float(average_precision):.3f})"
    ax.plot(recall, precision, drawstyle="steps-post", color=color, label=text, gid=_CURVE)
    if prevalence is not None:
        if not 0.0 <= float(prevalence) <= 1.0:
            raise ValueError(f"Expected `prevalence` to be in [0, 1], but got {prevalence}.")
        ax.axhline(
            float(prevalence),
            color="0.5",
            linestyle="--",
            linewidth=1,
            label=f"no skill (prevalence {float(prevalence):.2f})",
        )
    if point is not None:
        ax.plot(
            point[1],
            point[0],
            "o",
            markersize=8,
            color=color,
            markeredgecolor="black",
            label=operating_label,
            zorder=3,
        )
    _finish_unit_square(ax, "Recall", "Precision")
    _title(ax, title, "Precision-recall curve")
    return ax


def plot_roc_curve(
    fpr,
    tpr,
    *,
    operating_point=None,
    operating_label: str = "operating point",
    roc_auc: float | None = None,
    label: str | None = None,
    ax=None,
    title: str | None = None,
):
    """Draw a ROC curve with the chance diagonal, optionally with the operating point.

    Parameters
    ----------
    fpr, tpr : array-like of shape (n,)
        False- and true-positive rates as returned by ``roc_curve``.
    operating_point : (fpr, tpr) or None, default None
        The rates at the threshold in use (in that order, as the arguments), marked with a
        dot.
    operating_label : str, default "operating point"
        Legend text of the dot.
    roc_auc : float or None, default None
        Shown in the legend when given.
    label : str or None, default None
        Legend text of the curve.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure. Repeated calls on one ``ax`` compare models.
    title : str or None, default None
        None gives "ROC curve".

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the arrays differ in length, hold values outside [0, 1] or NaN, or the operating
        point is invalid.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_roc_curve([0.0, 0.0, 0.5, 1.0], [0.0, 0.5, 1.0, 1.0], roc_auc=0.875)
    >>> ax.get_xlabel(), ax.get_ylabel(), ax.get_title()
    ('False positive rate', 'True positive rate (recall)', 'ROC curve')
    """
    fpr = _unit_interval(fpr, name="fpr")
    tpr = _unit_interval(tpr, name="tpr")
    _same_length(fpr, tpr, ("fpr", "tpr"))
    point = _point(operating_point, name="operating_point", order="(fpr, tpr)")
    ax = _axes(ax)
    color = _next_color(ax)
    if not any(line.get_gid() == "chance" for line in ax.get_lines()):
        ax.plot(
            [0, 1], [0, 1], color="0.5", linestyle="--", linewidth=1, label="chance", gid="chance"
        )
    text = label or "model"
    if roc_auc is not None:
        text += f" (AUC = {float(roc_auc):.3f})"
    ax.plot(fpr, tpr, color=color, label=text, gid=_CURVE)
    if point is not None:
        ax.plot(
            point[0],
            point[1],
            "o",
            markersize=8,
            color=color,
            markeredgecolor="black",
            label=operating_label,
            zorder=3,
        )
    _finish_unit_square(ax, "False positive rate", "True positive rate (recall)")
    _title(ax, title, "ROC curve")
    return ax


def _unit_interval(a, *, name: str) -> np.ndarray:
    a = _vector(a, name=name)
    if a.min() < 0 or a.max() > 1:
        raise ValueError(
            f"Expected `{name}` to hold values in [0, 1], but got values from {a.min():g} to "
            f"{a.max():g}."
        )
    return a


def _finish_unit_square(ax, xlabel: str, ylabel: str) -> None:
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.02)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize="small")


# --------------------------------------------------------------------------- training


def _history_curves(history) -> tuple[dict[str, list], int | None]:
    """Per-epoch series by name, and the best epoch if the history knows it."""
    if isinstance(history, Mapping):
        return dict(history), None
    if hasattr(history, "curves"):
        return history.curves(), getattr(history, "best_epoch", None)
    raise TypeError(
        "Expected `history` to be a History from course_utils.training.fit or a dict of "
        f"name -> per-epoch values, but got {type(history).__name__}."
    )


def plot_learning_curves(
    history,
    *,
    metric: str | None = None,
    ax=None,
    title: str | None = None,
    mark_best: bool = True,
):
    """Draw training and validation curves per epoch: the first check for over-fitting.

    Parameters
    ----------
    history : History or dict
        What ``course_utils.training.fit`` returned, or a dict with per-epoch lists such as
        ``{"train_loss": [...], "val_loss": [...], "train_f1": [...], "val_f1": [...]}``.
    metric : str or None, default None
        None draws ``train_loss``/``val_loss``; a name ``m`` draws ``train_m``/``val_m``.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.
    title : str or None, default None
        None gives "Learning curves: <metric>".
    mark_best : bool, default True
        Draw a dotted line at the history's ``best_epoch`` (when it has one).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the history has neither ``train_<metric>`` nor ``val_<metric>``.
    TypeError
        If ``history`` is neither a History nor a dict.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_learning_curves({"train_loss": [0.9, 0.5, 0.3], "val_loss": [1.0, 0.7, 0.8]})
    >>> ax.get_xlabel(), ax.get_ylabel(), [line.get_label() for line in ax.get_lines()]
    ('Epoch', 'Loss', ['train', 'validation'])
    """
    curves, best_epoch = _history_curves(history)
    key = "loss" if metric is None else str(metric)
    found = {split: curves.get(f"{split}_{key}") for split in ("train", "val")}
    if not any(found.values()):
        names = sorted({k.split("_", 1)[1] for k in curves if "_" in k})
        raise ValueError(
            f"Expected `metric` to be None (loss) or one of {names}, the names in `history`, "
            f"but got {metric!r}."
        )
    ax = _axes(ax)
    colors = _colors()
    for (split, values), color, name in zip(
        found.items(), colors[:2], ("train", "validation"), strict=True
    ):
        if values:
            values = _vector(values, name=f"history['{split}_{key}']")
            ax.plot(
                np.arange(1, len(values) + 1),
                values,
                marker="o",
                markersize=3,
                color=color,
                label=name,
            )
    if mark_best and best_epoch is not None:
        ax.axvline(best_epoch, color="0.4", linestyle=":", linewidth=1.2)
        late = best_epoch > (len(found["train"] or found["val"]) + 1) / 2
        ax.annotate(
            f"best epoch {best_epoch}",
            xy=(best_epoch, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-4 if late else 4, -12),  # keep the label inside the axes
            textcoords="offset points",
            ha="right" if late else "left",
            fontsize="small",
            color="0.3",
        )
    ax.set_xlabel("Epoch")
    ax.set_ylabel("Loss" if metric is None else key)
    ax.legend(loc="best", fontsize="small")
    _title(ax, title, f"Learning curves: {'loss' if metric is None else key}")
    return ax


# --------------------------------------------------------------------------- sweeps


def _series(values, *, n: int, name: str, hint: str = "") -> dict[str, np.ndarray]:
    """``{name: (n,) array}`` from a Mapping of arrays or one array."""
    items = values.items() if isinstance(values, Mapping) else [(None, values)]
    out = {}
    for key, v in items:
        label = name if key is None else f"{name}[{key!r}]"
        array = _vector(v, name=label)
        if array.size != n:
            raise ValueError(
                f"Expected `{label}` to have {n} values, one per x value, but got "
                f"{array.size}.{hint}"
            )
        out[key] = array
    if not out:
        raise ValueError(f"Expected `{name}` to hold at least one series, but it is empty.")
    return out


def plot_metric_vs_threshold(
    thresholds,
    values,
    *,
    threshold: float | None = None,
    ax=None,
    title: str | None = None,
    ylabel: str = "Score",
):
    """Draw how metrics change with the decision threshold, optionally marking the one in use.

    Parameters
    ----------
    thresholds : array-like of shape (n,)
        Thresholds on the positive-class score, e.g. ``np.linspace(0, 1, 101)``.
    values : dict of str to array-like of shape (n,)
        One curve per metric, e.g. ``{"precision": p, "recall": r, "F1": f}``.
    threshold : float or None, default None
        The threshold in use, drawn as a vertical dashed line.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.
    title : str or None, default None
        None gives "Metrics against decision threshold".
    ylabel : str, default "Score"
        Label of the y-axis.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If a curve's length differs from ``thresholds`` (``precision_recall_curve`` returns
        one point more than thresholds: drop its last with ``[:-1]``) or holds NaN.
    TypeError
        If ``values`` is not a dict.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> t = [0.1, 0.5, 0.9]
    >>> ax = plot_metric_vs_threshold(t, {"precision": [0.2, 0.6, 0.9], "recall": [1, 0.7, 0.1]},
    ...                               threshold=0.5)
    >>> ax.get_xlabel(), [line.get_label() for line in ax.get_lines()][:2]
    ('Decision threshold', ['precision', 'recall'])
    """
    thresholds = _vector(thresholds, name="thresholds")
    if not isinstance(values, Mapping):
        raise TypeError(
            "Expected `values` to be a dict of metric name -> values per threshold, but got "
            f"{type(values).__name__}."
        )
    series = _series(
        values,
        n=thresholds.size,
        name="values",
        hint=" precision_recall_curve returns one point more than thresholds: drop the last "
        "with [:-1].",
    )
    ax = _axes(ax)
    for (name, v), color in zip(series.items(), _colors(len(series)), strict=True):
        ax.plot(thresholds, v, color=color, label=str(name))
    if threshold is not None:
        ax.axvline(
            float(threshold),
            color="0.3",
            linestyle="--",
            linewidth=1,
            label=f"threshold {float(threshold):.2f}",
        )
    ax.set_xlabel("Decision threshold")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize="small")
    _title(ax, title, "Metrics against decision threshold")
    return ax


def _report_series(data) -> dict[str, tuple[np.ndarray, np.ndarray, list[str]]]:
    """``{name: (x, values, tick labels)}`` from length reports or lists of their rows."""
    reports = data if isinstance(data, Mapping) else {None: data}
    out = {}
    for name, report in reports.items():
        rows = getattr(report, "rows", report)
        if (
            not isinstance(rows, Sequence)
            or not rows
            or not all(
                isinstance(r, Mapping) and {"min_length", "max_length", "value"} <= r.keys()
                for r in rows
            )
        ):
            raise TypeError(
                "Expected `data` to be a report from course_utils.metrics.per_length_report "
                "(or its rows, or a dict of name -> report), or lengths with `values`, but got "
                f"{type(report).__name__}."
            )
        x = np.array([(r["min_length"] + r["max_length"]) / 2 for r in rows], dtype=np.float64)
        y = np.array([r["value"] for r in rows], dtype=np.float64)
        ticks = [str(r.get("lengths", f"{r['min_length']}-{r['max_length']}")) for r in rows]
        label = name if name is not None else getattr(report, "metric", None)
        out[label] = (x, y, ticks)
    return out


def plot_metric_vs_length(
    data,
    values=None,
    *,
    chance: float | None = None,
    ax=None,
    title: str | None = None,
    xlabel: str = "Sequence length",
    ylabel: str | None = None,
):
    """Draw a metric against sequence length: does the model get worse on long sequences?

    Two ways to call it:

    - ``plot_metric_vs_length(report)`` with a report from
      ``course_utils.metrics.per_length_report`` (or its ``rows``, or a dict of
      name -> report to compare models): one point per length bucket, ticks labelled
      with the buckets; empty buckets (value NaN) leave a gap.
    - ``plot_metric_vs_length(lengths, values)`` with lengths ``(n,)`` and values ``(n,)``
      or a dict of name -> ``(n,)`` (e.g. test accuracy per training length for an RNN
      and a GRU).

    Parameters
    ----------
    data : report, list of dict, dict of reports, or array-like of shape (n,)
        The report(s), or the lengths when ``values`` is given.
    values : array-like of shape (n,), dict of str to array-like, or None, default None
        The metric at each length.
    chance : float or None, default None
        Draws a dashed line at the score of guessing (e.g. 0.5 for balanced binary).
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.
    title : str or None, default None
        None gives "<ylabel> by sequence length".
    xlabel : str, default "Sequence length"
        Label of the x-axis.
    ylabel : str or None, default None
        None uses the report's metric name, or "Score".

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``values`` do not have one entry per length.
    TypeError
        If ``data`` is neither report-like nor array-like.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_metric_vs_length([10, 50, 100], {"GRU": [1.0, 1.0, 0.98],
    ...                                            "RNN": [1.0, 0.55, 0.5]}, chance=0.5,
    ...                            ylabel="Test accuracy")
    >>> ax.get_title(), [line.get_label() for line in ax.get_lines()][:2]
    ('Test accuracy by sequence length', ['GRU', 'RNN'])
    >>> rows = [{"lengths": "7-15", "min_length": 7, "max_length": 15, "value": 0.97},
    ...         {"lengths": "16-29", "min_length": 16, "max_length": 29, "value": 0.99}]
    >>> [t.get_text() for t in plot_metric_vs_length(rows).get_xticklabels()]
    ['7-15', '16-29']
    """
    if values is None:
        series = _report_series(data)
        ticks = next(iter(series.values()))[2]
    else:
        lengths = _vector(data, name="data (lengths)")
        named = _series(values, n=lengths.size, name="values")
        series = {k: (lengths, v, None) for k, v in named.items()}
        ticks = None
    ax = _axes(ax)
    for (name, (x, y, _)), color in zip(series.items(), _colors(len(series)), strict=True):
        ax.plot(x, y, marker="o", color=color, label=None if name is None else str(name))
    if ticks is not None:
        ax.set_xticks(next(iter(series.values()))[0], ticks)
    if chance is not None:
        ax.axhline(
            float(chance),
            color="0.5",
            linestyle="--",
            linewidth=1,
            label=f"chance ({float(chance):.2f})",
        )
    if ylabel is None:
        names = [
            getattr(r, "metric", None)
            for r in (data.values() if isinstance(data, Mapping) and values is None else [data])
        ]
        ylabel = next((str(m) for m in names if isinstance(m, str)), "Score")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if any(line.get_label() and not line.get_label().startswith("_") for line in ax.get_lines()):
        ax.legend(loc="best", fontsize="small")
    _title(ax, title, f"{ylabel} by sequence length")
    return ax


# --------------------------------------------------------------------------- forecasting


def plot_forecast(
    actual,
    predicted,
    *,
    start: int | None = None,
    time=None,
    train_end: int | None = None,
    ax=None,
    title: str | None = None,
    ylabel: str = "Value",
):
    """Draw a series and forecasts of part of it, optionally marking the end of training.

    Parameters
    ----------
    actual : array-like of shape (T,)
        The whole observed series.
    predicted : array-like of shape (m,) or dict of str to array-like of shape (m,)
        One-step-ahead forecasts of ``actual[start : start + m]``; a dict draws several
        (e.g. ``{"GRU": f, "persistence": naive}``).
    start : int or None, default None
        Index in ``actual`` of the first forecast; None means the forecasts cover the end
        of the series (``start = T - m``).
    time : array-like of shape (T,) or None, default None
        x values for ``actual`` (e.g. dates); None uses 0..T-1.
    train_end : int or None, default None
        Index where the test period begins, drawn as a vertical line.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new (wide) figure.
    title : str or None, default None
        None gives "Forecasts against the observed series".
    ylabel : str, default "Value"
        Label of the y-axis (e.g. "Passengers (thousands)").

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the forecasts do not fit inside ``actual`` from ``start``, or ``time`` or
        ``train_end`` do not fit ``actual``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_forecast([1, 2, 3, 4, 5, 6], {"model": [4.2, 4.9], "persistence": [4, 5]},
    ...                    train_end=4)
    >>> [line.get_label() for line in ax.get_lines()][:3]
    ['observed', 'model', 'persistence']
    """
    actual = _vector(actual, name="actual")
    if isinstance(predicted, Mapping):
        sizes = {np.size(v) for v in predicted.values()}
        m = sizes.pop() if len(sizes) == 1 else -1
    else:
        m = np.size(predicted)
    if m < 1 or m > actual.size:
        raise ValueError(
            f"Expected `predicted` to hold 1 to {actual.size} forecasts (all series the same "
            "length), one per forecast step of `actual`."
        )
    named = _series(predicted, n=m, name="predicted")
    start = actual.size - m if start is None else int(start)
    if not 0 <= start <= actual.size - m:
        raise ValueError(
            f"Expected `start` to be in [0, {actual.size - m}] so that {m} forecasts fit inside "
            f"`actual`, but got {start}."
        )
    x = np.arange(actual.size) if time is None else np.asarray(time)
    if x.shape != actual.shape:
        raise ValueError(
            f"Expected `time` to have one value per step of `actual` ({actual.size}), but got "
            f"shape {x.shape}."
        )
    ax = _axes(ax, figsize=(8.0, 3.5))
    ax.plot(x, actual, color="0.25", linewidth=1.5, label="observed")
    for (name, f), color in zip(named.items(), _colors(len(named)), strict=True):
        ax.plot(
            x[start : start + m],
            f,
            color=color,
            linewidth=1.5,
            marker=".",
            label="forecast" if name is None else str(name),
        )
    if train_end is not None:
        if not 0 <= int(train_end) < actual.size:
            raise ValueError(
                f"Expected `train_end` to be an index in [0, {actual.size - 1}], but got "
                f"{train_end}."
            )
        ax.axvline(
            x[int(train_end)], color="0.5", linestyle="--", linewidth=1, label="test period begins"
        )
    ax.set_xlabel("Time" if time is None else "Date")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize="small")
    _title(ax, title, "Forecasts against the observed series")
    return ax


# --------------------------------------------------------------------------- calibration


def plot_reliability_diagram(
    y_true,
    y_prob,
    *,
    n_bins: int = 10,
    ax=None,
    label: str | None = None,
    strategy: str = "uniform",
    pos_label=None,
    show_counts: bool = True,
    title: str | None = None,
):
    """Draw a reliability diagram: fraction of positives against mean predicted probability.

    Each non-empty bin of the probabilities gives one point (from
    :func:`course_utils.metrics.calibration_curve`); a calibrated model's points lie on the
    dashed diagonal. Points below it mean over-confident positive scores, above it
    under-confident ones. The number of steps in each bin is written next to its point, since
    a point from a handful of steps says little. The legend gives the expected calibration
    error (:func:`course_utils.metrics.expected_calibration_error`, same bins).

    Parameters
    ----------
    y_true : array-like of labels
        True labels (0/1, bools, or any two labels with ``pos_label``).
    y_prob : array-like of float in [0, 1], same shape as ``y_true``
        Predicted probability of the positive class (apply ``torch.sigmoid`` to logits).
    n_bins : int, default 10
        Number of bins.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure. Call again with the same ``ax`` to compare
        models (before and after recalibration): each curve takes the next colour and marker.
    label : str or None, default None
        Legend text of the curve (e.g. "GRU, raw").
    strategy : {"uniform", "quantile"}, default "uniform"
        Equal-width bins, or bins holding about equally many steps.
    pos_label : label, optional
        The positive class; default 1 for 0/1 labels.
    show_counts : bool, default True
        Write each bin's number of steps next to its point.
    title : str or None, default None
        None gives "Reliability diagram".

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError, TypeError
        As :func:`course_utils.metrics.calibration_curve` for bad inputs; TypeError if
        ``ax`` is not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> y_true = [0, 0, 0, 1, 0, 1, 1, 1]
    >>> y_prob = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9]
    >>> ax = plot_reliability_diagram(y_true, y_prob, n_bins=2, label="GRU")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Mean predicted probability', 'Fraction of positives')
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['perfectly calibrated', 'GRU (ECE = 0.000)']
    >>> [t.get_text() for t in ax.texts]
    ['n=4', 'n=4']
    """
    from course_utils.metrics import calibration_curve, expected_calibration_error

    if not isinstance(show_counts, bool):
        raise TypeError(f"Expected `show_counts` to be True or False, but got {show_counts!r}.")
    options = {"pos_label": pos_label, "n_bins": n_bins, "strategy": strategy}
    prob_true, prob_pred, counts = calibration_curve(y_true, y_prob, return_counts=True, **options)
    ece = expected_calibration_error(y_true, y_prob, **options)
    ax = _axes(ax, figsize=(5.0, 5.0))
    if not any(line.get_gid() == "diagonal" for line in ax.get_lines()):
        ax.plot(
            [0, 1],
            [0, 1],
            color="0.5",
            linestyle="--",
            linewidth=1,
            label="perfectly calibrated",
            gid="diagonal",
        )
    n_curves = sum(1 for line in ax.get_lines() if line.get_gid() == _CURVE)
    color = _next_color(ax)
    marker = "osD^v<>ph*"[n_curves % 10]  # shape as well as colour tells the curves apart
    ax.plot(
        prob_pred,
        prob_true,
        marker=marker,
        markeredgecolor="black",
        color=color,
        label=f"{label or 'model'} (ECE = {ece:.3f})",
        gid=_CURVE,
    )
    if show_counts:
        for x, y, n in zip(prob_pred, prob_true, counts, strict=True):
            ax.annotate(
                f"n={int(n)}",
                (x, y),
                textcoords="offset points",
                xytext=(4, -12 - 10 * n_curves),
                fontsize="x-small",
                color="0.15",
            )
    _finish_unit_square(ax, "Mean predicted probability", "Fraction of positives")
    ax.set_aspect("equal")
    _title(ax, title, "Reliability diagram")
    return ax


_STYLES = ["-", "--", "-.", ":"]  # with the palette: classes differ in colour and in line style


def plot_one_vs_rest_curves(
    y_true,
    y_score,
    *,
    curve: str = "roc",
    labels=None,
    class_names=None,
    micro: bool = True,
    ax=None,
    title: str | None = None,
):
    """Draw one ROC or precision-recall curve per class, each class scored against the rest.

    Each class has its own colour and line style (so the curves stay apart without colour);
    the legend gives each class's ROC AUC or average precision. With ``micro=True`` a black
    dashed curve pools every (step, class) pair: the micro average.

    Parameters
    ----------
    y_true : array-like of labels
        True class labels (class indices, ints, bools or strings).
    y_score : array-like of float of shape (*y_true.shape, n_classes)
        One column of scores per class in sorted label order (e.g. softmax outputs).
    curve : {"roc", "pr"}, default "roc"
        ROC curves (with the chance diagonal) or precision-recall curves.
    labels : array-like, optional
        All classes, sorted, one per column, when not all occur in ``y_true``.
    class_names : list of str, optional
        Display names, one per column; default the labels themselves.
    micro : bool, default True
        Also draw the micro-averaged curve.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.
    title : str or None, default None
        None gives "One-vs-rest ROC curves" or "One-vs-rest precision-recall curves".

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError, TypeError
        As :func:`course_utils.metrics.one_vs_rest_curves`; also if ``class_names`` has the
        wrong length or ``micro`` is not a bool.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> y_true = [0, 1, 2, 2]
    >>> y_score = [[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]]
    >>> ax = plot_one_vs_rest_curves(y_true, y_score, class_names=["a", "b", "c"])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['chance', 'a (AUC = 1.000)', 'b (AUC = 0.667)', 'c (AUC = 0.875)', 'micro-average (AUC = 0.891)']
    """
    from course_utils.metrics import one_vs_rest_curves

    if not isinstance(micro, bool):
        raise TypeError(f"Expected `micro` to be True or False, but got {micro!r}.")
    curves = one_vs_rest_curves(y_true, y_score, curve=curve, labels=labels)
    classes = list(curves)[:-1]  # the classes in column order; the last entry is "micro"
    if class_names is None:
        names = [str(c) for c in classes]
    else:
        names = [str(n) for n in class_names]
        if len(names) != len(classes):
            raise ValueError(
                f"Expected `class_names` to name all {len(classes)} classes, but got "
                f"{len(names)} names."
            )
    ax = _axes(ax, figsize=(5.5, 4.5))
    if curve == "roc":
        ax.plot([0, 1], [0, 1], color="0.5", linestyle="--", linewidth=1, label="chance")
    drawn = [
        (curves[c], name, {"color": _colors()[k % 10], "linestyle": _STYLES[k % 4]})
        for k, (c, name) in enumerate(zip(classes, names, strict=True))
    ]
    if micro:
        pooled_style = {"color": "black", "linestyle": "--", "linewidth": 2}
        drawn.append((curves["micro"], "micro-average", pooled_style))
    for points, name, style in drawn:
        if curve == "roc":
            fpr, tpr, _ = points
            area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))  # = roc_auc_score
            ax.plot(fpr, tpr, label=f"{name} (AUC = {area:.3f})", gid=_CURVE, **style)
        else:
            precision, recall, _ = points
            area = float(-np.sum(np.diff(recall) * precision[:-1]))  # = average_precision
            ax.plot(
                recall,
                precision,
                drawstyle="steps-post",
                label=f"{name} (AP = {area:.3f})",
                gid=_CURVE,
                **style,
            )
    if curve == "roc":
        _finish_unit_square(ax, "False positive rate", "True positive rate")
    else:
        _finish_unit_square(ax, "Recall", "Precision")
    default = "One-vs-rest ROC curves" if curve == "roc" else "One-vs-rest precision-recall curves"
    _title(ax, title, default)
    return ax


# --------------------------------------------------------------------------- by horizon


def plot_by_horizon(
    values,
    *,
    low=None,
    high=None,
    reference: float | None = None,
    reference_label: str = "nominal",
    ax=None,
    title: str | None = None,
    ylabel: str = "Error",
):
    """Draw a score at each forecast horizon ``h = 1..H``, one line per model, with bands.

    For the error of multi-step forecasts by horizon (how fast errors build up) and for the
    empirical coverage of intervals by horizon (a reliability figure, with ``reference`` the
    nominal coverage).

    Parameters
    ----------
    values : dict of str to array-like of shape (H,)
        Each model's score at horizons 1..H.
    low, high : dict of str to array-like of shape (H,), optional
        Lower and upper ends of an interval around each model's score (e.g. a bootstrap
        interval), drawn as a shaded band; models missing from them get no band.
    reference : float or None, default None
        A horizontal reference line (e.g. 0.9 for 90% intervals).
    reference_label : str, default "nominal"
        Legend label of the reference line.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.
    title : str or None, default None
        None gives "By forecast horizon".
    ylabel : str, default "Error"
        Label of the y-axis.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``values`` is empty, the models' lengths differ, or a band does not match its
        model's length.
    TypeError
        If ``values`` is not a dict.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_by_horizon({"GRU": [1.0, 2.0, 3.0], "naive": [1.5, 2.0, 2.5]},
    ...                      low={"GRU": [0.5, 1.5, 2.0]}, high={"GRU": [1.5, 2.5, 4.0]})
    >>> [line.get_label() for line in ax.get_lines()]
    ['GRU', 'naive']
    """
    if not isinstance(values, Mapping) or not values:
        raise TypeError(
            "Expected `values` to be a non-empty dict of model name -> one score per horizon."
        )
    series = {str(k): _vector(v, name=f"values[{k!r}]") for k, v in values.items()}
    sizes = {v.size for v in series.values()}
    if len(sizes) != 1:
        raise ValueError(
            f"Expected every model to have the same horizons, but got {sorted(sizes)}."
        )
    horizons = np.arange(1, sizes.pop() + 1)
    bands = {}
    for name, given in (("low", low), ("high", high)):
        if given is None:
            continue
        if not isinstance(given, Mapping):
            raise TypeError(f"Expected `{name}` to be None or a dict like `values`.")
        for k, v in given.items():
            band = _vector(v, name=f"{name}[{k!r}]")
            if band.size != horizons.size:
                raise ValueError(
                    f"Expected `{name}[{k!r}]` to have {horizons.size} values, one per horizon, "
                    f"but got {band.size}."
                )
            bands.setdefault(str(k), {})[name] = band
    ax = _axes(ax, figsize=(6.5, 4.0))
    markers = "osD^vP*X"
    for i, ((name, v), color) in enumerate(zip(series.items(), _colors(len(series)), strict=True)):
        ax.plot(horizons, v, color=color, marker=markers[i % len(markers)], linewidth=1.5,
                label=name)  # fmt: skip
        band = bands.get(name, {})
        if "low" in band and "high" in band:
            ax.fill_between(horizons, band["low"], band["high"], color=color, alpha=0.15,
                            linewidth=0)  # fmt: skip
    if reference is not None:
        ax.axhline(float(reference), color="0.3", linestyle="--", linewidth=1,
                   label=reference_label)  # fmt: skip
    ax.set_xticks(horizons)
    ax.set_xlabel("Forecast horizon h (steps ahead)")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize="small")
    _title(ax, title, "By forecast horizon")
    return ax


# --------------------------------------------------------------------------- segments and events

_HATCHES = ["", "//", "..", "xx", "\\\\", "++"]  # with the palette: labels differ in pattern too


def plot_segments(
    y_true,
    predictions,
    *,
    lengths=None,
    sequences=None,
    names=None,
    background=0,
    ax=None,
    title: str | None = None,
):
    """Draw the segments of a few sequences as bars: the truth, then each tagger, per sequence.

    A segment is a maximal run of one label other than ``background`` (what
    :func:`~course_utils.metrics.span_f1_score` compares with ``scheme="runs"``). Each label
    has its own colour and hatch pattern, so the bars read without colour.

    Parameters
    ----------
    y_true : array-like of shape (N, T)
        True labels per step.
    predictions : dict of str to array-like of shape (N, T)
        Each tagger's predicted labels, by name.
    lengths : array-like of int of shape (N,), optional
        Real steps per sequence; padding is not drawn.
    sequences : sequence of int, optional
        Which sequences to draw (at most 12); default the first 4.
    names : dict of label to str, optional
        Display names of the labels in the legend (default the labels themselves).
    background : label, default 0
        The label outside segments.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.
    title : str or None, default None
        None gives "Segments, sequence by sequence".

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the inputs do not pair up, ``sequences`` is empty, too long or out of range.
    TypeError
        If ``predictions`` is not a dict.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> y = [[0, 1, 1, 1, 0, 2, 2], [2, 2, 0, 0, 1, 1, 0]]
    >>> p = [[0, 1, 2, 1, 0, 2, 2], [2, 2, 2, 0, 1, 1, 0]]
    >>> ax = plot_segments(y, {"tagger": p}, names={1: "job A", 2: "job B"})
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['sequence 0: truth', 'tagger', 'sequence 1: truth', 'tagger']
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['job A', 'job B']
    """
    from matplotlib.patches import Patch

    from course_utils.metrics import extract_spans

    if not isinstance(predictions, Mapping) or not predictions:
        raise TypeError(
            "Expected `predictions` to be a non-empty dict of name -> predicted labels, but "
            f"got {type(predictions).__name__}."
        )
    rows = {"truth": y_true, **{str(k): v for k, v in predictions.items()}}
    steps = {name: _steps_per_sequence(labels) for name, labels in rows.items()}
    for name, counts in steps.items():
        if counts != steps["truth"]:
            first = next(
                (i for i, (a, b) in enumerate(zip(steps["truth"], counts, strict=False)) if a != b),
                min(len(counts), len(steps["truth"])),
            )
            raise ValueError(
                f"Expected `predictions[{name!r}]` to pair up with `y_true`, but sequence "
                f"{first} has {_at(steps['truth'], first)} steps in `y_true` and "
                f"{_at(counts, first)} in {name!r}."
            )
    found = {}
    for name, labels in rows.items():
        found[name] = extract_spans(labels, background=background, lengths=lengths)
    n = len(to_numpy(y_true)) if not isinstance(y_true, list) else len(y_true)
    sequences = list(range(min(n, 4))) if sequences is None else [int(s) for s in sequences]
    if not sequences or len(sequences) > 12 or min(sequences) < 0 or max(sequences) >= n:
        raise ValueError(
            f"Expected `sequences` to hold 1 to 12 sequence indices in [0, {n}), but got "
            f"{sequences!r}."
        )
    labels = sorted({s.label for spans in found.values() for s in spans if s.sequence in sequences})
    names = {} if names is None else dict(names)
    style = {lab: (_colors()[k % 10], _HATCHES[k % len(_HATCHES)]) for k, lab in enumerate(labels)}
    lanes = len(rows)
    ax = _axes(ax, figsize=(7.0, 0.32 * lanes * len(sequences) + 1.2))
    ticks, tick_labels = [], []
    for g, seq in enumerate(sequences):
        for lane, name in enumerate(rows):
            y = -(g * (lanes + 0.8) + lane)
            ticks.append(y)
            tick_labels.append(f"sequence {seq}: {name}" if lane == 0 else name)
            for span in found[name]:
                if span.sequence == seq:
                    color, hatch = style[span.label]
                    ax.broken_barh([(span.start, span.stop - span.start)], (y - 0.35, 0.7),
                                   facecolor=color, edgecolor="black", linewidth=0.5,
                                   hatch=hatch)  # fmt: skip
    ax.set_yticks(ticks, tick_labels)
    ax.set_xlabel("Step")
    ax.grid(axis="y", visible=False)
    handles = [
        Patch(facecolor=style[lab][0], hatch=style[lab][1], edgecolor="black",
              label=str(names.get(lab, lab)))
        for lab in labels
    ]  # fmt: skip
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    _title(ax, title, "Segments, sequence by sequence")
    return ax


def _steps_per_sequence(y) -> list[int]:
    if isinstance(y, list | tuple):
        return [len(row) for row in y]
    arr = to_numpy(y)
    return [arr.shape[-1]] * (arr.shape[0] if arr.ndim > 1 else 1)


def _at(counts: list[int], i: int):
    return counts[i] if i < len(counts) else "no"


def plot_detection_delays(delays, *, max_delay: int = 5, ax=None, title: str | None = None):
    """Draw how late each detector caught the true events: bars per delay, and the misses.

    Parameters
    ----------
    delays : array-like or dict of str to array-like
        Delays in steps, one per true event, NaN for a missed event (what
        :func:`~course_utils.metrics.detection_delays` returns); a dict compares detectors.
    max_delay : int, default 5
        Delays above it share the last bar ("> max_delay").
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.
    title : str or None, default None
        None gives "Detection delay of each true event".

    Returns
    -------
    matplotlib.axes.Axes
        Bar heights are numbers of events on a logarithmic axis (a few late events stay
        visible next to many caught at once); each bar is labelled with its count.

    Raises
    ------
    ValueError
        If a delay is negative or not a whole number, or ``max_delay`` is below 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_detection_delays({"tagger": [0, 0, 0, 1, 7, float("nan")]}, max_delay=3)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['0', '1', '2', '3', '> 3', 'missed']
    >>> [t.get_text() for t in ax.texts]
    ['3', '1', '1', '1']
    """
    if isinstance(max_delay, bool) or not isinstance(max_delay, int) or max_delay < 1:
        raise ValueError(f"Expected `max_delay` to be an int of at least 1, but got {max_delay!r}.")
    series = delays if isinstance(delays, Mapping) else {None: delays}
    ax = _axes(ax, figsize=(6.0, 3.6))
    positions = np.arange(max_delay + 3)
    width = 0.8 / len(series)
    for k, (name, values) in enumerate(series.items()):
        values = np.asarray(to_numpy(values), dtype=np.float64).reshape(-1)
        caught = values[~np.isnan(values)]
        if np.any(caught < 0) or np.any(caught != np.round(caught)):
            bad = caught[(caught < 0) | (caught != np.round(caught))][0]
            raise ValueError(
                f"Expected delays to be whole numbers of steps >= 0 (NaN for a miss), but "
                f"{name or 'delays'} holds {bad}."
            )
        binned = np.bincount(np.minimum(caught, max_delay + 1).astype(np.int64),
                             minlength=max_delay + 2)  # fmt: skip
        counts = [*binned.tolist(), int(np.isnan(values).sum())]
        x = positions + (k - (len(series) - 1) / 2) * width
        shown = np.array(counts, dtype=np.float64)
        bars = ax.bar(x, np.where(shown > 0, shown, np.nan), width=width * 0.95,
                      color=_colors()[k % 10], hatch=_HATCHES[k % len(_HATCHES)],
                      edgecolor="black", linewidth=0.5,
                      label=None if name is None else str(name))  # fmt: skip
        for bar, count in zip(bars, counts, strict=True):
            if count:
                ax.annotate(str(count), (bar.get_x() + bar.get_width() / 2, count),
                            ha="center", va="bottom", fontsize="x-small")  # fmt: skip
    ax.set_yscale("log")
    ax.set_xticks(positions, [str(d) for d in range(max_delay + 1)] + [f"> {max_delay}", "missed"])
    ax.set_xlabel("Delay (steps after the event starts)")
    ax.set_ylabel("True events")
    if len(series) > 1 or None not in series:
        ax.legend(loc="upper right", fontsize="small")
    _title(ax, title, "Detection delay of each true event")
    return ax


# --------------------------------------------------------------------------- uncertainty


def plot_resampled(
    samples,
    *,
    estimate=None,
    interval=None,
    ax=None,
    bins="auto",
    xlabel: str = "Resampled value",
    title: str | None = None,
    estimate_label: str = "on the test set",
    interval_label: str = "95% interval",
):
    """Draw a histogram of resampled values: a bootstrap distribution or a null distribution.

    Parameters
    ----------
    samples : array-like of shape (n_resamples,)
        The statistic on each resample (e.g. ``BootstrapResult.samples``); nan entries
        (a metric undefined on some resamples) are left out.
    estimate : float or None, default None
        The statistic on the data itself, drawn as a solid vertical line.
    interval : (low, high) or None, default None
        An interval, drawn as two dashed vertical lines (a pair or an array of two values,
        such as ``np.quantile(samples, [0.025, 0.975])``).
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.
    bins : int, sequence or str, default "auto"
        Passed to :meth:`matplotlib.axes.Axes.hist`. With "auto", values that take few
        evenly spaced levels (an accuracy on ``n`` items moves in steps of ``1/n``) get one
        bin per level, so the histogram shows no artificial gaps or spikes.
    xlabel : str, default "Resampled value"
        Label of the x-axis (say what was resampled: "Accuracy on a resample of test days").
    title : str or None, default None
        None gives "Resampled values".
    estimate_label, interval_label : str
        Legend entries of the two kinds of line.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``samples`` holds no finite value, or ``interval`` is not an increasing pair.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> draws = np.random.default_rng(0).normal(0.9, 0.01, size=500)
    >>> ax = plot_resampled(draws, estimate=0.9, interval=(0.88, 0.92), xlabel="Accuracy")
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['on the test set', '95% interval']
    """
    values = np.asarray(to_numpy(samples), dtype=np.float64).reshape(-1)
    values = values[~np.isnan(values)]
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError(
            "Expected `samples` to hold finite resampled values (nan entries are dropped), but "
            "none is left, or one is infinite."
        )
    if isinstance(interval, np.ndarray):  # e.g. np.quantile(samples, [0.025, 0.975])
        interval = interval.tolist()
    pair = _point(interval, name="interval", order="(low, high)")
    if pair is not None and pair[0] > pair[1]:
        raise ValueError(f"Expected `interval` to be (low, high) with low <= high, got {interval}.")
    ax = _axes(ax, figsize=(6.0, 3.5))
    color = _colors()[0]
    if isinstance(bins, str) and bins == "auto":
        bins = _lattice_bins(values)
    ax.hist(values, bins=bins, color=color, alpha=0.75, edgecolor="white", linewidth=0.5)
    if estimate is not None:
        ax.axvline(float(estimate), color="0.15", linewidth=2, label=estimate_label)
    if pair is not None:
        for i, end in enumerate(pair):
            ax.axvline(
                end,
                color="0.15",
                linestyle="--",
                linewidth=1.5,
                label=interval_label if i == 0 else "_nolegend_",
            )
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Number of resamples")
    if estimate is not None or pair is not None:
        ax.legend(loc="upper left", fontsize="small")
    _title(ax, title, "Resampled values")
    return ax


def _lattice_bins(values: np.ndarray, max_levels: int = 80):
    """One bin per level when ``values`` sit on an even grid of at most ``max_levels``
    levels (an accuracy on n items, a count); else matplotlib's "auto"."""
    levels = np.unique(values)
    if levels.size < 2:
        return "auto"
    step = float(np.min(np.diff(levels)))
    span = (levels[-1] - levels[0]) / step
    on_grid = np.allclose((levels - levels[0]) / step, np.round((levels - levels[0]) / step))
    if not on_grid or span > max_levels:
        return "auto"
    return levels[0] + step * (np.arange(round(span) + 2) - 0.5)


def plot_intervals(
    estimates,
    lows,
    highs,
    *,
    reference=None,
    labels=None,
    ax=None,
    xlabel: str = "Value",
    title: str | None = None,
    reference_label: str = "true value",
):
    """Draw one interval per row, optionally against a reference value.

    With ``reference`` (the true value of a simulation, or a baseline's score), intervals that
    miss it are drawn dashed, with a cross instead of a dot, and in a second colour, so they
    stand out without colour; the legend counts both kinds.

    Parameters
    ----------
    estimates, lows, highs : array-like of shape (k,)
        Each row's point estimate and interval ends (``low <= estimate <= high`` need not
        hold, but ``low <= high`` must).
    reference : float or None, default None
        A value drawn as a vertical line.
    labels : sequence of str or None, default None
        One label per row (e.g. "RNN, seed 3"); None numbers the rows from 1.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure, taller for more rows.
    xlabel : str, default "Value"
        Label of the x-axis.
    title : str or None, default None
        None gives "Intervals".
    reference_label : str, default "true value"
        Legend entry of the reference line.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the three arrays differ in length, are empty, or a low is above its high, or
        ``labels`` does not have one label per row.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_intervals([0.5, 0.7], [0.4, 0.65], [0.6, 0.75], reference=0.55)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['true value', 'covers it (1)', 'misses it (1)']
    """
    est = _vector(estimates, name="estimates")
    low = _vector(lows, name="lows")
    high = _vector(highs, name="highs")
    _same_length(est, low, ("estimates", "lows"))
    _same_length(est, high, ("estimates", "highs"))
    if np.any(low > high):
        row = int(np.argmax(low > high))
        raise ValueError(
            f"Expected every low <= its high, but row {row} has low {low[row]} > high "
            f"{high[row]}; pass the ends in the order (estimates, lows, highs)."
        )
    if labels is None:
        names = [str(i) for i in range(1, est.size + 1)]
    else:
        names = [str(label) for label in labels]
        if len(names) != est.size:
            raise ValueError(
                f"Expected one label per interval ({est.size}), but got {len(names)} labels."
            )
    per_row = 0.22 if est.size <= 20 else 0.12  # many rows: thinner ones
    ax = _axes(ax, figsize=(6.0, max(2.5, 0.5 + per_row * est.size)))
    rows = np.arange(est.size)[::-1]  # the first interval on top
    covers = np.ones(est.size, dtype=bool)
    if reference is not None:
        reference = float(reference)
        covers = (low <= reference) & (reference <= high)
        ax.axvline(reference, color="0.15", linewidth=1.5, label=reference_label)
    hit, miss = _colors()[0], _colors()[3]
    for kind, keep, color, style, marker in (
        ("covers it", covers, hit, "-", "o"),
        ("misses it", ~covers, miss, "--", "X"),
    ):
        if not keep.any():
            continue
        ax.hlines(rows[keep], low[keep], high[keep], color=color, linestyle=style, linewidth=1.8)
        label = f"{kind} ({int(keep.sum())})" if reference is not None else None
        ax.plot(est[keep], rows[keep], linestyle="none", marker=marker, color=color, label=label)
    ax.set_yticks(rows, names)
    if est.size > 30:  # too many rows to name: keep a few ticks
        step = int(np.ceil(est.size / 10))
        ax.set_yticks(rows[::step], names[::step])
    ax.set_xlabel(xlabel)
    if reference is not None:
        ax.legend(loc="best", fontsize="small")
    _title(ax, title, "Intervals")
    return ax
