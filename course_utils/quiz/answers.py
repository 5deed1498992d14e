"""Answers files: what ``Quiz.save`` writes and the page's "Download answers" button downloads.

The format (``format_version`` 1) is one JSON object::

    {"format": "course-utils-quiz-answers", "format_version": 1,
     "quiz": "05_self_check", "quiz_version": "1", "learner": "Ada" (or null),
     "answers": {"seed-precision": "0.91", "fraud-recall": "no", "pitfalls": ["a", "c"]},
     "checksum": "<64 hex digits>"}

``checksum`` is the SHA-256 (hex) of the *canonical JSON* of every other field: keys sorted
at every level, no spaces (separators ``,`` and ``:``), every non-ASCII character written as a
``\\uXXXX`` escape (UTF-16, lowercase hex) so the text is pure ASCII. Python's
``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)`` produces exactly
that, and the page's JavaScript builds the same string. The checksum catches hand edits and
damaged files; it is not a signature (anyone can recompute it).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from course_utils.quiz.bank import QuizBank, load_bank
from course_utils.quiz.checking import QuizResult, score_answers

FORMAT = "course-utils-quiz-answers"
FORMAT_VERSION = 1
_FIELDS = {"format", "format_version", "quiz", "quiz_version", "learner", "answers", "checksum"}


def canonical_json(data: dict) -> str:
    """The canonical JSON text of ``data`` that the checksum is computed over.

    Examples
    --------
    >>> canonical_json({"b": [1, "é"], "a": None})
    '{"a":null,"b":[1,"\\\\u00e9"]}'
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


def make_answers_payload(bank: QuizBank, answers: dict, *, learner: str | None = None) -> dict:
    """Build the answers-file object (checksum included) for ``answers`` to ``bank``.

    Unanswered questions (``None``, ``""`` or an empty list) are left out; multiple-choice
    answers are written in bank order.

    Parameters
    ----------
    bank : QuizBank
        The bank answered.
    answers : dict
        ``{question_id: value}`` as for :func:`~course_utils.quiz.score_answers`.
    learner : str or None, default None
        The learner's name, recorded for the instructor.

    Returns
    -------
    dict
        The JSON-ready object described in this module's docstring.

    Raises
    ------
    TypeError
        If ``learner`` is neither a string nor None.
    ValueError
        If ``answers`` names unknown questions or options.

    Examples
    --------
    >>> from course_utils.quiz import load_bank
    >>> payload = make_answers_payload(load_bank("05_self_check"), {"seed-precision": "0.91"},
    ...                                learner="Ada")
    >>> payload["answers"], payload["learner"], len(payload["checksum"])
    ({'seed-precision': '0.91'}, 'Ada', 64)
    """
    if learner is not None and not isinstance(learner, str):
        raise TypeError(
            f"Expected `learner` to be a str or None, but got {type(learner).__name__}."
        )
    score_answers(bank, answers)  # validates question and option ids
    cleaned = {}
    for question in bank.questions:  # bank order keeps files easy to read
        value = answers.get(question.id)
        if value in (None, "", []):
            continue
        if question.type == "multiple":
            chosen = set(value)
            value = [option.id for option in question.options if option.id in chosen]
        elif question.type == "numeric" and not isinstance(value, str):
            value = repr(float(value))  # files always hold the text, as typed on the page
        cleaned[question.id] = value
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "quiz": bank.quiz,
        "quiz_version": bank.version,
        "learner": (learner.strip() or None) if learner is not None else None,
        "answers": cleaned,
    }
    payload["checksum"] = answers_checksum(payload)
    return payload


def write_answers(path: str | Path, payload: dict) -> Path:
    """Write an answers object (from :func:`make_answers_payload`) as UTF-8 JSON; return the path."""
    path = Path(path)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class AnswersFile:
    """A validated answers file: what :func:`read_answers` returns.

    Attributes
    ----------
    path : pathlib.Path
        Where it was read from.
    quiz, quiz_version : str
        The quiz id and the bank version the learner answered.
    learner : str or None
        The learner's name as entered.
    answers : dict
        ``{question_id: value}``.
    checksum : str
        The file's (verified) checksum.
    bank : QuizBank
        The bank the file was checked against.
    """

    path: Path
    quiz: str
    quiz_version: str
    learner: str | None
    answers: dict
    checksum: str
    bank: QuizBank

    def score(self) -> QuizResult:
        """Score these answers against their bank."""
        return score_answers(self.bank, self.answers)


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
        Naming the file: it is missing or not JSON, has the wrong format or format version,
        its checksum does not match (the file was edited or damaged), it names an unknown quiz,
        a different quiz version than the bank's, or unknown questions or options.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from course_utils.quiz import load_bank
    >>> bank = load_bank("05_self_check")
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
    payload = _read_json(path)
    _check_format(payload, path)
    if payload["checksum"] != answers_checksum(payload):
        raise ValueError(
            f"{path}: the checksum does not match the contents; the file was edited or damaged. "
            "Ask the learner to save or download their answers again."
        )
    if bank is None:
        try:
            bank = load_bank(payload["quiz"])
        except ValueError as err:
            raise ValueError(f"{path}: unknown quiz {payload['quiz']!r} ({err})") from err
    elif bank.quiz != payload["quiz"]:
        raise ValueError(f"{path}: answers are for quiz {payload['quiz']!r}, not {bank.quiz!r}.")
    if payload["quiz_version"] != bank.version:
        raise ValueError(
            f"{path}: answers are for version {payload['quiz_version']!r} of quiz {bank.quiz!r}, "
            f"but the bank is version {bank.version!r}; grade with the matching bank."
        )
    try:
        score_answers(bank, payload["answers"])
    except ValueError as err:
        raise ValueError(f"{path}: {err}") from err
    return AnswersFile(
        path,
        payload["quiz"],
        payload["quiz_version"],
        payload["learner"],
        payload["answers"],
        payload["checksum"],
        bank,
    )


def _read_json(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ValueError(f"{path}: cannot read the answers file ({err.strerror}).") from err
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: not valid JSON ({err.msg} at line {err.lineno}).") from err
    if not isinstance(payload, dict):
        raise ValueError(f"{path}: expected a JSON object, but got {type(payload).__name__}.")
    return payload


def _check_format(payload: dict, path: Path) -> None:
    if payload.get("format") != FORMAT:
        raise ValueError(
            f"{path}: expected `format` to be {FORMAT!r}, but got {payload.get('format')!r}; "
            "this is not a quiz answers file."
        )
    if payload.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{path}: expected `format_version` {FORMAT_VERSION}, but got "
            f"{payload.get('format_version')!r}; update course_utils to read it."
        )
    missing = sorted(_FIELDS - set(payload))
    unknown = sorted(set(payload) - _FIELDS)
    if missing or unknown:
        raise ValueError(f"{path}: missing field(s) {missing}, unknown field(s) {unknown}.")
    checks = {
        "quiz": isinstance(payload["quiz"], str),
        "quiz_version": isinstance(payload["quiz_version"], str),
        "learner": payload["learner"] is None or isinstance(payload["learner"], str),
        "answers": isinstance(payload["answers"], dict),
        "checksum": isinstance(payload["checksum"], str),
    }
    for name, ok in checks.items():
        if not ok:
            raise ValueError(f"{path}: field `{name}` has the wrong type ({payload[name]!r}).")
