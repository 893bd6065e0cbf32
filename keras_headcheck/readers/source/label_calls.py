"""Calls that make or change labels: `keras.datasets` loaders, `to_categorical`, `np.eye(n)[y]`,
one-hot ops, scikit-learn encoders, `pd.get_dummies`, `argmax`, directory loaders,
`train_test_split`, `tf.data.Dataset.from_tensor_slices` and the methods of what they return.

`call`, `method`, `subscript` and `attribute` return NOT_LABELS for anything that is not about
labels, so the interpreter carries on as before; what they cannot follow becomes UNKNOWN.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from typing import Any, Optional

from ...knowledge import datasets as known
from .labels import (
    Batches,
    Labels,
    Tool,
    arithmetic,
    cast,
    class_ids,
    expand_last,
    from_spec,
    id_count,
    is_ids,
    one_hot,
    quote,
    reshape,
    rows,
    squeeze,
)
from ...targets import TargetSummary
from .names import keras_path
from .values import UNKNOWN

NOT_LABELS = object()
LOADER = re.compile(r"keras\.datasets\.(\w+)\.load_data$")
PASS_THROUGH = frozenset({"array", "asarray", "convert_to_tensor", "constant", "asanyarray"})
SAME_METHODS = frozenset({"copy", "to_numpy", "numpy", "toarray", "todense"})
DATASET_METHODS = frozenset(
    {"shuffle", "prefetch", "cache", "repeat", "take", "skip", "filter", "shard", "with_options"}
)

__all__ = ["NOT_LABELS", "arithmetic", "attribute", "call", "method", "subscript"]


def _arg(args: list[Any], kwargs: dict[str, Any], index: int, name: str, default: Any) -> Any:
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _int(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _count(value: Any) -> Optional[int]:
    """`classes=["cat", "dog"]` -> 2."""
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return len(value)
    return None


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
        return _encoder(tail, kwargs, node)
    if module == "sklearn" and tail == "train_test_split":
        return [part for a in args for part in _split(a)] if args else UNKNOWN
    if path == "pandas.get_dummies":
        return _get_dummies(args, kwargs, node)
    return NOT_LABELS


def _keras_call(keras: str, tail: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    loader = LOADER.search(keras)
    if loader:
        return _load_data(loader.group(1), args, kwargs, node)
    if tail == "to_categorical":
        return _to_categorical(args, kwargs, node)
    if tail in known.DIRECTORY_DATASETS:
        return _directory_dataset(args, kwargs, node)
    if tail == "timeseries_dataset_from_array":
        targets = _arg(args, kwargs, 1, "targets", UNKNOWN)
        batched = _arg(args, kwargs, 9, "batch_size", 128) is not None
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


def _load_data(name: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    spec = known.KERAS_DATASETS.get(name)
    if spec is None:
        return NOT_LABELS
    if name == "cifar100":
        classes = known.CIFAR100_LABEL_MODES.get(_arg(args, kwargs, 0, "label_mode", "fine"))
        if classes is None:
            return UNKNOWN
        spec = replace(spec, classes=classes)
    keeps = not args and set(kwargs) <= known.KEEPS_SAMPLES
    if not keeps and spec.format == known.CONTINUOUS:
        return UNKNOWN
    if not keeps:  # `maxlen`, `test_split`: some samples, maybe whole classes, are gone
        spec = replace(spec, classes=None, rows=(None, None))
    origin = quote(node)
    train, test = spec.rows
    return ((UNKNOWN, from_spec(spec, origin, train)), (UNKNOWN, from_spec(spec, origin, test)))


def _to_categorical(args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    y = _arg(args, kwargs, 0, "x", UNKNOWN)
    n = _arg(args, kwargs, 1, "num_classes", None)
    if n is not None and _int(n) is None:
        n = None  # a run-time class count: the width is unknown
    if isinstance(y, Labels):
        if not is_ids(y) or y.facts.shape is None:
            return UNKNOWN
        shape = y.facts.shape
        if len(shape) > 1 and shape[-1] == 1:  # Keras drops a trailing axis of 1 first
            shape = shape[:-1]
        width = n if n is not None else id_count(y)
        return Labels(one_hot((*shape, width)), quote(node))
    if y is UNKNOWN:
        return Labels(one_hot(None), quote(node))  # the rank of unknown labels is unknown
    return UNKNOWN


def _one_hot(args: list[Any], kwargs: dict[str, Any], size: str, node: ast.Call) -> Any:
    y = _arg(args, kwargs, 0, "indices" if size == "depth" else "x", UNKNOWN)
    n = _int(_arg(args, kwargs, 1, size, None))
    if set(kwargs) - {size, "indices", "x", "dtype"} or len(args) > 2:
        return UNKNOWN  # on_value/off_value/axis: not plain one-hot rows
    if isinstance(y, Labels):
        if not is_ids(y) or y.facts.shape is None:
            return UNKNOWN
        return Labels(one_hot((*y.facts.shape, n)), quote(node))  # no axis is dropped
    if y is UNKNOWN:
        return Labels(one_hot(None), quote(node))
    return NOT_LABELS  # a tensor of a model being built: the op, as before


def _argmax(args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    y = args[0] if args else kwargs.get("a", kwargs.get("x", kwargs.get("input", UNKNOWN)))
    if not isinstance(y, Labels):
        return NOT_LABELS
    return _argmax_of(y, _arg(args, kwargs, 1, "axis", None), node)


def _argmax_of(y: Labels, axis: Any, node: ast.AST) -> Any:
    t = y.facts
    if not (t.one_hot and t.shape is not None and len(t.shape) == 2 and axis in (1, -1)):
        return UNKNOWN
    return Labels(class_ids((t.shape[0],), t.shape[1]), y.origin, quote(node))


def _numpy_call(tail: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    if tail in ("eye", "identity") and len(args) == 1 and _int(args[0]):
        return Tool("eye", args[0], node)
    y = args[0] if args else UNKNOWN
    if not isinstance(y, Labels):
        return NOT_LABELS
    if tail == "argmax":
        return _argmax(args, kwargs, node)
    if tail in PASS_THROUGH:
        dtype = _arg(args, kwargs, 1, "dtype", None)
        return y if dtype is None else cast(y, dtype, node)
    if tail == "reshape" and len(args) == 2:
        return reshape(y, args[1])
    if tail in ("squeeze", "ravel") and len(args) == 1 and not kwargs:
        return squeeze(y)
    if tail == "expand_dims" and _arg(args, kwargs, 1, "axis", None) in (-1, 1):
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
    if tail == "expand_dims" and _arg(args, kwargs, 1, "axis", None) in (-1, 1):
        return expand_last(y) if y.facts.ndim == 1 else UNKNOWN
    return UNKNOWN


def _from_tensor_slices(args: list[Any]) -> Any:
    data = args[0] if len(args) == 1 else UNKNOWN
    if not (isinstance(data, tuple) and len(data) in (2, 3)):
        return UNKNOWN
    return Batches(_per_output(data[1], Labels.rows_unknown), batched=False)


def _per_output(y: Any, fn: Any) -> Any:
    """Apply `fn` to labels, or to each of a dict/list of labels; anything else is UNKNOWN."""
    if isinstance(y, Labels):
        return fn(y)
    if isinstance(y, dict) and y and all(isinstance(v, Labels) for v in y.values()):
        return {k: fn(v) for k, v in y.items()}
    if isinstance(y, (list, tuple)) and y and all(isinstance(v, Labels) for v in y):
        return [fn(v) for v in y]
    return UNKNOWN


def _split(value: Any) -> list[Any]:
    """train_test_split: each array gives a train and a test part, rows unknown."""
    if isinstance(value, Labels):
        return [value.rows_unknown(), value.rows_unknown()]
    return [UNKNOWN, UNKNOWN]


def _get_dummies(args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    if len(args) != 1 or set(kwargs) - {"prefix", "prefix_sep", "dtype"}:
        return UNKNOWN  # drop_first, columns, dummy_na...: not plain one-hot rows
    y = args[0]
    if isinstance(y, Labels) and is_ids(y) and y.facts.ndim == 1 and y.facts.values is not None:
        rows_ = y.facts.shape[0] if y.facts.shape else None
        return Labels(one_hot((rows_, len(y.facts.values)), "bool"), quote(node))
    column = node.args[0]
    if isinstance(column, ast.Subscript) and isinstance(column.slice, ast.Constant) and isinstance(
        column.slice.value, str
    ):  # one column of a frame: 0/1 rows (all 0 where the label is missing)
        return Labels(TargetSummary((None, None), "bool", 0.0, 1.0, True, (0.0, 1.0)), quote(node))
    return UNKNOWN


def _directory_dataset(args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    labels = _arg(args, kwargs, 1, "labels", "inferred")
    mode = _arg(args, kwargs, 2, "label_mode", known.DIRECTORY_DEFAULT_MODE)
    batched = _arg(args, kwargs, 4, "batch_size", 32) is not None
    if labels is None or mode is None:
        y: Any = None
    elif labels != "inferred" or mode not in known.DIRECTORY_DATASET_MODES:
        return UNKNOWN
    else:
        count = _count(_arg(args, kwargs, 3, "class_names", None))
        y = from_spec(known.DIRECTORY_DATASET_MODES[mode], quote(node), classes=count)
    if kwargs.get("subset") == "both":
        return (Batches(y, batched), Batches(y, batched))
    return Batches(y, batched)


# --- methods ---------------------------------------------------------------------------------


def method(receiver: Any, name: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    if isinstance(receiver, Labels):
        return _labels_method(receiver, name, args, kwargs, node)
    if isinstance(receiver, Batches):
        if name in DATASET_METHODS:
            return receiver
        if name == "batch" and not receiver.batched:
            return Batches(receiver.y, batched=True)
        return UNKNOWN  # map, unbatch, padded_batch...: what comes out is not known
    if isinstance(receiver, Tool):
        return _tool_method(receiver, name, args, kwargs, node)
    return NOT_LABELS


def _labels_method(y: Labels, name: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    if name in SAME_METHODS and not args:
        return y
    if name == "astype" and len(args) == 1:
        return cast(y, args[0], node)
    if name == "reshape" and args and not kwargs:
        return reshape(y, args[0] if len(args) == 1 else tuple(args))
    if name in ("squeeze", "ravel", "flatten") and not args and not kwargs:
        return squeeze(y)
    if name == "argmax":
        return _argmax_of(y, _arg(args, kwargs, 0, "axis", None), node)
    return UNKNOWN


def _tool_method(tool: Tool, name: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    if tool.kind == "datagen":
        return _datagen_method(name, args, kwargs, node)
    if name == "fit":
        return tool
    if name not in ("fit_transform", "transform") or len(args) != 1:
        return UNKNOWN
    y = args[0]
    rows_ = y.facts.shape[0] if isinstance(y, Labels) and y.facts.shape else None
    column = isinstance(y, Labels) and is_ids(y) and y.facts.shape in ((rows_,), (rows_, 1))
    count = len(y.facts.values) if column and y.facts.values else None  # type: ignore[union-attr]
    if tool.kind == "LabelEncoder":
        return Labels(class_ids((rows_,), count), quote(node))
    if tool.kind == "OneHotEncoder" and isinstance(y, Labels) and y.facts.shape == (rows_, 1):
        return Labels(one_hot((rows_, count)), quote(node))
    if tool.kind == "LabelBinarizer" and count == 2:
        return Labels(class_ids((rows_, 1), 2), quote(node))
    if tool.kind == "LabelBinarizer" and count is not None:
        return Labels(one_hot((rows_, count), "int"), quote(node))
    # several columns, or classes not known: rows of 0s and 1s, how many 1s per row unknown
    return Labels(TargetSummary((rows_, None), "int", 0.0, 1.0, True, (0.0, 1.0)), quote(node))


def _encoder(tail: str, kwargs: dict[str, Any], node: ast.Call) -> Any:
    allowed = {
        "LabelEncoder": set(),
        "OneHotEncoder": {"sparse", "sparse_output", "dtype", "categories"},
        "LabelBinarizer": {"sparse_output"},
    }[tail]
    if set(kwargs) - allowed or kwargs.get("categories", "auto") != "auto":
        return UNKNOWN
    return Tool(tail, node=node)


def _datagen_method(name: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    if name == "flow":
        y = _arg(args, kwargs, 1, "y", None)
        return Batches(_per_output(y, Labels.rows_unknown) if y is not None else None)
    if name not in ("flow_from_directory", "flow_from_dataframe") or len(args) > 3:
        return None if name == "fit" else UNKNOWN  # datagen.fit(x): statistics of the images
    table = (
        known.FLOW_FROM_DIRECTORY_MODES
        if name == "flow_from_directory"
        else known.FLOW_FROM_DATAFRAME_MODES
    )
    mode = kwargs.get("class_mode", known.FLOW_DEFAULT_MODE)
    if mode is None:
        return Batches(None)
    if mode not in table:
        return Batches(UNKNOWN)  # "input", "raw", "multi_output": no label facts
    count = _count(kwargs.get("classes"))
    return Batches(from_spec(table[mode], quote(node), classes=count))


# --- subscripts and attributes ---------------------------------------------------------------


def subscript(container: Any, node: ast.Subscript, index: Any) -> Any:
    if isinstance(container, Labels):
        return rows(container, node, index)
    if isinstance(container, Tool) and container.kind == "eye":
        if isinstance(index, Labels) and is_ids(index) and index.facts.shape is not None:
            return Labels(one_hot((*index.facts.shape, container.size)), quote(node))
        if index is UNKNOWN and not isinstance(node.slice, (ast.Tuple, ast.Slice)):
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
