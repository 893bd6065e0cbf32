"""What each Keras layer class does to an output: its role and its activation (and what an input
layer declares); how shapes flow through the layers is in shapes.py.

Format knowledge only (class names, config keys of Keras 2 and 3); the ML judgement is in rules/.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from ..head import (
    ACTIVATION,
    ACTIVATION_RANGES,
    INPUT,
    NEUTRAL,
    PASS,
    UNKNOWN,
    WEIGHTED,
)
from .slices import is_getitem, keeps_last_axis

Shape = Optional[tuple[Optional[int], ...]]

ACTIVATION_ALIASES = {
    None: "linear",
    "": "linear",
    "swish": "silu",
    "hard_swish": "hard_silu",
    "exp": "exponential",
    "leakyrelu": "leaky_relu",
    "leaky_re_lu": "leaky_relu",
    "re_lu": "relu",
    "log_softmax_v2": "log_softmax",
    "softmax_v2": "softmax",
    "sparse_plus": "squareplus",
}
# Extra activations whose range equals one already in the table.
ACTIVATION_ALIASES.update({"sparse_sigmoid": "hard_sigmoid", "prelu": "leaky_relu"})

PASS_LAYERS = frozenset(
    {
        "Reshape", "Flatten", "Permute", "Cropping1D", "Cropping2D", "Cropping3D", "Identity",
        "RepeatVector", "Masking", "ActivityRegularization", "ZeroPadding1D", "ZeroPadding2D",
        "ZeroPadding3D", "UpSampling1D", "UpSampling3D", "AveragePooling1D",
        "AveragePooling2D", "AveragePooling3D", "GlobalAveragePooling1D",
        "GlobalAveragePooling2D", "GlobalAveragePooling3D", "Cast", "Transpose", "Squeeze",
        "ExpandDims", "StopGradient",
    }
)
NEUTRAL_LAYERS = frozenset(
    {
        "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
        "GaussianDropout", "GaussianNoise", "BatchNormalization", "LayerNormalization",
        "GroupNormalization", "UnitNormalization", "RMSNormalization", "Normalization",
        "Rescaling", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "GlobalMaxPooling1D",
        "GlobalMaxPooling2D", "GlobalMaxPooling3D", "SyncBatchNormalization",
    }
)
# Layers with weights and an output range given by their `activation` (linear if absent).
WEIGHTED_LAYERS = frozenset(
    {
        "Dense", "EinsumDense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose",
        "Conv2DTranspose", "Conv3DTranspose", "SeparableConv1D", "SeparableConv2D",
        "DepthwiseConv1D", "DepthwiseConv2D", "LocallyConnected1D", "LocallyConnected2D",
        "Embedding", "SimpleRNN", "LSTM", "GRU", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
        "MultiHeadAttention", "GroupedQueryAttention", "Attention", "AdditiveAttention",
        "Convolution1D", "Convolution2D", "Convolution3D", "CuDNNLSTM", "CuDNNGRU",
    }
)
RNN_LAYERS = frozenset({"SimpleRNN", "LSTM", "GRU", "CuDNNLSTM", "CuDNNGRU"})
# `keras.layers.RNN(cell)` over a built-in cell computes what the layer of that cell does.
RNN_CELLS = {"SimpleRNNCell": "SimpleRNN", "LSTMCell": "LSTM", "GRUCell": "GRU",
             "PeepholeLSTMCell": "LSTM"}  # tf.keras.experimental: an LSTM cell with peepholes
# TF ops that move values without changing them (a TFOpLambda's last dotted part). Not `tile`:
# tiled along its axis, a softmax no longer sums to 1.
MOVING_OPS = frozenset({"reshape", "identity", "squeeze", "expand_dims", "transpose", "cast",
                        "depth_to_space", "space_to_depth"})
# Resampling that weighs neighbours by non-negative weights summing to 1: a sigmoid's range and
# a softmax's per-position distribution survive it. bicubic and lanczos overshoot.
CONVEX_RESIZE = frozenset({None, "bilinear", "nearest", "area"})
MODEL_CLASSES = frozenset({"Sequential", "Functional", "Model"})
WRAPPERS = frozenset({"TimeDistributed", "Bidirectional"})


def config_of(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry's "config" object, or {} when it has none (or a hostile file put a non-object)."""
    config = entry.get("config")
    return config if isinstance(config, dict) else {}


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def canonical_activation(value: Any) -> Optional[str]:
    """Canonical activation name, or None when it is custom/unknown."""
    if isinstance(value, dict):  # Keras 3 serialised function: {"class_name": "function", "config": "relu"}
        if value.get("module") not in (None, "keras.activations", "keras.src.activations"):
            return None
        value = value.get("config") if isinstance(value.get("config"), str) else value.get("class_name")
    if value is not None and not isinstance(value, str):
        return None
    name = ACTIVATION_ALIASES.get(value, value)
    name = ACTIVATION_ALIASES.get(name.lower(), name.lower()) if isinstance(name, str) else name
    return name if name in ACTIVATION_RANGES else None


def is_model(entry: dict[str, Any]) -> bool:
    config = entry.get("config")
    return (
        isinstance(entry.get("class_name"), str)  # a hostile config may put a list there
        and entry.get("class_name") in MODEL_CLASSES
        and isinstance(config, dict)
        and isinstance(config.get("layers"), list)
    )


def _is_op(module: Optional[str]) -> bool:
    return isinstance(module, str) and module.startswith(("keras.src.ops", "keras.ops"))


CUSTOM = "<custom>"  # the module of a user-defined layer, whatever its class is called
KERAS_MODULE_PREFIXES = ("keras", "tf_keras", "tensorflow")


def layer_module(entry: dict[str, Any]) -> Optional[str]:
    """The entry's module, or CUSTOM for a user-defined class.

    Keras 3 `.keras` files give every built-in layer or op a Keras module and a user's class
    its own module, or `"module": null` when defined in `__main__` (with `registered_name` equal to the class name, or "package>Name" when
    registered); Keras 3 `.h5` files write a registered class as `"class_name": "package>Name"`.
    So a user's layer called `Softmax` is not read as the built-in one.
    """
    module = entry.get("module")
    registered = str(entry.get("registered_name") or "")
    class_name = str(entry.get("class_name") or "")
    if ("module" in entry and module is None) or ">" in registered or ">" in class_name:
        return CUSTOM
    if isinstance(module, str) and not module.startswith(KERAS_MODULE_PREFIXES):
        return CUSTOM  # e.g. "my_project.layers": a user's class, whatever its name
    return module if isinstance(module, str) else None


Reading = tuple[str, Optional[str], Optional[int]]  # (role, canonical activation, axis)


def activation_of(
    class_name: str,
    module: Optional[str],
    config: dict[str, Any],
    call_kwargs: Optional[dict[str, Any]] = None,
    inputs: int = 1,
) -> Reading:
    """(role, activation, axis) of one call of a layer: the one place every reader asks (saved
    configs and live models through graph.py, sources through their configs and `activation=`
    arguments). A wrapper is read as the layer it wraps; a call on several inputs (Add,
    Concatenate, a multi-input custom layer) is unknown."""
    if inputs > 1:
        return UNKNOWN, None, None
    while module != CUSTOM:  # Bidirectional(RNN(LSTMCell(...))): each level in turn
        inner = wrapped_layer(class_name, config)
        if inner is None:
            break
        class_name, module = str(inner.get("class_name", "?")), layer_module(inner)
        config = config_of(inner)
    return _by_class(class_name, module, config, call_kwargs or {})


def wrapped_layer(class_name: str, config: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The layer entry a TimeDistributed or Bidirectional wraps, when its config holds one, or
    the one an RNN over a built-in cell computes as (rnn_cell_layer)."""
    if class_name == "RNN":
        return rnn_cell_layer(config)
    inner = config.get("layer")
    return inner if class_name in WRAPPERS and isinstance(inner, dict) else None


def rnn_cell_layer(config: dict[str, Any]) -> Optional[dict[str, Any]]:
    """`RNN(LSTMCell(64))` as the `LSTM(64)` it computes, with the RNN's `return_sequences`; a
    `StackedRNNCells` (or a list of cells) outputs what its last cell does. None for a cell that
    is not built in: its call() is the user's."""
    cell = config.get("cell")
    if isinstance(cell, dict) and cell.get("class_name") == "StackedRNNCells":
        cells = config_of(cell).get("cells") if layer_module(cell) != CUSTOM else None
        cell = cells[-1] if isinstance(cells, list) and cells else None
    if not isinstance(cell, dict) or layer_module(cell) == CUSTOM:
        return None
    layer = RNN_CELLS.get(str(cell.get("class_name")))
    if layer is None:
        return None
    flags = {k: config[k] for k in ("return_sequences", "return_state") if k in config}
    return {**cell, "class_name": layer, "config": {**config_of(cell), **flags}}  # its module too


def display_name(class_name: str, config: dict[str, Any]) -> str:
    """How a layer's class is shown in a head's chain: `TimeDistributed(Dense)` for a wrapper,
    `RNN(LSTMCell)` for an RNN, with the class of its cell."""
    cell = config.get("cell") if class_name == "RNN" else None
    if isinstance(cell, dict) and isinstance(cell.get("class_name"), str):
        return f"RNN({cell['class_name']})"
    inner = wrapped_layer(class_name, config)
    return f"{class_name}({inner.get('class_name', '?')})" if inner is not None else class_name


def _by_class(
    class_name: str, module: Optional[str], config: dict[str, Any], call_kwargs: dict[str, Any]
) -> Reading:
    """(role, activation, axis) of one unwrapped layer, from its class and config."""
    if module == CUSTOM:
        return UNKNOWN, None, None
    axis = config.get("axis", call_kwargs.get("axis"))
    axis = axis if isinstance(axis, int) else None
    if class_name == "InputLayer":
        return INPUT, None, None
    if class_name == "Activation":
        act = canonical_activation(config.get("activation"))
        if act is None:
            return UNKNOWN, None, None
        return (PASS, None, None) if act == "linear" else (ACTIVATION, act, None)
    if class_name == "Softmax":
        return ACTIVATION, "softmax", axis
    if class_name == "ReLU":
        if (config.get("negative_slope") or 0) > 0:
            return ACTIVATION, "leaky_relu", None
        return ACTIVATION, "relu6" if config.get("max_value") == 6 else "relu", None
    if class_name in ("LeakyReLU", "PReLU", "ThresholdedReLU"):
        return ACTIVATION, "leaky_relu" if class_name != "ThresholdedReLU" else "relu", None
    if class_name == "ELU":
        return ACTIVATION, "elu", None
    if is_getitem(class_name, config):  # x[:, -5:, :]: passed on when the last axis is whole
        return (PASS if keeps_last_axis(call_kwargs.get("slice_spec")) else UNKNOWN), None, None
    if class_name == "TFOpLambda":  # Keras 2: tf.nn.softmax(x) etc. in a functional model
        function = str(config.get("function", ""))
        op = function.rsplit(".", 1)[-1]
        act = canonical_activation(op)
        if act is not None:
            return (PASS, None, None) if act == "linear" else (ACTIVATION, act, axis)
        if op in MOVING_OPS or (op == "resize" and _convex(call_kwargs.get("method"))):
            return PASS, None, None
        return UNKNOWN, None, None
    if class_name in ("Resizing", "UpSampling2D"):  # bicubic and lanczos overshoot
        return (PASS if _convex(config.get("interpolation")) else UNKNOWN), None, None
    if class_name in PASS_LAYERS:
        return PASS, None, None
    if class_name in NEUTRAL_LAYERS:
        return NEUTRAL, None, None
    if class_name in WEIGHTED_LAYERS:
        default = "tanh" if class_name in RNN_LAYERS or "LSTM" in class_name else "linear"
        act = canonical_activation(config.get("activation", default))
        return (WEIGHTED, act, None) if act is not None else (UNKNOWN, None, None)
    # Keras 3 op layers (`keras.ops.sigmoid(x)`): module keras.src.ops.*, or no module in `.h5`.
    if module is None or _is_op(module):
        act = canonical_activation(snake(class_name))
        if act is not None:
            return ACTIVATION, act, axis
    return UNKNOWN, None, None


# ---------------------------------------------------------------------------------------------
# What an input layer declares (Keras 3 `batch_shape`, Keras 2 `batch_input_shape`, or `shape`).


def _dims(value: Any) -> Shape:
    if isinstance(value, (list, tuple)) and all(v is None or isinstance(v, int) for v in value):
        return tuple(value)
    return None


def input_layer_shape(config: dict[str, Any]) -> Shape:
    shape = _dims(config.get("batch_shape") or config.get("batch_input_shape"))
    if shape is None and _dims(config.get("shape")) is not None:
        shape = (None, *config["shape"])
    return shape


def _convex(method: Any) -> bool:
    """A resize `method`/`interpolation` as written or saved (`"bilinear"`, absent for the
    default, `ResizeMethod.BILINEAR` as its string) that keeps values in their range."""
    name = method.rsplit(".", 1)[-1].lower() if isinstance(method, str) else method
    return name in CONVEX_RESIZE
