# Labels of keras.datasets loaders, followed to `fit`: the findings point at the fit line.
import keras
import tensorflow as tf
from keras import layers
from keras.datasets import cifar10, cifar100, imdb, reuters


def classifier(units, activation, loss):
    model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(units, activation=activation)])
    model.compile(optimizer="adam", loss=loss)
    return model


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
classifier(10, "softmax", "categorical_crossentropy").fit(x_train, y_train)  # expect: HC401
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x_train, y_train)
classifier(5, "softmax", "sparse_categorical_crossentropy").fit(x_train, y_train)  # expect: HC403
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(
    x_train, y_train, validation_data=(x_test, y_test)
)

(fx, fy), _ = tf.keras.datasets.fashion_mnist.load_data()
classifier(10, "softmax", "categorical_crossentropy").fit(fx, fy)  # expect: HC401
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(fx, fy)

(cx, cy), (cxt, cyt) = cifar10.load_data()  # labels of shape (n, 1)
classifier(10, "softmax", "categorical_crossentropy").fit(cx, cy)  # expect: HC401
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(cx, cy)

(c100x, c100y), _ = cifar100.load_data(label_mode="coarse")  # 20 classes
classifier(100, "softmax", "sparse_categorical_crossentropy").fit(c100x, c100y)
(f100x, f100y), _ = cifar100.load_data()  # 100 fine classes
classifier(20, "softmax", "sparse_categorical_crossentropy").fit(f100x, f100y)  # expect: HC403

(ix, iy), _ = imdb.load_data(num_words=10000)  # 0 or 1
classifier(1, "sigmoid", "mse").fit(ix, iy)  # expect: HC408
classifier(1, "sigmoid", "binary_crossentropy").fit(ix, iy)

(rx, ry), _ = reuters.load_data(num_words=10000)  # 46 topics
classifier(46, "softmax", "categorical_crossentropy").fit(rx, ry)  # expect: HC401
classifier(46, "softmax", "sparse_categorical_crossentropy").fit(rx, ry)
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(rx, ry)  # expect: HC403
(mx, my), _ = reuters.load_data(num_words=10000, maxlen=50)  # some topics may be gone: no count
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(mx, my)

(bx, by), _ = keras.datasets.boston_housing.load_data()  # prices 5..50
classifier(1, "sigmoid", "mse").fit(bx, by)  # expect: HC404
classifier(1, None, "mse").fit(bx, by)

(hx, hy), _ = keras.datasets.california_housing.load_data()
classifier(1, "relu", "mae").fit(hx, hy)
classifier(1, "tanh", "mae").fit(hx, hy)  # expect: HC404
