"""keras.applications constructors -> their heads (Keras 3 and tf_keras alike).

Every constructor takes `include_top` (default True), `classes` (default 1000) and
`classifier_activation` (default "softmax"), and names its head layer "predictions".
`include_top=False` leaves the head to the layers the user puts on top. tests/test_knowledge.py
checks this table against the signatures of the installed keras.applications and tf_keras.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from .heads import RUNTIME, KnownHead, Unsupported, named_arguments, units_of

LIBRARY = "keras.applications"
PREFIX = "keras.applications."

_USUAL = ("include_top", "weights", "input_tensor", "input_shape", "pooling", "classes",
          "classifier_activation")
_MOBILENET = ("input_shape", "alpha", "depth_multiplier", "dropout", "include_top", "weights",
              "input_tensor", "pooling", "classes", "classifier_activation")
_MOBILENET_V2 = ("input_shape", "alpha", "include_top", "weights", "input_tensor", "pooling",
                 "classes", "classifier_activation")
_MOBILENET_V3 = ("input_shape", "alpha", "minimalistic", "include_top", "weights", "input_tensor",
                 "classes", "pooling", "dropout_rate", "classifier_activation")
_NASNET = ("input_shape", "include_top", "weights", "input_tensor", "pooling", "classes",
           "classifier_activation")
_CONVNEXT = ("include_top", "include_preprocessing", "weights", "input_tensor", "input_shape",
             "pooling", "classes", "classifier_activation")
_REGNET = ("model_name", "include_top", "include_preprocessing", "weights", "input_tensor",
           "input_shape", "pooling", "classes", "classifier_activation")
_RESNET_RS = ("include_top", "weights", "classes", "input_shape", "input_tensor", "pooling",
              "classifier_activation", "include_preprocessing")

# constructor -> its positional parameters, in order
CONSTRUCTORS: dict[str, tuple[str, ...]] = {
    **{name: _USUAL for name in (
        "DenseNet121", "DenseNet169", "DenseNet201", "InceptionResNetV2", "InceptionV3",
        "ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2", "ResNet152V2",
        "VGG16", "VGG19", "Xception",
        *(f"EfficientNetB{i}" for i in range(8)),
        *(f"EfficientNetV2{size}" for size in ("B0", "B1", "B2", "B3", "S", "M", "L")),
    )},
    **{f"ConvNeXt{size}": _CONVNEXT for size in ("Tiny", "Small", "Base", "Large", "XLarge")},
    "MobileNet": _MOBILENET,
    "MobileNetV2": _MOBILENET_V2,
    "MobileNetV3Small": _MOBILENET_V3,
    "MobileNetV3Large": _MOBILENET_V3,
    "NASNetMobile": _NASNET,
    "NASNetLarge": _NASNET,
    # tf_keras only
    **{f"RegNet{kind}{size}": _REGNET for kind in "XY" for size in (
        "002", "004", "006", "008", "016", "032", "040", "064", "080", "120", "160", "320")},
    **{f"ResNetRS{depth}": _RESNET_RS for depth in (50, 101, 152, 200, 270, 350, 420)},
}
# tf_keras orders that differ from Keras 3's: a positional argument the two name differently is
# not known statically.
TF_KERAS_ORDERS = {f"ConvNeXt{size}": ("model_name", *_CONVNEXT) for size in ("Tiny", "Small", "Base", "Large", "XLarge")}
DEFAULTS = {"include_top": True, "classes": 1000, "classifier_activation": "softmax"}
HEAD_LAYER = "predictions"


def head(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Union[KnownHead, Unsupported]:
    named = {**DEFAULTS, **named_arguments(CONSTRUCTORS[name], args, kwargs)}
    if name in TF_KERAS_ORDERS:
        other = {**DEFAULTS, **named_arguments(TF_KERAS_ORDERS[name], args, kwargs)}
        named = {k: v if other.get(k) is v else RUNTIME for k, v in named.items()}
    include_top = named["include_top"]
    if include_top is RUNTIME:
        return Unsupported(LIBRARY, name, "`include_top` is only known at run time")
    if not include_top:
        return KnownHead(LIBRARY, name, name, None, None, features=True)
    classes = named["classes"]
    return KnownHead(LIBRARY, name, HEAD_LAYER, named["classifier_activation"], units_of(classes))


def from_call(
    constructor: str, factory: Optional[str], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Optional[Union[KnownHead, Unsupported]]:
    if not constructor.startswith(PREFIX) or factory is not None:
        return None
    name = constructor.rsplit(".", 1)[-1]
    if name in CONSTRUCTORS:
        return head(name, args, kwargs)
    if name[:1].isupper():
        return Unsupported(LIBRARY, name, "not in keras-headcheck's keras.applications table")
    return None


def from_config(class_name: str, module: str, config: dict[str, Any]) -> None:
    return None  # saved applications are functional models: their layers are read as they are
