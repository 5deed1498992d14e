"""The question-type registry: every type is complete, and a new type plugs in by itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from course_utils.instructor.answer_key import quiz_answer_key
from course_utils.quiz import evaluate, load_bank, score_answers
from course_utils.quiz.bank import COMMON_QUESTION_KEYS
from course_utils.quiz.checking import Verdict
from course_utils.quiz.page import QUIZ_JS
from course_utils.quiz.types import QUESTION_TYPES, QuestionType, question_type

STATIC = Path(__file__).resolve().parents[1] / "course_utils" / "static"


@pytest.mark.parametrize("name", sorted(QUESTION_TYPES))
def test_every_type_is_complete(name):
    kind = question_type(name)
    assert kind.name == name and kind.key_label
    assert not set(kind.fields) & COMMON_QUESTION_KEYS
    script = (STATIC / kind.js_file).read_text("utf-8")
    assert f"cuQuizTypes.{name} = " in script  # the checker registers itself ...
    assert script in QUIZ_JS  # ... and the page carries it


def test_unknown_type_names_the_known_ones():
    with pytest.raises(ValueError, match=r"\['multiple', 'numeric', 'single'\]"):
        question_type("essay")


class YesNo(QuestionType):
    """A toy type, as a new one would be written: yes or no, against `yes: true|false`."""

    name = ""  # registered by the fixture only, so other tests see the shipped types
    key_label = "yes or no"
    fields = {"yes": True}  # noqa: RUF012

    def parse(self, entry, where):
        if not isinstance(entry["yes"], bool):
            raise where.fail("Expected `yes` to be true or false.")
        return {"extra": {"yes": entry["yes"]}}

    def to_dict(self, question):
        return {"yes": question.extra["yes"]}

    def normalise(self, question, value):
        if value not in ("yes", "no"):
            raise ValueError(f"Expected 'yes' or 'no' for {question.id!r}, but got {value!r}.")
        return value

    def judge(self, question, value):
        if value is None:
            return Verdict(None, "Choose yes or no.")
        right = (value == "yes") == question.extra["yes"]
        return Verdict(right, f"{'Correct' if right else 'Not quite'}. {question.explanation}")

    def answer_key(self, question):
        return [f"**Answer:** {'yes' if question.extra['yes'] else 'no'}"]


@pytest.fixture
def yesno(monkeypatch):
    kind = YesNo()
    kind.name = "yesno"
    monkeypatch.setitem(QUESTION_TYPES, "yesno", kind)
    return kind


def test_a_new_type_is_one_class(yesno, tmp_path):
    """Bank parsing, checking, scoring, round trip and the answer key all go through it."""
    data = {"quiz": "toy", "title": "Toy", "version": "1", "questions": [
        {"id": "q", "type": "yesno", "prompt": "Is 2 > 1?", "yes": True, "explanation": "E."}]}  # fmt: skip
    path = tmp_path / "toy.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    bank = load_bank(path)
    question = bank.question("q")
    assert question.kind is yesno
    assert evaluate(question, "yes").correct is True
    assert evaluate(question, "no", attempts=1).message.endswith("Explanation: E.")
    assert score_answers(bank, {"q": "yes"}).n_correct == 1
    assert bank.to_dict()["questions"][0]["yes"] is True
    assert "## 1. `q` (yes or no)" in quiz_answer_key(bank)
    assert "**Answer:** yes" in quiz_answer_key(bank)
    data["questions"][0]["yes"] = "maybe"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValueError, match="question 'q': Expected `yes`"):
        load_bank(path)
    del data["questions"][0]["yes"]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValueError, match=r"Missing field\(s\) \['yes'\]"):
        load_bank(path)
