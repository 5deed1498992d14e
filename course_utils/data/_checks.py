"""Kept only so that older imports keep working: the checks live in
:mod:`course_utils._validation` (one module, one rule for lengths). Import from there."""

from course_utils._validation import (  # noqa: F401 -- re-exported
    as_tensor,
    check_choice,
    check_float,
    check_int,
    check_lengths,
    check_seed,
    check_sequences,
)
