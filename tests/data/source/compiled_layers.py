# A custom Layer with Keras's backend Trainer mixed in is a model: compiled and trained, its
# call() gives its heads (Keras's own trainer tests build models this way).
import numpy as np
from keras import layers
from keras.src.backend.tensorflow.trainer import TensorFlowTrainer as Trainer


class Pair(Trainer, layers.Layer):
    def __init__(self, units):
        layers.Layer.__init__(self)
        Trainer.__init__(self)
        self.first = layers.Dense(units, activation="softmax")  # expect: HC101, HC203
        self.second = layers.Dense(units)

    def call(self, x):
        return {"first": self.first(x), "second": self.second(x)}


class PassOn(Trainer, layers.Layer):
    def call(self, x, training=False):
        if training:
            return x
        return x * 0


model = Pair(1)
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((8, 2)), np.ones((8, 1)))
other = PassOn()  # expect: HC901
other.compile(optimizer="sgd", loss="mse")
other.fit(np.ones((8, 2)), np.ones((8, 2)))
