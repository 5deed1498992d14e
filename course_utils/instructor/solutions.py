"""How the book's MyST stack reads a notebook cell: exercises and solutions in the token stream.

The book renders chapters with myst-nb, which parses each Markdown cell with markdown-it-py
configured by myst-parser from ``_config.yml`` (``parse.myst_enable_extensions``,
``parse.myst_substitutions`` and any ``sphinx.config.myst_*`` key), merged with the notebook's
own ``myst`` metadata; sphinx-exercise then turns ``{solution}``, ``{solution-start}`` and
``{solution-end}`` directives into solutions. :func:`read_cell` reads a cell the same way, with
the same parser, and reports what it holds:

- directives found in the token stream, in every fence form markdown-it accepts (colons,
  backticks, tildes, any length, up to three spaces of indentation, inside block quotes and
  list items), with directive names compared as docutils compares them (case-insensitively);
- directives nested in another directive's body, which myst parses again as Markdown: every
  directive body is read again, under each way myst may split it into options and content;
- ``{eval-rst}`` blocks, whose reStructuredText may hold ``.. solution::``,
  ``.. solution-start::`` and ``.. solution-end::``;
- MyST substitutions (``{{ sol }}``), rendered with Jinja2 from the book's and the notebook's
  ``myst.substitutions`` (as myst does, but sandboxed) and read again.

Each solution comes with the lines of the cell to cut so that the renderer sees no solution
there. When that cannot be known for certain (a solution inside a directive body that does not
map back to the cell's lines, one inside an ``{eval-rst}`` construct, one produced by a
substitution), the whole enclosing block is cut instead; when that block is an exercise, or
nothing can be located at all, the finding carries a ``problem`` and the caller refuses.

This module needs myst-parser (and with it markdown-it-py, mdit-py-plugins and Jinja2): the
``instructor`` extra, and part of the book's own environment.
"""

from __future__ import annotations

import copy
import functools
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

# sphinx-exercise's directives (docutils compares directive names case-insensitively).
SOLUTION = "solution"
SOLUTION_START = "solution-start"
SOLUTION_END = "solution-end"
EXERCISE = "exercise"
EXERCISE_START = "exercise-start"
_EXERCISE_NAMES = frozenset({EXERCISE, EXERCISE_START})
_SOLUTION_NAMES = frozenset({SOLUTION, SOLUTION_START, SOLUTION_END})
# Directives whose body is literal text, never parsed as Markdown.
_LITERAL_DIRECTIVES = frozenset(
    {"code", "code-block", "sourcecode", "code-cell", "math", "raw", "literalinclude", "mermaid"}
)
# What jupyter-book enables when `_config.yml` names no extension (its default_config.yml).
JUPYTER_BOOK_DEFAULT_EXTENSIONS = (
    "colon_fence",
    "dollarmath",
    "linkify",
    "substitution",
    "tasklist",
)
# The most nested directive bodies read, and the most Markdown parses spent on one notebook:
# far above any chapter; past them the chapter is refused, not handed out unchecked.
MAX_DEPTH = 24
MAX_PARSES = 20_000
MAX_SUBSTITUTION_CHARS = 1_000_000

# `.. solution:: ex-1` anywhere on a line: docutils' explicit markup, `..`, spaces, the name,
# an optional space, `::`, then a space or the end of the line.
_RST_DIRECTIVE = re.compile(
    r"\.\.[ \t]+(solution-start|solution-end|solution|exercise-start|exercise-end|exercise)"
    r"[ \t]?::(?=[ \t]|$)(.*)$",
    re.I,
)
_RST_OPTION = re.compile(r"^[ \t]+:([\w-]+):[ \t]*(.*)$")
_ATTACHMENT_URL = re.compile(r"attachment:([^\s\"'<>)]+)")


@dataclass(frozen=True)
class Finding:
    """Something the renderer would see in a cell.

    Attributes
    ----------
    kind : str
        ``"solution"`` (a ``{solution}`` or ``.. solution::`` directive, or a substitution that
        renders one), ``"solution-start"``, ``"solution-end"`` or ``"exercise"``.
    label : str or None
        The directive's argument (the exercise a solution solves); for an exercise, its
        ``:label:``.
    lines : tuple of (int, int) or None
        For a solution: the lines ``[start, stop)`` of the cell's source to cut. None when they
        cannot be located (then ``problem`` says why).
    prefix : str
        What precedes the cut on its first line (a block quote's ``>``, a list item's indent),
        for a stub written in its place.
    syntax : str
        ``"md"``, or ``"rst"`` when the cut lies inside an ``{eval-rst}`` block.
    problem : str or None
        Why this solution cannot be removed with certainty (the caller refuses the notebook).
    title, text : str
        For an exercise: its argument and its body without options.
    options : dict
        For an exercise: its options (``label``, ``nonumber``...).
    """

    kind: str
    label: str | None = None
    lines: tuple[int, int] | None = None
    prefix: str = ""
    syntax: str = "md"
    problem: str | None = None
    title: str = ""
    text: str = ""
    options: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class BookSyntax:
    """The book-wide MyST configuration (from ``_config.yml``) that :func:`read_cell` uses.

    Attributes
    ----------
    config : myst_parser.config.main.MdParserConfig
        The parser configuration, as jupyter-book hands it to myst-parser.
    source : pathlib.Path or None
        The ``_config.yml`` read (None: jupyter-book's defaults).
    """

    config: object
    source: Path | None = None


def _myst():
    try:
        from myst_parser.config.main import MdParserConfig, merge_file_level
        from myst_parser.parsers.mdit import create_md_parser
    except ImportError as err:  # pragma: no cover - the course environment has it
        raise ValueError(
            "Reading chapters the way the book renders them needs myst-parser: "
            "pip install 'course_utils[instructor]' (or run `make install` in the course repository)."
        ) from err
    return MdParserConfig, merge_file_level, create_md_parser


def find_book_config(*folders) -> Path | None:
    """The first ``_config.yml`` in ``folders`` or their parents, else the repository's.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()).resolve()
    >>> _ = (folder / "_config.yml").write_text("title: A demo book\\n")
    >>> find_book_config(folder / "chapters") == folder / "_config.yml"
    True
    """
    from course_utils.instructor.course import REPO_ROOT

    candidates = []
    for folder in folders:
        if folder is not None:
            folder = Path(folder).expanduser().resolve()
            candidates += [folder / "_config.yml", folder.parent / "_config.yml"]
    candidates.append(REPO_ROOT / "_config.yml")
    return next((path for path in candidates if path.is_file()), None)


def book_syntax(config_path: str | Path | None = None) -> BookSyntax:
    """The MyST configuration a Jupyter Book's ``_config.yml`` gives its pages.

    Mirrors jupyter-book 1.x: ``parse.myst_enable_extensions`` (jupyter-book's defaults when
    absent or empty), ``parse.myst_substitutions``, then every ``sphinx.config.myst_*`` key.
    ``linkify`` is left out: it only turns bare URLs into links, and needs a package the
    course does not install.

    Parameters
    ----------
    config_path : str, pathlib.Path or None, default None
        The book's ``_config.yml``; None finds the repository's (:func:`find_book_config`).

    Returns
    -------
    BookSyntax

    Raises
    ------
    ValueError
        If the file is not valid YAML or sets a MyST option to an invalid value.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> config = pathlib.Path(tempfile.mkdtemp()) / "_config.yml"
    >>> _ = config.write_text("parse:\\n  myst_enable_extensions: [colon_fence, deflist]\\n")
    >>> sorted(book_syntax(config).config.enable_extensions)
    ['colon_fence', 'deflist']
    """
    MdParserConfig, _, _ = _myst()
    path = find_book_config() if config_path is None else Path(config_path)
    settings: dict = {}
    if path is not None:
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            raise ValueError(f"{path}: cannot read the book's configuration ({err}).") from err
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a mapping of settings, as in a _config.yml.")
        parse = data.get("parse") or {}
        sphinx = (data.get("sphinx") or {}).get("config") or {}
        if isinstance(parse, dict):
            settings["enable_extensions"] = parse.get("myst_enable_extensions") or []
            if "myst_substitutions" in parse:
                settings["substitutions"] = parse["myst_substitutions"]
        if isinstance(sphinx, dict):
            for key, value in sphinx.items():
                if isinstance(key, str) and key.startswith("myst_"):
                    settings[key[len("myst_") :]] = value
    extensions = settings.get("enable_extensions") or JUPYTER_BOOK_DEFAULT_EXTENSIONS
    settings["enable_extensions"] = {str(name) for name in extensions} - {"linkify"}
    known = {name for name, _, _ in MdParserConfig().as_triple()}
    try:
        config = MdParserConfig(**{k: v for k, v in settings.items() if k in known})
    except (TypeError, ValueError) as err:
        raise ValueError(f"{path}: invalid MyST setting ({err}).") from err
    return BookSyntax(config, path)


class NotebookReader:
    """Reads the cells of one notebook as the book would: the book's configuration merged with
    the notebook's ``myst`` metadata (its substitutions, for example), one parser for all cells.

    Parameters
    ----------
    metadata : dict
        The notebook's metadata.
    syntax : BookSyntax or None, default None
        The book's configuration; None reads the repository's ``_config.yml``.
    """

    def __init__(self, metadata, syntax: BookSyntax | None = None):
        _, merge_file_level, create_md_parser = _myst()
        from markdown_it.renderer import RendererHTML

        syntax = syntax or default_syntax()
        # A deep copy: merge_file_level writes into the `myst` mapping it is given.
        metadata = copy.deepcopy(dict(metadata)) if isinstance(metadata, dict) else {}
        self.config = merge_file_level(syntax.config, metadata, lambda *_: None)
        self.md = create_md_parser(self.config, RendererHTML)
        self.md.disable("front_matter", ignoreInvalid=True)  # as myst-nb does for notebooks
        self.fence_as_directive = {str(n).casefold() for n in self.config.fence_as_directive}
        self.substitutions = dict(self.config.substitutions or {})
        self.parses = 0

    # -- public -----------------------------------------------------------------------------

    def read_cell(self, source: str) -> list[Finding]:
        """Everything the renderer would see in one cell's ``source`` (see the module doc)."""
        lines = source.split("\n")
        try:
            found = self._scan(lines, list(range(len(lines))), depth=0, active=frozenset())
        except _TooComplex:
            return [Finding(SOLUTION, problem="too many nested blocks to check")]
        located = []
        for item in dict.fromkeys(found):  # variants of one body find the same things
            if item.kind == SOLUTION and item.lines is None and not item.problem:
                item = Finding(SOLUTION, item.label, problem="a solution that cannot be located")
            located.append(item)
        return located

    def attachment_names(self, source: str) -> set[str]:
        """The attachments ``source`` shows: ``attachment:`` images and links, and in HTML."""
        import urllib.parse

        names: set[str] = set()
        for token in self._walk(self.md.parse(source, {})):
            urls = [token.attrs.get("src"), token.attrs.get("href")]
            if token.type in ("html_block", "html_inline"):
                urls.append(token.content)
            for url in urls:
                for match in _ATTACHMENT_URL.finditer(str(url or "")):
                    names |= {match.group(1), urllib.parse.unquote(match.group(1))}
        return names

    # -- scanning ---------------------------------------------------------------------------

    def _parse(self, text: str, *, inline: bool = False):
        self.parses += 1
        if self.parses > MAX_PARSES:
            raise _TooComplex
        return self.md.parseInline(text, {}) if inline else self.md.parse(text + "\n", {})

    @staticmethod
    def _walk(tokens):
        for token in tokens:
            yield token
            if token.children:
                yield from NotebookReader._walk(token.children)

    def _scan(self, lines: list[str], origins: list, *, depth: int, active: frozenset):
        """Findings in ``lines`` (whose line ``i`` is line ``origins[i]`` of the cell, or None)."""
        if depth > MAX_DEPTH:
            return [Finding(SOLUTION, problem="directives nested too deeply to check")]
        try:
            tokens = self._parse("\n".join(lines))
        except _TooComplex:
            raise
        except Exception as err:  # markdown-it should not fail; if it does, do not guess
            return [Finding(SOLUTION, problem=f"cannot be parsed ({type(err).__name__})")]
        found: list[Finding] = []
        for token in tokens:
            if token.type in ("fence", "colon_fence"):
                found += self._fence(token, lines, origins, depth=depth, active=active)
            elif token.type == "substitution_block":
                span = _span(token.map, origins)
                found += self._substitution(
                    token.content, span, lines, origins, token.map, inline=False, active=active,
                    depth=depth,
                )  # fmt: skip
            elif token.type == "inline":
                for child in self._walk(token.children or []):
                    if child.type == "substitution_inline":
                        span = _span(token.map, origins)
                        found += self._substitution(
                            child.content, span, lines, origins, token.map, inline=True,
                            active=active, depth=depth,
                        )  # fmt: skip
        return found

    def _fence(self, token, lines, origins, *, depth, active) -> list[Finding]:
        info = (token.info or "").strip()
        parts = info.split(maxsplit=1)
        name = parts[0] if parts else ""
        arguments = parts[1] if len(parts) > 1 else ""
        if name.startswith("{") and name.endswith("}") and len(name) > 2:
            directive = name[1:-1].casefold()
        elif token.type == "fence" and name.casefold() in self.fence_as_directive:
            directive = name.casefold()
        else:
            return []  # a code block (or a plain div): literal text for the renderer
        span = _span(token.map, origins)
        prefix = _prefix(lines, token)
        content = token.content[:-1] if token.content.endswith("\n") else token.content
        content_lines = content.split("\n") if content else []
        inner = _content_origins(token, lines, origins, content_lines)
        label = arguments.split()[0] if arguments.split() else None
        if directive == SOLUTION:
            return [_solution(label, span, prefix, "md", "a `{solution}` directive")]
        if directive in (SOLUTION_START, SOLUTION_END):
            return [Finding(directive, label)]
        if directive == "eval-rst":
            found = self._rst(content_lines, inner)
            return self._enclose(found, span, prefix, what="an `{eval-rst}` block")
        if directive in _LITERAL_DIRECTIVES:
            return []
        body_found = []
        for variant_lines, variant_origins in self._bodies(
            directive, arguments, content, content_lines, inner, token
        ):
            body_found += self._scan(variant_lines, variant_origins, depth=depth + 1, active=active)
        if directive in _EXERCISE_NAMES:
            exercise = self._exercise(arguments, content, token)
            inside = [f for f in body_found if f.kind != EXERCISE]
            for item in inside:
                if item.kind == SOLUTION and (item.lines is None or item.problem):
                    return [
                        exercise,
                        Finding(
                            SOLUTION, item.label,
                            problem=item.problem or "a solution inside an `{exercise}` that "
                            "cannot be cut without cutting the exercise",
                        ),
                    ]  # fmt: skip
            return [exercise, *body_found]
        return self._enclose(body_found, span, prefix, what=f"a `{{{directive}}}` directive")

    def _bodies(self, directive, arguments, content, content_lines, inner, token):
        """The texts myst may parse as this directive's body: with its options cut or not, and
        with the text after the directive name as the first body line (for a directive that
        takes no argument) or not."""
        variants = [(content_lines, inner)]
        offset = _body_offset(content, token)
        if offset:
            body, body_origins = content_lines[offset:], inner[offset:]
            # A blank line before the body: it starts fresh, as when myst parses it alone.
            variants.append(
                ([*content_lines[:offset], "", *body], [*inner[:offset], None, *body_origins])
            )
        if arguments.strip() and directive not in _EXERCISE_NAMES:
            for lines_, origins_ in list(variants):
                variants.append(([arguments, *lines_], [None, *origins_]))
        return variants

    def _exercise(self, arguments, content, token) -> Finding:
        options, body = _directive_options(content, token)
        label = options.get("label")
        label = str(label).strip() if label not in (None, "") else None
        return Finding(
            EXERCISE, label, title=arguments.strip(), text="\n".join(body).strip(),
            options=options,
        )  # fmt: skip

    def _enclose(self, found, span, prefix, *, what) -> list[Finding]:
        """Solutions inside a block that cannot be cut on their own make the block the cut."""
        unlocated = [f for f in found if f.kind == SOLUTION and f.lines is None and not f.problem]
        if not unlocated:
            return found
        kept = [f for f in found if f.kind != SOLUTION or f.problem]
        if any(f.kind == EXERCISE for f in found):
            return [
                *kept,
                Finding(
                    SOLUTION, unlocated[0].label,
                    problem=f"a solution inside {what} that also holds an exercise",
                ),
            ]  # fmt: skip
        whole = _solution(unlocated[0].label, span, prefix, "md", what)
        return [*kept, whole]

    def _rst(self, lines: list[str], origins: list) -> list[Finding]:
        """Solutions and exercises in the reStructuredText of an ``{eval-rst}`` block."""
        found = []
        for index, line in enumerate(lines):
            for match in _RST_DIRECTIVE.finditer(line):
                name = match.group(1).casefold()
                argument = match.group(2).split()
                label = argument[0] if argument else None
                top = match.start() == 0  # a directive of the block itself, not nested
                if name in (SOLUTION_START, SOLUTION_END):
                    found.append(Finding(name, label))
                elif name == SOLUTION:
                    stop = _rst_block_end(lines, index) if top else None
                    span = _span((index, stop), origins) if stop is not None else None
                    found.append(
                        _solution(label, span, "", "rst", "a `.. solution::` directive")
                        if span
                        else Finding(SOLUTION, label)
                    )
                elif name in _EXERCISE_NAMES:
                    stop = _rst_block_end(lines, index)
                    options = {}
                    for option in lines[index + 1 : stop]:
                        matched = _RST_OPTION.match(option)
                        if matched:
                            options[matched.group(1)] = matched.group(2).strip()
                    body = [
                        ln.strip() for ln in lines[index + 1 : stop] if not _RST_OPTION.match(ln)
                    ]
                    found.append(
                        Finding(
                            EXERCISE, options.get("label") or None,
                            title=" ".join(argument), text="\n".join(body).strip(),
                            options=options,
                        )
                    )  # fmt: skip
        return found

    def _substitution(self, expression, span, lines, origins, token_map, *, inline, active, depth):
        """What a ``{{ ... }}`` renders to, read again; a solution there makes the block the cut."""
        rendered, problem, names = self._render(expression, active)
        if problem:
            return [Finding(SOLUTION, problem=problem)]
        if rendered is None:
            return []  # an undefined name: myst renders a warning, nothing else
        from myst_parser.mdit_to_docutils.base import REGEX_DIRECTIVE_START

        block = not inline or REGEX_DIRECTIVE_START.match(rendered)
        if block:
            text_lines = rendered.split("\n")
            found = self._scan(
                text_lines, [None] * len(text_lines), depth=depth + 1, active=active | names
            )
        else:
            found = []
            for child in self._walk(self._parse(rendered, inline=True)):
                if child.type == "substitution_inline":
                    found += self._substitution(
                        child.content, None, [], [], None, inline=True, active=active | names,
                        depth=depth + 1,
                    )  # fmt: skip
        solutions = [f for f in found if f.kind == SOLUTION]
        others = [f for f in found if f.kind != SOLUTION]
        if not solutions:
            return others
        problems = [f for f in solutions if f.problem]
        if problems:
            return [*others, *problems]
        prefix = re.match(r"^[ \t>]*", lines[token_map[0]]).group() if token_map else ""
        return [*others, _solution(None, span, prefix, "md", "a substitution")]

    def _render(self, expression: str, active: frozenset):
        """``(text or None, problem or None, names used)`` for one substitution, as myst's
        Jinja2 rendering gives it (StrictUndefined), in a sandbox."""
        import jinja2

        environment = _sandbox_class()(undefined=jinja2.StrictUndefined)
        template = "{{" + expression + "}}"
        try:
            names = {n.name for n in environment.parse(template).find_all(jinja2.nodes.Name)}
        except jinja2.TemplateError:
            return None, None, frozenset()  # myst warns and renders nothing
        if "env" in names:
            return (
                None,
                f"a substitution that reads Sphinx's `env` ({{{{{expression.strip()}}}}})",
                frozenset(),
            )
        if names & active:
            return None, None, frozenset()  # circular: myst warns and renders nothing
        try:
            rendered = environment.from_string(template).render(self.substitutions)
        except jinja2.UndefinedError:
            return None, None, frozenset(names)
        except Exception as err:
            if isinstance(err, jinja2.exceptions.SecurityError | _TooLarge):
                what = "too large" if isinstance(err, _TooLarge) else "unsafe"
                return (
                    None,
                    f"a substitution that is {what} to evaluate ({{{{{expression.strip()[:60]}}}}})",
                    frozenset(),
                )
            return None, None, frozenset(names)  # myst warns and renders nothing
        if len(rendered) > MAX_SUBSTITUTION_CHARS:
            return None, "a substitution that renders more than a million characters", frozenset()
        return rendered, None, frozenset(names)


class _TooComplex(Exception):
    pass


class _TooLarge(Exception):
    pass


@functools.lru_cache(maxsize=1)
def _sandbox_class():
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedSandbox(SandboxedEnvironment):
        """Jinja2's sandbox, with ``*`` and ``**`` refused past a million characters."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, int) and abs(right) > 64:
                raise _TooLarge
            if operator == "*":
                sized = [x for x in (left, right) if isinstance(x, str | list | tuple)]
                counts = [x for x in (left, right) if isinstance(x, int)]
                if sized and counts and len(sized[0]) * counts[0] > MAX_SUBSTITUTION_CHARS:
                    raise _TooLarge
            return super().call_binop(context, operator, left, right)

    return BoundedSandbox


@functools.lru_cache(maxsize=1)
def default_syntax() -> BookSyntax:
    """The repository's book configuration (:func:`book_syntax`), read once."""
    return book_syntax()


def _solution(label, span, prefix, syntax, what) -> Finding:
    if span is None:
        return Finding(SOLUTION, label)  # not located here: the enclosing block decides
    return Finding(SOLUTION, label, span, prefix, syntax)


def _span(token_map, origins) -> tuple[int, int] | None:
    """Cell lines ``[start, stop)`` of the text lines in ``token_map``, if they map one to one."""
    if not token_map:
        return None
    start, stop = token_map
    stop = min(stop, len(origins))
    if start >= stop:
        return None
    mapped = origins[start:stop]
    if any(line is None for line in mapped):
        return None
    if any(b != a + 1 for a, b in itertools.pairwise(mapped)):
        return None
    return mapped[0], mapped[-1] + 1


def _prefix(lines, token) -> str:
    """What precedes the fence on its opening line (a block quote's ``>``, a list marker)."""
    if not token.map or token.map[0] >= len(lines):
        return ""
    line = lines[token.map[0]]
    at = line.find(token.markup) if token.markup else -1
    return line[:at] if at > 0 else ""


def _content_origins(token, lines, origins, content_lines) -> list:
    """The cell line of each line of a fence's content (None where it does not match)."""
    if not token.map:
        return [None] * len(content_lines)
    first = token.map[0] + 1
    result = []
    for index, text in enumerate(content_lines):
        at = first + index
        if at < token.map[1] and at < len(lines) and lines[at].endswith(text):
            result.append(origins[at] if at < len(origins) else None)
        else:
            result.append(None)
    return result


class _OptionsProbe:
    """A stand-in directive class for myst's option parsing: an optional argument, options
    (read as YAML, whatever their names) and content, as sphinx-exercise's directives have."""

    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"label": str}  # noqa: RUF012 - docutils' interface; read, never changed


def _directive_options(content: str, token) -> tuple[dict, list[str]]:
    """``(options, body lines)`` of a directive's content, as myst splits them."""
    from myst_parser.parsers.directives import parse_directive_text

    if token.type == "colon_fence" and content.startswith(":::"):
        content = "\n" + content  # as myst's render_colon_fence does for a nested fence
    try:
        parsed = parse_directive_text(_OptionsProbe, "", content, validate_options=False)
    except Exception:  # MarkupError on a broken option block: the directive fails to render
        return {}, content.split("\n")
    options = (
        {str(k): v for k, v in parsed.options.items()} if isinstance(parsed.options, dict) else {}
    )
    return options, list(parsed.body)


def _body_offset(content: str, token) -> int:
    """How many content lines myst takes as options (and the blank line after them)."""
    _, body = _directive_options(content, token)
    total = len(content.split("\n")) if content else 0
    return max(total - len(body), 0)


def _rst_block_end(lines: list[str], index: int) -> int:
    """End (exclusive) of the reStructuredText directive starting on line ``index``: its
    indented (or blank) lines, trailing blank lines left out."""
    stop = index + 1
    end = stop
    while stop < len(lines) and (not lines[stop].strip() or lines[stop][:1] in (" ", "\t")):
        stop += 1
        if lines[stop - 1].strip():
            end = stop
    return end
