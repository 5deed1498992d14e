"""Instructor tools budgets (issue 9): assign and grade, in-process and through the CLI.

Prints:
  BENCH instructor.assign.seconds            assign() of every chapter (or the test fixture)
  BENCH instructor.cli_assign.seconds        `python -m course_utils assign ...`, cold process
  BENCH instructor.grade_500_files.seconds   grade() of 500 answers files
  BENCH instructor.cli_grade_500_files.seconds  `python -m course_utils grade ...`, cold process
  BENCH instructor.grade_hostile_file.seconds   grade() of one ~1 MB hostile answers file (the
                                                slowest of several kinds: a 1 MB digit string,
                                                1 MB of brackets, 100k option ids, 50k question
                                                ids, a 1 MB name, 1 MB of padding)

Budgets: assign under 5 s, CLI assign under 10 s, grading 500 files under 5 s, a hostile file
refused or graded in under 1 s (issue 16).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from instructor_fixtures import write_course  # noqa: E402

from course_utils.instructor import assign, grade  # noqa: E402
from course_utils.quiz import load_bank  # noqa: E402
from course_utils.quiz.answers import (  # noqa: E402
    answers_checksum,
    make_answers_payload,
    write_answers,
)

HOSTILE_BYTES = 1_000_000 - 2_000  # just under the 1 MB limit, so the file is parsed


def hostile_files(folder: Path, bank) -> list[Path]:
    """~1 MB answers files built to be slow: each is signed, so it passes the checksum."""
    numeric = next(q for q in bank.questions if q.type == "numeric")
    multiple = next((q for q in bank.questions if q.type == "multiple"), bank.questions[0])

    def signed(**changes) -> str:
        payload = make_answers_payload(bank, {}, learner="Mallory")
        payload.update(changes)
        payload["checksum"] = answers_checksum(payload)
        return json.dumps(payload)

    texts = {
        "digits": signed(answers={numeric.id: "9" * HOSTILE_BYTES}),
        "digits-then-x": signed(answers={numeric.id: "9" * HOSTILE_BYTES + "x"}),
        "brackets": "[" * HOSTILE_BYTES,
        "option-ids": signed(answers={multiple.id: ["x"] * (HOSTILE_BYTES // 5)}),
        "question-ids": signed(answers={f"q{i:06d}": "a" for i in range(HOSTILE_BYTES // 16)}),
        "name": signed(learner="=" * HOSTILE_BYTES),
        "padding": " " * HOSTILE_BYTES + signed(),
    }
    paths = []
    for name, text in texts.items():
        path = folder / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="instructor-bench-") as tmp:
        tmp = Path(tmp)
        real = sorted(p.stem for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
        if real:
            options, stems = {}, real
        else:
            course = write_course(tmp / "course")
            options = {"chapters_dir": course["chapters"], "bank_dir": course["banks"]}
            stems = ["01_demo"]
        start = time.perf_counter()
        assign(stems, out=tmp / "a", **options)
        in_process = time.perf_counter() - start

        cli = [sys.executable, "-m", "course_utils"]
        extra = []
        if options:
            extra = [
                "--chapters",
                str(options["chapters_dir"]),
                "--banks",
                str(options["bank_dir"]),
            ]
        env = {**os.environ, "TQDM_DISABLE": "1"}
        start = time.perf_counter()
        subprocess.run([*cli, "assign", *stems, "--out", str(tmp / "b"), *extra],
                       check=True, stdout=subprocess.DEVNULL, env=env)  # fmt: skip
        cold_assign = time.perf_counter() - start

        bank = load_bank("01_rnn_metrics")
        first = bank.questions[0]
        (tmp / "answers").mkdir()
        for i in range(500):
            value = first.correct_ids[0] if i % 2 else first.options[-1].id
            payload = make_answers_payload(bank, {first.id: value}, learner=f"learner {i:03d}")
            write_answers(tmp / "answers" / f"{i:03d}.json", payload)
        start = time.perf_counter()
        book = grade([tmp / "answers"])
        graded = time.perf_counter() - start
        assert len(book.graded) == 500
        start = time.perf_counter()
        subprocess.run([*cli, "grade", str(tmp / "answers"), "--out", str(tmp / "g.csv")],
                       check=True, stdout=subprocess.DEVNULL, env=env)  # fmt: skip
        cold_grade = time.perf_counter() - start

        (tmp / "hostile").mkdir()
        hostile = 0.0
        for path in hostile_files(tmp / "hostile", bank):
            start = time.perf_counter()
            book = grade([path])
            hostile = max(hostile, time.perf_counter() - start)
            assert len(book.graded) + len(book.skipped) == 1
    print(f"BENCH instructor.assign.seconds {in_process:.2f} s")
    print(f"BENCH instructor.cli_assign.seconds {cold_assign:.2f} s")
    print(f"BENCH instructor.grade_500_files.seconds {graded:.2f} s")
    print(f"BENCH instructor.cli_grade_500_files.seconds {cold_grade:.2f} s")
    print(f"BENCH instructor.grade_hostile_file.seconds {hostile:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
