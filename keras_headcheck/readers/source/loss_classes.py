"""Loss classes of the file: an instance of a `keras.losses.Loss` subclass whose
`call(self, y_true, y_pred)` applies a known Keras loss to the predictions, as known_losses.py
reads a function, is that loss for the head rules:

    class NonPaddingLoss(keras.losses.Loss):
        def call(self, y_true, y_pred):
            loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)
            mask = ops.cast(y_true > 0, "float32")
            return ops.sum(loss_fn(y_true, y_pred) * mask) / ops.sum(mask)

A loss object its `__init__` sets once (`self.loss_fn = keras.losses.X(...)`) is read as the
module defines it (step_losses.init_values); `__init__` itself is not run. A
`keras.losses.LossFunctionWrapper` subclass without a `call` is the function its `__init__`
hands to `super().__init__(fn, ...)`, read as known_losses.py reads a function.
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Optional

from .known_losses import module_value, returned_loss
from .local_classes import find_method, is_super, method_names
from .step_losses import init_values
from .values import Function, LossInstance

Eval = Callable[..., Any]


def class_loss(instance: LossInstance, ev: Eval) -> Optional[dict[str, Any]]:
    """The config of the known loss an instance of a loss class applies, or None."""
    cls = instance.cls
    call = find_method(cls, "call")
    if call is None:
        wrapped = _wrapped(find_method(cls, "__init__"), ev)
        return returned_loss(wrapped, ev, name=cls.name) if wrapped is not None else None
    methods = [f for f in (find_method(cls, m) for m in method_names(cls)) if f is not None]
    attrs = init_values(find_method(cls, "__init__"), ev, methods)
    return returned_loss(call, ev, attrs=attrs, name=cls.name)


def _wrapped(init: Optional[Function], ev: Eval) -> Optional[Function]:
    """The function of the file `super().__init__(fn, ...)` wraps (a LossFunctionWrapper's)."""
    for node in ast.walk(init.node) if init is not None else ():
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "__init__" and is_super(node.func.value)):  # fmt: skip
            given = node.args[:1] or [k.value for k in node.keywords if k.arg == "fn"]
            value = module_value(given[0], init, ev) if given else None
            return value if isinstance(value, Function) else None
    return None
