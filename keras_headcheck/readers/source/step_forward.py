"""Trainers that run their layers themselves: a `keras.Model` subclass with no call() whose
`train_step` (or a method it calls) computes a forward pass and applies the loss given to Keras's
`compile` to it (`self.compiled_loss(labels, logits)`, `self.loss(y, y_pred)`,
`self.compute_loss(x, y, y_pred)`).

Such a trainer is read by running its `train_step` once, as subclass.py runs a call(): `__init__`
first, then the step on symbolic data (a tuple `(x, y)` when the step unpacks or indexes its
data, else one tensor), with those three attributes (unless the class defines them) standing for
the compiled loss: each call of them records the `y_pred` it is given, however deep in the
instance's methods. The trainer becomes a functional model whose output is that `y_pred` only
when the run is plain: one head (every recorded `y_pred` is the same output of the same layer),
a tensor its layers compute from the data (not the data itself, not a value the reader does not
follow), every call of the compiled loss written in the methods the step ran was recorded, and
the loss value reaches what the step differentiates (`tape.gradient(loss, ...)`,
`loss.backward()`, `optimizer.minimize(loss, ...)`). Anything else leaves the trainer opaque: its
HC901 says why, and a false binding would be a false alarm.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from .layer_inputs import symbolic_inputs
from .static import self_attr
from .step_data import UNPACK, data_arity
from .step_graph import layers_of, reaches
from .local_classes import COMPILED_LOSS, find_bound, find_method, method_names
from .values import UNKNOWN, Bound, Function, Layer, LocalClass, Model, Ref, Span, Tensor

# Where each name of the compiled loss takes `y_pred`: `loss(y_true, y_pred)`,
# `compiled_loss(y_true, y_pred)`, `compute_loss(x, y, y_pred)`.
PREDICTION = {"loss": 1, "compiled_loss": 1, "compute_loss": 2}
DIFFERENTIATE = frozenset({"gradient", "minimize"})  # `tape.gradient(loss, ...)`


@dataclass(eq=False)
class CompiledLoss:
    """The compiled loss as the step reaches it (`self.compiled_loss`): called, it is recorded."""

    attr: str


@dataclass
class StepRun:
    """What one run of a train_step did with the compiled loss."""

    calls: list[tuple[ast.Call, Any, Any, Tensor]] = field(default_factory=list)  # node, y_true,
    # y_pred, the loss value
    differentiated: list[Any] = field(default_factory=list)
    ran: list[Function] = field(default_factory=list)  # the methods run
    names: frozenset[str] = frozenset()  # the attributes standing for the compiled loss
    touched: dict[int, tuple[Any, int, bool]] = field(default_factory=dict)  # layers and models
    # called: (it, its calls before the run, whether it was a part of another model)


@dataclass
class Forward:
    """The output a trainer's step applies the compiled loss to, and the data it ran on."""

    output: Tensor
    sources: list[Layer]
    own_labels: bool  # the loss sees labels the step made, not the `y` of the data


class StepForward:
    """Mixin of the Interpreter (before Subclasses): running a trainer's train_step once."""

    step_run: Optional[StepRun] = None
    models: list[Model]

    def step_forward(
        self, cls: LocalClass, attrs: dict[str, Any], where: Span
    ) -> Optional[Forward]:
        """The one output `cls`'s train_step applies the compiled loss to, or None."""
        train_step = find_method(cls, "train_step")
        params = train_step.node.args.args if train_step is not None else []
        if train_step is None or len(params) != 2 or find_method(cls, "compile") is not None:
            return None  # (`train_step(self, state, data)`: JAX's stateless step, not run here)
        own = _class_names(cls) | set(attrs)  # `self.loss` the class defines is its own
        stand_ins = {a: CompiledLoss(a) for a in COMPILED_LOSS if a not in own}
        if not stand_ins:
            return None
        instance = {**attrs, **stand_ins}  # the run's changes to `self` stay in the run
        run = StepRun(names=frozenset(stand_ins))
        sources, tensors, arity, undo = self.run_step(cls, train_step, instance, where, run)
        found = _plain(run, sources, tensors if arity > 1 else None)
        if found is None:  # nothing read: the file is read as if the step had not run
            undo()
        return found

    def run_step(self, cls: LocalClass, train_step: Function, instance: dict[str, Any],
                 where: Span, run: StepRun, first: Optional[tuple[list[Any], dict[str, Any]]] = None,
                 ) -> tuple[list[Layer], tuple[Tensor, ...], int, Any]:
        """Runs `train_step` once on `instance` (its methods bound to it) on symbolic data,
        after its own `compile` on the arguments `first` when given, recording into `run`: the
        data's sources and tensors, its arity, and a function that undoes what the run did to
        the file's layers, models and names."""
        for name in method_names(cls):
            bound = find_bound(cls, name, instance)
            if bound is not None:
                instance[name] = bound
        params = train_step.node.args.args
        arity = data_arity(cls, train_step, params[1].arg)
        sources = symbolic_inputs(max(arity, 1), where)
        tensors = tuple(Tensor(s, 0) for s in sources)
        mark = self.checkpoint()  # type: ignore[attr-defined]
        first_model = mark[1]
        outer, self.step_run = self.step_run, run
        try:
            if first is not None and isinstance(instance.get("compile"), Bound):
                self.run_method(instance["compile"], *first)
            self.run_method(instance["train_step"], [tensors if arity else tensors[0]], {})
        finally:
            self.step_run = outer
        for part in self.models[first_model:]:
            part.nested = True  # built by the step: a part of the trainer

        def undo() -> None:
            self.rollback(mark)  # type: ignore[attr-defined]
            for target, count, nested in run.touched.values():
                del target.nodes[count:]
                if isinstance(target, Model):
                    target.nested = nested

        return sources, tensors, arity, undo

    def trained_output(
        self, cls: LocalClass, attrs: dict[str, Any], outputs: Any, where: Span
    ) -> Optional[Forward]:
        """A subclass with a call() whose train_step applies the compiled loss in a method of
        its own: the output of call() (the same output of the same layer) it applies it to."""
        forward = self.step_forward(cls, attrs, where)
        if forward is None:
            return None
        output = forward.output
        items = list(outputs.values()) if isinstance(outputs, dict) else (
            list(outputs) if isinstance(outputs, (list, tuple)) else [outputs])
        found = [t for t in items if isinstance(t, Tensor) and (t.source, t.index) == (
            output.source, output.index)]  # fmt: skip
        return Forward(found[0], forward.sources, forward.own_labels) if len(found) == 1 else None

    # --- the run -------------------------------------------------------------------------------
    def run_method(
        self, method: Bound, args: list[Any], kwargs: dict[str, Any], unknown: bool = False
    ) -> Optional[list[Any]]:
        if self.step_run is not None:
            self.step_run.ran.append(method.function)
        return super().run_method(method, args, kwargs, unknown)  # type: ignore[misc]

    def call_layer(self, target: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        run = self.step_run
        if run is not None and id(target) not in run.touched:
            run.touched[id(target)] = (target, len(target.nodes), getattr(target, "nested", False))
        return super().call_layer(target, args, kwargs)  # type: ignore[misc]

    def do_AugAssign(self, node: ast.AugAssign, scope: Any) -> None:
        """`loss *= mask` in a step: an op on the loss value, so that it is still seen reaching
        what the step differentiates (elsewhere `x += y` on tensors stays unknown)."""
        if self.step_run is not None and isinstance(node.target, ast.Name):
            ev = self.ev  # type: ignore[attr-defined]
            current, value = ev(node.target, scope), ev(node.value, scope)
            if isinstance(current, Tensor) or isinstance(value, Tensor):
                result = self.tensor_arithmetic(node, current, value)  # type: ignore[attr-defined]
                self.bind(node.target, result, scope)  # type: ignore[attr-defined]
                return
        super().do_AugAssign(node, scope)  # type: ignore[misc]

    def call(self, node: ast.Call, scope: Any) -> Any:
        func = node.func
        run = self.step_run
        if run is not None and isinstance(func, ast.Attribute) and func.attr == "backward":
            run.differentiated.append(self.ev(func.value, scope))  # type: ignore[attr-defined]
            return None  # `loss.backward()`
        return super().call(node, scope)  # type: ignore[misc]

    def apply(self, callee: Any, args: list[Any], kwargs: dict[str, Any], opaque: bool,
              node: ast.Call) -> Any:  # fmt: skip
        run = self.step_run
        if run is not None and isinstance(callee, CompiledLoss):
            return self._loss_called(run, callee, args, kwargs, opaque, node)
        if run is not None and isinstance(callee, Ref) and callee.tail == UNPACK and len(args) == 1:
            data = args[0]
            if isinstance(data, tuple) and 1 <= len(data) <= 3:
                return (*data, *([None] * (3 - len(data))))
        func = node.func
        if run is not None and isinstance(func, ast.Attribute) and func.attr in DIFFERENTIATE:
            run.differentiated.append(args[0] if args else kwargs.get("loss", kwargs.get("target")))
        return super().apply(callee, args, kwargs, opaque, node)  # type: ignore[misc]

    def _loss_called(
        self, run: StepRun, loss: CompiledLoss, args: list[Any], kwargs: dict[str, Any],
        opaque: bool, node: ast.Call,
    ) -> Tensor:
        at = PREDICTION[loss.attr]
        pred = args[at] if len(args) > at else kwargs.get("y_pred", UNKNOWN)
        true = args[at - 1] if len(args) >= at else kwargs.get("y", kwargs.get("y_true", UNKNOWN))
        if opaque:
            pred = UNKNOWN  # `*args`: which argument is y_pred is not known
        value = Layer(f"self.{loss.attr}", "<unknown>", {}, Span(node.lineno, node.lineno),
                      f"self.{loss.attr}")  # fmt: skip
        value.opaque = "the compiled loss"
        value.nodes.append(([t for t in (true, pred) if isinstance(t, Tensor)] or [UNKNOWN], {}))
        result = Tensor(value, 0)
        run.calls.append((node, true, pred, result))
        return result


def _plain(
    run: StepRun, sources: list[Layer], data: Optional[tuple[Tensor, ...]]
) -> Optional[Forward]:
    """The one output the run applied the compiled loss to, when the run shows it plainly."""
    if not run.calls or not _all_recorded(run):
        return None
    preds = [pred for _, _, pred, _ in run.calls]
    first = preds[0]
    if not all(isinstance(p, Tensor) and (p.source, p.index) == (first.source, first.index)
               for p in preds):  # fmt: skip
        return None  # two heads, or one the reader does not follow
    source = first.source
    if not isinstance(source, (Layer, Model)):
        return None
    if isinstance(source, Layer) and source.module == "<unknown>":
        return None  # an op or a value the reader does not see into: the trainer's HC901 says more
    computed = layers_of(first)
    if not computed or not reaches(first, lambda t: t.source in sources):
        return None  # not computed by layers from the data (the data itself, noise, a constant)
    if any(layers_of(true) & computed for _, true, _, _ in run.calls):
        return None  # labels computed by the same layers: a contrastive or self-supervised loss
    values = {id(value.source) for _, _, _, value in run.calls}
    if not any(reaches(d, lambda t: id(t.source) in values) for d in run.differentiated):
        return None  # the compiled loss is not seen to be what trains: a metric, perhaps
    labels = data[1] if data is not None else None
    own_labels = labels is None or any(true is not labels for _, true, _, _ in run.calls)
    return Forward(first, sources, own_labels)


def _all_recorded(run: StepRun) -> bool:
    """Every call of the compiled loss written in the methods the step ran was run (none sits in
    a lambda, a nested function or a branch the reader did not follow)."""
    recorded = {id(node) for node, _, _, _ in run.calls}
    return all(id(node) in recorded for node in self_calls(run.ran, run.names))


def self_calls(ran: Any, names: Any) -> Iterator[ast.Call]:
    """The calls `self.<name>(...)`, for `name` in `names`, written in the methods `ran`."""
    for fn in {id(f.node): f for f in ran}.values():
        params = fn.node.args.posonlyargs + fn.node.args.args
        me = params[0].arg if params else None
        for node in ast.walk(fn.node):
            if isinstance(node, ast.Call) and me and self_attr(node.func, me) in names:
                yield node


def _class_names(cls: LocalClass, depth: int = 0) -> set[str]:
    """Every name the class body (or a local base's) defines: methods, properties, constants."""
    names = set(cls.namespace)
    for base in cls.bases if depth <= 16 else []:
        if isinstance(base, LocalClass):
            names |= _class_names(base, depth + 1)
    return names
