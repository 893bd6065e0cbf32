"""Node references in a Functional config, resolved the way Keras resolves them on load.

A layer's `inbound_nodes` lists its calls in the model; other layers and the model's
`input_layers`/`output_layers` refer to a call as (layer name, node index, tensor index). The node
index is not always the position in that list: a model used as a layer may own a node that is not
saved, and Keras 2 and Keras 3 number differently.

- Keras 3 (`keras/src/models/functional.py`): inbound references count the layer's calls that
  belong to this model from 0 (`serialize_node` drops the others), so they are list positions.
  `input_layers`/`output_layers` count a Functional layer's calls from 1 ("Functional models start
  out with a built-in node": `get_config` starts `kept_nodes` at 1 and `get_tensor` subtracts it).
- Keras 2 (`tf_keras/src/engine/functional.py`): every reference counts from 1 for a model that
  `_should_skip_first_node` (a Functional or Sequential whose first layer is an InputLayer, or one
  with no layers), from 0 otherwise; an InputLayer is always node 0 (`get_node_index`).

A tensor index counts the call's outputs flattened as `tree.flatten`/`tf.nest.flatten` do (dict
values by sorted key). Calls are resolved like `functional_from_config`/`reconstruct_from_config`:
a layer's calls in their listed order, each once its inputs exist, so `d(d(x))` and `A(B(A(B(x))))`
resolve, and a cycle does not.
"""

from __future__ import annotations

import heapq
from typing import Any, Iterator, Optional

from .layers import config_of, is_model

Ref = tuple[str, int, int]  # (layer name, node index, tensor index) as written in the config
Call = tuple[int, int]  # (position of the layer in the config's layer list, listed call number)
KERAS3, KERAS2 = "keras3", "keras2"
CONSTANT = "_CONSTANT_VALUE"  # Keras 2: a constant argument of a call, not a tensor


def layer_name(entry: dict[str, Any]) -> str:
    config = config_of(entry)
    return str(entry.get("name") or config.get("name") or entry.get("class_name") or "?")


def is_input(entry: dict[str, Any]) -> bool:
    """An InputLayer, or a layer with no calls: a source of the graph."""
    return entry.get("class_name") == "InputLayer" or not entry.get("inbound_nodes")


def is_functional(entry: dict[str, Any]) -> bool:
    return is_model(entry) and entry.get("class_name") != "Sequential" and "input_layers" in entry["config"]


def dialect(entries: list[dict[str, Any]]) -> str:
    """KERAS3 when calls are saved as {"args", "kwargs"} objects, KERAS2 when they are lists."""
    for entry in entries:
        nodes = entry.get("inbound_nodes")
        if isinstance(nodes, list) and nodes:
            return KERAS2 if isinstance(nodes[0], list) else KERAS3
    return KERAS3


def first_number(entry: dict[str, Any], written_by: str, io: bool) -> int:
    """The node index Keras gives the first listed call of `entry` (see the module docstring);
    `io` for references from `input_layers`/`output_layers`."""
    if not is_model(entry):
        return 0
    if written_by == KERAS3:
        return int(io and is_functional(entry))
    layers = entry["config"]["layers"]
    first = layers[0] if layers else None
    return int(first is None or (isinstance(first, dict) and first.get("class_name") == "InputLayer"))


def _ref(value: Any, lists: bool = True) -> Optional[Ref]:
    """A reference, if `value` is one: a Keras 3 `__keras_tensor__`, or (`lists`) a Keras 2 or
    input/output [name, node, tensor(, kwargs)] list."""
    if isinstance(value, dict):
        config = value.get("config") if value.get("class_name") == "__keras_tensor__" else None
        history = config.get("keras_history") if isinstance(config, dict) else None
        return _ref(history) if isinstance(history, list) and len(history) == 3 else None
    if (lists and isinstance(value, list) and len(value) in (3, 4) and isinstance(value[0], str)
            and type(value[1]) is int and type(value[2]) is int):
        return (value[0], value[1], value[2])
    return None


def refs(value: Any, ordered: bool = False, lists: bool = True) -> Iterator[Ref]:
    """Every tensor reference in a call, `input_layers` or `output_layers`, depth first: as written,
    or (`ordered`) in Keras's flatten order, dict values by sorted key. In a Keras 3 call (not
    `lists`) only `__keras_tensor__` objects are tensors: a list argument is a constant. Keras 2
    constants are skipped; a Keras 2 reference's own kwargs (a TFOpLambda's `y=`...) follow it."""
    ref = _ref(value, lists)
    if ref is not None:
        if ref[0] != CONSTANT:
            yield ref
        if isinstance(value, list) and len(value) == 4:
            yield from refs(value[3], ordered, lists)
        return
    if isinstance(value, dict):
        keys = sorted(value, key=str) if ordered else list(value)
        for key in keys:
            yield from refs(value[key], ordered, lists)
    elif isinstance(value, list):
        for item in value:
            yield from refs(item, ordered, lists)


def call_arguments(node: Any) -> Any:
    """The positional arguments of a call (what a model used as a layer maps onto its inputs)."""
    return node.get("args") if isinstance(node, dict) else node


def node_kwargs(node: Any) -> dict[str, Any]:
    """Call kwargs of an inbound node (Keras 3 {"kwargs": ...}; Keras 2 TFOpLambda [n, i, t, kw])."""
    if isinstance(node, dict) and isinstance(node.get("kwargs"), dict):
        return node["kwargs"]
    if isinstance(node, list) and len(node) == 4 and isinstance(node[0], str) and isinstance(node[3], dict):
        return node[3]
    return {}


# Call keywords whose tensors are parameters of an op, not values it computes on: tf_keras saves
# `tf.reshape(x, tf.shape(y))` as a TFOpLambda taking `x` and {"shape": ["tf.compat.v1.shape"...]}.
# Not `axis`: an activation reads it (`tf.nn.softmax(x, axis=t)` over an axis known only at run
# time stays unknown).
PARAMETERS = frozenset({"shape", "perm", "multiples", "paddings", "begin", "end", "strides", "size",
                        "indices", "shift", "block_shape", "crops", "dims", "out_type"})


def data_inputs(taken: list[tuple[Ref, Optional[Call]]], node: Any) -> list[tuple[Ref, Optional[Call]]]:
    """The inputs a call (`inbound_nodes` item `node`) computes on, of all it takes: a tensor given
    as a shape, a permutation, indices... is a parameter (it still orders the calls), not an
    operand."""
    kwargs = node_kwargs(node)
    parameters = [ref for key in PARAMETERS if key in kwargs for ref in refs(kwargs[key])]
    data = []
    for ref, source in taken:
        if ref in parameters:
            parameters.remove(ref)
        else:
            data.append((ref, source))
    return data or taken


class Calls:
    """The calls of one Functional config's layers, and what each reference points at."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.entries = entries
        self.written_by = dialect(entries)
        self.position: dict[str, int] = {}
        for index, entry in enumerate(entries):
            self.position.setdefault(layer_name(entry), index)  # a duplicate name is never referred to
        self.sources = [is_input(entry) for entry in entries]
        self.counts = [1 if source else len(entry["inbound_nodes"]) for source, entry in zip(self.sources, entries)]
        self.firsts = [0 if source else first_number(entry, self.written_by, io=False)
                       for source, entry in zip(self.sources, entries)]
        # What each call takes, as (reference, call it points at), filled in by order().
        self.inputs: dict[Call, list[tuple[Ref, Optional[Call]]]] = {}

    def call_refs(self, node: Any, ordered: bool = False) -> Iterator[Ref]:
        """The tensor references of one listed call (`inbound_nodes` item)."""
        return refs(node, ordered, lists=self.written_by == KERAS2)

    def target(self, ref: Ref, io: bool = False) -> Optional[Call]:
        """The call a reference points at, or None if Keras could not resolve it either."""
        position = self.position.get(ref[0])
        if position is None:
            return None
        entry = self.entries[position]
        if self.sources[position]:
            number = 0 if self.written_by == KERAS2 or entry.get("class_name") != "InputLayer" else ref[1]
        elif io:
            number = ref[1] - first_number(entry, self.written_by, io)
        else:
            number = ref[1] - self.firsts[position]
        return (position, number) if 0 <= number < self.counts[position] else None

    def order(self) -> tuple[list[Call], list[str]]:
        """Every call after the calls it takes inputs from and after the same layer's earlier calls
        (Kahn's algorithm, earliest listed first); and the names of layers left unresolved."""
        needs: dict[Call, set[Call]] = {}
        for position, entry in enumerate(self.entries):
            nodes = [] if self.sources[position] else entry["inbound_nodes"]
            needs[(position, 0)] = set()
            for number, node in enumerate(nodes):
                taken = [(ref, self.target(ref)) for ref in self.call_refs(node)]
                self.inputs[(position, number)] = taken
                needed = {call for _, call in taken}
                if number:
                    needed.add((position, number - 1))
                needs[(position, number)] = needed  # a None in it never resolves
        users: dict[Optional[Call], list[Call]] = {}
        for call, needed in needs.items():
            for other in needed:
                users.setdefault(other, []).append(call)
        missing = {call: len(needed) for call, needed in needs.items()}
        ready = [call for call, count in missing.items() if count == 0]
        heapq.heapify(ready)
        done: list[Call] = []
        while ready:
            call = heapq.heappop(ready)
            done.append(call)
            for user in users.get(call, ()):
                missing[user] -= 1
                if missing[user] == 0:
                    heapq.heappush(ready, user)
        stuck = sorted({position for position, _ in needs} - {position for position, _ in done}
                       | {position for (position, number), count in missing.items() if count})
        return done, [layer_name(self.entries[p]) for p in stuck]
