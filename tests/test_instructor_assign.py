"""Student editions, answer keys and `assign` (course_utils.instructor)."""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import nbformat
import nbformat.v4 as v4
import pytest
from instructor_fixtures import (
    SECRET_LINES,
    SOLUTION,
    STUB_TAG,
    demo_chapter,
    notebook_lines,
    solution_only_lines,
    write_course,
)

from course_utils.instructor import (
    assign,
    find_exercises,
    find_solutions,
    learning_objectives,
    quiz_answer_key,
    quiz_names,
    student_edition,
)
from course_utils.instructor import course as course_module
from course_utils.instructor.assign import zip_folder
from course_utils.instructor.notebook import title
from course_utils.quiz import load_bank

ROOT = Path(__file__).resolve().parents[1]
REAL_CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture
def course(tmp_path):
    return write_course(tmp_path / "course")


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- reading a chapter -------------------------------------------------------------------------


def test_parsers_read_the_fixture_chapter():
    nb = demo_chapter()
    assert title(nb) == "1. Demo chapter"
    assert learning_objectives(nb) == [
        "Compute recall from counts.",
        "Compare two models on the same data.",
    ]
    assert [(e.label, e.first_line, e.cell) for e in find_exercises(nb)] == [
        ("ex-demo-1", "Compute the recall for `counts`.", 2),
        ("ex-demo-2", "Explain precision.", 8),
        ("ex-demo-3", "Add two numbers.", 13),
    ]
    assert [(s.label, s.start, s.stop) for s in find_solutions(nb)] == [
        ("ex-demo-1", 4, 7),
        ("ex-demo-2", 9, 13),
        ("ex-demo-3", 14, 17),
    ]
    assert quiz_names(nb) == ["01_demo"]


def test_backtick_fences_and_missing_objectives():
    nb = v4.new_notebook(
        cells=[v4.new_markdown_cell("```{exercise}\n:label: ex-b-1\n:class: hard\n\nDo Y.\n```")]
    )
    assert [(e.label, e.first_line) for e in find_exercises(nb)] == [("ex-b-1", "Do Y.")]
    assert learning_objectives(nb) == []
    assert quiz_names(nb) == []
    assert title(nb) == ""


def test_untagged_cell_inside_markers_still_counts_as_solution():
    nb = demo_chapter()
    nb.cells[5].metadata["tags"] = []  # an author forgot the tag
    assert (find_solutions(nb)[0].start, find_solutions(nb)[0].stop) == (4, 7)
    student = student_edition(nb)
    assert SECRET_LINES[0] not in notebook_lines(student)


def test_stray_tagged_cells_form_their_own_solution():
    nb = demo_chapter()
    nb.cells.insert(8, v4.new_code_cell("leaked_hint = 1", metadata=copy.deepcopy(SOLUTION)))
    solutions = find_solutions(nb)
    assert (None, 8, 9) in [(s.label, s.start, s.stop) for s in solutions]
    student = student_edition(nb)
    assert "leaked_hint = 1" not in notebook_lines(student)
    assert "(the exercise above)" in "".join(c.source for c in student.cells)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda nb: nb.cells.__delitem__(slice(6, 9)),  # end of ex-demo-1 up to ex-demo-2
            r"Cell 6: .*opens inside the solution of 'ex-demo-1'",
        ),
        (
            lambda nb: nb.cells.pop(6),  # the next exercise would vanish with the solution
            r"Cell 7: a solution cell also holds an `\{exercise\}`",
        ),
        (lambda nb: nb.cells.pop(16), r"Cell 14: the solution of 'ex-demo-3' has no"),
        (lambda nb: nb.cells.pop(4), r"Cell 5: `\{solution-end\}` without a `\{solution-start\}`"),
        (
            lambda nb: setattr(nb.cells[4], "source", ":::{solution-start}\n:::"),
            r"Cell 4: `\{solution-start\}` needs the exercise label",
        ),
        (
            lambda nb: setattr(nb.cells[6], "source", ":::{solution-end}\n:::\n:::{exercise}\n:::"),
            r"Cell 6: a solution cell also holds an `\{exercise\}`",
        ),
    ],
)
def test_malformed_solution_markers_are_errors(change, message):
    nb = demo_chapter()
    change(nb)
    with pytest.raises(ValueError, match=message):
        find_solutions(nb)
    with pytest.raises(ValueError, match=message):
        student_edition(nb)


@pytest.mark.parametrize("func", [find_exercises, find_solutions, learning_objectives, quiz_names])
def test_parsers_reject_non_notebooks(func):
    with pytest.raises(TypeError, match=r"Expected `nb` to be a notebook"):
        func({"cells": []})


# -- the student edition -----------------------------------------------------------------------


def test_student_edition_has_no_line_of_any_solution():
    nb = demo_chapter()
    secret = solution_only_lines(nb)
    assert set(SECRET_LINES) <= secret  # the check itself sees the solutions
    student = student_edition(nb)
    assert not secret & notebook_lines(student)
    text = nbformat.writes(student)
    for line in SECRET_LINES:
        assert line not in text


def test_student_edition_layout():
    nb = demo_chapter()
    before = nbformat.writes(nb)
    student = student_edition(nb)
    assert nbformat.writes(nb) == before, "the original must not change"
    nbformat.validate(student)

    stubs = [i for i, c in enumerate(student.cells) if STUB_TAG in c.metadata.get("tags", [])]
    assert len(stubs) == 6  # a markdown stub and an empty code cell per solution
    for md, code in zip(stubs[::2], stubs[1::2], strict=True):
        assert code == md + 1
        assert student.cells[md].cell_type == "markdown"
        assert student.cells[md].source.startswith("**Your turn** (exercise `ex-demo-")
        assert student.cells[code].cell_type == "code"
        assert student.cells[code].source == "" and student.cells[code].outputs == []
    labels = [re.search(r"`(ex-[\w-]+)`", student.cells[i].source).group(1) for i in stubs[::2]]
    assert labels == ["ex-demo-1", "ex-demo-2", "ex-demo-3"]
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)

    by_source = {c.source: c for c in student.cells}
    starter = by_source["total_positives = counts['tp'] + counts['fn']\ntotal_positives"]
    assert (
        starter.outputs == [] and starter.execution_count is None
    )  # between exercise and solution
    setup = next(c for c in student.cells if c.source.startswith("from course_utils import"))
    assert setup.outputs and setup.execution_count == 1  # elsewhere, outputs stay
    assert student.cells[-2].source.endswith('Quiz("01_demo")')  # the quiz is kept
    assert "Key result" in student.cells[-1].source
    ids = [c["id"] for c in student.cells]
    assert len(ids) == len(set(ids))
    assert "ex-demo-1-stub" in ids and "ex-demo-1-answer" in ids


def test_stub_ids_avoid_existing_ids_and_older_notebooks_get_none():
    nb = demo_chapter()
    nb.cells[0]["id"] = "ex-demo-1-stub"
    ids = [c["id"] for c in student_edition(nb).cells]
    assert "ex-demo-1-stub-2" in ids and len(ids) == len(set(ids))

    old = demo_chapter()
    old.nbformat_minor = 4
    for cell in old.cells:
        del cell["id"]
    student = student_edition(old)
    assert all("id" not in c for c in student.cells)
    nbformat.validate(student)


def test_student_edition_is_deterministic():
    one = nbformat.writes(student_edition(demo_chapter()))
    two = nbformat.writes(student_edition(demo_chapter()))
    assert one == two


# -- answer keys -------------------------------------------------------------------------------


def test_quiz_answer_key_lists_every_question_and_answer(course):
    bank = load_bank(course["banks"] / "01_demo.yaml")
    key = quiz_answer_key(bank)
    assert key.startswith("# Answer key: Check yourself: the demo chapter\n")
    assert "version 1, 3 questions" in key
    assert "## 1. `recall-def` (one answer)" in key
    assert "- [x] `positives` All actual positives" in key
    assert "- [ ] `flagged` All flagged sequences" in key
    assert "## 2. `pitfalls` (select all that apply)" in key
    assert "**Answer:** `leakage`, `padding`" in key
    assert "**Answer:** 0.83333 (accepted within ± 0.005)" in key
    assert "**Explanation:** Leakage and padding both make a model look better than it is." in key
    with pytest.raises(TypeError, match=r"Expected `bank` to be a QuizBank"):
        quiz_answer_key("01_demo")


# -- assign ------------------------------------------------------------------------------------


def test_assign_writes_student_key_and_zip(course, tmp_path):
    out = tmp_path / "week1"
    done = assign(["01_demo"], out=out, chapters_dir=course["chapters"], bank_dir=course["banks"])
    assert sorted(files_under(out)) == [
        "answer_key/01_demo.ipynb",
        "answer_key/01_demo_quiz_answers.md",
        "student.zip",
        "student/01_demo.ipynb",
        "student/README.md",
    ]
    assert done.solutions == {"01_demo": 3}
    assert (out / "answer_key" / "01_demo.ipynb").read_bytes() == course["chapter"].read_bytes()
    key = (out / "answer_key" / "01_demo_quiz_answers.md").read_text()
    assert key == quiz_answer_key(load_bank(course["banks"] / "01_demo.yaml"))

    student = nbformat.read(out / "student" / "01_demo.ipynb", as_version=4)
    nbformat.validate(student)
    full = nbformat.read(course["chapter"], as_version=4)
    assert not solution_only_lines(full) & notebook_lines(student)

    with zipfile.ZipFile(out / "student.zip") as archive:
        assert archive.namelist() == ["student/01_demo.ipynb", "student/README.md"]
        readme = archive.read("student/README.md").decode("utf-8")
        info = archive.getinfo("student/01_demo.ipynb")
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert archive.read(info) == (out / "student" / "01_demo.ipynb").read_bytes()
    for words in ("make lab", "Colab", "Binder", "first code cell installs `course_utils`"):
        assert words in readme
    assert "self-assessment, not exams" in readme
    setup = [c for c in student.cells if "course-setup" in c.metadata.get("tags", [])]
    assert len(setup) == 1 and 'find_spec("course_utils") is None' in setup[0].source
    first_code = next(c for c in student.cells if c.cell_type == "code")
    assert first_code is setup[0]


def test_assign_is_byte_for_byte_deterministic(course, tmp_path):
    options = {"chapters_dir": course["chapters"], "bank_dir": course["banks"]}
    assign(["01_demo"], out=tmp_path / "a", **options)
    assign(["01_demo"], out=tmp_path / "b", **options)
    first = files_under(tmp_path / "a")
    assert first == files_under(tmp_path / "b")
    assign(["01_demo"], out=tmp_path / "a", force=True, **options)
    assert files_under(tmp_path / "a") == first


def test_assign_several_chapters_keeps_order_and_drops_repeats(course, tmp_path):
    nbformat.write(demo_chapter(), course["chapters"] / "02_more.ipynb")
    done = assign(
        ["02_more", "01_demo.ipynb", "02_more"],
        out=tmp_path / "out",
        chapters_dir=course["chapters"],
        bank_dir=course["banks"],
    )
    assert [p.name for p in done.student] == ["02_more.ipynb", "01_demo.ipynb"]
    with zipfile.ZipFile(done.zip) as archive:
        assert archive.namelist() == [
            "student/01_demo.ipynb",
            "student/02_more.ipynb",
            "student/README.md",
        ]


def test_unknown_chapter_lists_the_valid_ones(course, tmp_path):
    with pytest.raises(ValueError, match=r"Unknown chapter '07_nope'\. Valid chapters: 01_demo\."):
        assign(["07_nope"], out=tmp_path / "out", chapters_dir=course["chapters"])
    assert not (tmp_path / "out").exists()


def test_non_empty_out_needs_force_and_force_replaces_only_our_outputs(course, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    options = {"chapters_dir": course["chapters"], "bank_dir": course["banks"]}
    with pytest.raises(ValueError, match=r"is not empty.*--force"):
        assign(["01_demo"], out=out, **options)
    assert files_under(out) == {"notes.txt": b"mine"}

    (out / "student").mkdir()
    (out / "student" / "stale.ipynb").write_text("{}")
    assign(["01_demo"], out=out, force=True, **options)
    assert sorted(files_under(out)) == [
        "answer_key/01_demo.ipynb",
        "answer_key/01_demo_quiz_answers.md",
        "notes.txt",
        "student.zip",
        "student/01_demo.ipynb",
        "student/README.md",
    ]


def test_empty_out_folder_is_fine(course, tmp_path):
    (tmp_path / "out").mkdir()
    assign(
        ["01_demo"], out=tmp_path / "out", chapters_dir=course["chapters"], bank_dir=course["banks"]
    )
    assert (tmp_path / "out" / "student.zip").is_file()


def test_broken_chapter_or_missing_bank_writes_nothing(course, tmp_path):
    with pytest.raises(ValueError, match=r"01_demo\.ipynb: its quiz '01_demo' has no valid bank"):
        assign(["01_demo"], out=tmp_path / "a", chapters_dir=course["chapters"])  # bank not shipped
    assert not (tmp_path / "a").exists()

    nb = demo_chapter()
    nb.cells.pop(16)  # ex-demo-3 loses its solution-end
    nbformat.write(nb, course["chapters"] / "02_broken.ipynb")
    with pytest.raises(ValueError, match=r"02_broken\.ipynb: Cell 14: the solution of 'ex-demo-3'"):
        assign(
            ["01_demo", "02_broken"],
            out=tmp_path / "b",
            chapters_dir=course["chapters"],
            bank_dir=course["banks"],
        )
    assert not (tmp_path / "b").exists()


def test_unreadable_chapter_is_named(course, tmp_path):
    (course["chapters"] / "02_bad.ipynb").write_text("{ not json")
    with pytest.raises(ValueError, match=r"02_bad\.ipynb: not a valid notebook: not JSON"):
        assign(["02_bad"], out=tmp_path / "out", chapters_dir=course["chapters"])


def test_chapter_without_quiz_gets_a_note(tmp_path):
    paths = write_course(tmp_path / "course", quiz=None)
    assign(["01_demo"], out=tmp_path / "out", chapters_dir=paths["chapters"])
    key = (tmp_path / "out" / "answer_key" / "01_demo_quiz_answers.md").read_text()
    assert key == "# Answer key: 01_demo\n\nThis chapter shows no quiz.\n"


def test_bad_arguments(course, tmp_path):
    (tmp_path / "file").write_text("x")
    options = {"chapters_dir": course["chapters"], "bank_dir": course["banks"]}
    with pytest.raises(ValueError, match=r"Expected `out` to be a folder, but .* is a file"):
        assign(["01_demo"], out=tmp_path / "file", **options)
    with pytest.raises(TypeError, match=r"Expected `out` to be a str or Path, but got int"):
        assign(["01_demo"], out=3, **options)
    with pytest.raises(TypeError, match=r"Expected `force` to be a bool, but got str"):
        assign(["01_demo"], out=tmp_path / "o", force="yes", **options)
    with pytest.raises(TypeError, match=r"Expected `chapters` to be a list of chapter stems"):
        assign("01_demo", out=tmp_path / "o", **options)
    with pytest.raises(ValueError, match=r"Expected at least one chapter"):
        assign([], out=tmp_path / "o", **options)
    with pytest.raises(ValueError, match=r"Expected `chapters_dir` to be an existing folder"):
        assign(["01_demo"], out=tmp_path / "o", chapters_dir=tmp_path / "nope")
    with pytest.raises(ValueError, match=r"Expected `bank_dir` to be a folder of quiz banks"):
        assign(["01_demo"], out=tmp_path / "o", chapters_dir=course["chapters"], bank_dir="/nope")


def test_installed_without_the_repository_says_so(monkeypatch, tmp_path):
    monkeypatch.setattr(course_module, "REPO_ROOT", tmp_path / "site-packages")
    with pytest.raises(ValueError, match=r"installed without the course repository.*--chapters"):
        assign(["01_rnn_metrics"], out=tmp_path / "out")


def test_zip_folder_is_reproducible_and_checks_its_input(tmp_path):
    (tmp_path / "pack" / "z").mkdir(parents=True)
    (tmp_path / "pack" / "z" / "b.txt").write_text("b")
    (tmp_path / "pack" / "a.txt").write_text("a")
    one = zip_folder(tmp_path / "pack", tmp_path / "1.zip").read_bytes()
    (tmp_path / "pack" / "a.txt").touch()  # a newer mtime must not matter
    assert zip_folder(tmp_path / "pack", tmp_path / "2.zip").read_bytes() == one
    with zipfile.ZipFile(tmp_path / "1.zip") as archive:
        assert archive.namelist() == ["pack/a.txt", "pack/z/b.txt"]
    with pytest.raises(ValueError, match=r"Expected `folder` to be an existing folder"):
        zip_folder(tmp_path / "missing", tmp_path / "3.zip")


# -- the real chapters, when they exist ---------------------------------------------------------


@pytest.mark.skipif(not REAL_CHAPTERS, reason="no chapters written yet")
@pytest.mark.parametrize("path", REAL_CHAPTERS, ids=lambda p: p.stem)
def test_real_chapter_student_edition_has_no_solution_line(path):
    nb = nbformat.read(path, as_version=4)
    student = student_edition(nb)
    secret = solution_only_lines(nb)
    assert not secret & notebook_lines(student), f"{path.name}: a solution line leaked"
    text = nbformat.writes(student)
    # A short phrase such as "validation data." may also occur in the chapter's own prose;
    # only text found nowhere but in the solutions counts as leaked.
    public = nbformat.v4.new_notebook(
        cells=[c for c in nb.cells if "solution" not in c.metadata.get("tags", [])]
    )
    public_text = nbformat.writes(public)
    leaked = [s for s in secret if len(s) >= 12 and s in text and s not in public_text]
    assert not leaked, f"{path.name}: solution text leaked: {leaked[:3]}"
    n_exercises = len(find_exercises(nb))
    stubs = [c for c in student.cells if STUB_TAG in c.metadata.get("tags", [])]
    assert len(stubs) == 2 * len(find_solutions(nb))
    if path.stem != "10_self_check":
        assert len(stubs) >= 2 * min(n_exercises, 3)
    assert quiz_names(student) == quiz_names(nb)


@pytest.mark.skipif(not REAL_CHAPTERS, reason="no chapters written yet")
def test_assign_real_chapters_twice_gives_identical_bytes(tmp_path):
    stems = [p.stem for p in REAL_CHAPTERS]
    assign(stems, out=tmp_path / "a")
    assign(stems, out=tmp_path / "b")
    first = files_under(tmp_path / "a")
    assert first == files_under(tmp_path / "b")
    assert len([name for name in first if name.startswith("student/")]) == len(stems) + 1


# -- student notebooks run up to their stubs (a real kernel) -----------------------------------


def run_until_first_stub(path: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """Execute a student edition's cells before its first stub, in the notebook's folder."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    first_stub = next(i for i, c in enumerate(nb.cells) if STUB_TAG in c.metadata.get("tags", []))
    nb.cells = nb.cells[:first_stub]
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError on any error
    return nb


@pytest.mark.slow
def test_fixture_student_notebook_runs_up_to_its_stubs(course, tmp_path, monkeypatch):
    monkeypatch.setenv("TQDM_DISABLE", "1")
    assign(
        ["01_demo"], out=tmp_path / "out", chapters_dir=course["chapters"], bank_dir=course["banks"]
    )
    nb = run_until_first_stub(tmp_path / "out" / "student" / "01_demo.ipynb")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert [o["data"]["text/plain"] for o in outputs] == ["0", "60"]


@pytest.mark.slow
@pytest.mark.skipif(not REAL_CHAPTERS, reason="no chapters written yet")
@pytest.mark.parametrize("path", REAL_CHAPTERS, ids=lambda p: p.stem)
def test_real_student_notebook_runs_up_to_its_stubs(path, tmp_path, monkeypatch):
    monkeypatch.setenv("TQDM_DISABLE", "1")
    if not find_solutions(nbformat.read(path, as_version=4)):
        pytest.skip(f"{path.name} has no exercises with solutions")
    assign([path.stem], out=tmp_path / "out")
    nb = run_until_first_stub(tmp_path / "out" / "student" / path.name)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error"


# -- every form of solution sphinx-exercise renders ---------------------------------------------

SECRET = "the_answer_is = 42  # SECRET"
EXERCISE = ":::{exercise}\n:label: ex-x\nCompute it.\n:::"


def _chapter(*cells) -> nbformat.NotebookNode:
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# 9. Forms"), *cells])
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"c{number}"
    return nb


def _md(text, **kw):
    return v4.new_markdown_cell(text, **kw)


SOLUTION_FORMS = {
    "colon directive": [
        _md(EXERCISE),
        _md(f":::{{solution}} ex-x\n:class: dropdown\n{SECRET}\n:::"),
    ],
    "backtick directive": [
        _md(EXERCISE),
        _md(f"Text before.\n\n```{{solution}} ex-x\n{SECRET}\n```\n\nAfter."),
    ],
    "tilde directive": [_md(EXERCISE), _md(f"~~~~{{solution}} ex-x\n{SECRET}\n~~~~")],
    "capitalised directive": [_md(EXERCISE), _md(f":::{{Solution}} ex-x\n{SECRET}\n:::")],
    "nested directive": [
        _md(EXERCISE),
        _md(f"::::{{SOLUTION}} ex-x\n:::{{note}}\n{SECRET}\n:::\n{SECRET}\n::::"),
    ],
    "directive in the exercise cell": [_md(f"{EXERCISE}\n\n:::{{solution}} ex-x\n{SECRET}\n:::")],
    "two directives in one cell": [
        _md(EXERCISE),
        _md(f":::{{solution}} ex-x\n{SECRET}\n:::\nKeep me.\n```{{solution}}\n{SECRET}\n```"),
    ],
    "raw-cell directive": [_md(EXERCISE), v4.new_raw_cell(f":::{{solution}} ex-x\n{SECRET}\n:::")],
    "tag Solution": [_md(EXERCISE), v4.new_code_cell(SECRET, metadata={"tags": ["Solution"]})],
    "tag solutions": [_md(EXERCISE), v4.new_code_cell(SECRET, metadata={"tags": ["solutions"]})],
    "tag SOLUTION": [_md(EXERCISE), _md(SECRET, metadata={"tags": ["hide-input", "SOLUTION"]})],
    "raw-cell start/end": [
        _md(EXERCISE),
        v4.new_raw_cell(":::{solution-start} ex-x\n:::"),
        v4.new_code_cell(SECRET),
        v4.new_raw_cell(":::{solution-end}\n:::"),
    ],
    "capitalised start/end": [
        _md(EXERCISE),
        _md("```{Solution-Start} ex-x\n```"),
        v4.new_code_cell(SECRET),
        _md("~~~{SOLUTION-END}\n~~~"),
    ],
}


@pytest.mark.parametrize("form", sorted(SOLUTION_FORMS))
def test_every_solution_form_is_stripped(form):
    nb = _chapter(*copy.deepcopy(SOLUTION_FORMS[form]), v4.new_code_cell("print('kept')"))
    student = student_edition(nb)
    text = nbformat.writes(student)
    assert "SECRET" not in text
    assert "print('kept')" in text and "**Your turn**" in text
    stubs = [c for c in student.cells if STUB_TAG in c.metadata.get("tags", [])]
    assert any(c.cell_type == "code" and c.source == "" for c in stubs)
    if form == "two directives in one cell":
        assert "Keep me." in text and text.count("**Your turn**") == 2
    assert student_edition(nb) == student  # deterministic
    nbformat.validate(student)


@pytest.mark.parametrize(
    "source",
    [
        f":::{{solution}} ex-x\n{SECRET}\n",  # unclosed: runs to the end of the cell
        f"> :::{{solution}} ex-x\n> {SECRET}\n> :::",
        f"- ```{{solution}} ex-x\n  {SECRET}\n  ```",
    ],
)
def test_solutions_the_parser_sees_are_stripped(source):
    # Issue 27: read as markdown-it reads them, these are cut, not refused.
    nb = _chapter(_md(EXERCISE), _md(source))
    assert "SECRET" not in nbformat.writes(student_edition(nb))


def test_assign_counts_directive_solutions(tmp_path):
    nb = _chapter(*copy.deepcopy(SOLUTION_FORMS["two directives in one cell"]))
    (tmp_path / "ch").mkdir()
    nbformat.write(nb, tmp_path / "ch" / "09_forms.ipynb")
    done = assign(["09_forms"], out=tmp_path / "out", chapters_dir=tmp_path / "ch")
    assert done.solutions == {"09_forms": 2}
    assert "SECRET" not in done.student[0].read_text(encoding="utf-8")
    with zipfile.ZipFile(done.zip) as archive:
        assert all(b"SECRET" not in archive.read(name) for name in archive.namelist())


MALFORMED = {
    "list": "[]",
    "empty object": "{}",
    "not json": "{ nope",
    "no source": '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": '
    '[{"cell_type": "markdown", "metadata": {}, "id": "a"}]}',
    "source not text": '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": '
    '[{"cell_type": "markdown", "metadata": {}, "id": "a", "source": 3}]}',
    "cells not a list": '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": {}}',
    "cell not an object": '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [1]}',
    "unknown cell type": '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": '
    '[{"cell_type": "widget", "metadata": {}, "source": ""}]}',
    "tags not a list": '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": '
    '[{"cell_type": "code", "metadata": {"tags": "solution"}, "source": "", "outputs": []}]}',
    "nbformat 3": '{"nbformat": 3, "worksheets": []}',
    "deep": "[" * 50_000,
    "latin-1": b'{"cells": "caf\xe9"}',
}


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_chapter_notebooks_are_one_line_errors(kind, tmp_path):
    (tmp_path / "ch").mkdir()
    text = MALFORMED[kind]
    path = tmp_path / "ch" / "09_bad.ipynb"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(ValueError, match=r"09_bad\.ipynb: not a valid notebook") as info:
        assign(["09_bad"], out=tmp_path / "out", chapters_dir=tmp_path / "ch")
    assert "\n" not in str(info.value) and len(str(info.value)) < 500
    assert not (tmp_path / "out").exists()


def test_a_chapter_with_its_own_setup_cell_gets_no_second_one(course, tmp_path):
    nb = demo_chapter()
    own = v4.new_code_cell("# the book's set-up cell", metadata={"tags": ["setup-install"]})
    own["id"] = "setup-install"
    nb.cells.insert(1, own)
    nbformat.write(nb, course["chapters"] / "01_demo.ipynb")
    done = assign(
        ["01_demo"], out=tmp_path / "out", chapters_dir=course["chapters"], bank_dir=course["banks"]
    )
    student = nbformat.read(done.student[0], as_version=4)
    tags = [tag for cell in student.cells for tag in cell.metadata.get("tags", [])]
    assert tags.count("setup-install") == 1 and "course-setup" not in tags


@pytest.mark.skipif(not REAL_CHAPTERS, reason="no chapters written yet")
@pytest.mark.parametrize("path", REAL_CHAPTERS, ids=lambda p: p.stem)
def test_real_chapter_student_edition_shows_numbers_not_glue_names(path):
    """JupyterLab and Colab have no glue roles: the edition carries the numbers themselves."""
    from course_utils.instructor.glue import GLUE_ROLE, glue_text, glued_values

    nb = nbformat.read(path, as_version=4)
    student = student_edition(nb)
    prose = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
    assert not GLUE_ROLE.search(prose), f"{path.name}: a glue role was left unresolved"
    values = glued_values(nb)
    public = [
        c
        for c in nb.cells
        if c.cell_type == "markdown" and "solution" not in c.metadata.get("tags", [])
    ]
    roles = [m for c in public for m in GLUE_ROLE.finditer(c.source)]
    for match in roles[:20]:
        assert glue_text(match["kind"] or "any", match["body"], values) in prose


def test_student_edition_pastes_a_value_glued_in_cleared_starter_code():
    record = "application/papermill.record/text/plain"
    starter = v4.new_code_cell(
        "glue('n_cards', 4000)",
        outputs=[
            v4.new_output(
                "display_data", data={record: "4000"}, metadata={"scrapbook": {"name": "n_cards"}}
            )
        ],
    )
    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell(":::{exercise}\n:label: ex-1\nCount the cards.\n:::"),
            starter,
            v4.new_markdown_cell("There are {glue:text}`n_cards:,d` cards."),
            v4.new_markdown_cell(":::{solution-start} ex-1\n:::", metadata=copy.deepcopy(SOLUTION)),
            v4.new_code_cell("print(4000)", metadata=copy.deepcopy(SOLUTION)),
            v4.new_markdown_cell(":::{solution-end}\n:::", metadata=copy.deepcopy(SOLUTION)),
        ]
    )
    student = student_edition(nb)
    assert student.cells[1].outputs == []  # rule 2: starter outputs cleared
    assert student.cells[2].source == "There are 4,000 cards."
