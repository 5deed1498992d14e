"""The Colab launch button opens the chapter's Colab edition, not its raw source.

sphinx-book-theme builds the Colab link of a page from the repository and the page's path
(``.../blob/<branch>/chapters/<stem>.ipynb``): that notebook is the book's source, whose glue
roles and MyST Colab shows raw. Each chapter has a Colab edition in ``colab/<stem>.ipynb``
(written by ``tools/colab_edition.py``), so for chapter pages the link is rewritten to
``.../blob/<branch>/colab/<stem>.ipynb``. A chapter page without an edition keeps the
theme's link and logs a warning (the book builds with warnings as errors, so a missing
edition fails the build); a book with no ``colab/`` folder at all keeps every link as it is,
silently. Other pages are left alone.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
FOLDER = "colab"


def colab_edition_url(url: str, pagename: str, edition: str) -> str | None:
    """``url`` pointing at ``edition`` (``colab/<stem>.ipynb``) instead of the page's own
    notebook, or None when ``url`` is not the theme's Colab link of ``pagename``.

    >>> colab_edition_url(
    ...     "https://colab.research.google.com/github/o/r/blob/main/chapters/02_x.ipynb",
    ...     "chapters/02_x", "colab/02_x.ipynb")
    'https://colab.research.google.com/github/o/r/blob/main/colab/02_x.ipynb'
    """
    suffix = f"/{pagename}.ipynb"
    if "colab.research.google.com" not in url or not url.endswith(suffix):
        return None
    return url[: -len(suffix)] + "/" + edition


def _buttons(context):
    for group in context.get("header_buttons", []) or []:
        if group.get("label") == "launch-buttons":
            yield from group.get("buttons", [])


def _rewrite(app, pagename, templatename, context, doctree):
    if not pagename.startswith("chapters/"):
        return
    stem = pagename.split("/", 1)[1]
    edition = f"{app.config.colab_edition_folder}/{stem}.ipynb"
    for button in _buttons(context):
        if button.get("text") != "Colab":
            continue
        folder = Path(app.srcdir) / app.config.colab_edition_folder
        if not folder.is_dir():  # a book without a Colab edition (a test's small book)
            return
        if not (Path(app.srcdir) / edition).is_file():
            LOGGER.warning(
                f"{pagename}: no Colab edition {edition}; the Colab button opens the raw "
                "chapter. Run: python tools/colab_edition.py"
            )
            return
        new = colab_edition_url(button.get("url", ""), pagename, edition)
        if new is not None:
            button["url"] = new
            button["tooltip"] = "Launch on Colab (an edition with the numbers written in)"


def setup(app):
    app.add_config_value("colab_edition_folder", FOLDER, "html")
    # After sphinx-book-theme's add_launch_buttons (priority 501) has made the buttons.
    app.connect("html-page-context", _rewrite, priority=600)
    # env_version: bump when the output changes, so an incremental build rewrites every page.
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
