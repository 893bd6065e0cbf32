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
from typing import Callable, Optional

from ...head import Head, Heads, Unparsed
from ..errors import ReadError
from ..files import open_regular
from ..ipynb import code_cells
from ..limits import Limits, LimitsError, current_limits, env_name, json_values
from .build import model_heads, reported
from .interpreter import Interpreter
from .lines import SourceLines
from .notebook import parse_notebook
from .outside import loaded_heads
from .parts import mark_parts
from .regions import parse_skipping
from .unchecked import unchecked_compiles

Loader = Callable[[str], list[Head]]  # a saved model's path -> its heads
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


def _parse_source(text: str, path: str) -> tuple[ast.Module, tuple[Unparsed, ...]]:
    """The script's tree; a broken top-level statement is skipped (HC903) when that is enough."""
    try:
        return parse_skipping(text, path, _parse)
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        raise ReadError(f"not valid Python ({where}{exc.msg or 'syntax error'})") from None
    except (ValueError, MemoryError, RecursionError) as exc:
        raise ReadError(f"not valid Python ({_reason(exc)})") from None


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


def _limits() -> Limits:
    try:
        return current_limits()
    except LimitsError as exc:
        raise ReadError(str(exc)) from None


def _cap(path: str, limits: Limits) -> tuple[int, str]:
    """The byte limit of a source (a notebook is JSON: the config limit) and its name."""
    if path.endswith(".ipynb"):
        return limits.max_config_bytes, "max_config_bytes"
    return limits.max_source_bytes, "max_source_bytes"


def read_heads(path: str, load: Optional[Loader] = None) -> list[Head]:
    """The heads of every Keras model built in a `.py` file or a notebook's code cells, within
    the per-file bounds of limits.py (source bytes, syntax-tree nodes, a notebook's JSON bytes);
    `load` reads a saved model the script loads (handed in: a reader never imports another)."""
    limits = _limits()
    raw = _read(path, *_cap(path, limits))
    if raw is None:
        return Heads()
    return heads_from_bytes(raw, path, limits, load)


def heads_from_bytes(
    raw: bytes, path: str, limits: Optional[Limits] = None, load: Optional[Loader] = None
) -> list[Head]:
    """The heads of a source (or, when `path` ends in `.ipynb`, a notebook) held in memory:
    `check -` reads stdin this way, named by `--stdin-filename`."""
    limits = limits or _limits()
    cap, limit_name = _cap(path, limits)
    if len(raw) > cap:
        raise ReadError(f"too large: over the {cap}-byte limit ({env_name(limit_name)})")
    notebook = path.endswith(".ipynb")
    found = Heads()
    cells: tuple[tuple[int, int], ...] = ()
    if notebook:
        if json_values(raw) > limits.max_json_values:  # parsing is what costs: count first
            raise ReadError(f"too large: the notebook holds up to {json_values(raw)} JSON values, "
                            f"over the {limits.max_json_values}-value limit "
                            f"({env_name('max_json_values')})")
        cells_read = code_cells(raw)
        code = sum(len(cell.original.encode("utf-8", "surrogatepass")) for cell in cells_read)
        if code > limits.max_source_bytes:  # checked before parsing: parsing is what costs
            raise ReadError(f"too large: {code} bytes of code, over the {limits.max_source_bytes}"
                            f"-byte limit ({env_name('max_source_bytes')})")
        with warnings.catch_warnings():  # see _parse: the user's warnings are not ours to print
            warnings.simplefilter("ignore")
            parsed = parse_notebook(path, cells_read)
        tree, text, cells, found.unparsed = parsed.tree, parsed.text, parsed.cells, parsed.unparsed
    else:
        text = _decode(raw)
        tree, found.unparsed = _parse_source(text, path)
    if "keras" not in text and ".compile(" not in text:
        return found  # valid Python that builds no Keras model: nothing to follow
    _check_nodes(tree, len(text.encode("utf-8", "surrogatepass")), limits)
    lines = SourceLines(text, cells)
    interpreter = Interpreter(path)
    interpreter.unparsed = bool(found.unparsed)
    interpreter.read_with(tree, cells)
    models = interpreter.run(tree)
    mark_parts(models)
    shown = list(reported(models))
    for model in shown:
        if model.kind == "loaded" and load is not None:
            found.extend(loaded_heads(model, path, lines, load))
            continue
        if model.kind == "loaded":
            model.kind = "opaque"
        found.extend(model_heads(model, path, lines))
    found.unchecked = unchecked_compiles(
        models, shown, path, lines, interpreter.skipped, interpreter.delegated
    )  # after: loads may fail
    return found


__all__ = ["heads_from_bytes", "read_heads"]
