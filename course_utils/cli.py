"""The ``course-utils`` command (also ``python -m course_utils``): tools for instructors.

::

    course-utils assign 01_rnn_metrics 03_gru_metrics --out week1
    course-utils grade submissions/ --out gradebook.csv
    course-utils grade submissions/ --out canvas.csv --format canvas --score first-try

Exit codes: 0 success; 1 ``grade`` skipped some files (each reported on one line of stderr)
but graded the others and wrote the gradebook; 2 nothing was written: a usage error (unknown
chapter, non-empty output folder, missing file, ``--out`` among the answers, a chapter that is
not a valid notebook or whose solutions cannot be removed, nothing to grade...), reported in
one line on stderr, without a traceback. A stdout that cannot be written (closed pipe, ``>&-``,
/dev/full) leaves the exit code as it is: the files were written, and stderr says so.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

PROG = "course-utils"
FORMATS = ("long", "wide", "canvas", "moodle")  # as course_utils.instructor.grade.FORMATS
SCORES = ("final", "first-try")  # as course_utils.instructor.grade.SCORES


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
        "chapters", nargs="+", metavar="CHAPTER", help="a chapter stem, e.g. 03_gru_metrics"
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
            "and write a CSV gradebook. --format long (default): one row per file: learner, "
            "learner_id, quiz, one column per question (1 right, 0 wrong or unanswered), score, "
            "total, file. --format wide: one row per learner (keyed on the learner id when "
            "given), one column per quiz; canvas and moodle: the same with the columns each "
            "LMS imports. Files that are malformed, hostile or were edited by hand are reported "
            "on stderr (one line each) and skipped; the others are still graded. Exit code 0 if "
            "every file was graded, 1 if some were skipped, 2 if none could be or the command "
            "was misused (nothing is written then)."
        ),
    )
    grade.add_argument(
        "responses", nargs="+", type=Path, metavar="RESPONSES",
        help="an answers file, or a folder searched recursively for *.json",
    )  # fmt: skip
    grade.add_argument(
        "--out", type=Path, default=Path("gradebook.csv"), metavar="CSV",
        help="where to write the gradebook (default: gradebook.csv; replaced if it exists; "
        "never one of the answers files or inside an answers folder)",
    )  # fmt: skip
    grade.add_argument(
        "--format", dest="table_format", choices=FORMATS, default="long",
        help="long (one row per file, the default), wide (one row per learner, one column per "
        "quiz), canvas or moodle (wide, with the columns each LMS imports)",
    )  # fmt: skip
    grade.add_argument(
        "--score", choices=SCORES, default="final",
        help="score the final answers (default) or the first check of each question",
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
    _LOST.clear()
    try:
        code = args.run(args)
        if _LOST:  # the work was done and written; only the report on stdout was lost
            reason, first = _LOST[0]
            _say(
                f"{PROG} {args.command}: warning: stdout could not be written ({reason}); the "
                f"output was written all the same. The report began: {first}",
                error=True,
            )
        return code
    except (ValueError, TypeError, OSError) as err:
        _say(f"{PROG} {args.command}: error: {_message(err)}", error=True)
        return 2
    except Exception as err:  # never a traceback: one line, and nothing was written
        _say(f"{PROG} {args.command}: error: {type(err).__name__}: {_message(err)}", error=True)
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
    from course_utils.instructor.grade import path_text

    _say(f"Wrote {path_text(done.out)}:")
    for path in done.student:
        n = done.solutions[path.stem]
        _say(f"  {_relative(path, done.out):<48} {n} solution(s) replaced by stubs")
    for path in done.answer_key:
        _say(f"  {_relative(path, done.out)}")
    _say(f"  {_relative(done.zip, done.out):<48} {len(done.student)} notebook(s)")
    _say("Hand out student.zip; keep answer_key/ for yourself.")
    return 0


def _run_grade(args) -> int:
    from course_utils.instructor.grade import check_gradebook_path, grade, path_text

    check_gradebook_path(args.out, args.responses)
    book = grade(args.responses, bank_dir=args.bank_dir, score=args.score)
    for _, reason in book.skipped:
        _say(f"skipped {reason}", error=True)
    for learner, quiz, paths in book.duplicates():
        files = ", ".join(path_text(p) for p in paths)
        counted = "all are in the gradebook" if args.table_format == "long" else "the best counts"
        _say(
            f"warning: {learner!r} has {len(paths)} answers files for {quiz} ({files}); {counted}.",
            error=True,
        )
    anonymous = book.anonymous()
    if anonymous:
        where = "kept" if args.table_format == "long" else "left out of the gradebook"
        _say(
            f"warning: {len(anonymous)} answers file(s) give no learner name or id ({where}): "
            f"{_listing(anonymous)}.",
            error=True,
        )
    if args.table_format in ("canvas", "moodle") and book.without_id():
        _say(
            f"warning: {len(book.without_id())} answers file(s) give a name but no learner id; "
            f"{args.table_format} matches learners on the id, so they are left out: "
            f"{_listing(book.without_id())}.",
            error=True,
        )
    if args.table_format == "canvas":
        for name, lid, written in book.canvas_renamed():
            _say(
                f"warning: learner {lid!r} is named {name!r}, which Canvas would read as its "
                f"Points Possible row; written as {written!r} (Canvas matches on the id).",
                error=True,
            )
    if not book.graded:
        _say(f"{PROG} grade: error: no answers file could be graded.", error=True)
        return 2
    book.to_csv(args.out, format=args.table_format)
    _say(f"{book.summary()} Gradebook: {path_text(args.out)}")
    return 1 if book.skipped else 0


def _listing(paths, limit: int = 5) -> str:
    from course_utils.instructor.grade import path_text

    shown = ", ".join(path_text(p) for p in paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def _message(err: BaseException) -> str:
    from course_utils.instructor.grade import one_line

    return one_line(str(err), limit=600)


# (reason, line) for report lines stdout could not take: a closed pipe, `>&-`, /dev/full.
_LOST: list[tuple[str, str]] = []


def _say(text: str, *, error: bool = False) -> None:
    """Print one line that any terminal encoding can show (non-UTF-8 file names included).

    A line stdout cannot take is recorded in ``_LOST`` (``main`` then says so on stderr),
    never raised: the files were written, and the exit code says how the work went.
    """
    from course_utils.instructor.grade import one_line

    stream = sys.stderr if error else sys.stdout
    line = one_line(text, limit=2000)
    if _LOST and not error:
        return  # stdout already failed: the first lost line is reported
    try:
        if stream is None:  # started with stdout (or stderr) closed, e.g. `>&-`
            raise OSError("the stream is closed")
        encoding = getattr(stream, "encoding", None) or "utf-8"
        print(line.encode(encoding, "backslashreplace").decode(encoding), file=stream)
        stream.flush()
    except (OSError, ValueError) as err:  # ValueError: I/O on a closed file
        if error:
            return  # nowhere left to report to
        reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
        _LOST.append((reason, line))
        _silence(stream)


def _silence(stream) -> None:
    """Point a failed stdout at /dev/null, so that Python's flush at exit does not fail again
    (an "Exception ignored" message and exit code 120)."""
    try:
        fd = stream.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


if __name__ == "__main__":
    sys.exit(main())
