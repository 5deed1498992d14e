"""Event-level scores against hand computations and references written here.

- Range-based precision and recall: a line-by-line transcription of Tatbul et al.'s
  pseudo-code (NeurIPS 2018, Figure 1 and equations 1-9), and aeon's implementation
  (``aeon.benchmarking.metrics.anomaly_detection``), on random binary series (hypothesis).
- Event precision/recall, point adjustment and detection delays: plain loops over events.
- Several sequences score as one series with the sequences laid end to end, separated by a
  normal step; batches merged score as one pass.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from aeon.benchmarking.metrics.anomaly_detection import range_precision, range_recall
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_utils.metrics import (
    UndefinedMetricWarning,
    detection_delays,
    event_f1_score,
    event_precision_score,
    event_recall_score,
    f1_score,
    point_adjust,
    point_adjusted_f1_score,
    range_precision_score,
    range_recall_score,
    stream,
)
from course_utils.metrics import events as ev

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BIASES = ["flat", "front", "back", "middle"]


# ------------------------------------------------- references, written from the paper


def ranges(series):
    """Maximal runs of 1s as lists of positions (1-based, as the paper counts)."""
    out, current = [], []
    for i, v in enumerate(series, start=1):
        if v:
            current.append(i)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def delta(i, anomaly_length, bias):
    """Figure 1(b): the positional bias functions (middle as in the text of section 3)."""
    if bias == "flat":
        return 1
    if bias == "front":
        return anomaly_length - i + 1
    if bias == "back":
        return i
    return i if i <= anomaly_length / 2 else anomaly_length - i + 1


def omega(anomaly_range, overlap_set, bias):
    """Figure 1(a), line by line."""
    my_value, max_value = 0, 0
    anomaly_length = len(anomaly_range)
    for i in range(1, anomaly_length + 1):
        b = delta(i, anomaly_length, bias)
        max_value += b
        if anomaly_range[i - 1] in overlap_set:
            my_value += b
    return my_value / max_value


def gamma(x, cardinality):
    return 1.0 if cardinality == "one" else 1.0 / x


def cardinality_factor(r, others, cardinality):
    """Equation 7: 1 if r overlaps at most one range, gamma() otherwise."""
    x = sum(1 for o in others if set(r) & set(o))
    return 1.0 if x <= 1 else gamma(x, cardinality)


def recall_t(real, predicted, alpha, cardinality, bias):
    """Equations 1-5: the mean of Recall_T(R_i, P) over the real ranges."""
    total = 0.0
    for r in real:
        existence = 1.0 if sum(len(set(r) & set(p)) for p in predicted) >= 1 else 0.0
        overlap = cardinality_factor(r, predicted, cardinality) * sum(
            omega(r, set(r) & set(p), bias) for p in predicted
        )
        total += alpha * existence + (1 - alpha) * overlap
    return total / len(real)


def precision_t(real, predicted, cardinality, bias):
    """Equations 8-9: the mean of Precision_T(R, P_j) over the predicted ranges."""
    total = 0.0
    for p in predicted:
        total += cardinality_factor(p, real, cardinality) * sum(
            omega(p, set(p) & set(r), bias) for r in real
        )
    return total / len(predicted)


def reference_events(y_true, y_pred, overlap):
    """Event recall and precision by looping over every pair of events."""
    real, predicted = ranges(y_true), ranges(y_pred)

    def match(a, b):
        shared = len(set(a) & set(b))
        if overlap == "any":
            return shared > 0
        return shared / len(set(a) | set(b)) >= overlap

    caught = sum(any(match(r, p) for p in predicted) for r in real)
    hits = sum(any(match(r, p) for r in real) for p in predicted)
    return caught, len(real), hits, len(predicted)


def reference_delays(y_true, y_pred):
    out = []
    for r in ranges(y_true):
        flagged = [i for i in r if y_pred[i - 1]]
        out.append(float(flagged[0] - r[0]) if flagged else np.nan)
    return np.array(out)


def reference_point_adjust(y_true, y_pred):
    adjusted = list(y_pred)
    for r in ranges(y_true):
        if any(y_pred[i - 1] for i in r):
            for i in r:
                adjusted[i - 1] = 1
    return np.array(adjusted, dtype=bool)


# ------------------------------------------------------------------------- strategies


binary = st.lists(st.integers(0, 1), min_size=1, max_size=40)


@st.composite
def pairs(draw):
    n = draw(st.integers(1, 40))
    y_true = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    y_pred = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    return y_true, y_pred


@st.composite
def batches(draw):
    n, t = draw(st.integers(1, 5)), draw(st.integers(1, 15))
    y_true = np.array(draw(st.lists(st.integers(0, 1), min_size=n * t, max_size=n * t)))
    y_pred = np.array(draw(st.lists(st.integers(0, 1), min_size=n * t, max_size=n * t)))
    lengths = np.array(draw(st.lists(st.integers(1, t), min_size=n, max_size=n)))
    return y_true.reshape(n, t), y_pred.reshape(n, t), lengths


def laid_end_to_end(y, lengths):
    """One series: each sequence's real steps, then one normal step."""
    out = []
    for row, n in zip(y, lengths, strict=True):
        out += [*row[:n].tolist(), 0]
    return out


# ------------------------------------------------------------------- range-based scores


@PROPERTY
@given(pairs(), st.sampled_from([0.0, 0.3, 1.0]), st.sampled_from(["one", "reciprocal"]),
       st.sampled_from(BIASES))  # fmt: skip
def test_range_scores_equal_the_papers_pseudo_code(pair, alpha, cardinality, bias):
    y_true, y_pred = pair
    real, predicted = ranges(y_true), ranges(y_pred)
    if real:
        got = range_recall_score(y_true, y_pred, alpha=alpha, cardinality=cardinality, bias=bias)
        assert got == pytest.approx(recall_t(real, predicted, alpha, cardinality, bias))
    if predicted:
        got = range_precision_score(y_true, y_pred, cardinality=cardinality, bias=bias)
        assert got == pytest.approx(precision_t(real, predicted, cardinality, bias))


@PROPERTY
@given(pairs(), st.sampled_from([0.0, 0.5]), st.sampled_from(["one", "reciprocal"]),
       st.sampled_from(BIASES))  # fmt: skip
def test_range_scores_equal_aeons(pair, alpha, cardinality, bias):
    y_true, y_pred = np.array(pair[0]), np.array(pair[1])
    if len(set(y_pred.tolist())) < 2 or len(set(y_true.tolist())) < 2:
        return  # aeon refuses constant inputs (returns 0 with a warning)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want_r = range_recall(y_true, y_pred, alpha=alpha, cardinality=cardinality, bias=bias)
        want_p = range_precision(y_true, y_pred, cardinality=cardinality, bias=bias)
    got_r = range_recall_score(y_true, y_pred, alpha=alpha, cardinality=cardinality, bias=bias)
    got_p = range_precision_score(y_true, y_pred, cardinality=cardinality, bias=bias)
    assert got_r == pytest.approx(want_r) and got_p == pytest.approx(want_p)


def test_range_scores_by_hand():
    y_true = [0, 1, 1, 1, 1, 0, 0, 0]
    y_pred = [0, 1, 0, 1, 0, 0, 1, 1]  # two pieces of the event, one false alarm
    # recall: flat share 2/4, split in 2 pieces: reciprocal halves it
    assert range_recall_score(y_true, y_pred, cardinality="one") == pytest.approx(0.5)
    assert range_recall_score(y_true, y_pred) == pytest.approx(0.25)
    # front bias: weights 4, 3, 2, 1 -> (4 + 2) / 10
    assert range_recall_score(y_true, y_pred, bias="front", cardinality="one") == pytest.approx(0.6)
    # back bias: weights 1, 2, 3, 4 -> (1 + 3) / 10
    assert range_recall_score(y_true, y_pred, bias="back", cardinality="one") == pytest.approx(0.4)
    # existence: the event was touched
    assert range_recall_score(y_true, y_pred, alpha=1.0) == 1.0
    # precision: two predictions fully inside (1 each), one outside (0): 2 / 3
    assert range_precision_score(y_true, y_pred) == pytest.approx(2 / 3)
    # middle bias on a 5-step event: weights 1, 2, 3, 2, 1; the middle step alone is 3/9
    assert range_recall_score([1, 1, 1, 1, 1], [0, 0, 1, 0, 0], bias="middle") == pytest.approx(
        3 / 9
    )


# ------------------------------------------------------------------ event-level scores


@PROPERTY
@given(pairs(), st.sampled_from(["any", 0.25, 0.5, 1.0]))
def test_event_scores_equal_pairwise_loops(pair, overlap):
    y_true, y_pred = pair
    caught, n_true, hits, n_pred = reference_events(y_true, y_pred, overlap)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        recall = event_recall_score(y_true, y_pred, overlap=overlap, zero_division=np.nan)
        precision = event_precision_score(y_true, y_pred, overlap=overlap, zero_division=np.nan)
        f1 = event_f1_score(y_true, y_pred, overlap=overlap, zero_division=np.nan)
    if n_true:
        assert recall == pytest.approx(caught / n_true)
    else:
        assert np.isnan(recall)
    if n_pred:
        assert precision == pytest.approx(hits / n_pred)
    if n_true and n_pred:
        p, r = hits / n_pred, caught / n_true
        assert f1 == pytest.approx(0.0 if p + r == 0 else 2 * p * r / (p + r))


def test_event_scores_by_hand():
    y_true = [0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0]
    y_pred = [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    # event 1 (4 steps) shares 2 with a 2-step prediction: IoU 1/2; event 2 missed;
    # the prediction at step 10 is a false alarm
    assert event_recall_score(y_true, y_pred) == 0.5
    assert event_precision_score(y_true, y_pred) == 0.5
    assert event_recall_score(y_true, y_pred, overlap=0.5) == 0.5
    assert event_recall_score(y_true, y_pred, overlap=0.6) == 0.0
    assert event_f1_score(y_true, y_pred) == 0.5


def test_exact_overlap_is_the_segment_score():
    from course_utils.metrics import span_f1_score

    rng = np.random.default_rng(0)
    y = (rng.random((20, 30)) < 0.4).astype(int)
    p = (rng.random((20, 30)) < 0.4).astype(int)
    assert event_f1_score(y, p, overlap=1.0) == pytest.approx(span_f1_score(y, p))


# ---------------------------------------------------------------------- point adjust


@PROPERTY
@given(pairs())
def test_point_adjust_equals_a_loop(pair):
    y_true, y_pred = pair
    want = reference_point_adjust(y_true, y_pred)
    np.testing.assert_array_equal(point_adjust(y_true, y_pred), want)
    if any(y_true) or any(y_pred):
        got = point_adjusted_f1_score(y_true, y_pred)
        assert got == pytest.approx(f1_score(np.array(y_true), want.astype(int)))


def test_point_adjust_rewards_a_random_detector():
    """The trap, reproduced: long events, random flags, a high point-adjusted F1."""
    rng = np.random.default_rng(0)
    y_true = np.zeros(2000, dtype=int)
    for start in range(100, 2000, 400):
        y_true[start : start + 100] = 1  # five events of 100 steps
    random_flags = (rng.random(2000) < 0.05).astype(int)
    assert f1_score(y_true, random_flags) < 0.2
    assert point_adjusted_f1_score(y_true, random_flags) > 0.6


def test_point_adjust_keeps_shapes():
    y = np.array([[0, 1, 1, 0], [1, 1, 0, 0]])
    p = np.array([[0, 0, 1, 0], [0, 0, 0, 1]])
    out = point_adjust(y, p, lengths=[4, 3])
    assert out.shape == (2, 4) and out.dtype == bool
    assert out.astype(int).tolist() == [[0, 1, 1, 0], [0, 0, 0, 0]]  # padding step dropped
    ragged = point_adjust([[0, 1, 1], [1]], [[0, 0, 1], [0]])
    assert [r.astype(int).tolist() for r in ragged] == [[0, 1, 1], [0]]
    assert point_adjust(torch.tensor([1, 1]), torch.tensor([0, 1])).tolist() == [True, True]


# ------------------------------------------------------------------- detection delays


@PROPERTY
@given(pairs())
def test_delays_equal_a_loop(pair):
    y_true, y_pred = pair
    np.testing.assert_array_equal(detection_delays(y_true, y_pred), reference_delays(*pair))


def test_delay_of_a_flag_raised_before_the_event_is_zero():
    assert detection_delays([0, 0, 1, 1], [0, 1, 1, 0]).tolist() == [0.0]
    assert detection_delays([0, 1, 1, 1], [1, 0, 0, 0]).tolist()[0] != 0.0  # not inside


# ------------------------------------------------------------- sequences and batches


SCORES = {
    "event_recall": lambda y, p, **k: event_recall_score(y, p, zero_division=0, **k),
    "event_precision": lambda y, p, **k: event_precision_score(y, p, zero_division=0, **k),
    "event_iou": lambda y, p, **k: event_f1_score(y, p, overlap=0.5, zero_division=0, **k),
    "range_recall": lambda y, p, **k: range_recall_score(y, p, bias="front", alpha=0.2,
                                                         zero_division=0, **k),
    "range_precision": lambda y, p, **k: range_precision_score(y, p, bias="middle",
                                                               zero_division=0, **k),
    "point_adjusted": lambda y, p, **k: point_adjusted_f1_score(y, p, zero_division=0, **k),
}  # fmt: skip


@PROPERTY
@given(batches())
def test_sequences_score_as_one_series_laid_end_to_end(batch):
    y_true, y_pred, lengths = batch
    series_true, series_pred = laid_end_to_end(y_true, lengths), laid_end_to_end(y_pred, lengths)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        for name, score in SCORES.items():
            got = score(y_true, y_pred, lengths=lengths)
            assert got == pytest.approx(score(series_true, series_pred)), name
    got = detection_delays(y_true, y_pred, lengths=lengths)
    np.testing.assert_array_equal(got, detection_delays(series_true, series_pred))


STREAMED = {
    "event_recall_score": {"zero_division": 0},
    "event_precision_score": {"zero_division": 0},
    "event_f1_score": {"overlap": 0.5, "zero_division": 0},
    "range_recall_score": {"bias": "front", "alpha": 0.2, "zero_division": 0},
    "range_precision_score": {"bias": "middle", "zero_division": 0},
    "point_adjusted_f1_score": {"zero_division": 0},
    "detection_delays": {},
}


@PROPERTY
@given(batches(), st.integers(1, 3))
def test_streams_over_batches_equal_one_pass(batch, cut):
    y_true, y_pred, lengths = batch
    assert set(STREAMED) == set(ev.STREAM_SPECS)
    for name, options in STREAMED.items():
        function = getattr(ev, name)
        streamed = stream(name, **options)
        for start in range(0, len(y_true), cut):
            part = slice(start, start + cut)
            streamed.update(y_true[part], y_pred[part], lengths=lengths[part])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            got = np.asarray(streamed.compute())
            want = np.asarray(function(y_true, y_pred, lengths=lengths, **options))
        np.testing.assert_allclose(got, want, err_msg=name)


def test_streams_merge_save_and_check_their_options():
    y = np.array([[0, 1, 1, 0], [1, 1, 0, 0]])
    p = np.array([[0, 0, 1, 0], [0, 0, 0, 1]])
    a = stream("detection_delays").update(y[:1], p[:1])
    b = stream("detection_delays").update(y[1:], p[1:])
    np.testing.assert_array_equal(a.merge(b).compute(), detection_delays(y, p))
    f1 = stream("event_f1_score", overlap=0.5).update(torch.as_tensor(y), p)
    again = stream("event_f1_score", overlap=0.5).load_state_dict(f1.state_dict())
    assert again.compute() == f1.compute() == event_f1_score(y, p, overlap=0.5)
    with pytest.raises(ValueError, match="overlap"):
        stream("event_f1_score", overlap=0)
    with pytest.raises(ValueError, match="bias"):
        stream("range_recall_score", bias="late")
    with pytest.raises(ValueError, match="same options"):
        stream("event_f1_score").merge(f1)
    assert stream("event_recall_score").update(y, p, lengths=[0, 0]).n_updates == 0


def test_a_masked_step_breaks_an_event():
    y = np.array([1, 1, 1, 1, 1])
    keep = np.array([True, True, False, True, True])
    # two true events either side of the gap; the prediction covers only the first
    assert event_recall_score(y, [1, 1, 0, 0, 0], mask=keep) == 0.5
    assert detection_delays(y, [0, 1, 0, 0, 1], mask=keep).tolist() == [1.0, 1.0]


def test_labels_with_pos_label_and_an_empty_batch_statistic():
    y = [["ok", "fault", "fault", "ok"]]
    p = [["ok", "ok", "fault", "ok"]]
    assert event_recall_score(y, p, pos_label="fault") == 1.0
    stats = ev._event_stats(np.zeros((2, 3)), np.zeros((2, 3)), lengths=[0, 0])
    assert int(stats["n_steps"]) == 0 and int(stats["n_true"]) == 0
    with pytest.raises(ValueError, match="at least one real step"):
        event_recall_score(np.zeros((2, 3)), np.zeros((2, 3)), lengths=[0, 0])


def test_no_event_warns_and_gives_zero_division():
    with pytest.warns(UndefinedMetricWarning):
        assert event_recall_score([0, 0], [0, 1]) == 0.0
    assert event_precision_score([0, 1], [0, 0], zero_division=1) == 1.0


# ------------------------------------------------------------------------- bad input


def test_bad_input_names_the_argument_and_the_fix():
    with pytest.raises(ValueError, match="sequence 1 has 2 steps in `y_true` and 3"):
        event_recall_score([[0, 1], [1, 0]], [[0, 1], [1, 0, 0]])
    with pytest.raises(ValueError, match="0/1"):
        event_recall_score([0, 1, 2], [0, 1, 1])
    with pytest.raises(ValueError, match="pos_label"):
        event_recall_score(["a", "b"], ["a", "a"])
    with pytest.raises(ValueError, match="`overlap`"):
        event_recall_score([0, 1], [0, 1], overlap=0)
    with pytest.raises(ValueError, match="`overlap`"):
        event_recall_score([0, 1], [0, 1], overlap="all")
    with pytest.raises(ValueError, match="`alpha`"):
        range_recall_score([0, 1], [0, 1], alpha=1.5)
    with pytest.raises(ValueError, match="`bias`"):
        range_recall_score([0, 1], [0, 1], bias="end")
    with pytest.raises(ValueError, match="`cardinality`"):
        range_precision_score([0, 1], [0, 1], cardinality="udf_gamma")
    with pytest.raises(TypeError, match="sample_weight"):
        ev._event_stats([0, 1], [0, 1], sample_weight=[1, 1])
    with pytest.raises(TypeError):
        detection_delays(3, 4)
