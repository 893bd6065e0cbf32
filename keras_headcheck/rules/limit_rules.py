"""HC5xx numerics and HC9xx limits of the analysis."""

from __future__ import annotations

from typing import Iterator

from ..head import CROSSENTROPY_LOSSES, NO_LOSS, NOT_COMPILED, Head
from .registry import Hit, Intent, rule

HALF_PRECISION = frozenset({"mixed_float16", "mixed_bfloat16", "float16", "bfloat16"})


@rule(
    "HC501",
    "half-precision-output",
    "warning",
    'Set `dtype="float32"` on the output layer or the final Activation layer.',
)
def half_precision_output(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for a final activation, or an output, computed in float16/bfloat16 under a
    mixed-precision dtype policy.

    ## Why is this bad?
    A softmax or sigmoid in float16 rounds small probabilities to 0 and large ones to 1, so the
    log in the crossentropy becomes -inf or the gradient vanishes; the Keras mixed-precision
    guide asks for the output layer to run in float32.

    ## Example
    ```python
    keras.mixed_precision.set_global_policy("mixed_float16")
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    ```

    Use instead:
    ```python
    x = keras.layers.Dense(10)(x)
    outputs = keras.layers.Activation("softmax", dtype="float32")(x)
    ```

    ## References
    - [Mixed precision guide](https://keras.io/api/mixed_precision/)

    ## Fix safety
    When the final layer is the output layer, the fix writes `dtype="float32"` in its call (or
    puts `"float32"` in place of its written `"mixed_float16"` / `"mixed_bfloat16"`), and is
    safe: the model computes the same function, with the output in the precision the loss needs,
    as the mixed-precision guide prescribes. No fix when a later layer produces the output.

    ## Known problems
    - Keras 3 losses convert `y_pred` to the loss's dtype (float32) before computing
      (`keras/src/losses/loss.py`), but the softmax/sigmoid has already rounded in float16 by then.
      A linear output (logits) in float16 under a `from_logits=True` crossentropy loses only
      precision, not probabilities, so it is not reported (the keras-io guides train this way);
      the Keras mixed-precision guide still prefers float32 outputs, and tf_keras computes such a
      loss in float16.
    - The policy is read in program order: layers created before `set_global_policy(...)` keep the
      policy in force when they were created; a function nothing in the file calls (a tuner's
      `build(hp)`) is read with the policy in force at its definition, and with none when the
      policy changed before the end of the file.
    """
    final = head.final
    if _logits_into_float32_loss(head):
        return
    for link in (final, head.chain[0] if head.chain else None):
        if link is not None and link.dtype in HALF_PRECISION:
            # float32 on the final layer helps only when nothing after it casts back to float16
            fix = None
            if link is final and head.chain and head.chain[0] is final:
                fix = Intent("set_float32", message='Set `dtype="float32"` on the output layer')
            yield Hit(f"`{link.name}` computes the output in {link.dtype}", None, link.name, fix)
            return


def _logits_into_float32_loss(head: Head) -> bool:
    """Linear logits under a `from_logits=True` crossentropy: Keras 3 casts them to float32 first."""
    return bool(
        head.activation == "linear"
        and head.loss is not None
        and head.loss.from_logits
        and head.loss.name in CROSSENTROPY_LOSSES
    )


@rule("HC901", "uninterpretable-output", "info", "Nothing to fix; head rules were skipped for this output.")
def uninterpretable_output(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Reports an output whose final operation cannot be interpreted: a Lambda layer, a custom
    layer, an unknown op, or a subclassed model without a config.

    The message names what hides the head (the layer, op, library class or subclass) and, for a
    subclassed model, how to check it: `keras_headcheck.check(model, x=batch)` traces its
    `call()` on a sample batch, and the `HeadCheck` callback does so once `fit` has built it.
    In a script or notebook, a subclass whose `call()` gives no head names what stopped the
    reader and where: `call()` returns its input (on every path: no head; or on some paths),
    returns a value the reader does not follow (quoted, with its line), or is attached outside
    the class (`Net.call = call`). An output that ends in a merge of tensors (`Add`, `Multiply`,
    `Dot`, `Concatenate`, `x + y`...) is read from its operands' heads when the merged values'
    kind is certain (a dot product of embeddings is a linear score); otherwise the message names
    the merge and what is not known: an operand that is a model input or cannot be interpreted,
    or a combination with no known kind (`sigmoid * sigmoid` lies in [0, 1]; a cosine
    `Dot(normalize=True)`; softmaxes side by side along their class axis).

    ## Why is this bad?
    It is not: it is a limit of the analysis. keras-headcheck never guesses what unknown code
    does, so the head rules were skipped for this output, and it says so instead of staying
    silent.

    ## Example
    ```python
    outputs = keras.layers.Lambda(lambda t: keras.ops.softmax(t))(x)
    ```

    Use instead:
    ```python
    outputs = keras.layers.Softmax()(x)
    ```

    An output that is the model's input itself, with only layers that pass values on between them
    (`keras.Model(x, x)`, a custom layer whose `call()` returns its input), is reported here too:
    no layer computes it, so there is no head to check.

    ## Known problems
    - In a source, a tensor from something the reader cannot see (a pretrained backbone from
      another library, a function from another module, an op it does not follow) has an unknown
      rank and size: an output computed from it is reported here only when its final operation is
      the unknown one; otherwise the rules that need a size stay quiet.
    """
    unknown = head.unknown
    if unknown is not None:
        yield Hit(
            f"output `{head.output}` comes from `{unknown.name}` ({unknown.class_name}), "
            "which cannot be interpreted; head rules skipped",
            None,
            unknown.name,
        )
    elif head.passed_input is not None:  # nothing to read is not a clean verdict: say so
        yield Hit(
            f"output `{head.output}` is the model input `{head.passed_input.name}` passed on "
            "unchanged: no layer computes it, so there is no head to check; head rules skipped",
            None,
            head.passed_input.name,
        )


@rule("HC902", "uninterpretable-loss", "info", "Nothing to fix; loss rules were skipped for this output.")
def uninterpretable_loss(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Reports an output whose loss cannot be interpreted (a custom function or Loss object), or
    that has no loss at all: the model was saved (or checked) without being compiled, or was
    compiled with `loss=None` (its loss added with `add_loss` or computed in `train_step`).

    ## Why is this bad?
    It is not: it is a limit of the analysis. The loss rules (HC2xx, HC3xx, HC4xx) need to know
    what the loss computes, so they were skipped for this output.

    ## Example
    ```python
    def my_loss(y_true, y_pred): ...
    model.compile(loss=my_loss)
    ```

    Use instead:
    ```python
    model.compile(loss="categorical_crossentropy")  # when a built-in loss fits
    ```

    ## Known problems
    - A model class that defines its own `compile(...)` (GANs, VAEs, distillers) takes what its
      signature says: the call is bound to that signature, and a loss that is not a `loss` parameter
      is reported here rather than read from a position of Keras's `compile`.
    - A loss dict whose keys name none of the model's outputs, or a list whose length is not the
      number of outputs, cannot be bound (Keras raises for both): reported here.
    """
    if head.loss is None or head.loss.name is not None:
        return
    if head.loss.written == NOT_COMPILED:
        yield Hit(f"output `{head.output}` has no loss (the model is not compiled); loss rules skipped")
    elif head.loss.written == NO_LOSS:
        yield Hit(
            f"output `{head.output}` has no loss of its own (compiled with `loss=None`); "
            "loss rules skipped"
        )
    else:
        yield Hit(
            f"loss {head.loss.written!r} of output `{head.output}` cannot be interpreted; "
            "loss rules skipped"
        )


@rule("HC903", "unparsable-source-part", "info", "Nothing to fix if the cell runs; else make it valid Python (or IPython).")
def unparsable_source_part(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Reports a part of a source that could not be parsed and was skipped while the rest was
    linted: a notebook cell that is not valid Python even as IPython reads it (after its `!cmd`,
    `%magic`, `obj?` and cell-magic syntax), or a top-level statement of a script. The finding
    names the cell or the lines, and the parser's reason. (A file that is mostly not Python is
    not linted at all: it is reported as unreadable.)

    ## Why is this bad?
    It may not be: a cell that never ran, or pseudo-code in a tutorial. But any model built in
    that cell was not checked, and a linter that skips code should say so.

    ## Example
    ```python
    model.compile(optimizer="adam",\u00a0loss="mse")  # a no-break space pasted from a web page
    ```

    Use instead:
    ```python
    model.compile(optimizer="adam", loss="mse")
    ```
    """
    return iter(())  # the engine reports it from what the source reader skipped, not from a head
