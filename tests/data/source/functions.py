# Models built by functions: arguments are followed into the call; uncalled functions are still read.
import argparse

import keras
from keras import layers

CLASSES = ["a", "b", "c"]


def build(n_out, activation="softmax"):
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(16, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(n_out, activation=activation),  # expect: HC101
    ])


def train(model, loss):
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])


def never_called(width):
    model = keras.Sequential([layers.Dense(width), layers.Dense(1, activation="softmax")])  # expect: HC101, HC203
    model.compile(loss="mse")
    return model


def main():
    args = argparse.ArgumentParser().parse_args()
    multi = build(len(CLASSES))
    train(multi, "categorical_crossentropy")
    single = build(1)
    train(single, "binary_crossentropy")
    unknown = build(args.n)
    train(unknown, "categorical_crossentropy")


if __name__ == "__main__":
    main()
