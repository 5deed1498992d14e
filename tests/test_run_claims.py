"""Tests for tools/run_claims.py (`make claims`): seeds, failures and the untouched notebook."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
if "run_claims" not in sys.modules:  # one module object per session (test_claim_rates too)
    _spec = importlib.util.spec_from_file_location("run_claims", ROOT / "tools" / "run_claims.py")
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["run_claims"] = _module  # worker processes find run_one by module name
    _spec.loader.exec_module(_module)
run_claims = sys.modules["run_claims"]


def test_parse_seeds():
    assert run_claims.parse_seeds("1, 2,3") == [1, 2, 3]
    for bad in ["", "1,,2", "-1", "a", "1.5", "1,1"]:
        with pytest.raises(ValueError, match="seeds"):
            run_claims.parse_seeds(bad)


def test_a_claim_that_fails_under_one_seed_fails_the_run(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(run_claims, "FAILED_COPIES", tmp_path / "failed")
    nb = new_notebook(
        cells=[
            new_code_cell("from course_utils import seed_everything\nSEED = seed_everything(0)"),
            new_code_cell("raise KeyError('allowed')", metadata={"tags": ["raises-exception"]}),
            new_code_cell("open('scratch.txt', 'w').write('a run writes next to its copy')"),
            new_code_cell("assert SEED != 2, f'the claim fails for SEED={SEED}'"),
        ]
    )
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nb, path)
    stored = path.read_bytes()

    assert run_claims.main(["chapter.ipynb", "--seeds", "1,2", "--jobs", "2"]) == 1
    out = capsys.readouterr().out
    assert "COURSE_SEED=1  ok" in out and "COURSE_SEED=2  FAILED" in out
    assert "FAILED chapter.ipynb with COURSE_SEED=2, cell 3: AssertionError: the claim fails" in out
    assert re.search(r"at: -+> 1 assert SEED != 2", out)  # the line that raised
    assert "claims: 1/2 runs passed" in out
    assert path.read_bytes() == stored  # the stored notebook is never written
    assert not (tmp_path / "scratch.txt").exists()  # runs work in a temporary folder
    assert (tmp_path / "failed" / "chapter-seed2.ipynb").is_file()


def test_usage_errors_exit_2(tmp_path, capsys):
    assert run_claims.main([str(tmp_path / "missing.ipynb")]) == 2
    assert run_claims.main(["--seeds", "x"]) == 2
    assert "run_claims:" in capsys.readouterr().err


def test_seeds_are_drawn_anew_spaced_and_printed(tmp_path, capsys, monkeypatch):
    first, second = run_claims.draw_seeds(3), run_claims.draw_seeds(3)
    for seeds in (first, second):
        assert len(set(seeds)) == 3 and seeds == sorted(seeds)
        assert all(s % 1000 == 0 and 1000 <= s <= 999_000 for s in seeds)
    import random

    assert run_claims.draw_seeds(5, rng=random.Random(1)) == run_claims.draw_seeds(
        5, rng=random.Random(1)
    )
    assert run_claims.choose_seeds("4,5", 3) == ([4, 5], False)
    seeds, drawn = run_claims.choose_seeds(None, 4)
    assert drawn and len(seeds) == 4
    line = run_claims.seeds_line([1000, 2000], True)
    assert line == (
        "COURSE_SEED values (drawn for this run): 1000,2000  "
        "(rerun: CLAIM_SEEDS=1000,2000 make claims)"
    )
    with pytest.raises(ValueError, match="between 1 and 999"):
        run_claims.draw_seeds(0)
    # main prints the seeds first; CLAIM_SEEDS fixes them
    monkeypatch.chdir(tmp_path)
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), tmp_path / "tiny.ipynb")
    monkeypatch.setenv("CLAIM_SEEDS", "7")
    assert run_claims.main(["tiny.ipynb", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("COURSE_SEED values (given): 7  (rerun: CLAIM_SEEDS=7")
