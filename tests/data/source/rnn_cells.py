"""`keras.layers.RNN` over Keras's own cells computes what the cell's layer does (RNN(LSTMCell(n))
is LSTM(n)): its tanh output is not a probability; a stack of cells outputs its last cell's."""

import keras
from keras import layers

seq = keras.Input((5, 3))

# tanh outputs from an LSTM cell, trained as class probabilities
cce = keras.Model(seq, layers.RNN(layers.LSTMCell(4))(seq))  # expect: HC202
cce.compile(optimizer="adam", loss="categorical_crossentropy")

# a stack of cells: the last one's single softmax unit is the output
stacked = keras.Sequential(
    [keras.Input((5, 3)), layers.RNN([layers.GRUCell(8), layers.SimpleRNNCell(1, activation="softmax")])]  # expect: HC101
)
stacked.compile(optimizer="adam", loss="binary_crossentropy")

# cells made in a loop, then a Dense head: the head is the Dense, and it is right
cells = [layers.LSTMCell(16) for _ in range(2)]
features = layers.RNN(cells, return_sequences=True)(seq)
tagger = keras.Model(seq, layers.TimeDistributed(layers.Dense(6, activation="softmax"))(features))
tagger.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

# a sigmoid cell in both directions: eight independent probabilities
both = keras.Sequential([keras.Input((5, 3)), layers.Bidirectional(layers.RNN(layers.GRUCell(4, activation="sigmoid")))])
both.compile(optimizer="adam", loss="binary_crossentropy")


class MinimalCell(layers.Layer):
    """A cell of the user's own: its call() is not read as a built-in cell."""

    def __init__(self, units):
        super().__init__()
        self.units = units
        self.state_size = units

    def call(self, inputs, states):
        return inputs[:, : self.units], states


own = keras.Sequential([keras.Input((5, 3)), layers.RNN(MinimalCell(2))])  # expect: HC901
own.compile(optimizer="adam", loss="mse")

# StackedRNNCells written out, as a Sequential's last layer
stack = layers.StackedRNNCells([layers.LSTMCell(8), layers.LSTMCell(3)])
tokens = keras.Sequential([keras.Input((5, 3)), layers.RNN(stack)])  # expect: HC202
tokens.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy())

# TF 2's LSTM cell with peephole connections, outside keras.layers: an LSTM's tanh output
import tensorflow as tf

peephole = tf.keras.Sequential(
    [tf.keras.Input((5, 3)), tf.keras.layers.RNN(tf.keras.experimental.PeepholeLSTMCell(8))]  # expect: HC202
)
peephole.compile(optimizer="adam", loss="categorical_crossentropy")
