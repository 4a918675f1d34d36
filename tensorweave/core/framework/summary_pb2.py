"""Summary protobuf messages (TensorFlow's ``summary.proto`` + ``HistogramProto``), no ``protoc``.

Same package (``tensorflow``) and field numbers as TensorFlow, so a serialized ``Summary`` is
what TensorBoard reads; registered in tensorweave's private descriptor pool.

Usage::

    s = Summary(value=[Summary.Value(tag="loss", simple_value=0.5)])
    data = s.SerializeToString()
"""
from __future__ import annotations

from google.protobuf import descriptor_pb2

from . import tensor_pb2  # noqa: F401 - registers tensorflow.TensorProto
from ..protobuf_builder import POOL, field as _field, message_class as _cls

_F = descriptor_pb2.FieldDescriptorProto
_T = ".tensorflow."
_REP = _F.LABEL_REPEATED

__all__ = ["Summary", "SummaryMetadata", "SummaryDescription", "HistogramProto", "DataClass",
           "DATA_CLASS_UNKNOWN", "DATA_CLASS_SCALAR", "DATA_CLASS_TENSOR",
           "DATA_CLASS_BLOB_SEQUENCE"]


def _histogram(fd: descriptor_pb2.FileDescriptorProto) -> None:
    histo = fd.message_type.add(name="HistogramProto")
    for num, name in enumerate(["min", "max", "num", "sum", "sum_squares"], start=1):
        _field(histo, name, num, _F.TYPE_DOUBLE)
    _field(histo, "bucket_limit", 6, _F.TYPE_DOUBLE, _REP, packed=True)
    _field(histo, "bucket", 7, _F.TYPE_DOUBLE, _REP, packed=True)


def _metadata(fd: descriptor_pb2.FileDescriptorProto) -> None:
    _field(fd.message_type.add(name="SummaryDescription"), "type_hint", 1, _F.TYPE_STRING)
    data_class = fd.enum_type.add(name="DataClass")
    for num, name in enumerate(["UNKNOWN", "SCALAR", "TENSOR", "BLOB_SEQUENCE"]):
        data_class.value.add(name=f"DATA_CLASS_{name}", number=num)
    meta = fd.message_type.add(name="SummaryMetadata")
    plugin = meta.nested_type.add(name="PluginData")
    _field(plugin, "plugin_name", 1, _F.TYPE_STRING)
    _field(plugin, "content", 2, _F.TYPE_BYTES)
    _field(meta, "plugin_data", 1, _F.TYPE_MESSAGE, type_name=_T + "SummaryMetadata.PluginData")
    _field(meta, "display_name", 2, _F.TYPE_STRING)
    _field(meta, "summary_description", 3, _F.TYPE_STRING)
    _field(meta, "data_class", 4, _F.TYPE_ENUM, type_name=_T + "DataClass")


def _summary(fd: descriptor_pb2.FileDescriptorProto) -> None:
    summary = fd.message_type.add(name="Summary")
    image = summary.nested_type.add(name="Image")
    for num, name in enumerate(["height", "width", "colorspace"], start=1):
        _field(image, name, num, _F.TYPE_INT32)
    _field(image, "encoded_image_string", 4, _F.TYPE_BYTES)
    audio = summary.nested_type.add(name="Audio")
    _field(audio, "sample_rate", 1, _F.TYPE_FLOAT)
    _field(audio, "num_channels", 2, _F.TYPE_INT64)
    _field(audio, "length_frames", 3, _F.TYPE_INT64)
    _field(audio, "encoded_audio_string", 4, _F.TYPE_BYTES)
    _field(audio, "content_type", 5, _F.TYPE_STRING)
    value = summary.nested_type.add(name="Value")
    value.oneof_decl.add(name="value")
    _field(value, "node_name", 7, _F.TYPE_STRING)
    _field(value, "tag", 1, _F.TYPE_STRING)
    _field(value, "metadata", 9, _F.TYPE_MESSAGE, type_name=_T + "SummaryMetadata")
    _field(value, "simple_value", 2, _F.TYPE_FLOAT, oneof=0)
    _field(value, "obsolete_old_style_histogram", 3, _F.TYPE_BYTES, oneof=0)
    _field(value, "image", 4, _F.TYPE_MESSAGE, type_name=_T + "Summary.Image", oneof=0)
    _field(value, "histo", 5, _F.TYPE_MESSAGE, type_name=_T + "HistogramProto", oneof=0)
    _field(value, "audio", 6, _F.TYPE_MESSAGE, type_name=_T + "Summary.Audio", oneof=0)
    _field(value, "tensor", 8, _F.TYPE_MESSAGE, type_name=_T + "TensorProto", oneof=0)
    _field(summary, "value", 1, _F.TYPE_MESSAGE, _REP, type_name=_T + "Summary.Value")


def _summary_file() -> descriptor_pb2.FileDescriptorProto:
    fd = descriptor_pb2.FileDescriptorProto(name="tensorflow/core/framework/summary.proto",
                                            package="tensorflow", syntax="proto3",
                                            dependency=["tensorflow/core/framework/tensor.proto"])
    _histogram(fd)
    _metadata(fd)
    _summary(fd)
    return fd


POOL.Add(_summary_file())

HistogramProto = _cls("HistogramProto")
SummaryDescription = _cls("SummaryDescription")
SummaryMetadata = _cls("SummaryMetadata")
Summary = _cls("Summary")
DataClass = POOL.FindEnumTypeByName("tensorflow.DataClass")
DATA_CLASS_UNKNOWN, DATA_CLASS_SCALAR, DATA_CLASS_TENSOR, DATA_CLASS_BLOB_SEQUENCE = range(4)
