"""Turn a serialised Keras model config (Keras 2 or 3, any container) into a layer graph, and walk
back from each output to describe its head.

Nested Sequential/Functional models are flattened into the one graph: a sub-model's input layers
alias the outer tensors that feed it, and its outputs stand for the sub-model layer.
"""

from __future__ import annotations

from typing import Any, Optional

from ..head import ACTIVATION, INPUT, UNKNOWN, WEIGHTED, Link
from .layers import (
    Shape,
    activation_of,
    config_of,
    display_name,
    input_layer_shape,
    is_model,
    layer_module,
)
from .graph_node import ConfigError, Node
from .known import add_known_heads, library_layer
from .merges import Read as MergesRead, operation, read as read_merge
from .limits import Limits, LimitsError, current_limits, env_name
from .refs import Call, Calls, Ref, call_arguments, data_inputs, is_input, layer_name, node_kwargs, refs
from .shapes import class_axis, merged_shape, output_shape
from .slices import CUT_SLICE, call_kwargs, is_getitem

MAX_CHAIN = 64
# Layers after which axis positions no longer mean what they meant before.
AXIS_MOVING_LAYERS = frozenset({"Permute", "Reshape", "Flatten", "Transpose", "RepeatVector", "TFOpLambda"})


def _dtype_name(value: Any) -> Optional[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        config = value.get("config")
        if isinstance(config, dict) and isinstance(config.get("name"), str):
            return config["name"]
    return None


class Graph:
    def __init__(self, limits: Optional[Limits] = None) -> None:
        self.nodes: list[Node] = []
        self.merges = MergesRead()  # what merges.py read of the merges walked
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
        read_as = library_layer(entry)
        if read_as is not None:  # computed from its first input (MaskedLMHead's positions only pick)
            inputs = inputs[:1]
        node = Node(len(self.nodes), name, str(entry.get("class_name", "?")), layer_module(entry),
                    config, inputs, kwargs, build_shape, read_as=read_as)
        inputs_shapes = [self.nodes[i].shape for i in inputs]
        if build_shape is not None and len(inputs) <= 1:
            inputs_shapes = [build_shape]
        class_name, read_config = (
            (read_as.class_name, read_as.config) if read_as else (node.class_name, config)
        )
        if read_as is not None and read_as.rank is not None:
            inputs_shapes = [(None,) * read_as.rank]
        op = operation(node.class_name, node.module, config) if len(inputs) > 1 else None
        try:
            node.shape = (merged_shape(op, config, inputs_shapes) if op is not None
                          else output_shape(class_name, read_config, inputs_shapes, kwargs))
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
            name = prefix + layer_name(entry)
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
        """Add a Functional model's layers, each call once its inputs exist (see refs.py); return
        its outputs, named at the top level, in Keras's flatten order when used as a layer."""
        entries = [e for e in config["layers"] if isinstance(e, dict)]
        for entry in entries:
            if not isinstance(entry.get("inbound_nodes", []), list):
                raise ConfigError(f"layer {layer_name(entry)} has malformed inbound nodes")
        calls = Calls(entries)
        order, stuck = calls.order()
        if stuck:
            raise ConfigError(f"layer inputs cannot be resolved ({', '.join(stuck[:3])})", tuple(stuck))
        inputs = [calls.target(ref, io=True) for ref in refs(config.get("input_layers"), ordered=True)]
        produced: dict[Call, list[int]] = {}
        for call in order:
            produced[call] = self._call(calls, call, prefix, outer, inputs, produced, depth)
        outputs = config.get("output_layers")
        named: list[tuple[Optional[str], Any]] = (
            list(outputs.items()) if isinstance(outputs, dict) and depth == 0
            else [(None, o) for o in _output_refs(outputs, ordered=depth > 0)]
        )
        result = []
        for name, ref in named:
            found = next(refs(ref), None)
            call = calls.target(found, io=True) if found is not None else None
            if found is None or call is None:
                raise ConfigError("model output refers to an unknown layer")
            result.append((str(name or found[0]), _tensor(produced[call], found, calls.entries[call[0]])))
        return result

    def _call(self, calls: Calls, call: Call, prefix: str, outer: Optional[list[int]],
              inputs: list[Optional[Call]], produced: dict[Call, list[int]], depth: int) -> list[int]:
        """Add one call of a layer (a model called as a layer: its whole graph); return its outputs."""
        position, number = call
        entry = calls.entries[position]
        name = layer_name(entry)
        if is_input(entry):
            if outer and call in inputs and inputs.index(call) < len(outer):
                return [outer[inputs.index(call)]]
            return [self.add(prefix + name, entry, [], {})]
        node = entry["inbound_nodes"][number]
        path = prefix + name + (f"#{number}" if number else "")

        def values(taken: list[tuple[Ref, Optional[Call]]]) -> list[int]:
            found = []
            for ref, source in taken:
                if source is None or source not in produced:  # order() lists no such call
                    raise ConfigError(f"layer {name} refers to an unknown layer call", (name,))
                found.append(_tensor(produced[source], ref, calls.entries[source[0]]))
            return found

        if is_model(entry):  # its inputs in Keras's flatten order, as the model maps them
            taken = [(ref, calls.target(ref)) for ref in calls.call_refs(call_arguments(node), ordered=True)]
            outs = self.build(entry, path + "/", values(taken), depth + 1)
            return [key for _, key in outs]
        kwargs = call_kwargs(str(entry.get("class_name")), node, node_kwargs(node))
        key = self.add(path, entry, values(data_inputs(calls.inputs[call], node)), kwargs)
        return [key, *self._more_outputs(key)]

    def _more_outputs(self, key: int) -> list[int]:
        """A library layer's outputs after its first (a Gaussian process's covariance matrix):
        nodes of their own, unknown, so that they are never read as the first one."""
        node = self.nodes[key]
        more = node.read_as.more_outputs if node.read_as is not None else ()
        entries = ({"class_name": f"{node.class_name}'s {what}", "module": "<unknown>",
                    "config": node.config} for what in more)  # its config: its source line
        return [self.add(f"{node.name}[{i}]", entry, [], {}) for i, entry in enumerate(entries, 1)]

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
        read = node.read_as
        role, act, axis = activation_of(
            read.class_name if read else node.class_name, read.module if read else node.module,
            read.config if read else node.config, node.call_kwargs, len(node.inputs),
        )
        display = (read and read.shown) or display_name(node.class_name, node.config)
        if role == UNKNOWN and is_getitem(node.class_name, node.config):
            display = CUT_SLICE
        elif role == UNKNOWN and node.class_name == "TFOpLambda":  # tf.nn.l2_normalize(x): say so
            display = f"the op `{node.config.get('function', '?')}`"
        dtype = _dtype_name(node.config.get("dtype"))
        link = Link(node.name, display, role, act, axis, node.shape, node.class_axis, dtype)
        op = operation(node.class_name, node.module, node.config) if len(node.inputs) > 1 else None
        return read_merge(self, node.key, link, op) if op is not None else link

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
            if link.role in (UNKNOWN, INPUT) or len(node.inputs) > 1:
                break  # a merge's operands have heads of their own (merges.py read them)
            if found_final and link.role in (ACTIVATION, WEIGHTED):
                break
            if link.role == ACTIVATION or (link.role == WEIGHTED and link.activation != "linear"):
                if link.role == WEIGHTED:
                    break
                found_final = True
            current = node.inputs[0] if node.inputs else None
        return tuple(links)


def _dims_of(value: Any) -> Shape:
    if isinstance(value, list) and all(v is None or isinstance(v, int) for v in value):
        return tuple(value)
    return None


def _output_refs(outputs: Any, ordered: bool) -> list[Any]:
    """output_layers as a list of refs, in Keras's flatten order when `ordered` (a model used as a
    layer: its callers' tensor indices count them so), else as written."""
    if isinstance(outputs, list) and len(outputs) == 3 and isinstance(outputs[0], str):
        return [outputs]
    if ordered:
        return [list(ref) for ref in refs(outputs, ordered=True)]
    if isinstance(outputs, list):
        return outputs
    return list(outputs.values()) if isinstance(outputs, dict) else []


def _tensor(keys: list[int], ref: Ref, entry: dict[str, Any]) -> int:
    """The node holding tensor `ref[2]` of a call. A model's call has one node per output; so has
    a library layer whose outputs known.py tells apart; any other layer's call is one node,
    whichever of its tensors is used (an LSTM's states...)."""
    if not is_model(entry):
        return keys[ref[2]] if len(keys) > 1 and isinstance(ref[2], int) and 0 <= ref[2] < len(keys) else keys[0]
    if not 0 <= ref[2] < len(keys):
        raise ConfigError(f"layer {ref[0]} has no output {ref[2]}")
    return keys[ref[2]]


def model_outputs(model: dict[str, Any]) -> tuple[Graph, list[tuple[str, int]]]:
    graph = Graph()
    if is_model(model):
        outputs = graph.build(model, "", None)
    elif isinstance(model.get("class_name"), str) and "config" in model:
        # A model saved as its constructor's config: a library model's known head, or one output
        # we cannot see into (HC901).
        config = model["config"] if isinstance(model["config"], dict) else {}
        name = str(config.get("name") or model["class_name"])
        outputs = [(graph.nodes[key].name, key) for key in add_known_heads(graph, model, name)]
    else:
        raise ConfigError("not a Keras model config")
    return graph, outputs
