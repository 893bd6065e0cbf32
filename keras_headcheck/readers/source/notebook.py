"""Notebook code cells as one Python module, with a map back to cells.

Line numbers of a notebook are lines of its code cells concatenated in order (markdown and raw
cells contribute nothing); `Source.cell_of` turns one back into (cell number, line in cell),
counting every cell of the notebook from 1 as ruff does. IPython magics and shell escapes (`%`, `!`, `?`) become
`pass` so cells still parse (a cell that then fails is read as written: the `%` may have been a
modulo on a continuation line); cells run by another interpreter (`%%bash`, `%%writefile`...) are
blanked.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

from ..errors import ReadError

PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "tensorflow_version"})
SHELL_ASSIGNMENT = re.compile(r"^(\s*)[\w.,\s\[\]]+=\s*[!%]")
HELP = re.compile(r"^\s*[\w.\[\]()]*\?\??\s*$")


def _mask(line: str) -> str:
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    if (
        stripped.startswith(("%", "!"))
        or SHELL_ASSIGNMENT.match(line)
        or (stripped.endswith("?") and HELP.match(line))
    ):
        return indent + "pass"
    return line


def cell_lines(text: str) -> list[str]:
    lines = text.splitlines()
    if lines and lines[0].startswith("%%"):
        magic = lines[0][2:].split(maxsplit=1)[0] if lines[0][2:].strip() else ""
        if magic not in PYTHON_CELL_MAGICS:
            return [""] * len(lines)
        lines[0] = ""
    return [_mask(line) for line in lines]


class Cell(NamedTuple):
    number: int  # position in the notebook, from 1, counting every cell
    first: int  # its first line in the concatenated code
    code: str  # with magics masked
    original: str


def notebook_cells(raw: bytes) -> list[Cell]:
    """The code cells of a notebook, in order."""
    try:
        notebook = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReadError(f"not a notebook (invalid JSON: {exc})") from None
    if not isinstance(notebook, dict):
        raise ReadError("not a notebook (no cells)")
    cells = notebook.get("cells")
    if cells is None and isinstance(notebook.get("worksheets"), list) and notebook["worksheets"]:
        cells = notebook["worksheets"][0].get("cells")  # nbformat 3
    if not isinstance(cells, list):
        raise ReadError("not a notebook (no cells)")
    found: list[Cell] = []
    first = 1
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input"))
        original = "".join(source) if isinstance(source, list) else str(source or "")
        lines = cell_lines(original)
        found.append(Cell(number, first, "\n".join(lines) + "\n", original))
        first += len(lines)
    return found
