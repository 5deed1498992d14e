"""course_utils.instructor.myst reads blocks as the book does (markdown-it-py + myst-parser),
and turns them into plain Markdown."""

from __future__ import annotations

import pytest

from course_utils.instructor.myst import (
    BOOK_EXTENSIONS,
    References,
    iter_directives,
    leftover_myst,
    myst_to_markdown,
    read_blocks,
)


def _kinds(text):
    return [(b.kind, b.name) for b in read_blocks(text)]


@pytest.mark.parametrize(
    "fence",
    [
        ":::{exercise}\n:label: e\nDo.\n:::",
        "```{exercise}\n:label: e\nDo.\n```",
        "~~~~{exercise}\n:label: e\nDo.\n~~~~",
        "   :::{Exercise}\n   :label: e\n   Do.\n   :::",  # indented, any case
        "::::{EXERCISE}\n:label: e\nDo.\n::::",
    ],
)
def test_every_fence_form_is_a_directive(fence):
    (block,) = read_blocks(fence)
    assert (block.kind, block.name) == ("directive", "exercise")
    assert block.body.split("\n")[0].strip() == ":label: e"
    assert myst_to_markdown(fence).startswith("> **Exercise 1**")


def test_line_spans_cover_the_text():
    text = "(sec)=\n## Head {term}`x`\n\n% note\nPara\nmore\n\n```python\n{a}`b`\n```\n+++\n"
    blocks = read_blocks(text)
    assert [(b.kind, b.start, b.end) for b in blocks] == [
        ("dropped", 0, 1),
        ("text", 1, 2),
        ("dropped", 3, 4),
        ("text", 4, 6),
        ("code", 7, 10),
        ("dropped", 10, 11),
    ]
    out = myst_to_markdown(text)
    assert out.split("\n")[0] == "## Head x"
    assert "{a}`b`" in out  # code untouched
    assert "(sec)=" not in out and "% note" not in out and "+++" not in out


def test_colon_fences_nest_as_myst_reads_them():
    # An inner fence of the same length closes the outer one (as in MyST): the longer outer
    # fence is the way to nest.
    nested = "::::{dropdown} More\n:::{solution} ex-1\nx\n:::\n::::"
    assert [(p, b.name) for p, b in iter_directives(nested)] == [
        ((), "dropdown"),
        (("dropdown",), "solution"),
    ]
    same = ":::{dropdown} More\n:::{note}\nx\n:::\n:::"
    assert [b.name for b in read_blocks(same) if b.kind == "directive"] == ["dropdown"]


def test_literal_directives_are_not_read_into():
    text = "```{code-block} markdown\n:::{solution} x\n:::\n```"
    assert [b.name for _, b in iter_directives(text)] == ["code-block"]
    assert myst_to_markdown(text) == "```markdown\n:::{solution} x\n:::\n```"


def test_code_and_math_inside_lists_and_quotes_stay_verbatim():
    text = "- item {term}`bootstrap`\n\n  ```python\n  {doc}`x`\n  ```\n\n$$\n{a}`b`\n$$"
    out = myst_to_markdown(text)
    assert out.startswith("- item bootstrap")
    assert "  {doc}`x`" in out and "{a}`b`" in out


def test_a_directive_in_a_quote_is_reported_and_caught():
    refs = References()
    out = myst_to_markdown("> :::{note}\n> in a quote\n> :::", refs)
    assert refs.unresolved == ["{note} inside a quote or list"]
    assert leftover_myst(out)  # the edition check refuses it


def test_a_role_may_span_lines():
    assert myst_to_markdown("See {term}`confidence\ninterval`.") == "See confidence\ninterval."


def test_the_book_enables_these_extensions():
    from pathlib import Path

    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "_config.yml").read_text())
    assert set(config["parse"]["myst_enable_extensions"]) == set(BOOK_EXTENSIONS)
