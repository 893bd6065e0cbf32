"""Branches and loops whose outcome is not known: every path runs from the same state, then only
what all paths agree on stays known, and a model or list changed inside gets a placeholder."""

from __future__ import annotations

import ast
from typing import Any, Optional

from .calls import Calls
from .scopes import Fork, Scope, merge
from .static import span, truth
from .values import UNKNOWN, Model, Mutable, Placeholder, Span

MAX_UNROLLED = 32  # longer loops are read once, their targets unknown (a fork)
MAX_UNROLLED_RUNS = 512  # runs of unrolled loop bodies per file: nested loops multiply


class Branches(Calls):
    forks: list[Fork]
    unrolled: int  # loop bodies run once per element so far in the file (Interpreter sets it)

    def block(self, statements: list[ast.stmt], scope: Scope) -> None:  # pragma: no cover
        raise NotImplementedError

    def fork(
        self, scope: Scope, paths: list[list[Any]], where: Span, why: str,
        test: Optional[ast.expr] = None,
    ) -> None:
        """Run each path from the same state; afterwards only what all paths agree on is known
        (or, for the two paths of an `if` on `test`, chosen by it: a Choice)."""
        start, start_module = dict(scope.vars), dict(scope.module.vars)
        fork = Fork(where, why)
        self.forks.append(fork)
        scope.fork_depth += 1
        ends: list[tuple[dict[str, Any], dict[str, Any]]] = []
        try:
            for path in paths:
                scope.vars = dict(start)
                if scope.module is not scope:
                    scope.module.vars = dict(start_module)
                fork.restore()
                self.path(path, scope)
                if not scope.exited:
                    ends.append((scope.vars, scope.module.vars))
                scope.stopped = scope.exited = False
        finally:
            scope.fork_depth -= 1
            self.forks.pop()
        fork.restore()
        for obj, _ in fork.saved.values():
            self.touch(obj)  # the enclosing fork saves the state from before this one
            obj_layers = obj.layers if isinstance(obj, Model) else obj
            obj_layers.append(Placeholder(where, f"layers added in {why}"))
        if not ends:  # every path returned or raised
            scope.vars, scope.stopped, scope.exited = start, True, True
            if scope.module is not scope:
                scope.module.vars = start_module
            return
        test = test if len(ends) == len(paths) else None  # a path that returned chose nothing
        raises = not scope.module.stars and not scope.is_class  # no other binding to fall back on
        scope.vars = merge([end[0] for end in ends], test, raises)
        if scope.module is not scope:
            scope.module.vars = merge([end[1] for end in ends], test, raises)

    def path(self, path: list[Any], scope: Scope) -> None:
        for item in path:
            if scope.stopped:
                return
            if callable(item):
                item()
            else:
                self.block([item], scope)

    def touch(self, obj: Any) -> None:
        """Save an object's state before a branch or loop changes it."""
        if not self.forks:
            return
        fork = self.forks[-1]
        if isinstance(obj, Mutable) and obj.birth > fork.birth:
            return  # created inside this branch
        if id(obj) not in fork.saved:
            fork.saved[id(obj)] = (obj, obj.snapshot() if isinstance(obj, Model) else list(obj))

    def unrolls(self, values: Any, body: list[Any]) -> bool:
        """Whether a loop over `values` is run once per element (and charged for it): a short list
        or tuple of known values, a body with no `break` or `continue`, runs left in the file's
        allowance (nested loops multiply)."""
        if not isinstance(values, (list, tuple)) or not 0 < len(values) <= MAX_UNROLLED:
            return False
        if any(isinstance(v, Placeholder) for v in values):
            return False
        if any(isinstance(n, (ast.Break, ast.Continue)) for part in body for n in ast.walk(part)):
            return False
        if self.unrolled + len(values) > MAX_UNROLLED_RUNS:
            return False
        self.unrolled += len(values)
        return True

    def comprehension(self, node: Any, scope: Scope) -> Any:
        inner = Scope(parent=scope, module=scope.module)
        first = self.ev(node.generators[0].iter, scope)  # once, as Python does: it may make layers
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            known = self._each(node, first, scope)
            if known is not None:
                return known

        def body() -> None:
            for index, generator in enumerate(node.generators):
                if index:
                    self.ev(generator.iter, inner)
                self.bind(generator.target, UNKNOWN, inner)
            for part in ("elt", "key", "value"):
                if hasattr(node, part):
                    self.ev(getattr(node, part), inner)

        self.fork(scope, [[body], []], span(node), "a loop")
        return [Placeholder(span(node), "layers from a comprehension")]

    def _each(self, node: ast.ListComp | ast.GeneratorExp, values: Any, scope: Scope) -> Any:
        """`[layers.Dense(64) for _ in range(3)]`: one generator over known values (`values`, its
        iterable's), run for each as Python runs it, its conditions known; None when it cannot be
        (read as a loop)."""
        if len(node.generators) != 1 or node.generators[0].is_async:
            return None
        generator = node.generators[0]
        if not self.unrolls(values, [ast.Expr(node.elt), *(ast.Expr(c) for c in generator.ifs)]):
            return None
        scopes = []
        for value in list(values):
            inner = Scope(parent=scope, module=scope.module)
            self.bind(generator.target, value, inner)
            kept = [truth(self.ev(condition, inner)) for condition in generator.ifs]
            if None in kept:
                return None  # a condition known only at run time: read as a loop
            if all(kept):
                scopes.append(inner)
        return [self.ev(node.elt, inner) for inner in scopes]
