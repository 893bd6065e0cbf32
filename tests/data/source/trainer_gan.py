# A GAN subclass with its own compile(d_optimizer, g_optimizer, loss_fn) whose train_step applies
# `self.loss_fn` to the discriminator's output: the discriminator is checked with that loss, as
# `discriminator.compile(loss=loss_fn)` would be, at the GAN's compile.
import keras
import tensorflow as tf
from keras import layers

discriminator = keras.Sequential(
    [keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(1)],  # expect: HC202
    name="discriminator",
)
generator = keras.Sequential([keras.Input((8,)), layers.Dense(784, activation="sigmoid")])


class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    def train_step(self, real_images):
        noise = tf.random.normal((8, self.latent_dim))
        combined = tf.concat([self.generator(noise), real_images], axis=0)
        labels = tf.concat([tf.ones((8, 1)), tf.zeros((8, 1))], axis=0)
        with tf.GradientTape() as tape:
            predictions = self.discriminator(combined, training=True)
            d_loss = self.loss_fn(labels, predictions)
        with tf.GradientTape() as tape:
            predictions = self.discriminator(self.generator(noise))
            g_loss = self.loss_fn(tf.zeros((8, 1)), predictions)
        return {"d_loss": d_loss, "g_loss": g_loss}


gan = GAN(discriminator=discriminator, generator=generator, latent_dim=8)  # expect: HC901
gan.compile(  # expect: HC902
    d_optimizer=keras.optimizers.Adam(),
    g_optimizer=keras.optimizers.Adam(),
    loss_fn=keras.losses.BinaryCrossentropy(),  # a linear Dense(1) read as probabilities
)
gan.fit(dataset, epochs=1)

# The same trainer given from_logits=True: clean.
critic = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(1)])
fixed = GAN(discriminator=critic, generator=generator, latent_dim=8)  # expect: HC901
fixed.compile(  # expect: HC902
    keras.optimizers.Adam(), keras.optimizers.Adam(), keras.losses.BinaryCrossentropy(from_logits=True)
)
fixed.fit(dataset, epochs=1)
