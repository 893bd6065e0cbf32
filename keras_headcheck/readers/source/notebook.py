"""Notebook code cells (read by readers/ipynb.py) as one Python module, with a map back to cells.

Each code cell is parsed on its own, as IPython runs it: as written when it is Python, else after
IPython's own input transformation (magics.py), which keeps one line per line. Line numbers of the
module are lines of the code cells concatenated in order (markdown and raw cells contribute
nothing); `Source.cell_of` turns one back into (cell number, line in cell), counting every cell of
the notebook from 1 as Jupyter and VS Code do. A cell that IPython could not run either is skipped
and reported (HC903): one bad cell never loses the notebook.
"""

from __future__ import annotations

import ast
from typing import NamedTuple

from ...head import Unparsed
from ..ipynb import Cell, split_lines
from .magics import python_code, without_automagic

AUTOMAGIC_TRIES = 20  # automagic lines retried in one cell before it counts as unparsable


class NotebookCode(NamedTuple):
    tree: ast.Module
    text: str  # the Python read, cells concatenated (for comments)
    cells: tuple[tuple[int, int], ...]  # (first line in the concatenated code, cell number)
    unparsed: tuple[Unparsed, ...]


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
