"""`enumerate`, `zip` and `reversed` over known lists yield what Python yields, so a loop over them
runs once per element like a loop over the list itself (loops.py)."""

import keras
import tensorflow.experimental.numpy as tnp
from keras import layers

widths = [64, 32, 1]

# enumerate: the last of the three Dense layers, a softmax over one unit, is the head
numbered = keras.Sequential([keras.Input((8,))])
for i, width in enumerate(widths):
    numbered.add(layers.Dense(width, activation="softmax", name=f"dense_{i}"))  # expect: HC101
numbered.compile(optimizer="adam", loss="binary_crossentropy")

# reversed: the stack ends on 64 softmax units, a classifier
backwards = keras.Sequential([keras.Input((8,))])
for width in reversed(widths):
    backwards.add(layers.Dense(width, activation="softmax"))
backwards.compile(optimizer="adam", loss="categorical_crossentropy")


class Regressor(keras.Model):
    """A dense network written with TensorFlow NumPy (the keras-io recipe's style): weights made
    in build() from the block sizes, walked with zip in call()."""

    def __init__(self, blocks):
        super().__init__()
        self.blocks = blocks

    def build(self, input_shape):
        current = input_shape[1]
        self.kernels, self.biases = [], []
        for i, block in enumerate(self.blocks):
            self.kernels.append(self.add_weight(shape=(current, block), name=f"kernel-{i}"))
            self.biases.append(self.add_weight(shape=(block,), name=f"bias-{i}"))
            current = block
        self.projection = self.add_weight(shape=(current, 1), name="projection")

    def call(self, inputs):
        x = inputs
        for kernel, bias in zip(self.kernels, self.biases):
            x = tnp.maximum(tnp.matmul(x, kernel) + bias, 0.0)
        return tnp.matmul(x, self.projection)  # expect: HC202


regressor = Regressor(blocks=[3, 3])
regressor.compile(optimizer="adam", loss="mean_squared_error")

classifier = Regressor(blocks=[3, 3])
classifier.compile(optimizer="adam", loss="binary_crossentropy")
