"""A notebook's cells rewritten in place, its JSON otherwise byte for byte as it was.

A notebook is written back only when the tool can tell how it was written: the parsed notebook,
dumped again with one of the layouts Jupyter, nbformat and VS Code use (indent, key order, ASCII
escapes, final newline), must give back exactly the original text. Then the same dump of the
notebook with the changed cells' `source` differs from the original only there; the `source` keeps
its form (a list of lines, or one string). Any other layout: no change, never a guess.
"""

from __future__ import annotations

import json
from itertools import product
from typing import Any, Iterable, NamedTuple, Optional

from ..findings import Edit
from .text import EditError, apply

INDENTS = (1, 2, 4, None)


class Layout(NamedTuple):
    indent: Optional[int]
    sort_keys: bool
    ensure_ascii: bool
    newline: bool  # a final "\n"

    def dumps(self, notebook: Any) -> str:
        text = json.dumps(
            notebook, indent=self.indent, sort_keys=self.sort_keys, ensure_ascii=self.ensure_ascii
        )
        return text + ("\n" if self.newline else "")


def layout(raw: str, notebook: Any) -> Optional[Layout]:
    for indent, sort_keys, ascii_only in product(INDENTS, (True, False), (False, True)):
        candidate = Layout(indent, sort_keys, ascii_only, raw.endswith("\n"))
        if candidate.dumps(notebook) == raw:
            return candidate
    return None


def cell_texts(raw: str) -> Optional[list[Optional[str]]]:
    """Each cell's source text (None for a cell without one), or None when not a notebook."""
    try:
        cells = json.loads(raw).get("cells")
    except (ValueError, AttributeError):
        return None
    if not isinstance(cells, list):
        return None
    return [_source(cell) for cell in cells]


def apply_notebook(raw: str, edits: Iterable[Edit]) -> str:
    """The notebook JSON text `raw` with `edits` applied to their cells (`Edit.cell`, counting
    every cell from 1). Raises EditError when the layout is not one this module writes back
    exactly, or an edit does not fit its cell."""
    edits = list(edits)
    if not edits:
        return raw
    try:
        notebook = json.loads(raw)
    except ValueError as exc:
        raise EditError(f"not a notebook ({exc})") from None
    found = layout(raw, notebook)
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if found is None or not isinstance(cells, list):
        raise EditError("the notebook's JSON layout cannot be written back exactly")
    for number in sorted({e.cell for e in edits}, key=lambda n: n or 0):
        if number is None or not 1 <= number <= len(cells):
            raise EditError(f"no cell {number}")
        cell = cells[number - 1]
        text = _source(cell)
        if text is None:
            raise EditError(f"cell {number} has no source")
        new = apply(text, edits, cell=number)
        cell["source"] = new.splitlines(True) if isinstance(cell["source"], list) else new
    return found.dumps(notebook)


def _source(cell: Any) -> Optional[str]:
    source = cell.get("source") if isinstance(cell, dict) else None
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return None
