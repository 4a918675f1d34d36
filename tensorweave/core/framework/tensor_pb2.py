"""TensorFlow's ``tensor.proto`` (``TensorProto``: dtype, shape, and the values either as raw
little-endian ``tensor_content`` or in the typed ``*_val`` field), built without ``protoc``.
Resource-handle and variant values are not described (such fields survive parsing as unknown
fields).

Usage::

    TensorProto(dtype=DT_FLOAT, tensor_shape=TensorShapeProto(), float_val=[1.0])
"""
from __future__ import annotations

from . import tensor_shape_pb2, types_pb2  # noqa: F401 - register the dependencies
from ..protobuf_builder import REPEATED, F, T, field, message_class, proto_file, register

_fd = proto_file("tensorflow/core/framework/tensor.proto",
                 "tensorflow/core/framework/tensor_shape.proto",
                 "tensorflow/core/framework/types.proto")
_tensor = _fd.message_type.add(name="TensorProto")
field(_tensor, "dtype", 1, F.TYPE_ENUM, type_name=T + "DataType")
field(_tensor, "tensor_shape", 2, F.TYPE_MESSAGE, type_name=T + "TensorShapeProto")
field(_tensor, "version_number", 3, F.TYPE_INT32)
field(_tensor, "tensor_content", 4, F.TYPE_BYTES)
for _name, _number, _type in [("float_val", 5, F.TYPE_FLOAT), ("double_val", 6, F.TYPE_DOUBLE),
                              ("int_val", 7, F.TYPE_INT32), ("scomplex_val", 9, F.TYPE_FLOAT),
                              ("int64_val", 10, F.TYPE_INT64), ("bool_val", 11, F.TYPE_BOOL),
                              ("dcomplex_val", 12, F.TYPE_DOUBLE), ("half_val", 13, F.TYPE_INT32),
                              ("uint32_val", 16, F.TYPE_UINT32),
                              ("uint64_val", 17, F.TYPE_UINT64)]:
    field(_tensor, _name, _number, _type, REPEATED, packed=True)
field(_tensor, "string_val", 8, F.TYPE_BYTES, REPEATED)
register(_fd)

TensorProto = message_class("TensorProto")

__all__ = ["TensorProto"]
