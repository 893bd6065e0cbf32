"""Which arguments of a model or custom-layer call its graph was not read with.

A local subclass's graph is read once, when it is built: `call()` runs on one symbolic input with
`training=True` (subclass.py), every other parameter at its default. A later call that passes
another argument (`embedding(x, reverse=True)`) may run another branch of `call()`, so the graph
read is not known to be what runs there: when those arguments are constants given by keyword,
rereads.py runs `call()` again with them; otherwise build.py makes that call an unknown layer,
named with the arguments. An argument cannot change what `call()` returns when every use of its parameter is
data for one of the instance's layers, losses or metrics, or sits in a branch that neither returns
nor assigns what is used after it (`if targets is not None: self.add_loss(...)`): such arguments
are not counted.
"""

from __future__ import annotations

import ast
from typing import Any, Iterator, Optional

from .static import is_constant
from .values import Function, LocalClass

# What a model's graph is read with: its inputs, and `training=True` (what `fit` runs).
READ_WITH = frozenset({"inputs", "training"})
MAX_CLASS_DEPTH = 16


def unseen_arguments(
    cls: Optional[LocalClass], args: list[Any], kwargs: dict[str, Any], inputs: int = 1
) -> Optional[str]:
    """The arguments of a call of a model read from `cls.call()` beyond what its graph was read
    with that may change what it returns, as written (`reverse=True`); None when there are none.
    `inputs`: how many of call()'s first parameters are read as its input tensors (an endpoint
    layer's `call(self, targets, logits)` has two)."""
    passed = [(None, v) for v in args[inputs:]]
    passed += [(k, v) for k, v in kwargs.items() if k not in READ_WITH]
    if cls is None or not passed:  # a functional model or Sequential runs one graph, whatever else
        return None
    call = _method(cls, "call")
    if call is None:  # a functional subclass: Keras's own call() runs its one graph
        return None
    steering, names = _steering(call, cls, inputs), _parameter_names(call)
    written = []
    for position, (name, value) in enumerate(passed):
        if name is None:  # positional: the parameter after `self` and the inputs
            at = position + 1 + inputs
            name = names[at] if at < len(names) else None
        elif name in names[1 : 1 + inputs]:
            continue  # the inputs, passed by name (`logits=logits`)
        if steering is None or name is None or name in steering:
            written.append(f"{name}={_written(value)}" if name else _written(value))
    return ", ".join(written) or None


def inputs_keyword(cls: Optional[LocalClass]) -> str:
    """The keyword the inputs of a call go by: `call()`'s first parameter after `self` (a
    functional model's: `inputs`)."""
    call = _method(cls, "call") if cls is not None else None
    names = _parameter_names(call) if call is not None else []
    return names[1] if len(names) > 1 else "inputs"


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


def _steering(fn: Function, cls: Optional[LocalClass], inputs: int = 1) -> Optional[set[str]]:
    """The parameters of `call()` that may change what it returns; None when any may (`*args`,
    `**kwargs`: what they hold is not followed). A parameter used as data (handed to a layer, an
    op, arithmetic) changes values, not which operations run; one used to choose (the test of a
    branch that matters, an index `self.heads[task]`, the function called, an argument of the
    class's own methods or of `getattr`/`...get(name)`) may steer it."""
    spec = fn.node.args
    if spec.vararg or spec.kwarg:
        return None
    params = [a.arg for a in spec.posonlyargs + spec.args + spec.kwonlyargs]
    read_with = set(params[: 1 + inputs]) | READ_WITH  # self, the inputs, training: what it ran with
    body = fn.node.body
    harmless: set[int] = set()  # ids of branches that cannot change the result
    choosing: set[int] = set()  # ids of the parts of expressions that choose what runs
    for node in _walk(body):
        if isinstance(node, (ast.If, ast.While)):
            if _matters(node, body):
                choosing.add(id(node.test))
            else:
                harmless.add(id(node))
        elif isinstance(node, ast.IfExp):
            choosing.add(id(node.test))
        elif isinstance(node, ast.BoolOp):  # `a or b` picks one of them
            choosing.add(id(node))
        elif isinstance(node, ast.Subscript):
            choosing.add(id(node.slice))
        elif isinstance(node, ast.Call):
            choosing.add(id(node.func))
            if _chooses(node, params[0] if params else None, cls):
                choosing.update(id(arg) for arg in [*node.args, *(k.value for k in node.keywords)])
    found: set[str] = set()
    stack: list[tuple[ast.AST, bool, bool]] = [(statement, False, False) for statement in body]
    while stack:
        node, skipped, chosen = stack.pop()
        skipped, chosen = skipped or id(node) in harmless, chosen or id(node) in choosing
        if isinstance(node, ast.Name) and chosen and not skipped and node.id in params:
            found.add(node.id)
        stack.extend((child, skipped, chosen) for child in ast.iter_child_nodes(node))
    return found - read_with


def _chooses(call: ast.Call, me: Optional[str], cls: Optional[LocalClass]) -> bool:
    """A call whose arguments choose what runs: one of the class's own methods or `super()`'s
    (they may branch on them), `getattr(...)`, `keras.activations.get(...)`-like lookups."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name in ("getattr", "get", "deserialize"):
        return True
    if not isinstance(func, ast.Attribute):
        return False
    owner = func.value
    if isinstance(owner, ast.Call) and getattr(owner.func, "id", None) == "super":
        return True
    own = isinstance(owner, ast.Name) and owner.id == me
    return own and cls is not None and _method(cls, name) is not None


def _walk(body: list[ast.stmt]) -> Iterator[ast.AST]:
    for statement in body:
        yield from ast.walk(statement)


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
        isinstance(n, ast.Name)
        and isinstance(n.ctx, ast.Load)
        and n.id in stored
        and id(n) not in inside_ids
        for n in _walk(body)
    )
