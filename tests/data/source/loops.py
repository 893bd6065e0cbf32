# A loop over a short list or tuple of known values runs once per element, as Python runs it; a
# loop with a `break` or `continue`, or over values not known statically, is read once with its
# target unknown (tests/data/source/unresolvable.py).
import keras
from keras import layers

last_in_loop = keras.Sequential([keras.Input((4,))])
for width in [64, 1]:
    last_in_loop.add(layers.Dense(width, activation="softmax"))  # expect: HC101


def small():
    return keras.Sequential([keras.Input((4,)), layers.Dense(1)])  # expect: HC202


def large():
    return keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])


for model, loss in ((small(), "binary_crossentropy"), (large(), "categorical_crossentropy")):
    model.compile(optimizer="adam", loss=loss)
    model.fit(x, y)

stopped = keras.Sequential([keras.Input((4,))])
for width in [64, 1]:  # expect: HC901
    stopped.add(layers.Dense(width, activation="softmax"))
    if width < 8:
        break

# One model compiled again each time round: one head to check (findings and the summary's count).
again = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="softmax")])  # expect: HC101
for rate in (1e-3, 1e-4):
    again.compile(optimizer=keras.optimizers.Adam(rate), loss="binary_crossentropy")
    again.fit(x, y)

# A sequence model built one step at a time (the Coursera jazz assignment's style): up to 32
# iterations run, so its ten outputs are all the shared `densor`'s softmax over one unit.
steps_in = keras.Input((4,))
densor = layers.Dense(1, activation="softmax")  # expect: HC101
step_outputs = []
for t in range(10):
    step_outputs.append(densor(steps_in))
stepped = keras.Model(steps_in, step_outputs)
stepped.compile(optimizer="adam", loss="binary_crossentropy")
