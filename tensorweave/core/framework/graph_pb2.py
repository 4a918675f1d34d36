"""GraphDef and the messages inside it (TensorFlow's ``graph.proto``, ``node_def.proto``,
``attr_value.proto``, ``tensor.proto``, ``tensor_shape.proto``, ``versions.proto``), built
without ``protoc``: package ``tensorflow``, TensorFlow's field numbers, so the bytes are what
TensorFlow and TensorBoard read. Registered in tensorweave's private descriptor pool.

Usage::

    g = GraphDef(node=[NodeDef(name="x", op="Placeholder")], versions=VersionDef(producer=27))
    data = g.SerializeToString()
"""
from __future__ import annotations

from google.protobuf import descriptor_pb2

from ..example.example_pb2 import POOL, _cls, _field, _map_message

_F = descriptor_pb2.FieldDescriptorProto
_T = ".tensorflow."
_REP = _F.LABEL_REPEATED

__all__ = ["TensorShapeProto", "TensorProto", "AttrValue", "NameAttrList", "NodeDef",
           "VersionDef", "GraphDef"]

_DATA_TYPES = ["DT_INVALID", "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16",
               "DT_INT8", "DT_STRING", "DT_COMPLEX64", "DT_INT64", "DT_BOOL", "DT_QINT8",
               "DT_QUINT8", "DT_QINT32", "DT_BFLOAT16", "DT_QINT16", "DT_QUINT16", "DT_UINT16",
               "DT_COMPLEX128", "DT_HALF", "DT_RESOURCE", "DT_VARIANT", "DT_UINT32",
               "DT_UINT64"]


def _tensor_messages(fd) -> None:
    data_type = fd.enum_type.add(name="DataType")
    for number, name in enumerate(_DATA_TYPES):
        data_type.value.add(name=name, number=number)
    shape = fd.message_type.add(name="TensorShapeProto")
    dim = shape.nested_type.add(name="Dim")
    _field(dim, "size", 1, _F.TYPE_INT64)
    _field(dim, "name", 2, _F.TYPE_STRING)
    _field(shape, "dim", 2, _F.TYPE_MESSAGE, _REP, type_name=_T + "TensorShapeProto.Dim")
    _field(shape, "unknown_rank", 3, _F.TYPE_BOOL)
    tensor = fd.message_type.add(name="TensorProto")
    _field(tensor, "dtype", 1, _F.TYPE_ENUM, type_name=_T + "DataType")
    _field(tensor, "tensor_shape", 2, _F.TYPE_MESSAGE, type_name=_T + "TensorShapeProto")
    _field(tensor, "version_number", 3, _F.TYPE_INT32)
    _field(tensor, "tensor_content", 4, _F.TYPE_BYTES)
    for name, number, ftype in [("float_val", 5, _F.TYPE_FLOAT), ("double_val", 6, _F.TYPE_DOUBLE),
                                ("int_val", 7, _F.TYPE_INT32), ("scomplex_val", 9, _F.TYPE_FLOAT),
                                ("int64_val", 10, _F.TYPE_INT64), ("bool_val", 11, _F.TYPE_BOOL),
                                ("dcomplex_val", 12, _F.TYPE_DOUBLE),
                                ("half_val", 13, _F.TYPE_INT32),
                                ("uint32_val", 16, _F.TYPE_UINT32),
                                ("uint64_val", 17, _F.TYPE_UINT64)]:
        _field(tensor, name, number, ftype, _REP, packed=True)
    _field(tensor, "string_val", 8, _F.TYPE_BYTES, _REP)


def _attr_messages(fd) -> None:
    attr = fd.message_type.add(name="AttrValue")
    values = attr.nested_type.add(name="ListValue")
    _field(values, "s", 2, _F.TYPE_BYTES, _REP)
    _field(values, "i", 3, _F.TYPE_INT64, _REP, packed=True)
    _field(values, "f", 4, _F.TYPE_FLOAT, _REP, packed=True)
    _field(values, "b", 5, _F.TYPE_BOOL, _REP, packed=True)
    _field(values, "type", 6, _F.TYPE_ENUM, _REP, type_name=_T + "DataType", packed=True)
    _field(values, "shape", 7, _F.TYPE_MESSAGE, _REP, type_name=_T + "TensorShapeProto")
    _field(values, "tensor", 8, _F.TYPE_MESSAGE, _REP, type_name=_T + "TensorProto")
    _field(values, "func", 9, _F.TYPE_MESSAGE, _REP, type_name=_T + "NameAttrList")
    attr.oneof_decl.add(name="value")
    _field(attr, "s", 2, _F.TYPE_BYTES, oneof=0)
    _field(attr, "i", 3, _F.TYPE_INT64, oneof=0)
    _field(attr, "f", 4, _F.TYPE_FLOAT, oneof=0)
    _field(attr, "b", 5, _F.TYPE_BOOL, oneof=0)
    _field(attr, "type", 6, _F.TYPE_ENUM, type_name=_T + "DataType", oneof=0)
    _field(attr, "shape", 7, _F.TYPE_MESSAGE, type_name=_T + "TensorShapeProto", oneof=0)
    _field(attr, "tensor", 8, _F.TYPE_MESSAGE, type_name=_T + "TensorProto", oneof=0)
    _field(attr, "list", 1, _F.TYPE_MESSAGE, type_name=_T + "AttrValue.ListValue", oneof=0)
    _field(attr, "func", 10, _F.TYPE_MESSAGE, type_name=_T + "NameAttrList", oneof=0)
    _field(attr, "placeholder", 9, _F.TYPE_STRING, oneof=0)
    names = fd.message_type.add(name="NameAttrList")
    _field(names, "name", 1, _F.TYPE_STRING)
    _map_message(names, "attr", _T + "AttrValue")
    names.field[-1].number = 2


def _graph_messages(fd) -> None:
    node = fd.message_type.add(name="NodeDef")
    _field(node, "name", 1, _F.TYPE_STRING)
    _field(node, "op", 2, _F.TYPE_STRING)
    _field(node, "input", 3, _F.TYPE_STRING, _REP)
    _field(node, "device", 4, _F.TYPE_STRING)
    _map_message(node, "attr", _T + "AttrValue")
    node.field[-1].number = 5
    versions = fd.message_type.add(name="VersionDef")
    _field(versions, "producer", 1, _F.TYPE_INT32)
    _field(versions, "min_consumer", 2, _F.TYPE_INT32)
    _field(versions, "bad_consumers", 3, _F.TYPE_INT32, _REP, packed=True)
    graph = fd.message_type.add(name="GraphDef")
    _field(graph, "node", 1, _F.TYPE_MESSAGE, _REP, type_name=_T + "NodeDef")
    _field(graph, "versions", 4, _F.TYPE_MESSAGE, type_name=_T + "VersionDef")
    _field(graph, "version", 3, _F.TYPE_INT32)


def _graph_file() -> descriptor_pb2.FileDescriptorProto:
    fd = descriptor_pb2.FileDescriptorProto(name="tensorflow/core/framework/graph.proto",
                                            package="tensorflow", syntax="proto3")
    _tensor_messages(fd)
    _attr_messages(fd)
    _graph_messages(fd)
    return fd


POOL.Add(_graph_file())

TensorShapeProto = _cls("TensorShapeProto")
TensorProto = _cls("TensorProto")
AttrValue = _cls("AttrValue")
NameAttrList = _cls("NameAttrList")
NodeDef = _cls("NodeDef")
VersionDef = _cls("VersionDef")
GraphDef = _cls("GraphDef")
