# HC202: linear outputs under losses that expect probabilities.
import tensorflow as tf
from tensorflow import keras

scores = keras.Sequential([keras.Input((20,)), keras.layers.Dense(10)])
scores.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

logit = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])
logit.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy())

smoothed = keras.Sequential([keras.Input((20,)), keras.layers.Dense(4)])
smoothed.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=False, label_smoothing=0.1))

focal = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])
focal.compile(loss=keras.losses.BinaryFocalCrossentropy(
    gamma=2.0,
))
