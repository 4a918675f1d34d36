"""Keras's training loop: fit/evaluate/predict on arrays, datasets and generators, in graph
and eager mode (same numbers), the progress bar text, and the callbacks."""
import io
import os
import re

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context
from tensorweave.keras.utils.progbar import Progbar

keras = tf.keras
RNG = np.random.RandomState(0)
X = RNG.rand(96, 4).astype(np.float32)
Y = (X[:, 0] + X[:, 1] > X[:, 2] + 0.5).astype(np.int64) + (X[:, 3] > 0.7)


def _model(lr=0.05):
    model = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(4,)),
                              keras.layers.Dense(3, activation="softmax")])
    rng = np.random.RandomState(1)
    model.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype(np.float32)
                       for w in model.get_weights()])
    model.compile(keras.optimizers.Adam(lr), "sparse_categorical_crossentropy", metrics=["acc"])
    return model


def _fit_history(**kwargs):
    model = _model()
    history = model.fit(X, Y, batch_size=32, epochs=3, shuffle=False, verbose=0, **kwargs)
    return model, history


def test_graph_and_eager_fit_give_the_same_history_and_predictions():
    with tf.Graph().as_default():
        model, graph_hist = _fit_history(validation_split=0.25)
        graph_pred = model.predict(X[:5])
        graph_eval = model.evaluate(X, Y, verbose=0)
    with context.eager_mode():
        model, eager_hist = _fit_history(validation_split=0.25)
        eager_pred = model.predict(X[:5])
        eager_eval = model.evaluate(X, Y, verbose=0)
    assert sorted(graph_hist.history) == ["acc", "loss", "val_acc", "val_loss"]
    for key in graph_hist.history:
        np.testing.assert_allclose(graph_hist.history[key], eager_hist.history[key], rtol=1e-5)
    np.testing.assert_allclose(graph_pred, eager_pred, rtol=1e-5)
    np.testing.assert_allclose(graph_eval, eager_eval, rtol=1e-5)
    assert graph_hist.history["loss"][-1] < graph_hist.history["loss"][0]


def test_dataset_and_generator_inputs_train_like_arrays():
    with tf.Graph().as_default():
        _, arrays = _fit_history()
        model = _model()
        ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(32)
        from_ds = model.fit(ds, epochs=3, verbose=0)
        assert model.predict(ds).shape == (96, 3)

        def batches():
            while True:
                for i in range(0, 96, 32):
                    yield X[i:i + 32], Y[i:i + 32]
        model = _model()
        from_gen = model.fit_generator(batches(), steps_per_epoch=3, epochs=3, verbose=0)
    np.testing.assert_allclose(from_ds.history["loss"], arrays.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(from_gen.history["loss"], arrays.history["loss"], rtol=1e-5)


def test_progbar_lines():
    out = io.StringIO()
    bar = Progbar(96, verbose=1, unit_name="sample", stream=out, interval=0)
    bar.update(32, [("loss", 2.0)])
    bar.update(96, [("loss", 1.0)])
    lines = out.getvalue().split("\n")
    assert lines[1] == "32/96 [=========>....................] - ETA: 0s - loss: 2.0000"
    assert re.fullmatch(r"96/96 \[=+\] - 0s \d+us/sample - loss: 1\.3333", lines[2])
    out = io.StringIO()
    bar = Progbar(96, verbose=2, stream=out)
    bar.update(32, [("loss", 2.0)])
    bar.update(96, [("acc", 0.5)])
    assert re.fullmatch(r"96/96 - 0s - loss: 2\.0000 - acc: 0\.5000 - \d+[mu]?s/epoch - "
                        r"\d+[mu]?s/step\n", out.getvalue())


def test_verbose_fit_prints_keras_lines(capsys):
    with tf.Graph().as_default():
        _model().fit(X, Y, batch_size=32, epochs=1, verbose=2, validation_split=0.25)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Train on 72 samples, validate on 24 samples"
    assert lines[1] == "Epoch 1/1"
    assert re.fullmatch(r"72/72 - 0s - loss: \d\.\d{4} - acc: \d\.\d{4} - val_loss: \d\.\d{4} - "
                        r"val_acc: \d\.\d{4} - .*/epoch - .*/sample", lines[2])


def test_callbacks(tmp_path):
    with tf.Graph().as_default():
        model = _model()
        stop = keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=10.0,
                                             restore_best_weights=True)
        seen = []
        log = keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e))
        csv_path = str(tmp_path / "log.csv")
        best = str(tmp_path / "best.h5")
        history = model.fit(X, Y, epochs=5, verbose=0, callbacks=[
            stop, log, keras.callbacks.CSVLogger(csv_path),
            keras.callbacks.ModelCheckpoint(best, monitor="loss", save_best_only=True,
                                            save_weights_only=True)])
        assert history.epoch == [0, 1] and seen == [0, 1] and stop.stopped_epoch == 1
        assert open(csv_path).read().splitlines()[0] == "epoch,acc,loss"
        assert os.path.exists(best)
        frozen = model.get_weights()
        model.fit(X, Y, epochs=2, verbose=0,
                  callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch: 0.0)])
        for a, b in zip(frozen, model.get_weights()):
            np.testing.assert_array_equal(a, b)  # a zero learning rate reached the graph


def test_errors_are_clear():
    with tf.Graph().as_default():
        model = keras.Sequential([keras.layers.Dense(1, input_shape=(4,))])
        with pytest.raises(RuntimeError, match="compile"):
            model.fit(X, Y)
        model.compile("sgd", "mse")
        with pytest.raises(ValueError, match="Expected to see 1 array"):
            model.fit([X, X[:5]], Y)
        with pytest.raises(ValueError, match="loss"):
            model.compile("sgd", loss=["mse", "mae"])


def test_model_checkpoint_saves_whole_models_by_period_and_pattern(tmp_path):
    with tf.Graph().as_default():
        model = _model()
        pattern = str(tmp_path / "model-{epoch:02d}-{loss:.2f}.h5")
        history = model.fit(X, Y, epochs=4, verbose=0, shuffle=False, callbacks=[
            keras.callbacks.ModelCheckpoint(pattern, monitor="loss", period=2)])
        saved = sorted(os.listdir(tmp_path))
        assert saved == [f"model-{e:02d}-{history.history['loss'][e - 1]:.2f}.h5" for e in (2, 4)]
        expected = model.predict(X[:4])
    with tf.Graph().as_default():
        reloaded = keras.models.load_model(str(tmp_path / saved[-1]))
        np.testing.assert_allclose(reloaded.predict(X[:4]), expected, rtol=1e-6)
        assert reloaded.optimizer.get_config()["learning_rate"] == pytest.approx(0.05)


def test_validation_freq_picks_the_epochs_to_validate():
    with tf.Graph().as_default():
        seen = []
        spy = keras.callbacks.LambdaCallback(
            on_epoch_end=lambda epoch, logs: seen.append("val_loss" in logs))
        _model().fit(X, Y, epochs=4, verbose=0, validation_split=0.25, validation_freq=2,
                     callbacks=[spy])
        assert seen == [False, True, False, True]
        seen.clear()
        ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(32)
        _model().fit(ds, epochs=3, verbose=0, validation_data=ds, validation_freq=[1, 3],
                     callbacks=[spy])
        assert seen == [True, False, True]


@pytest.mark.parametrize("eager", [False, True])
def test_one_dimensional_float64_targets_train_a_one_unit_output(eager):
    with (context.eager_mode() if eager else tf.Graph().as_default()):
        model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,),
                                                     kernel_initializer="ones")])
        model.compile("sgd", "mse")
        x = np.linspace(0, 1, 16).reshape(8, 2)  # float64, as NumPy makes them
        y = np.linspace(1, 0, 8)
        expected = np.mean((x.sum(1) - y) ** 2)  # a column target, not an (n, n) broadcast
        np.testing.assert_allclose(model.train_on_batch(x, y), expected, rtol=1e-6)
        history = model.fit(x, y, epochs=2, batch_size=4, verbose=0)
        assert len(history.history["loss"]) == 2 and model.predict(x).shape == (8, 1)


def test_model_compiled_with_a_metric_object_saves_and_loads(tmp_path):
    with tf.Graph().as_default():
        model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid", input_shape=(4,))])
        model.compile("adam", "binary_crossentropy",
                      metrics=["accuracy", keras.metrics.Precision()])
        model.fit(X, (Y > 0).astype(np.float32), verbose=0)
        model.save(str(tmp_path / "m.h5"))
        want = model.evaluate(X, (Y > 0).astype(np.float32), verbose=0)
    with tf.Graph().as_default():
        restored = keras.models.load_model(str(tmp_path / "m.h5"))
        assert restored.metrics_names == ["loss", "acc", "precision"]
        got = restored.evaluate(X, (Y > 0).astype(np.float32), verbose=0)
    np.testing.assert_allclose(got, want, rtol=1e-6)
