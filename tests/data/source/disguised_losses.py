# A loss function of the file whose body only returns a known Keras loss of its (y_true, y_pred),
# possibly inside a mean, is read as that loss (with its from_logits as written); one that
# computes anything else stays HC902, named.
import keras
import tensorflow as tf
from keras import layers


def loss(labels, logits):
    return tf.keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)


softmax = keras.Sequential([keras.Input((8,)), layers.Dense(5, activation="softmax")])  # expect: HC201
softmax.compile(optimizer="adam", loss=loss)
softmax.fit(x, y)

logits = keras.Sequential([keras.Input((8,)), layers.Dense(5)])
logits.compile(optimizer="adam", loss=loss)
logits.fit(x, y)


def mean_bce(y_true, y_pred):
    """Binary crossentropy, averaged over the batch."""
    return tf.reduce_mean(keras.losses.BinaryCrossentropy()(y_true, y_pred))


linear = keras.Sequential([keras.Input((8,)), layers.Dense(1)])  # expect: HC202
linear.compile(optimizer="adam", loss=mean_bce)
linear.fit(x, y)

lam = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])  # expect: HC203
lam.compile(loss=lambda y, p: keras.losses.mean_squared_error(y, p))
lam.fit(x, y)


# Not a known loss: arithmetic on y_pred, custom math, several losses, a run-time flag.
def scaled(y_true, y_pred):
    return keras.losses.binary_crossentropy(y_true, y_pred * 0.5)


def my_mse(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred))


def mixed(y_true, y_pred):
    return keras.losses.binary_crossentropy(y_true, y_pred) + keras.losses.mse(y_true, y_pred)


def flagged(y_true, y_pred, from_logits=False):
    return keras.losses.binary_crossentropy(y_true, y_pred, from_logits=from_logits)


def two_steps(y_true, y_pred):
    value = keras.losses.binary_crossentropy(y_true, y_pred)
    return value


s1 = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
s1.compile(loss=scaled)  # expect: HC902
s1.fit(x, y)
s2 = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
s2.compile(loss=my_mse)  # expect: HC902
s2.fit(x, y)
s3 = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
s3.compile(loss=mixed)  # expect: HC902
s3.fit(x, y)
s4 = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
s4.compile(loss=flagged)  # expect: HC902
s4.fit(x, y)
s5 = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
s5.compile(loss=two_steps)  # expect: HC902
s5.fit(x, y)
