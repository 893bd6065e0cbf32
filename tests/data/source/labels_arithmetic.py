# Arithmetic, casts, reshapes, slicing and splits on labels; class counts bound through names.
import keras
import numpy as np
from keras import layers
from sklearn.model_selection import train_test_split

CLASSES = ["cat", "dog", "bird"]


def classifier(units, activation, loss):
    model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(units, activation=activation)])
    model.compile(optimizer="adam", loss=loss)
    return model


(x, y), (xt, yt) = keras.datasets.mnist.load_data()
scaled = y / 255  # the labels scaled like the images: no longer class ids
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x, scaled)  # expect: HC402
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x, y.astype("float32"))

fractions = y.astype("float32") / 9.0  # in [0, 1]
classifier(1, None, "mse").fit(x, fractions)  # expect: HC406
classifier(1, "sigmoid", "mse").fit(x, fractions)
classifier(1, "sigmoid", "binary_crossentropy").fit(x, y % 2)
classifier(1, "sigmoid", "mse").fit(x, y % 2)  # expect: HC408

scaled_in_place = y.astype("float32")
scaled_in_place /= 255.0
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x, scaled_in_place)  # expect: HC402

shifted = y + 1  # ids 1..10
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x, shifted)  # expect: HC403
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x, shifted - 1)

(ix, iy), _ = keras.datasets.imdb.load_data(num_words=5000)
signed = iy * 2 - 1  # {-1, 1}
classifier(1, "sigmoid", "binary_crossentropy").fit(ix, signed)  # expect: HC407
classifier(1, "tanh", "hinge").fit(ix, signed)
classifier(1, "sigmoid", "binary_crossentropy").fit(ix, (signed + 1) // 2)

column = y.reshape(-1, 1)[:50000]
classifier(10, "softmax", "categorical_crossentropy").fit(x[:50000], column)  # expect: HC401
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x[:50000], column)

x_train, x_val, y_train, y_val = train_test_split(x, y, test_size=0.2)
classifier(10, "softmax", "categorical_crossentropy").fit(  # expect: HC401
    x_train, y_train, validation_data=(x_val, y_val)
)
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x_train, y_train)

num_classes = len(CLASSES)


def pets(names=CLASSES, mode="categorical"):  # a loader in a function, parameters by default
    return keras.utils.image_dataset_from_directory("pets", class_names=names, label_mode=mode)


three = pets()
classifier(4, "softmax", "categorical_crossentropy").fit(three)  # expect: HC403
classifier(num_classes, "softmax", "categorical_crossentropy").fit(three)
classifier(3, "softmax", "sparse_categorical_crossentropy").fit(pets(mode="int"))
classifier(2, "softmax", "sparse_categorical_crossentropy").fit(pets(mode="int"))  # expect: HC403

hot = keras.utils.to_categorical(y, 10)
classifier(hot.shape[1], "softmax", "categorical_crossentropy").fit(x, hot)
classifier(hot.shape[1] - 1, "softmax", "categorical_crossentropy").fit(x, hot)  # expect: HC403
