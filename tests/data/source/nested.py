# Nested models: a Sequential inside a Sequential, and a sub-model called in functional code.
import keras
from keras import layers

classifier = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(1, activation="softmax")])  # expect: HC101
model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16), classifier])
model.compile(loss="binary_crossentropy")

encoder = keras.Sequential([layers.Dense(16, activation="relu")])
inp = keras.Input(shape=(8,))
features = encoder(inp)
out = layers.Dense(1, activation="sigmoid")(features)
siamese = keras.Model(inp, out)
siamese.compile(loss="binary_crossentropy")

head_in = keras.Input(shape=(16,))
head = keras.Model(head_in, layers.Dense(3, activation="sigmoid")(head_in))  # expect: HC204
outer_in = keras.Input(shape=(8,))
outer = keras.Model(outer_in, head(encoder(outer_in)))
outer.compile(loss="categorical_crossentropy")
