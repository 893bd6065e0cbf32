"""Static output shapes of Keras layers, from their configs and input shapes. Only what the rules
need: the class axis of the output and its size. Unknown -> None.

Format knowledge only (config keys of Keras 2 and 3), like layers.py, which says what each layer
does to the values.
"""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence

from ..head import ACTIVATION, NEUTRAL, PASS
from .layers import RNN_LAYERS, Shape, activation_of, input_layer_shape, rnn_cell_layer
from .operands import SOURCE_CONSTANT, SOURCE_WEIGHT
from .slices import is_getitem, sliced_shape

SPATIAL_RANK = {"1D": 1, "2D": 2, "3D": 3}


def _unknown_input(class_name: str) -> Shape:
    """An input of unknown size but known rank, for layers whose output width is in their config
    (a Keras 2 Sequential saved without an input shape still has Dense(units))."""
    if class_name in ("Dense", "Embedding"):
        return (None, None)
    for suffix, rank in SPATIAL_RANK.items():
        if class_name.endswith(suffix) and class_name.startswith(("Conv", "SeparableConv", "DepthwiseConv")):
            return (None,) * (rank + 2)
    return None


def _channels_first(config: dict[str, Any]) -> bool:
    return config.get("data_format") == "channels_first"


def _set_channels(
    shape: tuple,
    config: dict[str, Any],
    channels: Optional[int],
    spatial: Optional[Sequence[Optional[int]]] = None,
) -> tuple:
    """`shape` with new channels and spatial sizes (spatial sizes unknown when not given)."""
    dims = tuple(spatial) if spatial is not None else (None,) * (len(shape) - 2)
    return (shape[0], channels, *dims) if _channels_first(config) else (shape[0], *dims, channels)


def _conv_spatial(shape: tuple, config: dict[str, Any]) -> Optional[list[Optional[int]]]:
    """Spatial output sizes of a (non-transposed) convolution, from its window and padding."""
    sizes = shape[2:] if _channels_first(config) else shape[1:-1]
    windows = []
    for key in ("kernel_size", "strides", "dilation_rate"):
        value = config.get(key, 1)
        value = [value] * len(sizes) if isinstance(value, int) else value
        valid = isinstance(value, list) and len(value) == len(sizes)
        if not valid or not all(isinstance(v, int) and v > 0 for v in value):
            return None
        windows.append(value)
    padding = config.get("padding", "valid")
    if padding not in ("valid", "same", "causal"):
        return None
    out: list[Optional[int]] = []
    for size, kernel, stride, dilation in zip(sizes, *windows):
        span = 1 if padding != "valid" else dilation * (kernel - 1) + 1
        out.append(None if size is None or size < span else (size - span) // stride + 1)
    return out


def _reshape(shape: tuple, target: Sequence[Optional[int]]) -> Shape:
    target = list(target)
    if -1 in target:
        known = [d for d in shape[1:]]
        rest = [t for t in target if t != -1]
        if None not in known and None not in rest and rest and all(rest):
            target[target.index(-1)] = math.prod(known) // math.prod(rest)  # type: ignore[arg-type]
        else:
            target[target.index(-1)] = None
    return (shape[0], *target)


def output_shape(
    class_name: str, config: dict[str, Any], inputs: Sequence[Shape], call_kwargs: dict[str, Any]
) -> Shape:
    """The static output shape of a layer from its input shapes; None when unknown."""
    if class_name == "InputLayer":
        return input_layer_shape(config)
    if class_name in (SOURCE_WEIGHT, SOURCE_CONSTANT):  # the source reader's operands
        given = config.get("shape", [])
        if isinstance(given, list) and all(d is None or isinstance(d, int) for d in given):
            return tuple(given)
        return None
    shape = inputs[0] if inputs else None
    if shape is None:
        shape = _unknown_input(class_name)
    if shape is None:
        return None
    if class_name in ("TimeDistributed",):
        inner = config.get("layer") or {}
        sub = output_shape(inner.get("class_name", ""), inner.get("config") or {}, [(shape[0], *shape[2:])], {})
        return (shape[0], shape[1], *sub[1:]) if sub else None
    if class_name == "RNN":
        cell = rnn_cell_layer(config) or {}
        return output_shape(cell.get("class_name", ""), cell.get("config") or {}, [shape], {})
    if class_name == "Bidirectional":
        inner = config.get("layer") or {}
        sub = output_shape(inner.get("class_name", ""), inner.get("config") or {}, [shape], {})
        if sub and config.get("merge_mode", "concat") == "concat" and sub[-1]:
            return (*sub[:-1], sub[-1] * 2)
        return sub
    if class_name in ("Dense",):
        return (*shape[:-1], config.get("units"))
    if class_name == "EinsumDense":
        out = config.get("output_shape")
        out = [out] if isinstance(out, int) else out
        return (shape[0], *out) if isinstance(out, list) else None
    if class_name in RNN_LAYERS:
        units = config.get("units")
        return (shape[0], shape[1], units) if config.get("return_sequences") else (shape[0], units)
    if class_name == "Embedding":
        return (*shape, config.get("output_dim"))
    if class_name.startswith(("Conv", "SeparableConv", "Convolution", "LocallyConnected")):
        spatial = None if class_name.endswith("Transpose") else _conv_spatial(shape, config)
        return _set_channels(shape, config, config.get("filters"), spatial)
    if class_name.startswith("DepthwiseConv"):
        ch = shape[1] if _channels_first(config) else shape[-1]
        mult = config.get("depth_multiplier", 1)
        return _set_channels(shape, config, ch * mult if ch else None, _conv_spatial(shape, config))
    if class_name.startswith("GlobalAveragePooling") or class_name.startswith("GlobalMaxPooling"):
        ch = shape[1] if _channels_first(config) else shape[-1]
        if config.get("keepdims"):
            return _set_channels(shape, config, ch, [1] * (len(shape) - 2))
        return (shape[0], ch)
    if class_name.startswith(("MaxPooling", "AveragePooling", "UpSampling", "ZeroPadding", "Cropping")):
        return _set_channels(shape, config, shape[1] if _channels_first(config) else shape[-1])
    if class_name == "Flatten":
        rest = shape[1:]
        return (shape[0], math.prod(rest) if None not in rest else None)  # type: ignore[arg-type]
    if class_name == "Reshape":
        target = config.get("target_shape")
        return _reshape(shape, target) if isinstance(target, list) else None
    if class_name == "Permute":
        dims = config.get("dims")
        if isinstance(dims, list) and len(dims) == len(shape) - 1:
            return (shape[0], *(shape[d] for d in dims))
        return None
    if class_name == "RepeatVector":
        return (shape[0], config.get("n"), *shape[1:])
    if class_name == "Concatenate":
        axis = config.get("axis", -1)
        if all(s is not None and len(s) == len(shape) for s in inputs):
            total = [s[axis] for s in inputs]  # type: ignore[index]
            out = list(shape)
            out[axis] = sum(total) if None not in total else None  # type: ignore[arg-type]
            return tuple(out)
        return None
    if is_getitem(class_name, config):
        return sliced_shape(shape, call_kwargs.get("slice_spec"))
    role, _, _ = activation_of(class_name, None, config, call_kwargs)
    if role in (PASS, NEUTRAL, ACTIVATION) or class_name in ("Add", "Multiply", "Average", "Maximum", "Minimum", "Subtract"):
        return shape  # element-wise
    return None


def merged_shape(op: str, config: dict[str, Any], inputs: Sequence[Shape]) -> Shape:
    """The output shape of a merge of several tensors (merges.py names the merge)."""
    if any(s is None for s in inputs):
        return None
    if op == "concatenate":
        return output_shape("Concatenate", config, inputs, {})
    if op == "dot":
        return _dot(config.get("axes"), inputs)
    if op == "matmul":  # a tensor times a matrix (merges.py reads no other matrix product)
        first, second = inputs[0], inputs[-1]
        if len(inputs) != 2 or not first or len(second) != 2:  # type: ignore[arg-type]
            return None
        return (*first[:-1], second[-1])  # type: ignore[index]
    return _broadcast(inputs)  # type: ignore[arg-type]


def _broadcast(inputs: Sequence[tuple]) -> Shape:
    """Elementwise merges broadcast their inputs (numpy's rule, from the last axis)."""
    rank = max(len(s) for s in inputs)
    out: list[Optional[int]] = []
    for position in range(-rank, 0):
        sizes = {s[position] for s in inputs if len(s) >= -position} - {1}
        known = sizes - {None}
        if len(known) > 1:
            return None  # Keras would raise: not a shape to read
        out.append(known.pop() if known else (None if None in sizes else 1))
    return tuple(out)


def _dot(axes: Any, inputs: Sequence[Shape]) -> Shape:
    """Keras's Dot.compute_output_shape: both shapes without their summed axes (the second also
    without its batch axis), and a trailing 1 when only the batch axis is left."""
    if len(inputs) != 2:
        return None
    first, second = list(inputs[0] or ()), list(inputs[1] or ())
    if isinstance(axes, int):
        pair = [axes % len(first), axes % len(second)] if axes < 0 else [axes, axes]
    elif isinstance(axes, (list, tuple)) and len(axes) == 2 and all(isinstance(a, int) for a in axes):
        pair = [axes[0] % len(first), axes[1] % len(second)]
    else:
        return None
    if not (0 < pair[0] < len(first) and 0 < pair[1] < len(second)):
        return None
    first.pop(pair[0])
    second.pop(pair[1])
    out = first + second[1:]
    return tuple(out + [1] if len(out) == 1 else out)


def class_axis(class_name: str, config: dict[str, Any]) -> Optional[int]:
    """Axis holding the channels (classes) of a convolution-like layer, when not the last."""
    if class_name.startswith(("Conv", "SeparableConv", "DepthwiseConv", "Convolution")):
        return 1 if _channels_first(config) else None
    return None
