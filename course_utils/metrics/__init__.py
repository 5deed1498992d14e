"""Metrics for recurrent models, written from scratch and named as in scikit-learn.

Every function takes scikit-learn's positional arguments (``y_true, y_pred`` or
``y_true, y_score``) and keyword-only options, gives the same numbers (and the same warnings)
as its scikit-learn namesake, and adds two options for padded sequences:

- ``mask=``: boolean, True for a real step and False for padding, with the inputs' shape (or
  the shape of their leading axes);
- ``lengths=``: one int per sequence for ``(batch, time, ...)`` inputs; steps
  ``t >= lengths[b]`` are padding.

Given both, a step counts only if both say it is real. Padding is never counted and may hold
anything (NaN scores, ``-100`` labels). Per-step inputs are flattened over their valid steps,
so ``accuracy_score(y_true, y_pred, lengths=lengths)`` on ``(batch, time)`` arrays is the
accuracy over all real steps.

Inputs can be lists, NumPy arrays or torch tensors (CPU or CUDA). Labels may be class
indices ``0, 1, 2, ...``, any ints (negative too), bools or strings, and ``pos_label`` any
label that occurs in the data. Scores are used as given (no sigmoid or softmax is applied).
Classification, ranking and regression metrics take ``sample_weight=`` (one weight per step,
or per sequence).

Where this package differs from scikit-learn, on purpose:

- 2-D labels are per-step labels, not multilabel indicators;
- ``multi_class="ovr"`` accepts score rows that do not sum to 1 (scores are used as given);
- ``classification_report`` raises when ``target_names`` does not match the classes;
- ``matthews_corrcoef`` and ``balanced_accuracy_score`` warn when the data hold a single
  class (scikit-learn warns only about the confusion matrix's shape there).

Modules: :mod:`~course_utils.metrics.counts` (confusion matrix),
:mod:`~course_utils.metrics.classification`, :mod:`~course_utils.metrics.curves` (PR and ROC
curves, counts at thresholds, AP, ROC AUC, one-vs-rest curves),
:mod:`~course_utils.metrics.calibration` (Brier score, log loss, calibration curve, ECE),
:mod:`~course_utils.metrics.regression` (MAE, MSE, RMSE, MASE),
:mod:`~course_utils.metrics.language` (per-token loss, perplexity, bits per token, top-k
next-token accuracy; logits in, averaged over real tokens),
:mod:`~course_utils.metrics.probabilistic` (pinball loss, interval coverage and score, the
scaled interval score, CRPS of normal and ensemble forecasts),
:mod:`~course_utils.metrics.sequences` (sequence accuracy, per-length reports, bootstrap
intervals over whole sequences or blocks of a series),
:mod:`~course_utils.metrics.spans` (segment-level precision, recall and F1 for taggers,
equal to seqeval's), :mod:`~course_utils.metrics.events` (event-level and range-based
scores, the point-adjust trap, detection delays),
:mod:`~course_utils.metrics.resampling` (block schemes, the Politis-White block length),
:mod:`~course_utils.metrics.inference` (McNemar's test, intervals for a proportion, exact
tests of two, the Diebold-Mariano test, adjusted p-values),
:mod:`~course_utils.metrics.roc_inference` (DeLong's test, AUC intervals),
:mod:`~course_utils.metrics.calibration_inference` (calibration slope and intercept, ECE's
noise floor), :mod:`~course_utils.metrics.prior_shift` (the deployment share of positives
from unlabelled scores) and :mod:`~course_utils.metrics.seeds` (results over training
seeds: summaries, differences, sign tests, the two-level bootstrap).

Streams: every metric has a streaming twin, ``stream(metric, **options)``
(:mod:`~course_utils.metrics.stream`), updated batch by batch over a ``DataLoader``, merged
across processes with ``torch.distributed`` and saved as plain arrays; curves and the
scores built on them also take ``thresholds=K`` for constant memory.

Examples
--------
>>> from course_utils.metrics import f1_score, predictions_from_counts
>>> y_true, y_pred = predictions_from_counts(tp=50, fn=10, fp=5, tn=35)
>>> round(f1_score(y_true, y_pred), 3)
0.87
"""

from course_utils.metrics._warnings import UndefinedMetricWarning
from course_utils.metrics.calibration import (
    brier_score_loss,
    calibration_curve,
    expected_calibration_error,
    log_loss,
)
from course_utils.metrics.calibration_inference import (
    CalibrationFit,
    ECEReference,
    calibration_slope_intercept,
    ece_reference,
)
from course_utils.metrics.classification import (
    accuracy_score,
    balanced_accuracy_score,
    classification_report,
    f1_score,
    fbeta_score,
    matthews_corrcoef,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
    specificity_score,
)
from course_utils.metrics.counts import confusion_matrix, predictions_from_counts
from course_utils.metrics.curves import (
    BinningBounds,
    average_precision_score,
    binning_bounds,
    confusion_matrix_at_thresholds,
    one_vs_rest_curves,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from course_utils.metrics.events import (
    detection_delays,
    event_f1_score,
    event_precision_score,
    event_recall_score,
    point_adjust,
    point_adjusted_f1_score,
    range_precision_score,
    range_recall_score,
)
from course_utils.metrics.inference import (
    DieboldMarianoResult,
    McNemarResult,
    TwoProportionResult,
    adjust_pvalues,
    default_lags,
    diebold_mariano_test,
    mcnemar_test,
    proportion_ci,
    two_proportion_test,
)
from course_utils.metrics.language import (
    bits_per_token,
    perplexity,
    token_cross_entropy,
    top_k_accuracy_score,
)
from course_utils.metrics.prior_shift import (
    PriorShiftResult,
    adjust_to_prior,
    estimate_prior_shift,
)
from course_utils.metrics.probabilistic import (
    crps_ensemble,
    crps_gaussian,
    interval_coverage,
    interval_score,
    mean_pinball_loss,
    mean_scaled_interval_score,
)
from course_utils.metrics.regression import (
    mean_absolute_error,
    mean_absolute_scaled_error,
    mean_squared_error,
    root_mean_squared_error,
)
from course_utils.metrics.resampling import BlockLengths, optimal_block_length
from course_utils.metrics.roc_inference import AUCInterval, DeLongResult, delong_test, roc_auc_ci
from course_utils.metrics.seeds import (
    SeedDifference,
    SeedSummary,
    SeedTable,
    SignTestResult,
    min_seeds_for_sign_test,
    paired_seed_difference,
    seed_summary,
    sign_test,
    two_level_bootstrap_ci,
    unpaired_seed_difference,
)
from course_utils.metrics.sequences import (
    BootstrapResult,
    LengthReport,
    bootstrap_ci,
    paired_bootstrap_ci,
    per_length_report,
    sequence_accuracy,
)
from course_utils.metrics.spans import (
    Span,
    extract_spans,
    span_classification_report,
    span_f1_score,
    span_precision_score,
    span_recall_score,
)
from course_utils.metrics.stream import Stream, available_streams, register_stream, stream

__all__ = [
    "AUCInterval",
    "BinningBounds",
    "BlockLengths",
    "BootstrapResult",
    "CalibrationFit",
    "DeLongResult",
    "DieboldMarianoResult",
    "ECEReference",
    "LengthReport",
    "McNemarResult",
    "PriorShiftResult",
    "SeedDifference",
    "SeedSummary",
    "SeedTable",
    "SignTestResult",
    "Span",
    "Stream",
    "TwoProportionResult",
    "UndefinedMetricWarning",
    "accuracy_score",
    "adjust_pvalues",
    "adjust_to_prior",
    "available_streams",
    "average_precision_score",
    "balanced_accuracy_score",
    "binning_bounds",
    "bits_per_token",
    "bootstrap_ci",
    "brier_score_loss",
    "calibration_curve",
    "calibration_slope_intercept",
    "classification_report",
    "confusion_matrix",
    "confusion_matrix_at_thresholds",
    "crps_ensemble",
    "crps_gaussian",
    "default_lags",
    "delong_test",
    "detection_delays",
    "diebold_mariano_test",
    "ece_reference",
    "estimate_prior_shift",
    "event_f1_score",
    "event_precision_score",
    "event_recall_score",
    "expected_calibration_error",
    "extract_spans",
    "f1_score",
    "fbeta_score",
    "interval_coverage",
    "interval_score",
    "log_loss",
    "matthews_corrcoef",
    "mcnemar_test",
    "mean_absolute_error",
    "mean_absolute_scaled_error",
    "mean_pinball_loss",
    "mean_scaled_interval_score",
    "mean_squared_error",
    "min_seeds_for_sign_test",
    "one_vs_rest_curves",
    "optimal_block_length",
    "paired_bootstrap_ci",
    "paired_seed_difference",
    "per_length_report",
    "perplexity",
    "point_adjust",
    "point_adjusted_f1_score",
    "precision_recall_curve",
    "precision_recall_fscore_support",
    "precision_score",
    "predictions_from_counts",
    "proportion_ci",
    "range_precision_score",
    "range_recall_score",
    "recall_score",
    "register_stream",
    "roc_auc_ci",
    "roc_auc_score",
    "roc_curve",
    "root_mean_squared_error",
    "seed_summary",
    "sequence_accuracy",
    "sign_test",
    "span_classification_report",
    "span_f1_score",
    "span_precision_score",
    "span_recall_score",
    "specificity_score",
    "stream",
    "token_cross_entropy",
    "top_k_accuracy_score",
    "two_level_bootstrap_ci",
    "two_proportion_test",
    "unpaired_seed_difference",
]
