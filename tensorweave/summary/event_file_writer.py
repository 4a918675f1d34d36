"""Writes ``Event`` protos to an events file from a background thread.

The file is ``<logdir>/events.out.tfevents.<seconds>.<hostname><suffix>``, a TFRecord stream
whose first record is the ``brain.Event:2`` version event. ``add_event`` only queues; a thread
writes the queue and flushes the file every ``flush_secs``.

Usage::

    w = EventFileWriter("logs")
    w.add_event(Event(wall_time=time.time(), step=1, summary=summary))
    w.close()
"""
from __future__ import annotations

import os
import queue
import socket
import threading
import time

from ..core.util.event_pb2 import Event, SourceMetadata
from ..lib.io.tf_record import TFRecordWriter

__all__ = ["EventFileWriter", "FILE_VERSION"]

FILE_VERSION = "brain.Event:2"
_WRITER_NAME = "tensorweave.summary.event_file_writer"
_CLOSE = object()  # queue sentinel: the thread flushes and stops


def _new_events_path(logdir: str, suffix: str) -> str:
    now = int(time.time())
    base = os.path.join(logdir, f"events.out.tfevents.{now:010d}.{socket.gethostname()}")
    path, n = base + suffix, 0
    while os.path.exists(path):  # two writers in one second: never truncate the other file
        n += 1
        path = f"{base}.{os.getpid()}.{n}{suffix}"
    return path


class EventFileWriter:
    """Queue ``Event`` protos and write them to a new events file in ``logdir``.

    ``max_queue`` events may wait before ``add_event`` blocks; the file is flushed every
    ``flush_secs`` seconds, on ``flush()`` and on ``close()``. ``reopen()`` after ``close()``
    starts a new file.
    """

    def __init__(self, logdir: str, max_queue: int = 10, flush_secs: float = 120,
                 filename_suffix: str = ""):
        self._logdir = str(logdir)
        self._max_queue = max_queue
        self._flush_secs = flush_secs
        self._suffix = filename_suffix or ""
        self._lock = threading.Lock()
        self._closed = True
        self._open()

    def _open(self) -> None:
        os.makedirs(self._logdir, exist_ok=True)
        self._path = _new_events_path(self._logdir, self._suffix)
        self._records = TFRecordWriter(self._path)
        first = Event(wall_time=float(int(time.time())), file_version=FILE_VERSION,
                      source_metadata=SourceMetadata(writer=_WRITER_NAME))
        self._records.write(first.SerializeToString())
        self._records.flush()
        self._queue: queue.Queue = queue.Queue(self._max_queue)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="EventFileWriter", daemon=True)
        self._closed = False
        self._thread.start()

    def _run(self) -> None:
        next_flush = time.monotonic() + self._flush_secs
        while True:
            timeout = max(0.0, next_flush - time.monotonic())
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                item = None
            try:
                with self._lock:
                    if item is _CLOSE:
                        self._records.flush()
                        return
                    if item is not None:
                        self._records.write(item)
                    if item is None or time.monotonic() >= next_flush:
                        self._records.flush()
                        next_flush = time.monotonic() + self._flush_secs
            except BaseException as e:  # noqa: BLE001 - reported to the caller by flush/close
                self._error = e
            finally:
                if item is not None:
                    self._queue.task_done()

    def get_logdir(self) -> str:
        """The directory the events file is in."""
        return self._logdir

    @property
    def path(self) -> str:
        """The path of the current events file."""
        return self._path

    def add_event(self, event) -> None:
        """Queue ``event`` (an ``Event`` proto) for writing; ignored after ``close()``."""
        if not self._closed:
            self._queue.put(event.SerializeToString())

    def flush(self) -> None:
        """Write every queued event and flush the file."""
        if self._closed:
            return
        self._queue.join()
        with self._lock:
            self._records.flush()
        self._raise_pending()

    def close(self) -> None:
        """Flush, stop the thread and close the file (calling it twice is fine)."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_CLOSE)
        self._thread.join()
        self._records.close()
        self._raise_pending()

    def reopen(self) -> None:
        """After ``close()``, start writing to a new events file; no-op while open."""
        if self._closed:
            self._open()

    def _raise_pending(self) -> None:
        error, self._error = self._error, None
        if error is not None:
            raise error
