# One-hot encoding and back: to_categorical, np.eye, one_hot ops, scikit-learn, pandas, argmax.
import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from keras import layers
from keras.utils import to_categorical
from sklearn.preprocessing import LabelBinarizer, LabelEncoder, OneHotEncoder

NUM_CLASSES = 10


def classifier(units, activation, loss):
    model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(units, activation=activation)])
    model.compile(optimizer="adam", loss=loss)
    return model


(x, y), (xt, yt) = keras.datasets.mnist.load_data()
onehot = to_categorical(y, NUM_CLASSES)
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x, onehot)  # expect: HC402
classifier(10, "softmax", "categorical_crossentropy").fit(x, onehot)
classifier(5, "softmax", "categorical_crossentropy").fit(x, onehot)  # expect: HC403
classifier(10, "sigmoid", "binary_crossentropy").fit(x, onehot)  # expect: HC409
classifier(10, "softmax", "categorical_crossentropy").fit(x, keras.utils.to_categorical(y))

eye = np.eye(NUM_CLASSES)[y]
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x, eye)  # expect: HC402
classifier(10, "softmax", "categorical_crossentropy").fit(x, eye)

tf_hot = tf.one_hot(y, depth=10)
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x, tf_hot)  # expect: HC402
classifier(10, "softmax", "categorical_crossentropy").fit(x, tf_hot)
ops_hot = keras.ops.one_hot(y, 10)
classifier(10, "softmax", "categorical_crossentropy").fit(x, ops_hot)
classifier(12, "softmax", "categorical_crossentropy").fit(x, ops_hot)  # expect: HC403

back = np.argmax(onehot, axis=1)  # class ids again
classifier(10, "softmax", "categorical_crossentropy").fit(x, back)  # expect: HC401
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x, back)

frame = pd.read_csv("labels.csv")
encoded = LabelEncoder().fit_transform(frame["label"])  # ids 0..k-1, k known at run time
classifier(4, "softmax", "categorical_crossentropy").fit(x, encoded)  # expect: HC401
classifier(4, "softmax", "sparse_categorical_crossentropy").fit(x, encoded)

encoder = OneHotEncoder(sparse_output=False)
rows = encoder.fit_transform(y.reshape(-1, 1))
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(x, rows)  # expect: HC402
classifier(10, "softmax", "categorical_crossentropy").fit(x, rows)

binarized = LabelBinarizer().fit_transform(y)  # 10 classes: one-hot rows
classifier(10, "sigmoid", "binary_crossentropy").fit(x, binarized)  # expect: HC409
classifier(10, "softmax", "categorical_crossentropy").fit(x, binarized)

dummies = pd.get_dummies(frame["label"]).values  # 0/1 rows, width known at run time
classifier(3, None, "mse").fit(x, dummies)  # expect: HC408
classifier(3, "softmax", "categorical_crossentropy").fit(x, dummies)

(ix, iy), _ = keras.datasets.imdb.load_data(num_words=5000)  # 0/1 labels are class ids too
classifier(2, "softmax", "sparse_categorical_crossentropy").fit(ix, to_categorical(iy))  # expect: HC402
classifier(2, "softmax", "categorical_crossentropy").fit(ix, to_categorical(iy))

# validation labels are checked too
classifier(10, "softmax", "categorical_crossentropy").fit(x, onehot, validation_data=(xt, yt))  # expect: HC401
classifier(10, "softmax", "categorical_crossentropy").fit(x, onehot, validation_data=(xt, to_categorical(yt)))
