# A trainer without its own compile whose train_step applies Keras's compiled loss
# (`self.loss(y, y_pred)`, `self.compiled_loss`, `self.compute_loss(x, y, y_pred)`) to a
# sub-model's output: that sub-model is checked with the loss given to compile, where the trainer
# is compiled. A compile of the sub-model itself before it is replaced by the trainer's is not
# checked (program order).
import keras
import tensorflow as tf
from keras import layers

network = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])  # expect: HC203
network.compile(loss="categorical_crossentropy")  # replaced by the trainer's compile before fit


class Denoiser(keras.Model):
    def __init__(self, network):
        super().__init__()
        self.network = network

    def train_step(self, images):
        noise = tf.random.normal(tf.shape(images))
        with tf.GradientTape() as tape:
            predicted = self.network(images + noise, training=True)
            loss = self.loss(noise, predicted)
        return {"loss": loss}


model = Denoiser(network)  # expect: HC901
model.compile(optimizer="adam", loss="mse")
model.fit(images, epochs=1)

scorer = keras.Sequential([keras.Input((4,)), layers.Dense(1)])


class Keras3(keras.Model):
    def __init__(self, scorer):
        super().__init__()
        self.scorer = scorer

    def train_step(self, data):
        x, y = data
        return {"loss": self.compute_loss(x, y, self.scorer(x))}


k3 = Keras3(scorer)  # expect: HC901
k3.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
k3.fit(data)
