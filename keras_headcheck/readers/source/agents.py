"""keras-rl's agents (knowledge/keras_rl.py): `agent.compile(optimizer, metrics=[...])` compiles
the model the agent was built with, with the Huber loss the agent trains its Q-values with, and
`agent.fit(env, ...)` trains it. The compile keeps its line and metrics, so findings point there
as for the model's own compile."""

from __future__ import annotations

import ast
from typing import Any

from ...knowledge.keras_rl import LOSS
from .static import span
from .values import UNKNOWN, Compile, Model

AGENT_METHODS = frozenset({"compile", "fit"})


def agent_call(reader: Any, model: Model, name: str, node: ast.Call, scope: Any) -> Any:
    """`agent.compile(...)` or `agent.fit(...)` on the agent training `model`."""
    if name == "compile":  # `compile(optimizer, metrics=[])`: read as Keras's compile reads them
        given = {k.arg: k.value for k in node.keywords if k.arg}
        metrics = given.get("metrics", node.args[1] if len(node.args) > 1 else None)
        model.compiles.append(Compile(
            LOSS, reader.compile_value(metrics, scope, "metrics") if metrics else None,
            span(node), tuple(model.layers), len(reader.forks)))
        return None
    reader.arguments(node, scope)
    model.mark_trained(len(reader.forks))
    return UNKNOWN
