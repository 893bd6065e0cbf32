"""The source lines a finding points at, and the span of the call it means, for text formats.

Readers record lines only; the column and the extent of the construct are found here, where
they are shown, by parsing the text again: the outermost call starting on the finding's line
(for `Dense(1)(x)`, the constructor `Dense(1)`), else the line's text.
"""

from __future__ import annotations

import ast
import io
import json
import os
import tokenize
from functools import lru_cache
from typing import Mapping, NamedTuple, Optional

from ..findings import Finding
from ..rules.registry import COMPILE_LINE_CODES
from .location import cell_of

# Findings about one argument of `compile(...)` underline that argument, not the whole call.
KEYWORD_OF = {"HC3": "metrics", "HC902": "loss"}
NOT_HEADS = frozenset({"Input", "InputLayer"})
MAX_LINES = 3  # of a construct spanning more, the first ones and an ellipsis


class Span(NamedTuple):
    line: int  # 1-based, in the text of `lines`
    column: int  # 1-based
    end_line: int
    end_column: int  # exclusive, 1-based


class Snippet(NamedTuple):
    lines: list[str]  # the whole text (file or cell), for `span` to index
    span: Span


def snippet(finding: Finding, sources: Mapping[str, str]) -> Optional[Snippet]:
    if finding.line is None:
        return None
    text = sources.get(finding.filename)
    if text is None:
        text = _file_text(finding.filename, cell_of(finding))
    if text is None:
        return None
    lines = text.splitlines()
    if not 1 <= finding.line <= len(lines):
        return None
    return Snippet(lines, _span(text, finding.line, lines[finding.line - 1], finding))


def _span(text: str, line: int, line_text: str, finding: Finding) -> Span:
    call = _construct(_tree(text), line, finding)
    node: Optional[ast.AST] = call
    if call is not None:
        wanted = next((kw for p, kw in KEYWORD_OF.items() if finding.code.startswith(p)), None)
        on_line = [k for k in call.keywords if k.arg == wanted and k.lineno == line]
        node = on_line[0] if on_line else call  # the header's line is the finding's
    end_line, end_col = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
    if node is not None and end_line is not None and end_col is not None:
        lines = text.splitlines()
        end_text = lines[end_line - 1] if end_line <= len(lines) else ""
        start = _chars(line_text, getattr(node, "col_offset", 0))
        return Span(line, start + 1, end_line, _chars(end_text, end_col) + 1)
    indent = len(line_text) - len(line_text.lstrip())
    return Span(line, indent + 1, line, len(line_text.rstrip()) + 1)


def _chars(line_text: str, utf8_offset: int) -> int:
    """ast's columns count UTF-8 bytes; a Span counts characters (code points)."""
    if line_text.isascii():
        return utf8_offset
    return len(line_text.encode("utf-8", "surrogatepass")[:utf8_offset].decode("utf-8", "replace"))


def _construct(tree: Optional[ast.AST], line: int, finding: Finding) -> Optional[ast.Call]:
    """The call a finding means, among those starting on its line: `compile(...)` for compile
    findings; else the layer named like the finding's, else the last layer constructor that holds
    no other (the head of `Sequential([Input(...), Dense(...)])`), else the outermost call."""
    if tree is None:
        return None
    calls = [_unwrap(n) for n in ast.walk(tree) if isinstance(n, ast.Call) and n.lineno == line]
    if not calls:
        return None
    if finding.code.startswith(COMPILE_LINE_CODES):
        compiles = [c for c in calls if _callee(c) == "compile"]
        if compiles:
            return compiles[0]
    named = [c for c in calls if any(
        k.arg == "name" and isinstance(k.value, ast.Constant) and k.value.value == finding.layer
        for k in c.keywords)]  # fmt: skip
    if named:
        return named[0]
    layers = [c for c in calls if _callee(c)[:1].isupper() and _callee(c) not in NOT_HEADS]
    leaves = [c for c in layers if not any(o is not c and _inside(o, c) for o in layers)]
    if leaves:
        return max(leaves, key=lambda c: c.col_offset)
    return min(calls, key=lambda c: c.col_offset)


def _unwrap(call: ast.Call) -> ast.Call:
    while isinstance(call.func, ast.Call):  # `Dense(1)(x)`: the layer, not its application
        call = call.func
    return call


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _inside(inner: ast.AST, outer: ast.AST) -> bool:
    return any(node is inner for node in ast.walk(outer))


@lru_cache(maxsize=32)
def _tree(text: str) -> Optional[ast.AST]:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


def _file_text(filename: str, cell: Optional[int]) -> Optional[str]:
    """The text a finding quotes, read again from disk: cached by the file's absolute path and its
    stat, so a long-lived process (the language server, a notebook kernel, a test run) never
    quotes a file that changed or another directory's file of the same relative name."""
    try:
        info = os.stat(filename)
    except (OSError, ValueError):
        return None
    return _read_text(os.path.abspath(filename), info.st_mtime_ns, info.st_size, cell)


@lru_cache(maxsize=32)
def _read_text(filename: str, mtime_ns: int, size: int, cell: Optional[int]) -> Optional[str]:
    try:
        with open(filename, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    if filename.endswith(".ipynb"):
        return _notebook_text(raw, cell)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        return raw.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None


def _notebook_text(raw: bytes, cell: Optional[int]) -> Optional[str]:
    """One cell's source; without a cell number, the code cells one after another (the lines
    the notebook reader numbers)."""
    try:
        cells = json.loads(raw).get("cells")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return None
    if not isinstance(cells, list):
        return None
    sources = [_cell_source(c) for c in cells]
    if cell is not None:
        return sources[cell - 1] if 1 <= cell <= len(sources) else None
    code = [s for c, s in zip(cells, sources) if isinstance(c, dict) and c.get("cell_type") == "code"]
    return "".join(s if s.endswith("\n") or not s else s + "\n" for s in code)


def _cell_source(cell: object) -> str:
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    return "".join(source) if isinstance(source, list) else str(source or "")
