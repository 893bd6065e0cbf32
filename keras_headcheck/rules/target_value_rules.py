"""HC404-HC409: the targets' values (their range, the values they take, the positives per row)
against the output's activation and the loss.

Each rule sees one output's `Head` and the `TargetSummary` of that output's targets, never the
arrays themselves.
"""

from __future__ import annotations

from typing import Iterator

from ..head import (
    BINARY_LOSSES, CATEGORICAL_LOSSES, CROSSENTROPY_LOSSES, HINGE_LOSSES, REGRESSION_LOSSES, Head,
    activation_range,
)
from ..targets import TargetSummary
from .registry import Hit, rule
from .target_fit import SAME_SHAPE_LOSSES, ids_with_categorical
from .wording import loss_text, number, targets_text

TOLERANCE = 1e-6


def _logits(head: Head) -> bool:
    return bool(head.loss and head.loss.from_logits and head.loss.name in CROSSENTROPY_LOSSES)


def _signed_labels(t: TargetSummary) -> bool:
    return t.values == (-1.0, 1.0)


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
    loss = head.loss_name
    if not t.numeric or (head.loss and loss not in SAME_SHAPE_LOSSES) or loss in HINGE_LOSSES:
        return
    if ids_with_categorical(head, t) or (loss in BINARY_LOSSES and _signed_labels(t)):
        return  # HC401 / HC407 say it better
    if _logits(head):
        bounds, what = (0.0, 1.0), f"the probabilities {loss_text(head)} computes from the logits"
    else:
        bounds = activation_range(head.activation)  # type: ignore[assignment]
        what = f"the {head.activation} output of `{head.layer}`"
    if bounds is None:
        return
    low, high = bounds
    if t.minimum < low - TOLERANCE or t.maximum > high + TOLERANCE:
        yield Hit(
            f"{targets_text(t)} range over [{number(t.minimum)}, {number(t.maximum)}], outside the "
            f"[{number(low)}, {number(high)}] range of {what}"
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
        _logits(head) and head.loss_name in CATEGORICAL_LOSSES
    )
    if softmax and t.multi_hot:
        yield Hit(
            f"{targets_text(t)} have up to {t.positives[1]} positive labels per row "  # type: ignore[index]
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
    loss = head.loss_name
    if head.activation != "linear" or not (loss in REGRESSION_LOSSES or head.loss is None):
        return
    if t.numeric and not t.integer_valued and t.minimum >= 0 and t.maximum <= 1:
        yield Hit(f"{targets_text(t)} all lie in [0, 1] ({t.describe()}), but `{head.layer}` is linear")


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
    if head.loss_name in BINARY_LOSSES and _signed_labels(t):
        yield Hit(f"{targets_text(t)} are labels in {{-1, 1}}, but {loss_text(head)} expects 0 or 1")


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
    if head.loss_name in REGRESSION_LOSSES and t.values == (0.0, 1.0):
        yield Hit(f"{targets_text(t)} only take the values 0 and 1, but are fitted with {loss_text(head)}")


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
    if sigmoid and units and units > 1 and head.loss_name in BINARY_LOSSES and t.one_hot:
        yield Hit(
            f"{targets_text(t)} have exactly one positive per row ({t.describe()}), but "
            f"`{head.layer}` has {units} independent sigmoids"
        )
