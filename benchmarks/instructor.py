"""Instructor tools budgets (issue 9): assign and grade, in-process and through the CLI.

Prints:
  BENCH instructor.assign.seconds            assign() of every chapter (or the test fixture)
  BENCH instructor.cli_assign.seconds        `python -m course_utils assign ...`, cold process
  BENCH instructor.grade_500_files.seconds   grade() of 500 answers files
  BENCH instructor.cli_grade_500_files.seconds  `python -m course_utils grade ...`, cold process

Budgets: assign under 5 s, CLI assign under 10 s, grading 500 files under 5 s.
"""

from __future__ import annotations

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
from course_utils.quiz import load_bank, make_answers_payload, write_answers  # noqa: E402


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
    print(f"BENCH instructor.assign.seconds {in_process:.2f} s")
    print(f"BENCH instructor.cli_assign.seconds {cold_assign:.2f} s")
    print(f"BENCH instructor.grade_500_files.seconds {graded:.2f} s")
    print(f"BENCH instructor.cli_grade_500_files.seconds {cold_grade:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
