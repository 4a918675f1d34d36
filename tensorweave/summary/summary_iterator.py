"""``tf.train.summary_iterator``: read the ``Event`` protos of an events file.

Usage::

    for event in tf.train.summary_iterator(path):
        for value in event.summary.value:
            print(event.step, value.tag, value.simple_value)
"""
from __future__ import annotations

from typing import Iterator

from google.protobuf.message import DecodeError

from ..core.util.event_pb2 import Event
from ..framework import errors
from ..lib.io.tf_record import tf_record_iterator

__all__ = ["summary_iterator"]


def summary_iterator(path) -> Iterator:
    """Yield each ``Event`` of the events file ``path`` in order; a corrupt or truncated record
    raises ``tf.errors.DataLossError``."""
    for offset, record in enumerate(tf_record_iterator(path)):
        try:
            yield Event.FromString(record)
        except DecodeError:
            raise errors.DataLossError(
                None, None, f"{path}: record {offset} is not an Event protobuf") from None
