"""Self-check quizzes: question banks as data, a live widget, a static page, saved answers.

The pieces, one small module each:

- :mod:`~course_utils.quiz.bank` -- :func:`load_bank` reads and validates a bank file
  (``course_utils/quizzes/<chapter>.yaml``) into a :class:`QuizBank`; its docstring is the
  bank schema.
- :mod:`~course_utils.quiz.types` -- one class per question type (single, multiple, numeric):
  parsing, checking, page HTML, widget and answer-key line; the JavaScript checker of each is
  ``course_utils/static/quiz-type-<name>.js``. A new type is one module there, its checker
  and one test file.
- :mod:`~course_utils.quiz.checking` -- :func:`parse_number`, :func:`evaluate` (one answer ->
  feedback) and :func:`score_answers` (a set of answers -> :class:`QuizResult`).
- :mod:`~course_utils.quiz.answers` -- the answers file that ``Quiz.save`` writes and the page
  downloads; :func:`read_answers` verifies one for grading.
- :mod:`~course_utils.quiz.page` -- the self-contained HTML+JS version for the book.
- :mod:`~course_utils.quiz.widgets` -- the ipywidgets version (imported lazily).
- :mod:`~course_utils.quiz.display` -- :class:`Quiz`, the display object that carries both.
- :mod:`~course_utils.quiz.quickcheck` -- :func:`quick_check`: a section's one or two practice
  items (bank ids ``qc-...``), compact, never graded.

Examples
--------
>>> from course_utils.quiz import Quiz, load_bank, score_answers
>>> bank = load_bank("10_self_check")
>>> score_answers(bank, {"seed-recall": "0.83"}).correct["seed-recall"]
True
"""

from course_utils.quiz.answers import (
    AnswersFile,
    answers_checksum,
    answers_filename,
    canonical_json,
    learner_slug,
    make_answers_payload,
    read_answers,
    write_answers,
)
from course_utils.quiz.bank import Option, Question, QuizBank, available_banks, load_bank
from course_utils.quiz.checking import QuizResult, Verdict, evaluate, parse_number, score_answers
from course_utils.quiz.display import Quiz
from course_utils.quiz.quickcheck import QuickCheck, quick_check

__all__ = [
    "AnswersFile",
    "Option",
    "Question",
    "QuickCheck",
    "Quiz",
    "QuizBank",
    "QuizResult",
    "Verdict",
    "answers_checksum",
    "answers_filename",
    "available_banks",
    "canonical_json",
    "evaluate",
    "learner_slug",
    "load_bank",
    "make_answers_payload",
    "parse_number",
    "quick_check",
    "read_answers",
    "score_answers",
    "write_answers",
]
