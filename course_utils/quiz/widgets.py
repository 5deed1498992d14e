"""The quiz as ipywidgets, for a live kernel. Imported only when a widget is first needed.

Per question: the prompt, a RadioButtons (single), a column of Checkboxes (multiple) or a Text
box (numeric), a "Check" button and a feedback area. Below: the score, the learner's name and
"Start over". Callbacks never raise: an unreadable entry is a message, and an unexpected error
is reported in the feedback area instead of a traceback.
"""

from __future__ import annotations

import ipywidgets as widgets

from course_utils._static_html import inline_markup, plain_text
from course_utils.quiz.bank import Question
from course_utils.quiz.checking import evaluate

_COLOURS = {True: "#1a7f37", False: "#b3261e", None: "inherit"}


def feedback_html(message: str, correct: bool | None) -> str:
    """The feedback area's HTML: the (escaped) message, coloured by outcome."""
    return f'<div style="color: {_COLOURS[correct]}">{inline_markup(message)}</div>'


class _Shared:
    """Layout and style models shared by every widget of one quiz.

    ipywidgets gives each widget its own Layout and style model unless one is passed in, and
    an executed notebook stores every model in its widget state. Sharing them cuts a
    19-question quiz from about 300 models (250 kB of state) to about 120.
    """

    def __init__(self):
        from ipywidgets.widgets.widget_bool import CheckboxStyle
        from ipywidgets.widgets.widget_description import DescriptionStyle
        from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

        self.layout = widgets.Layout()
        self.wide = widgets.Layout(width="auto")
        self.html = HTMLStyle()
        self.button = widgets.ButtonStyle()
        self.radio = DescriptionStyle()
        self.checkbox = CheckboxStyle()
        self.text = TextStyle()

    def html_widget(self, value: str = "") -> widgets.HTML:
        return widgets.HTML(value, layout=self.layout, style=self.html)


class QuestionUI:
    """The widgets of one question; ``value`` reads the answer in answers-file form."""

    def __init__(self, number: int, question: Question, shared: _Shared | None = None):
        shared = shared or _Shared()
        self.question = question
        self.attempts = 0  # wrong checks so far (the explanation shows after two)
        self.correct = False  # outcome of the latest check
        self.prompt = shared.html_widget(f"<b>{number}. {inline_markup(question.prompt)}</b>")
        if question.type == "single":
            labels = [(plain_text(o.text), o.id) for o in question.options]
            self.control = widgets.RadioButtons(
                options=labels, value=None, layout=shared.wide, style=shared.radio
            )
        elif question.type == "multiple":
            boxes = [
                widgets.Checkbox(
                    description=plain_text(o.text),
                    indent=False,
                    layout=shared.wide,
                    style=shared.checkbox,
                )
                for o in question.options
            ]
            self.control = widgets.VBox(boxes, layout=shared.layout)
        else:
            self.control = widgets.Text(
                placeholder="e.g. 0.91 or 91%",
                description="Answer:",
                layout=shared.layout,
                style=shared.text,
            )
        self.check_button = widgets.Button(
            description="Check",
            tooltip="Check this answer",
            layout=shared.layout,
            style=shared.button,
        )
        self.feedback = shared.html_widget()
        self.box = widgets.VBox(
            [self.prompt, self.control, self.check_button, self.feedback], layout=shared.layout
        )

    @property
    def value(self):
        """The current answer: an option id, a list of option ids, the text typed, or None."""
        if self.question.type == "multiple":
            ids = [o.id for o in self.question.options]
            return [oid for oid, box in zip(ids, self.control.children, strict=True) if box.value]
        if self.question.type == "numeric":
            return self.control.value if self.control.value.strip() else None
        return self.control.value

    @value.setter
    def value(self, value) -> None:
        if self.question.type == "multiple":
            chosen = set(value or [])
            for option, box in zip(self.question.options, self.control.children, strict=True):
                box.value = option.id in chosen
        elif self.question.type == "numeric":
            self.control.value = "" if value is None else str(value)
        else:
            self.control.value = value

    def check(self) -> bool | None:
        """Judge the current answer and show the feedback; never raises."""
        try:
            verdict = evaluate(self.question, self.value, attempts=self.attempts)
        except Exception as err:  # a callback must not end in a traceback
            self.feedback.value = feedback_html(
                f"Sorry, this answer could not be checked ({type(err).__name__}: {err}). "
                "Change it and press Check again.",
                None,
            )
            return None
        if verdict.correct is False:
            self.attempts += 1
        if verdict.correct is not None:
            self.correct = verdict.correct
        self.feedback.value = feedback_html(verdict.message, verdict.correct)
        return verdict.correct

    def reset(self) -> None:
        self.value = None
        self.attempts, self.correct = 0, False
        self.feedback.value = ""


class QuizUI:
    """The whole quiz as widgets. ``box`` is what gets displayed; ``questions`` maps id -> view."""

    def __init__(self, quiz):
        self.quiz = quiz
        bank = quiz.bank
        shared = _Shared()
        self.questions = {
            q.id: QuestionUI(i, q, shared) for i, q in enumerate(bank.questions, start=1)
        }
        for view in self.questions.values():
            view.check_button.on_click(lambda _button, view=view: self._on_check(view))
        self.score_line = shared.html_widget(self._score_text())
        self.learner = widgets.Text(
            value=quiz.learner or "",
            description="Your name:",
            layout=shared.layout,
            style=shared.text,
        )
        self.learner.observe(self._on_learner, names="value")
        self.reset_button = widgets.Button(
            description="Start over", layout=shared.layout, style=shared.button
        )
        self.reset_button.on_click(lambda _button: self.reset())
        title = shared.html_widget(f"<h4>{inline_markup(bank.title)}</h4>")
        footer = widgets.HBox([self.learner, self.reset_button], layout=shared.layout)
        views = [view.box for view in self.questions.values()]
        self.box = widgets.VBox([title, *views, self.score_line, footer], layout=shared.layout)

    def _score_text(self) -> str:
        n = sum(view.correct for view in self.questions.values())
        return f"Score: {n} of {len(self.questions)} checked correct."

    def _on_check(self, view: QuestionUI) -> None:
        view.check()
        self.score_line.value = self._score_text()

    def _on_learner(self, change) -> None:
        self.quiz.learner = change["new"].strip() or None

    def answers(self) -> dict:
        """``{question_id: value}`` for the answered questions."""
        values = {qid: view.value for qid, view in self.questions.items()}
        return {qid: v for qid, v in values.items() if v not in (None, [])}

    def check_all(self) -> None:
        for view in self.questions.values():
            view.check()
        self.score_line.value = self._score_text()

    def reset(self) -> None:
        for view in self.questions.values():
            view.reset()
        self.score_line.value = self._score_text()
