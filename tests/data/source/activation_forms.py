# Activations written as strings, keras.activations functions, tf.nn functions, layer objects.
import keras
import tensorflow as tf
from keras import activations, layers

a = keras.Sequential([layers.Dense(1, activation=activations.softmax)])  # expect: HC101
b = keras.Sequential([layers.Dense(1, activation=tf.nn.softmax)])  # expect: HC101
c = keras.Sequential([layers.Dense(4, activation=keras.activations.sigmoid)])  # expect: HC204
c.compile(loss="categorical_crossentropy")
d = keras.Sequential([layers.Dense(3, activation=tf.keras.activations.tanh)])  # expect: HC210
d.compile(loss=keras.losses.KLDivergence())
e = keras.Sequential([layers.Dense(1, "softmax")])  # expect: HC101
f = keras.Sequential([layers.Dense(2, activation=None)])  # expect: HC202
f.compile(loss="binary_crossentropy")
g = keras.Sequential([layers.Dense(1, activation=layers.LeakyReLU())])  # expect: HC209
g.compile(loss="poisson")
h = keras.Sequential([layers.Dense(1, activation=tf.math.sigmoid)])
h.compile(loss="binary_crossentropy")


class LookedUp(layers.Layer):
    """A custom layer storing its activation as Keras's own layers do (a custom layer's head is
    reported where it is computed)."""

    def __init__(self, units, activation=None):
        super().__init__()
        self.inner = layers.Dense(units)  # expect: HC202
        self.activation = keras.activations.get(activation)

    def call(self, inputs):
        return self.activation(self.inner(inputs))  # expect: HC203


i = keras.Sequential([keras.Input((4,)), LookedUp(3, activation="softmax")])
i.compile(loss="mse")
j = keras.Sequential([keras.Input((4,)), LookedUp(1)])
j.compile(loss="binary_crossentropy")
k = keras.Sequential([keras.Input((4,)), LookedUp(1, activation=tf.nn.sigmoid)])
k.compile(loss="binary_crossentropy")

