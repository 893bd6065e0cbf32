# HC201 and HC202 on loss calls written every way: keyword alone, last, first, on its own line,
# spaced, before a comment; calls without arguments; the fixed file must still parse.
import keras
L = keras.layers
m1 = keras.Sequential([keras.Input((4,)), L.Dense(3, activation="softmax")])
m1.compile(loss=keras.losses.CategoricalCrossentropy())
m2 = keras.Sequential([keras.Input((4,)), L.Dense(3, activation="softmax")])
m2.compile(loss=keras.losses.CategoricalCrossentropy(
))
m3 = keras.Sequential([keras.Input((4,)), L.Dense(3, activation="softmax")])
m3.compile(loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1))
m4 = keras.Sequential([keras.Input((4,)), L.Dense(3, activation="softmax")])
m4.compile(loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1))
m5 = keras.Sequential([keras.Input((4,)), L.Dense(3, activation="softmax")])
m5.compile(loss=keras.losses.CategoricalCrossentropy(name="x"))
m6 = keras.Sequential([keras.Input((4,)), L.Dense(3)])
m6.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))
m7 = keras.Sequential([keras.Input((4,)), L.Dense(3)])
m7.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))
m8 = keras.Sequential([keras.Input((4,)), L.Dense(3)])
m8.compile(loss=keras.losses.CategoricalCrossentropy  (from_logits=True))
m9 = keras.Sequential([keras.Input((4,)), L.Dense(3)])
m9.compile(loss=keras.losses.CategoricalCrossentropy(name="é", from_logits=True ,  # comment
))
