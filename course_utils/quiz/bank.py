"""Question banks: quizzes as data, one YAML (or JSON) file per chapter, validated on load.

A bank file looks like this (every field is checked by :func:`load_bank`)::

    quiz: 01_rnn_metrics          # the id; must equal the file name's stem
    title: "Chapter 1: metrics for an nn.RNN"
    version: "1"                  # a string; bump it when answers change
    questions:
      - id: accuracy-paradox      # a stable slug, unique in the bank
        type: single              # single | multiple | numeric
        prompt: "98% accuracy but 12% recall on fraud: ready for production?"
        options:
          - {id: yes, text: "Yes", correct: false, feedback: "..."}
          - {id: no, text: "No", correct: true, feedback: "..."}
        explanation: "Shown once the learner gets it right (or after two tries)."
      - id: seed-precision
        type: numeric
        prompt: "Precision for TP=50, FP=5?"
        answer: 0.90909
        tolerance: 0.005
        answer_from: seed_precision   # optional: a name the tests recompute with course_utils
        hint: "Precision = TP / (TP + FP)."   # optional: shown on a wrong numeric answer
        explanation: "..."

Text may use `backticks` for inline code; everything else is shown literally (HTML-escaped).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

QUESTION_TYPES = ("single", "multiple", "numeric")
BANK_DIR = Path(__file__).resolve().parent.parent / "quizzes"

# Ids end up in HTML ids and file names: keep them to lowercase letters, digits, "_" and "-".
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

_BANK_KEYS = {"quiz", "title", "version", "questions"}
_QUESTION_KEYS = {
    "single": {"id", "type", "prompt", "options", "explanation"},
    "multiple": {"id", "type", "prompt", "options", "explanation"},
    "numeric": {
        "id",
        "type",
        "prompt",
        "answer",
        "tolerance",
        "answer_from",
        "hint",
        "explanation",
    },
}
_REQUIRED_QUESTION_KEYS = {
    "single": {"id", "type", "prompt", "options", "explanation"},
    "multiple": {"id", "type", "prompt", "options", "explanation"},
    "numeric": {"id", "type", "prompt", "answer", "tolerance", "explanation"},
}
_OPTION_KEYS = {"id", "text", "correct", "feedback"}


@dataclass(frozen=True)
class Option:
    """One choice of a single- or multiple-choice question."""

    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    """One question. Choice questions use ``options``; numeric ones ``answer`` and ``tolerance``."""

    id: str
    type: str
    prompt: str
    explanation: str
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float | None = None
    answer_from: str | None = None
    hint: str | None = None

    @property
    def correct_ids(self) -> tuple[str, ...]:
        """Ids of the correct options, in bank order (empty for numeric questions)."""
        return tuple(option.id for option in self.options if option.correct)

    def option(self, option_id: str) -> Option:
        """The option with id ``option_id`` (``KeyError`` if there is none)."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)


@dataclass(frozen=True)
class QuizBank:
    """A validated question bank: what :func:`load_bank` returns.

    Attributes
    ----------
    quiz : str
        The quiz id (the bank file's stem, e.g. ``"01_rnn_metrics"``).
    title : str
        Heading shown above the quiz.
    version : str
        Version of the bank; answers files record it so a grader notices a changed bank.
    questions : tuple of Question
        The questions, in the order they are shown.
    source : pathlib.Path or None
        The file the bank was read from.
    """

    quiz: str
    title: str
    version: str
    questions: tuple[Question, ...]
    source: Path | None = field(default=None, compare=False)

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self):
        return iter(self.questions)

    def question(self, question_id: str) -> Question:
        """The question with id ``question_id`` (``KeyError`` if there is none)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def to_dict(self) -> dict:
        """The bank as plain data, in the file layout (``load_bank`` reads it back)."""
        questions = []
        for q in self.questions:
            entry: dict = {"id": q.id, "type": q.type, "prompt": q.prompt}
            if q.type == "numeric":
                entry.update(answer=q.answer, tolerance=q.tolerance)
                if q.answer_from is not None:
                    entry["answer_from"] = q.answer_from
                if q.hint is not None:
                    entry["hint"] = q.hint
            else:
                entry["options"] = [
                    {"id": o.id, "text": o.text, "correct": o.correct, "feedback": o.feedback}
                    for o in q.options
                ]
            entry["explanation"] = q.explanation
            questions.append(entry)
        return {
            "quiz": self.quiz,
            "title": self.title,
            "version": self.version,
            "questions": questions,
        }


def available_banks() -> list[str]:
    """Names of the banks shipped with the course (the stems of ``course_utils/quizzes/*.yaml``).

    Returns
    -------
    list of str
        Sorted bank names, e.g. ``["01_rnn_metrics", ...]``.

    Examples
    --------
    >>> "05_self_check" in available_banks()
    True
    """
    return sorted(path.stem for path in BANK_DIR.glob("*.yaml"))


def load_bank(name_or_path: str | Path) -> QuizBank:
    """Read and validate a question bank.

    Parameters
    ----------
    name_or_path : str or pathlib.Path
        Either a bank name (a chapter stem such as ``"03_precision_recall_tradeoff"``), looked
        up in ``course_utils/quizzes/``, or the path of a ``.yaml``/``.yml``/``.json`` file.

    Returns
    -------
    QuizBank
        The validated bank.

    Raises
    ------
    TypeError
        If ``name_or_path`` is not a string or a path.
    ValueError
        If the bank does not exist or is invalid. The message names the file and, for a
        problem inside a question, the question id.

    Examples
    --------
    >>> bank = load_bank("05_self_check")
    >>> bank.quiz, len(bank) >= 15
    ('05_self_check', True)
    >>> bank.question("seed-precision").type
    'numeric'
    """
    path = _resolve_bank_path(name_or_path)
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".json":
            data = json.loads(text)
        else:
            import yaml  # a runtime dependency, but only banks need it

            data = yaml.safe_load(text)
    except ValueError as err:  # json.JSONDecodeError is a ValueError
        raise ValueError(f"{path}: not valid JSON ({err}).") from err
    except Exception as err:  # yaml.YAMLError and friends
        raise ValueError(f"{path}: not valid YAML ({err}).") from err
    return _parse_bank(data, path)


def _resolve_bank_path(name_or_path: str | Path) -> Path:
    if not isinstance(name_or_path, str | Path):
        raise TypeError(
            "Expected `name_or_path` to be a bank name (str) or a path, "
            f"but got {type(name_or_path).__name__}."
        )
    candidate = Path(name_or_path)
    looks_like_path = isinstance(name_or_path, Path) or candidate.suffix or "/" in str(name_or_path)
    if not looks_like_path:
        candidate = BANK_DIR / f"{name_or_path}.yaml"
        if not candidate.is_file():
            raise ValueError(
                f"Expected `name_or_path` to name a bank in {BANK_DIR} or be a file path, but got "
                f"{name_or_path!r}. Available banks: {', '.join(available_banks())}."
            )
        return candidate
    if candidate.suffix not in {".yaml", ".yml", ".json"}:
        raise ValueError(
            f"Expected `name_or_path` to be a .yaml, .yml or .json file, but got {candidate}."
        )
    if not candidate.is_file():
        raise ValueError(
            f"Expected `name_or_path` to be an existing file, but {candidate} is missing."
        )
    return candidate


# ----------------------------------------------------------------------------------------------
# Validation. Each helper raises ValueError with the file and, where known, the question id.
# ----------------------------------------------------------------------------------------------


def _fail(path: Path, message: str, question: str | None = None) -> ValueError:
    where = f"{path}" if question is None else f"{path}, question {question!r}"
    return ValueError(f"{where}: {message}")


def _text(value, what: str, path: Path, question: str | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(
            path, f"Expected `{what}` to be a non-empty string, but got {value!r}.", question
        )
    return value.strip()


def _slug(value, what: str, path: Path, question: str | None = None) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise _fail(
            path,
            f"Expected `{what}` to be a slug (lowercase letters, digits, '_' or '-', at most 64 "
            f"characters), but got {value!r}.",
            question,
        )
    return value


def _check_keys(entry: dict, allowed: set, required: set, what: str, path: Path, question=None):
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise _fail(
            path, f"Unknown field(s) {unknown} in {what}; allowed: {sorted(allowed)}.", question
        )
    missing = sorted(required - set(entry))
    if missing:
        raise _fail(path, f"Missing field(s) {missing} in {what}.", question)


def _parse_bank(data, path: Path) -> QuizBank:
    if not isinstance(data, dict):
        raise _fail(path, f"Expected a mapping at the top level, but got {type(data).__name__}.")
    _check_keys(data, _BANK_KEYS, _BANK_KEYS, "the bank", path)
    quiz = _slug(data["quiz"], "quiz", path)
    if quiz != path.stem:
        raise _fail(
            path, f"Expected `quiz` to equal the file name's stem {path.stem!r}, but got {quiz!r}."
        )
    version = data["version"]
    if not isinstance(version, str) or not version.strip():
        raise _fail(
            path,
            f"Expected `version` to be a non-empty string (quote it in YAML), but got {version!r}.",
        )
    raw_questions = data["questions"]
    if not isinstance(raw_questions, list) or not raw_questions:
        raise _fail(path, "Expected `questions` to be a non-empty list.")

    questions, seen = [], set()
    for position, entry in enumerate(raw_questions, start=1):
        question = _parse_question(entry, position, path)
        if question.id in seen:
            raise _fail(path, "Duplicate question id; ids must be unique in a bank.", question.id)
        seen.add(question.id)
        questions.append(question)
    return QuizBank(
        quiz, _text(data["title"], "title", path), version.strip(), tuple(questions), path
    )


def _parse_question(entry, position: int, path: Path) -> Question:
    label = f"#{position}"  # until we know the id, name the question by its position
    if not isinstance(entry, dict):
        raise _fail(path, f"Expected a mapping, but got {type(entry).__name__}.", label)
    qid = _slug(entry.get("id"), "id", path, label)
    kind = entry.get("type")
    if kind not in QUESTION_TYPES:
        raise _fail(
            path, f"Expected `type` to be one of {list(QUESTION_TYPES)}, but got {kind!r}.", qid
        )
    _check_keys(
        entry, _QUESTION_KEYS[kind], _REQUIRED_QUESTION_KEYS[kind], "the question", path, qid
    )
    prompt = _text(entry["prompt"], "prompt", path, qid)
    explanation = _text(entry["explanation"], "explanation", path, qid)

    if kind == "numeric":
        answer, tolerance = entry["answer"], entry["tolerance"]
        for name, value in (("answer", answer), ("tolerance", tolerance)):
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                raise _fail(
                    path, f"Expected `{name}` to be a finite number, but got {value!r}.", qid
                )
        if tolerance < 0:
            raise _fail(path, f"Expected `tolerance` to be >= 0, but got {tolerance!r}.", qid)
        answer_from = entry.get("answer_from")
        if answer_from is not None:
            answer_from = _slug(answer_from, "answer_from", path, qid)
        hint = entry.get("hint")
        if hint is not None:
            hint = _text(hint, "hint", path, qid)
        return Question(
            qid,
            kind,
            prompt,
            explanation,
            answer=float(answer),
            tolerance=float(tolerance),
            answer_from=answer_from,
            hint=hint,
        )

    raw_options = entry["options"]
    if not isinstance(raw_options, list) or len(raw_options) < 2:
        raise _fail(path, "Expected `options` to be a list of at least 2 options.", qid)
    options, seen = [], set()
    for raw in raw_options:
        if not isinstance(raw, dict):
            raise _fail(path, f"Expected each option to be a mapping, but got {raw!r}.", qid)
        _check_keys(raw, _OPTION_KEYS, _OPTION_KEYS, "an option", path, qid)
        oid = _slug(raw["id"] if not isinstance(raw["id"], bool) else None, "option id", path, qid)
        if oid in seen:
            raise _fail(path, f"Duplicate option id {oid!r}.", qid)
        seen.add(oid)
        if not isinstance(raw["correct"], bool):
            raise _fail(path, f"Expected `correct` of option {oid!r} to be true or false.", qid)
        options.append(
            Option(
                oid,
                _text(raw["text"], "text", path, qid),
                raw["correct"],
                _text(raw["feedback"], "feedback", path, qid),
            )
        )
    n_correct = sum(option.correct for option in options)
    if kind == "single" and n_correct != 1:
        raise _fail(
            path,
            f"A single-choice question needs exactly 1 correct option, found {n_correct}.",
            qid,
        )
    if kind == "multiple" and n_correct < 1:
        raise _fail(path, "A multiple-choice question needs at least 1 correct option.", qid)
    return Question(qid, kind, prompt, explanation, options=tuple(options))
