"""The instructor guide's course content, read from data: ``guide_content.yaml``.

What the chapters cannot say about themselves lives in that file, shipped with the package,
and nowhere in the code: the planning figures of the study plans, the discussion prompts of
each chapter and the learning objectives each exercise assesses. It is checked when it is
read: a chapter that is not the course's (every chapter has a shipped quiz bank), a key that is
missing or unknown, a value of the wrong kind is a ``ValueError`` that names the file and the
key. :mod:`~course_utils.instructor.guide` renders it.

The loaded values are module constants: :data:`WORDS_PER_MINUTE`, :data:`EXERCISE_MINUTES`,
:data:`QUESTION_MINUTES`, :data:`DISCUSSION_PROMPTS` and :data:`EXERCISE_OBJECTIVES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

CONTENT_FILE = Path(__file__).resolve().with_name("guide_content.yaml")
_PLANNING_KEYS = ("words_per_minute", "exercise_minutes", "question_minutes")
_CHAPTER_KEYS = ("discussion_prompts", "exercise_objectives")
_LABEL = re.compile(r"^ex-[a-z0-9][a-z0-9-]*$")
_CHAPTER_OBJECTIVE = re.compile(r"([1-9]\d*)\.([1-9]\d*)")


def chapter_number(stem: str) -> int | None:
    """The number of a chapter (or of its quiz bank) from its stem: ``"03_x"`` gives 3.

    >>> chapter_number("04_precision_recall_tradeoff"), chapter_number("demo")
    (4, None)
    """
    match = re.match(r"^(\d+)_", stem)
    return int(match[1]) if match else None


def objective_key(ref, own: str) -> tuple[int | str, int]:
    """Where an objective reference points: (chapter, number).

    ``ref`` is an int (objective ``ref`` of the chapter ``own``, a stem) or ``"C.n"``
    (objective n of chapter C). The chapter is its number, or the stem of an unnumbered one.

    >>> objective_key(2, "01_rnn_metrics"), objective_key("3.1", "10_self_check")
    ((1, 2), (3, 1))

    Raises
    ------
    ValueError
        If ``ref`` is neither.
    """
    if isinstance(ref, int) and not isinstance(ref, bool) and ref >= 1:
        number = chapter_number(own)
        return (own if number is None else number), ref
    match = _CHAPTER_OBJECTIVE.fullmatch(ref) if isinstance(ref, str) else None
    if match is None:
        raise ValueError(
            f'Expected an objective reference: a number (1, 2, ...) or "<chapter>.<number>", '
            f"but got {ref!r} (in {own})."
        )
    return int(match[1]), int(match[2])


@dataclass(frozen=True)
class GuideContent:
    """The content of a guide-content file (:func:`load_guide_content`).

    Attributes
    ----------
    words_per_minute, exercise_minutes, question_minutes : int
        Planning figures: reading speed, minutes per exercise, minutes per quiz question.
    discussion_prompts : mapping of str to tuple of str
        Per chapter stem, in the file's order; chapters without prompts are absent.
    exercise_objectives : mapping of str to tuple of (int or str)
        Per exercise label, the objectives it assesses (see :func:`objective_key`).
    """

    words_per_minute: int
    exercise_minutes: int
    question_minutes: int
    discussion_prompts: MappingProxyType
    exercise_objectives: MappingProxyType


def load_guide_content(path: str | Path | None = None, *, chapters=None) -> GuideContent:
    """Read and check a guide-content file.

    Parameters
    ----------
    path : str, pathlib.Path or None, default None
        The YAML file; None reads the shipped one (:data:`CONTENT_FILE`).
    chapters : iterable of str or None, default None
        The chapter stems it may name; None: the shipped quiz banks' names (one per chapter).

    Returns
    -------
    GuideContent

    Raises
    ------
    ValueError
        If the file cannot be read or is not YAML, or a key is missing, unknown or holds the
        wrong kind of value: an unknown chapter stem, a label that is not ``ex-...`` or appears
        twice, an objective reference that is neither a number nor ``"C.n"``, a prompt that is
        not text. The message names the file and the key.

    Examples
    --------
    >>> content = load_guide_content()
    >>> content.words_per_minute, "ex-rnn-1" in content.exercise_objectives
    (200, True)
    >>> import tempfile
    >>> bad = Path(tempfile.mkdtemp()) / "content.yaml"
    >>> _ = bad.write_text("planning: {words_per_minute: 200, exercise_minutes: 15, "
    ...                    "question_minutes: 1}\\nchapters: {99_nowhere: {}}\\n")
    >>> load_guide_content(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: ...content.yaml: chapters.99_nowhere: not a chapter of the course (...).
    """
    import yaml

    path = CONTENT_FILE if path is None else Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ValueError(f"{path}: cannot read the guide's content ({err}).") from err
    if chapters is None:
        from course_utils.quiz import available_banks

        chapters = available_banks()
    known = set(chapters)

    def fail(key: str, problem: str):
        raise ValueError(f"{path}: {key}: {problem}.")

    def mapping(value, key: str, keys: tuple[str, ...] | None = None) -> dict:
        """``value`` checked to be a mapping; with ``keys``, of exactly those keys."""
        if not isinstance(value, dict):
            fail(key or "the file", f"expected a mapping, but got {type(value).__name__}")
        for name in keys or ():
            if name not in value:
                fail(f"{key}.{name}" if key else name, "missing")
        for name in value if keys else ():
            if name not in keys:
                fail(
                    f"{key}.{name}" if key else str(name), f"unknown key (known: {', '.join(keys)})"
                )
        return value

    top = mapping(data, "", ("planning", "chapters"))
    planning = mapping(top["planning"], "planning", _PLANNING_KEYS)
    for name in _PLANNING_KEYS:
        value = planning[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            fail(f"planning.{name}", f"expected a whole number of at least 1, but got {value!r}")
    prompts: dict[str, tuple[str, ...]] = {}
    objectives: dict[str, tuple[int | str, ...]] = {}
    for stem, entry in mapping(top["chapters"], "chapters").items():
        key = f"chapters.{stem}"
        if stem not in known:
            fail(key, f"not a chapter of the course (known: {', '.join(sorted(known))})")
        entry = mapping({} if entry is None else entry, key)
        for name in entry:
            if name not in _CHAPTER_KEYS:
                fail(f"{key}.{name}", f"unknown key (known: {', '.join(_CHAPTER_KEYS)})")
        if "discussion_prompts" in entry:
            found = entry["discussion_prompts"]
            if not isinstance(found, list) or not found:
                fail(f"{key}.discussion_prompts", "expected a non-empty list of prompts")
            for k, prompt in enumerate(found):
                if not isinstance(prompt, str) or not prompt.strip():
                    fail(f"{key}.discussion_prompts[{k}]", f"expected text, but got {prompt!r}")
            prompts[stem] = tuple(" ".join(p.split()) for p in found)
        listed = entry.get("exercise_objectives")
        for label, refs in mapping(listed or {}, f"{key}.exercise_objectives").items():
            where = f"{key}.exercise_objectives.{label}"
            if not isinstance(label, str) or not _LABEL.match(label):
                fail(where, "expected an exercise label such as ex-rnn-1")
            if label in objectives:
                fail(where, "listed twice")
            if not isinstance(refs, list) or not refs:
                fail(where, 'expected a non-empty list of objectives, such as [1, 2] or ["3.2"]')
            for ref in refs:
                try:
                    objective_key(ref, stem)
                except ValueError:
                    fail(
                        where,
                        f'expected objective numbers (1, 2, ...) or "C.n" (quoted), but got {ref!r}',
                    )
            objectives[label] = tuple(refs)
    return GuideContent(
        words_per_minute=planning["words_per_minute"],
        exercise_minutes=planning["exercise_minutes"],
        question_minutes=planning["question_minutes"],
        discussion_prompts=MappingProxyType(prompts),
        exercise_objectives=MappingProxyType(objectives),
    )


CONTENT = load_guide_content()
WORDS_PER_MINUTE = CONTENT.words_per_minute
EXERCISE_MINUTES = CONTENT.exercise_minutes
QUESTION_MINUTES = CONTENT.question_minutes
DISCUSSION_PROMPTS = CONTENT.discussion_prompts
EXERCISE_OBJECTIVES = CONTENT.exercise_objectives
