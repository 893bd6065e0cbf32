"""HC203-HC207: the activation and the units against the kind of loss (regression, categorical,
binary): a pairing that cannot learn the task."""

from __future__ import annotations

from typing import Iterator

from ..head import BINARY_LOSSES, CATEGORICAL_LOSSES, REGRESSION_LOSSES, Head
from .registry import Hit, Intent, rule
from .wording import loss_text

BINARY_OF = {
    "categorical_crossentropy": "binary_crossentropy",
    "categorical_focal_crossentropy": "binary_focal_crossentropy",
}


@rule(
    "HC203",
    "softmax-with-regression-loss",
    "warning",
    "Use `sigmoid` for bounded targets or `linear` for unbounded ones; for target "
    "distributions use categorical crossentropy or KL divergence.",
    severity_note="error when units == 1",
)
def softmax_with_regression_loss(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for a softmax output trained with a regression loss (MSE, MAE, MAPE, MSLE, Huber,
    log-cosh).

    ## Why is this bad?
    Softmax ties the outputs together (they must sum to one), which a regression target does
    not do; on a single unit it outputs a constant 1.0 and nothing is learned (an error). For
    probability targets, a sigmoid per value or a distribution loss fits the problem.

    ## Example
    ```python
    model.add(keras.layers.Dense(1, activation="softmax"))
    model.compile(loss="mse")
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(loss="mse")
    ```

    ## Fix safety
    The fix writes `activation="sigmoid"` in place of the layer's `"softmax"`, and is unsafe
    (applied only with `--unsafe-fixes`): a sigmoid is right for targets in [0, 1], while
    unbounded targets need a linear output, and the tool cannot see which the targets are.
    """
    if head.activation == "softmax" and head.loss_name in REGRESSION_LOSSES:
        severity = "error" if head.units == 1 else None
        fix = Intent("set_activation", "sigmoid", "unsafe",
                     "Use a sigmoid output (for targets in [0, 1]; unbounded ones need linear)")
        message = f"softmax output of `{head.layer}` trained with {loss_text(head)}"
        yield Hit(message, severity, None, fix)


@rule(
    "HC204",
    "sigmoid-with-categorical-crossentropy",
    "warning",
    "Use softmax for exclusive classes, or binary crossentropy for multi-label targets.",
)
def sigmoid_with_categorical_crossentropy(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for a sigmoid over more than one unit trained with categorical or sparse
    categorical crossentropy.

    ## Why is this bad?
    Categorical crossentropy assumes the outputs form one distribution over exclusive classes.
    Independent sigmoids do not sum to one: the loss only pushes the true class up and never
    pushes the others down, so predictions drift towards "everything is 1".

    ## Example
    ```python
    model.add(keras.layers.Dense(10, activation="sigmoid"))
    model.compile(loss="categorical_crossentropy")
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(loss="categorical_crossentropy")
    ```
    """
    name = head.loss_name
    units = head.units
    if head.activation == "sigmoid" and units and units > 1:
        if name in CATEGORICAL_LOSSES or name == "sparse_categorical_crossentropy":
            yield Hit(f"sigmoid over {units} units in `{head.layer}` trained with {loss_text(head)}")


@rule(
    "HC205",
    "softmax-with-binary-crossentropy",
    "warning",
    "Use categorical crossentropy for exclusive classes, or sigmoid outputs for multi-label.",
)
def softmax_with_binary_crossentropy(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for a softmax over more than two units trained with binary crossentropy.

    ## Why is this bad?
    Binary crossentropy treats each unit as an independent yes/no question, while softmax makes
    them compete. The loss is the wrong objective for either reading, and the "accuracy" Keras
    reports with it is binary accuracy per unit: with 10 classes a model that predicts nothing
    scores 90%.

    ## Example
    ```python
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(loss="binary_crossentropy", metrics=["accuracy"])
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    ```
    """
    units = head.units
    if head.activation == "softmax" and units and units > 2 and head.loss_name in BINARY_LOSSES:
        yield Hit(f"softmax over {units} units in `{head.layer}` trained with {loss_text(head)}")


@rule(
    "HC206",
    "categorical-crossentropy-on-single-unit",
    "error",
    "Use binary crossentropy with one sigmoid unit, or one output unit per class.",
)
def categorical_crossentropy_on_single_unit(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for categorical crossentropy on an output with a single unit.

    ## Why is this bad?
    Categorical crossentropy sums `-y * log(p)` over the class axis after normalising it; over
    one unit the normalised prediction is always 1, so the loss is constantly 0 and nothing is
    learned.

    ## Example
    ```python
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(loss="categorical_crossentropy")
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(loss="binary_crossentropy")
    ```

    ## Fix safety
    The fix makes the loss binary crossentropy (the string, the loss class, or
    `keras.losses.categorical_crossentropy` renamed; focal losses to their binary focal form),
    and is safe: a loss that is constantly 0 trains nothing, and one unit is a binary output.
    No fix when a loss class call has arguments the binary class does not take the same way.

    ## Known problems
    - Keras 3 and tf_keras divide the output by its sum over the class axis before the log
      (`categorical_crossentropy` in `backend/*/nn.py`), so one unit is always 1.0 whatever its
      activation: the loss is exactly 0 on every backend.
    """
    if head.units == 1 and head.loss_name in CATEGORICAL_LOSSES:
        binary = BINARY_OF[head.loss_name]  # type: ignore[index]
        fix = Intent("rename_loss", binary, message=f"Use `{binary}`")
        yield Hit(f"{loss_text(head)} on the single unit of `{head.layer}` is always 0", intent=fix)


@rule(
    "HC207",
    "sparse-categorical-crossentropy-on-single-unit",
    "error",
    "Use one output unit per class, or one sigmoid unit with binary crossentropy.",
)
def sparse_categorical_crossentropy_on_single_unit(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for sparse categorical crossentropy on an output with a single unit.

    ## Why is this bad?
    Sparse categorical crossentropy reads each label as an index into the class axis. With one
    unit only label 0 is in range: every other label is out of bounds (a crash, a NaN, or
    silently garbage depending on the backend and device).

    ## Example
    ```python
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(loss="sparse_categorical_crossentropy")
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(2, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy")
    ```

    ## Known problems
    - What an out-of-range label does depends on the backend: TensorFlow raises
      `InvalidArgumentError` on CPU (and may return NaN on GPU); JAX one-hot encodes the label to all
      zeros (`keras/src/backend/jax/nn.py`), so the loss is silently 0; PyTorch raises an index
      error. The head is wrong on all of them.
    """
    if head.units == 1 and head.loss_name == "sparse_categorical_crossentropy":
        yield Hit(
            f"{loss_text(head)} on the single unit of `{head.layer}`: labels above 0 are out of range"
        )
