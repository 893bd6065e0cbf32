# Models built and returned by functions of the file, read with the call's arguments bound, and
# trained on labels the file loads; per-output labels by name or position.
import keras
from keras import layers


def build_model(num_classes=10, activation="softmax"):
    inputs = keras.Input(shape=(28, 28))
    x = layers.Flatten()(inputs)
    outputs = layers.Dense(num_classes, activation=activation)(x)
    return keras.Model(inputs, outputs)


def load():
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    return (x_train / 255.0, y_train), (x_test / 255.0, y_test)


(x, y), (xt, yt) = load()
model = build_model()
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, y, validation_data=(xt, yt))  # expect: HC401

small = build_model(num_classes=8)
small.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
small.fit(x, y)  # expect: HC403

good = build_model()
good.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
good.fit(x, y)

good.compile(optimizer="adam", loss="categorical_crossentropy")  # compiled again: the next fit
good.fit(x, keras.utils.to_categorical(y, 10))  # trains on the new loss

inputs = keras.Input(shape=(28, 28))
flat = layers.Flatten()(inputs)
digit = layers.Dense(10, activation="softmax", name="digit")(flat)
odd = layers.Dense(1, activation="sigmoid", name="odd")(flat)
two = keras.Model(inputs, {"digit": digit, "odd": odd})
two.compile(optimizer="adam", loss={"digit": "categorical_crossentropy", "odd": "binary_crossentropy"})
two.fit(x, {"digit": y, "odd": y % 2})  # expect: HC401
two.fit(x, {"digit": keras.utils.to_categorical(y, 10), "odd": y % 2})
