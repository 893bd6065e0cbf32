# A `@property` of a plain class is read when it is read: `net.model` (and `self.model` in a
# method) is what its getter returns on the instance, a setter defined after it notwithstanding.
# A getter that returns different values on different paths is not known.
from tensorflow import keras
from tensorflow.keras import layers


class Base:
    def __init__(self):
        self._model = None

    @property
    def model(self):
        return self._model

    @model.setter
    def model(self, value):
        self._model = value

    def train(self, x, y):
        self.model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        self.model.fit(x, y)


class Net(Base):
    def __init__(self, units):
        Base.__init__(self)
        inputs = keras.Input((8,))
        outputs = layers.Dense(units, activation="sigmoid")(inputs)  # expect: HC204
        self._model = keras.Model(inputs, outputs)


net = Net(10)
net.train(x, y)


class Plain:
    def __init__(self):
        inputs = keras.Input((8,))
        self._model = keras.Model(inputs, layers.Dense(1, activation="softmax")(inputs))  # expect: HC101

    @property
    def model(self):
        return self._model


plain = Plain()
plain.model.compile(loss="binary_crossentropy", optimizer="adam")
plain.model.fit(x, y)


class Either:
    def __init__(self, wide):
        self.wide = wide
        inputs = keras.Input((8,))
        self.small = keras.Model(inputs, layers.Dense(3, activation="softmax")(inputs))
        self.large = keras.Model(inputs, layers.Dense(30, activation="softmax")(inputs))

    @property
    def model(self):
        if self.wide:
            return self.large
        return self.small


either = Either(wide)
either.model.compile(loss="categorical_crossentropy", optimizer="adam")  # expect: HC901
either.model.fit(x, y)
