"""Training targets, reduced to a small frozen summary per model output for the HC4xx rules.

Rules never see raw arrays: `summarize_targets(y)` looks at the targets once and keeps what the
rules ask about (shape, value range, integer-valued?, the distinct values when there are few,
positives per row). Accepted forms of `y`, as `model.fit` takes them:

- one array-like: a NumPy array, a list, a pandas Series/DataFrame (`.to_numpy()`), any tensor
  with `__array__` (TensorFlow, PyTorch, JAX);
- per output: a dict keyed by output name, or a list/tuple of arrays in output order;
- a re-iterable dataset yielding `(x, y)` or `(x, y, sample_weight)` batches (`tf.data.Dataset`,
  a PyTorch `DataLoader`) or a `keras.utils.PyDataset`: only the first `MAX_BATCHES` batches are
  read, and iterating it again starts afresh, so training still sees every batch.

A generator or any other one-shot iterator is refused (`TargetError`): reading batches from it
would take them away from training. Pass the arrays, or a dataset, instead.
"""

from __future__ import annotations

import itertools
import math
import os
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional, Sequence

MAX_BATCHES = 4  # batches read from a dataset
MAX_ELEMENTS = 2_000_000  # target values looked at per output (the first rows, whole rows)
MAX_VALUES = 32  # distinct values kept in a summary
MAX_CSV_BYTES = 256 * 1024 * 1024


class TargetError(ValueError):
    """Targets that cannot be summarised; the message is one line."""


@dataclass(frozen=True)
class TargetSummary:
    """What the target rules know about the targets of one output: the one form of target facts.

    Real arrays (`summarize_array`) fill in every field. The source reader fills in what the
    program says (`mnist.load_data()` gives class ids 0..9 of shape (60000,)) and leaves the rest
    unknown: a dimension is None, the whole shape is None when even the rank is unknown, an
    unknown bound is NaN, unknown values or positives are None. Rules stay quiet on what is
    unknown, so they read this one form whichever way the facts came.
    """

    shape: Optional[tuple[Optional[int], ...]]  # batch axis first: (rows, *per-sample shape)
    kind: str  # "bool" | "int" | "float" | "other" (strings, objects: no rule applies)
    minimum: float = math.nan  # over the finite values
    maximum: float = math.nan
    integer_valued: bool = False  # every finite value is a whole number
    values: Optional[tuple[float, ...]] = None  # the distinct values, when at most MAX_VALUES
    positives: Optional[tuple[int, int]] = None  # (min, max) of 1s per row, for 0/1 rows
    finite: bool = True  # no NaN or infinity
    partial: bool = False  # only the first rows / batches were looked at
    source: Optional[str] = None  # where the facts came from: "`mnist.load_data()` (line 3)"
    line: Optional[int] = None  # source files: the `fit` line the facts were read at

    @property
    def rows(self) -> int:
        return self.shape[0] or 0 if self.shape else 0

    @property
    def ndim(self) -> int:
        """The rank; -1 when it is not known."""
        return len(self.shape) if self.shape is not None else -1

    @property
    def numeric(self) -> bool:
        return self.kind != "other" and not math.isnan(self.minimum)

    @property
    def binary(self) -> bool:
        """Only 0s and 1s."""
        return self.values is not None and set(self.values) <= {0.0, 1.0}

    @property
    def one_hot(self) -> bool:
        """Rows of 0s with exactly one 1 (exclusive classes)."""
        return self.positives == (1, 1)

    @property
    def multi_hot(self) -> bool:
        """Rows of 0s and 1s, some with several 1s (multi-label)."""
        return self.positives is not None and self.positives[1] > 1

    @property
    def format(self) -> Optional[str]:
        """"one-hot", "multi-hot", "0/1", "{-1, 1}", "class ids", "continuous" or None (unknown)."""
        if self.one_hot:
            return "one-hot"
        if self.multi_hot:
            return "multi-hot"
        if self.values == (0.0, 1.0):
            return "0/1"
        if self.values == (-1.0, 1.0):
            return "{-1, 1}"
        if not self.numeric:
            return None
        if self.integer_valued:
            return "class ids" if self.minimum >= 0 and self.ndim in (1, 2) else None
        return "continuous"

    @property
    def classes(self) -> Optional[int]:
        """The number of classes (ids) or the width (one-hot rows), when known."""
        if self.format in ("one-hot", "multi-hot") and self.shape:
            return self.shape[-1]
        if self.format == "class ids" and not math.isnan(self.maximum):
            return int(self.maximum) + 1
        return None

    def describe(self) -> str:
        """A short human description, for messages: "shape (64, 10), values {0, 1}"."""
        if self.shape is None:
            shape = "shape unknown"
        else:
            dims = ["n" if d is None and i == 0 else "?" if d is None else str(d)
                    for i, d in enumerate(self.shape)]
            shape = "shape (" + ", ".join(dims) + ("," if self.ndim == 1 else "") + ")"
        if not self.numeric:
            return f"{shape}, {self.kind} values"
        if self.values is not None and len(self.values) <= 6:
            values = "values {" + ", ".join(_num(v) for v in self.values) + "}"
        elif math.isnan(self.maximum):
            values = f"values from {_num(self.minimum)}"
        else:
            values = f"values {_num(self.minimum)}..{_num(self.maximum)}"
        first = f"first {self.rows} rows, " if self.partial else ""
        return f"{first}{shape}, {values}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"


@dataclass(frozen=True)
class Targets:
    """The target summaries of a model: one, per output index, or per output name."""

    summaries: tuple[TargetSummary, ...]
    names: Optional[tuple[str, ...]] = None  # output names, when targets were given as a dict

    def for_output(self, name: str, index: int) -> Optional[TargetSummary]:
        """The summary for the output `name`, at position `index` among the model's outputs."""
        if self.names is not None:
            return dict(zip(self.names, self.summaries)).get(name)
        return self.summaries[index] if index < len(self.summaries) else None


# ---------------------------------------------------------------------------------------------
# Summaries


def summarize_targets(y: Any) -> Targets:
    """Summarise training targets given in any form `model.fit` accepts (see the module doc)."""
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


# ---------------------------------------------------------------------------------------------
# Files, for `keras-headcheck check MODEL --targets FILE`


def load_targets_file(path: str) -> Targets:
    """Targets from a `.npy`, a `.npz` holding one array, or a `.csv` file (pickles refused)."""
    from .readers.errors import ReadError
    from .readers.files import open_regular  # a FIFO is refused, never waited on
    import zipfile  # imported here: a lint without targets loads neither zip nor csv

    lower = path.lower()
    if not lower.endswith((".npy", ".npz", ".csv")):
        raise TargetError("expected a .npy, .npz or .csv file")
    try:
        with open_regular(path) as handle:
            if lower.endswith(".csv"):
                return summarize_targets(_load_csv(handle))
            return summarize_targets(_load_numpy(handle, archive=lower.endswith(".npz")))
    except TargetError:
        raise
    except ReadError as exc:
        raise TargetError(str(exc)) from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        message = str(exc).strip().splitlines()
        raise TargetError(message[0] if message else type(exc).__name__) from None


def _load_numpy(handle: Any, archive: bool) -> Any:
    import numpy as np

    loaded = np.load(handle, allow_pickle=False)
    if not hasattr(loaded, "files"):
        if archive:
            raise TargetError("not a .npz archive")
        return loaded
    with loaded:
        if not archive:
            raise TargetError("a .npz archive, not a .npy array")
        if len(loaded.files) != 1:
            raise TargetError(f".npz holds {len(loaded.files)} arrays, expected exactly one")
        return loaded[loaded.files[0]]


def _load_csv(handle: Any) -> Any:
    """Numbers in columns; a first line that is not numeric is a header."""
    import io
    import csv

    import numpy as np

    if os.fstat(handle.fileno()).st_size > MAX_CSV_BYTES:
        raise TargetError(f"over the {MAX_CSV_BYTES}-byte limit for .csv targets")
    with io.TextIOWrapper(handle, newline="", encoding="utf-8") as text:
        reader = csv.reader(text)
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    if rows and not all(_is_number(cell) for cell in rows[0][1]):
        rows = rows[1:]
    if not rows:
        raise TargetError("no rows of numbers")
    width = len(rows[0][1])
    for line, row in rows:
        if len(row) != width or not all(_is_number(cell) for cell in row):
            raise TargetError(f"line {line}: expected {width} number(s), like the first row")
    as_int = all(_is_int(cell) for _, row in rows for cell in row)
    array = np.array([[(int if as_int else float)(cell) for cell in row] for _, row in rows])
    return array[:, 0] if width == 1 else array


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _is_int(cell: str) -> bool:
    try:
        int(cell)
    except ValueError:
        return False
    return True
