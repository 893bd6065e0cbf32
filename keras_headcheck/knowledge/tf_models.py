"""tf-models-official (imported as `official`): the TF Model Garden's layers and models.

`official.nlp.modeling.layers.RandomFeatureGaussianProcess(units, num_inducing=1024, ...,
return_gp_cov=True, return_random_features=False, dtype=None, name=..., **gp_output_kwargs)`
(`official/nlp/modeling/layers/gaussian_process.py`) ends in `Dense(units, use_bias=False,
**gp_output_kwargs)` plus an output bias: logits. It returns a list: the logits, then the
covariance matrix when `return_gp_cov` (the default), then the random features when
`return_random_features`. An `activation` given to it goes to that Dense and the bias is added
after it, which is neither logits nor probabilities: not read. The layer has no get_config of its
own, so a saved one holds none of these arguments.

`official.projects.movinet.modeling.movinet_model.MovinetClassifier(backbone, num_classes,
input_specs=None, activation="swish", dropout_rate=0.0, ..., output_states=False)`
(`movinet_model.py`) ends in `movinet_layers.ClassifierHead(num_classes=..., activation=...)`
with no `output_activation`, so its last layer is `Activation("linear", dtype="float32")`: logits.
Its `activation` is the hidden layers' (swish), not the output's. `output_states=True` makes its
output `(logits, states)`.

tf-models-official is not installed here: read from its source (tensorflow/models).
"""

from __future__ import annotations

from typing import Any, Optional, Union

from .heads import RUNTIME, KnownHead, KnownLayer, Unsupported, named_arguments, units_of

LAYERS_LIBRARY = "official.nlp.modeling.layers"
GP = "RandomFeatureGaussianProcess"
GP_ORDER = (
    "units", "num_inducing", "gp_kernel_type", "gp_kernel_scale", "gp_output_bias",
    "normalize_input", "gp_kernel_scale_trainable", "gp_output_bias_trainable", "gp_cov_momentum",
    "gp_cov_ridge_penalty", "scale_random_features", "use_custom_random_features",
    "custom_random_features_initializer", "custom_random_features_activation",
    "l2_regularization", "gp_cov_likelihood", "return_gp_cov", "return_random_features",
)
MOVINET_LIBRARY = "official.projects.movinet"
MOVINET_PATHS = ("official.projects.movinet.modeling.movinet_model.", "official.projects.movinet.")
MOVINET_ORDER = ("backbone", "num_classes", "input_specs", "activation", "dropout_rate",
                 "kernel_initializer", "kernel_regularizer", "bias_regularizer", "output_states")


# --- layers ----------------------------------------------------------------------------------
def layer_config(constructor: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The arguments of a RandomFeatureGaussianProcess call, by parameter name (None: not one)."""
    if not constructor.startswith(LAYERS_LIBRARY + ".") or constructor.rsplit(".", 1)[-1] != GP:
        return None
    return named_arguments(GP_ORDER, args, kwargs)


def _flag(config: dict[str, Any], key: str, default: bool) -> Any:
    value = config.get(key, default)
    return value if isinstance(value, bool) else RUNTIME


def layer_from_config(
    class_name: str, module: str, config: dict[str, Any]
) -> Optional[Union[KnownLayer, Unsupported]]:
    if not module.startswith(LAYERS_LIBRARY) or class_name.split(">")[-1] != GP:
        return None
    if "units" not in config:
        return Unsupported(LAYERS_LIBRARY, GP, "saved without its arguments (it has no get_config)")
    if "activation" in config:
        return Unsupported(LAYERS_LIBRARY, GP, "an `activation` goes to its Dense, then a bias is added")
    cov, features = _flag(config, "return_gp_cov", True), _flag(config, "return_random_features", False)
    if cov is RUNTIME or features is RUNTIME:
        more = ["an output known only at run time"] * 2
    else:
        more = ["covariance matrix"] * cov + ["random features"] * features
    return KnownLayer(LAYERS_LIBRARY, GP, None, units_of(config["units"]), more_outputs=tuple(more))


# --- models ----------------------------------------------------------------------------------
def from_call(
    constructor: str, factory: Optional[str], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Optional[Union[KnownHead, Unsupported]]:
    if not constructor.startswith(MOVINET_PATHS) or factory is not None:
        return None
    name = constructor.rsplit(".", 1)[-1]
    if name != "MovinetClassifier":
        return None  # a backbone (`movinet.Movinet`) or a layer: part of a model, not a head
    named = named_arguments(MOVINET_ORDER, args, kwargs)
    states = named.get("output_states", False)
    if states is RUNTIME or states:
        why = "`output_states` may add the stream states to its outputs" if states is RUNTIME else (
            "`output_states=True`: it outputs (logits, states)")
        return Unsupported(MOVINET_LIBRARY, name, why)
    return KnownHead(MOVINET_LIBRARY, name, "classifier_head", None, units_of(named.get("num_classes")))


def from_config(
    class_name: str, module: str, config: dict[str, Any]
) -> Optional[Union[KnownHead, Unsupported]]:
    """A saved MovinetClassifier: its get_config() holds its arguments, not its layers."""
    if not module.startswith("official.projects.movinet") or class_name.split(">")[-1] != "MovinetClassifier":
        return None
    return from_call(MOVINET_PATHS[0] + "MovinetClassifier", None, (), config)
