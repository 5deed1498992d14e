"""Answers files: Quiz.save writes them, read_answers verifies them, both sides agree on checksums."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import pytest
import yaml

from course_utils._static_html import CANONICAL_JSON_JS, SHA256_JS
from course_utils.quiz import Quiz, load_bank, read_answers
from course_utils.quiz.answers import (
    answers_checksum,
    answers_filename,
    canonical_json,
    make_answers_payload,
    write_answers,
)

BANK = load_bank("10_self_check")
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
    return quiz.save(tmp_path / "answers.json", confirm=True)  # confirm: learner may be None


def test_save_then_read_round_trip(tmp_path):
    path = _saved(tmp_path)
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["format"] == "course-utils-quiz-answers"
    assert payload["format_version"] == 2
    assert payload["quiz"] == "10_self_check" and payload["quiz_version"] == BANK.version
    assert payload["learner"] == "Ada Lovelace"
    assert payload["answers"]["choose-threshold"] == ["costs", "report-test"]
    assert (
        payload["checksum"]
        == hashlib.sha256(
            canonical_json({k: v for k, v in payload.items() if k != "checksum"}).encode()
        ).hexdigest()
    )

    read = read_answers(path)
    assert read.quiz == "10_self_check" and read.learner == "Ada Lovelace"
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
        (lambda p: p.update(format_version=3), True, "format_version"),
        (lambda p: p.update(format_version=True), True, "format_version"),
        (lambda p: p.update(first_try={"seed-f1": "yes"}), True, "first_try"),
        (lambda p: p.update(first_try={"nope": True}), True, "nope"),
        (lambda p: p.update(learner_id=7), True, "learner_id"),
        (lambda p: p.pop("first_try"), True, "missing field"),
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
    copy = folder / "10_self_check.yaml"
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
        make_answers_payload(
            BANK,
            ANSWERS,
            learner_id="s1@uni.example",
            first_try={"seed-f1": True, "fraud-ready": False},
        ),
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


# ------------------------------------------------------------------ format version 2 and version 1


def test_version_2_fields_round_trip_and_are_covered_by_the_checksum(tmp_path):
    payload = make_answers_payload(
        BANK,
        {"seed-precision": ".91", "seed-recall": "0.5"},
        learner=" Ada ",
        learner_id=" s1234567 ",
        first_try={"seed-recall": False, "seed-precision": True},
    )
    assert payload["format_version"] == 2
    assert payload["learner_id"] == "s1234567"
    assert list(payload["first_try"]) == ["seed-precision", "seed-recall"]  # bank order
    path = write_answers(tmp_path / "a.json", payload)
    read = read_answers(path)
    assert (read.learner, read.learner_id, read.format_version) == ("Ada", "s1234567", 2)
    assert read.first_try == {"seed-precision": True, "seed-recall": False}
    assert read.score().n_correct == 1
    first = read.score(first_try=True)
    assert first.correct["seed-precision"] and not first.correct["seed-recall"]
    assert first.answered == ("seed-precision", "seed-recall")
    for field, value in [("learner_id", "s7654321"), ("first_try", {"seed-recall": True})]:
        edited = dict(payload, **{field: value})
        write_answers(tmp_path / "e.json", edited)
        with pytest.raises(ValueError, match="checksum does not match"):
            read_answers(tmp_path / "e.json")


def test_version_1_files_are_still_read(tmp_path):
    payload = make_answers_payload(BANK, {"seed-precision": ".91"}, learner="Ada")
    for field in ("learner_id", "first_try", "checksum"):
        payload.pop(field)
    payload["format_version"] = 1
    payload["checksum"] = answers_checksum(payload)
    read = read_answers(write_answers(tmp_path / "v1.json", payload))
    assert read.format_version == 1 and read.learner_id is None and read.first_try is None
    assert read.score().correct["seed-precision"]
    with pytest.raises(ValueError, match="records no first-try"):
        read.score(first_try=True)


def test_make_answers_payload_refuses_bad_learner_fields():
    with pytest.raises(TypeError, match="`learner_id`"):
        make_answers_payload(BANK, {}, learner_id=123)
    with pytest.raises(ValueError, match=r"`learner`.*surrogate"):
        make_answers_payload(BANK, {}, learner="Eve\ud800")
    with pytest.raises(ValueError, match="at most 200"):
        make_answers_payload(BANK, {}, learner="x" * 201)
    with pytest.raises(TypeError, match="`first_try`"):
        make_answers_payload(BANK, {}, first_try={"seed-f1": 1})
    with pytest.raises(ValueError, match="unknown"):
        make_answers_payload(BANK, {}, first_try={"no-such": True})
    with pytest.raises(ValueError, match="at most 64 digits"):
        make_answers_payload(BANK, {"seed-f1": 10**400})
    with pytest.raises(ValueError, match="finite"):
        make_answers_payload(BANK, {"seed-f1": float("inf")})
    with pytest.raises(ValueError, match="at most 64 characters"):
        make_answers_payload(BANK, {"seed-f1": "9" * 20_000})


@pytest.mark.parametrize(
    ("learner", "expected"),
    [
        ("Ada Lovelace", "10_self_check-ada-lovelace-answers.json"),
        ("Zoë  O'Brien", "10_self_check-zoe-o-brien-answers.json"),
        ("../../etc/passwd", "10_self_check-etc-passwd-answers.json"),
        ("李 😀", "10_self_check-anonymous-answers.json"),
        (None, "10_self_check-anonymous-answers.json"),
        ("", "10_self_check-anonymous-answers.json"),
        ("Eve\ud800\r=cmd", "10_self_check-eve-cmd-answers.json"),
        ("a" * 39 + " b" * 50, "10_self_check-" + "a" * 39 + "-answers.json"),
    ],
)
def test_answers_filename(learner, expected):
    name = answers_filename("10_self_check", learner)
    assert name == expected and name.isascii()
    assert answers_filename(BANK, learner) == expected


def test_answers_filename_refuses_bad_quiz_ids():
    with pytest.raises(ValueError, match="quiz id"):
        answers_filename("../x", "Ada")
    with pytest.raises(TypeError, match="`quiz`"):
        answers_filename(3, "Ada")
    with pytest.raises(TypeError, match="`learner`"):
        answers_filename("q", 3)


# ------------------------------------------------------------------------------- hostile files


def _hostile(tmp_path, text: str | bytes):
    path = tmp_path / "hostile.json"
    if isinstance(text, str):
        text = text.encode("utf-8", "surrogatepass")
    path.write_bytes(text)
    return path


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[" * 200_000, "nested deeper"),
        ('{"a":' * 50_000 + "1" + "}" * 50_000, "nested deeper"),
        ("[[[[[[[[[[[[1]]]]]]]]]]]]", "nested deeper"),
        ("9" * 5_000, "not valid JSON"),
        ("NaN", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (" " * 1_000_001, "larger than"),
    ],
)
def test_hostile_files_are_refused_with_one_line(tmp_path, text, fragment):
    with pytest.raises(ValueError, match=r"hostile\.json") as info:
        read_answers(_hostile(tmp_path, text))
    assert fragment in str(info.value) and "\n" not in str(info.value)


def _valid_except(**changes):
    payload = make_answers_payload(BANK, {"seed-precision": ".91"}, learner="Ada")
    payload.update(changes)
    payload["checksum"] = answers_checksum(payload)
    return payload


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"answers": {"seed-f1": "9" * 20_000}}, "at most 64"),
        ({"answers": {"seed-f1": 10**400}}, "to be text"),
        ({"answers": {"seed-f1": 1e308}}, "to be text"),
        ({"learner": "x" * 5_000}, "`learner`"),
        ({"learner": "Eve\ud800"}, "`learner`"),
        ({"quiz": "../../../etc/passwd"}, "quiz id"),
        ({"answers": {f"q{i}": "a" for i in range(10_000)}}, "unknown"),
        ({"answers": {"fraud-ready": ["x"] * 10_000}}, "fraud-ready"),
    ],
)
def test_hostile_fields_are_refused_with_one_short_line(tmp_path, changes, fragment):
    path = _hostile(tmp_path, json.dumps(_valid_except(**changes)))
    with pytest.raises(ValueError, match=r"hostile\.json") as info:
        read_answers(path)
    message = str(info.value)
    assert fragment in message and "\n" not in message and len(message) < 600


def test_write_answers_is_atomic_and_refuses_unencodable_text(tmp_path):
    path = tmp_path / "a.json"
    good = make_answers_payload(BANK, {}, learner="Ada")
    write_answers(path, good)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="surrogate"):
        write_answers(path, dict(good, learner="Eve\ud800"))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]  # no temporary left


def test_quiz_save_refuses_an_unencodable_name_before_writing(tmp_path, capsys):
    quiz = Quiz(BANK, learner="Eve\udcff")
    quiz.answer("seed-recall", "83%")
    assert quiz.save(tmp_path / "a.json") is None  # a message, never a traceback in a notebook
    assert "surrogate" in capsys.readouterr().out
    assert not (tmp_path / "a.json").exists()
