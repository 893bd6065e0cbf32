# Each compile goes to its own model; models that are never compiled still get the head rules.
import keras
from keras import layers

generator = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(784, activation="tanh")])
discriminator = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(1, activation="sigmoid")])
discriminator.compile(loss="binary_crossentropy", metrics=["accuracy"])
gan = keras.Sequential([generator, discriminator])
gan.compile(loss="binary_crossentropy")

regressor = keras.Sequential([layers.Dense(1, activation="softmax")])  # expect: HC101, HC203
classifier = keras.Sequential([layers.Dense(10, activation="softmax")])
classifier.compile(loss="categorical_crossentropy", metrics=["accuracy"])
regressor.compile(loss="mse")

never_compiled = keras.Sequential([layers.Dense(1, activation="softmax")])  # expect: HC101

fine_tuned = keras.Sequential([layers.Dense(4, activation="relu"), layers.Dense(1, activation="sigmoid")])
fine_tuned.compile(loss="binary_crossentropy")
fine_tuned.pop()
fine_tuned.add(layers.Dense(3, activation="softmax"))  # expect: HC205
fine_tuned.compile(loss="binary_crossentropy")
