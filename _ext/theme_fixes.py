"""Small fixes to sphinx-book-theme's defaults, kept in one place.

- ``html_context["default_mode"] = "auto"``: Jupyter Book leaves the theme's default mode empty, so every page
  logged ``Got invalid theme mode: .`` to the console. "auto" follows the reader's system
  setting (prefers-color-scheme) until they pick a mode with the theme's button.
- One search box: the theme shows a search field in the left sidebar *and* a search button in
  the article header, so at desktop widths a page had two. The header button stays (it is there
  at every width, and opens the same dialog); the sidebar field goes.
"""

from __future__ import annotations

SIDEBAR = ["navbar-logo.html", "icon-links.html", "sbt-sidebar-nav.html"]


def _configure(app, config):
    # pydata-sphinx-theme reads the default mode from the template context, not an option.
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "auto")
    config.html_context = context
    sidebars = dict(config.html_sidebars or {})
    sidebars.setdefault("**", SIDEBAR)
    config.html_sidebars = sidebars


def setup(app):
    app.connect("config-inited", _configure, priority=900)
    # env_version: bump when the output changes, so an incremental build rewrites every page.
    return {"env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
