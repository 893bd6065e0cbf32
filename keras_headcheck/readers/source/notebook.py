"""Notebook code cells as one Python module, with a map back to cells.

Each code cell is parsed on its own, as IPython runs it: as written when it is Python, else after
IPython's own input transformation (magics.py), which keeps one line per line. Line numbers of the
module are lines of the code cells concatenated in order (markdown and raw cells contribute
nothing); `Source.cell_of` turns one back into (cell number, line in cell), counting every cell of
the notebook from 1 as Jupyter and VS Code do. A cell that IPython could not run either is skipped
and reported (HC903): one bad cell never loses the notebook.
"""

from __future__ import annotations

import ast
import json
from typing import NamedTuple

from ...head import Unparsed
from ..errors import ReadError
from .magics import python_code, split_lines, without_automagic

AUTOMAGIC_TRIES = 20  # automagic lines retried in one cell before it counts as unparsable


class Cell(NamedTuple):
    number: int  # position in the notebook, from 1, counting every cell
    original: str


class NotebookCode(NamedTuple):
    tree: ast.Module
    text: str  # the Python read, cells concatenated (for comments)
    cells: tuple[tuple[int, int], ...]  # (first line in the concatenated code, cell number)
    unparsed: tuple[Unparsed, ...]


def notebook_cells(raw: bytes) -> list[Cell]:
    """The code cells of a notebook, in order."""
    if not raw.strip():
        raise ReadError("not a notebook (the file is empty)")
    try:
        notebook = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReadError(f"not a notebook (invalid JSON: {exc})") from None
    if not isinstance(notebook, dict):
        raise ReadError("not a notebook (no cells)")
    cells = notebook.get("cells")
    worksheets = notebook.get("worksheets")
    if cells is None and isinstance(worksheets, list) and worksheets:
        cells = worksheets[0].get("cells") if isinstance(worksheets[0], dict) else None  # nbformat 3
    if not isinstance(cells, list):
        raise ReadError("not a notebook (no cells)")
    found: list[Cell] = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        found.append(Cell(number, _cell_source(cell, number)))
    return found


def _cell_source(cell: dict, number: int) -> str:
    """A code cell's text: a string or a list of strings (its lines), checked, never trusted."""
    key = "source" if "source" in cell else "input"  # nbformat 4, 3
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


def parse_notebook(filename: str, cells: list[Cell]) -> NotebookCode:
    """Each cell on its own (as IPython runs them), numbered as the concatenated code."""
    body: list[ast.stmt] = []
    texts: list[str] = []
    starts: list[tuple[int, int]] = []
    unparsed: list[Unparsed] = []
    first = 1
    for cell in cells:
        count = len(split_lines(cell.original))
        code, tree, problem = _parse_cell(cell.original)
        if tree is not None:
            body.extend(ast.increment_lineno(tree, first - 1).body)
            texts.append(code)
        else:
            texts.append("\n" * count)  # keeps the line numbering of the cells after it
            line, reason = problem
            unparsed.append(Unparsed(filename, line, cell.number, reason))
        starts.append((first, cell.number))
        first += count
    tree = ast.Module(body=body, type_ignores=[])
    return NotebookCode(tree, "".join(texts), tuple(starts), tuple(unparsed))


def _parse(code: str) -> ast.Module:
    flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT  # IPython runs `await` in a cell
    tree = compile(code, "<cell>", "exec", flags=flags, dont_inherit=True)
    assert isinstance(tree, ast.Module)
    return tree


def _parse_cell(original: str) -> tuple[str, "ast.Module | None", tuple[int, str]]:
    """(the code read, its tree or None, (line in the cell, reason) when it does not parse)."""
    lines = len(split_lines(original))
    code = "".join(line + "\n" for line in split_lines(original))
    try:
        return code, _parse(code), (0, "")
    except (SyntaxError, ValueError):
        pass  # IPython syntax, most likely: read it as IPython does
    except (MemoryError, RecursionError) as exc:
        return code, None, (1, f"{type(exc).__name__}: too deeply nested")
    code = python_code(original)
    for _ in range(AUTOMAGIC_TRIES):
        try:
            return code, _parse(code), (0, "")
        except SyntaxError as exc:
            line = exc.lineno or 1
            retry = without_automagic(code, line)
            if retry is None:
                return code, None, (min(max(line, 1), max(lines, 1)), exc.msg)
            code = retry
        except ValueError as exc:  # e.g. a NUL byte
            return code, None, (1, str(exc))
        except (MemoryError, RecursionError) as exc:
            return code, None, (1, f"{type(exc).__name__}: too deeply nested")
    return code, None, (1, "too many lines IPython would read as commands")
