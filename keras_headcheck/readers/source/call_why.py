"""Why a subclass's `call()` gave the reader no head to follow, in the user's terms: the text of
its HC901, naming the statement of `call()` that stopped the reader, where it is, and what the
user can do instead (check the built model live).

Lines are shown as the user sees them: "line 12" in a script, "cell 7, line 3" in a notebook
(the reader runs a notebook's cells as one text; `cells` maps its lines back).
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Optional, Sequence

from .values import Function, Layer, Span, Tensor, Unknown

LIVE_HINT = (
    "check the built model with keras_headcheck.check(model, x=batch) or the HeadCheck callback"
)
MAX_SHOWN = 48  # characters of a statement quoted in a message
NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def where(line: int, cells: Sequence[tuple[int, int]]) -> str:
    """'line 12', or in a notebook 'cell 7, line 3' (`cells`: (first line, cell number))."""
    found = None
    for first, number in cells:
        if first > line:
            break
        found = (number, line - first + 1)
    return f"cell {found[0]}, line {found[1]}" if found else f"line {line}"


def _quoted(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return f"`{text}`" if len(text) <= MAX_SHOWN else f"`{text[:MAX_SHOWN - 3]}...`"


def _returns(fn: Function) -> list[ast.Return]:
    """The `return` statements of the function itself (not of functions defined inside it)."""
    found: list[ast.Return] = []
    stack: list[ast.AST] = list(reversed(fn.node.body))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return):
            found.append(node)
        if not isinstance(node, NESTED):
            stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return found


def _statement(node: ast.Return, cells: Sequence[tuple[int, int]]) -> str:
    return f"{_quoted(node)}, {where(node.lineno, cells)}"


def not_followed(
    call: Function,
    results: Optional[list[Any]],
    inputs: list[str],
    sources: list[Any],
    cells: Sequence[tuple[int, int]],
) -> str:
    """Why the values `call()` returned (`results`, None when it could not be run) give no head."""
    if results is None:
        return f"its call() could not be run (nested or recursive too deep): {LIVE_HINT}"
    returns = _returns(call)
    if any(isinstance(r, Tensor) and r.source in sources for r in results):
        given = [r for r in returns if isinstance(r.value, ast.Name) and r.value.id in inputs]
        shown = f" ({_statement(given[0], cells)})" if given else ""
        if all(isinstance(r, Tensor) and r.source in sources for r in results):
            return (f"its call() returns its input unchanged{shown}: no layer of its own produces "
                    "the output, so there is no head to check")
        return (f"its call() returns its input on some paths{shown} and another value on others; "
                f"which one runs is not known from the source: {LIVE_HINT}")
    if not returns:
        return f"its call() returns no value: {LIVE_HINT}"
    if len(returns) == 1:
        value = returns[0].value
        shown = _quoted(value) if value is not None else "None"
        return (f"its call() returns {shown} ({where(returns[0].lineno, cells)}), which the "
                f"reader does not follow: {LIVE_HINT}")
    lines = ", ".join(where(r.lineno, cells) for r in returns[:4])
    return f"none of the values its call() returns ({lines}) is one the reader follows: {LIVE_HINT}"


def returned_literal(call: Function, value: Any) -> Optional[ast.expr]:
    """The one `return (a, b)` / `return {"k": v}` of `call()` written with as many items as
    `value` holds, if there is exactly one: what each returned item was written as."""
    kinds = (ast.Tuple, ast.List) if isinstance(value, (tuple, list)) else (ast.Dict,)
    found = [
        r.value for r in _returns(call)
        if isinstance(r.value, kinds) and len(items_of(r.value)) == len(value)
    ]
    return found[0] if len(found) == 1 else None


def items_of(node: ast.expr) -> list[ast.expr]:
    """The expressions of a returned tuple/list, or a dict's values, in the order written."""
    return list(node.values) if isinstance(node, ast.Dict) else list(getattr(node, "elts", []))


def untraced(node: ast.expr, cells: Sequence[tuple[int, int]]) -> str:
    """What an output of call() the reader does not follow is, for its HC901."""
    return (f"{_quoted(node)} returned by call() ({where(node.lineno, cells)}), a value the reader "
            "does not follow")


def untraced_named(
    call: Function, outputs: Any, cells: Sequence[tuple[int, int]], name: Callable[[str], str]
) -> Any:
    """A tuple or dict returned by call() with an item the reader does not follow: that item
    becomes an unknown layer named by what it was written as, at its line (its HC901 there)."""
    values = list(outputs.values()) if isinstance(outputs, dict) else outputs
    if not isinstance(values, (list, tuple)) or not any(isinstance(v, Unknown) for v in values):
        return outputs
    literal = returned_literal(call, outputs)
    if literal is None:
        return outputs
    named = [
        _untraced_tensor(node, cells, name) if isinstance(value, Unknown) else value
        for value, node in zip(values, items_of(literal))
    ]
    return dict(zip(outputs, named)) if isinstance(outputs, dict) else type(outputs)(named)


def _untraced_tensor(node: ast.expr, cells: Sequence[tuple[int, int]], name: Callable[[str], str]
                     ) -> Tensor:
    span = Span(node.lineno, getattr(node, "end_lineno", None) or node.lineno)
    layer = Layer(untraced(node, cells), "<unknown>", {}, span, name("untraced"))
    layer.nodes.append(([], {}))
    return Tensor(layer, 0)


def changed_in_place(node: ast.AST, call: Function, cells: Sequence[tuple[int, int]]) -> str:
    """call() returns its input after a statement that may change it in place, or decorated."""
    if any(node is d for d in call.node.decorator_list):
        return (f"its call() returns its input through the decorator @{ast.unparse(node)} "
                f"({where(node.lineno, cells)}), which may change it: {LIVE_HINT}")
    return (f"its call() returns its input after {_quoted(node)} ({where(node.lineno, cells)}), "
            f"which may change it in place: {LIVE_HINT}")


def no_call(name: str, late: dict[str, tuple[str, int]], cells: Sequence[tuple[int, int]]) -> str:
    """A subclassed model with no call() of its own when it is built."""
    if name not in late:
        return f"subclassed model `{name}` with no call() in this file ({LIVE_HINT})"
    statement, line = late[name]
    return (f"subclassed model `{name}`: its call() is attached outside the class ({statement}, "
            f"{where(line, cells)}), which the reader does not follow: {LIVE_HINT}")


def assigned_later(tree: ast.Module) -> dict[str, tuple[str, int]]:
    """Class name -> (the statement, its line) of a `Net.call = fn` written outside the class:
    Keras looks `call` up when the model runs, the reader when it is built."""
    found: dict[str, tuple[str, int]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if (isinstance(target, ast.Attribute) and target.attr == "call"
                    and isinstance(target.value, ast.Name)):
                found.setdefault(target.value.id, (_quoted(node), node.lineno))
    return found
