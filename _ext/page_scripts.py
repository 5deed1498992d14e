"""Tidy the <script> tags of every page.

- sphinx-thebe and sphinx-togglebutton register some inline scripts twice under Jupyter Book 1
  (once with ``filename=None``, once with ``''``), so every page threw "Identifier
  'THEBE_JS_URL' has already been declared". Identical scripts are kept once.
- myst-nb embeds saved ipywidgets state in pages of executed notebooks. The book loads no widget
  manager (``nb_ipywidgets_js: {}``): its quizzes and explorer render as self-contained HTML,
  so the state is dead weight (tens of kilobytes a page) and is dropped.
- myst-nb names every hidden-cell toggle ``<summary aria-label="Toggle hidden content">``,
  which hides its visible text ("Show code cell source") from screen readers (axe
  ``label-content-name-mismatch``); the label is dropped so the summary is named by its text.
  (sphinx-togglebutton's admonition buttons are made by script: _static/course.js names them.)
"""

from __future__ import annotations

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SUMMARY_LABEL = '<summary aria-label="Toggle hidden content">'


def _key(script) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    fields = tuple(sorted((k, str(v)) for k, v in attributes.items() if k != "priority"))
    return (getattr(script, "filename", None) or "", fields)


def _tidy(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and SUMMARY_LABEL in body:
        context["body"] = body.replace(SUMMARY_LABEL, "<summary>")
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    kept = []
    for script in scripts:
        key = _key(script)
        if key in seen or dict(key[1]).get("type") == WIDGET_STATE:
            continue
        seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def setup(app):
    # Late priority: run after every extension has added its scripts to the page context.
    app.connect("html-page-context", _tidy, priority=900)
    # env_version: bump when the output changes, so an incremental build rewrites every page.
    return {"env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
