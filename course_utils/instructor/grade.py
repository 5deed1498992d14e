"""Grade the quiz answers learners saved (``Quiz.save`` or the page's "Download answers").

Each answers file is checked and scored by :mod:`course_utils.quiz` (``read_answers`` then
``score``); this module only collects files, keeps going past bad ones, and lays the scores
out as a gradebook: one row per answers file (a learner's answers to one quiz), a column per
question (1 right, 0 wrong or unanswered), then ``score`` and ``total``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from course_utils.instructor.course import (
    _SLUG,
    BANK_SUFFIXES,
    check_bank_dir,
    load_quiz_bank,
)

# A spreadsheet runs a cell that starts with one of these as a formula: a learner could name
# themselves "=HYPERLINK(...)". Such text is written with a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class GradedFile:
    """One answers file that was read and scored.

    Attributes
    ----------
    path : pathlib.Path
        The file.
    learner : str or None
        The name the learner entered.
    quiz : str
        The quiz id.
    result : course_utils.quiz.QuizResult
        Per-question correctness (bank order) and totals.
    """

    path: Path
    learner: str | None
    quiz: str
    result: object  # a QuizResult; not imported here so `import` stays light


@dataclass(frozen=True)
class Gradebook:
    """Scores of many answers files: what :func:`grade` returns.

    Attributes
    ----------
    graded : tuple of GradedFile
        Sorted by quiz, then learner (case-insensitive), then file.
    skipped : tuple of (pathlib.Path, str)
        Files that could not be graded, with the reason.
    """

    graded: tuple[GradedFile, ...]
    skipped: tuple[tuple[Path, str], ...]

    @property
    def quizzes(self) -> list[str]:
        """The quiz ids graded, sorted."""
        return sorted({entry.quiz for entry in self.graded})

    @property
    def columns(self) -> list[str]:
        """``learner, quiz, <questions...>, score, total, file``.

        Question columns are the question ids when one quiz is graded, and
        ``<quiz>:<question id>`` when several are (ids may repeat across quizzes).
        """
        return [
            "learner",
            "quiz",
            *(name for name, _, _ in self._question_columns()),
            "score",
            "total",
            "file",
        ]

    def rows(self) -> list[list[str]]:
        """One row of text per graded file, matching :attr:`columns`."""
        table = []
        for entry in self.graded:
            row = [_safe(entry.learner or ""), entry.quiz]
            for _, quiz, qid in self._question_columns():
                row.append(str(int(entry.result.correct[qid])) if quiz == entry.quiz else "")
            row += [str(entry.result.n_correct), str(entry.result.total), _safe(str(entry.path))]
            table.append(row)
        return table

    def duplicates(self) -> list[tuple[str, str, tuple[Path, ...]]]:
        """``(learner, quiz, files)`` for every named learner with several files for one quiz.

        All of them stay in the gradebook: which one counts is the instructor's call.
        """
        seen: dict[tuple[str, str], list[GradedFile]] = {}
        for entry in self.graded:
            if entry.learner:
                seen.setdefault((entry.quiz, entry.learner.strip().casefold()), []).append(entry)
        return [
            (entries[0].learner, quiz, tuple(e.path for e in entries))
            for (quiz, _), entries in seen.items()
            if len(entries) > 1
        ]

    def summary(self) -> str:
        """One line: files graded, per quiz the number of learners and the mean score, skips.

        Examples
        --------
        >>> Gradebook((), ()).summary()
        'Graded 0 answers files; skipped 0.'
        """
        parts = []
        for quiz in self.quizzes:
            entries = [e for e in self.graded if e.quiz == quiz]
            mean = sum(e.result.n_correct for e in entries) / len(entries)
            parts.append(
                f"{quiz}: {len(entries)} file(s), mean {mean:.1f}/{entries[0].result.total}"
            )
        per_quiz = f" ({'; '.join(parts)})" if parts else ""
        return f"Graded {len(self.graded)} answers files{per_quiz}; skipped {len(self.skipped)}."

    def to_csv(self, path: str | Path) -> Path:
        """Write the gradebook as UTF-8 CSV (header row, then :meth:`rows`); return the path."""
        if not isinstance(path, str | Path):
            raise TypeError(f"Expected `path` to be a str or Path, but got {type(path).__name__}.")
        path = Path(path)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(self.columns)
            writer.writerows(self.rows())
        return path

    def _question_columns(self) -> list[tuple[str, str, str]]:
        """``(column name, quiz, question id)`` for every question of every quiz graded."""
        banks = {}
        for entry in self.graded:
            banks.setdefault(entry.quiz, list(entry.result.correct))  # bank order
        several = len(banks) > 1
        return [
            (f"{quiz}:{qid}" if several else qid, quiz, qid)
            for quiz in sorted(banks)
            for qid in banks[quiz]
        ]


def find_answers_files(paths) -> list[Path]:
    """The answers files to grade: files as given, and every ``*.json`` under each folder.

    Parameters
    ----------
    paths : list of str or pathlib.Path
        Files and folders. Folders are searched recursively (learners' submissions often come
        one folder per learner).

    Returns
    -------
    list of pathlib.Path
        Without repeats, files in the order given, each folder's files sorted.

    Raises
    ------
    TypeError
        If ``paths`` is a single string or holds something other than paths.
    ValueError
        If ``paths`` is empty, a path does not exist, or no file is found.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "ada").mkdir()
    >>> for name in ["ada/a.json", "b.json", "notes.txt"]:
    ...     _ = (root / name).write_text("{}")
    >>> [p.relative_to(root).as_posix() for p in find_answers_files([root])]
    ['ada/a.json', 'b.json']
    """
    if isinstance(paths, str | Path) or not hasattr(paths, "__iter__"):
        raise TypeError(
            "Expected `paths` to be a list of answers files and folders, "
            f"but got {type(paths).__name__}."
        )
    paths = list(paths)
    if not paths:
        raise ValueError("Expected at least one answers file or folder in `paths`, but got none.")
    found: list[Path] = []
    seen: set[Path] = set()
    for item in paths:
        if not isinstance(item, str | Path):
            raise TypeError(
                f"Expected each path to be a str or Path, but got {type(item).__name__}."
            )
        item = Path(item)
        if item.is_dir():
            candidates = sorted(p for p in item.rglob("*.json") if p.is_file())
        elif item.is_file():
            candidates = [item]
        else:
            raise ValueError(
                f"Expected each path to be an answers file or a folder of them, but {item} does "
                "not exist."
            )
        for path in candidates:
            if path not in seen:
                seen.add(path)
                found.append(path)
    if not found:
        listed = ", ".join(str(p) for p in paths)
        raise ValueError(f"No answers files (*.json) found in {listed}.")
    return found


def grade(paths, *, bank_dir: str | Path | None = None) -> Gradebook:
    """Read, check and score answers files; skip (and record) the ones that fail.

    Parameters
    ----------
    paths : list of str or pathlib.Path
        Answers files and folders of them (see :func:`find_answers_files`).
    bank_dir : str, pathlib.Path or None, default None
        A folder of quiz banks (``<quiz>.yaml``) that take precedence over the ones shipped in
        ``course_utils/quizzes/``.

    Returns
    -------
    Gradebook
        ``graded`` (sorted) and ``skipped`` files with reasons. A file is skipped when
        :func:`course_utils.quiz.read_answers` rejects it: not JSON, not an answers file,
        a checksum that does not match (edited by hand or damaged), an unknown quiz or a quiz
        version other than the bank's.

    Raises
    ------
    TypeError, ValueError
        As for :func:`find_answers_files`, or if ``bank_dir`` is not a folder.

    Examples
    --------
    >>> import tempfile
    >>> from course_utils.quiz import load_bank, make_answers_payload, write_answers
    >>> bank = load_bank("01_rnn_metrics")
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = write_answers(folder / "ada.json",
    ...                   make_answers_payload(bank, {"confusion-cells": "fn"}, learner="Ada"))
    >>> _ = (folder / "bob.json").write_text("{not json")
    >>> book = grade([folder])
    >>> [(e.learner, e.result.n_correct) for e in book.graded]
    [('Ada', 1)]
    >>> [p.name for p, _ in book.skipped]
    ['bob.json']
    """
    bank_folder = check_bank_dir(bank_dir)
    files = find_answers_files(paths)
    from course_utils.quiz import read_answers

    graded, skipped, banks = [], [], {}
    for path in files:
        try:
            bank = _bank_for(path, bank_folder, banks)
            answers = read_answers(path, bank=bank)
        except ValueError as err:  # every message names the file, so the report can be read
            reason = str(err) if str(path) in str(err) else f"{path}: {err}"
            skipped.append((path, reason))
            continue
        graded.append(GradedFile(path, answers.learner, answers.quiz, answers.score()))
    graded.sort(key=lambda e: (e.quiz, (e.learner or "").casefold(), str(e.path)))
    return Gradebook(tuple(graded), tuple(skipped))


def _bank_for(path: Path, bank_dir: Path | None, cache: dict):
    """The bank for the quiz the file names, loaded once per quiz (YAML parsing dominates the
    time to grade); None when the file names no usable quiz, so that ``read_answers`` reports
    what is wrong with the file in its own words."""
    try:
        quiz = json.loads(path.read_text(encoding="utf-8")).get("quiz")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(quiz, str):
        return None
    if not _SLUG.match(quiz):  # load_bank would take "a/b.yaml" for a path: never open one
        raise ValueError(
            f"{path}: expected `quiz` to be a quiz id such as '01_rnn_metrics', but got {quiz!r}."
        )
    if quiz not in cache:
        local = bank_dir is not None and any(
            (bank_dir / f"{quiz}{suffix}").is_file() for suffix in BANK_SUFFIXES
        )
        try:
            cache[quiz] = load_quiz_bank(quiz, bank_dir=bank_dir)
        except ValueError:
            if local:
                raise  # a broken bank in bank_dir: say so, do not fall back to the shipped one
            cache[quiz] = None  # an unknown quiz: read_answers names the file and the quiz
    return cache[quiz]


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
