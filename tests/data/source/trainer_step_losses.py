# Known Keras losses a trainer's train_step applies to its sub-models' outputs, read by running the
# step at the trainer's compile (step_applied.py): a GAN's discriminator, both of whose losses
# read its output as logits, is checked with that loss; a distiller's student with the loss its
# compile is given (the distillation loss sees a softened copy of the output, not the output).
import keras
import tensorflow as tf
from keras import layers

batch_size = 8
generator = keras.Sequential([keras.Input((2,)), layers.Dense(4)])


class Gan(keras.Model):
    def __init__(self, discriminator):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator

    def compile(self, g_optimizer, d_optimizer, **kwargs):
        super().compile(**kwargs)
        self.g_optimizer = g_optimizer
        self.d_optimizer = d_optimizer
        self.tracker = keras.metrics.Mean(name="d_loss")

    def adversarial_loss(self, real_logits, fake_logits):
        real_labels = tf.ones((batch_size, 1))
        fake_labels = tf.zeros((batch_size, 1))
        g_loss = keras.losses.binary_crossentropy(real_labels, fake_logits, from_logits=True)
        d_loss = keras.losses.binary_crossentropy(
            tf.concat([real_labels, fake_labels], axis=0),
            tf.concat([real_logits, fake_logits], axis=0),
            from_logits=True,
        )
        return tf.reduce_mean(g_loss), tf.reduce_mean(d_loss)

    def train_step(self, real):
        with tf.GradientTape(persistent=True) as tape:
            fake = self.generator(tf.random.normal((batch_size, 2)), training=True)
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(fake, training=True)
            g_loss, d_loss = self.adversarial_loss(real_logits, fake_logits)
        g_grads = tape.gradient(g_loss, self.generator.trainable_weights)
        d_grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(g_grads, self.generator.trainable_weights))
        self.d_optimizer.apply_gradients(zip(d_grads, self.discriminator.trainable_weights))
        self.tracker.update_state(d_loss)
        return {"d_loss": self.tracker.result()}


squashed = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])  # expect: HC201
gan = Gan(squashed)  # expect: HC901
gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())  # expect: HC902
gan.fit(data)

critic = keras.Sequential([keras.Input((4,)), layers.Dense(1)])  # logits: clean
fixed = Gan(critic)  # expect: HC901
fixed.compile(keras.optimizers.Adam(), keras.optimizers.Adam())  # expect: HC902
fixed.fit(data)


class Distiller(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.student = student
        self.teacher = teacher

    def compile(self, optimizer, student_loss_fn, distillation_loss_fn, temperature=3):
        super().compile(optimizer=optimizer)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn
        self.temperature = temperature

    def losses(self, y, student_predictions, teacher_predictions):
        student_loss = self.student_loss_fn(y, student_predictions)
        distillation_loss = self.distillation_loss_fn(
            tf.nn.softmax(teacher_predictions / self.temperature, axis=1),
            tf.nn.softmax(student_predictions / self.temperature, axis=1),
        )
        return 0.1 * student_loss + 0.9 * distillation_loss

    def train_step(self, data):
        x, y = data
        teacher_predictions = self.teacher(x, training=False)
        with tf.GradientTape() as tape:
            loss = self.losses(y, self.student(x, training=True), teacher_predictions)
        gradients = tape.gradient(loss, self.student.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.student.trainable_variables))
        return {"loss": loss}


teacher = keras.Sequential([keras.Input((4,)), layers.Dense(10)])
student = keras.Sequential([keras.Input((4,)), layers.Dense(10, activation="softmax")])  # expect: HC201
distiller = Distiller(student, teacher)  # expect: HC901
distiller.compile(  # expect: HC902
    keras.optimizers.Adam(),
    student_loss_fn=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    distillation_loss_fn=keras.losses.KLDivergence(),
)
distiller.fit(data)


# Not bound: two losses that read the output differently, a y_pred the reader cannot evaluate.
class TwoConfigs(keras.Model):
    def __init__(self, discriminator):
        super().__init__()
        self.discriminator = discriminator

    def compile(self, optimizer):
        super().compile(optimizer=optimizer)

    def train_step(self, real):
        with tf.GradientTape() as tape:
            logits = self.discriminator(real)
            d_loss = keras.losses.binary_crossentropy(tf.ones_like(logits), logits, from_logits=True)
            g_loss = keras.losses.binary_crossentropy(tf.zeros_like(logits), logits)
            loss = d_loss + g_loss
        tape.gradient(loss, self.discriminator.trainable_weights)
        return {"loss": loss}


two = TwoConfigs(keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")]))  # expect: HC901
two.compile(keras.optimizers.Adam())  # expect: HC902
two.fit(data)


class Unreadable(keras.Model):
    def __init__(self, discriminator):
        super().__init__()
        self.discriminator = discriminator

    def compile(self, optimizer):
        super().compile(optimizer=optimizer)

    def train_step(self, real):
        with tf.GradientTape() as tape:
            logits = self.discriminator(real)
            loss = keras.losses.binary_crossentropy(tf.ones_like(logits), logits, from_logits=True)
            loss += keras.losses.binary_crossentropy(tf.ones_like(logits), self.cached(), from_logits=True)
        tape.gradient(loss, self.discriminator.trainable_weights)
        return {"loss": loss}


unreadable = Unreadable(keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")]))  # expect: HC901
unreadable.compile(keras.optimizers.Adam())  # expect: HC902
unreadable.fit(data)


# Module functions applying a loss to rows of the output of a model run on concatenated batches
# (`logits[:n]` is the output's rows, like a concat); the interpolated logits are not the output.
def source_loss(labels, logits):
    loss_func = keras.losses.CategoricalCrossentropy(from_logits=True)
    return loss_func(labels, logits)


def target_loss(pseudo_labels, logits):
    loss_func = keras.losses.CategoricalCrossentropy(from_logits=True, reduction="none")
    return tf.reduce_mean(loss_func(tf.stop_gradient(pseudo_labels), logits))


class Adapter(keras.Model):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def train_step(self, data):
        (source, labels), target = data
        with tf.GradientTape() as tape:
            logits = self.model(tf.concat([source, target], 0), training=True)
            mixed = 0.5 * logits[:batch_size] + 0.5 * self.model(source, training=False)
            target_logits = logits[batch_size:]
            loss = source_loss(labels, mixed) + target_loss(tf.nn.softmax(target_logits), target_logits)
        gradients = tape.gradient(loss, self.model.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.model.trainable_variables))
        return {"loss": loss}


wide = keras.Sequential([keras.Input((4,)), layers.Dense(10, activation="softmax")])  # expect: HC201
adapter = Adapter(wide)  # expect: HC901
adapter.compile(optimizer="adam")  # expect: HC902
adapter.fit(data)


# A trainer with a call() of its own (CycleGAN's), its losses module functions given to its
# compile around a module-level loss object, and one its compile builds: each model is checked
# with the loss its outputs see.
adv_loss_fn = keras.losses.MeanSquaredError()


def generator_loss_fn(fake):
    return adv_loss_fn(tf.ones_like(fake), fake)


def discriminator_loss_fn(real, fake):
    return (adv_loss_fn(tf.ones_like(real), real) + adv_loss_fn(tf.zeros_like(fake), fake)) * 0.5


class Cycle(keras.Model):
    def __init__(self, gen, disc):
        super().__init__()
        self.gen = gen
        self.disc = disc

    def call(self, inputs):
        return self.disc(inputs), self.gen(inputs)

    def compile(self, gen_optimizer, disc_optimizer, gen_loss_fn, disc_loss_fn):
        super().compile()
        self.gen_optimizer = gen_optimizer
        self.disc_optimizer = disc_optimizer
        self.generator_loss_fn = gen_loss_fn
        self.discriminator_loss_fn = disc_loss_fn
        self.cycle_loss_fn = keras.losses.MeanAbsoluteError()

    def train_step(self, batch):
        real_x, real_y = batch
        with tf.GradientTape(persistent=True) as tape:
            fake_y = self.gen(real_x, training=True)
            cycled = self.gen(fake_y, training=True)
            disc_real = self.disc(real_y, training=True)
            disc_fake = self.disc(fake_y, training=True)
            gen_loss = self.generator_loss_fn(disc_fake) + self.cycle_loss_fn(real_x, cycled) * 10.0
            disc_loss = self.discriminator_loss_fn(disc_real, disc_fake)
        gen_grads = tape.gradient(gen_loss, self.gen.trainable_variables)
        disc_grads = tape.gradient(disc_loss, self.disc.trainable_variables)
        self.gen_optimizer.apply_gradients(zip(gen_grads, self.gen.trainable_variables))
        self.disc_optimizer.apply_gradients(zip(disc_grads, self.disc.trainable_variables))
        return {"gen_loss": gen_loss, "disc_loss": disc_loss}


painter = keras.Sequential([keras.Input((4,)), layers.Dense(4, activation="softmax")])  # expect: HC203
judge = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="softmax")])  # expect: HC101, HC203
cycle = Cycle(painter, judge)
cycle.compile(  # expect: HC902
    keras.optimizers.Adam(), keras.optimizers.Adam(), generator_loss_fn, discriminator_loss_fn
)
cycle.fit(data)
