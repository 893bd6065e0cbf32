"""A small abstract interpreter for training scripts: runs the statements of a module in order,
tracking constants, imports and the Keras objects they build, with the standard-library `ast` only.

It never executes user code. Branches and loops whose outcome is not known statically are followed
on every path, then merged: what the paths disagree on becomes UNKNOWN, and a model that received
layers in such a branch or loop gets a placeholder where those layers went.
"""

from __future__ import annotations

import ast
from typing import Any, Optional

from .arguments import activation_config
from .branches import Branches
from .compile_sites import dead_compiles
from .constructors import BUILTINS
from .static import arith, dispatch, dotted_name, same, span, truth
from .labels import Labels, arithmetic
from .names import kind_of
from .scopes import Fork, Scope, bind_arguments, class_kind
from .library import Libraries
from .outside import Outside
from .subclass import Subclasses
from .tensor_code import TensorCode
from .weights import Weights
from .trainers import Trainers
from .budget import Budget
from .values import (
    MISSING,
    UNKNOWN,
    Bound,
    Function,
    Layer,
    LocalClass,
    Model,
    Placeholder,
    Ref,
    Tensor,
    Span,
)

MAX_DEPTH = 12  # nested calls of functions defined in the file
MAX_STEPS = 200_000  # statements and calls interpreted per file


class OutOfSteps(Exception):
    pass




class Interpreter(Outside, Libraries, Trainers, Subclasses, Weights, TensorCode, Branches):
    def __init__(self, path: Optional[str] = None) -> None:
        self.filename = path  # the file being read, for imports of its own modules (outside.py)
        self.importing: list[str] = []  # modules of the script's tree being run (outside.py)
        self.saved_here: dict[str, Any] = {}  # paths this file saved a model to (outside.py)
        self.models: list[Model] = []
        self.policy: Optional[str] = None
        self.name_counts: dict[str, int] = {}
        self.forks: list[Fork] = []
        self.stars: list[str] = []  # modules imported with `from ... import *`
        self.functions: list[Function] = []
        self.called: set[int] = set()  # ids of function nodes that ran
        self.active: set[int] = set()
        self.methods: list[Bound] = []  # methods of local subclasses being run (subclass.py)
        self.depth = 0
        self.steps = 0
        self.budget = Budget()  # how big the values built for this file may get (budget.py)
        self.unrolled = 0  # loop bodies run once per element so far (do_For)
        self.skipped: list[tuple[Span, str, str]] = []  # compiles in branches that do not run
        self.foreign_models: dict[int, Model] = {}  # id(library layer) -> it, compiled as a model
        self.in_class = 0  # running a method of a custom Layer/Model: the models built are blocks

    # --- running -------------------------------------------------------------------------------
    def run(self, tree: ast.Module) -> list[Model]:
        module = Scope()
        module.vars["__name__"] = "__main__"
        try:
            self.block(tree.body, module)
            self.run_uncalled_functions()
        except OutOfSteps:
            pass
        return self.models

    def run_uncalled_functions(self) -> None:
        """Functions nothing in the file calls are still read, with parameters unknown."""
        done: set[int] = set()
        while True:
            pending = [f for f in self.functions if id(f.node) not in self.called | done]
            if not pending:
                return
            for fn in pending:
                done.add(id(fn.node))
                self.call_function(fn, [], {}, opaque=True, outside=True)

    def register(self, model: Model) -> Model:
        if self.in_class:  # built inside a custom layer or model: a block of it, not an output
            model.nested = True
        self.models.append(model)
        return model

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise OutOfSteps

    def lookup(self, name: str, scope: Scope) -> Any:
        value = scope.find(name)
        if value is not MISSING:
            return value
        if name in BUILTINS:
            return Ref("builtins." + name)
        for module in self.stars:
            ref = Ref(f"{module}.{name}")
            if kind_of(ref.path)[0] != "other":
                return ref
        return UNKNOWN

    def block(self, statements: list[ast.stmt], scope: Scope) -> None:
        for statement in statements:
            if scope.stopped:
                return
            self.step()
            handler = dispatch(type(self), "do_", type(statement))
            if handler is None:
                continue
            try:
                handler(self, statement, scope)
            except RecursionError:  # an expression nested too deeply to follow: leave it unknown
                continue

    # --- binding -------------------------------------------------------------------------------
    def bind(self, target: ast.AST, value: Any, scope: Scope) -> None:
        if isinstance(target, ast.Name):
            scope.set(target.id, value)
            if isinstance(value, Model) and value.variable is None:  # how reports name it
                where = f"{scope.function}." if scope.function else ""  # `build.model`
                value.variable = where + target.id
        elif isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(target.elts, value, scope)
        elif isinstance(target, ast.Attribute):
            dotted = dotted_name(target)
            if dotted is not None:
                scope.set(dotted, value)
            if (
                target.attr == "activation"
            ):  # model.layers[-1].activation = keras.activations.linear
                self.set_activation(self.ev(target.value, scope), value)
        elif isinstance(target, ast.Subscript):
            container = self.ev(target.value, scope)
            key = self.ev(target.slice, scope)
            fits = self.budget.room(container, [key, value])  # False unless a list or dict
            if isinstance(container, dict) and isinstance(key, (str, int)):
                # a dict has no saved state; one over the budget no longer says what it holds
                container[key] = UNKNOWN if self.forks or not fits else value
            elif (
                isinstance(container, list)
                and isinstance(key, int)
                and -len(container) <= key < len(container)
            ):
                self.touch(container)
                container[key] = value if fits else UNKNOWN
        elif isinstance(target, ast.Starred):
            self.bind(target.value, UNKNOWN, scope)

    def set_activation(self, layer: Any, value: Any) -> None:
        if not isinstance(layer, Layer):
            return
        if self.forks:
            layer.opaque = "activation changed in a branch"
        else:
            layer.config["activation"] = activation_config(value)

    def unpack(self, targets: list[ast.expr], value: Any, scope: Scope) -> None:
        starred = any(isinstance(t, ast.Starred) for t in targets)
        for index, target in enumerate(targets):
            if isinstance(value, Tensor) and not starred:
                item: Any = Tensor(value.source, value.node, index)
            elif isinstance(value, (list, tuple)) and len(value) == len(targets) and not starred:
                item = value[index]
            else:
                item = UNKNOWN
            self.bind(target, item, scope)

    # --- statements ------------------------------------------------------------------------------
    def do_Import(self, node: ast.Import, scope: Scope) -> None:
        for alias in node.names:
            if alias.asname:
                scope.set(alias.asname, Ref(alias.name))
            else:
                first = alias.name.split(".")[0]
                scope.set(first, Ref(first))

    def do_ImportFrom(self, node: ast.ImportFrom, scope: Scope) -> None:
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self.stars.append(module)
            else:
                scope.set(alias.asname or alias.name, Ref(f"{module}.{alias.name}"))
        self.import_local(node, scope)

    def do_Assign(self, node: ast.Assign, scope: Scope) -> None:
        value = self.ev(node.value, scope)
        for target in node.targets:
            self.bind(target, value, scope)

    def do_AnnAssign(self, node: ast.AnnAssign, scope: Scope) -> None:
        if node.value is not None:
            self.bind(node.target, self.ev(node.value, scope), scope)

    def do_AugAssign(self, node: ast.AugAssign, scope: Scope) -> None:
        current = (
            self.ev(node.target, scope)
            if isinstance(node.target, (ast.Name, ast.Attribute))
            else UNKNOWN
        )
        value = self.ev(node.value, scope)
        if (
            isinstance(current, list)
            and isinstance(node.op, ast.Add)
            and isinstance(value, (list, tuple))
        ):
            self.touch(current)
            if self.budget.room(current, value):
                current.extend(value)
            else:  # over the value budget: what the list holds is no longer followed
                current.append(Placeholder(span(node), "a list too large to follow"))
            return
        if isinstance(current, Labels):  # y -= 1, y /= 255: the labels' values move
            self.bind(node.target, arithmetic(node.op, current, value, node), scope)
            return
        self.bind(node.target, self.budget.admit(arith(node.op, current, value)), scope)

    def do_Expr(self, node: ast.Expr, scope: Scope) -> None:
        self.ev(node.value, scope)

    def do_If(self, node: ast.If, scope: Scope) -> None:
        known = truth(self.ev(node.test, scope))
        if known is not None:
            self.block(node.body if known else node.orelse, scope)
            self.skipped.extend(dead_compiles(node.orelse if known else node.body, node.test, known))
        else:
            self.fork(scope, [node.body, node.orelse], span(node), "a branch")

    def do_For(self, node: ast.For, scope: Scope) -> None:
        values = self.ev(node.iter, scope)
        if self.unrolls(values, node.body):  # as Python runs it: once per element, in order
            for value in list(values):
                self.bind(node.target, value, scope)
                self.block(node.body, scope)
                if scope.stopped:
                    return
            self.block(node.orelse, scope)
            return
        loop: list[Any] = [lambda: self.bind(node.target, UNKNOWN, scope), *node.body, *node.orelse]
        self.fork(scope, [loop, node.orelse], span(node), "a loop")

    do_AsyncFor = do_For

    def do_While(self, node: ast.While, scope: Scope) -> None:
        known = truth(self.ev(node.test, scope))
        if known is False:
            self.block(node.orelse, scope)
            return
        paths = [node.body + node.orelse] + ([] if known else [node.orelse])
        self.fork(scope, paths, span(node), "a loop")

    def do_With(self, node: ast.With, scope: Scope) -> None:
        for item in node.items:
            self.ev(item.context_expr, scope)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, UNKNOWN, scope)
        self.block(node.body, scope)

    do_AsyncWith = do_With

    def do_Try(self, node: ast.Try, scope: Scope) -> None:
        self.block(node.body, scope)
        if node.handlers:
            self.fork(scope, [h.body for h in node.handlers] + [[]], span(node), "a branch")
        self.block(node.orelse, scope)
        self.block(node.finalbody, scope)

    do_TryStar = do_Try

    def do_Match(self, node: ast.Match, scope: Scope) -> None:
        self.ev(node.subject, scope)
        self.fork(scope, [case.body for case in node.cases] + [[]], span(node), "a branch")

    def do_FunctionDef(self, node: ast.FunctionDef, scope: Scope) -> None:
        defining = scope.parent if scope.is_class and scope.parent else scope
        owner = scope.class_kind if scope.is_class else "other"
        defaults = self.defaults(node.args, scope)
        fn = Function(node, defining, node.name, defaults, owner, self.policy)
        self.functions.append(fn)
        scope.set(node.name, fn)

    do_AsyncFunctionDef = do_FunctionDef

    def do_ClassDef(self, node: ast.ClassDef, scope: Scope) -> None:
        bases = [self.ev(base, scope) for base in node.bases]
        kinds = [class_kind(base) for base in bases]
        kind = "model" if "model" in kinds else "layer" if "layer" in kinds else "other"
        body = Scope(parent=scope, module=scope.module, is_class=True)
        body.class_kind = kind
        self.block(node.body, body)
        scope.set(node.name, LocalClass(node.name, kind, namespace=body.vars, bases=bases, node=node))

    def do_Return(self, node: ast.Return, scope: Scope) -> None:
        scope.results.append(self.ev(node.value, scope) if node.value is not None else None)
        scope.stopped = scope.exited = True
        if scope.fork_depth == 0:
            scope.returned = True

    def do_Raise(self, node: ast.Raise, scope: Scope) -> None:
        scope.stopped = scope.exited = True

    def do_Break(self, node: ast.stmt, scope: Scope) -> None:
        scope.stopped = True

    do_Continue = do_Break

    def do_Global(self, node: ast.Global, scope: Scope) -> None:
        scope.global_names.update(node.names)

    def do_Delete(self, node: ast.Delete, scope: Scope) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                scope.set(target.id, UNKNOWN)

    # --- functions -----------------------------------------------------------------------------
    def call_function(
        self,
        fn: Function,
        args: list[Any],
        kwargs: dict[str, Any],
        opaque: bool = False,
        outside: bool = False,
    ) -> Any:
        if self.depth >= MAX_DEPTH or id(fn.node) in self.active:
            return UNKNOWN
        self.step()
        if not outside:
            self.called.add(id(fn.node))
        scope = Scope(parent=fn.scope, module=fn.scope.module)
        scope.function = fn.name
        bind_arguments(fn, scope, args, kwargs, unknown=opaque or outside)
        self.active.add(id(fn.node))
        self.depth += 1
        method = fn.owner in ("layer", "model")
        self.in_class += method
        policy = self.policy
        if outside and fn.policy != policy:
            # called by code outside the file (a tuner, a framework) at some time between its
            # definition and the end, while the policy changed: which one applies is unknown
            self.policy = None
        try:
            if isinstance(fn.node, ast.Lambda):
                return self.ev(fn.node.body, scope)
            self.block(fn.node.body, scope)
        finally:
            self.depth -= 1
            self.in_class -= method
            if outside:
                self.policy = policy
            self.active.discard(id(fn.node))
        results = scope.results + ([] if scope.returned else [None])
        first = results[0]
        return first if all(first is r or same(first, r) for r in results[1:]) else UNKNOWN

