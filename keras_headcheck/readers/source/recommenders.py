"""TensorFlow Recommenders models in a script: a `tfrs.Model` subclass trains with what its
`compute_loss` returns (knowledge/tensorflow_recommenders.py: the library's train_step
differentiates `self.compute_loss(inputs, training=True)`; the loss given to `compile` is not
applied), usually a task's value:

    def compute_loss(self, features, training=False):
        labels = features.pop("user_rating")
        rating_predictions = self(features)
        return self.task(labels=labels, predictions=rating_predictions)

with `self.task = tfrs.tasks.Ranking(loss=tf.keras.losses.MeanSquaredError())`. A Ranking task
applies its Keras loss to its `predictions` as given, so that output is checked with that loss,
as if compiled with it. The binding is made only when compute_loss shows it plainly: one Ranking
call, its `predictions` the model's own output (`self(x)`, or one element of its unpacked tuple),
or a sub-model's (`self.ranking_model(x)`), each name on the way assigned once; its value returned
(inside a mean or sum, scaled by constants, at most), summed only with Retrieval tasks' values
whose embeddings do not read that output (a multi-task model). A Retrieval task has no head the
rules check: its site gets an HC901 saying so. Anything else is an HC901 naming what
compute_loss does.
"""

from __future__ import annotations

from typing import Any, Optional

from .layer_inputs import symbolic_inputs
from .local_classes import find_method
from .loss_terms import SELF
from .step_graph import reaches
from .task_calls import TaskUse, derives_from_tfrs, read_compute_loss
from .values import KerasObject, Layer, LocalClass, Model, Span, Task, Tensor


def _items(outputs: Any) -> list[Any]:
    if isinstance(outputs, dict):
        return list(outputs.values())
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


class Recommenders:
    """Mixin of the Interpreter (before Subclasses): `tfrs.Model` subclasses."""

    def recommender(self, cls: LocalClass) -> bool:
        """A tfrs.Model subclass trained by the library's train_step (not one of its own)."""
        return derives_from_tfrs(cls) and find_method(cls, "train_step") is None

    def task_loss(self, task: Task) -> Any:
        """The loss a task applies, as a compile's config."""
        if task.loss is None:
            name, config = task.facts.default_loss
            default = KerasObject("losses", name, dict(config))
            return self.value_config(default, "losses", name)  # type: ignore[attr-defined]
        text = f"the loss given to tfrs.tasks.{task.facts.name}"
        return self.value_config(task.loss, "losses", text)  # type: ignore[attr-defined]

    def _use(self, cls: LocalClass, attrs: dict[str, Any]) -> TaskUse:
        fn = find_method(cls, "compute_loss")
        if fn is None:
            return TaskUse(why="it defines no compute_loss, which tfrs.Model's train_step runs")
        return read_compute_loss(fn, attrs, cls.name)

    def bind_tasks(self, cls: LocalClass, model: Model, attrs: dict[str, Any]) -> None:
        """A tfrs subclass with a call(): the output its Ranking task trains, with that loss
        (its compile's step loss: trainers.py), or an HC901 saying what it does."""
        use = self._use(cls, attrs)
        outputs = _items(model.outputs)
        chosen: Optional[Tensor] = None
        if use.source is not None and model.kind == "functional":
            attr, index = use.source
            if attr == SELF and index is None and len(outputs) == 1:
                chosen = outputs[0]
            elif attr == SELF and index is not None and len(outputs) > index:
                chosen = outputs[index]
            elif attr != SELF and index is None:
                held = [t for t in outputs if isinstance(t, Tensor) and t.source is attrs.get(attr)]
                chosen = held[0] if len(held) == 1 else None
            if chosen is not None and not self._independent(use, outputs, chosen, attrs):
                chosen, use.why = None, ("its compute_loss sums tfrs.tasks.Ranking's loss with a "
                                         "tfrs.tasks.Retrieval that reads the ranking output")
        if not isinstance(chosen, Tensor):
            if use.why or model.kind == "functional":  # (else: its call() was not followed)
                why = use.why or ("its compute_loss applies tfrs.tasks.Ranking to a value its "
                                  "call() does not return plainly")
                model.what = f"`{cls.name}`: {why}"
            model.kind, model.outputs, model.loss_note = "opaque", None, None
            return
        model.outputs, model.loss_note = chosen, "computed in `" + cls.name + ".compute_loss`"
        model.step_loss = self.task_loss(use.task)  # type: ignore[arg-type]
        if use.retrieval:
            model.what += " (its ranking task; its retrieval task has no head to check)"

    def _independent(self, use: TaskUse, outputs: list[Any], chosen: Tensor,
                     attrs: dict[str, Any]) -> bool:
        """The Retrieval tasks summed with the ranking loss read no value computed from the
        ranking output (the output's gradient is then the ranking loss's alone)."""
        for attr, index in use.embeddings:
            if attr == SELF and index is not None and len(outputs) > index:
                value: Any = outputs[index]
            elif attr != SELF and index is None and attrs.get(attr) is not chosen.source:
                continue  # another tower, called on the features
            else:
                return False
            if reaches(value, lambda t: t == chosen):
                return False
        return True

    def recommender_model(self, cls: LocalClass, args: list[Any], kwargs: dict[str, Any],
                          where: Span) -> Model:
        """A tfrs subclass without call(): the sub-model (or layer) its Ranking task trains, run
        on an input of its own as the model's output, with that loss; or an opaque model saying
        what compute_loss does."""
        attrs = self._instance_attrs(cls, args, kwargs)  # type: ignore[attr-defined]
        use = self._use(cls, attrs)
        source = use.source
        sub = source is not None and source[0] != SELF and source[1] is None
        target = attrs.get(source[0]) if sub and source is not None else None
        out: Any = None
        if isinstance(target, (Model, Layer)) and _apart(use, target, attrs):
            (given,) = symbolic_inputs(1, where)
            out = self.call_layer(target, [Tensor(given, 0)], {})  # type: ignore[attr-defined]
        if isinstance(out, Tensor) and use.task is not None and source is not None:
            name = self.given_name(kwargs, cls.name)  # type: ignore[attr-defined]
            what = f"`{cls.name}` (`{source[0]}`, the output its tfrs.tasks.Ranking trains)"
            model = self._as_model((out, [given]), name, where, what)  # type: ignore[attr-defined]
            model.loss_note = f"computed in `{cls.name}.compute_loss`"
            model.step_loss = self.task_loss(use.task)
        else:
            why = use.why or ("its compute_loss applies tfrs.tasks.Ranking to `self(...)` with no "
                              "call(), or to a value the reader does not bind")
            model = Model("opaque", cls.name, where, what=f"`{cls.name}`: {why}")
        model.compile_override = find_method(cls, "compile")
        return self.register(model)  # type: ignore[attr-defined, no-any-return]


def _apart(use: TaskUse, target: Any, attrs: dict[str, Any]) -> bool:
    """The Retrieval tasks summed with the ranking loss read other towers than `target`."""
    return all(a != SELF and i is None and attrs.get(a) is not target for a, i in use.embeddings)
