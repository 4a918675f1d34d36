"""The TF1 Keras guide's basics: a Sequential MLP trained with a tf.train optimizer and with a
Keras optimizer, evaluate/predict, configs, and saving to HDF5 and to a checkpoint.

Weights and data are fixed NumPy arrays, so the printed numbers are comparable with tf.keras.
Timing-dependent output (progress bars) is left out (verbose=0); the tests of the Keras
package check the progress bar text itself.
"""
import json
import os
import tempfile

import numpy as np
from _backend import load

tf = load()
keras = tf.keras
layers = keras.layers


def build():
    model = keras.Sequential([
        layers.Dense(64, activation="relu", input_shape=(32,)),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax")])
    rng = np.random.RandomState(0)
    model.set_weights([rng.uniform(-0.25, 0.25, w.shape).astype(np.float32)
                       for w in model.get_weights()])
    return model


rng = np.random.RandomState(1)
data = rng.random_sample((256, 32)).astype(np.float32)
labels = np.eye(10, dtype=np.float32)[rng.randint(0, 10, 256)]
val_data = rng.random_sample((64, 32)).astype(np.float32)
val_labels = np.eye(10, dtype=np.float32)[rng.randint(0, 10, 64)]

model = build()
print([w.name for w in model.weights])
print([tuple(int(d) for d in w.shape) for w in model.weights])
print(model.count_params())
model.summary()

model.compile(optimizer=tf.train.AdamOptimizer(0.001), loss="categorical_crossentropy",
              metrics=["accuracy"])
history = model.fit(data, labels, epochs=3, batch_size=32, shuffle=False, verbose=0,
                    validation_data=(val_data, val_labels))
for key in sorted(history.history):
    print(key, np.round(history.history[key], 6).tolist())
print(history.epoch, history.params.get("epochs"))
print(np.round(model.evaluate(data, labels, batch_size=32, verbose=0), 6).tolist())
pred = model.predict(val_data, batch_size=32)
print(pred.shape, np.round(pred[:2], 6).tolist())
print(np.round(model.predict_on_batch(val_data[:3]).sum(axis=1), 6).tolist())

model2 = build()
model2.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.01), loss="mse",
               metrics=["mae"])
h2 = model2.fit(data, labels, epochs=2, batch_size=64, shuffle=False, verbose=0,
                validation_split=0.25)
for key in sorted(h2.history):
    print(key, np.round(h2.history[key], 6).tolist())
print(np.round(model2.train_on_batch(data[:32], labels[:32])[0], 6))
print(np.round(model2.test_on_batch(data[:32], labels[:32]), 6).tolist())

config = json.loads(model.to_json())
print(config["class_name"], [layer["class_name"] for layer in config["config"]["layers"]])
print(sorted(config["config"]["layers"][1]["config"].items()))
fresh = keras.models.model_from_json(model.to_json())
print([w.shape.as_list() for w in fresh.weights] == [w.shape.as_list() for w in model.weights])

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "my_model.h5")
    model2.save(path)
    restored = keras.models.load_model(path)
    print(np.allclose(restored.predict(val_data), model2.predict(val_data), atol=1e-6))
    print(restored.optimizer.__class__.__name__, keras.losses.get(restored.loss).__name__)
    ckpt = os.path.join(tmp, "weights")
    model.save_weights(ckpt)
    other = build()
    other.load_weights(ckpt)
    print(np.allclose(other.predict(val_data), model.predict(val_data), atol=1e-6))
    model.save_weights(os.path.join(tmp, "weights.h5"))
    other = build()
    other.load_weights(os.path.join(tmp, "weights.h5"))
    print(np.allclose(other.predict(val_data), model.predict(val_data), atol=1e-6))
