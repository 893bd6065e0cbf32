# HC402: one-hot rows with sparse categorical crossentropy.
import keras

(x_train, y_train), _ = keras.datasets.mnist.load_data()
y_onehot = keras.utils.to_categorical(y_train, 10)
model = keras.Sequential([
    keras.Input((28, 28)),
    keras.layers.Flatten(),
    keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_onehot, epochs=1)
