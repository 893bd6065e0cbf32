"""The source lines a finding points at, and the span of the call it means, for text formats.

Readers record lines only; the column and the extent of the construct are found here, where
they are shown, by parsing the text again: the outermost call starting on the finding's line
(for `Dense(1)(x)`, the constructor `Dense(1)`), else the line's text.
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
from functools import lru_cache
from typing import Mapping, NamedTuple, Optional

from ..findings import Finding
from .location import cell_of

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
    return Snippet(lines, _span(text, finding.line, lines[finding.line - 1]))


def _span(text: str, line: int, line_text: str) -> Span:
    call = _call_on(_tree(text), line)
    if call is not None and call.end_lineno is not None and call.end_col_offset is not None:
        return Span(line, call.col_offset + 1, call.end_lineno, call.end_col_offset + 1)
    indent = len(line_text) - len(line_text.lstrip())
    return Span(line, indent + 1, line, len(line_text.rstrip()) + 1)


def _call_on(tree: Optional[ast.AST], line: int) -> Optional[ast.Call]:
    if tree is None:
        return None
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.lineno == line]
    if not calls:
        return None
    first = min(calls, key=lambda c: c.col_offset)
    while isinstance(first.func, ast.Call):  # `Dense(1)(x)`: the layer, not its application
        first = first.func
    return first


@lru_cache(maxsize=32)
def _tree(text: str) -> Optional[ast.AST]:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


@lru_cache(maxsize=32)
def _file_text(filename: str, cell: Optional[int]) -> Optional[str]:
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
