"""Scopes (names visible to the code), forks (the state saved around a branch or loop) and the
merge of the states at the end of a branch."""

from __future__ import annotations

import ast
from typing import Any, Optional

from ...knowledge import keras_hub, tensorflow_recommenders
from .names import keras_path
from .python_builtins import BUILTINS
from .static import same
from .unknowns import Given, choose
from .values import (
    MISSING, UNKNOWN, Function, LocalClass, Model, Ref, Span, next_birth,
)  # fmt: skip


class Scope:
    def __init__(
        self,
        parent: Optional["Scope"] = None,
        module: Optional["Scope"] = None,
        is_class: bool = False,
    ) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent  # the enclosing scope a function was defined in
        self.module: Scope = module or self
        self.is_class = is_class
        self.global_names: set[str] = set()
        self.results: list[Any] = []  # values of the `return`s that ran
        self.returned = False  # a `return` ran on the straight-line path
        self.stopped = False  # a return/raise/break/continue ended the current block
        self.exited = False  # ... and it was a return or raise
        self.fork_depth = 0
        self.class_kind = "other"  # a class body: "model" | "layer" | "other"
        self.function: Optional[str] = None  # the function whose call this scope is, if any
        self.stars: list[str] = []  # a module's: the modules it imports with `from ... import *`

    def find(self, name: str) -> Any:
        if name in self.global_names:
            return self.module.vars.get(name, MISSING)
        scope: Optional[Scope] = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        return MISSING

    def set(self, name: str, value: Any) -> None:
        (self.module if name in self.global_names else self).vars[name] = value


class Fork:
    """A branch or loop: the state of pre-existing objects, saved on their first change."""

    def __init__(self, where: Span, why: str) -> None:
        self.birth = next_birth()
        self.where, self.why = where, why
        self.saved: dict[int, tuple[Any, Any]] = {}

    def restore(self) -> None:
        for obj, state in self.saved.values():
            if isinstance(obj, Model):
                obj.restore(state)
            else:
                obj[:] = state


def bind_arguments(
    fn: Function, scope: Scope, args: list[Any], kwargs: dict[str, Any], unknown: bool,
    uncalled: bool = False,
) -> None:
    """Bind a call's arguments to `fn`'s parameters in `scope`; all unknown when `unknown`, and
    each named for reports when `uncalled` (nothing in the file calls `fn`)."""
    spec = fn.node.args
    positional = spec.posonlyargs + spec.args
    kwargs = dict(kwargs)
    for index, param in enumerate(positional):
        if unknown:
            value = UNKNOWN
        elif index < len(args):
            value = args[index]
        else:
            value = kwargs.pop(param.arg, fn.defaults.get(param.arg, UNKNOWN))
        scope.vars[param.arg] = value
    for param in spec.kwonlyargs:
        scope.vars[param.arg] = (
            UNKNOWN if unknown else kwargs.pop(param.arg, fn.defaults.get(param.arg, UNKNOWN))
        )
    if spec.vararg:
        scope.vars[spec.vararg.arg] = UNKNOWN if unknown else tuple(args[len(positional) :])
    if spec.kwarg:
        scope.vars[spec.kwarg.arg] = UNKNOWN if unknown else kwargs
    if uncalled:
        for param in (*positional, *spec.kwonlyargs):
            if scope.vars[param.arg] is UNKNOWN and param.arg not in ("self", "cls"):
                scope.vars[param.arg] = Given(param.arg, fn.name)


def merge(
    ends: list[dict[str, Any]], test: Optional[ast.expr] = None, unbound_raises: bool = False
) -> dict[str, Any]:
    """What the names hold after paths from one state: what all paths agree on; where the two
    paths of a run-time `test` (true, then false) differ, a Choice between their values. With
    `unbound_raises` (no star import or builtin could answer for a name), a name some paths leave
    unbound holds what the others bound: using it after a path that did not bind it raises
    NameError, so only they go on (`if kind == "vgg": model = VGG16(...)` then `if kind ==
    "resnet": ...`)."""
    merged = {}
    for name in set().union(*ends):
        bound = ends
        if unbound_raises and name not in BUILTINS:
            bound = [end for end in ends if name in end]  # the paths that go on using it
        first, rest = bound[0], bound[1:]
        value = first.get(name, MISSING)
        if value is not MISSING and all(same(value, end.get(name, MISSING)) for end in rest):
            merged[name] = value
        elif test is not None and len(ends) == 2 and value is not MISSING and name in rest[0]:
            merged[name] = choose(test, value, rest[0][name])
        else:
            merged[name] = UNKNOWN
    return merged


def class_kind(base: Any) -> str:
    """'model' for a subclass of keras.Model, 'layer' for keras.layers.Layer, else 'other'."""
    if isinstance(base, LocalClass):
        return base.kind
    if isinstance(base, Ref) and tensorflow_recommenders.is_model(base.path):
        return "model"  # `tfrs.Model`: a keras.Model training with its compute_loss
    if isinstance(base, Ref) and keras_hub.is_model_base(base.path):
        return "model"  # `keras_hub.models.Task`: a keras.Model, its compile Keras's
    if isinstance(base, Ref):
        path = keras_path(base.path) or ""
        if base.tail in ("Model", "Sequential", "Functional") and path:
            return "model"
        if base.tail == "Layer" and path:
            return "layer"
    return "other"


def is_loss_class(cls: LocalClass, depth: int = 0) -> bool:
    """A subclass (of a subclass...) of a Keras loss class: `class MaskedLoss(keras.losses.Loss)`."""
    for base in cls.bases:
        if isinstance(base, Ref) and (keras_path(base.path) or "").startswith("keras.losses."):
            return base.tail[:1].isupper()
        if isinstance(base, LocalClass) and depth < 16 and is_loss_class(base, depth + 1):
            return True
    return False

