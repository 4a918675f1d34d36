"""TensorFlow's ``op_def.proto`` (``OpDef`` with its ``ArgDef``/``AttrDef``, ``OpList``): the
signature of a ``FunctionDef``, built without ``protoc``.

Usage::

    OpDef(name="branch", input_arg=[OpDef.ArgDef(name="x", type=DT_FLOAT)])
"""
from __future__ import annotations

from . import attr_value_pb2  # noqa: F401 - registers AttrValue, DataType
from ..protobuf_builder import REPEATED, F, T, field, message_class, proto_file, register

_fd = proto_file("tensorflow/core/framework/op_def.proto",
                 "tensorflow/core/framework/attr_value.proto",
                 "tensorflow/core/framework/types.proto")
_op = _fd.message_type.add(name="OpDef")
_arg = _op.nested_type.add(name="ArgDef")
for _name, _number in [("name", 1), ("description", 2), ("type_attr", 4), ("number_attr", 5),
                       ("type_list_attr", 6)]:
    field(_arg, _name, _number, F.TYPE_STRING)
field(_arg, "type", 3, F.TYPE_ENUM, type_name=T + "DataType")
field(_arg, "is_ref", 16, F.TYPE_BOOL)
_attr = _op.nested_type.add(name="AttrDef")
field(_attr, "name", 1, F.TYPE_STRING)
field(_attr, "type", 2, F.TYPE_STRING)
field(_attr, "default_value", 3, F.TYPE_MESSAGE, type_name=T + "AttrValue")
field(_attr, "description", 4, F.TYPE_STRING)
field(_attr, "has_minimum", 5, F.TYPE_BOOL)
field(_attr, "minimum", 6, F.TYPE_INT64)
field(_attr, "allowed_values", 7, F.TYPE_MESSAGE, type_name=T + "AttrValue")
field(_op, "name", 1, F.TYPE_STRING)
field(_op, "input_arg", 2, F.TYPE_MESSAGE, REPEATED, type_name=T + "OpDef.ArgDef")
field(_op, "output_arg", 3, F.TYPE_MESSAGE, REPEATED, type_name=T + "OpDef.ArgDef")
field(_op, "control_output", 20, F.TYPE_STRING, REPEATED)
field(_op, "attr", 4, F.TYPE_MESSAGE, REPEATED, type_name=T + "OpDef.AttrDef")
field(_op, "summary", 5, F.TYPE_STRING)
field(_op, "description", 6, F.TYPE_STRING)
for _name, _number in [("is_commutative", 18), ("is_aggregate", 16), ("is_stateful", 17),
                       ("allows_uninitialized_input", 19)]:
    field(_op, _name, _number, F.TYPE_BOOL)
field(_fd.message_type.add(name="OpList"), "op", 1, F.TYPE_MESSAGE, REPEATED,
      type_name=T + "OpDef")
register(_fd)

OpDef = message_class("OpDef")
OpList = message_class("OpList")

__all__ = ["OpDef", "OpList"]
