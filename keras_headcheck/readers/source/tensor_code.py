"""Two small readings of code applied to tensors: a `Lambda`'s function, run once on a symbolic
input (so `Lambda(lambda t: ops.softmax(t))` is a softmax), and arithmetic on tensors (`x + y`),
kept as a named op, as tf_keras saves it, rather than as a lost value."""

from __future__ import annotations

import ast
from typing import Any

from .layer_inputs import symbolic_inputs
from .values import UNKNOWN, Function, Layer, Ref, Span, Tensor

BINARY_OPS = {
    ast.Add: ("add", "+"),
    ast.Sub: ("subtract", "-"),
    ast.Mult: ("multiply", "*"),
    ast.Div: ("truediv", "/"),
    ast.FloorDiv: ("floordiv", "//"),
    ast.Pow: ("pow", "**"),
    ast.MatMult: ("matmul", "@"),
    ast.Mod: ("mod", "%"),
}


class TensorCode:
    """Mixin of the Interpreter: `Lambda` layers and operators on tensors."""

    lambdas: dict[int, tuple[Any, Any]]  # id of a Lambda (or the model read of it) -> it, function

    def make_layer(
        self, class_name: str, args: list[Any], kwargs: dict[str, Any], opaque: bool, where: Span
    ) -> Any:
        layer = super().make_layer(class_name, args, kwargs, opaque, where)  # type: ignore[misc]
        function = args[0] if args else kwargs.get("function")
        if class_name != "Lambda" or not isinstance(function, (Function, Ref)):
            return layer
        model = self._lambda_model(function, 1, layer.name, where)
        built = layer if model is None else model
        self.lambdas[id(built)] = (built, function)
        return built

    def call_layer(self, target: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """A `Lambda` called on a list of tensors (`Lambda(lambda t: tf.image.resize(t[0],
        ...))([x, inputs])`) is its function applied to that list, as Keras runs it: the one
        symbolic input it was read on at construction cannot be indexed."""
        built, function = self.lambdas.get(id(target), (None, None))
        given = args[0] if args else None
        if built is target and isinstance(given, (list, tuple)) and len(given) > 1 and all(
            isinstance(x, Tensor) for x in given
        ):
            model = self._lambda_model(function, len(given), target.name, target.span)
            target = target if model is None else model
        return super().call_layer(target, args, kwargs)  # type: ignore[misc]

    def _lambda_model(self, function: Any, count: int, name: str, where: Span) -> Any:
        """A Lambda's function read on symbolic inputs (one tensor, or a list of `count`) as a
        model the Lambda names; None when it returns no tensor. One of its inputs returned as
        it is (`lambda pair: pair[0]`) is passed on, as by Keras's Identity."""
        sources = symbolic_inputs(count, where)
        tensors = [Tensor(source, 0) for source in sources]
        result = self.apply_value(function, tensors if count == 1 else [tensors], where)
        if not isinstance(result, Tensor):
            return None
        if result.source in sources:
            name_of = self.auto_name  # type: ignore[attr-defined]
            identity = Layer("Identity", "keras.layers", {}, where, name_of("identity"))
            identity.nodes.append(([result], {}))
            result = Tensor(identity, 0)
        return self._as_model((result, sources), name, where, "Lambda")  # type: ignore[attr-defined]

    def apply_value(self, function: Any, args: list[Any], where: Span) -> Any:
        if isinstance(function, Function):
            return self.call_function(function, args, {})  # type: ignore[attr-defined]
        return self.keras_call(function, args, {}, False, where)  # type: ignore[attr-defined]

    def tensor_arithmetic(self, node: ast.BinOp, left: Any, right: Any) -> Any:
        """`x + y` on tensors is an op we do not interpret (as tf_keras saves it), not a lost value."""
        tensors = [v for v in (left, right) if isinstance(v, Tensor)]
        if not tensors:
            return UNKNOWN  # a weight and a value the reader does not know
        name, symbol = BINARY_OPS.get(type(node.op), ("operator", "?"))
        where = _span(node)
        layer = Layer(f"{symbol} on tensors", "<unknown>", {}, where, self.auto_name(name))  # type: ignore[attr-defined]
        layer.nodes.append((tensors, {}))
        return Tensor(layer, 0)


def _span(node: ast.AST) -> Span:
    first = getattr(node, "lineno", 0)
    return Span(first, getattr(node, "end_lineno", None) or first)
