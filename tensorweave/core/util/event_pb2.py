"""Event protobuf messages (TensorFlow's ``event.proto``): the records of an events file.

Same package and field numbers as TensorFlow, built without ``protoc`` in tensorweave's private
descriptor pool.

Usage::

    e = Event(wall_time=time.time(), step=3, summary=Summary(value=[...]))
    log = SessionLog(status=SessionLog.START)
"""
from __future__ import annotations

from google.protobuf import descriptor_pb2

from ..protobuf_builder import POOL, field as _field, message_class as _cls
from ..framework import summary_pb2  # noqa: F401 - registers tensorflow.Summary in POOL

_F = descriptor_pb2.FieldDescriptorProto
_T = ".tensorflow."

__all__ = ["Event", "SessionLog", "LogMessage", "TaggedRunMetadata", "SourceMetadata"]


def _enum(msg, name: str, values: dict) -> None:
    enum = msg.enum_type.add(name=name)
    for value_name, number in values.items():
        enum.value.add(name=value_name, number=number)


def _event_file() -> descriptor_pb2.FileDescriptorProto:
    fd = descriptor_pb2.FileDescriptorProto(name="tensorflow/core/util/event.proto",
                                            package="tensorflow", syntax="proto3",
                                            dependency=["tensorflow/core/framework/summary.proto"])
    _field(fd.message_type.add(name="SourceMetadata"), "writer", 1, _F.TYPE_STRING)
    log = fd.message_type.add(name="LogMessage")
    _enum(log, "Level", {"UNKNOWN": 0, "DEBUGGING": 10, "INFO": 20, "WARN": 30, "ERROR": 40,
                         "FATAL": 50})
    _field(log, "level", 1, _F.TYPE_ENUM, type_name=_T + "LogMessage.Level")
    _field(log, "message", 2, _F.TYPE_STRING)
    session = fd.message_type.add(name="SessionLog")
    _enum(session, "SessionStatus", {"STATUS_UNSPECIFIED": 0, "START": 1, "STOP": 2,
                                     "CHECKPOINT": 3})
    _field(session, "status", 1, _F.TYPE_ENUM, type_name=_T + "SessionLog.SessionStatus")
    _field(session, "checkpoint_path", 2, _F.TYPE_STRING)
    _field(session, "msg", 3, _F.TYPE_STRING)
    tagged = fd.message_type.add(name="TaggedRunMetadata")
    _field(tagged, "tag", 1, _F.TYPE_STRING)
    _field(tagged, "run_metadata", 2, _F.TYPE_BYTES)

    event = fd.message_type.add(name="Event")
    event.oneof_decl.add(name="what")
    _field(event, "wall_time", 1, _F.TYPE_DOUBLE)
    _field(event, "step", 2, _F.TYPE_INT64)
    _field(event, "file_version", 3, _F.TYPE_STRING, oneof=0)
    _field(event, "graph_def", 4, _F.TYPE_BYTES, oneof=0)
    _field(event, "summary", 5, _F.TYPE_MESSAGE, type_name=_T + "Summary", oneof=0)
    _field(event, "log_message", 6, _F.TYPE_MESSAGE, type_name=_T + "LogMessage", oneof=0)
    _field(event, "session_log", 7, _F.TYPE_MESSAGE, type_name=_T + "SessionLog", oneof=0)
    _field(event, "tagged_run_metadata", 8, _F.TYPE_MESSAGE, type_name=_T + "TaggedRunMetadata",
           oneof=0)
    _field(event, "meta_graph_def", 9, _F.TYPE_BYTES, oneof=0)
    _field(event, "source_metadata", 10, _F.TYPE_MESSAGE, type_name=_T + "SourceMetadata")
    return fd


POOL.Add(_event_file())

SourceMetadata = _cls("SourceMetadata")
LogMessage = _cls("LogMessage")
SessionLog = _cls("SessionLog")
TaggedRunMetadata = _cls("TaggedRunMetadata")
Event = _cls("Event")
