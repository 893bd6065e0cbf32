"""The arguments of a `compile` call: which argument is which parameter (Keras's signature or a
subclass's own), and a loss/metrics value in the config shape a saved model gives it."""

from __future__ import annotations

import ast
from typing import Any

from .names import kind_of
from .values import Function, KerasObject, Layer, LossInstance, Model, Ref, Unknown

KERAS_COMPILE_PARAMS = ("optimizer", "loss", "loss_weights", "metrics")  # Keras 2 and 3 order


def compile_arguments(node: ast.Call, override: Any) -> dict[str, ast.expr]:
    """The argument nodes of a `compile` call by parameter name: Keras's
    `compile(optimizer, loss, loss_weights, metrics, ...)`, or a subclass's own signature."""
    if override is not None and isinstance(override.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        spec = override.node.args
        params = [a.arg for a in spec.posonlyargs + spec.args][1:]  # without `self`
        params += [a.arg for a in spec.kwonlyargs]
        if spec.kwarg is not None:  # `**kwargs`, passed on to `super().compile(...)`
            params += [p for p in KERAS_COMPILE_PARAMS if p not in params]
    else:
        params = list(KERAS_COMPILE_PARAMS)
    named = {k.arg: k.value for k in node.keywords if k.arg}
    positional = [(p, a) for p, a in zip(params, node.args) if not isinstance(a, ast.Starred)]
    named.update((p, a) for p, a in positional if p not in named)
    return {k: v for k, v in named.items() if k in params}


def overridden_loss(model: Model) -> dict[str, Any]:
    """A model's own `compile(self, d_optimizer, g_optimizer, loss_fn)`: a loss not followed."""
    spec = model.compile_override.node.args
    params = ", ".join(a.arg for a in spec.posonlyargs + spec.args[1:] + spec.kwonlyargs)
    text = f"passed to {model.name}.compile({params})"
    return {"class_name": text, "config": {}, "module": "<unknown>"}


def to_config(value: Any, kind: str, text: str) -> Any:
    """A compile argument value as a saved config spells it (losses), or None if unknown (metrics)."""
    unknown = (
        None if kind == "metrics" else {"class_name": text, "config": {}, "module": "<unknown>"}
    )
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return [to_config(v, kind, f"{text}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: to_config(v, kind, f"{text}[{k!r}]") for k, v in value.items()}
    if isinstance(value, KerasObject):
        if isinstance(value.config, Unknown):
            return unknown
        return {
            "class_name": value.class_name,
            "config": value.config,
            "module": f"keras.{value.kind}",
        }
    if isinstance(value, Ref):
        ref_kind, tail = kind_of(value.path)
        if ref_kind in ("loss_fn", "metric_fn", "loss_class", "metric_class"):
            return tail
        if kind == "metrics":
            return None
        return {"class_name": "function", "config": tail, "module": value.path.rsplit(".", 1)[0]}
    if kind == "metrics":
        return None
    if isinstance(value, Function):
        name = value.name if value.name != "<lambda>" else text
        return {"class_name": "function", "config": name, "module": "__main__"}
    if isinstance(value, Layer):  # an instance of a class from this file or another library
        return {"class_name": value.class_name, "config": {}, "module": value.module or "__main__"}
    if isinstance(value, LossInstance):
        return {"class_name": value.cls.name, "config": {}, "module": "__main__"}
    return unknown
