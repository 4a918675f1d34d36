"""TensorFlow's ``types.proto``: the ``DataType`` enum (TensorFlow's numbers; a ``*_REF`` type is
its base type + 100), built without ``protoc``.

Usage::

    from tensorweave.core.framework.types_pb2 import DT_FLOAT, DataType
    DataType.Name(DT_FLOAT)  # 'DT_FLOAT'
"""
from __future__ import annotations

from google.protobuf.internal import enum_type_wrapper

from ..protobuf_builder import POOL, add_enum, proto_file, register

_BASE_TYPES = ["DT_INVALID", "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16",
               "DT_INT8", "DT_STRING", "DT_COMPLEX64", "DT_INT64", "DT_BOOL", "DT_QINT8",
               "DT_QUINT8", "DT_QINT32", "DT_BFLOAT16", "DT_QINT16", "DT_QUINT16", "DT_UINT16",
               "DT_COMPLEX128", "DT_HALF", "DT_RESOURCE", "DT_VARIANT", "DT_UINT32",
               "DT_UINT64"]
_NUMBERS = {name: number for number, name in enumerate(_BASE_TYPES)}
_NUMBERS.update({name + "_REF": number + 100 for name, number in list(_NUMBERS.items())[1:]})

_fd = proto_file("tensorflow/core/framework/types.proto")
add_enum(_fd, "DataType", _NUMBERS)
register(_fd)

DataType = enum_type_wrapper.EnumTypeWrapper(POOL.FindEnumTypeByName("tensorflow.DataType"))
globals().update(_NUMBERS)

__all__ = ["DataType", *_NUMBERS]
