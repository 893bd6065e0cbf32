"""Known Keras losses a trainer's train_step applies to its sub-models' outputs, read by running
the step (a GAN's `keras.losses.binary_crossentropy(labels, self.discriminator(x),
from_logits=True)`, CycleGAN's module-level `keras.losses.MeanSquaredError()` on its
discriminators, a loss handed to the trainer's own `compile`).

At the trainer's compile, when trainers.py could not bind its losses from the text, the class's
own `compile` is run on that call's arguments and then its `train_step` once on symbolic data
(step_forward.py's run). Every application of a known loss is recorded with its y_true and y_pred
as evaluated: a `keras.losses` function or object, the instance's, the module's, one given to
`compile`, or an instance of a loss class of the file (loss_classes.py); a function of the file
the step calls is run, so the losses inside it are seen too. A y_pred that is a sub-model's raw
output (the model's call, any call number, or `tf.concat` of such outputs of the same model
along the batch axis) pairs that output with that loss; an activation of it (a softmax, after
a division by a temperature at most) pairs the model the loss sees, when no loss reads the raw
output (step_views.py). A sub-model is bound, as if compiled with
that loss, when every pairing of its output has the same loss (its class and `from_logits`) and
one of those losses is what the step differentiates. It is not bound when two losses disagree,
when a loss's config cannot be read, when a function the reader does not know is applied to its
output (a Keras metric's `update_state(labels, logits)` is not one: it applies no loss), or, for
all of them, when a y_pred cannot be evaluated at all or Keras's compiled loss is
called (its loss is not this compile's to read): the trainer's HC901 keeps saying why.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Optional

from ..compiled import parse_loss
from .arguments import plain
from .known_losses import DECISIVE, OTHERS, describe
from .local_classes import COMPILED_LOSS, find_method
from .loss_classes import class_loss
from .names import kind_of
from .step_forward import StepRun, self_calls
from .step_graph import reaches
from .step_views import keep_graph, view_model, view_of
from .trainer_uses import KNOWN, Trainer
from .values import (UNKNOWN, Compile, KerasObject, Layer, LocalClass, LossInstance, Model, Ref, Span,
                     Tensor, Unknown)

NOT_A_LOSS = object()
BLOCKED = object()  # a y_pred the reader cannot evaluate: any output may be what it is
BATCH_JOINS = frozenset({"concat", "concatenate"})
METRIC_STATE = frozenset({"update_state", "reset_state", "reset_states", "result"})


@dataclass(eq=False)
class Applied:
    """One application of a known loss in the run: its config (None: not readable)."""

    config: Optional[dict[str, Any]]
    pred: Any
    value: Tensor


@dataclass(eq=False)
class AppliedRun(StepRun):
    """A step run recording the known losses it applies and the functions it does not know."""

    applied: list[Applied] = field(default_factory=list)
    unknown: list[Any] = field(default_factory=list)  # the arguments of unknown callees
    negated: list[Tensor] = field(default_factory=list)  # right operands of `a - b`
    where: str = ""  # the step, for messages: "GAN.train_step"
    rows: set[int] = field(default_factory=set)  # ops `x[a:b]`: a run of rows (the batch axis)


class StepApplied:
    """Mixin of the Interpreter (before StepForward): binding the losses a step applies."""

    step_run: Optional[StepRun] = None

    def call_trainer(self, cls: LocalClass, attrs: dict[str, Any]) -> Optional[Trainer]:
        """A subclass with a call() whose train_step trains sub-models of its own: nothing bound
        from the text; its compile runs the step (step_applied.py)."""
        if find_method(cls, "train_step") is None:
            return None
        return Trainer((), False, attrs, cls=cls)

    def bind_applied(self, model: Model, trainer: Trainer, node: ast.Call, scope: Any) -> None:
        """Runs the trainer's compile and train_step; binds each sub-model its losses pair."""
        cls: Optional[LocalClass] = getattr(trainer, "cls", None)
        train_step = find_method(cls, "train_step") if cls is not None else None
        if train_step is None or len(train_step.node.args.args) != 2:
            return
        if any(isinstance(a, ast.Starred) for a in node.args) or any(
                k.arg is None for k in node.keywords):  # fmt: skip
            return  # `compile(**config)`: its arguments are not known one by one
        ev = self.ev  # type: ignore[attr-defined]
        args = [ev(a, scope) for a in node.args]
        kwargs = {str(k.arg): ev(k.value, scope) for k in node.keywords}
        run, instance = AppliedRun(where=f"{cls.name}.train_step"), dict(trainer.attrs)
        where = Span(node.lineno, node.lineno)
        called = set(self.called)  # type: ignore[attr-defined]
        first = (args, kwargs)
        sources, _, _, undo = self.run_step(cls, train_step, instance, where, run, first)  # type: ignore[attr-defined]
        keep = {id(a.pred): keep_graph(a.pred) for a in run.applied}  # for a view (step_views.py)
        undo()  # the file is read as if the step had not run: only its losses are kept
        self.called.intersection_update(called)  # type: ignore[attr-defined]  # (still read at the end)
        held = {id(v): a for a, v in trainer.attrs.items() if isinstance(v, Model)}
        done = model.compiles[-1]
        pairings, every = _pairings(run, held)
        for attr, applied in pairings.items():
            sub, config = trainer.attrs[attr], applied.config
            if sub in trainer.bound or isinstance(sub.outputs, (list, tuple, dict)):
                continue  # bound from the text already; several outputs: which one is not read
            if _raw(applied.pred, held, frozenset(run.rows)) is None:  # an activation of it
                keep[id(applied.pred)]()
                sub = view_model(applied.pred, sub, sources, done.span)
                self.models.append(sub)  # type: ignore[attr-defined]
            sub.compiles.append(Compile(config, None, done.span, tuple(sub.layers), done.depth))
            trainer.bound.append(sub)
            key = KNOWN + str(config["written"])
            trainer.known[key] = config
            trainer.uses = (*trainer.uses, (key, attr))
        trainer.complete = every and bool(trainer.uses)
        if pairings and model.kind == "opaque":  # (a subclass with a call() is its call()'s model)
            model.what = trainer.what(cls.name)  # type: ignore[union-attr]

    # --- the run -------------------------------------------------------------------------------
    def apply(self, callee: Any, args: list[Any], kwargs: dict[str, Any], opaque: bool,
              node: ast.Call) -> Any:  # fmt: skip
        run = self.step_run
        if isinstance(run, AppliedRun):
            config = NOT_A_LOSS if opaque else self._applied_config(callee, args, kwargs)
            if config is not NOT_A_LOSS:
                return _record(run, config, args, kwargs, node)
            if isinstance(callee, Unknown):
                run.unknown.append((args, kwargs))
        return super().apply(callee, args, kwargs, opaque, node)  # type: ignore[misc]

    def call(self, node: ast.Call, scope: Any) -> Any:
        ev = self.ev  # type: ignore[attr-defined]
        if isinstance(self.step_run, AppliedRun) and _metric_update(node, scope, ev):
            return UNKNOWN  # a metric's `update_state(labels, logits)` reads the output: no loss
        return super().call(node, scope)  # type: ignore[misc]

    def tensor_arithmetic(self, node: ast.BinOp, left: Any, right: Any) -> Any:
        run = self.step_run
        if isinstance(run, AppliedRun) and isinstance(node.op, ast.Sub) and isinstance(right, Tensor):
            run.negated.append(right)  # a loss subtracted is maximised: not read as trained
        return super().tensor_arithmetic(node, left, right)  # type: ignore[misc]

    def ev_Subscript(self, node: ast.Subscript, scope: Any) -> Any:
        value = super().ev_Subscript(node, scope)  # type: ignore[misc]
        run = self.step_run
        if isinstance(run, AppliedRun) and isinstance(node.slice, ast.Slice) and isinstance(value, Tensor):
            run.rows.add(id(value.source))  # `logits[:n]`: rows of the same output, as a concat
        return value

    def _applied_config(self, callee: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """The config of the known loss `callee(*args, **kwargs)` applies, None for a loss whose
        config cannot be read, NOT_A_LOSS for anything else."""
        if isinstance(callee, Ref) and kind_of(callee.path)[0] == "loss_fn":
            return _function_config(callee, args, kwargs)
        if isinstance(callee, KerasObject) and callee.kind == "losses":
            if isinstance(callee.config, Unknown) or len(args) != 2 or set(kwargs) - {"sample_weight"}:
                return None
            config = {"class_name": callee.class_name, "config": callee.config, "module": "keras.losses"}
        elif isinstance(callee, LossInstance):
            config = class_loss(callee, self.ev) if len(args) == 2 else None  # type: ignore[attr-defined]
        else:
            return NOT_A_LOSS
        spec = parse_loss(config)
        return config if spec is not None and spec.name else None


def _metric_update(node: ast.Call, scope: Any, ev: Any) -> bool:
    """`tracker.update_state(...)` on a Keras metric object."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr in METRIC_STATE):
        return False
    owner = ev(func.value, scope)
    return isinstance(owner, KerasObject) and owner.kind == "metrics"


def _function_config(ref: Ref, args: list[Any], kwargs: dict[str, Any]) -> Optional[dict[str, Any]]:
    """`keras.losses.binary_crossentropy(y, p, from_logits=True)` as evaluated."""
    if len(args) != 2 or set(kwargs) - DECISIVE - OTHERS:
        return None  # a positional argument past the two tensors may be `from_logits`
    config: dict[str, Any] = {"fn": ref.tail}
    for key in DECISIVE & set(kwargs):
        value = plain(kwargs[key])
        if isinstance(value, Unknown) or not isinstance(value, (bool, int, float)):
            return None
        config[key] = value
    found = {"class_name": "LossFunctionWrapper", "config": config, "module": "keras.losses"}
    spec = parse_loss(found)
    return found if spec is not None and spec.name else None


def _record(run: AppliedRun, config: Any, args: list[Any], kwargs: dict[str, Any],
            node: ast.Call) -> Tensor:  # fmt: skip
    """The loss's value: a tensor computed from y_true and y_pred, so that it is seen reaching
    what the step differentiates."""
    true = args[0] if args else kwargs.get("y_true", None)
    pred = args[1] if len(args) > 1 else kwargs.get("y_pred", None)
    value = Layer(ast.unparse(node.func), "<unknown>", {}, Span(node.lineno, node.lineno), "loss")
    value.opaque = "a loss"
    value.nodes.append(([t for t in (true, pred) if isinstance(t, Tensor)] or [None], {}))
    result = Tensor(value, 0)
    if config is not None:
        config = {**config, "written": f"`{ast.unparse(node.func)}` ({describe(config)}) in `{run.where}`"}
    run.applied.append(Applied(config, pred, result))
    return result


def _raw(value: Any, held: dict[int, str], rows: frozenset[int] = frozenset()) -> Any:
    """The sub-model attribute whose raw output `value` is (`self.discriminator(x)`, or
    `tf.concat([d(a), d(b)], axis=0)` and `d(x)[:n]`: the same output, other rows); None for a
    value computed from it (a softmax, `x[:, 0]`, a mean: they do not read the output as the
    loss's domain); BLOCKED when it is not a tensor at all (which output it is is not known)."""
    if not isinstance(value, Tensor):
        return BLOCKED
    source = value.source
    if isinstance(source, Model) and id(source) in held:
        return held[id(source)] if value.index == 0 else None
    if isinstance(source, Layer) and source.class_name == "TFOpLambda":
        function = str(source.config.get("function", "")).rsplit(".", 1)[-1]
        inputs, kwargs = source.nodes[value.node] if 0 <= value.node < len(source.nodes) else ([], {})
        axis = kwargs.get("axis", source.config.get("axis"))
        if function == "getitem" and id(source) in rows and len(inputs) == 1:
            return _raw(inputs[0], held, rows)
        if function in BATCH_JOINS and axis == 0 and inputs:
            parts = {_raw(t, held, rows) for t in inputs}
            return parts.pop() if len(parts) == 1 and None not in parts and BLOCKED not in parts else None
    return None


def _pairings(run: AppliedRun, held: dict[int, str]) -> tuple[dict[str, Applied], bool]:
    """Sub-model attribute -> an application of the one loss config every pairing of its output
    has (of an activation of it: step_views.py); and whether
    every output a loss is paired with is bound."""
    if _keras_loss_called(run):
        return {}, False  # Keras's compiled loss is applied too: its loss is not this compile's
    found: dict[str, list[Applied]] = {}
    views: dict[str, list[Applied]] = {}
    for applied in run.applied:
        attr = _raw(applied.pred, held, frozenset(run.rows))
        if attr is BLOCKED:
            return {}, False
        if attr is not None:
            found.setdefault(attr, []).append(applied)
            continue
        seen = view_of(applied.pred, lambda v: _raw(v, held, frozenset(run.rows)))
        if seen is not None:
            views.setdefault(seen, []).append(applied)
    for attr, uses in views.items():  # one activation of an output no loss sees raw: a view
        if attr not in found:  # (beside a loss on the raw output, a softened copy is not it)
            found[attr] = uses if len(uses) == 1 else [*uses, Applied(None, None, uses[0].value)]
    # an unknown function given the output where a loss takes y_pred (after y_true) may be a
    # loss the reader does not see (`self.augmenter.update(logits)`, one argument, is not)
    unknown = {_raw(v, held, frozenset(run.rows)) for args, kwargs in run.unknown
               for v in [*args[1:], *[kwargs[k] for k in ("y_pred",) if k in kwargs]]}
    read = _read_otherwise(run, held)
    bound: dict[str, Applied] = {}
    for attr, uses in found.items():
        specs = {(s.name, s.from_logits) if s else None
                 for s in (parse_loss(u.config) if u.config else None for u in uses)}  # fmt: skip
        if len(specs) != 1 or None in specs or attr in unknown or attr in read:
            continue  # two losses, one not read, a function the reader does not know, a term
        values = {id(u.value.source) for u in uses}
        if any(reaches(n, lambda t: id(t.source) in values) for n in run.negated):
            continue  # subtracted: the step maximises it
        if any(reaches(d, lambda t: id(t.source) in values) for d in run.differentiated):
            bound[attr] = uses[0]
    return bound, bool(found) and set(bound) == set(found)


def _read_otherwise(run: AppliedRun, held: dict[int, str]) -> set[str]:
    """The sub-models whose outputs reach what the step differentiates other than through a
    known loss (an L1 term on the output, a helper's term): their gradient is not that loss's
    alone. (Walked back from each differentiated value, not past a loss's value.)"""
    losses = {id(a.value.source) for a in run.applied}
    found: set[str] = set()

    def model(tensor: Tensor) -> bool:
        if isinstance(tensor.source, Model) and id(tensor.source) in held:
            found.add(held[id(tensor.source)])
        return False

    for value in run.differentiated:
        reaches(value, model, stop=lambda t: id(t.source) in losses)
    return found


def _keras_loss_called(run: AppliedRun) -> bool:
    """A method the step ran calls `self.compiled_loss`/`self.loss`/`self.compute_loss`."""
    return next(self_calls(run.ran, COMPILED_LOSS), None) is not None
