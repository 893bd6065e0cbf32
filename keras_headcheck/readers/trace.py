"""A live subclassed model, traced: what its `call()` runs, as a functional model's config.

A subclassed model serialises its constructor's arguments, not its layers. So its `call()` is run
once on symbolic inputs (`keras.Input`s shaped like the sample batch `x`, or like the shapes the
model was built with), in training mode as `fit` runs it; every layer and `keras.ops` op it
applies is recorded by Keras itself, and `keras.Model(inputs, outputs)` over the result is a
functional model whose config the shared walker reads. That works on every Keras 3 backend.

Where symbolic tracing fails (TensorFlow ops on symbolic tensors, Python branching on values),
the model is run on the sample batch and its output values say what the head is: rows of at
least two values in [0, 1] that sum to 1 are a softmax, values strictly inside (0, 1) a sigmoid,
values outside [0, 1] an unbounded output. The head then names that evidence.
"""

from __future__ import annotations

import inspect
import json
import warnings
from typing import Any, Optional

from ..head import ACTIVATION, Head, Link, Source

VALUES = "read from the output values of call()"
MIN_VALUES = 32  # fewer values than this say too little to tell a sigmoid from a linear output


def _keras_of(model: Any) -> Any:
    for cls in type(model).__mro__:
        if cls.__module__.startswith("tf_keras."):
            import tf_keras

            return tf_keras
    import keras

    return keras


def _shapes(model: Any, x: Any) -> Any:
    """The input shapes (batch axis included) as a tree, from `x` or from how it was built."""
    if x is not None:
        return _tree_map(lambda value: tuple(getattr(value, "shape", ())), x)
    built = getattr(model, "_build_shapes_dict", None)
    if isinstance(built, dict) and len(built) == 1:
        return next(iter(built.values()))
    built = getattr(model, "_build_input_shape", None)  # tf_keras: a TensorShape or a tree of them
    if built is None:
        return None
    try:
        return _tree_map(lambda shape: tuple(shape.as_list()) if hasattr(shape, "as_list") else shape, built)
    except (TypeError, ValueError):
        return None


def _tree_map(fn: Any, value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _tree_map(fn, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and not _is_shape(value):
        return type(value)(_tree_map(fn, v) for v in value)
    return fn(value)


def _is_shape(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(v is None or isinstance(v, int) for v in value)


def _inputs(keras: Any, shapes: Any, x: Any) -> Any:
    def make(shape: Any, name: Optional[str] = None) -> Any:
        shape = tuple(shape)
        return keras.Input(shape=shape[1:], batch_size=None, name=name)

    if isinstance(shapes, dict):
        return {k: make(v, name=str(k)) for k, v in shapes.items()}
    if _is_shape(shapes):
        return make(shapes)
    if isinstance(shapes, (list, tuple)):
        return [make(v) for v in shapes]
    raise ValueError("no input shape")


def traced_config(model: Any, x: Any = None) -> Optional[dict[str, Any]]:
    """The config of the functional model `call()` traces to; None when it cannot be traced."""
    shapes = _shapes(model, x)
    if shapes is None:
        return None
    keras = _keras_of(model)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            inputs = _inputs(keras, shapes, x)
            outputs = _call(model, inputs)
            traced = keras.Model(inputs, outputs, name=model.name)
            config = json.loads(traced.to_json())
    except Exception:  # tracing is best effort: the output values are asked next
        return None
    return config if isinstance(config, dict) else None


def _call(model: Any, inputs: Any) -> Any:
    try:
        accepts = "training" in inspect.signature(model.call).parameters
    except (TypeError, ValueError):
        accepts = False
    return model.call(inputs, training=True) if accepts else model.call(inputs)


# --- evidence from the output values ---------------------------------------------------------
def value_heads(model: Any, x: Any, source: Source) -> Optional[list[Head]]:
    """Heads read from what `model(x)` outputs; None when it cannot be run."""
    if x is None:
        return None
    keras = _keras_of(model)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outputs = model(x, training=False)
            values = _tree_map(lambda v: keras.ops.convert_to_numpy(v), outputs)
    except Exception:
        return None
    named = (
        list(values.items())
        if isinstance(values, dict)
        else [(f"output_{i}", v) for i, v in enumerate(values)]
        if isinstance(values, (list, tuple))
        else [(model.name, values)]
    )
    return [Head(name, (_value_link(name, array),), source=source) for name, array in named]


def _value_link(name: str, array: Any) -> Link:
    shape = tuple(None if i == 0 else int(d) for i, d in enumerate(getattr(array, "shape", ())))
    activation = _activation_of(array)
    if activation is None:
        return Link(f"{name} ({VALUES})", "output values that do not tell", "unknown", shape=shape)
    return Link(f"{name} ({VALUES})", f"{activation} {VALUES}", ACTIVATION, activation, None, shape)


def _activation_of(array: Any) -> Optional[str]:
    import numpy as np

    try:
        values = np.asarray(array, dtype="float64")
    except (TypeError, ValueError):
        return None
    if values.ndim < 2 or values.size == 0 or not np.isfinite(values).all():
        return None
    low, high = values.min(), values.max()
    if low < 0.0:
        return "linear"  # negative values: not probabilities, whatever the activation
    if high > 1.0:
        return None  # relu, softplus, exponential... all look alike
    if values.shape[-1] == 1 and low == high == 1.0 and values.size >= 2:
        return "softmax"  # constant 1.0 over one unit: what a softmax over one unit outputs
    if values.shape[-1] >= 2 and np.allclose(values.sum(axis=-1), 1.0, atol=1e-4):
        return "softmax"
    if values.size >= MIN_VALUES and low > 0.0 and high < 1.0:
        return "sigmoid"
    return None
