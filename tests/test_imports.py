"""The library's import graph has no cycles, and comparer/ never imports the dashboard.

A cycle between modules makes the order of imports matter and one module impossible to
understand (or test) without the other. The graph is read from the source with ``ast``:
imports a module runs when it is imported (its top level, including inside ``try`` or
``if``), not those inside functions (taken when called, on purpose, to keep start-up
light) nor those under ``if TYPE_CHECKING:`` (never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "comparer"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Import statements run at import time: module level, into if/try/with blocks, not
    into functions, classes' methods or ``if TYPE_CHECKING:``."""
    out: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.append(node)
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                todo += node.body
            todo += node.orelse
        elif isinstance(node, ast.Try):
            todo += node.body + node.orelse + node.finalbody
            for handler in node.handlers:
                todo += handler.body
        elif isinstance(node, (ast.With, ast.ClassDef)):
            todo += node.body
    return out


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph() -> dict[str, set[str]]:
    """Module -> the comparer modules it imports at import time."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets: set[str] = set()
        for node in _top_level_imports(tree):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
                continue
            base = _resolve(name, path.name == "__init__.py", node)
            # "from comparer.facts import figures" imports the submodule figures; a name
            # that is no submodule comes from the package's own namespace
            subs = {f"{base}.{a.name}" for a in node.names} & modules.keys()
            targets |= subs if len(subs) == len(node.names) else subs | {base}
        # Python runs a module's parent packages before the module, always: an edge to
        # one's own package is implied by every submodule and says nothing about design
        parents = {name.rsplit(".", k)[0] for k in range(1, name.count(".") + 1)}
        graph[name] = {t for t in targets if t in modules and t != name and t not in parents}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_graph_is_read_from_every_module():
    graph = import_graph()
    assert "comparer.pipeline" in graph and "comparer.facts.figures" in graph
    # a known edge, so that an empty graph cannot pass the cycle test
    assert "comparer.disagreements.cards" in graph["comparer.disagreements"]


def test_no_import_cycles_in_comparer():
    cycle = find_cycle(import_graph())
    assert cycle is None, " -> ".join(cycle or [])


@pytest.mark.parametrize(
    "graph, cycle",
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": set(), "c": {"c2"}, "c2": {"c"}}, ["c", "c2", "c"]),
        ({"a": {"b", "c"}, "b": {"c"}, "c": set()}, None),
    ],
)
def test_the_cycle_finder_finds_cycles(graph, cycle):
    assert find_cycle(graph) == cycle


def test_type_checking_and_function_imports_are_not_edges(tmp_path):
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "import comparer.a\n"
        "if TYPE_CHECKING:\n    import comparer.b\n"
        "try:\n    import comparer.c\nexcept ImportError:\n    pass\n"
        "def f():\n    import comparer.d\n"
    )
    names = sorted(a.name for node in _top_level_imports(tree) for a in node.names)
    assert names == ["TYPE_CHECKING", "comparer.a", "comparer.c"]


def test_the_library_never_imports_the_dashboard_or_streamlit():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):  # anywhere, functions included
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            bad = [n for n in names if n.split(".")[0] in ("streamlit", "dashboard")]
            assert not bad, f"{path.relative_to(ROOT)} imports {bad}"
