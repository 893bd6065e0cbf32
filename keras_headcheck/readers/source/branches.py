"""Branches and loops whose outcome is not known: every path runs from the same state, then only
what all paths agree on stays known, and a model or list changed inside gets a placeholder."""

from __future__ import annotations

import ast
from typing import Any

from .calls import Calls
from .expressions import span
from .scopes import Fork, Scope, merge
from .values import UNKNOWN, Model, Mutable, Placeholder, Span


class Branches(Calls):
    forks: list[Fork]

    def block(self, statements: list[ast.stmt], scope: Scope) -> None:  # pragma: no cover
        raise NotImplementedError

    def fork(self, scope: Scope, paths: list[list[Any]], where: Span, why: str) -> None:
        """Run each path from the same state; afterwards only what all paths agree on is known."""
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
        scope.vars = merge([end[0] for end in ends])
        if scope.module is not scope:
            scope.module.vars = merge([end[1] for end in ends])

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

    def comprehension(self, node: Any, scope: Scope) -> Any:
        inner = Scope(parent=scope, module=scope.module)

        def body() -> None:
            for generator in node.generators:
                self.ev(generator.iter, inner)
                self.bind(generator.target, UNKNOWN, inner)
            for part in ("elt", "key", "value"):
                if hasattr(node, part):
                    self.ev(getattr(node, part), inner)

        self.fork(scope, [[body], []], span(node), "a loop")
        return [Placeholder(span(node), "layers from a comprehension")]
