"""Heads that end in a merge of tensors: `Dot(axes=1)([user, item])`, `x + dense(x)`, `Add`,
`Multiply`, `Concatenate`... and the same ops as Keras 3 (`keras.src.ops.numpy.Add`), tf_keras
(`TFOpLambda` `__operators__.add`, `math.multiply`) and the source reader ("+ on tensors") save
them.

Each operand's own head is read (graph.py's walk, from that operand back), and the merged values
are given a kind only when it is certain, as Keras computes the merge (keras/src/layers/merging):
- a sum, difference, maximum, minimum, product or unnormalised dot product whose value range,
  from the operands' activation ranges, is unbounded both ways is a linear output (logits);
- an average of operands with one activation keeps it (a mean of softmaxes is a distribution), and
  so do a maximum or minimum of one elementwise activation, and a concatenation of one activation
  (for a softmax, only along another axis than the one it normalises);
- a model input plus an unbounded output (`inputs + delta`, a residual forecast) is linear too;
- in source code, a tensor times a trainable weight (`x @ self.w`, `tf.matmul(x, w)`: the source
  reader's "@ on tensors") is an affine map, linear whatever the tensor was, and so is a tensor
  times a weight elementwise (`self.w * x`: the weight takes either sign); a weight added to an
  unbounded output (a bias) keeps it unbounded, as a model input does; a Python number is an
  operand whose range is that number (`logits / 2.0` stays linear, `softmax * 2.0` is bounded);
- anything else (an operand that is unknown, a model input or a weight beside bounded operands, a
  matrix product of two tensors, a bounded combination such as
  sigmoid * sigmoid, a cosine `Dot(normalize=True)`, a value multiplied by itself) is unknown, and
  the link's class says which merge and why, for HC901.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional, Protocol, Sequence

from ..head import INF, NORMALISED_ACTIVATIONS, UNKNOWN, WEIGHTED, Link
from .operands import Operand, operand

Shape = Optional[tuple[Optional[int], ...]]
MAX_DEPTH = 64  # merges of merges read before giving up (a deep residual stack)

# Keras merge layers (Keras 3 and tf_keras, any module of theirs or none in a legacy `.h5`).
LAYERS = {
    "Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Average": "average",
    "Maximum": "maximum", "Minimum": "minimum", "Concatenate": "concatenate", "Dot": "dot",
}
# Keras 3 ops on two tensors (`x + y` on KerasTensors); ops.average/dot/concatenate mean other
# things (a weighted mean along an axis, a matrix product, axis 0 by default), so are not here.
OPS = {"Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Maximum": "maximum",
       "Minimum": "minimum"}
# tf_keras TFOpLambda functions (their last dotted part) and the source reader's operators.
TF_FUNCTIONS = {"add": "add", "add_v2": "add", "bias_add": "add", "subtract": "subtract",
                "multiply": "multiply", "maximum": "maximum", "minimum": "minimum"}
SOURCE_OPERATORS = {"+ on tensors": "add", "- on tensors": "subtract", "* on tensors": "multiply",
                    "/ on tensors": "divide", "@ on tensors": "matmul"}
KERAS_MODULES = ("keras", "tf_keras", "tensorflow")

WORDS = {"add": "sum", "subtract": "difference", "multiply": "product", "average": "average",
         "maximum": "maximum", "minimum": "minimum", "concatenate": "concatenation",
         "dot": "dot product", "divide": "quotient", "matmul": "matrix product"}
# Activations computed over an axis rather than value by value.
AXIS_ACTIVATIONS = NORMALISED_ACTIVATIONS | {"log_softmax", "glu"}


class Read:
    """What one graph's walk has read of its merges: each merge node once (a residual stack
    shares them), the reason for each one left unknown, and how deep the reading is."""

    def __init__(self) -> None:
        self.links: dict[int, Link] = {}
        # unknown merge links by name: the merge whose reading failed first and why (its own
        # name and reason, or those of a merge under it)
        self.why: dict[str, tuple[str, str]] = {}
        self.depth = 0


class Walk(Protocol):
    nodes: list[Any]
    merges: Read

    def chain(self, key: int) -> tuple[Link, ...]: ...


def operation(class_name: str, module: Optional[str], config: dict[str, Any]) -> Optional[str]:
    """The merge a layer computes ("add", "dot"...), or None when it is not one we know."""
    if class_name in SOURCE_OPERATORS:
        return SOURCE_OPERATORS[class_name]
    if class_name == "TFOpLambda":
        return TF_FUNCTIONS.get(str(config.get("function", "")).rsplit(".", 1)[-1])
    if module is not None and not module.startswith(KERAS_MODULES):
        return None  # a user's class, whatever it is called
    if module is not None and module.startswith(("keras.src.ops", "keras.ops")):
        return OPS.get(class_name)
    return LAYERS.get(class_name)


def read(graph: Walk, key: int, plain: Link, op: str) -> Link:
    """The link of merge node `key`: the merged values' kind when certain, else `plain` made
    unknown with the reason in its class."""
    read = graph.merges
    if key in read.links:
        return read.links[key]
    node = graph.nodes[key]
    operands: list[Operand] = []
    if read.depth >= MAX_DEPTH:
        kind, axis, why = None, None, f"merges nested more than {MAX_DEPTH} deep"
    else:
        read.depth += 1
        try:
            operands = [operand(graph, i) for i in node.inputs]
        finally:
            read.depth -= 1
        kind, axis, why = _combine(op, node.config, operands, _same(graph, node.inputs))
    if kind is not None:
        link = replace(plain, role=WEIGHTED, activation=kind, axis=axis)
    else:
        link = replace(plain, role=UNKNOWN, activation=None, axis=None,
                       class_name=f"{plain.class_name}: {why}")
        inner = next((o.root for o in operands if o.root and o.why == why), None)
        read.why[link.name] = inner or (link.name, why)
    read.links[key] = link
    return link


def _same(graph: Walk, keys: Sequence[int]) -> bool:
    """Whether two operands are one value: one tensor twice, or one layer called on the same
    inputs."""
    seen = set()
    for key in keys:
        node = graph.nodes[key]
        value = (node.name.split("#")[0], tuple(node.inputs)) if node.inputs else (key,)
        if value in seen:
            return True
        seen.add(value)
    return False


def _combine(op: str, config: dict[str, Any], operands: list[Operand], same: bool
             ) -> tuple[Optional[str], Optional[int], str]:
    """(activation, axis, why not) of the merged values."""
    named = [o.shown for o in operands]
    words = f"the {WORDS[op]} of " + ", ".join(named[:-1]) + f" and {named[-1]}"
    if op == "matmul":
        return _affine(operands, words)
    if _residual(op, operands) or _scaled_by_weight(op, operands):
        return "linear", None, ""
    unknown = next((o for o in operands if not (o.known or o.weight or o.given)), None)
    if unknown is None and any(o.weight for o in operands):
        return None, None, (f"{words} is not a head the rules know: a weight's values are not "
                            "known (a weight is read added to an unbounded output, as a bias)")
    unknown = unknown or next((o for o in operands if not o.known), None)
    if unknown is not None:
        return None, None, unknown.why
    if op == "divide" and not _divisor(operands):
        return None, None, (f"{words} is not a head the rules know: its divisor is not a number "
                            "other than 0")
    acts = sorted({str(o.activation) for o in operands if o.value is None})
    if same and op in ("subtract", "multiply", "dot"):
        return None, None, f"{words} takes one value twice, so it is not a head the rules know"
    if op == "dot" and config.get("normalize"):
        return None, None, (f"{words} is normalised (a cosine similarity in [-1, 1]), which is "
                            "not a head the rules know")
    numbers = any(o.value is not None for o in operands)
    if len(acts) == 1 and not numbers and op in ("average", "concatenate", "maximum", "minimum"):
        axis = _kept(op, acts[0], config, operands)
        if axis is not None:
            return acts[0], axis[0], ""
    if op == "concatenate":
        what = "mixes activations" if len(acts) > 1 else f"is not one {acts[0]} along its axis"
        return None, None, f"{words} {what}, so it is not a head the rules know"
    if _related(operands):  # x * sigmoid(x) is a silu, x - relu(x) is min(x, 0): no range rule
        return None, None, (f"{words} is not a head the rules know: one operand is computed "
                            "from another")
    low, high = _range(op, operands) or (None, None)
    if (low, high) == (-INF, INF):
        return "linear", None, ""
    where = f"lies in [{_bound(low)}, {_bound(high)}]" if low is not None else "is bounded"
    return None, None, f"{words} {where}, which is not a head the rules know"


def _affine(operands: list[Operand], words: str) -> tuple[Optional[str], Optional[int], str]:
    """A tensor times a trainable weight, `x @ w`: an affine map, whose values are unbounded
    whatever the tensor's were (the weight is learned). Anything else is not read."""
    if len(operands) == 2 and operands[1].weight and not operands[0].weight:
        return "linear", None, ""
    if not any(o.weight for o in operands):
        return None, None, (f"{words} is not a head the rules know: neither operand is a weight, "
                            "so it is not an affine map")
    return None, None, (f"{words} is not a head the rules know: only a tensor times a weight is "
                        "read as an affine map")


def _divisor(operands: list[Operand]) -> bool:
    """Whether a quotient divides by a number other than 0 (`logits / temperature`)."""
    return len(operands) == 2 and operands[1].value not in (None, 0.0)


def _residual(op: str, operands: list[Operand]) -> bool:
    """A model input or a weight plus (or minus, or averaged with) an unbounded output, `inputs +
    delta`, `x @ w + b`: their values are finite, whatever their range, so the sum is unbounded
    both ways."""
    known = [o for o in operands if o.known]
    return (op in ("add", "subtract", "average") and len(known) < len(operands)
            and all(o.given or o.weight for o in operands if not o.known)
            and any(o.range == (-INF, INF) for o in known) and not _related(operands))


def _scaled_by_weight(op: str, operands: list[Operand]) -> bool:
    """A tensor times a trainable weight elementwise, `self.w * x` (a linear model's slope): the
    weight is learned with either sign, so the product is unbounded both ways, whatever the
    tensor's range was."""
    weights = [o for o in operands if o.weight]
    others = [o for o in operands if not o.weight]
    return (op == "multiply" and len(weights) == 1 and len(others) == 1
            and (others[0].known or others[0].given) and others[0].value is None)


def _related(operands: list[Operand]) -> bool:
    """Whether an operand's head was read through another operand's final layer, so their values
    move together and the operands' ranges do not bound the merge's."""
    return any(a is not b and a.final is not None and a.final in b.walked
               for a in operands for b in operands)


def _kept(op: str, act: str, config: dict[str, Any], operands: list[Operand]
          ) -> Optional[tuple[Optional[int]]]:
    """(axis,) of an activation shared by every operand that the merge keeps, or None."""
    if act not in AXIS_ACTIVATIONS:
        return (None,)
    if op in ("maximum", "minimum") or any(o.axis is None or o.rank is None for o in operands):
        return None  # a maximum of two distributions is none; an axis we cannot place
    axes = {o.axis % o.rank for o in operands}  # type: ignore[operator]
    ranks = {o.rank for o in operands}
    if len(axes) != 1 or len(ranks) != 1:
        return None
    axis = operands[0].axis
    if op == "concatenate":
        along = config.get("axis", -1)
        rank = next(iter(ranks))
        if not isinstance(along, int) or along % rank in axes:  # type: ignore[operator]
            return None  # side by side along the softmax axis: no longer one distribution
    return (axis,)


def _range(op: str, operands: list[Operand]) -> Optional[tuple[float, float]]:
    """The merged values' range from the operands', as Keras computes the merge (None: no range
    rule for this merge)."""
    ranges = [o.range for o in operands]
    if op in ("add", "average"):  # an average is the sum over n: unbounded where the sum is
        n = len(ranges) if op == "average" else 1
        return sum(r[0] for r in ranges) / n, sum(r[1] for r in ranges) / n
    if op == "subtract" and len(ranges) == 2:
        return ranges[0][0] - ranges[1][1], ranges[0][1] - ranges[1][0]
    if op == "divide" and _divisor(operands):
        return _product(ranges[0], (1 / ranges[1][0], 1 / ranges[1][0]))
    if op == "maximum":
        return max(r[0] for r in ranges), max(r[1] for r in ranges)
    if op == "minimum":
        return min(r[0] for r in ranges), min(r[1] for r in ranges)
    if op in ("multiply", "dot"):
        low, high = ranges[0]
        for other in ranges[1:]:
            low, high = _product((low, high), other)
        if op == "dot" and (low, high) != (-INF, INF):
            return None  # a sum over the axis of bounded products: its bound needs the axis size
        return low, high
    return None


def _product(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """Interval product, with 0 * inf = 0 (a factor that can be 0 gives 0 there, not NaN)."""
    values = [0.0 if 0.0 in (x, y) else x * y for x in a for y in b]
    return min(values), max(values)


def _bound(value: Optional[float]) -> str:
    return "-inf" if value == -INF else "inf" if value == INF else f"{value:g}"
