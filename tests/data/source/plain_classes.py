# Plain classes (not Keras subclasses) whose methods build, compile and train models: a GAN class
# in the Keras-GAN style, a DQN agent, a helper instantiated only under `__main__`, one never
# instantiated. `self.x = self.build_x()` then `self.x.compile(...)` is the model built.
from keras.layers import Dense, Input
from keras.models import Model, Sequential


class GAN:
    def __init__(self):
        self.latent_dim = 8
        self.discriminator = self.build_discriminator()
        self.discriminator.compile(loss="binary_crossentropy", optimizer="adam")
        self.generator = self.build_generator()
        z = Input(shape=(self.latent_dim,))
        self.discriminator.trainable = False
        self.combined = Model(z, self.discriminator(self.generator(z)))
        self.combined.compile(loss="binary_crossentropy", optimizer="adam")

    def build_generator(self):
        model = Sequential()
        model.add(Dense(16, input_dim=self.latent_dim))
        model.add(Dense(32, activation="tanh"))
        return model

    def build_discriminator(self):
        model = Sequential()
        model.add(Dense(16, input_dim=32))
        model.add(Dense(1, activation="softmax"))  # expect: HC101
        return model

    def train(self, epochs):
        for _ in range(epochs):
            self.discriminator.train_on_batch(x, y)
            self.combined.train_on_batch(z, y)


class Agent:
    def __init__(self, actions):
        self.actions = actions

    def build(self):
        self.model = Sequential([Input((4,)), Dense(self.actions, activation="sigmoid")])  # expect: HC204


class Classifier(Agent):
    def compile_model(self):
        self.model.compile(loss="categorical_crossentropy", optimizer="adam")


class Helper:
    """Never instantiated: its __init__ runs once with its argument unknown."""

    def __init__(self, units):
        self.head = Sequential([Input((4,)), Dense(units, activation="softmax")])  # expect: HC203
        self.fixed = Sequential([Input((4,)), Dense(3, activation="sigmoid")])  # expect: HC204
        self.head.compile(loss="mse", optimizer="adam")
        self.fixed.compile(loss="sparse_categorical_crossentropy", optimizer="adam")

    @staticmethod
    def unused(n):
        return n


class Critic:
    """Its head depends on an argument nobody gives here: not guessed."""

    def __init__(self, activation):
        self.model = Sequential([Input((4,)), Dense(1, activation=activation)])  # expect: HC901
        self.model.compile(loss="binary_crossentropy", optimizer="adam")


class Replaced:
    """Program order: the compile replaced before training is not checked."""

    def __init__(self):
        self.model = Sequential([Input((4,)), Dense(1, activation="sigmoid")])
        self.model.compile(loss="categorical_crossentropy", optimizer="adam")
        self.model.compile(loss="binary_crossentropy", optimizer="adam")

    def train(self):
        self.model.fit(x, y)


class DQN:
    """Compiled in a method __init__ calls; a method written as a lambda in the class body."""

    greedy = lambda self, state: self.q_model.predict(state).argmax()  # noqa: E731

    def __init__(self):
        self.q_model = self.build_model()
        self.setup()

    def build_model(self):
        return Sequential([Input((4,)), Dense(2, activation="softmax")])  # expect: HC203

    def setup(self):
        self.q_model.compile(loss="mse", optimizer="adam")


class Builder:
    """A builder class called like a function, with a helper method."""

    def block(self, x, units):
        return Dense(units, activation="relu")(x)

    def __call__(self, classes):
        inputs = Input((4,))
        return Model(inputs, Dense(classes, activation="softmax")(self.block(inputs, 8)))  # expect: HC101


built = Builder()(1)
built.compile(loss="binary_crossentropy", optimizer="adam")


class LeNet:
    """A builder class whose functions are called on the class itself."""

    @staticmethod
    def build(shape, classes):
        model = Sequential()
        model.add(Input(shape))
        model.add(Dense(classes, activation="softmax"))  # expect: HC101
        return model

    @classmethod
    def binary(cls, shape):
        return cls.build(shape, 1)

    def plain(shape):  # no decorator: called on the class, a plain function
        return Sequential([Input(shape), Dense(1, activation="softmax")])  # expect: HC101, HC203

    @property
    def guarded(self):
        return Sequential([Input((4,)), Dense(3, activation="softmax")])


lenet = LeNet.build((8,), classes=1)
lenet.compile(loss="binary_crossentropy", optimizer="adam")
lenet.fit(x, y)
ten = LeNet.build((8,), classes=10)
ten.compile(loss="categorical_crossentropy", optimizer="adam")
ten.fit(x, y)
through_cls = LeNet.binary((8,))
through_cls.compile(loss="binary_crossentropy")
through_cls.fit(x, y)
flat = LeNet.plain((8,))
flat.compile(loss="mse")
flat.fit(x, y)
unknown = LeNet.guarded
unknown.compile(loss="mse")  # expect: HC901
unknown.fit(x, y)


if __name__ == "__main__":
    gan = GAN()
    gan.train(epochs=3)
    agent = Classifier(3)
    agent.build()
    agent.compile_model()
    agent.model.fit(x, y)
