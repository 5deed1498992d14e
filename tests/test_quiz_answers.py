"""Answers files: Quiz.save writes them, read_answers verifies them, both sides agree on checksums."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import pytest
import yaml

from course_utils._static_html import CANONICAL_JSON_JS, SHA256_JS
from course_utils.quiz import (
    Quiz,
    answers_checksum,
    canonical_json,
    load_bank,
    make_answers_payload,
    read_answers,
    write_answers,
)

BANK = load_bank("05_self_check")
ANSWERS = {
    "fraud-ready": "not-ready",
    "seed-precision": ".91",
    "seed-recall": "50%",
    "choose-threshold": ["report-test", "costs"],  # saved in bank order
}


def _saved(tmp_path, learner="Ada Lovelace"):
    quiz = Quiz(BANK, learner=learner)
    for qid, value in ANSWERS.items():
        quiz.answer(qid, value)
    return quiz.save(tmp_path / "answers.json")


def test_save_then_read_round_trip(tmp_path):
    path = _saved(tmp_path)
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["format"] == "course-utils-quiz-answers"
    assert payload["format_version"] == 1
    assert payload["quiz"] == "05_self_check" and payload["quiz_version"] == BANK.version
    assert payload["learner"] == "Ada Lovelace"
    assert payload["answers"]["choose-threshold"] == ["costs", "report-test"]
    assert (
        payload["checksum"]
        == hashlib.sha256(
            canonical_json({k: v for k, v in payload.items() if k != "checksum"}).encode()
        ).hexdigest()
    )

    read = read_answers(path)
    assert read.quiz == "05_self_check" and read.learner == "Ada Lovelace"
    assert read.answers["seed-precision"] == ".91"  # the raw text, as typed
    result = read.score()
    assert result.correct["fraud-ready"] and result.correct["seed-precision"]
    assert not result.correct["seed-recall"] and not result.correct["choose-threshold"]
    assert result.n_correct == 2


def test_unicode_learner_and_no_learner(tmp_path):
    path = _saved(tmp_path, learner="Zoë 李 😀")
    assert read_answers(path).learner == "Zoë 李 😀"
    assert read_answers(_saved(tmp_path, learner=None)).learner is None
    assert make_answers_payload(BANK, {}, learner="   ")["learner"] is None


def _tamper(tmp_path, edit, *, fix_checksum=True):
    path = _saved(tmp_path)
    payload = json.loads(path.read_text(encoding="utf-8"))
    edit(payload)
    if fix_checksum:
        payload["checksum"] = answers_checksum(payload)
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "fix", "fragment"),
    [
        (lambda p: p["answers"].update({"seed-recall": "0.83"}), False, "checksum does not match"),
        (lambda p: p.update(learner="Mallory"), False, "checksum does not match"),
        (lambda p: p.update(format="something-else"), True, "not a quiz answers file"),
        (lambda p: p.update(format_version=2), True, "format_version"),
        (lambda p: p.update(quiz="99_unknown"), True, "unknown quiz '99_unknown'"),
        (lambda p: p.update(quiz_version="0"), True, "version '0'"),
        (lambda p: p["answers"].update({"no-such-question": "a"}), True, "no-such-question"),
        (lambda p: p["answers"].update({"fraud-ready": "perhaps"}), True, "fraud-ready"),
        (lambda p: p.pop("learner"), True, "missing field"),
        (lambda p: p.update(answers=["x"]), True, "`answers`"),
    ],
)
def test_read_answers_rejects(tmp_path, edit, fix, fragment):
    path = _tamper(tmp_path, edit, fix_checksum=fix)
    with pytest.raises(ValueError, match=r"answers\.json") as info:
        read_answers(path)
    assert fragment in str(info.value)


def test_read_answers_malformed_and_missing(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.json: not valid JSON"):
        read_answers(bad)
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a JSON object"):
        read_answers(bad)
    with pytest.raises(ValueError, match="cannot read"):
        read_answers(tmp_path / "absent.json")
    with pytest.raises(TypeError, match="`path`"):
        read_answers(3)


def test_read_answers_with_an_explicit_bank(tmp_path):
    """A bank from another folder (an instructor's copy) is used as given."""
    folder = tmp_path / "banks"
    folder.mkdir()
    copy = folder / "05_self_check.yaml"
    copy.write_text(yaml.safe_dump(BANK.to_dict(), sort_keys=False), encoding="utf-8")
    path = _saved(tmp_path)
    assert read_answers(path, bank=load_bank(copy)).bank.source == copy
    with pytest.raises(ValueError, match="not '01_rnn_metrics'"):
        read_answers(path, bank=load_bank("01_rnn_metrics"))


def test_write_answers_is_plain_utf8_json(tmp_path):
    payload = make_answers_payload(BANK, {"seed-f1": 0.87}, learner="Zoë")
    assert payload["answers"] == {"seed-f1": "0.87"}  # numbers are stored as text
    path = write_answers(tmp_path / "a.json", payload)
    assert "Zoë" in path.read_text(encoding="utf-8")
    assert read_answers(path).score().correct["seed-f1"]


# ------------------------------------------------- the page's JavaScript computes the same checksum


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_javascript_checksum_matches_python():
    payloads = [
        make_answers_payload(BANK, ANSWERS, learner='Zoë 李 😀 "quoted" \\ back\nslash'),
        make_answers_payload(BANK, {}, learner=None),
        make_answers_payload(BANK, {"seed-f1": "  0,87 \u2028 \x7f"}, learner="\x01"),
    ]
    strings = ["", "abc", "a" * 55, "a" * 56, "a" * 64, "a" * 1000, "héllo ✓ 😀"]
    script = (
        SHA256_JS
        + CANONICAL_JSON_JS
        + f"var payloads = {json.dumps(payloads)}; var strings = {json.dumps(strings)};"
        + "console.log(JSON.stringify({"
        + "canonical: payloads.map(function (p) { var c = Object.assign({}, p);"
        + " delete c.checksum; return cuCanonicalJson(c); }),"
        + "hashes: strings.map(cuSha256Hex)}));"
    )
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    for payload, canonical in zip(payloads, result["canonical"], strict=True):
        body = {k: v for k, v in payload.items() if k != "checksum"}
        assert canonical == canonical_json(body)
        assert hashlib.sha256(canonical.encode()).hexdigest() == payload["checksum"]
    assert result["hashes"] == [hashlib.sha256(s.encode()).hexdigest() for s in strings]
