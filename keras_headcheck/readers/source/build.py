"""Walk the model configs entries.py builds from the models the interpreter found with
readers/graph.py (the walk saved files use), and describe each output as a Head with its source
lines.

A source file often gives no input shape (`Sequential([Dense(64), Dense(1)])`). Such layers get an
input of unknown size and rank two; their sizes along the last axis (units, filters) stay exact,
and where an axis position would depend on the true rank (channels_first, `axis=1`, Permute) the
shape is dropped, so rules that need it do not fire rather than guess.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterator, Optional

from ...head import Head, Link, Source
from ..compiled import bind_losses, bind_metrics
from ..graph import ConfigError, Graph
from ..operands import SOURCE_CONSTANT, SOURCE_WEIGHT
from .entries import UNKNOWN_RANK, Entries
from .fits import fit_spans, head_targets
from .unknowns import MAX_CONDITIONS, conditions, resolve
from .values import Compile, Model, Span


class SourceGraph(Graph):
    """The shared graph, with an input of unknown rank for layers whose input shape is unknown."""

    def __init__(self, entries: Entries) -> None:
        super().__init__()
        self.entries = entries
        self.uncertain: set[int] = set()  # nodes whose rank is not known
        self.moved: set[int] = set()  # ... and whose axis positions may not mean what they say

    def add(
        self, name: str, entry: dict[str, Any], inputs: list[int], kwargs: dict[str, Any]
    ) -> int:
        config: dict[str, Any] = entry["config"] if isinstance(entry.get("config"), dict) else {}
        blind = (
            entry.get("class_name") not in SIZED
            and len(inputs) <= 1
            and all(self.nodes[i].shape is None for i in inputs)
        )
        if blind:
            entry = {**entry, "build_config": {"input_shape": list(UNKNOWN_RANK)}}
        key = super().add(name, entry, inputs, kwargs)
        uncertain = (
            blind
            or id(config) in self.entries.unknown_rank
            or any(i in self.uncertain for i in inputs)
        )
        if uncertain:
            self.uncertain.add(key)
            own_last = entry.get("class_name") in OWN_LAST_AXIS
            if _positional(entry, config, kwargs) or (
                not own_last and any(i in self.moved for i in inputs)
            ):
                self.moved.add(key)
            if entry.get("class_name") in RANK_SIZED:
                node = self.nodes[key]
                node.shape = _rank_sized(node.shape, config.get("target_shape"))
        return key

    def chain(self, key: int) -> tuple[Link, ...]:
        by_name = {node.name: node.key for node in self.nodes}
        return tuple(self._trusted(link, by_name.get(link.name)) for link in super().chain(key))

    def _trusted(self, link: Link, key: Optional[int]) -> Link:
        if key is None or key not in self.uncertain:
            return link
        explicit = any(axis is not None and axis >= 0 for axis in (link.axis, link.class_axis))
        return replace(link, shape=None) if explicit or key in self.moved else link


# Nodes whose shape is their own, whatever feeds them: inputs, and a weight's or a number's.
SIZED = frozenset({"InputLayer", SOURCE_WEIGHT, SOURCE_CONSTANT})
# Layers that put their own size on the last axis, whatever the rank and order of their input's:
# after them the last axis means what it says again (a positive axis still does not).
OWN_LAST_AXIS = frozenset({"Dense", "Embedding", "SimpleRNN", "LSTM", "GRU"})
# Layers whose output sizes multiply the input's axes: over an input of unknown rank (a tensor
# from a backbone or op the reader cannot see, or no input shape) those sizes are unknown too.
RANK_SIZED = frozenset({"Flatten", "Reshape"})


def _rank_sized(shape: Any, target: Any) -> Any:
    """Flatten: (batch, ?); Reshape: its -1 axis unknown (the others are the target's own)."""
    if shape is None:
        return None
    if not isinstance(target, list):  # Flatten
        return (shape[0], None)
    return (shape[0], *(None if t == -1 else d for t, d in zip(target, shape[1:])))


def _positional(entry: dict[str, Any], config: dict[str, Any], kwargs: dict[str, Any]) -> bool:
    """Whether a layer uses axis positions that depend on the (unknown) rank."""
    if config.get("data_format") == "channels_first" or entry.get("class_name") in (
        "Permute",
        "Transpose",
    ):
        return True
    axis = config.get("axis", kwargs.get("axis"))
    return isinstance(axis, int) and axis >= 0


# --- heads ---------------------------------------------------------------------------------------
def model_heads(model: Model, filename: str, lines: Any) -> Iterator[Head]:
    """One Head per output, for each `compile` of the model (or once, uncompiled)."""
    compiles: list[Optional[Compile]] = list(model.checked_compiles()) or [None]
    for number, compiled in enumerate(compiles):
        if compiled is not None and any(compiled.same_as(c) for c in compiles[:number] if c):
            continue  # a loop compiling it again, the same way: one head to check
        layers = compiled.layers if compiled is not None and model.kind == "sequential" else None
        if model.kind == "sequential" and not (model.layers if layers is None else layers):
            continue  # compiled before it received a layer
        entries = Entries()
        entry = entries.model(model, 0, layers)
        tests = conditions(entry, *((compiled.loss, compiled.metrics) if compiled else ()))
        tests += [test for test in entries.tests if test not in tests]
        if not tests:
            yield from _compiled_heads(model, compiled, entries, entry, filename, lines)
            continue
        worlds = [{tests[0]: True}, {tests[0]: False}] if len(tests) <= MAX_CONDITIONS else [{}]
        # a list of losses is written one per output: the outcome it was written for has as many
        worlds = [w for w in worlds if _fits(model, compiled, w)] or worlds
        built: list[tuple[Optional[str], list[Head]]] = []
        for world in worlds:  # the head as each outcome of the test builds it: checked apiece
            entries = Entries(world)
            entry = entries.model(model, 0, layers)
            chosen = replace(compiled, loss=resolve(compiled.loss, world),
                             metrics=resolve(compiled.metrics, world)) if compiled else None
            when = ", ".join(f"`{test}`" if outcome else f"not `{test}`"
                             for test, outcome in world.items()) or None
            heads = list(_compiled_heads(model, chosen, entries, entry, filename, lines, compiled))
            built.append((when, heads))
        if all(heads == built[0][1] for _, heads in built):  # the test changes nothing checked
            built = [(None, built[0][1])]
        for when, heads in built:
            for head in heads:
                yield replace(head, source=replace(head.source, when=when))


def _fits(model: Model, compiled: Optional[Compile], world: dict[str, bool]) -> bool:
    """Whether a list of losses has one loss per output of the model, as the outcomes in
    `world` build it (Keras 3's `fit` fails on targets for outputs the model does not have)."""
    loss = resolve(compiled.loss, world) if compiled else None
    if model.kind != "functional" or not isinstance(loss, list):
        return True
    outputs = resolve(model.outputs, world)
    return len(loss) == (len(outputs) if isinstance(outputs, (list, tuple, dict)) else 1)


def _compiled_heads(
    model: Model,
    compiled: Optional[Compile],
    entries: Entries,
    entry: dict[str, Any],
    filename: str,
    lines: Any,
    original: Optional[Compile] = None,
) -> Iterator[Head]:
    """The heads of one compile of `model` (`original`: the compile as written, when `compiled`
    is it with a run-time test's outcome chosen)."""
    original = original or compiled
    graph = SourceGraph(entries)
    what, where = model.what or "unknown model", model.span
    try:
        outputs = graph.build(entry, "", None) if "layers" in entry["config"] else []
    except ConfigError as exc:
        graph, outputs = SourceGraph(entries), []
        what, where = _not_followed(exc, entries, model)
    if not outputs:  # an opaque model, or one the graph cannot follow: one output, unknown
        opaque = entries.unknown(model.name, what, where)
        outputs = [(model.name, graph.add(model.name, opaque, [], {}))]
    names = [name for name, _ in outputs]
    losses = bind_losses(compiled.loss if compiled else None, names)
    metrics = bind_metrics(compiled.metrics if compiled else None, names)
    # the position of the compile among the model's, which its `fit` calls refer to
    index = next((i for i, c in enumerate(model.compiles) if c is original), None)
    for position, ((name, key), loss, metric) in enumerate(zip(outputs, losses, metrics)):
        head = Head(output=name, chain=graph.chain(key), loss=loss, metrics=metric)
        source = _source(head, graph, entries, compiled, filename, lines, model.span)
        targets = head_targets(model, index, name, position, len(outputs))
        if targets:  # a `# headcheck: ignore[...]` on the `fit` line counts too
            fits = lines.suppressed(fit_spans(model, index))
            source = replace(source, suppressed=tuple(dict.fromkeys(source.suppressed + fits)))
        source = replace(source, model=model.variable or model.name, position=position)
        yield replace(head, source=source, targets=targets)


def _not_followed(exc: ConfigError, entries: Entries, model: Model) -> tuple[str, Span]:
    """Why the graph of `model` could not be built, in the user's terms, and the line to show:
    the first layer whose call could not be connected to its inputs, or the bound it went over."""
    for name in exc.layers:
        where = entries.spans.get(name.split("#")[0])
        if where is not None and where.first:
            return f"the call of `{name}` could not be connected to its inputs", where
    return f"cannot follow the model: {exc}", model.span


def _source(
    head: Head,
    graph: SourceGraph,
    entries: Entries,
    compiled: Optional[Compile],
    filename: str,
    lines: Any,
    model_span: Span,
) -> Source:
    config_of = {node.name: id(node.config) for node in graph.nodes}
    spans: dict[str, Span] = {}
    for link in head.chain:
        origin = entries.origin.get(config_of.get(link.name, -1))
        if origin is not None and origin[1].first:
            spans[link.name] = origin[1]
    layer_span = spans.get(head.layer) or model_span
    compile_span = compiled.span if compiled is not None else None
    suppressed = lines.suppressed([*spans.values(), *([compile_span] if compile_span else [])])
    return Source(
        filename,
        line=layer_span.first,
        compile_line=compile_span.first if compile_span else None,
        layer_lines=tuple((name, s.first) for name, s in spans.items()),
        suppressed=suppressed,
        cells=lines.cells,
    )


def reported(models: list[Model]) -> Iterator[Model]:
    """Models worth a report: the ones not only used inside another model (or trained alone)."""
    for model in models:
        if (
            model.kind == "sequential"
            and not model.layers
            and not any(c.layers for c in model.compiles)
        ):
            continue  # never received a layer: nothing to check
        if model.nested and not model.trained:
            continue  # a block of another model (checked as part of it), never trained alone
        if model.compiles or model.kind not in ("opaque", "loaded"):
            yield model
