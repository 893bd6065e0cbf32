# A subclass whose __init__ calls its own methods: each sees the attributes __init__ set before
# the call, and __init__ sees what the method set (the SNGP tutorial's
# `Dense(num_classes, **self.classifier_kwargs)` in a `make_output_layer` method).
import keras


class Net(keras.Model):
    def __init__(self, num_classes, **head_kwargs):
        super().__init__()
        self.head_kwargs = head_kwargs
        self.hidden = keras.layers.Dense(8, activation="relu")
        self.head = self.make_head(num_classes)

    def make_head(self, num_classes):
        return keras.layers.Dense(num_classes, **self.head_kwargs)  # expect: HC201

    def call(self, x):
        return self.head(self.hidden(x))


logits = Net(3)
logits.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
probs = Net(3, activation="softmax")
probs.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))


class Sized(keras.Model):
    def __init__(self):
        super().__init__()
        self.set_size()
        self.out = keras.layers.Dense(self.units, activation="softmax")  # expect: HC203

    def set_size(self):
        self.units = 4

    def call(self, x):
        return self.out(x)


sized = Sized()
sized.compile(loss="mse")
