"""Custom layers that compute a dense map by hand (readers/source/weights.py): a tensor times a
trainable weight is an affine map, linear with the weight's units, and so is a tensor times a
weight elementwise (the weight takes either sign); a bias added to it or a scaling by a number
keeps it linear; the activation applied to it is the head's. Anything the reader cannot be sure of
(a product of two tensors, a softmax scaled, a fixed matrix) stays HC901."""
import keras
import tensorflow as tf
import tensorflow.experimental.numpy as tnp
from keras import layers, ops


class Affine(layers.Layer):
    def __init__(self, units=8):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b  # expect: HC202


features = keras.Input(shape=(20,))
hidden = layers.Dense(16, activation="relu")(features)
scores = keras.Model(features, Affine(4)(hidden))
scores.compile(loss="categorical_crossentropy")
logits = keras.Model(features, Affine(4)(hidden))
logits.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))


class Classifier(Affine):
    def call(self, inputs):
        return tf.nn.softmax(inputs @ self.w + self.b)


stack = keras.Sequential([layers.Dense(16, activation="relu"), Classifier(10)])
stack.compile(loss="sparse_categorical_crossentropy")


class Gate(Affine):
    def call(self, inputs):
        return ops.sigmoid(ops.matmul(inputs, self.w) + self.b)  # expect: HC204


gated = keras.Sequential([layers.Dense(16, activation="relu"), Gate(10)])
gated.compile(loss="categorical_crossentropy")
binary = keras.Sequential([layers.Dense(16, activation="relu"), Gate(1)])
binary.compile(loss="binary_crossentropy")


class Projection(layers.Layer):
    """Weights made with tf.Variable, a tensordot, a temperature that is a Python number."""

    def __init__(self, temperature=2.0):
        super().__init__()
        self.temperature = temperature
        self.kernel = tf.Variable(tf.random.normal((16, 3)), name="kernel")
        self.bias = keras.Variable(tnp.zeros(3), shape=(3,))

    def call(self, inputs):
        scores = tf.tensordot(inputs, self.kernel, axes=1) + self.bias
        return scores / self.temperature  # expect: HC202


projected = keras.Sequential([layers.Dense(16, activation="relu"), Projection()])
projected.compile(loss="binary_crossentropy")
regression = keras.Sequential([layers.Dense(16, activation="relu"), Projection()])
regression.compile(loss="mse")


class Tied(layers.Layer):
    """A decoder reusing an encoder layer's kernel, transposed."""

    def __init__(self, dense):
        super().__init__()
        self.dense = dense

    def build(self, input_shape):
        self.b = self.add_weight(shape=self.dense.input_shape[-1], initializer="zeros")

    def call(self, inputs):
        return tnp.matmul(inputs, tf.transpose(self.dense.weights[0])) + self.b


encoder = layers.Dense(8, activation="relu")
autoencoder = keras.Sequential([encoder, Tied(encoder)])
autoencoder.compile(loss="mse")


class Dense2(layers.Layer):
    """The activation given as a function, applied in call()."""

    def __init__(self, units, activation=None):
        super().__init__()
        self.units = units
        self.activation = activation

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=[input_shape[-1], self.units])
        self.bias = self.add_weight("bias", shape=[self.units])

    def call(self, inputs):
        outputs = ops.add(ops.matmul(inputs, self.kernel), self.bias)  # expect: HC202
        if self.activation:
            return self.activation(outputs)
        return outputs


softmaxed = keras.Sequential([Dense2(16, tf.nn.relu), Dense2(5, activation=tf.nn.softmax)])
softmaxed.compile(loss="categorical_crossentropy")
plain = keras.Sequential([Dense2(16, activation=tf.nn.relu), Dense2(5)])
plain.compile(loss="categorical_crossentropy")


# Not sure: HC901, never a guess.
class Scaled(Affine):
    def call(self, inputs):
        return tf.nn.softmax(inputs @ self.w + self.b) * 2.0  # expect: HC901


class Outer(Affine):
    def call(self, inputs):
        return tf.matmul(inputs, tf.transpose(inputs))  # expect: HC901


class Gram(Affine):
    def call(self, inputs):
        return inputs @ tf.transpose(inputs)  # expect: HC901


class Elementwise(Affine):
    def call(self, inputs):
        return inputs * self.w  # expect: HC202 (a learned scale of either sign: not probabilities)


class Fixed(layers.Layer):
    def build(self, input_shape):
        self.m = self.add_weight(shape=(input_shape[-1], 4), trainable=False)

    def call(self, inputs):
        return tf.matmul(tf.nn.softmax(inputs), self.m)  # expect: HC901


scaled = keras.Sequential([layers.Dense(16, activation="relu"), Scaled(4)])
scaled.compile(loss="categorical_crossentropy")
outer = keras.Sequential([layers.Dense(16, activation="relu"), Outer(4)])
outer.compile(loss="categorical_crossentropy")
gram = keras.Sequential([layers.Dense(16, activation="relu"), Gram(4)])
gram.compile(loss="categorical_crossentropy")
elementwise = keras.Sequential([layers.Dense(16, activation="relu"), Elementwise(4)])
elementwise.compile(loss="categorical_crossentropy")
fixed = keras.Sequential([layers.Dense(16, activation="relu"), Fixed()])
fixed.compile(loss="categorical_crossentropy")


class Mixture(layers.Layer):
    """A weight held to a range is no free affine map: softmax @ a non-negative matrix is >= 0."""

    def build(self, input_shape):
        self.m = self.add_weight(shape=(input_shape[-1], 4), constraint=keras.constraints.NonNeg())

    def call(self, inputs):
        return tf.nn.softmax(inputs) @ self.m  # expect: HC901


mixture = keras.Sequential([layers.Dense(16, activation="relu"), Mixture()])
mixture.compile(loss="categorical_crossentropy")
