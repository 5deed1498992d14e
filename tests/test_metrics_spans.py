"""Segment (span) scores against seqeval 1.2.2, the reference for entity-level F1.

Property-based: random tag sequences (hypothesis) in both of seqeval's modes and for every
scheme, random label arrays for ``scheme="runs"`` (against seqeval on the same segments
written as IOB2 tags), padding, streaming (statistics of batches merged), bad input.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import seqeval.metrics as sm
import seqeval.scheme as ss
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_utils.metrics import (
    Span,
    UndefinedMetricWarning,
    extract_spans,
    span_classification_report,
    span_f1_score,
    span_precision_score,
    span_recall_score,
    stream,
)
from course_utils.metrics.spans import STREAM_SPECS, _span_stats

SCHEMES = {"IOB1": ss.IOB1, "IOB2": ss.IOB2, "IOE2": ss.IOE2, "IOBES": ss.IOBES}
PREFIXES = {"IOB1": "IB", "IOB2": "IB", "IOE2": "IE", "IOBES": "IBES"}
TYPES = ["PER", "LOC", "X"]
OURS = {"precision": span_precision_score, "recall": span_recall_score, "f1": span_f1_score}
THEIRS = {"precision": sm.precision_score, "recall": sm.recall_score, "f1": sm.f1_score}
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tags(prefixes: str, *, malformed: bool = False):
    well = st.one_of(
        st.just("O"),
        st.builds(lambda p, t: f"{p}-{t}", st.sampled_from(prefixes), st.sampled_from(TYPES)),
    )
    if not malformed:
        return well
    # What conlleval/seqeval's default mode reads with a warning: bare prefixes, unknown
    # prefixes, no prefix, "." and "O-" tags.
    odd = st.sampled_from(["B", "I", "E", "S", "X", ".", "U-PER", "PER", "O-LOC", "B-", "XY"])
    return st.one_of(well, well, odd)


def paired(element):
    """Lists of sequences for y_true and y_pred, pairing up in length."""

    @st.composite
    def build(draw):
        sizes = draw(st.lists(st.integers(0, 8), min_size=1, max_size=6).filter(any))
        y_true = [draw(st.lists(element, min_size=n, max_size=n)) for n in sizes]
        y_pred = [draw(st.lists(element, min_size=n, max_size=n)) for n in sizes]
        return y_true, y_pred

    return build()


def quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def has_segments(y_true, y_pred, **kwargs) -> bool:
    stats = quiet(_span_stats, y_true, y_pred, **kwargs)
    return stats["labels"].size > 0


def assert_same(ours, theirs):
    np.testing.assert_allclose(np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float))


# ------------------------------------------------------------- equal to seqeval's numbers


@PROPERTY
@given(
    paired(tags("BIES", malformed=True)),
    st.sampled_from(["micro", "macro", "weighted", None]),
    st.sampled_from([0, 1]),
)
def test_default_mode_equals_seqeval(pair, average, zero_division):
    y_true, y_pred = pair
    if average == "macro" and not has_segments(y_true, y_pred):
        return  # seqeval's mean of no labels is nan with a RuntimeWarning; ours is defined
    for name, ours in OURS.items():
        theirs = THEIRS[name]
        assert_same(
            quiet(ours, y_true, y_pred, average=average, zero_division=zero_division),
            quiet(theirs, y_true, y_pred, average=average, zero_division=zero_division),
        )


@PROPERTY
@given(
    st.sampled_from(sorted(SCHEMES)).flatmap(
        lambda s: st.tuples(st.just(s), paired(tags(PREFIXES[s])))
    ),
    st.sampled_from(["micro", "macro", "weighted", None]),
    st.sampled_from([0, 1]),
)
def test_strict_mode_equals_seqeval(drawn, average, zero_division):
    scheme, (y_true, y_pred) = drawn
    kwargs = {"average": average, "zero_division": zero_division}
    if average == "macro" and not has_segments(y_true, y_pred, scheme=scheme, mode="strict"):
        return
    for name, ours in OURS.items():
        assert_same(
            quiet(ours, y_true, y_pred, scheme=scheme, mode="strict", **kwargs),
            quiet(THEIRS[name], y_true, y_pred, mode="strict", scheme=SCHEMES[scheme], **kwargs),
        )


@PROPERTY
@given(
    st.sampled_from(sorted(SCHEMES)).flatmap(
        lambda s: st.tuples(st.just(s), paired(tags(PREFIXES[s])))
    )
)
def test_default_mode_with_a_scheme_equals_seqeval_on_that_schemes_tags(drawn):
    scheme, (y_true, y_pred) = drawn
    assert_same(
        quiet(span_f1_score, y_true, y_pred, scheme=scheme, average=None),
        quiet(sm.f1_score, y_true, y_pred, average=None),
    )


@PROPERTY
@given(paired(tags("BIES", malformed=True)), st.integers(1, 4))
def test_report_text_and_dict_equal_seqeval(pair, digits):
    y_true, y_pred = pair
    if not has_segments(y_true, y_pred):
        return
    ours = quiet(span_classification_report, y_true, y_pred, digits=digits, zero_division=0)
    assert ours == quiet(sm.classification_report, y_true, y_pred, digits=digits, zero_division=0)
    ours = quiet(span_classification_report, y_true, y_pred, output_dict=True)
    theirs = quiet(sm.classification_report, y_true, y_pred, output_dict=True)
    assert ours.keys() == theirs.keys()
    for key, row in theirs.items():
        for column, value in row.items():
            assert np.isclose(ours[key][column], value), (key, column)


@PROPERTY
@given(
    st.sampled_from(sorted(SCHEMES)).flatmap(
        lambda s: st.tuples(st.just(s), paired(tags(PREFIXES[s])))
    )
)
def test_strict_report_equals_seqeval(drawn):
    scheme, (y_true, y_pred) = drawn
    if not has_segments(y_true, y_pred, scheme=scheme, mode="strict"):
        return
    ours = quiet(span_classification_report, y_true, y_pred, scheme=scheme, mode="strict")
    theirs = quiet(sm.classification_report, y_true, y_pred, mode="strict", scheme=SCHEMES[scheme])
    assert ours == theirs


def as_iob2(row, background=0):
    """A label sequence's runs written as IOB2 tags (B- first, I- after)."""
    tags, prev = [], background
    for value in row:
        if value == background:
            tags.append("O")
        else:
            tags.append(("I-" if value == prev else "B-") + str(value))
        prev = value
    return tags


@st.composite
def label_batches(draw):
    n, t = draw(st.integers(1, 5)), draw(st.integers(1, 12))
    values = st.integers(0, 3)
    y_true = np.array(draw(st.lists(values, min_size=n * t, max_size=n * t))).reshape(n, t)
    y_pred = np.array(draw(st.lists(values, min_size=n * t, max_size=n * t))).reshape(n, t)
    lengths = np.array(draw(st.lists(st.integers(0, t), min_size=n, max_size=n)))
    return y_true, y_pred, lengths


@PROPERTY
@given(label_batches(), st.sampled_from(["micro", "macro", "weighted", None]))
def test_runs_equal_seqeval_on_the_same_segments_as_tags(batch, average):
    y_true, y_pred, lengths = batch
    if lengths.sum() == 0:
        return
    tags_true = [as_iob2(r[:n].tolist()) for r, n in zip(y_true, lengths, strict=True)]
    tags_pred = [as_iob2(r[:n].tolist()) for r, n in zip(y_pred, lengths, strict=True)]
    if average == "macro" and not has_segments(y_true, y_pred, lengths=lengths):
        return
    for name, ours in OURS.items():
        got = quiet(ours, y_true, y_pred, lengths=lengths, average=average, zero_division=0)
        want = quiet(THEIRS[name], tags_true, tags_pred, average=average, zero_division=0)
        assert_same(got, want)
        # "runs" reads every segment consistently, so strict equals default
        strict = quiet(ours, y_true, y_pred, lengths=lengths, average=average, mode="strict",
                       zero_division=0)  # fmt: skip
        assert_same(strict, got)


@PROPERTY
@given(label_batches(), st.integers(0, 2**32 - 1))
def test_mask_drops_steps_and_joins_the_rest(batch, seed):
    y_true, y_pred, _ = batch
    keep = np.random.default_rng(seed).random(y_true.shape) < 0.7
    if not keep.any():
        return
    tags_true = [as_iob2(r[k].tolist()) for r, k in zip(y_true, keep, strict=True)]
    tags_pred = [as_iob2(r[k].tolist()) for r, k in zip(y_pred, keep, strict=True)]
    got = quiet(span_f1_score, y_true, y_pred, mask=keep, average=None, zero_division=0)
    assert_same(got, quiet(sm.f1_score, tags_true, tags_pred, average=None, zero_division=0))
    # string tag arrays with a mask: the kept tags, joined, as seqeval reads them
    strings = np.array([as_iob2(r.tolist()) for r in y_true])
    kept = [r[k].tolist() for r, k in zip(strings, keep, strict=True)]
    got = quiet(span_f1_score, strings, strings[::-1], mask=keep, zero_division=0)
    kept_pred = [r[k].tolist() for r, k in zip(strings[::-1], keep, strict=True)]
    assert_same(got, quiet(sm.f1_score, kept, kept_pred, zero_division=0))


def test_report_rounds_f1_as_seqeval_does():
    # micro F1 is 0.75 from the counts and 0.7499999999999999 from 2pr/(p+r): at one
    # digit seqeval prints 0.7, and so must the report
    y_true = [["O"], ["O", "O", "O", "O", "O", "B", "B", "B"]]
    y_pred = [["O"], ["O", "O", "O", "B", "B-PER", "B", "B", "B"]]
    ours = quiet(span_classification_report, y_true, y_pred, digits=1, zero_division=0)
    assert ours == quiet(sm.classification_report, y_true, y_pred, digits=1, zero_division=0)
    assert "micro avg        0.6       1.0       0.7" in ours


# ------------------------------------------------------------------------- streaming


@PROPERTY
@given(
    paired(tags("BIES")),
    st.integers(1, 4),
    st.sampled_from(["micro", "macro", "weighted", None]),
)
def test_streams_over_batches_equal_one_pass(pair, cut, average):
    y_true, y_pred = pair
    if average == "macro" and not has_segments(y_true, y_pred):
        return  # a mean of no labels
    options = {"average": average, "zero_division": 0}
    for score in OURS.values():
        streamed = stream(score, **options)
        for start in range(0, len(y_true), cut):
            part = slice(start, start + cut)
            quiet(streamed.update, y_true[part], y_pred[part])
        assert_same(quiet(streamed.compute), quiet(score, y_true, y_pred, **options))
    report = stream("span_classification_report", output_dict=True, zero_division=0)
    for start in range(0, len(y_true), cut):
        part = slice(start, start + cut)
        report.update(y_true[part], y_pred[part])
    if has_segments(y_true, y_pred):
        assert quiet(report.compute) == quiet(
            span_classification_report, y_true, y_pred, output_dict=True, zero_division=0
        )


def test_stream_specs_declare_how_each_statistic_merges():
    stats = _span_stats([[0, 1, 1]], [[0, 1, 0]])
    for spec in STREAM_SPECS.values():
        assert set(spec["reduce"]) == set(stats)
        assert spec["reduce"]["labels"] == "union"
        assert all(spec["reduce"][k] == "sum" for k in ("tp", "n_pred", "n_true", "n_steps"))
        assert set(spec["index"]) == {"tp", "n_pred", "n_true"}


def test_an_empty_batch_is_representable_and_skipped():
    y = np.zeros((2, 3), dtype=np.int64)
    empty = _span_stats(y, y, lengths=[0, 0])
    assert empty["labels"].size == 0 and int(empty["n_steps"]) == 0
    f1 = stream("span_f1_score").update(y, y, lengths=[0, 0])
    assert f1.n_updates == 0
    f1.update([[1, 1, 0]], [[1, 0, 0]])
    assert f1.stats["labels"].tolist() == [1] and f1.stats["n_true"].tolist() == [1]
    with pytest.raises(ValueError, match="at least one real step"):
        span_f1_score(y, y, lengths=[0, 0])


def test_labels_learned_late_get_zero_counts_before():
    t = [["B-PER", "O"], ["B-LOC", "I-LOC"], ["O", "B-MISC"]]
    p = [["B-PER", "O"], ["B-LOC", "O"], ["O", "B-MISC"]]
    f1 = stream("span_f1_score", average=None)
    for i in range(3):
        f1.update(t[i : i + 1], p[i : i + 1])
    assert f1.stats["labels"].tolist() == ["LOC", "MISC", "PER"]
    np.testing.assert_array_equal(f1.compute(), span_f1_score(t, p, average=None))
    text = stream("span_classification_report")
    for i in range(3):
        text.update(t[i : i + 1], p[i : i + 1])
    assert text.compute() == span_classification_report(t, p)


def test_fixed_labels_keep_their_order_across_batches_and_merges():
    a = stream("span_recall_score", labels=[2, 1], average=None)
    b = stream("span_recall_score", labels=[2, 1], average=None)
    a.update([[2, 2, 0]], [[2, 0, 0]])
    b.update([[1, 0, 0]], [[1, 0, 0]])
    assert a.merge(b).stats["labels"].tolist() == [2, 1]
    assert a.compute().tolist() == [0.0, 1.0]
    whole = span_recall_score([[2, 2, 0], [1, 0, 0]], [[2, 0, 0], [1, 0, 0]], labels=[2, 1],
                              average=None)  # fmt: skip
    assert whole.tolist() == [0.0, 1.0]


def test_a_stream_saved_and_loaded_scores_the_same():
    y = np.array([[0, 1, 1, 0, 2], [2, 2, 0, 1, 1]])
    p = np.array([[0, 1, 0, 0, 2], [2, 2, 0, 1, 1]])
    f1 = stream("span_f1_score").update(torch.as_tensor(y), torch.as_tensor(p))
    again = stream("span_f1_score").load_state_dict(f1.state_dict(tensors=True))
    assert again.compute() == f1.compute() == span_f1_score(y, p)


def test_stream_options_are_checked_when_made():
    with pytest.raises(ValueError, match="average"):
        stream("span_f1_score", average="binary")
    with pytest.raises(ValueError, match="digits"):
        stream("span_classification_report", digits=-1)
    with pytest.raises(TypeError, match="no option"):
        stream("span_f1_score", overlap=0.5)
    with pytest.raises(ValueError, match=r"numbers on one side"):
        stream("span_f1_score").update([[0, 1]], [[0, 1]]).update([["B-X"]], [["B-X"]])


# ------------------------------------------------------------------- hand computations


def test_one_flipped_step_costs_a_step_but_two_segments():
    y_true = [[0, 1, 1, 1, 1, 1, 0]]
    y_pred = [[0, 1, 1, 2, 1, 1, 0]]
    # true: one segment of 1 (1:6); predicted: 1 (1:3), 2 (3:4), 1 (4:6) -> none is right
    assert extract_spans(y_pred) == [Span(0, 1, 1, 3), Span(0, 2, 3, 4), Span(0, 1, 4, 6)]
    assert span_precision_score(y_true, y_pred, zero_division=0) == 0.0
    assert span_recall_score(y_true, y_pred) == 0.0
    assert span_f1_score(y_true, y_pred, zero_division=0) == 0.0


def test_hand_computed_counts_per_label():
    y_true = [["B-PER", "I-PER", "O", "B-LOC", "O"], ["B-PER", "O"]]
    y_pred = [["B-PER", "I-PER", "O", "B-LOC", "I-LOC"], ["O", "O"]]
    # PER: tp 1 of 1 predicted, 2 true; LOC: 0 of 1 predicted (too long), 1 true
    np.testing.assert_allclose(span_precision_score(y_true, y_pred, average=None), [0.0, 1.0])
    np.testing.assert_allclose(span_recall_score(y_true, y_pred, average=None), [0.0, 0.5])
    assert span_f1_score(y_true, y_pred) == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))
    assert span_f1_score(y_true, y_pred, labels=["PER"]) == pytest.approx(2 / 3)


def test_strict_and_default_differ_on_inconsistent_tags():
    y_pred = [["B-LOC", "I-PER", "O"]]  # I-PER after B-LOC
    # default: I-PER starts a PER segment at step 1 (wrong span); strict IOB2: no PER at all
    assert extract_spans(y_pred) == [Span(0, "LOC", 0, 1), Span(0, "PER", 1, 2)]
    assert extract_spans(y_pred, scheme="IOB2", mode="strict") == [Span(0, "LOC", 0, 1)]


def test_tensors_and_string_arrays_are_accepted():
    y = torch.tensor([[0, 1, 1, 0], [2, 2, 0, 0]])
    p = torch.tensor([[0, 1, 1, 0], [2, 0, 0, 0]])
    assert span_f1_score(y, p, lengths=torch.tensor([4, 2])) == pytest.approx(0.5)
    tags = np.array([["O", "B-A", "I-A", "O"]])
    assert span_f1_score(tags, tags) == 1.0
    assert span_f1_score(["O", "B-A"], ["O", "B-A"]) == 1.0  # a flat list: one sequence


def test_report_with_target_names_and_runs():
    y_true = [[0, 1, 1, 0, 2, 2]]
    y_pred = [[0, 1, 1, 0, 2, 0]]
    text = span_classification_report(y_true, y_pred, target_names=["job A", "job B"])
    assert "job A" in text and "micro avg" in text
    report = span_classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    assert report["1"]["f1-score"] == 1.0 and report["2"]["f1-score"] == 0.0
    assert report["micro avg"]["support"] == 2


def test_no_segment_at_all_gives_the_zero_division_value():
    y = [["O", "O"]]
    with pytest.warns(UndefinedMetricWarning):
        assert span_f1_score(y, y) == 0.0
    assert span_f1_score(y, y, zero_division=1) == 1.0
    assert span_f1_score(y, y, average="macro", zero_division=1) == 1.0
    assert span_f1_score(y, y, average=None, zero_division=1).size == 0


# ------------------------------------------------------------------------- bad input


def test_ragged_pairs_name_the_sequence():
    with pytest.raises(ValueError, match="sequence 1 has 3 steps in `y_true` and 2"):
        span_f1_score([["O"], ["O", "B-A", "I-A"]], [["O"], ["O", "B-A"]])
    with pytest.raises(ValueError, match="same number of sequences"):
        span_f1_score([["O"], ["O"]], [["O"]])


def test_strict_needs_a_scheme_and_allowed_prefixes():
    with pytest.raises(ValueError, match=r'needs the tag scheme, e\.g\. scheme="IOB2"'):
        span_f1_score([["B-A"]], [["B-A"]], mode="strict")
    with pytest.raises(ValueError, match="step 1 of sequence 0 has a prefix that IOB2"):
        span_f1_score([["B-A", "E-A"]], [["B-A", "I-A"]], scheme="IOB2", mode="strict")
    with pytest.raises(ValueError, match="prefix that IOE2 does not allow"):
        span_f1_score([["Z-A"]], [["O"]], scheme="IOE2", mode="strict")


def test_default_mode_warns_about_malformed_tags_and_a_scheme_rejects_them():
    with pytest.warns(UserWarning, match="no B-/I-/E-/S- prefix"):
        span_f1_score([["PER", "O"]], [["O", "O"]], zero_division=0)
    with pytest.raises(ValueError, match="is not a IOB2 tag"):
        span_f1_score([["PER", "O"]], [["O", "O"]], scheme="IOB2")
    with pytest.raises(ValueError, match="is not a IOB2 tag"):
        span_f1_score([["E-PER", "O"]], [["O", "O"]], scheme="IOB2")


def test_wrong_kinds_and_shapes():
    with pytest.raises(TypeError, match='scheme="IOB2" reads tag strings'):
        span_f1_score([[0, 1]], [[0, 1]], scheme="IOB2")
    with pytest.raises(TypeError, match="one kind"):
        span_f1_score([["O", "B-A"]], [[0, 1]])
    with pytest.raises(TypeError, match="types"):
        span_f1_score([["O", None]], [["O", "O"]])
    with pytest.raises(ValueError, match="empty tag string at step 1 of sequence 0"):
        span_f1_score([["O", ""]], [["O", "O"]])
    with pytest.raises(ValueError, match=r"\(N, T\)"):
        span_f1_score(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)))
    with pytest.raises(TypeError, match="list of sequences"):
        span_f1_score([["O"], "O"], [["O"], ["O"]])
    with pytest.raises(ValueError, match="need rectangular inputs"):
        span_f1_score([["O"], ["O", "O"]], [["O"], ["O", "O"]], lengths=[1, 1])
    with pytest.raises(ValueError, match="`average`"):
        span_f1_score([["O"]], [["O"]], average="binary")
    with pytest.raises(ValueError, match="`mode`"):
        span_f1_score([["O"]], [["O"]], mode="lenient")
    with pytest.raises(ValueError, match="`scheme`"):
        span_f1_score([["O"]], [["O"]], scheme="BILOU")
    with pytest.raises(TypeError, match="sample_weight"):
        _span_stats([[0]], [[0]], sample_weight=[1.0])
    with pytest.raises(ValueError, match="target_names"):
        span_classification_report([[0, 1]], [[0, 1]], target_names=["a", "b"])
    with pytest.raises(ValueError, match="`background`"):
        span_f1_score([[0, 1]], [[0, 1]], background="O")
