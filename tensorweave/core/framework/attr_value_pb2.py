"""TensorFlow's ``attr_value.proto`` (``AttrValue``: one of s/i/f/b/type/shape/tensor/list/func/
placeholder; ``NameAttrList``: a function name with its attrs), built without ``protoc``.

Usage::

    AttrValue(type=DT_FLOAT); AttrValue(list=AttrValue.ListValue(i=[1, 2, 2, 1]))
"""
from __future__ import annotations

from . import tensor_pb2  # noqa: F401 - registers TensorProto, TensorShapeProto, DataType
from ..protobuf_builder import REPEATED, F, T, field, map_field, message_class, proto_file, \
    register

_fd = proto_file("tensorflow/core/framework/attr_value.proto",
                 "tensorflow/core/framework/tensor.proto",
                 "tensorflow/core/framework/tensor_shape.proto",
                 "tensorflow/core/framework/types.proto")
_KINDS = [("s", 2, F.TYPE_BYTES, None), ("i", 3, F.TYPE_INT64, None),
          ("f", 4, F.TYPE_FLOAT, None), ("b", 5, F.TYPE_BOOL, None),
          ("type", 6, F.TYPE_ENUM, "DataType"), ("shape", 7, F.TYPE_MESSAGE, "TensorShapeProto"),
          ("tensor", 8, F.TYPE_MESSAGE, "TensorProto")]

_attr = _fd.message_type.add(name="AttrValue")
_list = _attr.nested_type.add(name="ListValue")
for _name, _number, _type, _type_name in _KINDS:
    field(_list, _name, _number, _type, REPEATED, type_name=_type_name and T + _type_name,
          packed=_type not in (F.TYPE_BYTES, F.TYPE_MESSAGE))
field(_list, "func", 9, F.TYPE_MESSAGE, REPEATED, type_name=T + "NameAttrList")
_attr.oneof_decl.add(name="value")
for _name, _number, _type, _type_name in _KINDS:
    field(_attr, _name, _number, _type, type_name=_type_name and T + _type_name, oneof=0)
field(_attr, "list", 1, F.TYPE_MESSAGE, type_name=T + "AttrValue.ListValue", oneof=0)
field(_attr, "func", 10, F.TYPE_MESSAGE, type_name=T + "NameAttrList", oneof=0)
field(_attr, "placeholder", 9, F.TYPE_STRING, oneof=0)

_names = _fd.message_type.add(name="NameAttrList")
field(_names, "name", 1, F.TYPE_STRING)
map_field(_names, "attr", 2, T + "AttrValue")
register(_fd)

AttrValue = message_class("AttrValue")
NameAttrList = message_class("NameAttrList")

__all__ = ["AttrValue", "NameAttrList"]
