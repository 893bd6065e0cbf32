# HC501: probabilities computed in float16 under a mixed-precision policy: the output layer in float32.
import keras

keras.mixed_precision.set_global_policy("mixed_float16")
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10, activation="softmax")])
model.compile(loss="sparse_categorical_crossentropy")

other = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="sigmoid", dtype="mixed_float16")])
other.compile(loss="binary_crossentropy")
