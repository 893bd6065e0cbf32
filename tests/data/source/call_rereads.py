# A custom layer called with a keyword argument its graph was not read with runs its call()
# again with it, as Keras does: the tied embedding of a small GPT (`embedding(x, reverse=True)`
# returns `x @ embeddings.T`, logits over the vocabulary). A value known only at run time, or a
# call() that then returns its input, stays an unknown layer named with the arguments (HC901).
import keras
from keras import layers, ops


class TiedEmbedding(keras.layers.Layer):
    def __init__(self, vocabulary, width):
        super().__init__()
        self.tokens = layers.Embedding(vocabulary, width)

    def call(self, inputs, reverse=False):
        if reverse:
            return ops.matmul(inputs, ops.transpose(self.tokens.embeddings))  # expect: HC202
        return self.tokens(inputs)


inputs = keras.Input(shape=(None,), dtype="int32")
embedding = TiedEmbedding(1000, 32)
x = layers.LayerNormalization()(embedding(inputs))
logits = embedding(x, reverse=True)

gpt = keras.Model(inputs, logits)
gpt.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
gpt.fit(None, None)

wrong = keras.Model(inputs, logits)
wrong.compile(loss="sparse_categorical_crossentropy")  # linear logits read as probabilities
wrong.fit(None, None)


class Gate(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(4, activation="softmax")

    def call(self, inputs, skip=False):
        if skip:
            return inputs
        return self.dense(inputs)


features = keras.Input((4,))
gate = Gate()  # expect: HC901 (both calls below: skip=flag, and skip=True returning the input)
opened = gate(features)
flag = input("skip? ") == "y"  # known only at run time
unsure = keras.Model(features, gate(features, skip=flag))
unsure.compile(loss="categorical_crossentropy")
unsure.fit(None, None)
skipped = keras.Model(features, gate(features, skip=True))
skipped.compile(loss="categorical_crossentropy")
skipped.fit(None, None)
