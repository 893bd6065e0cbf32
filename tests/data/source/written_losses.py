# A loss function (or a Loss subclass's call, or a LossFunctionWrapper subclass's function) that
# writes a regression loss out as math on its own (y_true, y_pred) is that Keras loss for the
# head rules, named as written: squared differences -> MSE (and its root), absolute ones -> MAE
# (and Charbonnier's smooth L1), Huber's squared-then-absolute `where`, plus at most a penalty
# pulling the predictions to a constant; print calls (tracing messages) aside.
# Any other math (a transformed y_pred or y_true, a product with y_true, a penalty that is not a
# distance to a constant, a name assigned twice, a branch, berHu's absolute-then-squared `where`)
# stays HC902.
import keras
import numpy as np
import tensorflow as tf
from keras import backend as K
from keras import layers, ops

EPSILON = 1e-3


def custom_mse(y_true, y_pred):
    return tf.math.reduce_mean(tf.square(y_true - y_pred), axis=-1)


def ops_mae(y_true, y_pred):
    return ops.mean(ops.abs(y_pred - y_true))


def builtin_mae(y_true, y_pred):
    """Python's abs() on tensors."""
    return K.mean(abs(y_true - y_pred), axis=-1)


def backend_mse(y_true, y_pred):
    return K.mean(K.square(y_pred - y_true), axis=-1)


def numpy_sse(y_true, y_pred):
    return 0.5 * np.sum((y_true - y_pred) ** 2)


def rmse(y_true, y_pred):
    return tf.sqrt(tf.reduce_mean(tf.square(y_pred - y_true)))


def charbonnier(y_true, y_pred):
    return tf.reduce_mean(tf.sqrt(tf.square(y_true - y_pred) + tf.square(EPSILON)))


class PenalisedMSE(keras.losses.Loss):
    def __init__(self, factor=0.1, name="penalised_mse"):
        super().__init__(name=name)
        self.factor = factor

    def call(self, y_true, y_pred):
        mse = tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)
        reg = tf.reduce_mean(tf.square(0.5 - y_pred), axis=-1)
        return mse + reg * self.factor


def penalised(y_true, y_pred, factor=0.1):
    distance = y_true - y_pred
    return ops.mean(ops.square(distance)) + factor * ops.mean(ops.square(y_pred - 0.5))


class Wrapped(keras.losses.LossFunctionWrapper):
    def __init__(self, name="wrapped", factor=0.2):
        super().__init__(penalised, name=name, factor=factor)


m1 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m1.compile(loss=custom_mse)
m2 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m2.compile(loss=ops_mae)
m3 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m3.compile(loss=backend_mse)
m4 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m4.compile(loss=numpy_sse)
m5 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m5.compile(loss=rmse)
m6 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m6.compile(loss=charbonnier)
m7 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m7.compile(loss=PenalisedMSE())
m8 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m8.compile(loss=Wrapped())
m9 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m9.compile(loss=lambda t, p: ops.mean(ops.square(t - p)))
m10 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m10.compile(loss=builtin_mae)


def huber_fn(y_true, y_pred):
    error = y_true - y_pred
    is_small_error = tf.abs(error) < 1
    squared_loss = tf.square(error) / 2
    linear_loss = tf.abs(error) - 0.5
    return tf.where(is_small_error, squared_loss, linear_loss)


def make_huber(threshold=1.0):
    def huber(y_true, y_pred):
        error = y_pred - y_true
        large = threshold <= ops.abs(error)  # the comparison turned round, the branches too
        linear = threshold * ops.abs(error) - threshold**2 / 2
        return ops.where(large, linear, 0.5 * ops.square(error))
    return huber


class Huber(keras.losses.Loss):
    def __init__(self, threshold=1.0, **kwargs):
        self.threshold = threshold
        super().__init__(**kwargs)

    def call(self, y_true, y_pred):
        error = y_true - y_pred
        small = tf.abs(error) < self.threshold
        linear = self.threshold * tf.abs(error) - self.threshold**2 / 2
        return tf.where(small, tf.square(error) / 2, linear)


def traced_mse(y_true, y_pred):
    print("Tracing loss traced_mse()")
    tf.print("y_pred:", y_pred)
    return tf.reduce_mean(tf.square(y_pred - y_true))


m11 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m11.compile(loss=huber_fn)
m12 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m12.compile(loss=make_huber(2.0))
m13 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m13.compile(loss=Huber(2.0))
m14 = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])  # expect: HC203
m14.compile(loss=traced_mse)
# A linear regression head with its loss written out is clean; accuracy on it is still HC301.
linear = keras.Sequential([keras.Input((8,)), layers.Dense(3)])
linear.compile(loss=custom_mse)
linear.fit(x, y)
tracked = keras.Sequential([keras.Input((8,)), layers.Dense(3)])
tracked.compile(loss=ops_mae, metrics=["accuracy"])  # expect: HC301
tracked.fit(x, y)


# Not read.
def contrastive(y_true, y_pred):
    margin = tf.square(tf.maximum(1.0 - y_pred, 0))
    return tf.reduce_mean(y_true * tf.square(y_pred) + (1 - y_true) * margin)


def argmax_mse(y_true, y_pred):
    return K.mean(K.square(K.argmax(y_true, axis=-1) - K.argmax(y_pred, axis=-1)))


def pulled_to_zero(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred)) + tf.reduce_mean(tf.square(y_pred))


def minus_penalty(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred)) - tf.reduce_mean(tf.square(0.5 - y_pred))


def rebound(y_true, y_pred):
    d = y_true - y_pred
    d = d * tf.reduce_max(y_true)
    return tf.reduce_mean(tf.square(d))


def branching(y_true, y_pred):
    if EPSILON > 0:
        return tf.reduce_mean(tf.abs(y_true - y_pred))
    return tf.reduce_mean(tf.square(y_true - y_pred))


def weighted_by_targets(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred) * y_true)


def reversed_huber(y_true, y_pred):
    """Absolute below the threshold and squared above it (berHu): not Huber, not read."""
    error = y_true - y_pred
    return tf.where(tf.abs(error) < 1.0, tf.abs(error), tf.square(error) / 2)


def huber_on_targets(y_true, y_pred):
    """A threshold that depends on the targets: not a constant."""
    error = y_true - y_pred
    return tf.where(tf.abs(error) < y_true, tf.square(error) / 2, tf.abs(error) - 0.5)


def printing_a_call(y_true, y_pred):
    print(helper(y_pred))  # a call of the file's runs: not read
    return tf.reduce_mean(tf.square(y_pred - y_true))


def helper(d):
    return d * d


def through_helper(y_true, y_pred):
    return tf.reduce_mean(helper(y_true - y_pred))


for unread in (contrastive, argmax_mse, pulled_to_zero, minus_penalty, rebound, branching,
               weighted_by_targets, through_helper):
    head = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])
    head.compile(loss=unread)  # expect: HC902
    head.fit(x, y)
for unread in (reversed_huber, huber_on_targets, printing_a_call):  # (at most 8 a loop)
    head = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])
    head.compile(loss=unread)  # expect: HC902
    head.fit(x, y)
