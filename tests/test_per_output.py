"""Losses and metrics per output, bound to outputs as Keras binds them (compile_utils.py), on the
live path and for saved files, in Keras 3 and tf_keras: a dict keyed by output layer names, a list
in output order, `loss_weights`; a flat metrics list as long as the outputs is one entry per output
(Keras 3). The source path has the same cases in tests/data/source/per_output.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")

from keras_headcheck import check

WRONG = {"price": "categorical_crossentropy", "kind": "mse"}  # swapped: HC202+HC206 on price, HC203 on kind
RIGHT = {"price": "mse", "kind": "categorical_crossentropy"}
EXPECTED_WRONG = [("HC202", "price"), ("HC203", "kind"), ("HC206", "price")]


def _model(lib: Any, loss: Any, **compile_args: Any) -> Any:
    inputs = lib.Input((8,))
    hidden = lib.layers.Dense(16, activation="relu")(inputs)
    price = lib.layers.Dense(1, name="price")(hidden)
    kind = lib.layers.Dense(4, activation="softmax", name="kind")(hidden)
    model = lib.Model(inputs, [price, kind])
    model.compile(optimizer="adam", loss=loss, **compile_args)
    return model


def _codes(findings: Any) -> list[tuple[str, str]]:
    return sorted((f.code, f.output) for f in findings if f.severity != "info")


@pytest.mark.parametrize(
    "loss",
    [pytest.param(WRONG, id="dict-by-layer-name"), pytest.param(list(WRONG.values()), id="list")],
)
def test_keras3_live_and_saved(loss: Any, tmp_path: Path) -> None:
    wrong = _model(keras, loss, loss_weights=[1.0, 0.2] if isinstance(loss, list) else {"price": 1.0, "kind": 0.2})
    path = tmp_path / "wrong.keras"
    wrong.save(path)
    assert _codes(check(wrong)) == _codes(check(path)) == EXPECTED_WRONG
    right = _model(keras, RIGHT, metrics=["mae", "accuracy"])  # Keras 3: mae on price, accuracy on kind
    right.save(tmp_path / "right.keras")
    assert list(check(right)) == list(check(tmp_path / "right.keras")) == []


def test_tf_keras_live_and_saved(tmp_path: Path) -> None:
    tf_keras = pytest.importorskip("tf_keras")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("tf_keras runs on TensorFlow only")
    wrong = _model(tf_keras, WRONG, loss_weights={"price": 1.0, "kind": 0.2})
    wrong.save(tmp_path / "wrong.h5")
    assert _codes(check(wrong)) == _codes(check(str(tmp_path / "wrong.h5"))) == EXPECTED_WRONG
    right = _model(tf_keras, RIGHT, metrics={"price": ["mae"], "kind": ["accuracy"]})
    assert list(check(right)) == []


def test_a_dict_that_names_no_output_is_reported_not_skipped(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_text(
        "import keras\n"
        "inp = keras.Input((8,))\n"
        "a = keras.layers.Dense(1, name='price')(inp)\n"
        "b = keras.layers.Dense(4, activation='softmax', name='kind')(inp)\n"
        "m = keras.Model(inp, [a, b])\n"
        "m.compile(loss={'prix': 'mse', 'genre': 'categorical_crossentropy'})\n"
        "n = keras.Model(inp, [a, b])\n"
        "n.compile(loss=['mse'])\n"
    )
    found = [(f.code, f.line, f.message) for f in check(str(path))]
    assert [(c, line) for c, line, _ in found] == [("HC902", 6), ("HC902", 8)]  # one per compile
    assert "naming none of the outputs read" in found[0][2] and "a list of 1 losses for the 2 outputs read" in found[1][2]


def test_metric_rules_are_quiet_on_an_output_that_is_hc901(tmp_path: Path) -> None:
    inputs = keras.Input((4,))
    outputs = keras.layers.Lambda(lambda t: t * 2)(keras.layers.Dense(3)(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(loss="mse", metrics=["accuracy"])  # HC301 would need the head's width
    model.save(tmp_path / "lambda.keras")
    assert [f.code for f in check(model)] == [f.code for f in check(tmp_path / "lambda.keras")] == ["HC901"]
    seen = keras.Model(inputs, keras.layers.Dense(3)(inputs))
    seen.compile(loss="mse", metrics=["accuracy"])
    assert [(f.code, f.severity) for f in check(seen)] == [("HC301", "warning")]


def test_hc301_on_one_unit_reads_the_targets() -> None:
    import numpy as np

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(loss="mse", metrics=["accuracy"])  # Keras 3: binary accuracy
    assert [(f.code, f.severity) for f in check(model)] == [("HC301", "info")]
    assert [f.code for f in check(model, y=np.array([0.0, 1.0, 1.0, 0.0]))] == ["HC408"]  # not HC301
    continuous = check(model, y=np.array([0.3, 2.5, 7.0, 1.2]))
    assert [(f.code, f.severity) for f in continuous if f.code == "HC301"] == [("HC301", "warning")]


TWO_REGRESSIONS = """
import keras


def build():
    inputs = keras.Input((8,))
    box = keras.layers.Dense(4, name="box")(inputs)
    pose = keras.layers.Dense(3, name="pose")(inputs)
    model = keras.Model(inputs, [box, pose])
    model.compile(optimizer="adam", loss=["mse", "mae"], metrics=["accuracy"])
    return model


model = build()
{again}
"""


def test_a_metric_finding_at_one_compile_is_given_for_each_output(tmp_path: Path) -> None:
    """Both outputs' HC301 are at the compile's line: the source reports each, as the saved
    file does; a model built again by the same function is reported once."""
    script = tmp_path / "train.py"
    script.write_text(TWO_REGRESSIONS.format(again=""))
    namespace: dict[str, Any] = {}
    exec(compile(script.read_text(), str(script), "exec"), namespace)
    namespace["model"].save(tmp_path / "model.keras")
    expected = [("HC301", "box"), ("HC301", "pose")]
    assert _codes(check(tmp_path / "model.keras")) == _codes(check(namespace["model"])) == expected
    assert _codes(check(script)) == expected
    script.write_text(TWO_REGRESSIONS.format(again="other = build()"))
    assert _codes(check(script)) == expected
