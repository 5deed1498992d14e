"""Hidden claims cells: glue the numbers the prose quotes, and check the claims it makes.

A chapter's prose never types a number: it quotes glued values (``{glue:text}`name```), and
each statement that depends on a result is checked in a hidden (``remove-cell``) claims cell::

    from course_utils.book import claim, record

    record(ch6_gru_ppl=gru_ppl, ch6_unigram_ppl=unigram_ppl)
    claim(gru_ppl < unigram_ppl, "the GRU beats the unigram model",
          gru=gru_ppl, unigram=unigram_ppl)

Where a claim is checked decides what a failed one does:

- **strictly** (``COURSE_STRICT_CLAIMS=1``, which ``make nbval``, ``make claims``,
  ``make notebooks`` and the book build set): :func:`claim` raises :class:`ClaimError`, so a
  claim that no longer holds stops the check and names itself;
- **in a learner's kernel** (the variable unset): a learner who changes a setting to
  experiment sees a visible note under the cell saying which claim no longer holds, with the
  values, and "Run all" carries on.
"""

from __future__ import annotations

import math
import numbers
import os

__all__ = ["ClaimError", "claim", "record", "strict_claims"]

STRICT_VARIABLE = "COURSE_STRICT_CLAIMS"


class ClaimError(AssertionError):
    """A chapter's claim does not hold for this run (raised only when claims are strict)."""


def strict_claims() -> bool:
    """Whether a failed claim raises (``COURSE_STRICT_CLAIMS`` set to 1, true or yes)."""
    return os.environ.get(STRICT_VARIABLE, "").strip().lower() in {"1", "true", "yes"}


def _shown(value) -> str:
    """A short, stable rendering of one value for a message."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        text = repr(value)
        return text if len(text) <= 80 else text[:77] + "..."
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        return str(value)
    return f"{value:.4g}"


def record(**values) -> None:
    """Glue each keyword as a value the prose can quote (myst-nb ``glue``, not displayed).

    Parameters
    ----------
    **values
        ``name=value`` pairs; the prose quotes them as ``{glue:text}`name```. Names are
        the glue keys, so they must be unique within the book.

    Examples
    --------
    >>> record()  # nothing to glue
    """
    if not values:
        return
    try:
        from myst_nb import glue
    except (
        ImportError
    ):  # a learner's kernel without myst-nb: the values are only needed by the book
        return
    for name, value in values.items():
        glue(name, _plain(value), display=False)


def _plain(value):
    """A NumPy or torch scalar as the Python number it holds: NumPy 2 writes a float64 as
    ``np.float64(0.5)``, which myst-nb's format specs (``{glue:text}`x:.2f```) cannot read."""
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "shape", None) == ():
        try:
            return item()
        except (TypeError, ValueError):
            return value
    return value


def claim(condition, statement: str, **values) -> bool:
    """Check one claim the chapter's prose makes about this run's results.

    Parameters
    ----------
    condition : bool-like
        Whether the claim holds (a Python or NumPy bool; anything else is refused, so a
        one-element array or a number cannot pass by accident).
    statement : str
        The claim in words, as the prose makes it ("the GRU beats the unigram model").
    **values
        The numbers the claim rests on, shown when it fails.

    Returns
    -------
    bool
        True when the claim holds. When it does not: raises :class:`ClaimError` if claims
        are strict (``COURSE_STRICT_CLAIMS=1``), otherwise shows a note under the cell and
        returns False.

    Raises
    ------
    TypeError
        If ``condition`` is not a bool or ``statement`` is not a non-empty string.
    ClaimError
        If the claim does not hold and claims are strict.

    Examples
    --------
    >>> claim(0.91 > 0.85, "the GRU is right more often than the RNN")
    True
    """
    if not isinstance(statement, str) or not statement.strip():
        raise TypeError(f"Expected `statement` to be the claim in words, but got {statement!r}.")
    if not isinstance(condition, bool):
        try:
            import numpy as np
        except ImportError:  # pragma: no cover - numpy is a dependency
            np = None
        if np is None or not isinstance(condition, np.bool_):
            raise TypeError(
                f"Expected `condition` to be a bool (for example `a < b` or `bool(...)`), but "
                f"got {type(condition).__name__} for the claim {statement!r}; wrap array "
                "comparisons in `bool(...)`, `.all()` or `.any()`."
            )
    if bool(condition):
        return True
    details = ", ".join(f"{name} = {_shown(value)}" for name, value in values.items())
    message = f"Claim does not hold: {statement}" + (f" ({details})" if details else "")
    if strict_claims():
        raise ClaimError(message)
    _show_note(statement, details)
    return False


def _show_note(statement: str, details: str) -> None:
    """A visible note in a learner's kernel: which claim no longer holds, and why that is fine."""
    text = (
        f"**Note: in this run, a claim the text makes does not hold:** {statement}."
        + (f" Here {details}." if details else "")
        + " The text was written for the stored run (`COURSE_SEED` unset, default settings);"
        " a changed seed or setting can change the outcome. The rest of the notebook still runs."
    )
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:  # plain Python
        print(text)
        return
    if get_ipython() is None:
        print(text)
    else:
        display(Markdown("> " + text))
