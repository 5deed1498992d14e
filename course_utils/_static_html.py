"""Shared helpers for objects that render both live (ipywidgets) and on a static page (HTML+JS).

The quiz and the threshold explorer are *display objects*: ``_repr_mimebundle_`` returns the
ipywidgets view when a kernel can talk to it, and always a self-contained ``text/html`` version
(inline CSS and JavaScript, no CDN, no kernel) that the book's HTML builder ranks first. This
module holds what both need: escaping, embedding JSON in a page safely, the kernel check, a
small plain-JavaScript SHA-256 (``crypto.subtle`` is missing on ``file://`` and plain-http
origins) and the base CSS.

Front-end code lives in real files under ``course_utils/static/`` (shipped as package data,
linted by ``make lint``); :func:`static_text` reads one and :func:`inline_js` /
:func:`inline_css` turn files into the inline ``<script>``/``<style>`` text of a page, so a
page never loads anything from another host.
"""

from __future__ import annotations

import functools
import html
import json
import re
from importlib import resources

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"

_CODE_SPAN = re.compile(r"`([^`]+)`")


def escape(text: str) -> str:
    """HTML-escape ``text`` (quotes included, so it is safe in attributes too)."""
    return html.escape(str(text), quote=True)


def inline_markup(text: str) -> str:
    """Escape ``text``, then turn `backtick` spans into ``<code>`` elements.

    Examples
    --------
    >>> inline_markup("Is `a < b` <b>true</b>?")
    'Is <code>a &lt; b</code> &lt;b&gt;true&lt;/b&gt;?'
    """
    return _CODE_SPAN.sub(r"<code>\1</code>", escape(text))


def plain_text(text: str) -> str:
    """``text`` without the backticks of code spans (for widget labels, which show raw text)."""
    return _CODE_SPAN.sub(r"\1", str(text))


def json_for_script(data) -> str:
    """JSON for a ``<script type="application/json">`` element: no ``<``, ``>`` or ``&`` left
    raw, so no text inside it can close the script element early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def in_kernel() -> bool:
    """True when running inside a Jupyter kernel, where a widget's comm can reach a front end."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def mimebundle(html_text: str, plain: str, widget_factory) -> dict:
    """The dual mime bundle: ``text/html`` and ``text/plain`` always, plus the widget view when a
    kernel is there and ipywidgets imports. ``widget_factory()`` returns the (cached) widget."""
    bundle = {"text/plain": plain, "text/html": html_text}
    if in_kernel():
        try:
            widget = widget_factory()
        except ImportError:  # no ipywidgets: the HTML version still works in the notebook
            return bundle
        view = widget._repr_mimebundle_().get(WIDGET_VIEW_MIME)
        if view is not None:
            bundle[WIDGET_VIEW_MIME] = view
    return bundle


# ----------------------------------------------------------------------------------------------
# Front-end files shipped as package data (course_utils/static/), inlined at render time.
# ----------------------------------------------------------------------------------------------

_STATIC_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*\.(?:js|css)$")


@functools.cache
def static_text(name: str) -> str:
    """The text of ``course_utils/static/<name>``, a front-end file shipped with the package.

    Parameters
    ----------
    name : str
        A file name such as ``"quiz.js"`` or ``"base.css"`` (no folders).

    Returns
    -------
    str
        The file's UTF-8 text (read once, then cached).

    Raises
    ------
    ValueError
        If ``name`` is not a plain ``.js``/``.css`` file name, or no such file is shipped.

    Examples
    --------
    >>> "cuSha256Hex" in static_text("sha256.js")
    True
    """
    if not isinstance(name, str) or not _STATIC_NAME.match(name):
        raise ValueError(
            f"Expected `name` to be a .js or .css file name in course_utils/static, "
            f"but got {name!r}."
        )
    path = resources.files("course_utils").joinpath("static", name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(
            f"Expected `name` to be a file in course_utils/static, but {name!r} is missing "
            "(is the package data installed?)."
        ) from None


def _inline(names, closing: str) -> str:
    text = "\n".join(static_text(name).rstrip("\n") for name in names) + "\n"
    if closing in text.lower():
        raise ValueError(f"A static file contains {closing!r}, which would end the element early.")
    return text


def inline_js(*names: str) -> str:
    """The static JavaScript files ``names`` joined, for an inline ``<script>`` element.

    Examples
    --------
    >>> code = inline_js("sha256.js", "canonical-json.js")
    >>> "function cuSha256Hex" in code and "function cuCanonicalJson" in code
    True
    """
    return _inline(names, "</script")


def inline_css(*names: str) -> str:
    """The static CSS files ``names`` joined, for an inline ``<style>`` element.

    Examples
    --------
    >>> ".cu-box" in inline_css("base.css")
    True
    """
    return _inline(names, "</style")


# Kept as module constants for the modules and tests that use them.
SHA256_JS = static_text("sha256.js")
CANONICAL_JSON_JS = static_text("canonical-json.js")
BASE_CSS = static_text("base.css")
