"""tf.contrib.summary: writers, recording conditions, steps, graph and eager mode. The summaries
themselves come from the kernels checked against TF in test_summary_ops.py; here the expected
values are computed by hand."""
import glob
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context


def _values(logdir):
    """(step, tag, kind) of every summary value in the logdir's single events file."""
    (path,) = glob.glob(os.path.join(logdir, "events.out.tfevents.*"))
    out = []
    for event in tf.train.summary_iterator(path):
        for v in event.summary.value:
            out.append((event.step, v.tag, v.WhichOneof("value"),
                        v.simple_value if v.HasField("simple_value") else None))
    return out


def test_eager_writes_at_once_when_recording(tmp_path):
    with context.eager_mode():
        writer = tf.contrib.summary.create_file_writer(str(tmp_path))
        with writer.as_default():
            tf.contrib.summary.scalar("skipped", 1.0, step=0)  # not recording: no event
            with tf.contrib.summary.always_record_summaries():
                for step in range(3):
                    tf.contrib.summary.scalar("loss", 0.5 * step, step=step)
                tf.contrib.summary.histogram("w", [1.0, 2.0, 3.0], step=2)
                tf.contrib.summary.image("img", np.zeros([2, 3, 4, 1], np.uint8), step=2)
                tf.contrib.summary.audio("snd", np.zeros([1, 10], np.float32), 8000, 1, step=2)
                with tf.contrib.summary.never_record_summaries():
                    tf.contrib.summary.scalar("never", 1.0, step=5)
            tf.contrib.summary.flush()
    assert os.path.basename(glob.glob(os.path.join(tmp_path, "*"))[0]).endswith(".v2")
    assert _values(tmp_path) == [
        (0, "loss", "simple_value", 0.0), (1, "loss", "simple_value", 0.5),
        (2, "loss", "simple_value", 1.0), (2, "w", "histo", None),
        (2, "img/image/0", "image", None), (2, "img/image/1", "image", None),
        (2, "snd/audio", "audio", None)]


def test_graph_mode_every_n_global_steps(tmp_path):
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        increment = tf.assign_add(step, 1)
        writer = tf.contrib.summary.create_file_writer(str(tmp_path), flush_millis=10000)
        with writer.as_default(), tf.contrib.summary.record_summaries_every_n_global_steps(2):
            with tf.name_scope("train"):
                loss = tf.contrib.summary.scalar("loss", tf.cast(step, tf.float32) * 10.0)
        assert loss.name == "train/loss"
        assert tf.contrib.summary.all_summary_ops() == [loss]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.contrib.summary.summary_writer_initializer_op())
            for _ in range(5):
                sess.run(tf.contrib.summary.all_summary_ops())
                sess.run(increment)
            sess.run(tf.contrib.summary.flush(writer))
    assert _values(tmp_path) == [(0, "train/loss", "simple_value", 0.0),
                                 (2, "train/loss", "simple_value", 20.0),
                                 (4, "train/loss", "simple_value", 40.0)]


def test_without_default_writer_nothing_is_written(tmp_path):
    with tf.Graph().as_default():
        op = tf.contrib.summary.scalar("loss", 1.0, step=1)
        assert op.type == "NoOp"


def test_missing_step_is_an_error(tmp_path):
    with context.eager_mode():
        writer = tf.contrib.summary.create_file_writer(str(tmp_path))
        with writer.as_default(), tf.contrib.summary.always_record_summaries():
            with pytest.raises(ValueError, match="No step set"):
                tf.contrib.summary.scalar("loss", 1.0)
