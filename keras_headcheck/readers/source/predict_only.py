"""A model compiled only to predict: its loss is never used, so its compile is not checked (its
head is, as a model never compiled: softmax over one unit predicts 1.0 all the same).

Keras 1 would not `predict` with a model that was not compiled, and code written for it (and
copied since) compiles a generator or a truncated feature extractor with a placeholder loss
before calling `predict` on it. When the file shows the model's whole life, no `fit`, `evaluate`
or `train_on_batch` anywhere, that compile's loss never runs, and a finding about it would be a
false alarm; it is reported as not checked instead (unchecked.py), never passed over in silence.

"The file shows the model's whole life" is read from the syntax, conservatively: the receiver of
`m.compile(...)` is a plain name, and every use of that name in the function (or module) compiling
it is an attribute of it (`m.predict`, `m.layers`, `m.summary()`) or a call of it (`m(x)`). A name
passed to a call, returned, stored, put in a list or saved (`m.save`) may be trained where the
reader cannot see, and keeps its compile checked.
"""

from __future__ import annotations

import ast
from typing import Any, Iterator, Union

PREDICT_METHODS = frozenset({"predict", "predict_on_batch", "predict_generator"})
ONLY_PREDICTED = ("compiled, then only used to predict, never fit or evaluated: its loss is "
                  "never used")
HANDING_ON = frozenset({"save", "export"})  # a saved model carries its compile elsewhere

ScopeNode = Union[ast.Module, ast.FunctionDef, ast.AsyncFunctionDef]


def kept_compiles(tree: ast.Module) -> set[int]:
    """The ids of the `name.compile(...)` calls of `tree` whose model stays in its scope."""
    kept: set[int] = set()
    for scope in _scopes(tree):
        compiles = [c for c in _own_calls(scope) if _compiled_name(c) is not None]
        handed = _handed_on(scope, {_compiled_name(c) for c in compiles})  # type: ignore[misc]
        kept.update(id(c) for c in compiles if _compiled_name(c) not in handed)
    return kept


def only_predicted(model: Any) -> bool:
    """A model whose compiles all stay in their scope, predicted and never trained."""
    return (model.predicted and not model.trained and not model.handed_on and bool(model.compiles)
            and model.kind != "loaded")  # fmt: skip


def _scopes(tree: ast.Module) -> Iterator[ScopeNode]:
    yield tree
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _own_calls(scope: ScopeNode) -> Iterator[ast.Call]:
    """The calls of a scope outside the functions and classes defined in it."""
    pending: list[ast.AST] = list(scope.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Call):
            yield node
        pending.extend(ast.iter_child_nodes(node))


def _compiled_name(call: ast.Call) -> "str | None":
    func = call.func
    if (isinstance(func, ast.Attribute) and func.attr == "compile"
            and isinstance(func.value, ast.Name)):  # fmt: skip
        return func.value.id
    return None


def _handed_on(scope: ScopeNode, names: set[str]) -> set[str]:
    """Of `names`, the ones used in `scope` (nested functions too) other than through an
    attribute or as the function of a call, or declared global/nonlocal there."""
    if not names:
        return set()
    parents = {id(child): node for node in ast.walk(scope) for child in ast.iter_child_nodes(node)}
    handed: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            handed.update(names.intersection(node.names))
        if not (isinstance(node, ast.Name) and node.id in names
                and isinstance(node.ctx, ast.Load)):  # fmt: skip
            continue
        parent = parents.get(id(node))
        if isinstance(parent, ast.Attribute) and parent.attr not in HANDING_ON:
            continue
        if isinstance(parent, ast.Call) and parent.func is node:
            continue
        handed.add(node.id)
    return handed
