# A loss function of the file that applies a known Keras loss to its (y_true, y_pred) as given,
# on every path, and only scales its value afterwards (a mean, a mask), is read as that loss
# (with its from_logits as written); so is a keras.losses.Loss subclass whose call() does. One
# that computes anything else stays HC902, named.
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


def two_steps(y_true, y_pred):
    value = keras.losses.binary_crossentropy(y_true, y_pred)
    return value


steps = keras.Sequential([keras.Input((8,)), layers.Dense(1)])  # expect: HC202
steps.compile(loss=two_steps)
steps.fit(x, y)

# The tutorials' masked loss: a loss object applied once, its value masked and averaged.
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")


def masked_loss(label, pred):
    mask = label != 0
    value = loss_object(label, pred)
    mask = tf.cast(mask, dtype=value.dtype)
    value *= mask
    return tf.reduce_sum(value) / tf.reduce_sum(mask)


masked = keras.Sequential([keras.Input((8,)), layers.Dense(5, activation="softmax")])  # expect: HC201
masked.compile(optimizer="adam", loss=masked_loss)
masked.fit(x, y)
masked_logits = keras.Sequential([keras.Input((8,)), layers.Dense(5)])
masked_logits.compile(optimizer="adam", loss=masked_loss)
masked_logits.fit(x, y)


class NonPaddingLoss(keras.losses.Loss):
    """A Loss subclass making its loss object in call(), as keras-io's NER example does."""

    def call(self, y_true, y_pred):
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)
        mask = tf.cast(y_true > 0, dtype=tf.float32)
        return tf.reduce_sum(loss_fn(y_true, y_pred) * mask) / tf.reduce_sum(mask)


class KeptLoss(keras.losses.Loss):
    """A Loss subclass whose loss object is set once in __init__."""

    def __init__(self, name="kept"):
        super().__init__(name=name)
        self.inner = keras.losses.BinaryCrossentropy(from_logits=True)

    def call(self, y_true, y_pred):
        return self.inner(y_true, y_pred)


tagger = keras.Sequential([keras.Input((8,)), layers.Dense(9, activation="softmax")])  # expect: HC201
tagger.compile(optimizer="adam", loss=NonPaddingLoss())
tagger.fit(x, y)
kept = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])  # expect: HC201
kept.compile(optimizer="adam", loss=KeptLoss())
kept.fit(x, y)


# Not a known loss: arithmetic on y_pred, math on a transformed y_pred, several losses, a
# run-time flag.
def scaled(y_true, y_pred):
    return keras.losses.binary_crossentropy(y_true, y_pred * 0.5)


def squashed_mse(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - tf.nn.sigmoid(y_pred)))


def mixed(y_true, y_pred):
    return keras.losses.binary_crossentropy(y_true, y_pred) + keras.losses.mse(y_true, y_pred)


def flagged(y_true, y_pred, from_logits=False):
    return keras.losses.binary_crossentropy(y_true, y_pred, from_logits=from_logits)


def reassigned(y_true, y_pred):
    y_pred = tf.nn.softmax(y_pred)
    return keras.losses.categorical_crossentropy(y_true, y_pred)


def sometimes(y_true, y_pred):
    if tf.reduce_sum(y_true) > 0:
        return keras.losses.binary_crossentropy(y_true, y_pred)
    return tf.reduce_mean(y_pred)


def regularised(y_true, y_pred):
    value = keras.losses.binary_crossentropy(y_true, y_pred)
    return value + 0.1 * tf.reduce_mean(tf.square(y_pred))


class Contrastive(keras.losses.Loss):
    def call(self, y_true, y_pred):
        return tf.reduce_mean(y_true * tf.square(y_pred))


s1 = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
s1.compile(loss=scaled)  # expect: HC902
s1.fit(x, y)
s2 = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
s2.compile(loss=squashed_mse)  # expect: HC902
s2.fit(x, y)
s3 = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
s3.compile(loss=mixed)  # expect: HC902
s3.fit(x, y)
s4 = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
s4.compile(loss=flagged)  # expect: HC902
s4.fit(x, y)
s5 = keras.Sequential([keras.Input((8,)), layers.Dense(5)])
s5.compile(loss=reassigned)  # expect: HC902
s5.fit(x, y)
s6 = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
s6.compile(loss=sometimes)  # expect: HC902
s6.fit(x, y)
s7 = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
s7.compile(loss=regularised)  # expect: HC902
s7.fit(x, y)
s8 = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
s8.compile(loss=Contrastive())  # expect: HC902
s8.fit(x, y)
