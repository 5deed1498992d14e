"""Checking answers: number parsing, feedback wording, scoring."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils.quiz import QuizResult, evaluate, load_bank, parse_number, score_answers
from course_utils.quiz.checking import MESSAGES, REVEAL_AFTER

BANK = load_bank("05_self_check")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.91", 0.91),
        (".91", 0.91),
        ("91%", 0.91),
        (" 0.91 ", 0.91),
        ("\t91 %".replace(" ", ""), 0.91),
        ("91", 91.0),
        ("-2", -2.0),
        ("+.5", 0.5),
        ("1.", 1.0),
        ("9.1e-1", 0.91),
        ("65", 65.0),
    ],
)
def test_parse_number_accepts(text, expected):
    assert parse_number(text) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    "text", ["", " ", "abc", "0,91", "1/2", "91 %", "%", ".", "0.9.1", "nan", "inf", "1e", "--1"]
)
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_parse_number_type_error():
    with pytest.raises(TypeError, match="`text`"):
        parse_number(0.91)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False))
def test_parse_number_reads_python_formatted_floats(x):
    assert parse_number(repr(x)) == x
    assert parse_number(f"  {x:.4f} ") == pytest.approx(round(x, 4), abs=1e-9)
    assert parse_number(f"{x:.3f}%") == pytest.approx(round(x, 3) / 100, rel=1e-12, abs=1e-12)


# ----------------------------------------------------------------------------------- feedback


def test_numeric_feedback():
    q = BANK.question("seed-precision")
    for typed in ("0.91", ".91", "91%", " 0.91 ", "0.909"):
        verdict = evaluate(q, typed)
        assert verdict.correct is True, typed
        assert verdict.message.startswith("Correct")
    wrong = evaluate(q, "0.83")
    assert wrong.correct is False and wrong.message == f"Not quite. {q.hint}"
    assert evaluate(q, "91").message == f"Not quite. {MESSAGES['percent']}"
    for garbage in ("ninety-one", "0,91", "", "   "):
        verdict = evaluate(q, garbage)
        assert verdict.correct is None
        assert verdict.message == MESSAGES["number"]
    assert evaluate(q, 0.91).correct is True  # numbers are fine too (live API)


def test_tolerance_edges():
    q = BANK.question("seed-precision")  # 0.9090909 +- 0.005
    assert evaluate(q, str(q.answer + q.tolerance)).correct is True
    assert evaluate(q, str(q.answer - q.tolerance)).correct is True
    assert evaluate(q, str(q.answer + q.tolerance + 1e-6)).correct is False


def test_single_choice_feedback_uses_the_option():
    q = BANK.question("fraud-ready")
    right = q.correct_ids[0]
    verdict = evaluate(q, right)
    assert verdict.correct is True
    assert verdict.message == f"Correct. {q.option(right).feedback} {q.explanation}"
    wrong = next(o for o in q.options if not o.correct)
    assert evaluate(q, wrong.id).message == f"Not quite. {wrong.feedback}"
    assert evaluate(q, None) == evaluate(q, None)  # deterministic
    assert evaluate(q, None).correct is None
    assert evaluate(q, None).message == MESSAGES["choose_one"]


def test_explanation_revealed_after_repeated_wrong_answers():
    q = BANK.question("fraud-ready")
    wrong = next(o for o in q.options if not o.correct).id
    assert "Explanation" not in evaluate(q, wrong, attempts=REVEAL_AFTER - 2).message
    assert evaluate(q, wrong, attempts=REVEAL_AFTER - 1).message.endswith(
        f"Explanation: {q.explanation}"
    )


def test_multiple_choice_feedback():
    q = BANK.question("choose-threshold")
    correct = list(q.correct_ids)
    assert evaluate(q, correct).correct is True
    assert evaluate(q, list(reversed(correct))).correct is True  # order does not matter
    partial = evaluate(q, correct[:1])
    assert partial.correct is False
    assert MESSAGES["missed"].format(n=len(correct) - 1) in partial.message
    bad = next(o for o in q.options if not o.correct)
    with_bad = evaluate(q, [*correct, bad.id])
    assert with_bad.correct is False and bad.feedback in with_bad.message
    assert evaluate(q, []).message == MESSAGES["choose_some"]


@pytest.mark.parametrize(
    ("qid", "value", "fragment"),
    [
        ("fraud-ready", "maybe", "one of"),
        ("fraud-ready", ["not-ready"], "one of"),
        ("choose-threshold", "costs", "list of option ids"),
        ("choose-threshold", ["costs", "nope"], "unknown"),
        ("seed-precision", ["0.91"], "str or a number"),
        ("seed-precision", True, "str or a number"),
    ],
)
def test_wrong_value_shapes_raise(qid, value, fragment):
    with pytest.raises(ValueError, match=fragment):
        evaluate(BANK.question(qid), value)


# ------------------------------------------------------------------------------------ scoring


def test_score_answers():
    answers = {
        "fraud-ready": "not-ready",
        "seed-precision": "91%",
        "seed-recall": "0.5",  # wrong
        "seed-f1": "garbage",  # unreadable counts as wrong
        "choose-threshold": list(BANK.question("choose-threshold").correct_ids),
    }
    result = score_answers(BANK, answers)
    assert isinstance(result, QuizResult)
    assert list(result.correct) == [q.id for q in BANK]  # every question, bank order
    assert result.n_correct == 3
    assert result.total == len(BANK)
    assert result.fraction == pytest.approx(3 / len(BANK))
    assert set(result.answered) == set(answers)
    assert str(result) == f"3/{len(BANK)}"
    assert score_answers(BANK, {}).n_correct == 0


def test_score_answers_validates():
    with pytest.raises(ValueError, match=r"unknown \['nope'\]"):
        score_answers(BANK, {"nope": "a"})
    with pytest.raises(TypeError, match="`answers`"):
        score_answers(BANK, [("fraud-ready", "ready")])
    with pytest.raises(TypeError, match="`bank`"):
        score_answers("05_self_check", {})
