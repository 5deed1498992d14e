"""Layer contract for course_utils: no import cycles, no private imports across packages.

The AST walk sees every import, module-level and function-level alike, so a cycle
kept quiet by a function-level import is still a cycle here. KNOWN_* lists are the
debt found on 2026-12-03 (issue 28); they may only shrink: a new violation fails,
and a fixed one must be removed from the list (the test says so).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "course_utils"


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path = ROOT) -> dict[str, Path]:
    return {_module_name(p, root): p for p in sorted((root / "course_utils").rglob("*.py"))}


def _resolve(mod: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = mod.split(".")
    if path.name != "__init__.py":
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(mods: dict[str, Path]) -> list[tuple[str, str, str | None]]:
    """(importer, imported module, imported name or None) for every import anywhere."""
    out = []
    for mod, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out += [(mod, a.name, None) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(mod, path, node)
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    if sub in mods:
                        out.append((mod, sub, None))
                    else:
                        out.append((mod, target, a.name))
    return [t for t in out if t[1].split(".")[0] == "course_utils"]


def _graph(mods):
    g: dict[str, set[str]] = {m: set() for m in mods}
    for src, dst, _ in _imports(mods):
        if dst in mods and dst != src:
            g[src].add(dst)
    return g


def _cycles(g: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, sccs = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(frozenset(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return sccs


def _package(mod: str, mods) -> str:
    path = mods[mod]
    return mod if path.name == "__init__.py" else mod.rpartition(".")[0]


def _private_cross_imports(mods) -> set[tuple[str, str]]:
    """Private modules or names reached from outside the package that owns them.

    ``course_utils._validation`` is shared by the whole package (its owner is
    ``course_utils``, an ancestor of every importer); ``course_utils.metrics._validation``
    belongs to ``metrics`` and may not be used from ``course_utils.calibration``.
    """
    bad = set()
    for src, dst, name in _imports(mods):
        if dst not in mods:
            continue
        parts = dst.split(".") + ([name] if name else [])
        owner = None
        for i, part in enumerate(parts):
            if part.startswith("_") and not part.startswith("__"):
                owner = ".".join(parts[:i])
                break
        if owner is None:
            continue
        if owner == dst:  # a private name: its owner is the package of its module
            owner = _package(dst, mods)
        home = _package(src, mods)
        if not (home == owner or home.startswith(owner + ".")):
            bad.add((src, f"{dst}:{name}" if name else dst))
    return bad


# Debt measured on main at 2026-12-03 (issue 28). These lists may only shrink.
KNOWN_CYCLES: set[frozenset[str]] = set()  # measured: 1 (the quiz core), fixed

# The quiz core's layers, lowest first: a module may import its own layer or a lower one,
# never a higher one (an "upward" import). Every quiz module must be listed here.
QUIZ_LAYERS = [
    {"course_utils.quiz.model", "course_utils.quiz.feedback"},  # data model, feedback
    {"course_utils.quiz.types.base"},
    {
        "course_utils.quiz.types.single",
        "course_utils.quiz.types.multiple",
        "course_utils.quiz.types.numeric",
    },
    {"course_utils.quiz.types"},  # the registry: imports the types, explicitly
    {"course_utils.quiz.bank", "course_utils.quiz.checking"},  # loading, checking
    {"course_utils.quiz.answers", "course_utils.quiz.page", "course_utils.quiz.widgets"},
    {"course_utils.quiz.display", "course_utils.quiz.quickcheck"},
    {"course_utils.quiz"},  # the public face
]
KNOWN_PRIVATE: set[tuple[str, str]] = set()  # measured: 4 (calibration, explorer), fixed


def test_no_new_import_cycles():
    found = set(_cycles(_graph(_modules())))
    new = found - KNOWN_CYCLES
    assert not new, f"new import cycle(s): {[sorted(c) for c in new]}"
    fixed = KNOWN_CYCLES - found
    assert not fixed, f"cycle(s) fixed, remove from KNOWN_CYCLES: {[sorted(c) for c in fixed]}"


def test_no_new_private_imports_across_packages():
    found = _private_cross_imports(_modules())
    new = found - KNOWN_PRIVATE
    assert not new, (
        f"private import(s) across packages; give the helper a public home: {sorted(new)}"
    )
    fixed = KNOWN_PRIVATE - found
    assert not fixed, f"fixed, remove from KNOWN_PRIVATE: {sorted(fixed)}"


def _upward_imports(mods, layers) -> list[tuple[str, str]]:
    rank = {m: i for i, layer in enumerate(layers) for m in layer}
    return sorted(
        (src, dst)
        for src, dsts in _graph(mods).items()
        for dst in dsts
        if src in rank and dst in rank and rank[dst] > rank[src]
    )


def test_every_quiz_module_has_a_layer():
    quiz = {m for m in _modules() if m == "course_utils.quiz" or m.startswith("course_utils.quiz.")}
    listed = set().union(*QUIZ_LAYERS)
    assert quiz == listed, (
        f"put new quiz modules in QUIZ_LAYERS: {sorted(quiz - listed)}; "
        f"gone: {sorted(listed - quiz)}"
    )


def test_quiz_core_imports_only_downward():
    """Data model and feedback are leaves; types above them; loading and checking above."""
    up = _upward_imports(_modules(), QUIZ_LAYERS)
    assert not up, f"upward import(s) in the quiz core (importer, imported): {up}"


def test_quiz_leaves_import_nothing_from_the_quiz_package():
    mods = _modules()
    for leaf in QUIZ_LAYERS[0]:
        assert not {d for d in _graph(mods)[leaf] if d.startswith("course_utils.quiz")}, leaf


def test_quiz_types_do_not_register_themselves():
    """Registration is explicit: defining a subclass adds nothing to the registry."""
    from course_utils.quiz.types import QUESTION_TYPES, QuestionType

    before = dict(QUESTION_TYPES)

    class Essay(QuestionType):
        name = "essay"

    assert QUESTION_TYPES == before and "essay" not in QUESTION_TYPES


def test_layer_check_flags_an_upward_function_level_import(tmp_path):
    files = {
        "course_utils/__init__.py": "",
        "course_utils/low.py": "def f():\n    from course_utils import high\n",
        "course_utils/high.py": "from course_utils import low\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    mods = _modules(tmp_path)
    layers = [{"course_utils.low"}, {"course_utils.high"}]
    assert _upward_imports(mods, layers) == [("course_utils.low", "course_utils.high")]
    assert _cycles(_graph(mods)) == [frozenset({"course_utils.low", "course_utils.high"})]


def test_walker_sees_function_level_imports(tmp_path):
    src = "def f():\n    from course_utils.quiz import bank\n"
    tree = ast.parse(src)
    found = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert found and found[0].module == "course_utils.quiz"


def test_cycle_finder_finds_a_cycle():
    g = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(g) == [frozenset({"a", "b", "c"})]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_private_check_flags_another_packages_private_module(tmp_path):
    files = {
        "course_utils/__init__.py": "",
        "course_utils/_shared.py": "def ok():\n    pass\n",
        "course_utils/metrics/__init__.py": "",
        "course_utils/metrics/_validation.py": "def as_array():\n    pass\n",
        "course_utils/metrics/a.py": "from ._validation import as_array\n",
        "course_utils/calibration.py": (
            "from course_utils._shared import ok\n"
            "def f():\n    from course_utils.metrics._validation import as_array\n"
        ),
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    mods = _modules(tmp_path)
    assert _private_cross_imports(mods) == {
        ("course_utils.calibration", "course_utils.metrics._validation:as_array")
    }
    assert _cycles(_graph(mods)) == []


def test_ruff_bans_every_subpackage_private_module():
    """ruff's TID251 catches private imports across packages at lint time: every private
    module of a subpackage is in banned-api, and only that subpackage is exempt."""
    import tomllib

    lint = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["ruff"]["lint"]
    assert "TID251" in lint["select"]
    banned = set(lint["flake8-tidy-imports"]["banned-api"])
    private = {
        m
        for m in _modules()
        if m.count(".") >= 2 and m.rpartition(".")[2].startswith("_") and not m.endswith("__")
    }
    assert private <= banned, f"add to banned-api in pyproject.toml: {sorted(private - banned)}"
    for mod in banned:
        owner = mod.rpartition(".")[0].replace(".", "/")
        assert "TID251" in lint["per-file-ignores"][f"{owner}/**"], owner
