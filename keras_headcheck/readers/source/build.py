"""Turn the models the interpreter found into model configs, walk them with readers/graph.py (the
walk saved files use), and describe each output as a Head with its source lines.

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
from ..layers import input_layer_shape
from .fits import fit_spans, head_targets
from .values import Compile, Layer, Model, Placeholder, Span, Tensor

UNKNOWN_RANK = [None, None]
MAX_NESTING = 32


class Entries:
    """Builds config entries; remembers which source object each config dict came from."""

    def __init__(self) -> None:
        self.origin: dict[int, tuple[Any, Span]] = {}  # id(config dict) -> (object, source span)
        self.unknown_rank: set[int] = set()  # id(config) of inputs whose rank is not known
        self.count = 0

    def fresh(self, base: str) -> str:
        self.count += 1
        return f"{base}_{self.count}"

    def _config(self, obj: Any, where: Span, config: dict[str, Any]) -> dict[str, Any]:
        self.origin[id(config)] = (obj, where)
        return config

    def layer(self, layer: Layer) -> dict[str, Any]:
        class_name = (
            layer.class_name if layer.opaque is None else f"{layer.class_name}({layer.opaque})"
        )
        config = self._config(layer, layer.span, {**layer.config, "name": layer.name})
        if layer.class_name == "InputLayer" and input_layer_shape(config) is None:
            config["batch_shape"] = list(UNKNOWN_RANK)
            self.unknown_rank.add(id(config))
        return {
            "class_name": class_name,
            "name": layer.name,
            "module": layer.module,
            "config": config,
        }

    def unknown(self, name: str, why: str, where: Span) -> dict[str, Any]:
        config = self._config(None, where, {"name": name})
        return {"class_name": why, "name": name, "module": "<unknown>", "config": config}

    def item(self, value: Any, depth: int) -> dict[str, Any]:
        """A Sequential element."""
        if isinstance(value, Layer):
            return self.layer(value)
        if isinstance(value, Model):
            return self.model(value, depth + 1)
        placeholder = (
            value if isinstance(value, Placeholder) else Placeholder(Span(0, 0), "unknown")
        )
        name = self.fresh(placeholder.why.replace(" ", "_"))
        return self.unknown(name, placeholder.why, placeholder.span)

    def model(
        self, model: Model, depth: int = 0, layers: Optional[tuple[Any, ...]] = None
    ) -> dict[str, Any]:
        if depth > MAX_NESTING or model.kind in ("opaque", "loaded"):
            return self.unknown(model.name, model.what or "unknown model", model.span)
        if model.kind == "sequential":
            items = list(layers if layers is not None else model.layers)
            config: dict[str, Any] = {
                "name": model.name,
                "layers": [self.item(x, depth) for x in items],
            }
            if isinstance(model.input_shape, list):
                config["build_input_shape"] = model.input_shape
            return {
                "class_name": "Sequential",
                "name": model.name,
                "config": self._config(model, model.span, config),
            }
        return self.functional(model, depth)

    # --- functional models ---------------------------------------------------------------------
    def functional(self, model: Model, depth: int) -> dict[str, Any]:
        """Each call of a layer becomes its own entry ("dense", "dense#1"...) with one inbound node,
        named as graph.py names the nodes of a shared layer."""
        calls = _reachable(model, self, depth)  # (source, call number) -> its entry
        layers: list[dict[str, Any]] = []

        def ref(tensor: Any) -> list[Any]:
            if not isinstance(tensor, Tensor):
                entry = self.unknown(self.fresh("unknown_tensor"), "unknown tensor", model.span)
                layers.append({**entry, "inbound_nodes": []})
                return [entry["name"], 0, 0]
            entry = calls[(tensor.source, tensor.node)]
            return [entry["name"], 1 if entry["class_name"] == "Functional" else 0, tensor.index]

        for (source, node), entry in calls.items():
            inputs, kwargs = source.nodes[node]
            is_input = isinstance(source, Layer) and source.class_name == "InputLayer"
            nodes = (
                [] if is_input else [{"args": [_history(ref(x)) for x in inputs], "kwargs": kwargs}]
            )
            layers.append({**entry, "inbound_nodes": nodes})
        outputs = model.outputs
        if isinstance(outputs, dict):
            output_layers: Any = {str(k): ref(v) for k, v in outputs.items()}
        elif isinstance(outputs, (list, tuple)):
            output_layers = [ref(v) for v in outputs]
        else:
            output_layers = [ref(outputs)]
        inputs = (
            model.inputs
            if isinstance(model.inputs, (list, tuple))
            else (list(model.inputs.values()) if isinstance(model.inputs, dict) else [model.inputs])
        )
        for x in inputs:  # an input no output uses keeps its place: `call(self, targets, logits)`
            if _unused_input(x, calls):
                calls[(x.source, x.node)] = entry = self.call_entry(x.source, x.node, depth)
                layers.append({**entry, "inbound_nodes": []})
        input_layers = [
            ref(x) for x in inputs if isinstance(x, Tensor) and (x.source, x.node) in calls
        ]
        config = {
            "name": model.name,
            "layers": layers,
            "input_layers": input_layers,
            "output_layers": output_layers,
        }
        return {
            "class_name": "Functional",
            "name": model.name,
            "config": self._config(model, model.span, config),
        }

    def call_entry(self, source: Any, node: int, depth: int) -> dict[str, Any]:
        entry = self.model(source, depth + 1) if isinstance(source, Model) else self.layer(source)
        if node:
            entry["name"] = f"{entry['name']}#{node}"
            if isinstance(source, Layer):
                entry["config"] = self._config(
                    source, source.span, {**entry["config"], "name": entry["name"]}
                )
        return entry


def _reachable(model: Model, entries: Entries, depth: int) -> dict[tuple[Any, int], dict[str, Any]]:
    """An entry for every (layer or model, call number) the outputs depend on, inputs first."""
    outputs = model.outputs
    values = (
        list(outputs.values())
        if isinstance(outputs, dict)
        else (list(outputs) if isinstance(outputs, (list, tuple)) else [outputs])
    )
    stack: list[tuple[Tensor, bool]] = [
        (v, False) for v in reversed(values) if isinstance(v, Tensor)
    ]
    calls: dict[tuple[Any, int], dict[str, Any]] = {}
    seen: set[tuple[Any, int]] = set()
    while stack:  # depth-first, post-order: a call's inputs are listed before the call
        tensor, expanded = stack.pop()
        key = (tensor.source, tensor.node)
        if expanded:
            calls.setdefault(key, entries.call_entry(tensor.source, tensor.node, depth))
        elif key not in seen:
            seen.add(key)
            stack.append((tensor, True))
            inputs = tensor.source.nodes[tensor.node][0]
            stack.extend((x, False) for x in reversed(inputs) if isinstance(x, Tensor))
    return calls


def _unused_input(value: Any, calls: dict[tuple[Any, int], Any]) -> bool:
    source = value.source if isinstance(value, Tensor) else None
    return (isinstance(source, Layer) and source.class_name == "InputLayer"
            and (source, value.node) not in calls)


def _history(ref: list[Any]) -> dict[str, Any]:
    return {"class_name": "__keras_tensor__", "config": {"keras_history": ref}}


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
            entry.get("class_name") != "InputLayer"
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
            if _positional(entry, config, kwargs) or any(i in self.moved for i in inputs):
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
    for compiled in compiles:
        entries = Entries()
        layers = compiled.layers if compiled is not None and model.kind == "sequential" else None
        if model.kind == "sequential" and not (model.layers if layers is None else layers):
            continue  # compiled before it received a layer
        entry = entries.model(model, 0, layers)
        graph = SourceGraph(entries)
        try:
            outputs = graph.build(entry, "", None) if "layers" in entry["config"] else []
        except ConfigError:
            graph, outputs = SourceGraph(entries), []
        if not outputs:  # an opaque model, or one the graph cannot follow: one output, unknown
            opaque = entries.unknown(
                model.name, model.what or "model that cannot be followed", model.span
            )
            outputs = [(model.name, graph.add(model.name, opaque, [], {}))]
        names = [name for name, _ in outputs]
        losses = bind_losses(compiled.loss if compiled else None, names)
        metrics = bind_metrics(compiled.metrics if compiled else None, names)
        # the position of the compile among the model's, which its `fit` calls refer to
        index = next((i for i, c in enumerate(model.compiles) if c is compiled), None)
        for position, ((name, key), loss, metric) in enumerate(zip(outputs, losses, metrics)):
            head = Head(output=name, chain=graph.chain(key), loss=loss, metrics=metric)
            source = _source(head, graph, entries, compiled, filename, lines, model.span)
            targets = head_targets(model, index, name, position, len(outputs))
            if targets:  # a `# headcheck: ignore[...]` on the `fit` line counts too
                fits = lines.suppressed(fit_spans(model, index))
                source = replace(source, suppressed=tuple(dict.fromkeys(source.suppressed + fits)))
            source = replace(source, model=model.variable or model.name)
            yield replace(head, source=source, targets=targets)


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
