"""What Keras and its ecosystem mean: data and tiny lookups, no reading of any format.

Every reader asks here about models whose head is set by a library rather than by the user's
layers (a `keras.applications.ResNet50(classes=10)`, a keras_hub `ImageClassifier`, a transformers
`TFAutoModelForSequenceClassification`), so such a model gets the same head whether it appears in a
script, a saved file or a live model. One module per library; to teach keras-headcheck a new
library class, edit its table there.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from .heads import RUNTIME, KnownHead, KnownLayer, Unsupported, trained_loss
from . import (
    applications,
    keras_cv,
    keras_hub,
    keras_unet_collection,
    neural_structured_learning,
    premade,
    segmentation_models,
    tensorflow_decision_forests,
    tensorflow_hub,
    tensorflow_model_optimization,
    tensorflow_similarity,
    tf_models,
    transformers,
)

LIBRARIES = (
    applications, keras_hub, transformers, tensorflow_hub, tensorflow_decision_forests,
    tensorflow_similarity, premade, keras_cv, tf_models, segmentation_models,
    keras_unet_collection,
)
LAYER_LIBRARIES = (keras_hub, tf_models)  # layer_config and layer_from_config
FACTORIES = ("from_preset", "from_pretrained", "from_config")
WRAPPERS = (tensorflow_model_optimization, neural_structured_learning)  # LIBRARY and WRAPPING


def wraps_model(path: str) -> bool:
    """Whether a library function or class returns a model with the head of the model given as
    its first argument (`tfmot.sparsity.keras.prune_low_magnitude(model)`, from the library's
    public path or its module inside the package)."""
    return any(path.startswith(library.LIBRARY + ".") and path.rsplit(".", 1)[-1] in library.WRAPPING
               for library in WRAPPERS)  # fmt: skip


def _first_answer(libraries: tuple[Any, ...], lookup: str, *args: Any) -> Any:
    """The first answer (not None) of the libraries' `lookup` function: one table knows a class."""
    for library in libraries:
        found = getattr(library, lookup)(*args)
        if found is not None:
            return found
    return None


def split_path(path: str) -> tuple[str, Optional[str]]:
    """'keras_hub.models.ImageClassifier.from_preset' -> ('keras_hub.models.ImageClassifier', 'from_preset')."""
    head, _, tail = path.rpartition(".")
    return (head, tail) if tail in FACTORIES and head else (path, None)


def constructor_head(
    path: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Optional[Union[KnownHead, Unsupported]]:
    """The head a library constructor builds, `Unsupported` for a library class not in its table,
    None when `path` names no library model. Arguments known only at run time are `RUNTIME`."""
    constructor, factory = split_path(path)
    return _first_answer(LIBRARIES, "from_call", constructor, factory, args, kwargs)


def config_head(
    class_name: str, module: Optional[str], config: dict[str, Any]
) -> Optional[Union[KnownHead, Unsupported]]:
    """The head of a library model saved (or serialised live) as its constructor's config."""
    return _first_answer(LIBRARIES, "from_config", class_name, module or "", config)


def layer_call_config(path: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The config a saved file would hold for a call of a library layer the tables know (its
    arguments by the names its get_config gives them); None for any other call."""
    return _first_answer(LAYER_LIBRARIES, "layer_config", path, args, kwargs)


def layer_head(
    class_name: str, module: Optional[str], config: dict[str, Any]
) -> Optional[Union[KnownLayer, Unsupported]]:
    """The projection a library layer ends in (saved, serialised live, or built from a script's
    call by `layer_call_config`); `Unsupported` when its arguments do not say; None: no table."""
    return _first_answer(LAYER_LIBRARIES, "layer_from_config", class_name, module or "", config)


__all__ = [
    "RUNTIME", "KnownHead", "KnownLayer", "Unsupported", "config_head", "constructor_head",
    "layer_call_config", "layer_head", "split_path",
]
