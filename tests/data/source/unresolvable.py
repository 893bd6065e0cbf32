# What cannot be known statically stays unknown: rules that need it do not fire.
import sys

import keras
import numpy as np
from keras import layers
from somewhere import FancyHead, make_model

X = np.load(sys.argv[1])
n_out = X.shape[1]
runtime = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(n_out, activation="softmax")])

looped = keras.Sequential()
for width in [64, 32, 1]:
    looped.add(layers.Dense(width, activation="softmax"))
looped.add(layers.Dense(8))
looped.add(layers.Dense(int(sys.argv[2]), activation="softmax"))

last_in_loop = keras.Sequential()
for width in [int(w) for w in sys.argv[3:]]:  # expect: HC901
    last_in_loop.add(layers.Dense(width, activation="softmax"))

custom = keras.Sequential([layers.Dense(4), FancyHead()])  # expect: HC901
custom.compile(loss="mse")

foreign = make_model()
foreign.compile(loss="mse", optimizer="adam")  # expect: HC901

act = sys.argv[3]
dynamic = keras.Sequential([layers.Dense(1, activation=act)])  # expect: HC901
