"""``single``: pick exactly one option (radio buttons)."""

from __future__ import annotations

from course_utils.quiz.feedback import MESSAGES, Verdict
from course_utils.quiz.model import Question, Where
from course_utils.quiz.types.base import ChoiceType, wrong_option_feedback


class SingleChoice(ChoiceType):
    """One correct option; the answer is its id."""

    name = "single"
    key_label = "one answer"
    input_type = "radio"

    def check_correct_count(self, n_correct: int, where: Where) -> None:
        if n_correct != 1:
            raise where.fail(
                f"A single-choice question needs exactly 1 correct option, found {n_correct}."
            )

    def normalise(self, question: Question, value):
        known = self.known_ids(question)
        if not isinstance(value, str) or value not in known:
            raise ValueError(
                f"Expected the answer to question {question.id!r} to be one of {known}, "
                f"but got {value!r}."
            )
        return value

    def judge(self, question: Question, value) -> Verdict:
        if value is None:
            return Verdict(None, MESSAGES["choose_one"])
        option = question.option(value)
        if option.correct:
            return Verdict(True, f"Correct. {option.feedback} {question.explanation}")
        return Verdict(False, f"Not quite. {wrong_option_feedback(option)}")

    def widget(self, question: Question, shared):
        import ipywidgets as widgets

        control = widgets.RadioButtons(
            options=[(self.label_text(o), o.id) for o in question.options],
            value=None,
            layout=shared.auto,
            style=shared.radio,
        )
        control.add_class("cu-quiz-choices")  # labels wrap instead of overlapping (quiz CSS)
        return control

    def widget_value(self, question: Question, control):
        return control.value

    def set_widget_value(self, question: Question, control, value) -> None:
        control.value = value
