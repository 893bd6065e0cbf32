"""HC3xx metrics."""

from __future__ import annotations

from typing import Iterator, Optional

from ..head import BINARY_LOSSES, CROSSENTROPY_LOSSES, REGRESSION_LOSSES, Head
from ..targets import TargetSummary
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


def _accuracy_metrics(head: Head) -> list[str]:
    return [m.written for m in head.metrics if m.name == "accuracy"]


@rule(
    "HC301",
    "accuracy-on-regression",
    "warning",
    "Track regression metrics instead, e.g. `metrics=['mae', keras.metrics.RootMeanSquaredError()]`.",
    severity_note="info for a one-unit output without targets",
    reads_targets=True,
)
def accuracy_on_regression(head: Head, targets: Optional[TargetSummary] = None) -> Iterator[Hit]:
    """
    ## What it does
    Checks for the `"accuracy"` metric on an output trained with a regression loss. Keras
    resolves the string by the output's width: one unit gives binary accuracy (the prediction
    rounded at 0.5), several units categorical accuracy (argmax match). So it warns on a
    multi-unit regression output that is not a softmax/sigmoid, and on a one-unit output whose
    given targets are not all 0/1; a one-unit output without targets gets an info (binary
    accuracy is right for 0/1 targets, meaningless for continuous ones).

    ## Why is this bad?
    On continuous targets neither binary nor categorical accuracy measures the regression: an
    argmax match over regression outputs, or a prediction rounded at 0.5 against a target like
    3.7, is a number that moves without meaning.

    ## Example
    ```python
    model.add(keras.layers.Dense(3))
    model.compile(loss="mse", metrics=["accuracy"])
    ```

    Use instead:
    ```python
    model.add(keras.layers.Dense(3))
    model.compile(loss="mse", metrics=["mae"])
    ```

    ## Known problems
    - Keras 3 (`keras/src/trainers/compile_utils.py`, `get_metric`) and tf_keras
      (`engine/compile_utils.py`) both pick binary accuracy when the output's last axis is 1,
      sparse categorical accuracy when the targets have a lower rank than the output, and
      categorical accuracy otherwise (standalone Keras 2.3 and TF 1.x `tf.keras` also picked
      binary accuracy whenever the loss was binary crossentropy). The target rank is not known
      without targets, so a multi-unit output is reported as categorical accuracy.
    - Only the strings `"accuracy"` and `"acc"` are resolved this way: `keras.metrics.Accuracy()`
      is an exact-match metric (right for argmax or integer predictions) and is not reported.
    - A softmax or sigmoid output trained with MSE gets categorical accuracy, which is the right
      metric there: the loss is the problem (HC203), so HC301 stays quiet.
    - The output's width must be known: an output whose units are only known at run time, or
      whose final operation cannot be interpreted (HC901), is not reported.
    """
    if head.loss_name not in REGRESSION_LOSSES or head.final is None:
        return
    written = _accuracy_metrics(head)
    units = head.units
    if not written or units is None:
        return
    loss = head.loss.written  # type: ignore[union-attr]
    for name in written:
        if units == 1 and targets is None:
            yield Hit(
                f"metric {name!r} on output `{head.output}` trained with {loss} is binary "
                "accuracy (prediction rounded at 0.5): right only for 0/1 targets",
                "info",
            )
        elif units == 1 and targets.numeric and not targets.binary:  # type: ignore[union-attr]
            yield Hit(
                f"metric {name!r} on output `{head.output}` trained with {loss} rounds the "
                "prediction at 0.5, but the targets are not 0/1"
            )
        elif units > 1 and head.activation not in ("softmax", "sigmoid"):
            yield Hit(
                f"metric {name!r} on output `{head.output}` trained with {loss} is categorical "
                f"accuracy (argmax match over {units} regression values)"
            )


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

    ## Known problems
    - Keras 3 (`keras/src/trainers/compile_utils.py`, `get_metric`) and tf_keras since TF 2.2
      (`engine/compile_utils.py`) resolve `"accuracy"` by the output's shape only: a softmax over
      more than two units gets categorical accuracy there, whatever the loss, and the number is not
      inflated. Standalone Keras up to 2.3 and TF 1.x `tf.keras` picked binary accuracy whenever the
      loss was binary crossentropy, which is the case this rule describes. The loss itself is wrong
      on every version (HC205).
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

    ## Known problems
    - `keras.metrics.AUC` takes `from_logits` in Keras 3 and in tf_keras (TF 2.5 and later);
      `BinaryAccuracy` takes only `threshold`, and `Precision`/`Recall` only `thresholds`: on logits
      those need threshold 0.0, or a sigmoid output.
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
