"""Each chapter's quick checks (issue 29; authors' guide: the quick-check section of
CONTRIBUTING.md): the cells that show them, and their bank items."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from course_utils.quiz import load_bank
from course_utils.quiz.bank import BANK_DIR, QUICK_CHECK_PREFIX

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
MARKER = re.compile(r"<!--\s*quick-check:([^>]*)-->")
# Sections that are not core: they need no quick check of their own.
NOT_CORE = re.compile(
    r"^(exercises|check yourself|quiz|further reading|summary|key result|deep dive)",
    re.IGNORECASE,
)
# Chapters whose `<!-- quick-check: ... -->` markers are not yet cells: run
# `tools/quick_check_cells.py chapters/<stem>.ipynb`, execute the chapter, and remove it here
# (a listed chapter that passes fails its test, so the list only shrinks).
PENDING: set[str] = set()


def quick_check_calls(source: str) -> list[tuple[str, tuple[str, ...]]]:
    """``[(bank, ids)]`` for every ``quick_check("bank", "qc-...", ...)`` call in ``source``
    (arguments must be string literals)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    calls = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "quick_check"
        ):
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            calls.append((args[0] if args else None, tuple(args[1:])))
    return calls


def sections(nb) -> list[tuple[str, list]]:
    """``[(heading, cells)]`` for each ``## `` section of the chapter, in order."""
    found: list[tuple[str, list]] = []
    for cell in nb.cells:
        heading = (
            re.match(r"^## (.+)$", cell.source, re.M) if cell.cell_type == "markdown" else None
        )
        if heading:
            found.append((heading[1].strip(), []))
        if found:
            found[-1][1].append(cell)
    return found


def problems(path: Path, bank_dir: Path = BANK_DIR) -> list[str]:
    """What is wrong with the quick checks of one chapter (empty when nothing is)."""
    nb = nbformat.read(path, as_version=4)
    stem = path.stem
    found: list[str] = []
    shown: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for marker in MARKER.findall(cell.source):
                found.append(
                    f"marker <!-- quick-check:{marker}--> left: replace it with a code cell "
                    f'`quick_check("{stem}", {", ".join(chr(34) + i + chr(34) for i in marker.split())})`'
                    " tagged remove-input (see CONTRIBUTING.md)"
                )
            continue
        calls = quick_check_calls(cell.source)
        for bank, ids in calls:
            if bank != stem:
                found.append(f"quick_check({bank!r}, ...) in {stem}: show this chapter's bank")
            if not ids or None in ids:
                found.append(f"quick_check in {stem}: ids must be string literals, at least one")
            shown += [i for i in ids if isinstance(i, str)]
        if calls:
            if "remove-input" not in cell.metadata.get("tags", []):
                found.append(f"{stem}: a quick-check cell must be tagged remove-input")
            last = ast.parse(cell.source).body[-1]
            if not (isinstance(last, ast.Expr) and quick_check_calls(ast.unparse(last))):
                found.append(f"{stem}: a quick-check cell must end with the quick_check(...) call")
    bank_file = bank_dir / f"{stem}.yaml"
    if not bank_file.is_file():
        return found + ([f"{stem}: quick checks shown but no bank"] if shown else [])
    bank = load_bank(bank_file)
    available = [q.id for q in bank.quick_checks]
    for qid in shown:
        if qid not in available:
            found.append(f"{stem}: {qid!r} is not a quick check of its bank ({available})")
    for qid in sorted({q for q in shown if shown.count(q) > 1}):
        found.append(f"{stem}: {qid!r} is shown more than once")
    for qid in available:
        if qid not in shown:
            found.append(f"{stem}: bank item {qid!r} is never shown in the chapter")
    if shown:  # once a chapter has quick checks, every core section ends with one
        for heading, cells in sections(nb):
            if NOT_CORE.match(heading):
                continue
            if not any(quick_check_calls(c.source) for c in cells if c.cell_type == "code"):
                found.append(f"{stem}: core section {heading!r} has no quick check")
    return found


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            marks=[pytest.mark.xfail(strict=True, reason="markers not yet converted")]
            if p.stem in PENDING
            else [],
        )
        for p in CHAPTERS
    ],
    ids=lambda p: p.stem,
)
def test_quick_checks_of_each_chapter(path):
    assert problems(path) == []


def test_pending_chapters_exist():
    assert {p.stem for p in CHAPTERS} >= PENDING


def _with_markers(nb):
    """``nb`` with each quick-check cell put back as a marker at the end of the markdown
    cell before it (the form chapter authors write)."""
    cells = []
    for cell in nb.cells:
        calls = quick_check_calls(cell.source) if cell.cell_type == "code" else []
        if not calls:
            cells.append(cell)
            continue
        marker = f"<!-- quick-check: {' '.join(calls[0][1])} -->"
        if cells and cells[-1].cell_type == "markdown":
            cells[-1].source = cells[-1].source.rstrip("\n") + "\n\n" + marker
        else:
            cells.append(nbformat.v4.new_markdown_cell(marker))
    nb.cells = cells
    return nb


@pytest.mark.parametrize("stem", [p.stem for p in CHAPTERS if p.stem not in PENDING])
def test_the_conversion_tool_round_trips(stem, tmp_path):
    """tools/quick_check_cells.py turns markers back into the chapter's own quick-check
    cells, with the prose unchanged and every rule met."""
    import subprocess
    import sys

    chapter = nbformat.read(ROOT / "chapters" / f"{stem}.ipynb", as_version=4)
    original = [c.source for c in chapter.cells if quick_check_calls(c.source)]
    if not original:
        pytest.skip(f"{stem} has no quick checks")
    copy = tmp_path / f"{stem}.ipynb"
    nbformat.write(_with_markers(nbformat.read(ROOT / "chapters" / f"{stem}.ipynb", 4)), copy)
    tool = [sys.executable, str(ROOT / "tools" / "quick_check_cells.py"), str(copy)]
    assert subprocess.run([*tool, "--check"], capture_output=True).returncode == 1
    subprocess.run(tool, check=True, capture_output=True)
    assert subprocess.run([*tool, "--check"], capture_output=True).returncode == 0
    assert problems(copy) == []
    after = nbformat.read(copy, as_version=4)
    assert [c.source for c in after.cells if quick_check_calls(c.source)] == original
    text = "\n".join(c.source for c in chapter.cells if c.cell_type == "markdown")
    kept = "\n".join(c.source for c in after.cells if c.cell_type == "markdown")
    assert text.split() == kept.split()  # only the markers came and went


def test_the_on_ramp_has_quick_checks():
    nb = nbformat.read(ROOT / "chapters" / "02_uncertainty.ipynb", as_version=4)
    assert any(quick_check_calls(c.source) for c in nb.cells if c.cell_type == "code")


def test_the_check_finds_what_is_wrong(tmp_path):
    """Each rule fails on a chapter built to break it."""
    import yaml

    option = [
        {"id": "a", "text": "A", "correct": True, "feedback": "Y."},
        {"id": "b", "text": "B", "correct": False, "feedback": "N.", "misconception": "M."},
    ]
    items = [
        {"id": i, "type": "single", "prompt": "P?", "explanation": "E.", "options": option}
        for i in ("end", "qc-one", "qc-two", "qc-never")
    ]
    (tmp_path / "99_demo.yaml").write_text(
        yaml.safe_dump({"quiz": "99_demo", "title": "T", "version": "1", "questions": items})
    )
    v4 = nbformat.v4
    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# 99. Demo"),
            v4.new_markdown_cell("## First\n\nText.\n\n<!-- quick-check: qc-one -->"),
            v4.new_code_cell('quick_check("99_demo", "qc-one", "qc-zzz")'),
            v4.new_markdown_cell("## Second"),
            v4.new_code_cell(
                'quick_check("99_demo", "qc-two")\nx = 1', metadata={"tags": ["remove-input"]}
            ),
            v4.new_code_cell(
                'quick_check("99_demo", "qc-two")', metadata={"tags": ["remove-input"]}
            ),
            v4.new_markdown_cell("## Third, no check"),
            v4.new_markdown_cell("## Exercises"),
        ]
    )
    path = tmp_path / "99_demo.ipynb"
    nbformat.write(nb, path)
    found = "\n".join(problems(path, bank_dir=tmp_path))
    for expected in (
        "marker <!-- quick-check: qc-one --> left",
        "must be tagged remove-input",
        "must end with the quick_check(...) call",
        "'qc-zzz' is not a quick check",
        "'qc-two' is shown more than once",
        "bank item 'qc-never' is never shown",
        "core section 'Third, no check' has no quick check",
    ):
        assert expected in found, (expected, found)
    assert "'Exercises'" not in found and "'First'" not in found
    assert QUICK_CHECK_PREFIX == "qc-"
