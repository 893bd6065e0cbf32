# A model class from another library, compiled and trained: a model the reader cannot see into
# (HC901), never a compile that goes unmentioned. (keras_cv's DenseNets are in a table:
# knowledge/keras_cv.py; its ViTs are not.)
import keras_cv
import keras

backbone = keras_cv.models.ViTTiny16(include_top=True, num_classes=10)  # expect: HC901
backbone.compile(loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1), metrics=["accuracy"])
backbone.fit(train_ds)

# The correct shape stays quiet: a Keras head on top of the same library backbone.
features = keras_cv.models.DenseNet121(include_top=False)
inputs = keras.Input((224, 224, 3))
outputs = keras.layers.Dense(10, activation="softmax")(keras.layers.GlobalAveragePooling2D()(features(inputs)))
model = keras.Model(inputs, outputs)
model.compile(loss="categorical_crossentropy")
