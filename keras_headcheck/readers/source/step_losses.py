"""Known Keras losses a train_step applies itself (trainers.py binds them to the output).

`loss = keras.losses.mean_squared_error(y, y_pred)`, `self.loss_fn(y, y_pred)` with
`self.loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)` set once in
`__init__`, or a module-level `loss_fn = keras.losses...` (known_losses.py says which callees are
known losses). Such a call is read as the loss that trains the output only when its value, at most
inside a mean or sum, is what the step differentiates: `tape.gradient(loss, ...)` or
`loss.backward()`, each name on the way assigned once. On the way its value may be added to terms
that do not read the output (a VAE's KL term: loss_terms.py), scaled by a constant (`0.5 *`,
`self.beta *`), and logged (`tracker.update_state(loss)`, a returned dict): the output's gradient
still comes from that loss alone. A loss subtracted, summed with a term that reads the output,
logged only or computed through a helper is not read here.
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Optional

from .known_losses import DECISIVE, REDUCERS, describe, local_names, loss_called, module_value
from .loss_terms import Output, independent
from .values import Function

Eval = Callable[[ast.expr, Any], Any]
MAX_STEPS = 8  # names a loss's value may pass through on its way to the gradient


def _differentiates(parent: Optional[ast.AST], node: ast.AST) -> bool:
    """`tape.gradient(node, ...)` or `node.backward()`."""
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute):
        return parent.func.attr == "gradient" and bool(parent.args) and parent.args[0] is node
    return isinstance(parent, ast.Attribute) and parent.attr == "backward" and parent.value is node


def _names(fn: Function, name: str) -> list[ast.Name]:
    return [n for n in ast.walk(fn.node) if isinstance(n, ast.Name) and n.id == name]


def _combined(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether `node`'s value (inside a mean/sum at most) is computed with: an operand. Passed
    to anything else (`tracker.update_state(loss)`, a returned dict, a print) it is shown."""
    parent = parents.get(node)
    while (isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute)
           and parent.func.attr in REDUCERS and parent.args[:1] == [node]):  # fmt: skip
        node, parent = parent, parents.get(parent)
    return isinstance(parent, (ast.BinOp, ast.UnaryOp))


def _scale(node: ast.expr, output: Output) -> bool:
    """A constant factor: a positive number, or a name or attribute the output does not reach."""
    if isinstance(node, ast.Constant):
        value = node.value
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
    return isinstance(node, (ast.Name, ast.Attribute)) and independent(node, output)


def _term(parent: ast.BinOp, node: ast.AST, output: Optional[Output]) -> bool:
    """`node + other` / `node - other` with `other` independent of the output, or `node`
    times / divided by a constant: the output's gradient is still `node`'s."""
    if output is None:
        return False
    other = parent.right if parent.left is node else parent.left
    if isinstance(parent.op, ast.Add) or (isinstance(parent.op, ast.Sub) and parent.left is node):
        return independent(other, output)
    if isinstance(parent.op, ast.Mult) or (isinstance(parent.op, ast.Div) and parent.left is node):
        return _scale(other, output)
    return False


def trained_plainly(call: ast.Call, fn: Function, parents: dict[ast.AST, ast.AST],
                    output: Optional[Output] = None) -> bool:
    """Whether the value of `call` (inside a mean/sum at most, summed with terms that do not
    read `output` when it is given) is what `fn` differentiates, and otherwise only shown."""
    return _trained(call, fn, parents, output, {}, 0)


def _trained(node: ast.AST, fn: Function, parents: dict[ast.AST, ast.AST], output: Optional[Output],
             names: dict[str, bool], depth: int) -> bool:
    """`trained_plainly` for `node`, `names` the answers for the names seen on the way."""
    parent = parents.get(node)
    while True:
        if (isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute)
                and parent.func.attr in REDUCERS and parent.args[:1] == [node]):  # fmt: skip
            node, parent = parent, parents.get(parent)
        elif isinstance(parent, ast.BinOp) and _term(parent, node, output):
            node, parent = parent, parents.get(parent)
        else:
            break
    if _differentiates(parent, node):
        return True
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and parent.value is node
            and isinstance(parent.targets[0], ast.Name)) or depth > MAX_STEPS:  # fmt: skip
        return False
    name = parent.targets[0].id
    if name not in names:
        names[name] = False  # while it is worked out (a name reached again adds nothing)
        uses = _names(fn, name)
        if sum(isinstance(n.ctx, ast.Store) for n in uses) != 1:
            return False  # assigned again: which value trains is not plain
        loads = [n for n in uses if isinstance(n.ctx, ast.Load)]
        trained = [_trained(n, fn, parents, output, names, depth + 1) for n in loads]
        names[name] = any(trained) and not any(
            _combined(n, parents) for n, t in zip(loads, trained) if not t)
    return names[name]


def applied_loss(
    call: ast.Call, callee: Any, fn: Function, ev: Eval, where: str
) -> Optional[dict[str, Any]]:
    """The config of the known loss `call` applies (its callee read), `written` saying where."""
    local = local_names(fn)
    read = [n for k in call.keywords if k.arg in DECISIVE for n in ast.walk(k.value)]
    if any(isinstance(n, ast.Name) and n.id in local for n in read):
        return None  # `from_logits=flag` set by the step itself (a sample weight decides nothing)
    config = loss_called(callee, call, ev, fn.scope)
    if config is None:
        return None
    text = config.get("written") or f"`{ast.unparse(call.func)}` ({describe(config)})"
    return {**config, "written": f"{text} in `{where}`"}


def init_values(init: Optional[Function], ev: Eval, methods: list[Function]) -> dict[str, Any]:
    """`self.loss_fn = keras.losses.X(...)` in `__init__`, for a class whose `__init__` is not
    run (its instance is a functional model): attributes set once in the class, read as the
    module defines them."""
    if init is None or not init.node.args.args:
        return {}
    me = init.node.args.args[0].arg
    found: dict[str, Any] = {}
    for node in ast.walk(init.node):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target = node.targets[0]
        if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                and target.value.id == me):  # fmt: skip
            attr = target.attr
            stores = sum(isinstance(n, ast.Attribute) and n.attr == attr
                         and isinstance(n.ctx, ast.Store)
                         for m in methods for n in ast.walk(m.node))  # fmt: skip
            value = module_value(node.value, init, ev) if stores == 1 else None
            if value is not None:
                found[attr] = value
    return found
