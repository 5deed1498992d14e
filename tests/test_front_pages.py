"""The front pages agree with the book: how_to_use lists the chapters of _toc.yml, in order,
and every {doc} link of intro.md and how_to_use.md names a page that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = re.compile(r"\{doc\}`(?:[^`<]*<)?/?([^`>]+)>?`")


def toc_chapters() -> list[str]:
    from course_utils.instructor.course import toc_chapters as read_chapters

    return read_chapters(ROOT)


def test_how_to_use_lists_every_chapter_in_book_order():
    text = (ROOT / "how_to_use.md").read_text()
    table = [
        m.group(1)
        for line in text.splitlines()
        if line.startswith("| {doc}")
        for m in [DOC.search(line)]
    ]
    assert table == toc_chapters(), "how_to_use.md's chapter table and _toc.yml disagree"


@pytest.mark.parametrize("page", ["intro.md", "how_to_use.md"])
def test_front_page_links_exist(page):
    for target in DOC.findall((ROOT / page).read_text()):
        assert list(ROOT.glob(f"{target}.*")), f"{page} links to {target!r}, which is missing"


def test_intro_names_no_retired_material():
    text = (ROOT / "intro.md").read_text().lower()
    assert "seed lesson" not in text  # the seed lessons became chapters 1 and 3
