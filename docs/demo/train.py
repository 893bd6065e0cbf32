"""The README's picture: the Stack Overflow classic, one softmax unit trained with MSE."""
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(20,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="softmax"),
])
model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
