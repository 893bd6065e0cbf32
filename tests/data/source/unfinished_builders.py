"""An exercise's builder left unfinished returns None: its compile is reported (HC901 saying the
value is None), never passed over in silence; a finished builder next to it is checked as usual."""

import keras


def build_model(input_shape):
    model = None  # YOUR CODE HERE
    return model


def build_finished(input_shape):
    return keras.Sequential([keras.Input(input_shape), keras.layers.Dense(1, activation="softmax")])  # expect: HC101


model = build_model((8,))
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])  # expect: HC901
model.fit(x, y)

finished = build_finished((8,))
finished.compile(optimizer="adam", loss="binary_crossentropy")
finished.fit(x, y)

pattern = None
pattern.compile("a+b")  # not Keras's compile: no finding
