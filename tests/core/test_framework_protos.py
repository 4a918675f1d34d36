"""The graph protos built without protoc have TensorFlow's field numbers, types and DataType
numbers (TensorFlow's own descriptors: tests/fixtures/graph_io/tf_proto_schema.json), and all of a
GraphDef TensorFlow wrote parses into described fields."""
import json
import os

import pytest

from tensorweave.core.framework import full_type_pb2, graph_pb2, types_pb2
from tensorweave.core.protobuf import meta_graph_pb2
from tensorweave.core.protobuf_builder import POOL

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "graph_io")
with open(os.path.join(FIXTURES, "tf_proto_schema.json")) as f:
    TF_SCHEMA = json.load(f)

OURS = ["tensorflow.TensorShapeProto", "tensorflow.TensorShapeProto.Dim", "tensorflow.TensorProto",
        "tensorflow.AttrValue", "tensorflow.AttrValue.ListValue", "tensorflow.NameAttrList",
        "tensorflow.NodeDef", "tensorflow.NodeDef.ExperimentalDebugInfo", "tensorflow.VersionDef",
        "tensorflow.OpDef", "tensorflow.OpDef.ArgDef", "tensorflow.OpDef.AttrDef",
        "tensorflow.OpList", "tensorflow.FunctionDef", "tensorflow.GradientDef",
        "tensorflow.FunctionDefLibrary", "tensorflow.GraphDef", "tensorflow.FullTypeDef",
        "tensorflow.SaverDef", "tensorflow.MetaGraphDef", "tensorflow.MetaGraphDef.MetaInfoDef",
        "tensorflow.CollectionDef", "tensorflow.CollectionDef.NodeList",
        "tensorflow.CollectionDef.BytesList", "tensorflow.CollectionDef.Int64List",
        "tensorflow.CollectionDef.FloatList"]


@pytest.mark.parametrize("full_name", OURS)
def test_fields_match_tensorflow(full_name):
    meta_graph_pb2.MetaGraphDef  # registers every graph and meta graph message in POOL
    ours = POOL.FindMessageTypeByName(full_name)
    theirs = TF_SCHEMA["messages"][full_name]
    assert ours.fields, full_name
    for field in ours.fields:
        type_name = (field.message_type or field.enum_type)
        want = theirs[field.name]
        got = [field.number, field.type, bool(field.is_repeated),
               type_name.full_name if type_name else ""]
        assert got == want, (full_name, field.name)


@pytest.mark.parametrize("module,enum", [(types_pb2, "DataType"), (full_type_pb2, "FullTypeId")])
def test_enum_numbers_match_tensorflow(module, enum):
    ours = {name: getattr(module, name) for name in module.__all__ if name.isupper()}
    assert ours and all(TF_SCHEMA[enum][name] == number for name, number in ours.items())


def test_tensorflow_graph_def_bytes_round_trip():
    with open(os.path.join(FIXTURES, "tf_mlp.pb"), "rb") as f:
        data = f.read()
    graph_def = graph_pb2.GraphDef.FromString(data)
    graph_def.DiscardUnknownFields()          # every byte must belong to a described field
    assert graph_def.node and graph_def.ByteSize() == len(data)
    assert graph_pb2.GraphDef.FromString(graph_def.SerializeToString()) == graph_def
