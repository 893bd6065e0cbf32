# A known Keras loss a train_step sums with terms that do not read the output it is applied to
# (a VAE's KL term, computed from the encoder's outputs), scales by a constant or logs: the
# output's gradient comes from that loss alone, so the sub-model is checked with it. A term that
# reads the output (directly, through a name, through another call of the same sub-model or a
# helper method) or a subtracted loss leaves the trainer unbound.
import keras
import tensorflow as tf
from keras import layers

codes = keras.Input((6,))
hidden = layers.Dense(4)(codes)
coder = keras.Model(codes, [layers.Dense(2)(hidden) for _ in range(3)])
latent = keras.Input((2,))


class Vae(keras.Model):
    def __init__(self, encoder, decoder, beta=1.0):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.beta = beta
        self.rec_tracker = keras.metrics.Mean(name="rec")

    def train_step(self, data):
        with tf.GradientTape() as tape:
            mean, log_var, z = self.encoder(data)
            rebuilt = self.decoder(z)
            pixels = keras.losses.binary_crossentropy(data, rebuilt)
            rec = tf.reduce_mean(tf.reduce_sum(pixels, axis=-1))
            kl = -0.5 * (1 + log_var - tf.square(mean) - tf.exp(log_var))
            kl = tf.reduce_mean(tf.reduce_sum(kl, axis=1))
            total = rec + self.beta * kl
        grads = tape.gradient(total, self.trainable_weights)
        self.rec_tracker.update_state(rec)
        return {"loss": total, "rec": rec}


decoder = keras.Model(latent, layers.Dense(6)(latent))  # expect: HC202
vae = Vae(coder, decoder)  # expect: HC901
vae.compile(optimizer="adam")  # expect: HC902
vae.fit(x)


class ScaledVae(Vae):
    """Scaled by constants, the sum written in one expression, the model's regularisation added."""

    def train_step(self, data):
        with tf.GradientTape() as tape:
            mean, log_var, z = self.encoder(data)
            loss = (0.5 * tf.reduce_mean(keras.losses.binary_crossentropy(data, self.decoder(z)))
                    + tf.reduce_mean(tf.square(mean)) + sum(self.losses))
        tape.gradient(loss, self.trainable_weights)
        return {"loss": loss}


scaled_decoder = keras.Model(latent, layers.Dense(6)(latent))  # expect: HC202
scaled = ScaledVae(coder, scaled_decoder)  # expect: HC901
scaled.compile(optimizer="adam")  # expect: HC902
scaled.fit(x)


# Not bound: a term that reads the output, through a name, another call of the decoder, a helper.
class ReadsOutput(Vae):
    def train_step(self, data):
        with tf.GradientTape() as tape:
            mean, log_var, z = self.encoder(data)
            rebuilt = self.decoder(z)
            rec = keras.losses.binary_crossentropy(data, rebuilt)
            sparse = tf.reduce_mean(tf.abs(rebuilt))
            total = rec + sparse
        tape.gradient(total, self.trainable_weights)
        return {"loss": total}


class SecondCall(Vae):
    def train_step(self, data):
        with tf.GradientTape() as tape:
            mean, log_var, z = self.encoder(data)
            rec = keras.losses.binary_crossentropy(data, self.decoder(z))
            again = self.decoder(mean)
            total = rec + tf.reduce_mean(again)
        tape.gradient(total, self.trainable_weights)
        return {"loss": total}


class Helper(Vae):
    def kl(self, z):
        return tf.reduce_mean(self.decoder(z))

    def train_step(self, data):
        with tf.GradientTape() as tape:
            mean, log_var, z = self.encoder(data)
            rec = keras.losses.binary_crossentropy(data, self.decoder(z))
            total = rec + self.kl(z)
        tape.gradient(total, self.trainable_weights)
        return {"loss": total}


class Twice(Vae):
    def train_step(self, data):
        with tf.GradientTape() as tape:
            mean, log_var, z = self.encoder(data)
            rec = keras.losses.binary_crossentropy(data, self.decoder(z))
            rec = rec + tf.reduce_mean(tf.square(mean))
        tape.gradient(rec, self.trainable_weights)
        return {"loss": rec}


class Subtracted(Vae):
    def train_step(self, data):
        with tf.GradientTape() as tape:
            mean, log_var, z = self.encoder(data)
            rec = keras.losses.binary_crossentropy(data, self.decoder(z))
            total = tf.reduce_mean(tf.square(mean)) - rec
        tape.gradient(total, self.trainable_weights)
        return {"loss": total}


def unchecked_decoder():
    return keras.Model(latent, layers.Dense(6)(latent))  # no loss is bound to it: no HC202


r1 = ReadsOutput(coder, unchecked_decoder())  # expect: HC901
r1.compile(optimizer="adam")  # expect: HC902
r1.fit(x)
r2 = SecondCall(coder, unchecked_decoder())  # expect: HC901
r2.compile(optimizer="adam")  # expect: HC902
r2.fit(x)
r3 = Helper(coder, unchecked_decoder())  # expect: HC901
r3.compile(optimizer="adam")  # expect: HC902
r3.fit(x)
# The step run (step_applied.py) reads `rec = rec + term` as the VAE's sum it is: bound.
summed_decoder = keras.Model(latent, layers.Dense(6)(latent))  # expect: HC202
r4 = Twice(coder, summed_decoder)  # expect: HC901
r4.compile(optimizer="adam")  # expect: HC902
r4.fit(x)
r5 = Subtracted(coder, unchecked_decoder())  # expect: HC901
r5.compile(optimizer="adam")  # expect: HC902
r5.fit(x)


class ModuleDecoder(Vae):
    """Runs the module's `module_decoder`, the model its `self.decoder` holds."""

    def train_step(self, data):
        with tf.GradientTape() as tape:
            mean, log_var, z = self.encoder(data)
            rec = tf.reduce_mean(keras.losses.binary_crossentropy(data, module_decoder(z)))
            total = rec + tf.reduce_mean(tf.square(mean))
        tape.gradient(total, self.trainable_weights)
        return {"loss": total}


class ModuleDecoderTwice(Vae):
    """A term that runs `twice_decoder`, the model its `self.decoder` holds, reads the output."""

    def train_step(self, data):
        with tf.GradientTape() as tape:
            mean, log_var, z = self.encoder(data)
            rec = tf.reduce_mean(keras.losses.binary_crossentropy(data, self.decoder(z)))
            total = rec + tf.reduce_mean(twice_decoder(mean))
        tape.gradient(total, self.trainable_weights)
        return {"loss": total}


module_decoder = keras.Model(latent, layers.Dense(6)(latent))  # expect: HC202
global_vae = ModuleDecoder(coder, module_decoder)  # expect: HC901
global_vae.compile(optimizer="adam")  # expect: HC902
global_vae.fit(x)
twice_decoder = unchecked_decoder()
r6 = ModuleDecoderTwice(coder, twice_decoder)  # expect: HC901
r6.compile(optimizer="adam")  # expect: HC902
r6.fit(x)
