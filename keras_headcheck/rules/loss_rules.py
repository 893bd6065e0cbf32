"""HC2xx: the head against its compiled loss."""

from __future__ import annotations

from typing import Iterator, Optional

from ..head import (
    BINARY_LOSSES,
    CATEGORICAL_LOSSES,
    CROSSENTROPY_LOSSES,
    HINGE_LOSSES,
    INF,
    NORMALISED_ACTIVATIONS,
    PROBABILITY_ACTIVATIONS,
    REGRESSION_LOSSES,
    Head,
    activation_range,
)
from .registry import Hit, Intent, rule

BINARY_OF = {
    "categorical_crossentropy": "binary_crossentropy",
    "categorical_focal_crossentropy": "binary_focal_crossentropy",
}
STRICTLY_POSITIVE = frozenset({"softplus", "exponential", "sigmoid", "softmax", "squareplus"})


def _loss(head: Head) -> str:
    return head.loss.written if head.loss else ""


@rule(
    "HC201",
    "probabilities-passed-as-logits",
    "error",
    "Drop the final activation (output logits), or set `from_logits=False`.",
)
def probabilities_passed_as_logits(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for a softmax/sigmoid output trained with a crossentropy loss created with
    `from_logits=True`.

    ## Why is this bad?
    The loss applies softmax/sigmoid itself, so the values are squashed twice: the model can
    never be confident and gradients nearly vanish. The TensorFlow backend silently detects
    and patches this case for softmax; JAX and PyTorch backends do not, so the same code trains
    differently depending on the backend.

    ## Example
    ```python
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(10))
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    ```

    ## Fix safety
    The fix removes `from_logits=True` from the loss's constructor call (safe): the loss then
    reads the probabilities the model outputs, which is what the TensorFlow backend already
    computes, and what JAX and PyTorch compute once the flag is gone. It is offered only for the
    pairs the TensorFlow backend patches (softmax into a categorical loss, sigmoid into a binary
    one), and only when the loss is constructed in the `compile(...)` call itself (not in a
    variable defined elsewhere).

    ## Known problems
    - Keras 3's TensorFlow backend (`keras/src/backend/tensorflow/nn.py`, `_get_logits`) sees
      that the output came from a softmax/sigmoid op, warns, and computes the loss from the logits
      before the activation, so training works there; tf_keras does the same. The JAX and PyTorch
      backends apply the activation twice. The rule fires whatever the backend: the model is wrong
      as written, and breaks when it moves backend or is saved and reloaded as a different graph.
    """
    loss = head.loss
    if loss and loss.name in CROSSENTROPY_LOSSES and loss.from_logits:
        if head.activation in ("softmax", "sigmoid"):
            yield Hit(
                f"{head.activation} output of `{head.layer}` goes into {_loss(head)} "
                "with from_logits=True",
                intent=_probabilities_fix(head),
            )


def _probabilities_fix(head: Head) -> Optional[Intent]:
    """Dropping the flag keeps the TensorFlow backend's meaning only for the pairs it patches
    (softmax into a categorical loss, sigmoid into a binary one); other pairs are HC204/HC205's."""
    binary = head.loss_name in BINARY_LOSSES
    if (head.activation == "sigmoid") != binary:
        return None
    return Intent("drop_from_logits", message="Remove `from_logits=True` from the loss")


@rule(
    "HC202",
    "logits-passed-as-probabilities",
    "error",
    "Add a softmax/sigmoid to the output, or set `from_logits=True` on the loss.",
)
def logits_passed_as_probabilities(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for an output that is not confined to probabilities (linear, relu, tanh, elu,
    softplus...) trained with a crossentropy loss that expects probabilities
    (`from_logits=False`, the default).

    ## Why is this bad?
    The loss clips the values into (0, 1) before taking the log: everything above 1 or below 0
    gets a zero gradient, and the model learns little or nothing. Negative raw scores from a
    linear layer are the norm, not the exception.

    ## Example
    ```python
    model.add(keras.layers.Dense(10))
    model.compile(loss="sparse_categorical_crossentropy")
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(10))
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    ```

    ## Fix safety
    The fix sets `from_logits=True` on the loss (safe: the output is unbounded scores, which is
    what the flag says). It is offered only for outputs unbounded both ways (linear): a relu or
    tanh output read as logits still cannot reach every probability, and wants another activation. A loss string (`"sparse_categorical_crossentropy"`) becomes the loss
    class, spelt through the module the file imports (`keras.losses....(from_logits=True)`); a
    loss class call gets the keyword, or its `from_logits=False` becomes `True`. No fix when the
    loss is a variable defined elsewhere, takes positional or `**` arguments, or the file
    imports no Keras losses module to spell the class with.

    ## Known problems
    - With `from_logits=False`, Keras 3 and tf_keras clip the output to [epsilon, 1 - epsilon]
      before the log (`backend/*/nn.py`): linear outputs do not give NaN, they give a loss whose
      gradient is zero outside that range. The categorical losses also divide the output by its
      sum over the class axis first, which has no meaning for signed values.
    """
    loss = head.loss
    if loss and loss.name in CROSSENTROPY_LOSSES and not loss.from_logits:
        if head.activation is not None and head.activation not in PROBABILITY_ACTIVATIONS:
            yield Hit(
                f"{head.activation} output of `{head.layer}` goes into {_loss(head)}, "
                "which expects probabilities",
                intent=_logits_fix(head),
            )


def _logits_fix(head: Head) -> Optional[Intent]:
    """`from_logits=True` means what the user wanted only for scores unbounded both ways: a relu
    or tanh output read as logits still cannot reach every probability (sigmoid(relu) >= 0.5)."""
    if activation_range(head.activation) != (-INF, INF):
        return None
    return Intent("set_from_logits", message="Set `from_logits=True` on the loss")


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
        yield Hit(f"softmax output of `{head.layer}` trained with {_loss(head)}", severity, None, fix)


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
            yield Hit(f"sigmoid over {units} units in `{head.layer}` trained with {_loss(head)}")


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
        yield Hit(f"softmax over {units} units in `{head.layer}` trained with {_loss(head)}")


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
        yield Hit(f"{_loss(head)} on the single unit of `{head.layer}` is always 0", intent=fix)


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
        yield Hit(f"{_loss(head)} on the single unit of `{head.layer}`: labels above 0 are out of range")


@rule(
    "HC208",
    "hinge-on-probabilities",
    "warning",
    "Use a linear or tanh output with hinge losses.",
)
def hinge_on_probabilities(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for a hinge, squared hinge or categorical hinge loss on a softmax or sigmoid output.

    ## Why is this bad?
    Hinge losses want signed raw scores and a margin of 1 (labels in {-1, 1}). A probability in
    (0, 1) can never reach the margin on the negative side, so the loss never reaches zero and
    the gradients push towards saturation.

    ## Example
    ```python
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(loss="hinge")
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(1, activation="tanh"))
    model.compile(loss="hinge")
    ```
    """
    if head.loss_name in HINGE_LOSSES and head.activation in PROBABILITY_ACTIVATIONS:
        yield Hit(f"{_loss(head)} on the {head.activation} output of `{head.layer}`")


@rule(
    "HC209",
    "poisson-on-non-positive-output",
    "warning",
    "Use an `exponential` or `softplus` output with the Poisson loss.",
)
def poisson_on_non_positive_output(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for the Poisson loss on an output that can be zero or negative (linear, tanh, relu,
    elu...).

    ## Why is this bad?
    The Poisson loss computes `y_pred - y_true * log(y_pred)`: a rate must be strictly positive.
    Non-positive predictions hit the epsilon clip, give huge or NaN losses, and no gradient.

    ## Example
    ```python
    model.add(keras.layers.Dense(1, activation="relu"))
    model.compile(loss="poisson")
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(1, activation="softplus"))
    model.compile(loss="poisson")
    ```
    """
    if head.loss_name == "poisson" and head.activation is not None:
        if head.activation not in STRICTLY_POSITIVE:
            yield Hit(f"poisson loss on the {head.activation} output of `{head.layer}`, which can be <= 0")


@rule(
    "HC210",
    "kl-divergence-on-unnormalised-output",
    "warning",
    "Use a softmax output with KL divergence.",
)
def kl_divergence_on_unnormalised_output(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for KL divergence on an output that is not a normalised distribution (anything but
    softmax).

    ## Why is this bad?
    KL divergence compares two probability distributions. Keras clips the prediction into
    (0, 1) without normalising it, so an unnormalised output gives a loss that is not a
    divergence and whose minimum is not at the target.

    ## Example
    ```python
    model.add(keras.layers.Dense(10, activation="sigmoid"))
    model.compile(loss="kl_divergence")
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(loss="kl_divergence")
    ```
    """
    if head.loss_name == "kl_divergence" and head.activation is not None:
        if head.activation not in NORMALISED_ACTIVATIONS:
            yield Hit(f"KL divergence on the {head.activation} output of `{head.layer}`")


@rule(
    "HC211",
    "msle-on-negative-output",
    "warning",
    "Use a non-negative output (softplus, relu, exponential), or another loss.",
)
def msle_on_negative_output(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for mean squared logarithmic error on an output that can be negative.

    ## Why is this bad?
    MSLE computes `log(y_pred + 1)` after clipping `y_pred` at 0: every negative prediction is
    clipped, its gradient is zero, and the units stuck below 0 never recover.

    ## Example
    ```python
    model.add(keras.layers.Dense(1))
    model.compile(loss="msle")
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(1, activation="softplus"))
    model.compile(loss="msle")
    ```
    """
    rng = activation_range(head.activation)
    if head.loss_name == "mean_squared_logarithmic_error" and rng and rng[0] < 0:
        yield Hit(f"MSLE on the {head.activation} output of `{head.layer}`, which can be negative")
