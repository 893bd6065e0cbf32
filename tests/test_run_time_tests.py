"""A head chosen by a run-time test (`if num_classes == 2:`), in source.

The same test may choose the activation and units in a builder and the loss where the model is
compiled (Google's text classification guide writes it so): the head is checked once per outcome
of the test, each as Keras builds it. Two different tests are not assumed to agree: that head
stays HC901.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from keras_headcheck import check
from keras_headcheck.readers import read_heads

BUILDER = """
from tensorflow import keras


def last_layer(num_classes):
    if num_classes == 2:
        activation = "sigmoid"
        units = 1
    else:
        activation = "softmax"
        units = num_classes
    return units, activation


def build(num_classes, width=64):
    units, activation = last_layer(num_classes)
    model = keras.Sequential([keras.Input((20,))])
    for _ in range(3):
        model.add(keras.layers.Dense(width, activation="relu"))
    model.add(keras.layers.Dense(units, activation=activation))
    return model
"""

SCRIPT = """
import builder
import data_tools

num_classes = data_tools.count_classes()
model = builder.build(num_classes)
{loss}
model.compile(optimizer="adam", loss=loss, metrics=["acc"])
"""

SAME_TEST = """if num_classes == 2:
    loss = "binary_crossentropy"
else:
    loss = "sparse_categorical_crossentropy\""""


def _tree(tmp_path: Path, loss: str) -> Path:
    (tmp_path / "builder.py").write_text(BUILDER)
    script = tmp_path / "train.py"
    script.write_text(SCRIPT.format(loss=loss))
    return script


def _heads(path: Path) -> set[tuple[object, ...]]:
    return {(h.activation, h.units, h.loss_name) for h in read_heads(str(path))}


def test_the_head_is_checked_per_outcome_of_the_test_that_chooses_it(tmp_path: Path) -> None:
    script = _tree(tmp_path, SAME_TEST)
    assert _heads(script) == {
        ("sigmoid", 1, "binary_crossentropy"),
        ("softmax", None, "sparse_categorical_crossentropy"),
    }
    assert check(str(script)) == []
    assert {h.source.when for h in read_heads(str(script))} == {
        "`num_classes == 2`", "not `num_classes == 2`"}
    assert check(str(tmp_path / "builder.py")) == []  # uncompiled: both heads, both fine


def test_an_outcome_that_builds_a_wrong_head_is_reported(tmp_path: Path) -> None:
    # the same test, the loss swapped: each outcome pairs its activation with the other's loss
    swapped = SAME_TEST.replace("binary_", "TMP").replace("sparse_categorical_", "binary_")
    script = _tree(tmp_path, swapped.replace("TMP", "sparse_categorical_"))
    # when num_classes == 2: sparse crossentropy on one sigmoid unit; otherwise a softmax over
    # `num_classes` units (a width not known statically) under binary crossentropy, which HC205
    # only calls wrong on more than one unit known
    assert {f.code for f in check(str(script))} == {"HC207"}


def test_a_conditional_expression_chooses_too(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent("""
        from tensorflow import keras
        import data_tools

        n = data_tools.count_classes()
        model = keras.Sequential([
            keras.Input((8,)),
            keras.layers.Dense(1 if n == 2 else n, activation="softmax"),
        ])
        model.compile(loss="sparse_categorical_crossentropy" if n > 2 else "binary_crossentropy")
    """))
    # one test chooses the units, another the loss: the reader does not pair them, so the head
    # is unknown in units and loss rather than checked on outcomes that may never meet
    assert {f.code for f in check(str(script))} <= {"HC901", "HC902"}
    script.write_text(script.read_text().replace("n > 2", "n != 2"))
    assert {f.code for f in check(str(script))} <= {"HC901", "HC902"}
    script.write_text(script.read_text().replace(
        '"sparse_categorical_crossentropy" if n != 2 else "binary_crossentropy"',
        '"binary_crossentropy" if n == 2 else "sparse_categorical_crossentropy"'))
    found = check(str(script))
    assert [(f.code, f.line) for f in found] == [("HC101", 8)]  # softmax over 1 unit when n == 2
    assert found[0].message.endswith("(when `n == 2`)")


def test_two_different_tests_are_not_assumed_to_agree(tmp_path: Path) -> None:
    other = SAME_TEST.replace("num_classes == 2", "len(class_names) == 2")
    script = _tree(tmp_path, "class_names = data_tools.names()\n" + other)
    (head,) = read_heads(str(script))
    assert head.activation is None  # unknown: HC901, never a guess from one outcome
    assert {f.code for f in check(str(script))} == {"HC901", "HC902"}


@pytest.mark.parametrize("num_classes", [2, 5])
def test_each_outcome_is_the_head_keras_builds(tmp_path: Path, num_classes: int) -> None:
    keras = pytest.importorskip("keras")
    units, activation = (1, "sigmoid") if num_classes == 2 else (num_classes, "softmax")
    model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(units, activation=activation)])
    model.compile(optimizer="adam", loss="binary_crossentropy" if num_classes == 2
                  else "sparse_categorical_crossentropy")  # fmt: skip
    saved = tmp_path / "model.keras"
    model.save(saved)
    ((act, width, loss),) = _heads(saved)
    outcomes = _heads(_tree(tmp_path, SAME_TEST))
    assert (act, width if num_classes == 2 else None, loss) in outcomes


GAN_PARTS = """
from tensorflow import keras


def discriminator(inputs, num_labels=None):
    x = keras.layers.Flatten()(inputs)
    outputs = keras.layers.Activation("sigmoid")(keras.layers.Dense(1)(x))
    if num_labels:  # the classifying discriminator has a second output
        labels = keras.layers.Dense(num_labels)(x)
        outputs = [outputs, keras.layers.Activation("softmax", name="label")(labels)]
    return keras.Model(inputs, outputs, name="discriminator")
"""

GAN_SCRIPT = """
import numpy as np
from tensorflow import keras
import gan_parts

labels = np.load("labels.npy")
num_labels = len(np.unique(labels))
d = gan_parts.discriminator(keras.Input((28, 28, 1)), num_labels=num_labels)
d.compile(loss=LOSSES, optimizer="adam")
d.train_on_batch(np.zeros((1, 28, 28, 1)), [np.ones((1, 1)), np.eye(num_labels)[:1]])
z = keras.Input((16,))
g = keras.Model(z, keras.layers.Reshape((28, 28, 1))(keras.layers.Dense(784)(z)))
d.trainable = False
adversarial = keras.Model(z, d(g(z)))
adversarial.compile(loss=LOSSES, optimizer="adam")
"""


def _gan(tmp_path: Path, losses: str) -> Path:
    (tmp_path / "gan_parts.py").write_text(GAN_PARTS)
    script = tmp_path / "train.py"
    script.write_text(GAN_SCRIPT.replace("LOSSES", losses))
    return script


def test_outputs_a_test_chooses_are_read_for_the_outcome_the_losses_are_written_for(
    tmp_path: Path,
) -> None:
    script = _gan(tmp_path, '["binary_crossentropy", "categorical_crossentropy"]')
    heads = read_heads(str(script))
    # both compiles: two outputs, one loss each; the one-output outcome takes no list of two
    assert [(h.activation, h.loss_name, h.source.when) for h in heads] == [
        ("sigmoid", "binary_crossentropy", None),
        ("softmax", "categorical_crossentropy", None),
    ] * 2
    assert check(str(script)) == []
    swapped = _gan(tmp_path, '["categorical_crossentropy", "binary_crossentropy"]')
    found = {(f.code, f.output) for f in check(str(swapped))}
    assert ("HC206", "activation") in found  # the one-unit sigmoid under categorical crossentropy


TASK = """
import sys
import keras

task = sys.argv[1]
loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
metrics = [keras.metrics.SparseCategoricalAccuracy()]
if task == "stsb":
    num_classes = 1
    loss = keras.losses.{regression}()
    metrics = [keras.metrics.MeanSquaredError()]
else:
    num_classes = 2

inp = keras.Input((8,))
model = keras.Model(inp, keras.layers.Dense(num_classes)(inp))
model.compile(optimizer="adam", loss=loss, metrics=metrics)
"""


def test_loss_and_metric_instances_a_test_chooses_are_checked_per_outcome(tmp_path: Path) -> None:
    """keras-hub's GLUE script: a regression task replaces the classification loss and metrics
    set before the test."""
    script = tmp_path / "glue.py"
    script.write_text(TASK.format(regression="MeanSquaredError"))
    heads = read_heads(str(script))
    assert {(h.units, h.loss_name, h.loss.from_logits, h.source.when) for h in heads} == {
        (1, "mean_squared_error", False, "`task == 'stsb'`"),
        (2, "sparse_categorical_crossentropy", True, "not `task == 'stsb'`"),
    }
    assert check(str(script)) == []
    script.write_text(TASK.format(regression="BinaryCrossentropy"))  # on a linear unit
    assert [(f.code, f.message.endswith("(when `task == 'stsb'`)")) for f in check(str(script))
            ] == [("HC202", True)]
