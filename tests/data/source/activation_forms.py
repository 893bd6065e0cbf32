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
