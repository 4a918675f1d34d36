"""Keras ``fit``/``evaluate``/``predict``/``*_on_batch`` give tf.keras's numbers for the same
weights and data (fixtures: tests/fixtures/keras/training/make_keras_fit_fixtures.py): several
inputs and outputs by name, loss and metric dicts, loss weights, sample and class weights,
validation data and split, short last batches — in graph and eager mode."""
import json
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

keras = tf.keras
FIXTURE = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "keras", "training",
                       "fit.json")
with open(FIXTURE) as f:
    REF = json.load(f)
IN = {k: np.asarray(v, np.int64 if "cls" in k else np.float32) for k, v in REF["inputs"].items()}
MODES = [pytest.param(lambda: tf.Graph().as_default(), id="graph"),
         pytest.param(context.eager_mode, id="eager")]


def _close(actual, expected):
    np.testing.assert_allclose(np.ravel(actual), expected, rtol=2e-5, atol=2e-6)


def _multi_model():
    a = keras.Input((4,), name="a")
    b = keras.Input((3,), name="b")
    h = keras.layers.Dense(8, activation="relu")(keras.layers.concatenate([a, b]))
    model = keras.Model([a, b], [keras.layers.Dense(3, activation="softmax", name="cls")(h),
                                 keras.layers.Dense(1, name="reg")(h)])
    model.set_weights([np.asarray(w, np.float32) for w in REF["multi"]["weights"]])
    model.compile(keras.optimizers.SGD(0.1, momentum=0.9),
                  loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                  loss_weights={"cls": 1.0, "reg": 0.5}, metrics={"cls": ["acc"], "reg": ["mae"]})
    return model


@pytest.mark.parametrize("mode", MODES)
def test_two_inputs_two_outputs_with_dicts_and_sample_weights(mode):
    ref = REF["multi"]
    with mode():
        model = _multi_model()
        batch = ([IN["a"][:8], IN["b"][:8]], [IN["cls"][:8], IN["reg"][:8]])
        _close(model.train_on_batch(*batch), ref["train_on_batch"])
        _close(model.test_on_batch(*batch), ref["test_on_batch"])
        hist = model.fit({"a": IN["a"], "b": IN["b"]}, {"cls": IN["cls"], "reg": IN["reg"]},
                         batch_size=16, epochs=3, shuffle=False, verbose=0,
                         sample_weight={"reg": IN["sw"]},
                         validation_data=({"a": IN["va"], "b": IN["vb"]},
                                          {"cls": IN["vcls"], "reg": IN["vreg"]}))
        assert model.metrics_names == ref["metrics_names"]
        assert sorted(hist.history) == sorted(ref["history"])
        for key, values in ref["history"].items():
            _close(hist.history[key], values)
        _close(model.evaluate([IN["va"], IN["vb"]], [IN["vcls"], IN["vreg"]], batch_size=5,
                              verbose=0), ref["evaluate"])
        for got, want in zip(model.predict([IN["va"][:4], IN["vb"][:4]]), ref["predict"]):
            _close(got, np.ravel(want))


@pytest.mark.parametrize("mode", MODES)
def test_binary_model_with_class_weights_and_validation_split(mode):
    ref = REF["binary"]
    with mode():
        model = keras.Sequential([keras.layers.Dense(6, activation="tanh", input_shape=(5,)),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.set_weights([np.asarray(w, np.float32) for w in ref["weights"]])
        model.compile(keras.optimizers.RMSprop(0.01), "binary_crossentropy",
                      metrics=["accuracy"])
        hist = model.fit(IN["x"], IN["y"], batch_size=8, epochs=4, shuffle=False, verbose=0,
                         class_weight={0: 0.3, 1: 2.0}, validation_split=0.2)
        assert model.metrics_names == ref["metrics_names"]
        for key, values in ref["history"].items():
            _close(hist.history[key], values)
        _close(model.evaluate(IN["x"], IN["y"], verbose=0), ref["evaluate"])
        _close(model.predict(IN["x"][:5]), np.ravel(ref["predict"]))


def _sgd_binary_model():
    model = keras.Sequential([keras.layers.Dense(6, activation="tanh", input_shape=(5,)),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.set_weights([np.asarray(w, np.float32) for w in REF["binary"]["weights"]])
    model.compile(keras.optimizers.SGD(0.5), "binary_crossentropy")
    return model


@pytest.mark.parametrize("mode", MODES)
def test_reduce_lr_on_plateau_follows_tf_keras(mode):
    ref = REF["callbacks"]["plateau"]
    with mode():
        plateau = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1,
                                                    min_delta=0.02, cooldown=1, min_lr=0.1)
        hist = _sgd_binary_model().fit(IN["x"], IN["y"], batch_size=10, epochs=8, shuffle=False,
                                       verbose=0, callbacks=[plateau])
    _close(hist.history["lr"], ref["lr"])
    _close(hist.history["loss"], ref["loss"])


@pytest.mark.parametrize("mode", MODES)
def test_early_stopping_restores_the_best_weights(mode):
    ref = REF["callbacks"]["early_stopping"]
    with mode():
        model = _sgd_binary_model()
        stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=1, min_delta=0.0063,
                                             restore_best_weights=True)
        hist = model.fit(IN["x"], IN["y"], batch_size=10, epochs=30, shuffle=False, verbose=0,
                         callbacks=[stop], validation_split=0.4)
        assert stop.stopped_epoch == ref["stopped_epoch"]
        for key, values in ref["history"].items():
            _close(hist.history[key], values)
        for got, want in zip(model.get_weights(), ref["weights"]):
            _close(got, np.ravel(want))


def test_terminate_on_nan_stops_after_the_batch():
    ref = REF["callbacks"]["terminate_on_nan"]
    x = IN["x"].copy()
    x[23] = np.nan
    seen = []
    with tf.Graph().as_default():
        hist = _sgd_binary_model().fit(x, IN["y"], batch_size=10, epochs=3, shuffle=False,
                                       verbose=0, callbacks=[
                                           keras.callbacks.TerminateOnNaN(),
                                           keras.callbacks.LambdaCallback(
                                               on_batch_end=lambda b, logs: seen.append(b))])
    assert seen == ref["batches"]
    assert len(hist.history["loss"]) == 1 and np.isnan(hist.history["loss"][0])


@pytest.mark.parametrize("mode", MODES)
def test_tf_train_optimizers_train_keras_models(mode):
    ref = REF["callbacks"]["plateau"]  # SGD(0.5) for its first three epochs
    with mode():
        model = _sgd_binary_model()
        model.compile(tf.train.GradientDescentOptimizer(0.5), "binary_crossentropy")
        hist = model.fit(IN["x"], IN["y"], batch_size=10, epochs=3, shuffle=False, verbose=0)
    _close(hist.history["loss"], ref["loss"][:3])


@pytest.mark.parametrize("mode", MODES)
def test_early_stopping_restores_at_the_end_without_stopping(mode):
    ref = REF["callbacks"]["restore_at_end"]
    with mode():
        model = _sgd_binary_model()
        first = _sgd_binary_model()
        first.fit(IN["x"], IN["y"], batch_size=10, epochs=1, shuffle=False, verbose=0)
        stop = keras.callbacks.EarlyStopping(monitor="loss", mode="max", patience=10,
                                             baseline=0.5, restore_best_weights=True)
        hist = model.fit(IN["x"], IN["y"], batch_size=10, epochs=4, shuffle=False, verbose=0,
                         callbacks=[stop])
        assert len(hist.history["loss"]) == ref["epochs"] and stop.best_epoch == 0
        for got, want, after_one in zip(model.get_weights(), ref["weights"], first.get_weights()):
            _close(got, np.ravel(want))
            _close(got, np.ravel(after_one))


@pytest.mark.parametrize("mode", MODES)
def test_weighted_metrics_use_the_sample_weights(mode):
    ref = REF["weighted"]
    with mode():
        model = keras.Sequential([keras.layers.Dense(6, activation="tanh", input_shape=(5,)),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.set_weights([np.asarray(w, np.float32) for w in REF["binary"]["weights"]])
        model.compile(keras.optimizers.SGD(0.5), "binary_crossentropy", metrics=["acc"],
                      weighted_metrics=["acc", "mse"])
        hist = model.fit(IN["x"], IN["y"], batch_size=16, epochs=2, shuffle=False, verbose=0,
                         sample_weight=np.linspace(0.1, 2, 50))
        assert model.metrics_names == ref["metrics_names"]
        for key, values in ref["history"].items():
            _close(hist.history[key], values)
        _close(model.evaluate(IN["x"], IN["y"], sample_weight=np.linspace(2, 0, 50), verbose=0),
               ref["evaluate"])
