"""TensorFlow's ``graph.proto`` (``GraphDef``: the nodes, the producer version and a library of
functions), built without ``protoc``. Re-exports the messages a GraphDef holds.

Usage::

    g = GraphDef(node=[NodeDef(name="x", op="Placeholder")], versions=VersionDef(producer=27))
    data = g.SerializeToString()
"""
from __future__ import annotations

from ..protobuf_builder import REPEATED, F, T, field, message_class, proto_file, register
from .attr_value_pb2 import AttrValue, NameAttrList
from .function_pb2 import FunctionDef, FunctionDefLibrary
from .node_def_pb2 import NodeDef
from .tensor_pb2 import TensorProto
from .tensor_shape_pb2 import TensorShapeProto
from .versions_pb2 import VersionDef

_fd = proto_file("tensorflow/core/framework/graph.proto",
                 "tensorflow/core/framework/function.proto",
                 "tensorflow/core/framework/node_def.proto",
                 "tensorflow/core/framework/versions.proto")
_graph = _fd.message_type.add(name="GraphDef")
field(_graph, "node", 1, F.TYPE_MESSAGE, REPEATED, type_name=T + "NodeDef")
field(_graph, "versions", 4, F.TYPE_MESSAGE, type_name=T + "VersionDef")
field(_graph, "version", 3, F.TYPE_INT32)
field(_graph, "library", 2, F.TYPE_MESSAGE, type_name=T + "FunctionDefLibrary")
register(_fd)

GraphDef = message_class("GraphDef")

__all__ = ["GraphDef", "NodeDef", "AttrValue", "NameAttrList", "TensorProto", "TensorShapeProto",
           "VersionDef", "FunctionDef", "FunctionDefLibrary"]
