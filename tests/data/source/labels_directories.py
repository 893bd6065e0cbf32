# Directory loaders, generators and tf.data pipelines: the labels they yield, followed to `fit`.
import keras
import tensorflow as tf
from keras import layers
from keras.preprocessing.image import ImageDataGenerator


def classifier(units, activation, loss):
    model = keras.Sequential([layers.Flatten(), layers.Dense(units, activation=activation)])
    model.compile(optimizer="adam", loss=loss)
    return model


train_ds = keras.utils.image_dataset_from_directory("photos/train", image_size=(64, 64))  # int ids
val_ds = keras.utils.image_dataset_from_directory("photos/val", image_size=(64, 64))
classifier(5, "softmax", "categorical_crossentropy").fit(train_ds, validation_data=val_ds)  # expect: HC401
classifier(5, "softmax", "sparse_categorical_crossentropy").fit(train_ds, validation_data=val_ds)

hot_ds = keras.utils.image_dataset_from_directory("photos/train", label_mode="categorical")
classifier(5, "softmax", "sparse_categorical_crossentropy").fit(hot_ds.prefetch(2))  # expect: HC402
classifier(5, "softmax", "categorical_crossentropy").fit(hot_ds.prefetch(2))

named = keras.utils.image_dataset_from_directory("pets", class_names=["cat", "dog", "fish"])
classifier(2, "softmax", "sparse_categorical_crossentropy").fit(named)  # expect: HC403
classifier(3, "softmax", "sparse_categorical_crossentropy").fit(named)

binary_ds = tf.keras.utils.image_dataset_from_directory("pets", label_mode="binary")
classifier(1, "sigmoid", "mse").fit(binary_ds)  # expect: HC408
classifier(1, "sigmoid", "binary_crossentropy").fit(binary_ds)

reviews = keras.utils.text_dataset_from_directory("aclImdb/train")
classifier(2, "softmax", "categorical_crossentropy").fit(reviews)  # expect: HC401
classifier(2, "softmax", "sparse_categorical_crossentropy").fit(reviews)

datagen = ImageDataGenerator(rescale=1.0 / 255)
flow = datagen.flow_from_directory("photos/train", target_size=(64, 64))  # one-hot by default
classifier(5, "softmax", "sparse_categorical_crossentropy").fit(flow)  # expect: HC402
classifier(5, "softmax", "categorical_crossentropy").fit(flow)
binary_flow = datagen.flow_from_directory("photos/train", class_mode="binary")
classifier(1, "sigmoid", "mse").fit(binary_flow)  # expect: HC408
classifier(1, "sigmoid", "binary_crossentropy").fit(binary_flow)
sparse_flow = datagen.flow_from_dataframe(frame, class_mode="sparse", classes=["a", "b", "c"])
classifier(3, "softmax", "categorical_crossentropy").fit(sparse_flow)  # expect: HC401
classifier(3, "softmax", "sparse_categorical_crossentropy").fit(sparse_flow)

(x, y), _ = keras.datasets.cifar10.load_data()
augmented = datagen.flow(x, y, batch_size=32)
classifier(10, "softmax", "categorical_crossentropy").fit(augmented)  # expect: HC401
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(augmented)

slices = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(1000).batch(32).prefetch(1)
classifier(10, "softmax", "categorical_crossentropy").fit(slices)  # expect: HC401
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(slices)

series = keras.utils.timeseries_dataset_from_array(x, y, sequence_length=10)
classifier(10, "softmax", "categorical_crossentropy").fit(series)  # expect: HC401
classifier(10, "softmax", "sparse_categorical_crossentropy").fit(series)
