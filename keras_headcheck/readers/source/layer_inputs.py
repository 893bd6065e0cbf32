"""Which tensors a custom layer's call() takes as its inputs, and how a call of it maps onto them.

A custom layer is read once, when it is built (subclass.py): its `call()` runs on one symbolic
input per required positional parameter after `self` (`call(self, targets, logits)`: two, an
"endpoint layer"), so `LogisticEndpoint()(targets, logits)` connects both tensors in that order,
passed positionally or by name. `training`/`mask` are what Keras passes, not inputs.
"""

from __future__ import annotations

import ast
from typing import Any, Optional

from ..pass_through import in_place as statement_in_place
from ..pass_through import wrapped
from .values import UNKNOWN, Function, Layer, Model, Span, Tensor

NOT_INPUTS = frozenset({"training", "mask"})


def input_names(call: Function) -> list[str]:
    """The parameters of `call()` read as its input tensors: the required positional ones after
    `self`, at least the first."""
    spec = call.node.args
    params = spec.posonlyargs + spec.args
    required = [p.arg for p in params[1 : len(params) - len(spec.defaults)]]
    names = [p for p in required if p not in NOT_INPUTS]
    return names or [p.arg for p in params[1:2]] or ["inputs"]


def symbolic_inputs(count: int, where: Span) -> list[Layer]:
    """Input layers for one symbolic call of `call()`."""
    names = ["inputs"] + [f"inputs_{i}" for i in range(1, count)]  # distinct: refs go by name
    sources = [Layer("InputLayer", "keras.layers", {}, where, name) for name in names]
    for source in sources:
        source.nodes.append(([], {}))
    return sources


def passes_input(model: Model) -> bool:
    """A custom layer read as returning its input (`return inputs`)."""
    sources = [x.source for x in model.inputs or [] if isinstance(x, Tensor)]
    return isinstance(model.outputs, Tensor) and model.outputs.source in sources


def map_inputs(
    target: Any, args: list[Any], kwargs: dict[str, Any]
) -> Optional[tuple[list[Any], dict[str, Any]]]:
    """The call's arguments with a several-input layer's inputs gathered into the first, as a
    functional model takes them; None when what the call returns cannot be followed."""
    names = target.call_inputs if isinstance(target, Model) else []
    listed = bool(args) and isinstance(args[0], (list, tuple))
    if listed and len(names) == 1 and passes_input(target):
        return None  # `PassThrough()([a, b])` returns the list: not one tensor to follow
    if len(names) <= 1 or listed:
        return args, kwargs
    given = [args[i] if i < len(args) else kwargs.get(n, UNKNOWN) for i, n in enumerate(names)]
    rest = {k: v for k, v in kwargs.items() if k not in names}
    return [given, *args[len(names):]], rest



def in_place(call: Function) -> Optional[ast.AST]:
    """A statement of `call()` that may change a tensor in place (readers/pass_through.py): the
    interpreter does not follow such changes, so a call() with one is not read as a pass-through."""
    if wrapped(call.node):  # a decorator may change what it returns
        return call.node.decorator_list[0]
    return statement_in_place(call.node)
