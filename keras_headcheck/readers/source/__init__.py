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
import itertools
import tokenize
import warnings
from typing import Optional

from ...head import Head
from ..containers import ReadError, json_values, open_regular
from ..limits import Limits, LimitsError, current_limits, env_name
from .build import model_heads, reported
from .interpreter import Interpreter
from .lines import SourceLines
from .notebook import Cell, notebook_cells

MARKERS = (b"keras", b".compile(")  # a source that has neither builds no Keras model


def _decode(raw: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        return raw.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise ReadError(f"cannot decode the file ({_reason(exc)})") from None


def _parse(text: str, flags: int = 0) -> ast.Module:
    # Python warns about some valid code while parsing it (`1if x else 2`: SyntaxWarning); that is
    # the user's business, and a bare warning on stderr would break one-line-per-problem output.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = compile(text, "<source>", "exec", flags=ast.PyCF_ONLY_AST | flags, dont_inherit=True)
    assert isinstance(tree, ast.Module)
    return tree


def _reason(exc: BaseException) -> str:
    """Why the parser gave up, never an empty string."""
    if isinstance(exc, MemoryError):
        return "the parser ran out of memory"
    if isinstance(exc, RecursionError):
        return "nested too deeply for the parser"
    return str(exc) or type(exc).__name__


def _parse_source(text: str) -> ast.Module:
    try:
        return _parse(text)
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        raise ReadError(f"not valid Python ({where}{exc.msg or 'syntax error'})") from None
    except (ValueError, MemoryError, RecursionError) as exc:
        raise ReadError(f"not valid Python ({_reason(exc)})") from None


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
            raise ReadError(f"not valid Python (cell {cell.number}{where}: "
                            f"{exc.msg or 'syntax error'})") from None
        except (ValueError, MemoryError, RecursionError) as exc:
            raise ReadError(f"not valid Python (cell {cell.number}: {_reason(exc)})") from None
        body.extend(ast.increment_lineno(tree, cell.first - 1).body)
    return ast.Module(body=body, type_ignores=[])


def _read(path: str, cap: int, limit_name: str) -> Optional[bytes]:
    """The file's bytes. Over `cap`: None if it never mentions Keras (nothing to read in it; scanned
    in chunks, never held whole), else a ReadError saying it is too large."""
    try:
        with open_regular(path) as handle:  # a FIFO named x.py is refused, never waited on
            raw = handle.read(cap + 1)
            if len(raw) <= cap:
                return raw
            tail = b""
            while raw and not any(marker in tail + raw for marker in MARKERS):
                tail, raw = raw[-16:], handle.read(1 << 20)
    except OSError as exc:
        raise ReadError(f"cannot read the file ({exc.strerror or exc})") from None
    if not raw:
        return None
    raise ReadError(f"too large: over the {cap}-byte limit ({env_name(limit_name)})")


NODES_PER_BYTE = 3  # at most: `-a-a` is 4 nodes (BinOp, Sub, Name, Load) per 2 bytes


def _check_nodes(tree: ast.Module, code_bytes: int, limits: Limits) -> None:
    """The interpreter's time is linear in the syntax tree: bound it (counting stops there, and
    a file too short to reach the bound is not counted: walking the tree costs time too)."""
    if code_bytes * NODES_PER_BYTE <= limits.max_ast_nodes:
        return
    nodes = sum(1 for _ in itertools.islice(ast.walk(tree), limits.max_ast_nodes + 1))
    if nodes > limits.max_ast_nodes:
        raise ReadError(f"too large: more than {limits.max_ast_nodes} syntax-tree nodes "
                        f"({env_name('max_ast_nodes')})")


def read_heads(path: str) -> list[Head]:
    """The heads of every Keras model built in a `.py` file or a notebook's code cells, within
    the per-file bounds of limits.py (source bytes, syntax-tree nodes, a notebook's JSON bytes)."""
    try:
        limits = current_limits()
    except LimitsError as exc:
        raise ReadError(str(exc)) from None
    notebook = path.endswith(".ipynb")
    cap = limits.max_config_bytes if notebook else limits.max_source_bytes
    raw = _read(path, cap, "max_config_bytes" if notebook else "max_source_bytes")
    if raw is None:
        return []
    cells: tuple[tuple[int, int], ...] = ()
    if notebook:
        if json_values(raw) > limits.max_json_values:  # parsing is what costs: count first
            raise ReadError(f"too large: the notebook holds up to {json_values(raw)} JSON values, "
                            f"over the {limits.max_json_values}-value limit "
                            f"({env_name('max_json_values')})")
        code_cells = notebook_cells(raw)
        code = sum(len(cell.code.encode("utf-8", "surrogatepass")) for cell in code_cells)
        if code > limits.max_source_bytes:  # checked before parsing: parsing is what costs
            raise ReadError(f"too large: {code} bytes of code, over the {limits.max_source_bytes}"
                            f"-byte limit ({env_name('max_source_bytes')})")
        tree = _parse_notebook(code_cells)
        text = "".join(cell.code for cell in code_cells)
        cells = tuple((cell.first, cell.number) for cell in code_cells)
    else:
        text = _decode(raw)
        tree = _parse_source(text)
    if "keras" not in text and ".compile(" not in text:
        return []  # valid Python that builds no Keras model: nothing to follow
    _check_nodes(tree, len(text.encode("utf-8", "surrogatepass")), limits)
    lines = SourceLines(text, cells)
    models = Interpreter().run(tree)
    return [head for model in reported(models) for head in model_heads(model, path, lines)]


__all__ = ["read_heads"]
