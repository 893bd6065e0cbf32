"""Small `.keras` files written directly, without Keras, for the CLI tests that need many of them.

A `.keras` file is a zip whose config.json the linter reads as data; the configs here have the
shape Keras 3.15 writes (trimmed of initialisers and the optimizer, which the linter ignores).
Model semantics are covered by the zoo (real models saved by Keras); these files exercise the
plumbing around them: formats, configuration, many files.
"""

from __future__ import annotations

import json
import os
import zipfile
from typing import Any, Optional

METADATA = {"keras_version": "3.15.1", "date_saved": "2026-01-01@00:00:00"}


def _dense(
    name: str, units: int, activation: str, inputs: Optional[str], width: int
) -> dict[str, Any]:
    layer: dict[str, Any] = {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": {
                "module": "keras",
                "class_name": "DTypePolicy",
                "config": {"name": "float32"},
                "registered_name": None,
            },
            "units": units,
            "activation": activation,
            "use_bias": True,
        },
        "registered_name": None,
        "build_config": {"input_shape": [None, width]},
    }
    if inputs is not None:  # a Functional layer
        layer["name"] = name
        layer["inbound_nodes"] = [
            {
                "args": [
                    {
                        "class_name": "__keras_tensor__",
                        "config": {
                            "shape": [None, width],
                            "dtype": "float32",
                            "keras_history": [inputs, 0, 0],
                        },
                    }
                ],
                "kwargs": {},
            }
        ]
    return layer


def loss_object(class_name: str, name: str, from_logits: bool) -> dict[str, Any]:
    return {
        "module": "keras.losses",
        "class_name": class_name,
        "registered_name": None,
        "config": {"name": name, "reduction": "sum_over_batch_size", "from_logits": from_logits},
    }


def sequential(
    units: int, activation: str, loss: Any, metrics: Any = None, head: str = "head"
) -> dict[str, Any]:
    """Input(4) -> Dense(8, relu) -> Dense(units, activation, name=head), compiled with `loss`."""
    return {
        "module": "keras",
        "class_name": "Sequential",
        "registered_name": None,
        "config": {
            "name": "sequential",
            "trainable": True,
            "layers": [
                {
                    "module": "keras.layers",
                    "class_name": "InputLayer",
                    "registered_name": None,
                    "config": {"batch_shape": [None, 4], "dtype": "float32", "name": "input_layer"},
                },
                _dense("hidden", 8, "relu", None, 4),
                _dense(head, units, activation, None, 8),
            ],
            "build_input_shape": [None, 4],
        },
        "build_config": {"input_shape": [None, 4]},
        "compile_config": {"loss": loss, "loss_weights": None, "metrics": metrics},
    }


def two_heads() -> dict[str, Any]:
    """Functional: `price` (softmax over 1 unit, mse) and `kind` (softmax + from_logits=True)."""
    inputs = {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "registered_name": None,
        "name": "features",
        "inbound_nodes": [],
        "config": {"batch_shape": [None, 4], "dtype": "float32", "name": "features"},
    }
    return {
        "module": "keras.src.models.functional",
        "class_name": "Functional",
        "registered_name": "Functional",
        "config": {
            "name": "functional",
            "trainable": True,
            "layers": [
                inputs,
                _dense("hidden", 8, "relu", "features", 4),
                _dense("kind", 3, "softmax", "hidden", 8),
                _dense("price", 1, "softmax", "hidden", 8),
            ],
            "input_layers": ["features", 0, 0],
            "output_layers": {"price": ["price", 0, 0], "kind": ["kind", 0, 0]},
        },
        "build_config": {"input_shape": None},
        "compile_config": {
            "loss": {
                "price": "mse",
                "kind": loss_object("CategoricalCrossentropy", "categorical_crossentropy", True),
            },
            "loss_weights": None,
            "metrics": None,
        },
    }


# The models the tests use, by what they produce.
def softmax_from_logits() -> dict[str, Any]:  # HC201 (error)
    return sequential(
        10,
        "softmax",
        loss_object("SparseCategoricalCrossentropy", "sparse_categorical_crossentropy", True),
    )


def softmax_one_unit_mse() -> dict[str, Any]:  # HC101 + HC203 (errors)
    return sequential(1, "softmax", "mse")


def clean_multilabel() -> dict[str, Any]:  # no findings
    return sequential(5, "sigmoid", "binary_crossentropy")


def write_keras(path: str, config: dict[str, Any]) -> str:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps(METADATA))
        archive.writestr("config.json", json.dumps(config))
    return path
