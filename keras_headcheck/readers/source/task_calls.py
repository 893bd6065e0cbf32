"""What a `tfrs.Model` subclass's compute_loss does with its tasks, read from its code
(recommenders.py binds it): which output its one Ranking task's `predictions` plainly is, and
whether that task's value is what compute_loss returns (inside a mean or sum, scaled by
constants, summed only with Retrieval tasks' values, at most), each name on the way assigned once.
Anything else is a `why` for an HC901 naming what compute_loss does.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Optional

from ...knowledge import tensorflow_recommenders as known
from .known_losses import REDUCERS
from .loss_terms import SELF
from .static import self_attr
from .values import Bound, Function, Layer, LocalClass, Model, Ref, Task

STORES = (ast.AugAssign, ast.AnnAssign, ast.For, ast.withitem, ast.NamedExpr)
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


def _stores(fn: ast.AST, name: str) -> list[ast.AST]:
    """The statements giving local `name` a value (an Assign, or anything else)."""
    found: list[ast.AST] = []
    for node in ast.walk(fn):
        targets = node.targets if isinstance(node, ast.Assign) else (
            [getattr(node, "target", None) or getattr(node, "optional_vars", None)]
            if isinstance(node, STORES) else [])  # fmt: skip
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
        attr = self_attr(expr.func, me)
        return (attr, None) if attr and isinstance(attrs.get(attr), (Model, Layer)) else None
    if not isinstance(expr, ast.Name) or depth > 8:
        return None
    stores = _stores(fn, expr.id)
    if len(stores) != 1 or not isinstance(stores[0], ast.Assign) or len(stores[0].targets) != 1:
        return None
    target, value = stores[0].targets[0], stores[0].value
    if isinstance(target, ast.Name):
        return source_of(value, fn, me, attrs, depth + 1)
    names = [e.id for e in getattr(target, "elts", ()) if isinstance(e, ast.Name)]
    if isinstance(target, (ast.Tuple, ast.List)) and len(names) == len(target.elts):
        whole = source_of(value, fn, me, attrs, depth + 1) if isinstance(value, ast.Call) else None
        plain = whole is not None and whole[1] is None
        return (whole[0], names.index(expr.id)) if plain and whole is not None else None
    return None


def _argument(call: ast.Call, keyword: str, position: int) -> Optional[ast.expr]:
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords):
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
        self.zero = False  # the ranking loss is scaled by 0: its output is not trained

    def task_of(self, call: ast.Call) -> Optional[Task]:
        attr = self_attr(call.func, self.me)
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
        once = len(_stores(self.fn, name)) == 1 and len(loads) == 1
        return once and self.returned(loads[0], depth + 1)

    def _term(self, parent: ast.BinOp, node: ast.AST) -> bool:
        other = parent.right if parent.left is node else parent.left
        if isinstance(parent.op, ast.Mult) or (
                isinstance(parent.op, ast.Div) and parent.left is node):
            self.zero = self.zero or self._zero(other)
            return _scale(other, self.fn) and not self.zero
        return isinstance(parent.op, ast.Add) and self._retrieval_term(other)

    def _zero(self, node: ast.expr) -> bool:
        """A factor of 0: written, or an attribute the instance holds as 0 (`self.rating_weight`
        given `rating_weight=0.0`), as in a multi-task model trained on its other task."""
        attr = self_attr(node, self.me)
        value = self.attrs.get(attr) if attr else getattr(node, "value", None)
        return isinstance(node, (ast.Attribute, ast.Constant)) and not isinstance(
            value, bool) and isinstance(value, (int, float)) and value == 0

    def _retrieval_term(self, node: ast.expr, depth: int = 0) -> bool:
        """A Retrieval task's value (scaled, or through a name assigned once): recorded with the
        embeddings it reads, which must come from plain outputs."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
            if _scale(node.right, self.fn):
                return self._retrieval_term(node.left, depth)
            scaled = isinstance(node.op, ast.Mult) and _scale(node.left, self.fn)
            return scaled and self._retrieval_term(node.right, depth)
        if isinstance(node, ast.Name) and depth < 8:
            stores = _stores(self.fn, node.id)
            return (len(stores) == 1 and isinstance(stores[0], ast.Assign)
                    and self._retrieval_term(stores[0].value, depth + 1))  # fmt: skip
        task = self.task_of(node) if isinstance(node, ast.Call) else None
        if task is None or task.facts.prediction is not None:
            return False
        named = enumerate(known.RETRIEVAL_EMBEDDINGS)
        embeddings = [_argument(node, k, i) for i, k in named]  # type: ignore[arg-type]
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
                        for a in [self_attr(n.func, reader.me)]
                        if a and not isinstance(attrs.get(a), (Model, Layer, Bound))})
        unseen = f" (`self.{unset[0]}` is not set to one here)" if unset else ""
        return TaskUse(why=f"{where} computes a loss of its own, with no tfrs task the reader "
                       f"sees{unseen}")
    if not ranking:
        why = known.TASKS["Retrieval"].why
        return TaskUse(why=f"{where} trains with tfrs.tasks.Retrieval: {why}")
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
    if not task.opaque and not reader.returned(call) and reader.zero:
        return TaskUse(why=f"{where} scales tfrs.tasks.Ranking's loss by 0: its output is not trained")
    if task.opaque or not reader.returned(call):
        return TaskUse(why=f"{where} does more with tfrs.tasks.Ranking's loss than return it "
                       "(scaled, or summed with Retrieval tasks)")
    return TaskUse(source, task, retrieval=reader.retrieval, embeddings=tuple(reader.embeddings))
