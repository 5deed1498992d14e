"""Grading saved quiz answers into a gradebook (course_utils.instructor.grade)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from instructor_fixtures import BANK_YAML

from course_utils.instructor import Gradebook, grade
from course_utils.instructor.grade import find_answers_files
from course_utils.quiz import load_bank
from course_utils.quiz.answers import make_answers_payload, write_answers

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
    from course_utils.quiz.answers import answers_checksum

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
        "learner", "learner_id", "quiz", "recall-def", "pitfalls", "demo-recall", "score",
        "total", "file",
    ]  # fmt: skip
    rows = book.rows()
    assert rows[1][:8] == ["Ada", "", "01_demo", "1", "1", "1", "3", "3"]
    assert rows[2][:8] == ["bob", "", "01_demo", "0", "0", "1", "1", "3"]
    assert rows[0][:8] == ["", "", "01_demo", "0", "0", "0", "0", "3"]
    assert rows[1][8] == str(submissions / "ada.json")

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
    assert book.columns == [
        "learner", "learner_id", "quiz", *demo_cols, *rnn_cols, "score", "total", "file",
    ]  # fmt: skip
    demo_row, rnn_row = book.rows()
    assert demo_row[3:6] == ["1", "1", "1"] and set(demo_row[6 : 6 + len(rnn_cols)]) == {""}
    assert set(rnn_row[3:6]) == {""} and rnn_row[6] == "1"
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
    assert book.columns == ["learner", "learner_id", "quiz", "score", "total", "file"]
    assert book.rows() == [] and book.duplicates() == [] and book.quizzes == []


def test_broken_bank_in_bank_dir_is_reported_not_replaced(tmp_path, banks):
    shipped = load_bank("01_rnn_metrics")
    save(tmp_path / "s" / "a.json", shipped, {}, "Ada")
    (banks / "01_rnn_metrics.yaml").write_text("quiz: 01_rnn_metrics\n", encoding="utf-8")
    # the instructor's bank is at fault, not the file: the run is refused, naming the bank
    with pytest.raises(ValueError, match="the quiz bank for 01_rnn_metrics in --banks") as err:
        grade([tmp_path / "s"], bank_dir=banks)
    assert str(banks / "01_rnn_metrics.yaml") in str(err.value)


def test_many_files_of_one_quiz_share_one_bank(tmp_path, banks, bank):
    for i in range(30):
        save(tmp_path / "s" / f"{i:02d}.json", bank, ALL_RIGHT if i % 3 else ONE_RIGHT, f"L{i:02d}")
    book = grade([tmp_path / "s"], bank_dir=banks)
    assert [e.result.n_correct for e in book.graded] == [1 if i % 3 == 0 else 3 for i in range(30)]


def test_a_quiz_field_that_looks_like_a_path_is_refused(tmp_path, bank):
    from course_utils.quiz.answers import answers_checksum

    payload = make_answers_payload(bank, {}, learner="Mallory")
    payload["quiz"] = str(tmp_path / "elsewhere.yaml")
    payload["checksum"] = answers_checksum(payload)  # a valid checksum is easy to make
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "m.json").write_text(json.dumps(payload), encoding="utf-8")
    book = grade([tmp_path / "s"])
    [(path, reason)] = book.skipped
    assert "expected `quiz` to be a quiz id" in reason and str(path) in reason


# ------------------------------------------------------------------- identity, scores, formats


def save2(path: Path, bank, answers: dict, learner=None, learner_id=None, first_try=None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = make_answers_payload(
        bank, answers, learner=learner, learner_id=learner_id, first_try=first_try
    )
    return write_answers(path, payload)


@pytest.fixture
def classroom(tmp_path, banks, bank):
    """Two quizzes, learners with ids (one an e-mail), a duplicate, a name-only and an
    anonymous file."""
    shipped = load_bank("01_rnn_metrics")
    first = shipped.questions[0]
    right = first.correct_ids[0] if first.type == "single" else list(first.correct_ids)
    folder = tmp_path / "class"
    all_checked = dict.fromkeys(ALL_RIGHT, True)
    save2(folder / "ada-1.json", bank, ONE_RIGHT, "Ada", "s001", dict.fromkeys(ALL_RIGHT, False))
    save2(folder / "ada-2.json", bank, ALL_RIGHT, "Ada L.", "S001", all_checked)  # same id
    save2(folder / "ada-rnn.json", shipped, {first.id: right}, "Ada", "s001", {first.id: True})
    save2(folder / "bo.json", bank, ONE_RIGHT, "Bo", "bo@uni.example", {"demo-recall": True})
    save2(folder / "cy.json", bank, ALL_RIGHT, "Cy")  # a name, no id
    save2(folder / "anon.json", bank, {})  # neither
    return folder


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_gradebook_keys_on_the_learner_id(classroom, banks):
    book = grade([classroom], bank_dir=banks)
    assert [p.name for p in book.anonymous()] == ["anon.json"]
    assert [p.name for p in book.without_id()] == ["cy.json"]
    [(who, quiz, paths)] = book.duplicates()
    assert quiz == "01_demo" and who == "Ada (s001)"
    assert sorted(p.name for p in paths) == ["ada-1.json", "ada-2.json"]
    learners = book.learners()
    assert [(name, lid, sorted(q)) for name, lid, q in learners] == [
        ("Ada", "s001", ["01_demo", "01_rnn_metrics"]),
        ("Bo", "bo@uni.example", ["01_demo"]),
        ("Cy", "", ["01_demo"]),
    ]
    assert learners[0][2]["01_demo"].path.name == "ada-2.json"  # the best score counts


def test_wide_format(classroom, banks, tmp_path):
    book = grade([classroom], bank_dir=banks)
    table = read_csv(book.to_csv(tmp_path / "wide.csv", format="wide"))
    assert table == [
        ["learner", "learner_id", "01_demo", "01_rnn_metrics"],
        ["Ada", "s001", "3", "1"],
        ["Bo", "bo@uni.example", "1", ""],
        ["Cy", "", "3", ""],
    ]


def test_canvas_format_has_the_import_headers(classroom, banks, tmp_path):
    book = grade([classroom], bank_dir=banks)
    path = book.to_csv(tmp_path / "canvas.csv", format="canvas")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == [
        "Student", "ID", "SIS User ID", "SIS Login ID", "Section", "01_demo", "01_rnn_metrics",
    ]  # fmt: skip
    points, ada, bo = rows  # Cy has no id, the anonymous file neither: both left out
    assert points["Student"] == "Points Possible" and points["01_demo"] == "3"
    assert int(points["01_rnn_metrics"]) == len(load_bank("01_rnn_metrics").questions)
    assert (ada["Student"], ada["SIS User ID"], ada["SIS Login ID"]) == ("Ada", "s001", "")
    assert (bo["Student"], bo["SIS User ID"], bo["SIS Login ID"]) == ("Bo", "", "bo@uni.example")
    assert (ada["01_demo"], ada["01_rnn_metrics"], bo["01_rnn_metrics"]) == ("3", "1", "")


def test_moodle_format_has_an_identifier_column_per_kind_of_id(classroom, banks, tmp_path):
    book = grade([classroom], bank_dir=banks)
    table = read_csv(book.to_csv(tmp_path / "moodle.csv", format="moodle"))
    assert table == [
        ["Full name", "ID number", "Email address", "01_demo", "01_rnn_metrics"],
        ["Ada", "s001", "", "3", "1"],
        ["Bo", "", "bo@uni.example", "1", ""],
    ]
    (classroom / "bo.json").unlink()
    table = read_csv(grade([classroom], bank_dir=banks).to_csv(tmp_path / "m.csv", format="moodle"))
    assert table[0] == ["Full name", "ID number", "01_demo", "01_rnn_metrics"]


def test_first_try_scores(classroom, banks):
    book = grade([classroom], bank_dir=banks, score="first-try")
    scores = {e.path.name: e.result.n_correct for e in book.graded}
    assert scores == {
        "ada-1.json": 0, "ada-2.json": 3, "ada-rnn.json": 1, "bo.json": 1, "cy.json": 0,
        "anon.json": 0,
    }  # fmt: skip
    assert book.summary().startswith("Graded first-try 6 answers files")
    with pytest.raises(ValueError, match="`score`"):
        grade([classroom], bank_dir=banks, score="best")
    with pytest.raises(ValueError, match="`format`"):
        book.table("excel")


def test_first_try_skips_version_1_files(tmp_path, banks, bank):
    from course_utils.quiz.answers import answers_checksum

    payload = make_answers_payload(bank, ALL_RIGHT, learner="Old")
    for field in ("learner_id", "first_try", "checksum"):
        payload.pop(field)
    payload["format_version"] = 1
    payload["checksum"] = answers_checksum(payload)
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "v1.json").write_text(json.dumps(payload), encoding="utf-8")
    assert grade([tmp_path / "s"], bank_dir=banks).graded[0].result.n_correct == 3
    book = grade([tmp_path / "s"], bank_dir=banks, score="first-try")
    assert not book.graded and "records no first-try" in book.skipped[0][1]


# ------------------------------------------------------------------------ spreadsheet safety

HOSTILE_NAMES = [
    "Eve\r=cmd|' /C calc'!A0",
    "Eve\n=1+1",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    'quote " and, comma',
    "\uff1d1+1",
    "line\u2028sep",
]


@pytest.mark.parametrize("fmt", ["long", "wide", "canvas", "moodle"])
def test_every_cell_is_neutralised_and_quoted(tmp_path, banks, bank, fmt):
    for i, name in enumerate(HOSTILE_NAMES):
        save2(tmp_path / "s" / f"{i}.json", bank, ALL_RIGHT, name, name.replace("\t", "@"))
    book = grade([tmp_path / "s"], bank_dir=banks)
    path = book.to_csv(tmp_path / "g.csv", format=fmt)
    raw = path.read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\r" not in ln and b"\n" not in ln for ln in lines)
    assert all(line.startswith(b'"') for line in lines[:-1])  # every cell quoted
    table = read_csv(path)
    assert len(table) == 1 + len(HOSTILE_NAMES) + (fmt == "canvas")
    for row in table:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d")), cell
            assert "\r" not in cell and "\n" not in cell and "\u2028" not in cell
    cells = {cell for row in table for cell in row}
    assert "Eve\\r=cmd|' /C calc'!A0" in cells and '\'=HYPERLINK("http://x")' in cells
    assert 'quote " and, comma' in cells


def test_lone_surrogates_and_non_utf8_file_names_never_crash_the_write(tmp_path, banks, bank):
    import os

    folder = tmp_path / "s"
    save2(folder / "ok.json", bank, ALL_RIGHT, "Ok")
    odd = Path(os.fsdecode(bytes(folder) + b"/caf\xe9-\xff.json"))
    save2(odd, bank, ALL_RIGHT, "Odd")
    out = tmp_path / "g.csv"
    out.write_text("previous gradebook", encoding="utf-8")
    book = grade([folder], bank_dir=banks)
    assert len(book.graded) == 2
    book.to_csv(out)
    cells = {cell for row in read_csv(out) for cell in row}
    assert any(cell.endswith("caf\\xe9-\\xff.json") for cell in cells)


def test_a_failed_write_leaves_the_previous_gradebook(tmp_path, banks, bank, monkeypatch):
    from course_utils.quiz import answers as answers_module

    save2(tmp_path / "s" / "a.json", bank, ALL_RIGHT, "Ada")
    out = tmp_path / "g.csv"
    out.write_text("previous gradebook", encoding="utf-8")
    book = grade([tmp_path / "s"], bank_dir=banks)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(answers_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        book.to_csv(out)
    assert out.read_text(encoding="utf-8") == "previous gradebook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["banks", "g.csv", "s"]


# ---------------------------------------------------------------------------- hostile files


def hostile_files(folder: Path, bank) -> dict[str, str]:
    """name -> fragment of the reason it is skipped for."""
    from course_utils.quiz.answers import answers_checksum

    folder.mkdir(parents=True, exist_ok=True)

    def signed(**changes):
        payload = make_answers_payload(bank, {}, learner="Mallory")
        payload.update(changes)
        payload["checksum"] = answers_checksum(payload)
        return json.dumps(payload)

    files = {
        "deep.json": ("[" * 100_000, "nested deeper"),
        "deep-object.json": ('{"a":' * 30_000 + "1" + "}" * 30_000, "nested deeper"),
        "digits.json": (signed(answers={"demo-recall": "9" * 20_000}), "at most 64"),
        "huge-int.json": (signed(answers={"demo-recall": 10**400}), "to be text"),
        "big-int-literal.json": ('{"a": ' + "9" * 5000 + "}", "not valid JSON"),
        "nan.json": ('{"a": NaN}', "not valid JSON"),
        "big.json": (" " * 1_100_000 + "{}", "larger than"),
        "latin1.json": (b'{"learner": "caf\xe9"}', "not UTF-8"),
        "surrogate-name.json": (signed(learner="Eve\ud800"), "`learner`"),
        "long-name.json": (signed(learner="x" * 100_000), "`learner`"),
        "many-keys.json": (signed(answers={f"q{i}": "a" for i in range(20_000)}), "unknown"),
        "list.json": ("[]", "expected a JSON object"),
        "path-quiz.json": (signed(quiz="../../x"), "quiz id"),
        "bool-version.json": (signed(format_version=True), "format_version"),
        "first-try-type.json": (signed(first_try={"demo-recall": "yes"}), "first_try"),
    }
    for name, (text, _) in files.items():
        data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        (folder / name).write_bytes(data)
    return {name: fragment for name, (_, fragment) in files.items()}


def test_no_hostile_file_stops_the_run(tmp_path, banks, bank):
    expected = hostile_files(tmp_path / "s", bank)
    save2(tmp_path / "s" / "good.json", bank, ALL_RIGHT, "Good")
    book = grade([tmp_path / "s"], bank_dir=banks)
    assert [e.path.name for e in book.graded] == ["good.json"]
    reasons = {path.name: reason for path, reason in book.skipped}
    assert sorted(reasons) == sorted(expected)
    for name, fragment in expected.items():
        assert fragment in reasons[name], (name, reasons[name])
        assert "\n" not in reasons[name] and len(reasons[name]) < 700
        assert str(tmp_path / "s" / name) in reasons[name]


def test_find_answers_files_does_not_follow_folder_links(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.json").write_text("{}")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    assert [p.name for p in find_answers_files([tmp_path / "d"])] == ["a.json"]


def test_check_gradebook_path(tmp_path):
    from course_utils.instructor.grade import check_gradebook_path

    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.json").write_text("{}")
    (tmp_path / "one.json").write_text("{}")
    inputs = [tmp_path / "in", tmp_path / "one.json"]
    assert check_gradebook_path(tmp_path / "g.csv", inputs) == tmp_path / "g.csv"
    refused = {
        tmp_path / "one.json": "is one of the answers files",
        tmp_path / "in" / "a.json": "inside the input folder",
        tmp_path / "in" / "sub" / "g.csv": "inside the input folder",
        tmp_path / "in" / ".." / "in" / "g.csv": "inside the input folder",
        tmp_path / "in": "is a folder",
        tmp_path / "nowhere" / "g.csv": "does not exist",
    }
    for out, fragment in refused.items():
        with pytest.raises(ValueError, match=fragment):
            check_gradebook_path(out, inputs)
    (tmp_path / "link.csv").symlink_to(tmp_path / "one.json")
    with pytest.raises(ValueError, match="is one of the answers files"):
        check_gradebook_path(tmp_path / "link.csv", inputs)
