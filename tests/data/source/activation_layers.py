# The final activation as its own layer or op: Activation, Softmax, tf.nn.softmax, keras.ops,
# keras.activations, applied in functional code.
import keras
import tensorflow as tf
from keras import layers

inp = keras.Input(shape=(10,))
a = layers.Activation("softmax")(layers.Dense(1)(inp))  # expect: HC101
m1 = keras.Model(inp, a)

b = layers.Softmax()(layers.Dense(10, activation="softmax")(inp))  # expect: HC102
m2 = keras.Model(inp, b)

c = tf.nn.softmax(layers.Dense(1)(inp))  # expect: HC101
m3 = keras.Model(inp, c)

d = keras.ops.softmax(layers.Dense(1)(inp), axis=-1)  # expect: HC101
m4 = keras.Model(inp, d)

e = keras.activations.softmax(layers.Dense(6)(inp))  # expect: HC203
m5 = keras.Model(inp, e)
m5.compile(loss="mse")

f = layers.Dense(4)(inp)
f = keras.ops.sigmoid(f)
m6 = keras.Model(inp, f)
m6.compile(loss="binary_crossentropy")

seq = keras.Sequential([layers.Dense(10), layers.Activation(keras.activations.softmax)])  # expect: HC201
seq.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))
