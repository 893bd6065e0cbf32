"""A tensor indexed by a key (`h[:, -5:, :]`), in every reader: a key that leaves the last axis
whole passes the head on (readers/slices.py); one that may cut the class axis is HC901. Real
models in Keras 3 and tf_keras, saved and live, and the same code in a script."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")
tf_keras = pytest.importorskip("tf_keras")

from keras_headcheck import check
from keras_headcheck.readers import read_heads

# (id, the key as written, the codes of a softmax over 4 units under MSE behind it, its units)
KEYS = [
    ("crop-steps", "[:, -5:, :]", ["HC203"], 4),
    ("last-step", "[:, -1, :]", ["HC203"], 4),
    ("new-axis", "[:, None, :, :]", ["HC203"], 4),
    ("cut-classes", "[..., :3]", ["HC901"], None),
    ("one-class", "[:, :, 0]", ["HC901"], None),
]
IDS = [k[0] for k in KEYS]


def _model(lib: Any, key: str) -> Any:
    inputs = lib.Input((10, 4))
    hidden = lib.layers.Dense(4, activation="softmax")(inputs)
    index = eval(f"lambda t: t{key}")  # noqa: S307  the key under test, as written
    model = lib.Model(inputs, index(hidden))
    model.compile(optimizer="adam", loss="mse")
    return model


def _codes(findings: Any) -> list[str]:
    """The codes found; an HC901 must name the slice as the user wrote it, not Keras's op class."""
    findings = list(findings)
    for f in findings:
        assert f.code != "HC901" or "(a slice whose key may cut the class axis)" in f.message, f.message
    return [f.code for f in findings]


@pytest.mark.parametrize("name, key, codes, units", KEYS, ids=IDS)
def test_keras3_saved_and_live(
    name: str, key: str, codes: list[str], units: Any, tmp_path: Path
) -> None:
    model = _model(keras, key)
    model.save(tmp_path / "model.keras")
    model.save(tmp_path / "model.h5")
    for path in (tmp_path / "model.keras", tmp_path / "model.h5"):
        assert _codes(check(path)) == codes, path.name
        (head,) = read_heads(str(path))
        assert head.units == units, path.name
    assert _codes(check(model)) == codes


@pytest.mark.parametrize("name, key, codes, units", KEYS, ids=IDS)
def test_tf_keras_saved_and_live(
    name: str, key: str, codes: list[str], units: Any, tmp_path: Path
) -> None:
    model = _model(tf_keras, key)
    model.save(tmp_path / "model.h5")
    assert _codes(check(tmp_path / "model.h5")) == codes
    assert _codes(check(model)) == codes


@pytest.mark.parametrize("name, key, codes, units", KEYS, ids=IDS)
def test_the_same_key_in_a_script(
    name: str, key: str, codes: list[str], units: Any, tmp_path: Path
) -> None:
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(f"""
        import keras

        inputs = keras.Input((10, 4))
        hidden = keras.layers.Dense(4, activation="softmax")(inputs)
        model = keras.Model(inputs, hidden{key})
        model.compile(optimizer="adam", loss="mse")
    """))
    assert _codes(check(script)) == codes
    (head,) = read_heads(str(script))
    assert head.units == units


LAMBDAS = """
import keras
from keras import layers


def keep_last(t, n):
    return t[:, -n:, :]


inputs = keras.Input((10, 4))
boxes = keras.Input((1, 5))
a = layers.Dense(4, activation="softmax", name="a")(inputs)
b = layers.Dense(4, activation="softmax", name="b")(inputs)
c = layers.Dense(4, activation="softmax", name="c")(inputs)
d = layers.Dense(4, activation="softmax", name="d")(inputs)
e = layers.Dense(4, activation="softmax", name="e")(inputs)
inline = keras.Model(inputs, layers.Lambda(lambda t: t[:, -5:, :])(a))
by_function = keras.Model(inputs, layers.Lambda(keep_last, arguments={"n": 4})(b))
first_of_list = keras.Model([inputs, boxes], layers.Lambda(lambda pair: pair[0])([c, boxes]))
cut = keras.Model(inputs, layers.Lambda(lambda t: t[..., :3])(d))
same = keras.Model(inputs, layers.Lambda(lambda t: t)(e))
for model in (inline, by_function, first_of_list, cut, same):
    model.compile(optimizer="adam", loss="mse")
"""


def test_lambdas_that_slice_or_pick_an_input_pass_the_head_on(tmp_path: Path) -> None:
    """A Lambda's function is read on its inputs: a slice keeping the last axis, or one of a
    list of inputs returned as it is (YOLOv2's `Lambda(lambda args: args[0])([output, boxes])`),
    leaves the softmax the head."""
    script = tmp_path / "train.py"
    script.write_text(LAMBDAS)
    found = {(f.model, f.code, f.layer) for f in check(script)}
    assert found == {("inline", "HC203", "a"), ("by_function", "HC203", "b"),
                     ("first_of_list", "HC203", "c"), ("cut", "HC901", "lambda_3/getitem_3"),
                     ("same", "HC203", "e")}
