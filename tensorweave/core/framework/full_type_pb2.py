"""TensorFlow's ``full_type.proto`` (``FullTypeDef``: a type id with type arguments, written by
TF 2.x as ``NodeDef.experimental_type``), built without ``protoc``; described so that GraphDefs
TF writes parse, also in text format.

Usage::

    FullTypeDef(type_id=TFT_PRODUCT, args=[FullTypeDef(type_id=TFT_INT32)])
"""
from __future__ import annotations

from google.protobuf.internal import enum_type_wrapper

from ..protobuf_builder import POOL, REPEATED, F, T, add_enum, field, message_class, proto_file, \
    register

_IDS = {"TFT_UNSET": 0, "TFT_VAR": 1, "TFT_ANY": 2, "TFT_PRODUCT": 3, "TFT_NAMED": 4,
        "TFT_FOR_EACH": 20, "TFT_CALLABLE": 100, "TFT_TENSOR": 1000, "TFT_ARRAY": 1001,
        "TFT_OPTIONAL": 1002, "TFT_LITERAL": 1003, "TFT_ENCODED": 1004, "TFT_SHAPE_TENSOR": 1005,
        "TFT_BOOL": 200, "TFT_UINT8": 201, "TFT_UINT16": 202, "TFT_UINT32": 203,
        "TFT_UINT64": 204, "TFT_INT8": 205, "TFT_INT16": 206, "TFT_INT32": 207, "TFT_INT64": 208,
        "TFT_HALF": 209, "TFT_FLOAT": 210, "TFT_DOUBLE": 211, "TFT_BFLOAT16": 215,
        "TFT_COMPLEX64": 212, "TFT_COMPLEX128": 213, "TFT_STRING": 214, "TFT_DATASET": 10102,
        "TFT_RAGGED": 10103, "TFT_ITERATOR": 10104, "TFT_MUTEX_LOCK": 10202,
        "TFT_LEGACY_VARIANT": 10203}

_fd = proto_file("tensorflow/core/framework/full_type.proto")
add_enum(_fd, "FullTypeId", _IDS)
_type = _fd.message_type.add(name="FullTypeDef")
_type.oneof_decl.add(name="attr")
field(_type, "type_id", 1, F.TYPE_ENUM, type_name=T + "FullTypeId")
field(_type, "args", 2, F.TYPE_MESSAGE, REPEATED, type_name=T + "FullTypeDef")
field(_type, "s", 3, F.TYPE_STRING, oneof=0)
field(_type, "i", 4, F.TYPE_INT64, oneof=0)
register(_fd)

FullTypeId = enum_type_wrapper.EnumTypeWrapper(POOL.FindEnumTypeByName("tensorflow.FullTypeId"))
FullTypeDef = message_class("FullTypeDef")
globals().update(_IDS)

__all__ = ["FullTypeId", "FullTypeDef", *_IDS]
