"""Calls that make or change labels: `keras.datasets` loaders, `to_categorical`, `np.eye(n)[y]`,
one-hot ops, scikit-learn encoders, `pd.get_dummies`, `argmax`, directory loaders,
`train_test_split`, `tf.data.Dataset.from_tensor_slices` and the methods of what they return.

`call`, `method`, `subscript` and `attribute` return NOT_LABELS for anything that is not about
labels, so the interpreter carries on as before; what they cannot follow becomes UNKNOWN.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from ...knowledge import datasets as known
from .label_loaders import (
    arg,
    directory_dataset,
    encoder,
    get_dummies,
    load_data,
    positive_int,
    tool_method,
)
from .labels import (
    NOT_LABELS,
    Batches,
    Labels,
    Tool,
    arithmetic,
    cast,
    class_ids,
    expand_last,
    id_count,
    is_ids,
    one_hot,
    per_output,
    quote,
    reshape,
    rows,
    squeeze,
)
from .names import keras_path
from .values import UNKNOWN, Unknown

LOADER = re.compile(r"keras\.datasets\.(\w+)\.load_data$")
PASS_THROUGH = frozenset({"array", "asarray", "convert_to_tensor", "constant", "asanyarray"})
SAME_METHODS = frozenset({"copy", "to_numpy", "numpy", "toarray", "todense"})
DATASET_METHODS = frozenset(
    {"shuffle", "prefetch", "cache", "repeat", "take", "skip", "shard", "with_options"}
)

__all__ = ["NOT_LABELS", "arithmetic", "attribute", "call", "method", "subscript"]


# --- calls of library functions --------------------------------------------------------------


def call(path: str, args: list[Any], kwargs: dict[str, Any], opaque: bool, node: ast.Call) -> Any:
    keras = keras_path(path)
    tail = path.rsplit(".", 1)[-1]
    if opaque:
        return NOT_LABELS
    if keras is not None:
        return _keras_call(keras, tail, args, kwargs, node)
    module = path.split(".", 1)[0]
    if module == "numpy":
        return _numpy_call(tail, args, kwargs, node)
    if module == "tensorflow":
        return _tf_call(path, tail, args, kwargs, node)
    if module == "sklearn" and tail in known.SKLEARN_ENCODERS:
        return encoder(tail, kwargs, node)
    if module == "sklearn" and tail == "train_test_split":
        return [part for a in args for part in _split(a)] if args else UNKNOWN
    if path == "pandas.get_dummies":
        return get_dummies(args, kwargs, node)
    return NOT_LABELS


def _keras_call(
    keras: str, tail: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call
) -> Any:
    loader = LOADER.search(keras)
    if loader:
        return load_data(loader.group(1), args, kwargs, node)
    if tail == "to_categorical":
        return _to_categorical(args, kwargs, node)
    if tail in known.DIRECTORY_DATASETS:
        return directory_dataset(args, kwargs, node)
    if tail == "timeseries_dataset_from_array":
        targets = arg(args, kwargs, 1, "targets", UNKNOWN)
        batched = arg(args, kwargs, 5, "batch_size", 128) is not None
        if targets is None or isinstance(targets, Labels):
            return Batches(targets.rows_unknown() if targets else None, batched)
        return UNKNOWN
    if tail == "ImageDataGenerator":
        return Tool("datagen", node=node)
    if keras in ("keras.ops.one_hot", "keras.backend.one_hot"):
        return _one_hot(args, kwargs, "num_classes", node)
    if keras == "keras.ops.argmax":
        return _argmax(args, kwargs, node)
    return NOT_LABELS


def _to_categorical(args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    y = arg(args, kwargs, 0, "x", UNKNOWN)
    n = arg(args, kwargs, 1, "num_classes", None)
    if n is not None and positive_int(n) is None:
        n = None  # a run-time class count: the width is unknown
    if isinstance(y, Labels):
        if not is_ids(y) or y.facts.shape is None:
            return UNKNOWN
        shape = y.facts.shape
        if len(shape) > 1 and shape[-1] == 1:  # Keras drops a trailing axis of 1 first
            shape = shape[:-1]
        width = n if n is not None else id_count(y)
        return Labels(one_hot((*shape, width)), quote(node))
    if isinstance(y, Unknown):
        return Labels(one_hot(None), quote(node))  # the rank of unknown labels is unknown
    return UNKNOWN


def _one_hot(args: list[Any], kwargs: dict[str, Any], size: str, node: ast.Call) -> Any:
    y = arg(args, kwargs, 0, "indices" if size == "depth" else "x", UNKNOWN)
    n = positive_int(arg(args, kwargs, 1, size, None))
    if set(kwargs) - {size, "indices", "x", "dtype"} or len(args) > 2:
        return UNKNOWN  # on_value/off_value/axis: not plain one-hot rows
    if isinstance(y, Labels):
        if not is_ids(y) or y.facts.shape is None:
            return UNKNOWN
        return Labels(one_hot((*y.facts.shape, n)), quote(node))  # no axis is dropped
    if isinstance(y, Unknown):
        return Labels(one_hot(None), quote(node))
    return NOT_LABELS  # a tensor of a model being built: the op, as before


def _argmax(args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    y = args[0] if args else kwargs.get("a", kwargs.get("x", kwargs.get("input", UNKNOWN)))
    if not isinstance(y, Labels):
        return NOT_LABELS
    return _argmax_of(y, arg(args, kwargs, 1, "axis", None), node)


def _argmax_of(y: Labels, axis: Any, node: ast.AST) -> Any:
    t = y.facts
    if not (t.one_hot and t.shape is not None and len(t.shape) == 2 and axis in (1, -1)):
        return UNKNOWN
    return Labels(class_ids((t.shape[0],), t.shape[1]), y.origin, quote(node))


def _numpy_call(tail: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    if tail in ("eye", "identity") and len(args) == 1 and positive_int(args[0]):
        return Tool("eye", args[0], node)
    y = args[0] if args else UNKNOWN
    if not isinstance(y, Labels):
        return NOT_LABELS
    if tail == "argmax":
        return _argmax(args, kwargs, node)
    if tail in PASS_THROUGH:
        dtype = arg(args, kwargs, 1, "dtype", None)
        return y if dtype is None else cast(y, dtype, node)
    if tail == "reshape" and len(args) == 2:
        return reshape(y, args[1])
    if tail in ("squeeze", "ravel") and len(args) == 1 and not kwargs:
        return squeeze(y)
    if tail == "expand_dims" and arg(args, kwargs, 1, "axis", None) in (-1, 1):
        return expand_last(y) if y.facts.ndim == 1 else UNKNOWN
    return UNKNOWN


def _tf_call(path: str, tail: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    if path == "tensorflow.data.Dataset.from_tensor_slices":
        return _from_tensor_slices(args)
    if tail == "one_hot":
        return _one_hot(args, kwargs, "depth", node)
    y = args[0] if args else UNKNOWN
    if not isinstance(y, Labels):
        return NOT_LABELS
    if tail == "argmax":
        return _argmax(args, kwargs, node)
    if tail in PASS_THROUGH and len(args) == 1 and set(kwargs) <= {"dtype"}:
        return y if "dtype" not in kwargs else cast(y, kwargs["dtype"], node)
    if tail == "cast" and len(args) == 2:
        return cast(y, args[1], node)
    if tail == "reshape" and len(args) == 2:
        return reshape(y, args[1])
    if tail == "squeeze" and len(args) == 1:
        return squeeze(y)
    if tail == "expand_dims" and arg(args, kwargs, 1, "axis", None) in (-1, 1):
        return expand_last(y) if y.facts.ndim == 1 else UNKNOWN
    return UNKNOWN


def _from_tensor_slices(args: list[Any]) -> Any:
    data = args[0] if len(args) == 1 else UNKNOWN
    if not (isinstance(data, tuple) and len(data) in (2, 3)):
        return UNKNOWN
    return Batches(per_output(data[1], Labels.rows_unknown), batched=False)



def _split(value: Any) -> list[Any]:
    """train_test_split: each array gives a train and a test part, rows unknown."""
    if isinstance(value, Labels):
        return [value.rows_unknown(), value.rows_unknown()]
    return [UNKNOWN, UNKNOWN]


# --- methods ---------------------------------------------------------------------------------


def method(
    receiver: Any, name: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call
) -> Any:
    if isinstance(receiver, Labels):
        return _labels_method(receiver, name, args, kwargs, node)
    if isinstance(receiver, Batches):
        if name in DATASET_METHODS:
            return receiver
        if name == "batch" and not receiver.batched:
            return Batches(receiver.y, batched=True)
        return UNKNOWN  # map, unbatch, padded_batch...: what comes out is not known
    if isinstance(receiver, Tool):
        return tool_method(receiver, name, args, kwargs, node)
    return NOT_LABELS


def _labels_method(
    y: Labels, name: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call
) -> Any:
    if name in SAME_METHODS and not args:
        return y
    if name == "astype" and len(args) == 1:
        return cast(y, args[0], node)
    if name == "reshape" and args and not kwargs:
        return reshape(y, args[0] if len(args) == 1 else tuple(args))
    if name in ("squeeze", "ravel", "flatten") and not args and not kwargs:
        return squeeze(y)
    if name == "argmax":
        return _argmax_of(y, arg(args, kwargs, 0, "axis", None), node)
    return UNKNOWN


# --- subscripts and attributes ---------------------------------------------------------------


def subscript(container: Any, node: ast.Subscript, index: Any) -> Any:
    if isinstance(container, Labels):
        return rows(container, node, index)
    if isinstance(container, Tool) and container.kind == "eye":
        if isinstance(index, Labels) and is_ids(index) and index.facts.shape is not None:
            return Labels(one_hot((*index.facts.shape, container.size)), quote(node))
        if isinstance(index, Unknown) and not isinstance(node.slice, (ast.Tuple, ast.Slice)):
            return Labels(one_hot(None), quote(node))
        return UNKNOWN
    if isinstance(container, (Batches, Tool)):
        return UNKNOWN
    return NOT_LABELS


def attribute(base: Any, attr: str) -> Any:
    if isinstance(base, Labels):
        if attr == "values":
            return base
        if attr == "shape" and base.facts.shape is not None:
            return tuple(UNKNOWN if d is None else d for d in base.facts.shape)
        if attr == "ndim" and base.facts.shape is not None:
            return len(base.facts.shape)
    return UNKNOWN
