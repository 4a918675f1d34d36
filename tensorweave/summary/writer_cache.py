"""``tf.summary.FileWriterCache``: one shared ``FileWriter`` per log directory.

Usage: ``writer = tf.summary.FileWriterCache.get("logs")`` (same object for the same logdir).
"""
from __future__ import annotations

import threading

from ..framework import ops
from .writer import FileWriter

__all__ = ["FileWriterCache"]


class FileWriterCache:
    """A process-wide cache of ``FileWriter`` objects keyed by log directory."""

    _cache: dict = {}
    _lock = threading.RLock()

    @staticmethod
    def get(logdir: str) -> FileWriter:
        """The cached writer for ``logdir``, created with the default graph on first use."""
        with FileWriterCache._lock:
            writer = FileWriterCache._cache.get(logdir)
            if writer is None:
                writer = FileWriter(logdir, graph=ops.get_default_graph())
                FileWriterCache._cache[logdir] = writer
            return writer

    @staticmethod
    def clear() -> None:
        """Close and forget every cached writer."""
        with FileWriterCache._lock:
            for writer in FileWriterCache._cache.values():
                writer.close()
            FileWriterCache._cache.clear()
