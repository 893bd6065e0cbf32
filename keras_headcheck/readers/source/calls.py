"""Calls: dispatch on what is called, model methods (add, pop, build, compile); compile_args.py
reads the arguments of a compile."""

from __future__ import annotations

import ast
from typing import Any

from .agents import AGENT_METHODS, agent_call
from .arguments import plain
from .compile_args import compile_arguments, overridden_loss, to_config
from .compile_sites import (
    DETECTION_LOSSES, foreign_compile, keras_compile, model_like, not_keras_why, unbuilt,
)
from .constructors import Constructors, tensors_in
from . import label_calls
from .static import dotted_name, is_constant, span
from .fits import FIT_METHODS, record_fit
from .known_losses import returned_loss
from .loss_classes import class_loss
from .predict_only import PREDICT_METHODS
from .labels import LABEL_VALUES
from .python_builtins import PROGRESS_BARS, progress_bar
from .unknowns import chosen_models, explained, per_choice
from .values import (
    MISSING,
    UNKNOWN,
    Bound,
    Compile,
    Function,
    Layer,
    LocalClass,
    LocalModule,
    LossInstance,
    Model,
    Partial,
    Placeholder,
    Ref,
)

NOT_A_METHOD = object()
DETECTION_NOTE = (  # after "compiled with `classification_loss=`/`box_loss=`"
    ": a detection task applies them inside its own loss computation, to outputs the reader "
    "cannot see; head rules do not apply"
)
TRAINING_METHODS = frozenset(
    {"fit", "evaluate", "train_on_batch", "test_on_batch", "fit_generator", "evaluate_generator"}
)
MODEL_METHODS = TRAINING_METHODS | {"compile"}
CHOSEN_METHODS = MODEL_METHODS | PREDICT_METHODS  # applied to each of the models a test chose


class Calls(Constructors):
    """Evaluate a call: a Keras name, a layer or model on tensors, a method, a local function."""

    kept: frozenset[int] = frozenset()  # the compiles whose model stays in its scope (run())

    def touch(self, obj: Any) -> None:  # pragma: no cover - provided by Interpreter
        raise NotImplementedError

    def call(self, node: ast.Call, scope: Any) -> Any:
        func = node.func
        if isinstance(func, ast.Attribute):
            dotted = dotted_name(func)
            callee = scope.find(dotted) if dotted else MISSING
            if callee is MISSING:
                receiver = self.ev(func.value, scope)
                models = chosen_models(receiver) if func.attr in CHOSEN_METHODS else []
                for model in models:  # a model a run-time test chose: each is compiled, trained
                    self.method(model, func, node, scope)
                result = UNKNOWN if models else self.method(receiver, func, node, scope)
                if result is not NOT_A_METHOD:
                    return result
                modules = (Ref, LocalModule)
                callee = receiver.attr(func.attr) if isinstance(receiver, modules) else UNKNOWN
        else:
            callee = self.ev(func, scope)
        args, kwargs, opaque_args = self.arguments(node, scope)
        return self.apply(callee, args, kwargs, opaque_args, node)

    def arguments(self, node: ast.Call, scope: Any) -> tuple[list[Any], dict[str, Any], bool]:
        """Evaluated arguments; the flag says some could not be named (`*args`, `**kwargs`)."""
        args = self.sequence(node.args, scope)
        opaque = not isinstance(args, list)
        args = args if isinstance(args, list) else []
        kwargs: dict[str, Any] = {}
        for keyword in node.keywords:
            value = self.ev(keyword.value, scope)
            if keyword.arg is not None:
                kwargs[keyword.arg] = value
            elif isinstance(value, dict) and all(isinstance(k, str) for k in value):
                kwargs.update(value)
            else:
                opaque = True
        return args, kwargs, opaque

    def apply(
        self, callee: Any, args: list[Any], kwargs: dict[str, Any], opaque: bool, node: ast.Call
    ) -> Any:
        where = span(node)
        if isinstance(callee, Ref):
            if callee.path in PROGRESS_BARS:
                return progress_bar(callee.path, args, kwargs)
            labels = label_calls.call(callee.path, args, kwargs, opaque, node)
            if labels is not label_calls.NOT_LABELS:
                return labels
            return self.keras_call(callee, args, kwargs, opaque, where)
        if isinstance(callee, (Layer, Model)):
            return self.call_layer(callee, args, kwargs)
        if isinstance(callee, Function):
            return self.call_function(callee, args, kwargs, opaque)
        if isinstance(callee, LocalClass):
            built = self.instantiate(callee, args, kwargs, where)
            if isinstance(built, Model) and built.kind == "functional":
                built.traced = callee  # its graph is what call() ran (call_args.py)
            return built
        if isinstance(callee, Bound):
            return self.call_bound(callee, args, kwargs)
        if isinstance(callee, Partial):  # the bound arguments first; keywords given now win
            return self.apply(callee.func, [*callee.args, *args], {**callee.kwargs, **kwargs},
                              opaque, node)  # fmt: skip
        if tensors_in(args):  # an unknown function applied to tensors: an op we cannot see into
            why = explained(callee)
            return self.opaque_op(ast.unparse(node.func), args, where, why)
        return UNKNOWN

    # --- methods of models, lists and unknown objects ------------------------------------------
    def method(self, receiver: Any, func: ast.Attribute, node: ast.Call, scope: Any) -> Any:
        name = func.attr
        if isinstance(receiver, Layer) and receiver.agent is not None and name in AGENT_METHODS:
            trained, _ = receiver.agent  # a keras-rl agent: it compiles and trains that model
            if isinstance(trained, Model):
                return agent_call(self, trained, name, node, scope)
        if (isinstance(receiver, Layer) and name in MODEL_METHODS and is_foreign(receiver)
                and not (name == "compile" and foreign_compile(node, lambda n: self.ev(n, scope)))):
            receiver = self.foreign_model(receiver)  # (kfp's `Compiler().compile(...)` is none)
            if receiver.variable is None and isinstance(func.value, ast.Name):
                receiver.variable = func.value.id  # how reports name it
        if isinstance(receiver, Model) and name in TRAINING_METHODS:
            # a trainer subclass trains the sub-models its compile bound a loss to (trainers.py)
            for trained in (receiver, *getattr(receiver.trainer, "bound", ())):
                trained.mark_trained(len(self.forks))
        if isinstance(receiver, Model) and name in PREDICT_METHODS:
            receiver.predicted = True
        fit = name in FIT_METHODS and isinstance(receiver, Model)
        if fit or isinstance(receiver, LABEL_VALUES):
            return self.label_method(receiver, name, node, scope)
        if name == "compile" and (
            isinstance(receiver, Model)
            or (model_like(receiver) and keras_compile(node, lambda n: self.ev(n, scope)))
        ):
            if not isinstance(receiver, Model):
                unknown = not isinstance(receiver, Layer)  # a tensor an unknown function returned
                receiver = self.register(
                    Model("opaque", ast.unparse(func.value), span(node), what=unbuilt(receiver))
                )
                if unknown and isinstance(func.value, (ast.Name, ast.Attribute)):
                    self.bind(func.value, receiver, scope)  # its next compile/fit is the same model
            elif not any(receiver is m for m in self.models):
                self.register(receiver)  # a custom layer compiled: a Layer with a Trainer mixed in
            given = [k for k in DETECTION_LOSSES if k in {k.arg for k in node.keywords}]
            if given and receiver.kind == "opaque" and DETECTION_NOTE not in receiver.what:
                named = [k for k in given if k in DETECTION_LOSSES[:2]] or given  # the main ones
                listed = "/".join(f"`{k}=`" for k in named)
                receiver.what = f"{receiver.what}; compiled with {listed}{DETECTION_NOTE}"
            self.compile(receiver, node, scope)
            receiver.handed_on |= id(node) not in self.kept
            return None
        if name == "compile" and model_like(receiver) and not_keras_why(node):
            self.skipped.append((span(node), ast.unparse(func.value), not_keras_why(node)))
        if isinstance(receiver, Model) and name in TRAINING_METHODS:
            self.arguments(node, scope)
            return UNKNOWN
        if isinstance(receiver, Model) and name == "save":
            args, kwargs, _ = self.arguments(node, scope)
            self.save_model(receiver, args, kwargs)  # outside.py
            return None
        if isinstance(receiver, Model) and receiver.kind == "sequential":
            return self.sequential_method(receiver, name, node, scope)
        if isinstance(receiver, list) and name in ("append", "extend", "insert"):
            args, _, _ = self.arguments(node, scope)
            self.touch(receiver)
            if name == "append" and len(args) == 1 and self.budget.room(receiver, args):
                receiver.append(args[0])
            elif (
                name == "extend" and len(args) == 1 and isinstance(args[0], (list, tuple))
                and self.budget.room(receiver, args[0])
            ):
                receiver.extend(args[0])
            else:
                receiver.append(Placeholder(span(node), "layers not known statically"))
            return None
        return NOT_A_METHOD

    def label_method(self, receiver: Any, name: str, node: ast.Call, scope: Any) -> Any:
        """Labels and the objects that make them (label_calls.py); `model.fit` (fits.py)."""
        args, kwargs, _ = self.arguments(node, scope)
        if isinstance(receiver, Model):
            record_fit(receiver, args, kwargs, node)
            return UNKNOWN
        result = label_calls.method(receiver, name, args, kwargs, node)
        return UNKNOWN if result is label_calls.NOT_LABELS else result

    def foreign_model(self, layer: Layer) -> Model:
        """A class from another library that is compiled or trained: a model we cannot see into."""
        held = self.foreign_models.get(id(layer))
        if held is not None and held[0] is layer:
            return held[1]
        what = f"`{layer.class_name}` from {layer.module}"
        if layer.agent is not None and layer.agent[1]:  # a keras-rl agent whose head is its own
            what = f"{what}: {layer.agent[1]}"
        known = self.register(Model("opaque", layer.name, layer.span, what=what))
        # the layer is held with its model: an id is only unique while its object lives, and a
        # layer made and dropped in a loop or a branch would otherwise lend its id to the next
        self.foreign_models[id(layer)] = (layer, known)
        return known

    def sequential_method(self, model: Model, name: str, node: ast.Call, scope: Any) -> Any:
        args, kwargs, _ = self.arguments(node, scope)
        if name == "add" and args:
            self.touch(model)
            model.layers.append(self.layer_item(args[0], span(node)))
        elif name == "pop":
            self.touch(model)
            if model.layers:
                model.layers.pop()
        elif name == "build":
            shape = args[0] if args else kwargs.get("input_shape")
            model.input_shape = plain(shape) if is_constant(shape) else None
        return UNKNOWN if name not in ("add", "pop", "build") else None

    def compile(self, model: Model, node: ast.Call, scope: Any) -> None:
        nodes = compile_arguments(node, model.compile_override)
        loss_node, metrics_node = nodes.get("loss"), nodes.get("metrics")
        unpacked = self.unpacked(node, scope) if model.compile_override is None else {}
        if loss_node is not None:
            loss = self.compile_value(loss_node, scope, "losses")
        elif model.compile_override is not None:  # its own compile(...): the loss is its business
            loss = overridden_loss(model)
        else:
            loss = unpacked.get("loss")
        metrics = (
            self.compile_value(metrics_node, scope, "metrics") if metrics_node is not None
            else unpacked.get("metrics")
        )
        model.compiles.append(
            Compile(loss, metrics, span(node), tuple(model.layers), len(self.forks))
        )

    def compile_value(self, node: ast.expr, scope: Any, kind: str) -> Any:
        """A loss/metrics argument in the config shape compiled.py reads."""
        if isinstance(node, ast.Dict) and None not in node.keys:
            keys = [self.ev(k, scope) for k in node.keys]  # type: ignore[arg-type]
            if all(isinstance(k, str) for k in keys):
                return {k: self.compile_value(v, scope, kind) for k, v in zip(keys, node.values)}
        if isinstance(node, (ast.List, ast.Tuple)) and not any(
            isinstance(e, ast.Starred) for e in node.elts
        ):
            return [self.compile_value(e, scope, kind) for e in node.elts]
        return self.value_config(self.ev(node, scope), kind, ast.unparse(node))

    def value_config(self, value: Any, kind: str, text: str) -> Any:
        if kind == "losses" and isinstance(value, (Function, LossInstance)):  # a known loss in disguise?
            known = (returned_loss(value, self.ev) if isinstance(value, Function)
                     else class_loss(value, self.ev))  # fmt: skip
            if known is not None:
                return known
        return per_choice(lambda chosen: to_config(chosen, kind, text), value)

    def unpacked(self, node: ast.Call, scope: Any) -> dict[str, Any]:
        """`compile(**train_config)`: the loss and metrics that dict holds, as compile_value
        gives them; a dict not known statically holds a loss not known (HC902, never none)."""
        found: dict[str, Any] = {}
        for keyword in (k for k in node.keywords if k.arg is None):
            value, text = self.ev(keyword.value, scope), ast.unparse(keyword.value)
            if not (isinstance(value, dict) and all(isinstance(k, str) for k in value)):
                found["loss"] = {"class_name": f"a loss in **{text}", "config": {}, "module": "<unknown>"}
                continue
            for key, kind in (("loss", "losses"), ("metrics", "metrics")):
                if key in value:
                    found[key] = self.value_config(value[key], kind, f"{text}[{key!r}]")
        return found


def is_foreign(layer: Layer) -> bool:
    """An instance of a class from another library (keras_cv, transformers, tfdf...)."""
    return layer.module not in (None, "keras.layers", "__main__", "<unknown>") and not (
        layer.module or ""
    ).startswith(("keras.", "tf_keras."))
