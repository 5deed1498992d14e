"""The Colab edition (colab/): in sync with the chapters, plain Markdown, harmless claims,
and the Sphinx extension that points the Colab launch button at it."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml

from course_utils.instructor.colab import (
    Book,
    claims_from_asserts,
    colab_edition,
    colab_url,
    edition_problems,
    read_glossary,
)
from course_utils.instructor.course import toc_chapters
from course_utils.instructor.myst import References, leftover_myst, myst_to_markdown

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = [ROOT / f"{entry}.ipynb" for entry in toc_chapters(ROOT)]
# Chapters with no edition yet, and why (a listed chapter that gets one fails, so the list
# only shrinks). Every chapter has one now.
PENDING: set[str] = set()


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


tool = _load("colab_edition_tool", ROOT / "tools" / "colab_edition.py")
launch = _load("colab_launch_ext", ROOT / "_ext" / "colab_launch.py")


@pytest.fixture(scope="module")
def book():
    return Book.from_root(ROOT)


@pytest.fixture(
    params=[
        pytest.param(
            p,
            marks=[pytest.mark.xfail(strict=True, reason="no edition yet (PENDING)")]
            if p.stem in PENDING
            else [],
        )
        for p in CHAPTERS
    ],
    ids=lambda p: p.stem,
)
def chapter(request):
    return request.param


# ------------------------------------------------------------------------ the committed editions


def test_every_chapter_has_an_edition_and_nothing_else_is_there():
    assert sorted(p.name for p in (ROOT / "colab").glob("*.ipynb")) == sorted(
        p.name for p in CHAPTERS if p.stem not in PENDING
    ), "run: python tools/colab_edition.py"
    assert PENDING <= {p.stem for p in CHAPTERS}


def test_committed_edition_is_what_the_tool_writes(chapter, book):
    committed = (ROOT / "colab" / chapter.name).read_text(encoding="utf-8")
    assert committed == tool.edition_text(chapter, book), (
        f"colab/{chapter.name} is stale: run python tools/colab_edition.py and commit it"
    )


@pytest.fixture
def edition(chapter):
    return nbformat.read(ROOT / "colab" / chapter.name, as_version=4)


def test_no_raw_myst_or_glue_survives(edition):
    assert edition_problems(edition) == []
    for cell in edition.cells:
        if cell.cell_type == "markdown":
            assert not re.search(r"\{glue", cell.source)
            assert "{solution" not in cell.source and ":label:" not in cell.source


def test_solutions_are_folded_and_none_runs(chapter, edition, book):
    original = nbformat.read(chapter, as_version=4)
    from course_utils.instructor.notebook import find_exercises, find_solutions

    folded = [c for c in edition.cells if "solution" in c.metadata.get("tags", [])]
    assert len(folded) == len(find_solutions(original))
    for cell in folded:
        assert cell.cell_type == "markdown"
        assert cell.source.startswith("<details>\n<summary>") and cell.source.endswith("</details>")
    numbered = re.findall(r"\*\*Exercise (\d+)", "\n".join(c.source for c in edition.cells))
    first = book.offsets[f"chapters/{chapter.stem}"][1] + 1  # numbered across the book
    count = len(find_exercises(original))
    assert [int(n) for n in numbered] == list(range(first, first + count))


def test_hidden_cells_are_in_form_view_and_claims_never_stop_run_all(chapter, edition):
    original = nbformat.read(chapter, as_version=4)

    def claims_cells(nb):  # the set-up cell is hidden too, and its version check must stop
        return [
            c
            for c in nb.cells
            if "remove-cell" in c.metadata.get("tags", [])
            and "setup-install" not in c.metadata.get("tags", [])
        ]

    hidden, kept = claims_cells(original), claims_cells(edition)
    solutions = [c for c in hidden if "solution" in c.metadata.get("tags", [])]
    assert len(kept) == len(hidden) - len(solutions)  # claims of solutions go with them
    for cell in kept:
        assert cell.metadata.get("cellView") == "form" and cell.source.startswith("# @title")
        tree = ast.parse(re.sub(r"^%.*$", "", cell.source, flags=re.M))
        asserts = [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]
        assert not asserts, f"a bare assert in a claims cell of colab/{chapter.name}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_kept_cell_needs_a_name_only_a_solution_defines(chapter):
    """Solutions are folded text in the edition, so nothing after them may use their names."""
    from course_utils.instructor.notebook import find_solutions

    nb = nbformat.read(chapter, as_version=4)
    inside = {i for s in find_solutions(nb) for i in range(s.start, s.stop)}

    def names(source, kind):
        try:
            tree = ast.parse(re.sub(r"^\s*[%!].*$", "", source, flags=re.M))
        except SyntaxError:
            return set()
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, kind):
                found.add(node.id)
            if kind is ast.Store and isinstance(node, ast.FunctionDef | ast.ClassDef):
                found.add(node.name)
            if kind is ast.Store and isinstance(node, ast.Import | ast.ImportFrom):
                found |= {(a.asname or a.name).split(".")[0] for a in node.names}
        return found

    defined_outside: set[str] = set()
    only_in_solutions: set[str] = set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if i in inside:
            only_in_solutions |= names(cell.source, ast.Store) - defined_outside
            continue
        used = names(cell.source, ast.Load) - defined_outside
        assert not (used & only_in_solutions), (chapter.name, i, used & only_in_solutions)
        defined_outside |= names(cell.source, ast.Store)


def test_launch_links_and_figures(book):
    nb = nbformat.read(ROOT / "colab" / "02_uncertainty.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert colab_url(book, "01_rnn_metrics") in text  # {doc} -> the other edition
    captions = [int(n) for n in re.findall(r"^\*\*Fig\. (\d+)\.\*\*", text, re.M)]
    first = book.offsets["chapters/02_uncertainty"][0] + 1  # as the book numbers them
    assert captions == list(range(first, first + len(captions))) and captions
    assert "## Terms used in this chapter" in text and "- **bootstrap**:" in text


# ------------------------------------------------------------------------------ the converter


@pytest.mark.parametrize(
    ("myst", "expected"),
    [
        (":::{note}\nBe careful.\n:::", "> **Note**\n>\n> Be careful."),
        (
            ":::{admonition} Deep dive\n:class: dropdown\nText with `code`.\n:::",
            "<details>\n<summary><b>Deep dive</b></summary>\n\nText with `code`.\n\n</details>",
        ),
        ("```{dropdown} More\nHidden.\n```", "<details>\n<summary><b>More</b></summary>"),
        (
            "::::{admonition} Outer\n:::{tip}\nInner.\n:::\n::::",
            "> **Outer**\n>\n> > **Tip**\n> >\n> > Inner.",
        ),
        ("```{code-block} python\nx = 1\n```", "```python\nx = 1\n```"),
        ("```{math}\na^2\n```", "$$\na^2\n$$"),
        ("(sec-a)=\n## A", "## A"),
        ("% a comment\nText", "Text"),
        ("{math}`x^2` and {sub}`i`", "$x^2$ and <sub>i</sub>"),
        ("{term}`intervals <confidence interval>`", "intervals"),
        ("```python\nprint('{term}`x`')\n```", "```python\nprint('{term}`x`')\n```"),
        (":::{toctree}\nintro\n:::", ""),
        (":::{foo-bar} Title\nBody.\n:::", "> **Foo bar Title**\n>\n> Body."),
    ],
)
def test_myst_to_markdown(myst, expected):
    converted = myst_to_markdown(myst)
    assert converted.startswith(expected), converted
    assert leftover_myst(converted) == []


def test_references_resolve_and_report_what_they_cannot():
    refs = References(
        docname="chapters/02_x",
        figures={"fig-a": 3},
        sections={"sec-b": "The section"},
        doc_link=lambda doc: ("URL/" + doc, "Title") if doc == "chapters/01_y" else None,
    )
    refs.exercise_number("ex-1")
    refs.exercise_number("ex-2")
    text = (
        "{numref}`fig-a`, {numref}`Figure %s <fig-a>`, {ref}`ex-2`, {ref}`sec-b`, "
        "{doc}`01_y`, {doc}`Back <../chapters/01_y>`, {doc}`/missing`, {ref}`nowhere`"
    )
    assert myst_to_markdown(text, refs) == (
        "Fig. 3, Figure 3, Exercise 2, The section, [Title](URL/chapters/01_y), "
        "[Back](URL/chapters/01_y), missing, nowhere"
    )
    assert refs.unresolved == ["{doc}`/missing`", "{ref}`nowhere`"]
    block = myst_to_markdown(":::{exercise}\n:label: ex-2\nDo it.\n:::", refs)
    assert block.startswith("> **Exercise 2**")


def test_leftover_myst_finds_what_is_left():
    found = leftover_myst("A {numref}`x` here.\n> :::{note}\n> Body\n:::\n(t)=\n:class: tip")
    assert [f.split(":")[0] for f in found] == [
        "role",
        "directive",
        "directive option",
        "target",
        "colon fence",
    ]


def test_claims_from_asserts():
    source = (
        "x = 2\n"
        "assert x > 1, f'x = {x}'\n"
        "for k in range(2):\n"
        "    assert (\n"
        "        k < 5\n"
        "    )\n"
        "y = 1; assert y  # shares a line: left alone\n"
    )
    out = claims_from_asserts(source)
    assert out.startswith("from course_utils.book import claim\n")
    assert "claim(bool(x > 1), f'x = {x}')" in out
    assert "    claim(bool(k < 5), 'k < 5')" in out
    assert "y = 1; assert y" in out
    compile(out, "<claims>", "exec")
    assert claims_from_asserts("print(1)") == "print(1)"
    assert claims_from_asserts("def (:") == "def (:"


def test_a_rewritten_claim_notes_instead_of_stopping(monkeypatch, capsys):
    monkeypatch.delenv("COURSE_STRICT_CLAIMS", raising=False)
    exec(claims_from_asserts("assert 1 > 2, 'one beats two'\ndone = True"), namespace := {})
    assert namespace["done"] and "one beats two" in capsys.readouterr().out


def test_glossary_is_read_from_the_page():
    terms = read_glossary((ROOT / "glossary.md").read_text(encoding="utf-8"))
    assert "bootstrap" in terms and terms["p-value"][0] == "p-value"
    assert all(definition for _, definition in terms.values())


# --------------------------------------------------------------------------- a book of one page


@pytest.fixture
def tiny_book(tmp_path):
    (tmp_path / "_config.yml").write_text(
        yaml.safe_dump({"repository": {"url": "https://github.com/org/course", "branch": "dev"}})
    )
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - chapters:\n      - file: chapters/01_demo\n"
    )
    (tmp_path / "intro.md").write_text("# Welcome\n")
    (tmp_path / "chapters").mkdir()
    v4 = nbformat.v4
    glued = v4.new_output(
        "display_data",
        data={"application/papermill.record/text/plain": "0.912"},
        metadata={"scrapbook": {"name": "acc"}},
    )
    figure = {"mystnb": {"figure": {"caption": "A {term}`thing`.", "name": "fig-demo"}}}
    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# 1. Demo\n\nAccuracy {glue:text}`acc:.2f`, {doc}`/intro`."),
            v4.new_code_cell("x = 1", outputs=[glued], metadata=figure),
            v4.new_code_cell("assert x == 1", metadata={"tags": ["remove-cell"]}),
            v4.new_markdown_cell(":::{exercise}\n:label: ex-d\nDo.\n:::\nSee {numref}`fig-demo`."),
            v4.new_markdown_cell(
                ":::{solution-start} ex-d\n:class: dropdown\n:::", metadata={"tags": ["solution"]}
            ),
            v4.new_code_cell(
                "print(x)",
                metadata={"tags": ["solution"]},
                outputs=[v4.new_output("stream", name="stdout", text="1\n")],
            ),
            v4.new_markdown_cell(":::{solution-end}\n:::", metadata={"tags": ["solution"]}),
        ]
    )
    nbformat.write(nb, tmp_path / "chapters" / "01_demo.ipynb")
    return tmp_path


def test_the_tool_writes_checks_and_prunes(tiny_book, capsys):
    assert tool.main(["--root", str(tiny_book), "--check"]) == 1  # nothing written yet
    assert tool.main(["--root", str(tiny_book)]) == 0
    edition = nbformat.read(tiny_book / "colab" / "01_demo.ipynb", as_version=4)
    text = "\n".join(c.source for c in edition.cells)
    assert "Accuracy 0.91, [Welcome](https://github.com/org/course/blob/dev/intro.md)." in text
    assert "**Fig. 1.** A thing." in text and "See Fig. 1." in text
    assert "<summary><b>Solution to Exercise 1</b></summary>" in text and "```text\n1\n```" in text
    assert "claim(bool(x == 1), 'x == 1')" in text
    assert tool.main(["--root", str(tiny_book), "--check"]) == 0
    (tiny_book / "colab" / "99_gone.ipynb").write_text("{}")
    assert tool.main(["--root", str(tiny_book), "--check"]) == 1
    assert tool.main(["--root", str(tiny_book)]) == 0
    assert not (tiny_book / "colab" / "99_gone.ipynb").exists()


def test_a_missing_glued_value_is_refused(tiny_book):
    path = tiny_book / "chapters" / "01_demo.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].outputs = []
    with pytest.raises(ValueError, match=r"no stored value.*make notebooks"):
        colab_edition(nb, docname="chapters/01_demo", book=Book.from_root(tiny_book))


def test_a_book_without_a_github_repository_is_refused(tmp_path):
    (tmp_path / "_config.yml").write_text("repository:\n  url: https://gitlab.com/o/r\n")
    with pytest.raises(ValueError, match="GitHub URL"):
        Book.from_root(tmp_path)


# ------------------------------------------------------------------------ the launch extension


def _context(pagename, branch="main"):
    url = f"https://colab.research.google.com/github/o/r/blob/{branch}/{pagename}.ipynb"
    return {
        "header_buttons": [
            {
                "label": "launch-buttons",
                "buttons": [
                    {"text": "Binder", "url": "https://mybinder.org/v2/gh/o/r/main"},
                    {"text": "Colab", "url": url},
                ],
            }
        ]
    }


def _app(srcdir):
    return SimpleNamespace(srcdir=str(srcdir), config=SimpleNamespace(colab_edition_folder="colab"))


def test_the_launch_button_opens_the_edition(tmp_path, caplog):
    (tmp_path / "colab").mkdir()
    (tmp_path / "colab" / "02_x.ipynb").write_text("{}")
    context = _context("chapters/02_x")
    launch._rewrite(_app(tmp_path), "chapters/02_x", "page.html", context, None)
    binder, colab = context["header_buttons"][0]["buttons"]
    assert colab["url"] == "https://colab.research.google.com/github/o/r/blob/main/colab/02_x.ipynb"
    assert binder["url"] == "https://mybinder.org/v2/gh/o/r/main"
    # Other pages keep the theme's link; a chapter without an edition warns.
    other = _context("how_to_use")
    launch._rewrite(_app(tmp_path), "how_to_use", "page.html", other, None)
    assert other["header_buttons"][0]["buttons"][1]["url"].endswith("/how_to_use.ipynb")
    missing = _context("chapters/03_y")
    with caplog.at_level("WARNING"):
        launch._rewrite(_app(tmp_path), "chapters/03_y", "page.html", missing, None)
    assert missing["header_buttons"][0]["buttons"][1]["url"].endswith("chapters/03_y.ipynb")
    assert "no Colab edition" in caplog.text
    # A book with no colab/ folder at all (a test's small book) keeps the links, silently.
    caplog.clear()
    bare = tmp_path / "bare"
    bare.mkdir()
    plain = _context("chapters/03_y")
    with caplog.at_level("WARNING"):
        launch._rewrite(_app(bare), "chapters/03_y", "page.html", plain, None)
    assert plain["header_buttons"][0]["buttons"][1]["url"].endswith("chapters/03_y.ipynb")
    assert "no Colab edition" not in caplog.text


def test_every_chapter_page_would_get_its_edition():
    for chapter in CHAPTERS:
        if chapter.stem in PENDING:
            continue
        assert (ROOT / "colab" / chapter.name).is_file()
        url = launch.colab_edition_url(
            f"https://colab.research.google.com/github/o/r/blob/main/chapters/{chapter.name}",
            f"chapters/{chapter.stem}",
            f"colab/{chapter.name}",
        )
        assert url.endswith(f"/blob/main/colab/{chapter.name}")
