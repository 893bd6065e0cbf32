"""The operands of a merge (readers/merges.py), each as its own head reads it: the activation
its values come from, or why that is not known; a model input passed on; and the source reader's
operands that are no layer's output (readers/source/weights.py): a trainable weight, and a Python
number (its config's "value")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ..head import ACTIVATION_RANGES, WEIGHTED, Head

SOURCE_WEIGHT = "trainable weight"
SOURCE_CONSTANT = "constant"
# Layers after which an operand's activation axis no longer names the axis it had (graph.py's).
AXIS_MOVING = frozenset(
    {"Permute", "Reshape", "Flatten", "Transpose", "RepeatVector", "TFOpLambda"}
)


@dataclass(frozen=True)
class Operand:
    """One input of a merge, as its own head reads: its activation, or why it is not known."""

    name: str
    activation: Optional[str] = None
    axis: Optional[int] = None  # the activation's axis (None: not placed), with the rank below
    rank: Optional[int] = None
    why: str = ""
    final: Optional[str] = None  # the layer whose activation it is
    walked: frozenset[str] = frozenset()  # layers its values come from unchanged or value by value
    root: Optional[tuple[str, str]] = None  # an unknown merge under it: the one failing, and why
    given: bool = False  # a model input passed on: finite values, of a range not known
    weight: bool = False  # a trainable weight (source code): finite values, of a range not known
    value: Optional[float] = None  # a Python number (source code)

    @property
    def range(self) -> tuple[float, float]:
        if self.value is not None:
            return self.value, self.value
        return ACTIVATION_RANGES[self.activation or "linear"]

    @property
    def known(self) -> bool:
        return self.activation is not None or self.value is not None

    @property
    def shown(self) -> str:
        if self.value is not None:
            return f"`{self.value:g}`"
        if self.weight:
            return f"the weight `{self.name}`"
        return f"`{self.name}` ({self.activation})" if self.activation else f"`{self.name}`"


def operand(graph: Any, key: int) -> Operand:
    """Operand `key` of a merge in `graph` (graph.py's walk, with the merges it has read)."""
    node = graph.nodes[key]
    if node.class_name == SOURCE_WEIGHT:
        return Operand(node.name, weight=True,
                       why=f"its operand `{node.name}` is a weight, whose values are not known")
    value = node.config.get("value") if node.class_name == SOURCE_CONSTANT else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
        return Operand(node.name, value=float(value))
    chain = graph.chain(key)
    head = Head(output=graph.nodes[key].name, chain=chain)
    final, name = head.final, graph.nodes[key].name
    if final is not None and final.activation in ACTIVATION_RANGES:
        index = chain.index(final)
        moved = any(link.class_name in AXIS_MOVING for link in chain[:index])
        rank = None if moved or not final.shape else len(final.shape)
        axis = None if moved else (final.axis if final.axis is not None else -1)
        # up to its final layer, and for a pure activation the layers it is applied to (a
        # weighted layer's inputs are not its values)
        upto = index + 1 if final.role == WEIGHTED else len(chain)
        walked = frozenset(link.name for link in chain[:upto])
        return Operand(name, final.activation, axis, rank, final=final.name, walked=walked)
    unknown, given = head.unknown, head.passed_input
    if unknown is not None and unknown.name in graph.merges.why:  # a merge under this one
        root, why = graph.merges.why[unknown.name]
        where = f": {why}" if root == unknown.name else f" (in `{root}`, {why})"
        return Operand(name, why=f"its operand `{unknown.name}` is not known{where}",
                       root=(root, why))
    if unknown is not None:
        why = f"its operand `{unknown.name}` ({unknown.class_name}) cannot be interpreted"
    elif given is not None:
        why = f"its operand `{given.name}` is a model input, whose values are not known"
        return Operand(name, why=why, given=True)
    else:
        why = f"the head of its operand `{name}` is not known"
    return Operand(name, why=why)
