# A known Keras loss a trainer's step applies to an activation of a sub-model's output (a
# distiller's KL divergence between softened teacher and student outputs): the student is checked
# as the model the loss sees, its head with that activation on top. Divided by a temperature, a
# linear head stays logits (clean); a softmax head under another softmax is a double activation
# (HC102); divided by a temperature first, it is a head the rules do not know: nothing is said.
import keras
import tensorflow as tf
from keras import layers

TEMPERATURE = 4


class Softened(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.student = student
        self.teacher = teacher

    def compile(self, optimizer, metrics, soft_loss_fn, temperature=TEMPERATURE):
        super().compile(optimizer=optimizer, metrics=metrics)
        self.soft_loss_fn = soft_loss_fn
        self.temperature = temperature

    def train_step(self, data):
        x, _ = data
        teacher_out = self.teacher(x, training=False)
        with tf.GradientTape() as tape:
            student_out = self.student(x, training=True)
            loss = self.soft_loss_fn(
                tf.nn.softmax(teacher_out / self.temperature, axis=1),
                tf.nn.softmax(student_out / self.temperature, axis=1),
            )
        grads = tape.gradient(loss, self.student.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.student.trainable_variables))
        return {"loss": loss}


class Unscaled(Softened):
    def train_step(self, data):
        x, _ = data
        with tf.GradientTape() as tape:
            probabilities = tf.nn.softmax(self.student(x, training=True))  # expect: HC102
            loss = self.soft_loss_fn(tf.nn.softmax(self.teacher(x)), probabilities)
        grads = tape.gradient(loss, self.student.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.student.trainable_variables))
        return {"loss": loss}


teacher = keras.Sequential([keras.Input((4,)), layers.Dense(10)])
linear = Softened(keras.Sequential([keras.Input((4,)), layers.Dense(10)]), teacher)  # expect: HC901
linear.compile("adam", metrics=["acc"], soft_loss_fn=keras.losses.KLDivergence(), temperature=2)  # expect: HC902
linear.fit(data)

squashed = keras.Sequential([keras.Input((4,)), layers.Dense(10, activation="softmax")])
scaled = Softened(squashed, teacher)  # expect: HC901
scaled.compile("adam", metrics=["acc"], soft_loss_fn=keras.losses.KLDivergence())  # expect: HC902
scaled.fit(data)

again = Unscaled(keras.Sequential([keras.Input((4,)), layers.Dense(10, activation="softmax")]), teacher)  # expect: HC901
again.compile("adam", metrics=["acc"], soft_loss_fn=keras.losses.KLDivergence())  # expect: HC902
again.fit(data)
