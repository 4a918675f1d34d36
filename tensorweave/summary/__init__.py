"""``tf.summary``: summary ops, ``FileWriter`` and the Summary/Event protos, for TensorBoard.

Usage::

    tf.summary.scalar("loss", loss)
    merged = tf.summary.merge_all()
    writer = tf.summary.FileWriter("logs", sess.graph)
    writer.add_summary(sess.run(merged), step)      # then: tensorboard --logdir logs
"""
from ..core.framework.summary_pb2 import Summary, SummaryDescription, SummaryMetadata  # noqa: F401
from ..core.util.event_pb2 import Event, SessionLog, TaggedRunMetadata  # noqa: F401
from .summary_ops import (scalar, histogram, image, audio, text, tensor_summary,  # noqa: F401
                          merge, merge_all)
from .writer import FileWriter  # noqa: F401
from .writer_cache import FileWriterCache  # noqa: F401
