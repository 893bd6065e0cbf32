# Blocks: a Sequential/Functional built inside a custom Layer, by a block-building helper, or used as
# a sub-layer is part of the model that is trained, not a model output of its own.
import keras
from keras import layers

keras.mixed_precision.set_global_policy("mixed_float16")  # the blocks' layers compute in float16


class TransformerBlock(layers.Layer):
    def __init__(self, dims, rate=0.1):
        super().__init__()
        # ends in a linear Dense and Dropout: a block, never trained by itself
        self.ffn = keras.Sequential([layers.Dense(4 * dims, activation="gelu"), layers.Dense(dims), layers.Dropout(rate)])

    def call(self, x):
        return self.ffn(x)


def conv_block(filters):
    return keras.Sequential([layers.Conv2D(filters, 3, activation="relu"), layers.BatchNormalization()])


inputs = keras.Input((32, 32, 3))
x = conv_block(32)(inputs)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Activation("softmax", dtype="float32")(layers.Dense(10)(x))
model = keras.Model(inputs, outputs)
model.compile(loss="sparse_categorical_crossentropy")
model.fit(images, labels)

# A GAN's discriminator: compiled, but only trained inside the combined model.
discriminator = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(1, activation="softmax", dtype="float32")])  # expect: HC101
discriminator.compile(loss="mse")
generator = keras.Sequential([keras.Input((16,)), layers.Dense(784), layers.Reshape((28, 28))])
z = keras.Input((16,))
gan = keras.Model(z, discriminator(generator(z)))
gan.compile(loss="binary_crossentropy")
gan.fit(noise, ones)

# The failing shape: a block that is itself trained is checked with its own compile.
critic = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="softmax")])  # expect: HC101, HC203, HC501
critic.compile(loss="mse")
critic.train_on_batch(batch, targets)
combined = keras.Model(z, critic(layers.Dense(8)(z)))
