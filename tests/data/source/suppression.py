# `# headcheck: ignore[...]` on the head layer's line or the compile line, with or without codes.
import keras
from keras import layers

a = keras.Sequential([layers.Dense(1, activation="softmax")])  # headcheck: ignore[HC101]  expect: HC203
a.compile(loss="mse")

b = keras.Sequential([layers.Dense(1, activation="softmax")])  # expect: HC101
b.compile(loss="mse")  # headcheck: ignore[HC203]

c = keras.Sequential([layers.Dense(1, activation="softmax")])  # headcheck: ignore
c.compile(loss="mse")

d = keras.Sequential([layers.Dense(1, activation="softmax")])
d.compile(loss="mse", metrics=["accuracy"])  # headcheck: ignore

e = keras.Sequential([layers.Dense(1, activation="softmax")])  # headcheck: ignore[HC2, hc101]
e.compile(loss="mse")

f = keras.Sequential([layers.Dense(1, activation="softmax")])  # headcheck: ignore[HC205]  expect: HC101, HC203
f.compile(loss="mse")

g = keras.Sequential([
    layers.Dense(  # expect: HC203
        1,
        activation="softmax",  # headcheck: ignore[HC101]
    ),
])
g.compile(loss="mse")
