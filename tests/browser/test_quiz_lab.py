"""The quiz widget in real JupyterLab, driven by headless Chromium (issue 14).

A JupyterLab server starts on 127.0.0.1 in a temporary folder (no token, other hosts blocked
by the page fixture's rules are not needed: nothing leaves the machine), runs a notebook whose
quiz has long options, and checks the layout at 1024-1920 px in the light and dark themes.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LONG = "an option long enough to wrap over two or more lines in a notebook at this width, " * 3
BANK = {
    "quiz": "labquiz",
    "title": "Lab quiz",
    "version": "1",
    "questions": [
        {"id": "pick", "type": "single", "prompt": "Pick the third.", "explanation": "E.",
         "options": [
            {"id": "a", "text": "A: " + LONG, "correct": False, "feedback": "No."},
            {"id": "b", "text": "B: " + LONG, "correct": False, "feedback": "No."},
            {"id": "c", "text": "C: short", "correct": True, "feedback": "Yes."}]},
        {"id": "ticks", "type": "multiple", "prompt": "Tick a.", "explanation": "E.",
         "options": [
            {"id": "a", "text": "A: " + LONG, "correct": True, "feedback": "Yes."},
            {"id": "b", "text": "B: " + LONG, "correct": False, "feedback": "No."}]},
    ],
}  # fmt: skip

OVERLAPS = """() => {
  const problems = [];
  document.querySelectorAll(".cu-quiz-choices").forEach((group) => {
    const labels = Array.from(group.querySelectorAll("label")).filter((l) => l.offsetParent);
    const boxes = labels.map((l) => l.getBoundingClientRect());
    for (let i = 1; i < boxes.length; i++) {
      if (boxes[i].top < boxes[i - 1].bottom - 0.5) problems.push(["overlap", i]);
    }
    labels.forEach((label, i) => {
      const input = label.querySelector("input");
      if (!input) return;
      const r = label.getBoundingClientRect(), b = input.getBoundingClientRect();
      if (b.top < r.top - 1 || b.bottom > r.bottom + 1 || b.left > r.left + 40)
        problems.push(["input outside its label", i]);
    });
  });
  return problems;
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module", params=["light", "dark"])
def lab(request, tmp_path_factory):
    """``(base_url, theme)``: JupyterLab on loopback with the notebook, stopped afterwards."""
    pytest.importorskip("jupyterlab")
    root = tmp_path_factory.mktemp("lab")
    bank = root / "labquiz.yaml"
    bank.write_text(yaml.safe_dump(BANK), encoding="utf-8")
    source = f"from course_utils.quiz import Quiz\nquiz = Quiz({str(bank)!r})\nquiz"
    notebook = {"cells": [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source},
        {"cell_type": "markdown", "metadata": {}, "source": "After the quiz."}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    (root / "quiz.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    settings = root / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    theme = "JupyterLab Dark" if request.param == "dark" else "JupyterLab Light"
    (settings / "themes.jupyterlab-settings").write_text(json.dumps({"theme": theme}), "utf-8")
    port = _free_port()
    # Workspaces in the temporary folder: nothing carries over between runs or into ~/.jupyter.
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
               "--ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
               f"--ServerApp.root_dir={root}", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               f"--LabApp.workspaces_dir={root / 'workspaces'}"]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(root / "settings"), TQDM_DISABLE="1")
    log = open(root / "lab.log", "w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/api", timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"JupyterLab exited: {(root / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        yield base, request.param
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _accept_kernel_dialog(page) -> None:
    """Under load JupyterLab may ask which kernel to start ("Select Kernel"): take the one it
    proposes, the notebook's own (Python 3)."""
    accept = page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
    if accept.count() and accept.first.is_visible():
        accept.first.click()


@pytest.fixture(scope="module")
def lab_page(browser, lab):
    """The notebook open in JupyterLab with its quiz cell run once: ``(page, theme)``."""
    base, theme = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{base}/lab/tree/quiz.ipynb")
    page.get_by_text("Kernel status: Idle").first.wait_for(state="attached")
    # A cell run before the kernel's websocket connects is dropped: run it until it shows.
    for _attempt in range(6):
        try:
            _accept_kernel_dialog(page)
            page.locator(".jp-Notebook .jp-Cell .jp-InputArea-editor").first.click(timeout=20_000)
            page.keyboard.press("Shift+Enter")
            page.wait_for_selector(".cu-quiz-choices input", timeout=20_000)
            break
        except Exception:
            continue
    else:
        shot = Path(os.environ.get("TMPDIR", "/tmp")) / f"lab-quiz-{theme}-failure.png"
        page.screenshot(path=str(shot))
        pytest.fail(f"the quiz cell never produced its widget in JupyterLab (see {shot})")
    yield page, theme
    context.close()


@pytest.mark.parametrize("width", [1024, 1400, 1920])
def test_long_options_do_not_overlap(lab_page, width):
    page, _ = lab_page
    page.set_viewport_size({"width": width, "height": 1000})
    page.wait_for_timeout(300)  # let the layout settle
    assert page.evaluate(OVERLAPS) == []


def test_feedback_is_readable_in_the_theme(lab_page):
    """A wrong answer's feedback keeps AA contrast on the theme's background."""
    page, theme = lab_page
    page.locator(".cu-quiz-choices input[type=radio]").first.check()
    page.get_by_role("button", name="Check").first.click()
    feedback = page.locator(".cu-quiz-feedback.cu-quiz-wrong").first
    feedback.wait_for()
    ratio = page.evaluate(
        """(el) => {
        const rgb = (c) => c.match(/[0-9.]+/g).slice(0, 3).map(Number);
        const lum = (c) => { const v = rgb(c).map((x) => { x /= 255;
          return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
          return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
        let bg = el; let colour = "rgba(0, 0, 0, 0)";
        while (bg && (colour === "rgba(0, 0, 0, 0)" || colour === "transparent")) {
          colour = getComputedStyle(bg).backgroundColor; bg = bg.parentElement; }
        const a = lum(getComputedStyle(el).color), b = lum(colour);
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }""",
        feedback.element_handle(),
    )
    assert ratio >= 4.5, (theme, ratio)


def test_arrow_keys_stay_in_the_radio_group(lab_page):
    """ArrowDown/ArrowUp move the choice within the question (the quiz's helper widget stops
    them before JupyterLab's notebook shortcuts), and focus stays on the radio button."""
    page, _ = lab_page
    radios = page.locator(".cu-quiz-choices").first.locator("input[type=radio]")
    page.wait_for_selector(".cu-quiz-widget [role=radiogroup]")  # the helper is attached
    radios.first.focus()
    page.keyboard.press("Space")
    assert radios.first.is_checked()
    page.keyboard.press("ArrowDown")
    assert radios.nth(1).is_checked()
    page.keyboard.press("ArrowDown")
    assert radios.nth(2).is_checked()
    page.keyboard.press("ArrowUp")
    assert radios.nth(1).is_checked()
    assert radios.nth(1).evaluate("el => el === document.activeElement")
    active = page.locator(".jp-Notebook .jp-Cell.jp-mod-active")
    assert active.locator(".cu-quiz-choices").count() > 0, "another cell became active"
    # Only a radio button's arrows stop: from the Check button, ArrowDown still moves on a cell.
    page.get_by_role("button", name="Check").first.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_selector(".jp-Notebook .jp-Cell.jp-mod-active.jp-MarkdownCell")


def test_quiz_widget_has_screen_reader_semantics(lab_page):
    """Each group of options is a named radiogroup/group; feedback and score are live regions."""
    page, _ = lab_page
    page.wait_for_selector(".cu-quiz-widget [role=radiogroup]")
    found = page.evaluate(
        """() => [...document.querySelectorAll('.cu-quiz-widget .cu-quiz-question')].map(q => {
          const group = q.querySelector('[role=radiogroup], [role=group]');
          const name = group && document.getElementById(group.getAttribute('aria-labelledby'));
          const live = q.querySelector('.cu-quiz-live [aria-live=polite]');
          return [group && group.getAttribute('role'), name && name.innerText, !!live];
        })"""
    )
    assert found == [
        ["radiogroup", "1. Pick the third.", True],
        ["group", "2. Tick a.", True],
    ]
    # the two feedback areas, the score line and the save status
    assert page.locator(".cu-quiz-widget .cu-quiz-live [aria-live=polite]").count() == 4
