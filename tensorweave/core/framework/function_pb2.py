"""TensorFlow's ``function.proto`` (``FunctionDefLibrary`` of ``FunctionDef``s: a signature, the
body's NodeDefs and the map from output names to body tensors; ``GradientDef``), built without
``protoc``.

Usage::

    FunctionDef(signature=OpDef(name="f"), node_def=[...], ret={"y": "relu:y:0"})
"""
from __future__ import annotations

from . import node_def_pb2, op_def_pb2  # noqa: F401 - register NodeDef, OpDef
from ..protobuf_builder import REPEATED, F, T, field, map_field, message_class, proto_file, \
    register

_fd = proto_file("tensorflow/core/framework/function.proto",
                 "tensorflow/core/framework/attr_value.proto",
                 "tensorflow/core/framework/node_def.proto",
                 "tensorflow/core/framework/op_def.proto")
_function = _fd.message_type.add(name="FunctionDef")
field(_function, "signature", 1, F.TYPE_MESSAGE, type_name=T + "OpDef")
map_field(_function, "attr", 5, T + "AttrValue")
field(_function, "node_def", 3, F.TYPE_MESSAGE, REPEATED, type_name=T + "NodeDef")
map_field(_function, "ret", 4, F.TYPE_STRING)
map_field(_function, "control_ret", 6, F.TYPE_STRING)
_gradient = _fd.message_type.add(name="GradientDef")
field(_gradient, "function_name", 1, F.TYPE_STRING)
field(_gradient, "gradient_func", 2, F.TYPE_STRING)
_library = _fd.message_type.add(name="FunctionDefLibrary")
field(_library, "function", 1, F.TYPE_MESSAGE, REPEATED, type_name=T + "FunctionDef")
field(_library, "gradient", 2, F.TYPE_MESSAGE, REPEATED, type_name=T + "GradientDef")
register(_fd)

FunctionDef = message_class("FunctionDef")
GradientDef = message_class("GradientDef")
FunctionDefLibrary = message_class("FunctionDefLibrary")

__all__ = ["FunctionDef", "GradientDef", "FunctionDefLibrary"]
