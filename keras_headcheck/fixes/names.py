"""How a source spells a Keras loss class, read from its imports (for a fix that writes one)."""

from __future__ import annotations

import ast
from typing import Optional


def losses_prefix(tree: ast.Module, cls: str, layer: Optional[ast.expr] = None) -> Optional[str]:
    """How this file spells a Keras loss class: `cls` imported by name, else through a `losses`
    module, `keras`, or `tf.keras`, from the framework the head layer `layer` (its callee) comes
    from, or the only one imported; None when it imports none, or several and the layer does not
    say which (a Keras 3 loss in a tf_keras model would not work), or rebinds the name."""
    found: list[tuple[str, str, str]] = []  # (framework, prefix, the name bound)
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.extend(_from_import(alias.name, alias.asname))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                found.extend(_from_from(node.module, alias.name, alias.asname, cls))
    used = _framework_of(tree, _root(layer)) if layer is not None else None
    if used is not None:
        found = [item for item in found if item[0] == used]
    if not found or len({f for f, _, _ in found}) > 1:
        return None
    best = min(found, key=lambda item: _rank(item[1]))
    return best[1] if _bound_once(tree, best[2]) else None


def _framework(module: str) -> str:
    top = module.split(".")[0]
    return {"tf_keras": "tf_keras", "tensorflow": "tf.keras"}.get(top, "keras")


def _root(node: ast.expr) -> Optional[str]:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _framework_of(tree: ast.Module, name: Optional[str]) -> Optional[str]:
    """The framework a top-level name comes from (`layers` of `from keras import layers`)."""
    frameworks = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (alias.asname or alias.name.split(".")[0]) == name:
                    frameworks.add(_framework(alias.name))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    frameworks.add(_framework(node.module))
    known = frameworks <= {"keras", "tf.keras", "tf_keras"}
    return frameworks.pop() if len(frameworks) == 1 and known else None


def _from_import(name: str, asname: Optional[str]) -> list[tuple[str, str, str]]:
    bound = asname or name.split(".")[0]
    if asname is None and "." in name:
        return []  # `import keras.layers` binds `keras`, but say so only for the plain import
    paths = {"keras": "losses.", "tf_keras": "losses.", "tensorflow": "keras.losses.",
             "keras.losses": "", "tensorflow.keras": "losses.", "tensorflow.keras.losses": ""}
    if name not in paths:
        return []
    return [(_framework(name), f"{bound}.{paths[name]}", bound)]


def _from_from(module: str, name: str, asname: Optional[str], cls: str) -> list[tuple[str, str, str]]:
    bound = asname or name
    full = f"{module}.{name}"
    losses = ("keras.losses", "tf_keras.losses", "tensorflow.keras.losses")
    if module in losses and name == cls and asname is None:
        return [(_framework(module), "", cls)]  # from keras.losses import BinaryCrossentropy
    if full in losses:
        return [(_framework(module), f"{bound}.", bound)]  # from keras import losses
    if full == "tensorflow.keras":
        return [("tf.keras", f"{bound}.losses.", bound)]  # from tensorflow import keras
    return []


def _rank(prefix: str) -> int:
    return prefix.count(".")  # the shortest spelling


def _bound_once(tree: ast.Module, name: str) -> bool:
    """`name` is bound only by imports of one same thing (a notebook may import it in two cells):
    no assignment, parameter, function or class of that name anywhere."""
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return False
        if isinstance(node, ast.arg) and node.arg == name:
            return False
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return False
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if (alias.asname or alias.name.split(".")[0]) == name:
                    module = node.module if isinstance(node, ast.ImportFrom) else ""
                    imported.add((module, node.level if isinstance(node, ast.ImportFrom) else 0,
                                  alias.name))
    return len(imported) == 1
