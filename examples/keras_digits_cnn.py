"""A Keras CNN on scikit-learn's 8x8 handwritten digits (shipped with scikit-learn).

Run: ``make demo`` (or ``python examples/keras_digits_cnn.py [--logdir DIR]``). It trains with
Keras's progress bar and validation accuracy per epoch, writes TensorBoard logs with Keras's
TensorBoard callback (loss/accuracy per epoch for the train and validation runs, weight
histograms, the graph), saves the model to HDF5, loads it back and prints a few predictions.
Swap the import for ``import tensorflow.compat.v1 as tf`` and it runs on TensorFlow too.
"""
import argparse
import os
import shutil
import tempfile
import time

import numpy as np
from sklearn.datasets import load_digits

import tensorweave as tf

keras = tf.keras


def load_data(seed=0):
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[..., None]  # (n, 8, 8, 1)
    y = digits.target.astype(np.int64)
    order = np.random.RandomState(seed).permutation(len(x))
    x, y = x[order], y[order]
    n_test = len(x) // 5
    return (x[n_test:], y[n_test:]), (x[:n_test], y[:n_test])


def build_model():
    return keras.Sequential([
        keras.layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(8, 8, 1)),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.25),
        keras.layers.Dense(10, activation="softmax"),
    ])


def main(epochs=15, seed=0, logdir=None):
    logdir = logdir or os.path.join(tempfile.gettempdir(), "tensorweave_digits_cnn")
    shutil.rmtree(logdir, ignore_errors=True)
    np.random.seed(seed)
    tf.set_random_seed(seed)
    (x_train, y_train), (x_test, y_test) = load_data(seed)
    model = build_model()
    model.summary()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=2e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.time()
    history = model.fit(x_train, y_train, batch_size=64, epochs=epochs,
                        validation_data=(x_test, y_test), verbose=1,
                        callbacks=[keras.callbacks.TensorBoard(logdir, histogram_freq=1)])
    print(f"trained in {time.time() - start:.1f} s; held-out accuracy per epoch: "
          f"{[round(a, 3) for a in history.history['val_acc']]}")

    path = os.path.join(tempfile.mkdtemp(), "digits_cnn.h5")
    model.save(path)
    restored = keras.models.load_model(path)
    loss, accuracy = restored.evaluate(x_test, y_test, verbose=0)
    print(f"saved to {path} and reloaded: held-out loss {loss:.4f}, accuracy {accuracy:.4f}")
    probs = restored.predict(x_test[:8])
    print("predicted:", probs.argmax(axis=1).tolist())
    print("actual:   ", y_test[:8].tolist())
    print(f"TensorBoard logs: tensorboard --logdir {logdir}")
    return accuracy


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--logdir", default=None)
    args = parser.parse_args()
    main(args.epochs, logdir=args.logdir)
