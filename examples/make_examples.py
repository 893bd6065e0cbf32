"""Regenerate the example models in this folder: `python examples/make_examples.py`.

Each model is tiny (a few KB) and reproduces one classic mistake in the output layer, or, for the
`correct_*` files, a head that must lint clean. File names say what is wrong; README.md lists the
codes `keras-headcheck check examples/` reports for each one.

Needs keras 3 (for the `.keras` files) and tf_keras (Keras 2, for the legacy `.h5` and the
SavedModel directory). No weights are downloaded and nothing is trained: the linter only reads the
saved config, so an untrained model is as good as a trained one.
"""

from __future__ import annotations

import os
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's startup chatter quiet
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # after the environment is set
from keras import layers

HERE = os.path.dirname(os.path.abspath(__file__))


def save(model: keras.Model, name: str) -> None:
    path = os.path.join(HERE, name)
    model.save(path)
    print(f"wrote {os.path.relpath(path)}")


def seed_question() -> keras.Model:
    """The seed question, verbatim: one softmax unit for a probability target, trained with MSE."""
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            layers.Dense(8, activation="relu"),
            layers.Dense(1, activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    return model


def softmax_with_from_logits_true() -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            layers.Dense(8, activation="relu", name="hidden"),
            layers.Dense(10, activation="softmax", name="head"),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def logits_with_from_logits_false() -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            layers.Dense(8, activation="relu", name="hidden"),
            layers.Dense(10, name="head"),  # linear: raw scores, not probabilities
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def softmax10_binary_crossentropy_accuracy() -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            layers.Dense(8, activation="relu", name="hidden"),
            layers.Dense(10, activation="softmax", name="head"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def sigmoid_one_unit_categorical_crossentropy() -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            layers.Dense(8, activation="relu", name="hidden"),
            layers.Dense(1, activation="sigmoid", name="head"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def dropout_after_softmax() -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            layers.Dense(8, activation="relu", name="hidden"),
            layers.Dense(10, activation="softmax", name="head"),
            layers.Dropout(0.5),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def mixed_precision_softmax() -> keras.Model:
    """The Keras mixed-precision guide's mistake: the output layer left under mixed_float16."""
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = keras.Sequential(
            [
                keras.Input(shape=(4,)),
                layers.Dense(8, activation="relu", name="hidden"),
                layers.Dense(10, activation="softmax", name="head"),
            ]
        )
    finally:
        keras.mixed_precision.set_global_policy("float32")
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def correct_mixed_precision_float32_softmax() -> keras.Model:
    """The guide's fix: the body in mixed_float16, the final softmax computed in float32."""
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = keras.Sequential(
            [
                keras.Input(shape=(4,)),
                layers.Dense(8, activation="relu", name="hidden"),
                layers.Dense(10, name="logits"),
                layers.Activation("softmax", dtype="float32", name="head"),
            ]
        )
    finally:
        keras.mixed_precision.set_global_policy("float32")
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def correct_tutorial_logits() -> keras.Model:
    """The TensorFlow "Basic classification" tutorial model, on 8x8 images to keep the file tiny."""
    model = keras.Sequential(
        [
            keras.Input(shape=(8, 8)),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def correct_multilabel_sigmoid() -> keras.Model:
    """Multi-label: one independent sigmoid per label with binary crossentropy is right."""
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            layers.Dense(8, activation="relu", name="hidden"),
            layers.Dense(5, activation="sigmoid", name="head"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy"])
    return model


def transfer_learning_softmax_one_unit() -> keras.Model:
    """Transfer learning: a base model called under a new head, the head a binary classifier
    written as one softmax unit. The base stands in for
    `keras.applications.MobileNetV3Small(include_top=False, pooling="avg")`, tiny to keep the
    file small; the linter finds the head through the base's output the same way."""
    image = keras.Input(shape=(16, 16, 3))
    features = layers.GlobalAveragePooling2D()(layers.Conv2D(8, 3, activation="relu")(image))
    base = keras.Model(image, features, name="base")
    base.trainable = False
    inputs = keras.Input(shape=(16, 16, 3))
    x = layers.Dropout(0.2)(base(inputs, training=False))
    outputs = layers.Dense(1, activation="softmax", name="head")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def keras2_models() -> None:
    """Keras 2 (tf_keras) files: the seed question as a legacy .h5 and a SavedModel directory."""
    import tf_keras

    def fresh() -> None:
        tf_keras.backend.clear_session()
        tf_keras.utils.set_random_seed(0)

    def seed_question_keras2() -> tf_keras.Model:
        model = tf_keras.Sequential(
            [
                tf_keras.Input(shape=(4,)),
                tf_keras.layers.Dense(8, activation="relu"),
                tf_keras.layers.Dense(1, activation="softmax"),
            ]
        )
        model.compile(optimizer=tf_keras.optimizers.Adam(), loss="mse")
        return model

    fresh()
    h5 = os.path.join(HERE, "keras2_seed000_softmax_one_unit_mse.h5")
    seed_question_keras2().save(h5, save_format="h5")
    print(f"wrote {os.path.relpath(h5)}")

    fresh()
    model = tf_keras.Sequential(
        [
            tf_keras.Input(shape=(4,)),
            tf_keras.layers.Dense(8, activation="relu"),
            tf_keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    savedmodel = os.path.join(HERE, "keras2_savedmodel_softmax_from_logits_true")
    shutil.rmtree(savedmodel, ignore_errors=True)  # a stale variables/ shard must not survive
    model.save(savedmodel, save_format="tf")
    print(f"wrote {os.path.relpath(savedmodel)}/")


KERAS3_EXAMPLES = {
    "seed000_softmax_one_unit_mse.keras": seed_question,
    "softmax_with_from_logits_true.keras": softmax_with_from_logits_true,
    "logits_with_from_logits_false.keras": logits_with_from_logits_false,
    "softmax10_binary_crossentropy_accuracy.keras": softmax10_binary_crossentropy_accuracy,
    "sigmoid_one_unit_categorical_crossentropy.keras": sigmoid_one_unit_categorical_crossentropy,
    "dropout_after_softmax.keras": dropout_after_softmax,
    "mixed_float16_softmax_output.keras": mixed_precision_softmax,
    "transfer_learning_softmax_one_unit.keras": transfer_learning_softmax_one_unit,
    "correct_tutorial_logits.keras": correct_tutorial_logits,
    "correct_mixed_float16_float32_softmax.keras": correct_mixed_precision_float32_softmax,
    "correct_multilabel_sigmoid.keras": correct_multilabel_sigmoid,
}


def main() -> int:
    for name, build in KERAS3_EXAMPLES.items():
        keras.backend.clear_session()  # layer names restart at `dense`, `dense_1`, ...
        keras.utils.set_random_seed(0)  # same weights every run
        save(build(), name)
    keras2_models()
    return 0


if __name__ == "__main__":
    sys.exit(main())
