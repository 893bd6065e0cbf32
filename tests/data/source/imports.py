# Every way of importing Keras names.
import keras as K
import tensorflow as tf
from keras import Sequential
from keras.layers import Dense
from tensorflow.keras import layers
from tensorflow import keras as tfk
import tensorflow.keras.layers as L

a = Sequential([Dense(1, activation="softmax")])  # expect: HC101
b = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="softmax")])  # expect: HC101
c = K.Sequential([K.layers.Dense(1, activation="softmax")])  # expect: HC101
d = tf.keras.models.Sequential([layers.Dense(1, activation="softmax")])  # expect: HC101
e = tfk.Sequential([tfk.layers.Dense(1, activation="softmax")])  # expect: HC101
f = K.models.Sequential([L.Dense(1, activation="softmax")])  # expect: HC101
g = Sequential([Dense(1, activation="sigmoid")])

# Keras 3 under its pre-release name, and TF 1's compat path to tf.keras.
import keras_core
from tensorflow.compat.v1.python.keras import layers as v1_layers

h = keras_core.Sequential([keras_core.layers.Dense(1, activation="softmax")])  # expect: HC101
i = keras_core.Sequential([v1_layers.Dense(1, activation="softmax")])  # expect: HC101

# Keras 2's own modules, as Keras 2 code (and its tests) import them: the same Model classes.
from tf_keras.engine import functional, training
from keras.engine.training import Model as EngineModel

x = tf.keras.Input((4,))
j = training.Model(x, Dense(1, activation="softmax")(x))  # expect: HC101
k = functional.Functional(x, Dense(1, activation="softmax")(x))  # expect: HC101
m = EngineModel(x, Dense(1, activation="softmax")(x))  # expect: HC101
# Keras 2 also exported Input from keras.models (Jason Brownlee's widely copied pix2pix code).
from keras.models import Input as Keras2Input

inp = Keras2Input((1,))
n = EngineModel(inp, K.layers.Activation("softmax")(inp))  # expect: HC101

# KerasTuner's own code and tests import Keras through its backend switch (Keras 3 or tf.keras).
from keras_tuner.backend import keras as kt_keras

n = kt_keras.Sequential([kt_keras.layers.Dense(1, activation="softmax")])  # expect: HC101

# TensorFlow 1.1 to 1.3 shipped Keras as tf.contrib.keras (and its api.keras modules).
import tensorflow.contrib.keras as contrib_keras
from tensorflow.contrib.keras.api.keras.layers import Input as ContribInput
from tensorflow.contrib.keras.api.keras.models import Model as ContribModel
from tensorflow.contrib.keras.python.keras.layers import TimeDistributed as ContribTimeDistributed

board = ContribInput((4,))
o = ContribModel(board, contrib_keras.layers.Dense(1, activation="softmax")(board))  # expect: HC101
steps = ContribInput((5, 4))
tag = contrib_keras.layers.Dense(1, activation="softmax")
tagged = ContribTimeDistributed(tag)  # expect: HC101
p = ContribModel(steps, tagged(steps))
