"""HC401-HC403: the targets' encoding (class ids or one-hot rows) and width against the loss
and the output's units.

Each rule sees one output's `Head` and the `TargetSummary` of that output's targets, never the
arrays themselves.
"""

from __future__ import annotations

from typing import Iterator

from ..head import Head
from ..targets import TargetSummary
from .registry import Hit, Intent, rule
from .target_fit import (
    SAME_SHAPE_LOSSES, SPARSE, class_ids, ids_with_categorical, output_rank, target_width,
)
from .wording import loss_text, number, targets_text


def _one_hot_width(head: Head) -> str:
    return f"of width {head.units}" if head.units else "as wide as the output"


@rule(
    "HC401",
    "class-ids-with-categorical-crossentropy",
    "error",
    "Use `sparse_categorical_crossentropy`, or one-hot the targets (`keras.utils.to_categorical`).",
    needs_targets=True,
)
def class_ids_with_categorical_crossentropy(head: Head, t: TargetSummary) -> Iterator[Hit]:
    """
    ## What it does
    Checks for integer class ids (one label per sample) as the targets of categorical
    crossentropy.

    ## Why is this bad?
    Categorical crossentropy expects one-hot rows as wide as the output. Given a column of class
    ids, `fit` stops at the first batch with a shape error ("`target` and `output` must have the
    same shape") that does not say what is wrong; a hand-written training loop that broadcasts
    the two silently optimises nonsense instead.

    ## Example
    ```python
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(loss="categorical_crossentropy")
    model.fit(x, y)  # y = [3, 0, 7, ...]
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy")
    model.fit(x, y)  # y = [3, 0, 7, ...]
    ```

    ## Fix safety
    The fix swaps the loss for sparse categorical crossentropy (the string, the loss class, or
    `keras.losses.categorical_crossentropy` renamed), and is safe: the targets the tool read are
    class ids, which is what that loss takes. No fix for the focal loss (it has no sparse form)
    or for a loss class call with arguments the sparse class does not take (`label_smoothing`).
    """
    if ids_with_categorical(head, t):
        fix = None
        if head.loss_name == "categorical_crossentropy":  # no sparse form of the focal loss
            fix = Intent("rename_loss", SPARSE, message=f"Use `{SPARSE}`")
        yield Hit(
            f"{targets_text(t)} are integer class ids ({t.describe()}), but {loss_text(head)} "
            f"expects one-hot rows {_one_hot_width(head)}",
            intent=fix,
        )


@rule(
    "HC402",
    "non-integer-targets-with-sparse-categorical-crossentropy",
    "error",
    "Use `categorical_crossentropy` for one-hot or soft targets, or `argmax` them into class ids.",
    needs_targets=True,
)
def non_integer_targets_with_sparse(head: Head, t: TargetSummary) -> Iterator[Hit]:
    """
    ## What it does
    Checks for sparse categorical crossentropy trained on targets that are not integer class
    ids: one-hot rows, or fractional values (such as labels divided by 255).

    ## Why is this bad?
    Sparse categorical crossentropy reads each target as the index of the true class. Fractions
    are truncated to class 0 (or rejected, depending on the backend), and one-hot rows are read
    as a sequence of indices 0 and 1: the model learns the wrong task or crashes.

    ## Example
    ```python
    model.compile(loss="sparse_categorical_crossentropy")
    model.fit(x, keras.utils.to_categorical(labels))
    ```

    Use instead:
    ```python
    model.compile(loss="sparse_categorical_crossentropy")
    model.fit(x, labels)  # integer class ids
    ```

    ## Fix safety
    For one-hot rows, the fix swaps the loss for categorical crossentropy (safe: that loss reads
    one-hot rows). For other rows of values it is unsafe (`--unsafe-fixes`): categorical
    crossentropy is right for soft labels that are distributions, and the tool cannot tell. Whole
    numbers that are not class ids (fractions) get no fix: the targets are what is wrong.
    """
    if head.loss_name != SPARSE or not t.numeric:
        return
    width, rank = target_width(head, t), output_rank(head)
    rows_of_classes = width is not None and width > 1 or width is None and t.one_hot
    if rows_of_classes and t.shape is not None and (rank is None or t.ndim == rank):
        kind = "one-hot rows" if t.one_hot else "rows of values"
        safety = "safe" if t.one_hot else "unsafe"  # rows of values: soft targets, or not classes
        fix = Intent("rename_loss", "categorical_crossentropy", safety,
                     "Use `categorical_crossentropy`")
        yield Hit(f"{targets_text(t)} are {kind} ({t.describe()}), not integer class ids", intent=fix)
    elif not t.integer_valued:
        yield Hit(f"{targets_text(t)} are not whole numbers ({t.describe()}), so not class ids")


@rule(
    "HC403",
    "targets-do-not-fit-output",
    "error",
    "Give the output one unit per class (or per target value).",
    needs_targets=True,
)
def targets_do_not_fit_output(head: Head, t: TargetSummary) -> Iterator[Hit]:
    """
    ## What it does
    Checks that the targets fit the width of the output: class ids below the number of units,
    one-hot rows as wide as the output, regression targets with one column per unit.

    ## Why is this bad?
    A class id at or above the number of units is out of range: depending on the backend and
    device that is a crash, a NaN loss, or silently garbage. With a regression loss, a target
    column narrower than the output is broadcast against every unit, so training silently fits
    the wrong thing; crossentropy losses stop at the first batch with a shape error.

    ## Example
    ```python
    model.add(keras.layers.Dense(3, activation="softmax"))  # 3 units...
    model.compile(loss="sparse_categorical_crossentropy")
    model.fit(x, y)  # ...for labels 0, 1, 2, 3
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(4, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy")
    model.fit(x, y)
    ```
    """
    loss, units = head.loss_name, head.units
    if loss is None or units is None or not t.numeric:
        return
    if loss == SPARSE:
        if class_ids(head, t) and (t.maximum >= units or t.minimum < 0):
            bad = number(t.maximum) if t.maximum >= units else number(t.minimum)
            yield Hit(f"{targets_text(t)} include class id {bad}, but `{head.layer}` has {units} units")
        return
    width = target_width(head, t)
    if loss not in SAME_SHAPE_LOSSES or ids_with_categorical(head, t):
        return
    if width is not None and width != units:
        yield Hit(
            f"{targets_text(t)} have width {width} ({t.describe()}), but `{head.layer}` "
            f"has {units} units"
        )
