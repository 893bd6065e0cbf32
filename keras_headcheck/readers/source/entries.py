"""Turn the models the interpreter found into Keras 3 model configs (build.py walks them): each
call of a layer or nested model becomes its own entry, referred to as Keras 3 refers to it
(readers/refs.py). Remembers which source object and line each config came from."""

from __future__ import annotations

from typing import Any, Optional

from ..layers import input_layer_shape
from .arguments import UNKNOWN_ACTIVATION
from .unknowns import conditions, explained, resolve
from .values import UNKNOWN_FUNCTION, UNSEEN, Layer, Model, Placeholder, Span, Tensor

UNKNOWN_RANK = [None, None]
MAX_NESTING = 32


class Entries:
    """Builds config entries; remembers which source object each config dict came from."""

    def __init__(self, world: Optional[dict[str, bool]] = None) -> None:
        # the outcomes of run-time tests the configs are built for (unknowns.py); None keeps
        # every Choice, to find what the model depends on
        self.world = world
        self.tests: list[str] = []  # the tests that choose outputs, met building with no world
        self.origin: dict[int, tuple[Any, Span]] = {}  # id(config dict) -> (object, source span)
        self.unknown_rank: set[int] = set()  # id(config) of inputs whose rank is not known
        self.spans: dict[str, Span] = {}  # entry name -> where its layer or model was made
        self.count = 0

    def fresh(self, base: str) -> str:
        self.count += 1
        return f"{base}_{self.count}"

    def _config(self, obj: Any, where: Span, config: dict[str, Any]) -> dict[str, Any]:
        self.origin[id(config)] = (obj, where)
        if isinstance(config.get("name"), str):
            self.spans.setdefault(config["name"], where)
        return config

    def layer(self, layer: Layer) -> dict[str, Any]:
        class_name = (
            layer.class_name if layer.opaque is None
            else layer.opaque.split(": ", 1)[1] if layer.opaque.startswith(UNKNOWN_FUNCTION + ": ")
            else f"{layer.class_name}({layer.opaque})"
        )  # fmt: skip
        settings = layer.config if self.world is None else resolve(layer.config, self.world)
        if settings.get("activation") is UNKNOWN_ACTIVATION and layer.opaque is None:
            class_name = f"{class_name}(run-time activation)"  # as make_layer marks it
        config = self._config(layer, layer.span, {**settings, "name": layer.name})
        if layer.class_name == "InputLayer" and input_layer_shape(config) is None:
            config["batch_shape"] = list(UNKNOWN_RANK)
            self.unknown_rank.add(id(config))
        return {
            "class_name": class_name,
            "name": layer.name,
            "module": layer.module,
            "config": config,
        }

    def outputs_of(self, model: Model) -> Any:
        """A functional model's outputs (this model's or a nested one's), as the outcomes in
        `world` choose them; with no world, the tests that choose them are noted in `tests`."""
        if self.world is None:
            self.tests.extend(t for t in conditions(model.outputs) if t not in self.tests)
            return model.outputs
        return resolve(model.outputs, self.world)

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
        name = placeholder.name if placeholder.name and placeholder.name not in self.spans else (
            self.fresh(placeholder.name or placeholder.why.replace(" ", "_")))
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

        def ref(tensor: Any, io: bool = False) -> list[Any]:
            """A reference as Keras 3 writes it (readers/refs.py): a call's arguments count the
            source's calls from 0; `input_layers`/`output_layers` (`io`) count a Functional's
            from 1. Each call here is its own entry, so its only call is the first."""
            if not isinstance(tensor, Tensor):
                name = self.fresh("untraced")
                entry = self.unknown(name, _not_a_tensor(tensor), model.span)
                layers.append({**entry, "inbound_nodes": []})
                return [entry["name"], 0, 0]
            entry = calls[(tensor.source, tensor.node)]
            first = 1 if io and entry["class_name"] == "Functional" else 0
            return [entry["name"], first, _flat_index(tensor)]

        for (source, node), entry in calls.items():
            inputs, kwargs = source.nodes[node]
            is_input = isinstance(source, Layer) and source.class_name == "InputLayer"
            nodes = (
                [] if is_input else [{"args": [_history(ref(x)) for x in inputs], "kwargs": kwargs}]
            )
            layers.append({**entry, "inbound_nodes": nodes})
        outputs = self.outputs_of(model)
        if isinstance(outputs, dict):
            output_layers: Any = {str(k): ref(v, io=True) for k, v in outputs.items()}
        elif isinstance(outputs, (list, tuple)):
            output_layers = [ref(v, io=True) for v in outputs]
        else:
            output_layers = [ref(outputs, io=True)]
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
            ref(x, io=True) for x in inputs if isinstance(x, Tensor) and (x.source, x.node) in calls
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
        unseen = source.nodes[node][1].get(UNSEEN) if isinstance(source, Model) else None
        if unseen:  # its graph was read without these arguments: it may not be what runs here
            why = f"`{source.traced.name}` called with {unseen}: its call() was read without it"
            entry = self.unknown(source.name, why, source.span)
        elif isinstance(source, Model):
            entry = self.model(source, depth + 1)
        else:
            entry = self.layer(source)
        if node:
            entry["name"] = f"{entry['name']}#{node}"
            if isinstance(source, Layer) or unseen:
                entry["config"] = self._config(
                    source, source.span, {**entry["config"], "name": entry["name"]}
                )
        return entry


def _reachable(model: Model, entries: Entries, depth: int) -> dict[tuple[Any, int], dict[str, Any]]:
    """An entry for every (layer or model, call number) the outputs depend on, inputs first."""
    outputs = entries.outputs_of(model)
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


def _not_a_tensor(value: Any) -> str:
    """What a model was given where Keras expects a tensor, in the user's terms."""
    if isinstance(value, (Model, Layer)):
        kind = "model" if isinstance(value, Model) else "layer"
        name = getattr(value, "variable", None) or value.name
        return f"the {kind} `{name}` itself, not a tensor it computes"
    if isinstance(value, (int, float, str, bool)):
        return f"{value!r}, not a tensor"
    return explained(value) or "a tensor computed by code the reader does not follow"


def _flat_index(tensor: Tensor) -> int:
    """The index Keras gives output `tensor.index` of a model call: the interpreter numbers a
    dict's outputs as they were written, Keras (`tree.flatten`) by sorted key."""
    outputs = tensor.source.outputs if isinstance(tensor.source, Model) else None
    if not isinstance(outputs, dict) or not 0 <= tensor.index < len(outputs):
        return tensor.index
    keys = list(outputs)
    return sorted(keys, key=str).index(keys[tensor.index])


def _history(ref: list[Any]) -> dict[str, Any]:
    return {"class_name": "__keras_tensor__", "config": {"keras_history": ref}}


def _unused_input(value: Any, calls: dict[tuple[Any, int], Any]) -> bool:
    source = value.source if isinstance(value, Tensor) else None
    return (isinstance(source, Layer) and source.class_name == "InputLayer"
            and (source, value.node) not in calls)
