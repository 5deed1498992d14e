"""Fuzzing the instructor tools with hostile input (hypothesis).

Properties:

- ``grade``: whatever an answers file holds (any bytes, any JSON, any field of a signed file),
  the run finishes; each file is graded or skipped with a one-line reason naming it; the
  gradebook, in every format, reads back with the csv module and no cell can be taken for a
  formula or a line break.
- ``make_answers_payload``/``write_answers``: any learner name either saves a file that grades,
  or is refused with a ValueError/TypeError before anything is written.
- ``student_edition``/``read_notebook``: whatever a chapter holds, the result is a ValueError or
  a student edition without a single solution line or solution marker.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import nbformat.v4 as v4
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from instructor_fixtures import BANK_YAML

from course_utils.instructor import grade, student_edition
from course_utils.instructor.grade import FORMATS
from course_utils.instructor.notebook import read_notebook, solution_markers
from course_utils.quiz import load_bank
from course_utils.quiz.answers import answers_checksum, make_answers_payload, write_answers

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

_ROOT = Path(tempfile.mkdtemp(prefix="fuzz-banks-"))
(_ROOT / "01_demo.yaml").write_text(BANK_YAML, encoding="utf-8")
BANK = load_bank(_ROOT / "01_demo.yaml")
GOOD = {"recall-def": "positives", "pitfalls": ["padding", "leakage"], "demo-recall": "83.3%"}

# Text that hurts: control characters, surrogates, formula starts, huge digit runs.
nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(
        alphabet=st.sampled_from(list("=+-@\t\r\n\"',;|!0123456789eE.%\u2028\uff1d")), max_size=30
    ),
    st.builds(
        lambda n, tail: "9" * n + tail, st.integers(0, 3000), st.sampled_from(["", "x", "."])
    ),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=3),
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False),
    nasty_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(nasty_text, children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["format", "format_version", "quiz", "quiz_version", "learner", "learner_id", "answers",
          "first_try", "checksum", "extra"]  # fmt: skip


def _dump(value) -> bytes:
    return json.dumps(value).encode("utf-8", "surrogatepass")


@st.composite
def answers_file(draw) -> bytes:
    """Bytes of an answers file: random bytes, random JSON, or a signed file with one field
    (or one answer) replaced by anything."""
    kind = draw(st.sampled_from(["bytes", "json", "signed-field", "signed-answer", "deep"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "json":
        return _dump(draw(json_values))
    if kind == "deep":
        depth = draw(st.integers(1, 5000))
        return draw(st.sampled_from(["[", '{"a":'])).encode() * depth
    payload = make_answers_payload(BANK, GOOD, learner="Ada", learner_id="s1")
    if kind == "signed-field":
        payload[draw(st.sampled_from(FIELDS))] = draw(json_values)
    else:
        payload["answers"][draw(st.sampled_from([*GOOD, "other"]))] = draw(json_values)
    if draw(st.booleans()):
        payload.pop("checksum", None)
        payload["checksum"] = answers_checksum(payload)  # anyone can rebuild it
    return _dump(payload)


def _check_gradebook(book, folder: Path, names: list[str]) -> None:
    handled = [e.path.name for e in book.graded] + [p.name for p, _ in book.skipped]
    assert sorted(handled) == sorted(names)
    for path, reason in book.skipped:
        assert "\n" not in reason and "\r" not in reason and len(reason) < 1000
        assert path.name in reason
    for fmt in FORMATS:
        out = folder.parent / f"gradebook-{fmt}.csv"
        book.to_csv(out, format=fmt)
        with out.open(newline="", encoding="utf-8") as handle:
            table = list(csv.reader(handle))
        assert table and all(len(row) == len(table[0]) for row in table)
        for row in table:
            for cell in row:
                assert not cell.startswith(FORMULA_START), cell
                assert not any(ch in cell for ch in "\r\n\u2028\u2029"), cell


@FUZZ
@given(st.lists(answers_file(), min_size=1, max_size=4))
def test_grade_survives_any_answers_file(contents):
    folder = Path(tempfile.mkdtemp(prefix="fuzz-grade-")) / "in"
    folder.mkdir()
    names = []
    for number, data in enumerate(contents):
        (folder / f"{number}.json").write_bytes(data)
        names.append(f"{number}.json")
    write_answers(folder / "good.json", make_answers_payload(BANK, GOOD, learner="Good"))
    names.append("good.json")
    for score in ("final", "first-try"):
        book = grade([folder], bank_dir=_ROOT, score=score)
        assert "good.json" in [e.path.name for e in book.graded]
        _check_gradebook(book, folder, names)


@FUZZ
@given(learner=nasty_text, learner_id=nasty_text)
def test_any_learner_name_saves_and_grades_or_is_refused_before_writing(learner, learner_id):
    folder = Path(tempfile.mkdtemp(prefix="fuzz-name-")) / "in"
    folder.mkdir()
    try:
        payload = make_answers_payload(BANK, GOOD, learner=learner, learner_id=learner_id)
    except (ValueError, TypeError):
        assert not any(folder.iterdir())
        return
    write_answers(folder / "a.json", payload)
    book = grade([folder], bank_dir=_ROOT)
    assert [e.result.n_correct for e in book.graded] == [3], book.skipped
    _check_gradebook(book, folder, ["a.json"])


# -- chapter notebooks --------------------------------------------------------------------------

SECRET = "SECRET_LINE"
FENCES = [":::", "::::", "```", "````", "~~~"]
NAMES = ["solution", "Solution", "SOLUTION", "solution-start", "Solution-Start", "solution-end"]


@st.composite
def markdown_source(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["text", "open", "close", "exercise", "prefixed"]))
        fence = draw(st.sampled_from(FENCES))
        if kind == "text":
            lines.append(
                draw(st.sampled_from(["Some prose.", "", "  indented", ":class: dropdown"]))
            )
        elif kind == "open":
            label = draw(st.sampled_from(["", " ex-1", " ex-2"]))
            lines.append(f"{fence}{{{draw(st.sampled_from(NAMES))}}}{label}")
        elif kind == "close":
            lines.append(fence)
        elif kind == "exercise":
            lines += [":::{exercise}", ":label: ex-1", "Do it.", ":::"]
        else:
            lines.append(f"{draw(st.sampled_from(['> ', '- ', '1. ']))}{fence}{{solution}} ex-1")
    return "\n".join(lines)


def _cell(kind: str, source: str, tags=None):
    metadata = {"tags": tags} if tags else {}
    if kind == "raw":
        return v4.new_raw_cell(source, metadata=metadata)
    if kind == "code":
        return v4.new_code_cell(source, metadata=metadata)
    return v4.new_markdown_cell(source, metadata=metadata)


@st.composite
def solution_block(draw) -> list:
    """Cells holding SECRET only inside a well-formed solution, in one of its many forms."""
    form = draw(st.sampled_from(["directive", "pair", "tagged"]))
    kind = draw(st.sampled_from(["markdown", "raw"]))
    fence = draw(st.sampled_from(FENCES))
    case = draw(st.sampled_from([str.lower, str.title, str.upper]))
    if form == "directive":
        body = [SECRET]
        if len(fence) >= 4:  # a nested directive needs a shorter fence inside
            body = [f"{fence[0] * 3}{{note}}", SECRET, fence[0] * 3, SECRET]
        closing = fence[0] * (len(fence) + draw(st.integers(0, 1)))
        before = draw(
            st.sampled_from(["", "Prose before.\n", ":::{exercise}\n:label: ex-1\nDo.\n:::\n"])
        )
        after = draw(st.sampled_from(["", "\nProse after."]))
        label = draw(st.sampled_from(["", " ex-1"]))
        text = "\n".join([f"{before}{fence}{{{case('solution')}}}{label}", *body, closing]) + after
        return [_cell(kind, text)]
    if form == "pair":
        start = _cell(kind, f"{fence}{{{case('solution-start')}}} ex-1\n{fence}")
        inner = [_cell(draw(st.sampled_from(["code", "markdown", "raw"])), SECRET)]
        end = _cell(
            draw(st.sampled_from(["markdown", "raw"])),
            f"{fence}{{{case('solution-end')}}}\n{fence}",
        )
        return [start, *inner, end]
    tag = case(draw(st.sampled_from(["solution", "solutions"])))
    tags = [draw(st.sampled_from([tag, f" {tag}"]))]
    return [_cell(draw(st.sampled_from(["code", "markdown", "raw"])), SECRET, tags)]


@st.composite
def noise_cell(draw):
    kind = draw(st.sampled_from(["markdown", "raw", "code"]))
    if kind == "code":
        return _cell("code", draw(st.sampled_from(["x = 1", "print(2)", "# :::{solution}"])))
    return _cell(kind, draw(markdown_source()))


def _chapter(cells) -> object:
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# 9. Fuzz"), *cells])
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"c{number}"
    return nb


@FUZZ
@given(st.lists(solution_block(), min_size=1, max_size=4))
def test_every_well_formed_solution_is_stripped(blocks):
    nb = _chapter([cell for block in blocks for cell in block])
    student = student_edition(nb)  # well-formed: never refused
    assert SECRET not in "".join(cell.source for cell in student.cells)
    assert solution_markers(student) == []


@FUZZ
@given(st.lists(st.one_of(solution_block(), st.lists(noise_cell(), max_size=2)), max_size=5))
def test_student_edition_never_holds_a_solution(blocks):
    nb = _chapter([cell for block in blocks for cell in block])
    try:
        student = student_edition(nb)
    except ValueError:
        return  # refused: nothing is handed out
    assert SECRET not in "".join(cell.source for cell in student.cells)
    assert solution_markers(student) == []


@FUZZ
@given(json_values)
def test_read_notebook_refuses_any_malformed_json_with_one_line(value):
    path = Path(tempfile.mkdtemp(prefix="fuzz-nb-")) / "09_x.ipynb"
    path.write_bytes(_dump(value))
    try:
        nb = read_notebook(path)
    except ValueError as err:
        assert "\n" not in str(err) and "09_x.ipynb" in str(err)
        return
    student_edition(nb)  # a notebook it accepts is one it can process
