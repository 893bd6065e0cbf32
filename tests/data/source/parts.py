# A functional model, never compiled, whose output another model is built on is a part of that
# model (checked as part of it), not a head of its own: its sigmoid + BatchNormalization is a
# hidden block (python_for_microscopists' feature extractors, the autoencoders' encoders).
import keras
from keras import layers

inputs = keras.Input((64,))
code = layers.BatchNormalization()(layers.Dense(8, activation="sigmoid")(inputs))
encoder = keras.Model(inputs, code)
decoded = layers.Dense(64, activation="sigmoid")(code)
autoencoder = keras.Model(inputs, decoded)
autoencoder.compile(loss="binary_crossentropy")
autoencoder.fit(x, x)

# Read through `.output` / `.input` of the part, as transfer learning does.
base = keras.Model(inputs, layers.BatchNormalization()(layers.Dense(16, activation="sigmoid")(inputs)))
classes = layers.Dense(3, activation="softmax")(base.output)
classifier = keras.Model(base.input, classes)
classifier.compile(loss="categorical_crossentropy")
classifier.fit(x, y)

# A part that is wrong where it feeds the trained model is still found there.
probabilities = layers.Dense(4, activation="softmax")(inputs)
squashed = layers.Activation("softmax")(probabilities)  # expect: HC102
stacked = keras.Model(inputs, squashed)
stacked.compile(loss="categorical_crossentropy")
stacked.fit(x, y)

# Never compiled and built on by no other model: still a head of its own.
alone = keras.Model(inputs, layers.Dense(1, activation="softmax")(inputs))  # expect: HC101
# A compiled model stays checked even when another model is built on its output.
first = keras.Model(inputs, layers.Dense(1, activation="relu")(inputs))  # expect: HC202
first.compile(loss="binary_crossentropy")
second = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(first.output))
second.compile(loss="binary_crossentropy")
second.fit(x, y)
# Two models sharing an output are no part of each other: both are reported.
shared = layers.Dense(2, activation="softmax")(inputs)
one = keras.Model(inputs, shared)
one.compile(loss="categorical_crossentropy")
two = keras.Model(inputs, [shared, layers.Dense(1)(inputs)])
