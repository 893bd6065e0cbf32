"""Where a finding and its fix's edits are, in the texts the editor holds.

A finding counts lines in the file (a script), or in one cell (a notebook); the editor holds a
script, a notebook's JSON, a notebook's cells as separate documents, or a binary model file.
Each view answers, in 0-based (line, code point) pairs: which document, and what range.
The span under a finding is the one the text formats underline (output/snippet.py).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from ..findings import Edit, Finding, Fix
from ..output.location import model_path
from ..output.snippet import snippet_in
from .notebook_json import Places, source_places

Point = tuple[int, int]  # 0-based line, code-point column
_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Lines as LSP counts them (\\n, \\r\\n, \\r), not str.splitlines (which also splits on
    form feeds and other separators that Python's own tokenizer keeps inside a line)."""
    return _NEWLINE.split(text)


@dataclass(frozen=True)
class Place:
    uri: str
    lines: Sequence[str]  # of the document at `uri`, for the client's position units
    start: Point
    end: Point
    message: str


@dataclass(frozen=True)
class TextEditAt:
    """An edit in one of the editor's documents: replace start..end of `uri` with `content`."""

    uri: str
    lines: Sequence[str]
    start: Point
    end: Point
    content: str


def _direct(edits: Sequence[Edit], target: Callable[[Edit], Optional[tuple[str, Sequence[str]]]]
            ) -> Optional[list[TextEditAt]]:
    """Edits whose lines and columns are those of a document; None if one has no place."""
    found = []
    for edit in edits:
        where = target(edit)
        if where is None or not 1 <= edit.line <= edit.end_line <= len(where[1]):
            return None
        found.append(TextEditAt(where[0], where[1], (edit.line - 1, edit.column - 1),
                                (edit.end_line - 1, edit.end_column - 1), edit.content))
    return found


@dataclass(frozen=True)
class TextView:
    """A script: lines and columns are the document's own."""

    uri: str
    text: str
    lines: list[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", split_lines(self.text))

    def place(self, finding: Finding) -> Place:
        start, end = _span(finding, self.text, self.lines)
        return Place(self.uri, self.lines, start, end, finding.message)

    def edits(self, fix: Fix) -> Optional[list[TextEditAt]]:
        return _direct(fix.edits, lambda e: (self.uri, self.lines) if e.cell is None else None)


@dataclass(frozen=True)
class CellsView:
    """A notebook synced as LSP notebook documents: one text document per cell, in order."""

    cells: Sequence[tuple[str, str]]  # (cell document URI, its text), every cell
    notebook_uri: str
    _lines: list[list[str]] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lines", [split_lines(text) for _, text in self.cells])

    def place(self, finding: Finding) -> Place:
        index = (finding.cell or 0) - 1
        if not 0 <= index < len(self.cells):  # a finding about the whole notebook
            first = self.cells[0][0] if self.cells else self.notebook_uri
            return Place(first, self._lines[0] if self.cells else [""], (0, 0), (0, 0),
                         finding.message)
        uri, text = self.cells[index]
        start, end = _span(finding, text, self._lines[index])
        return Place(uri, self._lines[index], start, end, finding.message)

    def edits(self, fix: Fix) -> Optional[list[TextEditAt]]:
        return _direct(fix.edits, self._cell)

    def _cell(self, edit: Edit) -> Optional[tuple[str, Sequence[str]]]:
        index = (edit.cell or 0) - 1
        if not 0 <= index < len(self.cells):
            return None
        return self.cells[index][0], self._lines[index]


@dataclass(frozen=True)
class NotebookJsonView:
    """A notebook opened as its JSON text: a finding sits on the JSON string holding its line,
    and a fix replaces the JSON strings holding the lines it edits (each edit within a line)."""

    uri: str
    text: str
    lines: list[str] = field(init=False, compare=False)
    _offsets: list[int] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        lines = split_lines(self.text)
        offsets, at = [], 0
        for match in _NEWLINE.finditer(self.text):
            offsets.append(at)
            at = match.end()
        offsets.append(at)
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "_offsets", offsets)

    def place(self, finding: Finding) -> Place:
        located = self._places().get((finding.cell or 0, finding.line or 0))
        if located is None:
            return Place(self.uri, self.lines, (0, 0), (0, 0), _where(finding))
        (start, end), _ = located
        return Place(self.uri, self.lines, self._point(start), self._point(end), _where(finding))

    def edits(self, fix: Fix) -> Optional[list[TextEditAt]]:
        """Each JSON string the fix edits, encoded again with its edits made; None when an edit
        spans lines or its line is not found (no partial fix is ever offered)."""
        tokens: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
        for edit in fix.edits:
            located = self._places().get((edit.cell or 0, edit.line))
            if located is None or edit.end_line != edit.line:
                return None
            span, at = located
            start, end = at + edit.column - 1, at + edit.end_column - 1
            value = json.loads(self.text[span[0]:span[1]])
            line_end = value.find("\n", at)
            if not at <= start <= end <= (len(value) if line_end == -1 else line_end):
                return None  # outside the line it names
            tokens.setdefault(span, []).append((start, end, edit.content))
        return [self._token_edit(span, changes) for span, changes in sorted(tokens.items())]

    def _token_edit(self, span: tuple[int, int], changes: list[tuple[int, int, str]]) -> TextEditAt:
        value = json.loads(self.text[span[0]:span[1]])
        for start, end, content in sorted(changes, reverse=True):
            value = value[:start] + content + value[end:]
        return TextEditAt(self.uri, self.lines, self._point(span[0]), self._point(span[1]),
                          json.dumps(value, ensure_ascii=False))

    def _places(self) -> Places:
        cached = self.__dict__.get("_cached_places")
        if cached is None:
            cached = source_places(self.text)
            object.__setattr__(self, "_cached_places", cached)
        return cached

    def _point(self, offset: int) -> Point:
        line = bisect_right(self._offsets, offset) - 1
        return line, offset - self._offsets[line]


@dataclass(frozen=True)
class ModelFileView:
    """A saved model file: binary, no lines; the finding names the output and layer."""

    uri: str

    def place(self, finding: Finding) -> Place:
        return Place(self.uri, [""], (0, 0), (0, 0), f"{finding.message} ({model_path(finding)})")

    def edits(self, fix: Fix) -> Optional[list[TextEditAt]]:
        return None


def _where(finding: Finding) -> str:
    """A notebook finding shown on its JSON: the message says the cell and line too."""
    if finding.cell is None or finding.line is None:
        return finding.message
    return f"{finding.message} (cell {finding.cell}, line {finding.line})"


def _span(finding: Finding, text: str, lines: Sequence[str]) -> tuple[Point, Point]:
    """The call the text formats underline, else the finding's whole line, else line 0."""
    if finding.line is None or not 1 <= finding.line <= len(lines):
        return (0, 0), (0, 0)
    found = snippet_in(finding, text)  # `text`: the script, or the finding's cell
    if found is not None:
        span = found.span
        return (span.line - 1, span.column - 1), (span.end_line - 1, span.end_column - 1)
    line = finding.line - 1
    return (line, 0), (line, len(lines[line]))
