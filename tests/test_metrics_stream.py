"""Streams (issue 22): batch by batch equals the function on everything, merges, checkpoints,
and bad input is a ValueError that names what differs."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
import torch

import course_utils.metrics as cu
from course_utils.metrics import stream

RNG_SEEDS = range(4)


# --------------------------------------------------------------------------- data


def labels(rng, n, k=2):
    return rng.integers(0, k, n), rng.integers(0, k, n)


def scores(rng, n, k=2):
    y = rng.integers(0, k, n)
    if k == 2:
        s = np.clip(0.35 * y + rng.uniform(0, 0.65, n), 0, 1)
        s[rng.random(n) < 0.2] = 0.5  # ties
        return y, s
    return y, rng.dirichlet(np.ones(k), n)


def regression(rng, n, outputs=3):
    y = rng.normal(size=(n, outputs))
    return y, y + rng.normal(size=(n, outputs))


DATA = {
    "labels2": lambda rng, n: labels(rng, n),
    "labels4": lambda rng, n: labels(rng, n, 4),
    "strings": lambda rng, n: tuple(np.array(["ant", "bee", "cat"])[a] for a in labels(rng, n, 3)),
    "scores2": lambda rng, n: scores(rng, n),
    "scores4": lambda rng, n: scores(rng, n, 4),
    "regression": lambda rng, n: regression(rng, n),
    "regression1": lambda rng, n: tuple(a[:, 0] for a in regression(rng, n)),
}

CASES = [
    # (metric, options, data, weighted)
    ("accuracy_score", {}, "labels4", False),
    ("accuracy_score", {"normalize": False}, "strings", True),
    ("balanced_accuracy_score", {}, "labels4", True),
    ("balanced_accuracy_score", {"adjusted": True}, "labels4", False),
    ("precision_score", {}, "labels2", False),
    ("recall_score", {"pos_label": 0}, "labels2", True),
    ("f1_score", {}, "labels2", True),
    *[
        ("f1_score", {"average": a}, "labels4", w)
        for a in ("micro", "macro", "weighted", None)
        for w in (False, True)
    ],
    ("f1_score", {"average": "macro"}, "strings", False),
    ("f1_score", {"average": None, "labels": ["cat", "ant"]}, "strings", True),
    ("fbeta_score", {"beta": 0.5, "average": "weighted"}, "labels4", False),
    ("precision_recall_fscore_support", {"average": None}, "labels4", True),
    ("specificity_score", {}, "labels2", False),
    ("specificity_score", {"average": "macro"}, "labels4", True),
    ("matthews_corrcoef", {}, "labels4", True),
    ("confusion_matrix", {}, "labels4", False),
    ("confusion_matrix", {"labels": [3, 0, 1], "normalize": "true"}, "labels4", True),
    ("confusion_matrix", {}, "strings", False),
    ("classification_report", {"output_dict": True}, "labels4", False),
    ("roc_auc_score", {}, "scores2", True),
    ("roc_auc_score", {"thresholds": 50}, "scores2", True),
    ("roc_auc_score", {"multi_class": "ovr"}, "scores4", True),
    ("roc_auc_score", {"multi_class": "ovr", "average": "weighted"}, "scores4", False),
    ("roc_auc_score", {"multi_class": "ovo"}, "scores4", False),
    ("average_precision_score", {}, "scores2", False),
    ("average_precision_score", {"thresholds": [0.1, 0.3, 0.5, 0.9]}, "scores2", True),
    ("average_precision_score", {"average": None}, "scores4", True),
    ("average_precision_score", {"average": "micro"}, "scores4", False),
    ("precision_recall_curve", {}, "scores2", True),
    ("precision_recall_curve", {"thresholds": 11}, "scores2", False),
    ("roc_curve", {}, "scores2", False),
    ("roc_curve", {"drop_intermediate": False, "thresholds": 7}, "scores2", True),
    ("confusion_matrix_at_thresholds", {}, "scores2", True),
    ("confusion_matrix_at_thresholds", {"thresholds": 20}, "scores2", False),
    ("one_vs_rest_curves", {"curve": "pr"}, "scores4", False),
    ("brier_score_loss", {}, "scores2", True),
    ("brier_score_loss", {}, "scores4", False),
    ("log_loss", {}, "scores2", False),
    ("log_loss", {"normalize": False}, "scores4", True),
    ("calibration_curve", {"n_bins": 7, "return_counts": True}, "scores2", False),
    ("calibration_curve", {"strategy": "quantile"}, "scores2", False),
    ("expected_calibration_error", {}, "scores2", False),
    ("mean_absolute_error", {}, "regression", True),
    ("mean_squared_error", {"multioutput": "raw_values"}, "regression", False),
    ("mean_squared_error", {"multioutput": [0.2, 0.3, 0.5]}, "regression", True),
    ("root_mean_squared_error", {}, "regression", False),
    ("root_mean_squared_error", {}, "regression1", True),
    (
        "mean_absolute_scaled_error",
        {"y_train": np.arange(30.0) % 7, "seasonality": 3},
        "regression1",
        False,
    ),
]


def split(n, rng, parts=5):
    """Random batch boundaries, with an empty batch among them."""
    cuts = np.sort(rng.integers(0, n + 1, parts - 1))
    return [slice(a, b) for a, b in zip(np.r_[0, cuts], np.r_[cuts, n], strict=True)] + [
        slice(0, 0)
    ]


def assert_same(a, b):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            assert_same(a[k], b[k])
    elif isinstance(a, tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            assert_same(x, y)
    else:
        assert np.shape(a) == np.shape(b)
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


@pytest.mark.parametrize(
    ("name", "options", "data", "weighted"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_stream_equals_the_function_on_all_batches(name, options, data, weighted):
    function = getattr(cu, name)
    for seed in RNG_SEEDS:
        rng = np.random.default_rng(seed)
        n = int(rng.integers(30, 200))
        y_true, y_pred = DATA[data](rng, n)
        w = rng.uniform(0, 2, n) if weighted else None
        s = stream(name, **options)
        for part in split(n, rng):
            kw = {} if w is None else {"sample_weight": w[part]}
            quiet(s.update, y_true[part], y_pred[part], **kw)
        kw = {} if w is None else {"sample_weight": w}
        assert_same(quiet(s.compute), quiet(function, y_true, y_pred, **options, **kw))


def test_padded_batches_and_tensors():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, (12, 9))
    score = rng.uniform(size=(12, 9))
    lengths = rng.integers(0, 10, 12)
    lengths[0] = 9
    y_pad, s_pad = y.copy(), score.copy()
    valid = np.arange(9) < lengths[:, None]
    y_pad[~valid], s_pad[~valid] = -100, np.nan  # padding holds anything
    for name, pred in (
        ("f1_score", (score > 0.5).astype(int)),
        ("roc_auc_score", s_pad),
        ("sequence_accuracy", (score > 0.5).astype(int)),
    ):
        s = stream(name)
        for rows in (slice(0, 5), slice(5, 6), slice(6, 12)):
            s.update(
                torch.from_numpy(y_pad[rows]),
                torch.from_numpy(pred[rows]),
                lengths=torch.from_numpy(lengths[rows]),
            )
        assert s.compute() == getattr(cu, name)(y_pad, pred, lengths=lengths)


def test_all_padding_and_empty_batches_change_nothing():
    s = stream("accuracy_score").update([1, 0], [1, 1])
    s.update([], [])
    s.update(np.zeros((2, 3)), np.ones((2, 3)), lengths=[0, 0])
    s.update(torch.zeros(0, dtype=torch.long), torch.zeros(0, dtype=torch.long))
    assert s.n_updates == 1 and s.compute() == 0.5
    with pytest.raises(ValueError, match="at least one batch with a real step"):
        stream("roc_auc_score").update([1], [0.5], mask=[False]).compute()


def test_the_mean_of_per_batch_f1_is_not_the_f1():
    y_true = np.array([1, 0, 0, 0, 1, 1, 1, 1, 0, 1])
    y_pred = np.array([1, 1, 0, 0, 0, 1, 1, 1, 1, 0])
    batches = [slice(0, 4), slice(4, 8), slice(8, 10)]
    per_batch = np.mean([cu.f1_score(y_true[b], y_pred[b], zero_division=0) for b in batches])
    s = stream("f1_score", zero_division=0)
    for b in batches:
        s.update(y_true[b], y_pred[b])
    assert s.compute() == cu.f1_score(y_true, y_pred)
    assert abs(per_batch - s.compute()) > 0.05


def test_labels_are_learned_as_they_come():
    s = stream("confusion_matrix")
    s.update(["b"], ["b"]).update(["a", "c"], ["c", "a"]).update([], [])
    np.testing.assert_array_equal(s.compute(), [[0, 0, 1], [0, 1, 0], [1, 0, 0]])
    assert s.stats["classes"].tolist() == ["a", "b", "c"]
    s = stream("f1_score", average="macro").update([5], [5]).update([0, 2], [2, 2])
    assert s.compute() == cu.f1_score([5, 0, 2], [5, 2, 2], average="macro")


# --------------------------------------------------------------------------- merge


def test_merge_equals_one_stream():
    rng = np.random.default_rng(3)
    y, s = scores(rng, 300)
    a, b = stream("average_precision_score"), stream("average_precision_score")
    a.update(y[:100], s[:100])
    b.update(y[100:], s[100:])
    assert a.merge(b).compute() == cu.average_precision_score(y, s)
    assert b.compute() == cu.average_precision_score(y[100:], s[100:])  # b unchanged
    empty = stream("average_precision_score")
    assert empty.merge(a).compute() == a.compute()


def test_merge_refuses_other_metrics_and_options():
    with pytest.raises(ValueError, match=r"average='macro' here, 'micro' there"):
        stream("f1_score", average="macro").merge(stream("f1_score", average="micro"))
    with pytest.raises(ValueError, match="streams 'recall_score'"):
        stream("f1_score").merge(stream("recall_score"))
    with pytest.raises(TypeError, match="to be a Stream"):
        stream("f1_score").merge(cu.f1_score)


# ---------------------------------------------------------------------- checkpoints


@pytest.mark.parametrize("name", ["roc_auc_score", "confusion_matrix", "mean_squared_error"])
def test_state_dict_round_trips_through_npz_and_torch(name, tmp_path):
    rng = np.random.default_rng(1)
    data = {
        "roc_auc_score": "scores2",
        "confusion_matrix": "strings",
        "mean_squared_error": "regression",
    }[name]
    y, p = DATA[data](rng, 80)
    s = stream(name).update(y[:50], p[:50])
    np.savez(tmp_path / "state.npz", **s.state_dict())
    torch.save(s.state_dict(tensors=True), tmp_path / "state.pt")
    for state in (
        np.load(tmp_path / "state.npz", allow_pickle=False),
        torch.load(tmp_path / "state.pt", weights_only=True),
    ):
        t = stream(name).load_state_dict(state).update(y[50:], p[50:])
        assert_same(t.compute(), getattr(cu, name)(y, p))
        assert t.n_updates == 2


def test_load_state_dict_refuses_another_metric_or_options():
    state = stream("f1_score").update([0, 1], [0, 1]).state_dict()
    with pytest.raises(ValueError, match=r"holds the metric 'f1_score'.*stream\(.f1_score."):
        stream("recall_score").load_state_dict(state)
    with pytest.raises(ValueError, match="average='macro' here, 'binary' there"):
        stream("f1_score", average="macro").load_state_dict(state)
    with pytest.raises(ValueError, match="holds 'bogus'"):
        stream("f1_score").load_state_dict({**state, "stats.bogus": np.zeros(2)})
    with pytest.raises(TypeError, match="array of numbers or strings"):
        bad = {**state, "stats.hits": np.array([object()], dtype=object)}
        stream("f1_score").load_state_dict(bad)
    empty = stream("f1_score").load_state_dict(stream("f1_score").state_dict())
    assert empty.n_updates == 0 and empty.stats is None


def test_a_checkpoint_holds_no_code():
    buffer = io.BytesIO()
    np.savez(buffer, **stream("log_loss").update([0, 1], [0.2, 0.7]).state_dict())
    buffer.seek(0)
    loaded = np.load(buffer, allow_pickle=False)
    assert all(loaded[k].dtype != object for k in loaded.files)


# --------------------------------------------------------------------- bad input


def test_a_batch_that_disagrees_is_refused_and_the_state_kept():
    s = stream("f1_score").update([0, 1], [0, 1])
    with pytest.raises(ValueError, match=r"at most two classes.*found 3.*after this batch"):
        s.update([2], [2])
    assert s.compute() == 1.0
    s = stream("roc_auc_score", multi_class="ovr").update([0, 1, 2], np.eye(3))
    with pytest.raises(ValueError, match=r"number of score columns.*3 before and 4"):
        s.update([0], [[0.1, 0.2, 0.3, 0.4]])
    s = stream("accuracy_score").update([0, 1], [0, 1])
    with pytest.raises(ValueError, match="whether `sample_weight` is given"):
        s.update([1], [1], sample_weight=[2.0])
    with pytest.raises(ValueError, match="labels of one kind"):
        stream("confusion_matrix").update([0], [0]).update(["a"], ["a"])
    with pytest.raises(ValueError, match="number of outputs"):
        stream("mean_squared_error").update(np.zeros((2, 3)), np.zeros((2, 3))).update(
            np.zeros((2, 2)), np.zeros((2, 2))
        )


def test_nan_scores_refused_on_real_steps_only():
    s = stream("roc_auc_score")
    with pytest.raises(ValueError, match="`y_score` to be finite"):
        s.update([0, 1], [0.2, np.nan])
    s.update([[0, 1, 1]], [[0.2, 0.8, np.nan]], lengths=[2])
    assert s.compute() == 1.0


def test_options_are_checked_when_the_stream_is_built():
    with pytest.raises(ValueError, match="`average` to be one of"):
        stream("f1_score", average="bogus")
    with pytest.raises(TypeError, match=r"f1_score\(\) has no option 'beta'"):
        stream("f1_score", beta=2)
    with pytest.raises(TypeError, match="needs the option `beta`"):
        stream("fbeta_score")
    with pytest.raises(TypeError, match="pass it to update"):
        stream("f1_score", lengths=[3])
    with pytest.raises(ValueError, match="Did you mean 'f1_score'"):
        stream("f1_scor")
    with pytest.raises(ValueError, match="has no streaming form"):
        from sklearn.metrics import f1_score

        stream(f1_score)
    with pytest.raises(ValueError, match="`thresholds` to be an int in \\[2"):
        stream("average_precision_score", thresholds=1)
    with pytest.raises(ValueError, match="`n_bins` to be at most"):
        stream("calibration_curve", n_bins=10**9)


def test_score_matrices_with_other_labels_need_labels_in_a_stream():
    y, p = ["a", "b", "c"], np.eye(3)
    s = stream("log_loss").update(y[:2], p[:2]).update(y[2:], p[2:])
    with pytest.raises(ValueError, match="Expected `labels=` for a stream of log_loss"):
        s.compute()
    s = stream("log_loss", labels=["a", "b", "c"]).update(y[:2], p[:2]).update(y[2:], p[2:])
    assert s.compute() == cu.log_loss(y, p)


def test_sync_needs_a_process_group():
    with pytest.raises(ValueError, match=r"initialised torch.distributed process group"):
        stream("accuracy_score").update([0], [0]).sync()


def test_every_metric_function_streams():
    skip = {
        "classification_report",
        "predictions_from_counts",
        "mcnemar_test",
        "proportion_ci",
        "diebold_mariano_test",
        "bootstrap_ci",
        "paired_bootstrap_ci",
        "per_length_report",
        "binning_bounds",
        "stream",
        "available_streams",
        "register_stream",
        # inference over whole results (tests, intervals, seeds), not metrics of a batch
        "two_proportion_test",
        "adjust_pvalues",
        "default_lags",
        "optimal_block_length",
        "delong_test",
        "roc_auc_ci",
        "calibration_slope_intercept",
        "ece_reference",
        "estimate_prior_shift",
        "adjust_to_prior",
        "seed_summary",
        "paired_seed_difference",
        "unpaired_seed_difference",
        "sign_test",
        "min_seeds_for_sign_test",
        "two_level_bootstrap_ci",
        "extract_spans",  # segments to look at, not a score (sequence ids are per call)
        "point_adjust",  # a transformation of the flags, not a score
    }
    functions = {n for n in cu.__all__ if n[0].islower()} - skip
    assert functions <= set(cu.available_streams())
    needed = {"fbeta_score": {"beta": 1.0}, "mean_absolute_scaled_error": {"y_train": [1, 2]}}
    for name in functions:
        assert stream(getattr(cu, name), **needed.get(name, {})).metric == name


def test_register_stream_adds_a_metric():
    def stats(y_true, y_pred, **_):
        return {"n": np.array(np.size(y_true))}

    cu.register_stream(
        "count_steps",
        {"stats": stats, "reduce": {"n": "sum"}, "finalize": lambda s, **_: int(s["n"])},
    )
    assert stream("count_steps").update([1, 2], [1, 2]).update([3], [3]).compute() == 3
    cu.register_stream(
        "histogram",
        {
            "stats": lambda y_true, y_pred, **_: {
                "hist": np.bincount(y_true),
                "top": np.array(max(y_true)),
            },
            "reduce": {"hist": "sum_pad", "top": "max"},
            "finalize": lambda s, **_: (s["hist"].tolist(), int(s["top"])),
        },
    )
    a = stream("histogram").update([0, 1, 1], [0, 0, 0])
    assert a.merge(stream("histogram").update([3], [3])).compute() == ([1, 2, 0, 1], 3)
    with pytest.raises(TypeError, match="reductions must be among"):
        cu.register_stream("bad", {"stats": stats, "reduce": {"n": "mean"}, "finalize": int})


# ------------------------------------------------------------- issue 27 in these modules


def test_int64_scores_above_2_to_the_53_rank_as_integers():
    from sklearn.metrics import average_precision_score, roc_auc_score

    b = 2**53
    y = np.array([1, 0, 1, 0])
    s = np.array([b + 1, b, b + 3, b + 2], dtype=np.int64)
    assert cu.roc_auc_score(y, s) == roc_auc_score(y, s) == 0.75
    assert cu.average_precision_score(y, s) == average_precision_score(y, s)
    _, _, thresholds = cu.precision_recall_curve(y, s)
    assert thresholds.dtype == np.int64 and thresholds.tolist() == sorted(s.tolist())
    assert stream("roc_auc_score").update(y[:2], s[:2]).update(y[2:], s[2:]).compute() == 0.75


def test_calibration_bins_have_a_bound():
    with pytest.raises(ValueError, match="`n_bins` to be at most 1_000_000"):
        cu.calibration_curve([0, 1], [0.2, 0.8], n_bins=10**9)
    with pytest.raises(ValueError, match="`n_bins` to be at most"):
        cu.expected_calibration_error([0, 1], [0.2, 0.8], n_bins=10**6 + 1)


def test_meta_tensors_are_refused_cleanly():
    meta = torch.empty(3, device="meta")
    for call in (lambda: cu.roc_auc_score([0, 1, 1], meta), lambda: cu.f1_score(meta, meta)):
        with pytest.raises(ValueError, match=r"meta tensor of shape \(3,\).*no values"):
            call()


def test_a_stream_keeps_copies_not_views_of_the_callers_buffers():
    y, s = torch.tensor([0, 1, 1, 0]), torch.tensor([0.1, 0.9, 0.4, 0.3])
    m = stream("roc_auc_score").update(y, s)
    s[:] = 0.5  # a loop that reuses its output buffer for the next batch
    assert m.compute() == 1.0
