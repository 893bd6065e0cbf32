"""A known loss a train_step applies to an activation of a sub-model's output (a distiller's
`kl_divergence(soft_teacher, tf.nn.softmax(student(x) / temperature))`): the output the loss sees
is that activation on top of the sub-model's head, so the sub-model is checked as a functional
model ending in it (a view), the way the graph reader reads a Softmax layer after a model.

The activation is read as the graph reader reads any op on a tensor (layers.activation_of); a
division or product by a value no layer computes (a temperature) keeps logits logits, and only
that is walked through: anything else between the activation and the output is not a view.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ...head import ACTIVATION
from ..layers import activation_of
from .step_graph import layers_of, reaches
from .values import Layer, Model, Span, Tensor

SCALES = frozenset({"/ on tensors", "* on tensors"})
Raw = Callable[[Any], Any]  # step_applied._raw over the run's sub-models


def view_of(value: Any, raw: Raw) -> Optional[str]:
    """The sub-model attribute whose raw output, scaled by a constant or not, `value` is an
    activation of; None otherwise."""
    inner = _activated(value)
    while isinstance(inner, Tensor):
        found = raw(inner)
        if isinstance(found, str):
            return found
        inner = _scaled(inner)
    return None


def _activated(value: Any) -> Optional[Tensor]:
    """The one input of the activation op `value` is, or None."""
    if not (isinstance(value, Tensor) and isinstance(value.source, Layer)):
        return None
    source = value.source
    if not 0 <= value.node < len(source.nodes):
        return None
    inputs, kwargs = source.nodes[value.node]
    config = source.config if isinstance(source.config, dict) else {}
    if len(inputs) != 1 or not isinstance(inputs[0], Tensor):
        return None
    role = activation_of(source.class_name, source.module, config, kwargs)[0]
    return inputs[0] if role == ACTIVATION else None


def _scaled(value: Tensor) -> Optional[Tensor]:
    """`x / t` or `x * t` with `t` computed by no layer: `x`; else None."""
    source = value.source
    if not (isinstance(source, Layer) and source.class_name in SCALES):
        return None
    if not 0 <= value.node < len(source.nodes):
        return None
    inputs = source.nodes[value.node][0]
    if len(inputs) != 2 or not isinstance(inputs[0], Tensor):
        return None
    other = inputs[1]
    if isinstance(other, Tensor) and (layers_of(other) or reaches(other, _model_output)):
        return None
    return inputs[0]


def _model_output(tensor: Tensor) -> bool:
    return isinstance(tensor.source, Model)


def keep_graph(value: Any) -> Callable[[], None]:
    """Before the step run is undone: a function that gives back the calls `value`'s graph was
    computed by, so that the view built on it after the undo can be read."""
    kept: dict[int, tuple[Any, list[Any]]] = {}

    def keep(tensor: Tensor) -> bool:
        nodes = getattr(tensor.source, "nodes", None)
        if isinstance(nodes, list) and id(tensor.source) not in kept:
            kept[id(tensor.source)] = (tensor.source, list(nodes))
        return False

    reaches(value, keep)

    def restore() -> None:
        for source, nodes in kept.values():
            source.nodes[len(source.nodes):] = nodes[len(source.nodes):]

    return restore


def view_model(value: Tensor, sub: Model, sources: list[Layer], span: Span) -> Model:
    """The functional model from the step's data to the activation the loss is applied to."""
    model = Model("functional", sub.name, span, outputs=value, what=sub.what)
    model.inputs = [Tensor(s, 0) for s in sources
                    if reaches(value, lambda t, s=s: t.source is s)]  # fmt: skip
    return model
