"""Library models in a script: `keras.applications.ResNet50(classes=10)`, a keras_hub
`ImageClassifier(...)` or `.from_preset(...)`, a transformers `TFAutoModelFor...`.

Their heads come from keras_headcheck/knowledge (one table per library). Such a model becomes a
small functional model: an input, the library's backbone (a layer we do not see into), and the
head layer the library ends in. A library model given no loss by `compile` gets the loss its own
`compile` (or built-in loss) sets. A library class not in its table is an opaque model, named.
"""

from __future__ import annotations

import ast
from typing import Any, Union

from ...knowledge import (
    RUNTIME,
    KnownHead,
    Unsupported,
    constructor_head,
    layer_call_config,
    trained_loss,
    wraps_model,
)
from ...knowledge import tensorflow_recommenders
from ...knowledge.tensorflow_hub import layer_note
from ...knowledge.tensorflow_similarity import passes_through
from .arguments import UNKNOWN_ACTIVATION, activation_config, plain
from .layer_inputs import symbolic_inputs
from .names import keras_path
from .values import Compile, Layer, Model, Ref, Span, Task, Tensor, Unknown

ACTIVATION_ARGUMENTS = frozenset({"activation", "classifier_activation"})


def _argument(name: str, value: Any) -> Any:
    """A call argument as the knowledge tables take it: a constant, or RUNTIME."""
    if name in ACTIVATION_ARGUMENTS:
        value = activation_config(value)
        return RUNTIME if value == UNKNOWN_ACTIVATION or isinstance(value, Unknown) else value
    value = plain(value)
    return RUNTIME if isinstance(value, Unknown) else value


class Libraries:
    """Mixin of the Interpreter: calls of library constructors the knowledge tables know."""

    policy: Any

    def keras_call(
        self, ref: Ref, args: list[Any], kwargs: dict[str, Any], opaque: bool, where: Span
    ) -> Any:
        path = keras_path(ref.path) or ref.path
        if wraps_model(path) and args and isinstance(args[0], Model) and not opaque:
            return self.clone(args[0], where)  # type: ignore[attr-defined]  # its head, wrapped
        task = tensorflow_recommenders.task(ref.path)
        if task is not None:  # a TFRS task: the loss a tfrs.Model's compute_loss applies
            at = task.loss_position
            return Task(task, kwargs.get("loss", args[at] if len(args) > at else None), opaque)
        named = {k: _argument(k, v) for k, v in kwargs.items()}
        positional = tuple(_argument("", a) for a in args)
        known = constructor_head(path, positional, named)
        if known is None and passes_through(ref.path) and not opaque:
            return self.identity_layer(ref.path, kwargs, where)
        layer_config = layer_call_config(path, positional, named) if known is None else None
        if layer_config is not None:
            return self.library_layer(path, layer_config, kwargs, opaque, where)
        if known is None:
            result = super().keras_call(ref, args, kwargs, opaque, where)  # type: ignore[misc]
            note = layer_note(ref.path)
            if note and isinstance(result, Layer):
                result.class_name = note
            return result
        if opaque:
            known = Unsupported(
                getattr(known, "library", ""), known.constructor, "arguments not known statically"
            )
        return self.register(self.library_model(known, kwargs, where))  # type: ignore[attr-defined]

    def identity_layer(self, path: str, kwargs: dict[str, Any], where: Span) -> Model:
        """A library layer that returns its input (a logging layer): read as a custom layer whose
        call() returns its input (subclass.py), so the head is the layer that feeds it."""
        (source,) = symbolic_inputs(1, where)
        name = self.given_name(kwargs, path.rsplit(".", 1)[-1])  # type: ignore[attr-defined]
        as_model = self._as_model  # type: ignore[attr-defined]
        model: Model = as_model((Tensor(source, 0), [source]), name, where, path)
        model.call_inputs = ["inputs"]  # one input, returned: a list given to it is not followed
        return model

    def library_layer(
        self, path: str, config: dict[str, Any], kwargs: dict[str, Any], opaque: bool, where: Span
    ) -> Layer:
        """A library layer the tables know, with its arguments as its saved config holds them:
        the graph reads it as the projection it ends in (readers/known.py)."""
        module, _, class_name = path.rpartition(".")
        name = self.given_name(kwargs, class_name)  # type: ignore[attr-defined]
        if opaque:  # `**options` the reader cannot see: any argument may be in there
            return Layer(f"{path} (arguments not known statically)", "<unknown>", {}, where, name)
        config = {k: v for k, v in config.items() if k != "name"}
        if self.policy and "dtype" not in config:
            config["dtype"] = self.policy  # it follows the global policy, as Keras layers do
        return Layer(class_name, module, config, where, name)

    def library_model(
        self, known: Union[KnownHead, Unsupported], kwargs: dict[str, Any], where: Span
    ) -> Model:
        name = self.given_name(kwargs, known.constructor)  # type: ignore[attr-defined]
        if isinstance(known, Unsupported):
            return Model("opaque", name, where, what=known.what)
        if known.features:
            what = f"{known.what}(include_top=False): features, no head of its own"
            return Model("opaque", name, where, what=what)
        source = Layer("InputLayer", "keras.layers", {}, where, "inputs")
        source.nodes.append(([], {}))
        backbone = Layer(f"{known.what} backbone", "<unknown>", {}, where, "backbone")
        backbone.nodes.append(([Tensor(source, 0)], {}))
        width = "filters" if known.layer == "Conv2D" else "units"
        config: dict[str, Any] = {width: known.units}
        if known.activation is not RUNTIME:
            config["activation"] = known.activation
        if self.policy and known.library == "keras.applications":
            config["dtype"] = self.policy  # its head follows the global policy (keras_hub's: the backbone's)
        heads = []
        for output in (known.output, *known.more_outputs):
            head = Layer(known.layer, "keras.layers", dict(config), where, output)
            if known.activation is RUNTIME:
                head.opaque = known.unknown
            head.nodes.append(([Tensor(backbone, 0)], {}))
            heads.append(Tensor(head, 0))
        outputs: Any = heads if known.more_outputs else heads[0]
        model = Model("functional", name, where, outputs=outputs, what=known.what)
        model.inputs = [Tensor(source, 0)]
        model.library = known
        return model

    def compile(self, model: Model, node: ast.Call, scope: Any) -> None:
        super().compile(model, node, scope)  # type: ignore[misc]
        done = model.compiles[-1] if model.compiles else None
        if done is not None and model.library is not None:
            loss = trained_loss(model.library, done.loss)
            if loss is not done.loss:
                model.compiles[-1] = Compile(loss, done.metrics, done.span, done.layers)
