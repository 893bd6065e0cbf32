# HC206: one unit under categorical crossentropy (the loss is always 0): binary crossentropy.
import keras
from keras import losses

model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="categorical_crossentropy")

smoothed = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1, activation="sigmoid")])
smoothed.compile(loss=losses.CategoricalCrossentropy(label_smoothing=0.1))

function = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1, activation="sigmoid")])
function.compile(loss=keras.losses.categorical_crossentropy)

# Two passes: binary crossentropy first, which makes HC101's sigmoid safe.
chained = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1, activation="softmax")])
chained.compile(loss="categorical_crossentropy")
