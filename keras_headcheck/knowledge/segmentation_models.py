"""segmentation_models (qubvel/segmentation_models, `import segmentation_models as sm`): its four
models -> their heads.

`sm.Unet`, `sm.Linknet`, `sm.FPN` and `sm.PSPNet` put a backbone (a keras.applications-style
encoder) under a decoder and end every pixel in `Conv2D(classes, 3)` then
`Activation(activation, name=activation)` (`segmentation_models/models/unet.py`, `linknet.py`,
`fpn.py`, `pspnet.py`: `build_unet`... "model head"). The output is `(h, w, classes)`. Defaults,
read from the constructors' signatures: Unet and Linknet `classes=1, activation="sigmoid"`; FPN
and PSPNet `classes=21, activation="softmax"`. The positional order is `backbone_name,
input_shape, classes, activation`. So `sm.Unet(classes=1, activation="softmax")`, a softmax over a
single channel, is read as what it is.

The library's losses (`sm.losses.bce_jaccard_loss`, `DiceLoss()`...) are not Keras's: they stay
custom losses (HC902). A saved or live segmentation_models model is a functional model of Keras
layers, which the readers read as they are, so no config table is needed.
"""

from __future__ import annotations

from typing import Any, Optional

from .heads import KnownHead, named_arguments, units_of

LIBRARY = "segmentation_models"
PREFIXES = ("segmentation_models.models.", "segmentation_models.")
ORDER = ("backbone_name", "input_shape", "classes", "activation")
DEFAULTS = {  # constructor -> (classes, activation)
    "Unet": (1, "sigmoid"),
    "Linknet": (1, "sigmoid"),
    "FPN": (21, "softmax"),
    "PSPNet": (21, "softmax"),
}
HEAD_LAYER = "Conv2D"  # per pixel: `Conv2D(classes, 3)` under `Activation(activation)`


def from_call(
    constructor: str, factory: Optional[str], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Optional[KnownHead]:
    if not constructor.startswith(PREFIXES) or factory is not None:
        return None
    name = constructor.rsplit(".", 1)[-1]
    if name not in DEFAULTS:
        return None
    classes, activation = DEFAULTS[name]
    named = named_arguments(ORDER, args, kwargs)
    activation = named.get("activation", activation)
    units = units_of(named.get("classes", classes))
    output = activation if isinstance(activation, str) else "final_conv"
    return KnownHead(LIBRARY, name, output, activation, units, layer=HEAD_LAYER)


def from_config(class_name: str, module: str, config: dict[str, Any]) -> None:
    return None  # saved and live, its model is Keras layers: read as they are
