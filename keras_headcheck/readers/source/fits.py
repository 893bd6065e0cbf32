"""`model.fit(...)`: which labels each call trains on, kept on the model until its heads are built.

The labels of `fit(x, y)`, `fit(dataset)`, `fit(generator)` and of `validation_data` are the
target facts of the heads of the `compile` that came before the call; the target rules run on
them and report at the `fit` line.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import Any, Optional

from ...targets import TargetSummary
from .labels import Batches, Labels
from .values import Model, Span

FIT_METHODS = frozenset({"fit", "fit_generator"})


@dataclass(frozen=True)
class Fit:
    compile_index: int  # the compile of the model in force at the call
    labels: tuple[Any, ...]  # per set of targets: Labels, a dict/list of Labels, or UNKNOWN
    span: Span
    validation: int = -1  # the position in `labels` of the validation labels, if any


def record_fit(model: Model, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> None:
    if not model.compiles:
        return  # fit before compile fails in Keras: nothing to check against
    if model.kind == "opaque" and not model.what.startswith("keras.applications"):
        return  # a subclassed or loaded model may train on its targets in its own way
    if model.own_labels:
        return  # its train_step applies the loss to labels of its own making
    found: list[Any] = []
    x = args[0] if args else kwargs.get("x")
    y = args[1] if len(args) > 1 else kwargs.get("y")
    if y is not None:
        found.append(y)
    elif isinstance(x, Batches) and x.batched:
        found.append(x.y)
    validation = kwargs.get("validation_data")
    position = len(found)
    if isinstance(validation, (tuple, list)) and len(validation) in (2, 3):
        found.append(validation[1])
    elif isinstance(validation, Batches) and validation.batched:
        found.append(validation.y)
    where = Span(node.lineno, node.end_lineno or node.lineno)
    model.fits.append(Fit(len(model.compiles) - 1, tuple(found), where, position))


def head_targets(
    model: Model, compile_index: Optional[int], output: str, position: int, outputs: int
) -> tuple[TargetSummary, ...]:
    """The target facts of one output, from every `fit` after the compile `compile_index`."""
    facts: list[TargetSummary] = []
    for fit in model.fits:
        if fit.compile_index != compile_index:
            continue
        for number, y in enumerate(fit.labels):
            labels = _for_output(y, output, position, outputs)
            if labels is None:
                continue
            where = labels.provenance + (" in `validation_data`" if number == fit.validation else "")
            facts.append(replace(labels.facts, source=where, line=fit.span.first))
    return tuple(facts)


def fit_spans(model: Model, compile_index: Optional[int]) -> list[Span]:
    return [fit.span for fit in model.fits if fit.compile_index == compile_index]


def _for_output(y: Any, output: str, position: int, outputs: int) -> Optional[Labels]:
    if isinstance(y, Labels):
        return y if outputs == 1 else None
    if isinstance(y, dict):
        found = y.get(output)
        return found if isinstance(found, Labels) else None
    if isinstance(y, (list, tuple)) and len(y) == outputs:
        found = y[position]
        return found if isinstance(found, Labels) else None
    return None
