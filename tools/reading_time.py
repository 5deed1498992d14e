"""Count the words a learner reads in each chapter, core and folded (`make`-free).

The *core* of a chapter is its Markdown prose outside folded sections: a ``{dropdown}`` or
any directive with ``:class: dropdown`` (a deep-dive ``{admonition}``, a ``{solution-start}``),
and cells tagged ``solution``. Code (code cells, fenced code in Markdown), display math, HTML
comments, directive fences and their option lines are not words. The blocks are found by the
package's MyST reader (``course_utils.instructor.myst``), the one the instructor tools and
the Colab edition use, so this count and the book agree on what is folded. A role counts as the words it shows:
``{term}`text <target>``` as "text", a ``{glue:text}`` value as one word.

    .venv/bin/python tools/reading_time.py                 # every chapter
    .venv/bin/python tools/reading_time.py chapters/06_next_token.ipynb
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS_PER_MINUTE = 200

_ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_WORD = re.compile(r"[A-Za-z0-9]")
# directives whose body is literal text, not prose (course_utils.instructor.myst.CODE and kin)
_LITERAL = {"code", "code-block", "sourcecode", "code-cell", "math", "raw", "eval-rst"}


def _role_text(match: re.Match) -> str:
    name, body = match.group(1), match.group(2)
    if name.startswith("glue"):
        return "N"
    shown = re.match(r"^(.*?)\s*<[^<>]*>$", body)
    return shown.group(1) if shown else body


def _words(text: str) -> int:
    text = _ROLE.sub(_role_text, text)
    return sum(1 for token in text.split() if _WORD.search(token))


def split_markdown(source: str) -> tuple[int, int]:
    """Return ``(core_words, folded_words)`` of one Markdown cell's source.

    The blocks are the book's: :func:`course_utils.instructor.myst.read_blocks` parses the
    text with MyST's own parser, and :func:`~course_utils.instructor.myst.folds` says which
    directives the book shows folded. Everything inside a folded directive is folded.
    """
    return _count(_COMMENT.sub(" ", source), folded=False)


def _count(text: str, *, folded: bool) -> tuple[int, int]:
    from course_utils.instructor.myst import directive_options, folds, read_blocks

    core = hidden = 0
    lines = text.split("\n")
    for block in read_blocks(text):
        if block.kind == "text":
            literal = {i for start, end in block.verbatim for i in range(start, end)}
            words = sum(_words(lines[i]) for i in range(block.start, block.end) if i not in literal)
        elif block.kind == "directive" and block.name not in _LITERAL:
            inside = folded or folds(block)
            _, content = directive_options(block)
            c, f = _count("\n".join(content), folded=inside)
            core, hidden = core + c, hidden + f
            words, folded_here = _words(block.args), inside  # its title reads with its body
            if folded_here:
                hidden += words
            else:
                core += words
            continue
        else:  # code, targets, comments: not words
            continue
        if folded:
            hidden += words
        else:
            core += words
    return core, hidden


def count_notebook(path: Path) -> dict[str, int]:
    """Core and folded words, and visible code lines, of one chapter notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    core = folded = code = 0
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] == "markdown":
            c, f = split_markdown(source)
            if "solution" in tags:
                c, f = 0, c + f
            core += c
            folded += f
        elif cell["cell_type"] == "code" and not tags & {
            "remove-cell",
            "remove-input",
            "setup-install",
            "solution",
        }:
            code += sum(1 for line in source.splitlines() if line.strip())
    return {"core": core, "folded": folded, "code_lines": code}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
    print("| chapter | core words | folded words | core min | visible code lines |")
    print("|---|---|---|---|---|")
    for path in paths:
        c = count_notebook(path)
        minutes = c["core"] / WORDS_PER_MINUTE
        print(
            f"| {path.stem} | {c['core']:,} | {c['folded']:,} | {minutes:.0f} | {c['code_lines']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
