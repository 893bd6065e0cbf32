# Trainers whose train_step does not plainly apply a compile-given loss to a sub-model's output:
# nothing is bound (a wrong binding would be a false alarm), and the trainer's HC901 says why.
import keras
import tensorflow as tf
from keras import layers


def critic():
    return keras.Sequential([keras.Input((4,)), layers.Dense(1)])


class Squashed(keras.Model):
    """The loss sees sigmoid(discriminator(x)), not its output: BinaryCrossentropy() is right."""

    def __init__(self, discriminator):
        super().__init__()
        self.discriminator = discriminator

    def compile(self, optimizer, loss_fn):
        super().compile()
        self.loss_fn = loss_fn

    def train_step(self, data):
        x, y = data
        predictions = tf.sigmoid(self.discriminator(x))
        return {"loss": self.loss_fn(y, predictions)}


squashed = Squashed(critic())  # expect: HC901
squashed.compile(keras.optimizers.Adam(), keras.losses.BinaryCrossentropy())  # expect: HC902
squashed.fit(data)


class TwoLosses(keras.Model):
    """Two losses on one output (a WGAN's critic): not one compile of it."""

    def __init__(self, discriminator):
        super().__init__()
        self.discriminator = discriminator

    def compile(self, d_loss_fn, g_loss_fn):
        super().compile()
        self.d_loss_fn = d_loss_fn
        self.g_loss_fn = g_loss_fn

    def train_step(self, data):
        real = self.discriminator(data)
        return {"d": self.d_loss_fn(tf.ones_like(real), real), "g": self.g_loss_fn(tf.zeros_like(real), real)}


two = TwoLosses(critic())  # expect: HC901
two.compile(keras.losses.BinaryCrossentropy(), keras.losses.MeanSquaredError())  # expect: HC902
two.fit(data)


class OwnComputeLoss(keras.Model):
    """`self.compute_loss` is the class's own method here, not Keras's."""

    def __init__(self, network):
        super().__init__()
        self.network = network

    def compute_loss(self, target, prediction):
        return self.compiled_loss(target[:, 1:], prediction[:, 1:])

    def train_step(self, data):
        x, y = data
        return {"loss": self.compute_loss(y, self.network(x))}


own = OwnComputeLoss(critic())  # expect: HC901
own.compile(optimizer="adam", loss="binary_crossentropy")
own.fit(data)
