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
from nbval_plugin import Tolerance, compare_svg, compare_svg_outputs, compare_values, install

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


def _nbval(paths, *, plugin=True, junit: Path) -> dict[str, list[str]]:
    """Run nbval on ``paths`` in a subprocess; per notebook, the outcome of each cell."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "--nbval"]
    command += ["--nbval-current-env", "--junitxml", str(junit)]
    if plugin:
        command[3:3] = ["-p", "tests.nbval_plugin"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"TQDM_DISABLE": "1"}
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
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PLOT)]), base)
    executed, _ = execute(base, timeout=120)
    plot_cell = executed.cells[-1]
    svgs = [o for o in plot_cell.outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == 1 and "image/png" in svgs[0]["data"], plot_cell.outputs

    def variant(name, *, source=None, noise=False):
        nb = nbformat.from_dict(json.loads(json.dumps(executed)))
        cell = nb.cells[-1]
        if source is not None:
            cell.source = source  # the stored outputs stay those of PLOT
        if noise:
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

    results = _nbval([noise, title, data, line], junit=tmp_path / "plugin.xml")
    output = results.pop("_output")[0]
    assert results["noise"] == ["passed", "passed"], output
    for name in ("title", "data", "line"):
        assert results[name] == ["passed", "failed"], (name, output)
    assert output.count("mismatch 'image/svg+xml'") == 3, output
    assert "notebook execution seconds" in output and "noise.ipynb" in output

    # The control: without the plugin, nbval compares SVG as text and the noise fails.
    plain = _nbval([noise], plugin=False, junit=tmp_path / "plain.xml")
    assert plain["noise"] == ["passed", "failed"], plain["_output"][0]
