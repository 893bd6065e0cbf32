# Custom layers whose call() returns its input (after add_loss, add_metric, tf.print): the head is
# the layer that feeds them. A call() taking several tensors gets them in order (an endpoint layer).
import keras
import tensorflow as tf
import tensorflow_similarity as tfsim
from keras import layers, ops


class ActivityRegularization(layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(inputs))
        return inputs


class Printing(layers.Layer):
    def call(self, inputs):
        tf.print(ops.std(inputs))
        return inputs


inputs = keras.Input((8,))
probs = layers.Dense(5, activation="softmax")(inputs)  # expect: HC203
regularized = keras.Model(inputs, ActivityRegularization()(probs))
regularized.compile(loss="mse")

logits = layers.Dense(3)(inputs)  # expect: HC202
printed = keras.Model(inputs, Printing()(logits))
printed.compile(loss="categorical_crossentropy")

fine = keras.Model(inputs, Printing()(layers.Dense(1)(inputs)))
fine.compile(loss="mse")

# a library logging layer that returns its input (tensorflow_similarity)
logits = layers.Dense(4, activation="softmax")(inputs)  # expect: HC203
std = tfsim.layers.ActivationStdLoggingLayer(name="std")(logits)
logged = keras.Model(inputs, std)
logged.compile(loss="mse")


class LogisticEndpoint(layers.Layer):
    """Adds its own loss; returns a softmax over the logits, its second input."""

    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    def call(self, targets, logits, sample_weights=None):
        self.add_loss(self.loss_fn(targets, logits, sample_weights))
        return tf.nn.softmax(logits)  # expect: HC101


# the head is the softmax of the logits, not of the targets (whatever their width)
targets = keras.Input((5,))
endpoint = keras.Model([inputs, targets], LogisticEndpoint()(targets, layers.Dense(1)(inputs)))
endpoint.compile(optimizer="adam")

labels = keras.Input((1,))
wide = keras.Model([inputs, labels], LogisticEndpoint()(labels, logits=layers.Dense(10)(inputs)))
wide.compile(optimizer="adam")


class CTCLike(layers.Layer):
    def call(self, y_true, y_pred):
        self.add_loss(ops.mean(ops.abs(y_true - y_pred)))
        return y_pred


sequence = layers.Dense(7, activation="softmax")(inputs)  # expect: HC203
ctc = keras.Model([inputs, labels], CTCLike()(labels, sequence))
ctc.compile(loss="mse")


# Not a pass-through: what call() returns is not its input on every path.
class Loop(layers.Layer):
    def __init__(self, blocks):
        super().__init__()
        self.blocks = blocks

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return x


class Noisy(layers.Layer):
    def __init__(self, enabled):
        super().__init__()
        self.enabled = enabled

    def call(self, x):
        if self.enabled:
            return x + keras.random.normal(ops.shape(x))
        return x


class Shifted(layers.Layer):
    def call(self, x):
        x += 1.0
        return x


softmax = layers.Dense(2, activation="softmax")(inputs)
looped = keras.Model(inputs, Loop(blocks_from_elsewhere)(softmax))  # expect: HC901
looped.compile(loss="mse")
noisy = keras.Model(inputs, Noisy(noise_from_elsewhere)(softmax))  # expect: HC901
noisy.compile(loss="mse")
shifted = keras.Model(inputs, Shifted()(softmax))  # expect: HC901
shifted.compile(loss="mse")

# a pass-through layer given a list returns the list: not one head to read
listed = keras.Model(inputs, Printing()([layers.Dense(2)(inputs), softmax])[1])  # expect: HC901
listed.compile(loss="mse")


# PyTorch changes tensors in place: returning the input after that is not passing it on
class InPlace(layers.Layer):
    def call(self, x):
        x.clamp_(0.0, 1.0)
        return x


class Zeroed(layers.Layer):
    def call(self, x):
        x[:, 0] = 0.0
        return x


clamped = keras.Model(inputs, InPlace()(softmax))  # expect: HC901
clamped.compile(loss="mse")
zeroed = keras.Model(inputs, Zeroed()(softmax))  # expect: HC901
zeroed.compile(loss="mse")


def scaled(method):
    return lambda self, x: method(self, x) * 2.0


class Decorated(layers.Layer):
    @scaled
    def call(self, x):
        return x


decorated = keras.Model(inputs, Decorated()(softmax))  # expect: HC901
decorated.compile(loss="mse")
