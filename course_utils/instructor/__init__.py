"""Tools for instructors: student editions, answer keys, grading, and the instructor guide.

What this package exports (``__all__``) is what an instructor calls:

- :func:`assign` (an :class:`Assignment`) -- student editions, answer keys and a zip on disk,
  as ``course-utils assign`` does; :func:`student_edition` and :func:`quiz_answer_key` for
  one chapter or one quiz; :func:`available_chapters` -- the chapters there are.
- :func:`grade` (a :class:`Gradebook` of :class:`GradedFile`) -- answers files to scores, as
  ``course-utils grade`` does.
- :func:`find_exercises`, :func:`find_solutions` (:class:`Exercise`, :class:`Solution`),
  :func:`learning_objectives`, :func:`quiz_names` -- what a chapter notebook holds.

The plumbing behind them is imported from its own module: reading and checking notebooks
(``course_utils.instructor.notebook``: ``read_notebook``, ``find_solution_directives``,
``SolutionDirective``), the book's layout (``course_utils.instructor.course``:
``find_chapters_dir``, ``toc_chapters``), zipping (``course_utils.instructor.assign``:
``zip_folder``) and the command line's file handling (``course_utils.instructor.grade``:
``find_answers_files``, ``check_gradebook_path``). The answers-file format is
``course_utils.quiz.answers``.

- :mod:`~course_utils.instructor.course` -- where the chapters are, which exist, the book's
  table of contents, which quiz bank to use.
- :mod:`~course_utils.instructor.notebook` -- read a chapter (refusing malformed notebooks):
  exercises, solutions in every form sphinx-exercise renders, learning objectives, quizzes.
- :mod:`~course_utils.instructor.student` -- the student edition of one chapter.
- :mod:`~course_utils.instructor.answer_key` -- a quiz's answer key in Markdown.
- :mod:`~course_utils.instructor.assign` -- ``course-utils assign``: all of the above on disk.
- :mod:`~course_utils.instructor.grade` -- ``course-utils grade``: answers files, however
  hostile, to a gradebook (long, wide, Canvas or Moodle CSV).
- :mod:`~course_utils.instructor.guide` -- per-chapter summaries and study plans for the
  instructor guide page.

The command line is :mod:`course_utils.cli`.
"""

from course_utils.instructor.answer_key import quiz_answer_key
from course_utils.instructor.assign import Assignment, assign
from course_utils.instructor.course import available_chapters
from course_utils.instructor.grade import Gradebook, GradedFile, grade
from course_utils.instructor.notebook import (
    Exercise,
    Solution,
    find_exercises,
    find_solutions,
    learning_objectives,
    quiz_names,
)
from course_utils.instructor.student import student_edition

__all__ = [
    "Assignment",
    "Exercise",
    "Gradebook",
    "GradedFile",
    "Solution",
    "assign",
    "available_chapters",
    "find_exercises",
    "find_solutions",
    "grade",
    "learning_objectives",
    "quiz_answer_key",
    "quiz_names",
    "student_edition",
]
