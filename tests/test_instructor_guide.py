"""The instructor guide: chapter summaries, study plans, and the page that shows them."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import nbformat.v4 as v4
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from instructor_fixtures import demo_chapter, write_course

from course_utils.instructor.guide import (
    EXERCISE_MINUTES,
    QUESTION_MINUTES,
    WORDS_PER_MINUTE,
    ChapterSummary,
    chapter_details_markdown,
    chapter_summary,
    course_summaries,
    format_minutes,
    one_week_plan,
    overview_table,
    study_plan,
    three_week_plan,
)

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "instructor_guide.ipynb"


@pytest.fixture
def course(tmp_path):
    return write_course(tmp_path / "course")


def summary(stem: str, words: int = 400, seconds: float | None = None) -> ChapterSummary:
    return ChapterSummary(stem, f"{stem[:2].lstrip('0')}. {stem}", f"chapters/{stem}",
                          (), (), (), None, words, seconds)  # fmt: skip


# -- one chapter -------------------------------------------------------------------------------


def test_chapter_summary_of_the_fixture(course):
    s = chapter_summary(course["chapter"], bank_dir=course["banks"])
    assert (s.stem, s.title, s.docname) == ("01_demo", "1. Demo chapter", "chapters/01_demo")
    assert s.objectives == ("Compute recall from counts.", "Compare two models on the same data.")
    assert [(e.label, e.first_line) for e in s.exercises] == [
        ("ex-demo-1", "Compute the recall for `counts`."),
        ("ex-demo-2", "Explain precision."),
        ("ex-demo-3", "Add two numbers."),
    ]
    assert s.quizzes == ("01_demo",) and s.n_quiz_questions == 3
    nb = nbformat.read(course["chapter"], as_version=4)
    assert s.words == sum(len(c.source.split()) for c in nb.cells)
    assert s.reading_minutes == -(-s.words // WORDS_PER_MINUTE)
    assert s.execution_seconds is None and s.prerequisites == ()
    assert s.workload_minutes == s.reading_minutes + 3 * EXERCISE_MINUTES + 3 * QUESTION_MINUTES


def test_hidden_cells_do_not_count_and_seconds_come_from_metadata(tmp_path):
    nb = demo_chapter()
    hidden = v4.new_code_cell(
        "assert recall > 0.5  " + "word " * 300, metadata={"tags": ["remove-cell"]}
    )
    nb.cells.append(hidden)
    nb.metadata["course"] = {"execution_seconds": 61.5}
    path = tmp_path / "01_demo.ipynb"
    nbformat.write(nb, path)
    s = chapter_summary(path)
    assert s.words == sum(len(c.source.split()) for c in demo_chapter().cells)
    assert s.execution_seconds == 61.5
    assert s.workload_minutes == s.reading_minutes + 2 + 3 * EXERCISE_MINUTES  # 61.5 s -> 2 min

    nb.metadata["course"] = {"execution_seconds": "fast"}  # not a number: not measured
    nbformat.write(nb, path)
    assert chapter_summary(path).execution_seconds is None


def test_missing_bank_is_shown_not_guessed(course):
    s = chapter_summary(course["chapter"])  # 01_demo is not a shipped bank
    assert s.n_quiz_questions is None
    assert overview_table([s]).loc["1. Demo chapter", "Quiz questions"] == "bank missing"


def test_chapter_summary_errors(tmp_path):
    (tmp_path / "bad.ipynb").write_text("not a notebook")
    with pytest.raises(ValueError, match=r"Expected `path` to be a readable notebook"):
        chapter_summary(tmp_path / "bad.ipynb")
    with pytest.raises(ValueError, match=r"Expected `path` to be a readable notebook"):
        chapter_summary(tmp_path / "missing.ipynb")
    with pytest.raises(TypeError, match=r"Expected `path` to be a str or Path, but got int"):
        chapter_summary(1)


# -- the course --------------------------------------------------------------------------------


def test_course_summaries_follow_the_toc(course):
    root = course["chapters"].parent
    nbformat.write(demo_chapter(), course["chapters"] / "02_more.ipynb")
    nbformat.write(demo_chapter(), course["chapters"] / "03_unlisted.ipynb")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - chapters:\n      - file: how_to_use\n"
        "      - file: chapters/02_more\n      - file: chapters/01_demo.ipynb\n"
        "      - file: chapters/04_not_written_yet\n      - file: instructor_guide\n"
    )
    summaries = course_summaries(root, bank_dir=course["banks"])
    assert [(s.stem, s.docname, s.prerequisites) for s in summaries] == [
        ("02_more", "chapters/02_more", ()),
        ("01_demo", "chapters/01_demo", ("02_more",)),
    ]


def test_course_summaries_without_toc(tmp_path):
    with pytest.raises(ValueError, match=r"_toc\.yml is missing"):
        course_summaries(tmp_path)


def test_the_repository_summarises(tmp_path):
    summaries = course_summaries(ROOT)
    on_disk = {p.stem for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")}
    assert {s.stem for s in summaries} <= on_disk
    for s in summaries:
        assert s.title and s.words > 0


# -- plans -------------------------------------------------------------------------------------


def brute_force_best(loads: list[int], sessions: int) -> int:
    """The lightest possible heaviest group over every way to cut `loads` into groups."""
    n, k = len(loads), min(sessions, len(loads))
    best = None
    for cuts in itertools.combinations(range(1, n), k - 1):
        bounds = [0, *cuts, n]
        heaviest = max(sum(loads[a:b]) for a, b in itertools.pairwise(bounds))
        best = heaviest if best is None else min(best, heaviest)
    return best


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.integers(min_value=1, max_value=20_000), min_size=1, max_size=7),
    sessions=st.integers(min_value=1, max_value=6),
)
def test_study_plan_is_an_optimal_ordered_split(words, sessions):
    summaries = [summary(f"{i:02d}_c", w) for i, w in enumerate(words, start=1)]
    plan = study_plan(summaries, sessions=sessions)
    assert len(plan) == min(sessions, len(summaries))
    assert all(plan) and [s for group in plan for s in group] == summaries
    loads = [s.workload_minutes for s in summaries]
    heaviest = max(sum(s.workload_minutes for s in group) for group in plan)
    assert heaviest == brute_force_best(loads, sessions)


def test_study_plan_errors_and_empty():
    assert study_plan([], sessions=3) == []
    with pytest.raises(ValueError, match=r"Expected `sessions` to be at least 1, but got 0"):
        study_plan([summary("01_a")], sessions=0)
    with pytest.raises(TypeError, match=r"Expected `sessions` to be an int, but got float"):
        study_plan([summary("01_a")], sessions=2.0)
    with pytest.raises(TypeError, match=r"Expected `summaries` to hold ChapterSummary"):
        study_plan(["01_a"], sessions=2)


def test_plans_reference_every_chapter_once():
    chapters = [summary(f"{i:02d}_c", 200 * i, 30.0 * i) for i in range(1, 6)]
    week = one_week_plan(chapters)
    weeks = three_week_plan(chapters)
    for text in (week, weeks):
        for s in chapters:
            assert text.count(f"{{doc}}`/{s.docname}`") == 1
    assert [line.split("**")[1] for line in week.splitlines() if line.startswith("- **")] == [
        "Day 1", "Day 2", "Day 3", "Day 4", "Day 5",
    ]  # fmt: skip
    assert "**Day 5**: review" in week
    assert [line.split("**")[1] for line in weeks.splitlines() if line.startswith("- **")] == [
        "Week 1", "Week 2", "Week 3",
    ]  # fmt: skip


def test_plans_say_when_running_time_is_not_measured():
    text = one_week_plan([summary("01_a"), summary("02_b", seconds=600)])
    first, second = text.splitlines()[0], text.splitlines()[2]
    assert "running time not measured yet" in first
    assert "10 min of running" in second


def test_no_chapters_yet():
    for render in (chapter_details_markdown, one_week_plan, three_week_plan):
        assert render([]) == "No chapters are listed in `_toc.yml` yet."
    assert overview_table([]).empty


def test_details_link_chapters_and_prerequisites(course):
    root = course["chapters"].parent
    nbformat.write(demo_chapter(), course["chapters"] / "02_more.ipynb")
    (root / "_toc.yml").write_text(
        "root: intro\nchapters:\n- file: chapters/01_demo\n- file: chapters/02_more\n"
    )
    text = chapter_details_markdown(course_summaries(root, bank_dir=course["banks"]))
    assert "**{doc}`/chapters/02_more`**" in text
    assert "- Prerequisites: {doc}`/chapters/01_demo`. Reading: about" in text
    assert "  - Exercise 5 (`ex-demo-2`): Explain precision." in text  # numbered through the book
    assert "- Quiz `01_demo`: 3 questions." in text
    table = overview_table(course_summaries(root, bank_dir=course["banks"]))
    assert table["Prerequisites"].tolist() == ["none", "1"]


# -- the page ----------------------------------------------------------------------------------


def test_guide_notebook_is_thin_and_never_cached():
    nb = nbformat.read(GUIDE, as_version=4)
    assert nb.metadata["mystnb"]["execution_mode"] == "force"  # it must see today's chapters
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert all(len(c.source.splitlines()) <= 12 for c in code)
    assert "course_summaries(" in code[0].source
    assert nb.cells[0].source.startswith("# Instructor guide")


def execute_guide(root: Path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    nb = nbformat.read(GUIDE, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(root)}}
    ).execute()
    return nb


def output_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error"
            assert not (output.output_type == "stream" and output.name == "stderr"), output.text
            parts += [str(v) for v in output.get("data", {}).values()]
    return "\n".join(parts)


def small_book(root: Path) -> Path:
    """A copy of the book's front matter and config with the fixture chapter and the guide."""
    paths = write_course(root, quiz="01_rnn_metrics")  # a shipped bank: the build runs the quiz
    shutil.rmtree(paths["banks"])
    for name in ("_config.yml", "instructor_guide.ipynb"):
        shutil.copy(ROOT / name, root / name)
    # The real pages link every real chapter; this small book has only the fixture chapter.
    (root / "intro.md").write_text("# A small course\n\nStart with {doc}`/how_to_use`.\n")
    (root / "how_to_use.md").write_text("# How to use this course\n\nRead {doc}`/intro` first.\n")
    shutil.copytree(ROOT / "_ext", root / "_ext")  # local Sphinx extensions named in _config.yml
    if (ROOT / "_static").is_dir():  # files _config.yml names (a favicon, scripts)
        shutil.copytree(ROOT / "_static", root / "_static")
    # A stored figure in the chapter, for the figure pack.
    nb = nbformat.read(root / "chapters" / "01_demo.ipynb", as_version=4)
    nb.cells.append(figure_cell())
    nbformat.write(nb, root / "chapters" / "01_demo.ipynb")
    # Its Colab edition (the launch button warns when a chapter has none).
    (root / "colab").mkdir(exist_ok=True)
    nbformat.write(nb, root / "colab" / "01_demo.ipynb")
    with (root / "_toc.yml").open("a") as toc:
        toc.write("  - caption: Instructors\n    chapters:\n      - file: instructor_guide\n")
    return root


@pytest.mark.slow
def test_guide_runs_on_the_repository_as_it_is():
    text = output_text(execute_guide(ROOT))
    for s in course_summaries(ROOT):
        assert f"{{doc}}`/{s.docname}`" in text
    if not course_summaries(ROOT):
        assert "No chapters are listed in `_toc.yml` yet." in text


@pytest.mark.slow
def test_guide_runs_on_a_small_book(tmp_path):
    text = output_text(execute_guide(small_book(tmp_path / "book")))
    assert "**{doc}`/chapters/01_demo`**" in text
    assert "Compute recall from counts." in text and "(`ex-demo-3`): Add two numbers." in text
    assert "**Day 1**: {doc}`/chapters/01_demo`" in text
    assert "not measured yet" in text


@pytest.mark.slow
def test_guide_builds_with_warnings_as_errors(tmp_path):
    book = small_book(tmp_path / "book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(book), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "TQDM_DISABLE": "1"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = (book / "_build" / "html" / "instructor_guide.html").read_text()
    assert 'href="chapters/01_demo.html"' in html  # {doc} references resolved
    assert "Compute recall from counts." in html
    assert "Day 1" in html and "Week 1" in html
    assert "Exercise 2" in html and "Marking guide" in html
    pack = book / "_build" / "html" / "figure-pack" / "01_demo"
    assert (pack / "fig-demo.png").read_bytes() == PNG
    assert (pack / "fig-demo.svg").read_text() == SVG
    page = (book / "_build" / "html" / "chapters" / "01_demo.html").read_text()
    figures = re.findall(r'<img[^>]* src="(\.\./_images/[^"]+)"', page)
    assert len(figures) == 1 and figures[0].endswith(".png"), figures  # the PNG, not the SVG
    assert "A demo figure." in (pack / "captions.md").read_text()


def test_glue_roles_in_summaries_become_the_chapter_values(tmp_path):
    import nbformat
    import nbformat.v4 as v4

    from course_utils.instructor.guide import chapter_summary

    glue_output = v4.new_output(
        "display_data",
        data={"application/papermill.record/text/plain": "0.96134"},
        metadata={"scrapbook": {"name": "acc", "mime_prefix": "application/papermill.record/"}},
    )
    path = tmp_path / "01_demo.ipynb"
    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# 1. Demo\n\n:::{admonition} Learning objectives\n- Read.\n:::"),
            v4.new_code_cell("glue('acc', 0.96134)", outputs=[glue_output]),
            v4.new_markdown_cell(
                ":::{exercise}\n:label: ex-demo-1\nWhy {glue:text}`acc:.1%` and {glue}`acc`?\n:::"
            ),
        ]
    )
    nbformat.write(nb, path)
    (exercise,) = chapter_summary(path).exercises
    assert exercise.first_line == "Why 96.1% and 0.96134?"
    # One missing-value rule, the glue paster's: a role with no stored value is not guessed.
    nb.cells[2].source = nb.cells[2].source.replace("{glue}`acc`", "{glue:}`gone`")
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match=r"01_demo.ipynb: no stored value for \{glue:\}`gone`"):
        chapter_summary(path)


def test_the_guide_and_the_editions_paste_glue_alike():
    import nbformat.v4 as v4

    from course_utils.instructor.glue import glued_values, paste_glue, paste_text

    record = "application/papermill.record/"
    values = {
        "n": {"text/plain": "4001"},
        "name": {"text/plain": "'JapaneseVowels'"},
        "table": {"text/plain": "<table>", "text/markdown": "| a |"},
    }
    text = "{glue:text}`n` {glue:text}`n:,.0f` {glue}`name` {glue:md}`table` {glue:any}`gone`"
    # No format spec shows the stored text as it is (4001, not 4001.0), as the book does.
    assert paste_text(text, values) == (
        "4001 4,001 JapaneseVowels | a | {glue:any}`gone`",
        ["{glue:any}`gone`"],
    )
    outputs = [
        v4.new_output(
            "display_data",
            data={record + mime: v for mime, v in value.items()},
            metadata={"scrapbook": {"name": name, "mime_prefix": record}},
        )
        for name, value in values.items()
    ]
    nb = v4.new_notebook(cells=[v4.new_code_cell("", outputs=outputs), v4.new_markdown_cell(text)])
    assert glued_values(nb) == values
    assert paste_glue(nb) == ["{glue:any}`gone`"]
    assert nb.cells[1].source == paste_text(text, values)[0]


def test_book_exercises_and_find_exercises_agree_on_every_fence(tmp_path):
    from course_utils.instructor.guide import book_exercises
    from course_utils.instructor.notebook import find_exercises, read_notebook

    (tmp_path / "chapters").mkdir()
    cells = [
        v4.new_markdown_cell("~~~{exercise}\n:label: ex-t-1\nWith tildes. Why?\n~~~"),
        v4.new_markdown_cell("```{Exercise}\n:label: ex-t-2\nMixed case. How?\n```"),
        v4.new_markdown_cell(
            "::::{note}\nNested:\n\n:::{exercise}\n:label: ex-t-3\nInside a note.\n"
            "\n```python\nx = 1\n```\n:::\n::::"
        ),
        v4.new_markdown_cell(
            "````{exercise}\n:label: ex-t-4\nA fence inside:\n```\ncode\n```\n````"
        ),
    ]
    path = tmp_path / "chapters" / "01_t.ipynb"
    nbformat.write(v4.new_notebook(cells=cells), path)
    (tmp_path / "_toc.yml").write_text("root: intro\nchapters:\n- file: chapters/01_t\n")
    found = find_exercises(read_notebook(path))
    shown = book_exercises(tmp_path)
    assert [e.label for e in shown] == [e.label for e in found]
    assert [e.label for e in found] == ["ex-t-1", "ex-t-2", "ex-t-3", "ex-t-4"]
    assert shown[2].text.endswith("```python\nx = 1\n```")
    assert shown[3].text.endswith("```\ncode\n```")


# -- exercises as readers see them, marking guides, objectives, misconceptions, figure pack ------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1"/></svg>'


def figure_cell():
    import base64

    data = {
        "image/png": base64.b64encode(PNG).decode(),
        "image/svg+xml": SVG,
        "text/plain": "<Figure>",
    }
    output = v4.new_output("display_data", data=data)
    meta = {"mystnb": {"figure": {"caption": "A demo figure.", "name": "fig-demo"},
                       "image": {"alt": "A single pixel."}}}  # fmt: skip
    # The cell shows the same figure when the book executes it, in both formats, as a chapter's.
    source = f"from IPython.display import display\n\ndisplay({data!r}, raw=True)"
    return v4.new_code_cell(source, metadata=meta, outputs=[output])


def two_chapter_book(root: Path) -> Path:
    (root / "chapters").mkdir(parents=True)
    first = v4.new_notebook(
        cells=[
            v4.new_markdown_cell(
                "# 1. A\n\n:::{admonition} Learning objectives\n"
                "- Compute recall from a confusion matrix.\n"
                "- Compare two models with a paired bootstrap.\n:::"
            ),
            v4.new_markdown_cell(
                ":::{exercise} Counting\n:label: ex-a-1\n\nCompute the recall of the confusion "
                "matrix.\nIs it above {glue:text}`floor:.2f`? Why?\n:::"
            ),
            v4.new_markdown_cell(
                ":::{solution-start} ex-a-1\n:class: dropdown\n:::", metadata=SOLUTION
            ),
            v4.new_markdown_cell("Recall is 50 / 60, above the floor.", metadata=SOLUTION),
            v4.new_markdown_cell(":::{solution-end}\n:::", metadata=SOLUTION),
            v4.new_markdown_cell(":::{exercise}\n:label: ex-a-extra\n:nonumber:\nOptional.\n:::"),
            figure_cell(),
        ]
    )
    glue = v4.new_output(
        "display_data",
        data={"application/papermill.record/text/plain": "0.5"},
        metadata={"scrapbook": {"name": "floor", "mime_prefix": "application/papermill.record/"}},
    )
    first.cells.insert(1, v4.new_code_cell("glue('floor', 0.5)", outputs=[glue]))
    second = v4.new_notebook(
        cells=[v4.new_markdown_cell(":::{exercise}\n:label: ex-b-1\nBootstrap two models.\n:::")]
    )
    nbformat.write(first, root / "chapters" / "01_a.ipynb")
    nbformat.write(second, root / "chapters" / "02_b.ipynb")
    (root / "_toc.yml").write_text(
        "root: intro\nchapters:\n- file: chapters/01_a\n- file: chapters/02_b\n"
    )
    return root


SOLUTION = {"tags": ["solution"]}


def test_exercises_are_numbered_through_the_book_with_full_text(tmp_path):
    from course_utils.instructor.guide import book_exercises

    exercises = book_exercises(two_chapter_book(tmp_path))
    assert [(e.label, e.number, e.heading) for e in exercises] == [
        ("ex-a-1", 1, "Exercise 1 (Counting)"),
        ("ex-a-extra", None, "Exercise"),
        ("ex-b-1", 2, "Exercise 2"),
    ]
    first = exercises[0]
    assert first.text == "Compute the recall of the confusion matrix.\nIs it above 0.50? Why?"
    assert first.questions == ("Is it above 0.50?", "Why?")
    assert first.reference == "Recall is 50 / 60, above the floor."


def test_exercises_markdown_has_the_text_and_a_marking_guide(tmp_path):
    from course_utils.instructor.guide import book_exercises, exercises_markdown

    text = exercises_markdown(book_exercises(two_chapter_book(tmp_path)), chapter="01_a")
    assert "**Exercise 1 (Counting)** (`ex-a-1`)" in text
    assert "> Compute the recall of the confusion matrix." in text
    assert "Open parts: (1) Is it above 0.50? (2) Why?" in text
    assert "Reference answer: Recall is 50 / 60, above the floor." in text
    assert "No open question" in text  # the optional exercise asks nothing


def test_objective_map_is_the_declared_one(tmp_path):
    from course_utils.instructor.guide import QuizItem, book_exercises, objective_map

    root = two_chapter_book(tmp_path)
    (s, _) = course_summaries(root)
    items = [
        QuizItem("01_a", 1, "boot", "Why a paired bootstrap to compare two models?", (2,)),
        QuizItem("01_a", 2, "no-words-shared", "What colour is the sky?", (1,)),
        QuizItem("05_review", 4, "review", "Recall?", ("1.1", "2.1", 3)),  # other chapters
        QuizItem("01_a", 3, "undeclared", "Compute recall from a confusion matrix."),
    ]
    rows = objective_map(s, book_exercises(root), items, exercise_objectives={"ex-a-1": (2,)})
    assert rows == [
        (
            "Compute recall from a confusion matrix.",
            ["01_a Q2 (`no-words-shared`)", "05_review Q4 (`review`)"],
            [],
        ),
        ("Compare two models with a paired bootstrap.", ["01_a Q1 (`boot`)"], ["Exercise 1 (Counting)"]),
    ]  # fmt: skip
    with pytest.raises(ValueError, match=r'"<chapter>.<number>", but got \'1-2\' \(in 01_a\)'):
        objective_map(s, [], [QuizItem("01_a", 1, "bad", "?", ("1-2",))])


def test_the_repository_map_assesses_every_objective_and_cites_numbers():
    from course_utils.instructor.guide import teaching_notes_markdown

    summaries = course_summaries(ROOT)
    text = teaching_notes_markdown(summaries, root=ROOT)
    assert "nothing yet" not in text
    for s in summaries:
        number = int(s.stem[:2])
        for k, objective in enumerate(s.objectives, start=1):
            assert f"- **{number}.{k}** {objective}" in text
    # A self-check item that cites chapter 4's second objective is listed under chapter 4.
    chapter4 = text.split("chapters/04_")[1].split("chapters/09_")[0]
    assert "10_self_check Q2 (`fig-pr-roc`)" in chapter4


def test_misconceptions_come_from_the_banks(tmp_path):
    from course_utils.instructor.guide import misconceptions

    bank = yaml.safe_load(BANK_WITH_MISCONCEPTIONS)
    (tmp_path / "01_demo.yaml").write_text(yaml.safe_dump(bank))
    found = misconceptions(["01_demo"], bank_dir=tmp_path)
    assert found == [("Recall divides by what was flagged.", ["01_demo Q1 (`recall-def`)"])]


BANK_WITH_MISCONCEPTIONS = """\
quiz: 01_demo
title: Demo
version: "1"
questions:
  - id: recall-def
    type: single
    prompt: Which denominator does recall use?
    options:
      - {id: positives, text: "All actual positives", correct: true, feedback: "Yes."}
      - {id: flagged, text: "All flagged sequences", correct: false, feedback: "No.",
         misconception: "Recall divides by what was flagged."}
    explanation: Recall = TP / (TP + FN).
"""


def test_load_summary_never_claims_equal_loads():
    from course_utils.instructor.guide import load_summary_markdown

    heavy, light = summary("01_a", 4000, 600.0), summary("02_b", 400, 30.0)
    text = load_summary_markdown([(heavy,), (light,)], unit="Week")
    assert text.startswith("The loads are not equal: Week 1 takes about")
    assert f"Week 2 about {format_minutes(light.workload_minutes)}" in text
    assert load_summary_markdown([], unit="Week") == ""


def test_figure_pack_writes_each_figure_with_its_caption(tmp_path):
    from course_utils.instructor.guide import write_figure_pack

    root = two_chapter_book(tmp_path / "book")
    written = write_figure_pack(course_summaries(root), tmp_path / "pack", root=root)
    folder = tmp_path / "pack" / "01_a"
    assert written == [folder / "fig-demo.png", folder / "fig-demo.svg"]
    assert written[0].read_bytes() == PNG and written[1].read_text() == SVG
    captions = (tmp_path / "pack" / "01_a" / "captions.md").read_text()
    assert "## fig-demo.png, fig-demo.svg" in captions
    assert "Caption: A demo figure." in captions and "Alt text: A single pixel." in captions
    assert not (tmp_path / "pack" / "02_b").exists()  # no figures, no folder


def test_teaching_notes_cover_every_chapter(tmp_path):
    from course_utils.instructor.guide import teaching_notes_markdown

    root = two_chapter_book(tmp_path)
    text = teaching_notes_markdown(
        course_summaries(root), root=root, exercise_objectives={"ex-a-1": (1,)}
    )
    assert text.count("*Discussion prompts*") == 2
    assert "- **1.1** Compute recall from a confusion matrix.\n  - Assessed by: Exercise 1" in text
    assert "Assessed by: nothing yet." in text  # an objective with no item or exercise
    assert "*Marking guide.*" in text


def test_repository_guide_has_prompts_and_numbered_exercises():
    from course_utils.instructor.guide import DISCUSSION_PROMPTS, book_exercises

    exercises = book_exercises(ROOT)
    numbers = [e.number for e in exercises if e.number is not None]
    assert numbers == list(range(1, len(numbers) + 1))
    for s in course_summaries(ROOT):
        assert 2 <= len(DISCUSSION_PROMPTS.get(s.stem, ("", ""))) <= 3, s.stem
    assert all(e.text for e in exercises)


def test_summaries_give_whole_first_sentences_and_book_numbers(tmp_path):
    root = two_chapter_book(tmp_path)
    nb = nbformat.read(root / "chapters" / "02_b.ipynb", as_version=4)
    nb.cells[0].source = ":::{exercise}\n:label: ex-b-1\nBootstrap two\nmodels. Then compare.\n:::"
    nbformat.write(nb, root / "chapters" / "02_b.ipynb")
    first, second = course_summaries(root)
    assert first.exercise_numbers == (1, None) and second.exercise_numbers == (2,)
    assert second.exercises[0].first_line == "Bootstrap two models."
    text = chapter_details_markdown([first, second])
    assert "  - Exercise 2 (`ex-b-1`): Bootstrap two models." in text
    assert "  - Exercise (`ex-a-extra`): Optional." in text


def test_repository_figure_pack_has_an_svg_for_every_png(tmp_path):
    """Satisfied once the chapters are re-executed with `make notebooks` (the set-up cell asks
    for both formats)."""
    from course_utils.instructor.guide import write_figure_pack

    written = write_figure_pack(course_summaries(ROOT), tmp_path / "pack", root=ROOT)
    pngs = {p.with_suffix("") for p in written if p.suffix == ".png"}
    svgs = {p.with_suffix("") for p in written if p.suffix == ".svg"}
    assert pngs, "the chapters store no figures"
    missing = sorted(str(p.relative_to(tmp_path / "pack")) for p in pngs - svgs)
    assert not missing, f"figures without an SVG (run `make notebooks`): {missing}"
    assert svgs <= pngs


def test_every_doc_link_the_guide_writes_resolves_from_its_page():
    """Chapter text quoted in the guide (objectives, exercises) links chapters by absolute
    docname: a chapter-relative {doc}`01_rnn_metrics` does not resolve from the guide's page."""
    import re

    from course_utils.instructor.guide import (
        chapter_details_markdown,
        course_summaries,
        one_week_plan,
        three_week_plan,
    )

    summaries = course_summaries(ROOT)
    text = "\n".join(
        [chapter_details_markdown(summaries), one_week_plan(summaries), three_week_plan(summaries)]
    )
    targets = re.findall(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`", text)
    assert targets and all(t.startswith("/") for t in targets), sorted(set(targets))
