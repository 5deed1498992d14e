"""One rule per idea: constants that two modules need are defined once and imported (issue 28)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from course_utils.book.ids import QUIZ_ID
from course_utils.quiz import answers, feedback, model

# the modules, not the functions that course_utils.instructor exports under the same names
instructor_course = importlib.import_module("course_utils.instructor.course")
grade = importlib.import_module("course_utils.instructor.grade")

PACKAGE = Path(__file__).resolve().parent.parent / "course_utils"


def test_quiz_id_rule_is_one_object_everywhere():
    assert model.QUIZ_ID is QUIZ_ID
    assert answers.QUIZ_ID is QUIZ_ID
    assert instructor_course.QUIZ_ID is QUIZ_ID
    assert grade.QUIZ_ID is QUIZ_ID


def test_quiz_id_pattern_is_written_once():
    """No module spells the id pattern out again: a copy could drift from the rule."""
    literal = "[a-z0-9][a-z0-9_-]"
    holders = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if literal in path.read_text(encoding="utf-8")
    )
    assert holders == ["book/ids.py"]


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("04_pitfalls", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("a/b.yaml", False),
        ("-lead", False),
        ("Upper", False),
        ("", False),
    ],
)
def test_quiz_id_rule(name, ok):
    assert bool(QUIZ_ID.match(name)) is ok
    # the bank, the answers file and the grader agree on every name
    assert bool(re.fullmatch(QUIZ_ID.pattern.strip("^$"), name)) is ok


def test_number_length_limit_is_one_value():
    """An answers file reads the numbers the quiz page lets a learner type, and no longer ones."""
    assert answers.MAX_NUMBER_CHARS == feedback.MAX_NUMBER_LENGTH
    source = (PACKAGE / "quiz" / "answers.py").read_text(encoding="utf-8")
    assert re.search(r"^MAX_NUMBER_CHARS = MAX_NUMBER_LENGTH\b", source, re.MULTILINE)
