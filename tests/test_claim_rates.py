"""Tests for tools/claim_rates.py on a small fabricated notebook (never on the chapters)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
for name in ("run_claims", "claim_rates"):  # workers find these modules by name
    if name in sys.modules:  # one module object per session (test_run_claims loads it too)
        continue
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
claim_rates = sys.modules["claim_rates"]

CELLS = [
    new_markdown_cell("# A chapter"),
    new_code_cell("from course_utils import seed_everything\nSEED = seed_everything(0)"),
    new_code_cell(  # 2: a claim through the helper, false for seed 2
        "from course_utils.book import claim\nclaim(SEED != 2, 'seed two is special', seed=SEED)",
        metadata={"tags": ["remove-cell"]},
    ),
    new_code_cell("assert SEED < 3, 'small seeds only'", metadata={"tags": ["remove-cell"]}),
    new_code_cell("assert True"),  # 4: always holds
    new_code_cell("x = 1 if SEED != 1 else undefined_name"),  # 5: not a claim; breaks seed 1
    new_code_cell("assert x == 1", metadata={"tags": ["remove-cell"]}),  # 6: errors for seed 1
    new_code_cell("raise KeyError('shown on purpose')", metadata={"tags": ["raises-exception"]}),
    new_code_cell("y = 2  # no claim here"),
]


def test_claim_cells_are_found_by_what_they_assert():
    nb = new_notebook(cells=CELLS)
    cells = claim_rates.claim_cells(nb)
    assert cells == {
        2: "seed two is special",
        3: "assert SEED < 3, 'small seeds only'",
        4: "assert True",
        6: "assert x == 1",
    }
    assert claim_rates._is_claim_code("%time x = 1\nassert x")  # magics: by the words
    assert not claim_rates._is_claim_code("claimed = 3")


def test_failure_shares_per_claim_cell(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "chapter.ipynb"
    nbformat.write(new_notebook(cells=CELLS), path)
    stored = path.read_bytes()
    out_json = tmp_path / "rates.json"
    code = claim_rates.main(
        ["chapter.ipynb", "--seeds", "1,2,3,4", "--jobs", "2", "--json", str(out_json)]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("COURSE_SEED values (given): 1,2,3,4")
    rows = {row["cell"]: row for row in json.loads(out_json.read_text())["rows"]}
    assert (rows[3]["failed"], rows[3]["runs"], rows[3]["failed_seeds"]) == (2, 4, [3, 4])
    assert (rows[2]["failed"], rows[2]["failed_seeds"]) == (1, [2])
    assert "ClaimError: Claim does not hold: seed two is special (seed = 2)" in rows[2]["messages"]
    assert (rows[4]["failed"], rows[4]["errored"]) == (0, 0)
    assert (rows[6]["failed"], rows[6]["errored"]) == (0, 1)  # NameError after cell 5 broke
    assert rows[3]["low"] < 0.5 < rows[3]["high"]  # Clopper-Pearson for 2 of 4
    lines = out.splitlines()
    worst = next(line for line in lines if "cell   3" in line)
    assert "failed    2/4 (50%, 95% CI 7-93%)" in worst
    assert any("COURSE_SEED=1: cell 5 (not a claim) raised NameError" in line for line in lines)
    assert "claim_rates: 1/4 claim cells held in every run (1 chapters x 4 seeds)" in out
    assert path.read_bytes() == stored  # the stored notebook is never written
    assert claim_rates.main(["chapter.ipynb", "--seeds", "3", "--fail-above", "0.5"]) == 1


def test_usage_errors_exit_2(tmp_path, capsys):
    assert claim_rates.main([str(tmp_path / "missing.ipynb")]) == 2
    assert claim_rates.main(["--seeds", "x"]) == 2
    assert claim_rates.main(["--fail-above", "2"]) == 2
    assert "claim_rates:" in capsys.readouterr().err
