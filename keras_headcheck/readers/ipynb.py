"""A notebook's code cells and their texts, read one way for every part of the tool.

The source reader lints these cells, a finding quotes one (output/snippet.py) and `check --fix`
edits one (fixes/notebook.py): all three must mean the same cell by `cell N` and the same text.
- Cells are numbered from 1 counting every cell, markdown and raw ones too, as Jupyter and VS
  Code do; a code cell is a JSON object whose `cell_type` is "code", nothing else holds code.
- The cells are the notebook's `cells` (nbformat 4), else those of its first worksheet
  (nbformat 3); a code cell's text is its `source` (nbformat 3: `input`).
- That text is a string, or a list of strings (its lines) joined; a cell without one, or with
  null, is empty; anything else makes the notebook invalid (ReadError), never one cell quietly.

Only the standard library and readers.errors are imported: output/ and fixes/ read cells without
loading the source interpreter.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple, Union

from .errors import ReadError


class Cell(NamedTuple):
    number: int  # position in the notebook, from 1, counting every cell
    original: str  # the text as written (IPython syntax and all)


def code_cells(raw: Union[bytes, str]) -> list[Cell]:
    """The code cells of a notebook's JSON text, in order; ReadError when it is not a notebook."""
    return code_cells_of(load(raw))


def load(raw: Union[bytes, str]) -> Any:
    """The notebook's JSON value (not yet checked to be a notebook)."""
    if not raw.strip():
        raise ReadError("not a notebook (the file is empty)")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReadError(f"not a notebook (invalid JSON: {exc})") from None


def cell_list(notebook: Any) -> list[Any]:
    """The notebook's list of cells itself (the fixer edits it in place)."""
    if not isinstance(notebook, dict):
        raise ReadError("not a notebook (no cells)")
    cells = notebook.get("cells")
    worksheets = notebook.get("worksheets")
    if cells is None and isinstance(worksheets, list) and worksheets:  # nbformat 3
        cells = worksheets[0].get("cells") if isinstance(worksheets[0], dict) else None
    if not isinstance(cells, list):
        raise ReadError("not a notebook (no cells)")
    return cells


def code_cells_of(notebook: Any) -> list[Cell]:
    """The code cells of a parsed notebook, in order."""
    return [Cell(number, _text(cell, number))
            for number, cell in enumerate(cell_list(notebook), 1) if is_code(cell)]


def is_code(cell: Any) -> bool:
    return isinstance(cell, dict) and cell.get("cell_type") == "code"


def source_key(cell: dict[str, Any]) -> str:
    return "source" if "source" in cell else "input"  # nbformat 4, 3


def split_lines(text: str) -> list[str]:
    """A cell's lines as the Python parser counts them (`str.splitlines` also splits on \\x0c,
    \\u2028...): what a finding's `line` counts."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _text(cell: dict[str, Any], number: int) -> str:
    """A code cell's text: a string or a list of strings (its lines), checked, never trusted."""
    key = source_key(cell)
    source = cell.get(key)
    if source is None:
        return ""
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    wrong = next((line for line in source if not isinstance(line, str)), None) if isinstance(
        source, list) else source
    kind = "a list holding " + _kind(wrong) if isinstance(source, list) else _kind(source)
    raise ReadError(f"not a valid notebook (cell {number}: `{key}` is {kind}, expected a string "
                    f"or a list of strings)")


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", bool: "a boolean", int: "a number",
             float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
