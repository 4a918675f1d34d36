"""``tf.summary.FileWriter``: summaries, graphs and session logs into an events file.

Usage::

    writer = tf.summary.FileWriter("logs", sess.graph)     # the graph shows in TensorBoard
    writer.add_summary(sess.run(merged), global_step=step)
    writer.close()                                         # then: tensorboard --logdir logs
"""
from __future__ import annotations

import time
from typing import Optional

import numpy as np
from google.protobuf.message import Message

from ..core.framework.summary_pb2 import Summary
from ..core.util.event_pb2 import Event, TaggedRunMetadata
from ..eager import context
from .event_file_writer import EventFileWriter

__all__ = ["FileWriter"]


class FileWriter:
    """Write ``Event`` protos to a new events file in ``logdir`` (asynchronously).

    ``graph`` (or the deprecated ``graph_def``) is written at once; ``max_queue`` events may
    wait for the writer thread, which flushes every ``flush_secs`` seconds. Not for eager
    mode (use ``tf.contrib.summary``).
    """

    def __init__(self, logdir: str, graph=None, max_queue: int = 10, flush_secs: float = 120,
                 graph_def=None, filename_suffix: Optional[str] = None):
        if context.executing_eagerly():
            raise RuntimeError("tf.summary.FileWriter is not compatible with eager execution. "
                               "Use tf.contrib.summary instead.")
        self.event_writer = EventFileWriter(logdir, max_queue, flush_secs, filename_suffix)
        self._seen_summary_tags: set = set()
        if graph is not None or graph_def is not None:
            self.add_graph(graph=graph, graph_def=graph_def)
            self._add_graph_meta_graph(graph, graph_def)  # as TF: the meta graph follows

    # ---- what to write ---------------------------------------------------------------------
    def add_summary(self, summary, global_step: Optional[int] = None) -> None:
        """Write ``summary``: a ``Summary`` proto or its serialized bytes (what a summary op
        returns). Plugin metadata is kept only on the first value of each tag."""
        if isinstance(summary, (bytes, bytearray)):
            summary = Summary.FromString(bytes(summary))
        elif isinstance(summary, np.ndarray):  # a scalar string array
            summary = Summary.FromString(bytes(summary.item()))
        if not isinstance(summary, Summary):
            raise TypeError(f"add_summary needs a Summary proto or its serialized bytes, got "
                            f"{type(summary).__name__}")
        for value in summary.value:
            if not value.HasField("metadata"):
                continue
            if value.tag in self._seen_summary_tags:
                value.ClearField("metadata")
            else:
                self._seen_summary_tags.add(value.tag)
        self._add_event(Event(summary=summary), global_step)

    def add_session_log(self, session_log, global_step: Optional[int] = None) -> None:
        """Write a ``SessionLog`` (START/STOP/CHECKPOINT) event."""
        self._add_event(Event(session_log=session_log), global_step)

    def add_graph(self, graph=None, global_step: Optional[int] = None, graph_def=None) -> None:
        """Write ``graph`` (a ``tf.Graph``; or ``graph_def``, a GraphDef or its bytes) so that
        TensorBoard's Graphs page shows it."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        if graph is not None:
            if not hasattr(graph, "as_graph_def"):
                raise TypeError(f"add_graph needs a tf.Graph, got {type(graph).__name__}")
            graph_def = graph.as_graph_def(add_shapes=True)
        if graph_def is None:
            raise ValueError("add_graph needs a graph or a graph_def")
        data = graph_def if isinstance(graph_def, bytes) else graph_def.SerializeToString()
        self._add_event(Event(graph_def=data), global_step)

    def add_meta_graph(self, meta_graph_def, global_step: Optional[int] = None) -> None:
        """Write a ``MetaGraphDef`` (``tf.train.export_meta_graph()``'s result) as an event."""
        from ..core.protobuf.meta_graph_pb2 import MetaGraphDef
        if not isinstance(meta_graph_def, MetaGraphDef):
            raise TypeError(f"meta_graph_def must be type MetaGraphDef, saw type: "
                            f"{type(meta_graph_def)}")
        self._add_event(Event(meta_graph_def=meta_graph_def.SerializeToString()), global_step)

    def _add_graph_meta_graph(self, graph, graph_def) -> None:
        from ..core.framework.graph_pb2 import GraphDef
        from ..framework.meta_graph import export_meta_graph
        if isinstance(graph_def, bytes):
            graph_def = GraphDef.FromString(graph_def)
        if graph is not None:
            meta = export_meta_graph(graph=graph, graph_def=graph.as_graph_def(add_shapes=True))
        else:
            meta = export_meta_graph(graph_def=graph_def, collection_list=[])
        self.add_meta_graph(meta)

    def add_run_metadata(self, run_metadata, tag: str, global_step: Optional[int] = None):
        """Write ``run_metadata`` under ``tag``: a RunMetadata proto or its bytes, or
        ``tf.RunMetadata`` (tensorweave records no step stats: an empty RunMetadata)."""
        if isinstance(run_metadata, bytes):
            data = run_metadata
        elif isinstance(run_metadata, Message):
            data = run_metadata.SerializeToString()
        else:
            data = b""
        self._add_event(Event(tagged_run_metadata=TaggedRunMetadata(tag=tag, run_metadata=data)),
                        global_step)

    def add_event(self, event) -> None:
        """Write an ``Event`` proto as it is."""
        self.event_writer.add_event(event)

    def _add_event(self, event, step: Optional[int]) -> None:
        event.wall_time = time.time()
        if step is not None:
            event.step = int(step)
        self.event_writer.add_event(event)

    # ---- file handling ---------------------------------------------------------------------
    def get_logdir(self) -> str:
        """The directory the events file is in."""
        return self.event_writer.get_logdir()

    def flush(self) -> None:
        """Write everything added so far to disk."""
        self.event_writer.flush()

    def close(self) -> None:
        """Flush and close the events file; ``reopen()`` starts a new one."""
        self.event_writer.close()

    def reopen(self) -> None:
        """Reopen after ``close()`` (a new events file in the same directory)."""
        self.event_writer.reopen()

    def __enter__(self) -> "FileWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
