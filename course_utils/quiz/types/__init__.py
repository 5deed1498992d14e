"""Question types: one class per type, registered by name.

A type owns everything about its questions: the bank fields it reads (``parse``), how an
answer is judged (``judge``), what the answers file holds (``file_value``), its page HTML
(``page_inputs``) and the data its JavaScript checker needs (``page_data``), its widget, and
its line in the answer key. Its JavaScript checker is ``course_utils/static/quiz-type-<name>.js``.

Adding a type is one new module here (a subclass of :class:`QuestionType` with a ``name``; every
module of this package is imported, so it registers itself), its JavaScript checker, and one
test file. Nothing else changes: bank parsing, checking, the page, the widgets and the answer
key all go through the registry.

Examples
--------
>>> sorted(QUESTION_TYPES)
['multiple', 'numeric', 'single']
>>> question_type("numeric").js_file
'quiz-type-numeric.js'
"""

from __future__ import annotations

import importlib
import pkgutil

from course_utils.quiz.types.base import QUESTION_TYPES, ChoiceType, QuestionType, question_type

for _module in sorted(info.name for info in pkgutil.iter_modules(__path__)):
    if _module != "base":
        importlib.import_module(f"{__name__}.{_module}")

__all__ = ["QUESTION_TYPES", "ChoiceType", "QuestionType", "question_type"]
