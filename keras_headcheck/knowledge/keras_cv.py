"""keras_cv's classifier models -> their heads.

keras_cv's DenseNets (`keras_cv.models.DenseNet121`, `DenseNet169`, `DenseNet201`, later under
`keras_cv.models.legacy`) take `include_rescaling`, `include_top` (both required), `num_classes`,
... and end, when `include_top`, in `Dense(num_classes, activation=classifier_activation,
name="predictions")`; `classifier_activation` defaults to "softmax" (passed on through **kwargs
to `DenseNet(..., classifier_activation="softmax")`). Read from keras-team/keras-cv,
`keras_cv/models/densenet.py` and `keras_cv/models/legacy/densenet.py`. `include_top=False`
leaves the head to the user's layers. A width given any other way than `num_classes` (the
keras-io guide's `classes=`) is not read. keras_cv is not installed here.

Other keras_cv models (detectors, backbones, StableDiffusion) are left to the generic reading of
a class from another library (HC901 naming it when it is compiled).
"""

from __future__ import annotations

from typing import Any, Optional, Union

from .heads import RUNTIME, KnownHead, Unsupported, named_arguments, units_of

LIBRARY = "keras_cv.models"
PREFIXES = ("keras_cv.models.legacy.", "keras_cv.models.")
ORDER = ("include_rescaling", "include_top", "num_classes")
CLASSIFIERS = frozenset({"DenseNet121", "DenseNet169", "DenseNet201"})
DEFAULT_ACTIVATION = "softmax"
HEAD_LAYER = "predictions"


def head(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Union[KnownHead, Unsupported]:
    named = named_arguments(ORDER, args, kwargs)
    include_top = named.get("include_top", RUNTIME)  # required: absent means not known here
    if include_top is RUNTIME:
        return Unsupported(LIBRARY, name, "`include_top` is only known at run time")
    if not include_top:
        return KnownHead(LIBRARY, name, name, None, None, features=True)
    activation = named.get("classifier_activation", DEFAULT_ACTIVATION)
    return KnownHead(LIBRARY, name, HEAD_LAYER, activation, units_of(named.get("num_classes")))


def from_call(
    constructor: str, factory: Optional[str], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Optional[Union[KnownHead, Unsupported]]:
    if not constructor.startswith(PREFIXES) or factory is not None:
        return None
    name = constructor.rsplit(".", 1)[-1]
    return head(name, args, kwargs) if name in CLASSIFIERS else None


def from_config(class_name: str, module: str, config: dict[str, Any]) -> None:
    return None  # not read from saved files: keras_cv is not installed to check their configs
