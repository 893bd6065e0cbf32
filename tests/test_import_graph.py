"""Imports inside keras_headcheck flow one way: no cycle among its modules, counting the imports
made inside functions too (a lazy import that only hides a cycle still ties both modules into
one). Read with `ast` from the package's own files; nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator

PACKAGE = Path(__file__).resolve().parents[1] / "keras_headcheck"


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package (a package by its __init__)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import that can run: at module level or in a function, not under `if TYPE_CHECKING`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not _is_type_checking(child))


def _targets(name: str, path: Path, node: ast.Import | ast.ImportFrom, modules: dict[str, Path]
             ) -> Iterator[str]:
    """The package's modules an import statement loads (the nearest module for a name in one)."""
    if isinstance(node, ast.Import):
        wanted = [alias.name for alias in node.names]
    else:
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        base = here[: len(here) - node.level + 1] if node.level else []
        module = ".".join(base + ([node.module] if node.module else []))
        wanted = [f"{module}.{alias.name}" for alias in node.names]
    for target in wanted:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            yield target


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            graph[name].update(_targets(name, path, node, modules))
    return graph


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str]:
    """One import cycle through `start`, or [] when there is none (breadth first: the shortest)."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        current = queue.pop(0)
        for target in sorted(graph[current]):
            if target == start:
                return paths[current] + [start]
            if target not in paths:
                paths[target] = paths[current] + [target]
                queue.append(target)
    return []


def test_graph_sees_the_package() -> None:
    graph = _graph()
    assert "keras_headcheck.readers.graph" in graph["keras_headcheck.readers.saved"]
    assert "keras_headcheck.readers.source" in graph["keras_headcheck.lint"]  # a lazy import


def test_no_import_cycle() -> None:
    graph = _graph()
    found = (_cycle_from(module, graph) for module in sorted(graph))
    cycles = {frozenset(cycle): cycle for cycle in found if cycle}  # each cycle once
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles.values())
