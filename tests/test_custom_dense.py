"""Custom layers that compute a dense map by hand (readers/source/weights.py, readers/merges.py):
the heads the source reader reads from tests/data/source/custom_dense.py (its `# expect:` markers
are checked by tests/test_source.py), and the same layer built in real Keras and saved, whose
saved file stays HC901 naming the class: a file holds the class's config, never its call()."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from keras_headcheck import check
from keras_headcheck.readers.source import read_heads

FIXTURE = Path(__file__).parent / "data" / "source" / "custom_dense.py"


@pytest.fixture(scope="module")
def heads() -> dict[str, Any]:
    return {head.output: head for head in read_heads(str(FIXTURE))}


@pytest.mark.parametrize(
    "output, activation, units",
    [
        ("affine", "linear", 4),  # tf.matmul(inputs, self.w) + self.b
        ("classifier", "softmax", 10),  # tf.nn.softmax(inputs @ self.w + self.b)
        ("gate", "sigmoid", 10),  # ops.sigmoid(ops.matmul(inputs, self.w) + self.b)
        ("gate_1", "sigmoid", 1),
        ("dense2_1", "softmax", 5),  # self.activation(ops.add(ops.matmul(...), self.bias))
        ("dense2_3", "linear", 5),
        ("projection", "linear", None),  # (tensordot(x, tf.Variable) + bias) / 2.0: no shape
        ("tied", "linear", None),  # x @ tf.transpose(dense.weights[0]) + b
        ("elementwise", "linear", None),  # inputs * self.w: a learned scale of either sign
    ],
)
def test_an_affine_map_is_read_with_its_activation_and_units(
    heads: dict[str, Any], output: str, activation: str, units: Any
) -> None:
    head = heads[output]
    assert (head.activation, head.units) == (activation, units)


@pytest.mark.parametrize(
    "output, why",
    [
        ("scaled", "the product of `scaled/softmax_2` (softmax) and `2` lies in [0, 2]"),
        ("gram", "neither operand is a weight, so it is not an affine map"),
        ("fixed", "the op `matmul`"),  # a weight that is not trainable is no learned map
    ],
)
def test_what_is_not_certain_stays_unknown(heads: dict[str, Any], output: str, why: str) -> None:
    head = heads[output]
    assert head.final is None and head.unknown is not None
    assert why in head.unknown.class_name


def test_a_weight_first_or_a_run_time_scale_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_text(textwrap.dedent("""
        import keras
        import tensorflow as tf

        class Left(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(4, input_shape[-1]))
            def call(self, x):
                return tf.transpose(tf.matmul(self.w, x, transpose_b=True))

        class RunTime(keras.layers.Layer):
            def __init__(self, scale):
                super().__init__()
                self.scale = scale
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], 4))
            def call(self, x):
                return tf.matmul(x, self.scale * self.w)

        left = keras.Sequential([keras.layers.Dense(8), Left()])
        left.compile(loss="categorical_crossentropy")
        run_time = keras.Sequential([keras.layers.Dense(8), RunTime(tf.sqrt(8.0))])
        run_time.compile(loss="categorical_crossentropy")
    """))
    assert sorted(f.code for f in check(str(path))) == ["HC901", "HC901"]


def test_tied_embeddings_give_the_vocabulary_as_units(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_text(textwrap.dedent("""
        import keras
        from keras import ops

        class TiedOutput(keras.layers.Layer):
            def __init__(self, embedding):
                super().__init__()
                self.embedding = embedding
            def call(self, x):
                return ops.matmul(x, ops.transpose(self.embedding.embeddings))

        tokens = keras.Input(shape=(None,), dtype="int32")
        embedding = keras.layers.Embedding(5000, 64)
        hidden = keras.layers.Dense(64, activation="relu")(embedding(tokens))
        model = keras.Model(tokens, TiedOutput(embedding)(hidden))
        model.compile(loss="sparse_categorical_crossentropy")
    """))
    (head,) = read_heads(str(path))
    assert (head.activation, head.units) == ("linear", 5000)
    assert [f.code for f in check(str(path))] == ["HC202"]


# --- the same layer in real Keras, saved --------------------------------------------------------
def test_the_saved_custom_layer_stays_unknown_naming_its_class(tmp_path: Path) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    keras = pytest.importorskip("keras")

    class Affine(keras.layers.Layer):
        def __init__(self, units: int = 4, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape: Any) -> None:
            self.w = self.add_weight(shape=(input_shape[-1], self.units))
            self.b = self.add_weight(shape=(self.units,), initializer="zeros")

        def call(self, inputs: Any) -> Any:
            return keras.ops.matmul(inputs, self.w) + self.b

    features = keras.Input(shape=(6,))
    model = keras.Model(features, Affine(4)(keras.layers.Dense(8, activation="relu")(features)))
    model.compile(loss="categorical_crossentropy")
    saved = tmp_path / "affine.keras"
    model.save(saved)
    findings = check(str(saved))
    assert [f.code for f in findings] == ["HC901"]
    assert "Affine" in findings[0].message
