"""course_utils.book: the one helper hidden claims cells record and check through."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.book import ClaimError, claim, record, strict_claims


@pytest.fixture
def strict(monkeypatch):
    monkeypatch.setenv("COURSE_STRICT_CLAIMS", "1")


@pytest.fixture
def lenient(monkeypatch):
    monkeypatch.delenv("COURSE_STRICT_CLAIMS", raising=False)


def test_a_claim_that_holds_returns_true_in_either_mode(monkeypatch):
    for value in ("1", ""):
        monkeypatch.setenv("COURSE_STRICT_CLAIMS", value)
        assert claim(2 > 1, "two exceeds one") is True
        assert claim(np.bool_(True), "numpy bools count") is True


def test_strict_mode_raises_an_assertion_error_naming_the_claim_and_values(strict):
    assert strict_claims()
    with pytest.raises(ClaimError, match=r"the GRU wins \(gru = 0\.8123, rnn = 0\.9\)"):
        claim(0.8123 > 0.9, "the GRU wins", gru=0.8123, rnn=0.9)
    assert issubclass(ClaimError, AssertionError)  # tools/run_claims.py and nbval see a failure


def test_lenient_mode_shows_a_note_and_carries_on(lenient, capsys):
    assert not strict_claims()
    assert claim(False, "the GRU wins", gru=0.5) is False
    shown = capsys.readouterr().out
    assert "the GRU wins" in shown and "gru = 0.5" in shown and "still runs" in shown


@pytest.mark.parametrize("condition", [np.array([True, False]), 1, 0.0, None, "yes"])
def test_a_condition_that_is_not_a_bool_is_refused(condition, strict):
    with pytest.raises(TypeError, match="`condition` to be a bool"):
        claim(condition, "something")


def test_the_statement_is_required(strict):
    with pytest.raises(TypeError, match="`statement`"):
        claim(True, "  ")


def test_record_glues_each_value_without_displaying(monkeypatch):
    import myst_nb

    seen = []
    monkeypatch.setattr(
        myst_nb, "glue", lambda name, value, display=True: seen.append((name, value, display))
    )
    record(ch0_a=1.5, ch0_b="x")
    assert seen == [("ch0_a", 1.5, False), ("ch0_b", "x", False)]


def test_record_glues_numpy_and_torch_scalars_as_python_numbers(monkeypatch):
    import myst_nb
    import torch

    seen = {}
    monkeypatch.setattr(
        myst_nb, "glue", lambda name, value, display=True: seen.update({name: value})
    )
    record(a=np.float64(0.25), b=np.int64(3), c=torch.tensor(1.5), d=np.array([1, 2]))
    assert seen["a"] == 0.25 and type(seen["a"]) is float
    assert type(seen["b"]) is int and type(seen["c"]) is float
    assert repr(seen["a"]) == "0.25"  # what myst-nb's format spec reads
    assert isinstance(seen["d"], np.ndarray)


def test_record_glues_numpy_scalars_as_numbers(monkeypatch):
    """glue stores repr(value): NumPy 2 writes np.float64(0.5), which {glue:text}`x:.2f`
    cannot format (myst-nb's rule: course_utils.instructor.glue.format_plain_text)."""
    import myst_nb
    import numpy as np

    from course_utils.instructor.glue import format_plain_text

    seen = {}
    monkeypatch.setattr(
        myst_nb, "glue", lambda name, value, display=True: seen.__setitem__(name, value)
    )
    array = np.array([1.0, 2.0])
    record(ch0_f=np.float64(0.25), ch0_i=np.int64(3), ch0_b=np.bool_(True), ch0_a=array)
    assert [type(seen[k]) for k in ("ch0_f", "ch0_i", "ch0_b")] == [float, int, bool]
    assert seen["ch0_a"] is array  # arrays are glued as they are
    assert format_plain_text(repr(seen["ch0_f"]), ".2f") == "0.25"
    with pytest.raises(ValueError):
        format_plain_text(repr(np.float64(0.25)), ".2f")


# -- a notebook run as a learner runs it, and as CI runs it ------------------------------------


def _chapter_with_a_failing_claim():
    """A chapter in miniature: a visible cell computes, a hidden claims cell records and checks
    a claim that this run breaks (as a learner's changed setting would), a visible cell follows."""
    import nbformat

    v4 = nbformat.v4
    return v4.new_notebook(
        cells=[
            v4.new_code_cell(
                "epochs = 1  # a learner's experiment: the text assumed 20\nscore = 0.5"
            ),
            v4.new_code_cell(
                "from course_utils.book import claim, record\n\n"
                "record(ch0_score=score)\n"
                'claim(score > 0.9, "the model beats 0.9", score=score)',
                metadata={"tags": ["remove-cell"]},
            ),
            v4.new_code_cell("after = score * 2\nprint('the rest ran', after)"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )


def _run(nb):
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return nb


def test_a_failing_claim_in_a_learners_kernel_shows_a_note_and_run_all_carries_on(lenient):
    nb = _run(_chapter_with_a_failing_claim())
    outputs = [o for cell in nb.cells for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    notes = [
        o.data["text/markdown"] for o in nb.cells[1].outputs if "text/markdown" in o.get("data", {})
    ]
    assert len(notes) == 1 and "the model beats 0.9" in notes[0] and "score = 0.5" in notes[0]
    assert "still runs" in notes[0]
    assert nb.cells[2].outputs[0].text == "the rest ran 1.0\n"


def test_the_same_claim_stops_the_run_when_claims_are_strict(strict):
    from nbclient.exceptions import CellExecutionError

    nb = _chapter_with_a_failing_claim()
    with pytest.raises(CellExecutionError, match=r"ClaimError.*the model beats 0\.9"):
        _run(nb)
    assert nb.cells[2].outputs == [] and nb.cells[2].get("execution_count") is None
