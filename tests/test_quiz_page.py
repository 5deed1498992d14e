"""The quiz's static HTML: the markup contract, escaping, stable ids, no external requests."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from course_utils.quiz import Quiz, available_banks, load_bank
from course_utils.quiz.page import QUIZ_JS, render_quiz_html


@pytest.fixture(params=available_banks())
def bank(request):
    return load_bank(request.param)


def test_markup_contract(bank):
    soup = BeautifulSoup(render_quiz_html(bank), "html.parser")
    (root,) = soup.select("[data-quiz]")
    assert root["data-quiz"] == bank.quiz and root["id"] == f"cuq-{bank.quiz}"
    questions = root.select("[data-quiz-question]")
    assert [q["data-quiz-question"] for q in questions] == [q.id for q in bank]
    for element, question in zip(questions, bank, strict=True):
        assert element.find("fieldset").find("legend").get_text().strip()
        inputs = element.find_all("input")
        kinds = {"single": "radio", "multiple": "checkbox", "numeric": "text"}
        assert {i["type"] for i in inputs} == {kinds[question.type]}
        for field in inputs:  # every input sits in (and is named by) a label
            label = field.find_parent("label")
            assert label is not None and label["for"] == field["id"]
            assert label.get_text().strip()
        if question.type != "numeric":
            assert [i["value"] for i in inputs] == [o.id for o in question.options]
            assert len({i["name"] for i in inputs}) == 1  # one group per question
        (button,) = element.find_all("button")
        assert button.get_text() == "Check" and button["type"] == "button"
        (feedback,) = element.select('[aria-live="polite"]')
        assert feedback.get_text() == ""
    for label in ("Download answers", "Start over"):
        assert root.find("button", string=label) is not None


def test_ids_are_stable_scoped_and_unique_on_one_page():
    page = "".join(render_quiz_html(load_bank(name)) for name in available_banks())
    soup = BeautifulSoup(page, "html.parser")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "ids clash when every quiz is on one page"
    for name in available_banks():
        assert all(i.startswith("cuq-") for i in ids)
        assert soup.find(id=f"cuq-{name}")
    # No random parts: rendering again gives the same text.
    assert page == "".join(render_quiz_html(load_bank(name)) for name in available_banks())
    assert not re.search(r"[0-9a-f]{32}", page), "looks like a random id"


def test_no_external_resources():
    page = render_quiz_html(load_bank("10_self_check"))
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.find_all(src=True) and not soup.find_all("link")
    assert "http://" not in page and "https://" not in page
    assert "require(" not in page and "import(" not in page


def _hostile_bank(tmp_path):
    evil = '</script><script>window.pwned = 1</script><img src=x onerror="alert(1)"> & "q"'
    data = {
        "quiz": "evil",
        "title": f"Title {evil}",
        "version": "1",
        "questions": [
            {
                "id": "q1",
                "type": "single",
                "prompt": f"Prompt {evil} `a < b`",
                "options": [
                    {"id": "a", "text": f"A {evil}", "correct": True, "feedback": f"F {evil}"},
                    {"id": "b", "text": "B", "correct": False, "feedback": "No."},
                ],
                "explanation": f"E {evil}",
            }
        ],
    }
    path = tmp_path / "evil.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return load_bank(path)


def test_text_is_escaped(tmp_path):
    page = render_quiz_html(_hostile_bank(tmp_path))
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.find("img")
    scripts = soup.find_all("script")
    assert len(scripts) == 2  # the JSON data and the code, nothing injected
    assert "window.pwned" not in scripts[1].get_text()
    assert "<script>window" not in scripts[0].get_text()  # no raw "<" inside the JSON
    legend = soup.find("legend").get_text()
    assert "<img src=x" in legend  # shown as text
    assert soup.find("legend").find("code").get_text() == "a < b"


def test_quiz_mimebundle_outside_a_kernel():
    bundle = Quiz("01_rnn_metrics")._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert bundle["text/html"] == render_quiz_html(load_bank("01_rnn_metrics"))
    assert "01_rnn_metrics" in bundle["text/plain"]
    assert "0x" not in bundle["text/plain"]  # no memory address: nbval compares it


STATIC = Path(__file__).resolve().parents[1] / "course_utils" / "static"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("name", ["page-script", *sorted(p.name for p in STATIC.glob("*.js"))])
def test_scripts_are_valid_javascript(tmp_path, name):
    """Every static script, and the quiz script as the page inlines it, parses."""
    script = QUIZ_JS if name == "page-script" else (STATIC / name).read_text("utf-8")
    path = tmp_path / "script.js"
    path.write_text(script, encoding="utf-8")
    subprocess.run(["node", "--check", str(path)], check=True, capture_output=True)
