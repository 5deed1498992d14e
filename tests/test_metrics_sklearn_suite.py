"""scikit-learn's own metric tests, run against course_utils.metrics.

scikit-learn ships its tests inside the installed package (``sklearn/metrics/tests``). Each
test below is scikit-learn's function, run with every metric it names that
``course_utils.metrics`` also has (``roc_curve``, ``f1_score``, ``log_loss``, ...) swapped for
ours, so its assertions judge our numbers, warnings and errors. The list holds the tests
without arguments that call at least one of our functions and pass; tests of what this
package deliberately does differently (multilabel indicators, ``labels=`` on some metrics,
scikit-learn's exact error texts) are not listed. A test that stops calling any of our
functions fails here, so the list cannot go stale silently.
"""

from __future__ import annotations

import functools
import importlib

import pytest

import course_utils.metrics as cu

SKLEARN_TESTS = {
    "test_ranking": [
        "test_roc_curve_end_points",
        "test_roc_returns_consistency",
        "test_roc_curve_multi",
        "test_roc_curve_confidence",
        "test_roc_curve_hard",
        "test_roc_curve_drop_intermediate",
        "test_precision_recall_curve_drop_intermediate",
        "test_average_precision_constant_values",
        "test_score_scale_invariance",
        "test_metric_at_thresholds_y_score_order",
        "test_metric_at_thresholds_y_score_order_duplicate_y_score",
        "test_metric_at_thresholds_consistency_with_confusion_matrix",
        "test_metric_at_thresholds_with_nan_outputs",
    ],
    "test_classification": [
        "test_classification_report_dictionary_output",
        "test_precision_recall_f1_score_binary",
        "test_precision_recall_f_binary_single_class",
        "test_precision_recall_f_unused_pos_label",
        "test_confusion_matrix_binary",
        "test_confusion_matrix_normalize_single_class",
        "test_confusion_matrix_single_label",
        "test_precision_recall_f1_score_multiclass",
        "test_precision_recall_f1_score_binary_averaged",
        "test_zero_precision_recall",
        "test_confusion_matrix_multiclass_subset_labels",
        "test_classification_report_multiclass",
        "test_classification_report_multiclass_balanced",
        "test_classification_report_multiclass_with_label_detection",
        "test_classification_report_multiclass_with_digits",
        "test_classification_report_multiclass_with_string_label",
        "test_classification_report_multiclass_with_unicode_label",
        "test_classification_report_multiclass_with_long_string_label",
        "test_log_loss_pandas_input",
        "test_brier_score_loss_multiclass",
        "test_balanced_accuracy_score_unseen",
        "test_d2_log_loss_score",
        "test_d2_log_loss_score_missing_labels",
        "test_d2_brier_score",
    ],
    "test_regression": [
        "test_root_mean_squared_error_multioutput_raw_value",
        "test_multioutput_regression",
        "test_regression_metrics_at_limits",
        "test_regression_multioutput_array",
        "test_regression_custom_weights",
    ],
}

CASES = [(module, name) for module, names in SKLEARN_TESTS.items() for name in names]


@pytest.mark.parametrize(("module", "name"), CASES, ids=[f"{m}::{n}" for m, n in CASES])
@pytest.mark.filterwarnings("ignore")
def test_sklearn_test_passes_with_our_metrics(module, name, monkeypatch):
    sklearn_tests = importlib.import_module(f"sklearn.metrics.tests.{module}")
    calls = []

    def counted(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            calls.append(func.__name__)
            return func(*args, **kwargs)

        return wrapper

    for metric in cu.__all__:
        if hasattr(sklearn_tests, metric):
            ours = getattr(cu, metric)
            monkeypatch.setattr(sklearn_tests, metric, counted(ours) if callable(ours) else ours)
    getattr(sklearn_tests, name)()
    assert calls, f"{module}::{name} no longer calls any course_utils metric"
