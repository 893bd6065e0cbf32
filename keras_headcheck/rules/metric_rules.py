"""HC3xx metrics, HC5xx numerics and HC9xx limits of the analysis."""

from __future__ import annotations

from typing import Iterator

from ..head import BINARY_LOSSES, CROSSENTROPY_LOSSES, REGRESSION_LOSSES, NOT_COMPILED, Head
from .registry import Hit, rule

# Metrics that threshold or read their input as probabilities.
THRESHOLDED_METRICS = frozenset(
    {
        "binary_accuracy",
        "auc",
        "precision",
        "recall",
        "precision_at_recall",
        "recall_at_precision",
        "sensitivity_at_specificity",
        "specificity_at_sensitivity",
        "true_positives",
        "true_negatives",
        "false_positives",
        "false_negatives",
        "f1_score",
        "fbeta_score",
        "binary_iou",
    }
)
HALF_PRECISION = frozenset({"mixed_float16", "mixed_bfloat16", "float16", "bfloat16"})


def _accuracy_metrics(head: Head) -> list[str]:
    return [m.written for m in head.metrics if m.name == "accuracy"]


@rule(
    "HC301",
    "accuracy-on-regression",
    "warning",
    "Track regression metrics instead, e.g. `metrics=['mae', keras.metrics.RootMeanSquaredError()]`.",
)
def accuracy_on_regression(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for the `"accuracy"` metric on an output trained with a regression loss.

    ## Why is this bad?
    Accuracy counts exact matches. On continuous targets a prediction almost never equals the
    target exactly, so the number sits near 0 (or near whatever fraction of targets are exactly
    0 or 1) and says nothing about how good the regression is.

    ## Example
    ```python
    model.compile(loss="mse", metrics=["accuracy"])
    ```

    Use instead:
    ```python
    model.compile(loss="mse", metrics=["mae"])
    ```
    """
    if head.loss_name in REGRESSION_LOSSES:
        for written in _accuracy_metrics(head):
            yield Hit(f"metric {written!r} on output `{head.output}` trained with {head.loss.written}")  # type: ignore[union-attr]


@rule(
    "HC302",
    "binary-accuracy-on-softmax",
    "warning",
    "Use `keras.metrics.CategoricalAccuracy()`, or fix the loss (see HC205).",
)
def binary_accuracy_on_softmax(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for `"accuracy"` on a softmax over more than two units trained with binary
    crossentropy.

    ## Why is this bad?
    Keras resolves the `"accuracy"` string from the loss: with binary crossentropy it becomes
    binary accuracy, computed per unit at a 0.5 threshold. With K classes, predicting "no" for
    everything already scores (K-1)/K, so the number looks great and means nothing.

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
        for written in _accuracy_metrics(head):
            yield Hit(f"metric {written!r} is binary accuracy over {units} softmax units here")


@rule(
    "HC303",
    "probability-metric-on-logits",
    "warning",
    "Pass `from_logits=True` (AUC) or `threshold=0.0` to the metric, or add a sigmoid output.",
    severity_note="info for the plain `\"accuracy\"` string",
)
def probability_metric_on_logits(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Checks for a thresholded or probability metric (AUC, Precision, Recall, BinaryAccuracy...)
    left at its defaults (`from_logits=False`, threshold 0.5) on a logit output, that is a
    linear output trained with `from_logits=True`. The plain `"accuracy"` string with binary
    crossentropy is reported as info: it resolves to binary accuracy at threshold 0.5.

    ## Why is this bad?
    Logits are centred on 0, not 0.5: a threshold of 0.5 on logits counts every score between
    0 and 0.5 as negative, and AUC curves computed on values outside [0, 1] are clipped.
    The metric is silently wrong while the loss is right.

    ## Example
    ```python
    model.add(keras.layers.Dense(1))
    model.compile(
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.AUC()],
    )
    ```

    Use instead:
    ```python
    model.compile(
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.AUC(from_logits=True),
                 keras.metrics.BinaryAccuracy(threshold=0.0)],
    )
    ```
    """
    loss = head.loss
    if head.activation != "linear" or not loss or loss.name not in CROSSENTROPY_LOSSES:
        return
    if not loss.from_logits:
        return
    for metric in head.metrics:
        if metric.from_logits or (metric.threshold is not None and metric.threshold != 0.5):
            continue
        if metric.name in THRESHOLDED_METRICS:
            yield Hit(f"metric {metric.written!r} reads the logits of `{head.layer}` as probabilities")
        elif metric.name == "accuracy" and loss.name in BINARY_LOSSES:
            yield Hit(
                f"metric {metric.written!r} becomes binary accuracy at threshold 0.5 on the "
                f"logits of `{head.layer}`",
                "info",
            )


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
    """
    final = head.final
    for link in (final, head.chain[0] if head.chain else None):
        if link is not None and link.dtype in HALF_PRECISION:
            yield Hit(f"`{link.name}` computes the output in {link.dtype}", None, link.name)
            return


@rule("HC901", "uninterpretable-output", "info", "Nothing to fix; head rules were skipped for this output.")
def uninterpretable_output(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Reports an output whose final operation cannot be interpreted: a Lambda layer, a custom
    layer, an unknown op, or a subclassed model without a config.

    The message names what hides the head (the layer, op, library class or subclass) and, for a
    subclassed model, how to check it: `keras_headcheck.check(model, x=batch)` traces its
    `call()` on a sample batch, and the `HeadCheck` callback does so once `fit` has built it.

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
    """
    unknown = head.unknown
    if unknown is not None:
        yield Hit(
            f"output `{head.output}` comes from `{unknown.name}` ({unknown.class_name}), "
            "which cannot be interpreted; head rules skipped",
            None,
            unknown.name,
        )


@rule("HC902", "uninterpretable-loss", "info", "Nothing to fix; loss rules were skipped for this output.")
def uninterpretable_loss(head: Head) -> Iterator[Hit]:
    """
    ## What it does
    Reports an output whose loss cannot be interpreted (a custom function or Loss object), or
    that has no loss at all because the model was saved (or checked) without being compiled.

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
    """
    if head.loss is None or head.loss.name is not None:
        return
    if head.loss.written == NOT_COMPILED:
        yield Hit(f"output `{head.output}` has no loss (the model is not compiled); loss rules skipped")
    else:
        yield Hit(
            f"loss {head.loss.written!r} of output `{head.output}` cannot be interpreted; "
            "loss rules skipped"
        )
