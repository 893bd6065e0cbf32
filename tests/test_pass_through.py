"""Custom layers read from their call() (tests/data/source/pass_through_layers.py): a layer that
returns its input passes the head through; a call() taking several tensors maps each argument to
its own parameter, so an endpoint layer's head is the softmax of its logits, not of its targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keras_headcheck.readers.pass_through import passes_input, relabel
from keras_headcheck.readers.source import read_heads

FIXTURE = Path(__file__).parent / "data" / "source" / "pass_through_layers.py"


def heads() -> dict[str, tuple[object, object, str]]:
    return {h.source.model: (h.activation, h.units, h.layer) for h in read_heads(str(FIXTURE))}


def test_pass_through_layers_show_the_layer_feeding_them() -> None:
    found = heads()
    assert found["regularized"] == ("softmax", 5, "dense")
    assert found["printed"] == ("linear", 3, "dense_1")
    assert found["logged"][:2] == ("softmax", 4)


def test_several_inputs_map_by_position_and_name() -> None:
    found = heads()
    assert found["endpoint"][:2] == ("softmax", 1)  # targets are 5 wide, the logits 1
    assert found["wide"][:2] == ("softmax", 10)  # `logits=` by name; labels are 1 wide
    assert found["ctc"][:2] == ("softmax", 7)  # call(self, y_true, y_pred) returns y_pred


# --- live models: the class's own source says whether call() passes its input on -------------
def _twice(method: Any) -> Any:
    return lambda self, x: method(self, x) * 2


class Logging:
    def call(self, inputs: Any) -> Any:
        print(inputs)
        return inputs


class Rebound:
    def call(self, x: Any) -> Any:
        x = abs(x)
        return x


class InPlace:
    def call(self, x: Any) -> Any:
        x.clamp_(0, 1)
        return x


class Decorated:
    @_twice
    def call(self, x: Any) -> Any:
        return x


class OtherPath:
    def call(self, x: Any, y: Any = None) -> Any:
        if y is not None:
            return y
        return x


class OwnDunderCall(Logging):
    def __call__(self, x: Any) -> Any:
        return x * 2


class Inherits(Logging):
    pass


@pytest.mark.parametrize(
    "cls, passes",
    [(Logging, True), (Inherits, True), (Rebound, False), (InPlace, False), (Decorated, False),
     (OtherPath, False), (OwnDunderCall, False)],
)
def test_live_pass_through_is_read_from_the_class_source(cls: type, passes: bool) -> None:
    assert passes_input(cls()) is passes


def test_relabel_writes_only_the_named_layers_as_identity() -> None:
    config = {"class_name": "Functional", "config": {"name": "m", "layers": [
        {"class_name": "Logging", "module": None, "registered_name": "Logging",
         "config": {"name": "log"}, "inbound_nodes": [1]},
        {"class_name": "Dense", "module": "keras.layers", "config": {"name": "dense"}},
    ]}}
    log, dense = relabel(config, {"log"})["config"]["layers"]
    written = (log["class_name"], log["module"], log["inbound_nodes"])
    assert written == ("Identity", "keras.layers", [1])
    assert "registered_name" not in log and dense["class_name"] == "Dense"
