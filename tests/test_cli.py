"""The `course-utils` command: in-process through main() and as a real subprocess."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from instructor_fixtures import BANK_YAML, write_course

from course_utils.cli import main
from course_utils.quiz import load_bank
from course_utils.quiz.answers import make_answers_payload, write_answers

VENV_BIN = Path(sys.executable).parent


@pytest.fixture
def course(tmp_path):
    return write_course(tmp_path / "course")


def run(*args: str, cwd: Path | None = None, script: bool = False) -> subprocess.CompletedProcess:
    """`python -m course_utils ...`, or the installed console script with script=True."""
    command = [str(VENV_BIN / "course-utils")] if script else [sys.executable, "-m", "course_utils"]
    env = {**os.environ, "TQDM_DISABLE": "1"}
    return subprocess.run(
        [*command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def assign_args(course, out: Path, *extra: str) -> list[str]:
    return [
        "assign", "01_demo", "--out", str(out),
        "--chapters", str(course["chapters"]), "--banks", str(course["banks"]), *extra,
    ]  # fmt: skip


# -- assign ------------------------------------------------------------------------------------


def test_assign_in_process(course, tmp_path, capsys):
    assert main(assign_args(course, tmp_path / "out")) == 0
    out = capsys.readouterr().out
    assert f"Wrote {tmp_path / 'out'}:" in out
    assert "student/01_demo.ipynb" in out and "3 solution(s) replaced by stubs" in out
    assert "answer_key/01_demo_quiz_answers.md" in out
    assert (tmp_path / "out" / "student.zip").is_file()


@pytest.mark.slow
def test_assign_subprocess_is_deterministic(course, tmp_path):
    for name in ("a", "b"):
        result = run(*assign_args(course, tmp_path / name))
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    for name in ["student/01_demo.ipynb", "answer_key/01_demo_quiz_answers.md", "student.zip"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_console_script_is_installed(course, tmp_path):
    args = [
        "assign",
        "09_nope",
        "--out",
        str(tmp_path / "o"),
        "--chapters",
        str(course["chapters"]),
    ]
    result = run(*args, script=True)
    assert result.returncode == 2
    assert "Unknown chapter '09_nope'" in result.stderr
    version = run("--version", script=True)
    assert version.returncode == 0 and version.stdout.startswith("course-utils ")


@pytest.mark.parametrize("via", ["main", "subprocess"])
def test_assign_errors_exit_2_without_traceback(course, tmp_path, capsys, via):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x")
    cases = [
        (
            [
                "assign",
                "09_nope",
                "--out",
                str(tmp_path / "o"),
                "--chapters",
                str(course["chapters"]),
            ],
            "course-utils assign: error: Unknown chapter '09_nope'. Valid chapters: 01_demo.",
        ),
        (
            assign_args(course, tmp_path / "full"),
            "is not empty. Choose a new folder, or pass `--force`",
        ),
        (["assign", "01_demo"], "the following arguments are required: --out"),
    ]
    for args, message in cases:
        if via == "main":
            code = main(args)
            err = capsys.readouterr().err
        else:
            result = run(*args)
            code, err = result.returncode, result.stderr
        assert code == 2, args
        assert message in err
        assert "Traceback" not in err
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]


def test_force_lets_assign_write_into_a_non_empty_folder(course, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("x")
    assert main(assign_args(course, tmp_path / "out", "--force")) == 0
    assert (tmp_path / "out" / "keep.txt").read_text() == "x"
    assert (tmp_path / "out" / "student" / "01_demo.ipynb").is_file()


# -- grade -------------------------------------------------------------------------------------


@pytest.fixture
def answers(tmp_path):
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "01_demo.yaml").write_text(BANK_YAML, encoding="utf-8")
    bank = load_bank(banks / "01_demo.yaml")
    folder = tmp_path / "answers"
    folder.mkdir()
    write_answers(
        folder / "ada.json",
        make_answers_payload(
            bank, {"recall-def": "positives", "demo-recall": ".8333"}, learner="Ada"
        ),
    )
    write_answers(
        folder / "bo.json", make_answers_payload(bank, {"recall-def": "flagged"}, learner="Bo")
    )
    return {"banks": banks, "folder": folder}


def grade_args(answers, out: Path, *paths: Path) -> list[str]:
    targets = [str(p) for p in paths] or [str(answers["folder"])]
    return ["grade", *targets, "--out", str(out), "--banks", str(answers["banks"])]


def test_grade_all_good_exits_0_and_writes_the_gradebook(answers, tmp_path, capsys):
    out = tmp_path / "gradebook.csv"
    assert main(grade_args(answers, out)) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        f"Graded 2 answers files (01_demo: 2 file(s), mean 1.0/3); skipped 0. Gradebook: {out}\n"
    )
    assert captured.err == ""
    with out.open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[0] == [
        "learner",
        "learner_id",
        "quiz",
        "recall-def",
        "pitfalls",
        "demo-recall",
        "score",
        "total",
        "file",
    ]
    assert [row[:8] for row in table[1:]] == [
        ["Ada", "", "01_demo", "1", "0", "1", "2", "3"],
        ["Bo", "", "01_demo", "0", "0", "0", "0", "3"],
    ]


def test_grade_with_bad_files_reports_them_and_exits_1(answers, tmp_path):
    (answers["folder"] / "broken.json").write_text("{", encoding="utf-8")
    text = (answers["folder"] / "bo.json").read_text().replace('"flagged"', '"positives"')
    (answers["folder"] / "edited.json").write_text(text, encoding="utf-8")
    out = tmp_path / "gradebook.csv"
    result = run(*grade_args(answers, out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(
        line.startswith("skipped ") and "broken.json: not valid JSON" in line for line in lines
    )
    assert any("edited.json: the checksum does not match" in line for line in lines)
    assert "Graded 2 answers files" in result.stdout and "skipped 2" in result.stdout
    assert len(out.read_text().splitlines()) == 3  # header + the two good files


def test_grade_nothing_gradable_or_missing_input_exits_2(answers, tmp_path, capsys):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.json").write_text("[]")
    out = tmp_path / "gradebook.csv"
    assert main(grade_args(answers, out, tmp_path / "bad")) == 2
    err = capsys.readouterr().err
    assert "x.json: expected a JSON object" in err
    assert "course-utils grade: error: no answers file could be graded." in err
    assert not out.exists()

    assert main(grade_args(answers, out, tmp_path / "missing.json")) == 2
    err = capsys.readouterr().err
    assert "course-utils grade: error: Expected each path" in err and "does not exist" in err


def test_grade_reports_duplicate_learners(answers, tmp_path, capsys):
    (answers["folder"] / "ada-again.json").write_bytes(
        (answers["folder"] / "ada.json").read_bytes()
    )
    assert main(grade_args(answers, tmp_path / "g.csv")) == 0
    err = capsys.readouterr().err
    assert "warning: 'Ada' has 2 answers files for 01_demo" in err


def test_help_and_no_command():
    assert main(["--help"]) == 0
    assert main([]) == 2
    result = run("grade", "--help")
    assert result.returncode == 0 and "Exit code 0 if every file was graded" in result.stdout


def test_grade_refuses_an_out_among_the_inputs(answers, tmp_path, capsys):
    before = (answers["folder"] / "ada.json").read_bytes()
    for out in (answers["folder"] / "ada.json", answers["folder"] / "gradebook.csv"):
        assert main(grade_args(answers, out)) == 2
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and "course-utils grade: error: Expected `--out`" in err
    assert main(grade_args(answers, tmp_path / "g.csv", answers["folder"] / "ada.json")) == 0
    assert (
        main(grade_args(answers, answers["folder"] / "ada.json", answers["folder"] / "ada.json"))
        == 2
    )
    assert (answers["folder"] / "ada.json").read_bytes() == before
    assert not (answers["folder"] / "gradebook.csv").exists()


def test_grade_formats_scores_and_identity_warnings(answers, tmp_path, capsys):
    bank = load_bank(answers["banks"] / "01_demo.yaml")
    write_answers(
        answers["folder"] / "cy.json",
        make_answers_payload(
            bank, {"recall-def": "positives"}, learner="Cy", learner_id="cy@uni.example",
            first_try={"recall-def": False},
        ),
    )  # fmt: skip
    write_answers(answers["folder"] / "anon.json", make_answers_payload(bank, {}))
    expected_headers = {
        "long": ["learner", "learner_id", "quiz"],
        "wide": ["learner", "learner_id", "01_demo"],
        "canvas": ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "01_demo"],
        "moodle": ["Full name", "Email address", "01_demo"],
    }
    for fmt, header in expected_headers.items():
        out = tmp_path / f"{fmt}.csv"
        assert main([*grade_args(answers, out), "--format", fmt]) == 0
        err = capsys.readouterr().err.splitlines()
        assert any(
            line.startswith("warning: 1 answers file(s) give no learner name or id") for line in err
        )
        if fmt in ("canvas", "moodle"):
            assert any("give a name but no learner id" in line for line in err)
        with out.open(newline="", encoding="utf-8") as handle:
            table = list(csv.reader(handle))
        assert table[0][: len(header)] == header
    with (tmp_path / "canvas.csv").open(newline="", encoding="utf-8") as handle:
        canvas = list(csv.reader(handle))
    assert canvas[2] == ["Cy", "", "", "cy@uni.example", "", "1"]
    out = tmp_path / "first.csv"
    assert main([*grade_args(answers, out), "--format", "wide", "--score", "first-try"]) == 0
    with out.open(newline="", encoding="utf-8") as handle:
        assert ["Cy", "cy@uni.example", "0"] in list(csv.reader(handle))
    assert main([*grade_args(answers, out), "--format", "excel"]) == 2
    assert "invalid choice: 'excel'" in capsys.readouterr().err


def test_grade_survives_hostile_files_in_a_subprocess(answers, tmp_path):
    folder = answers["folder"]
    (folder / "deep.json").write_text("[" * 200_000)
    from course_utils.quiz.answers import answers_checksum

    payload = json.loads((folder / "bo.json").read_text())
    payload["answers"]["demo-recall"] = "9" * 20_000
    payload["checksum"] = answers_checksum(payload)
    (folder / "digits.json").write_text(json.dumps(payload))
    (folder / "caf\udce9.json").write_text("{}")
    out = tmp_path / "g.csv"
    out.write_text("previous")
    result = run(*grade_args(answers, out))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 3 and any("caf\\xe9.json" in line for line in skipped)
    assert any("digits.json: the answer to question 'demo-recall'" in line for line in skipped)
    assert len(out.read_text().splitlines()) == 3


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[]", "not a valid notebook: expected a JSON object"),
        ("{}", "not a valid notebook: expected `nbformat` 4"),
        ("{ nope", "not a valid notebook: not JSON"),
        (
            '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": '
            '[{"cell_type": "markdown", "metadata": {}, "id": "a"}]}',
            "cell 0 has no `source`",
        ),
    ],
)
def test_assign_refuses_malformed_chapters_in_one_line(course, tmp_path, capsys, text, fragment):
    (course["chapters"] / "02_bad.ipynb").write_text(text, encoding="utf-8")
    args = ["assign", "02_bad", "--out", str(tmp_path / "o"), "--chapters", str(course["chapters"])]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("course-utils assign: error: ")
    assert "02_bad.ipynb" in err and fragment in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "source",
    [
        ":::{solution} ex-1\\n42 is the secret\\n",  # unclosed: runs to the end of its cell
        "> :::{Solution} ex-1\\n> 42 is the secret\\n> :::",  # in a block quote
    ],
)
def test_assign_strips_solutions_the_book_reads_there(course, tmp_path, source):
    """Forms the book renders as a solution (as myst-parser reads them) are cut, not refused."""
    text = (
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": '
        '"markdown", "metadata": {}, "id": "a", "source": "' + source + '"}]}'
    )
    (course["chapters"] / "02_odd.ipynb").write_text(text, encoding="utf-8")
    out = tmp_path / "o"
    args = ["assign", "02_odd", "--out", str(out), "--chapters", str(course["chapters"])]
    assert main(args) == 0
    student = (out / "student" / "02_odd.ipynb").read_text(encoding="utf-8")
    assert "42" not in student and "secret" not in student


def test_cli_choices_match_the_library():
    import importlib

    from course_utils import cli

    grade_module = importlib.import_module("course_utils.instructor.grade")

    assert cli.FORMATS == grade_module.FORMATS and cli.SCORES == grade_module.SCORES
