"""Quick checks (``quick_check(...)``, issue 29) in headless Chromium: a compact box of one or
two questions, on a page with the chapter's quiz, checked offline with the quiz's rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_drivers import (
    BUILD_HTML,
    built_pages,
    expected_feedback,
    right_value,
    theme_palette_css,
    write_page,
    wrong_value,
)

from course_utils.quiz import Quiz, load_bank, quick_check

pytestmark = pytest.mark.browser
BANK = "02_uncertainty"


def box(page, question_id: str):
    return page.locator(f'[data-quick-check] [data-quiz-question="{question_id}"]')


def answer(page, question, value) -> str:
    """Fill in ``value`` for ``question`` in its quick check, press Check, return the feedback."""
    element = box(page, question.id)
    if question.type == "numeric":
        element.locator("input[type=text]").fill(value)
    else:
        chosen = {value} if question.type == "single" else set(value)
        for option in question.options:
            field = element.locator(f'input[value="{option.id}"]')
            if option.id in chosen:
                field.check()
            elif question.type == "multiple":
                field.uncheck()
    element.get_by_role("button", name="Check").click()
    return element.locator('[aria-live="polite"]').text_content()


@pytest.fixture
def chapter_page(page, serve, tmp_path):
    """Every quick check of the bank, one box per pair as in the chapter, then its quiz."""
    bank = load_bank(BANK)
    ids = [q.id for q in bank.quick_checks]
    boxes = [quick_check(bank, *ids[i : i + 2]).to_html() for i in range(0, len(ids), 2)]
    write_page(tmp_path, "chapter.html", *boxes, Quiz(bank).to_html())
    page.goto(f"{serve(tmp_path)}/chapter.html")
    yield page, bank
    assert page.errors == [], page.errors
    assert page.blocked == [], page.blocked


def test_every_quick_check_answers_right_and_wrong_like_python(chapter_page):
    page, bank = chapter_page
    assert (
        page.locator("[data-quick-check][data-quiz-ready]").count()
        == page.locator("[data-quick-check]").count()
    )
    assert page.locator("[data-quiz][data-quiz-ready]").count() == 1  # the quiz still starts
    for i, question in enumerate(bank.quick_checks):
        wrong = wrong_value(question)
        assert answer(page, question, wrong) == expected_feedback(question, wrong)
        right = right_value(question, variant=i)
        text = answer(page, question, right)
        assert text.startswith("Correct") and text == expected_feedback(question, right, 1)
    # The quiz's score knows nothing of the quick checks.
    score = page.locator(f'[data-quiz="{bank.quiz}"] [data-quiz-score]').text_content()
    assert score == f"Score: 0 of {len(bank)} checked correct."


def test_explanation_after_two_wrong_tries(chapter_page):
    page, bank = chapter_page
    question = bank.quick_checks[0]
    wrong = wrong_value(question)
    first = answer(page, question, wrong)
    element = box(page, question.id)
    element.get_by_role("button", name="Check").click()
    second = element.locator('[aria-live="polite"]').text_content()
    assert "Explanation" not in first and "Explanation" in second
    assert second == expected_feedback(question, wrong, attempts=1)


def test_keyboard_only(chapter_page):
    """Tab into the first quick check's radio group, choose with the arrow keys, check with
    Enter; the arrows do not reach the document (where JupyterLab would move cells)."""
    page, bank = chapter_page
    question = bank.quick_checks[0]
    page.evaluate(
        "window.arrowsSeen = 0; document.addEventListener('keydown', (e) => {"
        " if (e.key.startsWith('Arrow')) window.arrowsSeen += 1; });"
    )
    index = [o.id for o in question.options].index(question.correct_ids[0])
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("window.arrowsSeen") == 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Check"
    page.keyboard.press("Enter")
    feedback = box(page, question.id).locator('[aria-live="polite"]')
    assert feedback.text_content().startswith("Correct")


def _axe_on(page, selector: str) -> list:
    axe = pytest.importorskip("axe_playwright_python", reason="pip install axe-playwright-python")
    page.add_script_tag(path=str(Path(axe.__file__).parent / "axe.min.js"))
    return page.evaluate(
        """async (selector) => {
        const r = await axe.run(document.querySelector(selector), {runOnly: {type: "tag",
          values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]});
        return r.violations.map(v => [v.id, v.nodes.map(n => n.html.slice(0, 100))]);
    }""",
        selector,
    )


@pytest.mark.parametrize(("system", "theme"), [("light", None), ("dark", None), ("light", "dark")])
def test_readable_in_light_and_dark(browser, serve, tmp_path, system, theme):
    """WCAG AA (axe) with right and wrong feedback shown, in the system's and the theme's
    light and dark modes."""
    bank = load_bank(BANK)
    first, second = bank.quick_checks[:2]
    attribute, style = "", ""
    if theme is not None:
        attribute = f' data-theme="{theme}"'
        style = (
            f"<style>html[data-theme={theme}] {{ {theme_palette_css(theme)} }} body {{ "
            "background: var(--pst-color-background); color: var(--pst-color-text-base); }</style>"
        )
    elif system == "dark":
        style = "<style>body { background: #14181e; color: #ced6dd; }</style>"
    (tmp_path / "q.html").write_text(
        f'<!DOCTYPE html><html lang="en"{attribute}><head><meta charset="utf-8"><title>q</title>'
        f"{style}</head><body><main>{quick_check(bank, first.id, second.id).to_html()}"
        "</main></body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(color_scheme=system)
    page = context.new_page()
    try:
        page.goto(f"{serve(tmp_path)}/q.html")
        answer(page, first, right_value(first))
        answer(page, second, wrong_value(second))
        assert _axe_on(page, "[data-quick-check]") == []
    finally:
        context.close()


def _built():
    pages = built_pages("data-quick-check=")
    if not pages:
        reason = "the book is not built" if not BUILD_HTML.is_dir() else "no quick checks built"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="not-built")]
    return [pytest.param(p, id=p.name) for p in pages]


@pytest.mark.parametrize("path", _built())
def test_built_quick_checks_work(page, serve, path):
    """On the built book's pages every quick check starts and checks its items."""
    page.goto(f"{serve(BUILD_HTML)}/{path.relative_to(BUILD_HTML).as_posix()}")
    roots = page.locator("[data-quick-check]")
    assert roots.count() and page.locator("[data-quick-check]:not([data-quiz-ready])").count() == 0
    for index in range(roots.count()):
        root = roots.nth(index)
        bank = load_bank(root.get_attribute("data-quick-check"))
        assert root.get_attribute("data-quiz-version") == bank.version, "rebuild the book"
        for qid in root.get_attribute("data-quick-check-items").split():
            question = bank.quick_check(qid)
            text = answer(page, question, right_value(question))
            assert text.startswith("Correct"), (path.name, qid, text)
    assert page.errors == [], page.errors
