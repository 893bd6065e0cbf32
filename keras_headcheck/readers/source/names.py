"""Which Keras (or TensorFlow) object an import path names. Format knowledge only."""

from __future__ import annotations

import functools
from typing import Optional

from ..layers import canonical_activation

# Prefixes that all mean "the Keras API", normalised to "keras.".
KERAS_ALIASES = (
    ("tensorflow.keras", "keras"),
    ("tensorflow.python.keras", "keras"),
    ("tensorflow.compat.v2.keras", "keras"),
    ("tensorflow.compat.v1.keras", "keras"),
    ("tensorflow.compat.v1.python.keras", "keras"),
    ("tensorflow.contrib.keras.api.keras", "keras"),  # TensorFlow 1.1 to 1.3's Keras
    ("tensorflow.contrib.keras.python.keras", "keras"),  # ... and its modules behind the API
    ("tensorflow.contrib.keras", "keras"),
    ("keras_core", "keras"),  # Keras 3's name before its release
    ("tensorflow.losses", "keras.losses"),
    ("tensorflow.metrics", "keras.metrics"),
    ("tf_keras", "keras"),
    ("keras._tf_keras.keras", "keras"),
    ("keras.api._v2.keras", "keras"),
    ("keras.api", "keras"),
    ("keras.src", "keras"),
    ("keras_tuner.backend.keras", "keras"),  # KerasTuner's own switch: Keras 3 or tf.keras
    ("keras_tuner.src.backend.keras", "keras"),
)
# Where activation/op functions live: `tf.nn.softmax`, `keras.ops.sigmoid`, `tf.math.tanh`...
OP_MODULES = ("keras.ops", "keras.activations", "keras.backend", "tensorflow")
MERGE_FUNCTIONS = {
    "concatenate": "Concatenate",
    "add": "Add",
    "subtract": "Subtract",
    "multiply": "Multiply",
    "average": "Average",
    "maximum": "Maximum",
    "minimum": "Minimum",
    "dot": "Dot",
}
MODEL_NAMES = frozenset({"Model", "Functional"})
LOADERS = frozenset(
    {"load_model", "model_from_json", "model_from_config", "model_from_yaml", "deserialize", "load"}
)


def keras_path(path: str) -> Optional[str]:
    """'tensorflow.keras.layers.Dense' -> 'keras.layers.Dense'; None outside the Keras API."""
    for prefix, replacement in KERAS_ALIASES:
        if path == prefix or path.startswith(prefix + "."):
            return replacement + path[len(prefix) :]
    if path == "keras" or path.startswith("keras."):
        return path
    return None


def _under(path: str, module: str) -> bool:
    return path.startswith(module + ".")


@functools.lru_cache(maxsize=4096)
def kind_of(path: str) -> tuple[str, str]:
    """(kind, name) of what an import path names.

    kinds: layer, merge, input, sequential, model, loss_class, loss_fn, metric_class, metric_fn,
    op (activation/tensor functions), application, loader, saver, clone, policy, variable, other.
    """
    tail = path.rsplit(".", 1)[-1]
    keras = keras_path(path)
    if _variable(path, keras, tail):
        return "variable", tail
    if keras is None:
        if _under(path, "tensorflow"):
            return "op", tail
        return "other", tail
    if tail == "Input" and (  # Keras 2 also exported it from keras.models and keras.engine
        keras in ("keras.Input", "keras.layers.Input", "keras.models.Input")
        or _under(keras, "keras.layers") or _under(keras, "keras.engine")
    ):
        return "input", tail
    if tail == "Sequential":
        return "sequential", tail
    if tail in MODEL_NAMES and (keras.count(".") == 1 or _under(keras, "keras.models")
                                or _under(keras, "keras.engine")):  # Keras 2's own modules
        return "model", tail
    if keras == "keras.experimental.PeepholeLSTMCell":  # a layer outside keras.layers (TF 2)
        return "layer", tail
    if _under(keras, "keras.layers"):
        if tail[:1].isupper():
            return "layer", tail
        if tail in MERGE_FUNCTIONS:
            return "merge", MERGE_FUNCTIONS[tail]
        return "other", tail
    for module, kind in (("keras.losses", "loss"), ("keras.metrics", "metric")):
        if _under(keras, module):
            return (kind + "_class" if tail[:1].isupper() else kind + "_fn"), tail
    if _under(keras, "keras.applications"):
        return ("application" if tail[:1].isupper() else "other"), tail
    if tail in LOADERS and _under(keras, "keras.models") or _under(keras, "keras.saving"):
        return ("loader" if tail in LOADERS else "saver" if tail == "save_model" else "other"), tail
    if tail == "save_model" and _under(keras, "keras.models"):
        return "saver", tail
    if tail == "clone_model":
        return "clone", tail
    if tail in ("set_global_policy", "set_policy"):
        return "policy", tail
    if tail == "Policy":
        return "policy_object", tail
    if any(keras == m or _under(keras, m) for m in OP_MODULES):
        return "op", tail
    return "other", tail


def _variable(path: str, keras: Optional[str], tail: str) -> bool:
    """`tf.Variable`, `keras.Variable`, `keras.backend.variable` (readers/source/weights.py)."""
    if keras is not None:
        return keras in ("keras.Variable", "keras.backend.Variable", "keras.backend.variable")
    return tail == "Variable" and path in ("tensorflow.Variable", "tensorflow.compat.v1.Variable")


def activation_of_path(path: str) -> Optional[str]:
    """The canonical activation an activation function path names (`tf.nn.softmax` -> softmax)."""
    kind, tail = kind_of(path)
    return canonical_activation(tail) if kind == "op" else None
