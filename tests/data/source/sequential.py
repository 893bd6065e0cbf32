# Sequential([...]) and Sequential() + add(...), with and without an input shape.
import keras
from keras import layers

bad_list = keras.Sequential([
    keras.Input(shape=(20,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(1, activation="softmax"),  # expect: HC101
])

good_list = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(1, activation="sigmoid")])
good_list.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

no_input_shape = keras.Sequential()
no_input_shape.add(layers.Dense(64, activation="relu"))
no_input_shape.add(layers.Dense(1, activation="softmax"))  # expect: HC101, HC206
no_input_shape.compile(loss="categorical_crossentropy")

dropout_last = keras.Sequential()
dropout_last.add(layers.Dense(10, activation="softmax"))
dropout_last.add(layers.Dropout(0.5))  # expect: HC104
dropout_last.compile(loss="categorical_crossentropy")

popped = keras.Sequential([layers.Dense(8), layers.Dense(1, activation="softmax")])
popped.pop()
popped.add(layers.Dense(1, activation="sigmoid"))
popped.compile(loss="binary_crossentropy")

# Never compiled (a feature extractor for another library's classifier): no loss reads its
# output, so a BatchNormalization after its sigmoid is not HC104.
features = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="sigmoid"), layers.BatchNormalization()])
