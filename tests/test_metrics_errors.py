"""Every bad input is an error that names the argument and the fix; never a silent number."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import course_utils.metrics as cu

Y = np.array([[0, 1, 1], [1, 0, 1]])  # (batch, time) labels
S = np.array([[0.1, 0.8, 0.6], [0.7, 0.2, 0.9]])  # matching scores
L = np.array([3, 2])  # lengths

CASES = [
    # --- conversion and shapes
    (lambda: cu.f1_score([[0, 1], [1]], [0, 1]), ValueError, r"`y_true` to be array-like"),
    (lambda: cu.accuracy_score(["a", "b"], [0, 1]), TypeError, r"labels of one kind.*numbers and"),
    (lambda: cu.accuracy_score([0, None], [0, 1]), TypeError, r"`y_true` to hold labels of one"),
    (lambda: cu.roc_auc_score([0, 1], ["a", "b"]), TypeError, r"`y_score` to hold numbers"),
    (lambda: cu.accuracy_score(1, 1), ValueError, r"scalar 1\. Wrap it in a list"),
    (lambda: cu.f1_score([], []), ValueError, r"`y_true` to be non-empty"),
    (lambda: cu.f1_score([0, 1], [0, 1, 1]), ValueError, r"same shape, but got \(2,\) and \(3,\)"),
    (lambda: cu.roc_auc_score(Y, S[..., None]), ValueError, r"y_score\.squeeze\(-1\)"),
    (lambda: cu.accuracy_score(Y, np.zeros((2, 3, 4))), ValueError, r"y_pred\.argmax\(-1\)"),
    # --- lengths=
    (lambda: cu.f1_score(Y, Y, lengths=[3.0, 2.0]), TypeError, r"`lengths` to hold integers"),
    (lambda: cu.f1_score(Y, Y, lengths=[[3, 2]]), ValueError, r"`lengths` to be 1-D"),
    (lambda: cu.f1_score([0, 1], [0, 1], lengths=[2]), ValueError, r"needs inputs shaped"),
    (lambda: cu.f1_score(Y, Y, lengths=[3]), ValueError, r"one entry per sequence \(2"),
    (lambda: cu.f1_score(Y, Y, lengths=[4, 1]), ValueError, r"in \[0, 3\].*but got 4"),
    (lambda: cu.f1_score(Y, Y, lengths=[-1, 1]), ValueError, r"in \[0, 3\].*but got -1"),
    (lambda: cu.f1_score(Y, Y, lengths=[0, 0]), ValueError, r"at least one valid step"),
    # --- mask=
    (lambda: cu.f1_score(Y, Y, mask=Y * 2), ValueError, r"`mask` to hold only True/False or 0/1"),
    (lambda: cu.f1_score(Y, Y, mask=S), TypeError, r"`mask` to be boolean"),
    (lambda: cu.f1_score(Y, Y, mask=[True, False, True]), ValueError, r"`mask` to have the shape"),
    (lambda: cu.f1_score(Y, Y, mask=np.zeros_like(Y, bool)), ValueError, r"at least one valid"),
    (
        lambda: cu.f1_score(Y, Y, mask=[True, False], lengths=[0, 3]),
        ValueError,
        r"every step of `y_true` as padding",
    ),
    # --- labels and scores
    (
        lambda: cu.f1_score([0, -100, 1], [0, 1, 1]),
        ValueError,
        r"at most two classes when average='binary'.*-100 marks padding.*`lengths=`",
    ),
    (lambda: cu.f1_score([0, 1], [0.2, 0.9]), ValueError, r"`y_pred` to hold class labels"),
    (lambda: cu.accuracy_score([0.0, np.nan], [0, 1]), ValueError, r"whole numbers.*nan"),
    (lambda: cu.f1_score([0, 1, 2], [0, 1, 2]), ValueError, r"at most two classes when average="),
    (lambda: cu.recall_score([0, 1], [0, 3]), ValueError, r"found 3: \[0, 1, 3\]"),
    (lambda: cu.roc_auc_score([0, 1, 2], [0.1, 0.2, 0.3]), ValueError, r"two classes.*y_true == k"),
    (lambda: cu.roc_curve([0, 2], [0.1, 0.2]), ValueError, r"0/1 \(or -1/1\).*`pos_label=2`"),
    (lambda: cu.roc_auc_score(Y, np.stack([S, 1 - S], -1)), ValueError, r"`multi_class` to be"),
    (
        lambda: cu.roc_auc_score(
            [0, 1, 1],
            [[0.5, 0.5], [0.2, 0.8], [0.3, 0.7]],
            multi_class="ovo",
            sample_weight=[1, 1, 2],
        ),
        ValueError,
        r"`sample_weight` to be None with multi_class='ovo'",
    ),
    (
        lambda: cu.roc_auc_score([0, 1, 1], np.full((3, 3), 0.3), multi_class="ovr"),
        ValueError,
        r"one column per class of `y_true` \(2",
    ),
    (
        lambda: cu.roc_auc_score(
            [0, 1, 1], np.full((3, 3), 0.3), multi_class="ovr", labels=[2, 1, 0]
        ),
        ValueError,
        r"`labels` to be sorted",
    ),
    (
        lambda: cu.roc_auc_score(
            [0, 1, 2], np.full((3, 3), 0.3), multi_class="ovo", average="micro"
        ),
        ValueError,
        r"'macro' or 'weighted' with multi_class='ovo'",
    ),
    (
        lambda: cu.average_precision_score([0, 1, 2], np.full((3, 3), 0.3), pos_label=2),
        ValueError,
        r"`pos_label` to be left at 1",
    ),
    (
        lambda: cu.average_precision_score([0, 2], [0.1, 0.2]),
        ValueError,
        r"`pos_label` to be one of the labels \[0, 2\]",
    ),
    (lambda: cu.one_vs_rest_curves([0, 1], [0.1, 0.2]), ValueError, r"one column per class"),
    (lambda: cu.one_vs_rest_curves([0, 1], [[0.1, 0.9]] * 2, curve="det"), ValueError, r"`curve`"),
    (
        lambda: cu.f1_score([0, 1], [0, 1], sample_weight=[1.0, -1.0]),
        ValueError,
        r"`sample_weight` to be non-negative",
    ),
    (lambda: cu.f1_score([0, 1], [0, 1], sample_weight=[0, 0]), ValueError, r"all weights are 0"),
    (
        lambda: cu.roc_curve([0, 1], [0.2, 0.8], sample_weight=[1.0]),
        ValueError,
        r"`sample_weight` to have the shape",
    ),
    (
        lambda: cu.mean_squared_error([1.0, 2.0], [1.0, 2.0], sample_weight=[1.0]),
        ValueError,
        r"`sample_weight` to have the shape",
    ),
    (
        lambda: cu.mean_absolute_error([1.0, 2.0], [1.0, 2.0], sample_weight=[0.0, 0.0]),
        ValueError,
        r"all weights are 0",
    ),
    (
        lambda: cu.accuracy_score([0, 1], [0, 1], sample_weight=[1.0, np.nan]),
        ValueError,
        r"`sample_weight` to hold finite",
    ),
    (lambda: cu.roc_auc_score([0, 1], [0.1, np.nan]), ValueError, r"`y_score` to hold finite"),
    (lambda: cu.average_precision_score(Y, S * np.inf), ValueError, r"6 NaN or infinite"),
    (lambda: cu.mean_squared_error([1.0], [np.inf]), ValueError, r"`y_pred` to hold finite"),
    (lambda: cu.mean_absolute_error([np.nan], [1.0]), ValueError, r"`y_true` to hold finite"),
    # --- options
    (lambda: cu.f1_score(Y, Y, average="mean"), ValueError, r"`average` to be one of .*'mean'"),
    (lambda: cu.precision_score(Y, Y, zero_division=2), ValueError, r"`zero_division` to be"),
    (lambda: cu.precision_score(Y, Y, zero_division="nan"), ValueError, r"`zero_division`"),
    (
        lambda: cu.recall_score(Y, Y, pos_label=2),
        ValueError,
        r"`pos_label` to be one of the labels \[0, 1\]",
    ),
    (lambda: cu.recall_score(Y, Y, pos_label=[1]), TypeError, r"`pos_label` to be one label"),
    (lambda: cu.roc_curve(Y, S, pos_label="1"), ValueError, r"`pos_label` to be one of the labels"),
    (lambda: cu.fbeta_score(Y, Y, beta=-1.0), ValueError, r"`beta` to be a float"),
    (lambda: cu.fbeta_score(Y, Y, beta="2"), ValueError, r"`beta` to be a float"),
    (lambda: cu.accuracy_score(Y, Y, normalize="yes"), TypeError, r"`normalize` to be a bool"),
    (lambda: cu.balanced_accuracy_score(Y, Y, adjusted=1), TypeError, r"`adjusted` to be a bool"),
    (lambda: cu.roc_curve(Y, S, drop_intermediate=None), TypeError, r"`drop_intermediate`"),
    (lambda: cu.confusion_matrix(Y, Y, normalize="rows"), ValueError, r"`normalize` to be one"),
    (lambda: cu.confusion_matrix(Y, Y, labels=[[0, 1]]), ValueError, r"`labels` to be 1-D"),
    (lambda: cu.confusion_matrix(Y, Y, labels=[1, 1]), ValueError, r"`labels` to be distinct"),
    (
        lambda: cu.confusion_matrix(Y, Y, labels=["a", "b"]),
        ValueError,
        r"`labels` to hold labels like",
    ),
    (lambda: cu.confusion_matrix(Y, Y, labels=[5, 6]), ValueError, r"none of \[5, 6\] does"),
    (
        lambda: cu.f1_score(Y, Y, average="macro", labels=[0.5]),
        ValueError,
        r"`labels` to hold class labels \(whole",
    ),
    # --- classification_report
    (
        lambda: cu.classification_report(Y, Y, target_names=["a"]),
        ValueError,
        r"`target_names` to have one name per reported class \(2",
    ),
    (lambda: cu.classification_report(Y, Y, digits=-1), ValueError, r"`digits` to be"),
    (lambda: cu.classification_report(Y, Y, output_dict="no"), TypeError, r"`output_dict`"),
    # --- regression options
    (
        lambda: cu.mean_squared_error(S, S, multioutput="mean"),
        ValueError,
        r"`multioutput` to be 'uniform_average', 'raw_values' or an array of 3 weights",
    ),
    (
        lambda: cu.mean_squared_error([1.0, 2.0], [1.0, 2.0], multioutput=[1.0]),
        ValueError,
        r"weights only for several outputs",
    ),
    (
        lambda: cu.mean_squared_error(S, S, multioutput=[0.5, 0.5]),
        ValueError,
        r"one weight per output \(3\)",
    ),
    # --- predictions_from_counts
    (lambda: cu.predictions_from_counts(tp=1.5, fn=0, fp=0, tn=0), TypeError, r"`tp` to be an int"),
    (
        lambda: cu.predictions_from_counts(tp=1, fn=-2, fp=0, tn=0),
        ValueError,
        r"`fn` to be an int >= 0",
    ),
    (lambda: cu.predictions_from_counts(tp=0, fn=0, fp=0, tn=0), ValueError, r"to be positive"),
    # --- sequences
    (lambda: cu.sequence_accuracy([0, 1], [0, 1]), ValueError, r"shaped \(batch, time, \.\.\.\)"),
    (lambda: cu.sequence_accuracy(Y, S, lengths=L), ValueError, r"`y_pred` to hold class"),
    (
        lambda: cu.per_length_report(Y, Y, L, metric=cu.f1_score),
        TypeError,
        r"pass `lengths=` by keyword",
    ),
    (
        lambda: cu.per_length_report(Y, Y, lengths=L, metric="f1"),
        TypeError,
        r"`metric` to be a function",
    ),
    (
        lambda: cu.per_length_report(Y, Y, lengths=[3.0, 2.0], metric=cu.f1_score),
        ValueError,
        r"`lengths` to be a 1-D array of ints",
    ),
    (
        lambda: cu.per_length_report(Y, Y, lengths=[3], metric=cu.f1_score),
        ValueError,
        r"one entry per",
    ),
    (
        lambda: cu.per_length_report([0, 1], [0, 1], lengths=[-1, 2], metric=cu.f1_score),
        ValueError,
        r"`lengths` to be non-negative",
    ),
    (
        lambda: cu.per_length_report(Y, Y, lengths=L, metric=cu.f1_score, bins=3),
        ValueError,
        r"`bins` to be an int in \[1, 2\]",
    ),
    (
        lambda: cu.per_length_report(Y, Y, lengths=L, metric=cu.f1_score, bins=[3, 2]),
        ValueError,
        r"edges in `bins` to increase",
    ),
    (
        lambda: cu.per_length_report(Y, Y, lengths=L, metric=cu.f1_score, bins=[2, 3.5]),
        ValueError,
        r"increasing int edges",
    ),
    (
        lambda: cu.per_length_report(Y, Y, lengths=L, metric=cu.f1_score, bins=[3, 4]),
        ValueError,
        r"cover every length \(2 to 3\)",
    ),
    (
        lambda: cu.per_length_report(Y, Y, lengths=L, metric=lambda *a, **k: [1.0, 2.0]),
        TypeError,
        r"return one number.*average='macro'",
    ),
    (lambda: cu.bootstrap_ci(None, Y, Y), TypeError, r"`metric` to be a function"),
    (lambda: cu.bootstrap_ci(cu.f1_score, Y, Y, n_resamples=10.0), TypeError, r"`n_resamples`"),
    (lambda: cu.bootstrap_ci(cu.f1_score, Y, Y, n_resamples=0), ValueError, r"an int >= 1"),
    (lambda: cu.bootstrap_ci(cu.f1_score, Y, Y, confidence=95), ValueError, r"Use 0\.95"),
    (lambda: cu.bootstrap_ci(cu.f1_score, Y, Y, seed=-1), ValueError, r"`seed` to be an int in"),
    (lambda: cu.bootstrap_ci(cu.f1_score, Y, Y, lengths=[3]), ValueError, r"`lengths` to have one"),
    (lambda: cu.bootstrap_ci(cu.f1_score, Y, S.T), ValueError, r"to have the shape of `y_true`"),
    (
        lambda: cu.bootstrap_ci(cu.f1_score, Y, Y, lengths=[4, 4]),
        ValueError,
        r"in \[0, 3\]",  # the metric's own check, on the full data, before resampling
    ),
    (
        lambda: cu.paired_bootstrap_ci(cu.f1_score, Y, Y, Y[:1]),
        ValueError,
        r"`y_pred_b` to have the shape of `y_true` \(2, 3\), or that shape followed by",
    ),
    (
        lambda: cu.bootstrap_ci(cu.f1_score, Y, Y, mask=np.ones((3, 3), bool)),
        ValueError,
        r"`mask` to have one entry per sequence",
    ),
]


@pytest.mark.parametrize(("call", "error", "match"), CASES)
def test_bad_input_raises_a_helpful_error(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_padding_garbage_is_not_validated():
    y_true = np.array([[1, -100], [0, 1]])
    y_score = np.array([[0.9, np.nan], [0.2, 0.8]])
    assert cu.roc_auc_score(y_true, y_score, lengths=[1, 2]) == 1.0
    assert cu.accuracy_score(y_true, (y_score > 0.5).astype(int), lengths=[1, 2]) == 1.0


def test_tensor_errors_name_the_argument_too():
    with pytest.raises(ValueError, match=r"`y_score` to hold finite"):
        cu.roc_auc_score(torch.tensor([0, 1]), torch.tensor([0.5, float("nan")]))
    with pytest.raises(ValueError, match=r"`y_pred` to hold class labels"):
        cu.f1_score(torch.tensor([0, 1]), torch.tensor([0.3, 0.7]))
