# functools.partial over a layer class (Hands-On ML's `RegularizedDense`, `DefaultConv2D`): the
# bound arguments come first, keywords given at the call win.
import functools
from functools import partial

import tensorflow as tf

RegularizedDense = partial(tf.keras.layers.Dense, activation="relu", kernel_initializer="he_normal")

model = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=[28, 28]),
    RegularizedDense(100),
    RegularizedDense(10, activation="softmax", kernel_initializer="glorot_normal"),
])
model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
model.fit(x, y)

DefaultConv2D = functools.partial(tf.keras.layers.Conv2D, kernel_size=3, padding="same")
relu_head = tf.keras.Sequential([
    DefaultConv2D(filters=64, input_shape=[28, 28, 1]),
    tf.keras.layers.Flatten(),
    RegularizedDense(1),  # expect: HC202
])
relu_head.compile(loss="binary_crossentropy", optimizer="sgd")
relu_head.fit(x, y)

OneUnit = partial(tf.keras.layers.Dense, 1)
single = tf.keras.Sequential([tf.keras.Input((4,)), OneUnit(activation="softmax")])  # expect: HC101
single.compile(loss="binary_crossentropy", optimizer="sgd")
single.fit(x, y)
