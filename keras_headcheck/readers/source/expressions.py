"""Evaluate expressions: constants, names, attributes, operators. Calls are in calls.py."""

from __future__ import annotations

import ast
from typing import Any

from . import label_calls
from .labels import LABEL_VALUES, Labels
from .budget import Budget
from .static import (
    COMPARE,
    CONSTANT_TYPES,
    arith,
    dispatch,
    dotted_name,
    is_constant,
    same,
    span,
    none_test,
    truth,
)
from .unknowns import choose
from .values import (
    MISSING,
    UNKNOWN,
    Function,
    Layer,
    LocalModule,
    Model,
    Placeholder,
    Property,
    Ref,
    Span,
    Tensor,
    Unknown,
    Weight,
)

_AS_IS = (ast.Name, ast.Attribute, ast.Constant)  # values that exist already: not built here
_PLAIN = frozenset({Unknown, Tensor, Layer, Model, Ref, bool, float, type(None)})  # sizeless


class Expressions:
    """Expression evaluation; subclasses supply names, calls, bindings and comprehensions."""

    def lookup(self, name: str, scope: Any) -> Any:  # pragma: no cover - provided by Interpreter
        raise NotImplementedError

    def call(self, node: ast.Call, scope: Any) -> Any:  # pragma: no cover
        raise NotImplementedError

    def comprehension(self, node: ast.AST, scope: Any) -> Any:  # pragma: no cover
        raise NotImplementedError

    def bind(self, target: ast.AST, value: Any, scope: Any) -> None:  # pragma: no cover
        raise NotImplementedError

    def tensor_op(self, name: str, inputs: list[Any], kwargs: dict[str, Any], where: Span) -> Any:
        raise NotImplementedError  # pragma: no cover

    budget: Budget  # provided by Interpreter: one per file

    def ev(self, node: ast.AST, scope: Any) -> Any:
        """The value of an expression; every value it builds passes the budget (budget.py)."""
        method = dispatch(type(self), "ev_", type(node))
        if method is None:
            return UNKNOWN
        value = method(self, node, scope)
        if type(value) in _PLAIN or isinstance(node, _AS_IS):  # the hot path: nothing to measure
            return value
        return self.budget.admit(value)

    def ev_Constant(self, node: ast.Constant, scope: Any) -> Any:
        return node.value if isinstance(node.value, CONSTANT_TYPES) else UNKNOWN

    def ev_Name(self, node: ast.Name, scope: Any) -> Any:
        return self.lookup(node.id, scope)

    def ev_Attribute(self, node: ast.Attribute, scope: Any) -> Any:
        dotted = dotted_name(node)
        if dotted is not None:
            found = scope.find(dotted)
            if isinstance(found, Property):  # `self.model` in a method
                return self.read_property(found)
            if found is not MISSING:
                return found
        base = self.ev(node.value, scope)
        if isinstance(base, (Ref, LocalModule)):
            return base.attr(node.attr)
        if isinstance(base, Model):
            return model_attribute(base, node.attr)
        if isinstance(base, (Layer, Weight)):
            return self.attribute_of(base, node.attr)
        if isinstance(base, LABEL_VALUES):
            return label_calls.attribute(base, node.attr)
        return UNKNOWN

    def read_property(self, prop: Property) -> Any:
        """What a property's getter returns (plain_classes.py runs it)."""
        return UNKNOWN

    def attribute_of(self, base: Any, attr: str) -> Any:
        """An attribute of a layer or a weight (weights.py reads their weights)."""
        if isinstance(base, Layer) and attr == "output" and base.nodes:
            return Tensor(base, 0)
        return UNKNOWN

    def ev_Tuple(self, node: ast.Tuple, scope: Any) -> Any:
        items = self.sequence(node.elts, scope)
        return tuple(items) if isinstance(items, list) else UNKNOWN

    def ev_List(self, node: ast.List, scope: Any) -> Any:
        return self.sequence(node.elts, scope)

    def sequence(self, elements: list[ast.expr], scope: Any) -> Any:
        items: list[Any] = []
        for element in elements:
            if isinstance(element, ast.Starred):
                inner = self.ev(element.value, scope)
                if not isinstance(inner, (list, tuple)):
                    return UNKNOWN
                items.extend(inner)
            else:
                items.append(self.ev(element, scope))
        return items

    def ev_Dict(self, node: ast.Dict, scope: Any) -> Any:
        result: dict[Any, Any] = {}
        for key_node, value_node in zip(node.keys, node.values):
            value = self.ev(value_node, scope)
            if key_node is None:  # {**other}
                if not isinstance(value, dict):
                    return UNKNOWN
                result.update(value)
                continue
            key = self.ev(key_node, scope)
            if not isinstance(key, (str, int, float, bool, tuple)) or not is_constant(key):
                return UNKNOWN
            result[key] = value
        return result

    def ev_BinOp(self, node: ast.BinOp, scope: Any) -> Any:
        left, right = self.ev(node.left, scope), self.ev(node.right, scope)
        if isinstance(node.op, ast.Add) and isinstance(left, list) and isinstance(right, list):
            return left + right  # [Dense(...) for ...] + [Dense(1)]: may hold placeholders
        if isinstance(left, Labels) or isinstance(right, Labels):
            return label_calls.arithmetic(node.op, left, right, node)
        if any(isinstance(v, (Tensor, Weight)) for v in (left, right)):
            return self.tensor_arithmetic(node, left, right)
        return arith(node.op, left, right)

    def tensor_arithmetic(self, node: ast.BinOp, left: Any, right: Any) -> Any:
        return UNKNOWN  # tensor_code.py names the op, weights.py reads weights and numbers

    def ev_UnaryOp(self, node: ast.UnaryOp, scope: Any) -> Any:
        value = self.ev(node.operand, scope)
        if isinstance(node.op, ast.Not):
            known = truth(value)
            return UNKNOWN if known is None else not known
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(node.op, ast.USub):
                return -value
            if isinstance(node.op, ast.UAdd):
                return value
        return UNKNOWN

    def ev_BoolOp(self, node: ast.BoolOp, scope: Any) -> Any:
        result: Any = UNKNOWN
        for value_node in node.values:
            result = self.ev(value_node, scope)
            known = truth(result)
            if known is None:
                return UNKNOWN
            if known is isinstance(node.op, ast.Or):
                return result
        return result

    def ev_Compare(self, node: ast.Compare, scope: Any) -> Any:
        left = self.ev(node.left, scope)
        for op, right_node in zip(node.ops, node.comparators):
            right = self.ev(right_node, scope)
            holds = none_test(op, left, right)  # `layer is not None`, on an object built here
            if holds is None and not (is_constant(left) and is_constant(right)):
                return UNKNOWN
            try:
                if not (holds if holds is not None else COMPARE[type(op)](left, right)):
                    return False
            except TypeError:
                return UNKNOWN
            left = right
        return True

    def ev_IfExp(self, node: ast.IfExp, scope: Any) -> Any:
        known = truth(self.ev(node.test, scope))
        if known is not None:
            return self.ev(node.body if known else node.orelse, scope)
        body, orelse = self.ev(node.body, scope), self.ev(node.orelse, scope)
        return body if same(body, orelse) else choose(node.test, body, orelse)

    def ev_Subscript(self, node: ast.Subscript, scope: Any) -> Any:
        container = self.ev(node.value, scope)
        if isinstance(container, LABEL_VALUES):
            return label_calls.subscript(container, node, self.ev(node.slice, scope))
        if isinstance(container, Tensor):  # the key as tf_keras saves it (readers/slices.py)
            key = [self.key_item(e, scope) for e in node.slice.elts] if isinstance(
                node.slice, ast.Tuple) else self.key_item(node.slice, scope)
            return self.tensor_op("getitem", [container], {"slice_spec": key}, span(node))
        index = self.ev(node.slice, scope)
        if isinstance(node.slice, ast.Slice):
            index = self.ev_Slice(node.slice, scope)
        if isinstance(container, (list, tuple)) and any(
            isinstance(v, Placeholder) for v in container
        ):
            return UNKNOWN  # positions are unknown once a comprehension is involved
        try:
            if isinstance(container, (list, tuple, str, dict)) and (
                is_constant(index) or isinstance(index, slice)
            ):
                return container[index]
        except (LookupError, TypeError, ValueError):
            return UNKNOWN
        return UNKNOWN

    def key_item(self, node: ast.expr, scope: Any) -> Any:
        """One item of a key indexing a tensor: a slice's bounds ("?" where not known), an
        integer, None (a new axis), or "?"."""
        if isinstance(node, ast.Slice):
            bounds = [self.ev(p, scope) if p is not None else None
                      for p in (node.lower, node.upper, node.step)]
            return dict(zip(("start", "stop", "step"), (
                b if b is None or (isinstance(b, int) and not isinstance(b, bool)) else "?"
                for b in bounds)))
        value = self.ev(node, scope)
        return value if value is None or (isinstance(value, int) and not isinstance(
            value, bool)) else "?"

    def ev_Slice(self, node: ast.Slice, scope: Any) -> Any:
        parts = [
            self.ev(p, scope) if p is not None else None
            for p in (node.lower, node.upper, node.step)
        ]
        if all(p is None or isinstance(p, int) for p in parts):
            return slice(*parts)
        return UNKNOWN

    def ev_Call(self, node: ast.Call, scope: Any) -> Any:
        return self.call(node, scope)

    def ev_Lambda(self, node: ast.Lambda, scope: Any) -> Any:
        return Function(node, scope, "<lambda>", defaults=self.defaults(node.args, scope))

    def ev_NamedExpr(self, node: ast.NamedExpr, scope: Any) -> Any:
        value = self.ev(node.value, scope)
        self.bind(node.target, value, scope)
        return value

    def ev_JoinedStr(self, node: ast.JoinedStr, scope: Any) -> Any:
        parts = []
        for value in node.values:
            part = self.ev(value.value if isinstance(value, ast.FormattedValue) else value, scope)
            if (
                not isinstance(part, (str, int, float))
                or isinstance(value, ast.FormattedValue)
                and (value.format_spec is not None or value.conversion != -1)
            ):
                return UNKNOWN
            parts.append(str(part))
        return "".join(parts)

    def ev_ListComp(self, node: ast.AST, scope: Any) -> Any:
        return self.comprehension(node, scope)

    ev_GeneratorExp = ev_SetComp = ev_ListComp

    def ev_DictComp(self, node: ast.AST, scope: Any) -> Any:
        self.comprehension(node, scope)
        return UNKNOWN

    def ev_Await(self, node: ast.Await, scope: Any) -> Any:
        self.ev(node.value, scope)
        return UNKNOWN

    def defaults(self, arguments: ast.arguments, scope: Any) -> dict[str, Any]:
        """Default values of a function's parameters, evaluated where it is defined (as Python does)."""
        positional = arguments.posonlyargs + arguments.args
        values: dict[str, Any] = {}
        for arg, default in zip(
            positional[len(positional) - len(arguments.defaults) :], arguments.defaults
        ):
            values[arg.arg] = self.ev(default, scope)
        for arg, kw_default in zip(arguments.kwonlyargs, arguments.kw_defaults):
            if kw_default is not None:
                values[arg.arg] = self.ev(kw_default, scope)
        return values


def model_attribute(model: Model, attr: str) -> Any:
    """`model.output`, `model.outputs`, `model.input(s)`, `model.layers` when they are known; a
    model or layer a local subclass's instance holds (`trainer.model`, `gan.generator`: what its
    `__init__` assigned, subclass.py)."""
    held = (model.instance or {}).get(attr)
    if isinstance(held, (Model, Layer)):
        return held
    if model.kind == "functional":
        outputs = model.outputs
        if attr == "output":
            return outputs if isinstance(outputs, Tensor) else UNKNOWN
        if attr == "outputs":
            return (
                list(outputs)
                if isinstance(outputs, (list, tuple))
                else ([outputs] if isinstance(outputs, Tensor) else UNKNOWN)
            )
        if attr in ("input", "inputs"):
            return model.inputs
    if model.kind == "sequential" and attr == "layers":  # as Keras lists them: no InputLayer
        if any(isinstance(x, Placeholder) for x in model.layers):
            return UNKNOWN
        return [x for x in model.layers if not _input_layer(x)]
    return UNKNOWN


def _input_layer(value: Any) -> bool:
    """`keras.Input(...)` or `layers.InputLayer(...)` in a Sequential's list of layers."""
    layer = value.layer if isinstance(value, Tensor) else value
    return isinstance(layer, Layer) and layer.class_name == "InputLayer"

