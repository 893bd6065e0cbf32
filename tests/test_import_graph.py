"""Imports inside keras_headcheck flow one way: no cycle among its modules, counting the imports
made inside functions too (a lazy import that only hides a cycle still ties both modules into
one). Read with `ast` from the package's own files; nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator

import pytest

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


FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _imports(tree: ast.AST, eager: bool = False) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import that can run: at module level or in a function, not under `if TYPE_CHECKING`;
    `eager`, only those that run when the module is imported (none inside a function)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not _is_type_checking(child)
                     and not (eager and isinstance(child, FUNCTIONS)))


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


def _graph(eager: bool = False) -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in _imports(ast.parse(path.read_text(encoding="utf-8")), eager):
            graph[name].update(_targets(name, path, node, modules))
    return graph


def _loaded_by(start: str, graph: dict[str, set[str]]) -> set[str]:
    """Every module of the package that importing `start` runs: what it imports, and the
    packages above each (importing `a.b.c` runs `a` and `a.b` first)."""
    seen: set[str] = set()
    queue = [start]
    while queue:
        name = queue.pop()
        parents = [name.rsplit(".", n)[0] for n in range(1, name.count(".") + 1)]
        for module in [name, *parents]:
            if module in graph and module not in seen:
                seen.add(module)
                queue.extend(graph[module])
    return seen


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


# A notebook's cells are read by readers/ipynb.py for the reader, the snippet a finding quotes and
# the fixer: the two last load it without the source interpreter (`check model.keras` never runs
# readers.source, a saved file's report quotes no cell).
@pytest.mark.parametrize("module", ["keras_headcheck.readers.ipynb",
                                    "keras_headcheck.output.snippet", "keras_headcheck.fixes",
                                    "keras_headcheck.cli"])
def test_reading_cells_does_not_load_the_source_interpreter(module: str) -> None:
    graph = _graph(eager=True)
    loaded = _loaded_by(module, graph)
    assert "keras_headcheck.readers.ipynb" in _loaded_by("keras_headcheck.output.snippet", graph)
    lazy = "keras_headcheck.readers.source.notebook"  # the fixer parses cells only when fixing
    assert lazy in _graph()["keras_headcheck.fixes"] and lazy not in graph["keras_headcheck.fixes"]
    assert not sorted(m for m in loaded if m.startswith("keras_headcheck.readers.source"))


def test_the_cells_module_loads_only_errors_and_the_packages_above_it() -> None:
    assert _loaded_by("keras_headcheck.readers.ipynb", _graph(eager=True)) == {
        "keras_headcheck", "keras_headcheck.readers", "keras_headcheck.readers.errors",
        "keras_headcheck.readers.ipynb", "keras_headcheck.head"}
