# A train_step that applies a known Keras loss itself, plainly, to the model's own output
# (`self(x)`) or to a sub-model's: that output is checked with that loss, its from_logits as
# written. A loss summed with another, logged only, or applied to a transformed output is not
# read: HC902 (or the trainer's HC901) stays.
import keras
import tensorflow as tf
from keras import layers


class FunctionLoss(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = keras.losses.mean_squared_error(y, y_pred)
        self.optimizer.apply_gradients(zip(tape.gradient(loss, self.trainable_variables), self.trainable_variables))
        return {"loss": loss}


inputs = keras.Input((8,))
outputs = layers.Dense(4, activation="softmax")(inputs)  # expect: HC203
model = FunctionLoss(inputs, outputs)
model.compile(optimizer="adam")
model.fit(x, y)


class ObjectLoss(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.loss_fn(y, y_pred)
        gradients = tape.gradient(loss, self.trainable_weights)
        return {"loss": loss}


probs = layers.Dense(10, activation="softmax")(inputs)  # expect: HC201
ObjectLoss(inputs, probs).compile(optimizer="adam")
logits = layers.Dense(10)(inputs)
clean = ObjectLoss(inputs, logits)
clean.compile(optimizer="adam")
clean.fit(x, y)

module_loss = keras.losses.BinaryCrossentropy()


class GlobalLoss(keras.Model):
    def train_step(self, data):
        inputs, targets = data
        with tf.GradientTape() as tape:
            predictions = self(inputs, training=True)
            loss = module_loss(targets, predictions)
        gradients = tape.gradient(loss, self.trainable_weights)
        return {"loss": loss}


linear = layers.Dense(1)(inputs)  # expect: HC202
g = GlobalLoss(inputs, linear)
g.compile(optimizer="rmsprop")
g.fit(x, y)


class WeightedLoss(keras.Model):
    """A sample weight the step unpacks itself decides nothing the head rules read."""

    def train_step(self, data):
        inputs, targets, sample_weight = data
        with tf.GradientTape() as tape:
            predictions = self(inputs, training=True)
            loss = module_loss(targets, predictions, sample_weight=sample_weight)
        gradients = tape.gradient(loss, self.trainable_weights)
        return {"loss": loss}


weighted = layers.Dense(1)(inputs)  # expect: HC202
w = WeightedLoss(inputs, weighted)
w.compile(optimizer="rmsprop")
w.fit(x, y)


class Critic(keras.Model):
    def __init__(self, critic):
        super().__init__()
        self.critic = critic
        self.bce = keras.losses.BinaryCrossentropy()

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(self.bce(y, self.critic(x)))
        tape.gradient(loss, self.critic.trainable_weights)
        return {"loss": loss}


scores = keras.Sequential([keras.Input((8,)), layers.Dense(1)])  # expect: HC202
trainer = Critic(scores)  # expect: HC901
trainer.compile(optimizer="adam")  # expect: HC902
trainer.fit(data)


# Not read: summed with another loss, logged only, applied to a transformed output.
class Summed(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            mse = keras.losses.mean_squared_error(y, y_pred)
            loss = mse + tf.reduce_mean(tf.abs(y_pred))
        tape.gradient(loss, self.trainable_weights)
        return {"loss": loss}


class Logged(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = tf.reduce_mean(tf.square(y - y_pred))
            shown = keras.losses.mean_squared_error(y, y_pred)
        tape.gradient(loss, self.trainable_weights)
        return {"loss": loss, "mse": shown}


class Transformed(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = keras.losses.mean_squared_error(y, self(x, training=True) * 2.0)
        tape.gradient(loss, self.trainable_weights)
        return {"loss": loss}


s1 = Summed(inputs, layers.Dense(4, activation="softmax")(inputs))
s1.compile(optimizer="adam")  # expect: HC902
s2 = Logged(inputs, layers.Dense(4, activation="softmax")(inputs))
s2.compile(optimizer="adam")  # expect: HC902
s3 = Transformed(inputs, layers.Dense(4, activation="softmax")(inputs))
s3.compile(optimizer="adam")  # expect: HC902
# Several outputs, or a compile that names a loss the step ignores: not read either.
s4 = FunctionLoss(inputs, [layers.Dense(4, activation="softmax")(inputs), layers.Dense(2)(inputs)])
s4.compile(optimizer="adam")  # expect: HC902
s5 = FunctionLoss(inputs, layers.Dense(4, activation="softmax")(inputs))
s5.compile(optimizer="adam", loss="categorical_crossentropy")  # expect: HC902
