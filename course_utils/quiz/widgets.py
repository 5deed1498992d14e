"""The quiz as ipywidgets, for a live kernel. Imported only when a widget is first needed.

Per question: the prompt, the control its type builds (:mod:`course_utils.quiz.types`), a
"Check" button and a feedback area. Below: the score, the learner's name and optional id,
"Save answers" (writes ``<quiz>-<learner>-answers.json`` in the current folder, next to the
notebook, after a confirming second press when there is no answer or no name) and
"Start over". Callbacks never raise: an unreadable entry is a message, and an unexpected error
is reported in the feedback area instead of a traceback.

Keyboard and screen readers: a hidden helper widget (an ``anywidget`` whose front-end module is
``static/quiz-widget-keys.js``, sent from Python; nothing is built or downloaded) keeps
ArrowUp/ArrowDown inside a question's radio group in JupyterLab, whose notebook shortcuts
otherwise took them to another cell, names each group of options by its question
(``role="radiogroup"``) and makes the feedback, score and save status ``aria-live``. Without
``anywidget`` installed the quiz works the same, minus that helper.
"""

from __future__ import annotations

import functools

import ipywidgets as widgets

from course_utils._static_html import inline_css, inline_markup, static_text
from course_utils.quiz.bank import Question
from course_utils.quiz.checking import evaluate

_OUTCOME = {True: " cu-quiz-right", False: " cu-quiz-wrong", None: ""}


def feedback_html(message: str, correct: bool | None) -> str:
    """The feedback area's HTML: the (escaped) message, coloured by outcome through the quiz's
    CSS (``static/quiz-widget.css``: readable in JupyterLab's light and dark themes)."""
    return f'<div class="cu-quiz-feedback{_OUTCOME[correct]}">{inline_markup(message)}</div>'


@functools.cache
def _keys_helper_class():
    """The helper's widget class (built once), or None when ``anywidget`` is not installed."""
    try:
        import anywidget
    except ImportError:
        return None

    class QuizKeys(anywidget.AnyWidget):
        """Hidden; its front end keeps arrow keys in the quiz and adds ARIA (module docstring)."""

        _esm = (
            static_text("quiz-widget-keys.js")
            + "\nexport default { render: cuQuizWidgetRender };\n"
        )

    return QuizKeys


def keys_helper():
    """The hidden keyboard/ARIA helper widget for one quiz box, or None without ``anywidget``."""
    helper_class = _keys_helper_class()
    return None if helper_class is None else helper_class(layout=widgets.Layout(display="none"))


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
        self.auto = widgets.Layout(width="auto", height="auto")
        self.html = HTMLStyle()
        self.button = widgets.ButtonStyle()
        self.radio = DescriptionStyle()
        self.checkbox = CheckboxStyle()
        self.text = TextStyle(description_width="initial")

    def html_widget(self, value: str = "") -> widgets.HTML:
        return widgets.HTML(value, layout=self.layout, style=self.html)


class QuestionUI:
    """The widgets of one question; ``value`` reads the answer in answers-file form."""

    def __init__(self, number: int, question: Question, shared: _Shared | None = None):
        shared = shared or _Shared()
        self.question = question
        self.kind = question.kind
        self.attempts = 0  # wrong checks so far (the explanation shows after two)
        self.correct = False  # outcome of the latest check
        self.first_try: bool | None = None  # outcome of the first check (None: not checked)
        self.prompt = shared.html_widget(f"<b>{number}. {inline_markup(question.prompt)}</b>")
        self.control = self.kind.widget(question, shared)
        self.check_button = widgets.Button(
            description="Check",
            tooltip="Check this answer",
            layout=shared.layout,
            style=shared.button,
        )
        self.feedback = shared.html_widget()
        self.prompt.add_class("cu-quiz-prompt")
        self.feedback.add_class("cu-quiz-live")
        self.box = widgets.VBox(
            [self.prompt, self.control, self.check_button, self.feedback], layout=shared.layout
        )
        self.box.add_class("cu-quiz-question")

    @property
    def value(self):
        """The current answer: an option id, a list of option ids, the text typed, or None."""
        return self.kind.widget_value(self.question, self.control)

    @value.setter
    def value(self, value) -> None:
        self.kind.set_widget_value(self.question, self.control, value)

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
            if self.first_try is None:
                self.first_try = verdict.correct
        self.feedback.value = feedback_html(verdict.message, verdict.correct)
        return verdict.correct

    def reset(self) -> None:
        """Clear the answer and the feedback (the first-try record stays)."""
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
        self.learner_id = widgets.Text(
            value=quiz.learner_id or "",
            description="Learner id (optional):",
            placeholder="student number or e-mail",
            layout=shared.layout,
            style=shared.text,
        )
        self.learner_id.observe(self._on_learner_id, names="value")
        self.save_button = widgets.Button(
            description="Save answers",
            tooltip="Write <quiz>-<name>-answers.json next to this notebook",
            layout=shared.layout,
            style=shared.button,
        )
        self.save_button.on_click(lambda _button: self._on_save())
        self.reset_button = widgets.Button(
            description="Start over", layout=shared.layout, style=shared.button
        )
        self.reset_button.on_click(lambda _button: self.reset())
        self.save_status = shared.html_widget()
        self.score_line.add_class("cu-quiz-live")
        self.save_status.add_class("cu-quiz-live")
        css = shared.html_widget(f"<style>{inline_css('quiz-widget.css')}</style>")
        title = shared.html_widget(f"<h4>{inline_markup(bank.title)}</h4>")
        identity = widgets.HBox([self.learner, self.learner_id], layout=shared.layout)
        buttons = widgets.HBox([self.save_button, self.reset_button], layout=shared.layout)
        views = [view.box for view in self.questions.values()]
        helper = keys_helper()
        self.box = widgets.VBox(
            [css, title, *views, self.score_line, identity, buttons, self.save_status]
            + ([helper] if helper is not None else []),
            layout=shared.layout,
        )
        self.box.add_class("cu-quiz-widget")

    def _score_text(self) -> str:
        n = sum(view.correct for view in self.questions.values())
        return f"Score: {n} of {len(self.questions)} checked correct."

    def _on_check(self, view: QuestionUI) -> None:
        view.check()
        self.score_line.value = self._score_text()

    def _on_learner(self, change) -> None:
        self.quiz.learner = change["new"].strip() or None

    def _on_learner_id(self, change) -> None:
        self.quiz.learner_id = change["new"].strip() or None

    def _on_save(self) -> None:
        """Save with the quiz's rules: a first press with no answers or no name asks."""
        try:
            message = self.quiz._save(None, confirm=False, button="Save answers")[1]
        except Exception as err:  # a callback must not end in a traceback
            message = f"Sorry, the answers could not be saved ({type(err).__name__}: {err})."
        self.save_status.value = feedback_html(message, None)

    def answers(self) -> dict:
        """``{question_id: value}`` for the answered questions."""
        values = {qid: view.value for qid, view in self.questions.items()}
        kinds = {qid: view.kind for qid, view in self.questions.items()}
        return {qid: v for qid, v in values.items() if not kinds[qid].is_blank(v)}

    def first_try(self) -> dict:
        """``{question_id: bool}``: whether the first check of each checked question was right."""
        return {qid: v.first_try for qid, v in self.questions.items() if v.first_try is not None}

    def check_all(self) -> None:
        for view in self.questions.values():
            view.check()
        self.score_line.value = self._score_text()

    def reset(self) -> None:
        for view in self.questions.values():
            view.reset()
        self.score_line.value = self._score_text()
        self.save_status.value = ""


class QuickCheckUI:
    """A quick check as widgets: "Quick check", then each question with its Check button and
    feedback; no score, no name, no saving (quick checks are practice). ``box`` is displayed."""

    def __init__(self, check):
        shared = _Shared()
        numbered = len(check.questions) > 1
        self.questions = {
            q.id: QuestionUI(i, q, shared) for i, q in enumerate(check.questions, start=1)
        }
        for view in self.questions.values():
            view.check_button.on_click(lambda _button, view=view: view.check())
            if not numbered:  # one item: no "1." before its prompt, as on the page
                view.prompt.value = f"<b>{inline_markup(view.question.prompt)}</b>"
        css = shared.html_widget(f"<style>{inline_css('quiz-widget.css')}</style>")
        title = shared.html_widget("<h4>Quick check</h4>")
        helper = keys_helper()
        self.box = widgets.VBox(
            [css, title, *(view.box for view in self.questions.values())]
            + ([helper] if helper is not None else []),
            layout=shared.layout,
        )
        self.box.add_class("cu-quiz-widget")
        self.box.add_class("cu-quick-check-widget")
