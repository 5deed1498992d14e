"""MyST markup turned into the plain Markdown and HTML that any notebook viewer shows.

The book's markdown cells use MyST: directives (``:::{admonition}``, ``:::{exercise}``,
```` ```{dropdown} ````...) and roles (``{doc}``, ``{numref}``, ``{term}``...). Jupyter Book
renders them; Colab, GitHub and plain Jupyter show them raw. :func:`myst_to_markdown`
rewrites one markdown text:

- admonitions become a blockquote under a bold title, or a ``<details>`` block when they are
  folded (``:class: dropdown``, and ``{dropdown}``); exercises become a blockquote titled
  "Exercise N", numbered in the order they appear; ``{solution}`` blocks are folded;
- ``{figure}`` becomes an image with its caption, ``{code-block}`` a fenced code block,
  ``{math}`` a ``$$`` block, ``{raw} html`` its HTML; directives that only structure a book
  (``{toctree}``, ``{index}``) are dropped; any other directive becomes a titled blockquote,
  and its name is reported;
- roles become text or links through a :class:`References` object (which knows the figures,
  exercises, sections and other documents); ``{math}`` becomes ``$...$``;
- targets ``(label)=``, comments ``% ...`` and block breaks ``+++`` are dropped.

Code (fenced blocks and inline spans) is never touched. :func:`leftover_myst` finds any MyST
left in a text: the check that an edition is plain Markdown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = ["References", "leftover_myst", "myst_to_markdown"]

# The names of admonitions that carry their own title.
ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "seealso": "See also",
}
QUOTED = {"margin", "sidebar", "epigraph", "pull-quote", "highlights", "topic", "rubric"}
DROPPED = {"toctree", "tableofcontents", "index", "only", "meta", "include"}
CODE = {"code", "code-block", "sourcecode", "code-cell"}

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_COLON = re.compile(r"^(?P<indent>\s*)(?P<fence>:{3,})\{(?P<name>[\w:+-]+)\}(?P<args>.*)$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):(?:\s+(?P<value>.*))?$")
_TARGET = re.compile(r"^\s*\((?P<label>[^()\s]+)\)=\s*$")
# A role {name}`body`, or an inline code span (kept as it is): leftmost match wins, so a
# code span that merely contains "{x}" is not read as a role.
_INLINE = re.compile(
    r"\{(?P<role>[a-zA-Z][\w:+-]*)\}`(?P<body>[^`]*)`|(?P<code>`+)(?P<inner>.*?)(?P=code)"
)
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


@dataclass
class References:
    """What the roles of one document point at, and what was used or not resolved.

    Attributes
    ----------
    docname : str
        The document being converted, e.g. ``"chapters/02_uncertainty"``.
    figures : dict of str to int
        Figure label -> its number in the document.
    sections : dict of str to str
        Section label (``(label)=`` before a heading) -> the heading's text.
    doc_link : callable or None
        ``doc_link(docname) -> (url, title)`` for another document (``docname`` without
        suffix, from the book's root); None leaves ``{doc}`` roles as their text.
    exercises : dict of str to int
        Exercise label -> its number, filled in as exercises are met (or given up front).
    terms : list of str
        Glossary terms used, in order of first use (lower case).
    unresolved : list of str
        Roles and directives that were turned into plain text without a target.
    """

    docname: str = ""
    figures: dict[str, int] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    doc_link: object = None
    exercises: dict[str, int] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)

    def exercise_number(self, label: str | None) -> int:
        """The number of exercise ``label``, numbering a new one after the last."""
        if label and label in self.exercises:
            return self.exercises[label]
        number = max(self.exercises.values(), default=0) + 1
        self.exercises[label or f"#{number}"] = number
        return number

    def resolve_doc(self, target: str) -> str:
        """``target`` of a ``{doc}`` role as a docname from the root."""
        if target.startswith("/"):
            return target.strip("/")
        folder = self.docname.rsplit("/", 1)[0] if "/" in self.docname else ""
        parts = [p for p in f"{folder}/{target}".split("/") if p and p != "."]
        out: list[str] = []
        for part in parts:
            if part == "..":
                if out:
                    out.pop()
            else:
                out.append(part)
        return "/".join(out)


def _split_explicit(body: str) -> tuple[str | None, str]:
    """``"text <target>"`` -> ``(text, target)``; ``"target"`` -> ``(None, target)``."""
    match = _EXPLICIT.match(body.strip())
    if match and match["target"]:
        return match["text"].strip() or None, match["target"].strip()
    return None, body.strip()


def _role(name: str, body: str, refs: References) -> str:
    text, target = _split_explicit(body)
    if name == "term":
        key = target.lower()
        if key not in refs.terms:
            refs.terms.append(key)
        return text or target
    if name == "doc":
        docname = refs.resolve_doc(target)
        link = refs.doc_link(docname) if callable(refs.doc_link) else None
        if link is None:
            refs.unresolved.append(f"{{doc}}`{body}`")
            return text or docname
        url, title = link
        return f"[{text or title}]({url})"
    if name in ("numref", "ref"):
        number, kind = refs.figures.get(target), "Fig."
        if number is None and target in refs.exercises:
            number, kind = refs.exercises[target], "Exercise"
        if number is not None:
            if name == "ref" and text:
                return text
            template = text if name == "numref" and text else f"{kind} %s"
            return template.replace("%s", str(number)).replace("{number}", str(number))
        section = refs.sections.get(target, refs.sections.get(target.lower()))
        if section is not None:
            return text or section
        refs.unresolved.append(f"{{{name}}}`{body}`")
        return (text or target).replace("%s", "").strip()
    if name == "math":
        return f"${body}$"
    if name == "eq":
        refs.unresolved.append(f"{{eq}}`{body}`")
        return f"({target})"
    if name in ("sub", "subscript"):
        return f"<sub>{html.escape(body)}</sub>"
    if name in ("sup", "superscript"):
        return f"<sup>{html.escape(body)}</sup>"
    if name == "kbd":
        return f"<kbd>{html.escape(body)}</kbd>"
    if name in ("code", "literal", "samp", "file", "command", "envvar"):
        return f"`{body}`"
    if name == "abbr":
        return re.sub(r"\s*\([^)]*\)\s*$", "", body)
    if name in ("download", "external"):
        return text or target
    if name.startswith("glue"):  # glued values are pasted before conversion
        refs.unresolved.append(f"{{{name}}}`{body}`")
        return f"`{body}`"
    refs.unresolved.append(f"{{{name}}}`{body}`")
    return text or target


def _inline(line: str, refs: References) -> str:
    def replace(match: re.Match) -> str:
        if match["code"] is not None:
            return match[0]
        return _role(match["role"], match["body"], refs)

    return _INLINE.sub(replace, line)


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    """Leading ``:key: value`` lines (or a ``---`` YAML block) of a directive's body."""
    options: dict[str, str] = {}
    lines = list(body)
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            for raw in lines[1:end]:
                key, _, value = raw.partition(":")
                options[key.strip()] = value.strip()
            return options, lines[end + 1 :]
    while lines:
        match = _OPTION.match(lines[0].strip())
        if not match:
            break
        options[match["key"]] = (match["value"] or "").strip()
        lines.pop(0)
    return options, lines


def _strip_blank(lines: list[str]) -> list[str]:
    start, stop = 0, len(lines)
    while start < stop and not lines[start].strip():
        start += 1
    while stop > start and not lines[stop - 1].strip():
        stop -= 1
    return lines[start:stop]


def _dedent(lines: list[str], indent: str) -> list[str]:
    return [line[len(indent) :] if line.startswith(indent) else line.lstrip() for line in lines]


def _summary(title: str) -> str:
    """A ``<summary>`` line: HTML, since Markdown is not rendered inside it."""
    escaped = html.escape(title, quote=False)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    escaped = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", escaped)
    escaped = re.sub(r"\*([^*]+)\*", r"<i>\1</i>", escaped)
    return f"<summary><b>{escaped}</b></summary>"


def details(title: str, content: list[str]) -> list[str]:
    """A folded block: ``<details>``, a summary line, the Markdown content, ``</details>``."""
    return ["<details>", _summary(title), "", *content, "", "</details>"]


def quote(title: str | None, content: list[str]) -> list[str]:
    """A blockquote under a bold title."""
    lines = ([f"**{title}**", ""] if title else []) + content
    return [f"> {line}" if line.strip() else ">" for line in lines]


def _directive(name: str, args: str, body: list[str], refs: References) -> list[str]:
    options, content = _options(body)
    args = args.strip()
    classes = options.get("class", "").split()
    if name in CODE:
        language = args.split()[0] if args else ""
        return [f"```{language}", *content, "```"]
    if name == "math":
        return ["$$", *_strip_blank(content), "$$"]
    if name == "raw":
        return content if "html" in args.lower().split() else []
    if name in DROPPED:
        return []
    inner = _strip_blank(convert_lines(content, refs))
    title_of = _inline(args, refs) if args else ""
    if name == "exercise":
        number = refs.exercise_number(options.get("label"))
        title = f"Exercise {number}" + (f" ({title_of})" if title_of else "")
        return quote(title, inner)
    if name == "solution":
        label = args.split()[0] if args else None
        number = refs.exercises.get(label) if label else None
        title = f"Solution to Exercise {number}" if number else "Solution"
        return details(title, inner)
    if name in ("solution-start", "solution-end"):
        return []  # folded cell by cell by the edition that uses this module
    if name == "dropdown":
        return details(title_of or "Details", inner)
    if name == "admonition" or name in ADMONITIONS:
        title = title_of if name == "admonition" else ADMONITIONS[name]
        if name != "admonition" and title_of:
            inner = [title_of, "", *inner]
        if "dropdown" in classes or "toggle" in classes:
            return details(title or "Details", inner)
        return quote(title or None, inner)
    if name == "figure":
        alt = options.get("alt", "")
        image = [f"![{alt}]({args})"] if args else []
        caption = [f"*{line}*" if line.strip() else line for line in inner]
        return [*image, "", *caption]
    if name == "glossary":
        return _glossary(content, refs)
    if name in QUOTED:
        return quote(title_of or None, inner)
    refs.unresolved.append(f"{{{name}}}")
    return quote(" ".join(filter(None, [name.replace("-", " ").capitalize(), title_of])), inner)


def _glossary(content: list[str], refs: References) -> list[str]:
    """A ``{glossary}``'s terms as a list of bold terms with their definitions."""
    out: list[str] = []
    for term, definition in glossary_entries(content):
        text = _inline(" ".join(definition), refs)
        out.append(f"- **{term}**: {text}")
    return out


def glossary_entries(lines: list[str]) -> list[tuple[str, list[str]]]:
    """``[(term, definition lines)]`` of a glossary directive's body (terms unindented,
    definitions indented below them)."""
    entries: list[tuple[str, list[str]]] = []
    for line in lines:
        if not line.strip():
            continue
        if line[0].isspace():
            if entries:
                entries[-1][1].append(line.strip())
        else:
            entries.append((line.strip(), []))
    return entries


def _closing(lines: list[str], start: int, fence: str, indent: str) -> int:
    """Index of the line closing the colon directive opened at ``start`` (nesting counted)."""
    depth = 0
    for j in range(start + 1, len(lines)):
        stripped = lines[j].strip()
        opener = _COLON.match(lines[j])
        if opener and len(opener["fence"]) == len(fence):
            depth += 1
        elif re.fullmatch(r":{3,}", stripped) and len(stripped) >= len(fence):
            if depth == 0:
                return j
            depth -= 1
    return len(lines)  # unclosed: runs to the end, as MyST reads it


def convert_lines(lines: list[str], refs: References) -> list[str]:
    """:func:`myst_to_markdown` on a list of lines."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        colon = _COLON.match(line)
        fence = _FENCE.match(line)
        if colon:
            end = _closing(lines, i, colon["fence"], colon["indent"])
            body = _dedent(lines[i + 1 : end], colon["indent"])
            block = _directive(colon["name"], colon["args"], body, refs)
            out += [colon["indent"] + b if b else b for b in block]
            i = end + 1
            continue
        if fence:
            marker = fence["fence"]
            end = next(
                (
                    j
                    for j in range(i + 1, len(lines))
                    if re.fullmatch(rf"\s*{re.escape(marker[0])}{{{len(marker)},}}\s*", lines[j])
                ),
                len(lines),
            )
            info = fence["info"].strip()
            directive = re.match(r"^\{(?P<name>[\w:+-]+)\}(?P<args>.*)$", info)
            if directive:
                body = _dedent(lines[i + 1 : end], fence["indent"])
                block = _directive(directive["name"], directive["args"], body, refs)
                out += [fence["indent"] + b if b else b for b in block]
            else:
                out += lines[i : end + 1]  # a code block: verbatim
            i = end + 1
            continue
        if _TARGET.match(line) or line.startswith("%") or line.strip() == "+++":
            i += 1
            continue
        out.append(_inline(line, refs))
        i += 1
    return out


def myst_to_markdown(text: str, refs: References | None = None) -> str:
    """Rewrite one MyST markdown text as plain Markdown and HTML (module docstring).

    Parameters
    ----------
    text : str
        A markdown cell's source.
    refs : References or None, default None
        What the roles point at; it also collects the exercises met, the terms used and what
        could not be resolved. None uses an empty one.

    Returns
    -------
    str
        The converted text.

    Examples
    --------
    >>> print(myst_to_markdown(":::{admonition} Key result\\n:class: important\\nIt *works*.\\n:::"))
    > **Key result**
    >
    > It *works*.
    >>> myst_to_markdown("A {term}`p-value <p-value>` and `{term}` as code.")
    'A p-value and `{term}` as code.'
    >>> refs = References(figures={"fig-a": 2})
    >>> myst_to_markdown("{numref}`fig-a` shows it.", refs)
    'Fig. 2 shows it.'
    """
    refs = References() if refs is None else refs
    return "\n".join(convert_lines(str(text).split("\n"), refs))


_LEFTOVER = [
    ("role", re.compile(r"\{[a-zA-Z][\w:+-]*\}`")),
    ("directive", re.compile(r"^\s*(?:>\s*)*(?::{3,}|`{3,}|~{3,})\s*\{[\w:+-]+\}", re.M)),
    ("directive option", re.compile(r"^\s*(?:>\s*)*:(?:class|label|name|alt|width):\s", re.M)),
    ("target", re.compile(r"^\s*\([^()\s]+\)=\s*$", re.M)),
    ("colon fence", re.compile(r"^\s*(?:>\s*)*:{3,}\s*$", re.M)),
]


def leftover_myst(text: str) -> list[str]:
    """The MyST constructs left in ``text`` (outside code), as short descriptions.

    Examples
    --------
    >>> leftover_myst("Plain **text**, `{code}` and\\n```python\\nx = {a}`b`\\n```")
    []
    >>> leftover_myst("See {doc}`intro`.\\n:::{note}\\nHi\\n:::")
    ["role: '{doc}`'", "directive: ':::{note}'", "colon fence: ':::'"]
    """
    kept, in_code, marker = [], False, ""
    for line in str(text).split("\n"):
        fence = re.match(r"^\s*(?:>\s*)*(`{3,}|~{3,})(.*)$", line)
        if fence and not in_code and not fence[2].strip().startswith("{"):
            in_code, marker = True, fence[1]
            continue
        if in_code:
            if re.fullmatch(rf"\s*(?:>\s*)*{re.escape(marker[0])}{{{len(marker)},}}\s*", line):
                in_code = False
            continue
        # Inline code goes; a role keeps its "{name}`" so that it is found below.
        kept.append(
            _INLINE.sub(lambda m: "" if m["code"] is not None else f"{{{m['role']}}}`", line)
        )
    plain = "\n".join(kept)
    return [
        f"{what}: {match[0].strip()!r}"
        for what, pattern in _LEFTOVER
        for match in pattern.finditer(plain)
    ]
