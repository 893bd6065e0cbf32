# Chains that leave what the reader can see: the facts stay unknown and the target rules quiet.
import os

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from keras import layers


def classifier(units, activation, loss):
    model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(units, activation=activation)])
    model.compile(optimizer="adam", loss=loss)
    return model


frame = pd.read_csv("train.csv")
classifier(10, "softmax", "categorical_crossentropy").fit(frame.drop("y", axis=1), frame["y"])


def batches():
    while True:
        yield np.zeros((8, 4)), np.zeros((8,))


classifier(10, "softmax", "categorical_crossentropy").fit(batches())
names = os.listdir("photos")
classifier(10, "softmax", "categorical_crossentropy").fit(np.zeros((3, 4)), np.array(names))

(x, y), _ = keras.datasets.mnist.load_data()
mapped = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a, tf.one_hot(b, 10))).batch(8)
classifier(10, "softmax", "categorical_crossentropy").fit(mapped)
unbatched = tf.data.Dataset.from_tensor_slices((x, y))  # never batched: not what fit sees per batch
classifier(10, "softmax", "categorical_crossentropy").fit(unbatched)
inputs_only = keras.utils.image_dataset_from_directory("photos", labels=None)
classifier(10, "softmax", "categorical_crossentropy").fit(inputs_only)
autoencoder = keras.preprocessing.image.ImageDataGenerator().flow_from_directory("p", class_mode="input")
classifier(10, "softmax", "categorical_crossentropy").fit(autoencoder)

if os.environ.get("ONE_HOT"):  # labels that differ by branch: unknown after it
    y = keras.utils.to_categorical(y, 10)
classifier(10, "softmax", "categorical_crossentropy").fit(x, y)

(_, uint_y), _ = keras.datasets.mnist.load_data()
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x, uint_y - 1)  # uint8 wraps around

sequences = keras.utils.to_categorical(frame["tokens"], 100)  # the rank of unknown labels: unknown
seq = keras.Sequential([layers.Embedding(100, 8), layers.LSTM(8, return_sequences=True), layers.Dense(100, activation="softmax")])
seq.compile(loss="categorical_crossentropy")
seq.fit(frame["ids"], sequences)
seq.fit(frame["ids"], np.eye(100)[frame["tokens"]])
seq.fit(frame["ids"], tf.one_hot(frame["tokens"], 100))

(ix, iy), _ = keras.datasets.imdb.load_data(maxlen=100)  # 0/1 labels: binary crossentropy is right
classifier(1, "sigmoid", "binary_crossentropy").fit(ix, iy)


class Custom(keras.Model):  # its own train_step may use the targets in any way (and its loss: HC902)
    def train_step(self, data):
        return {}


custom = Custom()  # expect: HC901
custom.compile(loss="categorical_crossentropy")  # expect: HC902
custom.fit(ix, iy)

two_classes = (y_ids := keras.datasets.mnist.load_data()[0][1]) < 2  # rows picked by a mask
classifier(2, "softmax", "sparse_categorical_crossentropy").fit(x[two_classes], y_ids[two_classes])
filtered = tf.data.Dataset.from_tensor_slices((x, y_ids)).filter(lambda a, b: b < 2).batch(8)
classifier(2, "softmax", "sparse_categorical_crossentropy").fit(filtered)  # may drop classes
