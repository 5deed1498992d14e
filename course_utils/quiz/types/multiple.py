"""``multiple``: tick every option that applies (checkboxes)."""

from __future__ import annotations

from course_utils.quiz.feedback import MESSAGES, Verdict
from course_utils.quiz.model import Question, Where
from course_utils.quiz.types.base import ChoiceType, wrong_option_feedback


class MultipleChoice(ChoiceType):
    """At least one correct option; the answer is the list of ticked ids, in bank order."""

    name = "multiple"
    key_label = "select all that apply"
    input_type = "checkbox"

    def check_correct_count(self, n_correct: int, where: Where) -> None:
        if n_correct < 1:
            raise where.fail("A multiple-choice question needs at least 1 correct option.")

    def normalise(self, question: Question, value):
        known = self.known_ids(question)
        if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
            raise ValueError(
                f"Expected the answer to question {question.id!r} to be a list of option ids, "
                f"but got {value!r}."
            )
        unknown = [v for v in value if not isinstance(v, str) or v not in known]
        if unknown:
            raise ValueError(
                f"Expected the answer to question {question.id!r} to use option ids from "
                f"{known}, but got unknown {unknown!r}."
            )
        chosen = set(value)
        return [option_id for option_id in known if option_id in chosen]  # bank order

    def judge(self, question: Question, value) -> Verdict:
        if not value:
            return Verdict(None, MESSAGES["choose_some"])
        chosen = set(value)
        if chosen == set(question.correct_ids):
            return Verdict(True, f"Correct. {question.explanation}")
        parts = ["Not quite."]
        parts += [
            wrong_option_feedback(o) for o in question.options if o.id in chosen and not o.correct
        ]
        missed = sum(1 for o in question.options if o.correct and o.id not in chosen)
        if missed:
            parts.append(MESSAGES["missed"].format(n=missed))
        return Verdict(False, " ".join(parts))

    def widget(self, question: Question, shared):
        import ipywidgets as widgets

        boxes = [
            widgets.Checkbox(
                description=self.label_text(o),
                indent=False,
                layout=shared.auto,
                style=shared.checkbox,
            )
            for o in question.options
        ]
        control = widgets.VBox(boxes, layout=shared.layout)
        control.add_class("cu-quiz-choices")
        return control

    def widget_value(self, question: Question, control):
        ids = [o.id for o in question.options]
        return [oid for oid, box in zip(ids, control.children, strict=True) if box.value]

    def set_widget_value(self, question: Question, control, value) -> None:
        chosen = set(value or [])
        for option, box in zip(question.options, control.children, strict=True):
            box.value = option.id in chosen
