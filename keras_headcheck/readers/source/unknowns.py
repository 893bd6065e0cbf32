"""Values only known at run time that still say something: a parameter of a function nothing in
the file calls (Given), a name nothing read binds (Unbound), and one of two values a run-time
test chooses between (Choice).

A Choice is what `if num_classes == 2: activation = "sigmoid" else: activation = "softmax"`
leaves in `activation`. Everything that does not know Choice reads it as unknown; a layer's
config and a compile's loss keep it (`per_choice`), and a model whose head depends on one test
is checked once per outcome of that test (`conditions`, `resolve`): the same test written in
the builder and in the script that compiles (Google's text classification guide) chooses the
activation, the units and the loss together.
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Optional

from .values import UNKNOWN, KerasObject, Layer, Model, Ref, Tensor, Unknown

MAX_CONDITIONS = 1  # a model's head is checked per outcome of at most this many tests


class Given(Unknown):
    """A parameter of a function nothing in the file calls (it is read with its arguments
    unknown): unknown, but a model compiled or built from it can say where it came from."""

    __slots__ = ("name", "function")

    def __init__(self, name: str, function: str) -> None:
        self.name, self.function = name, function

    @property
    def why(self) -> str:
        return (f"`{self.name}`, a parameter of `{self.function}`, which nothing in this file "
                "calls: its models are checked where a linted script calls it")


class Unbound(Unknown):
    """A name nothing read before its use binds (a notebook's cells run out of order, a
    variable of another function): unknown, and a model built from it says so."""

    __slots__ = ("name", "skipped")

    def __init__(self, name: str, skipped: bool = False) -> None:
        self.name, self.skipped = name, skipped  # skipped: parts of the file were not read

    @property
    def why(self) -> str:
        may = "; a part skipped as not valid Python (HC903) may" if self.skipped else ""
        return f"`{self.name}`, which no code read before this line assigns{may}"


def explained(value: Any) -> str:
    """Why an unknown value is unknown, when it can say (a Given or an Unbound); else ""."""
    return value.why if isinstance(value, (Given, Unbound)) else ""


class Choice(Unknown):
    """`when_true` or `when_false`, as the test `condition` (its source text) turns out;
    `fallback` is what stands for it when the test is not followed."""

    __slots__ = ("condition", "when_true", "when_false", "fallback")

    def __init__(self, condition: str, when_true: Any, when_false: Any, fallback: Any) -> None:
        self.condition, self.when_true, self.when_false = condition, when_true, when_false
        self.fallback = fallback

    def __repr__(self) -> str:
        return f"Choice({self.condition!r}, {self.when_true!r}, {self.when_false!r})"


def _choosable(value: Any) -> bool:
    """A value a Choice may hold: a constant, a name of Keras's, a loss or metric instance, an
    unknown, a tensor, a list of tensors (a model's outputs) or of metrics; not layers or
    models, which a branch changes in place."""
    if isinstance(value, (list, tuple)):
        return bool(value) and (all(isinstance(item, Tensor) for item in value) or all(
            isinstance(item, (str, Ref, KerasObject)) for item in value))
    return value is None or isinstance(value, (str, int, float, Ref, Tensor, KerasObject)) or (
        isinstance(value, Unknown) and not isinstance(value, Choice))


def test_text(test: ast.expr) -> tuple[str, bool]:
    """The text naming a test, and whether it is negated (`not binary` is `binary`, reversed)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        text, negated = test_text(test.operand)
        return text, not negated
    return ast.unparse(test), False


def choose(test: Optional[ast.expr], when_true: Any, when_false: Any) -> Any:
    """What a name holds after a run-time test chose between two values: a Choice when the test
    and both values are plain enough to check per outcome, else UNKNOWN."""
    if test is None:
        return UNKNOWN
    condition, negated = test_text(test)
    if negated:
        when_true, when_false = when_false, when_true
    when_true, when_false = _same_test(when_true, condition, True), _same_test(
        when_false, condition, False)
    if _models(when_true) and _models(when_false):  # two models: compiled and trained alike
        return Choice(condition, when_true, when_false, UNKNOWN)
    if not (_choosable(when_true) and _choosable(when_false)) or all(
        isinstance(v, Unknown) for v in (when_true, when_false)):
        return UNKNOWN
    return Choice(condition, when_true, when_false, UNKNOWN)


def _same_test(value: Any, condition: str, outcome: bool) -> Any:
    """A value chosen by the same test again, on the side this outcome takes."""
    if isinstance(value, Choice) and value.condition == condition:
        return value.when_true if outcome else value.when_false
    return value


def _models(value: Any) -> bool:
    return isinstance(value, Model) or isinstance(value, Choice) and _models(
        value.when_true) and _models(value.when_false)


def chosen_models(value: Any) -> list[Model]:
    """The models a test chose between (`if kind == "vgg": model = VGG16(...)` then `if kind ==
    "resnet": ...`), each of which `model.compile(...)` and `model.fit(...)` then apply to; []
    for any other value."""
    if not (isinstance(value, Choice) and _models(value)):
        return []
    found: list[Model] = []
    for side in (value.when_true, value.when_false):
        for model in chosen_models(side) if isinstance(side, Choice) else [side]:
            if all(model is not m for m in found):
                found.append(model)
    return found


def per_choice(convert: Callable[[Any], Any], value: Any) -> Any:
    """`convert(value)`, kept per outcome when `value` is a Choice."""
    if isinstance(value, Choice):
        return Choice(value.condition, convert(value.when_true), convert(value.when_false),
                      convert(UNKNOWN))  # fmt: skip
    return convert(value)


def conditions(*values: Any) -> list[str]:
    """The tests the Choices in `values` (configs, lists, layers' configs) depend on."""
    found: dict[str, None] = {}
    stack, seen = list(values), set()
    while stack:
        value = stack.pop()
        if isinstance(value, Choice):
            found[value.condition] = None
            stack += [value.when_true, value.when_false]
        elif isinstance(value, (dict, list, tuple, Layer)) and id(value) not in seen:
            seen.add(id(value))
            items = value.config if isinstance(value, Layer) else value
            stack += list(items.values() if isinstance(items, dict) else items)
    return list(found)


def resolve(value: Any, world: dict[str, bool]) -> Any:
    """`value` with each Choice replaced by the side `world` takes, or by its fallback when the
    world does not decide its test; the same object when nothing in it was a Choice."""
    if isinstance(value, Choice):
        if value.condition not in world:
            return value.fallback
        return resolve(value.when_true if world[value.condition] else value.when_false, world)
    if isinstance(value, dict):
        items = {key: resolve(item, world) for key, item in value.items()}
        return value if all(items[k] is v for k, v in value.items()) else items
    if isinstance(value, (list, tuple)):
        resolved = [resolve(item, world) for item in value]
        if all(a is b for a, b in zip(resolved, value)):
            return value
        return resolved if isinstance(value, list) else tuple(resolved)
    return value
