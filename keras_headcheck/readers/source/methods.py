"""Running a local class's methods on an instance (the Interpreter's mixin right after
Subclasses): `self.x` attributes shared by the instance's methods, `super().method(...)`, bound
methods called from the code, and the calls of a built subclass on tensors.

A method runs with the instance's attributes visible as dotted names (`self.dense`), so the
interpreter's branches merge them like any other name; what it sets is stored back into the
instance when it returns. A method called from another method of the same instance (`__init__`
calling `self.make_head()`) sees what the caller set so far, and the caller sees what it set.
"""

from __future__ import annotations

import ast
from typing import Any, Optional

from .layer_inputs import map_inputs
from .local_classes import find_bound, is_super
from .scopes import Scope, bind_arguments
from .unknowns import Choice
from .values import UNKNOWN, Bound, LocalClass, Model, Tensor

MAX_DEPTH = 12


class Methods:
    """Mixin of the Interpreter: running the methods of local subclasses' instances."""

    depth: int
    active: set[int]
    called: set[int]
    methods: list[Bound]  # the methods being run, innermost last
    frames: list[tuple[Any, str]]  # ... their scopes and `self.` prefixes

    def run_method(
        self, method: Bound, args: list[Any], kwargs: dict[str, Any], unknown: bool = False
    ) -> Optional[list[Any]]:
        """Run a method with `self`'s attributes visible as dotted names; the values it returned
        (`unknown`: a method nothing calls, run with its arguments unknown)."""
        fn, attrs = method.function, method.attrs
        params = fn.node.args.posonlyargs + fn.node.args.args
        if not params or self.depth >= MAX_DEPTH or id(fn.node) in self.active:
            return None
        self.step()  # type: ignore[attr-defined]
        self.called.add(id(fn.node))
        scope = Scope(parent=fn.scope, module=fn.scope.module)
        scope.function = fn.name  # a model it names is `build_generator.model`, as in a function
        bind_arguments(fn, scope, [UNKNOWN, *args], kwargs, unknown=unknown)
        prefix = params[0].arg + "."
        caller = self._caller_on(attrs)
        if caller is not None:  # `self.make_head()` in __init__ sees what __init__ set so far
            _store(caller, attrs)
        for key, value in attrs.items():
            scope.vars[prefix + key] = value
        self.active.add(id(fn.node))
        self.depth += 1
        self.methods.append(method)
        self.frames.append((scope, prefix))
        try:
            if isinstance(fn.node, ast.Lambda):  # `act = lambda self, x: ...` in the class body
                scope.results.append(self.ev(fn.node.body, scope))  # type: ignore[attr-defined]
                scope.returned = True
            else:
                self.block(fn.node.body, scope)  # type: ignore[attr-defined]
        finally:
            self.frames.pop()
            self.methods.pop()
            self.depth -= 1
            self.active.discard(id(fn.node))
        _store((scope, prefix), attrs)
        if caller is not None:  # ... and what the method set, after it
            for key, value in attrs.items():
                caller[0].vars[caller[1] + key] = value
        return scope.results + ([] if scope.returned else [None])

    def _caller_on(self, attrs: dict[str, Any]) -> Optional[tuple[Any, str]]:
        """The innermost method being run on the same instance, when one is."""
        for method, frame in zip(reversed(self.methods), reversed(self.frames)):
            if method.attrs is attrs:
                return frame
        return None

    def call(self, node: ast.Call, scope: Any) -> Any:
        """`super().__init__(...)` / `super().method(...)` inside a method being run."""
        func = node.func
        if not (isinstance(func, ast.Attribute) and is_super(func.value)):
            return super().call(node, scope)  # type: ignore[misc]
        args, kwargs, _ = self.arguments(node, scope)  # type: ignore[attr-defined]
        if not self.methods:  # a method run on its own: `super().compile(...)` compiles no model here
            return UNKNOWN
        current = self.methods[-1]
        for base in current.owner.bases if current.owner else []:
            if isinstance(base, LocalClass):
                found = find_bound(base, func.attr, current.attrs)
                if found is not None:
                    return self.call_bound(found, args, kwargs)
        return UNKNOWN

    def call_layer(self, target: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """A model with several outputs returns them all, in the structure it was built with;
        a custom layer whose call() takes several inputs (`call(self, targets, logits)`) gets them
        as its inputs, in that order."""
        mapped = map_inputs(target, args, kwargs)
        if mapped is None:
            return UNKNOWN
        args, kwargs = mapped
        reread = self.reread(target, kwargs)  # type: ignore[attr-defined]  # (rereads.py)
        if reread is not None:
            target, kwargs = reread
        tensor = super().call_layer(target, args, kwargs)  # type: ignore[misc]
        outputs = target.outputs if isinstance(target, Model) else None
        if isinstance(outputs, Choice):  # outputs a run-time test chooses: so are the results
            return Choice(outputs.condition, _results(outputs.when_true, tensor),
                          _results(outputs.when_false, tensor), tensor)  # fmt: skip
        return _results(outputs, tensor)

    def call_bound(self, method: Bound, args: list[Any], kwargs: dict[str, Any]) -> Any:
        results = self.run_method(method, args, kwargs)
        if not results:
            return UNKNOWN
        first = results[0]
        return first if all(first is r for r in results[1:]) else UNKNOWN


def _store(frame: tuple[Any, str], attrs: dict[str, Any]) -> None:
    """A method's `self.x` names into the instance's attributes."""
    scope, prefix = frame
    for key, value in scope.vars.items():
        if key.startswith(prefix):
            attrs[key[len(prefix) :]] = value


def _results(outputs: Any, tensor: Tensor) -> Any:
    """What a call of a model with these outputs returns: one tensor, or all of them in the
    structure the model was built with (a list for a list, so `dis(x) + [enc(x)]` is a list of
    three outputs, as Keras returns it)."""
    if not isinstance(tensor, Tensor):
        return tensor
    if isinstance(outputs, (list, tuple)) and len(outputs) > 1:
        results = [Tensor(tensor.source, tensor.node, i) for i in range(len(outputs))]
        return results if isinstance(outputs, list) else tuple(results)
    if isinstance(outputs, dict) and len(outputs) > 1:
        return {k: Tensor(tensor.source, tensor.node, i) for i, k in enumerate(outputs)}
    return tensor
