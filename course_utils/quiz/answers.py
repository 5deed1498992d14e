"""Answers files: what ``Quiz.save`` writes and the page's "Download answers" button downloads.

The format (``format_version`` 2) is one JSON object::

    {"format": "course-utils-quiz-answers", "format_version": 2,
     "quiz": "10_self_check", "quiz_version": "1",
     "learner": "Ada" (or null), "learner_id": "s1234567" (or null),
     "answers": {"seed-precision": "0.91", "fraud-recall": "no", "pitfalls": ["a", "c"]},
     "first_try": {"seed-precision": true, "fraud-recall": false},
     "checksum": "<64 hex digits>"}

- ``learner`` is the name the learner typed, ``learner_id`` an optional student number or
  e-mail address (the gradebook keys on it when present). Both are stripped; empty means null.
- ``answers`` holds the final answers: an option id (single choice), a list of option ids in
  bank order (multiple choice) or the text typed (numeric, always a string).
- ``first_try`` records, for every question checked at least once, whether the *first* check
  was right (``true``/``false``); a question never checked is absent.
- Version-1 files (no ``learner_id``, no ``first_try``) are still read: their ``learner_id``
  is ``None`` and their ``first_try`` is ``None`` (not recorded).

**The checksum.** ``checksum`` is the SHA-256 (hex, lowercase) of the UTF-8 bytes of the
*canonical JSON* of every other field. The canonical JSON is, exactly:

1. objects with their keys sorted (by UTF-16 code unit, which for the ASCII keys used here is
   plain alphabetical order), at every level; arrays in their given order;
2. no whitespace at all: separators ``,`` and ``:``;
3. ``true``, ``false``, ``null`` and integers as JSON writes them (``format_version`` is the
   only number);
4. strings as ``JSON.stringify`` writes them (``\\"``, ``\\\\``, ``\\b``, ``\\f``, ``\\n``,
   ``\\r``, ``\\t``, other control characters as ``\\u00XX``), and then every UTF-16 code unit
   from ``U+007F`` up written as a ``\\uXXXX`` escape with lowercase hex, so the text is pure
   ASCII (a character outside the BMP becomes its two surrogate escapes).

Python's ``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)`` produces
exactly that (see :func:`canonical_json`); the page's JavaScript (``cuCanonicalJson`` in
:mod:`course_utils._static_html`) builds the same string. The checksum catches hand edits and
damaged files; it is **not** a signature: anyone can recompute it, and the answer key is in
every page. These quizzes are self-assessment, not proctored exams.

**File names.** :func:`answers_filename` suggests ``<quiz>-<learner-slug>-answers.json``. The
slug is: the name in Unicode NFKD form, every run of characters other than ASCII letters and
digits replaced by one ``-``, lowercased, ``-`` trimmed from both ends, cut to 40 characters
(then trimmed again); ``anonymous`` if nothing is left. In JavaScript::

    name.normalize("NFKD").replace(/[^A-Za-z0-9]+/g, "-").toLowerCase()
        .replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "") || "anonymous"

**Reading untrusted files.** :func:`read_answers` never raises anything but ``ValueError``
(one line, naming the file) on a bad file: it refuses files larger than ``MAX_FILE_BYTES``,
nested deeper than ``MAX_DEPTH``, not UTF-8, with numbers JSON cannot hold, names longer than
``MAX_NAME_CHARS`` or numeric answers longer than ``MAX_NUMBER_CHARS``, all in time linear in
the file's size.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from course_utils.book.ids import QUIZ_ID
from course_utils.book.renames import current_name
from course_utils.quiz.bank import QuizBank, load_bank
from course_utils.quiz.checking import QuizResult, score_answers
from course_utils.quiz.feedback import MAX_NUMBER_LENGTH

FORMAT = "course-utils-quiz-answers"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
_FIELDS_V1 = frozenset(
    {"format", "format_version", "quiz", "quiz_version", "learner", "answers", "checksum"}
)
_FIELDS = {1: _FIELDS_V1, 2: _FIELDS_V1 | {"learner_id", "first_try"}}

MAX_FILE_BYTES = 1_000_000  # an honest answers file is a few kB
MAX_DEPTH = 8  # an honest one nests 3 deep: {"answers": {"q": ["a"]}}
MAX_NAME_CHARS = 200  # learner names and ids
MAX_NUMBER_CHARS = MAX_NUMBER_LENGTH  # a numeric answer as typed: what the quiz page accepts
SLUG_CHARS = 40

_NOT_SLUG = re.compile(r"[^A-Za-z0-9]+")


def canonical_json(data: dict) -> str:
    """The canonical JSON text of ``data`` that the checksum is computed over.

    See the module docstring for the exact rules (mirrored by the page's JavaScript).

    Examples
    --------
    >>> canonical_json({"b": [1, "é", True], "a": None})
    '{"a":null,"b":[1,"\\\\u00e9",true]}'
    """
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def answers_checksum(payload: dict) -> str:
    """SHA-256 (hex) of the canonical JSON of ``payload`` without its ``checksum`` field.

    Examples
    --------
    >>> answers_checksum({"quiz": "q", "answers": {}, "checksum": "ignored"}) == answers_checksum(
    ...     {"answers": {}, "quiz": "q"})
    True
    """
    body = {key: value for key, value in payload.items() if key != "checksum"}
    return hashlib.sha256(canonical_json(body).encode("ascii")).hexdigest()


def learner_slug(learner: str | None) -> str:
    """The file-name-safe form of a learner's name (ASCII, at most 40 characters).

    Examples
    --------
    >>> learner_slug("Zoë O'Brien"), learner_slug(" 李 "), learner_slug(None)
    ('zoe-o-brien', 'anonymous', 'anonymous')
    """
    if learner is not None and not isinstance(learner, str):
        raise TypeError(
            f"Expected `learner` to be a str or None, but got {type(learner).__name__}."
        )
    text = unicodedata.normalize("NFKD", learner or "")
    slug = _NOT_SLUG.sub("-", text).lower().strip("-")[:SLUG_CHARS].rstrip("-")
    return slug or "anonymous"


def answers_filename(quiz: QuizBank | str, learner: str | None = None) -> str:
    """The suggested name of an answers file: ``<quiz>-<learner-slug>-answers.json``.

    Parameters
    ----------
    quiz : QuizBank or str
        The bank, or its quiz id (such as ``"10_self_check"``).
    learner : str or None, default None
        The learner's name; ``anonymous`` is used when it is missing or has no ASCII letter
        or digit (see :func:`learner_slug`).

    Returns
    -------
    str
        A file name that is safe on every operating system.

    Raises
    ------
    TypeError
        If ``quiz`` or ``learner`` has the wrong type.
    ValueError
        If ``quiz`` is not a quiz id (lowercase letters, digits, ``_`` and ``-``).

    Examples
    --------
    >>> answers_filename("10_self_check", "Ada Lovelace")
    '10_self_check-ada-lovelace-answers.json'
    >>> answers_filename("10_self_check", None)
    '10_self_check-anonymous-answers.json'
    """
    quiz_id = quiz.quiz if isinstance(quiz, QuizBank) else quiz
    if not isinstance(quiz_id, str):
        raise TypeError(
            f"Expected `quiz` to be a QuizBank or a str, but got {type(quiz).__name__}."
        )
    if not QUIZ_ID.match(quiz_id):
        raise ValueError(
            f"Expected `quiz` to be a quiz id such as '10_self_check', but got {quiz_id!r}."
        )
    return f"{quiz_id}-{learner_slug(learner)}-answers.json"


def make_answers_payload(
    bank: QuizBank,
    answers: dict,
    *,
    learner: str | None = None,
    learner_id: str | None = None,
    first_try: dict | None = None,
) -> dict:
    """Build the answers-file object (checksum included) for ``answers`` to ``bank``.

    Unanswered questions (``None``, ``""`` or an empty list) are left out; multiple-choice
    answers are written in bank order; numbers are written as text.

    Parameters
    ----------
    bank : QuizBank
        The bank answered.
    answers : dict
        ``{question_id: value}`` as for :func:`~course_utils.quiz.score_answers`.
    learner : str or None, default None
        The learner's name, recorded for the instructor.
    learner_id : str or None, default None
        A student number or e-mail address; the gradebook keys on it when present.
    first_try : dict of str to bool, or None, default None
        ``{question_id: whether the first check was right}`` for the questions checked.

    Returns
    -------
    dict
        The JSON-ready object described in this module's docstring.

    Raises
    ------
    TypeError
        If ``learner`` or ``learner_id`` is neither a string nor None, or ``first_try`` is not
        a dict of booleans.
    ValueError
        If ``answers`` or ``first_try`` names unknown questions or options, a numeric answer is
        too long or not a finite number, or a name is too long or holds characters that cannot
        be written as UTF-8 (lone surrogates).

    Examples
    --------
    >>> from course_utils.quiz import load_bank
    >>> payload = make_answers_payload(load_bank("10_self_check"), {"seed-precision": "0.91"},
    ...                                learner="Ada", learner_id=" s123 ",
    ...                                first_try={"seed-precision": False})
    >>> payload["answers"], payload["learner"], payload["learner_id"], payload["first_try"]
    ({'seed-precision': '0.91'}, 'Ada', 's123', {'seed-precision': False})
    >>> payload["format_version"], len(payload["checksum"])
    (2, 64)
    """
    if not isinstance(bank, QuizBank):
        raise TypeError(
            f"Expected `bank` to be a QuizBank (see load_bank), but got {type(bank).__name__}."
        )
    if not isinstance(answers, dict):
        raise TypeError(f"Expected `answers` to be a dict, but got {type(answers).__name__}.")
    learner = _clean_name(learner, "learner")
    learner_id = _clean_name(learner_id, "learner_id")
    numbers = {q.id for q in bank.questions if q.type == "numeric"}
    answers = {
        qid: _number_text(value, qid) if qid in numbers else value for qid, value in answers.items()
    }
    score_answers(bank, answers)  # validates question and option ids
    cleaned = {}
    for question in bank.questions:  # bank order keeps files easy to read
        value = answers.get(question.id)
        if value in (None, "", []):
            continue
        if question.type == "multiple":
            chosen = set(value)
            value = [option.id for option in question.options if option.id in chosen]
        cleaned[question.id] = value
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "quiz": bank.quiz,
        "quiz_version": bank.version,
        "learner": learner,
        "learner_id": learner_id,
        "answers": cleaned,
        "first_try": _clean_first_try(first_try, bank),
    }
    payload["checksum"] = answers_checksum(payload)
    return payload


def write_answers(path: str | Path, payload: dict) -> Path:
    """Write an answers object (from :func:`make_answers_payload`) as UTF-8 JSON; return the path.

    The text is encoded before anything touches the disk, then written to a temporary file in
    the same folder and renamed over ``path``: a failure leaves any previous file intact.

    Raises
    ------
    TypeError
        If ``path`` is not a str or path, or ``payload`` is not a dict.
    ValueError
        If the payload holds text that cannot be written as UTF-8 (a lone surrogate).
    OSError
        If the folder cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from course_utils.quiz import load_bank
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> payload = make_answers_payload(load_bank("10_self_check"), {}, learner="Ada")
    >>> write_answers(folder / "a.json", payload).read_text(encoding="utf-8").startswith("{")
    True
    """
    if not isinstance(path, str | Path):
        raise TypeError(f"Expected `path` to be a str or Path, but got {type(path).__name__}.")
    if not isinstance(payload, dict):
        raise TypeError(f"Expected `payload` to be a dict, but got {type(payload).__name__}.")
    path = Path(path)
    try:
        data = (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError as err:
        raise ValueError(
            "Expected the answers to hold only text that can be written as UTF-8, but found "
            f"{err.object[err.start : err.end]!r} (a lone surrogate); retype the name or answer."
        ) from err
    atomic_write_bytes(path, data)
    return path


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file next to ``path``, then rename it over ``path``.

    Either the whole new file is there afterwards or the previous one is untouched. Only a
    regular file (or a new path) is ever replaced: a FIFO, a device such as ``/dev/null``, a
    socket or a folder is refused. The file gets the permissions the umask allows, as
    ``open()`` would give it (``0o666 & ~umask``), not the ``0o600`` of a temporary file.

    Raises
    ------
    ValueError
        If ``path`` exists and is not a regular file (a link to a regular file is fine).
    OSError
        If the folder cannot be written; the previous file is then left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> atomic_write_bytes(target, b"hi").read_bytes()
    b'hi'
    >>> atomic_write_bytes("/dev/null", b"hi")
    Traceback (most recent call last):
    ...
    ValueError: Expected a regular file or a new path to write, but /dev/null is a character device; nothing was written.
    """
    path = Path(path)
    check_writable_target(path)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), 0o666 & ~_umask())
            out.write(data)
        check_writable_target(path)  # it may have changed while the data was written
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    return path


def check_writable_target(path: str | Path) -> None:
    """Refuse ``path`` if it exists and is not a regular file (links are followed).

    Examples
    --------
    >>> check_writable_target("/no/such/file.csv") is None
    True
    """
    kind = special_file_kind(path)
    if kind is not None:
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        raise ValueError(
            f"Expected a regular file or a new path to write, but {shown} is a {kind}; "
            "nothing was written."
        )


def special_file_kind(path: str | Path) -> str | None:
    """What ``path`` is when it exists and is not a regular file (``"FIFO (named pipe)"``,
    ``"character device"``...), else None. Links are followed.

    Examples
    --------
    >>> special_file_kind("/dev/null"), special_file_kind("/no/such/file")
    ('character device', None)
    """
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # missing (a new path), unreadable or a link loop: the write reports it
    if stat.S_ISREG(mode):
        return None
    kinds = (
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "FIFO (named pipe)"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    )
    return next((name for test, name in kinds if test(mode)), "special file")


def _umask() -> int:
    """The process's umask (read from /proc where possible, so nothing changes it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


@dataclass(frozen=True)
class AnswersFile:
    """A validated answers file: what :func:`read_answers` returns.

    Attributes
    ----------
    path : pathlib.Path
        Where it was read from.
    quiz, quiz_version : str
        The quiz id (its current name, for a file saved under a renamed chapter's former id)
        and the bank version the learner answered.
    learner : str or None
        The learner's name as entered.
    answers : dict
        ``{question_id: value}``.
    checksum : str
        The file's (verified) checksum.
    bank : QuizBank
        The bank the file was checked against.
    learner_id : str or None
        The learner's id (student number or e-mail), if given (format version 2).
    first_try : dict of str to bool, or None
        First-check correctness per checked question; None for version-1 files.
    format_version : int
        1 or 2.
    """

    path: Path
    quiz: str
    quiz_version: str
    learner: str | None
    answers: dict
    checksum: str
    bank: QuizBank
    learner_id: str | None = None
    first_try: dict | None = None
    format_version: int = FORMAT_VERSION

    def score(self, *, first_try: bool = False) -> QuizResult:
        """Score these answers against their bank.

        Parameters
        ----------
        first_try : bool, default False
            Score the first check of each question instead of the final answers: a question
            counts as right only if its first check was right.

        Raises
        ------
        ValueError
            If ``first_try`` is asked of a version-1 file, which does not record it.
        """
        if not first_try:
            return score_answers(self.bank, self.answers)
        if self.first_try is None:
            raise ValueError(
                f"{self.path}: a version-{self.format_version} answers file records no "
                "first-try results; grade it with --score final."
            )
        correct = {q.id: self.first_try.get(q.id) is True for q in self.bank.questions}
        checked = tuple(q.id for q in self.bank.questions if q.id in self.first_try)
        return QuizResult(self.bank.quiz, correct, checked)


def read_answers(path: str | Path, *, bank: QuizBank | None = None) -> AnswersFile:
    """Read, verify and validate an answers file.

    Parameters
    ----------
    path : str or pathlib.Path
        The JSON file saved by ``Quiz.save`` or downloaded from the page.
    bank : QuizBank or None, default None
        The bank to check against. By default the bank named by the file's ``quiz`` field is
        loaded from ``course_utils/quizzes/``.

    Returns
    -------
    AnswersFile
        The verified contents; ``.score()`` grades them.

    Raises
    ------
    TypeError
        If ``path`` is not a str or path, or ``bank`` is not a QuizBank.
    ValueError
        Naming the file: it is missing, too large, too deeply nested or not JSON, has the
        wrong format or format version, its checksum does not match (the file was edited or
        damaged), it names an unknown quiz, a different quiz version than the bank's, or
        unknown questions or options.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from course_utils.quiz import load_bank
    >>> bank = load_bank("10_self_check")
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> path = write_answers(folder / "a.json", make_answers_payload(bank, {"seed-recall": "83%"}))
    >>> read_answers(path).score().correct["seed-recall"]
    True
    """
    if not isinstance(path, str | Path):
        raise TypeError(f"Expected `path` to be a str or Path, but got {type(path).__name__}.")
    if bank is not None and not isinstance(bank, QuizBank):
        raise TypeError(f"Expected `bank` to be a QuizBank or None, but got {type(bank).__name__}.")
    path = Path(path)
    return answers_from_payload(load_answers_json(path), path=path, bank=bank)


def load_answers_json(path: str | Path) -> dict:
    """Read a file that should hold an answers object; refuse hostile input in linear time.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.

    Returns
    -------
    dict
        The parsed JSON object (not yet checked: see :func:`answers_from_payload`).

    Raises
    ------
    ValueError
        Naming the file: it cannot be read, is larger than ``MAX_FILE_BYTES``, is not UTF-8,
        nests deeper than ``MAX_DEPTH``, is not JSON (or holds numbers JSON cannot hold), or
        is not a JSON object.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "deep.json"
    >>> _ = bad.write_text("[" * 100_000)
    >>> try:
    ...     load_answers_json(bad)
    ... except ValueError as err:
    ...     print(str(err).split(": ", 1)[1])
    nested deeper than 8 levels; not an answers file.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise ValueError(f"{path}: cannot read the answers file ({err.strerror}).") from err
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(
            f"{path}: larger than {MAX_FILE_BYTES:,} bytes; not an answers file "
            "(those are a few kB)."
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{path}: not UTF-8 text (byte {err.start}); not an answers file."
        ) from err
    try:
        payload = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: not valid JSON ({err.msg} at line {err.lineno}).") from err
    except RecursionError as err:  # json's C parser stops at the interpreter's recursion limit
        raise ValueError(_too_deep(path)) from err
    except ValueError as err:  # an integer of more than 4300 digits, NaN, Infinity
        raise ValueError(f"{path}: not valid JSON ({_one_line(err)}).") from err
    if json_depth(payload) > MAX_DEPTH:
        raise ValueError(_too_deep(path))
    if not isinstance(payload, dict):
        raise ValueError(f"{path}: expected a JSON object, but got {type(payload).__name__}.")
    return payload


def json_depth(value) -> int:
    """How deeply lists and dicts nest in a parsed JSON ``value``, without recursion.

    Examples
    --------
    >>> json_depth({"a": [1, "[[["]}), json_depth(3), json_depth([[[[[]]]]])
    (2, 0, 5)
    """
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _too_deep(path: Path) -> str:
    return f"{path}: nested deeper than {MAX_DEPTH} levels; not an answers file."


def answers_from_payload(
    payload: dict, *, path: str | Path, bank: QuizBank | None = None
) -> AnswersFile:
    """Check a parsed answers object (from :func:`load_answers_json`) against its bank.

    Parameters
    ----------
    payload : dict
        The parsed file.
    path : str or pathlib.Path
        The file it came from (named in messages).
    bank : QuizBank or None, default None
        As for :func:`read_answers`.

    Returns
    -------
    AnswersFile

    Raises
    ------
    ValueError
        As for :func:`read_answers`.
    """
    path = Path(path)
    if not isinstance(payload, dict):
        raise ValueError(f"{path}: expected a JSON object, but got {type(payload).__name__}.")
    version = _check_format(payload, path)
    if bank is None:
        if not QUIZ_ID.match(payload["quiz"]):  # load_bank would take "a/b.yaml" for a path
            raise ValueError(
                f"{path}: expected `quiz` to be a quiz id such as '01_rnn_metrics', "
                f"but got {_short(payload['quiz'])}."
            )
        try:
            bank = load_bank(payload["quiz"])
        except ValueError as err:
            raise ValueError(f"{path}: unknown quiz {payload['quiz']!r} ({err})") from err
    elif current_name(bank.quiz) != current_name(payload["quiz"]):  # a former id is the same quiz
        raise ValueError(
            f"{path}: answers are for quiz {_short(payload['quiz'])}, not {bank.quiz!r}."
        )
    if payload["quiz_version"] != bank.version:
        raise ValueError(
            f"{path}: answers are for version {_short(payload['quiz_version'])} of quiz "
            f"{bank.quiz!r}, but the bank is version {bank.version!r}; grade with the matching bank."
        )
    answers = payload["answers"]
    _check_shapes(answers, payload.get("first_try"), bank, path)  # cheap, before the checksum
    if payload["checksum"] != answers_checksum(payload):
        raise ValueError(
            f"{path}: the checksum does not match the contents; the file was edited or damaged. "
            "Ask the learner to save or download their answers again."
        )
    first_try = payload.get("first_try")
    try:
        score_answers(bank, answers)
        if first_try is not None:
            _clean_first_try(first_try, bank)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{path}: {_one_line(err)}") from err
    return AnswersFile(
        path,
        bank.quiz,  # the current id, also for a file saved under a renamed quiz's former id
        payload["quiz_version"],
        payload["learner"],
        answers,
        payload["checksum"],
        bank,
        learner_id=payload.get("learner_id"),
        first_try=dict(first_try) if first_try is not None else None,
        format_version=version,
    )


# ----------------------------------------------------------------------------- helpers


def _check_shapes(answers: dict, first_try, bank: QuizBank, path: Path) -> None:
    """Refuse, in time linear in the file, answers no learner could have saved: unknown
    question ids, numeric answers that are not short text, lists longer than the options."""
    questions = {q.id: q for q in bank.questions}
    for name, mapping in (("answers", answers), ("first_try", first_try or {})):
        unknown = [key for key in mapping if key not in questions]
        if unknown:
            raise ValueError(
                f"{path}: expected `{name}` to use question ids of quiz {bank.quiz!r}, but got "
                f"{len(unknown):,} unknown, such as {_short(sorted(unknown[:5]))}."
            )
    for qid, value in answers.items():
        question = questions[qid]
        if question.type == "numeric" and value is not None:
            if not isinstance(value, str):
                raise ValueError(
                    f"{path}: expected the answer to numeric question {qid!r} to be "
                    f"text, but got {type(value).__name__}."
                )
            if len(value) > MAX_NUMBER_CHARS:
                raise ValueError(
                    f"{path}: the answer to question {qid!r} is {len(value):,} "
                    f"characters long; at most {MAX_NUMBER_CHARS} are read."
                )
        elif isinstance(value, list) and len(value) > len(question.options):
            raise ValueError(
                f"{path}: the answer to question {qid!r} lists {len(value):,} options; the "
                f"question has {len(question.options)}."
            )


def _check_format(payload: dict, path: Path) -> int:
    if payload.get("format") != FORMAT:
        raise ValueError(
            f"{path}: expected `format` to be {FORMAT!r}, but got {_short(payload.get('format'))}; "
            "this is not a quiz answers file."
        )
    version = payload.get("format_version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise ValueError(
            f"{path}: expected `format_version` to be one of {list(READABLE_VERSIONS)}, but got "
            f"{_short(version)}; update course_utils to read it."
        )
    fields = _FIELDS[version]
    missing = sorted(fields - set(payload))
    unknown = sorted(set(payload) - fields)
    if missing or unknown:
        raise ValueError(
            f"{path}: missing field(s) {missing}, unknown field(s) {_short(unknown)} "
            f"for format version {version}."
        )
    checks = {
        "quiz": isinstance(payload["quiz"], str),
        "quiz_version": isinstance(payload["quiz_version"], str),
        "learner": _is_name(payload["learner"]),
        "answers": isinstance(payload["answers"], dict),
        "checksum": isinstance(payload["checksum"], str),
    }
    if version >= 2:
        checks["learner_id"] = _is_name(payload["learner_id"])
        checks["first_try"] = isinstance(payload["first_try"], dict)
    for name, ok in checks.items():
        if not ok:
            raise ValueError(
                f"{path}: field `{name}` has the wrong type or is too long ({_short(payload[name])})."
            )
    return version


def _is_name(value) -> bool:
    return value is None or (
        isinstance(value, str) and len(value) <= MAX_NAME_CHARS and _encodable(value)
    )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _clean_name(value, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"Expected `{name}` to be a str or None, but got {type(value).__name__}.")
    value = value.strip()
    if not _encodable(value):
        raise ValueError(
            f"Expected `{name}` to be text that can be saved, but it holds a character that "
            "cannot be written as UTF-8 (a lone surrogate); retype it."
        )
    if len(value) > MAX_NAME_CHARS:
        raise ValueError(
            f"Expected `{name}` to have at most {MAX_NAME_CHARS} characters, but got {len(value)}."
        )
    return value or None


def _number_text(value, question_id: str):
    """A numeric answer as the text files hold; refuse what no learner types."""
    if value is None or isinstance(value, bool) or not isinstance(value, str | int | float):
        return value  # score_answers words the error
    if isinstance(value, int):
        if abs(value) >= 10**MAX_NUMBER_CHARS:
            raise ValueError(
                f"Expected the answer to question {question_id!r} to be a number of at most "
                f"{MAX_NUMBER_CHARS} digits, but got a larger one."
            )
        value = str(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(
                f"Expected the answer to question {question_id!r} to be a finite number, "
                f"but got {value!r}."
            )
        value = repr(value)
    if not _encodable(value):
        raise ValueError(
            f"Expected the answer to question {question_id!r} to be text that can be saved, "
            "but it holds a lone surrogate."
        )
    if len(value) > MAX_NUMBER_CHARS:
        raise ValueError(
            f"Expected the answer to question {question_id!r} to have at most "
            f"{MAX_NUMBER_CHARS} characters, but got {len(value):,}."
        )
    return value


def _clean_first_try(first_try, bank: QuizBank) -> dict:
    if first_try is None:
        return {}
    if not isinstance(first_try, dict):
        raise TypeError(
            f"Expected `first_try` to be a dict of question id to bool, but got "
            f"{type(first_try).__name__}."
        )
    known = [q.id for q in bank.questions]
    unknown = [key for key in first_try if key not in set(known)]
    if unknown:
        raise ValueError(
            f"Expected `first_try` to use question ids of quiz {bank.quiz!r}, but got unknown "
            f"{_short(sorted(map(str, unknown)))}."
        )
    wrong = [key for key, value in first_try.items() if not isinstance(value, bool)]
    if wrong:
        raise TypeError(
            f"Expected every `first_try` value to be true or false, but {wrong[0]!r} has "
            f"{_short(first_try[wrong[0]])}."
        )
    return {qid: first_try[qid] for qid in known if qid in first_try}  # bank order


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number an answers file holds")


def _short(value, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters (hostile files hold huge values)."""
    text = repr(value) if not isinstance(value, str) or len(value) <= limit else repr(value[:limit])
    return text if len(text) <= limit + 2 else text[:limit] + "...'"


def _one_line(err: BaseException, limit: int = 300) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[:limit] + "..."
