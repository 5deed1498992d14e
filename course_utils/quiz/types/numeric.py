"""``numeric``: type a number (a decimal, a fraction, or a percentage for proportions)."""

from __future__ import annotations

import math

from course_utils._static_html import inline_markup
from course_utils.quiz.feedback import MAX_NUMBER_LENGTH, MESSAGES, SLACK, Verdict, read_number
from course_utils.quiz.model import Question, Where
from course_utils.quiz.types.base import QuestionType


def _finite(value, name: str, where: Where) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise where.fail(f"Expected `{name}` to be a finite number, but got {value!r}.")
    return float(value)


class Numeric(QuestionType):
    """A number within ``answer +- tolerance``; the answer is the text typed.

    A percentage ("91%", "91 %") is read only where the answer is a proportion: the bank's
    ``proportion`` field, or, when it is left out, ``0 <= answer <= 1``.
    """

    name = "numeric"
    key_label = "a number"
    fields = {  # noqa: RUF012 (a class-level constant)
        "answer": True,
        "tolerance": True,
        "proportion": False,
        "answer_from": False,
        "hint": False,
    }

    @staticmethod
    def accepts_percent(question: Question) -> bool:
        """Whether a percentage is a valid way to write this question's answer."""
        if question.proportion is not None:
            return question.proportion
        return 0 <= question.answer <= 1

    def parse(self, entry: dict, where: Where) -> dict:
        answer = _finite(entry["answer"], "answer", where)
        tolerance = _finite(entry["tolerance"], "tolerance", where)
        if tolerance < 0:
            raise where.fail(f"Expected `tolerance` to be >= 0, but got {entry['tolerance']!r}.")
        proportion = entry.get("proportion")
        if proportion is not None and not isinstance(proportion, bool):
            raise where.fail(f"Expected `proportion` to be true or false, but got {proportion!r}.")
        answer_from = entry.get("answer_from")
        return {
            "answer": answer,
            "tolerance": tolerance,
            "proportion": proportion,
            "answer_from": None if answer_from is None else where.slug(answer_from, "answer_from"),
            "hint": where.optional_text(entry.get("hint"), "hint"),
        }

    def to_dict(self, question: Question) -> dict:
        entry: dict = {"answer": question.answer, "tolerance": question.tolerance}
        for name in ("proportion", "answer_from", "hint"):
            if getattr(question, name) is not None:
                entry[name] = getattr(question, name)
        return entry

    def normalise(self, question: Question, value):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(
                f"Expected the answer to numeric question {question.id!r} to be a str or a "
                f"number, but got {type(value).__name__}."
            )
        return value

    def _number_message(self, question: Question) -> str:
        return MESSAGES["number_percent" if self.accepts_percent(question) else "number"]

    def judge(self, question: Question, value) -> Verdict:
        if self.is_blank(value):
            return Verdict(None, self._number_message(question))
        if isinstance(value, str):
            parsed = read_number(value)
        else:
            try:  # a number from the live API; 10**400 does not fit a float
                parsed = (float(value), False) if math.isfinite(value) else None
            except OverflowError:
                parsed = None
        if parsed is None:
            return Verdict(None, self._number_message(question))
        number, percent = parsed
        proportion = self.accepts_percent(question)
        if percent and not proportion:
            return Verdict(None, MESSAGES["no_percent"])
        if abs(number - question.answer) <= question.tolerance + SLACK:
            return Verdict(True, f"Correct. {question.explanation}")
        message = question.hint or MESSAGES["numeric_wrong"]
        if (
            proportion
            and not percent
            and abs(number / 100 - question.answer) <= question.tolerance + SLACK
        ):
            message = MESSAGES["percent"]  # typed 91 for 91%
        return Verdict(False, f"Not quite. {message}")

    def file_value(self, question: Question, value):
        return value if isinstance(value, str) else repr(float(value))

    def page_inputs(self, question: Question, element_id: str) -> str:
        placeholder = (
            "number, fraction or %" if self.accepts_percent(question) else "number or fraction"
        )
        return (
            f'<label for="{element_id}-input">Your answer: <input type="text" '
            f'id="{element_id}-input" inputmode="decimal" autocomplete="off" spellcheck="false" '
            f'maxlength="{MAX_NUMBER_LENGTH}" '
            f'placeholder="{placeholder}"></label>'
        )

    def page_data(self, question: Question) -> dict:
        return {
            "answer": question.answer,
            "tolerance": question.tolerance,
            "proportion": self.accepts_percent(question),
            "hint": inline_markup(question.hint) if question.hint else None,
        }

    def widget(self, question: Question, shared):
        import ipywidgets as widgets

        placeholder = (
            "number, fraction or %" if self.accepts_percent(question) else "number or fraction"
        )
        return widgets.Text(
            placeholder=placeholder, description="Answer:", layout=shared.layout, style=shared.text
        )

    def widget_value(self, question: Question, control):
        return control.value if control.value.strip() else None

    def set_widget_value(self, question: Question, control, value) -> None:
        control.value = "" if value is None else str(value)

    def answer_key(self, question: Question) -> list[str]:
        return [f"**Answer:** {question.answer:.10g} (accepted within ± {question.tolerance:.10g})"]
