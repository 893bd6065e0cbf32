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
from ..readers.errors import ReadError
from ..readers.ipynb import cell_list, code_cells_of, source_key
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


def apply_notebook(raw: str, edits: Iterable[Edit]) -> str:
    """The notebook JSON text `raw` with `edits` applied to their code cells (`Edit.cell`, as
    readers/ipynb.py numbers and reads them). Raises EditError when the layout is not one this
    module writes back exactly, or an edit does not fit its cell."""
    edits = list(edits)
    if not edits:
        return raw
    try:
        notebook = json.loads(raw)
    except ValueError as exc:
        raise EditError(f"not a notebook ({exc})") from None
    found = layout(raw, notebook)
    if found is None:
        raise EditError("the notebook's JSON layout cannot be written back exactly")
    try:  # the cells and texts the reader linted, numbered as its findings are
        cells, texts = cell_list(notebook), {c.number: c.original for c in code_cells_of(notebook)}
    except ReadError as exc:
        raise EditError(str(exc)) from None
    for number in sorted({e.cell for e in edits}, key=lambda n: n or 0):
        if number not in texts:
            raise EditError(f"no code cell {number}")
        cell = cells[number - 1]
        key = source_key(cell)
        if not isinstance(cell.get(key), (str, list)):
            raise EditError(f"cell {number} has no source to write back")  # missing, or null
        new = apply(texts[number], edits, cell=number)
        cell[key] = new.splitlines(True) if isinstance(cell[key], list) else new
    return found.dumps(notebook)
