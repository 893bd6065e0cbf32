# CTC losses differ in what they take. Keras 3's `keras.losses.CTC` ("ctc") applies a log-softmax
# itself: it takes logits. Keras 2's `backend.ctc_batch_cost(y_true, y_pred, input_length,
# label_length)` takes the log of y_pred: it takes softmax probabilities. A loss function of the
# file that applies one of them (reading y_pred's shape for the lengths) is read as that loss.
import keras
import tensorflow as tf
from keras import layers
from tensorflow.keras import backend as K


def ctc_loss(y_true, y_pred):
    batch = tf.cast(tf.shape(y_true)[0], dtype="int64")
    input_length = tf.cast(tf.shape(y_pred)[1], dtype="int64") * tf.ones((batch, 1), dtype="int64")
    label_length = tf.cast(tf.shape(y_true)[1], dtype="int64") * tf.ones((batch, 1), dtype="int64")
    return K.ctc_batch_cost(y_true, y_pred, input_length, label_length)


def ops_ctc(y_true, y_pred):
    lengths = tf.fill([y_pred.shape[0]], y_pred.shape[1])
    return tf.reduce_mean(keras.ops.ctc_loss(y_true, y_pred, lengths, lengths))


def transformed(y_true, y_pred):
    return K.ctc_batch_cost(y_true, tf.nn.softmax(y_pred), 10, 4)


frames = keras.Input((50, 32))
softmax_ctc = keras.Model(frames, layers.Dense(28, activation="softmax")(frames))  # expect: HC201
softmax_ctc.compile(optimizer="adam", loss=keras.losses.CTC())
softmax_ctc.fit(x, y)

logits_ctc = keras.Model(frames, layers.Dense(28)(frames))
logits_ctc.compile(optimizer="adam", loss="ctc")
logits_ctc.fit(x, y)

softmax_batch_cost = keras.Model(frames, layers.Dense(28, activation="softmax")(frames))
softmax_batch_cost.compile(optimizer="adam", loss=ctc_loss)
softmax_batch_cost.fit(x, y)

linear_batch_cost = keras.Model(frames, layers.Dense(28)(frames))  # expect: HC202
linear_batch_cost.compile(optimizer="adam", loss=ctc_loss)
linear_batch_cost.fit(x, y)

softmax_ops = keras.Model(frames, layers.Dense(28, activation="softmax")(frames))  # expect: HC201
softmax_ops.compile(optimizer="adam", loss=ops_ctc)
softmax_ops.fit(x, y)

unread = keras.Model(frames, layers.Dense(28)(frames))
unread.compile(optimizer="adam", loss=transformed)  # expect: HC902
unread.fit(x, y)
