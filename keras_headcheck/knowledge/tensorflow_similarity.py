"""tensorflow_similarity: metric-learning models, whose outputs are embeddings.

`tfsim.models.SimilarityModel(inputs, outputs)` is a functional model whose output is usually a
`tfsim.layers.MetricEmbedding` (a Dense then an L2 normalisation) trained with a metric-learning
loss (`MultiSimilarityLoss`, `TripletLoss`...); `ContrastiveModel(backbone, projector,
predictor, algorithm=...)` trains its backbone in its own `train_step`, applying the loss to
projections. Neither has a class or regression head for the rules to check: reported (HC901)
saying so. tensorflow_similarity is not installed here: read from its source
(`tensorflow_similarity/models/similarity_model.py`, `contrastive_model.py`).
"""

from __future__ import annotations

from typing import Any, Optional

from .heads import Unsupported

LIBRARY = "tensorflow_similarity.models"
WHY = {
    "SimilarityModel": "a metric-learning model: it outputs embeddings for a similarity loss, "
    "which the head rules do not cover",
    "ContrastiveModel": "a self-supervised trainer: its own train_step applies the contrastive "
    "loss to the projector's outputs, not to a head the rules could check",
}


# Layers whose call() returns its input unchanged: ActivationStdLoggingLayer logs the std of the
# activations with add_metric and ends in `return inputs  # Pass-through layer.` (layers.py).
PASS_THROUGH_LAYERS = frozenset({"ActivationStdLoggingLayer"})


def passes_through(path: str) -> bool:
    """Whether `path` names a tensorflow_similarity layer that passes its input on unchanged."""
    name = path.rsplit(".", 1)[-1]
    return path.startswith("tensorflow_similarity.") and name in PASS_THROUGH_LAYERS


def _lookup(name: str) -> Optional[Unsupported]:
    if name in WHY:
        return Unsupported(LIBRARY, name, WHY[name])
    if name[:1].isupper() and name.endswith("Model"):
        return Unsupported(LIBRARY, name, "not in keras-headcheck's tensorflow_similarity table")
    return None


def from_call(
    constructor: str, factory: Optional[str], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Optional[Unsupported]:
    if not constructor.startswith("tensorflow_similarity."):
        return None
    return _lookup(constructor.rsplit(".", 1)[-1])


def from_config(class_name: str, module: str, config: dict[str, Any]) -> Optional[Unsupported]:
    return _lookup(class_name) if module.startswith("tensorflow_similarity") else None
