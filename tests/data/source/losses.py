# Losses as strings, functions and objects; metrics as strings and objects.
import keras
import tensorflow as tf
from keras.losses import mean_squared_error

a = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
a.compile(loss=keras.losses.categorical_crossentropy)
b = keras.Sequential([keras.layers.Dense(10, activation="softmax")])  # expect: HC203
b.compile(loss=mean_squared_error)
c = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])  # expect: HC201
c.compile(loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
d = keras.Sequential([keras.layers.Dense(1)])
d.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=[keras.metrics.AUC()])  # expect: HC303
e = keras.Sequential([keras.layers.Dense(1)])
e.compile(loss=keras.losses.BinaryCrossentropy(True), metrics=[keras.metrics.AUC(from_logits=True)])
f = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])  # expect: HC208
f.compile(loss="squared_hinge")
g = keras.Sequential([keras.layers.Dense(1, activation="tanh")])  # expect: HC211
g.compile(loss="msle")


def contrastive(y_true, y_pred):
    return y_true * y_pred


h = keras.Sequential([keras.layers.Dense(1)])
h.compile(loss=contrastive)  # expect: HC902
