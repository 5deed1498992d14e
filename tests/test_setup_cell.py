"""A chapter's set-up cell installs course_utils where it is missing (Colab, Binder).

The cell is run, as IPython code, in a fresh virtual environment that sees the pinned stack
(numpy, torch, IPython, ...) but not course_utils, with pip cut off from any index. It must
install the package from the local wheel named by COURSE_UTILS_SOURCE, and the package must
then import, at the book's version, from inside that environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _setup_source() -> str:
    """The set-up cell of chapter 1 once normalised, else the normaliser's own template."""
    chapter = ROOT / "chapters" / "01_rnn_metrics.ipynb"
    nb = nbformat.read(chapter, as_version=4)
    cells = [c for c in nb.cells if "setup-install" in c.metadata.get("tags", [])]
    if cells:
        return cells[0].source
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import execute_notebooks
    finally:
        sys.path.pop(0)
    return execute_notebooks.setup_source()


def _version() -> str:
    import course_utils

    return course_utils.__version__


def test_binder_installs_the_pinned_stack_and_the_package():
    binder = ROOT / "binder"
    requirements = (binder / "requirements.txt").read_text().splitlines()
    assert "-r ../requirements.txt" in requirements, "Binder must use the book's pinned stack"
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    post_build = binder / "postBuild"
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable"
    assert "pip install --no-deps" in post_build.read_text()
    assert "jupyterlab_myst==" in (ROOT / "requirements.txt").read_text()


@pytest.mark.slow
def test_setup_cell_installs_course_utils_in_a_fresh_environment(tmp_path):
    # A wheel of the package, built from a copy (no build/ folder left in the repository).
    source = tmp_path / "src"
    shutil.copytree(ROOT / "course_utils", source / "course_utils")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("course_utils-*.whl")

    # A fresh environment: the pinned stack is visible through a path entry, course_utils not
    # (the editable install's own .pth files are not processed for a plain path entry).
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "course_stack.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}} | {
        "PIP_NO_INDEX": "1",
        "COURSE_UTILS_SOURCE": str(wheel),
        "PYTHONNOUSERSITE": "1",
    }
    probe = "import importlib.util; print(importlib.util.find_spec('course_utils'))"
    before = subprocess.run(
        [str(python), "-c", probe], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert before.stdout.strip() == "None", "the fresh environment already has course_utils"

    cell = tmp_path / "setup_cell.ipy"
    cell.write_text(_setup_source() + "\nprint('VERSION', course_utils.__version__)\n")
    run = subprocess.run(
        [str(python), "-m", "IPython", "--quick", "--no-banner", str(cell)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"VERSION {_version()}" in run.stdout, run.stdout

    where = subprocess.run(
        [str(python), "-c", "import course_utils; print(course_utils.__file__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(env_dir), f"imported from {where}, not the new environment"

    # Run again: installed now, so the cell installs nothing and prints nothing from pip.
    again = subprocess.run(
        [str(python), "-m", "IPython", "--quick", "--no-banner", str(cell)],
        env=env | {"COURSE_UTILS_SOURCE": str(tmp_path / "missing.whl")},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stdout + again.stderr


# -- figures: a retina PNG for the page and a deterministic SVG for the figure pack -------------


def _tools():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import execute_notebooks
    finally:
        sys.path.pop(0)
    return execute_notebooks


def test_setup_cell_asks_for_png_and_deterministic_svg():
    source = _tools().setup_source()
    assert '%config InlineBackend.figure_formats = ["retina", "svg"]' in source
    assert '%config InlineBackend.rc = {"svg.hashsalt": "rnn-eval-course"}' in source
    assert '"metadata": {"Date": None}' in source and '"bbox_inches": "tight"' in source


def test_without_the_salt_and_date_matplotlib_svg_varies():
    """The control: what the set-up cell's settings are there to fix."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def svg(**kwargs) -> str:
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.plot([0, 1], [1, 0])
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", **kwargs)
        plt.close(fig)
        return buffer.getvalue().decode()

    with matplotlib.rc_context({"svg.hashsalt": None}):
        first, second = svg(), svg()
        assert first != second and "<dc:date>" in first  # random clip-path ids, today's date
    with matplotlib.rc_context({"svg.hashsalt": "rnn-eval-course"}):
        first, second = svg(metadata={"Date": None}), svg(metadata={"Date": None})
        assert first == second and "<dc:date>" not in first


FIGURES = """\
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([0, 1, 2], [0.2, 0.9, 0.4], label="recall")
ax.imshow([[0, 1], [1, 0]], extent=(0, 1, 0, 1))
ax.set_title("A figure")
ax.legend()"""


@pytest.mark.slow
def test_two_executions_store_identical_svg_next_to_every_png(tmp_path):
    tools = _tools()
    svgs = []
    for run in ("first", "second"):
        path = tmp_path / run / "09_figures.ipynb"
        path.parent.mkdir()
        nb = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_markdown_cell("# Figures"), nbformat.v4.new_code_cell(FIGURES)]
        )
        nbformat.write(nb, path)
        executed, _ = tools.execute(path, timeout=120)
        outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
        figures = [o for o in outputs if "image/png" in o.get("data", {})]
        assert len(figures) == 1, outputs
        data = figures[0]["data"]
        assert "image/svg+xml" in data, "every PNG figure has an SVG next to it"
        assert figures[0]["metadata"]["image/png"]["width"] > 0  # the retina PNG's CSS size
        svgs.append(data["image/svg+xml"])
    assert "clipPath id=" in svgs[0] and "<dc:date>" not in svgs[0]
    assert svgs[0] == svgs[1], "two runs must store byte-identical SVG (nbval compares it)"
