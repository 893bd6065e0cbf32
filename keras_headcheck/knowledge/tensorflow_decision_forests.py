"""tensorflow_decision_forests: `tfdf.keras.*Model` is a tree ensemble wrapped as a Keras model.

It has no output layer and no compiled loss: its learner (gradient boosted trees, random forest,
CART...) grows the trees from the data in one pass of `fit`, and `compile` takes only `metrics`
and `weighted_metrics` (`tensorflow_decision_forests/keras/core.py`, `CoreModel.compile`). So
the head rules (an activation against a loss) do not apply to it: it is reported (HC901) saying
so, never counted as checked. tensorflow_decision_forests is not installed here: read from its
source.
"""

from __future__ import annotations

from typing import Any, Optional

from .heads import Unsupported

LIBRARY = "tensorflow_decision_forests.keras"
PREFIXES = ("tensorflow_decision_forests.keras.", "tensorflow_decision_forests.")
WHY = (
    "a decision forest: its learner grows trees from the data, with no output layer and no "
    "compiled loss, so the head rules do not apply to it"
)


def _lookup(name: str) -> Optional[Unsupported]:
    if name.endswith("Model") and name[:1].isupper():  # RandomForestModel, CartModel, CoreModel...
        return Unsupported(LIBRARY, name, WHY)
    return None


def from_call(
    constructor: str, factory: Optional[str], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Optional[Unsupported]:
    if not constructor.startswith(PREFIXES):
        return None
    return _lookup(constructor.rsplit(".", 1)[-1])


def from_config(class_name: str, module: str, config: dict[str, Any]) -> Optional[Unsupported]:
    return _lookup(class_name) if module.startswith("tensorflow_decision_forests") else None
