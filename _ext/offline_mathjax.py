"""Serve MathJax from the book itself, never from a CDN.

MathJax 3 ships inside the ``django-static-mathjax`` wheel (pinned in requirements.txt). At
build time this extension copies the es5 ``tex-svg.js`` component (SVG output: no font files)
and the folders it loads on demand (TeX extensions for ``autoload``, the menu, accessibility)
into ``_build/html/_static/mathjax`` and points Sphinx's ``mathjax_path`` at that copy.

Sphinx adds the script to pages with math, but it counts a page's toctree children too, so the
root page (the intro, no formulas) loaded MathJax. Here a page keeps the script only if its
own content has math.
"""

from __future__ import annotations

import shutil
from pathlib import Path

STATIC_SUBDIR = "mathjax"
ENTRY = "tex-svg.js"
# Loaded lazily by tex-svg.js: \require/autoload extensions, the context menu, a11y helpers.
LAZY_FOLDERS = ("input/tex/extensions", "ui", "a11y", "adaptors")


def mathjax_source() -> Path:
    """The es5 folder of the MathJax copy inside the installed ``django-static-mathjax``."""
    try:
        import mathjax  # django-static-mathjax's package name
    except ModuleNotFoundError as error:  # pragma: no cover - the pinned stack has it
        raise RuntimeError(
            "MathJax is served from the django-static-mathjax package: "
            "install the pinned stack (make install)."
        ) from error
    es5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (es5 / ENTRY).is_file():  # pragma: no cover
        raise RuntimeError(f"{es5 / ENTRY} is missing: reinstall django-static-mathjax.")
    return es5


def _use_local_copy(app, config):
    # Relative to _static (Sphinx prefixes it), so every page links the copy the build ships.
    config.mathjax_path = f"{STATIC_SUBDIR}/{ENTRY}"


def _copy(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_source()
    target = Path(app.outdir) / "_static" / STATIC_SUBDIR
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / ENTRY, target / ENTRY)
    for folder in LAZY_FOLDERS:
        shutil.copytree(source / folder, target / folder, dirs_exist_ok=True)


def _own_math_only(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts or doctree is None:
        return
    domain = app.env.get_domain("math")
    if domain.data["has_equations"].get(pagename, False):
        return
    path = app.config.mathjax_path

    def is_mathjax(script):
        filename = getattr(script, "filename", None) or ""
        body = (getattr(script, "attributes", None) or {}).get("body", "")
        # Sphinx stores the path with its "_static/" prefix.
        return filename in {path, f"_static/{path}"} or "window.MathJax" in body

    context["script_files"] = [s for s in scripts if not is_mathjax(s)]


def setup(app):
    app.connect("config-inited", _use_local_copy, priority=900)
    # After sphinx.ext.mathjax (priority 500) has added the scripts.
    app.connect("html-page-context", _own_math_only, priority=800)
    app.connect("build-finished", _copy)
    # env_version: bump when the output changes, so an incremental build rewrites every page.
    return {"env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
