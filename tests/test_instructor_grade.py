"""Grading saved quiz answers into a gradebook (course_utils.instructor.grade)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from instructor_fixtures import BANK_YAML

from course_utils.instructor import Gradebook, find_answers_files, grade
from course_utils.quiz import load_bank, make_answers_payload, write_answers

ALL_RIGHT = {"recall-def": "positives", "pitfalls": ["padding", "leakage"], "demo-recall": "83.3%"}
ONE_RIGHT = {"recall-def": "flagged", "pitfalls": ["leakage"], "demo-recall": "0.833"}


@pytest.fixture
def banks(tmp_path):
    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "01_demo.yaml").write_text(BANK_YAML, encoding="utf-8")
    return folder


@pytest.fixture
def bank(banks):
    return load_bank(banks / "01_demo.yaml")


def save(path: Path, bank, answers: dict, learner: str | None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_answers(path, make_answers_payload(bank, answers, learner=learner))


@pytest.fixture
def submissions(tmp_path, bank):
    """Three good files (one in a sub-folder, one anonymous) and five bad ones."""
    folder = tmp_path / "submissions"
    save(folder / "ada.json", bank, ALL_RIGHT, "Ada")
    save(folder / "bob" / "answers.json", bank, ONE_RIGHT, "bob")
    save(folder / "anon.json", bank, {}, None)

    (folder / "garbled.json").write_text("{not json", encoding="utf-8")
    (folder / "other.json").write_text('{"hello": "world"}', encoding="utf-8")
    tampered = make_answers_payload(bank, ONE_RIGHT, learner="Eve")
    tampered["answers"]["recall-def"] = "positives"  # edited by hand, checksum kept
    (folder / "tampered.json").write_text(json.dumps(tampered), encoding="utf-8")
    save(folder / "newer.json", bank, ALL_RIGHT, "Fay")
    payload = json.loads((folder / "newer.json").read_text())
    payload["quiz_version"] = "2"
    payload.pop("checksum")
    from course_utils.quiz import answers_checksum

    payload["checksum"] = answers_checksum(payload)
    (folder / "newer.json").write_text(json.dumps(payload), encoding="utf-8")
    payload["quiz"], payload["quiz_version"] = "99_unknown", "1"
    payload["checksum"] = answers_checksum(payload)
    (folder / "unknown.json").write_text(json.dumps(payload), encoding="utf-8")
    (folder / "readme.txt").write_text("not an answers file, and not *.json")
    return folder


def test_grade_scores_good_files_and_skips_bad_ones_by_name(submissions, banks):
    book = grade([submissions], bank_dir=banks)
    assert [(e.learner, e.path.name, e.result.n_correct) for e in book.graded] == [
        (None, "anon.json", 0),
        ("Ada", "ada.json", 3),
        ("bob", "answers.json", 1),
    ]
    reasons = {path.name: reason for path, reason in book.skipped}
    assert sorted(reasons) == [
        "garbled.json",
        "newer.json",
        "other.json",
        "tampered.json",
        "unknown.json",
    ]
    for name, reason in reasons.items():
        assert str(submissions / name) in reason  # every message names its file
    assert "not valid JSON" in reasons["garbled.json"]
    assert "not a quiz answers file" in reasons["other.json"]
    assert "checksum does not match" in reasons["tampered.json"]
    assert "version '2'" in reasons["newer.json"]
    assert "unknown quiz '99_unknown'" in reasons["unknown.json"]


def test_gradebook_columns_rows_and_csv(submissions, banks, tmp_path):
    book = grade([submissions], bank_dir=banks)
    assert book.columns == [
        "learner", "quiz", "recall-def", "pitfalls", "demo-recall", "score", "total", "file",
    ]  # fmt: skip
    rows = book.rows()
    assert rows[1][:7] == ["Ada", "01_demo", "1", "1", "1", "3", "3"]
    assert rows[2][:7] == ["bob", "01_demo", "0", "0", "1", "1", "3"]
    assert rows[0][:7] == ["", "01_demo", "0", "0", "0", "0", "3"]
    assert rows[1][7] == str(submissions / "ada.json")

    path = book.to_csv(tmp_path / "gradebook.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table == [book.columns, *rows]
    assert book.summary() == "Graded 3 answers files (01_demo: 3 file(s), mean 1.3/3); skipped 5."


def test_scores_agree_with_the_quiz_api(submissions, banks, bank):
    from course_utils.quiz import score_answers

    book = grade([submissions / "ada.json", submissions / "bob"], bank_dir=banks)
    expected = [score_answers(bank, ALL_RIGHT).correct, score_answers(bank, ONE_RIGHT).correct]
    assert [e.result.correct for e in book.graded] == expected
    assert book.skipped == ()


def test_several_quizzes_get_prefixed_columns(tmp_path, banks, bank):
    shipped = load_bank("01_rnn_metrics")
    first = shipped.questions[0]
    right = first.correct_ids[0] if first.type == "single" else list(first.correct_ids)
    save(tmp_path / "s" / "a.json", bank, ALL_RIGHT, "Ada")
    save(tmp_path / "s" / "b.json", shipped, {first.id: right}, "Ada")
    book = grade([tmp_path / "s"], bank_dir=banks)
    assert book.quizzes == ["01_demo", "01_rnn_metrics"]
    demo_cols = ["01_demo:recall-def", "01_demo:pitfalls", "01_demo:demo-recall"]
    rnn_cols = [f"01_rnn_metrics:{q.id}" for q in shipped.questions]
    assert book.columns == ["learner", "quiz", *demo_cols, *rnn_cols, "score", "total", "file"]
    demo_row, rnn_row = book.rows()
    assert demo_row[2:5] == ["1", "1", "1"] and set(demo_row[5 : 5 + len(rnn_cols)]) == {""}
    assert set(rnn_row[2:5]) == {""} and rnn_row[5] == "1"
    assert book.duplicates() == []  # one file per quiz is not a duplicate


def test_duplicates_are_reported_and_kept(tmp_path, banks, bank):
    save(tmp_path / "s" / "1.json", bank, ALL_RIGHT, "Ada")
    save(tmp_path / "s" / "2.json", bank, ONE_RIGHT, " ada ")
    book = grade([tmp_path / "s"], bank_dir=banks)
    assert len(book.graded) == 2
    [(learner, quiz, paths)] = book.duplicates()
    assert (learner, quiz) == ("Ada", "01_demo")
    assert [p.name for p in paths] == ["1.json", "2.json"]


def test_formula_like_names_are_defused_in_the_csv(tmp_path, banks, bank):
    save(tmp_path / "s" / "x.json", bank, {}, '=HYPERLINK("http://x")')
    row = grade([tmp_path / "s"], bank_dir=banks).rows()[0]
    assert row[0] == '\'=HYPERLINK("http://x")'


def test_bank_dir_takes_precedence_over_shipped_banks(tmp_path, banks):
    shipped = load_bank("01_rnn_metrics")
    save(tmp_path / "s" / "a.json", shipped, {}, "Ada")
    assert grade([tmp_path / "s"]).graded[0].quiz == "01_rnn_metrics"
    edited = shipped.to_dict()
    edited["version"] = shipped.version + "-edited"
    (banks / "01_rnn_metrics.json").write_text(json.dumps(edited), encoding="utf-8")
    book = grade([tmp_path / "s"], bank_dir=banks)
    assert not book.graded and "version" in book.skipped[0][1]


def test_find_answers_files(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    for name in ["d/b.json", "d/sub/a.json", "d/x.txt", "single.txt"]:
        (tmp_path / name).write_text("{}")
    found = find_answers_files([tmp_path / "single.txt", tmp_path / "d", tmp_path / "d" / "b.json"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "single.txt",
        "d/b.json",
        "d/sub/a.json",
    ]


def test_find_answers_files_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=r"does not exist"):
        find_answers_files([tmp_path / "missing.json"])
    with pytest.raises(ValueError, match=r"No answers files \(\*\.json\) found in"):
        find_answers_files([tmp_path / "empty"])
    with pytest.raises(ValueError, match=r"at least one answers file"):
        find_answers_files([])
    with pytest.raises(TypeError, match=r"Expected `paths` to be a list"):
        find_answers_files(str(tmp_path))
    with pytest.raises(TypeError, match=r"Expected each path to be a str or Path, but got int"):
        find_answers_files([3])
    with pytest.raises(ValueError, match=r"Expected `bank_dir` to be a folder"):
        grade([tmp_path], bank_dir=tmp_path / "nope")


def test_empty_gradebook():
    book = Gradebook((), ())
    assert book.columns == ["learner", "quiz", "score", "total", "file"]
    assert book.rows() == [] and book.duplicates() == [] and book.quizzes == []


def test_broken_bank_in_bank_dir_is_reported_not_replaced(tmp_path, banks):
    shipped = load_bank("01_rnn_metrics")
    save(tmp_path / "s" / "a.json", shipped, {}, "Ada")
    (banks / "01_rnn_metrics.yaml").write_text("quiz: 01_rnn_metrics\n", encoding="utf-8")
    book = grade([tmp_path / "s"], bank_dir=banks)
    [(path, reason)] = book.skipped
    assert path.name == "a.json" and str(path) in reason
    assert str(banks / "01_rnn_metrics.yaml") in reason  # the bank at fault is named too


def test_many_files_of_one_quiz_share_one_bank(tmp_path, banks, bank):
    for i in range(30):
        save(tmp_path / "s" / f"{i:02d}.json", bank, ALL_RIGHT if i % 3 else ONE_RIGHT, f"L{i:02d}")
    book = grade([tmp_path / "s"], bank_dir=banks)
    assert [e.result.n_correct for e in book.graded] == [1 if i % 3 == 0 else 3 for i in range(30)]


def test_a_quiz_field_that_looks_like_a_path_is_refused(tmp_path, bank):
    from course_utils.quiz import answers_checksum

    payload = make_answers_payload(bank, {}, learner="Mallory")
    payload["quiz"] = str(tmp_path / "elsewhere.yaml")
    payload["checksum"] = answers_checksum(payload)  # a valid checksum is easy to make
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "m.json").write_text(json.dumps(payload), encoding="utf-8")
    book = grade([tmp_path / "s"])
    [(path, reason)] = book.skipped
    assert "expected `quiz` to be a quiz id" in reason and str(path) in reason
