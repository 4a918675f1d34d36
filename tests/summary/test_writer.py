"""FileWriter / events files: layout, flushing, reopening; reading TF-written events back; the
same logdir loaded by TensorBoard's own EventAccumulator (when tensorboard is installed)."""
import glob
import os
import re
import socket
import time

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.lib.io.tf_record import masked_crc32c

FIX = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "summary")


def _events(logdir):
    (path,) = glob.glob(os.path.join(logdir, "events.out.tfevents.*"))
    return path, list(tf.train.summary_iterator(path))


def _scalar_summary(tag, value):
    return tf.Summary(value=[tf.Summary.Value(tag=tag, simple_value=value)])


def test_events_file_name_and_version_record(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), filename_suffix=".v1")
    writer.close()
    path, events = _events(tmp_path)
    host = re.escape(socket.gethostname())
    assert re.fullmatch(rf"events\.out\.tfevents\.\d{{10}}\.{host}\.v1", os.path.basename(path))
    assert len(events) == 1
    assert events[0].file_version == "brain.Event:2"
    assert events[0].wall_time == int(events[0].wall_time) > 0
    with open(path, "rb") as f:  # TFRecord framing: length, masked CRC of it, data, CRC
        head = f.read(12)
    assert int.from_bytes(head[8:12], "little") == masked_crc32c(head[:8])


def test_summaries_session_logs_and_steps(tmp_path):
    with tf.Graph().as_default():
        loss = tf.placeholder(tf.float32, [])
        merged = tf.summary.merge([tf.summary.scalar("loss", loss),
                                   tf.summary.histogram("w", tf.constant([1.0, 2.0]))])
        writer = tf.summary.FileWriter(str(tmp_path))
        writer.add_session_log(tf.SessionLog(status=tf.SessionLog.START), global_step=0)
        with tf.Session() as sess:
            for step in range(3):
                writer.add_summary(sess.run(merged, {loss: 0.5 * step}), global_step=step)
        writer.add_summary(_scalar_summary("extra", 7.0).SerializeToString())
        writer.close()
    _, events = _events(tmp_path)
    assert events[1].session_log.status == tf.SessionLog.START and events[1].step == 0
    steps = [(e.step, [(v.tag, v.simple_value) for v in e.summary.value if v.tag == "loss"])
             for e in events[2:5]]
    assert steps == [(0, [("loss", 0.0)]), (1, [("loss", 0.5)]), (2, [("loss", 1.0)])]
    assert events[2].summary.value[1].histo.num == 2
    assert events[5].summary.value[0].tag == "extra" and events[5].step == 0
    assert all(e.wall_time >= events[0].wall_time for e in events)


def test_flush_makes_events_readable_before_close(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), flush_secs=1000)
    writer.add_summary(_scalar_summary("a", 1.0), 1)
    writer.flush()
    _, events = _events(tmp_path)
    assert [v.tag for v in events[-1].summary.value] == ["a"]
    writer.close()
    writer.add_summary(_scalar_summary("ignored", 1.0), 2)  # closed: dropped
    assert len(_events(tmp_path)[1]) == 2


def test_metadata_is_kept_on_the_first_value_of_a_tag_only(tmp_path):
    meta = tf.SummaryMetadata(plugin_data=tf.SummaryMetadata.PluginData(plugin_name="text"))
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        for step in (1, 2):
            writer.add_summary(tf.Summary(value=[tf.Summary.Value(
                tag="t", metadata=meta, simple_value=float(step))]), step)
    _, events = _events(tmp_path)
    assert events[1].summary.value[0].metadata.plugin_data.plugin_name == "text"
    assert not events[2].summary.value[0].HasField("metadata")


def test_reopen_starts_a_new_file(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path))
    writer.close()
    writer.reopen()
    writer.add_summary(_scalar_summary("after", 1.0), 1)
    writer.close()
    files = sorted(glob.glob(os.path.join(tmp_path, "events.out.tfevents.*")))
    assert len(files) == 2
    tags = [[v.tag for e in tf.train.summary_iterator(f) for v in e.summary.value] for f in files]
    assert sorted(tags) == [[], ["after"]]


def test_file_writer_cache_shares_one_writer(tmp_path):
    with tf.Graph().as_default():
        a = tf.summary.FileWriterCache.get(str(tmp_path))
        assert tf.summary.FileWriterCache.get(str(tmp_path)) is a
        tf.summary.FileWriterCache.clear()
        assert tf.summary.FileWriterCache.get(str(tmp_path)) is not a
        tf.summary.FileWriterCache.clear()


def test_file_writer_refuses_eager_mode(tmp_path):
    from tensorweave.eager import context
    with context.eager_mode():
        with pytest.raises(RuntimeError, match="tf.contrib.summary"):
            tf.summary.FileWriter(str(tmp_path))


def test_reads_events_written_by_tensorflow():
    events = list(tf.train.summary_iterator(
        os.path.join(FIX, "tf_events", "events.out.tfevents.1700000000.tf")))
    kinds = [e.WhichOneof("what") for e in events]
    assert kinds[:4] == ["file_version", "graph_def", "meta_graph_def", "session_log"]
    assert events[0].file_version == "brain.Event:2"
    scalars = [(e.step, v.simple_value) for e in events for v in e.summary.value
               if v.tag == "loss"]
    assert scalars == [(1, 11.0), (2, 11.0), (3, 11.0)]
    (histo,) = [v.histo for e in events for v in e.summary.value if v.tag == "w"]
    assert (histo.num, histo.sum, histo.min, histo.max) == (2, 3.0, 1.0, 2.0)
    (image,) = [v.image for e in events for v in e.summary.value if v.tag == "img/image/0"]
    assert (image.height, image.width, image.colorspace) == (6, 7, 1)


def test_corrupt_events_file_raises_data_loss(tmp_path):
    with open(os.path.join(FIX, "tf_events", "events.out.tfevents.1700000000.tf"), "rb") as f:
        data = bytearray(f.read())
    data[100] ^= 0xFF
    path = tmp_path / "events.out.tfevents.1.bad"
    path.write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError):
        list(tf.train.summary_iterator(str(path)))


def test_tensorboard_event_accumulator_reads_our_logs(tmp_path):
    accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator")
    images = np.random.RandomState(0).uniform(size=[2, 5, 6, 3]).astype(np.float32)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [4])
        merged = tf.summary.merge([tf.summary.scalar("loss", tf.reduce_mean(x)),
                                   tf.summary.histogram("x", x),
                                   tf.summary.image("input", tf.constant(images)),
                                   tf.summary.text("notes", tf.constant("*hello*"))])
        with tf.Session() as sess, tf.summary.FileWriter(str(tmp_path), sess.graph) as writer:
            for step in (1, 2, 3):
                writer.add_summary(sess.run(merged, {x: [step, 2.0, 3.0, 4.0]}), step)
    acc = accumulator.EventAccumulator(str(tmp_path), size_guidance={
        "scalars": 0, "histograms": 0, "images": 0, "tensors": 0})
    acc.Reload()
    tags = acc.Tags()
    assert tags["scalars"] == ["loss"] and tags["histograms"] == ["x"]
    assert sorted(tags["images"]) == ["input/image/0", "input/image/1", "input/image/2"][:2]
    assert [(s.step, s.value) for s in acc.Scalars("loss")] == [(1, 2.5), (2, 2.75), (3, 3.0)]
    histos = acc.Histograms("x")
    assert [h.histogram_value.num for h in histos] == [4, 4, 4]
    assert histos[0].histogram_value.sum == 10.0
    image = acc.Images("input/image/1")[-1]
    assert (image.width, image.height, image.step) == (6, 5, 3)
    assert tags["tensors"] == ["notes"] and tags["graph"]
    assert acc.SummaryMetadata("notes").plugin_data.plugin_name == "text"
    assert acc.Tensors("notes")[0].tensor_proto.string_val == [b"*hello*"]
    nodes = {node.name: node.op for node in acc.Graph().node}
    assert nodes["Placeholder"] == "Placeholder" and nodes["loss"] == "ScalarSummary"
    assert nodes["Merge/MergeSummary"] == "MergeSummary"


def test_run_metadata_is_tagged(tmp_path):
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        writer.add_run_metadata(tf.RunMetadata(), "step7", global_step=7)
        writer.add_run_metadata(b"\x0a\x00", "raw")
    _, events = _events(tmp_path)
    tagged = [(e.step, e.tagged_run_metadata.tag, e.tagged_run_metadata.run_metadata)
              for e in events[1:]]
    assert tagged == [(7, "step7", b""), (0, "raw", b"\x0a\x00")]


def test_writer_thread_flushes_every_flush_secs(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), flush_secs=0.05)
    writer.add_summary(_scalar_summary("periodic", 1.0), 1)
    deadline = time.monotonic() + 10
    while len(_events(tmp_path)[1]) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)  # no flush() call: the writer thread's timer writes the event
    assert [v.tag for v in _events(tmp_path)[1][-1].summary.value] == ["periodic"]
    writer.close()


def test_meta_graph_events_as_tensorflow_writes_them(tmp_path):
    """FileWriter(graph=...) writes the GraphDef, then its MetaGraphDef (TF 2.21 compat.v1
    writes file_version, graph_def, meta_graph_def in that order); add_meta_graph adds one."""
    with tf.Graph().as_default() as graph:
        a = tf.constant(1.0, name="a")
        tf.add_to_collection("things", a)
        with tf.summary.FileWriter(str(tmp_path), graph=graph) as writer:
            writer.add_meta_graph(tf.train.export_meta_graph(), global_step=3)
            with pytest.raises(TypeError, match="must be type MetaGraphDef"):
                writer.add_meta_graph("not a meta graph")
    _, events = _events(tmp_path)
    assert [(e.step, e.WhichOneof("what")) for e in events] == [
        (0, "file_version"), (0, "graph_def"), (0, "meta_graph_def"), (3, "meta_graph_def")]
    from tensorweave.core.protobuf.meta_graph_pb2 import MetaGraphDef
    meta = MetaGraphDef.FromString(events[2].meta_graph_def)
    assert [n.name for n in meta.graph_def.node] == ["a"]
    assert "things" in meta.collection_def
    with tf.summary.FileWriter(str(tmp_path / "bytes"), graph_def=graph.as_graph_def()) as w2:
        pass
    _, events = _events(tmp_path / "bytes")
    assert [e.WhichOneof("what") for e in events] == ["file_version", "graph_def",
                                                      "meta_graph_def"]
