# HC202: linear outputs under losses that expect probabilities.
import tensorflow as tf
from tensorflow import keras

scores = keras.Sequential([keras.Input((20,)), keras.layers.Dense(10)])
scores.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])

logit = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])
logit.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))

smoothed = keras.Sequential([keras.Input((20,)), keras.layers.Dense(4)])
smoothed.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1))

focal = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])
focal.compile(loss=keras.losses.BinaryFocalCrossentropy(
    gamma=2.0, from_logits=True,
))
