"""The base class of question types (the registry is :mod:`course_utils.quiz.types`)."""

from __future__ import annotations

from typing import ClassVar

from course_utils._static_html import escape, inline_markup, plain_text
from course_utils.quiz.feedback import MESSAGES, Verdict
from course_utils.quiz.model import Option, Question, Where


class QuestionType:
    """One kind of question. Subclasses set ``name`` and implement the methods below.

    Attributes
    ----------
    name : str
        The bank's ``type:`` value; also names the JavaScript checker file.
    key_label : str
        How the answer key describes the question ("one answer", "a number", ...).
    fields : dict of str to bool
        The bank fields of this type (besides id, type, prompt, explanation), each mapped to
        whether it is required.
    """

    name: ClassVar[str] = ""
    key_label: ClassVar[str] = ""
    fields: ClassVar[dict[str, bool]] = {}

    @property
    def js_file(self) -> str:
        """The static file with this type's JavaScript checker."""
        return f"quiz-type-{self.name}.js"

    # -- the bank -------------------------------------------------------------------------
    def parse(self, entry: dict, where: Where) -> dict:
        """Check this type's fields of a bank entry; return them as ``Question`` keywords."""
        raise NotImplementedError

    def to_dict(self, question: Question) -> dict:
        """This type's fields of ``question`` in the bank file's layout."""
        raise NotImplementedError

    # -- answers ---------------------------------------------------------------------------
    def normalise(self, question: Question, value):
        """Check the shape of a non-None answer; return it in canonical form (or raise
        ``ValueError`` naming the question)."""
        raise NotImplementedError

    def is_blank(self, value) -> bool:
        """True for "not answered"."""
        return value is None or (isinstance(value, str) and not value.strip()) or value == []

    def judge(self, question: Question, value) -> Verdict:
        """The verdict on a normalised answer (None = not answered)."""
        raise NotImplementedError

    def file_value(self, question: Question, value):
        """The JSON value an answers file holds for a normalised, non-blank answer."""
        return value

    # -- rendering -------------------------------------------------------------------------
    def page_inputs(self, question: Question, element_id: str) -> str:
        """The page's input elements, each inside its ``<label>``."""
        raise NotImplementedError

    def page_data(self, question: Question) -> dict:
        """What this type's JavaScript checker needs (escaped HTML for any text shown)."""
        return {}

    def widget(self, question: Question, shared):
        """The ipywidgets control (``shared`` holds the quiz's shared layouts and styles)."""
        raise NotImplementedError

    def widget_value(self, question: Question, control):
        """The control's answer in answers-file form (None if not answered)."""
        raise NotImplementedError

    def set_widget_value(self, question: Question, control, value) -> None:
        """Show ``value`` (None clears) in the control."""
        raise NotImplementedError

    def answer_key(self, question: Question) -> list[str]:
        """Markdown lines of the answer key after the prompt."""
        raise NotImplementedError


def wrong_option_feedback(option: Option) -> str:
    """An option's feedback, followed by its misconception when the bank names one."""
    if option.misconception is None:
        return option.feedback
    return f"{option.feedback} {MESSAGES['misconception'].format(text=option.misconception)}"


class ChoiceType(QuestionType):
    """Shared by the option-based types: parsing options, their HTML and page data."""

    fields: ClassVar[dict[str, bool]] = {"options": True}
    input_type: ClassVar[str] = "radio"
    _OPTION_KEYS: ClassVar[frozenset] = frozenset({"id", "text", "correct", "feedback"})
    _OPTION_OPTIONAL: ClassVar[frozenset] = frozenset({"misconception"})

    def check_correct_count(self, n_correct: int, where: Where) -> None:
        """Raise if ``n_correct`` correct options do not fit the type."""

    def parse(self, entry: dict, where: Where) -> dict:
        raw_options = entry["options"]
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            raise where.fail("Expected `options` to be a list of at least 2 options.")
        options, seen = [], set()
        for raw in raw_options:
            if not isinstance(raw, dict):
                raise where.fail(f"Expected each option to be a mapping, but got {raw!r}.")
            where.keys(
                raw, self._OPTION_KEYS | self._OPTION_OPTIONAL, self._OPTION_KEYS, "an option"
            )
            oid = where.slug(raw["id"], "option id")
            if oid in seen:
                raise where.fail(f"Duplicate option id {oid!r}.")
            seen.add(oid)
            if not isinstance(raw["correct"], bool):
                raise where.fail(f"Expected `correct` of option {oid!r} to be true or false.")
            options.append(
                Option(
                    oid,
                    where.text(raw["text"], "text"),
                    raw["correct"],
                    where.text(raw["feedback"], "feedback"),
                    where.optional_text(raw.get("misconception"), "misconception"),
                )
            )
        self.check_correct_count(sum(option.correct for option in options), where)
        return {"options": tuple(options)}

    def to_dict(self, question: Question) -> dict:
        options = []
        for o in question.options:
            entry = {"id": o.id, "text": o.text, "correct": o.correct, "feedback": o.feedback}
            if o.misconception is not None:
                entry["misconception"] = o.misconception
            options.append(entry)
        return {"options": options}

    def known_ids(self, question: Question) -> list[str]:
        return [option.id for option in question.options]

    def page_inputs(self, question: Question, element_id: str) -> str:
        lines = []
        for option in question.options:
            oid = f"{element_id}-{option.id}"
            lines.append(
                f'<label for="{oid}"><input type="{self.input_type}" id="{oid}" '
                f'name="{element_id}" value="{escape(option.id)}">'
                f"<span>{inline_markup(option.text)}</span></label>"
            )
        return "\n".join(lines)

    def page_data(self, question: Question) -> dict:
        return {
            "options": [
                {
                    "id": o.id,
                    "correct": o.correct,
                    "feedback": inline_markup(o.feedback),
                    "misconception": None
                    if o.misconception is None
                    else inline_markup(o.misconception),
                }
                for o in question.options
            ]
        }

    def answer_key(self, question: Question) -> list[str]:
        correct = ", ".join(f"`{option_id}`" for option_id in question.correct_ids)
        lines = [f"**Answer:** {correct}", ""]
        for option in question.options:
            box = "x" if option.correct else " "
            line = f"- [{box}] `{option.id}` {' '.join(option.text.split())}"
            if option.misconception is not None:
                line += f" *(misconception: {' '.join(option.misconception.split())})*"
            lines.append(line)
        return lines

    @staticmethod
    def label_text(option: Option) -> str:
        return plain_text(option.text)
