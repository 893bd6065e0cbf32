"""Which arguments of a model or custom-layer call its graph was not read with.

A local subclass's graph is read once, when it is built: `call()` runs on one symbolic input with
`training=True` (subclass.py), every other parameter at its default. A later call that passes
another argument (`embedding(x, reverse=True)`) may run another branch of `call()`, so the graph
read is not known to be what runs there: build.py makes that call an unknown layer, named with the
arguments. An argument cannot change what `call()` returns when its parameter steers no branch
that returns or assigns what is used after it (`if targets is not None: self.add_loss(...)`), and
is handed to no method of the class (which could branch on it): such arguments are not counted.
"""

from __future__ import annotations

import ast
from typing import Any, Iterator, Optional

from .expressions import is_constant
from .values import Function, LocalClass

# What a model's graph is read with: its inputs, and `training=True` (what `fit` runs).
READ_WITH = frozenset({"inputs", "training"})
MAX_CLASS_DEPTH = 16


def unseen_arguments(
    cls: Optional[LocalClass], args: list[Any], kwargs: dict[str, Any]
) -> Optional[str]:
    """The arguments of a call of a model read from `cls.call()` beyond what its graph was read
    with that may change what it returns, as written (`reverse=True`); None when there are none."""
    passed = [(None, v) for v in args[1:]] + [(k, v) for k, v in kwargs.items() if k not in READ_WITH]
    if cls is None or not passed:  # a functional model or Sequential runs one graph, whatever else
        return None
    call = _method(cls, "call")
    if call is None:  # a functional subclass: Keras's own call() runs its one graph
        return None
    steering, names = _steering(call, cls), _parameter_names(call)
    written = []
    for position, (name, value) in enumerate(passed):
        if name is None:  # positional: the parameter after `self` and the inputs
            name = names[position + 2] if position + 2 < len(names) else None
        if steering is None or name is None or name in steering:
            written.append(f"{name}={_written(value)}" if name else _written(value))
    return ", ".join(written) or None


def _written(value: Any) -> str:
    text = repr(value) if is_constant(value) else "..."
    return text if len(text) <= 24 else "..."


def _method(cls: LocalClass, name: str, depth: int = 0) -> Optional[Function]:
    value = cls.namespace.get(name)
    if isinstance(value, Function):
        return value
    for base in cls.bases if depth < MAX_CLASS_DEPTH else []:
        if isinstance(base, LocalClass):
            found = _method(base, name, depth + 1)
            if found is not None:
                return found
    return None


def _parameter_names(fn: Function) -> list[str]:
    spec = fn.node.args
    return [a.arg for a in spec.posonlyargs + spec.args]


def _steering(fn: Function, cls: Optional[LocalClass]) -> Optional[set[str]]:
    """The parameters of `call()` that may change what it returns; None when any may (`*args`,
    `**kwargs`: what they hold is not followed)."""
    spec = fn.node.args
    if spec.vararg or spec.kwarg:
        return None
    params = {a.arg for a in spec.posonlyargs + spec.args + spec.kwonlyargs}
    body = fn.node.body
    found: set[str] = set()
    for node in _walk(body):
        if isinstance(node, (ast.If, ast.While)) and _matters(node, body):
            found |= _names(node.test) & params
        elif isinstance(node, ast.IfExp):
            found |= _names(node.test) & params
        elif isinstance(node, ast.Call) and _hands_on(node, cls):
            found |= {n for arg in [*node.args, *(k.value for k in node.keywords)] for n in _names(arg)} & params
    return found


def _walk(body: list[ast.stmt]) -> Iterator[ast.AST]:
    for statement in body:
        yield from ast.walk(statement)


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _matters(branch: ast.If | ast.While, body: list[ast.stmt]) -> bool:
    """Whether a branch can change what the function returns: it returns, assigns an attribute,
    or assigns a name read outside it."""
    inside = [n for part in (branch.body, branch.orelse) for n in _walk(part)]
    if any(isinstance(n, (ast.Return, ast.Yield, ast.Global, ast.Nonlocal)) for n in inside):
        return True
    stored = set()
    for node in inside:
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stored.add(node.id)
    inside_ids = {id(n) for n in inside}
    return any(
        isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in stored and id(n) not in inside_ids
        for n in _walk(body)
    )


def _hands_on(call: ast.Call, cls: Optional[LocalClass]) -> bool:
    """A call of one of the class's own methods, or of `super()`'s: it may branch on what it gets."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    if isinstance(func.value, ast.Call) and isinstance(func.value.func, ast.Name) and func.value.func.id == "super":
        return True
    return isinstance(func.value, ast.Name) and cls is not None and _method(cls, func.attr) is not None
