# A model class with its own compile(...) signature: its arguments are bound to that signature,
# never read as Keras's (optimizer, loss, ...) by position.
import keras
from keras import layers


class GAN(keras.Model):
    def __init__(self, discriminator, generator):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.loss_fn = loss_fn


gan = GAN(discriminator=d, generator=g)  # expect: HC901
gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam(), keras.losses.BinaryCrossentropy(from_logits=True))  # expect: HC902


class Classifier(keras.Model):
    def compile(self, optimizer, loss, **kwargs):
        super().compile(optimizer=optimizer, loss=loss, **kwargs)


clf = Classifier()  # expect: HC901
clf.compile("adam", keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
