"""The source lines a finding points at, and the span of the call it means, for text formats.

Readers record lines only; the column and the extent of the construct are found here, where
they are shown, by parsing the text again: the outermost call starting on the finding's line
(for `Dense(1)(x)`, the constructor `Dense(1)`), else the line's text.
"""

from __future__ import annotations

import ast
import io
import os
import tokenize
from functools import lru_cache
from typing import Mapping, NamedTuple, Optional, Union

from ..findings import Finding
from ..readers.errors import ReadError
from ..readers.ipynb import code_cells, split_lines
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
    """The finding's snippet; `sources` holds the files not read from disk (stdin) by name, each
    as the file holds it (a notebook: its JSON)."""
    if finding.line is None:
        return None
    given = sources.get(finding.filename)
    if given is None:
        return snippet_in(finding, _file_text(finding.filename, cell_of(finding)))
    if finding.filename.endswith(".ipynb"):
        return snippet_in(finding, _notebook_text(given, cell_of(finding)))
    return snippet_in(finding, given)


def snippet_in(finding: Finding, text: Optional[str]) -> Optional[Snippet]:
    """The snippet in `text`, the text the finding's lines count in: its script, or its cell."""
    if finding.line is None or text is None:
        return None
    lines = split_lines(text)  # as the parser numbers them, not str.splitlines
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
        lines = split_lines(text)
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


def _notebook_text(raw: Union[bytes, str], cell: Optional[int]) -> Optional[str]:
    """One code cell's text; without a cell number, the code cells one after another (the lines
    the notebook reader numbers). The cells are the reader's own (readers/ipynb.py)."""
    try:
        cells = code_cells(raw)
    except ReadError:
        return None
    if cell is not None:
        return next((c.original for c in cells if c.number == cell), None)
    return "".join(line + "\n" for c in cells for line in split_lines(c.original))
