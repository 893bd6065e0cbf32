"""Turn the arguments of a Keras call into the serialised config shapes the shared readers accept.

`Dense(10, activation="softmax")` -> {"units": 10, "activation": "softmax"}: what a saved file
holds, so readers/layers.py and readers/compiled.py interpret source code and saved files alike.
A value known only at run time never becomes a default: a layer whose activation or axis is unknown
becomes an unknown layer, a loss whose `from_logits` is unknown an unknown loss.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from ...head import ACTIVATION
from ..layers import WEIGHTED_LAYERS, activation_of
from .names import activation_of_path
from .unknowns import per_choice
from .values import UNKNOWN, Function, Layer, Ref, Unknown

_CONV = (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "groups",
    "activation",
)
_POOL = ("pool_size", "strides", "padding", "data_format")
LAYER_PARAMS: dict[str, tuple[str, ...]] = {
    "Dense": ("units", "activation"),
    "EinsumDense": ("equation", "output_shape", "activation"),
    "Activation": ("activation",),
    "Softmax": ("axis",),
    "ReLU": ("max_value", "negative_slope", "threshold"),
    "LeakyReLU": ("negative_slope",),
    "Dropout": ("rate",),
    "Reshape": ("target_shape",),
    "Permute": ("dims",),
    "RepeatVector": ("n",),
    "Embedding": ("input_dim", "output_dim"),
    "TimeDistributed": ("layer",),
    "Bidirectional": ("layer", "merge_mode"),
    "Flatten": ("data_format",),
    "Concatenate": ("axis",),
    "BatchNormalization": ("axis",),
    "LayerNormalization": ("axis",),
    "Rescaling": ("scale", "offset"),
    "Resizing": ("height", "width", "interpolation"),
    "InputLayer": ("shape",),
    "SeparableConv1D": (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "depth_multiplier",
        "activation",
    ),
    "DepthwiseConv2D": (
        "kernel_size",
        "strides",
        "padding",
        "depth_multiplier",
        "data_format",
        "dilation_rate",
        "activation",
    ),
}
for _rank in ("1D", "2D", "3D"):
    LAYER_PARAMS["Conv" + _rank] = LAYER_PARAMS["Convolution" + _rank] = _CONV
    LAYER_PARAMS[f"Conv{_rank}Transpose"] = _CONV[:4] + (
        "output_padding",
        "data_format",
        "dilation_rate",
        "activation",
    )
    LAYER_PARAMS["MaxPooling" + _rank] = LAYER_PARAMS["AveragePooling" + _rank] = _POOL
    LAYER_PARAMS["GlobalMaxPooling" + _rank] = ("data_format", "keepdims")
    LAYER_PARAMS["GlobalAveragePooling" + _rank] = ("data_format", "keepdims")
    for _name, _first in (
        ("UpSampling", "size"),
        ("Cropping", "cropping"),
        ("ZeroPadding", "padding"),
    ):
        LAYER_PARAMS[_name + _rank] = (_first, "data_format")
LAYER_PARAMS["UpSampling2D"] = ("size", "data_format", "interpolation")
LAYER_PARAMS["SeparableConv2D"] = LAYER_PARAMS["SeparableConv1D"]
LAYER_PARAMS["DepthwiseConv1D"] = LAYER_PARAMS["DepthwiseConv2D"]
for _rnn in ("SimpleRNN", "LSTM", "GRU", "SimpleRNNCell", "LSTMCell", "GRUCell", "PeepholeLSTMCell"):
    LAYER_PARAMS[_rnn] = ("units", "activation")
LAYER_PARAMS["RNN"] = ("cell", "return_sequences", "return_state")
LAYER_PARAMS["StackedRNNCells"] = ("cells",)

# Arguments that change what the head computes: unknown -> the layer cannot be interpreted.
# (A Reshape's `target_shape` and a Permute's `dims` are not: either layer passes the values on
# whatever they say, and the axes after it are not trusted anyway (graph.py AXIS_MOVING_LAYERS);
# left unknown, the shape after it is unknown.)
DECISIVE = frozenset(
    {
        "axis",
        "data_format",
        "return_sequences",
        "merge_mode",
        "negative_slope",
        "max_value",
        "keepdims",
        "n",
        "output_shape",
        "equation",
        "layer",
    }
)
# Sizes: unknown -> None (the shape is unknown, the rest of the layer still is).
SIZES = frozenset({"units", "filters", "output_dim", "depth_multiplier", "input_dim"})
SHAPES = frozenset({"input_shape", "batch_input_shape", "shape", "batch_shape"})
UNKNOWN_ACTIVATION = {"module": "<unknown>", "class_name": "function", "config": "<unknown>"}

LOSS_PARAMS: dict[str, tuple[str, ...]] = {
    "BinaryCrossentropy": ("from_logits", "label_smoothing", "axis"),
    "CategoricalCrossentropy": ("from_logits", "label_smoothing", "axis"),
    "SparseCategoricalCrossentropy": ("from_logits", "ignore_class"),
    "BinaryFocalCrossentropy": (
        "apply_class_balancing",
        "alpha",
        "gamma",
        "from_logits",
        "label_smoothing",
        "axis",
    ),
    "CategoricalFocalCrossentropy": ("alpha", "gamma", "from_logits", "label_smoothing", "axis"),
}
METRIC_PARAMS: dict[str, tuple[str, ...]] = {
    "AUC": (
        "num_thresholds",
        "curve",
        "summation_method",
        "name",
        "dtype",
        "thresholds",
        "multi_label",
        "num_labels",
        "label_weights",
        "from_logits",
    ),
    "BinaryAccuracy": ("name", "dtype", "threshold"),
    "Precision": ("thresholds", "top_k", "class_id", "name", "dtype"),
    "Recall": ("thresholds", "top_k", "class_id", "name", "dtype"),
}
# A dtype written as a framework's object (`tf.float32`, `np.float16`, `jnp.bfloat16`): its name.
DTYPES = {
    "float16": "float16", "half": "float16", "bfloat16": "bfloat16",
    "float32": "float32", "float64": "float64", "double": "float64",
}  # fmt: skip
COMPILED_KEYS = frozenset({"from_logits", "label_smoothing", "axis", "threshold", "thresholds"})


def plain(value: Any) -> Any:
    """A constant as JSON would hold it (tuples -> lists); UNKNOWN if any part is not a constant."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        items = [plain(v) for v in value]
        return UNKNOWN if any(isinstance(i, Unknown) for i in items) else items
    if isinstance(value, dict):
        pairs = {k: plain(v) for k, v in value.items()}
        return UNKNOWN if any(isinstance(v, Unknown) for v in pairs.values()) else pairs
    return UNKNOWN


def _dims(value: Any) -> Any:
    """A shape argument: unknown sizes inside a literal tuple are None; an unknown tuple UNKNOWN."""
    if isinstance(value, int):
        return [value]
    if not isinstance(value, (list, tuple)):
        return UNKNOWN
    return [v if isinstance(v, int) else None for v in value]


def activation_config(value: Any) -> Any:
    """An `activation=` argument as a saved config would spell it (UNKNOWN_ACTIVATION if unknown)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Ref):
        return activation_of_path(value.path) or UNKNOWN_ACTIVATION
    if isinstance(value, Layer):  # activation=keras.layers.LeakyReLU()
        role, act, _ = activation_of(value.class_name, value.module, value.config)
        return act if role == ACTIVATION and act else UNKNOWN_ACTIVATION
    if isinstance(value, Function):
        return {"module": "__main__", "class_name": "function", "config": value.name}
    return UNKNOWN_ACTIVATION


def layer_config(
    class_name: str, args: Sequence[Any], kwargs: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """(config, interpretable) of a Keras layer call."""
    params = LAYER_PARAMS.get(class_name, ())
    named = dict(zip(params, args))
    named.update(kwargs)
    if len(args) > len(params) and class_name in WEIGHTED_LAYERS and "activation" not in named:
        named["activation"] = UNKNOWN  # more positional arguments than we can name
    config: dict[str, Any] = {}
    interpretable = True
    for key, value in named.items():
        if key == "activation":
            config[key] = per_choice(activation_config, value)
        elif key == "input_dim" and class_name != "Embedding":  # Keras 2: Dense(64, input_dim=10)
            config["batch_shape"] = [None, value if isinstance(value, int) else None]
        elif key in SIZES:
            config[key] = per_choice(_size, value)
        elif key in SHAPES:
            config.update(_input_shape(key, value))
        elif key == "dtype" and isinstance(value, Ref) and value.tail in DTYPES:
            config[key] = DTYPES[value.tail]  # `tf.float32`, `np.float16`: the dtype they name
        elif key == "layer":
            inner = _wrapped(value)
            interpretable = interpretable and inner is not None
            config[key] = inner or {}
        elif key == "cell":  # {} for a cell of the user's own: an RNN whose output is unknown
            config[key] = _wrapped(value) or {}
        elif key == "cells":  # StackedRNNCells([...])
            stacked = _wrapped(list(value)) if isinstance(value, (list, tuple)) else None
            config[key] = stacked["config"]["cells"] if stacked else []
        else:
            value = plain(value)
            if isinstance(value, Unknown):
                interpretable = interpretable and key not in DECISIVE
                continue
            config[key] = value
    return config, interpretable


def _size(value: Any) -> Optional[int]:
    return value if isinstance(value, int) else None


def _input_shape(key: str, value: Any) -> dict[str, Any]:
    dims = _dims(value)
    if isinstance(dims, Unknown):
        return {}
    if key in ("input_shape", "shape"):
        return {"batch_shape": [None, *dims]}
    return {"batch_shape": dims}


def _wrapped(value: Any) -> Optional[dict[str, Any]]:
    """A layer argument as a saved config nests it; a list of RNN cells as the StackedRNNCells
    that `keras.layers.RNN` makes of it."""
    if isinstance(value, Layer):
        return {"class_name": value.class_name, "module": value.module, "config": value.config}
    if isinstance(value, (list, tuple)) and value:
        cells = [_wrapped(v) for v in value]
        if None not in cells:
            return {"class_name": "StackedRNNCells", "module": "keras.layers",
                    "config": {"cells": cells}}
    return None


def object_config(kind: str, class_name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
    """The config of a Keras loss/metric object; UNKNOWN when an argument that matters is unknown."""
    params = (LOSS_PARAMS if kind == "losses" else METRIC_PARAMS).get(class_name, ())
    if len(args) > len(params) and params:
        return UNKNOWN  # positional arguments we cannot name may set from_logits
    named = dict(zip(params, args))
    named.update(kwargs)
    config = {}
    for key, value in named.items():
        value = plain(value)
        if isinstance(value, Unknown):
            if key in COMPILED_KEYS:
                return UNKNOWN
            continue
        config[key] = value
    return config
