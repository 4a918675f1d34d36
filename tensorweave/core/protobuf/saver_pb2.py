"""TensorFlow's ``saver.proto`` (``SaverDef``: the names of a Saver's filename tensor, save
tensor and restore op, and its settings), built without ``protoc``.

Usage::

    SaverDef(filename_tensor_name="save/Const:0", restore_op_name="save/restore_all",
             version=SaverDef.V2)
"""
from __future__ import annotations

from ..protobuf_builder import F, T, add_enum, field, message_class, proto_file, register

_fd = proto_file("tensorflow/core/protobuf/saver.proto")
_saver = _fd.message_type.add(name="SaverDef")
add_enum(_saver, "CheckpointFormatVersion", {"LEGACY": 0, "V1": 1, "V2": 2})
for _name, _number in [("filename_tensor_name", 1), ("save_tensor_name", 2),
                       ("restore_op_name", 3)]:
    field(_saver, _name, _number, F.TYPE_STRING)
field(_saver, "max_to_keep", 4, F.TYPE_INT32)
field(_saver, "sharded", 5, F.TYPE_BOOL)
field(_saver, "keep_checkpoint_every_n_hours", 6, F.TYPE_FLOAT)
field(_saver, "version", 7, F.TYPE_ENUM, type_name=T + "SaverDef.CheckpointFormatVersion")
register(_fd)

SaverDef = message_class("SaverDef")

__all__ = ["SaverDef"]
