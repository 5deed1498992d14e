"""Feedback: the verdict on one answer, the messages learners read, and the number grammar.

A leaf module of the quiz core (it imports nothing from the quiz package): the question types
(:mod:`course_utils.quiz.types`) word their verdicts with it, and :mod:`course_utils.quiz.checking`
and the page build on it. The page's JavaScript implements the same rules
(``course_utils/static/quiz*.js``, with the number pattern and the messages passed in from
here); the tests compare both sides on the same inputs, so keep them in step when changing
either.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# One grammar for numbers on both sides (Python's re and JavaScript's RegExp read it alike):
# "0.91", ".91", " 0.91 ", "9.1e-1", "-2", "10/11", and a percentage "91%" or "91 %".
# ASCII digits and spaces only and no nested repetition, so matching is linear in the length.
_DECIMAL = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_SPACE = r"[ \t\n\r\u00a0]*"
_GAP = r"[ \t\u00a0]*"
NUMBER_PATTERN = rf"^{_SPACE}([+-]?{_DECIMAL})(?:{_GAP}(%)|{_GAP}/{_GAP}({_DECIMAL}))?{_SPACE}$"
_NUMBER = re.compile(NUMBER_PATTERN)
# Longer text is not a number anyone types: refused before matching, so parsing is bounded.
MAX_NUMBER_LENGTH = 64  # the one limit: answers files read this too (answers.MAX_NUMBER_CHARS)

# Float slack so that 0.91 is inside "0.90909 +- 0.005" whatever the rounding of the last bit.
SLACK = 1e-9
# After this many wrong checks of one question the explanation is shown with the feedback.
REVEAL_AFTER = 2

# Neutral examples (no bank answer is near 2.5, 3/7 or 40%): a message must not hint at one.
MESSAGES = {
    "number": "Please enter a number: a decimal such as 2.5 or a fraction such as 3/7.",
    "number_percent": (
        "Please enter a number: a decimal such as 2.5, a fraction such as 3/7 "
        "or a percentage such as 40%."
    ),
    "no_percent": "This answer is not a proportion: write it without a percent sign.",
    "choose_one": "Choose an option first.",
    "choose_some": "Choose at least one option first.",
    "percent": "That looks like a percentage: add a percent sign, or write it as a proportion.",
    "missed": "You left out {n} correct option(s).",
    "numeric_wrong": "Check your calculation.",
    "misconception": "Misconception: {text}",
}


def read_number(text: str) -> tuple[float, bool] | None:
    """Read a number as learners type it: ``(value, typed_as_percent)``, or None.

    Parameters
    ----------
    text : str
        What the learner typed.

    Returns
    -------
    tuple of (float, bool) or None
        The value (a percentage divided by 100, a fraction divided out) and whether a percent
        sign was typed; None for anything else, a zero denominator, a value that is not
        finite (``1e400``) or text longer than ``MAX_NUMBER_LENGTH`` characters.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> read_number("10/11")[0] == 10 / 11, read_number("85 %"), read_number("1e400")
    (True, (0.85, True), None)
    """
    if not isinstance(text, str):
        raise TypeError(f"Expected `text` to be a str, but got {type(text).__name__}.")
    if len(text) > MAX_NUMBER_LENGTH:
        return None
    match = _NUMBER.match(text)
    if match is None:
        return None
    number, percent, denominator = match.groups()
    value = float(number)
    if percent:
        value /= 100
    elif denominator is not None:
        divisor = float(denominator)
        if divisor == 0:
            return None
        value /= divisor
    if not math.isfinite(value):
        return None
    return value, bool(percent)


def parse_number(text: str) -> float | None:
    """Read a number the way learners type it; ``None`` if it is not one.

    Parameters
    ----------
    text : str
        What the learner typed. Surrounding spaces are ignored; a trailing ``%`` (with or
        without a space before it) divides by 100; ``a/b`` is a fraction. Whether a
        percentage is *accepted* depends on the question (see :mod:`course_utils.quiz.bank`).

    Returns
    -------
    float or None
        The number, or ``None`` for anything that is not a decimal number, a fraction or a
        percentage, or whose value is not finite.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> parse_number("0.91"), parse_number(".91"), parse_number("91%"), parse_number(" 0.91 ")
    (0.91, 0.91, 0.91, 0.91)
    >>> parse_number("85 %"), parse_number("1/4")
    (0.85, 0.25)
    >>> parse_number("0,91") is None, parse_number("ninety") is None, parse_number("1/0") is None
    (True, True, True)
    """
    parsed = read_number(text)
    return None if parsed is None else parsed[0]


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one answer.

    ``correct`` is ``None`` when there was nothing to judge (no choice made, or text that is not
    a number); ``message`` is the feedback shown to the learner. A right answer's message starts
    with "Correct".
    """

    correct: bool | None
    message: str
