"""Print the built book into one PDF (`make pdf`): ``_build/pdf/book.pdf``.

Each page of the built HTML book (``make book``) is opened in headless Chromium, served from
127.0.0.1 with every other host blocked, and left to render its math. Its article is then
gathered, in the table of contents' order, into one printable document:

- a title page and a table of contents (with links; the PDF also gets an outline);
- math as rendered by MathJax (SVG, with the glyph definitions it refers to);
- exercise solutions unfolded, where the book puts them: after each exercise;
- each quiz as plain numbered questions, and every quiz's answers, with explanations, in an
  appendix at the end (from the question banks, through ``course_utils.quiz``).

Usage: python tools/make_pdf.py [--html _build/html] [--out _build/pdf/book.pdf]
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 18mm 16mm; }
body { font-size: 10.5pt; }
.bd-article { max-width: none; }
.pdf-chapter { break-before: page; }
.pdf-title { text-align: center; padding-top: 30vh; }
.pdf-title h1 { font-size: 26pt; }
.pdf-toc ol { font-size: 12pt; line-height: 1.8; list-style: none; padding-left: 0; }
.pdf-toc a, .pdf-appendix a { color: inherit; text-decoration: none; }
.pdf-quiz { border: 1px solid #999; border-radius: 4px; padding: 0.4rem 0.9rem; }
.pdf-quiz ol.pdf-options { list-style: lower-alpha; }
.pdf-appendix { break-before: page; }
.pdf-appendix .pdf-answer { break-inside: avoid; margin-bottom: 0.5rem; }
pre, div.math, .cell_output { overflow: visible !important; white-space: pre-wrap; }
pre { word-break: break-all; }
img { max-width: 100% !important; width: auto !important; height: auto; break-inside: avoid; }
.toggle-hidden, details > :not(summary) { display: block !important; visibility: visible !important; }
button.toggle-button, .headerlink, .copybtn, summary, .cu-scroll-hint { display: none !important; }
.admonition, .cell, figure, table { break-inside: avoid-page; }
"""


def toc_pages() -> list[str]:
    """Page names (``intro``, ``chapters/01_rnn_metrics``, ...) in the book's order."""
    from course_utils.instructor.course import read_toc

    return [entry.file for entry in read_toc(ROOT)]


def _serve(folder: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _guard(route):
    url = urlparse(route.request.url)
    if url.scheme in {"http", "https", "ws", "wss"} and url.hostname not in LOCAL_HOSTS:
        route.abort()
    else:
        route.continue_()


# Runs in each page: unfold solutions, make links and images absolute, mark quizzes, and
# return the article and MathJax's shared glyph definitions.
EXTRACT_JS = """
async () => {
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  const article = document.querySelector("article.bd-article") || document.querySelector("main");
  article.querySelectorAll("img").forEach(img => {
    img.setAttribute("src", img.src);
    img.removeAttribute("loading");  // a lazy image off screen would print empty
  });
  article.querySelectorAll(".toggle-hidden").forEach(e => e.classList.remove("toggle-hidden"));
  article.querySelectorAll("details").forEach(d => d.setAttribute("open", ""));
  article.querySelectorAll("script, .copybtn, button.toggle-button").forEach(e => e.remove());
  article.querySelectorAll("[data-quiz]").forEach(q => {
    q.outerHTML = `<div data-pdf-quiz="${q.dataset.quiz}"></div>`;
  });
  const cache = document.getElementById("MJX-SVG-global-cache");
  const title = (article.querySelector("h1") || {}).textContent || document.title;
  return {
    html: article.innerHTML,
    glyphs: cache ? cache.closest("svg").outerHTML : "",
    title: title.replace(/[#¶]/g, "").trim(),
  };
}
"""


def _quiz_html(quiz_id: str, number: int, answers: list[str]) -> str:
    """A quiz as plain questions; its answers are appended to ``answers``."""
    from course_utils._static_html import inline_markup
    from course_utils.quiz import load_bank

    bank = load_bank(quiz_id)
    items, key = [], []
    for i, question in enumerate(bank.questions, start=1):
        label = f"Q{number}.{i}"
        body = f"<p><strong>{label}</strong> {inline_markup(question.prompt)}</p>"
        if question.options:
            letters = "abcdefghijklmnopqrstuvwxyz"
            options = "".join(f"<li>{inline_markup(o.text)}</li>" for o in question.options)
            body += f'<ol class="pdf-options">{options}</ol>'
            right = ", ".join(
                f"({letters[k]}) {inline_markup(o.text)}"
                for k, o in enumerate(question.options)
                if o.correct
            )
            if question.type == "multiple":
                body += "<p><em>Choose every option that applies.</em></p>"
        else:
            body += "<p><em>Answer with a number.</em></p>"
            right = html.escape(f"{question.answer:g}") if question.answer is not None else ""
            if question.tolerance:
                right += html.escape(f" (within {question.tolerance:g})")
        items.append(body)
        key.append(
            f'<div class="pdf-answer"><p><strong>{label}</strong> {right}</p>'
            f"<p>{inline_markup(question.explanation)}</p></div>"
        )
    answers.append(f'<h3 id="answers-{quiz_id}">{html.escape(bank.title)}</h3>' + "".join(key))
    return (
        f'<div class="pdf-quiz"><p><strong>{html.escape(bank.title)}</strong> '
        f'(answers: <a href="#answers-{quiz_id}">appendix</a>)</p>{"".join(items)}</div>'
    )


def build_document(html_dir: Path, *, browser, base: str) -> str:
    """One printable HTML document holding every page of the book (served at ``base``)."""
    chapters, glyphs, answers, head = [], [], [], {}
    page = browser.new_page(viewport={"width": 1000, "height": 1200})
    page.route("**/*", _guard)
    for name in toc_pages():
        path = html_dir / f"{name}.html"
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: build the book first (make book)")
        page.goto(f"{base}/{name}.html")
        page.wait_for_load_state("load")
        chapters.append((name, page.evaluate(EXTRACT_JS)))
        # Every page's stylesheets, MathJax's own styles included (only pages with math).
        for item in page.evaluate(
            """() => [...document.querySelectorAll("link[rel=stylesheet], style")]
            .map(e => e.tagName === "LINK" ? `<link rel="stylesheet" href="${e.href}">`
                                           : e.outerHTML)"""
        ):
            head.setdefault(item, None)
    page.close()
    head = "\n".join(head)

    quiz_number = 0
    body = []
    for name, chapter in chapters:
        text = chapter["html"]
        while 'data-pdf-quiz="' in text:
            start = text.index('<div data-pdf-quiz="')
            end = text.index("</div>", start) + len("</div>")
            quiz_id = text[start:end].split('"')[1]
            quiz_number += 1
            text = text[:start] + _quiz_html(quiz_id, quiz_number, answers) + text[end:]
        anchor = name.replace("/", "-")
        body.append(f'<section class="pdf-chapter" id="{anchor}">{text}</section>')
        if chapter["glyphs"]:
            glyphs.append(chapter["glyphs"])
    toc = "".join(
        f'<li><a href="#{name.replace("/", "-")}">{html.escape(c["title"])}</a></li>'
        for name, c in chapters
    )
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    title = html.escape(config.get("title", "The book"))
    appendix = (
        '<section class="pdf-appendix" id="quiz-answers"><h1>Appendix: quiz answers</h1>'
        + "".join(answers)
        + "</section>"
    )
    return f"""<!DOCTYPE html>
<html lang="en" data-theme="light"><head><meta charset="utf-8"><title>{title}</title>
{head}
<style>{PRINT_CSS}</style></head>
<body><main class="bd-main"><article class="bd-article">
<section class="pdf-title"><h1>{title}</h1><p>{html.escape(config.get("author", ""))}</p></section>
<section class="pdf-chapter pdf-toc"><h1>Contents</h1><ol>{toc}
<li><a href="#quiz-answers">Appendix: quiz answers</a></li></ol></section>
{"".join(body)}
{appendix}
</article></main>
<div style="display:none">{"".join(glyphs)}</div>
</body></html>"""


def make_pdf(html_dir: Path, out: Path, *, browser=None) -> Path:
    """Print the built book at ``html_dir`` into ``out``; return ``out``.

    ``browser``: a Playwright Chromium browser to use (default: start the system Chromium).
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        if not CHROMIUM.exists():
            raise RuntimeError(f"Chromium not found at {CHROMIUM}: apt install chromium")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                return make_pdf(html_dir, out, browser=browser)
            finally:
                browser.close()
    html_dir = Path(html_dir).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    server = _serve(html_dir)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        document = build_document(html_dir, browser=browser, base=base)
        out.with_suffix(".html").write_text(document, encoding="utf-8")  # for debugging
        page = browser.new_page()
        page.route("**/*", _guard)
        page.set_content(document, wait_until="load")
        page.emulate_media(media="print")
        page.pdf(
            path=str(out),
            format="A4",
            print_background=True,
            outline=True,
            tagged=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=(
                '<div style="font-size:8pt;width:100%;text-align:center">'
                '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
            ),
            margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
        )
        page.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "book.pdf")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        print(f"No built book at {args.html}: run `make book` first.", file=sys.stderr)
        return 1
    out = make_pdf(args.html, args.out)
    print(f"PDF written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
