"""Keras constructors: layers, models, losses and metrics, ops on tensors, Keras's default names."""

from __future__ import annotations

import re
from typing import Any, Optional

from ...head import UNKNOWN as UNKNOWN_ROLE
from ...knowledge import keras_rl
from ..layers import activation_of, canonical_activation
from .arguments import UNKNOWN_ACTIVATION, layer_config, object_config
from .call_args import inputs_keyword, unseen_arguments
from .expressions import Expressions
from .names import keras_path, kind_of
from .python_builtins import builtin
from .unknowns import explained
from .values import (
    MISSING,
    UNKNOWN,
    UNKNOWN_FUNCTION,
    UNSEEN,
    Function,
    KerasObject,
    Layer,
    LocalClass,
    Model,
    Partial,
    Placeholder,
    Ref,
    Returned,
    Span,
    Tensor,
)

SOFTMAX_LIKE = frozenset({"softmax", "log_softmax", "softmax_v2"})


def tensors_in(values: Any) -> list[Tensor]:
    """The tensors among call arguments (one level of lists/tuples, as `concatenate([a, b])`)."""
    found: list[Tensor] = []
    for value in values:
        if isinstance(value, Tensor):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            found.extend(v for v in value if isinstance(v, Tensor))
    return found


class Constructors(Expressions):
    """What calling a Keras name builds. The Interpreter subclass owns the models found."""

    models: list[Model]
    policy: Optional[str]
    name_counts: dict[str, int]

    def register(self, model: Model) -> Model:  # pragma: no cover - provided by Interpreter
        raise NotImplementedError

    def call_function(
        self,
        fn: Function,
        args: list[Any],
        kwargs: dict[str, Any],
        opaque: bool = False,
        outside: bool = False,
    ) -> Any:  # pragma: no cover
        raise NotImplementedError

    def call_layer(self, target: Any, args: list[Any], kwargs: dict[str, Any]) -> Tensor:
        keyword = inputs_keyword(target.traced if isinstance(target, Model) else None)
        first = args[0] if args else kwargs.get(keyword, UNKNOWN)
        inputs = list(first) if isinstance(first, (list, tuple)) else [first]
        inputs = [x if isinstance(x, Tensor) else UNKNOWN for x in inputs]
        if isinstance(target, Model) and any(isinstance(x, Tensor) for x in inputs):
            target.nested = True  # a part of the model being built (on data: a training loop)
        traced = target.traced if isinstance(target, Model) else None
        unseen = (
            unseen_arguments(traced, args, kwargs, max(1, len(target.call_inputs)))
            if isinstance(target, Model) else None
        )
        target.nodes.append((inputs, {UNSEEN: unseen} if unseen else {}))
        return Tensor(target, len(target.nodes) - 1)

    def keras_call(
        self, ref: Ref, args: list[Any], kwargs: dict[str, Any], opaque: bool, where: Span
    ) -> Any:
        kind, name = kind_of(ref.path)
        if ref.path.startswith("builtins."):
            return builtin(name, args, kwargs)
        if name == "clear_session" and keras_path(ref.path) is not None:
            self.name_counts.clear()  # Keras starts its default layer names again: "dense"...
            return None
        if ref.path == "functools.partial":
            return Partial(args[0], tuple(args[1:]), kwargs) if args and not opaque else UNKNOWN
        if kind == "layer":
            return self.make_layer(name, args, kwargs, opaque, where)
        if kind == "input":
            layer = self.make_layer("InputLayer", args[:1], kwargs, opaque, where)
            layer.nodes.append(([], {}))
            return Tensor(layer, 0)
        if kind == "merge":
            layer = self.make_layer(
                name, [], {k: v for k, v in kwargs.items() if k == "axis"}, False, where
            )
            return self.call_layer(layer, args[:1], {})
        if kind == "sequential":
            return self.sequential(args, kwargs, where)
        if kind == "model":
            return self.functional(args, kwargs, where)
        if kind in ("loss_class", "metric_class"):
            family = "losses" if kind == "loss_class" else "metrics"
            config = UNKNOWN if opaque else object_config(family, name, args, kwargs)
            return KerasObject(family, name, config)
        if kind == "op" and name in ("get", "deserialize") and _under_activations(ref.path):
            return _activation_lookup(args, kwargs, opaque)
        if kind == "op":
            return self.op_call(name, args, kwargs, opaque, where)
        if kind == "application":
            return self.register(Model("opaque", name, where, what=f"keras.applications.{name}"))
        if kind == "loader":
            return self.register(Model("opaque", name, where, what="a model loaded at run time"))
        if kind == "clone" and args and isinstance(args[0], Model):
            return self.clone(args[0], where)
        if kind == "policy":
            self.policy = args[0] if args and isinstance(args[0], str) else None
            return None
        if kind == "policy_object":
            return args[0] if args and isinstance(args[0], str) else UNKNOWN
        if kind == "other" and name[:1].isupper() and keras_path(ref.path) is None:
            # a class from another library (keras_nlp, tensorflow_hub...): a layer we cannot see into
            layer = Layer(name, ref.path.rsplit(".", 1)[0], {}, where, self.auto_name(name))
            if keras_rl.is_agent(ref.path):  # trains a model of the file's (calls.py)
                layer.agent = keras_rl.trained_model(ref.path, args, kwargs)
            return layer
        if tensors_in(args):
            return self.opaque_op(ref.path, args, where)
        if kind == "other" and keras_path(ref.path) is None:
            return Returned(ref.path)  # unknown, but a compile on it can name its maker
        return UNKNOWN

    def make_layer(
        self, class_name: str, args: list[Any], kwargs: dict[str, Any], opaque: bool, where: Span
    ) -> Layer:
        config, interpretable = layer_config(class_name, args, kwargs)
        name = self.given_name(kwargs, class_name)
        # a dtype argument the reader cannot name overrides the policy all the same: unknown then
        given = "dtype" in kwargs or "dtype" in config
        if self.policy and not given and class_name != "InputLayer":
            config["dtype"] = self.policy
        layer = Layer(class_name, "keras.layers", config, where, name)
        if opaque or not interpretable:
            layer.opaque = "run-time arguments"
        elif config.get("activation") is UNKNOWN_ACTIVATION:
            layer.opaque = "run-time activation"
        return layer

    def sequential(self, args: list[Any], kwargs: dict[str, Any], where: Span) -> Model:
        items = args[0] if args else kwargs.get("layers", [])
        name = self.given_name(kwargs, "Sequential")
        model = Model("sequential", name, where)
        if isinstance(items, (list, tuple)):
            model.layers = [self.layer_item(item, where) for item in items]
        elif items is not None:
            model.layers = [Placeholder(where, "layers not known statically")]
        return self.register(model)

    def functional(self, args: list[Any], kwargs: dict[str, Any], where: Span) -> Model:
        """`Model(inputs, outputs)`; Keras 1's `input=`/`output=`, which Keras 2.0 to 2.2 still
        took (its legacy interfaces renamed them), name the same."""
        inputs = args[0] if args else kwargs.get("inputs", kwargs.get("input", MISSING))
        outputs = args[1] if len(args) > 1 else kwargs.get("outputs", kwargs.get("output", MISSING))
        name = self.given_name(kwargs, "Functional")
        if outputs is MISSING:
            return self.register(Model("opaque", name, where, what="a model built without outputs"))
        model = Model("functional", name, where, outputs=outputs)
        model.inputs = inputs if inputs is not MISSING else UNKNOWN
        return self.register(model)

    def clone(self, model: Model, where: Span) -> Model:
        copy = Model(
            model.kind,
            self.auto_name(model.name),
            where,
            list(model.layers),
            model.outputs,
            model.what,
        )
        copy.inputs, copy.input_shape = model.inputs, model.input_shape
        return self.register(copy)

    def layer_item(self, value: Any, where: Span) -> Any:
        """One element of a Sequential's layers."""
        if (
            isinstance(value, Tensor)
            and isinstance(value.source, Layer)
            and value.source.class_name == "InputLayer"
        ):
            return value.source  # Sequential([keras.Input(shape=...), ...])
        if isinstance(value, Model):
            value.nested = True
            return value
        if isinstance(value, (Layer, Placeholder)):
            return value
        why = explained(value)
        if why:
            return Placeholder(where, why, value.name)
        return Placeholder(where, "a layer not known statically")

    def call_bound(self, method: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        return UNKNOWN  # pragma: no cover - subclass.py runs bound methods

    def instantiate(
        self, cls: LocalClass, args: list[Any], kwargs: dict[str, Any], where: Span
    ) -> Any:
        """A class of the file, when subclass.py does not build it: opaque."""
        if cls.kind == "model":
            return self.register(
                Model("opaque", cls.name, where, what=f"subclassed model `{cls.name}`")
            )
        return Layer(cls.name, "__main__", {}, where, self.auto_name(cls.name))

    def op_call(
        self, name: str, args: list[Any], kwargs: dict[str, Any], opaque: bool, where: Span
    ) -> Any:
        tensors = tensors_in(args)
        if not tensors:
            return UNKNOWN
        axis = kwargs.get("axis", kwargs.get("dim", MISSING))
        if axis is MISSING and name in SOFTMAX_LIKE and len(args) > 1:
            axis = args[1]
        call_kwargs: dict[str, Any] = {}
        if axis is not MISSING and axis is not None:
            if not isinstance(axis, int):
                return self.opaque_op(name + "(axis=?)", args, where)
            call_kwargs["axis"] = axis
        if opaque:
            return self.opaque_op(name, args, where)
        if name.rsplit(".", 1)[-1] == "resize":  # tf.image.resize(x, size, method): as saved
            method = kwargs.get("method", args[2] if len(args) > 2 else None)
            if method is not None:
                call_kwargs["method"] = method if isinstance(method, str) else str(
                    getattr(method, "path", "?"))
        data = tensors_in(args[:1])
        role = activation_of("TFOpLambda", None, {"function": name}, call_kwargs)[0]
        if data and role != UNKNOWN_ROLE:
            tensors = data  # an op the reader knows works on its first argument: the others (a
            # shape, an axis computed at run time) are parameters, not values it passes on
        return self.tensor_op(name, tensors, call_kwargs, where)

    def tensor_op(
        self, name: str, inputs: list[Any], kwargs: dict[str, Any], where: Span
    ) -> Tensor:
        """An op on tensors, as Keras saves `tf.nn.softmax(x)`: a TFOpLambda layer."""
        layer = Layer(
            "TFOpLambda",
            "tf_keras.src.layers.core.tf_op_layer",  # the module tf_keras writes for it
            {"function": name},
            where,
            self.auto_name(name.rsplit(".", 1)[-1]),
        )
        layer.nodes.append((list(inputs), kwargs))
        return Tensor(layer, 0)

    def opaque_op(self, text: str, args: list[Any], where: Span, why: str = "") -> Tensor:
        """What an unknown function computed from tensors; `why` says more of the function."""
        callee = re.sub(r"[^\w.].*", "", text, flags=re.S)  # `wrap(...)(x)` is named after `wrap`
        layer = Layer(text, "<unknown>", {}, where, self.auto_name(callee.rsplit(".", 1)[-1]))
        layer.opaque = f"{UNKNOWN_FUNCTION}: {why}" if why else UNKNOWN_FUNCTION
        layer.nodes.append((tensors_in(args) or [UNKNOWN], {}))
        return Tensor(layer, 0)

    def given_name(self, kwargs: dict[str, Any], class_name: str) -> str:
        name = kwargs.get("name")
        return name if isinstance(name, str) else self.auto_name(class_name)

    def auto_name(self, class_name: str) -> str:
        """Keras's default name: "dense", then "dense_1"... (`to_snake_case` of the class)."""
        base = re.sub(r"\W+", "", class_name)
        base = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", base)
        base = re.sub("([a-z])([A-Z])", r"\1_\2", base).lower() or "layer"
        count = self.name_counts.get(base, 0)
        self.name_counts[base] = count + 1
        return base if count == 0 else f"{base}_{count}"


def _under_activations(path: str) -> bool:
    return (keras_path(path) or "").startswith("keras.activations.")


def _activation_lookup(args: list[Any], kwargs: dict[str, Any], opaque: bool) -> Any:
    """`keras.activations.get(activation)`, as Keras's own layers store their activation: the
    function a name (or None: linear) stands for; a function is returned as it is."""
    given = args[0] if args else kwargs.get("identifier", MISSING)
    if opaque or len(args) > 1 or given is MISSING:
        return UNKNOWN
    if given is None or isinstance(given, str):
        name = canonical_activation(given if given is not None else "linear")
        return Ref(f"keras.activations.{name}") if name else UNKNOWN
    return given if isinstance(given, (Ref, Function)) else UNKNOWN
