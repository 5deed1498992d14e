"""The live widgets driven in a REAL Jupyter kernel (jupyter_client), as a learner would use them:
display the object, set widget values, click Check / move the slider, read the feedback back."""

from __future__ import annotations

import json
import os
import textwrap

import pytest

pytestmark = pytest.mark.slow

jupyter_client = pytest.importorskip("jupyter_client")
pytest.importorskip("ipykernel")
pytest.importorskip("ipywidgets")

from course_utils.quiz.checking import MESSAGES  # noqa: E402
from course_utils.quiz.page import SAVE_MESSAGES  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def kernel():
    """A python3 kernel from this environment (jupyter_client swaps in sys.executable)."""
    manager = jupyter_client.KernelManager(kernel_name="python3")
    env = {**os.environ, "TQDM_DISABLE": "1", "PYTHONHASHSEED": "0"}
    manager.start_kernel(env=env)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def run(client, code: str) -> tuple[list[dict], str]:
    """Execute ``code``; return its display outputs and its stdout. Fails on an error."""
    displays, stdout, errors = [], [], []

    def hook(msg):
        kind, content = msg["msg_type"], msg["content"]
        if kind in ("display_data", "execute_result"):
            displays.append(content["data"])
        elif kind == "stream" and content["name"] == "stdout":
            stdout.append(content["text"])
        elif kind == "stream" and content["name"] == "stderr":
            errors.append(content["text"])
        elif kind == "error":
            errors.append("\n".join(content["traceback"]))

    reply = client.execute_interactive(textwrap.dedent(code), timeout=120, output_hook=hook)
    assert reply["content"]["status"] == "ok", "".join(errors)
    assert not errors, "".join(errors)  # a callback traceback would show up on stderr
    return displays, "".join(stdout)


def test_quiz_in_a_kernel(kernel):
    displays, _ = run(
        kernel,
        """
        import json, re
        from course_utils.quiz import Quiz
        quiz = Quiz("10_self_check", learner="Ada")
        ui = quiz.ui

        def press(qid, value=None, boxes=None):
            view = ui.questions[qid]
            if boxes is not None:
                for box, on in zip(view.control.children, boxes):
                    box.value = on
            else:
                view.control.value = value
            view.check_button.click()
            return re.sub(r"<[^>]+>", "", view.feedback.value).strip()

        quiz
        """,
    )
    (bundle,) = displays
    assert WIDGET_VIEW in bundle and bundle[WIDGET_VIEW]["model_id"]  # the live view
    assert 'data-quiz="10_self_check"' in bundle["text/html"]  # and the page fallback
    assert bundle["text/plain"].startswith("Quiz '10_self_check'")

    _, out = run(
        kernel,
        """
        q = quiz.bank.question("choose-threshold")
        results = {
            "numeric_right": press("seed-precision", "91%"),
            "numeric_wrong": press("seed-recall", "0.5"),
            "numeric_malformed": press("seed-f1", "zero point eight seven"),
            "single_empty": press("fraud-ready", None),
            "single_wrong": press("fraud-ready", "ready"),
            "single_right": press("fraud-ready", "not-ready"),
            "multiple_right": press(q.id, boxes=[o.correct for o in q.options]),
            "multiple_missing": press(q.id, boxes=[False] * len(q.options)),
            "score": ui.score_line.value,
            "answers": quiz.answers,
        }
        print(json.dumps(results))
        """,
    )
    results = json.loads(out)
    assert results["numeric_right"].startswith("Correct")
    assert results["numeric_wrong"].startswith("Not quite")
    assert results["numeric_malformed"] == MESSAGES["number_percent"]
    assert results["single_empty"] == "Choose an option first."
    assert results["single_wrong"].startswith("Not quite")
    assert results["single_right"].startswith("Correct")
    assert results["multiple_right"].startswith("Correct")
    assert results["multiple_missing"] == "Choose at least one option first."
    assert "Score: 3 of" in results["score"]  # precision, fraud, multiple (kept from before)
    assert results["answers"]["seed-f1"] == "zero point eight seven"


def test_quiz_callback_error_is_a_message(kernel):
    _, out = run(
        kernel,
        """
        import json, re
        from course_utils.quiz import Quiz
        import course_utils.quiz.widgets as quiz_widgets
        original = quiz_widgets.evaluate
        quiz_widgets.evaluate = lambda *a, **k: 1 / 0  # an internal error in the checker
        try:
            broken = Quiz("01_rnn_metrics")
            view = broken.ui.questions["rmse-from-errors"]
            view.control.value = "1.58"
            view.check_button.click()
            message = re.sub(r"<[^>]+>", "", view.feedback.value)
        finally:
            quiz_widgets.evaluate = original
        view.check_button.click()
        print(json.dumps([message, re.sub(r"<[^>]+>", "", view.feedback.value)]))
        """,
    )
    failed, recovered = json.loads(out)
    assert "could not be checked" in failed and "ZeroDivisionError" in failed
    assert recovered.startswith("Correct")


def test_save_from_the_kernel(kernel, tmp_path):
    """The Save button writes <quiz>-<learner>-answers.json in the notebook's folder; with no
    name it asks first (a second press saves); first-try correctness is recorded."""
    _, out = run(
        kernel,
        f"""
        import json, os, re
        from course_utils.quiz import Quiz
        os.chdir({str(tmp_path)!r})
        saving = Quiz("10_self_check")
        ui = saving.ui
        status = lambda: re.sub(r"<[^>]+>", "", ui.save_status.value)
        ui.save_button.click()
        empty = status()
        ui.questions["seed-precision"].control.value = "0.5"
        ui.questions["seed-precision"].check_button.click()  # wrong first ...
        ui.questions["seed-precision"].control.value = "10/11"
        ui.questions["seed-precision"].check_button.click()  # ... then right
        ui.questions["fraud-ready"].control.value = "ready"
        ui.save_button.click()
        no_name = status()
        files_before = sorted(os.listdir("."))
        ui.learner.value = "Ada Lovelace"
        ui.learner_id.value = " s123 "
        ui.save_button.click()
        print(json.dumps([empty, no_name, files_before, status(), sorted(os.listdir("."))]))
        """,
    )
    empty, no_name, files_before, saved, files = json.loads(out)
    assert SAVE_MESSAGES["save_empty"] in empty and "Save answers again" in empty
    assert SAVE_MESSAGES["save_no_name"] in no_name and files_before == []
    name = "10_self_check-ada-lovelace-answers.json"
    assert saved == f"Saved {name}." and files == [name]
    from course_utils.quiz import read_answers

    answers = read_answers(tmp_path / name)
    assert answers.learner == "Ada Lovelace" and answers.learner_id == "s123"
    assert answers.answers == {"fraud-ready": "ready", "seed-precision": "10/11"}
    assert answers.first_try == {"seed-precision": False}
    result = answers.score()
    assert result.correct["seed-precision"] and not result.correct["fraud-ready"]


def test_explorer_slider_in_a_kernel(kernel):
    displays, _ = run(
        kernel,
        """
        import json, re
        import numpy as np
        from course_utils.explorer import ThresholdExplorer
        from course_utils.metrics import confusion_matrix
        rng = np.random.default_rng(3)
        y = (rng.random(400) < 0.2).astype(int)
        s = 1 / (1 + np.exp(-(rng.normal(size=400) + 2 * y - 1)))
        explorer = ThresholdExplorer(y, s, threshold=0.5, title="GRU scores")
        explorer
        """,
    )
    (bundle,) = displays
    assert WIDGET_VIEW in bundle and "data-explorer" in bundle["text/html"]
    _, out = run(
        kernel,
        """
        ui = explorer.ui
        rows = []
        for t in (0.25, 0.5, 0.8, 0.999):
            ui.slider.value = t
            shown = dict(re.findall(r'data-metric="(\\w+)" data-value="([^"]*)"', ui.numbers.value))
            tn, fp, fn, tp = confusion_matrix(y, (s >= ui.slider.value).astype(int), labels=[0, 1]).ravel()
            rows.append({"shown": shown, "want": [int(tp), int(fp), int(fn), int(tn)],
                         "t": ui.slider.value, "marker": ui.plot.value.count("visibility")})
        print(json.dumps(rows))
        """,
    )
    rows = json.loads(out)
    for row in rows:
        shown = row["shown"]
        tp, fp, fn, tn = row["want"]
        assert [int(shown[k]) for k in ("tp", "fp", "fn", "tn")] == [tp, fp, fn, tn]
        assert float(shown["threshold"]) == row["t"]
        assert float(shown["recall"]) == pytest.approx(tp / (tp + fn))
        if tp + fp:
            assert float(shown["precision"]) == pytest.approx(tp / (tp + fp))
        else:
            assert shown["precision"] == "" and row["marker"] == 1  # marker hidden
    assert len({r["shown"]["tp"] for r in rows}) > 2  # the numbers really move
