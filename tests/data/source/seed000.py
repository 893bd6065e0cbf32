# Seed 000, as posted: "Why can't I use softmax in regression task for probabilities?"
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import Adam

W1_size = 64
input_dims = 10
batch_size = 32
MAX_EPOCHS = 100
X = np.random.randint(0, 2, size=(100, input_dims)).astype(np.int8)
y = np.random.rand(100)

model = Sequential()
model.add(Dense(W1_size, input_shape=(input_dims,), activation='relu'))
model.add(Dense(1, activation='softmax'))  # expect: HC101, HC203
# compile model
model.compile(optimizer=Adam(), loss='mse')   # mse is the standard loss for regression
# fit
model.fit(X, y, batch_size=batch_size, epochs=MAX_EPOCHS)
