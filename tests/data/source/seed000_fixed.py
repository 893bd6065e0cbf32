# Seed 000 with the accepted answer applied: a sigmoid squashes one value into [0, 1].
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import Adam

W1_size = 64
input_dims = 10
X = np.random.randint(0, 2, size=(100, input_dims)).astype(np.int8)
y = np.random.rand(100)

model = Sequential()
model.add(Dense(W1_size, input_shape=(input_dims,), activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(optimizer=Adam(), loss='mse')
model.fit(X, y, batch_size=32, epochs=100)
