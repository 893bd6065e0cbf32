# Several outputs: dict and list outputs, losses per output (dict or list), metrics lists.
import keras
from keras import layers

inp = keras.Input(shape=(16,))
h = layers.Dense(32, activation="relu")(inp)
kind = layers.Dense(5, activation="softmax", name="kind")(h)
score = layers.Dense(1, activation="softmax", name="score")(h)  # expect: HC101, HC203
tags = layers.Dense(4, activation="sigmoid", name="tags")(h)

by_name = keras.Model(inp, {"kind": kind, "score": score, "tags": tags})
by_name.compile(
    optimizer="adam",
    loss={"kind": "sparse_categorical_crossentropy", "score": "mse", "tags": "binary_crossentropy"},
    metrics={"kind": ["accuracy"], "tags": [keras.metrics.AUC()]},
)

age = layers.Dense(1, name="age")(h)
gender = layers.Dense(1, activation="sigmoid", name="gender")(h)
by_position = keras.Model(inputs=inp, outputs=[age, gender])
by_position.compile(loss=["mae", "binary_crossentropy"], metrics=[["mae"], ["accuracy"]])

accuracy_on_age = keras.Model(inp, [age, gender])
accuracy_on_age.compile(loss=["mae", "binary_crossentropy"], metrics=["accuracy"])  # expect: HC301

# A model built with a list of outputs returns a list: the outputs of a discriminator and of an
# encoder joined by `+` are the adversarial model's three outputs, one loss each (StackedGAN).
real = layers.Dense(1, activation="sigmoid")(h)
code = layers.Dense(4, activation="tanh")(h)
discriminator = keras.Model(inp, [real, code])
encoder = keras.Model(inp, layers.Dense(10, activation="sigmoid")(h))  # expect: HC204
z = keras.Input(shape=(16,))
adversarial = keras.Model(z, discriminator(z) + [encoder(z)])
adversarial.compile(loss=["binary_crossentropy", "mse", "categorical_crossentropy"])
