"""The threshold explorer on a self-contained page in headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from browser_drivers import (
    assert_explorer_matches,
    explorer_state,
    theme_palette_css,
    write_page,
)

from course_utils.explorer import ThresholdExplorer
from course_utils.quiz import Quiz

pytestmark = pytest.mark.browser


def _explorer(seed: int, n: int = 800, **kwargs) -> ThresholdExplorer:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.15).astype(np.int64)
    scores = 1 / (1 + np.exp(-(rng.normal(size=n) + 2.0 * y - 1.2)))
    return ThresholdExplorer(y, scores, **kwargs)


@pytest.fixture(scope="module")
def explorers():
    return [_explorer(0, threshold=0.5, title="Spam filter"), _explorer(1, n=60, threshold=0.3)]


@pytest.fixture
def explorer_page(page, serve, explorers, tmp_path):
    write_page(
        tmp_path,
        "explorer.html",
        explorers[0].to_html(),
        Quiz("04_precision_recall_tradeoff").to_html(),  # a quiz on the same page
        explorers[1].to_html(),
    )
    page.goto(f"{serve(tmp_path)}/explorer.html")
    yield page
    assert page.errors == [], page.errors
    assert page.blocked == [], f"the explorer page requested other hosts: {page.blocked}"


def _root(page, explorer):
    return page.locator(f"#{explorer.element_id}")


def _data(page, explorer) -> dict:
    text = _root(page, explorer).locator("script[data-explorer-data]").text_content()
    return json.loads(text)


def test_starts_at_the_given_threshold(explorer_page, explorers):
    for explorer in explorers:
        data = _data(explorer_page, explorer)
        handle = _root(explorer_page, explorer).element_handle()
        index = assert_explorer_matches(explorer_page, handle, data)
        assert index == data["initial"]
        start = explorer.metrics()
        state = explorer_state(explorer_page, handle)
        assert (
            state["tp"][0] == str(start["tp"])
            and float(state["threshold"][1]) == explorer.threshold
        )


def test_keyboard_moves_the_slider(explorer_page, explorers):
    explorer = explorers[0]
    data = _data(explorer_page, explorer)
    root = _root(explorer_page, explorer)
    handle = root.element_handle()
    slider = root.locator("input[type=range]")
    slider.focus()
    seen = {assert_explorer_matches(explorer_page, handle, data)}
    before = explorer_state(explorer_page, handle)
    for key, presses in (("ArrowRight", 5), ("ArrowLeft", 2), ("End", 1), ("Home", 1)):
        for _ in range(presses):
            explorer_page.keyboard.press(key)
        seen.add(assert_explorer_matches(explorer_page, handle, data))
    assert {0, len(data["thresholds"]) - 1, data["initial"] + 3} <= seen
    after = explorer_state(explorer_page, handle)
    assert after["tp"] != before["tp"] and after["recall"] != before["recall"]
    assert slider.get_attribute("aria-valuetext") == f"threshold {data['thresholds'][0]:.3f}"


def test_fill_and_scripted_moves(explorer_page, explorers):
    explorer = explorers[0]
    data = _data(explorer_page, explorer)
    root = _root(explorer_page, explorer)
    handle = root.element_handle()
    slider = root.locator("input[type=range]")
    last = len(data["thresholds"]) - 1
    for index in (0, 7, last // 2, last - 1, last):
        slider.fill(str(index))
        assert assert_explorer_matches(explorer_page, handle, data) == index
    # The counts on the page are the counts the live widget computes at that threshold.
    index = last // 3
    slider.evaluate(
        "(el, i) => { el.value = String(i); el.dispatchEvent(new Event('input')); }", index
    )
    state = explorer_state(explorer_page, handle)
    live = explorer.metrics(data["thresholds"][index])
    for key in ("tp", "fp", "fn", "tn"):
        assert state[key][0] == str(live[key])
    for key in ("precision", "recall", "f1"):
        assert float(state[key][1]) == pytest.approx(live[key], rel=1e-12)


def test_explorers_on_one_page_are_independent(explorer_page, explorers):
    first, second = (_root(explorer_page, e) for e in explorers)
    second_before = explorer_state(explorer_page, second.element_handle())
    first.locator("input[type=range]").fill("0")
    assert explorer_state(explorer_page, second.element_handle()) == second_before
    assert explorer_page.evaluate("document.querySelectorAll('[data-explorer-ready]').length") == 2


def test_marker_hidden_when_nothing_is_predicted_positive(page, serve, tmp_path):
    explorer = ThresholdExplorer([0, 1, 0, 1], [0.1, 0.4, 0.3, 0.2], threshold=0.9)
    write_page(tmp_path, "high.html", explorer.to_html())
    page.goto(f"{serve(tmp_path)}/high.html")
    handle = page.locator("[data-explorer]").element_handle()
    data = json.loads(page.locator("script[data-explorer-data]").text_content())
    assert data["thresholds"][data["initial"]] == 0.9
    assert_explorer_matches(page, handle, data)  # precision "n/a", marker hidden
    state = explorer_state(page, handle)
    assert state["precision"] == ["n/a", ""] and state["marker"][2] == "hidden"
    page.locator("input[type=range]").fill("0")
    assert explorer_state(page, handle)["marker"][2] is None
    assert page.errors == [] and page.blocked == []


# ------------------------------------------------------------- cost, histograms, dark mode


def _cost_explorer() -> ThresholdExplorer:
    return _explorer(2, threshold=0.5, cost_fp=5, cost_fn=1, labels=("good", "spam"))


def _line_and_cost(page, root) -> dict:
    return page.evaluate(
        """(root) => {
        const line = root.querySelector("[data-threshold-line]");
        const dot = root.querySelector("[data-cost-marker]");
        const cost = root.querySelector('[data-metric="cost"]');
        return {x: Number(line.getAttribute("x1")), x2: Number(line.getAttribute("x2")),
                cx: Number(dot.getAttribute("cx")), cy: Number(dot.getAttribute("cy")),
                text: cost.textContent, value: cost.dataset.value};
    }""",
        root,
    )


def test_slider_is_linear_and_cost_follows(page, serve, tmp_path):
    explorer = _cost_explorer()
    write_page(tmp_path, "cost.html", explorer.to_html())
    page.goto(f"{serve(tmp_path)}/cost.html")
    root = page.locator("[data-explorer]")
    handle = root.element_handle()
    data = json.loads(root.locator("script[data-explorer-data]").text_content())
    slider = root.locator("input[type=range]")
    g = data["dist"]
    for index in (0, 17, 50, 83, 100):
        slider.fill(str(index))
        assert assert_explorer_matches(page, handle, data) == index
        state = _line_and_cost(page, handle)
        threshold = data["thresholds"][index]
        assert threshold == pytest.approx(index / 100, abs=1e-12)  # linear, 0.5 reachable
        live = explorer.metrics(threshold)
        assert state["text"] == str(live["cost"]) and float(state["value"]) == live["cost"]
        x = g["left"] + threshold * g["width"]
        assert (
            abs(state["x"] - x) <= 0.06 and state["x2"] == state["x"] and state["cx"] == state["x"]
        )
        assert state["cy"] == pytest.approx(g["costY"][index], abs=0.06)
    assert slider.get_attribute("aria-valuetext") == "threshold 1.000"
    assert page.errors == [] and page.blocked == []


def _axe_violations(page) -> list:
    axe = pytest.importorskip("axe_playwright_python", reason="pip install axe-playwright-python")
    page.add_script_tag(path=str(Path(axe.__file__).parent / "axe.min.js"))
    return page.evaluate(
        """async () => {
        const r = await axe.run(document, {runOnly: {type: "tag",
          values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]});
        return r.violations.map(v => [v.id, v.nodes.map(n => n.html.slice(0, 80))]);
    }"""
    )


@pytest.mark.parametrize(
    ("system", "theme"),
    [("light", None), ("dark", None), ("light", "light"), ("light", "dark"), ("dark", "light")],
)
def test_readable_in_light_and_dark(browser, serve, tmp_path, system, theme):
    # A quiz on the same page, as in the book: its shared .cu-box styles must not undo ours.
    body = _cost_explorer().to_html() + Quiz("04_precision_recall_tradeoff").to_html()
    if theme is None:
        html = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title>'
        style = ""
    else:
        html = (
            f'<!DOCTYPE html><html lang="en" data-theme="{theme}"><head><meta charset="utf-8">'
            "<title>x</title>"
        )
        style = (
            f"<style>html[data-theme={theme}] {{ " + theme_palette_css(theme) + " } body { "
            "color: var(--pst-color-text-base); background: var(--pst-color-background); }</style>"
        )
    (tmp_path / "mode.html").write_text(
        f"{html}{style}</head><body><main>{body}</main></body></html>", encoding="utf-8"
    )
    context = browser.new_context(color_scheme=system)
    try:
        page = context.new_page()
        page.goto(f"{serve(tmp_path)}/mode.html")
        colours = page.evaluate(
            """() => { const el = document.querySelector(".cu-explorer");
            const s = getComputedStyle(el); return [s.color, s.backgroundColor]; }"""
        )
        dark = (theme or system) == "dark"
        text_luma = sum(int(v) for v in colours[0][4:-1].split(",")[:3])
        assert (text_luma > 382) == dark, colours  # light text on dark, dark text on light
        assert _axe_violations(page) == []
    finally:
        context.close()
