"""TensorFlow's ``meta_graph.proto`` (``MetaGraphDef``: meta info, the GraphDef, the SaverDef and
the graph's collections as ``CollectionDef``s), built without ``protoc``. Signatures, assets,
the SavedModel object graph and ``Any`` values are not described (they survive parsing as
unknown fields).

Usage::

    MetaGraphDef(graph_def=graph_def, collection_def={"train_op": CollectionDef(
        node_list=CollectionDef.NodeList(value=["Adam"]))})
"""
from __future__ import annotations

from ..framework import graph_pb2, op_def_pb2  # noqa: F401 - register GraphDef, OpList
from ..protobuf_builder import REPEATED, F, T, field, map_field, message_class, proto_file, \
    register
from . import saver_pb2  # noqa: F401 - registers SaverDef

_fd = proto_file("tensorflow/core/protobuf/meta_graph.proto",
                 "tensorflow/core/framework/graph.proto", "tensorflow/core/framework/op_def.proto",
                 "tensorflow/core/protobuf/saver.proto")
_meta = _fd.message_type.add(name="MetaGraphDef")
_info = _meta.nested_type.add(name="MetaInfoDef")
field(_info, "meta_graph_version", 1, F.TYPE_STRING)
field(_info, "stripped_op_list", 2, F.TYPE_MESSAGE, type_name=T + "OpList")
field(_info, "tags", 4, F.TYPE_STRING, REPEATED)
field(_info, "tensorflow_version", 5, F.TYPE_STRING)
field(_info, "tensorflow_git_version", 6, F.TYPE_STRING)
field(_info, "stripped_default_attrs", 7, F.TYPE_BOOL)
field(_meta, "meta_info_def", 1, F.TYPE_MESSAGE, type_name=T + "MetaGraphDef.MetaInfoDef")
field(_meta, "graph_def", 2, F.TYPE_MESSAGE, type_name=T + "GraphDef")
field(_meta, "saver_def", 3, F.TYPE_MESSAGE, type_name=T + "SaverDef")
map_field(_meta, "collection_def", 4, T + "CollectionDef")

_collection = _fd.message_type.add(name="CollectionDef")
_collection.oneof_decl.add(name="kind")
for _number, (_kind, _type) in enumerate([("NodeList", F.TYPE_STRING),
                                          ("BytesList", F.TYPE_BYTES),
                                          ("Int64List", F.TYPE_INT64),
                                          ("FloatList", F.TYPE_FLOAT)], start=1):
    field(_collection.nested_type.add(name=_kind), "value", 1, _type, REPEATED,
          packed=_type in (F.TYPE_INT64, F.TYPE_FLOAT))
    field(_collection, ("node_list", "bytes_list", "int64_list", "float_list")[_number - 1],
          _number, F.TYPE_MESSAGE, type_name=f"{T}CollectionDef.{_kind}", oneof=0)
register(_fd)

MetaGraphDef = message_class("MetaGraphDef")
CollectionDef = message_class("CollectionDef")

__all__ = ["MetaGraphDef", "CollectionDef"]
