"""The quiz's ipywidgets, driven in-process (tests/test_widgets_kernel.py repeats it in a kernel)."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("ipywidgets")

from course_utils.quiz import Quiz, read_answers
from course_utils.quiz.checking import MESSAGES


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).strip()


@pytest.fixture
def quiz():
    return Quiz("10_self_check", learner="Ada")


def test_numeric_right_wrong_and_malformed(quiz):
    view = quiz.ui.questions["seed-precision"]
    view.control.value = "91%"
    view.check_button.click()
    assert text_of(view.feedback.value).startswith("Correct")
    view.control.value = "0.5"
    view.check_button.click()
    assert text_of(view.feedback.value).startswith("Not quite")
    view.control.value = "ninety-one"
    view.check_button.click()  # no exception
    assert text_of(view.feedback.value) == MESSAGES["number_percent"]
    assert view.attempts == 1  # unreadable entries are not counted as tries


def test_single_choice_and_retry(quiz):
    view = quiz.ui.questions["fraud-ready"]
    view.check_button.click()
    assert text_of(view.feedback.value) == MESSAGES["choose_one"]
    view.control.value = "ready"
    view.check_button.click()
    assert text_of(view.feedback.value).startswith("Not quite")
    assert "0 of" in quiz.ui.score_line.value
    view.control.value = "not-ready"  # retry
    view.check_button.click()
    assert text_of(view.feedback.value).startswith("Correct")
    assert f"Score: 1 of {len(quiz.bank)}" in quiz.ui.score_line.value


def test_multiple_choice_with_checkboxes(quiz):
    view = quiz.ui.questions["choose-threshold"]
    question = view.question
    for option, box in zip(question.options, view.control.children, strict=True):
        box.value = option.correct
    view.check_button.click()
    assert text_of(view.feedback.value).startswith("Correct")
    view.control.children[0].value = not question.options[0].correct
    view.check_button.click()
    assert text_of(view.feedback.value).startswith("Not quite")


def test_explanation_after_two_wrong_tries(quiz):
    view = quiz.ui.questions["seed-recall"]
    view.control.value = "0.1"
    view.check_button.click()
    assert "Explanation" not in view.feedback.value
    view.check_button.click()
    assert "Explanation" in view.feedback.value


def test_internal_error_becomes_a_message(quiz, monkeypatch):
    import course_utils.quiz.widgets as widgets_module

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(widgets_module, "evaluate", broken)
    view = quiz.ui.questions["seed-f1"]
    view.control.value = "0.87"
    view.check_button.click()  # must not raise
    assert "could not be checked" in view.feedback.value and "boom" in view.feedback.value


def test_answers_come_from_the_widgets_and_save(quiz, tmp_path):
    quiz.answer("seed-f1", "0.87")  # before the widgets exist
    ui = quiz.ui
    assert ui.questions["seed-f1"].control.value == "0.87"
    ui.questions["fraud-ready"].control.value = "not-ready"
    ui.questions["choose-threshold"].control.children[0].value = True
    quiz.answer("seed-recall", "83%")  # after: goes into the widget
    assert ui.questions["seed-recall"].control.value == "83%"
    ui.learner.value = "Grace"
    first_option = ui.questions["choose-threshold"].question.options[0].id
    assert quiz.answers == {
        "fraud-ready": "not-ready",
        "seed-recall": "83%",
        "seed-f1": "0.87",
        "choose-threshold": [first_option],
    }
    read = read_answers(quiz.save(tmp_path / "a.json"))
    assert read.learner == "Grace"
    assert read.score().correct["seed-f1"]
    result = quiz.check()  # checks every question in the widgets too
    assert result.correct["fraud-ready"] and result.correct["seed-recall"]
    assert text_of(ui.questions["seed-precision"].feedback.value) == MESSAGES["number_percent"]


def test_start_over_clears_everything(quiz):
    ui = quiz.ui
    ui.questions["seed-precision"].control.value = "0.91"
    ui.questions["seed-precision"].check_button.click()
    ui.reset_button.click()
    assert quiz.answers == {}
    assert ui.questions["seed-precision"].feedback.value == ""
    assert "Score: 0 of" in ui.score_line.value


def test_answer_validates(quiz):
    with pytest.raises(ValueError, match="unknown"):
        quiz.answer("nope", "a")
    with pytest.raises(ValueError, match="one of"):
        quiz.answer("fraud-ready", "maybe")
    with pytest.raises(TypeError, match="`learner`"):
        Quiz("10_self_check", learner=3)


def test_save_asks_first_then_saves_next_to_the_notebook(tmp_path, monkeypatch, capsys):
    """Issue 15: no silent empty file; path=None names the file after the quiz and learner."""
    monkeypatch.chdir(tmp_path)
    quiz = Quiz("01_rnn_metrics")
    assert quiz.save() is None
    out = capsys.readouterr().out
    assert "No question is answered yet" in out and "Your name is empty" in out
    assert list(tmp_path.iterdir()) == []
    first = quiz.bank.questions[0]
    quiz.answer(first.id, first.correct_ids[0] if first.options else "1")
    quiz.learner = "Grace Hopper"
    path = quiz.save()  # answers and a name: saves at once, silently
    assert capsys.readouterr().out == ""
    assert path == tmp_path / "01_rnn_metrics-grace-hopper-answers.json"
    assert read_answers(path).learner == "Grace Hopper"
    quiz.learner = None
    assert quiz.save() is None  # asks ...
    assert quiz.save() == tmp_path / "01_rnn_metrics-anonymous-answers.json"  # ... then saves
    assert quiz.save(tmp_path / "x.json", confirm=True).name == "x.json"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"path": 3}, "`path` must be a str or a Path"),
        ({"path": "/nonexistent-folder/a.json"}, "cannot write"),
    ],
)
def test_save_problems_are_messages_not_tracebacks(tmp_path, capsys, kwargs, fragment):
    quiz = Quiz("10_self_check", learner="Ada")
    quiz.answer("seed-precision", "0.91")
    assert quiz.save(**kwargs) is None
    assert fragment in capsys.readouterr().out


def test_huge_integer_answer_is_a_message(capsys):
    quiz = Quiz("10_self_check", learner="Ada")
    quiz.answer("seed-precision", 10**400)  # issue 16: no OverflowError
    assert quiz.score.correct["seed-precision"] is False
    assert quiz.save("unused.json") is None
    assert "at most" in capsys.readouterr().out


def test_first_try_and_learner_id_in_the_widget(quiz):
    view = quiz.ui.questions["seed-precision"]
    view.control.value = "0.5"
    view.check_button.click()
    view.control.value = "10/11"
    view.check_button.click()
    quiz.ui.reset_button.click()  # start over keeps the first-try record
    assert quiz.first_try == {"seed-precision": False}
    quiz.ui.learner_id.value = " s1 "
    assert quiz.learner_id == "s1"


def test_long_options_wrap_in_the_widget(quiz):
    """Radio labels get the class whose CSS lets them wrap (JupyterLab overlap, issue 14)."""
    control = quiz.ui.questions["fraud-ready"].control
    assert "cu-quiz-choices" in control._dom_classes
    assert control.layout.height == "auto"
    css = quiz.ui.box.children[0].value
    assert "<style>" in css and "white-space: normal" in css


def test_keyboard_helper_rides_in_the_quiz_box(quiz):
    """The hidden anywidget that keeps arrow keys in a radio group (JupyterLab, issue 14) and
    adds ARIA is the quiz box's last child, with the classes its front-end module looks for."""
    from course_utils.quiz.widgets import _keys_helper_class

    box = quiz.ui.box
    helper = box.children[-1]
    assert isinstance(helper, _keys_helper_class())
    assert helper.layout.display == "none"
    assert "export default { render: cuQuizWidgetRender }" in helper._esm
    assert "stopPropagation" in helper._esm and "radiogroup" in helper._esm
    assert "cu-quiz-widget" in box._dom_classes
    view = quiz.ui.questions["fraud-ready"]
    assert "cu-quiz-question" in view.box._dom_classes
    assert "cu-quiz-prompt" in view.prompt._dom_classes
    assert "cu-quiz-live" in view.feedback._dom_classes
    assert "cu-quiz-live" in quiz.ui.score_line._dom_classes


def test_quiz_works_without_anywidget(monkeypatch):
    """Without anywidget the quiz is the same, minus the hidden helper."""
    from course_utils.quiz import widgets as quiz_widgets

    monkeypatch.setattr(quiz_widgets, "_keys_helper_class", lambda: None)
    quiz = Quiz("10_self_check")
    assert quiz.ui.box.children[-1] is quiz.ui.save_status
    quiz.answer("seed-precision", "10/11")
    assert quiz.check().correct["seed-precision"]
