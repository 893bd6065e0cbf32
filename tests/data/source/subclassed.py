# Subclassed models: __init__ layers, call() followed in training mode, bound to the compile.
import sys

import keras
import tensorflow as tf
from keras import layers, ops


class Classifier(keras.Model):
    def __init__(self, num_classes=10, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(64, activation="relu")
        self.drop = layers.Dropout(0.5)
        self.classifier = layers.Dense(num_classes, activation="softmax")  # expect: HC101

    def call(self, inputs, training=False):
        x = self.hidden(inputs)
        if training:
            x = self.drop(x, training=training)
        return self.classifier(x)


model = Classifier(1)
model.compile(optimizer="adam", loss="binary_crossentropy")

fine = Classifier(10)
fine.compile(optimizer="adam", loss="sparse_categorical_crossentropy")


class Logits(keras.Model):
    """The training branch returns logits, inference a softmax: the loss sees the logits."""

    def __init__(self):
        super().__init__()
        self.body = keras.Sequential([layers.Dense(32, activation="relu")])
        self.logits = layers.Dense(5)

    def call(self, x, training=None):
        logits = self.logits(self.body(x))
        if training:
            return logits
        return tf.nn.softmax(logits)


Logits().compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))


class Heads(Logits):  # through another class of the file
    def __init__(self):
        super().__init__()
        self.kind = layers.Dense(3, activation="softmax")  # expect: HC205
        self.score = layers.Dense(1, activation="sigmoid")

    def features(self, x):
        return self.body(x)

    def call(self, x):
        h = self.features(x)
        return {"kind": self.kind(h), "score": self.score(h)}


heads = Heads()
heads.compile(loss={"kind": "binary_crossentropy", "score": "mse"})


class Pair(keras.Model):
    def __init__(self):
        super().__init__()
        self.a = layers.Dense(4, activation="softmax")  # expect: HC201, HC203
        self.b = layers.Dense(1)  # expect: HC206

    def call(self, x):
        return self.a(x), self.b(x)


pair = Pair()
pair.compile(loss=[keras.losses.CategoricalCrossentropy(from_logits=True), "mse"])


class Trainer(keras.Model):
    """A train_step with its own loss: the compiled loss does not train call()'s output."""

    def __init__(self):
        super().__init__()
        self.out = layers.Dense(10, activation="softmax")

    def call(self, x):
        return self.out(x)

    def train_step(self, data):
        x, y = data
        loss = keras.losses.mean_squared_error(y, self(x))
        return {"loss": loss}


Trainer().compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))  # expect: HC902


class Functional(keras.Model):
    def train_step(self, data):
        return super().train_step(data)


inputs = keras.Input((8,))
functional = Functional(inputs, layers.Dense(1, activation="softmax")(inputs))  # expect: HC101
functional.compile(loss="binary_crossentropy")


class Residual(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(8)

    def call(self, x):
        return self.dense(x) + x  # an unbounded sum (readers/merges.py): linear, clean under mse


Residual().compile(loss="mse")


class Scaled(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(8)

    def call(self, x):
        return self.dense(x) * x  # expect: HC901


Scaled().compile(loss="mse")


class Unfollowed(keras.Model):
    def call(self, x):
        return sys.modules["helper"].run(x)  # expect: HC901


Unfollowed().compile(loss="mse")


class SoftmaxHead(layers.Layer):  # a custom layer ending in a known activation
    def __init__(self, units):
        super().__init__()
        self.dense = layers.Dense(units)

    def call(self, x):
        return ops.softmax(self.dense(x))  # expect: HC201


custom = keras.Sequential([layers.Dense(16, activation="relu"), SoftmaxHead(3)])
custom.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))

lam = keras.Sequential([layers.Dense(3), layers.Lambda(lambda t: ops.softmax(t))])  # expect: HC201
lam.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))


class Inner(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(2, activation="sigmoid")  # expect: HC204

    def call(self, x):
        return self.dense(x)


class Outer(keras.Model):  # a subclassed model inside another
    def __init__(self):
        super().__init__()
        self.inner = Inner()

    def call(self, x):
        return self.inner(x)


Outer().compile(loss="categorical_crossentropy")


class GAN(keras.Model):
    """Its own compile: the head of call() is checked, the loss is the class's own."""

    def __init__(self):
        super().__init__()
        self.generator = keras.Sequential([layers.Dense(4, activation="softmax")])

    def compile(self, g_optimizer, loss_fn):
        super().compile()
        self.loss_fn = loss_fn

    def call(self, z):
        return self.generator(z)


GAN().compile(g_optimizer="adam", loss_fn=keras.losses.BinaryCrossentropy())  # expect: HC902


class PairUser(keras.Model):  # a nested model with two outputs returns both
    def __init__(self):
        super().__init__()
        self.pair = Pair()

    def call(self, x):
        return self.pair(x)


PairUser().compile(loss=["mse", keras.losses.CategoricalCrossentropy(from_logits=True)])
