"""Loaders and encoders that make labels: `keras.datasets`, the directory loaders and
`ImageDataGenerator`, scikit-learn's encoders and `pd.get_dummies` (what each yields is in
knowledge/datasets.py)."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any, Optional

from ...knowledge import datasets as known
from ...targets import TargetSummary
from .labels import (
    NOT_LABELS,
    Batches,
    Labels,
    Tool,
    class_ids,
    from_spec,
    is_ids,
    one_hot,
    per_output,
    quote,
)
from .values import UNKNOWN


def arg(args: list[Any], kwargs: dict[str, Any], index: int, name: str, default: Any) -> Any:
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def positive_int(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def count_of(value: Any) -> Optional[int]:
    """`classes=["cat", "dog"]` -> 2."""
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return len(value)
    return None


def load_data(name: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    spec = known.KERAS_DATASETS.get(name)
    if spec is None:
        return NOT_LABELS
    if name == "cifar100":
        classes = known.CIFAR100_LABEL_MODES.get(arg(args, kwargs, 0, "label_mode", "fine"))
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


def directory_dataset(args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    labels = arg(args, kwargs, 1, "labels", "inferred")
    mode = arg(args, kwargs, 2, "label_mode", known.DIRECTORY_DEFAULT_MODE)
    if len(args) > 4:  # batch_size is not at the same position in every loader
        return UNKNOWN
    batched = kwargs.get("batch_size", 32) is not None
    if labels is None or mode is None:
        y: Any = None
    elif labels != "inferred" or mode not in known.DIRECTORY_DATASET_MODES:
        return UNKNOWN
    else:
        count = count_of(arg(args, kwargs, 3, "class_names", None))
        y = from_spec(known.DIRECTORY_DATASET_MODES[mode], quote(node), classes=count)
    if kwargs.get("subset") == "both":
        return (Batches(y, batched), Batches(y, batched))
    return Batches(y, batched)


def get_dummies(args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
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


def tool_method(
    tool: Tool, name: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call
) -> Any:
    if tool.kind == "datagen":
        return datagen_method(name, args, kwargs, node)
    if name == "fit":
        return tool
    if name not in ("fit_transform", "transform") or len(args) != 1:
        return UNKNOWN
    y = args[0]
    rows_ = y.facts.shape[0] if isinstance(y, Labels) and y.facts.shape else None
    column = isinstance(y, Labels) and is_ids(y) and y.facts.shape in ((rows_,), (rows_, 1))
    count = len(y.facts.values) if column and y.facts.values else None  # type: ignore[union-attr]
    if name == "transform":
        count = None  # the classes are those of the data it was fitted on, elsewhere
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


def encoder(tail: str, kwargs: dict[str, Any], node: ast.Call) -> Any:
    allowed = {
        "LabelEncoder": set(),
        "OneHotEncoder": {"sparse", "sparse_output", "dtype", "categories"},
        "LabelBinarizer": {"sparse_output"},
    }[tail]
    if set(kwargs) - allowed or kwargs.get("categories", "auto") != "auto":
        return UNKNOWN
    return Tool(tail, node=node)


def datagen_method(name: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
    if name == "flow":
        y = arg(args, kwargs, 1, "y", None)
        return Batches(per_output(y, Labels.rows_unknown) if y is not None else None)
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
    count = count_of(kwargs.get("classes"))
    return Batches(from_spec(table[mode], quote(node), classes=count))

