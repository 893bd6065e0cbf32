# Findings whose fix cannot be located exactly: they get no fix, and --fix leaves the file alone.
import keras
from keras import layers

# The loss is a variable defined elsewhere.
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
held = keras.Sequential([keras.Input((8,)), layers.Dense(10, activation="softmax")])
held.compile(loss=loss_fn)


# The activation is a parameter: what the caller passes is not written at the layer.
def build(units, activation):
    m = keras.Sequential([keras.Input((8,)), layers.Dense(units, activation=activation)])
    m.compile(loss="binary_crossentropy")
    return m


build(1, "softmax")

# Two candidate calls on the head's line.
pair = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="softmax"), layers.Dense(1, activation="softmax")])
pair.compile(loss="binary_crossentropy")

# One loss shared by two outputs that need different things: dropping the flag would break `b`.
inputs = keras.Input((8,))
a = layers.Dense(3, activation="softmax", name="a")(inputs)
b = layers.Dense(3, name="b")(inputs)
two = keras.Model(inputs, [a, b])
two.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))


# One compile serving a one-unit head and a four-unit head: binary crossentropy is right for one.
def head(units):
    m = keras.Sequential([keras.Input((8,)), layers.Dense(units, activation="sigmoid")])
    m.compile(loss="categorical_crossentropy")
    return m


head(1)
head(4)

# A loss string built at run time.
kind = "sparse_categorical"
built = keras.Sequential([keras.Input((8,)), layers.Dense(10)])
built.compile(loss=kind + "_crossentropy")

# The flag passed through **options.
options = {"from_logits": True}
spread = keras.Sequential([keras.Input((8,)), layers.Dense(10, activation="softmax")])
spread.compile(loss=keras.losses.SparseCategoricalCrossentropy(**options))

# float16 softmax with a later layer producing the output: float32 on the softmax would not do.
keras.mixed_precision.set_global_policy("mixed_float16")
late = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax"), layers.Reshape((2, 2))])

# A relu output read as logits would still never go below probability 0.5: no from_logits fix.
keras.mixed_precision.set_global_policy("float32")
relu = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="relu")])
relu.compile(loss="binary_crossentropy")

# A sigmoid into a categorical loss on logits: neither reading is certain (HC204 says why).
mixed = keras.Sequential([keras.Input((8,)), layers.Dense(5, activation="sigmoid")])
mixed.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))
