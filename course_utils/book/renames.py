"""Chapters that were renamed, so names already in use keep working.

When new chapters were added between the old ones (the course's fourth session), four chapters
moved. Answers files record the quiz id they were saved for, and instructors' scripts name
chapter stems; both keep working: a former name resolves to the chapter's current name
everywhere a quiz id or a chapter stem is read (``load_bank``, ``course-utils grade`` and
``course-utils assign``). A former name is never given to a different chapter.

This module imports nothing, so any layer of the package may use it.
"""

from __future__ import annotations

__all__ = ["FORMER_NAMES", "current_name"]

#: former chapter stem (and quiz id) -> current one
FORMER_NAMES: dict[str, str] = {
    "02_gru_metrics": "03_gru_metrics",
    "03_precision_recall_tradeoff": "04_precision_recall_tradeoff",
    "04_pitfalls": "09_pitfalls",
    "05_self_check": "10_self_check",
}


def current_name(name: str) -> str:
    """The current name of a chapter stem or quiz id (``name`` itself unless it was renamed).

    Examples
    --------
    >>> current_name("04_pitfalls"), current_name("01_rnn_metrics")
    ('09_pitfalls', '01_rnn_metrics')
    """
    return FORMER_NAMES.get(name, name)
