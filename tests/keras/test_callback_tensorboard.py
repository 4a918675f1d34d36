"""tf.keras.callbacks.TensorBoard: tags and steps as TensorFlow 2.21's v1 callback writes them for
the same fit (20 samples, batch 8, 2 epochs, validation data): batch_* at batches 0..5,
epoch_* at samples seen 20 and 40, weight histograms and images per epoch, the graph."""
import glob
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

keras = tf.keras


def _fit(logdir, **kwargs):
    rng = np.random.RandomState(0)
    x, y = rng.rand(20, 3).astype("float32"), rng.rand(20, 2).astype("float32")
    model = keras.Sequential([keras.layers.Dense(4, activation="relu", input_shape=(3,)),
                              keras.layers.Dense(2)])
    model.compile("sgd", "mse", metrics=["mae"])
    board = keras.callbacks.TensorBoard(str(logdir), **kwargs)
    history = model.fit(x, y, batch_size=8, epochs=2, validation_data=(x, y), callbacks=[board],
                        verbose=0)
    return history


def _events(logdir):
    (path,) = glob.glob(os.path.join(logdir, "events.out.tfevents.*"))
    return list(tf.train.summary_iterator(path))


def _scalars(events):
    return [(e.step, v.tag, v.simple_value) for e in events for v in e.summary.value
            if v.HasField("simple_value")]


def test_batch_and_epoch_scalars_histograms_images_graph(tmp_path):
    with tf.Graph().as_default():
        history = _fit(tmp_path, histogram_freq=1, write_images=True, update_freq="batch")
    events = _events(tmp_path)
    assert [e.WhichOneof("what") for e in events[:2]] == ["file_version", "graph_def"]
    graph = tf.GraphDef.FromString(events[1].graph_def)
    assert any(n.name.startswith("dense_1/") for n in graph.node)
    scalars = _scalars(events)
    metric = [t for _, t, _ in scalars if t.startswith("batch_") and t != "batch_loss"][0][6:]
    batch = [(s, t) for s, t, _ in scalars if t.startswith("batch_")]
    assert batch == [(b, tag) for b in range(6) for tag in ("batch_loss", f"batch_{metric}")]
    epoch = [(s, t, v) for s, t, v in scalars if t.startswith("epoch_")]
    names = ["loss", metric, "val_loss", f"val_{metric}"]
    assert [(s, t) for s, t, _ in epoch] == [(s, f"epoch_{n}") for s in (20, 40) for n in names]
    np.testing.assert_allclose([v for _, t, v in epoch if t == "epoch_val_loss"],
                               history.history["val_loss"], rtol=1e-6)
    weights = [e for e in events if any(v.HasField("histo") for v in e.summary.value)]
    assert [e.step for e in weights] == [0, 1]
    tags = [v.tag for v in weights[0].summary.value]
    assert tags == ["dense/kernel_0", "dense/kernel_0_1/image/0", "dense/bias_0",
                    "dense/bias_0_1/image/0", "dense_1/kernel_0", "dense_1/kernel_0_1/image/0",
                    "dense_1/bias_0", "dense_1/bias_0_1/image/0"]
    kernel_image = weights[0].summary.value[1].image
    assert (kernel_image.height, kernel_image.width) == (3, 4)  # [3, 4] kernel: not transposed
    assert weights[0].summary.value[0].histo.num == 12


def test_epoch_steps_in_eager_mode(tmp_path):
    with context.eager_mode():
        _fit(tmp_path)
    events = _events(tmp_path)
    assert all(e.WhichOneof("what") != "graph_def" for e in events)
    assert sorted({s for s, _, _ in _scalars(events)}) == [0, 1]


def test_embeddings_are_refused(tmp_path):
    with pytest.raises(ValueError, match="embedding"):
        keras.callbacks.TensorBoard(str(tmp_path), embeddings_freq=1)


def test_tensorboard_reader_sees_keras_logs(tmp_path):
    accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator")
    with tf.Graph().as_default():
        _fit(tmp_path, histogram_freq=1)
    acc = accumulator.EventAccumulator(str(tmp_path))
    acc.Reload()
    tags = acc.Tags()
    assert {"epoch_loss", "epoch_val_loss"} <= set(tags["scalars"]) and tags["graph"]
    assert "dense/kernel_0" in tags["histograms"]
    assert [s.step for s in acc.Scalars("epoch_loss")] == [0, 1]
