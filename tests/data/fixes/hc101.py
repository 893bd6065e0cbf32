# HC101: a softmax over one unit, trained with binary crossentropy: the sigmoid it means.
import keras

inputs = keras.Input((16,))
hidden = keras.layers.Dense(32, activation="relu")(inputs)
outputs = keras.layers.Dense(1, activation='softmax', name="spam")(hidden)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

seq = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1), keras.layers.Activation("softmax")])
seq.compile(loss=keras.losses.BinaryCrossentropy())
