"""The demo (examples/mnist_mlp_graph.py, ``make demo``) writes the TensorBoard logs it
promises: train loss per step, weight histograms per epoch, input digits, test loss/accuracy."""
import glob
import importlib.util
import os

import pytest

import tensorweave as tf

pytest.importorskip("sklearn")
DEMO = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "mnist_mlp_graph.py")


def _tags_by_step(run_dir):
    (path,) = glob.glob(os.path.join(run_dir, "events.out.tfevents.*"))
    out = {}
    for event in tf.train.summary_iterator(path):
        for value in event.summary.value:
            out.setdefault(value.tag, []).append(event.step)
    return out


def test_demo_writes_scalars_histograms_and_images(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("mnist_mlp_graph", DEMO)
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    with tf.Graph().as_default():
        demo.main(epochs=2, logdir=str(tmp_path))
    assert f"tensorboard --logdir {tmp_path}" in capsys.readouterr().out
    train, test = _tags_by_step(tmp_path / "train"), _tags_by_step(tmp_path / "test")
    assert train["summaries/loss"] == list(range(1, 47))
    layers = ("hidden1", "hidden2", "softmax_linear")
    assert {f"summaries/{layer}/{kind}" for layer in layers for kind in ("weights", "biases")} \
        <= set(train)
    assert train["summaries/hidden1/weights"] == [23, 46]
    assert [train[f"summaries/digits/image/{i}"] for i in range(6)] == [[0]] * 6
    assert test == {"summaries/loss": [23, 46], "summaries/accuracy": [23, 46]}
