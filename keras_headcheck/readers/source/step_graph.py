"""Walks back the graph of the tensors a step run computes (step_forward.py, step_applied.py):
whether a value is computed from another, and by which layers."""

from __future__ import annotations

from typing import Any

from .values import Layer, Model, Tensor

MAX_WALK = 10_000  # graph nodes walked back from a value
NOT_LAYERS = frozenset({"InputLayer", "TFOpLambda"})
SHAPE_ONLY = frozenset({"shape", "normal", "uniform", "zeros", "ones", "fill", "size", "rank"})


def layers_of(value: Any) -> set[int]:
    """The layers and models (not ops) `value` is computed by, as ids; an op that reads only the
    shape of its input (`tf.random.normal(tf.shape(x))`, `tf.zeros_like(x)`) does not carry its
    values, so what feeds it is not followed."""
    found: set[int] = set()

    def layer(tensor: Tensor) -> bool:
        source = tensor.source
        op = isinstance(source, Layer) and (
            source.module == "<unknown>" or source.class_name in NOT_LAYERS)
        if isinstance(source, (Layer, Model)) and not op:
            found.add(id(source))
        return False

    reaches(value, layer, stop=shape_only)
    return found


def shape_only(tensor: Tensor) -> bool:
    source = tensor.source
    if not (isinstance(source, Layer) and source.class_name == "TFOpLambda"):
        return False
    function = str(source.config.get("function", "")).rsplit(".", 1)[-1]
    return function in SHAPE_ONLY or function.endswith("_like") or "random" in str(
        source.config.get("function", ""))


def reaches(value: Any, goal: Any, stop: Any = None) -> bool:
    """Whether a tensor in `value` is computed from one `goal` accepts (walking back its graph,
    not past a tensor `stop` accepts)."""
    stack, seen = [value], set()
    for _ in range(MAX_WALK):
        if not stack:
            break
        item = stack.pop()
        if id(item) in seen:
            continue
        if isinstance(item, (list, tuple, dict)):
            seen.add(id(item))  # (a list holding itself is walked once)
            stack.extend(item.values() if isinstance(item, dict) else item)
            continue
        if not isinstance(item, Tensor):
            continue
        seen.add(id(item))
        if goal(item):
            return True
        if stop is not None and stop(item):
            continue
        nodes = getattr(item.source, "nodes", [])
        if 0 <= item.node < len(nodes):
            inputs, kwargs = nodes[item.node]
            stack.extend(inputs)
            stack.extend(v for v in kwargs.values() if isinstance(v, (Tensor, list, tuple)))
    return False
