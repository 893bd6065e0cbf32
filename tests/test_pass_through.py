"""Custom layers read from their call() (tests/data/source/pass_through_layers.py): a layer that
returns its input passes the head through; a call() taking several tensors maps each argument to
its own parameter, so an endpoint layer's head is the softmax of its logits, not of its targets."""

from __future__ import annotations

from pathlib import Path

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
