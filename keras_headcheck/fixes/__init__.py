"""Fixes: the edits that resolve a finding, found in the source text, and applied to it.

Rules say what to change (`Intent`, in terms of the head); `locate` finds the exact characters in
the text the reader parsed; here each finding gets its `applicable_fix` (`Fix`, `Edit`s in the
coordinates of the finding's text: the file for a script, the cell for a notebook), or none.

The public functions, for `check --fix` and the language server:
    apply(text, edits, cell=None) -> str      a script's text, or one cell's text
    apply_notebook(raw_json, edits) -> str    a whole notebook, its JSON layout kept
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
import warnings
from dataclasses import replace
from typing import Callable, Optional, Sequence

from ..findings import Edit, Finding, Fix
from ..head import Head
from ..readers.ipynb import code_cells_of, split_lines
from ..rules import Intent, RuleHit
from .code import Change, Code
from .locate import LAYER_CHANGES, locate, site_of
from .notebook import apply_notebook, layout
from .text import LINE_END, EditError, apply

SOURCE_SUFFIXES = (".py", ".ipynb")
# Characters of fixed text parsed per file to check that fixes leave valid Python. Each fix is
# checked on the whole text it edits, so a script with a thousand fixable findings would be
# parsed a thousand times (a minute for 100 KB); past this, findings are reported without a fix.
MAX_CHECKED = 8_000_000


class Program:
    """The text the reader parsed (a notebook's code cells one after another) and, for a
    notebook, each cell's own lines, to put an edit back into its cell."""

    def __init__(self, code: Code, texts: dict[Optional[int], str],
                 cells: Sequence[tuple[int, int]] = (),
                 originals: Optional[dict[int, tuple[list[str], bool]]] = None) -> None:
        self.code = code
        self.texts = texts  # the text edits apply to: None -> the script, N -> cell N
        self.cells = tuple(cells)  # (first line in the parsed text, cell number)
        self.originals = originals or {}  # cell number -> (its lines, ends with a newline)
        self.checkable = MAX_CHECKED  # characters left to parse for checking fixes

    def still_parses(self, edits: Sequence[Edit]) -> bool:
        """The fix, applied alone, leaves valid Python (a cell: as IPython would read it); False
        too once the file's allowance for checking is spent (the fix is then not offered)."""
        for cell in {e.cell for e in edits}:
            after = apply(self.texts[cell], edits, cell=cell)
            if len(after) > self.checkable:
                return False
            self.checkable -= len(after)
            if not _parses(after) and (cell is None or not _parses(_ipython(after))):
                return False
        return True

    def edit(self, change: Change) -> Optional[Edit]:
        """The change in the finding's coordinates; None when its lines are not the cell's own
        (IPython syntax rewritten on that line), or it crosses a cell."""
        if not self.cells:
            return Edit(change.content, change.line, change.column, change.end_line, change.end_column)
        # the last line the change touches: an end at column 1 stops before its line
        last = max(change.line, change.end_line if change.end_column > 1 else change.end_line - 1)
        start = self._cell_of(change.line)
        if start is None or self._cell_of(last) != start or start[0] not in self.originals:
            return None
        number, first = start
        lines, newline_at_end = self.originals[number]
        for line in range(change.line, last + 1):
            inside = line - first
            if not 0 <= inside < len(lines) or lines[inside] != self.code.lines[line - 1]:
                return None
        end_inside = change.end_line - first + 1
        if end_inside > len(lines) and not (end_inside == len(lines) + 1 and newline_at_end):
            return None  # past the cell's last line, which has no newline to delete
        return Edit(change.content, change.line - first + 1, change.column,
                    end_inside, change.end_column, number)

    def _cell_of(self, line: int) -> Optional[tuple[int, int]]:
        found = None
        for first, number in self.cells:
            if first > line:
                break
            found = (number, first)
        return found


def attach_fixes(
    hits: Sequence[RuleHit], heads: Sequence[Head], path: str, raw: Callable[[], Optional[bytes]]
) -> list[Finding]:
    """The reported findings, each with its fix when its intent is found exactly in the source,
    and every head built through the same construct asks for the same change."""
    findings = [h.finding for h in hits if not h.repeated]
    if not path.endswith(SOURCE_SUFFIXES) or all(h.intent is None for h in hits):
        return findings
    try:
        fixes = _fixes(hits, heads, _program(raw(), path))
    except Exception:  # noqa: BLE001  a fix we cannot work out must never cost the findings
        return findings
    return [replace(f, applicable_fix=fixes[id(f)]) if id(f) in fixes else f for f in findings]


def _fixes(hits: Sequence[RuleHit], heads: Sequence[Head], program: Optional[Program]) -> dict[int, Fix]:
    """id(finding) -> its fix, for the hits whose change is found and shared alike."""
    if program is None:
        return {}
    code = program.code
    located = {id(h): locate(code, h.head, h.intent) for h in hits if h.intent is not None}
    asked: dict[int, set[tuple[Change, ...]]] = {}  # id(head) -> the changes its findings ask
    for h in hits:
        where = located.get(id(h))
        if where is not None:
            asked.setdefault(id(h.head), set()).add(where.changes)
    at_site: dict[tuple[str, tuple[int, int]], list[Head]] = {}  # heads through each construct
    for kind, intent in {_kind(h.intent): h.intent for h in hits if h.intent is not None}.items():
        for head in heads:
            site = site_of(code, head, intent)
            if site is not None:
                at_site.setdefault((kind, site), []).append(head)
    fixes = {}
    for h in hits:
        where = located.get(id(h))
        if where is None or h.repeated or h.intent is None:
            continue
        # a loss shared by outputs, a layer built by a function called twice: every head built
        # through the construct must ask for the same change
        sharing = at_site.get((_kind(h.intent), where.site), [])
        if any(where.changes not in asked.get(id(head), ()) for head in sharing):
            continue
        edits = [program.edit(change) for change in where.changes]
        if edits and all(e is not None for e in edits) and program.still_parses(edits):  # type: ignore[arg-type]
            fixes[id(h.finding)] = Fix(h.intent.message, h.intent.applicability, tuple(edits))  # type: ignore[arg-type]
    return fixes


def _kind(intent: Intent) -> str:
    return "layer" if intent.change in LAYER_CHANGES else "loss"


def _program(raw: Optional[bytes], path: str) -> Optional[Program]:
    if raw is None:
        return None
    if path.endswith(".ipynb"):
        return _notebook_program(raw, path)
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    text = raw.decode(encoding)
    return Program(Code(_parse(text), LINE_END.split(text)), {None: text})


def _notebook_program(raw: bytes, path: str) -> Optional[Program]:
    from ..readers.source.notebook import parse_notebook

    text = raw.decode("utf-8")
    notebook = json.loads(text)
    if layout(text, notebook) is None:
        return None  # a layout --fix could not write back exactly: offer no fix at all
    cells = code_cells_of(notebook)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = parse_notebook(path, cells)
    originals = {
        cell.number: (split_lines(cell.original), cell.original.endswith(("\n", "\r")))
        for cell in cells
    }
    texts: dict[Optional[int], str] = {cell.number: cell.original for cell in cells}
    return Program(Code(parsed.tree, parsed.text.split("\n")), texts, parsed.cells, originals)


def _parses(text: str) -> bool:
    try:
        _parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return True


def _ipython(text: str) -> str:
    from ..readers.source.magics import python_code

    return python_code(text)


def _parse(text: str) -> ast.Module:
    with warnings.catch_warnings():  # the user's SyntaxWarnings are not ours to print
        warnings.simplefilter("ignore")
        return ast.parse(text)


__all__ = ["EditError", "apply", "apply_notebook", "attach_fixes"]
