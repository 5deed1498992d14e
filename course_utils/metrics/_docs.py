"""Docstring pieces shared by the metric modules, so the padding arguments read the same
everywhere and are written once."""

from __future__ import annotations

MASK_AND_LENGTHS = """\
    mask : array-like of bool, optional
        True marks a real step, False padding (never counted). Same shape as ``y_true`` or
        as its leading axes.
    lengths : array-like of int, optional
        For ``(batch, time, ...)`` inputs: steps ``t >= lengths[b]`` are padding. Combined
        with ``mask`` by AND."""


def fill_doc(**sections: str):
    """A decorator that replaces each ``    {name}`` line of a docstring by ``sections[name]``."""

    def fill(func):
        for name, text in sections.items():
            func.__doc__ = func.__doc__.replace("    {" + name + "}", text)
        return func

    return fill
