"""Read Keras models out of Python sources and notebooks, without running or importing them.

The file is parsed with the standard-library `ast` and interpreted abstractly (interpreter.py):
imports, constants and the Keras objects built are tracked; anything only known at run time stays
unknown. Each model found becomes a config that readers/graph.py walks like a saved model's
(build.py), so the rules see the same `Head`s for a training script as for its saved model.

Lines: a head's `Source.line` is the line of its final layer (the call that builds it);
`compile_line` that of the matching `model.compile(...)`.
"""

from __future__ import annotations

import ast
import io
import tokenize
from typing import Callable, Optional

from ...head import Head
from ..containers import ReadError
from .build import model_heads, reported
from .interpreter import Interpreter
from .lines import SourceLines
from .notebook import Cell, notebook_cells
from .outside import loaded_heads

MAX_BYTES = 20 * 1024 * 1024


def _decode(raw: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        return raw.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise ReadError(f"cannot decode the file ({exc})") from None


def _parse(text: str, flags: int = 0) -> ast.Module:
    tree = compile(text, "<source>", "exec", flags=ast.PyCF_ONLY_AST | flags, dont_inherit=True)
    assert isinstance(tree, ast.Module)
    return tree


def _parse_source(text: str) -> ast.Module:
    try:
        return _parse(text)
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        raise ReadError(f"not valid Python ({where}{exc.msg})") from None
    except (ValueError, MemoryError, RecursionError) as exc:
        raise ReadError(f"not valid Python ({exc})") from None


def _parse_notebook(cells: list[Cell]) -> ast.Module:
    """Each cell on its own (as IPython runs them), numbered as the concatenated code."""
    body: list[ast.stmt] = []
    for cell in cells:
        try:
            try:
                tree = _parse(cell.code, ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            except SyntaxError:
                tree = _parse(cell.original, ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        except SyntaxError as exc:
            where = f", line {exc.lineno}" if exc.lineno else ""
            raise ReadError(f"not valid Python (cell {cell.number}{where}: {exc.msg})") from None
        except (ValueError, MemoryError, RecursionError) as exc:
            raise ReadError(f"not valid Python (cell {cell.number}: {exc})") from None
        body.extend(ast.increment_lineno(tree, cell.first - 1).body)
    return ast.Module(body=body, type_ignores=[])


def read_heads(path: str, load: Optional[Callable[[str], list[Head]]] = None) -> list[Head]:
    """The heads of every Keras model built in a `.py` file or a notebook's code cells; `load`
    reads a saved model the script loads (handed in: a reader never imports another)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ReadError(f"cannot read the file ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise ReadError(f"file larger than {MAX_BYTES // (1024 * 1024)} MiB")
    cells: tuple[tuple[int, int], ...] = ()
    if path.endswith(".ipynb"):
        code_cells = notebook_cells(raw)
        tree = _parse_notebook(code_cells)
        text = "".join(cell.code for cell in code_cells)
        cells = tuple((cell.first, cell.number) for cell in code_cells)
    else:
        text = _decode(raw)
        tree = _parse_source(text)
    if "keras" not in text and ".compile(" not in text:
        return []  # valid Python that builds no Keras model: nothing to follow
    lines = SourceLines(text, cells)
    models = Interpreter(path).run(tree)
    heads: list[Head] = []
    for model in reported(models):
        if model.kind == "loaded" and load is not None:
            heads.extend(loaded_heads(model, path, lines, load))
        elif model.kind == "loaded":
            model.kind = "opaque"
            heads.extend(model_heads(model, path, lines))
        else:
            heads.extend(model_heads(model, path, lines))
    return heads


__all__ = ["read_heads"]
