"""Calls of known Keras losses the file writes out itself, read as the loss they are.

`keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits=True)`, a loss object
(`keras.losses.BinaryCrossentropy(from_logits=True)(y_true, y_pred)`, or one bound to a name), and
a function of the file whose body is a single `return` of such a call on its own first two
parameters (`def loss(labels, logits): return tf.keras.losses.sparse_categorical_crossentropy(
labels, logits, from_logits=True)`), possibly inside a mean or sum, which changes the loss's scale
and nothing the head rules read. Used where a compile is given a function (calls.py) and where a
train_step applies a loss itself (trainers.py).

Anything else is not read: arithmetic on `y_pred` or on the loss, several losses, a helper, an
argument whose value is not a constant (`from_logits=flag`), a positional argument past the two
tensors (it may be `from_logits`). Those stay HC902, naming the function.
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Optional

from ..compiled import canonical_loss_name, parse_loss
from .arguments import plain
from .names import kind_of
from .values import Function, KerasObject, Ref, Unknown

# Keyword arguments of Keras's loss functions; those the head rules read must be constants.
DECISIVE = frozenset({"from_logits", "label_smoothing", "axis"})
OTHERS = frozenset(
    {"ignore_class", "gamma", "alpha", "apply_class_balancing", "delta", "sample_weight"}
)
# A mean or sum around the loss: its scale changes, not what it expects of the head.
REDUCERS = frozenset({"reduce_mean", "reduce_sum", "mean", "sum"})
REDUCER_MODULES = ("tensorflow.", "keras.", "tf_keras.")
MAX_DEPTH = 4

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


def loss_called(
    callee: Any, call: ast.Call, ev: Eval, scope: Any, depth: int = 0
) -> Optional[dict[str, Any]]:
    """The config of the known Keras loss `call` applies (its callee already evaluated), or None."""
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


def _unreduced(expr: ast.expr, ev: Eval, scope: Any) -> ast.expr:
    """`tf.reduce_mean(loss_call(...), axis=-1)` -> the loss call."""
    if isinstance(expr, ast.Call) and len(expr.args) == 1 and isinstance(expr.args[0], ast.Call):
        callee = ev(expr.func, scope)
        if (isinstance(callee, Ref) and callee.path.startswith(REDUCER_MODULES)
                and callee.path.rsplit(".", 1)[-1] in REDUCERS
                and all(k.arg in ("axis", "keepdims") for k in expr.keywords)):  # fmt: skip
            return expr.args[0]
    return expr


def returned_loss(fn: Function, ev: Eval, depth: int = 0) -> Optional[dict[str, Any]]:
    """A function of the file that is a known loss in disguise, as that loss's config with
    `written` naming the function: "`loss` (sparse_categorical_crossentropy)"."""
    spec = fn.node.args
    params = [a.arg for a in spec.posonlyargs + spec.args]
    expr = _returned(fn)
    if len(params) < 2 or expr is None:
        return None
    call = _unreduced(expr, ev, fn.scope)
    if not isinstance(call, ast.Call) or not _plain_arguments(call, DECISIVE | OTHERS):
        return None
    if not all(isinstance(a, ast.Name) and a.id == p for a, p in zip(call.args, params[:2])):
        return None  # applied to anything but (y_true, y_pred) as given
    own = set(params) | {a.arg for a in spec.kwonlyargs}
    read = [n for k in call.keywords for n in ast.walk(k.value)] + list(ast.walk(call.func))
    if any(isinstance(n, ast.Name) and n.id in own for n in read):
        return None  # a parameter decides the loss or its flags: known only at run time
    config = loss_called(ev(call.func, fn.scope), call, ev, fn.scope, depth)
    if config is None:
        return None
    name = "lambda" if fn.name == "<lambda>" else f"`{fn.name}`"
    return {**config, "written": f"{name} ({describe(config)})"}


def describe(config: dict[str, Any]) -> str:
    """"sparse_categorical_crossentropy" for a loss config (the rules' messages say from_logits)."""
    spec = parse_loss(config)
    return spec.name if spec is not None and spec.name else "?"
