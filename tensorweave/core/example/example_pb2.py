"""Example/Feature protobuf messages built at import time without ``protoc``.

The schema is TensorFlow's public ``feature.proto`` + ``example.proto`` (package ``tensorflow``,
same field numbers), described with ``descriptor_pb2`` and registered in a private descriptor
pool, so serialized bytes are identical to TensorFlow's and the classes never clash with a real
TensorFlow loaded in the same process.

Usage::

    ex = Example(features=Features(feature={"x": Feature(float_list=FloatList(value=[1.0]))}))
    data = ex.SerializeToString()
"""
from __future__ import annotations

from ..protobuf_builder import POOL, REPEATED, F, T, field, map_field, message_class, proto_file, \
    register


def _feature_file():
    fd = proto_file("tensorflow/core/example/feature.proto")
    rep = REPEATED
    field(fd.message_type.add(name="BytesList"), "value", 1, F.TYPE_BYTES, rep)
    field(fd.message_type.add(name="FloatList"), "value", 1, F.TYPE_FLOAT, rep, packed=True)
    field(fd.message_type.add(name="Int64List"), "value", 1, F.TYPE_INT64, rep, packed=True)
    feat = fd.message_type.add(name="Feature")
    feat.oneof_decl.add(name="kind")
    for num, (name, typ) in enumerate([("bytes_list", "BytesList"), ("float_list", "FloatList"),
                                       ("int64_list", "Int64List")], start=1):
        field(feat, name, num, F.TYPE_MESSAGE, type_name=f"{T}{typ}", oneof=0)
    map_field(fd.message_type.add(name="Features"), "feature", 1, f"{T}Feature")
    field(fd.message_type.add(name="FeatureList"), "feature", 1, F.TYPE_MESSAGE, rep,
          type_name=f"{T}Feature")
    map_field(fd.message_type.add(name="FeatureLists"), "feature_list", 1, f"{T}FeatureList")
    return fd


def _example_file():
    fd = proto_file("tensorflow/core/example/example.proto",
                    "tensorflow/core/example/feature.proto")
    field(fd.message_type.add(name="Example"), "features", 1, F.TYPE_MESSAGE,
          type_name=f"{T}Features")
    seq = fd.message_type.add(name="SequenceExample")
    field(seq, "context", 1, F.TYPE_MESSAGE, type_name=f"{T}Features")
    field(seq, "feature_lists", 2, F.TYPE_MESSAGE, type_name=f"{T}FeatureLists")
    return fd


register(_feature_file())
register(_example_file())

BytesList = message_class("BytesList")
FloatList = message_class("FloatList")
Int64List = message_class("Int64List")
Feature = message_class("Feature")
Features = message_class("Features")
FeatureList = message_class("FeatureList")
FeatureLists = message_class("FeatureLists")
Example = message_class("Example")
SequenceExample = message_class("SequenceExample")

__all__ = ["BytesList", "FloatList", "Int64List", "Feature", "Features", "FeatureList",
           "FeatureLists", "Example", "SequenceExample", "POOL"]
