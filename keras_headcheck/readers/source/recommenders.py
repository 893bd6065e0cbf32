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

import ast
from dataclasses import dataclass
from typing import Any, Optional

from ...knowledge import tensorflow_recommenders as known
from .known_losses import REDUCERS
from .local_classes import find_method
from .loss_terms import SELF
from .step_forward import _reaches
from .layer_inputs import symbolic_inputs
from .values import Function, KerasObject, Layer, LocalClass, Model, Ref, Span, Task, Tensor

Source = tuple[str, Optional[int]]  # (SELF or a sub-model attribute, index in its tuple output)


@dataclass
class TaskUse:
    """What a compute_loss does with its tasks: the Ranking task's output, or why not bound."""

    source: Optional[Source] = None
    task: Optional[Task] = None
    why: str = ""
    retrieval: bool = False  # a Retrieval task's value is summed with the ranking loss
    embeddings: tuple[Source, ...] = ()  # what the Retrieval tasks read, to check independence


def derives_from_tfrs(cls: LocalClass, depth: int = 0) -> bool:
    """A subclass (of a subclass of the file...) of `tfrs.Model`."""
    for base in cls.bases:
        if isinstance(base, Ref) and known.is_model(base.path):
            return True
        if isinstance(base, LocalClass) and depth < 16 and derives_from_tfrs(base, depth + 1):
            return True
    return False


def _self_attr(node: ast.expr, me: str) -> Optional[str]:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == me:
        return node.attr
    return None


def _stores(fn: ast.AST, name: str) -> list[ast.AST]:
    """The statements giving local `name` a value (an Assign, or anything else)."""
    found: list[ast.AST] = []
    for node in ast.walk(fn):
        targets = node.targets if isinstance(node, ast.Assign) else (
            [getattr(node, "target", None) or getattr(node, "optional_vars", None)]
            if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.withitem, ast.NamedExpr))
            else [])  # fmt: skip
        if any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
               for t in targets if t is not None for n in ast.walk(t)):  # fmt: skip
            found.append(node)
    return found


def source_of(expr: ast.expr, fn: ast.FunctionDef, me: str, attrs: dict[str, Any],
              depth: int = 0) -> Optional[Source]:
    """Whose output `expr` plainly is: `self(x)` (SELF), `self.sub(x)` with `self.sub` a model or
    a layer, a name assigned once from one of those, or one element of `a, b = self(x)`."""
    if isinstance(expr, ast.Call):
        if isinstance(expr.func, ast.Name) and expr.func.id == me:
            return SELF, None
        attr = _self_attr(expr.func, me)
        return (attr, None) if attr and isinstance(attrs.get(attr), (Model, Layer)) else None
    if not isinstance(expr, ast.Name) or depth > 8:
        return None
    stores = _stores(fn, expr.id)
    if len(stores) != 1 or not isinstance(stores[0], ast.Assign) or len(stores[0].targets) != 1:
        return None
    target, value = stores[0].targets[0], stores[0].value
    if isinstance(target, ast.Name):
        return source_of(value, fn, me, attrs, depth + 1)
    if isinstance(target, (ast.Tuple, ast.List)) and all(isinstance(e, ast.Name) for e in target.elts):
        whole = source_of(value, fn, me, attrs, depth + 1) if isinstance(value, ast.Call) else None
        index = [e.id for e in target.elts].index(expr.id)  # type: ignore[attr-defined]
        return (whole[0], index) if whole is not None and whole[1] is None else None
    return None


def _argument(call: ast.Call, keyword: str, position: int) -> Optional[ast.expr]:
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _scale(node: ast.expr, fn: ast.FunctionDef) -> bool:
    """A factor that reads no tensor of the method: constants, attributes (`self.rating_weight`:
    no call is allowed), module names."""
    params = fn.args.posonlyargs + fn.args.args
    local = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    local |= {a.arg for a in params[1:] + fn.args.kwonlyargs}
    allowed = (ast.Constant, ast.Name, ast.Attribute, ast.BinOp, ast.UnaryOp, ast.operator,
               ast.unaryop, ast.Load)  # fmt: skip
    return all(isinstance(n, allowed) for n in ast.walk(node)) and not any(
        isinstance(n, ast.Name) and n.id in local for n in ast.walk(node))


class _Reader:
    """compute_loss read for one Ranking call: where its value goes."""

    def __init__(self, fn: ast.FunctionDef, me: str, attrs: dict[str, Any]) -> None:
        self.fn, self.me, self.attrs = fn, me, attrs
        self.parents = {c: p for p in ast.walk(fn) for c in ast.iter_child_nodes(p)}
        self.embeddings: list[Source] = []
        self.retrieval = False

    def task_of(self, call: ast.Call) -> Optional[Task]:
        attr = _self_attr(call.func, self.me)
        value = self.attrs.get(attr) if attr else None
        return value if isinstance(value, Task) else None

    def returned(self, node: ast.AST, depth: int = 0) -> bool:
        """Whether `node`'s value is what compute_loss returns (see the module docstring)."""
        parent = self.parents.get(node)
        while True:
            if (isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute)
                    and parent.func.attr in REDUCERS and parent.args[:1] == [node]):  # fmt: skip
                node, parent = parent, self.parents.get(parent)
            elif isinstance(parent, ast.BinOp) and self._term(parent, node):
                node, parent = parent, self.parents.get(parent)
            else:
                break
        if isinstance(parent, ast.Return):
            return True
        if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and depth < 8
                and isinstance(parent.targets[0], ast.Name)):  # fmt: skip
            return False
        name = parent.targets[0].id
        loads = [n for n in ast.walk(self.fn) if isinstance(n, ast.Name) and n.id == name
                 and isinstance(n.ctx, ast.Load)]  # fmt: skip
        return len(_stores(self.fn, name)) == 1 and len(loads) == 1 and self.returned(loads[0], depth + 1)

    def _term(self, parent: ast.BinOp, node: ast.AST) -> bool:
        other = parent.right if parent.left is node else parent.left
        if isinstance(parent.op, ast.Mult) or (isinstance(parent.op, ast.Div) and parent.left is node):
            return _scale(other, self.fn)
        return isinstance(parent.op, ast.Add) and self._retrieval_term(other)

    def _retrieval_term(self, node: ast.expr, depth: int = 0) -> bool:
        """A Retrieval task's value (scaled, or through a name assigned once): recorded with the
        embeddings it reads, which must come from plain outputs."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
            if _scale(node.right, self.fn):
                return self._retrieval_term(node.left, depth)
            return isinstance(node.op, ast.Mult) and _scale(node.left, self.fn) and self._retrieval_term(
                node.right, depth)
        if isinstance(node, ast.Name) and depth < 8:
            stores = _stores(self.fn, node.id)
            return (len(stores) == 1 and isinstance(stores[0], ast.Assign)
                    and self._retrieval_term(stores[0].value, depth + 1))  # fmt: skip
        task = self.task_of(node) if isinstance(node, ast.Call) else None
        if task is None or task.facts.prediction is not None:
            return False
        embeddings = [_argument(node, k, i) for i, k in enumerate(known.RETRIEVAL_EMBEDDINGS)]  # type: ignore[arg-type]
        for arg in embeddings:
            source = source_of(arg, self.fn, self.me, self.attrs) if arg is not None else None
            if source is None:
                return False
            self.embeddings.append(source)
        self.retrieval = True
        return True


def read_compute_loss(fn: Function, attrs: dict[str, Any], name: str) -> TaskUse:
    """What `fn` (a tfrs.Model's compute_loss) does with the tasks of the instance."""
    params = fn.node.args.posonlyargs + fn.node.args.args
    if not params:
        return TaskUse(why="its compute_loss takes no `self`")
    reader = _Reader(fn.node, params[0].arg, attrs)
    calls = [(n, t) for n in ast.walk(fn.node) if isinstance(n, ast.Call)
             for t in [reader.task_of(n)] if t is not None]  # fmt: skip
    ranking = [(n, t) for n, t in calls if t.facts.prediction is not None]
    where = "its compute_loss"
    if not calls:
        unset = sorted({a for n in ast.walk(fn.node) if isinstance(n, ast.Call)
                        for a in [_self_attr(n.func, reader.me)] if a and a not in attrs})
        unseen = f" (`self.{unset[0]}` is not set to one here)" if unset else ""
        return TaskUse(why=f"{where} computes a loss of its own, with no tfrs task the reader "
                       f"sees{unseen}")
    if not ranking:
        return TaskUse(why=f"{where} trains with tfrs.tasks.Retrieval: {known.TASKS['Retrieval'].why}")
    if len(ranking) > 1:
        return TaskUse(why=f"{where} applies {len(ranking)} tfrs.tasks.Ranking tasks")
    call, task = ranking[0]
    keyword, position = task.facts.prediction
    pred = _argument(call, keyword, position)
    source = source_of(pred, fn.node, reader.me, attrs) if pred is not None else None
    if source is None:
        shown = f"`{ast.unparse(pred)}`" if pred is not None else "arguments it cannot see"
        return TaskUse(why=f"{where} applies tfrs.tasks.Ranking to {shown}, not to an output "
                       "the reader binds")
    if task.opaque or not reader.returned(call):
        return TaskUse(why=f"{where} does more with tfrs.tasks.Ranking's loss than return it "
                       "(scaled, or summed with Retrieval tasks)")
    return TaskUse(source, task, retrieval=reader.retrieval, embeddings=tuple(reader.embeddings))


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
            return self.value_config(KerasObject("losses", name, dict(config)), "losses", name)  # type: ignore[attr-defined]
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
            why = use.why or ("its compute_loss applies tfrs.tasks.Ranking to a value its call() does "
                              "not return plainly, or summed with a term that reads it")
            model.kind, model.outputs, model.what = "opaque", None, f"`{cls.name}`: {why}"
            model.loss_note = None
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
            if _reaches(value, lambda t: t == chosen):
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
        target = attrs.get(source[0]) if source and source[0] != SELF and source[1] is None else None
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
            why = use.why or (f"its compute_loss applies tfrs.tasks.Ranking to `self(...)` with no "
                              f"call(), or to a value the reader does not bind")
            model = Model("opaque", cls.name, where, what=f"`{cls.name}`: {why}")
        model.compile_override = find_method(cls, "compile")
        return self.register(model)  # type: ignore[attr-defined, no-any-return]


def _apart(use: TaskUse, target: Any, attrs: dict[str, Any]) -> bool:
    """The Retrieval tasks summed with the ranking loss read other towers than `target`."""
    return all(a != SELF and i is None and attrs.get(a) is not target for a, i in use.embeddings)
