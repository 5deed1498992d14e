"""tests/nbval_plugin.py: stored figures compared as figures, so CPU noise passes and a change fails."""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest
from nbval_plugin import (
    TEXT_TOLERANCE,
    Tolerance,
    compare_svg,
    compare_svg_outputs,
    compare_text,
    compare_values,
    install,
    is_text_key,
    reconcile_text,
)

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted(ROOT.glob("chapters/[0-9]*.ipynb"))


def last_digit_noise(svg: str, seed: int = 0) -> str:
    """Every number printed with six decimals moves by one unit in its last digit (up or down)."""
    rng = random.Random(seed)

    def move(match):
        value = float(match.group()) + rng.choice([-1e-6, 1e-6])
        return f"{value:.6f}"

    return re.sub(r"(?<![\w.#-])-?\d+\.\d{6}(?!\d)", move, svg)


def stored_svgs() -> list[tuple[str, str]]:
    found = []
    for path in CHAPTERS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for index, cell in enumerate(nb["cells"]):
            for output in cell.get("outputs", []):
                svg = output.get("data", {}).get("image/svg+xml")
                if svg:
                    found.append((f"{path.stem}:{index}", "".join(svg)))
    return found


def figure(title="Recall by threshold", ys=(0.2, 0.9, 0.4), style="-", **savefig) -> str:
    """An SVG the way the chapters store one (fixed ids, no date, tight bounding box)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.hashsalt": "rnn-eval-course"}):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot(range(len(ys)), list(ys), style, label="recall")
        ax.set_title(title)
        ax.legend()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None}, **savefig)
        plt.close(fig)
    return buffer.getvalue().decode()


# ---- values and documents ------------------------------------------------------------------


def test_numbers_within_tolerance_and_everything_else_exactly():
    assert compare_values("M 58.500963 291.4 L 3 -0", "M 58.500962 291.400001 L 3 0") is None
    assert "0.1 apart" in compare_values("M 58.5 1", "M 58.6 1")
    assert compare_values("M 1 2", "M 1 3") == "number 2: 2 stored, 3 fresh"  # integers exactly
    assert "text" in compare_values("stroke: #1f77b4", "stroke: #1f77b5")  # colours are text
    assert "text" in compare_values("url(#p9cc7e7f939)", "url(#p9cc7e7f938)")  # ids are text
    assert "text" in compare_values("#DejaVuSans-51", "#DejaVuSans-52")  # glyph names are text
    assert compare_values("M 1 2", "M 1 2 L 3 4") == "2 numbers stored, 4 fresh"
    assert compare_values("293.955697pt", "293.955698pt") is None  # a unit after a number
    assert compare_values("1e6", "1.0000001e6") is None  # relative part of the tolerance
    assert compare_values("0.5", "0.504") is None
    assert compare_values("0.5", "0.504", Tolerance(abs_tol=1e-3)) is not None


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf"), "0.1"])
def test_tolerance_is_validated(value):
    with pytest.raises(ValueError, match="abs_tol"):
        Tolerance(abs_tol=value)


def test_a_figure_with_last_digit_noise_passes():
    svg = figure()
    noisy = last_digit_noise(svg)
    assert noisy != svg
    assert compare_svg(svg, noisy) is None


@pytest.mark.parametrize(
    "changed",
    [
        {"title": "Precision by threshold"},
        {"title": "Recall by thresholds"},
        {"ys": (0.2, 0.9, 0.41)},  # one data point moved by 0.01
        {"ys": (0.2, 0.9, 0.4, 0.3)},  # one more point
        {"style": "--"},  # a dashed line
        {"style": "r-"},  # another colour
    ],
    ids=["title", "title-one-letter", "data-point", "extra-point", "dashed", "colour"],
)
def test_a_changed_figure_fails(changed):
    problem = compare_svg(figure(), last_digit_noise(figure(**changed)))
    assert problem is not None and problem.startswith(("at ", "after ")), problem


def test_an_added_or_removed_element_fails_and_says_where():
    svg = figure()
    root_end = svg.rindex("</svg>")
    added = svg[:root_end] + '<g id="extra"><path d="M 0 0 L 1 1"/></g>\n' + svg[root_end:]
    assert "child elements stored" in compare_svg(svg, added)
    assert "child elements stored" in compare_svg(added, svg)


def test_unparsable_svg_is_compared_as_text():
    assert compare_svg("<svg", "<svg") is None
    assert "not comparable as XML" in compare_svg("<svg", "<svg>")


def test_outputs_compare_in_order_and_count():
    a, b = figure(), figure(title="Other")
    svg = "image/svg+xml"
    assert compare_svg_outputs([{"data": {svg: a}}], [{"data": {svg: a}}]) is None
    assert compare_svg_outputs([{"data": {svg: [a[:10], a[10:]]}}], [{"data": {svg: a}}]) is None
    assert "1 image/svg+xml outputs stored, 0 fresh" in compare_svg_outputs(
        [{"data": {svg: a}}], [{"output_type": "stream", "text": "x"}]
    )
    assert "output 2 of 2 differs" in compare_svg_outputs(
        [{"data": {svg: a}}, {"data": {svg: a}}], [{"data": {svg: a}}, {"data": {svg: b}}]
    )


@pytest.mark.skipif(not CHAPTERS, reason="no chapters yet")
def test_every_stored_chapter_figure_survives_noise_and_catches_a_moved_point():
    figures = stored_svgs()
    assert figures, "the chapters store SVG figures next to their PNGs"
    for name, svg in figures:
        assert compare_svg(svg, last_digit_noise(svg, seed=len(name))) is None, name
        # Move the first path's second coordinate by 0.05 units: a change, and it must show.
        d = re.search(r'<path d="([^"]*)"', svg)
        number = list(re.finditer(r"(?<![\w.#-])-?\d+(?:\.\d+)?", d.group(1)))[1]
        start, end = d.start(1) + number.start(), d.start(1) + number.end()
        moved = svg[:start] + f"{float(number.group()) + 0.05:.6f}" + svg[end:]
        assert compare_svg(svg, moved) is not None, name


# ---- numbers in text and glued values ------------------------------------------------------

# Two CPUs' full-precision glued values seen on main (float32 arithmetic, another kernel), and
# chapter 6 re-executed with torch's vectorised kernels off: a mean, a difference of means.
CPU_PAIRS = [
    ("0.03385492041707039", "0.03385492414236069"),
    ("4.89534563013168", "4.895345609288851"),
    ("-0.0189845236054742", "-0.01898457821249888"),
    ("0.040101354604163364", "0.04010129436852335"),
]


@pytest.mark.parametrize(("stored", "fresh"), CPU_PAIRS)
def test_glued_values_from_two_cpus_pass(stored, fresh):
    assert compare_text(stored, fresh) is None


@pytest.mark.parametrize(
    ("stored", "fresh", "says"),
    [
        ("0.03385492041707039", "0.03386", "number 1"),  # the fourth significant digit
        ("4.89534563013168", "4.99534563013168", "number 1"),
        ("409", "410", "409 stored, 410 fresh"),  # a count, exactly
        ("'excludes 0'", "'includes 0'", "text"),  # a verdict, exactly
        ("0.5", "0.5 0.5", "1 numbers stored, 2 fresh"),
        ("seed0 0.5", "seed1 0.5", "text"),  # a digit inside a name is text
        ("torch 2.13.0", "torch 2.13.1", "text"),  # a version is text after its first number
    ],
)
def test_a_changed_value_in_text_fails(stored, fresh, says):
    problem = compare_text(stored, fresh)
    assert problem is not None and says in problem, problem


def test_text_rule_details():
    assert compare_text("a   0.5\nb 1", "a 0.5000001\nb 1") is None  # spaces realign
    assert compare_text("a 0.5\nb", "a 0.5 b") is not None  # a line break is not a space
    assert compare_text("1.885e-12", "1.887e-12") is not None  # a small p-value is a value
    assert compare_text("0.0", "1e-15") is not None
    assert compare_text("0.0", "1e-15", Tolerance(abs_tol=1e-12, rel_tol=1e-4)) is None
    assert compare_text("<td>0.912345</td>", "<td>0.912346</td>") is None  # a DataFrame cell
    loose = Tolerance(abs_tol=0, rel_tol=0.1)
    assert compare_text("1.0", "1.05", loose) is None and compare_text("1.0", "1.05") is not None
    assert TEXT_TOLERANCE == Tolerance(0.0, 1e-4)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("text/plain", True),
        ("text/html", True),
        ("text/markdown", True),
        ("application/papermill.record/text/plain", True),
        ("application/papermill.record/text/markdown", True),
        ("stdout", True),
        ("stderr", False),  # anything on stderr is compared exactly (and fails a chapter)
        ("image/svg+xml", False),  # figures have their own rule
        ("application/json", False),
        ("image/png", False),
    ],
)
def test_which_outputs_the_text_rule_covers(key, text):
    assert is_text_key(key) is text


def _record(name, text):
    return nbformat.v4.new_output(
        "display_data",
        data={"application/papermill.record/text/plain": text},
        metadata={"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}},
    )


def test_reconcile_pairs_values_like_nbval_and_leaves_the_fresh_outputs_alone():
    record = "application/papermill.record/text/plain"
    stored = [
        _record("a", "0.03385492041707039"),
        _record("b", "409"),
        nbformat.v4.new_output("stream", name="stdout", text="mean 4.89534563013168\n"),
    ]
    fresh = [
        _record("a", "0.03385492414236069"),
        _record("b", "410"),
        nbformat.v4.new_output("stream", name="stdout", text="mean 4.895345609288851\n"),
        _record("c", "1.0"),  # no stored counterpart: left for nbval to report
    ]
    before = json.dumps(fresh)
    reconciled, problems = reconcile_text(stored, fresh, lambda text: text, TEXT_TOLERANCE)
    assert json.dumps(fresh) == before
    assert reconciled[0]["data"][record] == "0.03385492041707039"  # noise: the stored text
    assert reconciled[1]["data"][record] == "410"  # a change stays for nbval to show
    assert reconciled[2]["text"] == "mean 4.89534563013168\n"
    assert reconciled[3]["data"][record] == "1.0"
    assert problems == [f"'{record}' output 2: number 1: 409 stored, 410 fresh"]
    # nbval's sanitising applies before the comparison; skipped keys are left alone.
    sanitised, _ = reconcile_text(stored[:1], fresh[:1], lambda t: t[:4], Tolerance(0, 0))
    assert sanitised[0]["data"][record] == "0.03385492041707039"
    skipped, _ = reconcile_text(stored[:1], fresh[:1], str, TEXT_TOLERANCE, skip=(record,))
    assert skipped[0]["data"][record] == "0.03385492414236069"


@pytest.mark.skipif(not CHAPTERS, reason="no chapters yet")
def test_every_stored_glued_value_survives_noise_and_catches_a_change():
    checked = 0
    for path in CHAPTERS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            for output in cell.get("outputs", []):
                for key, value in (output.get("data") or {}).items():
                    text = "".join(value)
                    if not key.startswith("application/papermill.record/text/"):
                        continue
                    try:
                        number = float(text)
                    except ValueError:
                        continue
                    if "." not in text and "e" not in text.lower():
                        continue  # an integer: compared exactly
                    checked += 1
                    noisy = repr(number * (1 + 3e-6))
                    assert compare_text(text, noisy) is None, (path.stem, text, noisy)
                    changed = repr(number * 1.001 if number else 1e-300)
                    assert compare_text(text, changed) is not None, (path.stem, text, changed)
    assert checked > 50, checked


def test_install_refuses_an_nbval_whose_method_changed():
    class Cell:
        def compare_outputs(self, test, ref):
            return True

    with pytest.raises(pytest.UsageError, match=r"nbval==0\.11\.0"):
        install(Cell, lambda cell: Tolerance())


def test_install_is_idempotent():
    class Cell:
        def compare_outputs(self, test, ref, skip_compare=None):
            return True

    install(Cell, lambda cell: Tolerance())
    wrapped = Cell.compare_outputs
    install(Cell, lambda cell: Tolerance())
    assert Cell.compare_outputs is wrapped


# ---- the plugin inside nbval, on notebooks executed in a real kernel -----------------------

PLOT = """\
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([0, 1, 2], [0.2, 0.9, 0.4], label="recall")
ax.set_title("Recall by threshold")
ax.legend()
print("drawn")"""

GLUE = """\
from course_utils.book import record

value = 0.03385492041707039
record(h1_value=value, h1_count=409)
print("value", value)"""
STORED_VALUE, OTHER_CPU = CPU_PAIRS[0]


def _nbval(paths, *, plugin=True, junit: Path) -> dict[str, list[str]]:
    """Run nbval on ``paths`` in a subprocess; per notebook, the outcome of each cell."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "--nbval"]
    command += ["--nbval-current-env", "--junitxml", str(junit)]
    if plugin:
        command[3:3] = ["-p", "tests.nbval_plugin"]
    # Without CI/BUILD_NUMBER: on CI pytest prints each failure's whole message in the short
    # summary too, and the counts of messages below assume it prints them once.
    skip = {"PYTHONPATH", "CI", "BUILD_NUMBER"}
    env = {k: v for k, v in os.environ.items() if k not in skip} | {"TQDM_DISABLE": "1"}
    run = subprocess.run(
        [*command, *map(str, paths)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode in (0, 1), run.stdout + run.stderr
    outcomes: dict[str, list[str]] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        notebook = case.get("classname", "").removesuffix(".ipynb").rsplit(".", 1)[-1]
        failed = case.find("failure") is not None or case.find("error") is not None
        outcomes.setdefault(notebook, []).append("failed" if failed else "passed")
    outcomes["_output"] = [run.stdout]
    return outcomes


@pytest.mark.slow
def test_nbval_with_the_plugin_passes_noise_and_fails_a_changed_figure(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from execute_notebooks import execute
    finally:
        sys.path.pop(0)
    base = tmp_path / "base.ipynb"
    cells = [nbformat.v4.new_code_cell(GLUE), nbformat.v4.new_code_cell(PLOT)]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), base)
    executed, _ = execute(base, timeout=120)
    glue_cell, plot_cell = executed.cells[-2:]
    assert any(STORED_VALUE in json.dumps(o) for o in glue_cell.outputs), glue_cell.outputs
    svgs = [o for o in plot_cell.outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == 1 and "image/png" in svgs[0]["data"], plot_cell.outputs

    def variant(name, *, source=None, glue=None, noise=False):
        nb = nbformat.from_dict(json.loads(json.dumps(executed)))
        cell = nb.cells[-1]
        if source is not None:
            cell.source = source  # the stored outputs stay those of PLOT
        if glue is not None:
            nb.cells[-2].source = glue  # the stored outputs stay those of GLUE
        if noise:
            # The stored glued value and printed value are another CPU's (last digits).
            glued = nb.cells[-2]
            glued.outputs = nbformat.from_dict(
                json.loads(json.dumps(glued.outputs).replace(STORED_VALUE, OTHER_CPU))
            )
            for output in cell.outputs:
                data = output.get("data", {})
                if "image/svg+xml" in data:
                    data["image/svg+xml"] = last_digit_noise(data["image/svg+xml"])
        path = tmp_path / f"{name}.ipynb"
        nbformat.write(nb, path)
        return path

    noise = variant("noise", noise=True)
    title = variant("title", source=PLOT.replace("Recall by threshold", "Recall by cut-off"))
    data = variant("data", source=PLOT.replace("0.9, 0.4]", "0.9, 0.45]"))
    line = variant("line", source=PLOT.replace('label="recall"', 'ls="--", label="recall"'))
    glued = variant("glued", glue=GLUE.replace(STORED_VALUE, "0.03386"))
    count = variant("count", glue=GLUE.replace("409", "410"))

    paths = [noise, title, data, line, glued, count]
    results = _nbval(paths, junit=tmp_path / "plugin.xml")
    output = results.pop("_output")[0]
    assert results["noise"] == ["passed", "passed", "passed"], output
    for name in ("title", "data", "line"):
        assert results[name] == ["passed", "passed", "failed"], (name, output)
    for name in ("glued", "count"):
        assert results[name] == ["passed", "failed", "passed"], (name, output)
    assert output.count("mismatch 'image/svg+xml'") == 3, output
    assert "number 1: 0.03385492041707039 stored, 0.03386 fresh" in output, output
    assert "number 1: 409 stored, 410 fresh" in output, output
    assert "notebook execution seconds" in output and "noise.ipynb" in output

    # The control: without the plugin, nbval compares as text and the noise fails both cells.
    plain = _nbval([noise], plugin=False, junit=tmp_path / "plain.xml")
    assert plain["noise"] == ["passed", "failed", "failed"], plain["_output"][0]
