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

The package has one module per thing it knows: summary.py, the one form of target facts the rules
read (and the source reader fills in); arrays.py, summarising what `fit` takes; files.py, the
`--targets FILE` formats.
"""

from __future__ import annotations

from .arrays import MAX_BATCHES, MAX_ELEMENTS, summarize_array, summarize_targets
from .files import MAX_CSV_BYTES, load_targets_file
from .summary import MAX_VALUES, TargetError, Targets, TargetSummary

__all__ = [
    "MAX_BATCHES", "MAX_CSV_BYTES", "MAX_ELEMENTS", "MAX_VALUES", "TargetError", "TargetSummary",
    "Targets", "load_targets_file", "summarize_array", "summarize_targets",
]
