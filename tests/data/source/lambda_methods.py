# A plain class whose body binds lambdas as methods (`name = lambda self: ...`, a property over
# one): its uncalled methods run on an instance like any other, a lambda's body as its return
# value; the file's models are still read.
import keras


class Spec:
    value_type = property(lambda self: keras.Model)
    _serialize = lambda self: (self.shape, self.dtype)
    _to_components = lambda self, value: None


model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="softmax")])  # expect: HC101, HC203
model.compile(loss="mse")
model.fit(x, y)
