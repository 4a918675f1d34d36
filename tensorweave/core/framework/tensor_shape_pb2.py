"""TensorFlow's ``tensor_shape.proto`` (``TensorShapeProto``: dims of size -1 when unknown, or
``unknown_rank``), built without ``protoc``.

Usage::

    TensorShapeProto(dim=[TensorShapeProto.Dim(size=-1), TensorShapeProto.Dim(size=3)])
"""
from __future__ import annotations

from ..protobuf_builder import REPEATED, F, T, field, message_class, proto_file, register

_fd = proto_file("tensorflow/core/framework/tensor_shape.proto")
_shape = _fd.message_type.add(name="TensorShapeProto")
_dim = _shape.nested_type.add(name="Dim")
field(_dim, "size", 1, F.TYPE_INT64)
field(_dim, "name", 2, F.TYPE_STRING)
field(_shape, "dim", 2, F.TYPE_MESSAGE, REPEATED, type_name=T + "TensorShapeProto.Dim")
field(_shape, "unknown_rank", 3, F.TYPE_BOOL)
register(_fd)

TensorShapeProto = message_class("TensorShapeProto")

__all__ = ["TensorShapeProto"]
