"""How `make nbval` compares a chapter's stored outputs with a fresh run (a pytest plugin).

Loaded next to nbval 0.11 with ``python -m pytest -p tests.nbval_plugin --nbval ...``. The rule:
**whatever a different CPU may change (the last digits of a float) is compared with a
tolerance; everything else is compared exactly.** Another CPU (AVX-512 or AVX2, another BLAS
kernel, another summation order) gives the same code and data the same outputs up to float
noise: measured on chapter 6 with torch's vectorised kernels off, glued values moved by 4e-9
to 3e-6 of their size, the most where two close numbers are subtracted. Three things:

1. **Figures are compared as figures, not as text.** nbval compares every output as a string,
   so an ``image/svg+xml`` figure fails when a coordinate differs in its sixth decimal.
   Here each stored SVG is parsed and compared with the fresh one element by element: the
   same elements in the same order, the same attribute names, the same text and comments
   (where matplotlib writes each label's text), and every number in an attribute value (path
   coordinates, transforms, sizes) equal within ``--nbval-svg-abs-tol`` (default 0.01 SVG
   units, 1/7200 inch) plus ``--nbval-svg-rel-tol`` (default 1e-6) of its size. Integers
   (glyph outlines, counts) and everything that is not a number (colours, ids, glyph names)
   must be equal. A changed line, title, tick or data point fails; last-digit noise passes.
   There is no rounding, so no value near a rounding boundary can flip. nbval already skips
   ``image/png``.
2. **Numbers in text are compared as numbers.** In every textual output (``text/plain``,
   ``text/html``, ``text/markdown``, what a cell prints to stdout, and the values ``glue`` and
   ``course_utils.book.record`` store as ``application/papermill.record/text/...``, which
   carry a float's full precision, ``0.03385492041707039``), each number with a decimal point
   or an exponent may differ from the stored one by ``--nbval-text-rel-tol`` (default 1e-4,
   agreement to four significant digits, 30 times the noise measured) of its size (plus
   ``--nbval-text-abs-tol``, default 0: a glued p-value of 2e-12 is a value, not noise
   around zero). Integers (counts, seeds, sizes) and
   all the text around the numbers must be equal; runs of spaces count as one (columns
   realign when a width changes). A glued value that changes in its fourth significant digit,
   a changed count or a changed word fails. Where this rule finds a value equal, nbval is
   handed the stored text for it; everything else goes through nbval's own comparison,
   sanitised by ``tests/nbval_sanitize.cfg``, with the first differing number named.
3. **Each chapter's seconds.** The summary lists how long each notebook took to execute
   (kernel start included), the figure that budgets need now that the book build renders the
   outputs nbval has just validated instead of executing the chapters again.

Training-derived outputs still carry ``nbval-ignore-output`` (a different CPU may take another
path through training); the claims they support are asserted in hidden cells.

``tests/test_nbval_plugin.py`` plants changed figures (a moved line, a new title, other data),
changed glued values and last-digit noise in small notebooks and runs nbval on them with this
plugin.
"""

from __future__ import annotations

import copy
import inspect
import math
import re
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass

import pytest

SVG = "image/svg+xml"
ABS_TOL = 0.01
REL_TOL = 1e-6
TEXT_REL_TOL = 1e-4
# No absolute part: glued p-values of 1e-12 and less are values, not noise around zero.
TEXT_ABS_TOL = 0.0
# Output keys compared by the text rule: text MIME types, glued (papermill record) text, stdout.
_TEXT_KEY = re.compile(r"(?:application/papermill\.record/)?text/[\w.+-]+|stdout")
NBVAL_SIGNATURE = ["self", "test", "ref", "skip_compare"]

# A number that starts a token: not glued to a name, a hex colour or another number
# ("DejaVuSans-51", "#1f77b4", "p9cc7e7f939" stay text), optionally followed by a unit ("pt").
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.#-])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class Tolerance:
    """How far apart two numbers in an SVG attribute may be and still count as equal."""

    abs_tol: float = ABS_TOL
    rel_tol: float = REL_TOL

    def __post_init__(self):
        for name in ("abs_tol", "rel_tol"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ValueError(f"Expected {name} to be a finite number >= 0, but got {value!r}.")


def _tokens(value: str) -> list[str | float]:
    """``"M 1.5 -2 L 3e1"`` -> ``["M ", 1.5, " ", -2, " L ", 30.0]``: text and numbers."""
    out: list = []
    position = 0
    for match in _NUMBER.finditer(value):
        out.append(value[position : match.start()])
        text = match.group()
        is_integer = not any(c in text for c in ".eE")
        out.append(int(text) if is_integer else float(text))
        position = match.end()
    out.append(value[position:])
    return out


def compare_values(stored: str, fresh: str, tolerance: Tolerance = Tolerance()) -> str | None:
    """``None`` when two attribute values are equal up to noise, else what differs.

    Text between numbers must be equal; two integers must be equal; any other pair of
    numbers must lie within the tolerance.
    """
    if stored == fresh:
        return None
    left, right = _tokens(stored), _tokens(fresh)
    if len(left) != len(right):
        return f"{_count_numbers(left)} numbers stored, {_count_numbers(right)} fresh"
    for index, (a, b) in enumerate(zip(left, right, strict=True)):
        if isinstance(a, str) or isinstance(b, str):
            if a != b:
                return f"text {a!r} stored, {b!r} fresh"
            continue
        if isinstance(a, int) and isinstance(b, int):
            if a != b:
                return f"number {index // 2 + 1}: {a} stored, {b} fresh"
            continue
        if not math.isclose(a, b, rel_tol=tolerance.rel_tol, abs_tol=tolerance.abs_tol):
            return (
                f"number {index // 2 + 1}: {a!r} stored, {b!r} fresh, "
                f"{abs(a - b):.3g} apart (tolerance {tolerance.abs_tol:g} + "
                f"{tolerance.rel_tol:g} x size)"
            )
    return None


TEXT_TOLERANCE = Tolerance(TEXT_ABS_TOL, TEXT_REL_TOL)


def _count_numbers(tokens: list) -> int:
    return sum(not isinstance(t, str) for t in tokens)


def _parse(svg: str) -> ET.Element:
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    parser.feed(svg)
    return parser.close()


def _name(element: ET.Element) -> str:
    if element.tag is ET.Comment:
        return "<!-- -->"
    tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else str(element.tag)
    ident = element.get("id")
    return f"{tag}#{ident}" if ident else tag


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def compare_svg(stored: str, fresh: str, tolerance: Tolerance = Tolerance()) -> str | None:
    """``None`` when two SVG documents draw the same figure up to float noise, else where not.

    Elements, their order, attribute names, text and comments must be equal; attribute values
    are compared with :func:`compare_values`. An SVG that does not parse is compared as text.
    """
    if stored == fresh:
        return None
    try:
        left, right = _parse(stored), _parse(fresh)
    except ET.ParseError as error:
        return f"not comparable as XML ({error}), and the text differs"
    return _compare_elements(left, right, [_name(left)], tolerance)


def _compare_elements(a: ET.Element, b: ET.Element, path: list[str], tolerance) -> str | None:
    where = " > ".join(path)
    if a.tag != b.tag:
        return f"at {where}: element {_name(a)} stored, {_name(b)} fresh"
    if _text(a.text) != _text(b.text):
        return f"at {where}: text {_text(a.text)!r} stored, {_text(b.text)!r} fresh"
    if _text(a.tail) != _text(b.tail):
        return f"after {where}: text {_text(a.tail)!r} stored, {_text(b.tail)!r} fresh"
    if a.tag is not ET.Comment:
        if sorted(a.attrib) != sorted(b.attrib):
            return f"at {where}: attributes {sorted(a.attrib)} stored, {sorted(b.attrib)} fresh"
        for key in sorted(a.attrib):
            problem = compare_values(a.attrib[key], b.attrib[key], tolerance)
            if problem:
                return f"at {where}, attribute {key.rsplit('}', 1)[-1]!r}: {problem}"
    left, right = list(a), list(b)
    for child_a, child_b in zip(left, right, strict=False):  # counts checked below
        problem = _compare_elements(child_a, child_b, [*path, _name(child_a)], tolerance)
        if problem:
            return problem
    if len(left) != len(right):
        extra = right[len(left)] if len(right) > len(left) else left[len(right)]
        return (
            f"at {where}: {len(left)} child elements stored, {len(right)} fresh "
            f"(first unmatched: {_name(extra)})"
        )
    return None


def _svgs(outputs) -> list[str]:
    found = []
    for output in outputs:
        value = (output.get("data") or {}).get(SVG)
        if value is not None:
            found.append("".join(value) if isinstance(value, list) else value)
    return found


def compare_svg_outputs(stored, fresh, tolerance: Tolerance = Tolerance()) -> str | None:
    """Compare the SVG figures of two lists of cell outputs, in order; ``None`` if they match."""
    left, right = _svgs(stored), _svgs(fresh)
    if len(left) != len(right):
        return f"{len(left)} {SVG} outputs stored, {len(right)} fresh"
    for number, (a, b) in enumerate(zip(left, right, strict=True), start=1):
        problem = compare_svg(a, b, tolerance)
        if problem:
            return f"{SVG} output {number} of {len(left)} differs {problem}"
    return None


# ---- numbers in text ------------------------------------------------------------------------


def is_text_key(key: str) -> bool:
    """Whether nbval's output key ``key`` (a MIME type or a stream name) gets the text rule."""
    return key != SVG and _TEXT_KEY.fullmatch(key) is not None


def _spaces(text: str) -> str:
    """Runs of spaces and tabs as one space; line breaks kept."""
    return re.sub(r"[ \t]+", " ", text)


def compare_text(stored: str, fresh: str, tolerance: Tolerance = TEXT_TOLERANCE) -> str | None:
    """``None`` when two texts are equal up to float noise, else the first difference.

    The text between numbers must be equal (runs of spaces count as one); integers must be
    equal; numbers with a decimal point or an exponent must lie within the tolerance.

    >>> compare_text("perplexity 4.89534563013168", "perplexity 4.895345609288851") is None
    True
    >>> compare_text("perplexity 4.8953", "perplexity 4.8963")
    'number 1: 4.8953 stored, 4.8963 fresh, 0.001 apart (tolerance 0 + 0.0001 x size)'
    >>> compare_text("409 chorales", "410 chorales")
    'number 1: 409 stored, 410 fresh'
    """
    return compare_values(_spaces(stored), _spaces(fresh), tolerance)


def _entries(output) -> list[tuple[str, object]]:
    """``(key, value)`` pairs the way nbval groups an output: each MIME type, or the stream."""
    if output.get("output_type") == "stream":
        return [(output.get("name", "stdout"), output.get("text", ""))]
    return list((output.get("data") or {}).items())


def _joined(value) -> object:
    return "".join(value) if isinstance(value, list) else value


def reconcile_text(stored, fresh, sanitise, tolerance: Tolerance, skip=()) -> tuple[list, list]:
    """Fresh outputs in which each text equal to its stored counterpart up to noise is the stored one.

    Values are paired the way nbval pairs them (by key, in order). Returns the new list of
    fresh outputs (copies; the originals are left alone) and, for each text the rule found
    different, a line saying where.
    """
    stored_values: dict[str, list] = defaultdict(list)
    for output in stored:
        for key, value in _entries(output):
            stored_values[key].append(value)
    seen: dict[str, int] = defaultdict(int)
    reconciled, problems = [], []
    for output in fresh:
        output = copy.deepcopy(output)
        for key, value in _entries(output):
            number = seen[key]
            seen[key] += 1
            if key in skip or not is_text_key(key) or number >= len(stored_values[key]):
                continue
            a, b = _joined(stored_values[key][number]), _joined(value)
            if not (isinstance(a, str) and isinstance(b, str)):
                continue
            problem = compare_text(sanitise(a), sanitise(b), tolerance)
            if problem is None:
                if output.get("output_type") == "stream":
                    output["text"] = a
                else:
                    output["data"][key] = a
            else:
                problems.append(f"'{key}' output {number + 1}: {problem}")
        reconciled.append(output)
    return reconciled, problems


def install(cell_class, tolerance_of, text_tolerance_of=None) -> None:
    """Make ``cell_class.compare_outputs`` (nbval's) compare SVG and numbers in text with noise.

    ``tolerance_of(cell)`` gives the SVG :class:`Tolerance` for a cell, ``text_tolerance_of(cell)``
    the one for numbers in text (default :data:`TEXT_TOLERANCE`). Installing twice is a no-op.
    """
    original = cell_class.compare_outputs
    if getattr(original, "_course_svg", False):
        return
    names = list(inspect.signature(original).parameters)
    if names != NBVAL_SIGNATURE:
        raise pytest.UsageError(
            f"tests/nbval_plugin.py wraps nbval's IPyNbCell.compare_outputs{tuple(names)}, "
            f"expected {tuple(NBVAL_SIGNATURE)}: pin nbval==0.11.0 (requirements.txt) or "
            "update the plugin."
        )
    text_tolerance_of = text_tolerance_of or (lambda cell: TEXT_TOLERANCE)

    def compare_outputs(self, test, ref, skip_compare=None):
        skip = tuple(skip_compare or self.parent.skip_compare)
        sanitise = self.sanitize
        test, text_problems = reconcile_text(ref, test, sanitise, text_tolerance_of(self), skip)
        colors = self.colors
        if SVG in skip:
            same = original(self, test, ref, skip_compare)
        else:
            same = original(self, test, ref, (*skip, SVG))
        if not same:
            for problem in text_problems:
                self.comparison_traceback.append(
                    f"{colors.OKBLUE} numbers compared within a tolerance{colors.FAIL}: {problem} "
                    f"(tests/nbval_plugin.py){colors.ENDC}"
                )
            return False
        if SVG in skip:
            return True
        stored = [_sanitised(o, sanitise) for o in ref]
        fresh = [_sanitised(o, sanitise) for o in test]
        problem = compare_svg_outputs(stored, fresh, tolerance_of(self))
        if problem:
            self.comparison_traceback.append(
                f"{colors.OKBLUE} mismatch '{SVG}'{colors.FAIL}\n  {problem}\n"
                f"  (figures are compared element by element, numbers within a tolerance: "
                f"tests/nbval_plugin.py){colors.ENDC}"
            )
            return False
        return True

    compare_outputs._course_svg = True
    compare_outputs.__doc__ = original.__doc__
    cell_class.compare_outputs = compare_outputs


def _sanitised(output, sanitise):
    value = (output.get("data") or {}).get(SVG)
    if value is None:
        return {}
    return {"data": {SVG: sanitise("".join(value) if isinstance(value, list) else value)}}


# ---- pytest hooks -------------------------------------------------------------------------


def pytest_addoption(parser):
    group = parser.getgroup("nbval")
    group.addoption(
        "--nbval-svg-abs-tol",
        type=float,
        default=ABS_TOL,
        help=f"SVG numbers may differ by this much, in SVG units (default {ABS_TOL})",
    )
    group.addoption(
        "--nbval-svg-rel-tol",
        type=float,
        default=REL_TOL,
        help=f"... plus this fraction of their size (default {REL_TOL})",
    )
    group.addoption(
        "--nbval-text-rel-tol",
        type=float,
        default=TEXT_REL_TOL,
        help="numbers with a decimal point or exponent in text outputs and glued values may "
        f"differ by this fraction of their size (default {TEXT_REL_TOL})",
    )
    group.addoption(
        "--nbval-text-abs-tol",
        type=float,
        default=TEXT_ABS_TOL,
        help=f"... plus this much (default {TEXT_ABS_TOL})",
    )
    group.addoption(
        "--nbval-seconds-json",
        default=None,
        metavar="PATH",
        help="also write each notebook's execution seconds to PATH (`make times` reads it)",
    )


def pytest_configure(config):
    if not (config.getoption("nbval", False) or config.getoption("nbval_lax", False)):
        return
    try:
        tolerance = Tolerance(
            config.getoption("nbval_svg_abs_tol"), config.getoption("nbval_svg_rel_tol")
        )
        text_tolerance = Tolerance(
            config.getoption("nbval_text_abs_tol"), config.getoption("nbval_text_rel_tol")
        )
    except ValueError as error:
        raise pytest.UsageError(f"--nbval-svg-*-tol, --nbval-text-*-tol: {error}") from None
    from nbval.plugin import IPyNbCell

    install(IPyNbCell, lambda cell: tolerance, lambda cell: text_tolerance)
    if not hasattr(config, "workerinput"):  # the xdist controller (or no xdist) adds them up
        seconds = NotebookSeconds(config.getoption("nbval_seconds_json"))
        config.pluginmanager.register(seconds, "course-nbval-seconds")


class NotebookSeconds:
    """Adds up each notebook's test durations (setup starts its kernel) for the summary."""

    def __init__(self, json_path: str | None = None):
        self.seconds: dict[str, float] = defaultdict(float)
        self.failed: set[str] = set()
        self.start = time.perf_counter()
        self.json_path = json_path

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report):
        # The location, not the node id: a notebook outside the rootdir has an empty id path.
        path = str((report.location or ("",))[0])
        if path.endswith(".ipynb"):
            self.seconds[path] += report.duration
            if report.failed:
                self.failed.add(path)

    @pytest.hookimpl
    def pytest_sessionfinish(self, session):
        if not (self.json_path and self.seconds):
            return
        import json
        from pathlib import Path

        record = {
            "what": "each notebook's execution seconds under nbval (kernel start included)",
            "wall_seconds": round(time.perf_counter() - self.start, 1),
            "notebooks": {
                path: {"seconds": round(seconds, 1), "passed": path not in self.failed}
                for path, seconds in sorted(self.seconds.items())
            },
        }
        target = Path(self.json_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter):
        if not self.seconds:
            return
        terminalreporter.section("notebook execution seconds (nbval, kernel start included)")
        for path, seconds in sorted(self.seconds.items()):
            terminalreporter.write_line(f"  {path:<50} {seconds:6.1f} s")
        total = sum(self.seconds.values())
        wall = time.perf_counter() - self.start
        terminalreporter.write_line(f"  {'total':<50} {total:6.1f} s  (wall {wall:.1f} s)")
