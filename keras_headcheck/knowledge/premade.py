"""tf_keras's premade models, `tf.keras.experimental.LinearModel` and `WideDeepModel`.

They are subclassed models with no layer graph in their config, read from tf_keras's source
(`tf_keras/src/premade_models/linear.py`, `wide_deep.py`):
- `LinearModel(units=1, activation=None, ...)` computes `activation(sum of x @ kernel + bias)`: a
  dense head of `units` with that activation (linear by default);
- `WideDeepModel(linear_model, dnn_model, activation=None)` returns `activation(linear_output +
  dnn_output)`: linear by default. Its width is its two models' (not in its own arguments).
Keras 3 has neither. Compiled without a loss, they train with none: Keras says so, not us.
"""

from __future__ import annotations

from typing import Any, Optional

from .heads import KnownHead, named_arguments, units_of

LIBRARY = "keras.experimental"
# where a script names them, tf_keras's own modules too (`from tf_keras.premade_models import
# linear`, then `linear.LinearModel()`), once tf_keras / tensorflow.python.keras read as keras
PREFIXES = ("keras.experimental.", "keras.premade_models.", "keras.src.premade_models.",
            "keras.premade.")  # fmt: skip
ORDERS = {
    "LinearModel": ("units", "activation"),
    "WideDeepModel": ("linear_model", "dnn_model", "activation"),
}
OUTPUTS = {"LinearModel": "linear_model", "WideDeepModel": "wide_deep_model"}
MODULES = ("keras.experimental", "tf_keras.src.premade_models", "tensorflow.python.keras.premade")  # saved, live


def _head(name: str, arguments: dict[str, Any]) -> Optional[KnownHead]:
    if name not in ORDERS:
        return None
    activation = arguments.get("activation")
    units = units_of(arguments.get("units", 1)) if name == "LinearModel" else None
    output = arguments.get("name") if isinstance(arguments.get("name"), str) else OUTPUTS[name]
    return KnownHead(LIBRARY, name, output, activation, units)


def from_call(
    constructor: str, factory: Optional[str], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Optional[KnownHead]:
    if not constructor.startswith(PREFIXES) or factory is not None:
        return None
    name = constructor.rsplit(".", 1)[-1]
    return _head(name, named_arguments(ORDERS.get(name, ()), args, kwargs))


def from_config(class_name: str, module: str, config: dict[str, Any]) -> Optional[KnownHead]:
    return _head(class_name, config) if module.startswith(MODULES) else None
