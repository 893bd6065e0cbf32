# A trainer whose second tape trains a probe on an encoder's features with a loss its own compile
# builds, and updates a metric with the probe's output: a metric's `update_state(labels, logits)`
# reads the output and applies no loss, so the probe is still checked with the loss it is given.
import keras
import tensorflow as tf
from keras import layers


class Probed(keras.Model):
    def __init__(self, head):
        super().__init__()
        self.encoder = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu")])
        self.head = head

    def compile(self, encoder_optimizer, head_optimizer, **kwargs):
        super().compile(**kwargs)
        self.encoder_optimizer = encoder_optimizer
        self.head_optimizer = head_optimizer
        self.head_accuracy = keras.metrics.SparseCategoricalAccuracy(name="p_acc")
        self.head_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def train_step(self, data):
        (unlabeled, _), (labeled, labels) = data
        with tf.GradientTape() as tape:
            features = self.encoder(tf.concat((unlabeled, labeled), axis=0), training=True)
            encoder_loss = tf.reduce_mean(features)
        grads = tape.gradient(encoder_loss, self.encoder.trainable_weights)
        self.encoder_optimizer.apply_gradients(zip(grads, self.encoder.trainable_weights))
        with tf.GradientTape() as tape:
            logits = self.head(self.encoder(labeled, training=False), training=True)
            head_loss = self.head_loss(labels, logits)
        grads = tape.gradient(head_loss, self.head.trainable_weights)
        self.head_optimizer.apply_gradients(zip(grads, self.head.trainable_weights))
        self.head_accuracy.update_state(labels, logits)
        return {"p_loss": head_loss}


squashed = keras.Sequential([keras.Input((16,)), layers.Dense(10, activation="softmax")])  # expect: HC201
probed = Probed(squashed)  # expect: HC901
probed.compile(encoder_optimizer=keras.optimizers.Adam(), head_optimizer=keras.optimizers.Adam())  # expect: HC902
probed.fit(data)

linear = Probed(keras.Sequential([keras.Input((16,)), layers.Dense(10)]))  # expect: HC901
linear.compile(encoder_optimizer=keras.optimizers.Adam(), head_optimizer=keras.optimizers.Adam())  # expect: HC902
linear.fit(data)
