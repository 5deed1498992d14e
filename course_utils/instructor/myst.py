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

The blocks are found as the book finds them: :func:`read_blocks` parses a text with
markdown-it-py configured by myst-parser, with the book's extensions (``BOOK_EXTENSIONS``, as
in ``_config.yml``), and returns its top-level blocks with their line spans: directives in
every fence form MyST accepts (colons, backticks, tildes, up to three spaces of indentation;
names compared case-insensitively, as docutils does), code, targets, comments and text.
:func:`iter_directives` walks them, into directive bodies as MyST parses them again; it is
the reader for any tool that asks "which blocks are exercises and solutions". These two need
myst-parser (and with it markdown-it-py and mdit-py-plugins), part of the book's environment.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = [
    "BOOK_EXTENSIONS",
    "Block",
    "References",
    "directive_options",
    "folds",
    "iter_directives",
    "leftover_myst",
    "myst_to_markdown",
    "read_blocks",
]

#: The MyST extensions the book enables (``parse.myst_enable_extensions`` of ``_config.yml``).
BOOK_EXTENSIONS = ("colon_fence", "dollarmath", "amsmath", "deflist", "substitution")

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

_DIRECTIVE_INFO = re.compile(r"^\{(?P<name>[\w:+-]+)\}(?P<args>.*)$", re.S)
_OPTION = re.compile(r"^:(?P<key>[\w-]+):(?:\s+(?P<value>.*))?$")
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


def directive_options(block: Block) -> tuple[dict[str, str], list[str]]:
    """A directive's options and the lines of its content, as MyST splits its body.

    Examples
    --------
    >>> block = read_blocks(":::{admonition} More\\n:class: dropdown\\nText.\\n:::")[0]
    >>> directive_options(block)
    ({'class': 'dropdown'}, ['Text.', ''])
    """
    return _options(block.body.split("\n"))


def folds(block: Block) -> bool:
    """Whether the book shows ``block`` folded: a ``{dropdown}``, or ``:class: dropdown``.

    Examples
    --------
    >>> [folds(b) for b in read_blocks("```{dropdown} A\\nx\\n```\\n:::{note}\\ny\\n:::")]
    [True, False]
    """
    if block.kind != "directive":
        return False
    if block.name == "dropdown":
        return True
    options, _ = directive_options(block)
    return "dropdown" in options.get("class", "").split()


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


@dataclass(frozen=True)
class Block:
    """One top-level block of a MyST text, as markdown-it-py with myst-parser reads it.

    Attributes
    ----------
    kind : str
        ``"directive"`` (a ``{name}`` fence), ``"code"`` (a fence without a directive, or an
        indented code block), ``"dropped"`` (a target ``(label)=``, a comment ``% ...`` or a
        block break ``+++``) or ``"text"`` (anything else: paragraphs, headings, lists,
        tables, quotes, math).
    start, end : int
        The block's lines, ``lines[start:end]`` of the text (0-based, end excluded).
    name : str
        A directive's name, in lower case ("" for other blocks).
    args : str
        A directive's argument (the rest of its opening line).
    body : str
        A directive's body, options included, as MyST hands it to the directive.
    fence : str
        A fence's marker (``":::"``, ``"```"``, ``"~~~~"``).
    verbatim : tuple of (int, int)
        Inside a text block: line spans that are code or math (left as they are).
    nested : tuple of str
        Inside a text block (a quote, a list): directives MyST would run there.
    """

    kind: str
    start: int
    end: int
    name: str = ""
    args: str = ""
    body: str = ""
    fence: str = ""
    verbatim: tuple = ()
    nested: tuple = ()


@functools.lru_cache(maxsize=8)
def _parser(extensions: tuple[str, ...]):
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)


def _fence_directive(token) -> tuple[str, str] | None:
    if token.type not in ("fence", "colon_fence"):
        return None
    match = _DIRECTIVE_INFO.match(token.info.strip())
    return (match["name"].lower(), match["args"].strip()) if match else None


_VERBATIM = ("fence", "colon_fence", "code_block", "math_block", "amsmath")


def read_blocks(text: str, extensions=BOOK_EXTENSIONS) -> list[Block]:
    """The top-level blocks of ``text``, in order, with their line spans (:class:`Block`).

    Lines that no block covers (blank lines between blocks) belong to none.

    Examples
    --------
    >>> text = "(a)=\\n# Title\\n\\n~~~{Exercise}\\n:label: e1\\nDo it.\\n~~~\\n```python\\nx = 1\\n```"
    >>> [(b.kind, b.start, b.end, b.name) for b in read_blocks(text)]
    [('dropped', 0, 1, ''), ('text', 1, 2, ''), ('directive', 3, 7, 'exercise'), ('code', 7, 10, '')]
    >>> read_blocks(text)[2].body
    ':label: e1\\nDo it.\\n'
    """
    tokens = _parser(tuple(extensions)).parse(str(text))
    lines = str(text).split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        start, end = token.map
        end = min(end, len(lines))
        directive = _fence_directive(token)
        if directive is not None:
            name, args = directive
            blocks.append(Block("directive", start, end, name, args, token.content, token.markup))
            continue
        if token.type in ("fence", "colon_fence", "code_block"):
            blocks.append(Block("code", start, end, fence=token.markup))
            continue
        if token.type in ("myst_target", "myst_line_comment", "myst_block_break"):
            blocks.append(Block("dropped", start, end))
            continue
        verbatim, nested = [], []
        if token.nesting == 1:  # a container: look inside it, up to its closing token
            while i < len(tokens) and not (tokens[i].level == 0 and tokens[i].nesting == -1):
                inner = tokens[i]
                if inner.map is not None and inner.type in _VERBATIM:
                    verbatim.append(tuple(inner.map))
                    found = _fence_directive(inner)
                    if found is not None:
                        nested.append(found[0])
                i += 1
        elif token.type in ("math_block", "amsmath", "html_block"):
            verbatim.append((start, end))
        blocks.append(Block("text", start, end, verbatim=tuple(verbatim), nested=tuple(nested)))
    return blocks


def iter_directives(
    text: str, extensions=BOOK_EXTENSIONS, *, _path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Block]]:
    """Every directive of ``text``, outer before inner: ``(enclosing names, block)``.

    A directive's body is read again as MyST reads it (options first, then content), so an
    exercise inside a dropdown is found; a block's lines are relative to the text it was
    found in (the body of its enclosing directive, past the options, for a nested one).
    Directives that only take literal text (code, math, raw) are not read into.

    Examples
    --------
    >>> text = "::::{dropdown} More\\n:::{solution} ex-1\\nx\\n:::\\n::::"
    >>> [(path, b.name, b.args) for path, b in iter_directives(text)]
    [((), 'dropdown', 'More'), (('dropdown',), 'solution', 'ex-1')]
    """
    for block in read_blocks(text, extensions):
        if block.kind != "directive":
            continue
        yield _path, block
        if block.name in CODE or block.name in ("math", "raw", "eval-rst"):
            continue
        _, content = _options(block.body.split("\n"))
        yield from iter_directives("\n".join(content), extensions, _path=(*_path, block.name))


def _text(lines: list[str], block: Block, refs: References) -> list[str]:
    """A text block's lines with its roles rewritten, its code and math left alone."""
    out: list[str] = []
    pos = block.start
    spans = sorted((max(a, block.start), min(b, block.end)) for a, b in block.verbatim)
    for name in block.nested:
        refs.unresolved.append(f"{{{name}}} inside a quote or list")
    for a, b in [*spans, (block.end, block.end)]:
        if a > pos:
            out += _inline("\n".join(lines[pos:a]), refs).split("\n")
        out += lines[max(a, pos) : b]
        pos = max(pos, b)
    return out


def convert_lines(lines: list[str], refs: References) -> list[str]:
    """:func:`myst_to_markdown` on a list of lines."""
    out: list[str] = []
    pos = 0
    for block in read_blocks("\n".join(lines)):
        out += lines[pos : block.start]  # blank lines between blocks
        if block.kind == "directive":
            body = block.body.split("\n")
            if body and body[-1] == "":
                body.pop()
            out += _directive(block.name, block.args, body, refs)
        elif block.kind == "code":
            out += lines[block.start : block.end]
        elif block.kind == "text":
            out += _text(lines, block, refs)
        pos = max(pos, block.end)
    out += lines[pos:]
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
