"""keras_unet_collection (yingkaisha/keras-unet-collection, `from keras_unet_collection import
models`): its ten 2-D segmentation models -> their heads.

Every `models.X_2d(...)` ends each pixel in `CONV_output(X, n_labels, activation=
output_activation)` (`layer_utils.py`): a `Conv2D(n_labels)`, then, when `output_activation` is
set, `Activation("sigmoid")` for `"Sigmoid"` or the `keras.layers` class of that name (`"Softmax"`,
`"ReLU"`...); `None` leaves the convolution linear. The output is `(h, w, n_labels)`, named
`{name}_output` (`{name}_output_final` for `u2net_2d` and `unet_3plus_2d`), `_activation`
appended when there is one. Read from the source of 0.1.13: `output_activation` defaults to
`"Softmax"`, but to `"Sigmoid"` for `u2net_2d` and `unet_3plus_2d`; every parameter's position is
in ORDERS (a test checks them against the library's signatures). `deep_supervision=True`
(`unet_plus_2d`, `u2net_2d`, `unet_3plus_2d`), by keyword or by position, adds an output per
decoder level: not in the table (HC901). The backbone does not change the head. The
library's losses (`losses.dice_coef`...) are not Keras's: custom losses (HC902). Saved or live,
its models are Keras layers, read as they are.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from .heads import RUNTIME, KnownHead, Unsupported, named_arguments, units_of

LIBRARY = "keras_unet_collection"
_UNET = "batch_norm pool unpool"  # the parameters after output_activation most builders share
_BACKBONE = "backbone weights freeze_backbone freeze_batch_norm"
ORDERS = {  # each constructor's parameters in positional order, as 0.1.13 declares them
    name: tuple(f"input_size {params} name".split())
    for name, params in {
        "unet_2d": f"filter_num n_labels stack_num_down stack_num_up activation "
                   f"output_activation {_UNET} {_BACKBONE}",
        "vnet_2d": f"filter_num n_labels res_num_ini res_num_max activation output_activation "
                   f"{_UNET}",
        "unet_plus_2d": f"filter_num n_labels stack_num_down stack_num_up activation "
                        f"output_activation {_UNET} deep_supervision {_BACKBONE}",
        "r2_unet_2d": f"filter_num n_labels stack_num_down stack_num_up recur_num activation "
                      f"output_activation {_UNET}",
        "att_unet_2d": f"filter_num n_labels stack_num_down stack_num_up activation "
                       f"atten_activation attention output_activation {_UNET} {_BACKBONE}",
        "resunet_a_2d": f"filter_num dilation_num n_labels aspp_num_down aspp_num_up activation "
                        f"output_activation {_UNET}",
        "u2net_2d": f"n_labels filter_num_down filter_num_up filter_mid_num_down "
                    f"filter_mid_num_up filter_4f_num filter_4f_mid_num activation "
                    f"output_activation {_UNET} deep_supervision",
        "unet_3plus_2d": f"n_labels filter_num_down filter_num_skip filter_num_aggregate "
                         f"stack_num_down stack_num_up activation output_activation {_UNET} "
                         f"deep_supervision {_BACKBONE}",
        "transunet_2d": f"filter_num n_labels stack_num_down stack_num_up embed_dim num_mlp "
                        f"num_heads num_transformer activation mlp_activation output_activation "
                        f"{_UNET} {_BACKBONE}",
        "swin_unet_2d": "filter_num_begin n_labels depth stack_num_down stack_num_up patch_size "
                        "num_heads window_size num_mlp output_activation shift_window",
    }.items()
}
NAMES = {"unet_2d": "unet", "vnet_2d": "vnet", "unet_plus_2d": "xnet", "r2_unet_2d": "r2_unet",
         "att_unet_2d": "attunet", "resunet_a_2d": "resunet", "u2net_2d": "u2net",
         "unet_3plus_2d": "unet3plus", "transunet_2d": "transunet", "swin_unet_2d": "swin_unet"}
SIGMOID_FIRST = frozenset({"u2net_2d", "unet_3plus_2d"})  # output_activation="Sigmoid" by default
# `output_activation` as written -> the activation its layer computes
ACTIVATIONS = {None: None, "Sigmoid": "sigmoid", "Softmax": "softmax", "ReLU": "relu",
               "LeakyReLU": "leaky_relu", "PReLU": "leaky_relu", "ELU": "elu"}


def from_call(
    constructor: str, factory: Optional[str], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Optional[Union[KnownHead, Unsupported]]:
    name = constructor.rsplit(".", 1)[-1]
    if not constructor.startswith(LIBRARY + ".") or factory is not None or name not in ORDERS:
        return None
    named = named_arguments(ORDERS[name], args, kwargs)
    if named.get("deep_supervision", False) is not False:
        return Unsupported(LIBRARY, name, "deep_supervision: one output per decoder level")
    written = named.get("output_activation", "Sigmoid" if name in SIGMOID_FIRST else "Softmax")
    if isinstance(written, str) and written not in ACTIVATIONS:
        return Unsupported(LIBRARY, name, f"output_activation={written!r}")
    activation = ACTIVATIONS[written] if written is None or isinstance(written, str) else RUNTIME
    prefix = named.get("name", NAMES[name])
    prefix = prefix if isinstance(prefix, str) else NAMES[name]
    output = f"{prefix}_output_final" if name in SIGMOID_FIRST else f"{prefix}_output"
    output += "_activation" if written is not None else ""
    return KnownHead(LIBRARY, name, output, activation, units_of(named.get("n_labels")),
                     layer="Conv2D")


def from_config(class_name: str, module: str, config: dict[str, Any]) -> None:
    return None  # saved and live, its model is Keras layers: read as they are
