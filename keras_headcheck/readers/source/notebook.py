"""Notebook code cells as one Python module, with a map back to cells.

Line numbers of a notebook are lines of its code cells concatenated in order (markdown and raw
cells contribute nothing); `Source.cell_of` turns one back into (cell number, line in cell),
counting every cell of the notebook from 1 as ruff does. IPython magics and shell escapes (`%`, `!`, `?`) become
`pass` so cells still parse; cells run by another interpreter (`%%bash`, `%%writefile`...) are
blanked.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..containers import ReadError

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


def cell_lines(source: Any) -> list[str]:
    text = "".join(source) if isinstance(source, list) else str(source or "")
    lines = text.splitlines()
    if lines and lines[0].startswith("%%"):
        magic = lines[0][2:].split(maxsplit=1)[0] if lines[0][2:].strip() else ""
        if magic not in PYTHON_CELL_MAGICS:
            return [""] * len(lines)
        lines[0] = ""
    return [_mask(line) for line in lines]


def notebook_code(raw: bytes) -> tuple[str, tuple[tuple[int, int], ...]]:
    """(code of all code cells, ((first line, cell number), ...))."""
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
    lines: list[str] = []
    table = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        table.append((len(lines) + 1, number))
        lines.extend(cell_lines(cell.get("source", cell.get("input"))))
    return "\n".join(lines) + "\n", tuple(table)
