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

from ...head import Head, Heads, Unparsed
from ..containers import ReadError
from .build import model_heads, reported
from .interpreter import Interpreter
from .lines import SourceLines
from .notebook import notebook_cells, parse_notebook
from .regions import parse_skipping

MAX_BYTES = 20 * 1024 * 1024


def _decode(raw: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        return raw.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise ReadError(f"cannot decode the file ({exc})") from None


def _parse(text: str) -> ast.Module:
    tree = compile(text, "<source>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    assert isinstance(tree, ast.Module)
    return tree


def _parse_source(text: str, path: str) -> tuple[ast.Module, tuple[Unparsed, ...]]:
    """The script's tree; a broken top-level statement is skipped (HC903) when that is enough."""
    try:
        return parse_skipping(text, path, _parse)
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        raise ReadError(f"not valid Python ({where}{exc.msg})") from None
    except (ValueError, MemoryError, RecursionError) as exc:
        raise ReadError(f"not valid Python ({exc})") from None


def read_heads(path: str) -> list[Head]:
    """The heads of every Keras model built in a `.py` file or a notebook's code cells."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ReadError(f"cannot read the file ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise ReadError(f"file larger than {MAX_BYTES // (1024 * 1024)} MiB")
    found = Heads()
    cells: tuple[tuple[int, int], ...] = ()
    if path.endswith(".ipynb"):
        code = parse_notebook(path, notebook_cells(raw))
        tree, text, cells, found.unparsed = code.tree, code.text, code.cells, code.unparsed
    else:
        text = _decode(raw)
        tree, found.unparsed = _parse_source(text, path)
    if "keras" not in text and ".compile(" not in text:
        return found  # valid Python that builds no Keras model: nothing to follow
    lines = SourceLines(text, cells)
    models = Interpreter().run(tree)
    found.extend(head for model in reported(models) for head in model_heads(model, path, lines))
    return found


__all__ = ["read_heads"]
