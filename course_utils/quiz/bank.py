"""Question banks: quizzes as data, one YAML (or JSON) file per chapter, validated on load.

This docstring is the bank schema: the one place it is written down. A bank file::

    quiz: 01_rnn_metrics          # the id; must equal the file name's stem
    title: "Chapter 1: metrics for an nn.RNN"
    version: "1"                  # a string; bump it when answers change
    questions:
      - id: accuracy-paradox      # a stable slug, unique in the bank
        type: single              # a registered question type (see below)
        prompt: "98% accuracy but 12% recall on fraud: ready for production?"
        objectives: [4, "3.2"]    # optional; the learning objectives it tests (see below)
        options:
          - id: yes
            text: "Yes"
            correct: false
            feedback: "Shown when this option is chosen."
            misconception: "Accuracy tells the whole story."   # optional; see below
          - {id: no, text: "No", correct: true, feedback: "..."}
        explanation: "Shown once the learner gets it right (or after two tries)."
      - id: seed-precision
        type: numeric
        prompt: "Precision for TP=50, FP=5?"
        answer: 0.90909
        tolerance: 0.005
        proportion: true              # optional; see below
        answer_from: seed_precision   # optional: a name the tests recompute with course_utils
        hint: "Precision = TP / (TP + FP)."   # optional: shown on a wrong numeric answer
        explanation: "..."

Every question has ``id``, ``type``, ``prompt`` and ``explanation``, and may have
``objectives`` (below); the other fields belong to its type. The types (one class each in
:mod:`course_utils.quiz.types`):

``single``
    ``options``: at least 2, exactly one with ``correct: true``. The learner picks one.
``multiple``
    ``options``: at least 2, at least one correct. The learner ticks all that apply.
``numeric``
    ``answer`` and ``tolerance`` (finite numbers, tolerance >= 0): a typed number within
    ``answer +- tolerance`` is right. Learners may type ``0.91``, ``.91``, ``9.1e-1`` or a
    fraction such as ``10/11``. ``proportion`` (optional, true/false) says whether the answer
    is a proportion, where a percentage such as ``91%`` or ``91 %`` is accepted too. When it
    is left out it is derived: a question is a proportion when ``0 <= answer <= 1``. Set
    ``proportion: false`` for an answer in [0, 1] that is not one (an RMSE of 0.4, say) so
    that "40%" is refused, and ``true`` for nothing else.

``objectives`` (optional) lists the learning objectives the question tests, numbered from 1 in
the order of the chapter's "Learning objectives" box: an integer ``n`` is objective ``n`` of the
bank's own chapter, a quoted string ``"C.n"`` is objective ``n`` of chapter ``C`` (the self-check
tests other chapters' objectives). The instructor guide's objectives map is built from it; the
bank standards test requires it on every question of the shipped banks, naming objectives that
exist, and every objective tested by a question or an exercise.

Options have ``id``, ``text``, ``correct`` and ``feedback``, and may have ``misconception``:
the named misconception a wrong option stands for. When a learner picks a wrong option, its
feedback is shown followed by "Misconception: <text>". (The bank standards test requires it on
every wrong option of the shipped banks.)

Text may use `backticks` for inline code; everything else is shown literally (HTML-escaped).
Unknown fields are errors, so a typo never silently drops a field.

**Quick checks.** A question whose id starts with ``qc-`` (``QUICK_CHECK_PREFIX``) is a quick
check: one of the one or two items that end a core section of the chapter, shown there by
:func:`course_utils.quiz.quick_check`. Quick checks are written like any other question (same
types, same standards), but they are practice, not assessment: they are kept apart in
:attr:`QuizBank.quick_checks`, so the end-of-chapter quiz (``Quiz``), its answers files,
grading, the answer key and the PDF's quiz never include them, and changing one does not change
the bank's answer key (no version bump needed). A bank still needs at least one
end-of-chapter question.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from course_utils.book.renames import current_name
from course_utils.quiz.model import (
    COMMON_QUESTION_KEYS,
    OPTIONAL_QUESTION_KEYS,
    QUICK_CHECK_PREFIX,
    Option,
    Question,
    QuizBank,
    Where,
)
from course_utils.quiz.types import QUESTION_TYPES

__all__ = [
    "BANK_DIR",
    "COMMON_QUESTION_KEYS",
    "OPTIONAL_QUESTION_KEYS",
    "QUICK_CHECK_PREFIX",
    "Option",
    "Question",
    "QuizBank",
    "Where",
    "available_banks",
    "load_bank",
]

BANK_DIR = Path(__file__).resolve().parent.parent / "quizzes"

_BANK_KEYS = {"quiz", "title", "version", "questions"}
_OBJECTIVE_REF = re.compile(r"^([1-9][0-9]*)\.([1-9][0-9]*)$")


def available_banks() -> list[str]:
    """Names of the banks shipped with the course (the stems of ``course_utils/quizzes/*.yaml``).

    Returns
    -------
    list of str
        Sorted bank names, e.g. ``["01_rnn_metrics", ...]``.

    Examples
    --------
    >>> "10_self_check" in available_banks()
    True
    """
    return sorted(path.stem for path in BANK_DIR.glob("*.yaml"))


def load_bank(name_or_path: str | Path) -> QuizBank:
    """Read and validate a question bank.

    Parameters
    ----------
    name_or_path : str or pathlib.Path
        Either a bank name (a chapter stem such as ``"04_precision_recall_tradeoff"``), looked
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
    >>> bank = load_bank("10_self_check")
    >>> bank.quiz, len(bank) >= 15
    ('10_self_check', True)
    >>> bank.question("seed-precision").type
    'numeric'
    """
    path = _resolve_bank_path(name_or_path)
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".json":
            data = json.loads(text)
        else:
            data = _load_yaml_bounded(text, path)
    except _Refused as err:
        raise ValueError(str(err)) from None
    except ValueError as err:  # json.JSONDecodeError is a ValueError
        raise ValueError(f"{path}: not valid JSON ({err}).") from err
    except Exception as err:  # yaml.YAMLError and friends
        raise ValueError(f"{path}: not valid YAML ({err}).") from err
    return _parse_bank(data, path)


# A bank is a few dozen questions: the largest shipped one is about 40 kB and 3,000 values.
MAX_BANK_CHARS = 2_000_000
MAX_BANK_VALUES = 200_000  # after YAML aliases are expanded ("billion laughs" bound)


class _Refused(Exception):
    """A bank refused before it is built (too big, or aliases that expand too far)."""


def _load_yaml_bounded(text: str, path: Path):
    """``yaml.safe_load(text)``, refusing in time linear in the text a bank over
    :data:`MAX_BANK_CHARS` characters or whose aliases would expand to more than
    :data:`MAX_BANK_VALUES` values (or refer to themselves).

    The document is composed (aliases stay references to one node), its expanded size counted
    with each node measured once, and only then built.
    """
    if len(text) > MAX_BANK_CHARS:
        raise _Refused(
            f"{path}: refused: {len(text):,} characters, more than a quiz bank holds "
            f"({MAX_BANK_CHARS:,} at most)."
        )
    import yaml  # a runtime dependency, but only banks need it

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node, path)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_expansion(root, path: Path) -> None:
    """Count the values a composed YAML document expands to, without expanding it."""
    import yaml

    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            sizes[key] = 1
            continue
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > MAX_BANK_VALUES:
                raise _Refused(
                    f"{path}: refused: its YAML aliases (*name) expand to more than "
                    f"{MAX_BANK_VALUES:,} values (a 'billion laughs' document); write the bank "
                    "out without aliases."
                )
            continue
        if key in open_nodes:
            raise _Refused(f"{path}: refused: a YAML alias refers to itself (a recursive bank).")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
        for child in children:
            if id(child) in open_nodes:
                raise _Refused(
                    f"{path}: refused: a YAML alias refers to itself (a recursive bank)."
                )


def _resolve_bank_path(name_or_path: str | Path) -> Path:
    if not isinstance(name_or_path, str | Path):
        raise TypeError(
            "Expected `name_or_path` to be a bank name (str) or a path, "
            f"but got {type(name_or_path).__name__}."
        )
    candidate = Path(name_or_path)
    looks_like_path = isinstance(name_or_path, Path) or candidate.suffix or "/" in str(name_or_path)
    if not looks_like_path:
        # A chapter's former quiz id (saved in older answers files) names its current bank.
        candidate = BANK_DIR / f"{current_name(name_or_path)}.yaml"
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
# Validation. Errors name the file and, where known, the question id (see model.Where).
# ----------------------------------------------------------------------------------------------


def _parse_bank(data, path: Path) -> QuizBank:
    where = Where(path)
    if not isinstance(data, dict):
        raise where.fail(f"Expected a mapping at the top level, but got {type(data).__name__}.")
    where.keys(data, _BANK_KEYS, _BANK_KEYS, "the bank")
    quiz = where.slug(data["quiz"], "quiz")
    if quiz != path.stem:
        raise where.fail(
            f"Expected `quiz` to equal the file name's stem {path.stem!r}, but got {quiz!r}."
        )
    version = data["version"]
    if not isinstance(version, str) or not version.strip():
        raise where.fail(
            f"Expected `version` to be a non-empty string (quote it in YAML), but got {version!r}."
        )
    raw_questions = data["questions"]
    if not isinstance(raw_questions, list) or not raw_questions:
        raise where.fail("Expected `questions` to be a non-empty list.")

    questions, quick_checks, seen = [], [], set()
    for position, entry in enumerate(raw_questions, start=1):
        question = _parse_question(entry, position, path)
        if question.id in seen:
            raise Where(path, question.id).fail(
                "Duplicate question id; ids must be unique in a bank."
            )
        seen.add(question.id)
        is_quick = question.id.startswith(QUICK_CHECK_PREFIX)
        (quick_checks if is_quick else questions).append(question)
    if not questions:
        raise where.fail(
            f"Expected at least one end-of-chapter question (an id not starting with "
            f"{QUICK_CHECK_PREFIX!r}); every question here is a quick check."
        )
    return QuizBank(
        quiz,
        where.text(data["title"], "title"),
        version.strip(),
        tuple(questions),
        path,
        tuple(quick_checks),
    )


def _parse_question(entry, position: int, path: Path) -> Question:
    """The common fields here; the type's class parses and checks the rest."""
    where = Where(path, f"#{position}")  # until we know the id, name it by its position
    if not isinstance(entry, dict):
        raise where.fail(f"Expected a mapping, but got {type(entry).__name__}.")
    where = Where(path, where.slug(entry.get("id"), "id"))
    kind = QUESTION_TYPES.get(entry.get("type")) if isinstance(entry.get("type"), str) else None
    if kind is None:
        raise where.fail(
            f"Expected `type` to be one of {list(QUESTION_TYPES)}, but got {entry.get('type')!r}."
        )
    where.keys(
        entry,
        COMMON_QUESTION_KEYS | OPTIONAL_QUESTION_KEYS | set(kind.fields),
        COMMON_QUESTION_KEYS | {k for k, required in kind.fields.items() if required},
        "the question",
    )
    return Question(
        where.question,
        kind.name,
        where.text(entry["prompt"], "prompt"),
        where.text(entry["explanation"], "explanation"),
        **kind.parse(entry, where),
        objectives=_parse_objectives(entry.get("objectives"), where),
        kind=kind,
    )


def _parse_objectives(value, where: Where) -> tuple[int | str, ...]:
    """``objectives:`` checked: a non-empty list of distinct objective numbers (ints >= 1, this
    chapter) or ``"C.n"`` strings (objective n of chapter C); None (left out) gives ()."""
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise where.fail(
            "Expected `objectives` to be a non-empty list of objective numbers, e.g. [1, 3] "
            f'or [2, "3.1"], but got {value!r}.'
        )
    refs: list[int | str] = []
    for ref in value:
        if isinstance(ref, float):
            raise where.fail(
                f"Expected `objectives` to hold objective numbers, but got {ref!r}: quote a "
                f'reference to another chapter\'s objective, as in "3.1" (YAML reads 3.10 as 3.1).'
            )
        ok = (isinstance(ref, int) and not isinstance(ref, bool) and ref >= 1) or (
            isinstance(ref, str) and _OBJECTIVE_REF.match(ref)
        )
        if not ok:
            raise where.fail(
                "Expected each entry of `objectives` to be an objective number of this chapter "
                f'(1, 2, ...) or "<chapter>.<number>" for another chapter\'s, but got {ref!r}.'
            )
        if ref in refs:
            raise where.fail(f"`objectives` lists {ref!r} twice.")
        refs.append(ref)
    return tuple(refs)
