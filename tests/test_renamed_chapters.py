"""Chapters renamed when new ones were added: the names already in use keep working.

Answers files record the quiz id they were saved for, and instructors' scripts name chapter
stems. Both must keep grading and assigning after a rename (``course_utils.book.renames``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_utils.book.renames import FORMER_NAMES, current_name
from course_utils.instructor import grade
from course_utils.instructor.course import available_chapters, resolve_chapters
from course_utils.quiz import available_banks, load_bank
from course_utils.quiz.answers import answers_checksum, make_answers_payload, write_answers

ROOT = Path(__file__).resolve().parents[1]


def test_every_former_name_points_at_a_chapter_and_a_bank_that_exist():
    chapters = available_chapters(ROOT / "chapters")
    for former, current in FORMER_NAMES.items():
        assert current in chapters and current in available_banks()
        assert former not in chapters, f"{former} was given to another chapter"
        assert former not in available_banks()
        assert current_name(current) == current


def _saved_under(former: str, folder: Path) -> Path:
    """An answers file as a learner saved it before the rename: quiz id = the former name."""
    bank = load_bank(former)
    first = bank.questions[0]
    payload = make_answers_payload(bank, {}, learner="Ada")
    payload["quiz"] = former
    payload["checksum"] = answers_checksum(payload)
    path = folder / f"{former}-ada-answers.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    assert first.id  # the bank is real
    return path


@pytest.mark.parametrize("former", sorted(FORMER_NAMES))
def test_an_answers_file_saved_under_a_former_quiz_id_is_graded(tmp_path, former):
    old = _saved_under(former, tmp_path)
    new_bank = load_bank(FORMER_NAMES[former])
    new = write_answers(tmp_path / "bo.json", make_answers_payload(new_bank, {}, learner="Bo"))
    book = grade([old, new])
    assert not book.skipped, book.skipped
    # one quiz, one gradebook column: the former id is reported as the current one
    assert {entry.quiz for entry in book.graded} == {FORMER_NAMES[former]}
    assert {entry.learner for entry in book.graded} == {"Ada", "Bo"}


def test_a_former_quiz_id_loads_the_current_bank():
    assert load_bank("04_pitfalls").quiz == "09_pitfalls"


def test_a_bank_dir_holding_a_bank_under_its_former_name_is_used(tmp_path):
    from course_utils.instructor.course import load_quiz_bank

    shipped = (ROOT / "course_utils" / "quizzes" / "09_pitfalls.yaml").read_text()
    edited = shipped.replace("quiz: 09_pitfalls", "quiz: 04_pitfalls")  # an instructor's old copy
    (tmp_path / "04_pitfalls.yaml").write_text(edited.replace('title: "', 'title: "Edited: ', 1))
    assert load_quiz_bank("04_pitfalls", bank_dir=tmp_path).title.startswith("Edited: ")
    assert load_quiz_bank("09_pitfalls", bank_dir=tmp_path).title.startswith("Check yourself")


def test_assign_accepts_a_former_chapter_stem():
    paths = resolve_chapters(["02_gru_metrics", "03_gru_metrics"], chapters_dir=ROOT / "chapters")
    assert [p.name for p in paths] == ["03_gru_metrics.ipynb"]
