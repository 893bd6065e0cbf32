"""Turn a serialised Keras model config (Keras 2 or 3, any container) into a layer graph, and walk
back from each output to describe its head.

Nested Sequential/Functional models are flattened into the one graph: a sub-model's input layers
alias the outer tensors that feed it, and its outputs stand for the sub-model layer.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from ..head import ACTIVATION, INPUT, UNKNOWN, WEIGHTED, Link
from .layers import (
    WRAPPERS,
    Shape,
    class_axis,
    classify,
    config_of,
    input_layer_shape,
    is_model,
    layer_module,
    output_shape,
)
from .known import add_known_head
from .limits import Limits, LimitsError, current_limits, env_name

MAX_CHAIN = 64
# Passes over a functional model's layers: one resolves them all once they are in dependency
# order; the bound keeps hostile configs (duplicate names...) from taking quadratic time.
MAX_PASSES = 4
# Layers after which axis positions no longer mean what they meant before.
AXIS_MOVING_LAYERS = frozenset({"Permute", "Reshape", "Flatten", "Transpose", "RepeatVector", "TFOpLambda"})


class ConfigError(ValueError):
    """The model config does not have the structure of a Keras model."""


@dataclass
class Node:
    key: int
    name: str  # display path: "outer/inner/dense_3"
    class_name: str
    module: Optional[str]
    config: dict[str, Any]
    inputs: list[int]
    call_kwargs: dict[str, Any] = field(default_factory=dict)
    build_shape: Shape = None
    shape: Shape = None
    class_axis: Optional[int] = None  # where a channels_first conv put the classes, if kept so far


def _dtype_name(value: Any) -> Optional[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        config = value.get("config")
        if isinstance(config, dict) and isinstance(config.get("name"), str):
            return config["name"]
    return None


def _layer_name(entry: dict[str, Any]) -> str:
    config = config_of(entry)
    return str(entry.get("name") or config.get("name") or entry.get("class_name") or "?")


def _tensor_refs(value: Any) -> Iterator[tuple[str, int, int]]:
    """Every (layer, node index, tensor index) a Keras 2 or 3 inbound node refers to, in order."""
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            config = value.get("config")
            history = config.get("keras_history") if isinstance(config, dict) else None
            if (isinstance(history, list) and len(history) == 3 and isinstance(history[0], str)
                    and isinstance(history[1], int) and isinstance(history[2], int)):
                yield history[0], history[1], history[2]
            return
        for item in value.values():
            yield from _tensor_refs(item)
    elif isinstance(value, list):
        if len(value) in (3, 4) and isinstance(value[0], str) and isinstance(value[1], int):
            yield value[0], value[1], value[2] if isinstance(value[2], int) else 0
            if len(value) == 4:
                yield from _tensor_refs(value[3])
            return
        for item in value:
            yield from _tensor_refs(item)


def _node_kwargs(node: Any) -> dict[str, Any]:
    """Call kwargs of an inbound node (Keras 3 {"kwargs": ...}; Keras 2 TFOpLambda [n, i, t, kw])."""
    if isinstance(node, dict) and isinstance(node.get("kwargs"), dict):
        return node["kwargs"]
    if isinstance(node, list) and len(node) == 4 and isinstance(node[0], str) and isinstance(node[3], dict):
        return node[3]
    return {}


class Graph:
    def __init__(self, limits: Optional[Limits] = None) -> None:
        self.nodes: list[Node] = []
        try:
            self.limits = limits or current_limits()
        except LimitsError as exc:
            raise ConfigError(str(exc)) from None

    def add(self, name: str, entry: dict[str, Any], inputs: list[int], kwargs: dict[str, Any]) -> int:
        if len(self.nodes) >= self.limits.max_layers:
            raise ConfigError(f"model has more than {self.limits.max_layers} layers "
                              f"({env_name('max_layers')})")
        config = config_of(entry)
        build = entry.get("build_config")
        build_shape = None
        if isinstance(build, dict) and isinstance(build.get("input_shape"), list):
            shape = build["input_shape"]
            if all(v is None or isinstance(v, int) for v in shape):
                build_shape = tuple(shape)
        node = Node(len(self.nodes), name, str(entry.get("class_name", "?")), layer_module(entry),
                    config, inputs, kwargs, build_shape)
        inputs_shapes = [self.nodes[i].shape for i in inputs]
        if build_shape is not None and len(inputs) <= 1:
            inputs_shapes = [build_shape]
        try:
            node.shape = output_shape(node.class_name, config, inputs_shapes, kwargs)
        except (TypeError, ValueError, IndexError, KeyError, ZeroDivisionError, AttributeError, RecursionError):
            node.shape = None
        if node.shape is not None and _dims_of(list(node.shape) if isinstance(node.shape, tuple) else None) is None:
            node.shape = None  # a config with e.g. "units": "3" or [3] gives no usable shape
        node.class_axis = self._class_axis(node)
        self.nodes.append(node)
        return node.key

    # -- building ------------------------------------------------------------------------------
    def build(self, entry: dict[str, Any], prefix: str, outer: Optional[list[int]], depth: int = 0
              ) -> list[tuple[str, int]]:
        """Add a model's layers; return its outputs as (output name, node key)."""
        if depth > self.limits.max_model_nesting:
            raise ConfigError(f"models nested more than {self.limits.max_model_nesting} levels deep "
                              f"({env_name('max_model_nesting')})")
        config = entry.get("config")
        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            raise ConfigError("model config has no layer list")
        if len(config["layers"]) > self.limits.max_layers:
            raise ConfigError(f"model has {len(config['layers'])} layers, more than "
                              f"{self.limits.max_layers} ({env_name('max_layers')})")
        if entry.get("class_name") == "Sequential" or "input_layers" not in config:
            outputs = self._sequential(config, prefix, outer, depth)
        else:
            outputs = self._functional(config, prefix, outer, depth)
        if not outputs and depth > 0:  # used as a layer, it must produce something
            raise ConfigError(f"model {prefix.rstrip('/')} has no outputs")
        return outputs

    def _sequential(self, config: dict[str, Any], prefix: str, outer: Optional[list[int]], depth: int
                    ) -> list[tuple[str, int]]:
        prev: Optional[int] = outer[0] if outer else None
        layers = [e for e in config["layers"] if isinstance(e, dict)]
        if prev is None:
            shape = _dims_of(config.get("build_input_shape"))
            first = layers[0].get("config", {}) if layers else {}
            if shape is None and isinstance(first, dict) and layers and layers[0].get("class_name") != "InputLayer":
                shape = input_layer_shape(first)
            if shape is not None:
                prev = self.add(prefix + "input", {"class_name": "InputLayer",
                                                   "config": {"batch_shape": list(shape)}}, [], {})
        last_name = prefix + "input"
        for entry in layers:
            name = prefix + _layer_name(entry)
            if entry.get("class_name") == "InputLayer" and prev is not None:
                continue
            if is_model(entry):
                outs = self.build(entry, name + "/", [prev] if prev is not None else None, depth + 1)
                prev, last_name = outs[0][1], name
                continue
            prev = self.add(name, entry, [prev] if prev is not None else [], {})
            last_name = name
        if prev is None:
            raise ConfigError("Sequential model has no layers")
        return [(last_name.rsplit("/", 1)[-1], prev)]

    def _functional(self, config: dict[str, Any], prefix: str, outer: Optional[list[int]], depth: int
                    ) -> list[tuple[str, int]]:
        produced: dict[tuple[str, int], list[int]] = {}
        input_names = [ref[0] for ref in _tensor_refs(config.get("input_layers"))]
        pending = _dependency_order([e for e in config["layers"] if isinstance(e, dict)])
        for _ in range(MAX_PASSES):
            if not pending:
                break
            waiting = []
            for entry in pending:
                if not self._functional_layer(entry, prefix, outer, input_names, produced, depth):
                    waiting.append(entry)
            if len(waiting) == len(pending):
                names = ", ".join(_layer_name(e) for e in waiting[:3])
                raise ConfigError(f"layer inputs cannot be resolved ({names})")
            pending = waiting
        if pending:
            names = ", ".join(_layer_name(e) for e in pending[:3])
            raise ConfigError(f"layer inputs cannot be resolved ({names})")
        outputs = config.get("output_layers")
        named: list[tuple[Optional[str], Any]] = (
            list(outputs.items()) if isinstance(outputs, dict) else [(None, o) for o in _refs_list(outputs)]
        )
        result = []
        for name, ref in named:
            refs = list(_tensor_refs(ref))
            if not refs or (refs[0][0], refs[0][1]) not in produced:
                raise ConfigError("model output refers to an unknown layer")
            layer, node, tensor = refs[0]
            keys = produced[(layer, node)]
            if not keys:
                raise ConfigError(f"model output {layer} has no value")
            result.append((str(name or layer), keys[max(0, min(tensor, len(keys) - 1))]))
        return result

    def _functional_layer(self, entry: dict[str, Any], prefix: str, outer: Optional[list[int]],
                          input_names: list[str], produced: dict[tuple[str, int], list[int]],
                          depth: int) -> bool:
        name = _layer_name(entry)
        if entry.get("class_name") == "InputLayer" or not entry.get("inbound_nodes"):
            if outer and name in input_names and input_names.index(name) < len(outer):
                produced[(name, 0)] = [outer[input_names.index(name)]]
            else:
                produced[(name, 0)] = [self.add(prefix + name, entry, [], {})]
            return True
        nodes = entry["inbound_nodes"]
        if not isinstance(nodes, list):
            raise ConfigError(f"layer {name} has malformed inbound nodes")
        resolved = []
        for node in nodes:
            refs = [(r[0], r[1]) for r in _tensor_refs(node)]
            if any(r not in produced for r in refs):
                return False
            resolved.append(([produced[r][0] for r in refs], _node_kwargs(node)))
        first = _first_node_index(entry)
        for index, (inputs, kwargs) in enumerate(resolved):
            path = prefix + name + (f"#{index}" if index else "")
            if is_model(entry):
                outs = self.build(entry, path + "/", inputs, depth + 1)
                produced[(name, first + index)] = [key for _, key in outs]
            else:
                produced[(name, first + index)] = [self.add(path, entry, inputs, kwargs)]
        return True

    def _class_axis(self, node: Node) -> Optional[int]:
        """The class axis of a channels_first conv, carried through layers that keep the axes."""
        own = class_axis(node.class_name, node.config)
        if own is not None or len(node.inputs) != 1:
            return own
        source = self.nodes[node.inputs[0]]
        if source.class_axis is None or node.class_name in AXIS_MOVING_LAYERS:
            return None
        same_rank = node.shape is not None and source.shape is not None and len(node.shape) == len(source.shape)
        return source.class_axis if same_rank else None

    # -- walking -------------------------------------------------------------------------------
    def link(self, node: Node) -> Link:
        class_name, module, config = node.class_name, node.module, node.config
        display = class_name
        if class_name in WRAPPERS and isinstance(config.get("layer"), dict):
            inner = config["layer"]
            class_name, module = str(inner.get("class_name", "?")), layer_module(inner)
            config = config_of(inner)
            display = f"{node.class_name}({class_name})"
        if len(node.inputs) > 1:
            role, act, axis = UNKNOWN, None, None  # merges: Add, Concatenate, multi-input custom
        else:
            role, act, axis = classify(class_name, module, config, node.call_kwargs)
        dtype = _dtype_name(node.config.get("dtype"))
        return Link(node.name, display, role, act, axis, node.shape, node.class_axis, dtype)

    def chain(self, key: int) -> tuple[Link, ...]:
        """Links from the output back to its first non-linear activation (and, when that is a pure
        activation layer, on to the activation it is applied to)."""
        links: list[Link] = []
        found_final = False
        current: Optional[int] = key
        while current is not None and len(links) < MAX_CHAIN:
            node = self.nodes[current]
            link = self.link(node)
            links.append(link)
            if link.role in (UNKNOWN, INPUT):
                break
            if found_final and link.role in (ACTIVATION, WEIGHTED):
                break
            if link.role == ACTIVATION or (link.role == WEIGHTED and link.activation != "linear"):
                if link.role == WEIGHTED:
                    break
                found_final = True
            current = node.inputs[0] if node.inputs else None
        return tuple(links)


def _first_node_index(entry: dict[str, Any]) -> int:
    """The node index other layers use for the first call listed in `entry["inbound_nodes"]`.

    A model used as a layer that was built on its own Input owns node 0 (input -> output), which
    is not saved, so the calls it lists are numbered from 1: in Keras 3 for Functional models, in
    Keras 2 (list-shaped nodes) also for Sequential models that have an InputLayer.
    """
    if not is_model(entry):
        return 0
    if entry.get("class_name") != "Sequential":
        return 1
    nodes, layers = entry.get("inbound_nodes") or [], entry["config"]["layers"]
    keras2 = isinstance(nodes[0], list) if nodes else False
    has_input = bool(layers) and isinstance(layers[0], dict) and layers[0].get("class_name") == "InputLayer"
    return 1 if keras2 and has_input else 0


def _dependency_order(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The layers, each after the layers it takes inputs from (Kahn's algorithm on layer names,
    earliest listed first, so an already ordered config keeps its order), so that one pass resolves
    them: listed backwards they would take a pass each, quadratic time on a hostile file. Layers in
    a cycle keep their order at the end (they cannot be resolved)."""
    names = [_layer_name(e) for e in entries]
    first: dict[str, int] = {}
    for index, name in enumerate(names):
        first.setdefault(name, index)
    needs: dict[str, set[str]] = {name: set() for name in first}
    for name, entry in zip(names, entries):
        needs[name].update(ref[0] for ref in _tensor_refs(entry.get("inbound_nodes")) if ref[0] in first)
    users: dict[str, list[str]] = {name: [] for name in first}
    missing = {}
    for name, needed in needs.items():
        needed.discard(name)
        missing[name] = len(needed)
        for other in needed:
            users[other].append(name)
    ready = [(first[n], n) for n, count in missing.items() if count == 0]
    heapq.heapify(ready)
    rank: dict[str, int] = {}
    while ready:
        _, name = heapq.heappop(ready)
        rank[name] = len(rank)
        for user in users[name]:
            missing[user] -= 1
            if missing[user] == 0:
                heapq.heappush(ready, (first[user], user))
    order = sorted(range(len(entries)), key=lambda i: (rank.get(names[i], len(first) + i), i))
    return [entries[i] for i in order]


def _dims_of(value: Any) -> Shape:
    if isinstance(value, list) and all(v is None or isinstance(v, int) for v in value):
        return tuple(value)
    return None


def _refs_list(outputs: Any) -> list[Any]:
    """output_layers as a list of refs: [[name, node, tensor], ...] or a single [name, node, tensor]."""
    if isinstance(outputs, list) and len(outputs) == 3 and isinstance(outputs[0], str):
        return [outputs]
    return outputs if isinstance(outputs, list) else []


def model_outputs(model: dict[str, Any]) -> tuple[Graph, list[tuple[str, int]]]:
    graph = Graph()
    if is_model(model):
        outputs = graph.build(model, "", None)
    elif isinstance(model.get("class_name"), str) and "config" in model:
        # A model saved as its constructor's config: a library model's known head, or one output
        # we cannot see into (HC901).
        config = model["config"] if isinstance(model["config"], dict) else {}
        name = str(config.get("name") or model["class_name"])
        key = add_known_head(graph, model, name)
        outputs = [(graph.nodes[key].name, key)]
    else:
        raise ConfigError("not a Keras model config")
    return graph, outputs
