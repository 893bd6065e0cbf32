"""HC201-HC202: the output against the loss's `from_logits`: probabilities read as logits, or
raw scores read as probabilities."""

from __future__ import annotations

from typing import Iterator, Optional

from ..head import (
    BINARY_LOSSES, CROSSENTROPY_LOSSES, INF, PROBABILITY_ACTIVATIONS, Head, activation_range,
)
from .registry import Hit, Intent, rule
from .wording import loss_text


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
    `from_logits=True`, or with Keras 3's CTC loss (`keras.losses.CTC`, `"ctc"`), which always
    takes logits.

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
    - No backend patches the CTC loss: `ops.ctc_loss` reads its input as logits everywhere
      (`tf.nn.ctc_loss(logits=...)`, a log-softmax on JAX and PyTorch). No fix is offered: the
      loss has no `from_logits` to change.
    """
    loss = head.loss
    squashed = head.activation in PROBABILITY_ACTIVATIONS
    if loss and loss.name == "ctc" and loss.from_logits and squashed:
        yield Hit(
            f"{head.activation} output of `{head.layer}` goes into {loss_text(head)}, which takes "
            "logits: Keras's CTC loss applies a log-softmax itself",
            fix="Drop the final activation: Keras's CTC loss takes logits.",
        )
    if loss and loss.name in CROSSENTROPY_LOSSES and loss.from_logits:
        if head.activation in ("softmax", "sigmoid"):
            yield Hit(
                f"{head.activation} output of `{head.layer}` goes into {loss_text(head)} "
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
    (`from_logits=False`, the default), or with Keras 2's `backend.ctc_batch_cost`, which
    takes the log of its `y_pred`.

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
    ctc = loss is not None and loss.name == "ctc"  # not from logits: Keras 2's ctc_batch_cost
    if loss and (loss.name in CROSSENTROPY_LOSSES or ctc) and not loss.from_logits:
        if head.activation is not None and head.activation not in PROBABILITY_ACTIVATIONS:
            yield Hit(
                f"{head.activation} output of `{head.layer}` goes into {loss_text(head)}, "
                f"which {'takes the log of' if ctc else 'expects'} probabilities",
                intent=None if ctc else _logits_fix(head),
                fix="Add a softmax to the output: `ctc_batch_cost` takes probabilities (Keras 3's "
                "`keras.losses.CTC` takes logits)." if ctc else None,
            )


def _logits_fix(head: Head) -> Optional[Intent]:
    """`from_logits=True` means what the user wanted only for scores unbounded both ways: a relu
    or tanh output read as logits still cannot reach every probability (sigmoid(relu) >= 0.5)."""
    if activation_range(head.activation) != (-INF, INF):
        return None
    return Intent("set_from_logits", message="Set `from_logits=True` on the loss")
