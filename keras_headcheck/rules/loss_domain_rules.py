"""HC208-HC211: the output's range against the values the loss is defined on (hinge margins,
Poisson rates, KL distributions, MSLE's logarithm)."""

from __future__ import annotations

from typing import Iterator

from ..head import (
    HINGE_LOSSES, NORMALISED_ACTIVATIONS, PROBABILITY_ACTIVATIONS, Head, activation_range,
)
from .registry import Hit, rule
from .wording import loss_text

STRICTLY_POSITIVE = frozenset({"softplus", "exponential", "sigmoid", "softmax", "squareplus"})


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
        yield Hit(f"{loss_text(head)} on the {head.activation} output of `{head.layer}`")


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
