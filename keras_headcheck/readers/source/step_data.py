"""What a trainer's train_step is given, as its code reads it (step_forward.py runs it once on
symbolic data of that shape): `fit` passes whatever the dataset yields, most often a tuple
`(x, y)`, and the step shows which by unpacking or indexing it, here or in a method it hands it to.
"""

from __future__ import annotations

import ast
from typing import Any, Optional

from .local_classes import find_method
from .values import Function, LocalClass

UNPACK = "unpack_x_y_sample_weight"  # keras.utils.unpack_x_y_sample_weight(data)


def data_arity(cls: LocalClass, fn: Function, param: str, depth: int = 0) -> int:
    """How many items the step's data has, as its code reads it: `x, y = data` (2),
    `data[0]`, `unpack_x_y_sample_weight(data)`, the same in a method it hands `data` to; 0 when
    it uses it as one tensor."""
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Assign) and _is_name(node.value, param):
            for target in node.targets:
                if isinstance(target, (ast.Tuple, ast.List)) and not any(
                    isinstance(e, ast.Starred) for e in target.elts
                ):
                    return len(target.elts)
        if isinstance(node, ast.Subscript) and _is_name(node.value, param) and _integer(node.slice):
            return 2  # `data[0]`, `data[1]`
        if isinstance(node, ast.Call) and depth < 4:
            handed = _handed(cls, fn, node, param)
            if isinstance(handed, tuple):
                found = data_arity(cls, handed[0], handed[1], depth + 1)
                if found:
                    return found
            elif handed:
                return 2
    return 0


def _handed(cls: LocalClass, fn: Function, call: ast.Call, param: str) -> Any:
    """`self.helper(data)`: (helper, its parameter); `unpack_x_y_sample_weight(data)`: True."""
    if isinstance(call.func, (ast.Attribute, ast.Name)) and (
        getattr(call.func, "attr", None) == UNPACK or getattr(call.func, "id", None) == UNPACK
    ):
        return bool(call.args) and _is_name(call.args[0], param)
    params = fn.node.args.posonlyargs + fn.node.args.args
    me = params[0].arg if params else None
    if not (isinstance(call.func, ast.Attribute) and _is_name(call.func.value, me)):
        return False
    helper = find_method(cls, call.func.attr)
    if helper is None:
        return False
    names = [a.arg for a in helper.node.args.posonlyargs + helper.node.args.args][1:]
    for position, arg in enumerate(call.args):
        if _is_name(arg, param) and position < len(names):
            return helper, names[position]
    for keyword in call.keywords:
        if keyword.arg is not None and _is_name(keyword.value, param):
            return helper, keyword.arg
    return False


def _is_name(node: Any, name: Optional[str]) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _integer(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int
