"""tools/lab_notebooks.py: the glued values written into the chapters that JupyterLab shows."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_utils.instructor import glue

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
try:
    import lab_notebooks
finally:
    sys.path.pop(0)

pytest.importorskip("myst_nb")


def _glued(name: str, **data) -> dict:
    record = {f"application/papermill.record/{k.replace('_', '/')}": v for k, v in data.items()}
    return new_output(
        "display_data",
        data=record,
        metadata={"scrapbook": {"mime_prefix": "application/papermill.record/", "name": name}},
    )


@pytest.fixture
def notebook():
    code = new_code_cell("glue(...)")
    code.outputs = [
        _glued("precision", text_plain="0.9090909090909091"),
        _glued("label", text_plain="'GRU'"),
        _glued("count", text_plain="3"),
        _glued(
            "verdict",
            text_plain="<IPython.core.display.Markdown object>",
            text_markdown="Both intervals lie **above 0**.",
        ),
    ]
    prose = new_markdown_cell(
        "Precision {glue:text}`precision:.2f` ({glue:text}`precision:.0%`), the "
        "{glue:text}`label` wins {glue:text}`count` times. {glue:md}`verdict`\n"
        "{glue:md}`verdict:myst` Unknown: {glue:text}`nothing:.2f`, "
        "{glue:text}`other.ipynb::precision:.2f`."
    )
    return new_notebook(cells=[code, prose])


def test_glue_is_written_as_the_book_shows_it(notebook):
    missing = glue.paste_glue(notebook)
    assert notebook.cells[1].source == (
        "Precision 0.91 (91%), the GRU wins 3 times. Both intervals lie **above 0**.\n"
        "Both intervals lie **above 0**. Unknown: {glue:text}`nothing:.2f`, "
        "{glue:text}`other.ipynb::precision:.2f`."
    )
    assert missing == ["{glue:text}`nothing:.2f`", "{glue:text}`other.ipynb::precision:.2f`"]
    assert notebook.cells[0].source == "glue(...)"  # code and outputs untouched
    assert len(notebook.cells[0].outputs) == 4


def test_glue_text_uses_myst_nbs_formatting():
    """Values are formatted exactly as the book build (myst-nb) formats them."""
    from myst_nb.core.variables import format_plain_text

    for plain in ("0.123456", "12", "-3.5e-07", "'JapaneseVowels'", "np.float64(0.5)", "True"):
        values = {"x": {"text/plain": plain}}
        for spec in (".2f", ".1%", "s", ".3g", "", "d", ",.0f"):
            try:
                expected = format_plain_text(plain, spec)
            except (TypeError, ValueError):
                expected = None  # the role is then left as it is
            assert glue.glue_text("text", f"x:{spec}", values) == expected, (plain, spec)


def test_cli_writes_copies_and_keeps_newer_edits(notebook, tmp_path, capsys):
    source = tmp_path / "chapter.ipynb"
    nbformat.write(notebook, source)
    out = tmp_path / "lab"
    assert lab_notebooks.main([str(source), "--out", str(out)]) == 0
    assert "no stored value for" in capsys.readouterr().err
    copy = out / "chapter.ipynb"
    assert "Precision 0.91" in nbformat.read(copy, as_version=4).cells[1].source
    assert lab_notebooks.main([str(source), "--out", str(out), "--strict"]) == 0  # up to date
    copy.write_text(copy.read_text().replace("Precision 0.91", "My note"))
    os.utime(copy, (source.stat().st_mtime + 10,) * 2)
    lab_notebooks.main([str(source), "--out", str(out)])
    assert "My note" in copy.read_text()  # a learner's edit survives
    os.utime(source, (source.stat().st_mtime + 20,) * 2)
    assert lab_notebooks.main([str(source), "--out", str(out), "--strict"]) == 1
    assert "My note" not in copy.read_text()  # the chapter changed: a fresh copy
    assert lab_notebooks.main(["--in-place", str(source)]) == 0
    assert "{glue:text}`precision" not in source.read_text()


@pytest.mark.parametrize("chapter", sorted(p.name for p in (ROOT / "chapters").glob("*.ipynb")))
def test_chapter_glue_all_resolves(chapter):
    """Every glue role of a chapter has its value stored, so JupyterLab shows no name."""
    path = ROOT / "chapters" / chapter
    if not path.is_file():
        pytest.skip(f"{chapter} is not written yet")
    nb = nbformat.read(path, as_version=4)
    roles = sum(
        len(glue.GLUE_ROLE.findall(c.source)) for c in nb.cells if c.cell_type == "markdown"
    )
    assert glue.paste_glue(nb) == []
    assert roles and not any("{glue" in c.source for c in nb.cells if c.cell_type == "markdown")
