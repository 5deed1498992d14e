"""Shared fixtures for the instructor tests: a small chapter that follows CONTRIBUTING.md, a
quiz bank for it, and answers files built with the quiz API."""

from __future__ import annotations

from pathlib import Path

import nbformat
import nbformat.v4 as v4

SOLUTION = {"tags": ["solution"]}
STUB_TAG = "exercise-stub"

BANK_YAML = """\
quiz: 01_demo
title: "Check yourself: the demo chapter"
version: "1"
questions:
  - id: recall-def
    type: single
    prompt: Which denominator does recall use?
    options:
      - {id: positives, text: "All actual positives", correct: true, feedback: "Yes."}
      - {id: flagged, text: "All flagged sequences", correct: false, feedback: "That is precision."}
    explanation: Recall = TP / (TP + FN).
  - id: pitfalls
    type: multiple
    prompt: Which of these inflate a score?
    options:
      - {id: leakage, text: "Leakage", correct: true, feedback: "Yes."}
      - {id: padding, text: "Counting padding", correct: true, feedback: "Yes."}
      - {id: baseline, text: "Reporting a baseline", correct: false, feedback: "It deflates hype."}
    explanation: Leakage and padding both make a model look better than it is.
  - id: demo-recall
    type: numeric
    prompt: Recall for TP=50, FN=10?
    answer: 0.83333
    tolerance: 0.005
    explanation: 50 / 60.
"""

# Lines that only solutions contain; the tests look for them in student editions.
SECRET_LINES = (
    "recall_answer = counts['tp'] / total_positives  # solved",
    "print(f'recall = {recall_answer:.3f}')",
    "Precision looks only at what the model flagged, so the answer is 50 / 55.",
    "precision_answer = 50 / 55",
    "secret_value = 41 + 1",
)


def execute_result(text: str, count: int):
    return v4.new_output("execute_result", data={"text/plain": text}, execution_count=count)


def demo_chapter(quiz: str | None = "01_demo") -> nbformat.NotebookNode:
    """A chapter with three exercises: code, prose and code solutions, a starter cell whose
    output must be cleared, a quiz and a key result."""
    starter = v4.new_code_cell(
        "total_positives = counts['tp'] + counts['fn']\ntotal_positives",
        execution_count=2,
        outputs=[execute_result("60", 2)],
    )
    solved = v4.new_code_cell(
        f"{SECRET_LINES[0]}\n{SECRET_LINES[1]}",
        metadata=SOLUTION,
        execution_count=3,
        outputs=[v4.new_output("stream", name="stdout", text="recall = 0.833\n")],
    )
    cells = [
        v4.new_markdown_cell(
            "# 1. Demo chapter\n\n:::{admonition} Learning objectives\n"
            "- Compute recall from counts.\n- Compare two models\n  on the same data.\n:::"
        ),
        v4.new_code_cell(
            "from course_utils import seed_everything\n\ncounts = {'tp': 50, 'fn': 10}\n"
            "seed_everything(0)",
            execution_count=1,
            outputs=[execute_result("0", 1)],
        ),
        v4.new_markdown_cell(
            ":::{exercise}\n:label: ex-demo-1\n\nCompute the recall for `counts`.\n:::"
        ),
        starter,
        v4.new_markdown_cell(
            ":::{solution-start} ex-demo-1\n:class: dropdown\n:::", metadata=SOLUTION
        ),
        solved,
        v4.new_markdown_cell(":::{solution-end}\n:::", metadata=SOLUTION),
        v4.new_markdown_cell("Between the exercises, some prose."),
        v4.new_markdown_cell(":::{exercise}\n:label: ex-demo-2\n\nExplain precision.\n:::"),
        v4.new_markdown_cell(
            ":::{solution-start} ex-demo-2\n:class: dropdown\n:::", metadata=SOLUTION
        ),
        v4.new_markdown_cell(SECRET_LINES[2], metadata=SOLUTION),
        v4.new_code_cell(SECRET_LINES[3], metadata=SOLUTION, execution_count=4),
        v4.new_markdown_cell(":::{solution-end}\n:::", metadata=SOLUTION),
        v4.new_markdown_cell(":::{exercise}\n:label: ex-demo-3\n\nAdd two numbers.\n:::"),
        v4.new_markdown_cell(
            ":::{solution-start} ex-demo-3\n:class: dropdown\n:::", metadata=SOLUTION
        ),
        v4.new_code_cell(SECRET_LINES[4], metadata=SOLUTION, execution_count=5),
        v4.new_markdown_cell(":::{solution-end}\n:::", metadata=SOLUTION),
    ]
    if quiz is not None:
        cells.append(v4.new_code_cell(f'from course_utils.quiz import Quiz\n\nQuiz("{quiz}")'))
    cells.append(v4.new_markdown_cell(":::{admonition} Key result\nRecall counts misses.\n:::"))
    nb = v4.new_notebook(cells=cells)
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{number}"  # fixed ids: the fixture itself must be deterministic
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def write_course(root: Path, *, quiz: str | None = "01_demo") -> dict[str, Path]:
    """A course folder: chapters/01_demo.ipynb, banks/01_demo.yaml, and a _toc.yml."""
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    (root / "banks").mkdir(exist_ok=True)
    chapter = root / "chapters" / "01_demo.ipynb"
    nbformat.write(demo_chapter(quiz), chapter)
    (root / "banks" / "01_demo.yaml").write_text(BANK_YAML, encoding="utf-8")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: Start here\n    chapters:\n"
        "      - file: how_to_use\n  - caption: Chapters\n    chapters:\n"
        "      - file: chapters/01_demo\n",
        encoding="utf-8",
    )
    return {"chapters": root / "chapters", "banks": root / "banks", "chapter": chapter}


def solution_only_lines(nb) -> set[str]:
    """Stripped lines of solution cells (sources and text outputs) that no other cell has.

    Solution cells are found independently of the code under test: tagged ``solution`` or
    between ``{solution-start}`` and ``{solution-end}``.
    """
    inside, in_solution, elsewhere = False, set(), set()
    for cell in nb.cells:
        if "{solution-start}" in cell.source:
            inside = True
        target = in_solution if inside or "solution" in cell.metadata.get("tags", []) else elsewhere
        target.update(cell_lines(cell))
        if "{solution-end}" in cell.source:
            inside = False
    return {line for line in in_solution - elsewhere if line}


def cell_lines(cell) -> set[str]:
    text = [cell.source]
    for output in cell.get("outputs", []):
        text.append(output.get("text", ""))
        for value in output.get("data", {}).values():
            text.append(value if isinstance(value, str) else "")
    return {line.strip() for chunk in text for line in chunk.splitlines()}


def notebook_lines(nb) -> set[str]:
    return set().union(*(cell_lines(cell) for cell in nb.cells))
