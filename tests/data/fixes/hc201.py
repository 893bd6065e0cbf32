# HC201: a softmax output under a loss built with from_logits=True.
import keras
from keras import layers

model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)

binary = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
binary.compile(loss=keras.losses.BinaryCrossentropy(label_smoothing=0.1, from_logits=True))

multi = keras.Sequential([keras.Input((8,)), layers.Dense(5, activation="softmax")])
multi.compile(
    "adam",
    keras.losses.CategoricalCrossentropy(
        from_logits=True,  # the output is already probabilities
        label_smoothing=0.05,
    ),
)
