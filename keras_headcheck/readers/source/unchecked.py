"""The compiles of a source that are deliberately not checked, each with why (never silent).

RULES.md reads a source in program order: a model is checked with the compile in force when it is
trained (or its last one), and a model only used inside another model, never trained by itself,
is checked as part of that model. Every other `compile` call is recorded here, so `--show-heads`
(and benchmarks/realworld.py) account for it instead of passing over it in silence.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Optional

from ...head import Source, Unchecked
from .predict_only import ONLY_PREDICTED, only_predicted
from .values import Compile, Model, Span

NESTED = "only used inside another model and never trained by itself: checked as part of that model"
NO_LAYERS = "compiled before the model received a layer"


def unchecked_compiles(
    models: Iterable[Model], reported: Iterable[Model], filename: str, lines: Any,
    skipped: Iterable[tuple[Span, str, str]] = (),
    delegated: Iterable[tuple[Span, str, str, tuple[int, ...]]] = (),
) -> tuple[Unchecked, ...]:
    """Every compile of `models` that no head is bound to; `reported` are the models whose
    heads were read (the others are checked as part of another model, or hold no layer);
    `skipped`, the compiles in branches that do not run: (where, the model as written, why);
    `delegated`, the calls of a plain class's own `compile` method: (where, the receiver as
    written, the class, the lines of the Keras compiles it ran)."""
    shown = {id(model) for model in reported}
    place = Source(filename, cells=lines.cells)
    found: list[Unchecked] = []
    for model in models:
        whys = _reasons(model, id(model) in shown, place)
        found.extend(_record(c.span, model.variable or model.name, why, place) for c, why in whys)
    found.extend(_record(where, model, why, place) for where, model, why in skipped)
    found.extend(_record(where, receiver, _delegated(cls, ran, place), place)
                 for where, receiver, cls, ran in delegated)  # fmt: skip
    return tuple(found)


def _delegated(cls: str, ran: tuple[int, ...], place: Source) -> str:
    own = f"`{cls}.compile` is a method of the code's own class, not Keras's compile"
    if not ran:
        return f"{own}, and it compiles no model the reader sees"
    where = ", ".join(_where(place, line) for line in ran)
    return f"{own}: the compile it runs ({where}) is checked there"


def _reasons(model: Model, reported: bool, place: Source) -> Iterator[tuple[Compile, str]]:
    if model.kind == "loaded":  # its heads are bound to every compile (outside.py)
        return
    if not reported:
        for compiled in model.compiles:
            yield compiled, NESTED if model.nested and not model.trained else NO_LAYERS
        return
    if only_predicted(model):  # its head is checked uncompiled
        yield from ((compiled, ONLY_PREDICTED) for compiled in model.compiles)
        return
    checked = {id(c) for c in model.checked_compiles()}
    for index, compiled in enumerate(model.compiles):
        if compiled is model.carried:  # the compile of the model it saved: reported there
            continue
        if id(compiled) not in checked:
            again = f"compiled again at {_where(place, model.compiles[index + 1].span.first)}"
            if model.trained_upto > index:  # trained after it, once compiled again
                yield compiled, f"{again} before it was trained"
            else:  # the last compile is always checked
                yield compiled, f"{again} and not trained in between: its last compile is checked"
        elif model.kind == "sequential" and not compiled.layers:
            yield compiled, NO_LAYERS


def _where(place: Source, line: int) -> str:
    found: Optional[tuple[int, int]] = place.cell_of(line) if place.cells else None
    return f"cell {found[0]}, line {found[1]}" if found else f"line {line}"


def _record(where: Span, model: str, why: str, place: Source) -> Unchecked:
    line = where.first
    found = place.cell_of(line) if place.cells else None
    cell, line = (found[0], found[1]) if found else (None, line)
    return Unchecked(place.filename, line, cell, model, why)
