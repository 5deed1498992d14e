"""Item-writing standards for the quiz banks (CONTRIBUTING.md, "Writing quiz items").

The banks are read as raw YAML, so these checks do not depend on what the parser keeps:

- the right option of a single-choice item is not predictably the longest (at most a third
  of a bank's single-choice items, rounded down) nor predictably the shortest (at most a
  third, rounded up);
- every wrong option of a choice item names the misconception it stands for;
- no item gives its answer away (a numeric prompt or hint does not contain the answer; a
  prompt does not repeat its right option);
- every number in an explanation, a feedback or a hint is a given of the item, or a value
  the tests recompute here with ``course_utils.metrics`` (``WORKED``);
- a bank's answer key is pinned to its ``version`` (``PINNED``): change an answer, bump the
  version;
- every item names the learning objectives it tests (``objectives:``), and they exist in the
  chapters' "Learning objectives" boxes; every exercise has its objectives in
  ``course_utils.instructor.guide.EXERCISE_OBJECTIVES``; every objective of every chapter is
  assessed by at least one item or exercise.

Each check is a small function that returns the problems it finds, and each is also run on a
bank built to fail it, so a check that silently passes everything is caught too.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BANK_DIR = ROOT / "course_utils" / "quizzes"
BANKS = sorted(path.stem for path in BANK_DIR.glob("*.yaml"))
CHOICE = ("single", "multiple")


def raw_bank(name: str) -> dict:
    return yaml.safe_load((BANK_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def single_items(bank: dict) -> list[dict]:
    return [q for q in bank["questions"] if q["type"] == "single"]


# ------------------------------------------------------------------------------ the checks


def length_ranks(bank: dict) -> tuple[list[str], list[str], int]:
    """Ids of single-choice items whose right option is strictly the longest, and strictly
    the shortest, and the number of single-choice items."""
    longest, shortest = [], []
    items = single_items(bank)
    for q in items:
        right = [len(o["text"]) for o in q["options"] if o["correct"]]
        wrong = [len(o["text"]) for o in q["options"] if not o["correct"]]
        if right[0] > max(wrong):
            longest.append(q["id"])
        if right[0] < min(wrong):
            shortest.append(q["id"])
    return longest, shortest, len(items)


def length_problems(bank: dict) -> list[str]:
    longest, shortest, n = length_ranks(bank)
    problems = []
    if len(longest) > n // 3:
        problems.append(
            f"the right option is the longest in {len(longest)} of {n} single-choice items "
            f"(at most {n // 3}): {longest}"
        )
    if len(shortest) > -(-n // 3):
        problems.append(
            f"the right option is the shortest in {len(shortest)} of {n} single-choice items "
            f"(at most {-(-n // 3)}): {shortest}"
        )
    return problems


def misconception_problems(bank: dict) -> list[str]:
    problems = []
    for q in bank["questions"]:
        if q["type"] not in CHOICE:
            continue
        named = []
        for o in q["options"]:
            text = o.get("misconception")
            if o["correct"]:
                if text is not None:
                    problems.append(f"{q['id']}/{o['id']}: a right option names no misconception")
                continue
            if not isinstance(text, str) or len(text.split()) < 3:
                problems.append(f"{q['id']}/{o['id']}: a wrong option needs a `misconception:`")
                continue
            if text.strip() == o["feedback"].strip():
                problems.append(f"{q['id']}/{o['id']}: the misconception repeats the feedback")
            named.append(text.strip().lower())
        if len(named) != len(set(named)):
            problems.append(f"{q['id']}: two wrong options name the same misconception")
    return problems


def _answer_forms(answer: float) -> set[str]:
    """How a numeric answer could be written in a prompt: 0.91, .91, 91%, 91.0%."""
    forms = {f"{answer:.2f}", f"{answer:.2f}".lstrip("0") if answer < 1 else f"{answer:.2f}"}
    if answer == int(answer):
        forms.add(str(int(answer)))
    if 0 < abs(answer) < 1:
        forms |= {f"{answer * 100:.0f}%", f"{answer * 100:.1f}%"}
    return {f for f in forms if f not in {"0", "1"}}


def giveaway_problems(bank: dict) -> list[str]:
    problems = []
    for q in bank["questions"]:
        prompt = q["prompt"]
        if q["type"] == "numeric":
            given = _numbers_in(prompt + " " + q.get("hint", ""), as_text=True)
            leaked = sorted(_answer_forms(float(q["answer"])) & given)
            if leaked:
                problems.append(f"{q['id']}: the prompt or hint contains the answer {leaked}")
            continue
        for o in q["options"]:
            text = o["text"].strip().lower().rstrip(".")
            if o["correct"] and len(text) > 15 and text in prompt.lower():
                problems.append(f"{q['id']}: the prompt repeats the right option")
            if re.search(r"\b(all|none) of the above\b", text):
                problems.append(f"{q['id']}/{o['id']}: 'all/none of the above' options")
    return problems


_NUMBER = re.compile(r"(?<![\w.^])(\d+(?:,\d{3})*(?:\.\d+)?)(%?)")


def _numbers_in(text: str, *, as_text: bool = False):
    """Numbers written in `text`, each as its readings ``((value, decimals), ...)``: ``12%``
    reads as 12 and as 0.12. With ``as_text``, their spellings instead."""
    found = set()
    for digits, percent in _NUMBER.findall(text):
        if as_text:
            found.add(digits + percent)
            continue
        value = float(digits.replace(",", ""))
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        found.add(
            ((value, decimals), (value / 100, decimals + 2)) if percent else ((value, decimals),)
        )
    return found


def _matches(value: float, decimals: int, candidates) -> bool:
    return any(math.isclose(value, c, abs_tol=0.5 * 10**-decimals + 1e-9) for c in candidates)


SMALL = range(13)  # counts written as digits in prose ("4 x 0.5", "one in 9")


def number_problems(bank: dict, worked: dict) -> list[str]:
    """Numbers in explanations, feedback and hints that are neither givens nor computed."""
    problems = []
    for q in bank["questions"]:
        given_text = q["prompt"] + " " + " ".join(o["text"] for o in q.get("options", []))
        givens = [v for readings in _numbers_in(given_text) for v, _ in readings]
        computed = list(worked.get((bank["quiz"], q["id"]), {}).values())
        if q["type"] == "numeric":
            computed.append(float(q["answer"]))
        said = [q["explanation"], q.get("hint", "")]
        said += [o["feedback"] for o in q.get("options", [])]
        for readings in sorted(_numbers_in(" ".join(said))):
            if any(v in SMALL or _matches(v, d, givens + computed) for v, d in readings):
                continue
            problems.append(
                f"{q['id']}: {readings[0][0]:g} in an explanation, feedback or hint is neither "
                "a given of the item nor a value in WORKED"
            )
    return problems


def answer_key(bank: dict) -> str:
    """A short fingerprint of what counts as right: ids, types, right options, answers.
    Quick checks (ids ``qc-...``) are never graded, so they are not part of it."""
    key = []
    for q in bank["questions"]:
        if q["id"].startswith("qc-"):
            continue
        if q["type"] == "numeric":
            key.append([q["id"], q["type"], float(q["answer"]), float(q["tolerance"])])
        else:
            key.append([q["id"], q["type"], sorted(o["id"] for o in q["options"] if o["correct"])])
    return hashlib.sha256(json.dumps(key).encode()).hexdigest()[:12]


def _objective(ref, own: int | None) -> tuple[int | None, int] | None:
    """(chapter, number) of an ``objectives:`` entry: n is objective n of the bank's own
    chapter, "C.n" objective n of chapter C; None if it is neither."""
    if isinstance(ref, int) and not isinstance(ref, bool) and ref >= 1:
        return own, ref
    match = re.fullmatch(r"([1-9]\d*)\.([1-9]\d*)", ref) if isinstance(ref, str) else None
    return (int(match[1]), int(match[2])) if match else None


def _own_chapter(name: str) -> int | None:
    match = re.match(r"^(\d+)_", name)
    return int(match[1]) if match else None


def objective_problems(bank: dict, objectives: dict[int, int]) -> list[str]:
    """Items that name no objective, or one the chapters do not have. ``objectives`` gives
    the number of learning objectives of each chapter, by chapter number."""
    problems = []
    own = _own_chapter(bank["quiz"])
    for q in bank["questions"]:
        refs = q.get("objectives")
        if not refs:
            problems.append(f"{q['id']}: no `objectives:` (the learning objectives it tests)")
            continue
        for ref in refs:
            key = _objective(ref, own)
            if key is None or not 1 <= key[1] <= objectives.get(key[0], 0):
                problems.append(f"{q['id']}: objective {ref!r} does not exist")
    return problems


def unassessed_objectives(assessed: set, objectives: dict[int, int]) -> list[str]:
    """Objectives ("C.n") that no item or exercise assesses."""
    return [
        f"{c}.{n}"
        for c, count in sorted(objectives.items())
        for n in range(1, count + 1)
        if (c, n) not in assessed
    ]


def chapter_objectives() -> dict[int, int]:
    """How many learning objectives each chapter has, parsed from its "Learning objectives"
    admonition (the parser the instructor guide uses)."""
    import nbformat

    from course_utils.instructor.notebook import learning_objectives

    counts = {}
    for path in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")):
        counts[_own_chapter(path.stem)] = len(learning_objectives(nbformat.read(path, 4)))
    return counts


def exercise_chapters() -> dict[str, str]:
    """Every exercise label of the book, with the stem of its chapter."""
    from course_utils.instructor.guide import book_exercises

    return {e.label: e.chapter for e in book_exercises(ROOT)}


# ------------------------------------------------------------- values the explanations use


def _worked() -> dict:
    """Intermediate values the explanations state, recomputed with course_utils.metrics.

    Keyed by (bank, question id). The final answer of a numeric item is added from the
    bank itself; ``tests/test_quiz_bank.py`` recomputes that one.
    """
    from course_utils.metrics import (
        accuracy_score,
        f1_score,
        fbeta_score,
        mean_absolute_error,
        mean_squared_error,
        predictions_from_counts,
        recall_score,
        two_proportion_test,
    )

    errors = np.array([1.0, -1.0, 2.0, -2.0])  # target minus prediction, as in chapter 1
    targets, predictions = errors, np.zeros(4)
    pr = predictions_from_counts(tp=4, fn=1, fp=4, tn=1)  # precision 0.5, recall 0.8
    costs = {}
    for name, (fn, fp) in {"t06": (30, 4), "t08": (55, 1)}.items():
        costs[name] = 1 * fn + 10 * fp
    padded_true = np.zeros((2, 10), dtype=np.int64)
    padded_pred = padded_true.copy()
    padded_pred[0, :2] = 1
    padded_pred[1, :2] = 1
    # 1% fraud, 98% accuracy, 12% recall: 10,000 transactions, 100 frauds.
    fraud = predictions_from_counts(tp=12, fn=88, fp=112, tn=9788)
    never = (fraud[0], np.zeros_like(fraud[1]))
    return {
        ("01_rnn_metrics", "rmse-from-errors"): {
            "mse": mean_squared_error(targets, predictions),
            "mae": mean_absolute_error(targets, predictions),
        },
        ("03_gru_metrics", "paired-difference"): {"disagreements": 12 + 4},
        ("03_gru_metrics", "qc-success-rates"): {
            "fisher": two_proportion_test(5, 5, 1, 5).pvalue,
            "boschloo": two_proportion_test(5, 5, 1, 5, method="boschloo").pvalue,
        },
        ("04_precision_recall_tradeoff", "f2-score"): {
            "f1": f1_score(*pr),
            "denominator": 4 * 0.5 + 0.8,
            "f2_check": fbeta_score(*pr, beta=2),
        },
        ("04_precision_recall_tradeoff", "ap-vs-roc"): {"negatives_per_positive": 0.99 / 0.01},
        ("09_pitfalls", "overlapping-windows"): {"shared_steps": 50 - 1},
        ("04_precision_recall_tradeoff", "cost-threshold"): {
            **costs,
            "more_missed": 55 - 30,
        },
        ("09_pitfalls", "masked-accuracy"): {
            "all_positions": accuracy_score(padded_true, padded_pred),
            "right_real": 8 + 2,
            "real": 10 + 4,
            "padding": 6,
            "all": 20,
            "right_all": 8 + 2 + 6,
        },
        ("09_pitfalls", "below-baseline"): {
            "never_fraud_accuracy": accuracy_score(*never),
            "missed_per_100": 100 * (1 - recall_score(*fraud)),
            "per": 100,
        },
        ("05_segments_and_events", "qc-point-adjust"): {
            "flagged_after_adjustment": 20 + 9,
            "numerator": 2 * 20,
            "denominator": 29 + 20,
            "step_f1_denominator": 10 + 20,
            "step_f1": f1_score(
                np.r_[np.ones(20), np.zeros(80)], np.r_[1, np.zeros(19), np.ones(9), np.zeros(71)]
            ),
        },
        ("08_evaluation_at_scale", "pooled-f1"): {
            "mean_of_batches": (
                f1_score(*predictions_from_counts(tp=3, fn=0, fp=1, tn=0))
                + f1_score(*predictions_from_counts(tp=0, fn=2, fp=1, tn=0), zero_division=0)
            )
            / 2,
        },
        ("10_self_check", "seed-precision"): {"flagged": 50 + 5},
        ("10_self_check", "seed-recall"): {"positives": 50 + 10},
        ("10_self_check", "seed-f1"): {"two_tp": 2 * 50, "denominator": 2 * 50 + 5 + 10},
    }


WORKED = _worked()

# The answer key of each bank, pinned to its version. When a test below fails because a key
# changed, bump the bank's `version` (answers files record it) and paste the new fingerprint.
PINNED = {
    "01_rnn_metrics": ("4", "e7554b9697ac"),
    "02_uncertainty": ("1", "a1bb4167780d"),
    "03_gru_metrics": ("3", "857b6dc0252e"),
    "04_precision_recall_tradeoff": ("4", "8cae2bf67765"),
    "05_segments_and_events": ("1", "b28365203ab1"),
    "06_next_token": ("2", "48d827af7f06"),
    "07_forecasting": ("1", "008a010c370c"),
    "08_evaluation_at_scale": ("1", "58e9f9ba8fcc"),
    "09_pitfalls": ("4", "53e679af1cee"),
    "10_self_check": ("6", "0e2c6c9d2986"),
}


# ---------------------------------------------------------------------- the shipped banks


@pytest.mark.parametrize("name", BANKS)
def test_right_option_is_not_predictably_the_longest_or_shortest(name):
    assert length_problems(raw_bank(name)) == []


def _parser_keeps_misconceptions() -> bool:
    try:
        from course_utils.quiz.bank import Option
    except Exception:  # a parser that does not import keeps nothing
        return False
    return "misconception" in getattr(Option, "__dataclass_fields__", {})


@pytest.mark.parametrize("name", BANKS)
def test_every_wrong_option_names_its_misconception(name):
    if not _parser_keeps_misconceptions():
        pytest.skip("the bank parser does not accept `misconception:` yet")
    assert misconception_problems(raw_bank(name)) == []


@pytest.mark.parametrize("name", BANKS)
def test_no_item_gives_its_answer_away(name):
    assert giveaway_problems(raw_bank(name)) == []


@pytest.mark.parametrize("name", BANKS)
def test_numbers_in_explanations_are_givens_or_computed(name):
    assert number_problems(raw_bank(name), WORKED) == []


@pytest.mark.parametrize("name", BANKS)
def test_answer_key_is_pinned_to_the_version(name):
    bank = raw_bank(name)
    version, fingerprint = PINNED[name]
    assert (bank["version"], answer_key(bank)) == (version, fingerprint), (
        f"{name}: its answers changed. Bump `version` in the bank and set PINNED[{name!r}] "
        f"to ({bank['version']!r}, {answer_key(bank)!r})."
    )


@pytest.fixture(scope="module")
def objectives() -> dict[int, int]:
    counts = chapter_objectives()
    assert counts and all(counts.values()), f"chapters without learning objectives: {counts}"
    return counts


@pytest.mark.parametrize("name", BANKS)
def test_every_item_names_objectives_that_exist(name, objectives):
    assert objective_problems(raw_bank(name), objectives) == []


def test_every_exercise_names_objectives_that_exist(objectives):
    from course_utils.instructor.guide import EXERCISE_OBJECTIVES

    chapters = exercise_chapters()
    assert sorted(EXERCISE_OBJECTIVES) == sorted(chapters), (
        "exercise_objectives (course_utils/instructor/guide_content.yaml, under the exercise's "
        "chapter) needs one entry per exercise"
    )
    for label, refs in EXERCISE_OBJECTIVES.items():
        fake = {"quiz": chapters[label], "questions": [{"id": label, "objectives": list(refs)}]}
        assert objective_problems(fake, objectives) == []


def test_every_objective_is_assessed(objectives):
    from course_utils.instructor.guide import EXERCISE_OBJECTIVES

    assessed = set()
    for name in BANKS:
        for q in raw_bank(name)["questions"]:
            assessed |= {_objective(r, _own_chapter(name)) for r in q.get("objectives", [])}
    chapters = exercise_chapters()
    for label, refs in EXERCISE_OBJECTIVES.items():
        assessed |= {_objective(r, _own_chapter(chapters.get(label, ""))) for r in refs}
    assert unassessed_objectives(assessed, objectives) == []


def test_worked_values_belong_to_existing_items():
    ids = {(name, q["id"]) for name in BANKS for q in raw_bank(name)["questions"]}
    assert set(WORKED) <= ids


# ------------------------------------------------------------ each check can fail


def _option(oid, text, correct, **extra):
    return {"id": oid, "text": text, "correct": correct, "feedback": "Because.", **extra}


def _bad_bank() -> dict:
    """A bank that breaks every standard once."""
    long_right = [
        {
            "id": f"q{i}",
            "type": "single",
            "prompt": "Which is it?",
            "options": [
                _option("a", "No.", False, misconception="Believes a thing."),
                _option("b", "Yes, and here is a long reason why.", True),
            ],
            "explanation": "See chapter 1.",
        }
        for i in range(3)
    ]
    return {
        "quiz": "bad",
        "version": "1",
        "questions": [
            *long_right,
            {
                "id": "giveaway",
                "type": "numeric",
                "prompt": "Precision for TP 50, FP 5? (0.91, .91 and 91% are all fine.)",
                "answer": 0.9090909,
                "tolerance": 0.005,
                "explanation": "Precision is 0.93.",
            },
            {
                "id": "unnamed",
                "type": "single",
                "prompt": "Is the model ready?",
                "options": [
                    _option("yes", "Yes, it is.", False),
                    _option("no", "No, it is not ready.", True),
                ],
                "explanation": "It misses 87 of 100 frauds.",
            },
        ],
    }


def test_each_check_fails_on_a_bank_that_breaks_it():
    bank = _bad_bank()
    assert any("longest in 4 of 4" in p for p in length_problems(bank))
    assert misconception_problems(bank) == ["unnamed/yes: a wrong option needs a `misconception:`"]
    assert giveaway_problems(bank)[0].startswith("giveaway: the prompt or hint contains")
    problems = number_problems(bank, {})
    assert any(p.startswith("giveaway: 0.93") for p in problems)
    assert any(p.startswith("unnamed: 87") for p in problems)
    assert not any(p.startswith("giveaway: 0.91") for p in problems)  # a given of the item
    assert "q0: no `objectives:` (the learning objectives it tests)" in objective_problems(
        bank, {1: 2}
    )
    bank["quiz"] = "05_bad"
    bank["questions"][0]["objectives"] = [1, "1.2", "1.3", 3.1, "9.1"]
    assert [p for p in objective_problems(bank, {1: 2, 5: 1}) if p.startswith("q0")] == [
        "q0: objective '1.3' does not exist",
        "q0: objective 3.1 does not exist",
        "q0: objective '9.1' does not exist",
    ]
    assert unassessed_objectives({(1, 1), (5, 1)}, {1: 2, 5: 1}) == ["1.2"]


def test_answer_key_changes_with_an_answer():
    bank = _bad_bank()
    before = answer_key(bank)
    bank["questions"][3]["answer"] = 0.5
    assert answer_key(bank) != before
