"""The one rule for quiz ids, which are also chapter stems.

Quiz ids end up in HTML ids and file names, so they are kept to lowercase letters, digits,
``_`` and ``-``, at most 64 characters, starting with a letter or digit. The quiz bank
(:mod:`course_utils.quiz.model`), answers files (:mod:`course_utils.quiz.answers`) and the
instructor tools (:mod:`course_utils.instructor.course`) all check ids with :data:`QUIZ_ID`.

This module imports only :mod:`re`, so any layer of the package may use it.

Examples
--------
>>> bool(QUIZ_ID.match("04_pitfalls")), bool(QUIZ_ID.match("a/b.yaml"))
(True, False)
"""

from __future__ import annotations

import re

__all__ = ["QUIZ_ID"]

#: a quiz id (and chapter stem): never build a file name or an HTML id from anything else
QUIZ_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
