"""Whether a `.compile(...)` call on a value the reader did not build is a Keras model's compile.

A model made by code the reader cannot follow (a helper in another module, a test utility, a
function applied to tensors) is still compiled and trained in the file: that compile is reported
(HC901, "a model this file does not build"), never passed over in silence. But `.compile` is a
common method name (`re.compile`, kfp's `Compiler().compile(pipeline_func, package_path)`,
jinja's `Environment.compile(source)`), so the call must look like Keras's own: a keyword of
Keras's `compile` signature, an optimizer as its first argument (`model.compile("rmsprop",
"mse")`, `model.compile(SGD(0.1))`), a Keras loss as its second (`model.compile(opt, "mse")`,
whatever `opt` holds), or no argument at all (Keras's defaults). A trainer's own compile
(`compile(encoder_optimizer=..., encoder_loss=...)`, `compile(d_optimizer, g_optimizer,
loss_fn)`) is a model's too: a keyword named for an optimizer, a loss or metrics says so. Format
knowledge only.
"""

from __future__ import annotations

import ast
import re
from typing import Any, Callable, Iterator

from ..compiled import canonical_loss_name
from .compile_args import KERAS_COMPILE_PARAMS
from .names import kind_of
from .static import span
from .unknowns import explained
from .values import (
    UNKNOWN, UNKNOWN_FUNCTION, Function, Layer, Ref, Returned, Span, Tensor, Unknown,
)  # fmt: skip

# A detection task's own compile (KerasCV / keras_hub RetinaNet, YOLOV8Detector; the two-stage
# FasterRCNN and MaskRCNN add their region proposals' losses and the masks')
DETECTION_LOSSES = (
    "classification_loss", "box_loss", "rpn_classification_loss", "rpn_box_loss", "mask_loss",
)  # in the order the HC901 names them
# A trainer's own compile: `encoder_optimizer`, `probe_loss`, `d_optimizer`, `loss_fn`...
TRAINER_KEYWORD = re.compile(r"(^|_)(optimizers?|loss|losses|loss_fn|metrics)$")
# Keras 3 `Model.compile` (its positional parameters first), tf.keras 2 (`sample_weight_mode`,
# `target_tensors`), keras_hub tasks (`sampler`), KerasCV / keras_hub detectors.
KERAS_COMPILE_KEYWORDS = frozenset(KERAS_COMPILE_PARAMS) | frozenset(DETECTION_LOSSES) | frozenset({
    "weighted_metrics", "run_eagerly", "steps_per_execution", "jit_compile", "auto_scale_loss",
    "sample_weight_mode", "target_tensors", "sampler",
})  # fmt: skip
# `keras.optimizers.get` identifiers and classes (Keras 3 and tf.keras, legacy included).
OPTIMIZER_NAMES = frozenset({
    "adadelta", "adafactor", "adagrad", "adam", "adamax", "adamw", "ftrl", "lion", "muon",
    "nadam", "rmsprop", "sgd", "lamb", "loss_scale_optimizer", "lossscaleoptimizer",
})  # fmt: skip


def model_like(receiver: Any) -> bool:
    """A value that may be a model the reader did not build: unknown, an instance of a class
    from another library, or what an unknown function returned when given tensors (a tensor
    has no `compile`: `gan.discriminator(inputs).compile(...)` is a model's), or None (a builder
    left unfinished, `model = None  # YOUR CODE HERE`: that compile is reported, not skipped)."""
    if receiver is None or isinstance(receiver, (Unknown, Layer)):
        return True
    source = receiver.source if isinstance(receiver, Tensor) else None
    return isinstance(source, Layer) and str(source.opaque).startswith(UNKNOWN_FUNCTION)


def unbuilt(receiver: Any) -> str:
    """How the HC901 names a compiled model that `model_like` took for one."""
    if receiver is None:
        return "None, not a model: what should build it gives None, perhaps left unfinished"
    if isinstance(receiver, Layer) and receiver.module == "__main__":
        return (f"`{receiver.class_name}`, a class of this file not derived from Keras's Model: "
                "check it live with keras_headcheck.check(model, x=batch)")
    if isinstance(receiver, Layer):
        return f"`{receiver.module}.{receiver.class_name}`, a model keras-headcheck has no table for"
    if isinstance(receiver, Tensor):
        return f"a model returned by `{receiver.source.class_name}`, not followed"
    why = explained(receiver)
    if why:
        return why
    if isinstance(receiver, Returned):
        return (f"a model returned by `{receiver.by}`, not followed: another library's, or of a "
                "module not in the linted tree")
    return "a model this file does not build"


def keras_compile(node: ast.Call, lookup: Callable[[ast.expr], Any]) -> bool:
    """Whether `node` (a `.compile(...)` call) has the shape of Keras's; `lookup` evaluates a
    plain name (no side effects) to see what optimizer a variable holds."""
    if any(_keras_keyword(k.arg) for k in node.keywords):
        return True
    if not node.args and (not node.keywords or any(k.arg is None for k in node.keywords)):
        return True  # `model.compile()` (Keras's defaults, a keras_hub task's), `compile(**args)`
    if node.args and isinstance(node.args[0], ast.Starred):
        return True  # `compile(*args, **kwargs)`: passed on as given
    if len(node.args) > 1 and _loss(node.args[1], lookup):
        return True  # `compile(optimizer, "mse")`: Keras's order, an optimizer not known here
    return bool(node.args) and _optimizer(node.args[0], lookup)


def foreign_compile(node: ast.Call, lookup: Callable[[ast.expr], Any]) -> bool:
    """Whether a `.compile(...)` on an instance of another library's class is certainly not a
    model's: given keywords, none of Keras's (kfp's `compile(pipeline_func=..., package_path=...)`),
    or a function of the file as its first argument (Keras's first is the optimizer). A library
    model's own compile (segmentation_models, keras-rl agents, tensorflow_privacy's BoltOnModel:
    `model.compile(optim, loss)`, `agent.compile()`) is a model's."""
    named = {k.arg for k in node.keywords if k.arg is not None}
    if named and not any(_keras_keyword(k) for k in named):
        return True
    return bool(node.args) and isinstance(node.args[0], ast.Name) and isinstance(
        lookup(node.args[0]), Function
    )


def not_keras_why(node: ast.Call) -> str:
    """Why a `.compile(...)` given only keywords Keras's compile has none of is not a model's
    (`architecture.compile(model_name="ac")`: a method of the code's own object), for
    `--show-heads`; "" when its keywords do not say."""
    named = [k.arg for k in node.keywords if k.arg is not None]
    if not named or any(_keras_keyword(k) for k in named) or len(named) < len(node.keywords):
        return ""
    given = ", ".join(f"`{k}=`" for k in named)
    verb = "is not one of its arguments" if len(named) == 1 else "are not among its arguments"
    return f"not Keras's compile: {given} {verb}"


def _keras_keyword(name: Any) -> bool:
    return name in KERAS_COMPILE_KEYWORDS or bool(name and TRAINER_KEYWORD.search(name))


def _loss(arg: ast.expr, lookup: Callable[[ast.expr], Any]) -> bool:
    """A Keras loss as written: a name Keras knows ("mse"), a loss class made (`MeanSquaredError()`)
    or a loss function or class named (`keras.losses.mse`)."""
    if isinstance(arg, ast.Constant):
        return isinstance(arg.value, str) and canonical_loss_name(arg.value) is not None
    if isinstance(arg, ast.Call):
        tail = _tail(arg.func)  # as `_optimizer` reads `SGD(...)`: by its class name
        if tail[:1].isupper() and canonical_loss_name(tail) is not None:
            return True
        arg = arg.func
    if isinstance(arg, (ast.Name, ast.Attribute)):
        value = lookup(arg)
        if isinstance(value, str):
            return canonical_loss_name(value) is not None
        return isinstance(value, Ref) and kind_of(value.path)[0] in ("loss_class", "loss_fn")
    return False


def _optimizer(arg: ast.expr, lookup: Callable[[ast.expr], Any]) -> bool:
    if isinstance(arg, ast.Constant):
        return isinstance(arg.value, str) and arg.value.lower() in OPTIMIZER_NAMES
    if isinstance(arg, ast.Call):
        return _optimizer_class(_tail(arg.func))
    if isinstance(arg, ast.Name):
        value = lookup(arg)
        if isinstance(value, str):
            return value.lower() in OPTIMIZER_NAMES
        if isinstance(value, Layer):  # an instance of another library's class: its name tells
            return _optimizer_class(value.class_name)
        return isinstance(value, Ref) and _optimizer_class(value.tail)
    return False


def _optimizer_class(name: str) -> bool:
    """`SGD`, `keras.optimizers.Adam`, `RMSPropOptimizer` (TF1's, which tf.keras accepts)."""
    return name.lower() in OPTIMIZER_NAMES or name.endswith("Optimizer")


def _tail(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def dead_compiles(
    statements: list[ast.stmt], test: ast.expr, known: bool
) -> Iterator[tuple[Span, str, str]]:
    """The Keras-shaped compiles in a branch that does not run (`if TRAIN_ENCODER:` with the flag
    False): (where, the model as written, why), so that they are reported as not checked, not
    passed over in silence."""
    why = f"in a branch that does not run here: `{ast.unparse(test)}` is {str(known).lower()}"
    for statement in statements:
        for node in ast.walk(statement):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "compile"):  # fmt: skip
                continue
            if keras_compile(node, lambda _: UNKNOWN):
                yield span(node), ast.unparse(node.func.value), why

