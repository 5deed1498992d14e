// Threshold explorer (course_utils/explorer.py): each [data-explorer] root embeds its data as
// JSON; the slider picks an index into data.thresholds, and the numbers, the PR marker, the
// threshold line and the cost marker follow. Rates are derived exactly as explorer._with_rates.
(function () {
  "use strict";

  function rates(d, i) {
    var tp = d.tp[i],
      fp = d.fp[i],
      fn = d.fn[i];
    var out = {
      threshold: d.thresholds[i],
      tp: tp,
      fp: fp,
      fn: fn,
      tn: d.tn[i],
      precision: tp + fp ? tp / (tp + fp) : null,
      recall: tp / (tp + fn),
      f1: (2 * tp) / (2 * tp + fp + fn),
    };
    if (d.costs) out.cost = d.costs.fp * fp + d.costs.fn * fn;
    return out;
  }

  var COUNTS = { tp: true, fp: true, fn: true, tn: true, cost: true };

  function format(key, v) {
    if (v === null) return "n/a";
    if (COUNTS[key]) return Number.isInteger(v) ? String(v) : v.toFixed(3);
    return v.toFixed(3);
  }

  function xOf(d, t) {
    var g = d.dist;
    var frac = (t - g.low) / (g.high - g.low);
    return g.left + Math.min(1, Math.max(0, frac)) * g.width;
  }

  function setup(root) {
    root.setAttribute("data-explorer-ready", "");
    var d = JSON.parse(root.querySelector("script[data-explorer-data]").textContent);
    var slider = root.querySelector("input[type=range]");
    var marker = root.querySelector("[data-pr-marker]");
    var line = root.querySelector("[data-threshold-line]");
    var costMarker = root.querySelector("[data-cost-marker]");

    function show() {
      var i = Number(slider.value);
      var m = rates(d, i);
      Object.keys(m).forEach(function (key) {
        var el = root.querySelector('[data-metric="' + key + '"]');
        if (!el) return;
        var v = m[key];
        el.setAttribute("data-value", v === null ? "" : String(v));
        el.textContent = format(key, v);
      });
      slider.setAttribute("aria-valuetext", "threshold " + m.threshold.toFixed(3));
      if (m.precision === null) {
        marker.setAttribute("visibility", "hidden");
      } else {
        marker.removeAttribute("visibility");
        marker.setAttribute("cx", (d.plot.left + m.recall * d.plot.width).toFixed(1));
        marker.setAttribute("cy", (d.plot.top + (1 - m.precision) * d.plot.height).toFixed(1));
      }
      var x = xOf(d, m.threshold).toFixed(1);
      if (line) {
        line.setAttribute("x1", x);
        line.setAttribute("x2", x);
      }
      if (costMarker && d.costs) {
        costMarker.setAttribute("cx", x);
        costMarker.setAttribute("cy", d.dist.costY[i].toFixed(1));
      }
    }
    slider.addEventListener("input", show);
    show();
  }

  function setupAll() {
    document
      .querySelectorAll("[data-explorer]:not([data-explorer-ready])")
      .forEach(function (root) {
        try {
          setup(root);
        } catch (err) {
          console.error("course_utils explorer:", err);
        }
      });
  }

  window.CourseUtilsExplorer = { setupAll: setupAll, rates: rates };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupAll);
  else setupAll();
})();
