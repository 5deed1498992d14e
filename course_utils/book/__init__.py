"""What the book's chapters need from the package at run time, and the model of the book.

:mod:`course_utils.book.claims` is the one way a chapter's hidden claims cell records glued
values and checks the claims its prose makes: :func:`record` and :func:`claim`.
"""

from course_utils.book.claims import ClaimError, claim, record, strict_claims

__all__ = ["ClaimError", "claim", "record", "strict_claims"]
