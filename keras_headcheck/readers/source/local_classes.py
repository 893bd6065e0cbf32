"""What a class of the file says about itself, read from its definition without running it: its
methods through its bases, the Keras class it derives from, whether its `__init__` is its own and
whether its training step applies the loss given to `compile`."""

from __future__ import annotations

import ast
from typing import Any, Optional

from .values import Bound, Function, LocalClass, Ref

# Names through which a train_step/compute_loss still applies the loss given to `compile`.
COMPILED_LOSS = frozenset({"compiled_loss", "compute_loss", "loss"})


def find_bound(cls: LocalClass, name: str, attrs: Any, depth: int = 0) -> Optional[Bound]:
    """`cls.name` resolved through the classes of the file (Keras's own methods are not read)."""
    value = cls.namespace.get(name)
    if isinstance(value, Function):
        return Bound(value, attrs, cls)
    if depth > 16:
        return None
    for base in cls.bases:
        if isinstance(base, LocalClass):
            found = find_bound(base, name, attrs, depth + 1)
            if found is not None:
                return found
    return None


def find_method(cls: LocalClass, name: str) -> Optional[Function]:
    found = find_bound(cls, name, None)
    return found.function if found else None


def is_super(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "super"
    )


def methods_in_order(cls: LocalClass, depth: int = 0) -> list[str]:
    """The names of `cls`'s methods through the file's bases, the class's own first."""
    names = [k for k, v in cls.namespace.items() if isinstance(v, Function)]
    if depth <= 16:
        for base in cls.bases:
            if isinstance(base, LocalClass):
                names += [n for n in methods_in_order(base, depth + 1) if n not in names]
    return names


def method_names(cls: LocalClass) -> set[str]:
    return set(methods_in_order(cls))


def keras_base(cls: LocalClass, depth: int = 0) -> Optional[str]:
    """The Keras class a local class derives from: "Model", "Sequential", "Layer"..."""
    for base in cls.bases:
        if isinstance(base, Ref):
            return base.tail
        if isinstance(base, LocalClass) and depth <= 16:
            found = keras_base(base, depth + 1)
            if found is not None:
                return found
    return None


def accepts(fn: Function, name: str) -> bool:
    spec = fn.node.args
    return any(a.arg == name for a in spec.posonlyargs + spec.args + spec.kwonlyargs) or bool(
        spec.kwarg
    )


def _applies_compiled_loss(fn: Function) -> bool:
    return any(
        isinstance(node, ast.Attribute)
        and (node.attr in COMPILED_LOSS or (is_super(node.value) and node.attr == fn.name))
        for node in ast.walk(fn.node)
    )


def loss_note(cls: LocalClass) -> Optional[str]:
    """Why the loss given to `compile` is not (only) what trains call()'s output, if it is not.
    (A class's own `compile` is bound to its signature instead: compile_args.py,
    `compile_override`.)"""
    for name in ("train_step", "compute_loss"):
        fn = find_method(cls, name)
        if fn is not None and not _applies_compiled_loss(fn):
            return f"computed in `{cls.name}.{name}`"
    return None


def own_init(cls: LocalClass) -> bool:
    """An `__init__` of the file's that takes its own arguments (`GAN(discriminator, generator)`),
    not `inputs`/`outputs` passed on to Keras's (`MyModel(inputs, outputs)`, `*args`)."""
    init = find_method(cls, "__init__")
    if init is None or find_method(cls, "train_step") is None:
        return False  # without a train_step of its own, read it as a functional model as before
    spec = init.node.args
    names = {a.arg for a in spec.posonlyargs + spec.args + spec.kwonlyargs}
    return spec.vararg is None and not names & {"inputs", "outputs"}
