# `from keras.layers import *` and Keras 2's input_dim.
from keras.layers import *
from keras.models import Sequential

model = Sequential()
model.add(Dense(12, input_dim=8, activation="relu"))
model.add(Dense(1))
model.add(Activation("softmax"))  # expect: HC101
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
