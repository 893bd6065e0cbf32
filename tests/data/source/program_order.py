# Program order: the compile in force when `fit` runs is the one checked, and a dtype policy applies
# to the layers created after it is set (as Python runs the file).
import keras
import keras_tuner
import numpy as np
import tensorflow as tf
from keras import layers

# Compiled for regression first, then compiled again before any training: only the second counts.
replaced = keras.Sequential([keras.Input((32,)), layers.Dense(10, activation="softmax")])
replaced.compile(optimizer="adam", loss="mse", metrics=["mae"])
replaced.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
replaced.fit(x, y)

# The failing shape: trained with the wrong compile, then compiled again.
trained = keras.Sequential([keras.Input((32,)), layers.Dense(10, activation="softmax")])  # expect: HC203
trained.compile(optimizer="adam", loss="mse")
trained.fit(x, y)
trained.compile(optimizer="adam", loss="categorical_crossentropy")
trained.evaluate(x, y)

# Compiled in a branch that may not run: both compiles may be in force at fit.
either = keras.Sequential([keras.Input((32,)), layers.Dense(10, activation="softmax")])  # expect: HC203
either.compile(loss="categorical_crossentropy")
if FLAGS.regression:
    either.compile(loss="mse")
either.fit(x, y)


# Built by a tuner, at `search` time: before the policy below is set.
def build(hp):
    model = keras.Sequential([layers.Dense(hp.Int("units", 8, 64)), layers.Dense(10, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy")
    return model


tuner = keras_tuner.RandomSearch(build, objective="val_loss")
tuner.search(x, y)

before = keras.Sequential([keras.Input((8,)), layers.Dense(2, activation="softmax")])
keras.mixed_precision.set_global_policy("mixed_float16")
after = keras.Sequential([keras.Input((8,)), layers.Dense(2, activation="softmax")])  # expect: HC501
fixed = keras.Sequential([keras.Input((8,)), layers.Dense(2), layers.Activation("softmax", dtype="float32")])
# The dtype as TensorFlow's or NumPy's object names it too (Zero to Mastery's food vision).
framework = keras.Sequential([keras.Input((8,)), layers.Dense(2), layers.Activation("softmax", dtype=tf.float32)])
half = keras.Sequential([keras.Input((8,)), layers.Dense(2), layers.Activation("softmax", dtype=np.float16)])  # expect: HC501
# A dtype given but not known to the reader overrides the policy all the same: nothing is said.
chosen = keras.Sequential([keras.Input((8,)), layers.Dense(2), layers.Activation("softmax", dtype=OUTPUT_DTYPE)])
# Float16 logits under a from_logits loss: Keras 3 casts them to float32 before the crossentropy.
logits = keras.Sequential([keras.Input((8,)), layers.Dense(2)])
logits.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
# The same float16 head under a regression loss is still computed in float16.
regression = keras.Sequential([keras.Input((8,)), layers.Dense(2)])  # expect: HC501
regression.compile(loss="mse")
