# A model class from another library, compiled and trained: a model the reader cannot see into
# (HC901), never a compile that goes unmentioned.
import keras_cv
import keras

backbone = keras_cv.models.DenseNet121(include_top=True, classes=10)  # expect: HC901
backbone.compile(loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1), metrics=["accuracy"])
backbone.fit(train_ds)

# The correct shape stays quiet: a Keras head on top of the same library backbone.
features = keras_cv.models.DenseNet121(include_top=False)
inputs = keras.Input((224, 224, 3))
outputs = keras.layers.Dense(10, activation="softmax")(keras.layers.GlobalAveragePooling2D()(features(inputs)))
model = keras.Model(inputs, outputs)
model.compile(loss="categorical_crossentropy")
