"""Tools for instructors: student editions, answer keys, grading, and the instructor guide.

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
from course_utils.instructor.assign import Assignment, assign, zip_folder
from course_utils.instructor.course import available_chapters, find_chapters_dir, toc_chapters
from course_utils.instructor.grade import (
    Gradebook,
    GradedFile,
    check_gradebook_path,
    find_answers_files,
    grade,
)
from course_utils.instructor.notebook import (
    Exercise,
    Solution,
    SolutionDirective,
    find_exercises,
    find_solution_directives,
    find_solutions,
    learning_objectives,
    quiz_names,
    read_notebook,
)
from course_utils.instructor.student import student_edition

__all__ = [
    "Assignment",
    "Exercise",
    "Gradebook",
    "GradedFile",
    "Solution",
    "SolutionDirective",
    "assign",
    "available_chapters",
    "check_gradebook_path",
    "find_answers_files",
    "find_chapters_dir",
    "find_exercises",
    "find_solution_directives",
    "find_solutions",
    "grade",
    "learning_objectives",
    "quiz_answer_key",
    "quiz_names",
    "read_notebook",
    "student_edition",
    "toc_chapters",
    "zip_folder",
]
