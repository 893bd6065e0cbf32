"""Keras subclasses defined in the file, built as Keras builds them.

A `keras.Model` or `keras.layers.Layer` subclass is instantiated by running its `__init__`, then
its `build()`, then one `call()` in training mode (`training=True`: what `fit` runs, so the loss
sees that branch) on a symbolic input. The layers `call()` runs on that input are recorded like a
functional model's, and what it returns (a tensor, a tuple or a dict of them) become the outputs
of a functional model: the rest of the reader (build.py, readers/graph.py) walks it like any other.
(tensor_code.py reads a `Lambda` the same way: its function runs once on a symbolic input.)

Instance attributes live in one dict per instance, shared by its methods: `self.dense = Dense(10)`
in `__init__` is `self.dense` in `call()` (methods.py runs the methods).

When `call()` cannot be followed (it returns something built by code this reader does not know),
the instance stays what it was before: an opaque model (HC901, saying how to check it live) or a
custom layer named by its class.
"""

from __future__ import annotations

import ast
from typing import Any

from .call_why import assigned_later, changed_in_place, no_call, not_followed, untraced_named
from .layer_inputs import in_place, input_names, symbolic_inputs
from .local_classes import (
    accepts,
    find_bound,
    find_method,
    keras_base,
    loss_note,
    method_names,
    own_init,
)
from .scopes import is_loss_class
from .values import (
    UNKNOWN,
    Compile,
    Function,
    Layer,
    LocalClass,
    LossInstance,
    Model,
    Span,
    Tensor,
)

MAX_VARIANTS = 3  # distinct return values of call() reported, one model each


def _outputs(value: Any) -> bool:
    """Whether a call() result can be the outputs of a model: tensors, alone or in a tuple/dict."""
    if isinstance(value, Tensor):
        return True
    if isinstance(value, (list, tuple)) and value:
        return any(isinstance(v, Tensor) for v in value)
    if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        return any(isinstance(v, Tensor) for v in value.values())
    return False


class Subclasses:
    """Mixin of the Interpreter: instantiating local Keras subclasses (their methods run in
    methods.py)."""

    cells: tuple[tuple[int, int], ...] = ()  # a notebook's cells, for lines in messages
    late_calls: dict[str, tuple[str, int]] = {}  # `Net.call = fn` outside a class (call_why.py)

    def read_with(self, tree: ast.Module, cells: tuple[tuple[int, int], ...]) -> None:
        """What messages about the file's subclasses need from the whole file, before it runs."""
        self.cells, self.late_calls = cells, assigned_later(tree)

    # --- instances -----------------------------------------------------------------------------
    def instantiate(
        self, cls: LocalClass, args: list[Any], kwargs: dict[str, Any], where: Span
    ) -> Any:
        if cls.kind == "other" and is_loss_class(cls):
            return LossInstance(cls)
        if cls.kind == "other":
            return self.plain_instance(cls, args, kwargs, where)  # type: ignore[attr-defined]
        call = find_method(cls, "call")
        if cls.kind == "model" and call is None:
            return self._plain_model(cls, args, kwargs, where)
        name = self.given_name(kwargs, cls.name)  # type: ignore[attr-defined]
        variants, why, attrs = (self._run_call(cls, call, args, kwargs, where) if call
                                else ([], "", {}))  # fmt: skip
        if cls.kind == "layer":
            if not variants:
                layer = Layer(cls.name, "__main__", {}, where, name)
                layer.opaque = why or None  # shown with the class: `Loop(its call() returns ...)`
                return layer
            layer = self._as_model(variants[0], name, where, f"custom layer `{cls.name}`")
            layer.call_inputs = input_names(call) if call else []  # how its calls map to inputs
            layer.instance = attrs  # read again when called with other arguments (rereads.py)
            return layer
        if not variants:
            what = f"subclassed model `{cls.name}`: {why}"
            model = Model("opaque", name, where, what=what)
        else:
            model = self._as_model(variants[0], name, where, f"subclassed model `{cls.name}`")
            model.call_inputs = input_names(call) if call else []
            model.instance = attrs
        model.loss_note = loss_note(cls)
        if self.recommender(cls):  # type: ignore[attr-defined]  # trained by its tfrs tasks
            self.bind_tasks(cls, model, attrs)  # type: ignore[attr-defined]  # (recommenders.py)
        elif model.loss_note and len(variants) == 1:  # the compiled loss applied in a helper?
            trained = self.trained_output(  # type: ignore[attr-defined]
                cls, attrs, model.outputs, where)  # (step_forward.py)
            if trained is not None:
                model.outputs, model.loss_note = trained.output, None
                model.own_labels = trained.own_labels
        if model.loss_note and model.step_loss is None:  # a known Keras loss the step applies
            model.step_loss = self.step_loss(cls)  # type: ignore[attr-defined]  # (trainers.py)
        if model.loss_note and model.step_loss is None:  # ...or to its parts (step_applied.py)
            model.trainer = self.call_trainer(cls, attrs)  # type: ignore[attr-defined]
        model.compile_override = find_method(cls, "compile")
        self.register(model)  # type: ignore[attr-defined]
        for other in variants[1:]:  # call() returns other heads on other paths: report them too
            sibling = self._as_model(other, name, where, model.what)
            sibling.compiles, sibling.loss_note = model.compiles, model.loss_note
            sibling.compile_override, sibling.call_inputs = model.compile_override, model.call_inputs
            self.register(sibling)  # type: ignore[attr-defined]
        return model

    def _plain_model(
        self, cls: LocalClass, args: list[Any], kwargs: dict[str, Any], where: Span
    ) -> Model:
        """A subclass without its own call(): `MyModel(inputs, outputs)` is a functional model."""
        base = keras_base(cls)
        later = cls.name in self.late_calls  # given its call() later: not `Model(inputs, outputs)`
        if self.recommender(cls) and not later:  # type: ignore[attr-defined]  # tfrs tasks train it
            built = self.recommender_model(cls, args, kwargs, where)  # type: ignore[attr-defined]
            return built  # type: ignore[no-any-return]
        if base == "Sequential":
            model = self.sequential(args, kwargs, where)  # type: ignore[attr-defined]
        elif (args or "outputs" in kwargs) and not own_init(cls) and not later:
            model = self.functional(args, kwargs, where)  # type: ignore[attr-defined]
        else:
            trainer = self.trainer_for(cls, args, kwargs)  # type: ignore[attr-defined]
            forward = (self.step_forward(cls, trainer.attrs, where)  # type: ignore[attr-defined]
                       if trainer is not None and not trainer.uses else None)  # fmt: skip
            if forward is not None:  # the compiled loss trains the output its step computes
                name = self.given_name(kwargs, cls.name)  # type: ignore[attr-defined]
                what = f"subclassed model `{cls.name}` (the output its train_step computes)"
                model = self._as_model((forward.output, forward.sources), name, where, what)
                model.own_labels, model.instance = forward.own_labels, trainer.attrs
                return self.register(model)  # type: ignore[attr-defined, no-any-return]
            what = (trainer.what(cls.name) if trainer is not None
                    else no_call(cls.name, self.late_calls, self.cells))
            model = self.register(Model("opaque", cls.name, where, what=what))  # type: ignore[attr-defined]
            model.trainer = trainer
            model.instance = trainer.attrs if trainer is not None else None
        model.loss_note = loss_note(cls)
        if model.loss_note and model.trainer is None:
            model.step_loss = self.step_loss(cls)  # type: ignore[attr-defined]
        model.compile_override = find_method(cls, "compile")
        return model

    def _instance_attrs(self, cls: LocalClass, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        """The attributes __init__ gives an instance (models it builds are its parts)."""
        attrs: dict[str, Any] = {}
        first_model = len(self.models)  # type: ignore[attr-defined]
        for method in method_names(cls):
            bound = find_bound(cls, method, attrs)
            if bound is not None:
                attrs[method] = bound
        if "__init__" in attrs:
            self.run_method(attrs["__init__"], args, kwargs)
        for part in self.models[first_model:]:  # type: ignore[attr-defined]
            part.nested = part.nested or not part.compiles
        return attrs

    def _as_model(self, outputs: Any, name: str, where: Span, what: str) -> Model:
        value, sources = outputs
        model = Model("functional", name, where, outputs=value, what=what)
        model.inputs = [Tensor(s, 0) for s in (sources if isinstance(sources, list) else [sources])]
        return model

    def _run_call(
        self,
        cls: LocalClass,
        call: Function,
        args: list[Any],
        kwargs: dict[str, Any],
        where: Span,
    ) -> tuple[list[tuple[Any, list[Layer]]], str, dict[str, Any]]:
        """__init__, build(), then one call() on symbolic inputs: its distinct results, why
        there are none (the text of an HC901) when there are none, and the instance's
        attributes."""
        first_model = len(self.models)  # type: ignore[attr-defined]
        attrs = self._instance_attrs(cls, args, kwargs)
        if "build" in attrs:
            self.run_method(attrs["build"], [UNKNOWN], {})
        names = input_names(call)
        sources = symbolic_inputs(len(names), where)
        call_kwargs = {"training": True} if accepts(call, "training") else {}
        ran = self.run_method(attrs["call"], [Tensor(s, 0) for s in sources], call_kwargs)
        results = ran or []
        for part in self.models[first_model:]:  # type: ignore[attr-defined]
            part.nested = part.nested or not part.compiles  # built by the instance: one of its parts
        distinct: list[Any] = []
        for result in results:
            if _outputs(result) and not any(result is d for d in distinct):
                distinct.append(result)
        returned = any(isinstance(r, Tensor) and r.source in sources for r in distinct)
        changed = in_place(call) if returned else None
        if changed is not None:
            return [], changed_in_place(changed, call, self.cells), attrs
        if returned and cls.kind == "layer" and all(r is distinct[0] for r in results):
            # a layer whose every path returns one of its inputs unchanged (after add_loss,
            # add_metric, tf.print...) passes its values through: the head is what feeds it
            return [(distinct[0], sources)], "", attrs
        if returned or not distinct:  # a model returning its input, or nothing followed
            return [], not_followed(call, ran, names, sources, self.cells), attrs
        name = self.auto_name  # type: ignore[attr-defined]
        described = [untraced_named(call, r, self.cells, name) for r in distinct[:MAX_VARIANTS]]
        return [(r, sources) for r in described], "", attrs

    def compile(self, model: Model, node: ast.Call, scope: Any) -> None:
        super().compile(model, node, scope)  # type: ignore[misc]
        if model.loss_note and model.compiles:
            done = model.compiles[-1]
            note = {"class_name": f"loss {model.loss_note}", "config": {}, "module": "<unknown>"}
            model.compiles[-1] = Compile(note, done.metrics, done.span, done.layers)
