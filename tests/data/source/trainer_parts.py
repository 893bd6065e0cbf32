"""A model a trainer subclass holds, read from outside it: `trainer.model` is what the trainer's
`__init__` assigned (keras-io's AdaMatch evaluates its trained network that way)."""

import keras
import tensorflow as tf

net = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])  # expect: HC202


class Trainer(keras.Model):
    def __init__(self, model):
        super().__init__()
        self.model = model
        self.tracker = keras.metrics.Mean(name="loss")

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self.model(x) - y) * 0.5)
        grads = tape.gradient(loss, self.model.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_variables))
        self.tracker.update_state(loss)
        return {"loss": self.tracker.result()}


trainer = Trainer(net)  # expect: HC901
trainer.compile(optimizer="adam")  # expect: HC902
trainer.fit(x, y)

trained = trainer.model  # the network itself, compiled again to be evaluated
trained.compile(loss="binary_crossentropy", metrics=["accuracy"])
trained.evaluate(x, y)
