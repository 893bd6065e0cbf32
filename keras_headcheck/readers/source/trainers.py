"""Trainer subclasses: a `keras.Model` subclass with no call() whose `train_step` applies a loss
given to its compile to the output of one of its sub-models: its own `compile(self, ...,
loss_fn)` (a GAN's discriminator), or Keras's `compile(loss=...)` reached as `self.loss`,
`self.compiled_loss` or `self.compute_loss` (a diffusion trainer's denoising network).

Such a trainer does, in effect, `discriminator.compile(loss=loss_fn)` and trains it when it is
fit, so the sub-model is checked that way (RULES.md: a model is checked with the loss it is
trained with). The binding is made only where the train_step shows it plainly:
`self.loss_fn(labels, self.discriminator(x))`, or `self.loss_fn(labels, predictions)` where every
assignment of `predictions` in the method is a call `self.discriminator(...)`, and the loss
attribute is set in the class's own `compile` from one of its parameters (`self.loss_fn =
loss_fn`). A loss applied to anything else (a transformed or indexed output, a helper's
argument) leaves the trainer unbound, and its HC901 says what it does and how to check it live.
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Optional

from .compile_args import compile_arguments
from .known_losses import local_names, module_value, parents_of
from .local_classes import find_method, method_names
from .loss_terms import SELF, Output, output_of
from .static import self_attr
from .step_losses import applied_loss, init_values, trained_plainly
from .trainer_uses import KNOWN, Trainer
from .values import Compile, Function, LocalClass, Model

Y_PRED = ("y_pred",)
Resolve = Callable[[ast.Call], Optional[dict[str, Any]]]


def _first_param(fn: Function) -> Optional[str]:
    params = fn.node.args.posonlyargs + fn.node.args.args
    return params[0].arg if params else None


def loss_parameters(compile_fn: Function) -> dict[str, str]:
    """`self.loss_fn = loss_fn` in the class's compile: {"loss_fn": "loss_fn"} (attr -> param)."""
    me = _first_param(compile_fn)
    spec = compile_fn.node.args
    params = {a.arg for a in spec.posonlyargs + spec.args[1:] + spec.kwonlyargs}
    found: dict[str, str] = {}
    for node in ast.walk(compile_fn.node):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and me:
            attr = self_attr(node.targets[0], me)
            if attr and isinstance(node.value, ast.Name) and node.value.id in params:
                found[attr] = node.value.id
    return found


def _assignments(fn: Function) -> dict[str, list[Optional[ast.expr]]]:
    """Every value a local name is given in the method (None: given by unpacking, a loop...)."""
    found: dict[str, list[Optional[ast.expr]]] = {}
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
                        value = node.value if target is name else None
                        found.setdefault(name.id, []).append(value)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.withitem, ast.NamedExpr)):
            target = getattr(node, "target", None) or getattr(node, "optional_vars", None)
            for name in ast.walk(target) if target is not None else ():
                if isinstance(name, ast.Name):
                    found.setdefault(name.id, []).append(None)
    return found


def _model_called(pred: ast.expr, me: str, assigned: dict[str, list[Optional[ast.expr]]],
                  aliases: Optional[dict[str, str]] = None) -> Optional[str]:
    """The sub-model attribute whose call `pred` plainly is (`self.decoder(z)`, or `decoder(z)`
    with the module's `decoder` the very model `self.decoder` holds: `aliases`), or None."""
    if isinstance(pred, ast.Call):
        if isinstance(pred.func, ast.Name) and pred.func.id == me:
            return SELF
        if isinstance(pred.func, ast.Name):
            return (aliases or {}).get(pred.func.id)
        return self_attr(pred.func, me)
    if isinstance(pred, ast.Name) and assigned.get(pred.id):
        models = {_model_called(v, me, {}, aliases) if isinstance(v, ast.Call) else None
                  for v in assigned[pred.id]}
        return models.pop() if len(models) == 1 else None
    return None


def _prediction(call: ast.Call, position: int) -> Optional[ast.expr]:
    """The `y_pred` argument of a loss call (`loss(y_true, y_pred)`)."""
    head = call.args[: position + 1]
    if len(head) > position and not any(isinstance(a, ast.Starred) for a in head):
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg in Y_PRED), None)


def keras_losses(own_compute_loss: bool) -> dict[str, tuple[str, int]]:
    """The compiled loss as a train_step reaches it: `self.loss(y, y_pred)`, tf.keras's
    `self.compiled_loss(y, y_pred)`, Keras 3's `self.compute_loss(x, y, y_pred)` (unless the class
    defines its own `compute_loss`): attribute -> (compile parameter, position of y_pred)."""
    found = {"loss": ("loss", 1), "compiled_loss": ("loss", 1)}
    if not own_compute_loss:
        found["compute_loss"] = ("loss", 2)
    return found


def trainer_of(compile_fn: Optional[Function], train_step: Optional[Function],
               attrs: dict[str, Any], own_compute_loss: bool = False,
               resolve: Optional[Resolve] = None,
               aliases: Optional[dict[str, str]] = None) -> Optional[Trainer]:
    """The losses a train_step applies to sub-model outputs (or to `self(x)`): those the class's
    own compile takes (`self.loss_fn = loss_fn`), or, without one, the loss given to Keras's
    compile; and known Keras losses it applies itself, as `resolve` reads them (step_losses.py)."""
    if train_step is None:
        return None
    if compile_fn is not None:
        losses = {attr: (param, 1) for attr, param in loss_parameters(compile_fn).items()}
    else:
        losses = keras_losses(own_compute_loss)
    me = _first_param(train_step)
    if (not losses and resolve is None) or me is None:
        return Trainer((), False, attrs)
    known: dict[str, Any] = {}
    parents = parents_of(train_step)
    applied: list[str] = []
    assigned = _assignments(train_step)
    uses: list[tuple[str, str]] = []
    complete = True
    for node in ast.walk(train_step.node):
        attr = self_attr(node.func, me) if isinstance(node, ast.Call) else None
        if attr in losses:
            param, position = losses[attr]
        elif isinstance(node, ast.Call) and resolve is not None and _pred_call(node) is not None:
            config = resolve(node)
            if config is None:
                continue
            model = _model_called(node.args[1], me, assigned, aliases)
            output = _output(train_step, me, model, attrs, aliases or {})
            if not trained_plainly(node, train_step, parents, output):
                complete = False  # logged, summed with a term on its output...: not what trains it
                continue
            param, position = KNOWN + str(config.get("written")), 1
            known[param] = config
        else:
            continue
        pred = _prediction(node, position)  # type: ignore[arg-type]
        model = _model_called(pred, me, assigned, aliases) if pred is not None else None
        if model is not None and model != SELF and model not in applied:
            applied.append(model)
        if model is None or (model != SELF and not isinstance(attrs.get(model), Model)):
            complete = False
        elif (param, model) not in uses:
            uses.append((param, model))
    models = [model for _, model in uses]
    shared = {model for model in models if models.count(model) > 1}
    if shared:  # one output trained with two losses (a GAN's d_loss and g_loss): not one compile
        uses, complete = [u for u in uses if u[1] not in shared], False
    if not applied:  # name the sub-models train_step runs, for the hint
        applied = sorted({a for node in ast.walk(train_step.node) if isinstance(node, ast.Call)
                          for a in [self_attr(node.func, me)] if isinstance(attrs.get(a), Model)})
    return Trainer(tuple(uses), complete and bool(uses), attrs, tuple(applied), known=known)


def _output(fn: Function, me: str, model: Optional[str], attrs: dict[str, Any],
            aliases: dict[str, str]) -> Optional[Output]:
    """What a term summed with a loss on `model`'s output must not read (loss_terms.py): that
    sub-model under any attribute or module name holding it; other sub-models it may run."""
    if model is None:
        return None
    target = attrs.get(model)
    others = frozenset(a for a, v in attrs.items() if isinstance(v, Model) and v is not target)
    names = frozenset(n for n, a in aliases.items() if a == model)
    return output_of(fn.node, me, model, others, names)


def module_models(fn: Function, attrs: dict[str, Any], ev: Callable[..., Any]) -> dict[str, str]:
    """Module names `fn` reads that hold a sub-model of the instance (`decoder` for
    `self.decoder = decoder`): name -> attribute."""
    local = local_names(fn)
    held = {id(v): a for a, v in attrs.items() if isinstance(v, Model)}
    found: dict[str, str] = {}
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local:
            value = ev(node, fn.scope) if node.id not in found else None
            if isinstance(value, Model) and id(value) in held:
                found[node.id] = held[id(value)]
    return found


def _pred_call(node: ast.Call) -> Optional[ast.expr]:
    """A call that may apply a loss: two positional arguments, (y_true, y_pred)."""
    return node.args[1] if len(node.args) == 2 else None


class Trainers:
    """Mixin of the Interpreter (before Subclasses): trainer instances and their compiles."""

    def trainer_for(self, cls: LocalClass, args: list[Any], kwargs: dict[str, Any]) -> Optional[Trainer]:
        """A class with its own train_step (and no call()): run __init__ for its sub-models."""
        compile_fn, train_step = find_method(cls, "compile"), find_method(cls, "train_step")
        if train_step is None:
            return None
        attrs = self._instance_attrs(cls, args, kwargs)  # type: ignore[attr-defined]
        own = find_method(cls, "compute_loss") is not None
        resolve = self._resolver(cls, train_step, attrs)
        aliases = module_models(train_step, attrs, self.ev)  # type: ignore[attr-defined]
        trainer = trainer_of(compile_fn, train_step, attrs, own, resolve, aliases)
        if trainer is not None:
            trainer.cls = cls
        return trainer

    def _resolver(self, cls: LocalClass, train_step: Function, attrs: dict[str, Any]) -> Resolve:
        """Reads a train_step's call as a known Keras loss: its callee is `self.x` (from the
        instance's attributes) or a name of the module (step_losses.py)."""
        me, where = _first_param(train_step), f"{cls.name}.train_step"

        def resolve(call: ast.Call) -> Optional[dict[str, Any]]:
            attr = self_attr(call.func, me) if me else None
            ev = self.ev  # type: ignore[attr-defined]
            callee = attrs.get(attr) if attr else module_value(call.func, train_step, ev)
            return applied_loss(call, callee, train_step, ev, where)

        return resolve

    def step_loss(self, cls: LocalClass) -> Optional[dict[str, Any]]:
        """The one known Keras loss a subclass's train_step applies plainly to `self(x)`, and
        nothing else: the loss its output is trained with (its compile gives none)."""
        train_step = find_method(cls, "train_step")
        if train_step is None:
            return None
        methods = [f for f in (find_method(cls, m) for m in method_names(cls)) if f is not None]
        init = find_method(cls, "__init__")
        attrs = init_values(init, self.ev, methods)  # type: ignore[attr-defined]
        trainer = trainer_of(None, train_step, attrs, True, self._resolver(cls, train_step, attrs))
        if trainer is None or not trainer.complete or len(trainer.uses) != 1:
            return None
        key, model = trainer.uses[0]
        return trainer.known.get(key) if model == SELF else None

    def compile(self, model: Model, node: ast.Call, scope: Any) -> None:
        super().compile(model, node, scope)  # type: ignore[misc]
        if model.trainer is not None and model.compiles:
            self._bind_trainer(model, model.trainer, node, scope)
            if not model.trainer.complete:  # what the step applies, read by running it
                self.bind_applied(model, model.trainer, node, scope)  # type: ignore[attr-defined]
        given = "loss" in compile_arguments(node, model.compile_override)
        if model.step_loss is not None and model.compiles and not given and _single(model.outputs):
            done = model.compiles[-1]  # in place of the "computed in train_step" note
            model.compiles[-1] = Compile(model.step_loss, done.metrics, done.span, done.layers,
                                         done.depth)  # fmt: skip

    def _bind_trainer(self, model: Model, trainer: Trainer, node: ast.Call, scope: Any) -> None:
        """The trainer's compile is each bound sub-model's compile, with the loss given to it."""
        nodes = compile_arguments(node, model.compile_override)
        done = model.compiles[-1]
        for parameter, attr in trainer.uses:
            sub, loss_node = trainer.attrs.get(attr), nodes.get(parameter)
            if parameter in trainer.known and "loss" not in nodes and isinstance(sub, Model):
                loss = trainer.known[parameter]  # a known loss the step applies (not a compile's)
            elif not isinstance(sub, Model) or loss_node is None:
                continue
            else:
                loss = self.compile_value(loss_node, scope, "losses")  # type: ignore[attr-defined]
            sub.compiles.append(Compile(loss, None, done.span, tuple(sub.layers), done.depth))
            if sub not in trainer.bound:
                trainer.bound.append(sub)


def _single(outputs: Any) -> bool:
    """One output: a loss applied to `self(x)` is that output's."""
    return not isinstance(outputs, (list, tuple, dict)) or len(outputs) == 1
