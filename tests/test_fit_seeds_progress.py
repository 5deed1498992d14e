"""fit_seeds shows one progress bar over the seeds (issue 29), honouring TQDM_DISABLE."""

from __future__ import annotations

import re
import sys

import pytest

from course_utils.data import make_long_range_task
from course_utils.models import SequenceClassifier
from course_utils.training import fit_seeds


@pytest.fixture(scope="module")
def train():
    return make_long_range_task(48, length=6, seed=0)


def make_model():
    return SequenceClassifier(1, 4, 2)


def bar_lines(err: str) -> list[str]:
    """The states a tqdm bar drew (it redraws with carriage returns)."""
    return [part for part in re.split(r"[\r\n]", err) if part.startswith("fit_seeds")]


def test_a_bar_over_the_seeds_when_asked(train, capsys, monkeypatch):
    monkeypatch.setenv("TQDM_DISABLE", "1")  # an explicit request wins over the variable
    fit_seeds(make_model, train, seeds=[0, 1, 2], epochs=2, progress=True)
    lines = bar_lines(capsys.readouterr().err)
    assert lines and "3/3" in lines[-1] and "seed=2" in lines[-1] and "train_loss=" in lines[-1]
    assert any("1/3" in line for line in lines)
    assert "epoch" not in "".join(lines), "no bar per run under fit_seeds"


def test_no_bar_under_tqdm_disable_or_when_refused(train, capsys, monkeypatch):
    monkeypatch.setenv("TQDM_DISABLE", "1")
    fit_seeds(make_model, train, seeds=[0, 1], epochs=1)
    monkeypatch.delenv("TQDM_DISABLE")
    fit_seeds(make_model, train, seeds=[0, 1], epochs=1, progress=False)
    assert capsys.readouterr().err == ""


def test_shown_by_default_without_tqdm_disable(train, capsys, monkeypatch):
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    fit_seeds(make_model, train, seeds=[4, 5], epochs=1)
    assert "2/2" in bar_lines(capsys.readouterr().err)[-1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_workers_runs_move_the_bar(train, capsys, monkeypatch):
    """Every seed is counted, the ones trained in forked workers included, with their
    seed and loss; the results are those of the loop without a bar."""
    monkeypatch.setenv("TQDM_DISABLE", "1")
    quiet = fit_seeds(make_model, train, seeds=[0, 1, 2, 3], epochs=2, n_jobs=2)
    assert capsys.readouterr().err == ""
    shown = fit_seeds(make_model, train, seeds=[0, 1, 2, 3], epochs=2, n_jobs=2, progress=True)
    lines = bar_lines(capsys.readouterr().err)
    assert "4/4" in lines[-1]
    counted = {int(m) for line in lines for m in re.findall(r"seed=(\d+)", line)}
    assert counted == {0, 1, 2, 3}
    assert [h.train_loss for _, h in shown] == [h.train_loss for _, h in quiet]


def test_progress_must_be_a_bool(train):
    with pytest.raises(TypeError, match="`progress` to be a bool or None"):
        fit_seeds(make_model, train, seeds=[0], epochs=1, progress="yes")
