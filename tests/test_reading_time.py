"""tools/reading_time.py: core words leave out folded sections, code and markup."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("reading_time", ROOT / "tools/reading_time.py")
reading_time = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reading_time)


def test_folded_admonitions_and_code_are_not_core():
    source = (
        "One two three.\n\n"
        ":::{admonition} Deep dive: four five\n:class: dropdown\nsix seven eight\n:::\n\n"
        ":::{admonition} Key result\n:class: important\nnine ten\n:::\n"
        "```python\nx = 1 + 2\n```\n"
        "<!-- quick-check: qc-a qc-b -->\n"
    )
    assert reading_time.split_markdown(source) == (3 + 2 + 2, 4 + 3)


def test_roles_count_as_what_they_show():
    source = "A {term}`paired comparison <paired comparison>` of {glue:text}`acc:.3f` - ok"
    assert reading_time.split_markdown(source) == (6, 0)


def test_nested_directives_inside_a_dropdown_stay_folded():
    source = "::::{dropdown} Title here\n:::{note}\ninner words\n:::\nafter\n::::\nout"
    assert reading_time.split_markdown(source) == (1, 2 + 2 + 1)


def test_solution_cells_are_folded(tmp_path):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# 1. A title\n"]},
        {
            "cell_type": "markdown",
            "metadata": {"tags": ["solution"]},
            "source": ["four words here now"],
        },
        {"cell_type": "code", "metadata": {}, "source": ["x = 1\n", "\n", "x"], "outputs": []},
        {"cell_type": "code", "metadata": {"tags": ["remove-cell"]}, "source": ["y = 2"]},
    ]
    path = tmp_path / "01_demo.ipynb"
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert reading_time.count_notebook(path) == {"core": 3, "folded": 4, "code_lines": 2}


def test_display_math_and_tilde_fences_are_not_words():
    """Blocks are MyST's own: display math is not prose, and a ~~~ fence folds like :::."""
    source = "One two.\n\n$$\nz_t = a + b\n$$\n\n~~~{admonition} Deep dive\n:class: dropdown\nthree four\n~~~\n"
    assert reading_time.split_markdown(source) == (2, 2 + 2)
