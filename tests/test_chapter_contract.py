"""The chapter authoring contract (issue 28; CONTRIBUTING.md, "Writing and changing chapters").

- Visible cells compute and show: no ``glue(``, no ``assert``, no ``claim(``/``record(``, no
  prose assembled from strings (``Markdown(``/``HTML(``), at most ``MAX_LINES`` lines of code
  and ``MAX_COLUMNS`` columns, and they define everything they use: the visible code alone,
  in order, has no undefined name (a learner's copy of the code runs without the hidden cells).
- Hidden claims cells (tag ``remove-cell``) glue and assert through one helper,
  :func:`course_utils.book.record` and :func:`course_utils.book.claim`: no bare ``glue(`` or
  ``assert``.

``PENDING`` lists the chapters not yet converted, rule by rule. A listed chapter that already
meets a rule fails its test (strict xfail), so the list only shrinks.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
MAX_LINES = 25
MAX_COLUMNS = 80
HIDDEN = {"remove-cell", "setup-install"}

# rule -> chapters not yet converted (remove a chapter once it complies)
PENDING: dict[str, set[str]] = {}


def _tags(cell) -> set[str]:
    return set(cell.metadata.get("tags", []))


def _code(source: str) -> str:
    """Python source with IPython magics and shell escapes blanked out."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )


def visible_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and not _tags(c) & HIDDEN]


def claims_cells(nb) -> list:
    return [
        c
        for c in nb.cells
        if c.cell_type == "code" and "remove-cell" in _tags(c) and "setup-install" not in _tags(c)
    ]


def _calls(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute):
                names.add(func.attr)
    return names


def _asserts(tree: ast.AST) -> int:
    return sum(isinstance(node, ast.Assert) for node in ast.walk(tree))


def visible_problems(nb) -> list[str]:
    problems = []
    for index, cell in enumerate(visible_cells(nb)):
        tree = ast.parse(_code(cell.source))
        banned = _calls(tree) & {"glue", "claim", "record", "Markdown", "HTML"}
        if banned:
            problems.append(f"visible cell {index} calls {sorted(banned)}: {cell.source[:50]!r}")
        if _asserts(tree):
            problems.append(f"visible cell {index} asserts: {cell.source[:50]!r}")
    return problems


def long_cells(nb) -> list[str]:
    out = []
    for index, cell in enumerate(visible_cells(nb)):
        lines = [line for line in cell.source.splitlines() if line.strip()]
        if len(lines) > MAX_LINES:
            out.append(f"visible cell {index} has {len(lines)} lines: {cell.source[:50]!r}")
    return out


def wide_lines(nb) -> list[str]:
    return [
        f"{len(line)} columns: {line[:60]!r}"
        for cell in visible_cells(nb)
        for line in cell.source.splitlines()
        if len(line) > MAX_COLUMNS
    ]


def undefined_names(nb) -> list[str]:
    """ruff's F821 (undefined name) over the visible cells alone, in order, as one script."""
    script = "\n\n".join(_code(c.source) for c in visible_cells(nb)) + "\n"
    result = subprocess.run(
        [
            str(ROOT / ".venv/bin/ruff"),
            "check",
            "--isolated",
            "--select",
            "F821",
            "--output-format",
            "json",
            "--stdin-filename",
            "visible.py",
            "-",
        ],
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    return sorted({d["message"] for d in json.loads(result.stdout or "[]")})


def claims_problems(nb) -> list[str]:
    problems = []
    for cell in claims_cells(nb):
        tree = ast.parse(_code(cell.source))
        if "glue" in _calls(tree) or _asserts(tree):
            problems.append(f"claims cell uses bare glue()/assert: {cell.source[:60]!r}")
    return problems


RULES = {
    "visible-cells-only-compute-and-show": visible_problems,
    "visible-cells-are-short": long_cells,
    "visible-code-fits-the-page": wide_lines,
    "visible-cells-define-what-they-use": undefined_names,
    "claims-go-through-the-helper": claims_problems,
}


def _cases():
    for rule in RULES:
        for path in CHAPTERS:
            marks = []
            if path.stem in PENDING.get(rule, set()):
                marks.append(
                    pytest.mark.xfail(strict=True, reason=f"{path.stem}: not yet converted")
                )
            yield pytest.param(rule, path, id=f"{rule}-{path.stem}", marks=marks)


@pytest.mark.parametrize(("rule", "path"), list(_cases()))
def test_chapter_meets_the_authoring_contract(rule, path):
    nb = nbformat.read(path, as_version=4)
    problems = RULES[rule](nb)
    assert not problems, f"{path.name} breaks {rule}:\n" + "\n".join(problems[:10])


def test_pending_names_only_existing_chapters_and_rules():
    stems = {p.stem for p in CHAPTERS}
    assert set(PENDING) <= set(RULES)
    for rule, chapters in PENDING.items():
        assert chapters <= stems, f"{rule}: {sorted(chapters - stems)} no longer exist"


def test_the_checks_catch_what_they_forbid():
    v4 = nbformat.v4
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_code_cell("x = 1\nassert x\nglue('a', x)"),
        v4.new_code_cell("y = hidden_value + 1"),
        v4.new_code_cell("print('" + "w" * 90 + "')"),
        v4.new_code_cell("\n".join(f"v{i} = {i}" for i in range(MAX_LINES + 1))),
        v4.new_code_cell(
            "hidden_value = 2\nassert hidden_value\nglue('b', 2)",
            metadata={"tags": ["remove-cell"]},
        ),
    ]
    assert len(visible_problems(nb)) == 2
    assert "Undefined name `hidden_value`" in undefined_names(nb)
    assert len(wide_lines(nb)) == 1 and len(long_cells(nb)) == 1
    assert len(claims_problems(nb)) == 1
    assert not re.search("hidden_value", " ".join(visible_problems(nb)))
