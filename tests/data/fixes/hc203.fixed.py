# HC203 (and HC101): softmax outputs under a regression loss. Sigmoid or linear depends on the
# targets, which the tool cannot see: an unsafe fix, applied only with --unsafe-fixes.
import keras

one = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1, activation="sigmoid")])
one.compile(optimizer="adam", loss="mse")

several = keras.Sequential([keras.Input((16,)), keras.layers.Dense(5, activation="sigmoid")])
several.compile(optimizer="adam", loss="mean_absolute_error")
