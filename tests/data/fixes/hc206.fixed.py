# HC206: one unit under categorical crossentropy (the loss is always 0): binary crossentropy.
import keras
from keras import losses

model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")

smoothed = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1, activation="sigmoid")])
smoothed.compile(loss=losses.BinaryCrossentropy(label_smoothing=0.1))

function = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1, activation="sigmoid")])
function.compile(loss=keras.losses.binary_crossentropy)

# Two passes: binary crossentropy first, which makes HC101's sigmoid safe.
chained = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1, activation="sigmoid")])
chained.compile(loss="binary_crossentropy")
