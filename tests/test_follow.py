"""Functional models the source reader follows through: custom layers, nested models and
Sequentials called as layers, shared layers. Each script is read from source, then run with Keras
and saved as `.keras`; the head read from the source must be the head read from the saved file.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from keras_headcheck import check
from keras_headcheck.readers import read_heads

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")

CUSTOM_LAYER_IN_THE_MIDDLE = """
import keras
from keras import layers

class Block(layers.Layer):
    def __init__(self, dim):
        super().__init__()
        self.ffn = keras.Sequential([layers.Dense(dim, activation="relu"), layers.Dense(dim)])
        self.norm = layers.LayerNormalization()

    def call(self, x):
        return self.norm(x + self.ffn(x))

inputs = layers.Input(shape=(6, 4))
x = Block(4)(inputs)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""

NESTED_MODELS_TO_THE_OUTPUT = """
import keras
from keras import layers

encoder_input = keras.Input(shape=(8,))
encoder = keras.Model(encoder_input, layers.Dense(3, activation="relu")(encoder_input))
decoder_input = keras.Input(shape=(3,))
decoder = keras.Model(decoder_input, layers.Dense(8, activation="sigmoid")(decoder_input))
inputs = keras.Input(shape=(8,))
model = keras.Model(inputs, decoder(encoder(inputs)))
model.compile(loss="binary_crossentropy")
"""

SEQUENTIAL_INSIDE = """
import keras
from keras import layers

inputs = keras.Input(shape=(5,))
body = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(1)])
x = layers.Dense(5)(inputs)
model = keras.Model(inputs, body(x))
model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True))
"""

SHARED_AND_REUSED = """
import keras
from keras import layers

tower_input = keras.Input(shape=(4,))
tower = keras.Model(tower_input, layers.Dense(4, activation="tanh")(tower_input))
left, right = keras.Input(shape=(4,)), keras.Input(shape=(4,))
shared = layers.Dense(4)
a = tower(shared(left))
b = tower(shared(shared(right)))
merged = layers.Concatenate()([a, b])
outputs = layers.Dense(3, activation="softmax")(merged)
model = keras.Model([left, right], [outputs, a])
model.compile(loss=["categorical_crossentropy", "mse"])
"""

SEVERAL_OUTPUTS_OF_A_NESTED_MODEL = """
import keras
from keras import layers

inner_input = keras.Input(shape=(4,))
inner = keras.Model(
    inner_input,
    [layers.Dense(2, activation="softmax")(inner_input), layers.Dense(1)(inner_input)],
)
inputs = keras.Input(shape=(4,))
probabilities, score = inner(inputs)
model = keras.Model(inputs, [score, probabilities])
model.compile(loss=["mse", "categorical_crossentropy"])
"""

DICT_OUTPUTS_OF_A_NESTED_MODEL = """
import keras
from keras import layers

inner_input = keras.Input(shape=(4,))
score = layers.Dense(1)(inner_input)
inner = keras.Model(
    inner_input, {"score": score, "probs": layers.Dense(3, activation="softmax")(inner_input)}
)
inputs = keras.Input(shape=(4,))
found = inner(inputs)
model = keras.Model(inputs, [found["score"], found["probs"]])
model.compile(loss=["mse", "categorical_crossentropy"])
"""

RESHAPE_TO_THE_DATA_SHAPE = """
import keras
import numpy as np
from keras import layers

images = np.zeros((4, 3, 2))
inputs = keras.Input(shape=(5,))
x = layers.Dense(6, activation="sigmoid")(inputs)
model = keras.Model(inputs, layers.Reshape(images.shape[1:])(x))  # known when it runs
model.compile(loss="mse")
"""

# tf_keras: TensorFlow ops on Keras tensors, saved as TFOpLambda layers.
DEPTH_TO_SPACE = """
import tensorflow as tf
import tf_keras as keras
from tf_keras import layers

inputs = keras.Input(shape=(8, 8, 3))
x = layers.Conv2D(12, 3, padding="same", activation="relu")(inputs)
model = keras.Model(inputs, tf.nn.depth_to_space(x, 2))
model.compile(loss="mse")
"""

RESHAPE_TO_A_RUN_TIME_SHAPE = """
import tensorflow as tf
import tf_keras as keras
from tf_keras import layers

inputs = keras.Input(shape=(4,))
x = layers.Dense(6, activation="sigmoid")(inputs)
batch = tf.shape(x)[0]
model = keras.Model(inputs, tf.reshape(x, (batch, 2, 3)))
model.compile(loss="binary_crossentropy")
"""

# Resampling by non-negative weights that sum to 1 keeps each pixel's softmax a distribution.
RESIZE_A_SOFTMAX = """
import tensorflow as tf
import tf_keras as keras
from tf_keras import layers

inputs = keras.Input(shape=(8, 8, 3))
x = layers.Conv2D(4, 3, padding="same", activation="softmax")(inputs)
model = keras.Model(inputs, tf.image.resize(x, (16, 16)))
model.compile(loss="sparse_categorical_crossentropy")
"""

RESIZING_LAYERS = """
import keras
from keras import layers

inputs = keras.Input(shape=(8, 8, 3))
x = layers.Conv2D(4, 3, padding="same", activation="softmax")(inputs)
x = layers.UpSampling2D(2, interpolation="bilinear")(x)
model = keras.Model(inputs, layers.Resizing(32, 32, "nearest")(x))
model.compile(loss="sparse_categorical_crossentropy")
"""

SCRIPTS = {
    "custom_layer_in_the_middle": CUSTOM_LAYER_IN_THE_MIDDLE,
    "nested_models_to_the_output": NESTED_MODELS_TO_THE_OUTPUT,
    "sequential_inside": SEQUENTIAL_INSIDE,
    "shared_and_reused": SHARED_AND_REUSED,
    "several_outputs_of_a_nested_model": SEVERAL_OUTPUTS_OF_A_NESTED_MODEL,
    "dict_outputs_of_a_nested_model": DICT_OUTPUTS_OF_A_NESTED_MODEL,  # Keras sorts their keys
    "depth_to_space": DEPTH_TO_SPACE,
    "reshape_to_the_data_shape": RESHAPE_TO_THE_DATA_SHAPE,
    "resize_a_softmax": RESIZE_A_SOFTMAX,
    "resizing_layers": RESIZING_LAYERS,
}


def _head(head: Any) -> tuple[Any, ...]:
    loss = head.loss
    return (head.activation, head.units, loss.name if loss else None,
            loss.from_logits if loss else None)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """Each script written out, run with Keras, its model saved: name -> (script, .keras file)."""
    root = tmp_path_factory.mktemp("follow")
    paths = {}
    for name, code in SCRIPTS.items():
        legacy = "tf_keras" in code
        script, model_file = root / f"{name}.py", root / f"{name}.{'h5' if legacy else 'keras'}"
        script.write_text(textwrap.dedent(code))
        namespace: dict[str, Any] = {}
        exec(compile(script.read_text(), str(script), "exec"), namespace)  # noqa: S102 - our own
        namespace["model"].save(str(model_file))
        paths[name] = (str(script), str(model_file))
    return paths


@pytest.mark.parametrize("name", SCRIPTS)
def test_source_head_matches_the_saved_model(name: str, saved: dict[str, tuple[str, str]]) -> None:
    script, model_file = saved[name]
    source = read_heads(script)
    assert [h.unknown for h in source] == [None] * len(source), name  # every head followed
    assert [_head(h) for h in source] == [_head(h) for h in read_heads(model_file)]


@pytest.mark.parametrize("name", SCRIPTS)
def test_followed_models_are_clean(name: str, saved: dict[str, tuple[str, str]]) -> None:
    assert [f.code for f in check(saved[name][0])] == []


def test_a_reshape_to_a_run_time_shape_passes_the_values_on(tmp_path: Path) -> None:
    """The shape's tensor is a parameter of the reshape, not a second input. (A tf_keras file
    saves it as a reference in the call's kwargs, which the saved-file reader still counts as an
    input: it reports HC901 there.)"""
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(RESHAPE_TO_A_RUN_TIME_SHAPE))
    (head,) = read_heads(str(script))
    assert (head.activation, head.units, head.loss.name) == ("sigmoid", 6, "binary_crossentropy")
    assert [f.code for f in check(str(script))] == []


L2_NORMALIZED = """
import tensorflow as tf
import tf_keras as keras
from tf_keras import layers

inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, tf.math.l2_normalize(layers.Dense(8)(inputs), axis=-1))
model.compile(loss="mse")
"""


def test_an_op_the_rules_do_not_know_is_named_as_written_not_as_tf_keras_saves_it(
    tmp_path: Path,
) -> None:
    """HC901 names the op (`tf.math.l2_normalize`), not the TFOpLambda class wrapping it."""
    script, model_file = tmp_path / "train.py", tmp_path / "model.h5"
    script.write_text(textwrap.dedent(L2_NORMALIZED))
    namespace: dict[str, Any] = {}
    exec(compile(script.read_text(), str(script), "exec"), namespace)  # noqa: S102 - our own
    namespace["model"].save(str(model_file))
    for path, op in ((script, "l2_normalize"), (model_file, "math.l2_normalize")):
        (finding,) = check(str(path))
        assert finding.code == "HC901" and f"(the op `{op}`)" in finding.message, finding.message


SUM_OVER_AN_AXIS_OF_UNKNOWN_RANK = """
import keras
import numpy as np
from keras import layers

data = np.zeros((8, 4, 3))
inputs = keras.Input(shape=data.shape[1:])  # known when it runs, not to the reader
x = keras.ops.sum(inputs, axis=1)  # a positive axis: which one it is depends on the rank
model = keras.Model(inputs, layers.Dense(1, activation="softmax")(x))
model.compile(loss="binary_crossentropy")
"""


def test_a_dense_after_axes_of_unknown_rank_still_has_its_units(tmp_path: Path) -> None:
    """Whatever the rank before it, a Dense puts its units on the last axis."""
    script, model_file = tmp_path / "train.py", tmp_path / "model.keras"
    script.write_text(textwrap.dedent(SUM_OVER_AN_AXIS_OF_UNKNOWN_RANK))
    namespace: dict[str, Any] = {}
    exec(compile(script.read_text(), str(script), "exec"), namespace)  # noqa: S102 - our own
    namespace["model"].save(str(model_file))
    source, saved = read_heads(str(script)), read_heads(str(model_file))
    assert [_head(h) for h in source] == [_head(h) for h in saved]
    assert [f.code for f in check(str(script))] == ["HC101"]
    assert [f.code for f in check(str(model_file))] == ["HC101"]


# --- a graph that still cannot be built says why ------------------------------------------------
def test_a_model_over_a_bound_says_which_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(CUSTOM_LAYER_IN_THE_MIDDLE))
    monkeypatch.setenv("KERAS_HEADCHECK_MAX_LAYERS", "2")
    (finding,) = check(str(script))
    assert finding.code == "HC901"
    assert "more than 2 (KERAS_HEADCHECK_MAX_LAYERS)" in finding.message
    assert "cannot follow the model" in finding.message


def test_a_call_that_cannot_be_connected_is_named_at_its_line() -> None:
    from keras_headcheck.readers.graph import ConfigError
    from keras_headcheck.readers.source.build import _not_followed
    from keras_headcheck.readers.source.entries import Entries
    from keras_headcheck.readers.source.values import Layer, Model, Span

    entries = Entries()
    entries.layer(Layer("Dense", "keras.layers", {"units": 2}, Span(12, 12), "dense_8"))
    model = Model("functional", "functional", Span(20, 20))
    why, where = _not_followed(ConfigError("stuck", ("dense_8#1", "add_4")), entries, model)
    assert why == "the call of `dense_8#1` could not be connected to its inputs"
    assert where == Span(12, 12)
    why, where = _not_followed(ConfigError("stuck", ("other",)), entries, model)
    assert (why, where) == ("cannot follow the model: stuck", Span(20, 20))


# --- a custom layer called with arguments its call() was not read with --------------------------
STEERED_HEAD = """
import keras
from keras import layers, ops

class Head(layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(3)

    def call(self, x, logits=False):
        scores = self.dense(x)
        if logits:
            return scores
        return ops.softmax(scores)

inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, Head()(inputs, logits=True))
model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
"""

ENDPOINT = """
import keras
from keras import layers, ops

class Endpoint(layers.Layer):
    def call(self, logits, targets=None, sample_weight=None):
        if targets is not None:
            loss = keras.losses.categorical_crossentropy(targets, logits, from_logits=True)
            self.add_loss(loss)
        return ops.softmax(logits)

inputs, targets = keras.Input(shape=(4,)), keras.Input(shape=(1,))
logits = layers.Dense(1)(inputs)
model = keras.Model([inputs, targets], Endpoint()(logits, targets))
model.compile(optimizer="adam")
"""


def test_a_call_with_a_constant_argument_that_steers_call_reads_that_branch(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(STEERED_HEAD))
    assert check(str(script)) == []  # not HC201: `logits=True` returns the Dense's scores
    wrong = STEERED_HEAD.replace("SparseCategoricalCrossentropy(from_logits=True)",
                                 "SparseCategoricalCrossentropy()")
    script.write_text(textwrap.dedent(wrong))
    assert [f.code for f in check(str(script))] == ["HC202"]  # those scores are not probabilities


def test_a_call_with_an_argument_known_at_run_time_is_not_guessed(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    flagged = STEERED_HEAD.replace("(inputs, logits=True)", "(inputs, logits=FLAG)")
    script.write_text(textwrap.dedent(flagged))
    (finding,) = check(str(script))  # the branch that runs is not known
    assert finding.code == "HC901"
    assert "`Head` called with logits=...: its call() was read without it" in finding.message


def test_an_argument_that_only_adds_a_loss_keeps_the_head(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(ENDPOINT))
    assert [f.code for f in check(str(script))] == ["HC101"]


@pytest.mark.parametrize("outputs, why", [
    ("decoder", "the model `decoder` itself, not a tensor it computes"),
    ("32", "32, not a tensor"),
    ("helpers.backbone.output", "a tensor computed by code the reader does not follow"),
])
def test_an_output_that_is_not_a_traced_tensor_says_what_it_is(
    outputs: str, why: str, tmp_path: Path
) -> None:
    script = tmp_path / "train.py"
    script.write_text(
        "import keras\nimport helpers\n"
        "decoder = keras.Sequential([keras.layers.Dense(3)])\n"
        "inputs = keras.Input(shape=(4,))\n"
        f"model = keras.Model(inputs, {outputs})\n"
        "model.compile(loss='mse')\n"
    )
    (finding,) = check(str(script))
    assert finding.code == "HC901" and f"({why})" in finding.message, finding.message


CHOSEN_BY_INDEX = """
import keras
from keras import layers

class Heads(layers.Layer):
    def __init__(self):
        super().__init__()
        self.heads = [layers.Dense(3, activation="softmax"), layers.Dense(1)]

    def call(self, x, task=0):
        return self.heads[task](x)

inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, Heads()(inputs, task=1))
model.compile(loss="mse")
"""

INPUTS_BY_NAME = ENDPOINT.replace(
    "Endpoint()(logits, targets)", "Endpoint()(logits=logits, targets=targets)"
)

SECOND_TENSOR_AS_DATA = """
import keras
from keras import layers, ops

class Merge(layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1, activation="softmax")

    def call(self, a, b):
        return self.dense(ops.concatenate([a, b], axis=-1))

left, right = keras.Input(shape=(4,)), keras.Input(shape=(4,))
model = keras.Model([left, right], Merge()(left, right))
model.compile(loss="binary_crossentropy")
"""


@pytest.mark.parametrize("code, expected", [
    (CHOSEN_BY_INDEX, []),  # not HC203: `task=1` picks the linear head, read so
    (CHOSEN_BY_INDEX.replace("task=1", "task=TASK"), ["HC901"]),  # a run-time choice: not guessed
    (INPUTS_BY_NAME, ["HC101"]),  # the inputs passed by their parameter's name are what it ran on
    (SECOND_TENSOR_AS_DATA, ["HC101"]),  # a second tensor is data: the Dense is the head
], ids=["chosen_by_index", "chosen_at_run_time", "inputs_by_name", "second_tensor_as_data"])
def test_which_call_arguments_can_change_the_head(
    code: str, expected: list[str], tmp_path: Path
) -> None:
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(code))
    assert [f.code for f in check(str(script))] == expected


OVERSHOOTING_RESIZES = {
    "tf_keras_bicubic": """
import tensorflow as tf
import tf_keras as keras
from tf_keras import layers

inputs = keras.Input(shape=(8, 8, 3))
x = layers.Conv2D(4, 3, padding="same", activation="softmax")(inputs)
model = keras.Model(inputs, tf.image.resize(x, (16, 16), "bicubic"))
model.compile(loss="sparse_categorical_crossentropy")
""",
    "resizing_lanczos": """
import keras
from keras import layers

inputs = keras.Input(shape=(8, 8, 3))
x = layers.Conv2D(4, 3, padding="same", activation="softmax")(inputs)
model = keras.Model(inputs, layers.Resizing(16, 16, interpolation="lanczos3")(x))
model.compile(loss="sparse_categorical_crossentropy")
""",
    "upsampling_bicubic": """
import keras
from keras import layers

inputs = keras.Input(shape=(8, 8, 3))
x = layers.Conv2D(4, 3, padding="same", activation="softmax")(inputs)
model = keras.Model(inputs, layers.UpSampling2D(2, None, "bicubic")(x))
model.compile(loss="sparse_categorical_crossentropy")
""",
}


@pytest.mark.parametrize("name", OVERSHOOTING_RESIZES)
def test_a_resize_that_overshoots_hides_the_activation(name: str, tmp_path: Path) -> None:
    """bicubic and lanczos weights go negative: a softmax resized by them no longer sums to 1
    at every pixel, so the head is not known, from the script as from the saved file."""
    code = textwrap.dedent(OVERSHOOTING_RESIZES[name])
    script, model_file = tmp_path / "train.py", tmp_path / ("m.h5" if "tf_keras" in code else "m.keras")
    script.write_text(code)
    namespace: dict[str, Any] = {}
    exec(compile(code, str(script), "exec"), namespace)  # noqa: S102 - our own
    namespace["model"].save(str(model_file))
    for path in (script, model_file):
        assert [f.code for f in check(str(path))] == ["HC901"], path


LAMBDA_ON_A_LIST = """
import tensorflow as tf
import keras
from keras import layers

inputs = keras.Input(shape=(16, 16, 3))
x = layers.Conv2D(4, 3, strides=2, padding="same", activation="softmax", name="classes")(inputs)
resize = layers.Lambda(lambda t: tf.image.resize(t[0], tf.shape(t[1])[1:3]), name="to_input_size")
model = keras.Model(inputs, resize([x, inputs]))
model.compile(loss="binary_crossentropy")
"""


def test_a_lambda_called_on_a_list_is_its_function_on_that_list(tmp_path: Path) -> None:
    """`t[0]` of the list the Lambda is called on is the softmax, resized: the head is the
    softmax, the output named by the Lambda (its saved file holds Python bytecode, not read)."""
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(LAMBDA_ON_A_LIST))
    namespace: dict[str, Any] = {}
    exec(compile(script.read_text(), str(script), "exec"), namespace)  # noqa: S102 - our own
    assert [layer.name for layer in namespace["model"].layers][-1] == "to_input_size"
    (head,) = read_heads(str(script))
    read = (head.output, head.layer, head.activation, head.units)
    assert read == ("to_input_size", "classes", "softmax", 4)
    assert [f.code for f in check(str(script))] == ["HC205"]
