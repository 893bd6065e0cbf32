# Branches whose outcome is known are followed; others are followed on every path and merged,
# and a head a run-time test chooses is checked per outcome.
import sys

import keras
from keras import layers

BINARY = True
if BINARY:
    known = keras.Sequential([layers.Dense(1, activation="sigmoid")])
else:
    known = keras.Sequential([layers.Dense(1, activation="softmax")])
known.compile(loss="binary_crossentropy")

model = keras.Sequential([layers.Dense(16, activation="relu")])
if len(sys.argv) > 1:
    model.add(layers.Dropout(0.5))
model.add(layers.Dense(1, activation="softmax"))  # expect: HC101
model.compile(loss="binary_crossentropy")

loss = "mse" if len(sys.argv) > 2 else "mae"
chosen = keras.Sequential([layers.Dense(3, activation="softmax")])  # expect: HC203
chosen.compile(loss=loss)  # a regression loss either way

given = keras.Sequential([layers.Dense(3, activation="softmax")])
given.compile(loss=sys.argv[3])  # expect: HC902

try:
    guarded = keras.Sequential([layers.Dense(1, activation="softmax")])  # expect: HC101
except ImportError:
    guarded = None

with keras.device("cpu"):
    scoped = keras.Sequential([layers.Dense(2, activation="softmax")])
    scoped.compile(loss="binary_crossentropy")

for fold in range(5):
    per_fold = keras.Sequential([layers.Dense(1, activation="softmax")])  # expect: HC101, HC203
    per_fold.compile(loss="mse")


def train(backbone, x, y):
    # A run-time test picks the model; compile and fit apply to whichever it picked. A path that
    # binds no model cannot reach them (NameError): `picked` is one of the two.
    if backbone == "small":
        picked = keras.Sequential([keras.Input((8,)),
                                   layers.Dense(1, activation="softmax")])  # expect: HC101, HC206
    if backbone == "large":
        picked = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="softmax")])
    picked.compile(loss="categorical_crossentropy")
    picked.fit(x, y)
    scores = picked.predict(x)  # what the picked model predicts: not known, not None
    if scores is not None:
        keras.Sequential([layers.Dense(1, activation="softmax")])  # expect: HC101


for size in sys.argv[4:]:  # bound by the loop's body only: what follows it sees that model
    last = keras.Sequential([keras.Input((8,)),
                             layers.Dense(1, activation="softmax")])  # expect: HC101, HC206
last.compile(loss="categorical_crossentropy")
