"""What the target rules know about the targets of one output, in one frozen form: the summary
that `summarize_array` fills from real arrays and the source reader from what a program says."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

MAX_VALUES = 32  # distinct values kept in a summary


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
