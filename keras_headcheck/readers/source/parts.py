"""Functional models whose outputs another model is built on: parts of that model (RULES.md).

`encoder = keras.Model(inputs, code)` and then `autoencoder = keras.Model(inputs, decode(code))`,
or `keras.Model(base.input, Dense(3)(base.output))`: the first model is not called as a layer
(which marks it nested where the call is read), yet it is only used inside the second. Its
output is a hidden block of the model that is trained (a sigmoid feature layer followed by
BatchNormalization is no head), so, like a model called as a layer, it is checked as part of
that model unless it is trained by itself. Only a model never compiled is taken for a part: a
compiled one may be meant to train on its own (several models built on one graph, each compiled).
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from .unknowns import Choice
from .values import Layer, Model, Tensor

MAX_TENSORS = 100_000  # a walk bound: a source's graphs are far smaller


def mark_parts(models: Iterable[Model]) -> None:
    """Mark nested every functional model, never compiled, one of whose outputs another model is
    computed from."""
    functional = [m for m in models if m.kind == "functional" and m.outputs is not None]
    if len(functional) < 2:
        return
    produced: dict[tuple[int, int, int], list[Model]] = {}
    for model in functional:
        for tensor in _tensors(model.outputs):
            if not _model_input(tensor):  # an input passed on is computed by no part
                produced.setdefault(_key(tensor), []).append(model)
    for model in functional:
        own = {_key(t) for t in _tensors(model.outputs)}  # a model sharing an output is no part
        for key in _ancestors(model) - own:
            for part in produced.get(key, ()):
                if part is not model and not part.compiles:
                    part.nested = True


def _model_input(tensor: Tensor) -> bool:
    return isinstance(tensor.source, Layer) and tensor.source.class_name == "InputLayer"


def _key(tensor: Tensor) -> tuple[int, int, int]:
    return (id(tensor.source), tensor.node, tensor.index)


def _tensors(value: Any) -> Iterator[Tensor]:
    """The tensors of an `outputs=` value: one, or a list, tuple or dict of them."""
    if isinstance(value, Tensor):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _tensors(item)
    elif isinstance(value, Choice):  # outputs a run-time test chooses: either may be the part
        yield from _tensors(value.when_true)
        yield from _tensors(value.when_false)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _tensors(item)


def _ancestors(model: Model) -> set[tuple[int, int, int]]:
    """Every tensor `model`'s outputs are computed from, the outputs included."""
    seen: set[tuple[int, int, int]] = set()
    stack = list(_tensors(model.outputs))
    while stack and len(seen) < MAX_TENSORS:
        tensor = stack.pop()
        key = _key(tensor)
        if key in seen:
            continue
        seen.add(key)
        nodes = getattr(tensor.source, "nodes", None)
        if isinstance(nodes, list) and 0 <= tensor.node < len(nodes):
            stack.extend(_tensors(nodes[tensor.node][0]))
    return seen
