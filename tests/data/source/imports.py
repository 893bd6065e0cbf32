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
