# A test class whose test methods carry decorators (a test framework's marks, parameters): each
# runs on the class's instance when nothing calls it, as an undecorated method does, so
# `self.make_model(...)` is the model that helper builds. A staticmethod has no instance.
import numpy as np
import pytest
from keras import layers, models


class TestHeads:
    def make_model(self, units, compile_model=True):
        model = models.Sequential([layers.Input((10,)), layers.Dense(units, activation="softmax")])  # expect: HC101, HC203
        if compile_model:
            model.compile("sgd", "categorical_crossentropy")
        return model

    @pytest.mark.requires_trainable_backend
    def test_regression(self):
        model = self.make_model(1, compile_model=False)
        model.compile(optimizer="sgd", loss="mse")
        model.fit(np.ones((10, 10)), np.ones((10, 1)))

    @pytest.mark.parametrize("units", [3])
    def test_classes(self, units):
        model = self.make_model(3)
        model.fit(np.ones((10, 10)), np.eye(3)[np.zeros(10, int)])

    @staticmethod
    def data():
        return np.ones((10, 10))
