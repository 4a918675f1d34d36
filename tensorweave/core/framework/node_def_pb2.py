"""TensorFlow's ``node_def.proto`` (``NodeDef``: name, op type, inputs ``op:idx``/``^ctrl``,
device, attrs), built without ``protoc``.

Usage::

    NodeDef(name="y", op="Relu", input=["x"], attr={"T": AttrValue(type=DT_FLOAT)})
"""
from __future__ import annotations

from . import attr_value_pb2, full_type_pb2  # noqa: F401 - register AttrValue, FullTypeDef
from ..protobuf_builder import REPEATED, F, T, field, map_field, message_class, proto_file, \
    register

_fd = proto_file("tensorflow/core/framework/node_def.proto",
                 "tensorflow/core/framework/attr_value.proto",
                 "tensorflow/core/framework/full_type.proto")
_node = _fd.message_type.add(name="NodeDef")
field(_node, "name", 1, F.TYPE_STRING)
field(_node, "op", 2, F.TYPE_STRING)
field(_node, "input", 3, F.TYPE_STRING, REPEATED)
field(_node, "device", 4, F.TYPE_STRING)
map_field(_node, "attr", 5, T + "AttrValue")
_debug = _node.nested_type.add(name="ExperimentalDebugInfo")
field(_debug, "original_node_names", 1, F.TYPE_STRING, REPEATED)
field(_debug, "original_func_names", 2, F.TYPE_STRING, REPEATED)
field(_node, "experimental_debug_info", 6, F.TYPE_MESSAGE,
      type_name=T + "NodeDef.ExperimentalDebugInfo")
field(_node, "experimental_type", 7, F.TYPE_MESSAGE, type_name=T + "FullTypeDef")
register(_fd)

NodeDef = message_class("NodeDef")

__all__ = ["NodeDef"]
