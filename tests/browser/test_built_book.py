"""The same checks on the BUILT book (``make book``): every chapter page holding a quiz or an
explorer is driven in Chromium with other hosts blocked (pages with saved widget state ask for
require.js from a CDN: those requests are blocked and counted, and the quiz must work anyway).
"""

from __future__ import annotations

import json

import pytest
from browser_drivers import (
    BOOK_ROOT,
    BUILD_HTML,
    assert_explorer_matches,
    built_pages,
    run_quiz_right_and_wrong,
)

from course_utils.quiz import load_bank

pytestmark = pytest.mark.browser

NOT_BUILT = "build the book first (make book)"


def _params(marker: str):
    if not BUILD_HTML.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=NOT_BUILT), id="not-built")]
    pages = built_pages(marker)
    if not pages:
        reason = f"no built chapter page contains {marker} yet"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="none-found")]
    return [pytest.param(p, id=p.stem) for p in pages]


@pytest.fixture
def open_built(page, serve):
    base = serve(BUILD_HTML)

    def open_(path):
        page.goto(f"{base}/{path.relative_to(BUILD_HTML).as_posix()}")
        page.wait_for_load_state("load")
        return page

    yield open_
    # No script on the page may throw: ours, the theme's (_ext/page_scripts.py removes the
    # duplicate thebe/togglebutton scripts that used to) or anything else.
    assert page.errors == [], page.errors


@pytest.mark.parametrize("path", _params("data-quiz-question"))
def test_built_quizzes_answer_right_and_wrong(open_built, path):
    page = open_built(path)
    quiz_ids = page.eval_on_selector_all("[data-quiz]", "els => els.map(e => e.dataset.quiz)")
    assert quiz_ids, f"{path.name}: quiz markup found in the HTML but no [data-quiz] container"
    assert len(quiz_ids) == len(set(quiz_ids)), f"{path.name}: a quiz appears twice"
    for quiz_id in quiz_ids:
        bank = load_bank(quiz_id)
        container = page.locator(f'[data-quiz="{quiz_id}"]')
        assert container.get_attribute("data-quiz-version") == bank.version, (
            f"{path.name}: the page shows an old version of {quiz_id}; rebuild the book"
        )
        assert container.get_attribute("data-quiz-ready") is not None, "script did not run"
        run_quiz_right_and_wrong(page, bank)


@pytest.mark.parametrize("path", _params("data-explorer"))
def test_built_explorers_follow_the_slider(open_built, path):
    page = open_built(path)
    roots = page.query_selector_all("[data-explorer]")
    assert roots, f"{path.name}: explorer markup found but no [data-explorer] container"
    for root in roots:
        assert root.get_attribute("data-explorer-ready") is not None, "script did not run"
        data = json.loads(root.query_selector("script[data-explorer-data]").text_content())
        slider = root.query_selector("input[type=range]")
        before = assert_explorer_matches(page, root, data)
        seen = {before}
        for index in (0, len(data["thresholds"]) // 2, len(data["thresholds"]) - 1):
            slider.fill(str(index))
            seen.add(assert_explorer_matches(page, root, data))
        slider.focus()
        page.keyboard.press("Home")
        page.keyboard.press("ArrowRight")
        assert assert_explorer_matches(page, root, data) == 1
        assert len(seen) >= 2


def test_built_self_check_has_enough_questions(request):
    if not BUILD_HTML.is_dir():
        pytest.skip(NOT_BUILT)
    if not (BOOK_ROOT / "chapters" / "10_self_check.ipynb").is_file():
        pytest.skip("chapters/10_self_check.ipynb is not written yet")
    path = BUILD_HTML / "chapters" / "10_self_check.html"
    assert path.is_file(), f"{path} is missing from the built book; rebuild it (make book)"
    page = request.getfixturevalue("open_built")(path)
    assert page.locator("[data-quiz-question]").count() >= 15
    container = page.locator('[data-quiz="10_self_check"]')
    assert container.count() == 1
    assert container.locator("[data-quiz-question]").count() == len(load_bank("10_self_check"))


def _all_pages():
    if not BUILD_HTML.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=NOT_BUILT), id="not-built")]
    pages = sorted(BUILD_HTML.glob("*.html")) + sorted(BUILD_HTML.glob("chapters/*.html"))
    # index.html is only a redirect to the root page; the index and search pages are generated.
    pages = [p for p in pages if p.name not in {"index.html", "genindex.html", "search.html"}]
    return [pytest.param(p, id=p.relative_to(BUILD_HTML).as_posix()) for p in pages]


@pytest.mark.parametrize("path", _all_pages())
def test_every_page_loads_without_script_errors(open_built, path):
    page = open_built(path)
    assert page.title(), f"{path.name}: page has no title"
