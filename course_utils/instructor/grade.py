"""Grade the quiz answers learners saved (``Quiz.save`` or the page's "Download answers").

Each answers file is checked and scored by :mod:`course_utils.quiz` (``load_answers_json``,
``answers_from_payload``, then ``score``); this module collects files, keeps going past bad
ones, and lays the scores out as a gradebook in one of four formats:

``long`` (the default)
    One row per answers file: ``learner, learner_id, quiz``, one column per question (1 right,
    0 wrong or unanswered), ``score, total, file``.
``wide``
    One row per learner, one column per quiz (the score): ``learner, learner_id, <quiz>...``.
``canvas``
    Canvas's gradebook import: ``Student, ID, SIS User ID, SIS Login ID, Section, <quiz>...``,
    with a ``Points Possible`` row first. A learner id with an ``@`` goes into ``SIS Login ID``,
    any other into ``SIS User ID``.
``moodle``
    Moodle's grade import (CSV): ``Full name``, ``ID number`` and/or ``Email address`` (only
    the ones used; map one of them to the user field when importing), ``<quiz>...``.

In the one-row-per-learner formats a learner is the learner id when the file has one (ids
compared case-insensitively), else the name; when one learner has several files for a quiz,
the best score counts. The LMS formats hold only learners with an id (an LMS matches on it);
files with neither a name nor an id are left out of those three formats.

Every cell is made safe for spreadsheets: line breaks and other control characters are written
as escapes (``\\n``), a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
(OWASP's list; also after leading spaces, and the full-width forms) gets a leading apostrophe,
and every cell is quoted. The file is written to a temporary file in
the same folder and renamed, so a failure leaves the previous gradebook intact.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from course_utils.book.ids import QUIZ_ID
from course_utils.instructor.course import (
    BANK_SUFFIXES,
    check_bank_dir,
    load_quiz_bank,
)

FORMATS = ("long", "wide", "canvas", "moodle")
SCORES = ("final", "first-try")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")

# A spreadsheet runs a cell that starts with one of these as a formula: a learner could name
# themselves "=HYPERLINK(...)". Such text is written with a leading apostrophe.
# OWASP's list (=, +, -, @, tab, carriage return), a line feed, and the full-width forms; a cell
# whose text starts with one of them after spaces is quoted too.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Line breaks and other control characters: a spreadsheet may split a row on them.
# ... and the bidirectional controls (U+061C, U+200E/F, U+202A-E, U+2066-9), which could make
# a cell or a stderr line read as something else ("Trojan Source").
_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _escape(match: re.Match) -> str:
    """``\\n``, ``\\x07``, or ``\\u2028`` (never the ambiguous ``\\x2028``)."""
    char = match.group()
    return _ESCAPES.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def identity_text(text: str | None) -> str:
    """``text`` as one learner's identity: ids and names that look the same are equal.

    Unicode compatibility forms are folded (NFKC: full-width ``Ｓ１`` is ``S1``, a composed
    ``é`` equals ``e`` + combining accent), invisible format characters are dropped (zero-width
    spaces and joiners, the byte-order mark, bidirectional controls), runs of white space
    become one space, and case is folded.

    Examples
    --------
    >>> identity_text("\ufeffＳ１\u200b ") == identity_text("s1")
    True
    >>> identity_text("Jose\u0301  Ruiz") == identity_text("José Ruiz")
    True
    >>> identity_text(None), identity_text(" \u200b ")
    ('', '')
    """
    import unicodedata

    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split()).casefold()


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
        Per-question correctness (bank order) and totals: of the final answers, or of the
        first check of each question (``grade(..., score="first-try")``).
    learner_id : str or None
        The learner id (student number or e-mail) the learner entered, if any.
    """

    path: Path
    learner: str | None
    quiz: str
    result: object  # a QuizResult; not imported here so `import` stays light
    learner_id: str | None = None

    @property
    def key(self) -> tuple[str, str] | None:
        """Who this is: ``("id", <id>)``, else ``("name", <name>)``, else None, each read by
        :func:`identity_text`, so ids and names that only look different are one learner.

        Examples
        --------
        >>> GradedFile(Path("a.json"), " Ada ", "q", None, learner_id="S1").key
        ('id', 's1')
        >>> GradedFile(Path("a.json"), " Ada ", "q", None).key, GradedFile(Path("a"), None, "q", None).key
        (('name', 'ada'), None)
        """
        learner_id, learner = identity_text(self.learner_id), identity_text(self.learner)
        if learner_id:
            return ("id", learner_id)
        if learner:
            return ("name", learner)
        return None


@dataclass(frozen=True)
class Gradebook:
    """Scores of many answers files: what :func:`grade` returns.

    Attributes
    ----------
    graded : tuple of GradedFile
        Sorted by quiz, then learner (case-insensitive), then file.
    skipped : tuple of (pathlib.Path, str)
        Files that could not be graded, with the reason (one line naming the file).
    score : str
        ``"final"`` or ``"first-try"``: what the scores count.
    """

    graded: tuple[GradedFile, ...]
    skipped: tuple[tuple[Path, str], ...]
    score: str = "final"

    @property
    def quizzes(self) -> list[str]:
        """The quiz ids graded, sorted."""
        return sorted({entry.quiz for entry in self.graded})

    @property
    def columns(self) -> list[str]:
        """``learner, learner_id, quiz, <questions...>, score, total, file`` (the long format).

        Question columns are the question ids when one quiz is graded, and
        ``<quiz>:<question id>`` when several are (ids may repeat across quizzes).
        """
        return [
            "learner",
            "learner_id",
            "quiz",
            *(name for name, _, _ in self._question_columns()),
            "score",
            "total",
            "file",
        ]

    def rows(self) -> list[list[str]]:
        """One row of text per graded file, matching :attr:`columns` (cells made safe)."""
        table = []
        question_columns = self._question_columns()
        for entry in self.graded:
            row = [entry.learner or "", entry.learner_id or "", entry.quiz]
            for _, quiz, qid in question_columns:
                row.append(str(int(entry.result.correct[qid])) if quiz == entry.quiz else "")
            row += [str(entry.result.n_correct), str(entry.result.total), path_text(entry.path)]
            table.append(row)
        return [[safe_cell(cell) for cell in row] for row in table]

    def table(self, format: str = "long") -> tuple[list[str], list[list[str]]]:
        """The header and rows of the gradebook in ``format`` (see the module docstring).

        Parameters
        ----------
        format : {"long", "wide", "canvas", "moodle"}, default "long"

        Returns
        -------
        (list of str, list of list of str)
            The header and the rows, every cell made safe for spreadsheets.

        Raises
        ------
        ValueError
            If ``format`` is not one of :data:`FORMATS`.

        Examples
        --------
        >>> Gradebook((), ()).table("canvas")[0]
        ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section']
        """
        _check_choice(format, FORMATS, "format")
        if format == "long":
            return self.columns, self.rows()
        learners = self.learners(with_id=format != "wide")
        quizzes = self.quizzes
        totals = {e.quiz: e.result.total for e in self.graded}
        scores = [[_score(best.get(q)) for q in quizzes] for _, _, best in learners]
        if format == "wide":
            header = ["learner", "learner_id", *quizzes]
            rows = [[name, lid, *s] for (name, lid, _), s in zip(learners, scores, strict=True)]
        elif format == "canvas":
            header = [*CANVAS_COLUMNS, *quizzes]
            points = ["Points Possible", "", "", "", "", *(str(totals[q]) for q in quizzes)]
            rows = [points]
            for (name, lid, _), row_scores in zip(learners, scores, strict=True):
                email = "@" in lid
                name = canvas_student_name(name, lid)
                rows.append([name, "", "" if email else lid, lid if email else "", "", *row_scores])
        else:  # moodle
            has_email = any("@" in lid for _, lid, _ in learners)
            has_number = any("@" not in lid for _, lid, _ in learners) or not has_email
            header = [
                "Full name",
                *(["ID number"] if has_number else []),
                *(["Email address"] if has_email else []),
                *quizzes,
            ]
            rows = []
            for (name, lid, _), row_scores in zip(learners, scores, strict=True):
                ids = ([lid if "@" not in lid else ""] if has_number else []) + (
                    [lid if "@" in lid else ""] if has_email else []
                )
                rows.append([name, *ids, *row_scores])
        return [safe_cell(c) for c in header], [[safe_cell(c) for c in row] for row in rows]

    def learners(self, *, with_id: bool = False) -> list[tuple[str, str, dict]]:
        """``(name, learner id, {quiz: best GradedFile})`` per learner, sorted by name then id.

        Files without a name or an id are left out (see :meth:`anonymous`); with
        ``with_id=True`` so are the files without an id. When a learner has several files for
        a quiz, the one with the best score counts (the last one in file order on a tie).
        """
        people: dict[tuple[str, str], dict] = {}
        names: dict[tuple[str, str], tuple[str, str]] = {}
        for entry in sorted(self.graded, key=lambda e: str(e.path)):
            key = entry.key
            if key is None or (with_id and key[0] != "id"):
                continue
            best = people.setdefault(key, {})
            current = best.get(entry.quiz)
            if current is None or entry.result.n_correct >= current.result.n_correct:
                best[entry.quiz] = entry
            name, lid = names.get(key, ("", ""))
            names[key] = (
                name or (entry.learner or "").strip(),
                lid or (entry.learner_id or "").strip(),
            )
        ordered = sorted(people, key=lambda k: (names[k][0].casefold(), names[k][1], k))
        return [(*names[key], people[key]) for key in ordered]

    def canvas_renamed(self) -> list[tuple[str, str, str]]:
        """``(name, learner id, name written)`` for each learner whose name Canvas would read
        as its ``Points Possible`` row (see :func:`canvas_student_name`)."""
        return [
            (name, lid, canvas_student_name(name, lid))
            for name, lid, _ in self.learners(with_id=True)
            if canvas_student_name(name, lid) != name
        ]

    def anonymous(self) -> list[Path]:
        """The graded files that give neither a learner name nor a learner id."""
        return [entry.path for entry in self.graded if entry.key is None]

    def without_id(self) -> list[Path]:
        """The graded files with a name but no learner id (left out of canvas and moodle)."""
        return [entry.path for entry in self.graded if entry.key and entry.key[0] != "id"]

    def duplicates(self) -> list[tuple[str, str, tuple[Path, ...]]]:
        """``(learner, quiz, files)`` for every learner with several files for one quiz.

        A learner is the id when given, else the name. All files stay in the long gradebook;
        the one-row-per-learner formats count the best score.
        """
        seen: dict[tuple, list[GradedFile]] = {}
        for entry in self.graded:
            if entry.key is not None:
                seen.setdefault((entry.quiz, entry.key), []).append(entry)
        return [
            (_who(entries[0]), quiz, tuple(e.path for e in entries))
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
        first = " first-try" if self.score == "first-try" else ""
        return (
            f"Graded{first} {len(self.graded)} answers files{per_quiz}; "
            f"skipped {len(self.skipped)}."
        )

    def to_csv(self, path: str | Path, *, format: str = "long") -> Path:
        """Write the gradebook as UTF-8 CSV in ``format``; return the path.

        Every cell is quoted and made safe (see the module docstring). The text goes to a
        temporary file next to ``path``, which is then renamed over it: if anything fails, a
        previous gradebook at ``path`` is left as it was.

        Raises
        ------
        TypeError
            If ``path`` is not a str or a path.
        ValueError
            If ``format`` is unknown, or ``path`` exists and is not a regular file (a FIFO, a
            device such as ``/dev/null``): it is never replaced.
        OSError
            If the folder cannot be written.
        """
        if not isinstance(path, str | Path):
            raise TypeError(f"Expected `path` to be a str or Path, but got {type(path).__name__}.")
        header, rows = self.table(format)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows(rows)
        data = buffer.getvalue().encode("utf-8")  # cells are safe: this cannot fail
        from course_utils.quiz.answers import atomic_write_bytes

        return atomic_write_bytes(Path(path), data)

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


def find_answers_files(paths, *, skipped: list | None = None) -> list[Path]:
    """The answers files to grade: files as given, and every ``*.json`` under each folder.

    Parameters
    ----------
    paths : list of str or pathlib.Path
        Files and folders. Folders are searched recursively (learners' submissions often come
        one folder per learner), however deep, without recursion; links to folders are not
        followed.
    skipped : list or None, default None
        If a list, ``(path, reason)`` is appended to it for every entry named like an answers
        file that is not one: a FIFO, socket or device, a broken link, a link loop, a link to
        a folder, a folder named ``*.json`` (its contents are still searched) or a folder that
        cannot be read. Files given by name that exist but are not regular files go there too.

    Returns
    -------
    list of pathlib.Path
        Without repeats, files in the order given, each folder's files sorted.

    Raises
    ------
    TypeError
        If ``paths`` is a single string or holds something other than paths.
    ValueError
        If ``paths`` is empty, a path does not exist, or nothing at all is found.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "ada").mkdir()
    >>> for name in ["ada/a.json", "b.json", "notes.txt"]:
    ...     _ = (root / name).write_text("{}")
    >>> os.mkfifo(root / "pipe.json")
    >>> notes = []
    >>> [p.relative_to(root).as_posix() for p in find_answers_files([root], skipped=notes)]
    ['ada/a.json', 'b.json']
    >>> [reason.split(": ")[1] for _, reason in notes]
    ['a FIFO (named pipe), not an answers file.']
    """
    if isinstance(paths, str | Path) or not hasattr(paths, "__iter__"):
        raise TypeError(
            "Expected `paths` to be a list of answers files and folders, "
            f"but got {type(paths).__name__}."
        )
    paths = list(paths)
    if not paths:
        raise ValueError("Expected at least one answers file or folder in `paths`, but got none.")
    notes = skipped if skipped is not None else []
    before = len(notes)
    found: list[Path] = []
    seen: set[Path] = set()
    for item in paths:
        if not isinstance(item, str | Path):
            raise TypeError(
                f"Expected each path to be a str or Path, but got {type(item).__name__}."
            )
        item = Path(item)
        if item.is_dir():
            candidates = sorted(_json_files_under(item, notes))
        elif item.is_file():
            candidates = [item]
        elif item.exists():  # a FIFO, a socket, a device: reading it could block or never end
            notes.append((item, _not_a_file(item, _kind(item))))
            continue
        else:
            raise ValueError(
                "Expected each path to be an answers file or a folder of them, but "
                f"{path_text(item)} does not exist (or is not a regular file)."
            )
        for path in candidates:
            if path not in seen:
                seen.add(path)
                found.append(path)
    if not found and len(notes) == before:
        listed = ", ".join(path_text(p) for p in paths)
        raise ValueError(f"No answers files (*.json) found in {listed}.")
    return found


def _json_files_under(folder: Path, notes: list):
    """Every regular ``*.json`` file under ``folder`` (links to files included), walked with a
    stack, not recursion, so no depth stops the run; links to folders are not followed. What
    is named ``*.json`` but cannot be graded is noted with the reason."""
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as err:
            notes.append(
                (
                    current,
                    f"{path_text(current)}: a folder that cannot be read "
                    f"({err.strerror or type(err).__name__}); its files were not graded.",
                )
            )
            continue
        for entry in entries:
            path = Path(entry.path)
            named = entry.name.endswith(".json")
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(path)
                    if named:
                        notes.append(
                            (
                                path,
                                f"{path_text(path)}: a folder, not an answers file "
                                "(the files inside it are searched).",
                            )
                        )
                    continue
                if not named:
                    continue
                if entry.is_file(follow_symlinks=True):
                    yield path
                    continue
            except OSError:
                pass  # a link loop or an unreadable entry: described below
            notes.append((path, _not_a_file(path, _kind(path))))


def _kind(path: Path) -> str:
    """What a path that is not a regular file is, in words."""
    import errno

    try:
        os.stat(path)
    except OSError as err:
        if os.path.islink(path):
            if err.errno == errno.ELOOP:
                return "a symbolic link loop"
            if err.errno == errno.ENOENT:
                return f"a broken symbolic link (to {path_text(Path(os.readlink(path)))})"
        return f"unreadable ({err.strerror or type(err).__name__})"
    from course_utils.quiz.answers import special_file_kind

    if os.path.islink(path) and os.path.isdir(path):
        return "a link to a folder (not followed)"
    kind = special_file_kind(path) or "special file"
    return "a " + kind


def _not_a_file(path: Path, kind: str) -> str:
    return f"{path_text(path)}: {kind}, not an answers file."


def check_gradebook_path(out: str | Path, inputs) -> Path:
    """Refuse a gradebook path that would overwrite or land among the answers files.

    Parameters
    ----------
    out : str or pathlib.Path
        Where the gradebook is to be written.
    inputs : list of str or pathlib.Path
        The answers files and folders to grade.

    Returns
    -------
    pathlib.Path
        ``out``.

    Raises
    ------
    ValueError
        If ``out`` is a folder or another file that is not a regular file (a FIFO, a device
        such as ``/dev/null``), its folder does not exist, it is one of the input files, or it
        lies inside an input folder.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "answers").mkdir()
    >>> check_gradebook_path(root / "gradebook.csv", [root / "answers"]).name
    'gradebook.csv'
    >>> try:
    ...     check_gradebook_path(root / "answers" / "g.csv", [root / "answers"])
    ... except ValueError as err:
    ...     print("inside the input folder" in str(err))
    True
    """
    if not isinstance(out, str | Path):
        raise TypeError(f"Expected `out` to be a str or Path, but got {type(out).__name__}.")
    out = Path(out)
    target = out.expanduser().resolve()
    if target.is_dir():
        raise ValueError(f"Expected `--out` to be a CSV file, but {path_text(out)} is a folder.")
    from course_utils.quiz.answers import special_file_kind

    kind = special_file_kind(target)
    if kind is not None:  # a FIFO, /dev/null...: never replaced by a regular file
        raise ValueError(
            f"Expected `--out` to be a regular file or a new path, but {path_text(out)} is a "
            f"{kind}; nothing was written."
        )
    if not target.parent.is_dir():
        raise ValueError(
            f"Expected `--out` in an existing folder, but {path_text(out.parent)} does not exist."
        )
    for item in inputs:
        source = Path(item).expanduser().resolve()
        if source == target:
            raise ValueError(
                f"Expected `--out` to be a new file, but {path_text(out)} is one of the answers "
                "files to grade; write the gradebook elsewhere."
            )
        if source.is_dir() and target.is_relative_to(source):
            raise ValueError(
                f"Expected `--out` outside the answers being graded, but {path_text(out)} lies "
                f"inside the input folder {path_text(Path(item))}; write the gradebook elsewhere."
            )
    return out


def grade(paths, *, bank_dir: str | Path | None = None, score: str = "final") -> Gradebook:
    """Read, check and score answers files; skip (and record) the ones that fail.

    No file stops the run: whatever a file holds, it is graded or skipped with a one-line
    reason (files larger than 1 MB, nested too deeply, holding numbers JSON cannot hold or
    answers no learner types are refused in time linear in their size).

    Parameters
    ----------
    paths : list of str or pathlib.Path
        Answers files and folders of them (see :func:`find_answers_files`).
    bank_dir : str, pathlib.Path or None, default None
        A folder of quiz banks (``<quiz>.yaml``) that take precedence over the ones shipped in
        ``course_utils/quizzes/``.
    score : {"final", "first-try"}, default "final"
        Score the final answers, or the first check of each question (files of format
        version 1, which do not record it, are then skipped).

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
        As for :func:`find_answers_files`, if ``bank_dir`` is not a folder, or ``score`` is
        unknown. ``ValueError`` too, naming the bank, when a bank in ``bank_dir`` that a file
        needs is invalid (read once: not JSON or YAML, too big, a "billion laughs" of YAML
        aliases...): the instructor's bank is at fault, not the file, so nothing is graded.

    Examples
    --------
    >>> import tempfile
    >>> from course_utils.quiz import load_bank
    >>> from course_utils.quiz.answers import make_answers_payload, write_answers
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
    _check_choice(score, SCORES, "score")
    bank_folder = check_bank_dir(bank_dir)
    skipped: list[tuple[Path, str]] = []
    files = find_answers_files(paths, skipped=skipped)
    from course_utils.quiz.answers import answers_from_payload, load_answers_json

    graded, banks = [], {}
    for path in files:
        try:
            payload = load_answers_json(path)
            bank = _bank_for(payload, path, bank_folder, banks)
            answers = answers_from_payload(payload, path=path, bank=bank)
            result = answers.score(first_try=score == "first-try")
        except _BrokenBank as err:  # the instructor's bank, not the learner's file: stop
            raise ValueError(str(err)) from None
        except ValueError as err:  # every message names the file, so the report can be read
            reason = str(err) if str(path) in str(err) else f"{path}: {err}"
            skipped.append((path, one_line(reason.replace(str(path), path_text(path)))))
            continue
        except Exception as err:  # no file may stop the run
            reason = f"{path_text(path)}: could not be graded ({type(err).__name__}: {err})"
            skipped.append((path, one_line(reason)))
            continue
        graded.append(GradedFile(path, answers.learner, answers.quiz, result, answers.learner_id))
    graded.sort(key=lambda e: (e.quiz, (e.learner or "").casefold(), str(e.path)))
    return Gradebook(tuple(graded), tuple(skipped), score)


def _bank_for(payload: dict, path: Path, bank_dir: Path | None, cache: dict):
    """The bank for the quiz the file names, loaded once per quiz (YAML parsing dominates the
    time to grade); None when the file names no usable quiz, so that ``answers_from_payload``
    reports what is wrong with the file in its own words."""
    quiz = payload.get("quiz")
    if not isinstance(quiz, str):
        return None
    if not QUIZ_ID.match(quiz):  # load_bank would take "a/b.yaml" for a path: never open one
        raise ValueError(
            f"{path}: expected `quiz` to be a quiz id such as '01_rnn_metrics', but got "
            f"{quiz[:80]!r}."
        )
    if quiz not in cache:
        local = bank_dir is not None and any(
            (bank_dir / f"{quiz}{suffix}").is_file() for suffix in BANK_SUFFIXES
        )
        try:
            cache[quiz] = load_quiz_bank(quiz, bank_dir=bank_dir)
        except ValueError as err:
            if local:  # a broken bank in bank_dir: never fall back to the shipped one
                cache[quiz] = _BrokenBank(f"the quiz bank for {quiz} in --banks is invalid: {err}")
            else:
                cache[quiz] = None  # unknown quiz: answers_from_payload names the file and quiz
    if isinstance(cache[quiz], _BrokenBank):
        raise cache[quiz]  # parsed once, however many files name the quiz
    return cache[quiz]


class _BrokenBank(Exception):
    """A bank in ``bank_dir`` that cannot be read: the run stops (it is not the file's fault)."""


# ------------------------------------------------------------------------ safe text helpers


def safe_cell(text: str) -> str:
    """``text`` made safe for a spreadsheet cell.

    Lone surrogates and control characters (line breaks included) become escapes; a cell that
    a spreadsheet would read as a formula (OWASP: one starting with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return, here also after spaces, or a line feed or a full-width form)
    gets a leading apostrophe.

    Examples
    --------
    >>> safe_cell("Eve\\r=cmd|' /C calc'!A0"), safe_cell("=1+1"), safe_cell("\\t@x")
    ("Eve\\\\r=cmd|' /C calc'!A0", "'=1+1", "'\\\\t@x")
    >>> safe_cell("\\r+1"), safe_cell("  =1"), safe_cell("a=1")
    ("'\\\\r+1", "'  =1", 'a=1')
    >>> safe_cell("-2"), safe_cell("Zoë"), safe_cell("a\\ud800b")
    ("'-2", 'Zoë', 'a\\\\ud800b')
    """
    text = str(text)
    formula = text.lstrip(" \u00a0\u3000").startswith(_FORMULA_START)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = _CONTROL.sub(_escape, text)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return "'" + text if formula else text


def canvas_student_name(name: str, learner_id: str) -> str:
    """The ``Student`` cell of a learner in a Canvas gradebook.

    Canvas's importer takes any row whose first cell contains ``Points Possible`` for the
    points-possible row: that learner's scores would become the quiz's points and the learner
    would not be imported. A name that reads as those words in any case, spacing, punctuation,
    width or with invisible characters (``points\u200bpossible``, ``ＰＯＩＮＴＳ POSSIBLE``) is
    written as ``Learner <id> (renamed)``; Canvas matches learners on the id, so their scores
    still land on them (``grade`` prints a warning line for each).

    Examples
    --------
    >>> canvas_student_name(" points  POSSIBLE ", "s1"), canvas_student_name("Ada", "s2")
    ('Learner s1 (renamed)', 'Ada')
    """
    if _POINTS_POSSIBLE in _letters(name):
        return f"Learner {learner_id} (renamed)"
    return name


_POINTS_POSSIBLE = "pointspossible"


def _letters(text: str) -> str:
    """``text`` reduced to its casefolded letters and digits, compatibility forms folded."""
    import unicodedata

    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def path_text(path: Path) -> str:
    """A path as printable text: bytes that are not UTF-8 become ``\\xNN`` escapes.

    Examples
    --------
    >>> path_text(Path(os.fsdecode(b"caf\\xe9.json")))
    'caf\\\\xe9.json'
    """
    try:
        raw = os.fsencode(path)
    except (UnicodeError, TypeError):
        raw = str(path).encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")


def one_line(text: str, limit: int = 400) -> str:
    """``text`` on one printable line of at most about ``limit`` characters.

    Examples
    --------
    >>> one_line("a\\nb\\udcff " + "x" * 10, limit=12)
    'a\\\\nb\\\\udcff ...'
    """
    text = str(text).encode("utf-8", "backslashreplace").decode("utf-8")
    text = _CONTROL.sub(_escape, text)
    return text if len(text) <= limit else text[:limit] + "..."


def _score(entry: GradedFile | None) -> str:
    return "" if entry is None else str(entry.result.n_correct)


def _who(entry: GradedFile) -> str:
    if entry.learner_id:
        return f"{entry.learner or ''} ({entry.learner_id})".strip()
    return entry.learner or ""


def _check_choice(value, choices: tuple, name: str) -> None:
    if value not in choices:
        raise ValueError(
            f"Expected `{name}` to be one of {', '.join(map(repr, choices))}, but got {value!r}."
        )
