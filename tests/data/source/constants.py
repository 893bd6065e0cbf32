# Module-level constants, len() of literals and arithmetic resolve unit counts.
import keras
from keras import layers

num_classes = 10
OUT_N = 1
CLASSES = ["cat", "dog"]
LABELS = ("spam",)
HIDDEN = 2 * 32

a = keras.Sequential([layers.Dense(HIDDEN, activation="relu"), layers.Dense(num_classes, activation="softmax")])
a.compile(loss="categorical_crossentropy")
b = keras.Sequential([layers.Dense(OUT_N, activation="softmax")])  # expect: HC101
c = keras.Sequential([layers.Dense(len(CLASSES), activation="softmax")])
c.compile(loss="categorical_crossentropy")
d = keras.Sequential([layers.Dense(len(LABELS), activation="softmax")])  # expect: HC101
e = keras.Sequential([layers.Dense(num_classes - 9, activation="softmax")])  # expect: HC101
