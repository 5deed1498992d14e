"""The ``course-utils`` command (also ``python -m course_utils``): tools for instructors.

::

    course-utils assign 01_rnn_metrics 02_gru_metrics --out week1
    course-utils grade submissions/ --out gradebook.csv

Exit codes: 0 success; 1 ``grade`` skipped some files but graded the others; 2 a usage error
(unknown chapter, non-empty output folder, missing file, nothing to grade...), reported in one
line on stderr, without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROG = "course-utils"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per tool."""
    from course_utils import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Instructor tools for the course 'Evaluating recurrent models in PyTorch'.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    assign = commands.add_parser(
        "assign",
        help="write student editions, an answer key and student.zip for some chapters",
        description=(
            "Write DIR/student/<chapter>.ipynb (solutions replaced by 'Your turn' stubs, outputs "
            "of cells between an exercise and its solution cleared, quizzes kept), "
            "DIR/answer_key/ (the full notebooks and <chapter>_quiz_answers.md) and "
            "DIR/student.zip. The same chapters always give byte-identical files."
        ),
    )
    assign.add_argument(
        "chapters", nargs="+", metavar="CHAPTER", help="a chapter stem, e.g. 02_gru_metrics"
    )
    assign.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="output folder (new or empty)"
    )
    assign.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty DIR, replacing its student/, answer_key/ and student.zip",
    )
    assign.add_argument(
        "--chapters",
        dest="chapters_dir",
        type=Path,
        metavar="DIR",
        help="folder of chapter notebooks (default: chapters/ of the repository)",
    )
    assign.add_argument("--banks", dest="bank_dir", type=Path, metavar="DIR", help=_BANKS_HELP)
    assign.set_defaults(run=_run_assign)

    grade = commands.add_parser(
        "grade",
        help="score saved quiz answers into a CSV gradebook",
        description=(
            "Score the answers files learners saved (Quiz.save or the page's 'Download answers') "
            "and write one row per file: learner, quiz, one column per question (1 right, 0 wrong "
            "or unanswered), score, total, file. Files that are malformed or were edited by hand "
            "are reported on stderr and skipped; the others are still graded. Exit code 0 if "
            "every file was graded, 1 if some were skipped, 2 if none could be."
        ),
    )
    grade.add_argument(
        "responses", nargs="+", type=Path, metavar="RESPONSES",
        help="an answers file, or a folder searched recursively for *.json",
    )  # fmt: skip
    grade.add_argument(
        "--out", type=Path, default=Path("gradebook.csv"), metavar="CSV",
        help="where to write the gradebook (default: gradebook.csv; replaced if it exists)",
    )  # fmt: skip
    grade.add_argument("--banks", dest="bank_dir", type=Path, metavar="DIR", help=_BANKS_HELP)
    grade.set_defaults(run=_run_grade)
    return parser


_BANKS_HELP = "folder of quiz banks (<quiz>.yaml) that take precedence over the shipped ones"


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0, 1 or 2, see the module docstring).

    Examples
    --------
    >>> main(["assign", "no_such_chapter", "--out", "unused", "--chapters", "."])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version and usage errors; keep main() callable
        return stop.code if isinstance(stop.code, int) else 2
    try:
        return args.run(args)
    except (ValueError, TypeError, OSError) as err:
        print(f"{PROG} {args.command}: error: {err}", file=sys.stderr)
        return 2


def _run_assign(args) -> int:
    from course_utils.instructor import assign

    done = assign(
        args.chapters,
        out=args.out,
        chapters_dir=args.chapters_dir,
        bank_dir=args.bank_dir,
        force=args.force,
    )
    print(f"Wrote {done.out}:")
    for path in done.student:
        n = done.solutions[path.stem]
        print(f"  {_relative(path, done.out):<48} {n} solution(s) replaced by stubs")
    for path in done.answer_key:
        print(f"  {_relative(path, done.out)}")
    print(f"  {_relative(done.zip, done.out):<48} {len(done.student)} notebook(s)")
    print("Hand out student.zip; keep answer_key/ for yourself.")
    return 0


def _run_grade(args) -> int:
    from course_utils.instructor import grade

    book = grade(args.responses, bank_dir=args.bank_dir)
    for _, reason in book.skipped:
        print(f"skipped {reason}", file=sys.stderr)
    for learner, quiz, paths in book.duplicates():
        files = ", ".join(str(p) for p in paths)
        print(
            f"warning: {learner!r} has {len(paths)} answers files for {quiz} ({files}); "
            "all are in the gradebook.",
            file=sys.stderr,
        )
    if not book.graded:
        print(f"{PROG} grade: error: no answers file could be graded.", file=sys.stderr)
        return 2
    book.to_csv(args.out)
    print(f"{book.summary()} Gradebook: {args.out}")
    return 1 if book.skipped else 0


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


if __name__ == "__main__":
    sys.exit(main())
