"""Every page of the BUILT book (``make book``), as readers see it: offline, in light and dark
mode, on a phone.

- Offline: every request to another host is blocked and counted; math is rendered from the copy
  the build ships (``_static/mathjax``), no raw TeX is left on the page, and pages without
  formulas load no MathJax.
- Accessibility: axe-core (shipped by ``axe-playwright-python``) checks WCAG 2.1 A/AA in light
  and dark mode (the system setting, which the theme follows, and the theme's ``data-theme``).
  Any violation inside the course's own elements fails; a violation in the theme's chrome fails
  too unless it is listed in ``KNOWN_THEME_VIOLATIONS`` with the reason it is not ours to fix.
- Phones (390 px): no page is wider than the screen; display math, tables and code scroll
  inside their own box, with a visible cue on math and figures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_drivers import BUILD_HTML

pytestmark = pytest.mark.browser

NOT_BUILT = "build the book first (make book)"
# The course's own elements: quizzes and explorers (course_utils/quiz/page.py, explorer.py).
COURSE_ELEMENTS = ".cu-box, .cu-quiz, .cu-explorer, [data-quiz], [data-explorer]"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Theme-owned violations tolerated: (axe rule, part of the node's selector) -> the reason.
KNOWN_THEME_VIOLATIONS: dict[tuple[str, str], str] = {
    ("label-content-name-mismatch", ".theme-switch-button"): (
        "pydata-sphinx-theme's colour-mode button shows only Font Awesome icons; axe's "
        "experimental rule reads the icon glyphs as text that 'Color mode' does not contain."
    ),
}


def _known(rule: str, target, html: str = "") -> str | None:
    """The reason a theme-owned violation is tolerated: its selector names the part, or (axe
    picks the shortest unique selector, which differs from page to page) its class does."""
    where = " ".join(map(str, target)) if isinstance(target, list) else str(target)
    classes = re.search(r'class="([^"]*)"', html)
    where += "".join(f" .{c}" for c in (classes.group(1).split() if classes else []))
    return next(
        (why for (r, part), why in KNOWN_THEME_VIOLATIONS.items() if r == rule and part in where),
        None,
    )


# TeX that MathJax should have turned into SVG (prose outside code).
RAW_TEX = re.compile(r"\$\$|\\(frac|begin|end|sum|hat|mathrm|text|sqrt|left|right|cdot)\b")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _pages():
    if not BUILD_HTML.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=NOT_BUILT), id="not-built")]
    pages = sorted(BUILD_HTML.glob("*.html")) + sorted(BUILD_HTML.glob("chapters/*.html"))
    # index.html only redirects to the root page; genindex and search are generated.
    pages = [p for p in pages if p.name not in {"index.html", "genindex.html", "search.html"}]
    return [pytest.param(p, id=p.relative_to(BUILD_HTML).with_suffix("").as_posix()) for p in pages]


PAGES = _pages()


def axe_script() -> Path:
    axe = pytest.importorskip("axe_playwright_python", reason="pip install axe-playwright-python")
    return Path(axe.__file__).parent / "axe.min.js"


@pytest.fixture
def open_page(page_factory, serve):
    """``open_page(path, mode=..., viewport=...)``: load a built page and wait for its math."""
    base = serve(BUILD_HTML)
    opened = []

    def open_(path: Path, *, mode: str = "light", viewport: dict = DESKTOP):
        page = page_factory(viewport=viewport, color_scheme=mode)
        page.goto(f"{base}/{path.relative_to(BUILD_HTML).as_posix()}")
        page.wait_for_load_state("load")
        # The theme's mode is "auto": it must follow the system setting by itself.
        assert page.evaluate("document.documentElement.dataset.theme") == mode
        page.evaluate(
            "async () => { if (window.MathJax && MathJax.startup) await MathJax.startup.promise; }"
        )
        opened.append(page)
        return page

    yield open_
    for page in opened:
        assert page.errors == [], page.errors
        assert page.blocked == [], f"requests to other hosts: {page.blocked}"
        assert page.console_errors == [], page.console_errors


def check_math_rendered_locally(page, path):
    """MathJax from the build's copy, every formula rendered, no raw TeX in the prose."""
    math = page.locator(".bd-article .math").count()
    mathjax = page.eval_on_selector_all(
        "script[src*=mathjax]", "els => els.map(e => e.getAttribute('src'))"
    )
    if math == 0:
        assert mathjax == [], f"{path.name} has no math but loads MathJax"
        return
    assert len(mathjax) == 1 and "_static/mathjax/tex-svg.js" in mathjax[0], mathjax
    unrendered = page.eval_on_selector_all(
        ".bd-article .math", "els => els.filter(e => !e.querySelector('mjx-container')).length"
    )
    assert unrendered == 0, f"{path.name}: {unrendered} of {math} formulas not rendered"
    prose = page.evaluate(
        """() => {
        const article = document.querySelector(".bd-article").cloneNode(true);
        article.querySelectorAll("pre, code, script, mjx-assistive-mml").forEach(e => e.remove());
        return article.innerText;
    }"""
    )
    raw = sorted(set(m.group(0) for m in RAW_TEX.finditer(prose)))
    assert not raw, f"{path.name}: raw TeX visible: {raw}"


def _violations(page) -> list[dict]:
    page.evaluate(axe_script().read_text(encoding="utf-8"))
    return page.evaluate(
        """async (tags) => {
        const result = await axe.run(document, {
          runOnly: {type: "tag", values: tags},
          rules: {"label-content-name-mismatch": {enabled: true}},
          resultTypes: ["violations"],
          // axe would re-fetch stylesheets for the CSSOM and resolve the theme's @import
          // against the wrong folder (a 404 for /basic.css); the rule needing it is AAA-adjacent.
          preload: false,
        });
        return result.violations.map(v => ({
          id: v.id,
          help: v.help,
          nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
        }));
    }""",
        [*WCAG_AA, "experimental"],
    )


def _is_course_element(page, target) -> bool:
    selector = target[-1] if isinstance(target, list) else target
    return page.evaluate(
        "([sel, course]) => { const el = document.querySelector(sel);"
        " return !!(el && el.closest(course)); }",
        [selector, COURSE_ELEMENTS],
    )


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_page_offline_and_wcag_aa_in_light_and_dark_mode(open_page, path, mode):
    """One page load per mode (axe is the slow part): offline math, chrome, then axe.
    Requests to other hosts and console errors fail in ``open_page``'s teardown."""
    page = open_page(path, mode=mode)
    check_math_rendered_locally(page, path)
    if mode == "light":
        check_one_search_box_and_named_toggle_buttons(page, path)
    ours, theirs = [], []
    for violation in _violations(page):
        for node in violation["nodes"]:
            line = f"{violation['id']} ({violation['help']}): {node['target']} {node['html'][:120]}"
            if _is_course_element(page, node["target"]):
                ours.append(line)
            elif _known(violation["id"], node["target"], node["html"]) is None:
                theirs.append(line)
    assert not ours, f"{path.name} ({mode}): course elements fail WCAG AA:\n" + "\n".join(ours)
    assert not theirs, f"{path.name} ({mode}): page fails WCAG AA:\n" + "\n".join(theirs)


@pytest.mark.parametrize("path", PAGES)
def test_phone_layout_fits_and_scrolls_inside_boxes(open_page, path):
    page = open_page(path, viewport=PHONE)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{path.name} is {width[0]} px wide on a {width[1]} px phone"
    problems = page.evaluate(
        """() => {
        const out = [];
        const boxes = document.querySelectorAll(".bd-article div.math, "
          + ".bd-article mjx-container[display=true], .bd-article pre, .bd-article table, "
          + ".bd-article .cell_output img");
        const needsCue = "div.math, mjx-container, img, .cell_output";
        for (const el of boxes) {
          let box;
          if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible") {
            box = el;  // it scrolls (or clips) its own content
          } else {
            // The box that clips it: its nearest ancestor whose overflow is not "visible".
            box = el.parentElement;
            while (box && box !== document.body && getComputedStyle(box).overflowX === "visible") {
              box = box.parentElement;
            }
            if (!box || box === document.body) continue;  // the page-width check covers it
            if (el.getBoundingClientRect().width <= box.clientWidth + 1) continue;  // it fits
          }
          const style = getComputedStyle(box);
          const name = `${el.tagName}.${el.className} in ${box.tagName}.${box.className}`;
          if (!["auto", "scroll"].includes(style.overflowX)) {
            out.push(`${name}: clipped, cannot be scrolled`);
          } else if (el.matches(needsCue) && !style.backgroundImage.includes("gradient")) {
            out.push(`${name}: scrolls with no visible cue`);
          }
        }
        return out;
    }"""
    )
    assert not problems, f"{path.name}: " + "\n".join(problems)
    small_figures = page.eval_on_selector_all(
        ".cu-wide-figure", "els => els.filter(e => e.getBoundingClientRect().width < 600).length"
    )
    assert small_figures == 0, f"{path.name}: multi-panel figures shrunk below 600 px"
    # On a phone many boxes scroll; the theme makes each a tab stop, and each must be named.
    page.wait_for_timeout(500)  # the theme sets its tab stops after a debounce
    nameless = page.eval_on_selector_all(
        ".bd-article :is(pre, .cell_output > .output, .pst-scrollable-table-container)"
        "[tabindex='0']",
        """els => els.filter(e => !e.getAttribute("role") || !e.getAttribute("aria-label")
                              && !e.getAttribute("aria-labelledby"))
                   .map(e => `${e.tagName}.${e.className}`)""",
    )
    assert not nameless, f"{path.name}: keyboard scroll stops with no role or name: {nameless[:5]}"


def check_one_search_box_and_named_toggle_buttons(page, path):
    search = page.eval_on_selector_all(
        ".search-button-field, button.search-button__button, form.bd-search",
        "els => els.filter(e => e.offsetParent !== null && !e.closest('.search-button__wrapper'))"
        ".length",
    )
    assert search == 1, f"{path.name}: {search} search boxes visible at 1280 px"
    names = page.eval_on_selector_all(
        "button.toggle-button",
        """els => els.map(b => [b.getAttribute("aria-label"),
             b.closest(".admonition-title").innerText.replace(/\\s+/g, " ").trim()])""",
    )
    for label, visible in names:
        assert label == visible, f"{path.name}: toggle button named {label!r}, shows {visible!r}"
