"""Self-check quizzes: question banks as data, a live widget, a static page, saved answers.

What this package exports (``__all__``) is what a learner, an instructor or a course author
calls:

- :class:`Quiz` -- a chapter's quiz, live in Jupyter and static in the book;
  :func:`quick_check` (a :class:`QuickCheck`) -- a section's one or two practice items.
- :func:`load_bank`, :func:`available_banks` -- a bank as a :class:`QuizBank` of
  :class:`Question` and :class:`Option`.
- :func:`score_answers` (a :class:`QuizResult`), :func:`evaluate` (one answer -> a
  :class:`Verdict`, the feedback a learner sees).
- :func:`read_answers` -- a saved answers file, verified, for grading.

The answers-file format and the number grammar are internals: import them from their modules,
``course_utils.quiz.answers`` (``make_answers_payload``, ``write_answers``,
``answers_filename``, ``answers_checksum``, ``canonical_json``, ``learner_slug``,
``AnswersFile``, what :func:`read_answers` returns) and ``course_utils.quiz.checking``
(``parse_number``).

The pieces, one small module each:

- :mod:`~course_utils.quiz.bank` -- :func:`load_bank` reads and validates a bank file
  (``course_utils/quizzes/<chapter>.yaml``) into a :class:`QuizBank`; its docstring is the
  bank schema.
- :mod:`~course_utils.quiz.types` -- one class per question type (single, multiple, numeric):
  parsing, checking, page HTML, widget and answer-key line; the JavaScript checker of each is
  ``course_utils/static/quiz-type-<name>.js``. A new type is one module there, its checker
  and one test file.
- :mod:`~course_utils.quiz.checking` -- :func:`~course_utils.quiz.checking.parse_number`,
  :func:`evaluate` (one answer -> feedback) and :func:`score_answers` (a set of answers ->
  :class:`QuizResult`).
- :mod:`~course_utils.quiz.answers` -- the answers file that ``Quiz.save`` writes and the page
  downloads (format, checksum, file name, writing); :func:`read_answers` verifies one for
  grading.
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
>>> from course_utils.quiz.answers import make_answers_payload  # the file format: its module
>>> sorted(make_answers_payload(bank, {}))[:3]
['answers', 'checksum', 'first_try']
"""

from course_utils.quiz.answers import read_answers
from course_utils.quiz.bank import Option, Question, QuizBank, available_banks, load_bank
from course_utils.quiz.checking import QuizResult, Verdict, evaluate, score_answers
from course_utils.quiz.display import Quiz
from course_utils.quiz.quickcheck import QuickCheck, quick_check

__all__ = [
    "Option",
    "Question",
    "QuickCheck",
    "Quiz",
    "QuizBank",
    "QuizResult",
    "Verdict",
    "available_banks",
    "evaluate",
    "load_bank",
    "quick_check",
    "read_answers",
    "score_answers",
]
