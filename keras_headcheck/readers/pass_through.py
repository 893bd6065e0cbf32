"""Custom layers that pass their input on unchanged, known from their `call()`'s code.

A user's layer whose `call()` returns its input (after `self.add_loss(...)`, `self.add_metric(...)`,
`tf.print(...)`: an activity regulariser, a logging layer) changes no value, so the head is the
layer that feeds it, as for Keras's own Identity. The source reader runs a script's `call()` and
sees that (readers/source/subclass.py); for a live model this module reads the class's source
with `ast` and accepts only the plainest form: every path ends in `return <first input>`, that
name is never rebound, and nothing may change a tensor in place (PyTorch's `x.add_(1)`,
`x[:, 0] = 0`, `inplace=True`), which both readers refuse.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any, Optional

KERAS_MODULES = ("keras", "tf_keras", "tensorflow")
NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def in_place(function: ast.AST) -> Optional[ast.AST]:
    """A statement that may change a tensor in place (so returning an input is not passing it
    on), if `function` has one."""
    for node in ast.walk(function):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Subscript) for t in targets):
                return node
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if (name.endswith("_") and not name.endswith("__")) or any(
                k.arg == "inplace" for k in node.keywords
            ):
                return node
    return None


def wrapped(function: ast.AST) -> bool:
    """Whether a decorator other than `tf.function` may change what the function returns."""
    decorators = getattr(function, "decorator_list", [])
    return any(ast.unparse(d).rsplit(".", 1)[-1] != "function" for d in decorators)


def passes_input(layer: Any) -> bool:
    """Whether a live layer of a user's class returns its (first) input unchanged."""
    for cls in type(layer).__mro__:
        if "__call__" in vars(cls) and not cls.__module__.startswith(KERAS_MODULES):
            return False  # its own __call__ runs instead of Keras's
        if "call" in vars(cls):
            break
    else:
        return False
    if cls.__module__.startswith(KERAS_MODULES):
        return False  # Keras's own layer: the readers know it by its class
    function = _parsed(vars(cls)["call"])
    return function is not None and _returns_first_input(function)


def _parsed(method: Any) -> Optional[ast.FunctionDef]:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    except (OSError, TypeError, SyntaxError, ValueError):  # no source (a REPL, a compiled module)
        return None
    found = tree.body[0] if tree.body else None
    return found if isinstance(found, ast.FunctionDef) else None


def _returns_first_input(function: ast.FunctionDef) -> bool:
    params = function.args.posonlyargs + function.args.args
    if len(params) < 2 or not function.body or not isinstance(function.body[-1], ast.Return):
        return False
    if wrapped(function):
        return False
    first = params[1].arg
    returns = [n for n in _own_nodes(function) if isinstance(n, ast.Return)]
    plain = all(isinstance(r.value, ast.Name) and r.value.id == first for r in returns)
    rebound = any(
        (isinstance(n, ast.Name) and n.id == first and not isinstance(n.ctx, ast.Load))
        or isinstance(n, (ast.Nonlocal, ast.Global, ast.Yield, ast.YieldFrom))
        or (isinstance(n, ast.arg) and n.arg == first and n is not params[1])
        for n in ast.walk(function)
    )
    return plain and not rebound and in_place(function) is None


def _own_nodes(function: ast.FunctionDef) -> list[ast.AST]:
    """The nodes of the function itself, not of functions or classes defined inside it."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, NESTED):
            stack.extend(ast.iter_child_nodes(node))
    return found


def relabel(config: Any, names: set[str]) -> Any:
    """A model config with the layers named in `names` written as Keras's Identity layer."""
    if isinstance(config, list):
        return [relabel(item, names) for item in config]
    if not isinstance(config, dict):
        return config
    inner = config.get("config")
    name = inner.get("name") if isinstance(inner, dict) else None
    if name in names and "class_name" in config and "layers" not in inner:
        changed = {k: v for k, v in config.items() if k != "registered_name"}
        return {**changed, "class_name": "Identity", "module": "keras.layers"}
    return {key: relabel(value, names) for key, value in config.items()}
