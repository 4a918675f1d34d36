"""The main demo (examples/keras_digits_cnn.py, ``make demo``): trains a Keras CNN to >= 0.97
held-out accuracy, saves/reloads it as HDF5, and logs epochs for TensorBoard."""
import glob
import importlib.util
import os

import pytest

import tensorweave as tf

pytest.importorskip("sklearn")
DEMO = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "keras_digits_cnn.py")


def test_demo_trains_saves_reloads_and_logs(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("keras_digits_cnn", DEMO)
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    with tf.Graph().as_default():
        accuracy = demo.main(logdir=str(tmp_path))
    assert accuracy >= 0.97
    out = capsys.readouterr().out
    assert "Epoch 15/15" in out and "reloaded: held-out loss" in out
    tags = set()
    for events in glob.glob(os.path.join(tmp_path, "**", "events.out.tfevents.*"),
                            recursive=True):
        tags |= {v.tag for e in tf.train.summary_iterator(events) for v in e.summary.value}
    assert {"epoch_loss", "epoch_acc"} <= tags
    assert any("kernel" in tag for tag in tags)  # weight histograms
