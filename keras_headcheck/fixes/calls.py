"""Edits of a call's arguments: one keyword removed with its comma, one added."""

from __future__ import annotations

import ast
from typing import Optional

from .code import Change, Code


def _arguments(call: ast.Call) -> list[ast.AST]:
    return sorted([*call.args, *call.keywords], key=lambda n: (n.lineno, n.col_offset))  # type: ignore[attr-defined]


def delete_keyword(code: Code, call: ast.Call, keyword: ast.keyword) -> Change:
    """Remove `keyword` and one comma: its whole line when it stands alone on it."""
    begin, end = code.start(keyword), code.end(keyword)
    before = code.lines[begin[0] - 1][: begin[1] - 1]
    after = code.lines[end[0] - 1][end[1] - 1 :]
    rest = after.strip()
    if rest.startswith(","):
        rest = rest[1:].strip()
    if not before.strip() and (rest == "" or rest.startswith("#")):
        return Change(begin[0], 1, end[0] + 1, 1, "")  # its own line(s), comment and all
    arguments = _arguments(call)
    index = arguments.index(keyword)
    if len(arguments) == 1:
        stop = end
        if after.lstrip().startswith(","):
            stop = (end[0], end[1] + len(after) - len(after.lstrip()) + 1)
        return Change(*begin, *stop, "")
    if index + 1 < len(arguments):
        return Change(*begin, *code.start(arguments[index + 1]), "")
    return Change(*code.end(arguments[index - 1]), *end, "")


def add_keyword(code: Code, call: ast.Call, text: str) -> Optional[Change]:
    arguments = _arguments(call)
    if arguments:
        line, column = code.end(arguments[-1])
        return Change(line, column, line, column, f", {text}")
    # no arguments: `(` and `)` with only blanks between become `(text)`
    begin, end = code.end(call.func), code.end(call)
    between = code.text(begin, end)
    opening = between.find("(")
    if opening < 0 or between[:opening].strip() or between[opening + 1 : -1].strip():
        return None
    before = between[:opening].split("\n")
    line = begin[0] + len(before) - 1
    column = (begin[1] if len(before) == 1 else 1) + len(before[-1])
    return Change(line, column, *end, f"({text})")
