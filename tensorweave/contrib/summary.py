"""``tf.contrib.summary``: summaries written by ops themselves (eager or graph mode).

A summary call writes to the default writer when recording is on: eagerly it writes at once; in a
graph it returns an op that writes when run (collected for ``all_summary_ops()``). The step is
``step=`` or the global step. Summaries are recorded only inside ``always_record_summaries()`` or
``record_summaries_every_n_global_steps(n)``.

Usage::

    writer = tf.contrib.summary.create_file_writer("logs")
    with writer.as_default(), tf.contrib.summary.always_record_summaries():
        tf.contrib.summary.scalar("loss", loss, step=step)
    tf.contrib.summary.flush()
"""
from __future__ import annotations

import contextlib
import threading
import time
from typing import Callable, Optional

import numpy as np

from ..core.framework.summary_pb2 import Summary
from ..core.util.event_pb2 import Event
from ..eager import context
from ..framework import dtypes, ops
from ..framework.ops import apply_op, convert_to_tensor
from ..framework.registry import NotDifferentiable, define_op
from ..kernels import summary_kernels as k
from ..ops import math_ops
from ..ops.constant_op import constant
from ..ops.control_flow_ops import no_op
from ..summary.event_file_writer import EventFileWriter
from ..summary.summary_scope import summary_scope
from ..train import training_util

__all__ = ["SummaryWriter", "create_file_writer", "create_summary_file_writer",
           "always_record_summaries", "never_record_summaries",
           "record_summaries_every_n_global_steps", "should_record_summaries", "scalar",
           "histogram", "image", "audio", "flush", "all_summary_ops",
           "summary_writer_initializer_op"]

_SUMMARY_OPS = "_SUMMARY_V2"
_WRITER_INITS = "_SUMMARY_WRITER_V2"
_state = threading.local()


def _default_writer() -> Optional["SummaryWriter"]:
    stack = getattr(_state, "writers", None)
    return stack[-1] if stack else None


def _condition() -> Optional[Callable]:
    return getattr(_state, "condition", None)


class SummaryWriter:
    """Writes the events of contrib summaries to one events file (opened on first use)."""

    def __init__(self, logdir: str, max_queue: int = 10, flush_secs: float = 120,
                 filename_suffix: str = ".v2"):
        self._args = (str(logdir), max_queue, flush_secs, filename_suffix)
        self._events: Optional[EventFileWriter] = None
        self._lock = threading.Lock()

    def _writer(self) -> EventFileWriter:
        with self._lock:
            if self._events is None:
                self._events = EventFileWriter(*self._args)
            else:
                self._events.reopen()
            return self._events

    def write(self, step, serialized_summary: bytes) -> None:
        """Queue one summary (serialized) as an event at ``step``."""
        self._writer().add_event(Event(wall_time=time.time(), step=int(step),
                                       summary=Summary.FromString(serialized_summary)))

    def flush_now(self) -> None:
        """Write queued events to disk."""
        if self._events is not None:
            self._events.flush()

    def close_now(self) -> None:
        """Flush and close the file (a later write opens a new one)."""
        if self._events is not None:
            self._events.close()

    # ---- TF's SummaryWriter API: ops in a graph, immediate in eager mode -----------------------
    def init(self):
        """Open the events file (an op in graph mode, collected for
        ``summary_writer_initializer_op``)."""
        op = apply_op("CreateSummaryFileWriter", [], {"writer": self},
                      name="CreateSummaryFileWriter")
        if not context.executing_eagerly():
            ops.add_to_collection(_WRITER_INITS, op)
        return op

    def flush(self):
        """Flush (an op in graph mode)."""
        return apply_op("FlushSummaryWriter", [], {"writer": self}, name="FlushSummaryWriter")

    def close(self):
        """Flush and close (an op in graph mode)."""
        return apply_op("CloseSummaryWriter", [], {"writer": self}, name="CloseSummaryWriter")

    @contextlib.contextmanager
    def as_default(self):
        """Make this the writer summaries go to inside the ``with`` block."""
        stack = getattr(_state, "writers", None)
        if stack is None:
            stack = _state.writers = []
        stack.append(self)
        try:
            yield self
        finally:
            stack.pop()

    def set_as_default(self) -> None:
        """Make this the default writer from now on (this thread)."""
        _state.writers = [self]


def _writer_op(op_type: str, action: Callable) -> None:
    define_op(op_type, lambda writer: action(writer), lambda inputs, attrs: [],
              stateful=True, num_outputs=0)
    NotDifferentiable(op_type)


_writer_op("CreateSummaryFileWriter", lambda w: w._writer())
_writer_op("FlushSummaryWriter", SummaryWriter.flush_now)
_writer_op("CloseSummaryWriter", SummaryWriter.close_now)


def _write_kernel(make_summary):
    def kernel(record, step, *inputs, writer, **attrs):
        if bool(np.asarray(record)):
            writer.write(np.asarray(step).item(), make_summary(*inputs, **attrs).item())
    return kernel


for _type, _make in [("WriteScalarSummary", k.scalar_summary),
                     ("WriteHistogramSummary", k.histogram_summary),
                     ("WriteImageSummary", k.image_summary),
                     ("WriteAudioSummary", k.audio_summary)]:
    define_op(_type, _write_kernel(_make), lambda inputs, attrs: [], stateful=True,
              num_outputs=0)
    NotDifferentiable(_type)


# ---- writers ----------------------------------------------------------------------------------
def create_file_writer(logdir: str, max_queue: Optional[int] = None,
                       flush_millis: Optional[int] = None, filename_suffix: Optional[str] = None,
                       name: Optional[str] = None) -> SummaryWriter:
    """A writer for a new events file in ``logdir`` (flushed every ``flush_millis``, 2 min by
    default; ``max_queue`` events may wait, 10 by default)."""
    writer = SummaryWriter(logdir, 10 if max_queue is None else max_queue,
                           120.0 if flush_millis is None else flush_millis / 1000.0,
                           ".v2" if filename_suffix is None else filename_suffix)
    if not context.executing_eagerly():
        writer.init()
    return writer


create_summary_file_writer = create_file_writer


def flush(writer: Optional[SummaryWriter] = None, name: Optional[str] = None):
    """Flush ``writer`` (default: the default writer); an op in graph mode."""
    writer = writer or _default_writer()
    if writer is None:
        return no_op(name)
    return writer.flush()


def all_summary_ops() -> list:
    """The contrib summary ops of the default graph (None in eager mode)."""
    if context.executing_eagerly():
        return None
    return ops.get_collection(_SUMMARY_OPS)


def summary_writer_initializer_op() -> list:
    """The ops that open the writers created in the default graph."""
    if context.executing_eagerly():
        raise RuntimeError("tf.contrib.summary.summary_writer_initializer_op is only "
                           "supported in graph mode.")
    return ops.get_collection(_WRITER_INITS)


# ---- when to record ---------------------------------------------------------------------------
@contextlib.contextmanager
def _recording(condition: Optional[Callable]):
    old = _condition()
    _state.condition = condition
    try:
        yield
    finally:
        _state.condition = old


def always_record_summaries():
    """Record every summary inside the ``with`` block."""
    return _recording(lambda: True)


def never_record_summaries():
    """Record no summary inside the ``with`` block."""
    return _recording(lambda: False)


def record_summaries_every_n_global_steps(n: int, global_step=None):
    """Record summaries when ``global_step % n == 0`` (the global step by default)."""
    def condition():
        step = global_step if global_step is not None else training_util.get_global_step()
        if step is None:
            raise ValueError("record_summaries_every_n_global_steps needs a global step: create "
                             "one (tf.train.get_or_create_global_step()) or pass global_step")
        return math_ops.equal(math_ops.mod(convert_to_tensor(step), n), 0)
    return _recording(condition)


def should_record_summaries():
    """Whether summaries are recorded here: a bool (or a bool tensor in graph mode)."""
    condition = _condition()
    return False if condition is None else condition()


# ---- summaries --------------------------------------------------------------------------------
def _write(op_type: str, name: str, tensor, family, step, extra_inputs=(), attrs=None):
    writer = _default_writer()
    if writer is None:
        return no_op()
    tensor = convert_to_tensor(tensor)
    if step is None:
        step = training_util.get_global_step()
        if step is None:
            raise ValueError("No step set via 'step' argument or tf.train.get_global_step()")
    step = math_ops.cast(convert_to_tensor(step), dtypes.int64)
    record = convert_to_tensor(should_record_summaries(), dtype=dtypes.bool)
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        op = apply_op(op_type, [record, step, constant(tag, name="tag"), tensor,
                                *extra_inputs], {"writer": writer, **(attrs or {})},
                      name=scope)
    if not context.executing_eagerly():
        ops.add_to_collection(_SUMMARY_OPS, op)
    return op


def scalar(name: str, tensor, family: Optional[str] = None, step=None):
    """Write a scalar summary (``simple_value``) of ``tensor`` at ``step``."""
    return _write("WriteScalarSummary", name, tensor, family, step)


def histogram(name: str, tensor, family: Optional[str] = None, step=None):
    """Write a histogram of ``tensor``'s values (TensorFlow's default buckets)."""
    return _write("WriteHistogramSummary", name, tensor, family, step)


def image(name: str, tensor, bad_color=None, max_images: int = 3,
          family: Optional[str] = None, step=None):
    """Write PNGs of up to ``max_images`` images of a ``[batch, h, w, 1|3|4]`` tensor."""
    color = [255, 0, 0, 255] if bad_color is None else list(np.asarray(bad_color).reshape(-1))
    return _write("WriteImageSummary", name, tensor, family, step,
                  attrs={"max_images": int(max_images), "bad_color": color})


def audio(name: str, tensor, sample_rate, max_outputs: int, family: Optional[str] = None,
          step=None):
    """Write WAV clips of up to ``max_outputs`` entries of a float ``[batch, frames(, ch)]``."""
    rate = convert_to_tensor(sample_rate, dtype=dtypes.float32)
    return _write("WriteAudioSummary", name, tensor, family, step, extra_inputs=[rate],
                  attrs={"max_outputs": int(max_outputs)})
