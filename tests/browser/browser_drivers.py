"""Drive quizzes and explorers in a Playwright page, the way a reader would.

Shared by the tests on self-contained pages (always run) and on the built book.
"""

from __future__ import annotations

import os
from pathlib import Path

from course_utils._static_html import plain_text
from course_utils.quiz import Question, evaluate

ROOT = Path(__file__).resolve().parents[2]
# The built book; COURSE_BUILD_HTML points the tests at another build (e.g. a scratch book).
BUILD_HTML = Path(os.environ.get("COURSE_BUILD_HTML", ROOT / "_build" / "html")).resolve()
BOOK_ROOT = BUILD_HTML.parents[1]  # the folder holding _config.yml and chapters/


def write_page(folder: Path, name: str, *fragments: str) -> Path:
    """A minimal HTML document holding the fragments (what a notebook output would show)."""
    body = "\n".join(fragments)
    path = folder / name
    path.write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{name}</title>'
        f"</head><body><main>{body}</main></body></html>",
        encoding="utf-8",
    )
    return path


def built_pages(marker: str) -> list[Path]:
    """Built chapter pages whose HTML contains ``marker`` (empty if the book is not built)."""
    if not BUILD_HTML.is_dir():
        return []
    return sorted(
        p for p in (BUILD_HTML / "chapters").glob("*.html") if marker in p.read_text("utf-8")
    )


def right_value(question: Question, variant: int = 0):
    """A right answer; numeric answers are typed in the formats learners use."""
    if question.type == "single":
        return question.correct_ids[0]
    if question.type == "multiple":
        return list(question.correct_ids)
    formats = [f"{question.answer:.4f}", f" {question.answer:.4f} ", repr(question.answer)]
    if abs(question.answer) <= 1 and question.tolerance >= 0.0005:
        formats.append(f"{question.answer * 100:.2f}%")
        formats.append(f"{question.answer:.4f}".replace("0.", ".", 1))
    return formats[variant % len(formats)]


def wrong_value(question: Question):
    if question.type == "single":
        return next(o.id for o in question.options if not o.correct)
    if question.type == "multiple":
        return [o.id for o in question.options]  # every option: includes a wrong one
    return repr(question.answer + 10 * question.tolerance + 1)


def expected_feedback(question: Question, value, attempts: int = 0) -> str:
    """The text Python's checker produces (the page must show the same)."""
    return plain_text(evaluate(question, value, attempts=attempts).message)


def question_box(page, quiz_id: str, question_id: str):
    return page.locator(f'[data-quiz="{quiz_id}"] [data-quiz-question="{question_id}"]')


def fill_answer(page, quiz_id: str, question: Question, value) -> None:
    box = question_box(page, quiz_id, question.id)
    if question.type == "numeric":
        box.locator("input[type=text]").fill(value)
        return
    chosen = {value} if question.type == "single" else set(value)
    for option in question.options:
        field = box.locator(f'input[value="{option.id}"]')
        if option.id in chosen:
            field.check()
        elif question.type == "multiple":
            field.uncheck()


def check(page, quiz_id: str, question_id: str) -> str:
    """Press the question's Check button; return the feedback text."""
    box = question_box(page, quiz_id, question_id)
    box.get_by_role("button", name="Check").click()
    return box.locator('[aria-live="polite"]').text_content()


def answer_and_check(page, quiz_id: str, question: Question, value) -> str:
    fill_answer(page, quiz_id, question, value)
    return check(page, quiz_id, question.id)


def run_quiz_right_and_wrong(page, bank) -> None:
    """Answer every question wrong, then right; compare the feedback with Python's."""
    for i, question in enumerate(bank):
        wrong = wrong_value(question)
        text = answer_and_check(page, bank.quiz, question, wrong)
        assert text.startswith("Not quite"), (question.id, text)
        assert text == expected_feedback(question, wrong), question.id
        right = right_value(question, variant=i)
        text = answer_and_check(page, bank.quiz, question, right)
        assert text.startswith("Correct"), (question.id, right, text)
        assert text == expected_feedback(question, right, attempts=1), question.id
    score = page.locator(f'[data-quiz="{bank.quiz}"] [data-quiz-score]').text_content()
    assert score == f"Score: {len(bank)} of {len(bank)} checked correct."


def explorer_state(page, root) -> dict:
    """Numbers shown by an explorer: ``{metric: (text, data-value)}`` plus the marker."""
    return page.evaluate(
        """(root) => {
        const out = {};
        root.querySelectorAll("[data-metric]").forEach((el) => {
          out[el.dataset.metric] = [el.textContent, el.dataset.value];
        });
        const m = root.querySelector("[data-pr-marker]");
        out.marker = [m.getAttribute("cx"), m.getAttribute("cy"), m.getAttribute("visibility")];
        out.index = Number(root.querySelector("input[type=range]").value);
        return out;
    }""",
        root,
    )


def expected_explorer_state(data: dict, index: int) -> dict:
    """What the explorer should show at slider position ``index``, from its embedded data."""
    tp, fp, fn, tn = (data[k][index] for k in ("tp", "fp", "fn", "tn"))
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn)
    f1 = 2 * tp / (2 * tp + fp + fn)
    plot = data["plot"]
    return {
        "threshold": data["thresholds"][index],
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "marker": None
        if precision is None
        else (
            round(plot["left"] + recall * plot["width"], 1),
            round(plot["top"] + (1 - precision) * plot["height"], 1),
        ),
    }


def assert_explorer_matches(page, root, data: dict) -> int:
    """Check every shown number against the embedded data; return the slider index."""
    state = explorer_state(page, root)
    want = expected_explorer_state(data, state["index"])
    for key in ("tp", "fp", "fn", "tn"):
        assert state[key][0] == str(want[key]), key
    for key in ("threshold", "precision", "recall", "f1"):
        text, value = state[key]
        if want[key] is None:
            assert (text, value) == ("n/a", ""), key
            continue
        assert float(value) == want[key], key  # data-value: the unrounded number
        assert float(text) == round(want[key], 3) or abs(float(text) - want[key]) <= 5e-4, key
    if want["marker"] is None:
        assert state["marker"][2] == "hidden"
    else:
        cx, cy = float(state["marker"][0]), float(state["marker"][1])
        assert abs(cx - want["marker"][0]) <= 0.06 and abs(cy - want["marker"][1]) <= 0.06
    return state["index"]


# pydata-sphinx-theme's palette (the variables the course's CSS reads), as the book sets them
# under html[data-theme]: lets a test page check a theme mode that differs from the system one.
THEME_PALETTE = {
    "light": {"text-base": "#222832", "text-muted": "#48566b", "background": "#fff",
              "surface": "#f3f4f5", "border": "#d1d5da", "primary": "#0a7d91",
              "primary-bg": "#d0ecf1", "accent": "#c132af"},
    "dark": {"text-base": "#ced6dd", "text-muted": "#9ca4af", "background": "#14181e",
             "surface": "#29313d", "border": "#48566b", "primary": "#3fb1c5",
             "primary-bg": "#042c33", "accent": "#e47fd7"},
}  # fmt: skip


def theme_palette_css(theme: str) -> str:
    """The theme's ``--pst-color-*`` declarations for ``theme`` ("light" or "dark")."""
    return "; ".join(f"--pst-color-{k}: {v}" for k, v in THEME_PALETTE[theme].items())
