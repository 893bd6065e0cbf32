# Trainers with no call() that run their layers themselves in train_step (or in a method it
# calls) and apply the loss given to Keras's compile to the result: the step is run once on
# symbolic data, and the one output it applies the compiled loss to is the model's head, checked
# with that loss. Where the step does not show one plain head, the trainer stays opaque (HC901).
import keras
import tensorflow as tf
from keras import layers


class Pooling(layers.Layer):
    """Returns the logits and the attention weights, as an attention-pooling head does."""

    def __init__(self, classes):
        super().__init__()
        self.score = layers.Dense(1)
        self.classify = layers.Dense(classes)  # expect: HC202

    def call(self, x):
        weights = tf.nn.softmax(self.score(x), axis=1)
        return self.classify(tf.reduce_sum(weights * x, axis=1)), weights


class PatchNet(keras.Model):
    """The loss is applied in a helper the step calls, to the first item of a layer's tuple."""

    def __init__(self, classes, **kwargs):
        super().__init__(**kwargs)
        self.project = layers.Dense(16, activation="relu")
        self.stages = [layers.Dense(16, activation="relu") for _ in range(2)]
        self.pool = Pooling(classes)

    def _calculate_loss(self, data, training=False):
        (images, labels) = data
        x = self.project(images)
        for stage in self.stages:
            x = stage(x, training=training)
        logits, _ = self.pool(x)
        return self.compiled_loss(labels, logits), logits

    def train_step(self, inputs):
        with tf.GradientTape() as tape:
            total_loss, logits = self._calculate_loss(inputs, training=True)
        grads = tape.gradient(total_loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.compiled_metrics.update_state(inputs[1], logits)
        return {m.name: m.result() for m in self.metrics}


good = PatchNet(10)
good.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
good.fit(dataset, epochs=1)

wrong = PatchNet(10)
wrong.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy())  # HC202 at `classify`
wrong.fit(dataset, epochs=1)


class Direct(keras.Model):
    """The compiled loss applied in train_step itself, to layers of the instance."""

    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(8, activation="relu")
        self.out = layers.Dense(1, activation="softmax")  # expect: HC101

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self.out(self.hidden(x, training=True))
            loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
        self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
        return {"loss": loss}


direct = Direct()
direct.compile(optimizer="adam", loss="binary_crossentropy")
direct.fit(x_train, y_train)


class Keras3(keras.Model):
    """Keras 3's `compute_loss(x, y, y_pred)`, data unpacked by Keras's helper."""

    def __init__(self):
        super().__init__()
        self.scores = layers.Dense(3)

    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            y_pred = self.scores(x)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


keras3 = Keras3()
keras3.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
keras3.fit(dataset)


class OneHot(keras.Model):
    """The step makes the labels the loss sees: the class ids given to fit are one-hot encoded
    before the loss, so they are no fact about its targets (no HC401)."""

    def __init__(self):
        super().__init__()
        self.probabilities = layers.Dense(10, activation="softmax")

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self.compiled_loss(tf.one_hot(y, 10), self.probabilities(x))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


one_hot = OneHot()
one_hot.compile(optimizer="adam", loss="categorical_crossentropy")
(x_digits, y_digits), _ = keras.datasets.mnist.load_data()
one_hot.fit(x_digits, y_digits)


class Digits(OneHot):
    """The labels fit gives are the ones the loss sees: they are checked (HC401)."""

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self.compiled_loss(y, self.probabilities(x))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


digits = Digits()
digits.compile(optimizer="adam", loss="categorical_crossentropy")
digits.fit(x_digits, y_digits)  # expect: HC401


class Reconstruct(keras.Model):
    """Data given as one tensor: an autoencoder's reconstruction of its input."""

    def __init__(self):
        super().__init__()
        self.encode = layers.Dense(4, activation="relu")
        self.decode = layers.Dense(784, activation="sigmoid")

    def train_step(self, images):
        with tf.GradientTape() as tape:
            loss = self.loss(images, self.decode(self.encode(images)))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


reconstruct = Reconstruct()
reconstruct.compile(optimizer="adam", loss="binary_crossentropy")
reconstruct.fit(images)


class Captioner(keras.Model):
    """The loss masked in a helper; the decoder run once per caption: one head all the same."""

    def __init__(self):
        super().__init__()
        self.embed = layers.Embedding(100, 8)
        self.decode = layers.Dense(100, activation="softmax")  # expect: HC201

    def masked_loss(self, y_true, y_pred, mask):
        loss = self.loss(y_true, y_pred)
        mask = tf.cast(mask, dtype=loss.dtype)
        loss *= mask
        return tf.reduce_sum(loss) / tf.reduce_sum(mask)

    def train_step(self, batch):
        images, captions = batch
        for i in range(3):
            with tf.GradientTape() as tape:
                tokens = captions[:, i, :]
                predicted = self.decode(self.embed(tokens[:, :-1]))
                loss = self.masked_loss(tokens[:, 1:], predicted, tf.math.not_equal(tokens[:, 1:], 0))
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


captioner = Captioner()
captioner.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none"))
captioner.fit(dataset)


class WithCall(keras.Model):
    """A call() with two outputs, and a step applying the compiled loss, in a helper, to the first
    of them as it computes it (augmented): that output is the one the compile's loss trains."""

    def __init__(self):
        super().__init__()
        self.augment = layers.GaussianNoise(0.1)
        self.score = layers.Dense(1)
        self.classify = layers.Dense(10)  # expect: HC202

    def call(self, images):
        return self.classify(images), self.score(images)

    def _loss(self, inputs):
        images, labels = inputs
        logits = self.classify(self.augment(images, training=True))
        return self.compiled_loss(labels, logits)

    def train_step(self, inputs):
        with tf.GradientTape() as tape:
            loss = self._loss(inputs)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


with_call = WithCall()
with_call.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
with_call.fit(dataset)
with_call_wrong = WithCall()
with_call_wrong.compile(optimizer="adam", loss="sparse_categorical_crossentropy")  # HC202 above
with_call_wrong.fit(dataset)


class OwnComputeLoss(keras.Model):
    """Its own `compute_loss` (not Keras's) applies the compiled loss: still that one head."""

    def __init__(self):
        super().__init__()
        self.out = layers.Dense(5)  # expect: HC202

    def compute_loss(self, y, y_pred):
        return self.compiled_loss(y, y_pred)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self.compute_loss(y, self.out(x))
        grads = tape.gradient(loss, self.trainable_variables)
        return {"loss": loss}


own_compute_loss = OwnComputeLoss()
own_compute_loss.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy())
own_compute_loss.fit(dataset)


# --- not one plain head: left opaque ---------------------------------------------------------
class TwoHeads(keras.Model):
    """The compiled loss on two outputs (one only reported, as a diffusion model does)."""

    def __init__(self):
        super().__init__()
        self.noise = layers.Dense(4)
        self.image = layers.Dense(4, activation="sigmoid")

    def train_step(self, images):
        with tf.GradientTape() as tape:
            noise_loss = self.loss(images, self.noise(images))
            image_loss = self.loss(images, self.image(images))
        grads = tape.gradient(noise_loss, self.noise.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.noise.trainable_weights))
        return {"n_loss": noise_loss, "i_loss": image_loss}


two_heads = TwoHeads()  # expect: HC901
two_heads.compile(optimizer="adam", loss="mean_absolute_error")
two_heads.fit(images)


# A model the step calls stays a model of its own when the step is not read (its head is checked).
scaler = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="softmax")])  # expect: HC101


class Passthrough(keras.Model):
    """The loss is applied to the data itself, not to anything the layers compute."""

    def __init__(self, scale):
        super().__init__()
        self.scale = scale

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            self.scale(x)
            loss = self.compiled_loss(y, x)
        grads = tape.gradient(loss, self.trainable_variables)
        return {"loss": loss}


passthrough = Passthrough(scaler)  # expect: HC901
passthrough.compile(optimizer="adam", loss="binary_crossentropy")
passthrough.fit(dataset)


class MetricOnly(keras.Model):
    """The compiled loss is only reported; the step trains on a loss of its own."""

    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self.dense(x)
            reported = self.compiled_loss(y, y_pred)
            trained = tf.reduce_mean(tf.abs(y - y_pred))
        grads = tape.gradient(trained, self.trainable_variables)
        return {"loss": reported}


metric_only = MetricOnly()  # expect: HC901
metric_only.compile(optimizer="adam", loss="binary_crossentropy")
metric_only.fit(dataset)


class Siamese(keras.Model):
    """Both sides of the loss come from the same network: no labels, no head to check."""

    def __init__(self):
        super().__init__()
        self.embed = layers.Dense(8)

    def train_step(self, data):
        a, b = data
        with tf.GradientTape() as tape:
            loss = self.loss(self.embed(a), self.embed(b))
        grads = tape.gradient(loss, self.trainable_variables)
        return {"loss": loss}


siamese = Siamese()  # expect: HC901
siamese.compile(optimizer="adam", loss="binary_crossentropy")
siamese.fit(dataset)


class Noise(keras.Model):
    """The arguments swapped: the `y_pred` given is noise shaped like the latents, not the output."""

    def __init__(self):
        super().__init__()
        self.encode = layers.Dense(4)
        self.denoise = layers.Dense(4)

    def train_step(self, data):
        images, text = data
        with tf.GradientTape() as tape:
            noise = tf.random.normal(tf.shape(self.encode(images)))
            loss = self.compiled_loss(self.denoise(text), noise)
        grads = tape.gradient(loss, self.trainable_variables)
        return {"loss": loss}


noise = Noise()  # expect: HC901
noise.compile(optimizer="adam", loss="mse")
noise.fit(dataset)


class Unseen(keras.Model):
    """A second call of the compiled loss sits in a function the reader does not run."""

    def __init__(self):
        super().__init__()
        self.main = layers.Dense(1, activation="sigmoid")
        self.aux = layers.Dense(1)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self.compiled_loss(y, self.main(x))
            aux = self.distribute_strategy.run(lambda: self.compiled_loss(y, self.aux(x)))
        grads = tape.gradient([loss, aux], self.trainable_variables)
        return {"loss": loss}


unseen = Unseen()  # expect: HC901
unseen.compile(optimizer="adam", loss="binary_crossentropy")
unseen.fit(dataset)
