"""The statements of the interpreter (interpreter.py): binding names and targets, imports,
assignments, branches and loops, definitions; each `do_<Statement>` runs one statement."""

from __future__ import annotations

import ast
from typing import Any, Optional

from .arguments import activation_config
from .branches import Branches
from .compile_sites import dead_compiles
from .labels import Labels, arithmetic
from .plain_classes import plain
from .scopes import Scope, class_kind
from .static import arith, dotted_name, span, truth
from .values import (
    UNKNOWN,
    Function,
    Layer,
    LocalClass,
    Model,
    Placeholder,
    Ref,
    Span,
    Tensor,
)


class Statements(Branches):
    """Statement handlers; Interpreter supplies the state below and runs the blocks."""

    functions: list[Function]
    skipped: list[tuple[Span, str, str]]  # compiles in branches that do not run
    policy: Optional[str]

    def import_local(self, node: ast.ImportFrom, scope: Scope) -> None:  # pragma: no cover
        raise NotImplementedError  # provided by Outside

    def import_module(self, node: ast.Import, scope: Scope) -> None:  # pragma: no cover
        raise NotImplementedError  # provided by Outside

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
        self.import_module(node, scope)

    def do_ImportFrom(self, node: ast.ImportFrom, scope: Scope) -> None:
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":  # looked up when a name is not bound (interpreter.lookup)
                scope.module.stars.append(module)
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
            self.fork(scope, [node.body, node.orelse], span(node), "a branch", node.test)

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
        cls = LocalClass(node.name, kind, namespace=body.vars, bases=bases, node=node)
        if plain(cls):
            self.plain_classes.append(cls)
        scope.set(node.name, cls)

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
