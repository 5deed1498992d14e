"""Quick checks (bank ids ``qc-...``): kept out of the quiz and grading, shown compactly."""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from course_utils.quiz import (
    Quiz,
    available_banks,
    load_bank,
    quick_check,
    score_answers,
)
from course_utils.quiz.answers import make_answers_payload
from course_utils.quiz.checking import MESSAGES
from course_utils.quiz.page import render_quick_check_html, render_quiz_html

OPTIONS = [
    {"id": "a", "text": "A", "correct": True, "feedback": "Yes."},
    {"id": "b", "text": "B", "correct": False, "feedback": "No.", "misconception": "M."},
]
BANK = {
    "quiz": "demo",
    "title": "Demo",
    "version": "1",
    "questions": [
        {"id": "end-1", "type": "single", "prompt": "End?", "explanation": "E1.",
         "options": OPTIONS},
        {"id": "qc-first", "type": "single", "prompt": "First <check>?", "explanation": "EQ.",
         "options": OPTIONS},
        {"id": "qc-share", "type": "numeric", "prompt": "Share?", "explanation": "ES.",
         "answer": 0.25, "tolerance": 0.01},
        {"id": "end-2", "type": "numeric", "prompt": "Two?", "explanation": "E2.",
         "answer": 2, "tolerance": 0},
    ],
}  # fmt: skip


@pytest.fixture
def bank(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump(BANK), encoding="utf-8")
    return load_bank(path)


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).strip()


def test_quick_checks_are_kept_apart_from_the_quiz(bank):
    assert [q.id for q in bank.questions] == ["end-1", "end-2"]
    assert [q.id for q in bank.quick_checks] == ["qc-first", "qc-share"]
    assert len(bank) == 2 and bank.quick_check("qc-share").answer == 0.25
    with pytest.raises(KeyError):
        bank.question("qc-first")
    # Round trip: to_dict keeps both, and reads back the same.
    again = yaml.safe_dump(bank.to_dict())
    assert "qc-first" in again


def test_the_quiz_its_answers_and_grading_ignore_quick_checks(bank):
    quiz = Quiz(bank)
    assert "qc-" not in quiz.to_html()
    assert score_answers(bank, {"end-2": "2"}).total == 2
    with pytest.raises(ValueError, match="unknown"):
        score_answers(bank, {"qc-first": "a"})  # an answers file cannot score a quick check
    payload = make_answers_payload(bank, {"end-1": "a"}, learner="Ada")
    assert set(payload["answers"]) == {"end-1"}


def test_a_bank_of_quick_checks_only_is_refused(tmp_path):
    path = tmp_path / "demo.yaml"
    only = dict(BANK, questions=[q for q in BANK["questions"] if q["id"].startswith("qc-")])
    path.write_text(yaml.safe_dump(only), encoding="utf-8")
    with pytest.raises(ValueError, match="at least one end-of-chapter question"):
        load_bank(path)


def test_quick_check_markup(bank):
    check = quick_check(bank, "qc-share", "qc-first")
    soup = BeautifulSoup(check.to_html(), "html.parser")
    (root,) = soup.select("[data-quick-check]")
    assert root["data-quick-check"] == "demo" and not soup.select("[data-quiz]")
    assert root["data-quick-check-items"] == "qc-share qc-first"
    assert root["role"] == "group" and soup.find(id=root["aria-labelledby"]).get_text() == (
        "Quick check"
    )
    boxes = root.select("[data-quiz-question]")
    assert [b["data-quiz-question"] for b in boxes] == ["qc-share", "qc-first"]  # asked order
    legends = [b.find("legend").get_text() for b in boxes]
    assert legends == ["1. Share?", "2. First <check>?"]  # escaped, then shown as text
    for box in boxes:
        assert box.find("button").get_text() == "Check"
        assert box.select('[aria-live="polite"]')
    # No footer: no score, name, download or start over.
    for marker in ("data-quiz-score", "data-quiz-learner", "data-quiz-download", "data-quiz-reset"):
        assert not root.select(f"[{marker}]"), marker
    # One item: no number before its prompt.
    single = BeautifulSoup(quick_check(bank, "qc-first").to_html(), "html.parser")
    assert single.find("legend").get_text() == "First <check>?"
    assert "src=" not in check.to_html()


def test_ids_never_clash_with_the_quiz_or_each_other(bank):
    page = render_quiz_html(bank) + "".join(
        quick_check(bank, qid).to_html() for qid in ("qc-first", "qc-share")
    )
    ids = [tag["id"] for tag in BeautifulSoup(page, "html.parser").find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert page.count("cuq-demo-qc-first-box") >= 1
    assert quick_check(bank, "qc-first").to_html() == quick_check(bank, "qc-first").to_html()


def test_page_data_carries_only_the_items_shown(bank):
    html = quick_check(bank, "qc-first").to_html()
    data = BeautifulSoup(html, "html.parser").find("script", attrs={"data-quiz-data": True})
    assert '"qc-first"' in data.string and '"qc-share"' not in data.string
    assert "end-1" not in data.string


@pytest.mark.parametrize(
    ("ids", "error", "match"),
    [
        ((), ValueError, r"at least one quick-check id.*qc-first"),
        (("end-1",), ValueError, r"end-of-chapter question belongs to Quiz"),
        (("qc-missing",), ValueError, r"not in its bank.*'qc-first', 'qc-share'"),
        (("qc-first", "qc-first"), ValueError, "repeats"),
        ((3,), TypeError, "to be a str"),
    ],
)
def test_bad_ids_say_the_fix(bank, ids, error, match):
    with pytest.raises(error, match=match):
        quick_check(bank, *ids)


def test_render_refuses_questions_from_elsewhere(bank):
    with pytest.raises(ValueError, match="quick checks"):
        render_quick_check_html(bank, bank.questions[:1])
    with pytest.raises(ValueError, match="quick checks"):
        render_quick_check_html(bank, ())
    with pytest.raises(TypeError, match="QuizBank"):
        render_quick_check_html("demo", bank.quick_checks)


def test_answer_and_check_without_widgets(bank):
    check = quick_check(bank, "qc-first", "qc-share")
    check.answer("qc-share", "25%")
    verdicts = check.check()
    assert verdicts["qc-share"].correct is True and verdicts["qc-first"].correct is None
    check.answer("qc-share", None)
    assert check.answers == {}
    with pytest.raises(ValueError, match="one of"):
        check.answer("end-1", "a")
    with pytest.raises(ValueError):
        check.answer("qc-first", "zzz")  # not an option
    assert "Quick check:" in check._repr_mimebundle_()["text/plain"]


def test_widgets(bank):
    pytest.importorskip("ipywidgets")
    check = quick_check(bank, "qc-first", "qc-share")
    check.answer("qc-first", "b")  # set before the widgets exist: carried into them
    ui = check.ui
    first = ui.questions["qc-first"]
    assert first.value == "b"
    first.check_button.click()
    assert text_of(first.feedback.value) == "Not quite. No. Misconception: M."
    first.check_button.click()  # second wrong try: the explanation follows
    assert text_of(first.feedback.value).endswith("Explanation: EQ.")
    first.value = "a"
    first.check_button.click()
    assert text_of(first.feedback.value).startswith("Correct")
    share = ui.questions["qc-share"]
    share.control.value = "a quarter"
    share.check_button.click()  # unreadable: a message, no exception
    assert text_of(share.feedback.value) == MESSAGES["number_percent"]
    assert check.answers == {"qc-first": "a", "qc-share": "a quarter"}
    assert "cu-quiz-widget" in ui.box._dom_classes  # the keyboard/ARIA helper finds it
    titles = [w.value for w in ui.box.children if hasattr(w, "value")]
    assert any("Quick check" in str(t) for t in titles)
    assert not any("Save answers" in getattr(w, "description", "") for w in ui.box.children)


@pytest.mark.parametrize("name", available_banks())
def test_shipped_quick_checks_render(name):
    bank = load_bank(name)
    for question in bank.quick_checks:
        assert question.id.startswith("qc-")
        soup = BeautifulSoup(quick_check(bank, question.id).to_html(), "html.parser")
        assert soup.select_one("[data-quick-check]")["data-quick-check"] == name
