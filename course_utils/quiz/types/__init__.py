"""Question types: one class per type, and the registry that names them.

A type owns everything about its questions: the bank fields it reads (``parse``), how an
answer is judged (``judge``), what the answers file holds (``file_value``), its page HTML
(``page_inputs``) and the data its JavaScript checker needs (``page_data``), its widget, and
its line in the answer key. Its JavaScript checker is ``course_utils/static/quiz-type-<name>.js``.

Registration is explicit: :func:`_shipped_types` below imports each type's class and
:data:`QUESTION_TYPES` is filled from it, once, when this module is imported. Defining a
subclass registers nothing (a test may define one and add it with ``monkeypatch.setitem``).
Adding a type is one new module here (a subclass of :class:`QuestionType` with a ``name``),
one line in :func:`_shipped_types`, its JavaScript checker, and one test file. Nothing else
changes: bank parsing, checking, the page, the widgets and the answer key all go through the
registry.

Layers of the quiz core (``tests/test_layers.py`` checks that no module imports upward):
:mod:`~course_utils.quiz.model` and :mod:`~course_utils.quiz.feedback` (leaves), then
:mod:`~course_utils.quiz.types.base`, the type modules, this registry, then loading
(:mod:`~course_utils.quiz.bank`) and checking (:mod:`~course_utils.quiz.checking`).

Examples
--------
>>> sorted(QUESTION_TYPES)
['multiple', 'numeric', 'single']
>>> question_type("numeric").js_file
'quiz-type-numeric.js'
"""

from __future__ import annotations

from course_utils.quiz.types.base import ChoiceType, QuestionType


def _shipped_types() -> list[QuestionType]:
    """One instance of each shipped type, in the order the page loads their checkers."""
    from course_utils.quiz.types.multiple import MultipleChoice
    from course_utils.quiz.types.numeric import Numeric
    from course_utils.quiz.types.single import SingleChoice

    return [MultipleChoice(), Numeric(), SingleChoice()]


def _registry(kinds: list[QuestionType]) -> dict[str, QuestionType]:
    registry: dict[str, QuestionType] = {}
    for kind in kinds:
        if not kind.name or kind.name in registry:
            raise ValueError(f"Expected a unique, non-empty type name, but got {kind.name!r}.")
        registry[kind.name] = kind
    return registry


#: The registered types by name (the bank's ``type:`` values).
QUESTION_TYPES: dict[str, QuestionType] = _registry(_shipped_types())


def question_type(name: str) -> QuestionType:
    """The registered type called ``name`` (``ValueError`` naming the known ones if none)."""
    try:
        return QUESTION_TYPES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Expected a question type in {sorted(QUESTION_TYPES)}, but got {name!r}."
        ) from None


__all__ = ["QUESTION_TYPES", "ChoiceType", "QuestionType", "question_type"]
