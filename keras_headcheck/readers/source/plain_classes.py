"""Plain classes of the file (not Keras subclasses) whose methods build, compile and train
models: a GAN class holding `self.discriminator` and `self.combined`, an RL agent's
`self.model = self._build_model()`, a helper holding a model.

An instance is still the opaque value it was (a Layer named by its class, so a compile on the
instance itself stays an HC901), but it now carries its attributes: `__init__` runs on it as a
subclass's does (methods.py), a method called on it (`gan.train()`) runs with them, and
`agent.model` is the model its methods built. A class with methods nothing in the file calls
gets them run once at the end on its last instance, or on one made with unknown arguments when
the file never makes one: what depends on those arguments stays unknown. Decorated methods
nothing calls (a test class's `@pytest.mark...` tests) run there too.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any, Optional

from .local_classes import find_bound, find_method, methods_in_order
from .scopes import is_loss_class
from .static import dotted_name, span
from .values import MISSING, UNKNOWN, Bound, Function, Layer, LocalClass, Property, Span


def _decorators(fn: Function) -> set[str]:
    node = fn.node
    found = getattr(node, "decorator_list", [])
    return {ast.unparse(d).rsplit(".", 1)[-1] for d in found}


def instance_attrs(cls: LocalClass, attrs: dict[str, Any], depth: int = 0) -> None:
    """The methods of `cls` (through the file's bases, the nearest first) bound to `attrs`;
    a staticmethod is its plain function, a property its getter (read when it is read), and a
    classmethod is left unknown."""
    for name, value in cls.namespace.items():
        if name in attrs or not isinstance(value, Function):
            continue
        decorators = _decorators(value)
        if decorators == {"staticmethod"}:
            attrs[name] = value
        elif not decorators:
            attrs[name] = Bound(value, attrs, cls)
        elif decorators == {"property"} or decorators <= {"setter", "deleter"}:
            getter = _getter(cls, value)  # a setter defined after it took the name
            if getter is not None:
                attrs[name] = Property(Bound(getter, attrs, cls))
    if depth <= 16:
        for base in cls.bases:
            if isinstance(base, LocalClass):
                instance_attrs(base, attrs, depth + 1)


def _getter(cls: LocalClass, value: Function) -> Optional[Function]:
    """The `@property` getter of the name `value` (the getter itself, or its setter) holds."""
    if _decorators(value) == {"property"}:
        return value
    for node in getattr(cls.node, "body", []):
        if isinstance(node, ast.FunctionDef) and node.name == value.name:
            getter = replace(value, node=node)
            if _decorators(getter) == {"property"}:
                return getter
    return None


def plain(cls: Any) -> bool:
    return isinstance(cls, LocalClass) and cls.kind == "other" and not is_loss_class(cls)


class PlainClasses:
    """Mixin of the Interpreter: instances of the file's plain classes (before Methods)."""

    plain_instances: dict[int, dict[str, Any]]  # id of a class's node -> its last instance
    plain_classes: list[LocalClass]
    policy: Optional[str]

    def plain_instance(
        self, cls: LocalClass, args: list[Any], kwargs: dict[str, Any], where: Span,
        unknown: bool = False,
    ) -> Layer:
        layer = Layer(cls.name, "__main__", {}, where, self.auto_name(cls.name))  # type: ignore[attr-defined]
        attrs: dict[str, Any] = {}
        instance_attrs(cls, attrs)
        layer.instance = attrs
        self.plain_instances[id(cls.node)] = attrs
        init = attrs.get("__init__")
        if isinstance(init, Bound):
            self.run_method(init, args, kwargs, unknown=unknown)  # type: ignore[attr-defined]
        return layer

    def call(self, node: ast.Call, scope: Any) -> Any:
        """`gan.train(...)`: a method of a plain instance runs on its attributes. `LeNet.build(
        shape, classes)`: a function called on a plain class itself runs as Python runs it, with
        the arguments as given (a staticmethod, or a function without a decorator), or with the
        class first (a classmethod)."""
        func = node.func
        if isinstance(func, ast.Attribute) and dotted_name(func.value) is not None:
            if scope.find(dotted_name(func) or "") is MISSING:
                receiver = self.ev(func.value, scope)  # type: ignore[attr-defined]
                method, first = _method_of(receiver, func.attr), []
                if method is None and plain(receiver):
                    method, first = _class_function(receiver, func.attr)
                if method is not None:
                    args, kwargs, opaque = self.arguments(node, scope)  # type: ignore[attr-defined]
                    return self.apply(method, first + args, kwargs, opaque, node)
        return super().call(node, scope)  # type: ignore[misc]

    def method(self, receiver: Any, func: ast.Attribute, node: ast.Call, scope: Any) -> Any:
        """`Helper().train()`: a method of a plain instance no name holds runs as well."""
        method = _method_of(receiver, func.attr)
        if method is None:
            return super().method(receiver, func, node, scope)  # type: ignore[misc]
        args, kwargs, opaque = self.arguments(node, scope)  # type: ignore[attr-defined]
        return self.apply(method, args, kwargs, opaque, node)

    def apply(
        self, callee: Any, args: list[Any], kwargs: dict[str, Any], opaque: bool, node: ast.Call
    ) -> Any:
        """`builder(shape)`: an instance with a `__call__` of its own runs it. `helper.compile()`,
        a plain class's own method, runs too, and is recorded as no Keras compile of its own,
        naming the compiles it ran, which are checked there (unchecked.py)."""
        method = _method_of(callee, "__call__")
        if method is not None:
            callee = method
        own = isinstance(callee, Bound) and getattr(callee.owner, "kind", None) == "other"
        if not (own and isinstance(node.func, ast.Attribute) and node.func.attr == "compile"):
            return super().apply(callee, args, kwargs, opaque, node)  # type: ignore[misc]
        models: list[Any] = self.models  # type: ignore[attr-defined]
        before = {id(c) for m in models for c in m.compiles}
        result = super().apply(callee, args, kwargs, opaque, node)  # type: ignore[misc]
        ran = sorted({c.span.first for m in models for c in m.compiles if id(c) not in before})
        where, receiver = span(node), ast.unparse(node.func.value)
        self.delegated.append((where, receiver, callee.owner.name, tuple(ran)))  # type: ignore[attr-defined]
        return result

    def attribute_of(self, base: Any, attr: str) -> Any:
        """`agent.model`: what the instance's methods set, or what its property returns."""
        if isinstance(base, Layer) and base.instance is not None and attr in base.instance:
            value = base.instance[attr]
            return self.read_property(value) if isinstance(value, Property) else value
        return super().attribute_of(base, attr)  # type: ignore[misc]

    def read_property(self, prop: Property) -> Any:
        """`net.model` with `@property def model(self): return self._model`: the getter runs on
        the instance's attributes; what it returns, when every path returns the same value."""
        returned = self.run_method(prop.getter, [], {})  # type: ignore[attr-defined]
        if not returned or any(value is not returned[0] for value in returned):
            return UNKNOWN
        return returned[0]

    def plain_methods(self) -> set[int]:
        """The function nodes that run as methods of a plain class's instance."""
        return {id(m.function.node) for cls in self.plain_classes for m in _runnable(cls).values()}

    def run_uncalled_methods(self, done: set[int]) -> bool:
        """The methods of plain classes nothing called, on the class's last instance (one made
        with unknown arguments if the file made none), `__init__` first; whether any ran."""
        # methods another module defines are read when this file calls them; left alone, they
        # are that module's, linted as its own file
        called: set[int] = self.called | self.imported_defs  # type: ignore[attr-defined]
        ran = False
        for cls in self.plain_classes:
            methods = _runnable(cls)
            attrs: Optional[dict[str, Any]] = self.plain_instances.get(id(cls.node))
            pending = [n for n in methods_in_order(cls)
                       if n in methods and id(methods[n].function.node) not in called | done]  # fmt: skip
            if not pending:
                continue
            policy = self.policy  # called at some time by code outside the file (a tuner, a
            if any(m.function.policy != policy for m in methods.values()):  # framework): if the dtype
                self.policy = None  # policy changed since, which one applies is unknown
            try:
                if attrs is None:
                    where = Span(cls.node.lineno, cls.node.lineno)
                    attrs = self.plain_instance(cls, [], {}, where, unknown=True).instance or {}
                for name in pending:
                    method = attrs.get(name, _unbound(methods[name], attrs))
                    if isinstance(method, Bound) and id(method.function.node) not in called | done:
                        done.add(id(method.function.node))
                        ran = True
                        self.run_method(method, [], {}, unknown=True)  # type: ignore[attr-defined]
            finally:
                self.policy = policy
        return ran


def _bound(cls: LocalClass) -> dict[str, Bound]:
    """The methods an instance of `cls` has, by name (instance_attrs without the instance)."""
    holder: dict[str, Any] = {}
    instance_attrs(cls, holder)
    return {name: m for name, m in holder.items() if isinstance(m, Bound)}


def _class_function(cls: LocalClass, name: str) -> tuple[Optional[Function], list[Any]]:
    """The function `cls.name(...)` calls and the arguments put before the call's own: none for
    a staticmethod or an undecorated function, the class for a classmethod; (None, []) for a
    property or any other decorator."""
    fn = find_method(cls, name)
    decorators = _decorators(fn) if fn is not None else set()
    if fn is None or not decorators <= {"staticmethod", "classmethod"} or len(decorators) > 1:
        return None, []
    return fn, ([cls] if decorators == {"classmethod"} else [])


def _runnable(cls: LocalClass) -> dict[str, Bound]:
    """The methods that run on an instance when nothing calls them: its bound ones, and those
    under a decorator of another kind (a test framework's `@pytest.mark...`, `@tf.function`,
    `@property`): whatever the decorator makes of the function, its body runs with `self` the
    instance. A call from the code does not bind them (the decorator may change what it returns);
    a staticmethod or classmethod has no instance."""
    found: dict[str, Bound] = {}
    for name in methods_in_order(cls):
        method = find_bound(cls, name, None)  # the nearest definition, as Python resolves it
        decorators = _decorators(method.function) if method is not None else set()
        if method is not None and decorators and not decorators & {"staticmethod", "classmethod"}:
            found[name] = method
    return {**found, **_bound(cls)}


def _unbound(method: Bound, attrs: dict[str, Any]) -> Any:
    """A decorated method (`_runnable`, bound to no instance) bound to `attrs`; else None."""
    return Bound(method.function, attrs, method.owner) if method.attrs is None else None


def _method_of(receiver: Any, name: str) -> Any:
    if isinstance(receiver, Layer) and receiver.instance is not None:
        method = receiver.instance.get(name)
        if isinstance(method, (Bound, Function)):
            return method
    return None
