"""Calls of known Keras losses the file writes out itself, read as the loss they are.

`keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits=True)`, a loss object
(`keras.losses.BinaryCrossentropy(from_logits=True)(y_true, y_pred)`, or one bound to a name), and
a function of the file whose body is a single `return` of such a call on its own first two
parameters (`def loss(labels, logits): return tf.keras.losses.sparse_categorical_crossentropy(
labels, logits, from_logits=True)`), possibly inside a mean or sum, which changes the loss's scale
and nothing the head rules read. Used where a compile is given a function (calls.py) and where a
train_step applies a loss itself (trainers.py).

A longer function (or a `keras.losses.Loss` subclass's `call`, loss_classes.py) is read the same
way when a known loss is what it applies to its predictions: the tutorials' masked loss,

    def masked_loss(y_true, y_pred):
        loss = loss_object(y_true, y_pred)          # SparseCategoricalCrossentropy(from_logits=True)
        mask = tf.cast(y_true != 0, loss.dtype)
        return tf.reduce_sum(loss * mask) / tf.reduce_sum(mask)

is that crossentropy for the head rules: `y_pred` is read once, as the second argument of one
call of a known loss whose first argument is `y_true`; neither parameter is assigned again; the
call runs on every path (no `if`, loop or `try` around it); what is done with the loss's value
afterwards (a mask, a weight, a mean) changes its scale, not what it expects of the head. The
loss object may be made in the function itself (`loss_fn = keras.losses.X(...)`, assigned once).

A CTC function called on the two tensors and their lengths (Keras 2's
`backend.ctc_batch_cost(y_true, y_pred, input_length, label_length)`, which takes probabilities;
`keras.ops.ctc_loss` and `tf.nn.ctc_loss`, which take logits) is read as Keras's CTC loss with
that `from_logits`.

Anything else is not read: a transformed `y_pred` or `y_true`, several losses, a helper, an
argument whose value is not a constant (`from_logits=flag`), a positional argument past the two
tensors (it may be `from_logits`). Those stay HC902, naming the function.
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Optional

from ..compiled import canonical_loss_name, parse_loss
from .arguments import plain
from .names import keras_path, kind_of
from .values import Function, KerasObject, Ref, Unknown
from .written_losses import written_loss

# Keyword arguments of Keras's loss functions; those the head rules read must be constants.
DECISIVE = frozenset({"from_logits", "label_smoothing", "axis"})
OTHERS = frozenset(
    {"ignore_class", "gamma", "alpha", "apply_class_balancing", "delta", "sample_weight"}
)
# A mean or sum around the loss: its scale changes, not what it expects of the head.
REDUCERS = frozenset({"reduce_mean", "reduce_sum", "mean", "sum"})
MAX_DEPTH = 4
# CTC functions, called as f(y_true, y_pred, *lengths): whether each takes logits. Keras 2's
# backend takes the log of softmax probabilities; `ops.ctc_loss` and TF's take logits.
CTC_FUNCTIONS = {"keras.backend.ctc_batch_cost": False, "keras.ops.ctc_loss": True,
                 "keras.ops.nn.ctc_loss": True, "tensorflow.nn.ctc_loss": True}

Eval = Callable[[ast.expr, Any], Any]  # the interpreter's `ev(node, scope)`


def _plain_arguments(call: ast.Call, allowed: frozenset[str]) -> bool:
    """Exactly (y_true, y_pred) positionally, and only keywords of `allowed`."""
    if len(call.args) != 2 or any(isinstance(a, ast.Starred) for a in call.args):
        return False
    return all(k.arg in allowed for k in call.keywords)


def _function_loss(ref: Ref, call: ast.Call, ev: Eval, scope: Any) -> Optional[dict[str, Any]]:
    """`keras.losses.binary_crossentropy(y, p, from_logits=True)` as the config of that loss."""
    tail = ref.path.rsplit(".", 1)[-1]
    if canonical_loss_name(tail) is None or not _plain_arguments(call, DECISIVE | OTHERS):
        return None
    config: dict[str, Any] = {"fn": tail}
    for keyword in call.keywords:
        value = plain(ev(keyword.value, scope))
        if keyword.arg in DECISIVE:
            if isinstance(value, Unknown):
                return None
            config[str(keyword.arg)] = value
    return {"class_name": "LossFunctionWrapper", "config": config, "module": "keras.losses"}


def _ctc_logits(callee: Any) -> Optional[bool]:
    """Whether a CTC function takes logits; None when `callee` is none of them."""
    if not isinstance(callee, Ref):
        return None
    return CTC_FUNCTIONS.get(keras_path(callee.path) or callee.path)


def _ctc_loss(ref: Ref, logits: bool, call: ast.Call) -> Optional[dict[str, Any]]:
    """`keras.backend.ctc_batch_cost(y_true, y_pred, input_length, label_length)` as Keras's CTC
    loss, with `from_logits` saying whether it reads y_pred as logits. The lengths (positional,
    or keywords) change which steps count, not what it expects of the head."""
    if len(call.args) < 2 or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    if any(k.arg is None for k in call.keywords):
        return None
    name = ref.path.rsplit(".", 1)[-1]
    return {"class_name": "CTC", "config": {"from_logits": logits, "fn": name},
            "module": "keras.losses"}


def loss_called(
    callee: Any, call: ast.Call, ev: Eval, scope: Any, depth: int = 0
) -> Optional[dict[str, Any]]:
    """The config of the known Keras loss `call` applies (its callee already evaluated), or None."""
    logits = _ctc_logits(callee)
    if logits is not None:
        return _ctc_loss(callee, logits, call)
    if isinstance(callee, Ref) and kind_of(callee.path)[0] == "loss_fn":
        return _function_loss(callee, call, ev, scope)
    if isinstance(callee, KerasObject) and callee.kind == "losses":
        if isinstance(callee.config, Unknown):
            return None
        if not _plain_arguments(call, frozenset({"sample_weight"})):
            return None
        config = {"class_name": callee.class_name, "config": callee.config,
                  "module": "keras.losses"}  # fmt: skip
        spec = parse_loss(config)
        return config if spec is not None and spec.name else None
    if isinstance(callee, Function) and _plain_arguments(call, frozenset()) and depth < MAX_DEPTH:
        return returned_loss(callee, ev, depth + 1)
    return None


def parents_of(fn: Function) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(fn.node) for child in ast.iter_child_nodes(node)}


def local_names(fn: Function) -> set[str]:
    spec = fn.node.args
    found = {a.arg for a in spec.posonlyargs + spec.args + spec.kwonlyargs}
    found |= {n.id for n in ast.walk(fn.node)
              if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}  # fmt: skip
    return found


def _dotted(node: ast.expr) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def module_value(node: ast.expr, fn: Function, ev: Eval) -> Any:
    """A callee or loss object as the module defines it: a dotted name that is no local of `fn`,
    or a Keras loss class constructed in place. None when it cannot be read without running."""
    if isinstance(node, ast.Call) and _dotted(node.func):
        cls = module_value(node.func, fn, ev)
        if not (isinstance(cls, Ref) and kind_of(cls.path)[0] == "loss_class"):
            return None
        local = local_names(fn)
        if any(isinstance(n, ast.Name) and n.id in local for n in ast.walk(node)):
            return None  # an argument the function computes: known only at run time
        return ev(node, fn.scope)
    if not _dotted(node):
        return None
    root = node
    while isinstance(root, ast.Attribute):
        root = root.value
    if isinstance(root, ast.Name) and root.id in local_names(fn):
        return None
    return ev(node, fn.scope)


def _returned(fn: Function) -> Optional[ast.expr]:
    """What a function is: a lambda's body, or a def's single `return` (docstring aside)."""
    node = fn.node
    if isinstance(node, ast.Lambda):
        return node.body
    body = [s for s in node.body
            if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]  # fmt: skip
    if node.decorator_list or len(body) != 1 or not isinstance(body[0], ast.Return):
        return None
    return body[0].value


# Statements a call may sit in and still run on every path through the function.
CERTAIN = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return, ast.Expr, ast.With)
CODE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _applied_call(fn: Function, true: str, pred: str) -> Optional[ast.Call]:
    """The one call `f(y_true, y_pred, ...)` through which the function reads `y_pred`, when it
    runs on every path and neither parameter is assigned again; else None."""
    nodes = [n for n in ast.walk(fn.node) if n is not fn.node]
    if any(isinstance(n, CODE) for n in nodes):
        return None  # a nested function or class: names it may rebind are not followed
    stored = {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    parents = parents_of(fn)
    reads = [n for n in nodes if isinstance(n, ast.Name) and n.id == pred
             and not _shape_of(n, parents)]  # fmt: skip
    if {true, pred} & stored or len(reads) != 1:
        return None
    call = parents.get(reads[0])
    if not (isinstance(call, ast.Call) and len(call.args) >= 2 and call.args[1] is reads[0]
            and isinstance(call.args[0], ast.Name) and call.args[0].id == true):  # fmt: skip
        return None
    node: ast.AST = call
    while node is not fn.node:
        node = parents[node]
        if isinstance(node, ast.stmt) and node is not fn.node and not isinstance(node, CERTAIN):
            return None  # inside an `if`, a loop or a `try`: it may not run
        if isinstance(node, (ast.IfExp, ast.BoolOp, ast.comprehension)):
            return None
    return call


def _shape_of(node: ast.Name, parents: dict[ast.AST, ast.AST]) -> bool:
    """`tf.shape(y_pred)`, `ops.shape(y_pred)`, `y_pred.shape`: a read of its shape (a CTC loss's
    lengths), not of its values."""
    parent = parents.get(node)
    if isinstance(parent, ast.Attribute):
        return parent.attr == "shape"
    if not (isinstance(parent, ast.Call) and parent.args[:1] == [node]):
        return False
    func = parent.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("shape", "int_shape")


def _callee(call: ast.Call, fn: Function, ev: Eval, attrs: dict[str, Any], me: Optional[str]) -> Any:
    """What the loss call calls: `self.x` (an attribute set in `__init__`), a name assigned once
    in the function (`loss_fn = keras.losses.X(...)`), or what the module defines."""
    func = call.func
    if me and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == me:
        return attrs.get(func.attr)
    if isinstance(func, ast.Name) and func.id in local_names(fn):
        stores = [n for n in ast.walk(fn.node) if isinstance(n, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == func.id for t in n.targets)]  # fmt: skip
        body = fn.node.body if isinstance(fn.node.body, list) else []
        if len(stores) != 1 or stores[0] not in body or len(stores[0].targets) != 1:
            return None
        return module_value(stores[0].value, fn, ev)
    if isinstance(fn.node, ast.Lambda) or _returned(fn) is not None:
        return ev(func, fn.scope)
    return module_value(func, fn, ev)


def returned_loss(fn: Function, ev: Eval, depth: int = 0, attrs: Optional[dict[str, Any]] = None,
                  name: Optional[str] = None) -> Optional[dict[str, Any]]:
    """A function of the file (or a loss class's `call`, with `attrs` its instance's attributes
    and `name` the class's) that is a known loss in disguise, as that loss's config with
    `written` naming it: "`loss` (sparse_categorical_crossentropy)"."""
    spec = fn.node.args
    params = [a.arg for a in spec.posonlyargs + spec.args]
    me = params.pop(0) if attrs is not None and params else None
    if len(params) < 2 or getattr(fn.node, "decorator_list", None):
        return None
    shown = name or ("lambda" if fn.name == "<lambda>" else fn.name)
    shown = shown if shown == "lambda" else f"`{shown}`"
    call = _applied_call(fn, params[0], params[1])
    if call is not None and len(call.args) > 2:  # past the two tensors, only a CTC's lengths
        call = call if _ctc_logits(_callee(call, fn, ev, attrs or {}, me)) is not None else None
    if call is None:  # no known loss applied: perhaps a regression loss written out
        return written_loss(fn, params[0], params[1], ev, shown)
    decisive = [n for k in call.keywords if k.arg in DECISIVE for n in ast.walk(k.value)]
    local = local_names(fn)
    if any(isinstance(n, ast.Name) and n.id in local for n in decisive):
        return None  # `from_logits=flag`: known only at run time
    given = set(params) | {a.arg for a in spec.kwonlyargs}
    if any(isinstance(n, ast.Name) and n.id in given for n in ast.walk(call.func)):
        return None  # a parameter chooses the loss
    config = loss_called(_callee(call, fn, ev, attrs or {}, me), call, ev, fn.scope, depth)
    if config is None:
        return None
    return {**config, "written": f"{shown} ({describe(config)})"}


def describe(config: dict[str, Any]) -> str:
    """"sparse_categorical_crossentropy" for a loss config (the rules' messages say from_logits)."""
    spec = parse_loss(config)
    if spec is not None and spec.name == "ctc":  # which CTC function: they differ in what they take
        return str(config.get("config", {}).get("fn", "ctc"))
    return spec.name if spec is not None and spec.name else "?"
