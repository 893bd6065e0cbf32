"""Heads that end in a merge of tensors (readers/merges.py): the same models built for real, saved
as `.keras` and `.h5` and checked live, read as the source fixture tests/data/source/merges.py
reads them; and tf_keras's `tf.reshape(x, tf.shape(y))`, whose shape tensor is no operand."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any, Callable

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")

from keras_headcheck import check
from keras_headcheck.readers.live import read_live_heads
from keras_headcheck.readers.saved import read_saved_heads
from keras_headcheck.readers.source import read_heads

FIXTURE = Path(__file__).parent / "data" / "source" / "merges.py"
L = keras.layers
FORMATS = ("keras", "h5")


def _pair() -> tuple[Any, Any, Any, Any]:
    user, item = keras.Input(shape=(), dtype="int32"), keras.Input(shape=(), dtype="int32")
    return user, item, L.Embedding(100, 8)(user), L.Embedding(100, 8)(item)


def logits_model() -> Any:
    user, item, u, i = _pair()
    model = keras.Model([user, item], L.Dot(axes=1)([u, i]))
    model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True))
    return model


def probs_model() -> Any:
    user, item, u, i = _pair()
    model = keras.Model([user, item], L.Dot(axes=1)([u, i]))
    model.compile(loss=keras.losses.BinaryCrossentropy())
    return model


def product_model() -> Any:
    user, item, u, i = _pair()
    model = keras.Model([user, item], u * i)
    model.compile(loss="binary_crossentropy")
    return model


def residual_model() -> Any:
    x = keras.Input(shape=(16,))
    hidden = L.Dense(16, activation="relu")(x)
    model = keras.Model(x, L.Add()([hidden, L.Dense(16)(hidden)]))
    model.compile(loss="mse")
    return model


def input_residual_model() -> Any:
    x = keras.Input(shape=(16,))
    hidden = L.Dense(16, activation="relu")(x)
    model = keras.Model(x, L.Add()([x, L.Dense(16)(hidden)]))  # inputs + delta
    model.compile(loss="mse")
    return model


def gated_model() -> Any:
    x = keras.Input(shape=(16,))
    hidden = L.Dense(16, activation="relu")(x)
    gate, score = (L.Dense(4, activation="sigmoid")(hidden) for _ in range(2))
    model = keras.Model(x, L.Multiply()([gate, score]))
    model.compile(loss="binary_crossentropy")
    return model


def ensemble_model() -> Any:
    x = keras.Input(shape=(16,))
    hidden = L.Dense(16, activation="relu")(x)
    left, right = (L.Dense(3, activation="softmax")(hidden) for _ in range(2))
    model = keras.Model(x, L.Average()([left, right]))
    model.compile(loss="mse")
    return model


def sides_model() -> Any:
    x = keras.Input(shape=(16,))
    hidden = L.Dense(16, activation="relu")(x)
    left, right = (L.Dense(3, activation="softmax")(hidden) for _ in range(2))
    model = keras.Model(x, L.Concatenate()([left, right]))
    model.compile(loss="categorical_crossentropy")
    return model


# name (the fixture's model variable) -> (builder, (activation, units), codes)
CASES: dict[str, tuple[Callable[[], Any], tuple[Any, Any], list[str]]] = {
    "logits_model": (logits_model, ("linear", 1), []),
    "probs_model": (probs_model, ("linear", 1), ["HC202"]),
    "product_model": (product_model, ("linear", 8), ["HC202"]),
    "residual_model": (residual_model, ("linear", 16), []),
    "input_residual_model": (input_residual_model, ("linear", 16), []),
    "gated_model": (gated_model, (None, None), ["HC901"]),
    "ensemble_model": (ensemble_model, ("softmax", 3), ["HC203"]),
    "sides_model": (sides_model, (None, None), ["HC901"]),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, dict[str, str]]]:
    root = tmp_path_factory.mktemp("merges")
    found = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy-.h5 notice
        for name, (builder, _, _) in CASES.items():
            model = builder()
            paths = {fmt: str(root / f"{name}.{fmt}") for fmt in FORMATS}
            for path in paths.values():
                model.save(path)
            found[name] = (model, paths)
    return found


def _read(head: Any) -> tuple[Any, Any]:
    return head.activation, head.units


def test_source_reads_each_merge_head() -> None:
    heads = {h.source.model: _read(h) for h in read_heads(str(FIXTURE))}
    for name, (_, expected, _) in CASES.items():
        assert heads[name] == expected, name


@pytest.mark.parametrize("name", CASES)
def test_saved_and_live_read_the_same_head(name: str, built: dict[str, Any]) -> None:
    model, paths = built[name]
    _, expected, codes = CASES[name]
    assert [_read(h) for h in read_live_heads(model)] == [expected]
    assert [f.code for f in check(model)] == codes
    for fmt, path in paths.items():
        assert [_read(h) for h in read_saved_heads(path)] == [expected], fmt
        assert [f.code for f in check(path)] == codes, fmt


def test_unknown_merge_says_which_and_why(built: dict[str, Any]) -> None:
    model, paths = built["gated_model"]
    for found in (check(model), check(paths["keras"]), check(paths["h5"])):
        (message,) = [f.message for f in found]
        assert "(Multiply: the product of" in message
        assert "(sigmoid) and" in message and "lies in [0, 1]" in message
    found = check(str(FIXTURE))
    (skip,) = [f.message for f in found if f.code == "HC901" and "(Add:" in f.message]
    assert "its operand `input_layer" in skip and "is a model input" in skip
    (nested,) = [f.message for f in found if f.code == "HC901" and "(+ on tensors:" in f.message]
    assert "its operand `multiply" in nested and "is not known: the product of" in nested


# --- tf_keras: TFOpLambda merges, and a reshape to a shape computed at run time --------------
@pytest.fixture(scope="module")
def tf_keras_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, str]]:
    tf_keras = pytest.importorskip("tf_keras")
    import tensorflow as tf

    root = tmp_path_factory.mktemp("merges_tf_keras")
    x = tf_keras.Input((4,))
    probs = tf_keras.layers.Dense(6, activation="softmax", name="probs")(x)
    reshaped = tf_keras.Model(x, tf.reshape(probs, tf.shape(probs)))
    reshaped.compile(loss="mse")
    a, b = tf_keras.layers.Dense(3)(x), tf_keras.layers.Dense(3)(x)
    product = tf_keras.Model(x, a * b)
    product.compile(loss="binary_crossentropy")
    found = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, model in (("reshaped", reshaped), ("product", product)):
            model.save(root / f"{name}.h5")
            found[name] = (model, str(root / f"{name}.h5"))
    return found


def test_tf_keras_reshape_to_a_computed_shape_passes_the_softmax_on(tf_keras_models: Any) -> None:
    model, path = tf_keras_models["reshaped"]
    for heads, found in ((read_live_heads(model), check(model)), (read_saved_heads(path), check(path))):
        assert [(h.activation, h.units, h.layer) for h in heads] == [("softmax", 6, "probs")]
        assert [f.code for f in found] == ["HC203"]


def test_tf_keras_operator_merge_is_read(tf_keras_models: Any) -> None:
    model, path = tf_keras_models["product"]
    for heads in (read_live_heads(model), read_saved_heads(path)):
        (head,) = heads
        assert (head.activation, head.units) == ("linear", 3)
        assert head.layer.startswith("tf.math.multiply")  # tf_keras numbers it within the process
    assert [f.code for f in check(path)] == ["HC202"]


# --- units: the merged output's own width, as Keras computes it ------------------------------
def _shaped_models() -> list[Any]:
    seq_a, seq_b = keras.Input((5, 8)), keras.Input((7, 8))
    a, b = L.Dense(8)(seq_a), L.Dense(8)(seq_b)
    attention = keras.Model([seq_a, seq_b], L.Dot(axes=2)([a, b]))  # (batch, 5, 7)
    x = keras.Input((4,))
    one, five = L.Dense(1)(x), L.Dense(5)(x)
    broadcast = keras.Model(x, L.Add()([one, five]))  # (batch, 5)
    joined = keras.Model(x, L.Concatenate()([one, five]))  # (batch, 6)
    return [attention, broadcast, joined]


def test_units_are_the_merged_outputs_width(tmp_path: Path) -> None:
    for number, model in enumerate(_shaped_models()):
        width = model.output_shape[-1]
        path = str(tmp_path / f"shaped{number}.keras")
        model.save(path)
        for heads in (read_live_heads(model), read_saved_heads(path)):
            assert [_read(h) for h in heads] == [("linear", width)], model.output_shape
