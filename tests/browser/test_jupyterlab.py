"""JupyterLab shows what the book shows: a real JupyterLab server (loopback, a token, a free
port) driven by headless Chromium.

A chapter, normalised by tools/execute_notebooks.py exactly as ``make notebooks`` stores it, with
its glued numbers written in by tools/lab_notebooks.py as ``make lab`` and Binder serve it, is
opened with its stored outputs: MyST admonitions and exercises render (jupyterlab-myst), no raw
``:::{...}`` text shows, glued numbers show instead of their names, claim cells
(``remove-cell``) start hidden, solutions start collapsed. Then the quiz cell alone is run in a
live kernel: the quiz widget appears and its options do not overlap.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from browser_drivers import ROOT

from course_utils.instructor import glue

pytestmark = pytest.mark.browser

CHAPTER = ROOT / "chapters" / "01_rnn_metrics.ipynb"
TOKEN = "course-utils-lab-test"
JUPYTER = Path(sys.executable).with_name("jupyter")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _normaliser():
    """tools/execute_notebooks.py, which stores the chapters as ``make notebooks`` does."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import execute_notebooks
    finally:
        sys.path.pop(0)
    return execute_notebooks


def _settings(folder: Path) -> None:
    """Render every cell (no windowing), and no news pop-up asking to go online."""
    files = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }
    for name, value in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """``(base_url, notebook)``: JupyterLab serving a normalised copy of chapter 1."""
    if not CHAPTER.is_file():
        pytest.skip(f"{CHAPTER.name} is not written yet")
    pytest.importorskip("jupyterlab_myst", reason="make install (requirements: jupyterlab_myst)")
    tmp = tmp_path_factory.mktemp("lab")
    notebooks = tmp / "notebooks"
    notebooks.mkdir()
    execute_notebooks = _normaliser()
    nb = execute_notebooks.normalise(nbformat.read(CHAPTER, as_version=4))
    missing = glue.paste_glue(nb)  # what `make lab` and Binder serve
    assert not missing, f"glued values not stored in {CHAPTER.name}: {missing}"
    nbformat.write(nb, notebooks / CHAPTER.name)
    _settings(tmp / "settings")
    port = _free_port()
    env = os.environ | {
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "PYTHONPATH": str(ROOT),  # the kernel imports this checkout's course_utils
    }
    command = [str(JUPYTER), "lab", "--no-browser", f"--ServerApp.token={TOKEN}"]
    command += ["--port", str(port), "--ip", "127.0.0.1", "--allow-root"]
    command += [f"--ServerApp.root_dir={notebooks}", f"--LabApp.workspaces_dir={tmp / 'ws'}"]
    command += [f"--LabApp.user_settings_dir={tmp / 'settings'}"]
    log = (tmp / "lab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + (tmp / "lab.log").read_text())
                time.sleep(0.3)
        yield base, nb
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(tmp / "runtime", ignore_errors=True)


@pytest.fixture(scope="module")
def lab_page(browser, lab):
    base, nb = lab
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if re.match(r"^(https?|wss?)://127\.0\.0\.1[:/]|^(data|blob):", route.request.url)
            else route.abort()
        ),
    )
    page.set_default_timeout(60_000)
    page.goto(f"{base}/lab/tree/{CHAPTER.name}?token={TOKEN}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell').length >= n",
        arg=len(nb.cells),
    )
    # JupyterLab renders a markdown cell when it first scrolls into view: scroll through.
    page.evaluate(
        """async () => {
        const cells = document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell');
        for (const cell of cells) {
          cell.scrollIntoView();
          await new Promise(r => setTimeout(r, 30));
        }
    }"""
    )
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-MarkdownCell')]
        .every(c => c.classList.contains('jp-mod-rendered'))"""
    )
    yield page, nb
    context.close()


def _cells(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')]
        .map(cell => {
          const input = cell.querySelector('.jp-Cell-inputWrapper .jp-InputArea');
          return {
            markdown: cell.classList.contains('jp-MarkdownCell'),
            inputHidden: !input || input.offsetParent === null,
            placeholder: !!cell.querySelector('.jp-InputPlaceholder'),
            outputHidden: !!cell.querySelector('.jp-OutputPlaceholder')
              || !!cell.querySelector('.jp-Cell-outputWrapper .jp-OutputArea.lm-mod-hidden'),
            text: cell.innerText,
            allText: cell.textContent,
          };
        })"""
    )


def test_lab_renders_myst_like_the_book(lab_page):
    page, nb = lab_page
    cells = _cells(page)
    assert len(cells) == len(nb.cells)
    shown = "\n".join(c["text"] for c in cells if not c["inputHidden"])
    raw = sorted(set(re.findall(r":::\{[\w-]+\}|\{(?:numref|glue:text|doc)\}`", shown)))
    assert not raw, f"raw MyST in JupyterLab: {raw}"
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    admonitions = sum(s.count(":::{admonition}") for s in markdown)
    dropdowns = sum(
        len(re.findall(r":::\{admonition\}[^\n]*\n:class: dropdown", s)) for s in markdown
    )
    cell_admonitions = ".jp-NotebookPanel .jp-MarkdownCell .myst-admonition"
    rendered = page.locator(cell_admonitions).count()
    assert admonitions and rendered >= admonitions, (rendered, admonitions)
    # A dropdown, as in the book, is a closed <details>; the others are an open <aside>.
    folded = page.locator(f"{cell_admonitions}:is(details):not([open])").count()
    assert folded >= dropdowns, (folded, dropdowns)


def test_lab_hides_claims_and_folds_solutions(lab_page):
    page, nb = lab_page
    for cell, dom in zip(nb.cells, _cells(page), strict=True):
        tags = cell.metadata.get("tags", [])
        label = f"{cell.cell_type} cell {cell.source[:50]!r}"
        if "remove-cell" in tags or "solution" in tags:
            assert dom["inputHidden"] and dom["placeholder"], f"{label} is not folded"
            if cell.cell_type == "code" and "setup-install" not in tags:
                assert dom["outputHidden"], f"{label}: its output shows"
        else:
            assert not dom["inputHidden"], f"{label} is hidden but the book shows it"


def test_lab_quiz_widget_runs_live(lab_page):
    page, nb = lab_page
    index = next(i for i, c in enumerate(nb.cells) if "Quiz(" in c.source)
    cell = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)
    # Under load JupyterLab may ask which kernel to start: take the one it proposes.
    accept = page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
    if accept.count() and accept.first.is_visible():
        accept.first.click()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    widget = cell.locator(".jp-OutputArea .jupyter-widgets").first
    try:
        widget.wait_for(state="visible", timeout=90_000)
    except Exception:
        page.screenshot(path=str(Path(os.environ.get("TMPDIR", "/tmp")) / "lab-quiz-failure.png"))
        raise
    labels = cell.locator(".jp-OutputArea label")
    assert labels.count() > 0, "the quiz widget shows no options"
    boxes = [labels.nth(i).bounding_box() for i in range(min(labels.count(), 40))]
    boxes = [b for b in boxes if b and b["width"] and b["height"]]
    for a, b in itertools.pairwise(boxes):
        same_row = abs(a["y"] - b["y"]) < 1
        overlap_y = a["y"] + a["height"] > b["y"] + 1 and b["y"] + b["height"] > a["y"] + 1
        overlap_x = a["x"] + a["width"] > b["x"] + 1 and b["x"] + b["width"] > a["x"] + 1
        assert not (overlap_x and overlap_y and not same_row), f"quiz options overlap: {a} {b}"


def test_lab_shows_glued_numbers_not_their_names(lab_page):
    """jupyterlab-myst has no glue roles (tools/lab_notebooks.py says why), so the notebooks
    served to JupyterLab carry the glued values in their prose: each shows, and no name does."""
    page, nb = lab_page
    execute_notebooks = _normaliser()
    source = execute_notebooks.normalise(nbformat.read(CHAPTER, as_version=4))
    values = glue.glued_values(source)
    names = set()
    for cell in source.cells:
        if cell.cell_type == "markdown":
            names |= {m["body"].split(":")[0] for m in glue.GLUE_ROLE.finditer(cell.source)}
    if not names:
        pytest.skip("the chapter glues no numbers")
    assert names <= set(values), sorted(names - set(values))
    cells = _cells(page)
    shown = "\n".join(c["text"] for c in cells if c["markdown"] and not c["inputHidden"])
    leaked = sorted(name for name in names if re.search(rf"\b{name}\b", shown))
    assert not leaked, f"glue names shown instead of numbers: {leaked[:5]}"
    for original, served, dom in zip(source.cells, nb.cells, cells, strict=True):
        if original.cell_type != "markdown" or dom["inputHidden"]:
            continue
        for match in glue.GLUE_ROLE.finditer(original.source):
            text = glue.glue_text(match["kind"] or "any", match["body"], values)
            # textContent: a value inside a closed dropdown is in the page, not in innerText
            page_text = " ".join(dom["allText"].split())
            assert text in served.source and text in page_text, (match[0], text)
