"""Hostile inputs to `course-utils grade` and `assign` (issue 27, items 6-15): special files,
deep folders, lookalike learner ids, formula injection, broken banks, unwritable stdout."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from instructor_fixtures import BANK_YAML

from course_utils.cli import main
from course_utils.quiz import load_bank
from course_utils.quiz.answers import make_answers_payload, write_answers


@pytest.fixture
def answers(tmp_path):
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "01_demo.yaml").write_text(BANK_YAML, encoding="utf-8")
    folder = tmp_path / "answers"
    folder.mkdir()
    bank = load_bank(banks / "01_demo.yaml")
    write_answers(
        folder / "ada.json",
        make_answers_payload(bank, {"recall-def": "positives"}, learner="Ada", learner_id="s1"),
    )
    write_answers(
        folder / "bo.json",
        make_answers_payload(bank, {"recall-def": "flagged"}, learner="Bo", learner_id="s2"),
    )
    return {"banks": banks, "folder": folder, "bank": bank}


def grade_args(answers, out: Path, *paths: Path) -> list[str]:
    targets = [str(p) for p in paths] or [str(answers["folder"])]
    return ["grade", *targets, "--out", str(out), "--banks", str(answers["banks"])]


def run(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "TQDM_DISABLE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "course_utils", *args],
        env=env, capture_output=True, text=True, timeout=timeout, **kwargs,
    )  # fmt: skip


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


# -- item 8: --out is a regular file or a new path; writes are atomic ------------------------


def test_grade_refuses_a_fifo_as_out_and_leaves_it(answers, tmp_path, capsys):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert main(grade_args(answers, fifo)) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert "regular file or a new path" in err[0] and "FIFO" in err[0]
    import stat

    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the FIFO, not a regular file
    link = tmp_path / "link.csv"
    link.symlink_to(fifo)
    assert main(grade_args(answers, link)) == 2
    assert "FIFO" in capsys.readouterr().err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and link.is_symlink()


def test_device_nodes_are_never_replaced():
    from course_utils.instructor.grade import Gradebook, check_gradebook_path
    from course_utils.quiz.answers import atomic_write_bytes

    with pytest.raises(ValueError, match="/dev/null is a character device"):
        check_gradebook_path("/dev/null", ["unused"])
    # the write itself refuses too, whoever calls it (the API, Quiz.save)
    with pytest.raises(ValueError, match="character device; nothing was written"):
        atomic_write_bytes("/dev/null", b"x")
    with pytest.raises(ValueError, match="character device"):
        Gradebook((), ()).to_csv("/dev/null")
    assert Path("/dev/null").is_char_device()


def test_a_failed_write_keeps_the_previous_gradebook(answers, tmp_path, capsys, monkeypatch):
    out = tmp_path / "gradebook.csv"
    out.write_text("previous gradebook\n")

    def failing_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    assert main(grade_args(answers, out)) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "No space left on device" in err[0]
    assert out.read_text() == "previous gradebook\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers", "banks", "gradebook.csv"]
    monkeypatch.undo()
    assert main(grade_args(answers, out)) == 0
    assert read_csv(out)[0][0] == "learner"


# -- item 6: a learner named "Points Possible" in a Canvas gradebook ---------------------------


@pytest.mark.parametrize(
    "name", ["Points Possible", "  points   POSSIBLE ", "Points\u200bPossible", "ＰＯＩＮＴＳ Possible",
             "x Points-Possible x"],
)  # fmt: skip
def test_canvas_renames_a_learner_called_points_possible(answers, tmp_path, capsys, name):
    write_answers(
        answers["folder"] / "pp.json",
        make_answers_payload(answers["bank"], {"recall-def": "positives"}, learner=name,
                             learner_id="s9"),
    )  # fmt: skip
    out = tmp_path / "canvas.csv"
    assert main([*grade_args(answers, out), "--format", "canvas"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "Canvas would read as its Points Possible row" in err[0]
    table = read_csv(out)
    # Canvas: `row[0] =~ /Points Possible/` marks the points row; only the real one may match
    marked = [row for row in table[1:] if "points possible" in row[0].casefold()]
    assert marked == [["Points Possible", "", "", "", "", "3"]]
    assert ["Learner s9 (renamed)", "", "s9", "", "", "1"] in table


# -- CSV formula injection: OWASP's neutralisation in every gradebook format --------------------

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d")
HOSTILE_TEXT = [
    "=HYPERLINK(\"http://x.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1",
    "\r=1+1", "  =1+1", "＝1+1", "\t@x",
]  # fmt: skip


@pytest.mark.parametrize("fmt", ["long", "wide", "canvas", "moodle"])
def test_learner_text_that_starts_a_formula_is_quoted(answers, tmp_path, capsys, fmt):
    for k, text in enumerate(HOSTILE_TEXT):
        write_answers(
            answers["folder"] / f"h{k}.json",
            make_answers_payload(answers["bank"], {}, learner=text, learner_id=f"{text}{k}"),
        )
    out = tmp_path / f"{fmt}.csv"
    assert main([*grade_args(answers, out), "--format", fmt]) == 0
    capsys.readouterr()
    cells = [cell for row in read_csv(out) for cell in row]
    assert not [c for c in cells if c.lstrip(" ").startswith(DANGEROUS_START)]
    quoted = [c for c in cells if c.startswith("'")]
    assert len(quoted) >= len(HOSTILE_TEXT)  # each hostile name (or id) is kept, quoted


def test_safe_cell_quotes_owasp_starts_before_escaping_them():
    from course_utils.instructor.grade import safe_cell

    for text in HOSTILE_TEXT:  # names are stripped when read; the cell function does not rely on it
        assert safe_cell(text).startswith("'"), text
    assert safe_cell("\t=1+1") == "'\\t=1+1" and safe_cell("\r@x") == "'\\r@x"
    assert safe_cell("Ada") == "Ada" and safe_cell("a-b") == "a-b"


# -- items 7 and 10: deep folders and entries that are not answers files -----------------------


@pytest.fixture
def deep_folder(answers):
    """``answers/d/d/.../d`` 1,000 levels deep, removed level by level afterwards (Python's
    ``shutil.rmtree``, which pytest uses to clean up, recurses and would fail on it)."""
    levels = [answers["folder"]]
    for _ in range(1000):  # one level at a time: Path.mkdir(parents=True) recurses too
        levels.append(levels[-1] / "d")
        os.mkdir(levels[-1])
    yield levels[-1]
    for level in reversed(levels[1:]):
        for child in level.iterdir():
            if not child.is_dir() or child.is_symlink():
                child.unlink()
        level.rmdir()


def test_a_folder_nested_1000_deep_does_not_stop_the_run(answers, deep_folder, tmp_path, capsys):
    deep = deep_folder
    write_answers(
        deep / "cy.json", make_answers_payload(answers["bank"], {}, learner="Cy", learner_id="s3")
    )
    out = tmp_path / "g.csv"
    assert main(grade_args(answers, out)) == 0  # every file graded: exit 0 as documented
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "Graded 3 answers files" in captured.out
    files = [row[-1] for row in read_csv(out)[1:]]
    assert any(f.endswith("/d/cy.json") and f.count("/d") == 1000 for f in files)


def test_special_entries_get_one_line_each(answers, tmp_path, capsys):
    folder = answers["folder"]
    os.mkfifo(folder / "pipe.json")
    (folder / "broken.json").symlink_to(tmp_path / "nowhere.json")
    (folder / "loop.json").symlink_to(folder / "loop.json")
    (folder / "x.json").mkdir()
    (folder / "x.json" / "inner.json").write_bytes((folder / "bo.json").read_bytes())
    (folder / "dirlink.json").symlink_to(tmp_path / "banks")
    (folder / "alias.json").symlink_to(folder / "ada.json")  # a link to a file is graded
    (folder / "notes.txt").write_text("ignored: not named *.json")
    out = tmp_path / "g.csv"
    assert main(grade_args(answers, out)) == 1  # some skipped, the rest graded
    err = capsys.readouterr().err.splitlines()
    lines = {name: [line for line in err if f"/{name}:" in line] for name in
             ["pipe.json", "broken.json", "loop.json", "x.json", "dirlink.json"]}  # fmt: skip
    assert all(len(found) == 1 for found in lines.values()), lines
    assert "FIFO (named pipe), not an answers file" in lines["pipe.json"][0]
    assert "broken symbolic link" in lines["broken.json"][0]
    assert "symbolic link loop" in lines["loop.json"][0]
    assert "a folder, not an answers file" in lines["x.json"][0]
    assert "link to a folder (not followed)" in lines["dirlink.json"][0]
    assert all(line.startswith("skipped ") for found in lines.values() for line in found)
    duplicates = [line for line in err if line.startswith("warning: ")]
    assert len(err) == 5 + len(duplicates) and len(duplicates) == 2  # ada+alias, bo+inner
    files = sorted(Path(row[-1]).name for row in read_csv(out)[1:])
    assert files == ["ada.json", "alias.json", "bo.json", "inner.json"]


def test_a_fifo_named_on_the_command_line_is_skipped_not_read(answers, tmp_path, capsys):
    fifo = tmp_path / "given.json"
    os.mkfifo(fifo)
    out = tmp_path / "g.csv"
    assert main(grade_args(answers, out, fifo, answers["folder"] / "ada.json")) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"skipped {fifo}: a FIFO (named pipe), not an answers file."]
    assert len(read_csv(out)) == 2


# -- items 13 and 14: a broken --banks bank is read once; a "billion laughs" bank is refused --


def billion_laughs() -> str:
    lines = ["quiz: 01_demo", 'version: "1"', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join([*lines, "questions: *a9", ""])


@pytest.mark.parametrize(
    "text, fragment",
    [
        (billion_laughs(), "'billion laughs'"),
        ("quiz: 01_demo\nquestions: &q [*q]\n", "refers to itself"),
        ("quiz: 01_demo\nquestions: [\n", "not valid YAML"),
    ],
)
def test_a_broken_bank_is_parsed_once_and_refused_in_one_line(
    answers, tmp_path, capsys, monkeypatch, text, fragment
):
    import course_utils.quiz as quiz

    (answers["banks"] / "01_demo.yaml").write_text(text, encoding="utf-8")
    for k in range(5):
        (answers["folder"] / f"copy{k}.json").write_bytes(
            (answers["folder"] / "ada.json").read_bytes()
        )
    calls = []
    real = quiz.load_bank
    monkeypatch.setattr(quiz, "load_bank", lambda arg: calls.append(arg) or real(arg))
    out = tmp_path / "g.csv"
    assert main(grade_args(answers, out)) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("course-utils grade: error: the quiz bank for 01_demo in --banks")
    assert fragment in err[0] and "01_demo.yaml" in err[0]
    assert len(calls) == 1  # not once per answers file (7 of them)
    assert not out.exists()


def test_a_billion_laughs_bank_is_refused_fast_in_a_subprocess(answers, tmp_path):
    (answers["banks"] / "01_demo.yaml").write_text(billion_laughs(), encoding="utf-8")
    out = tmp_path / "g.csv"
    # a 1 GB expansion would take minutes and gigabytes; the bound refuses it at once
    result = run(*grade_args(answers, out), timeout=60)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "'billion laughs'" in result.stderr
    from instructor_fixtures import write_course

    course = write_course(tmp_path / "course")
    (course["banks"] / "01_demo.yaml").write_text(billion_laughs(), encoding="utf-8")
    result = run("assign", "01_demo", "--out", str(tmp_path / "week"), "--chapters",
                 str(course["chapters"]), "--banks", str(course["banks"]), timeout=60)  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "'billion laughs'" in result.stderr


# -- item 15: an unwritable stdout does not make grade or assign deny what they wrote ----------


@pytest.mark.parametrize("case", ["closed pipe", "/dev/full", ">&-"])
def test_grade_with_an_unwritable_stdout_tells_the_truth(answers, tmp_path, case):
    out = tmp_path / "g.csv"
    result = run_with_stdout(case, tmp_path, grade_args(answers, out))
    assert result.returncode == 0, result.stderr  # everything was graded and written
    assert out.is_file() and len(read_csv(out)) == 3
    err = result.stderr.splitlines()
    assert len(err) == 1, err
    assert "warning: stdout could not be written" in err[0]
    assert "the output was written all the same" in err[0] and "Gradebook:" in err[0]
    assert "nothing was written" not in result.stderr


def test_assign_with_stdout_on_dev_full_tells_the_truth(tmp_path):
    from instructor_fixtures import write_course

    course = write_course(tmp_path / "course")
    week = tmp_path / "week"
    args = ["assign", "01_demo", "--out", str(week), "--chapters", str(course["chapters"]),
            "--banks", str(course["banks"])]  # fmt: skip
    result = run_with_stdout("/dev/full", tmp_path, args)
    assert result.returncode == 0, result.stderr
    assert (week / "student.zip").is_file()
    err = result.stderr.splitlines()
    assert len(err) == 1 and "No space left on device" in err[0] and f"Wrote {week}" in err[0]


def run_with_stdout(case: str, tmp_path: Path, args: list[str]) -> subprocess.CompletedProcess:
    import shlex

    env = {**os.environ, "TQDM_DISABLE": "1"}
    command = [sys.executable, "-m", "course_utils", *args]
    if case == ">&-":
        line = shlex.join(command) + " >&-"
        return subprocess.run(["bash", "-c", line], env=env, stderr=subprocess.PIPE,
                              text=True, timeout=120)  # fmt: skip
    if case == "closed pipe":
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            return subprocess.run(command, env=env, stdout=write_end, stderr=subprocess.PIPE,
                                  text=True, timeout=120)  # fmt: skip
        finally:
            os.close(write_end)
    with open("/dev/full", "w") as full:
        return subprocess.run(command, env=env, stdout=full, stderr=subprocess.PIPE, text=True,
                              timeout=120)  # fmt: skip


# -- item 9: answers files and gradebooks honour the umask ---------------------------------


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_get_the_mode_the_umask_allows(answers, tmp_path, capsys, umask, mode):
    previous = os.umask(umask)
    try:
        path = write_answers(tmp_path / "a.json", make_answers_payload(answers["bank"], {}))
        out = tmp_path / "g.csv"
        assert main(grade_args(answers, out)) == 0
    finally:
        os.umask(previous)
    capsys.readouterr()
    assert os.stat(path).st_mode & 0o777 == mode
    assert os.stat(out).st_mode & 0o777 == mode


# -- item 12: bidi controls are escaped in the CSV and on stderr; U+2028 unambiguously ---------

BIDI = "\u202e\u2066\u200f\u061c"


def test_bidi_controls_and_line_separators_are_escaped(answers, tmp_path, capsys):
    name = f"Eve{BIDI}lin\u2028e"
    for k in range(2):  # two files: the duplicate warning names the learner on stderr
        write_answers(
            answers["folder"] / f"eve{k}.json",
            make_answers_payload(answers["bank"], {}, learner=name, learner_id=f"e{BIDI}1"),
        )
    out = tmp_path / "g.csv"
    assert main(grade_args(answers, out)) == 0
    err = capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    for written in (err, text):
        assert not set(BIDI + "\u2028") & set(written)
    assert "Eve\\u202e\\u2066\\u200f\\u061clin\\u2028e" in text
    assert "\\x2028" not in text and "\\u202e" in err

    from course_utils.instructor.grade import one_line, safe_cell

    assert safe_cell("a\u2029b") == "a\\u2029b" and one_line("\u2028") == "\\u2028"
    assert safe_cell("a\x07") == "a\\x07"


# -- item 11: ids and names that only look different are one learner ------------------------


@pytest.mark.parametrize(
    "twin",
    [
        "\uff33\uff11",  # full-width S1
        "s1\u200b",  # a zero-width space after it
        "\ufeffs1",  # a byte-order mark before it
        "\u2066s1\u2069",  # wrapped in bidirectional isolates
        "S1",  # another case
    ],
)
def test_lookalike_learner_ids_are_one_learner(answers, twin):
    from course_utils.instructor.grade import grade

    bank = answers["bank"]
    payload = make_answers_payload(bank, {"recall-def": "flagged"}, learner="Ada", learner_id=twin)
    write_answers(answers["folder"] / "ada-again.json", payload)
    book = grade([answers["folder"]], bank_dir=answers["banks"])
    [(_who, quiz, paths)] = book.duplicates()  # Ada's two files, not two learners
    assert quiz == "01_demo" and sorted(p.name for p in paths) == ["ada-again.json", "ada.json"]
    assert len({entry.key for entry in book.graded}) == 2  # Ada and Bo


def test_names_in_two_unicode_forms_are_one_learner(tmp_path, answers):
    from course_utils.instructor.grade import grade

    bank, folder = answers["bank"], tmp_path / "names"
    folder.mkdir()
    for name, learner in (("1.json", "Jos\u00e9 Ruiz"), ("2.json", "Jose\u0301  ruiz")):
        write_answers(folder / name, make_answers_payload(bank, {}, learner=learner))
    book = grade([folder], bank_dir=answers["banks"])
    assert len(book.duplicates()) == 1 and len({e.key for e in book.graded}) == 1
