"""TensorFlow's ``versions.proto`` (``VersionDef``: producer, min_consumer, bad_consumers),
built without ``protoc``.

Usage::

    VersionDef(producer=27)
"""
from __future__ import annotations

from ..protobuf_builder import REPEATED, F, field, message_class, proto_file, register

_fd = proto_file("tensorflow/core/framework/versions.proto")
_versions = _fd.message_type.add(name="VersionDef")
field(_versions, "producer", 1, F.TYPE_INT32)
field(_versions, "min_consumer", 2, F.TYPE_INT32)
field(_versions, "bad_consumers", 3, F.TYPE_INT32, REPEATED, packed=True)
register(_fd)

VersionDef = message_class("VersionDef")

__all__ = ["VersionDef"]
