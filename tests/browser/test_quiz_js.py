"""Unit tests of the quiz's JavaScript (course_utils/static/*.js) in headless Chromium.

The files are loaded as plain scripts into an empty page (no quiz, no network), so their
functions are globals; each is compared with the Python function it mirrors.
"""

from __future__ import annotations

import hashlib
import json
import random

import pytest

from course_utils._static_html import inline_js
from course_utils.quiz import load_bank
from course_utils.quiz.answers import canonical_json, learner_slug, make_answers_payload
from course_utils.quiz.checking import MAX_NUMBER_LENGTH, NUMBER_PATTERN, read_number
from course_utils.quiz.page import _page_data
from course_utils.quiz.types import QUESTION_TYPES

pytestmark = pytest.mark.browser

FILES = ["sha256.js", "canonical-json.js", "quiz-number.js", "quiz.js"]


@pytest.fixture(scope="module")
def js(browser):
    """A page with the quiz's scripts loaded; ``js(expression, arg)`` evaluates in it."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error.message))
    scripts = [*FILES, *(kind.js_file for kind in QUESTION_TYPES.values()), "quiz-start.js"]
    page.set_content(f"<!DOCTYPE html><title>js</title><script>{inline_js(*scripts)}</script>")
    yield page.evaluate
    assert errors == []
    context.close()


def _number_texts() -> list[str]:
    rng = random.Random(0)
    texts = ["0", "-0", "+.5", "1.", "9.1e-1", "1E+2", "85 %", "85\u00a0%", "10/11", "1/3",
             "2/0", "1e308", "1e309", "1e-400", "4.9e-324", "1/1e-320", "12%%", "1,5", "1 /",
             "\u0663", "\uff11", "\u00bd", "1_000", "0b1", "1" * MAX_NUMBER_LENGTH,
             " \t1\n", "\u20071", "1\u2009%"]  # fmt: skip
    for _ in range(300):
        x = rng.choice([rng.uniform(-1, 1), rng.lognormvariate(0, 5), rng.randint(0, 10**6)])
        form = rng.choice(["{!r}", "{:.3f}", "{:.2e}", "{:.1f}%", "{:g} %", "{:.0f}/7"])
        texts.append(form.format(x))
    return texts


def test_number_parsing_matches_python(js):
    texts = _number_texts()
    got = js(
        """([texts, pattern, n]) => texts.map((t) => {
            const p = cuParseNumber(t, pattern, n);
            return p === null ? null : [p.value, p.percent];
        })""",
        [texts, NUMBER_PATTERN, MAX_NUMBER_LENGTH],
    )
    want = [None if read_number(t) is None else list(read_number(t)) for t in texts]
    assert got == want


def test_number_parsing_refuses_hostile_input(js):
    """20 kB of digits: refused by length before any matching (the budget for matching itself
    is in benchmarks/quiz.py); matched directly, the pattern finds no number in it."""
    got = js(
        """([pattern]) => {
            const text = "1".repeat(20000) + "x";
            return [cuParseNumber(text, pattern, 64), new RegExp(pattern).test(text)];
        }""",
        [NUMBER_PATTERN],
    )
    assert got == [None, False]


@pytest.mark.parametrize("length", [0, 1, 55, 56, 63, 64, 65, 1000])
def test_sha256_matches_hashlib(js, length):
    text = ("aé✓😀" * length)[:length]
    assert js("(t) => cuSha256Hex(t)", text) == hashlib.sha256(text.encode()).hexdigest()


def test_canonical_json_matches_python(js):
    values = [
        {"b": [1, "é"], "a": None, "c": {"z": True, "y": False}},
        {"learner": 'Zoë \u2028 \x7f \x01 "q" \\ 😀', "answers": {"q": ["a", "b"]}},
        {"first_try": {}, "learner_id": None, "format_version": 2},
    ]
    assert js("(vs) => vs.map(cuCanonicalJson)", values) == [canonical_json(v) for v in values]


def test_slug_and_file_name_match_python(js):
    names = ["Zoë O'Brien", " 李 ", "", "Ada\tLovelace", "x" * 60, "Ōsaka-Ünal", "ﬁnn", "-A--B- "]
    got = js("(ns) => ns.map((n) => [cuQuizSlug(n), cuQuizFilename('q1', n)])", names)
    assert got == [[learner_slug(n), f"q1-{learner_slug(n)}-answers.json"] for n in names]


def test_fill_keeps_dollar_signs_literal(js):
    assert js("() => cuQuizFill('M: {text}.', 'text', '$& $1 $$')") == "M: $& $1 $$."


def test_payload_checksum_matches_python(js):
    bank = load_bank("01_rnn_metrics")
    first = bank.questions[0]
    answers = {first.id: first.kind.file_value(first, _any_answer(first))}
    python = make_answers_payload(
        bank, answers, learner="Zoë", learner_id="s1", first_try={first.id: False}
    )
    page = js(
        "([data, answers, first]) => cuQuizPayload(data, answers, 'Zoë', 's1', first)",
        [_page_data(bank), answers, {first.id: False}],
    )
    assert page == json.loads(json.dumps(python))


def _any_answer(question):
    if question.type == "single":
        return question.options[0].id
    if question.type == "multiple":
        return [question.options[0].id]
    return "1/2"
