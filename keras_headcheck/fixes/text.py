"""Edits applied to a text: positions as findings count them (1-based lines and columns in code
points, end exclusive), lines ended by \\n, \\r\\n or \\r as Python's parser counts them."""

from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

from ..findings import Edit

LINE_END = re.compile(r"\r\n|\r|\n")


class EditError(ValueError):
    """Edits that cannot be applied to this text: out of range, or overlapping."""


def line_starts(text: str) -> list[int]:
    """The offset of each line's first character (line 1 first)."""
    return [0] + [m.end() for m in LINE_END.finditer(text)]


def offset(text: str, starts: Sequence[int], line: int, column: int) -> int:
    """The offset of (line, column). Column 1 of the line after the last is the end of the text."""
    if line == len(starts) + 1 and column == 1 and (not starts or LINE_END.search(text[-1:])):
        return len(text)
    if not 1 <= line <= len(starts) or column < 1:
        raise EditError(f"position {line}:{column} is outside the text")
    start = starts[line - 1]
    end = starts[line] if line < len(starts) else len(text)
    if start + column - 1 > end:
        raise EditError(f"position {line}:{column} is past the end of its line")
    return start + column - 1


def spans(text: str, edits: Iterable[Edit]) -> list[tuple[int, int, str]]:
    """(start, end, content) of each edit, sorted; identical edits once; overlaps refused."""
    starts = line_starts(text)
    found = set()
    for e in edits:
        begin = offset(text, starts, e.line, e.column)
        end = offset(text, starts, e.end_line, e.end_column)
        if end < begin:
            raise EditError(f"edit ends before it starts ({e.line}:{e.column})")
        found.add((begin, end, e.content))
    ordered = sorted(found)
    for (b1, e1, _), (b2, e2, _) in zip(ordered, ordered[1:]):
        if b2 < e1 or b1 == e1 == b2 == e2:  # two inserts at one point: no order to trust
            raise EditError("edits overlap")
    return ordered


def apply(text: str, edits: Iterable[Edit], cell: Optional[int] = None) -> str:
    """`text` with the `edits` whose `cell` is `cell` applied (None: a script's edits).

    The one function that changes a source: `check --fix` and the language server's code
    actions both call it. Raises EditError when the edits do not fit the text or overlap."""
    chosen = [e for e in edits if e.cell == cell]
    out, last = [], 0
    for begin, end, content in spans(text, chosen):
        out.append(text[last:begin])
        out.append(content)
        last = end
    out.append(text[last:])
    return "".join(out)


def overlaps(a: Sequence[Edit], b: Sequence[Edit]) -> bool:
    """Whether two edit sets touch the same text (identical edits do not count): decided on
    positions alone, which both sets count in the same text."""
    for x in a:
        for y in b:
            if x == y or x.cell != y.cell:
                continue
            if _before(x, y) or _before(y, x):
                continue
            return True
    return False


def _before(x: Edit, y: Edit) -> bool:
    """x ends where y starts, or before; two inserts at one point are in no order."""
    end, start = (x.end_line, x.end_column), (y.line, y.column)
    both_inserts = (x.line, x.column) == end == start == (y.end_line, y.end_column)
    return end <= start and not both_inserts
