"""What is known statically: constant values, their arithmetic, truth and sameness; and the small
AST helpers every part of the interpreter uses (a node's span, its dotted name, method dispatch)."""

from __future__ import annotations

import ast
import operator
import re
from typing import Any, Callable, Optional

from .budget import bounded_int_op, bounded_product
from .unknowns import Choice
from .values import (
    UNKNOWN, Bound, Function, Layer, LocalClass, LossInstance, Model, Partial, Span, Tensor, Unknown,
    Weight,
)

CONSTANT_TYPES = (int, float, str, bool, type(None))
BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


def is_constant(value: Any) -> bool:
    if isinstance(value, CONSTANT_TYPES):
        return True
    if isinstance(value, (tuple, list)):
        return all(is_constant(v) for v in value)
    if isinstance(value, dict):
        return all(is_constant(k) and is_constant(v) for k, v in value.items())
    return False


def truth(value: Any) -> Optional[bool]:
    """The truth of a test when it is known statically."""
    return bool(value) if is_constant(value) else None


def span(node: ast.AST) -> Span:
    first = getattr(node, "lineno", 0)
    return Span(first, getattr(node, "end_lineno", None) or first)


# "%*d", "%9999d": a huge string from a tiny one
_WIDE_FORMAT = re.compile(r"%[^a-zA-Z%]*(\*|\d{4})")


def _fits(op: ast.operator, left: Any, right: Any) -> bool:
    """Whether the result of `left op right` can be built within the value budget (budget.py):
    checked before building it, as a product or a power can be too big to build at all."""
    ints = all(isinstance(v, int) for v in (left, right))
    if isinstance(op, ast.Pow):
        if isinstance(right, (int, float)) and abs(right) > 64:
            return False
        return not ints or bounded_int_op(left, right, power=True)
    if isinstance(op, ast.Mult):
        if ints:
            return bounded_int_op(left, right, power=False)
        if isinstance(left, (str, tuple, list)):
            return bounded_product(left, right)
        if isinstance(right, (str, tuple, list)):
            return bounded_product(right, left)
    if isinstance(op, ast.Mod) and isinstance(left, str):
        return not _WIDE_FORMAT.search(left)
    return True


def arith(op: ast.operator, left: Any, right: Any) -> Any:
    """`left op right` for constants; the value budget (budget.py) applies to the result."""
    fn = BINARY.get(type(op))
    if fn is None or not (is_constant(left) and is_constant(right)) or not _fits(op, left, right):
        return UNKNOWN
    try:
        return fn(left, right)
    except (TypeError, ValueError, ArithmeticError):
        return UNKNOWN


_METHODS: dict[tuple[type, str, type], Optional[Callable[..., Any]]] = {}


def dispatch(cls: type, prefix: str, node_type: type) -> Optional[Callable[..., Any]]:
    """The `ev_Name`/`do_Assign`... method of `cls` for a node type (looked up once)."""
    key = (cls, prefix, node_type)
    if key not in _METHODS:
        _METHODS[key] = getattr(cls, prefix + node_type.__name__, None)
    return _METHODS[key]


def dotted_name(node: ast.AST) -> Optional[str]:
    """'self.model' for an attribute chain of plain names, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def same(a: Any, b: Any) -> bool:
    """Whether two values from different branches are certainly the same value."""
    if a is b:  # one unknown object may stand for different run-time values; one Choice not
        return not isinstance(a, Unknown) or isinstance(a, Choice)
    return is_constant(a) and is_constant(b) and type(a) is type(b) and a == b


# Objects the interpreter built itself: a value it holds of these kinds is never None (a name that
# may be None on some path is merged to UNKNOWN, not kept as one of them).
BUILT = (Layer, Model, Tensor, Function, LocalClass, Bound, Partial, LossInstance, Weight)


def none_test(op: ast.cmpop, left: Any, right: Any) -> Any:
    """`layer is not None` / `model is None` on an object the interpreter built: True/False; None
    when this is not such a test (`vectorizer=None` defaults tested against a layer given)."""
    if not isinstance(op, (ast.Is, ast.IsNot)):
        return None
    other = right if left is None else left if right is None else UNKNOWN
    if not isinstance(other, BUILT):
        return None
    return isinstance(op, ast.IsNot)


def self_attr(node: ast.expr, me: str) -> Optional[str]:
    """`self.x` -> "x" (`me`: the name of a method's first parameter), else None."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == me:
        return node.attr
    return None
