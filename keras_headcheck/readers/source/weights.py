"""Trainable weights in source code, and the arithmetic custom layers do with them.

A custom layer often computes a dense map by hand (the Keras guides' `Linear`, Hands-On ML's
`MyDense`, a tied `DenseTranspose`):

    self.w = self.add_weight(shape=(input_shape[-1], self.units))   # in build()
    return self.activation(tf.matmul(inputs, self.w) + self.b)      # in call()

A value made by `add_weight`/`add_variable`, `tf.Variable`, `keras.Variable` or
`keras.backend.variable` (trainable), or a Dense's `kernel`/`bias`/`weights` and an Embedding's
`embeddings`, is a `Weight` with its shape when the code gives it as constants. Arithmetic on
tensors, written as operators or as calls (`tf.matmul`, `keras.ops.matmul`, `tnp.dot`,
`tf.tensordot(x, w, axes=1)`, `tf.add`, `tf.nn.bias_add`...), becomes one operator layer whose
inputs are all its operands: the tensors, each weight's node and each Python number's node. What
that operator computes is decided in one place, readers/merges.py (an affine map, a bias added to
it, a scaling by a number); here nothing is judged. A weight scaled by a number or transposed is a
weight; anything else done to a weight (scaled by a value only known at run time) is unknown.
"""

from __future__ import annotations

import ast
import math
from typing import Any, Callable, Optional

from ..operands import SOURCE_CONSTANT, SOURCE_WEIGHT
from .names import keras_path, kind_of
from .values import UNKNOWN, Layer, Model, Ref, Span, Tensor, Unknown, Weight

Shape = Optional[tuple[Optional[int], ...]]

WEIGHT_METHODS = frozenset({"add_weight", "add_variable"})
# Operators on tensors whose operands may be weights or numbers: (symbol, name of the op).
OPERATORS: dict[type, tuple[str, str]] = {
    ast.Add: ("+", "add"),
    ast.Sub: ("-", "subtract"),
    ast.Mult: ("*", "multiply"),
    ast.Div: ("/", "truediv"),
    ast.MatMult: ("@", "matmul"),
}
# The same as functions (`tf.add`, `keras.ops.matmul`, `tnp.dot`, `keras.backend.dot`...).
FUNCTIONS = {
    "add": "+", "bias_add": "+", "subtract": "-", "multiply": "*", "divide": "/",
    "truediv": "/", "matmul": "@", "dot": "@", "tensordot": "@",
}
# Keyword arguments that do not change what the function computes.
HARMLESS = frozenset({"name"})
TRANSPOSES = frozenset({"transpose", "matrix_transpose"})
# Weights of Keras layers a custom layer may reuse (a tied decoder): attribute -> shape.
LAYER_WEIGHTS = frozenset({"kernel", "bias", "embeddings"})
WEIGHT_LISTS = frozenset({"weights", "trainable_weights", "trainable_variables", "variables"})


def dims(value: Any) -> Shape:
    """A weight's shape as written: `(input_shape[-1], self.units)` -> (None, 32)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (tuple, list)):
        return None
    shape: list[Optional[int]] = []
    for dim in value:
        if isinstance(dim, int) and not isinstance(dim, bool) and dim >= 0:
            shape.append(dim)
        elif isinstance(dim, Unknown) or dim is None:
            shape.append(None)
        else:
            return None
    return tuple(shape)


def _number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _learned(trainable: Any, kwargs: dict[str, Any]) -> bool:
    """Whether a weight's values are learned freely: not a fixed matrix (a mask, a running mean:
    `trainable=False`), not held to a range (`constraint=NonNeg()` keeps `softmax @ w` >= 0)."""
    return trainable in (True, None) and kwargs.get("constraint") is None


def _broadcast(shapes: list[Shape]) -> Shape:
    """The shape of weights and numbers combined elementwise, when every one is known."""
    if any(s is None for s in shapes):
        return None
    known = [s for s in shapes if s]
    if not known:
        return ()
    first = known[0]
    return first if all(s == first for s in known) else None


class Weights:
    """Mixin of the Interpreter: weights, and operators whose operands may be weights."""

    auto_name: Callable[[str], str]  # constructors.py: Keras's default names
    arguments: Callable[[ast.Call, Any], tuple[list[Any], dict[str, Any], bool]]  # calls.py

    # --- making weights ------------------------------------------------------------------------
    def weight(self, shape: Shape, name: Any, where: Span) -> Weight:
        base = name if isinstance(name, str) and name else "weight"
        config = {"shape": list(shape) if shape is not None else None}
        layer = Layer(SOURCE_WEIGHT, "<unknown>", config, where, self.auto_name(base))
        layer.nodes.append(([], {}))
        return Weight(shape, layer)

    def added_weight(self, args: list[Any], kwargs: dict[str, Any], where: Span) -> Any:
        """`self.add_weight(shape=..., name=..., trainable=...)`: Keras 3 takes the shape first,
        tf_keras the name (`add_weight("kernel", shape=...)`)."""
        name = kwargs.get("name")
        if args and isinstance(args[0], str):
            name, args = args[0], args[1:]
        if len(args) > 3:  # positional arguments up to `trainable`: not named safely
            return UNKNOWN
        if not _learned(kwargs.get("trainable", True), kwargs):
            return UNKNOWN
        return self.weight(dims(kwargs.get("shape", args[0] if args else None)), name, where)

    def variable(self, ref: Ref, args: list[Any], kwargs: dict[str, Any], where: Span) -> Any:
        """`tf.Variable(value, trainable)`, `keras.Variable(initializer, shape, dtype, trainable)`,
        `keras.backend.variable(value)`: a trainable weight unless `trainable` says otherwise."""
        keras3 = ref.tail == "Variable" and keras_path(ref.path) is not None
        position = 3 if keras3 else 1 if ref.tail == "Variable" else None
        trainable = kwargs.get("trainable", True)
        if position is not None and len(args) > position:
            trainable = args[position]
        if not _learned(trainable, kwargs):
            return UNKNOWN
        shape = kwargs.get("shape", args[1] if keras3 and len(args) > 1 else None)
        return self.weight(dims(shape), kwargs.get("name"), where)

    def keras_call(
        self, ref: Ref, args: list[Any], kwargs: dict[str, Any], opaque: bool, where: Span
    ) -> Any:
        if kind_of(ref.path)[0] == "variable" and not opaque:
            return self.variable(ref, args, kwargs, where)
        return super().keras_call(ref, args, kwargs, opaque, where)  # type: ignore[misc]

    def method(self, receiver: Any, func: ast.Attribute, node: ast.Call, scope: Any) -> Any:
        if func.attr in WEIGHT_METHODS and isinstance(receiver, (Unknown, Layer, Model)):
            args, kwargs, opaque = self.arguments(node, scope)
            where = Span(node.lineno, node.end_lineno or node.lineno)
            return UNKNOWN if opaque else self.added_weight(args, kwargs, where)
        return super().method(receiver, func, node, scope)  # type: ignore[misc]

    def attribute_of(self, base: Any, attr: str) -> Any:
        """`dense.kernel`, `dense.weights[0]`, `embedding.embeddings`, `w.T`."""
        if isinstance(base, Weight) and attr == "T":
            return self.transposed(base, base.layer.span)
        if isinstance(base, Layer) and base.opaque is None and attr in LAYER_WEIGHTS | WEIGHT_LISTS:
            weights = self.layer_weights(base)
            if attr in WEIGHT_LISTS:
                return list(weights.values()) if weights else UNKNOWN
            return weights.get(attr, UNKNOWN)
        return super().attribute_of(base, attr)  # type: ignore[misc]

    def layer_weights(self, layer: Layer) -> dict[str, Weight]:
        """The weights of a Dense or an Embedding, in Keras's order, with the shapes it gives."""
        config = layer.config

        def size(key: str) -> Optional[int]:
            value = config.get(key)
            return value if isinstance(value, int) else None

        if layer.class_name == "Dense":
            kernel = self.weight((None, size("units")), f"{layer.name}_kernel", layer.span)
            found = {"kernel": kernel}
            if config.get("use_bias") is not False:
                found["bias"] = self.weight((size("units"),), f"{layer.name}_bias", layer.span)
            return found
        if layer.class_name == "Embedding":
            shape = (size("input_dim"), size("output_dim"))
            return {"embeddings": self.weight(shape, f"{layer.name}_embeddings", layer.span)}
        return {}

    def transposed(self, weight: Weight, where: Span) -> Weight:
        shape = weight.shape
        flipped = tuple(reversed(shape)) if shape is not None and len(shape) == 2 else None
        return self.weight(flipped, weight.layer.name + "_t", where)

    # --- operators -----------------------------------------------------------------------------
    def tensor_arithmetic(self, node: ast.BinOp, left: Any, right: Any) -> Any:
        found = OPERATORS.get(type(node.op))
        where = Span(node.lineno, node.end_lineno or node.lineno)
        if found is not None:
            made = self.arithmetic(found[0], found[1], [left, right], where)
            if made is not None:
                return made
        return super().tensor_arithmetic(node, left, right)  # type: ignore[misc]

    def op_call(
        self, name: str, args: list[Any], kwargs: dict[str, Any], opaque: bool, where: Span
    ) -> Any:
        if not opaque and name in TRANSPOSES and len(args) == 1 and isinstance(args[0], Weight):
            perm = kwargs.get("perm", kwargs.get("axes"))
            if set(kwargs) <= {"perm", "axes", "name"} and perm in (None, [1, 0], (1, 0)):
                return self.transposed(args[0], where)
        symbol = FUNCTIONS.get(name)
        if not opaque and symbol is not None and len(args) >= 2:
            operands = self._function_operands(name, args, kwargs, where)
            made = self.arithmetic(symbol, name, operands, where) if operands else None
            if made is not None:
                return made
        return super().op_call(name, args, kwargs, opaque, where)  # type: ignore[misc]

    def _function_operands(
        self, name: str, args: list[Any], kwargs: dict[str, Any], where: Span
    ) -> Optional[list[Any]]:
        """The two operands of `tf.matmul(x, w, transpose_b=True)`, `tf.tensordot(x, w, axes=1)`,
        `tf.add(x, b)`...; None when the call computes something else than the operator."""
        rest = dict(kwargs)
        first, second = args[0], args[1]
        if name == "tensordot":
            axes = args[2] if len(args) > 2 else rest.pop("axes", None)
            if axes != 1:
                return None
        elif len(args) > 2:
            return None
        if name == "matmul":
            if any(rest.pop(k, False) is not False for k in ("transpose_a", "adjoint_a")):
                return None  # the tensor transposed: not a map of its last axis
            flip = [rest.pop(k, False) for k in ("transpose_b", "adjoint_b")]
            if any(f not in (True, False) for f in flip):
                return None
            if any(flip):
                if not isinstance(second, Weight):
                    return None
                second = self.transposed(second, where)
        if set(rest) - HARMLESS:
            return None
        return [first, second]

    def arithmetic(self, symbol: str, name: str, values: list[Any], where: Span) -> Any:
        """`symbol` applied to tensors, weights and numbers: an operator layer over all of them;
        weights and numbers alone: a weight (None when this is not such a case)."""
        if not any(isinstance(v, Weight) for v in values) and not any(_number(v) for v in values):
            return None  # tensors only, or an operand the reader does not know: as before
        if not any(isinstance(v, Tensor) for v in values):
            weights = any(isinstance(v, Weight) for v in values)
            return self._weight_arithmetic(symbol, values, where) if weights else None
        inputs = []
        for value in values:
            if isinstance(value, Tensor):
                inputs.append(value)
            elif isinstance(value, Weight):
                inputs.append(Tensor(value.layer, 0))
            elif _number(value) and symbol != "@":
                inputs.append(self._constant(value, where))
            else:
                return None
        layer = Layer(f"{symbol} on tensors", "<unknown>", {}, where, self.auto_name(name))
        layer.nodes.append((inputs, {}))
        return Tensor(layer, 0)

    def _weight_arithmetic(self, symbol: str, values: list[Any], where: Span) -> Any:
        """A weight scaled, shifted or summed with other weights and numbers (`gain * self.w`):
        still a learned value. A product of matrices, or a division by a weight, is not read."""
        if symbol == "@" or (symbol == "/" and not _number(values[-1])):
            return UNKNOWN
        if not all(isinstance(v, Weight) or _number(v) for v in values):
            return UNKNOWN
        shapes = [v.shape if isinstance(v, Weight) else () for v in values]
        first = next(v for v in values if isinstance(v, Weight))
        return self.weight(_broadcast(shapes), first.layer.name, where)

    def _constant(self, value: float, where: Span) -> Tensor:
        config = {"value": value}
        layer = Layer(SOURCE_CONSTANT, "<unknown>", config, where, self.auto_name("constant"))
        layer.nodes.append(([], {}))
        return Tensor(layer, 0)
