"""Quizzes on self-contained pages (rendered from ``Quiz.to_html()``) in headless Chromium."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import yaml
from browser_drivers import (
    answer_and_check,
    check,
    expected_feedback,
    fill_answer,
    question_box,
    right_value,
    run_quiz_right_and_wrong,
    theme_palette_css,
    write_page,
    wrong_value,
)

from course_utils.quiz import Quiz, available_banks, load_bank, read_answers
from course_utils.quiz.answers import answers_filename, learner_slug
from course_utils.quiz.checking import (
    MAX_NUMBER_LENGTH,
    MESSAGES,
    NUMBER_PATTERN,
    evaluate,
    parse_number,
)
from course_utils.quiz.page import SAVE_MESSAGES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One page per bank, and one page with two quizzes side by side."""
    folder = tmp_path_factory.mktemp("quiz-site")
    for name in available_banks():
        write_page(folder, f"{name}.html", Quiz(name).to_html())
    write_page(
        folder,
        "two.html",
        "<p>Before</p>",
        Quiz("01_rnn_metrics").to_html(),
        "<p>Between</p>",
        Quiz("10_self_check").to_html(),
    )
    return folder


@pytest.fixture
def open_page(page, serve, site):
    base = serve(site)

    def open_(name: str):
        page.goto(f"{base}/{name}")
        return page

    yield open_
    assert page.errors == [], page.errors
    assert page.blocked == [], f"the quiz page requested other hosts: {page.blocked}"


@pytest.mark.parametrize("name", available_banks())
def test_right_and_wrong_answers_give_the_right_feedback(open_page, name):
    page = open_page(f"{name}.html")
    run_quiz_right_and_wrong(page, load_bank(name))


def test_malformed_and_empty_answers(open_page):
    page = open_page("10_self_check.html")
    bank = load_bank("10_self_check")
    assert check(page, bank.quiz, "fraud-ready") == MESSAGES["choose_one"]
    assert check(page, bank.quiz, "choose-threshold") == MESSAGES["choose_some"]
    for garbage in ("ninety", "0,91", "   ", "1e400", "1/0"):
        question = bank.question("seed-precision")
        assert answer_and_check(page, bank.quiz, question, garbage) == MESSAGES["number_percent"]
    question = bank.question("seed-precision")
    assert answer_and_check(page, bank.quiz, question, "91") == f"Not quite. {MESSAGES['percent']}"
    # Enter in the text box checks too.
    box = question_box(page, bank.quiz, "seed-precision")
    box.locator("input").fill(".91")
    box.locator("input").press("Enter")
    assert box.locator('[aria-live="polite"]').text_content().startswith("Correct")


def test_explanation_after_two_wrong_tries_and_start_over(open_page):
    page = open_page("10_self_check.html")
    question = load_bank("10_self_check").question("fraud-ready")
    wrong = wrong_value(question)
    first = answer_and_check(page, "10_self_check", question, wrong)
    second = check(page, "10_self_check", question.id)
    assert "Explanation" not in first and second.endswith(question.explanation)
    assert second == expected_feedback(question, wrong, attempts=1)
    answer_and_check(page, "10_self_check", question, right_value(question))
    page.get_by_role("button", name="Start over").click()
    box = question_box(page, "10_self_check", question.id)
    assert box.locator('[aria-live="polite"]').text_content() == ""
    assert box.locator("input:checked").count() == 0
    assert page.locator("[data-quiz-score]").text_content().startswith("Score: 0 of")


LONG = "A long option that wraps onto several lines on a narrow page, " * 4
SMALL_BANK = {
    "quiz": "keys",
    "title": "Keyboard",
    "version": "1",
    "questions": [
        {"id": "pick", "type": "single", "prompt": "Pick c.", "explanation": "E.", "options": [
            {"id": "a", "text": LONG, "correct": False, "feedback": "No.", "misconception": "M."},
            {"id": "b", "text": "B " + LONG, "correct": False, "feedback": "No."},
            {"id": "c", "text": "C", "correct": True, "feedback": "Yes."}]},
        {"id": "share", "type": "numeric", "prompt": "Share?", "explanation": "E.",
         "answer": 0.88, "tolerance": 0.001},
        {"id": "ticks", "type": "multiple", "prompt": "Tick a and c.", "explanation": "E.",
         "options": [
            {"id": "a", "text": "A", "correct": True, "feedback": "Yes."},
            {"id": "b", "text": "B", "correct": False, "feedback": "No."},
            {"id": "c", "text": "C", "correct": True, "feedback": "Yes."}]},
    ],
}  # fmt: skip


@pytest.fixture
def small_page(open_page, site):
    path = site / "keys.yaml"
    path.write_text(yaml.safe_dump(SMALL_BANK), encoding="utf-8")
    write_page(site, "keys.html", Quiz(load_bank(path)).to_html())
    return open_page("keys.html"), load_bank(path)


def test_keyboard_only(small_page):
    """Tab to the first question, answer with arrows/Space, check with Enter; a text answer
    with typing and Enter; a checkbox with Space. The focus is visible. Arrow keys in a radio
    group stay there: they do not reach the document (where JupyterLab would move cells)."""
    page, bank = small_page
    page.evaluate(
        "window.arrowsSeen = 0; document.addEventListener('keydown', (e) => {"
        " if (e.key.startsWith('Arrow')) window.arrowsSeen += 1; });"
    )
    first, second, multiple = bank.questions
    index = [o.id for o in first.options].index(first.correct_ids[0])

    page.keyboard.press("Tab")  # into the first radio group
    page.keyboard.press("Space")  # selects the first option
    for _ in range(index):
        page.keyboard.press("ArrowDown")  # moves the selection down
    assert page.evaluate("window.arrowsSeen") == 0
    page.keyboard.press("Tab")  # the group is one stop: on to "Check"
    assert page.evaluate("document.activeElement.textContent") == "Check"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "keyboard focus must be visible"
    page.keyboard.press("Enter")
    feedback = question_box(page, bank.quiz, first.id).locator('[aria-live="polite"]')
    assert feedback.text_content().startswith("Correct")

    page.keyboard.press("Tab")  # the numeric question's text box
    page.keyboard.type("88 %")
    page.keyboard.press("Enter")
    feedback = question_box(page, bank.quiz, second.id).locator('[aria-live="polite"]')
    assert feedback.text_content().startswith("Correct")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # buttons respond to Space as well
    assert feedback.text_content().startswith("Correct")

    box = question_box(page, bank.quiz, multiple.id)
    box.locator("input").first.focus()
    for i, option in enumerate(multiple.options):
        if option.correct:
            page.keyboard.press("Space")
        if i < len(multiple.options) - 1:
            page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert box.locator('[aria-live="polite"]').text_content().startswith("Correct")


@pytest.mark.parametrize("width", [390, 1024, 1400])
def test_long_options_do_not_overlap(small_page, width):
    page, bank = small_page
    page.set_viewport_size({"width": width, "height": 900})
    labels = question_box(page, bank.quiz, "pick").locator("label")
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    for above, below in itertools.pairwise(boxes):
        assert above["y"] + above["height"] <= below["y"] + 0.5, (width, above, below)
    # Each radio sits inside its own label's box.
    radios = question_box(page, bank.quiz, "pick").locator("input")
    for i, box in enumerate(boxes):
        radio = radios.nth(i).bounding_box()
        assert box["y"] - 0.5 <= radio["y"] <= box["y"] + box["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_misconception_in_the_feedback(small_page):
    page, bank = small_page
    question = bank.question("pick")
    text = answer_and_check(page, bank.quiz, question, "a")
    assert text == "Not quite. No. Misconception: M." == expected_feedback(question, "a")


def test_download_answers_reads_back_and_scores(open_page, tmp_path):
    page = open_page("10_self_check.html")
    bank = load_bank("10_self_check")
    chosen = {
        "fraud-ready": right_value(bank.question("fraud-ready")),
        "seed-precision": " .91 ",
        "seed-recall": "0.5",  # wrong
        "seed-f1": "not a number",
        "choose-threshold": list(reversed(bank.question("choose-threshold").correct_ids)),
        "overfitting-signs": [bank.question("overfitting-signs").options[-1].id],
    }
    for qid, value in chosen.items():
        fill_answer(page, bank.quiz, bank.question(qid), value)
    check(page, bank.quiz, "fraud-ready")  # checked once, right: first_try records it
    check(page, bank.quiz, "seed-recall")  # wrong at first ...
    fill_answer(page, bank.quiz, bank.question("seed-recall"), "0.8333")
    check(page, bank.quiz, "seed-recall")  # ... then right: first_try stays False
    fill_answer(page, bank.quiz, bank.question("seed-recall"), "0.5")
    page.get_by_label("Your name").fill("  Zoë O'Brien <3  ")
    page.get_by_label("Learner id").fill(" s1234567 ")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download answers").click()
    download = info.value
    assert download.suggested_filename == answers_filename(bank, "Zoë O'Brien <3")
    assert download.suggested_filename == "10_self_check-zoe-o-brien-3-answers.json"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    answers = read_answers(path)  # verifies the checksum the page computed
    assert answers.learner == "Zoë O'Brien <3" and answers.learner_id == "s1234567"
    assert answers.first_try == {"fraud-ready": True, "seed-recall": False}
    assert answers.quiz_version == bank.version
    expected = dict(chosen)
    expected["choose-threshold"] = list(bank.question("choose-threshold").correct_ids)
    assert answers.answers == expected  # raw text as typed, option ids in bank order
    result = answers.score()
    assert result.n_correct == 3
    assert result.correct["fraud-ready"] and result.correct["seed-precision"]
    assert not result.correct["seed-recall"] and not result.correct["seed-f1"]

    # The same answers saved from Python give the same file contents (checksum included).
    quiz = Quiz(bank, learner="Zoë O'Brien <3", learner_id="s1234567")
    for qid, value in chosen.items():
        quiz.answer(qid, value)
    quiz.ui.questions["fraud-ready"].first_try = True
    quiz.ui.questions["seed-recall"].first_try = False
    assert json.loads(quiz.save(tmp_path / "live.json").read_text("utf-8")) == json.loads(
        path.read_text("utf-8")
    )


def test_download_with_no_name_or_no_answers_asks_first(open_page, tmp_path):
    """Issue 15: the first press explains what is missing; a second press downloads."""
    page = open_page("01_rnn_metrics.html")
    bank = load_bank("01_rnn_metrics")
    status = page.locator(f'[data-quiz="{bank.quiz}"] [data-quiz-status]')
    button = page.get_by_role("button", name="Download answers")
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    button.click()
    text = status.text_content()
    assert SAVE_MESSAGES["save_empty"] in text and SAVE_MESSAGES["save_no_name"] in text
    assert "Download answers again" in text and downloads == []
    question = bank.questions[0]
    fill_answer(page, bank.quiz, question, right_value(question))
    button.click()  # something changed: asks again (no name yet)
    assert SAVE_MESSAGES["save_no_name"] in status.text_content()
    assert SAVE_MESSAGES["save_empty"] not in status.text_content() and downloads == []
    with page.expect_download() as info:
        button.click()  # the same again: saves, anonymous
    assert info.value.suggested_filename == f"{bank.quiz}-anonymous-answers.json"
    assert status.text_content() == f"Saved {bank.quiz}-anonymous-answers.json."


def test_two_quizzes_on_one_page_do_not_clash(open_page):
    page = open_page("two.html")
    rnn, self_check = load_bank("01_rnn_metrics"), load_bank("10_self_check")
    question = rnn.questions[0]
    assert answer_and_check(page, rnn.quiz, question, right_value(question)).startswith("Correct")
    rnn_score = page.locator(f'[data-quiz="{rnn.quiz}"] [data-quiz-score]')
    other_score = page.locator(f'[data-quiz="{self_check.quiz}"] [data-quiz-score]')
    assert rnn_score.text_content().startswith("Score: 1 of")
    assert other_score.text_content().startswith("Score: 0 of")
    run_quiz_right_and_wrong(page, self_check)
    assert rnn_score.text_content().startswith("Score: 1 of")
    assert page.evaluate("document.querySelectorAll('[data-quiz-ready]').length") == 2


def test_javascript_rules_match_python(open_page):
    """parse_number and every question's feedback, computed by the page's script."""
    page = open_page("10_self_check.html")
    texts = ["0.91", ".91", "91%", " 0.91 ", "91", "-2", "+.5", "1.", "9.1e-1", "", "abc",
             "0,91", "1/2", "91 %", "%", ".", "0.9.1", "nan", "Infinity", "1e", "--1", "0x10",
             "10/11", " 10 / 11 ", "1/0", "1/-2", "85\u00a0%", "1e400", "-1e400", "1e200/1e-200",
             "\u0663", "1 000", "\u00bd", "1" * MAX_NUMBER_LENGTH, "1" * 20_000,
             "\t0.5\n", "2.5e-3%", "0/5", "-0"]  # fmt: skip
    parsed = page.evaluate(
        """([texts, pattern, n]) => texts.map((t) => {
            const p = window.CourseUtilsQuiz.readNumber(t, pattern, n);
            return p === null ? null : [p.value, p.percent];
        })""",
        [texts, NUMBER_PATTERN, MAX_NUMBER_LENGTH],
    )
    from course_utils.quiz.checking import read_number

    assert parsed == [None if read_number(t) is None else list(read_number(t)) for t in texts]
    assert [p and p[0] for p in parsed] == [parse_number(t) for t in texts]
    names = ["Zoë O'Brien", " 李 ", "", "Ada\tLovelace", "x" * 60, "Ōsaka-Ünal", "ﬁnn", "A--B  "]
    slugs = page.evaluate("(names) => names.map((n) => window.CourseUtilsQuiz.slug(n))", names)
    assert slugs == [learner_slug(n) for n in names]

    bank = load_bank("10_self_check")
    cases = []
    for question in bank:
        values = [right_value(question), wrong_value(question), None]
        if question.type == "numeric":
            values += ["junk", "91", "100%", "1/3", "85 %", "1e400"]
        if question.type == "multiple":
            values += [[], list(question.correct_ids[:1]), [question.correct_ids[-1]]]
        for value in values:
            for attempts in (0, 1):
                cases.append((question.id, value, attempts))
    shown = page.evaluate(
        """(cases) => {
        const root = document.querySelector('[data-quiz="10_self_check"]');
        const data = JSON.parse(root.querySelector("script[data-quiz-data]").textContent);
        const div = document.createElement("div");
        return cases.map(([qid, value, attempts]) => {
          const q = data.questions.find((x) => x.id === qid);
          const v = window.CourseUtilsQuiz.evaluate(data, q, value, attempts);
          div.innerHTML = v.message;
          return [v.correct, div.textContent];
        });
    }""",
        cases,
    )
    for (qid, value, attempts), (correct, text) in zip(cases, shown, strict=True):
        verdict = evaluate(bank.question(qid), value, attempts=attempts)
        assert correct == verdict.correct, (qid, value)
        assert text == expected_feedback(bank.question(qid), value, attempts), (qid, value)


def test_page_works_from_a_file_url(page, site):
    """Opened straight from disk (file://), with no server: checking and downloading work."""
    page.goto((site / "01_rnn_metrics.html").as_uri())
    bank = load_bank("01_rnn_metrics")
    question = bank.questions[0]
    assert answer_and_check(page, bank.quiz, question, right_value(question)).startswith("Correct")
    page.get_by_label("Your name").fill("Ada")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download answers").click()
    assert json.loads(open(info.value.path(), encoding="utf-8").read())["answers"] == {
        question.id: right_value(question)
    }
    assert page.errors == [] and page.blocked == []


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


@pytest.mark.parametrize(
    ("system", "theme"),
    [("light", None), ("dark", None), ("light", "light"), ("light", "dark"), ("dark", "light")],
)
def test_readable_in_light_and_dark(browser, serve, tmp_path, system, theme):
    """Issue 14: WCAG AA (axe) in every state a learner sees: right, wrong, asked to choose,
    the save question; colours follow the theme's mode, else the system setting."""
    bank = load_bank("10_self_check")
    body = Quiz(bank).to_html()
    attribute, style = "", ""
    if theme is not None:
        attribute = f' data-theme="{theme}"'
        palette = theme_palette_css(theme)
        style = (
            f"<style>html[data-theme={theme}] {{ {palette} }} body {{ "
            "background: var(--pst-color-background); color: var(--pst-color-text-base); }</style>"
        )
    elif system == "dark":
        style = "<style>body { background: #14181e; color: #ced6dd; }</style>"
    (tmp_path / "q.html").write_text(
        f'<!DOCTYPE html><html lang="en"{attribute}><head><meta charset="utf-8"><title>q</title>'
        f"{style}</head><body><main>{body}</main></body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(color_scheme=system)
    page = context.new_page()
    try:
        page.goto(f"{serve(tmp_path)}/q.html")
        questions = list(bank)
        right, wrong, empty = questions[0], questions[1], questions[2]
        answer_and_check(page, bank.quiz, right, right_value(right))
        answer_and_check(page, bank.quiz, wrong, wrong_value(wrong))
        check(page, bank.quiz, empty.id)
        page.get_by_role("button", name="Download answers").click()  # the save question
        page.get_by_label("Your name").fill("Ada")
        violations = _axe_on(page, f'[data-quiz="{bank.quiz}"]')
        assert violations == [], violations
        colours = page.evaluate(
            """(root) => { const r = document.querySelector(root); const s = getComputedStyle(r);
            return [s.color, s.backgroundColor]; }""",
            f'[data-quiz="{bank.quiz}"]',
        )
        dark = theme == "dark" or (theme is None and system == "dark")
        text_luminance = sum(int(c) for c in colours[0][4:-1].split(",")[:3])
        assert (text_luminance > 382) == dark, colours  # light text exactly in dark mode
    finally:
        context.close()
