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

from ...head import Head
from ..containers import ReadError
from .build import model_heads, reported
from .interpreter import Interpreter
from .lines import SourceLines
from .notebook import notebook_code

MAX_BYTES = 20 * 1024 * 1024


def _decode(raw: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        return raw.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise ReadError(f"cannot decode the file ({exc})") from None


def _parse(text: str, cells: tuple[tuple[int, int], ...]) -> ast.Module:
    flags = ast.PyCF_ONLY_AST | (ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if cells else 0)
    try:
        tree = compile(text, "<source>", "exec", flags=flags, dont_inherit=True)
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        for first, number in cells:  # notebooks: say which cell
            if exc.lineno and first <= exc.lineno:
                where = f"cell {number}, line {exc.lineno - first + 1}: "
        raise ReadError(f"not valid Python ({where}{exc.msg})") from None
    except (ValueError, MemoryError, RecursionError) as exc:
        raise ReadError(f"not valid Python ({exc})") from None
    assert isinstance(tree, ast.Module)
    return tree


def read_heads(path: str) -> list[Head]:
    """The heads of every Keras model built in a `.py` file or a notebook's code cells."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ReadError(f"cannot read the file ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise ReadError(f"file larger than {MAX_BYTES // (1024 * 1024)} MiB")
    cells: tuple[tuple[int, int], ...] = ()
    if path.endswith(".ipynb"):
        text, cells = notebook_code(raw)
    else:
        text = _decode(raw)
    tree = _parse(text, cells)
    lines = SourceLines(text, cells)
    models = Interpreter().run(tree)
    return [head for model in reported(models) for head in model_heads(model, path, lines)]


__all__ = ["read_heads"]
