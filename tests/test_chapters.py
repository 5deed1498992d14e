"""The book's structure and each chapter's conventions (see CONTRIBUTING.md)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from course_utils.instructor.course import read_toc

ROOT = Path(__file__).resolve().parents[1]
EXPECTED_ORDER = [
    "01_rnn_metrics",
    "02_uncertainty",
    "03_gru_metrics",
    "04_precision_recall_tradeoff",
    "05_segments_and_events",
    "06_next_token",
    "07_forecasting",
    "08_evaluation_at_scale",
    "09_pitfalls",
    "10_self_check",
]


def toc_files() -> list[str]:
    return [entry.file for entry in read_toc(ROOT)]


def test_only_read_toc_parses_the_toc():
    """One reader of _toc.yml: course_utils.instructor.course.read_toc."""
    owner = ROOT / "course_utils" / "instructor" / "course.py"
    load = re.compile(r"yaml\.(?:safe_)?load")
    bad = []
    for folder in ("course_utils", "tools", "tests", "_ext", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if path != owner and "_toc.yml" in text and load.search(text):
                lines = [line for line in text.splitlines() if "_toc.yml" in line]
                if any(load.search(line) or "read_text" in line for line in lines):
                    bad.append(str(path.relative_to(ROOT)))
    assert not bad, f"parse _toc.yml through read_toc instead: {bad}"


def chapter_paths() -> list[Path]:
    return sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


CHAPTERS = chapter_paths()


def cells_with_tag(nb, tag):
    return [c for c in nb.cells if tag in c.metadata.get("tags", [])]


def test_every_toc_entry_exists():
    for name in toc_files():
        matches = list(ROOT.glob(f"{name}.*"))
        assert matches, f"_toc.yml lists {name!r} but no such file exists"


def test_every_chapter_is_in_the_toc_in_course_order():
    listed = [Path(f).name for f in toc_files() if f.startswith("chapters/")]
    on_disk = [p.stem for p in CHAPTERS]
    assert sorted(listed) == on_disk, "chapters/ and _toc.yml disagree"
    assert listed == [c for c in EXPECTED_ORDER if c in listed]
    assert set(on_disk) <= set(EXPECTED_ORDER), "chapter names are fixed by the course plan"


def test_front_pages_exist():
    assert {"intro", "how_to_use"} <= set(toc_files())


@pytest.fixture(params=CHAPTERS, ids=lambda p: p.stem)
def chapter(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_kernel_and_clean_metadata(chapter):
    path, nb = chapter
    assert nb.metadata.kernelspec.name == "python3"
    assert "widgets" not in nb.metadata, f"{path.name}: widget state must be stripped"
    for cell in nb.cells:
        assert "execution" not in cell.metadata, f"{path.name}: timing metadata committed"


def test_committed_with_outputs_and_nothing_on_stderr(chapter):
    path, nb = chapter
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count is not None for c in code), (
        f"{path.name}: commit it executed (make notebooks)"
    )
    for cell in code:
        for out in cell.outputs:
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"{path.name}: stderr output in cell {cell.source[:60]!r}"
            )
            assert "application/vnd.jupyter.widget-view+json" not in out.get("data", {})
            text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
            assert not re.search(r"\d+%\|", text), f"{path.name}: progress bar in outputs"


def test_structure(chapter):
    path, nb = chapter
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert nb.cells[0].source.startswith("# "), f"{path.name}: starts with its title"
    assert "Learning objectives" in markdown
    if path.stem != "10_self_check":
        assert "Key result" in markdown
        exercises = re.findall(r":label: (ex-[\w-]+)", markdown)
        assert len(exercises) >= 3, f"{path.name}: at least three exercises"
        for label in exercises:
            assert re.search(rf"\{{solution-start\}} {re.escape(label)}\b", markdown), label
        assert f'Quiz("{path.stem}")' in code, f"{path.name}: ends with its quiz"
    assert "seed_everything(" in code


def test_solution_cells_are_tagged(chapter):
    path, nb = chapter
    inside = False
    for cell in nb.cells:
        src = cell.source
        if "{solution-start}" in src:
            inside = True
        if inside:
            assert "solution" in cell.metadata.get("tags", []), (
                f"{path.name}: cell in a solution lacks the `solution` tag: {src[:60]!r}"
            )
        if "{solution-end}" in src:
            inside = False
    assert not inside, f"{path.name}: solution-start without solution-end"


def test_machine_dependent_outputs_come_with_assertions(chapter):
    path, nb = chapter
    if cells_with_tag(nb, "nbval-ignore-output"):
        asserted = [
            c
            for c in cells_with_tag(nb, "remove-cell")
            if "assert" in c.source or "claim(" in c.source  # course_utils.book.claim
        ]
        assert asserted, f"{path.name}: ignored outputs need asserted claims (remove-cell)"


def test_chapters_do_not_redefine_models(chapter):
    path, nb = chapter
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not re.search(r"^class \w+\((nn\.)?Module\)", cell.source, re.M), (
                f"{path.name}: models come from course_utils.models"
            )


def test_chapters_do_not_redefine_package_helpers(chapter):
    """A helper the package provides is called, not re-written in a chapter (issue 17)."""
    import importlib

    public = set()
    for name in ("data", "metrics", "models", "plots", "training"):
        public |= set(importlib.import_module(f"course_utils.{name}").__all__)
    path, nb = chapter
    for cell in nb.cells:
        if cell.cell_type == "code":
            for name in re.findall(r"^def (\w+)\(", cell.source, re.M):
                assert name not in public, f"{path.name}: call course_utils' {name} instead"


def test_first_code_cell_imports_only_the_basics(chapter):
    """Every other import sits in the cell that first uses it ("a chapter imports what it
    shows", issue 17)."""
    path, nb = chapter
    code = [c for c in nb.cells if c.cell_type == "code"]
    first = next(c for c in code if "setup-install" not in c.metadata.get("tags", []))
    lines = first.source.splitlines()
    assert len(lines) <= 15, f"{path.name}: first code cell has {len(lines)} lines"
    from_course = [
        line for line in lines if line.startswith(("from course_utils", "import course"))
    ]
    assert from_course == ["from course_utils import seed_everything"], from_course
    assert re.search(r"^SEED = seed_everything\(0[,)]", first.source, re.M), path.name


# ---- Normalisation by tools/execute_notebooks.py (set-up cell, JupyterLab metadata) ----


def _normaliser():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "execute_notebooks", ROOT / "tools" / "execute_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sample_notebook():
    v4 = nbformat.v4
    nb = v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    nb.cells = [
        v4.new_markdown_cell("# 9. A sample chapter"),
        v4.new_code_cell("import numpy as np"),
        v4.new_code_cell("assert 1 + 1 == 2", metadata={"tags": ["remove-cell"]}),
        v4.new_markdown_cell(":::{solution-start} ex-x\n:::", metadata={"tags": ["solution"]}),
        v4.new_code_cell("print(2)", metadata={"tags": ["solution"]}),
        v4.new_markdown_cell(":::{solution-end}\n:::", metadata={"tags": ["solution"]}),
    ]
    return nb


def test_normaliser_adds_pinned_setup_cell_and_lab_metadata(tmp_path):
    import copy
    import subprocess

    tools = _normaliser()
    nb = tools.normalise(_sample_notebook())
    assert tools.normalise(copy.deepcopy(nb)) == nb, "normalising twice changes the notebook"
    setup = nb.cells[1]
    assert setup.cell_type == "code" and nb.cells[0].source.startswith("# ")
    assert setup.metadata["tags"] == [tools.SETUP_TAG, "remove-cell"]
    assert setup.metadata["jupyter"] == {"source_hidden": True}, "folded, output visible"
    version = re.search(
        r'^__version__ = "(.+)"', (ROOT / "course_utils/__init__.py").read_text(), re.M
    )
    assert f'COURSE_UTILS_VERSION = "{version.group(1)}"' in setup.source
    assert "COURSE_UTILS_SOURCE" in setup.source
    assert 'figure_formats = ["retina", "svg"]' in setup.source  # PNG pages, SVG figure pack
    claim, start, code, end = nb.cells[3:]
    assert claim.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert code.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert start.metadata["jupyter"] == end.metadata["jupyter"] == {"source_hidden": True}
    assert nb.cells[2].source == "import numpy as np" and "jupyter" not in nb.cells[2].metadata
    # A refreshed cell replaces the old one, wherever it was.
    nb.cells.append(nb.cells.pop(1))
    assert [c.source for c in tools.normalise(nb).cells].count(setup.source) == 1
    # The generated code passes the project's linters as part of a chapter.
    path = tmp_path / "chapters" / "09_sample.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [
                str(ROOT / ".venv/bin/ruff"),
                *command,
                "--config",
                str(ROOT / "pyproject.toml"),
                str(path),
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_package_version_matches_pyproject():
    pyproject = (ROOT / "pyproject.toml").read_text()
    init = (ROOT / "course_utils/__init__.py").read_text()
    assert re.search(r'^version = "(.+)"', pyproject, re.M).group(1) == re.search(
        r'^__version__ = "(.+)"', init, re.M
    ).group(1), "bump course_utils.__version__ and pyproject.toml together"


def test_chapter_is_normalised(chapter):
    """Satisfied once the chapters are re-executed with `make notebooks`."""
    import copy

    path, nb = chapter
    fresh = _normaliser().normalise(copy.deepcopy(nb))

    def shape(notebook):
        return [(c.cell_type, c.source, dict(c.metadata)) for c in notebook.cells]

    assert shape(nb) == shape(fresh), (
        f"{path.name}: run `make notebooks` (tools/execute_notebooks.py)"
    )
