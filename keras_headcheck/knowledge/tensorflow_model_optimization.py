"""tensorflow_model_optimization (tfmot): the functions that return the model they are given,
its layers wrapped for pruning, quantization-aware training or weight clustering.

`tfmot.sparsity.keras.prune_low_magnitude(model)` wraps each layer in `PruneLowMagnitude`,
`tfmot.quantization.keras.quantize_model(model)` in `QuantizeWrapperV2`,
`tfmot.clustering.keras.cluster_weights(model, ...)` in `ClusterWeights`; `strip_pruning` and
`strip_clustering` take the wrappers off again. Each layer still computes what it did, with its
own activation, so the model they return has the head of the one they were given (and is
compiled on its own: the TF Model Optimization guides compile and fit the wrapped model). Read
from tfmot 0.8.1 (`tensorflow_model_optimization/python/core/api/*/keras/__init__.py`).
"""

from __future__ import annotations

LIBRARY = "tensorflow_model_optimization"
WRAPPING = frozenset({
    "prune_low_magnitude", "strip_pruning",  # sparsity.keras
    "quantize_model", "quantize_annotate_model", "quantize_apply",  # quantization.keras
    "cluster_weights", "strip_clustering",  # clustering.keras
})  # fmt: skip

