"""A parsed source text, and one replacement in it, in the coordinates findings use: 1-based lines,
columns in code points (the AST counts UTF-8 bytes), end exclusive."""

from __future__ import annotations

import ast
from typing import NamedTuple, Sequence


class Change(NamedTuple):
    """One replacement, in the parsed text's coordinates."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str


class Code:
    """A parsed text and its lines, for turning AST positions (UTF-8 bytes) into code points."""

    def __init__(self, tree: ast.Module, lines: Sequence[str]) -> None:
        self.tree = tree
        self.lines = lines
        self._calls: dict[int, list[ast.Call]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                self._calls.setdefault(node.lineno, []).append(node)

    def calls_on(self, line: int) -> list[ast.Call]:
        return sorted(self._calls.get(line, []), key=lambda c: c.col_offset)

    def column(self, line: int, byte_offset: int) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(text.encode("utf-8", "surrogatepass")[:byte_offset].decode("utf-8", "replace")) + 1

    def start(self, node: ast.AST) -> tuple[int, int]:
        return node.lineno, self.column(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> tuple[int, int]:
        line = node.end_lineno  # type: ignore[attr-defined]
        return line, self.column(line, node.end_col_offset)  # type: ignore[attr-defined]

    def text(self, begin: tuple[int, int], end: tuple[int, int]) -> str:
        (l1, c1), (l2, c2) = begin, end
        if l1 == l2:
            return self.lines[l1 - 1][c1 - 1 : c2 - 1]
        middle = self.lines[l1 : l2 - 1]
        return "\n".join([self.lines[l1 - 1][c1 - 1 :], *middle, self.lines[l2 - 1][: c2 - 1]])

    def replace(self, node: ast.AST, content: str) -> Change:
        return Change(*self.start(node), *self.end(node), content)
