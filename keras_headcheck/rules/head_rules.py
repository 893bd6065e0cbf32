"""HC1xx: the head itself (no loss needed)."""

from __future__ import annotations

import math
from typing import Iterator, Optional

from ..head import ACTIVATION, BINARY_LOSSES, NOT_COMPILED, SQUASHING_ACTIVATIONS, Head, activation_range
from .registry import Hit, Intent, rule


@rule(
    "HC101",
    "softmax-on-single-unit",
    "error",
    "Use `sigmoid` for a probability or binary target, or `linear` for regression.",
)
def softmax_on_single_unit(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for a softmax applied over an axis of static size 1.

    ## Why is this bad?
    Softmax normalises its inputs so they sum to one. Over a single value that is always
    exactly 1.0, whatever the input, so the gradient is zero and the model cannot learn:
    the loss stays constant from the first epoch.

    ## Example
    ```python
    model.add(keras.layers.Dense(1, activation="softmax"))
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(1, activation="sigmoid"))  # a probability
    model.add(keras.layers.Dense(1))  # an unbounded regression target
    ```

    ## Fix safety
    The fix writes `"sigmoid"` in place of the layer's written `"softmax"`. It is safe when the
    output is trained with binary crossentropy on probabilities (the sigmoid is what that loss
    expects); otherwise it is unsafe (`--unsafe-fixes`): a regression target needs a linear
    output instead. With binary crossentropy on logits there is no fix here: HC201 removes the
    flag first, and the next pass makes this one safe.

    ## References
    - [Keras `softmax`](https://keras.io/api/layers/activations/#softmax-function)
    """
    if head.activation == "softmax" and head.units == 1:
        yield Hit(f"softmax over a single unit in `{head.layer}` always outputs 1.0",
                  intent=_sigmoid_fix(head))


def _sigmoid_fix(head: Head) -> Optional[Intent]:
    """Sigmoid: what binary crossentropy on probabilities evidently wants; a guess otherwise."""
    loss = head.loss
    if loss is not None and loss.name in BINARY_LOSSES:
        if loss.from_logits:
            return None  # HC201 drops the flag first; then this fix is safe
        return Intent("set_activation", "sigmoid", "safe", "Use a sigmoid output")
    return Intent("set_activation", "sigmoid", "unsafe",
                  "Use a sigmoid output (for a probability; a regression target needs linear)")


def _softmax_cap(width: float, k: int) -> float:
    return math.exp(width) / (math.exp(width) + k - 1)


@rule(
    "HC102",
    "activation-on-squashed-output",
    "warning",
    "Remove the inner activation so the final one sees unbounded scores.",
    severity_note="error for softmax after softmax",
)
def activation_on_squashed_output(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for a final softmax or sigmoid applied on top of an output that is already squashed
    into a bounded range (softmax, sigmoid, tanh, hard_sigmoid, softsign...).

    ## Why is this bad?
    The final activation only ever sees inputs in a narrow range, so it can never become
    confident: a softmax over K values confined to a range of width w can never exceed
    e^w / (e^w + K - 1). For 10 classes after a softmax (w = 1) that is 0.23. The loss
    plateaus high and gradients are damped twice. Softmax after softmax is an error.

    ## Example
    ```python
    x = keras.layers.Dense(10, activation="softmax")(x)
    outputs = keras.layers.Activation("softmax")(x)
    ```

    Use instead:
    ```python
    x = keras.layers.Dense(10)(x)
    outputs = keras.layers.Activation("softmax")(x)
    ```
    """
    final, inner = head.final, head.inner
    if final is None or inner is None or final.role != ACTIVATION:
        return
    if head.activation not in ("softmax", "sigmoid") or inner.activation not in SQUASHING_ACTIVATIONS:
        return
    lo, hi = activation_range(inner.activation) or (0.0, 1.0)
    if head.activation == "softmax":
        k = head.units
        cap = f"{_softmax_cap(hi - lo, k):.2f}" if k and k > 1 else "e^w/(e^w+K-1)"
        limit = f"its outputs can never exceed {cap}"
    else:
        sig = lambda v: 1.0 / (1.0 + math.exp(-v))  # noqa: E731
        limit = f"its outputs stay within [{sig(lo):.2f}, {sig(hi):.2f}]"
    severity = "error" if head.activation == inner.activation == "softmax" else None
    yield Hit(
        f"{head.activation} in `{head.layer}` is applied to the {inner.activation} output of "
        f"`{inner.name}`: {limit}",
        severity,
    )


@rule(
    "HC103",
    "softmax-over-wrong-axis",
    "error",
    "Move the classes to the last axis, or use `keras.layers.Softmax(axis=...)` on the class axis.",
)
def softmax_over_wrong_axis(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for a final softmax that normalises over an axis that does not hold the classes,
    such as the `activation="softmax"` of a `channels_first` convolution, which runs over the
    last (spatial) axis while the classes sit on axis 1.

    ## Why is this bad?
    The output then sums to one across pixels (or time steps) instead of across classes: the
    "probabilities" of each pixel are meaningless and a crossentropy loss trains the wrong thing.

    ## Example
    ```python
    outputs = keras.layers.Conv2D(
        n_classes, 1, data_format="channels_first", activation="softmax"
    )(x)
    ```

    Use instead:
    ```python
    x = keras.layers.Conv2D(n_classes, 1, data_format="channels_first")(x)
    outputs = keras.layers.Softmax(axis=1)(x)
    ```
    """
    final = head.final
    if final is None or head.activation != "softmax" or final.class_axis is None:
        return
    if final.shape is None:
        return
    rank = len(final.shape)
    axis = head.axis % rank
    if axis != final.class_axis % rank:
        yield Hit(
            f"softmax in `{head.layer}` normalises over axis {axis}, but the classes are on "
            f"axis {final.class_axis % rank}"
        )


@rule(
    "HC104",
    "layer-after-final-activation",
    "warning",
    "Move the layer before the final activation (or remove it).",
)
def layer_after_final_activation(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for a layer that changes values without producing a new output (Dropout,
    BatchNormalization, LayerNormalization, GaussianNoise, Rescaling...) placed after the final
    softmax or sigmoid. A Dense, Conv or other layer with an activation argument after it is not
    this: it is the head itself (linear without an activation), and the softmax a hidden one.

    ## Why is this bad?
    The model's output is no longer what the activation produced: Dropout rescales kept values
    by 1/(1-rate) during training (so "probabilities" exceed 1), BatchNormalization makes them
    unbounded again. The loss then sees values of the wrong kind. A model that is never compiled
    (a feature extractor) has no loss to mislead, so it is not reported.

    ## Example
    ```python
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.add(keras.layers.Dropout(0.5))
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dropout(0.5))
    model.add(keras.layers.Dense(10, activation="softmax"))
    ```
    """
    squash, after = head.squash, head.after_squash
    if squash is None or not after or head.loss is None or head.loss.written == NOT_COMPILED:
        return  # never compiled: no loss reads the output (a feature extractor, or inference,
        # where Dropout and GaussianNoise pass values unchanged)
    names = ", ".join(f"`{link.name}` ({link.class_name})" for link in after)
    yield Hit(f"{names} changes the output of the {squash.activation} in `{squash.name}`", None, after[0].name)
