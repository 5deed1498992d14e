"""`make pdf`: the built book printed by headless Chromium into one PDF (tools/make_pdf.py)."""

from __future__ import annotations

import re
import sys
import unicodedata

import nbformat
import pytest
from browser_drivers import BUILD_HTML, ROOT

pytestmark = pytest.mark.browser


def _titles() -> list[str]:
    """Every page's title, as its source writes it (the first "# " heading)."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from make_pdf import toc_pages
    finally:
        sys.path.pop(0)
    titles = []
    for name in toc_pages():
        notebook = ROOT / f"{name}.ipynb"
        if notebook.is_file():
            source = nbformat.read(notebook, as_version=4).cells[0].source
        else:
            source = (ROOT / f"{name}.md").read_text(encoding="utf-8")
        titles.append(re.search(r"^# (.+)$", source, re.M).group(1).replace("`", "").strip())
    return titles


@pytest.fixture(scope="module")
def book_pdf(tmp_path_factory, browser):
    if not (BUILD_HTML / "index.html").is_file():
        pytest.skip("build the book first (make book)")
    pypdf = pytest.importorskip("pypdf", reason="make install (requirements: pypdf)")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from make_pdf import make_pdf
    finally:
        sys.path.pop(0)
    out = make_pdf(BUILD_HTML, tmp_path_factory.mktemp("pdf") / "book.pdf", browser=browser)
    return pypdf.PdfReader(out)


def test_pdf_has_every_chapter_a_contents_and_the_quiz_answers(book_pdf):
    pages = len(book_pdf.pages)
    assert 20 <= pages <= 600, f"{pages} pages"

    def flatten(text: str) -> str:  # ligatures (ﬀ) back to letters, one space
        return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))

    flat = flatten("\n".join(page.extract_text() for page in book_pdf.pages))
    contents = flatten(book_pdf.pages[1].extract_text())
    assert contents.startswith("Contents")
    for title in _titles():
        assert title in contents, f"{title!r} missing from the table of contents"
        assert flat.count(title) >= 2, f"{title!r} missing from the text"
    assert "Appendix: quiz answers" in flat
    # Quizzes are plain numbered questions, each answered again in the appendix.
    appendix = flat[flat.rindex("Appendix: quiz answers") :]
    assert "Q1.1 " in flat[: flat.rindex("Appendix: quiz answers")] and "Q1.1 " in appendix
    # The outline (bookmarks) holds the contents and a heading per page of the book.
    outline = [item["/Title"] for item in book_pdf.outline if isinstance(item, dict)]
    assert any("Contents" in title for title in outline)
    assert len(outline) >= len(_titles()), outline
