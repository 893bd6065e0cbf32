"""Summaries of training targets in every form `model.fit` takes them (see the package doc): arrays,
one per output, and the first batches of a re-iterable dataset."""

from __future__ import annotations

import itertools
import math
from typing import Any, Iterable, Mapping, Sequence

from .summary import MAX_VALUES, TargetError, Targets, TargetSummary

MAX_BATCHES = 4  # batches read from a dataset
MAX_ELEMENTS = 2_000_000  # target values looked at per output (the first rows, whole rows)


def summarize_targets(y: Any) -> Targets:
    """Summarise training targets given in any form `model.fit` accepts (see the package doc)."""
    if isinstance(y, Targets):
        return y
    if y is None or isinstance(y, (str, bytes)):
        raise TargetError(f"Expected targets for `y`. Received: {y!r}")
    if isinstance(y, TargetSummary):
        return Targets((y,))
    if isinstance(y, Mapping):
        return Targets(tuple(summarize_array(v) for v in y.values()), tuple(map(str, y)))
    if _is_per_output_list(y):
        return Targets(tuple(summarize_array(v) for v in y))
    if _is_array_like(y) or isinstance(y, (list, tuple, int, float, bool)):
        return Targets((summarize_array(y),))
    return _summarize_batches(*_first_batches(y))


def summarize_array(y: Any, partial: bool = False) -> TargetSummary:
    """Summarise one output's targets (anything NumPy can turn into an array)."""
    import numpy as np

    array = _to_numpy(y)
    if array.ndim == 0:
        array = array.reshape(1)
    per_row = math.prod(array.shape[1:]) or 1
    keep = max(1, MAX_ELEMENTS // per_row)
    if array.shape[0] > keep:
        array, partial = array[:keep], True
    shape = tuple(int(d) for d in array.shape)
    kind = _kind(array.dtype)
    if kind == "other" or array.size == 0:
        return TargetSummary(shape, kind, partial=partial)
    if kind == "bool":
        array = array.astype(np.int8)
    finite = True
    if kind == "float":
        mask = np.isfinite(array)
        finite = bool(mask.all())
        values = array if finite else array[mask]
    else:
        values = array
    if values.size == 0:
        return TargetSummary(shape, kind, finite=False, partial=partial)
    integer_valued = kind != "float" or bool(np.all(values == np.floor(values)))
    distinct = None
    if integer_valued:
        unique = np.unique(values)
        if unique.size <= MAX_VALUES:
            distinct = tuple(float(v) for v in unique)
    positives = None
    if array.ndim >= 2 and shape[-1] > 1 and distinct is not None and set(distinct) <= {0.0, 1.0}:
        per_row_sum = array.reshape(-1, shape[-1]).sum(axis=1)
        positives = (int(per_row_sum.min()), int(per_row_sum.max()))
    return TargetSummary(
        shape,
        kind,
        float(values.min()),
        float(values.max()),
        integer_valued,
        distinct,
        positives,
        finite,
        partial,
    )


def _kind(dtype: Any) -> str:
    import numpy as np

    if dtype == np.bool_:
        return "bool"
    if np.issubdtype(dtype, np.integer):
        return "int"
    if np.issubdtype(dtype, np.floating):
        return "float"
    return "other"


def _to_numpy(y: Any) -> Any:
    import numpy as np

    if hasattr(y, "to_numpy"):  # pandas, polars
        y = y.to_numpy()
    elif hasattr(y, "detach") and hasattr(y, "cpu"):  # a PyTorch tensor that may need a grad cut
        y = y.detach().cpu()
    try:
        return np.asarray(y)
    except (ValueError, TypeError) as exc:
        raise TargetError(f"targets cannot be read as an array ({exc})") from None


def _is_array_like(y: Any) -> bool:
    return hasattr(y, "__array__") or hasattr(y, "to_numpy") or hasattr(y, "__array_interface__")


def _is_per_output_list(y: Any) -> bool:
    """A list/tuple of arrays (one per output), as opposed to a nested list of numbers."""
    return (
        isinstance(y, (list, tuple))
        and len(y) > 0
        and all(_is_array_like(item) and len(getattr(item, "shape", ())) > 0 for item in y)
    )


# ---------------------------------------------------------------------------------------------
# Datasets: the first few batches only


def _first_batches(data: Any) -> tuple[list[Any], bool]:
    """The targets of the first MAX_BATCHES batches of a re-iterable dataset, and whether there
    may be more."""
    if hasattr(data, "__getitem__") and hasattr(data, "__len__"):  # keras.utils.PyDataset / Sequence
        batches = [data[i] for i in range(min(len(data), MAX_BATCHES))]
        more = len(data) > MAX_BATCHES
    elif isinstance(data, Iterable):
        if iter(data) is data:
            raise TargetError(
                f"Expected arrays or a re-iterable dataset for `y`. Received: a one-shot "
                f"{type(data).__name__}; reading it would take batches away from training"
            )
        # Exactly MAX_BATCHES batches are read, as documented: whether there are more is not
        # worth a batch more, so a dataset that gave them all may hold more.
        batches = list(itertools.islice(iter(data), MAX_BATCHES))
        more = len(batches) == MAX_BATCHES
    else:
        raise TargetError(
            "Expected arrays, a dict/list of arrays per output, or a dataset for `y`. "
            f"Received: {type(data).__name__}"
        )
    if not batches:
        raise TargetError("the dataset is empty")
    return [_batch_targets(batch) for batch in batches], more


def _batch_targets(batch: Any) -> Any:
    if isinstance(batch, (tuple, list)) and len(batch) >= 2:
        return batch[1]
    raise TargetError("the dataset yields no targets (expected `(x, y)` or `(x, y, sample_weight)`)")


def _summarize_batches(batches: Sequence[Any], partial: bool) -> Targets:
    first = batches[0]
    if isinstance(first, Mapping):
        names = tuple(map(str, first))
        parts = [_concat([b[k] for b in batches]) for k in first]
        return Targets(tuple(summarize_array(p, partial) for p in parts), names)
    if isinstance(first, (list, tuple)) and _is_per_output_list(first):
        parts = [_concat([b[i] for b in batches]) for i in range(len(first))]
        return Targets(tuple(summarize_array(p, partial) for p in parts))
    return Targets((summarize_array(_concat(batches), partial),))


def _concat(parts: Sequence[Any]) -> Any:
    import numpy as np

    arrays = [_to_numpy(p) for p in parts]
    try:
        return np.concatenate([a.reshape(1) if a.ndim == 0 else a for a in arrays])
    except ValueError:  # ragged batches (variable-length sequences): the first batch only
        return arrays[0]
