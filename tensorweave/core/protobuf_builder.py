"""Building TensorFlow's protobuf messages at import time, without ``protoc``.

Each ``*_pb2`` module under ``tensorweave.core`` describes one of TensorFlow's public ``.proto``
files with ``descriptor_pb2`` (package ``tensorflow``, TensorFlow's field numbers, so the bytes
are TensorFlow's) and registers it in ``POOL``, a descriptor pool private to tensorweave: the
classes never clash with a real TensorFlow loaded in the same process.

Usage::

    fd = proto_file("tensorflow/core/framework/versions.proto")
    field(fd.message_type.add(name="VersionDef"), "producer", 1, F.TYPE_INT32)
    register(fd)
    VersionDef = message_class("VersionDef")
"""
from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

__all__ = ["POOL", "F", "REPEATED", "T", "proto_file", "field", "map_field", "add_enum",
           "register", "message_class"]

F = descriptor_pb2.FieldDescriptorProto
REPEATED = F.LABEL_REPEATED
PACKAGE = "tensorflow"
T = f".{PACKAGE}."              # prefix of a fully qualified type name in this package

POOL = descriptor_pool.DescriptorPool()

_get_class = getattr(message_factory, "GetMessageClass", None) or \
    message_factory.MessageFactory(POOL).GetPrototype  # protobuf < 4.22


def proto_file(name: str, *dependencies: str) -> descriptor_pb2.FileDescriptorProto:
    """An empty proto3 file description ``name`` in package ``tensorflow``."""
    return descriptor_pb2.FileDescriptorProto(name=name, package=PACKAGE, syntax="proto3",
                                              dependency=list(dependencies))


def field(msg, name: str, number: int, ftype: int, label: int = F.LABEL_OPTIONAL,
          type_name: str | None = None, oneof: int | None = None, packed: bool = False):
    """Add field ``name = number`` of type ``ftype`` to the message description ``msg``."""
    f = msg.field.add(name=name, number=number, type=ftype, label=label, json_name=_camel(name))
    if type_name:
        f.type_name = type_name
    if oneof is not None:
        f.oneof_index = oneof
    if packed:
        f.options.packed = True
    return f


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


def map_field(msg, field_name: str, number: int, value_type: str | int,
              key_type: int = F.TYPE_STRING) -> None:
    """Add ``map<key, value> field_name = number`` to ``msg``; ``value_type`` is a message's
    full name or a scalar ``F.TYPE_*``."""
    entry_name = "".join(p.capitalize() for p in field_name.split("_")) + "Entry"
    entry = msg.nested_type.add(name=entry_name)
    entry.options.map_entry = True
    field(entry, "key", 1, key_type)
    if isinstance(value_type, str):
        field(entry, "value", 2, F.TYPE_MESSAGE, type_name=value_type)
    else:
        field(entry, "value", 2, value_type)
    field(msg, field_name, number, F.TYPE_MESSAGE, REPEATED, type_name=f"{T}{msg.name}.{entry_name}")


def add_enum(parent, name: str, values: dict) -> None:
    """Add enum ``name`` with ``{value_name: number}`` to a file or message description."""
    enum = parent.enum_type.add(name=name)
    for value_name, number in values.items():
        enum.value.add(name=value_name, number=number)


def register(fd: descriptor_pb2.FileDescriptorProto) -> None:
    """Add the file description to ``POOL`` (its dependencies must be registered first)."""
    POOL.Add(fd)


def message_class(name: str):
    """The generated class of message ``tensorflow.<name>`` (``"Outer.Inner"`` for nested)."""
    return _get_class(POOL.FindMessageTypeByName(f"{PACKAGE}.{name}"))
