"""Losses and metrics as Keras 2 and 3 serialise them, bound to the model's outputs.

Losses come as strings ("mse"), Keras 3 function objects ({"module": "builtins", "class_name":
"function", "config": "mse"}), Loss objects ({"class_name": "CategoricalCrossentropy", "config":
{...}}), and per output as a list (output order) or a dict (output name).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional, Sequence

from ..head import LossSpec, MetricSpec
from ..knowledge.transformers import LOSS_BY_WIDTH
from .layers import config_of, snake

LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "huber_loss": "huber",
    "logcosh": "log_cosh",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "kldivergence": "kl_divergence",
    "bce": "binary_crossentropy",
    "cce": "categorical_crossentropy",
    "scce": "sparse_categorical_crossentropy",
    "binary_focal_crossentropy": "binary_focal_crossentropy",
    "categorical_focal_crossentropy": "categorical_focal_crossentropy",
    "cosine_similarity": "cosine_similarity",
    "cosine_proximity": "cosine_similarity",
}
KNOWN_LOSSES = frozenset(
    {
        "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
        "mean_squared_logarithmic_error", "huber", "log_cosh", "binary_crossentropy",
        "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_focal_crossentropy",
        "categorical_focal_crossentropy", "kl_divergence", "hinge", "squared_hinge",
        "categorical_hinge", "poisson", "cosine_similarity", "ctc", "dice", "tversky",
        "circle", "categorical_generalized_cross_entropy",
        LOSS_BY_WIDTH,  # transformers' sequence classifier of unknown width
    }
)
# Keras 3's CTC loss (`keras.losses.CTC`, "ctc") takes logits: `ops.ctc_loss` applies the
# log-softmax itself, on every backend. It has no `from_logits` argument; the source reader writes
# `from_logits: False` for Keras 2's `backend.ctc_batch_cost`, which takes probabilities.
TAKES_LOGITS = frozenset({"ctc"})
KERAS_MODULES = ("keras.losses", "keras.src.losses", "keras.metrics", "keras.src.metrics", "builtins",
                 "tf_keras.losses", "tf_keras.metrics", "tensorflow.keras.losses")


def canonical_loss_name(name: str) -> Optional[str]:
    """'MeanSquaredError' / 'mse' / 'mean_squared_error' -> 'mean_squared_error'; None if unknown."""
    key = snake(name).lower() if not name.islower() else name
    key = LOSS_ALIASES.get(key, key)
    return key if key in KNOWN_LOSSES else None


def _is_keras_module(module: Any) -> bool:
    return module is None or (isinstance(module, str) and module.startswith(KERAS_MODULES))


def parse_loss(value: Any) -> Optional[LossSpec]:
    """One output's loss as written in a config; None when there is none. The source reader
    may add a "written" key (a function of the file read as the known loss it returns), which
    names it in messages; no saved config has one."""
    spec = _parse_loss(value)
    written = value.get("written") if isinstance(value, dict) else None
    return replace(spec, written=written) if spec is not None and isinstance(written, str) else spec


def _parse_loss(value: Any) -> Optional[LossSpec]:
    if value is None:
        return None
    if isinstance(value, str):
        name = canonical_loss_name(value)
        return LossSpec(name, value, from_logits=name in TAKES_LOGITS)
    if not isinstance(value, dict):
        return LossSpec(None, type(value).__name__)
    class_name = str(value.get("class_name", "?"))
    config = value.get("config")
    if class_name == "function" and isinstance(config, str):  # Keras 3 function object
        name = canonical_loss_name(config) if _is_keras_module(value.get("module")) else None
        return LossSpec(name, config, from_logits=name in TAKES_LOGITS)
    config = config if isinstance(config, dict) else {}
    if not _is_keras_module(value.get("module")) or str(value.get("registered_name") or "").startswith("Custom>"):
        return LossSpec(None, class_name)
    if class_name == "LossFunctionWrapper" and isinstance(config.get("fn"), str):
        name = canonical_loss_name(config["fn"])
    else:
        name = canonical_loss_name(class_name)
    axis = config.get("axis", -1)
    smoothing = config.get("label_smoothing")
    return LossSpec(
        name,
        class_name if name else class_name,
        from_logits=bool(config.get("from_logits", name in TAKES_LOGITS)),
        label_smoothing=float(smoothing) if isinstance(smoothing, (int, float)) else 0.0,
        axis=axis if isinstance(axis, int) else -1,
    )


ACCURACY_STRINGS = frozenset({"accuracy", "acc"})
# `keras.metrics.Accuracy()` is exact-match accuracy, not the "accuracy" string Keras resolves.
METRIC_ALIASES = {"acc": "accuracy", "binary_acc": "binary_accuracy", "FBetaScore": "fbeta_score",
                  "Accuracy": "exact_accuracy"}


def parse_metric(value: Any) -> Optional[MetricSpec]:
    if isinstance(value, str):
        name = METRIC_ALIASES.get(value, value)
        return MetricSpec(snake(name) if not name.islower() else name, value)
    if not isinstance(value, dict):
        return None
    class_name = str(value.get("class_name", "?"))
    config = config_of(value)
    if class_name == "function" and isinstance(value.get("config"), str):
        return MetricSpec(value["config"], value["config"])
    if class_name == "MeanMetricWrapper":
        # Keras 2 resolves "accuracy" into e.g. {"name": "out_accuracy", "fn": "binary_accuracy"}.
        written = str(config.get("name", ""))
        fn = str(config.get("fn", written))
        auto = written.split("_")[-1] in ACCURACY_STRINGS and not written.endswith(
            ("binary_accuracy", "categorical_accuracy")
        )
        return MetricSpec("accuracy" if auto else fn, written or fn)
    threshold = config.get("threshold", config.get("thresholds"))
    if isinstance(threshold, list):
        threshold = threshold[0] if len(threshold) == 1 else -1.0
    return MetricSpec(
        METRIC_ALIASES.get(class_name, snake(class_name)),
        class_name,
        from_logits=bool(config.get("from_logits", False)),
        threshold=float(threshold) if isinstance(threshold, (int, float)) else None,
    )


def _per_output(value: Any, names: Sequence[str], index: int) -> Any:
    """The part of a compile argument that belongs to output `index`."""
    if isinstance(value, dict) and not ("class_name" in value and "config" in value):
        return value.get(names[index])
    if isinstance(value, list) and len(names) > 1 and len(value) == len(names):
        return value[index]
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], (str, dict)) and len(names) == 1:
        return value[0]
    return value


def _is_per_output_dict(value: Any) -> bool:
    return isinstance(value, dict) and not ("class_name" in value and "config" in value)


def bind_losses(loss: Any, names: Sequence[str]) -> list[Optional[LossSpec]]:
    """One loss per output, bound as Keras binds them (keras/src/trainers/compile_utils.py,
    CompileLoss.build): a dict by output name, a list in output order, else one for all.
    What cannot be bound is a loss that cannot be interpreted (HC902), never a silent None."""
    if _is_per_output_dict(loss) and not set(loss) & set(names):
        keys = ", ".join(repr(k) for k in loss)
        read = ", ".join(f"`{n}`" for n in names)
        return [LossSpec(None, f"a loss dict keyed {keys}, naming none of the outputs read ({read})")] * len(names)
    if isinstance(loss, list) and len(loss) != len(names) and not (len(loss) == 1 and len(names) == 1):
        read = f"the {len(names)} outputs read" if len(names) > 1 else "the one output read"
        written = f"a list of {len(loss)} losses for {read}"  # (an output not traced is one)
        return [LossSpec(None, written)] * len(names)
    return [parse_loss(_per_output(loss, names, i)) for i in range(len(names))]


def bind_metrics(metrics: Any, names: Sequence[str]) -> list[tuple[MetricSpec, ...]]:
    result = []
    for i in range(len(names)):
        part = metrics
        if isinstance(metrics, dict):
            part = metrics.get(names[i])
        elif isinstance(metrics, list) and len(names) > 1 and len(metrics) == len(names):
            # Keras 3: a list as long as the outputs is one entry per output (tf_keras gives
            # every metric of a flat list to every output: this binding is the part both share)
            part = metrics[i]
        items = part if isinstance(part, list) else ([part] if part is not None else [])
        flat = []
        for item in items:
            flat.extend(item if isinstance(item, list) else [item])
        result.append(tuple(m for m in map(parse_metric, flat) if m is not None))
    return result
