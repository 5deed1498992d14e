"""Quiz (course_utils.quiz.display): NumPy answers and empty saves (issue 27, items 22, 24)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from course_utils.quiz import Quiz


@pytest.mark.parametrize(
    "value", [np.float64(0.91), np.float32(0.5), np.int64(3), np.array(0.25), np.array(2)]
)
def test_numpy_scalars_are_the_numbers_they_hold(value):
    quiz = Quiz("10_self_check")
    quiz.answer("seed-precision", value)
    stored = quiz.answers["seed-precision"]
    assert type(stored) in (float, int) and stored == value.item()
    assert quiz.score.correct["seed-precision"] in (True, False)


@pytest.mark.parametrize("value", [np.array([0.9]), np.zeros((0,)), np.ones((2, 2))])
def test_arrays_with_axes_are_a_type_error_naming_value(value):
    with pytest.raises(TypeError, match=r"`value` to be one answer.*NumPy array of shape"):
        Quiz("10_self_check").answer("seed-precision", value)


def test_saving_an_empty_quiz_says_it_is_empty(tmp_path, capsys):
    quiz = Quiz("10_self_check", learner="Ada")
    assert quiz.save(tmp_path, confirm=True) is not None
    assert "It is empty: no question is answered." in capsys.readouterr().out
    assert quiz.save(tmp_path) is None  # asks first ...
    assert "No question is answered yet" in capsys.readouterr().out
    written = quiz.save(tmp_path)  # ... and the second call saves, saying so
    assert json.loads(written.read_text())["answers"] == {}
    assert "It is empty" in capsys.readouterr().out
    quiz.answer("seed-precision", "10/11")
    quiz.save(tmp_path)
    assert capsys.readouterr().out == ""  # a file with answers is saved quietly, as before
