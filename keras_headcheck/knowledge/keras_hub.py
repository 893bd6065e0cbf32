"""keras_hub (and its former name keras_nlp) task models -> their heads.

Classifier tasks end in `Dense(num_classes, activation=activation)`; `activation` defaults to None
(logits). Their own `compile()`, given no loss (or `loss="auto"`), sets
`SparseCategoricalCrossentropy(from_logits=activation != "softmax")` (AlbertTextClassifier:
always `from_logits=True`). Read from keras_hub 0.32 (`keras_hub/src/models/*_classifier.py`);
tests/test_knowledge.py checks it against the installed keras_hub.

`CausalLM` tasks (the base class, built `from_preset`, and every model-specific one) end in the
logits over the vocabulary, most in the backbone's `token_embedding` called with `reverse=True`
(RWKV7's in a `Dense` named `head`): a linear head with no `activation` argument. Their own
`compile()` (`keras_hub/src/models/causal_lm.py`), given no loss (`loss="auto"`), sets
`SparseCategoricalCrossentropy(from_logits=True)` (PARSeq's adds `ignore_class`); the
model-specific ones that override `compile` only pass it on.

The layer `MaskedLMHead(vocabulary_size=None, token_embedding=None, intermediate_activation="relu",
activation=None, ...)` (`keras_hub/src/layers/modeling/masked_lm_head.py`) gathers the masked
positions and projects them onto the vocabulary: output `(batch, masks, vocabulary_size)`, then
`activation` (None: logits). Given `token_embedding`, the vocabulary size is that embedding's
`input_dim`, which its config saves as `vocabulary_size` too. keras_nlp's (0.4-0.6) took
`embedding_weights` in the second place, the rest alike.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from .heads import (
    RUNTIME,
    KnownHead,
    KnownLayer,
    Unsupported,
    named_arguments,
    sparse_crossentropy,
    units_of,
)

LIBRARY = "keras_hub"
# The library's base classes a user's (or its own) model subclasses, each a keras.Model that
# leaves `compile` as Keras has it: a subclass of one is read as a subclass of keras.Model.
MODEL_BASES = {"Task": "task", "Backbone": "backbone", "PipelineModel": "pipeline_model"}
BASE_MODULES = ("keras_hub.models", "keras_nlp.models", "keras_hub.src.models.task",
                "keras_hub.src.models.backbone", "keras_hub.src.utils.pipeline_model")
PREFIXES = ("keras_hub.models.", "keras_nlp.models.", "keras_hub.src.models.")
MODULES = ("keras_hub", "keras_nlp")
LAYER_PREFIXES = ("keras_hub.layers.", "keras_nlp.layers.", "keras_hub.src.layers.", "keras_nlp.src.layers.")
# layer -> its positional parameters, named as its get_config() names them
LAYERS: dict[str, tuple[str, ...]] = {
    "MaskedLMHead": ("vocabulary_size", "token_embedding", "intermediate_activation", "activation"),
}

IMAGE = ("ImageClassifier", "predictions")
TEXT = ("TextClassifier", "logits")
# task class -> (the classifier it derives from, its head layer's name)
TASKS: dict[str, tuple[str, str]] = {
    "ImageClassifier": IMAGE,
    "TextClassifier": TEXT,
    "Classifier": TEXT,  # the former name of TextClassifier
    **{name: IMAGE for name in (
        "CSPNetImageClassifier", "DeiTImageClassifier", "DenseNetImageClassifier",
        "EfficientNetImageClassifier", "HGNetV2ImageClassifier", "MiTImageClassifier",
        "ResNetImageClassifier", "SwinTransformerImageClassifier", "VGGImageClassifier",
        "ViTImageClassifier", "XceptionImageClassifier",
    )},
    **{name: TEXT for name in (
        "AlbertClassifier", "AlbertTextClassifier", "BertClassifier", "BertTextClassifier",
        "DebertaV3Classifier", "DebertaV3TextClassifier", "DistilBertClassifier",
        "DistilBertTextClassifier", "ESMProteinClassifier", "FNetClassifier", "FNetTextClassifier",
        "RobertaClassifier", "RobertaTextClassifier", "RoformerV2TextClassifier",
        "XLMRobertaClassifier", "XLMRobertaTextClassifier",
    )},
}
# Tasks without an `activation` argument: their head is always linear.
LINEAR_HEADS = {"MobileNetImageClassifier": "predictions", "MobileNetV5ImageClassifier": "classifier"}
ALWAYS_LOGITS_LOSS = frozenset({"AlbertClassifier", "AlbertTextClassifier"})
# Causal LMs -> their head layer's name (the vocabulary size is the backbone's: not known here)
CAUSAL_LMS: dict[str, str] = {
    **{name: "token_embedding" for name in (
        "CausalLM", "BLIP2CausalLM", "BloomCausalLM", "FalconCausalLM", "GemmaCausalLM",
        "Gemma3CausalLM", "Gemma3nCausalLM", "Gemma4AssistantCausalLM", "Gemma4CausalLM",
        "GPT2CausalLM", "GPTNeoXCausalLM", "GptOssCausalLM", "LlamaCausalLM", "Llama3CausalLM",
        "MistralCausalLM", "MixtralCausalLM", "OPTCausalLM", "PaliGemmaCausalLM", "Phi3CausalLM",
        "QwenCausalLM", "Qwen2CausalLM", "Qwen3CausalLM", "Qwen3_5CausalLM", "Qwen3_5MoeCausalLM",
        "Qwen3MoeCausalLM", "QwenMoeCausalLM", "SmolLM3CausalLM", "SmolLMCausalLM",
    )},
    "RWKV7CausalLM": "head",
    "PARSeqCausalLM": "logits",  # an unnamed Dense in its backbone
}
ORDER = ("backbone", "num_classes", "preprocessor")


def head(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], preset: bool = False) -> KnownHead:
    if name in CAUSAL_LMS:
        return KnownHead(LIBRARY, name, CAUSAL_LMS[name], None, None, sparse_crossentropy(True))
    named = named_arguments(ORDER, args, kwargs)
    units = units_of(named.get("num_classes"))
    if name in LINEAR_HEADS:
        return KnownHead(LIBRARY, name, LINEAR_HEADS[name], None, units, sparse_crossentropy(True))
    if preset and "activation" not in named:  # the preset's saved task config decides
        return KnownHead(LIBRARY, name, TASKS[name][1], RUNTIME, units,
                         unknown="activation set by the preset")
    activation = named.get("activation")
    from_logits = True if name in ALWAYS_LOGITS_LOSS else activation != "softmax"
    loss = None if not isinstance(activation, (str, type(None))) else sparse_crossentropy(from_logits)
    return KnownHead(LIBRARY, name, TASKS[name][1], activation, units, loss)


def _lookup(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], preset: bool = False
) -> Union[KnownHead, Unsupported]:
    if name in TASKS or name in LINEAR_HEADS or name in CAUSAL_LMS:
        return head(name, args, kwargs, preset)
    return Unsupported(LIBRARY, name, "not in keras-headcheck's keras_hub table")


def from_call(
    constructor: str, factory: Optional[str], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Optional[Union[KnownHead, Unsupported]]:
    if not constructor.startswith(PREFIXES):
        return None
    name = constructor.rsplit(".", 1)[-1]
    if not name[:1].isupper() or not name.endswith(("Classifier", "Segmenter", "Detector", "LM",
                                                     "Generator", "Embedder", "Task")):
        return None  # a backbone, tokenizer, preprocessor or layer: part of a model, not a head
    if factory == "from_preset":
        kwargs = {k: v for k, v in kwargs.items() if k != "preset"}
        args = ()  # the preset is the only positional argument
    return _lookup(name, args, kwargs, preset=factory == "from_preset")


def from_config(class_name: str, module: str, config: dict[str, Any]) -> Optional[Union[KnownHead, Unsupported]]:
    if not module.startswith(MODULES):
        return None
    name = class_name.split(">")[-1]
    if not name.endswith(("Classifier", "Segmenter", "Detector", "LM", "Generator", "Embedder")):
        return None
    return _lookup(name, (), {k: config[k] for k in ("num_classes", "activation") if k in config})


# --- layers ----------------------------------------------------------------------------------
def layer_config(constructor: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The config a saved file would hold for a call of a layer in the table (None: not one)."""
    name = constructor.rsplit(".", 1)[-1]
    if not constructor.startswith(LAYER_PREFIXES) or name not in LAYERS:
        return None
    return named_arguments(LAYERS[name], args, kwargs)


def layer_from_config(class_name: str, module: str, config: dict[str, Any]) -> Optional[KnownLayer]:
    name = class_name.split(">")[-1]
    if not module.startswith(MODULES) or name != "MaskedLMHead":
        return None
    units = units_of(config.get("vocabulary_size"))
    embedding = config.get("token_embedding")
    if units is None and isinstance(embedding, dict) and isinstance(embedding.get("config"), dict):
        units = units_of(embedding["config"].get("input_dim"))
    return KnownLayer("keras_hub.layers", name, config.get("activation"), units, rank=3)


def is_model_base(path: str) -> bool:
    """Whether `path` names one of keras_hub's keras.Model base classes (`keras_hub.models.Task`,
    `keras_hub.src.utils.pipeline_model.PipelineModel`)."""
    module, _, name = path.rpartition(".")
    return name in MODEL_BASES and module in BASE_MODULES
