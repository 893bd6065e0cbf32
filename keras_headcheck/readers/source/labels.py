"""Labels as the source interpreter sees them: target facts carried through the program.

A `Labels` value stands for an array of training targets whose format the program shows (class
ids from `mnist.load_data()`, one-hot rows from `to_categorical(y, 10)`...). Every operation this
module does not know for certain turns it back into UNKNOWN, so a chain that leaves what the
reader can see (a CSV read, a custom generator, a `.map(fn)`) leaves the facts unknown and the
target rules quiet: a missed finding is cheaper than a false alarm.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, replace
from typing import Any, Optional

from ...knowledge.datasets import CONTINUOUS, IDS, ONE_HOT, ZERO_ONE, LabelSpec
from ...targets import MAX_VALUES, TargetSummary
from .values import UNKNOWN, Unknown

MAX_TEXT = 48  # characters of source quoted in a provenance
NOT_LABELS = object()  # "this call is not about labels": the interpreter carries on as before


@dataclass(frozen=True, eq=False)
class Labels:
    """An array of labels: its facts, where it came from, the last step that changed it."""

    facts: TargetSummary  # source and line left empty: see `provenance`
    origin: str  # "`mnist.load_data()` (line 3)"
    step: Optional[str] = None  # "`y_train / 255` (line 5)"
    unsigned: bool = False  # uint8 values wrap around below 0

    @property
    def provenance(self) -> str:
        return f"{self.origin} via {self.step}" if self.step else self.origin

    def with_facts(self, node: Optional[ast.AST] = None, **changes: Any) -> "Labels":
        step = quote(node) if node is not None else self.step
        return Labels(replace(self.facts, **changes), self.origin, step, self.unsigned)

    def rows_unknown(self) -> "Labels":
        shape = self.facts.shape
        return self.with_facts(shape=(None, *shape[1:]) if shape else shape)


@dataclass(frozen=True, eq=False)
class Batches:
    """A dataset or generator yielding `(x, y)` batches; `y` is Labels, a dict/list of them, None
    (no targets) or UNKNOWN."""

    y: Any
    batched: bool = True


@dataclass(frozen=True, eq=False)
class Tool:
    """An object that makes labels: `np.eye(n)`, `LabelEncoder()`, `ImageDataGenerator()`."""

    kind: str  # "eye" | "LabelEncoder" | "OneHotEncoder" | "LabelBinarizer" | "datagen"
    size: Optional[int] = None  # np.eye(n): n
    node: Optional[ast.AST] = None  # the constructor call, quoted in provenances


LABEL_VALUES = (Labels, Batches, Tool)


def quote(node: ast.AST) -> str:
    """"`text` (line N)" for a provenance, the text cut short."""
    try:
        text = ast.unparse(node)
    except (ValueError, RecursionError):  # pragma: no cover - unparse of a parsed tree
        text = "..."
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 3] + "..."
    return f"`{text}` (line {getattr(node, 'lineno', '?')})"


# --- facts from knowledge -----------------------------------------------------------------------


def from_spec(spec: LabelSpec, origin: str, rows: Optional[int] = None, classes: Any = None) -> Any:
    """Labels for a loader entry; `classes` overrides the entry's class count when known."""
    count = classes if isinstance(classes, int) and classes > 0 else spec.classes
    shape = (rows, *spec.sample_shape)
    if spec.format == CONTINUOUS:
        if spec.low is None or spec.high is None:
            return UNKNOWN
        facts = TargetSummary(shape, spec.kind, spec.low, spec.high, False)
    elif spec.format == IDS:
        facts = class_ids(shape, count, spec.kind)
    elif spec.format == ONE_HOT:
        facts = one_hot((rows, count), spec.kind)
    elif spec.format == ZERO_ONE:
        facts = TargetSummary((rows, count), spec.kind, 0.0, 1.0, True, (0.0, 1.0))
    else:  # pragma: no cover - every format of the table is above
        return UNKNOWN
    return Labels(facts, origin, unsigned=spec.unsigned)


def class_ids(shape: Any, count: Optional[int], kind: str = "int") -> TargetSummary:
    """Integer ids 0..count-1 (the highest unknown when count is None)."""
    high = float(count - 1) if count else math.nan
    values = tuple(float(v) for v in range(count)) if count and count <= MAX_VALUES else None
    return TargetSummary(shape, kind, 0.0, high, True, values)


def one_hot(shape: Any, kind: str = "float") -> TargetSummary:
    return TargetSummary(shape, kind, 0.0, 1.0, True, (0.0, 1.0), (1, 1))


def is_ids(value: Any) -> bool:
    """One whole number >= 0 per sample, as (rows,) or (rows, 1): class ids (0/1 labels too)."""
    if not isinstance(value, Labels):
        return False
    t = value.facts
    column = t.shape is not None and (len(t.shape) == 1 or len(t.shape) == 2 and t.shape[1] == 1)
    return column and t.numeric and t.integer_valued and t.minimum >= 0


def id_count(value: Labels) -> Optional[int]:
    """How many class ids labels can take, when known (ids 0..n-1)."""
    high = value.facts.maximum
    return None if math.isnan(high) else int(high) + 1


def per_output(y: Any, fn: Any) -> Any:
    """Apply `fn` to labels, or to each of a dict/list of labels; anything else is UNKNOWN."""
    if isinstance(y, Labels):
        return fn(y)
    if isinstance(y, dict) and y and all(isinstance(v, Labels) for v in y.values()):
        return {k: fn(v) for k, v in y.items()}
    if isinstance(y, (list, tuple)) and y and all(isinstance(v, Labels) for v in y):
        return [fn(v) for v in y]
    return UNKNOWN


# --- arithmetic and casts ------------------------------------------------------------------------

OPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
}
VALUES_ONLY = (ast.FloorDiv, ast.Mod)  # not monotone: only with every value known


def arithmetic(op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
    """`y / 255`, `y - 1`, `y * 2 - 1`, `1 - y`: the values (or the range) moved; else UNKNOWN."""
    labels, number, reflected = (
        (left, right, False) if isinstance(left, Labels) else (right, left, True)
    )
    fn = OPS.get(type(op))
    if fn is None or not _number(number) or not isinstance(labels, Labels):
        return UNKNOWN
    if isinstance(op, (ast.Div, *VALUES_ONLY)) and (number == 0 or reflected):
        return UNKNOWN
    t = labels.facts

    def apply(v: float) -> float:
        return float(fn(number, v) if reflected else fn(v, number))

    if t.values is not None:
        values = tuple(sorted({apply(v) for v in t.values}))
        low, high = values[0], values[-1]
        integer = all(v.is_integer() for v in values)
    elif isinstance(op, VALUES_ONLY):
        return UNKNOWN
    elif not (math.isnan(t.minimum) or math.isnan(t.maximum)) and t.kind != "other":
        values = None
        low, high = sorted((apply(t.minimum), apply(t.maximum)))
        # range-only facts are consecutive class ids or continuous values: a fraction or a
        # division leaves some values fractional
        integer = t.integer_valued and isinstance(number, int) and not isinstance(op, ast.Div)
    else:
        return UNKNOWN
    if labels.unsigned and (low < 0 or high > 255):
        return UNKNOWN  # uint8 labels wrap around: the values are not what the code reads as
    whole = t.kind in ("int", "bool") and integer and not isinstance(op, ast.Div)
    kind = "int" if whole else "float"
    positives = t.positives if values == t.values else None
    return labels.with_facts(
        node, kind=kind, minimum=low, maximum=high, integer_valued=integer, values=values,
        positives=positives,
    )


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


FLOAT_TYPES = frozenset({"float", "float16", "float32", "float64", "double", "half", "bfloat16"})
INT_TYPES = frozenset({"int", "int8", "int16", "int32", "int64", "uint8", "long", "intc"})


def dtype_name(value: Any) -> Optional[str]:
    """"float32" for `"float32"`, `np.float32`, `tf.float32`, `float`; None otherwise."""
    from .values import Ref

    if isinstance(value, str):
        return value
    if isinstance(value, Ref):
        return value.tail
    return None


def cast(labels: Labels, dtype: Any, node: ast.AST) -> Any:
    name = dtype_name(dtype)
    t = labels.facts
    if name in FLOAT_TYPES:
        return labels.with_facts(node, kind="float")
    if name in INT_TYPES and t.integer_valued and t.kind != "other":
        if name == "uint8" and (t.minimum < 0 or t.maximum > 255):
            return UNKNOWN
        return Labels(replace(t, kind="int"), labels.origin, quote(node), name == "uint8")
    return UNKNOWN


def reshape(labels: Labels, shape: Any) -> Any:
    """Only between one label per sample as (rows,) and as (rows, 1); anything else: UNKNOWN."""
    t = labels.facts
    if not (t.shape and all(d == 1 for d in t.shape[1:])):
        return UNKNOWN
    dims = tuple(shape) if isinstance(shape, (list, tuple)) else (shape,)
    if not all(isinstance(d, int) and not isinstance(d, bool) for d in dims):
        return UNKNOWN
    rows = t.shape[0]
    if dims in ((-1,),) or (len(dims) == 1 and dims[0] == rows):
        return labels.with_facts(shape=(rows,))
    if len(dims) == 2 and dims[1] == 1 and (dims[0] == -1 or dims[0] == rows):
        return labels.with_facts(shape=(rows, 1))
    return UNKNOWN


def squeeze(labels: Labels) -> Any:
    t = labels.facts
    if t.shape and len(t.shape) == 2 and t.shape[1] == 1:
        return labels.with_facts(shape=(t.shape[0],))
    if t.shape and len(t.shape) == 1:
        return labels
    return UNKNOWN


def expand_last(labels: Labels) -> Any:
    t = labels.facts
    if t.shape is None:
        return UNKNOWN
    return labels.with_facts(shape=(*t.shape, 1))


def rows(labels: Labels, node: ast.Subscript, index: Any) -> Any:
    """`y[:1000]`: the same labels, fewer rows. `y[mask]`, `y[idx]`: rows picked at run time, maybe
    whole classes left out (`y[y < 5]`), so only one-hot rows keep their facts (each picked row
    is still one-hot, as wide as before). `y[:, 0]`, `y[3]`: UNKNOWN."""
    if isinstance(node.slice, ast.Slice) and node.slice.step is None:  # y[a:b], bounds or not
        return labels.rows_unknown()
    if isinstance(node.slice, (ast.Tuple, ast.Slice, ast.Constant)) or not isinstance(index, Unknown):
        return UNKNOWN
    return labels.rows_unknown() if labels.facts.one_hot else UNKNOWN
