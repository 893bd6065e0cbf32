"""How a source spells a Keras loss class, read from its imports (for a fix that writes one)."""

from __future__ import annotations

import ast
from typing import Optional


def losses_prefix(tree: ast.Module, cls: str) -> Optional[str]:
    """How this file spells a Keras loss class: `cls` imported by name, else through a `losses`
    module, `keras`, or `tf.keras`; None when it imports none of them, or two frameworks (a
    Keras 3 loss in a tf_keras model would not work), or rebinds the name it would use."""
    found: list[tuple[str, str, str]] = []  # (framework, prefix, the name bound)
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.extend(_from_import(alias.name, alias.asname))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                found.extend(_from_from(node.module, alias.name, alias.asname, cls))
    if not found or len({f for f, _, _ in found}) > 1:
        return None
    best = min(found, key=lambda item: _rank(item[1], cls))
    return best[1] if _bound_once(tree, best[2]) else None


def _framework(module: str) -> str:
    return "tf_keras" if module.split(".")[0] == "tf_keras" else "keras"


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
        return [("keras", f"{bound}.losses.", bound)]  # from tensorflow import keras
    return []


def _rank(prefix: str, cls: str) -> int:
    return prefix.count(".")  # the shortest spelling


def _bound_once(tree: ast.Module, name: str) -> bool:
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            count += 1
        elif isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) == name:
            count += 1
        elif isinstance(node, ast.arg) and node.arg == name:
            count += 1
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            count += 1
    return count == 1
