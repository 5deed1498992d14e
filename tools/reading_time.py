"""Count the words a learner reads in each chapter, core and folded (`make`-free).

The *core* of a chapter is its Markdown prose outside folded sections: a ``{dropdown}`` or
any directive with ``:class: dropdown`` (a deep-dive ``{admonition}``, a ``{solution-start}``),
and cells tagged ``solution``. Code (code cells, fenced code in Markdown), HTML comments,
directive fences and their option lines are not words. A role counts as the words it shows:
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

_FENCE = re.compile(r"^(\s*)(:{3,}|`{3,}|~{3,})\s*(\{([\w:-]+)\})?(.*)$")
_OPTION = re.compile(r"^\s*:[\w-]+:")
_ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_WORD = re.compile(r"[A-Za-z0-9]")


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
    """Return ``(core_words, folded_words)`` of one Markdown cell's source."""
    source = _COMMENT.sub(" ", source)
    core = folded = 0
    # each open fence: (fence string, is a directive, folds its body)
    stack: list[list] = []
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        match = _FENCE.match(line)
        closes = (
            stack
            and match
            and not match.group(3)
            and not match.group(5).strip()
            and match.group(2)[0] == stack[-1][0][0]
            and len(match.group(2)) >= len(stack[-1][0])
        )
        in_code = bool(stack) and not stack[-1][1]
        if closes:
            stack.pop()
            i += 1
            continue
        if match and not in_code:
            name = match.group(4)
            options = []
            j = i + 1
            while name and j < len(lines) and _OPTION.match(lines[j]):
                options.append(lines[j])
                j += 1
            folds = name == "dropdown" or any(
                re.match(r"^\s*:class:.*\bdropdown\b", o) for o in options
            )
            stack.append([match.group(2), bool(name), folds])
            # a directive's title (the rest of the fence line) is read with its body
            title = match.group(5) if name else ""
            if title.strip():
                if any(entry[2] for entry in stack):
                    folded += _words(title)
                else:
                    core += _words(title)
            i = j
            continue
        if in_code:
            i += 1
            continue
        count = _words(line)
        if any(entry[2] for entry in stack):
            folded += count
        else:
            core += count
        i += 1
    return core, folded


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
