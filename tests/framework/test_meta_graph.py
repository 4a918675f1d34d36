"""Meta graphs: export with the Saver's names and collections, import and restore; a .meta file
written by TensorFlow (tests/fixtures/graph_io/tf_model.meta + checkpoint) imports, restores and
runs here."""
import os

import numpy as np
import pytest
from google.protobuf import text_format

import tensorweave as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "graph_io")


def _model():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable([[1.0], [2.0]], name="w")
    y = tf.matmul(x, w, name="y")
    train = tf.assign_add(w, [[1.0], [1.0]], name="bump")
    tf.add_to_collection("train_op", train.op)
    tf.add_to_collection("outputs", y)
    tf.add_to_collection("labels", "digits")
    tf.add_to_collection("sizes", 3)
    return tf.train.Saver()


@pytest.mark.parametrize("as_text", [False, True], ids=["binary", "text"])
def test_export_then_import_restores_and_keeps_collections(tmp_path, as_text):
    with tf.Graph().as_default():
        saver = _model()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run("bump")
            ckpt = saver.save(sess, str(tmp_path / "model"))
        meta = tf.train.export_meta_graph(str(tmp_path / "model.meta"), as_text=as_text,
                                          saver_def=saver.as_saver_def())
    assert set(meta.collection_def) == {"train_op", "outputs", "labels", "sizes"}
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(str(tmp_path / "model.meta"), import_scope="m")
        y, = tf.get_collection("outputs")
        assert y.name == "m/y:0" and tf.get_collection("train_op")[0].name == "m/bump"
        assert tf.get_collection("labels") == [b"digits"] and tf.get_collection("sizes") == [3]
        with tf.Session() as sess:
            saver.restore(sess, ckpt)
            np.testing.assert_allclose(sess.run(y, {"m/x:0": [[1.0, 1.0]]}), [[5.0]])


def test_tensorflow_meta_graph_imports_restores_and_runs():
    values = np.load(os.path.join(FIXTURES, "tf_model_values.npz"))
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(os.path.join(FIXTURES, "tf_model.meta"))
        with tf.Session() as sess:
            saver.restore(sess, os.path.join(FIXTURES, "tf_model"))
            np.testing.assert_allclose(sess.run("y:0", {"x:0": values["x"]}), values["y"],
                                       rtol=1e-6)
            assert tf.get_collection("train_op")[0].name == "Adam"
