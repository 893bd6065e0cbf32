"""HC4xx: the head against the training targets (only when targets are given).

Each rule sees one output's `Head` and the `TargetSummary` of that output's targets, never the
arrays themselves.
"""

from __future__ import annotations

import math
from typing import Iterator, Optional

from ..head import (
    BINARY_LOSSES,
    CATEGORICAL_LOSSES,
    CROSSENTROPY_LOSSES,
    HINGE_LOSSES,
    REGRESSION_LOSSES,
    Head,
    activation_range,
)
from ..targets import TargetSummary
from .registry import Hit, Intent, rule

SPARSE = "sparse_categorical_crossentropy"
TOLERANCE = 1e-6
# Losses whose targets have the output's shape (not CTC label sequences, not sparse class ids).
SAME_SHAPE_LOSSES = (
    (CROSSENTROPY_LOSSES - {SPARSE})
    | REGRESSION_LOSSES
    | HINGE_LOSSES
    | {"poisson", "kl_divergence", "cosine_similarity", "dice", "tversky"}
)


# --- how the targets line up with the output ---------------------------------------------------


def _output_rank(head: Head) -> Optional[int]:
    final = head.final
    return len(final.shape) if final is not None and final.shape else None


def _width(head: Head, t: TargetSummary) -> Optional[int]:
    """The targets' size along the output's unit axis, as Keras lines them up (a missing last
    axis is added as size 1); None when the ranks do not say."""
    rank = _output_rank(head)
    if t.shape is None:
        return None
    if rank is None:
        return t.shape[-1] if t.ndim >= 2 else 1
    if t.ndim == rank:
        try:
            return t.shape[head.axis]
        except IndexError:
            return None
    return 1 if t.ndim == rank - 1 else None


def _class_ids(head: Head, t: TargetSummary) -> bool:
    """Integer labels, one per prediction (as sparse categorical crossentropy reads them)."""
    return t.numeric and t.integer_valued and _width(head, t) == 1


def _known_loss(head: Head) -> Optional[str]:
    return head.loss.name if head.loss else None


def _logits(head: Head) -> bool:
    return bool(head.loss and head.loss.from_logits and head.loss.name in CROSSENTROPY_LOSSES)


def _out(t: TargetSummary) -> str:
    """Who the targets are: real arrays, or labels the source reader followed to where they came from."""
    return f"the labels from {t.source}" if t.source else "the targets"


def _one_hot_width(head: Head) -> str:
    return f"of width {head.units}" if head.units else "as wide as the output"


def _signed_labels(t: TargetSummary) -> bool:
    return t.values == (-1.0, 1.0)


def _ids_with_categorical(head: Head, t: TargetSummary) -> bool:
    return (
        _known_loss(head) in CATEGORICAL_LOSSES
        and head.units != 1
        and _class_ids(head, t)
        and t.minimum >= 0
    )


# --- rules -------------------------------------------------------------------------------------


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
    if _ids_with_categorical(head, t):
        fix = None
        if head.loss_name == "categorical_crossentropy":  # no sparse form of the focal loss
            fix = Intent("rename_loss", SPARSE, message=f"Use `{SPARSE}`")
        yield Hit(
            f"{_out(t)} are integer class ids ({t.describe()}), but {head.loss.written} "  # type: ignore[union-attr]
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
    if _known_loss(head) != SPARSE or not t.numeric:
        return
    width, rank = _width(head, t), _output_rank(head)
    rows_of_classes = width is not None and width > 1 or width is None and t.one_hot
    if rows_of_classes and t.shape is not None and (rank is None or t.ndim == rank):
        kind = "one-hot rows" if t.one_hot else "rows of values"
        safety = "safe" if t.one_hot else "unsafe"  # rows of values: soft targets, or not classes
        fix = Intent("rename_loss", "categorical_crossentropy", safety,
                     "Use `categorical_crossentropy`")
        yield Hit(f"{_out(t)} are {kind} ({t.describe()}), not integer class ids", intent=fix)
    elif not t.integer_valued:
        yield Hit(f"{_out(t)} are not whole numbers ({t.describe()}), so not class ids")


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
    loss, units = _known_loss(head), head.units
    if loss is None or units is None or not t.numeric:
        return
    if loss == SPARSE:
        if _class_ids(head, t) and (t.maximum >= units or t.minimum < 0):
            bad = _num(t.maximum) if t.maximum >= units else _num(t.minimum)
            yield Hit(f"{_out(t)} include class id {bad}, but `{head.layer}` has {units} units")
        return
    width = _width(head, t)
    if loss not in SAME_SHAPE_LOSSES or _ids_with_categorical(head, t):
        return
    if width is not None and width != units:
        yield Hit(
            f"{_out(t)} have width {width} ({t.describe()}), but `{head.layer}` "
            f"has {units} units"
        )


@rule(
    "HC404",
    "targets-outside-output-range",
    "error",
    "Use an output activation whose range covers the targets (usually linear), or rescale them.",
    needs_targets=True,
)
def targets_outside_output_range(head: Head, t: TargetSummary) -> Iterator[Hit]:
    """
    ## What it does
    Checks for targets outside the range the final activation can produce: [0, 1] for sigmoid
    and softmax (and for crossentropy on logits), [-1, 1] for tanh, at least 0 for relu,
    softplus and exponential.

    ## Why is this bad?
    The model can never reach those targets. The loss stays high, and the gradient keeps pushing
    the activation into saturation, where it vanishes: a sigmoid regressing prices above 1 or a
    relu regressing negative values stops learning.

    ## Example
    ```python
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(loss="mse")
    model.fit(x, prices)  # 120.0, 340.5, ...
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(1))
    model.compile(loss="mse")
    model.fit(x, prices)
    ```
    """
    loss = _known_loss(head)
    if not t.numeric or (head.loss and loss not in SAME_SHAPE_LOSSES) or loss in HINGE_LOSSES:
        return
    if _ids_with_categorical(head, t) or (loss in BINARY_LOSSES and _signed_labels(t)):
        return  # HC401 / HC407 say it better
    if _logits(head):
        bounds, what = (0.0, 1.0), f"the probabilities {head.loss.written} computes from the logits"  # type: ignore[union-attr]
    else:
        bounds = activation_range(head.activation)  # type: ignore[assignment]
        what = f"the {head.activation} output of `{head.layer}`"
    if bounds is None:
        return
    low, high = bounds
    if t.minimum < low - TOLERANCE or t.maximum > high + TOLERANCE:
        yield Hit(
            f"{_out(t)} range over [{_num(t.minimum)}, {_num(t.maximum)}], outside the "
            f"[{_num(low)}, {_num(high)}] range of {what}"
        )


@rule(
    "HC405",
    "multi-hot-targets-with-softmax",
    "error",
    "Use a sigmoid output with binary crossentropy for multi-label targets.",
    needs_targets=True,
)
def multi_hot_targets_with_softmax(head: Head, t: TargetSummary) -> Iterator[Hit]:
    """
    ## What it does
    Checks for multi-hot targets (rows with several positive classes) on a softmax output (or
    categorical crossentropy on logits, which applies one).

    ## Why is this bad?
    Softmax makes the classes compete for a total of 1: with two true labels the best it can do
    is 0.5 each, so it can never be confident about any label and thresholds at 0.5 miss them.
    Multi-label problems need one independent sigmoid per label.

    ## Example
    ```python
    model.add(keras.layers.Dense(20, activation="softmax"))
    model.compile(loss="categorical_crossentropy")
    model.fit(x, tags)  # rows like [0, 1, 0, 1, ...]
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(20, activation="sigmoid"))
    model.compile(loss="binary_crossentropy")
    model.fit(x, tags)
    ```
    """
    softmax = head.activation == "softmax" or (
        _logits(head) and _known_loss(head) in CATEGORICAL_LOSSES
    )
    if softmax and t.multi_hot:
        yield Hit(
            f"{_out(t)} have up to {t.positives[1]} positive labels per row "  # type: ignore[index]
            f"({t.describe()}), but the softmax of `{head.layer}` makes them compete"
        )


@rule(
    "HC406",
    "unit-interval-targets-with-linear-output",
    "info",
    "Consider a `sigmoid` output (binary crossentropy also works with soft targets).",
    needs_targets=True,
)
def unit_interval_targets_with_linear_output(head: Head, t: TargetSummary) -> Iterator[Hit]:
    """
    ## What it does
    Checks for continuous targets that all lie in [0, 1] (fractions, probabilities, rates)
    predicted by an unbounded linear output.

    ## Why is this bad?
    It is not wrong, but the model can predict impossible values below 0 or above 1 and must
    learn the bounds from data. A sigmoid output respects them by construction; with binary
    crossentropy it is also a proper loss for probability targets.

    ## Example
    ```python
    model.add(keras.layers.Dense(1))
    model.compile(loss="mse")
    model.fit(x, click_rate)  # 0.013, 0.2, ...
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(loss="binary_crossentropy")
    model.fit(x, click_rate)
    ```
    """
    loss = _known_loss(head)
    if head.activation != "linear" or not (loss in REGRESSION_LOSSES or head.loss is None):
        return
    if t.numeric and not t.integer_valued and t.minimum >= 0 and t.maximum <= 1:
        yield Hit(f"{_out(t)} all lie in [0, 1] ({t.describe()}), but `{head.layer}` is linear")


@rule(
    "HC407",
    "signed-labels-with-binary-crossentropy",
    "error",
    "Map the labels to {0, 1} (`(y + 1) // 2`), or use a hinge loss with a linear or tanh output.",
    needs_targets=True,
)
def signed_labels_with_binary_crossentropy(head: Head, t: TargetSummary) -> Iterator[Hit]:
    """
    ## What it does
    Checks for labels in {-1, 1} trained with binary crossentropy.

    ## Why is this bad?
    Binary crossentropy computes `-(y log p + (1 - y) log(1 - p))` for y in [0, 1]. With y = -1
    the loss is unbounded below: it rewards pushing `p` towards 0 harder and harder and the
    loss goes negative, so training diverges instead of learning the negative class.

    ## Example
    ```python
    model.compile(loss="binary_crossentropy")
    model.fit(x, y)  # y in {-1, 1}
    ```

    Use instead:
    ```python
    model.compile(loss="binary_crossentropy")
    model.fit(x, (y + 1) // 2)  # y in {0, 1}
    ```
    """
    if _known_loss(head) in BINARY_LOSSES and _signed_labels(t):
        yield Hit(f"{_out(t)} are labels in {{-1, 1}}, but {head.loss.written} expects 0 or 1")  # type: ignore[union-attr]


@rule(
    "HC408",
    "binary-targets-with-regression-loss",
    "info",
    "Consider binary crossentropy (with a sigmoid output, or `from_logits=True`).",
    needs_targets=True,
)
def binary_targets_with_regression_loss(head: Head, t: TargetSummary) -> Iterator[Hit]:
    """
    ## What it does
    Checks for targets that only take the values 0 and 1 trained with a regression loss (MSE,
    MAE, ...).

    ## Why is this bad?
    A yes/no target is a classification problem. Squared error on a probability gives small,
    flat gradients near 0 and 1 and does not produce calibrated probabilities; binary
    crossentropy is the loss made for it.

    ## Example
    ```python
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(loss="mse")
    model.fit(x, is_spam)  # 0 or 1
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(loss="binary_crossentropy")
    model.fit(x, is_spam)
    ```
    """
    if _known_loss(head) in REGRESSION_LOSSES and t.values == (0.0, 1.0):
        yield Hit(f"{_out(t)} only take the values 0 and 1, but are fitted with {head.loss.written}")  # type: ignore[union-attr]


@rule(
    "HC409",
    "one-hot-targets-with-sigmoid",
    "warning",
    "Use a softmax output with categorical crossentropy for exclusive classes.",
    needs_targets=True,
)
def one_hot_targets_with_sigmoid(head: Head, t: TargetSummary) -> Iterator[Hit]:
    """
    ## What it does
    Checks for one-hot targets (exactly one positive per row: exclusive classes) on a
    multi-unit sigmoid output trained with binary crossentropy.

    ## Why is this bad?
    Independent sigmoids treat every class as a separate yes/no question, so the predicted
    "probabilities" do not sum to one and several classes can be predicted at once. For
    exclusive classes, softmax with categorical crossentropy models the problem exactly and
    usually trains faster.

    ## Example
    ```python
    model.add(keras.layers.Dense(10, activation="sigmoid"))
    model.compile(loss="binary_crossentropy")
    model.fit(x, keras.utils.to_categorical(labels))
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(loss="categorical_crossentropy")
    model.fit(x, keras.utils.to_categorical(labels))
    ```
    """
    sigmoid = head.activation == "sigmoid" or (_logits(head) and head.activation == "linear")
    units = head.units
    if sigmoid and units and units > 1 and _known_loss(head) in BINARY_LOSSES and t.one_hot:
        yield Hit(
            f"{_out(t)} have exactly one positive per row ({t.describe()}), but "
            f"`{head.layer}` has {units} independent sigmoids"
        )


def _num(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"
