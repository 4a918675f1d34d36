"""Static values of tensors, when the graph already determines them, and TensorProto
conversion (TensorFlow's encoding, as in GraphDef ``value`` attrs and tensor summaries).

Usage::

    constant_value(tf.constant([1, 2]))      # array([1, 2], dtype=int32); None if unknown
    proto = make_tensor_proto(0.5, tf.float32, [2, 3])   # float_val: 0.5, shape 2x3
    MakeNdarray(proto)                        # 2x3 array of 0.5
"""
from __future__ import annotations

from typing import Optional

import numpy as np

__all__ = ["constant_value", "constant_value_as_shape", "make_tensor_proto", "MakeNdarray",
           "make_ndarray", "shape_proto", "shape_from_proto"]


def constant_value(tensor) -> Optional[np.ndarray]:
    """The value of ``tensor`` if it is known at graph-construction time, else None."""
    if getattr(tensor, "_is_eager", False):
        return tensor._value
    if not hasattr(tensor, "op"):
        return None
    op = tensor.op
    t = op.type
    if t == "Const":
        return op._attrs["value"]
    if t == "Shape":
        shape = op.inputs[0].shape
        if shape.is_fully_defined():
            return np.array(shape.as_list(), dtype=tensor.dtype.as_numpy_dtype)
        return None
    if t == "Size":
        n = op.inputs[0].shape.num_elements()
        return None if n is None else np.array(n, dtype=tensor.dtype.as_numpy_dtype)
    if t == "Rank":
        nd = op.inputs[0].shape.ndims
        return None if nd is None else np.array(nd, dtype=np.int32)
    if t in ("Identity", "StopGradient"):
        return constant_value(op.inputs[0])
    if t == "Cast":
        v = constant_value(op.inputs[0])
        return None if v is None else v.astype(tensor.dtype.as_numpy_dtype)
    if t == "Pack":
        parts = [constant_value(i) for i in op.inputs]
        if any(p is None for p in parts):
            return None
        return np.stack(parts, axis=op._attrs.get("axis", 0))
    if t in ("ConcatV2",):
        parts = [constant_value(i) for i in op.inputs[:-1]]
        axis = constant_value(op.inputs[-1])
        if axis is None or any(p is None for p in parts):
            return None
        return np.concatenate(parts, axis=int(axis))
    return None


def constant_value_as_shape(tensor):
    """A TensorShape from a 1-D shape tensor, with unknown dims where values are unknown."""
    from .tensor_shape import TensorShape, unknown_shape
    v = constant_value(tensor)
    if v is not None:
        return TensorShape([None if d == -1 else int(d) for d in np.reshape(v, [-1])])
    if hasattr(tensor, "op"):
        op = tensor.op
        if op.type == "Shape":
            return op.inputs[0].shape
        if op.type == "Pack":
            dims = []
            for i in op.inputs:
                dv = constant_value(i)
                dims.append(None if dv is None or int(dv) == -1 else int(dv))
            return TensorShape(dims)
        if op.type == "ConcatV2":
            out = TensorShape([])
            for i in op.inputs[:-1]:
                out = out.concatenate(constant_value_as_shape(i))
            return out
        if op.type == "StridedSlice" and op.inputs[0].op.type == "Shape":
            sliced = _sliced_static_shape(op)
            if sliced is not None:
                return sliced
    shape = tensor.shape
    if shape.ndims == 1 and shape[0].value is not None:
        return unknown_shape(shape[0].value)
    return TensorShape(None)


def _sliced_static_shape(op):
    """``tf.shape(x)[a:b:c]`` as a partial TensorShape, from x's static shape (as TF does, only
    for constant bounds without ellipsis, new-axis or shrink masks)."""
    from .tensor_shape import TensorShape
    from ..kernels.array_kernels import strided_index
    attrs = op._attrs
    if attrs["ellipsis_mask"] or attrs["new_axis_mask"] or attrs["shrink_axis_mask"]:
        return None
    dims = op.inputs[0].op.inputs[0].shape
    spec = [constant_value(t) for t in op.inputs[1:]]
    if dims.ndims is None or any(v is None for v in spec):
        return None
    arr = np.empty(dims.ndims, dtype=object)
    arr[:] = list(dims.as_tuple())
    return TensorShape(list(arr[strided_index(arr.shape, *spec, **attrs)]))


# ---- TensorProto ----------------------------------------------------------------------
# the typed repeated field that holds each dtype's values when tensor_content is not used
_VALUE_FIELDS = {"float32": "float_val", "float64": "double_val", "int32": "int_val",
                 "uint8": "int_val", "int16": "int_val", "int8": "int_val", "uint16": "int_val",
                 "int64": "int64_val", "bool": "bool_val", "complex64": "scomplex_val",
                 "complex128": "dcomplex_val", "float16": "half_val", "uint32": "uint32_val",
                 "uint64": "uint64_val", "string": "string_val"}


def shape_proto(shape):
    """The TensorShapeProto of a shape (unknown dims as -1, unknown rank as ``unknown_rank``)."""
    from ..core.framework.tensor_shape_pb2 import TensorShapeProto
    from .tensor_shape import TensorShape
    shape = TensorShape(shape)
    if shape.ndims is None:
        return TensorShapeProto(unknown_rank=True)
    return TensorShapeProto(dim=[TensorShapeProto.Dim(size=-1 if d is None else d)
                                 for d in shape.as_list()])


def shape_from_proto(proto):
    """The TensorShape a TensorShapeProto describes."""
    from .tensor_shape import TensorShape
    if proto.unknown_rank:
        return TensorShape(None)
    return TensorShape([None if d.size < 0 else d.size for d in proto.dim])


def make_tensor_proto(values, dtype=None, shape=None, verify_shape: bool = False):
    """A TensorProto holding ``values`` as TensorFlow encodes it: numeric arrays of more than one
    element as raw ``tensor_content``, strings in ``string_val``, booleans, single values and
    values shorter than ``shape`` in the typed ``*_val`` field (a reader repeats the last value
    to fill ``shape``)."""
    from ..core.framework.tensor_pb2 import TensorProto
    from . import dtypes
    from .ops import infer_dtype, to_numpy
    dtype = dtypes.as_dtype(dtype) if dtype is not None else infer_dtype(values)
    array = to_numpy(values, dtype)
    if shape is None:
        shape = array.shape
    shape = tuple(int(d) for d in shape)
    size = int(np.prod(shape, dtype=np.int64))
    if verify_shape and array.shape != shape:
        raise TypeError(f"Expected Tensor's shape: {shape}, got {array.shape}.")
    if array.size > size:
        raise ValueError(f"Too many elements provided. Needed at most {size}, but received "
                         f"{array.size}")
    proto = TensorProto(dtype=dtype.as_datatype_enum, tensor_shape=shape_proto(shape))
    if array.size == size and size > 1 and dtype.name not in ("bool", "string"):
        proto.tensor_content = array.astype(array.dtype.newbyteorder("<")).tobytes()
        return proto
    flat = array.reshape(-1)
    if dtype.name == "float16":
        flat = flat.view(np.uint16)
    elif dtype.is_complex:
        flat = np.stack([flat.real, flat.imag], axis=-1).reshape(-1)
    getattr(proto, _VALUE_FIELDS[dtype.name]).extend(flat.tolist())
    return proto


def MakeNdarray(proto) -> np.ndarray:  # noqa: N802 - TensorFlow's name
    """The NumPy array a TensorProto holds (``tensor_content``, or the typed ``*_val`` field
    whose last value fills the rest of the shape)."""
    from . import dtypes
    dtype = dtypes.as_dtype(proto.dtype)
    shape = tuple(shape_from_proto(proto.tensor_shape).as_list())
    size = int(np.prod(shape, dtype=np.int64))
    if dtype.name == "string":
        values = np.array(list(proto.string_val), dtype=object)
    elif proto.tensor_content:
        little = np.dtype(dtype.as_numpy_dtype).newbyteorder("<")
        return np.frombuffer(proto.tensor_content, little).astype(dtype.as_numpy_dtype) \
            .reshape(shape)
    else:
        raw = list(getattr(proto, _VALUE_FIELDS[dtype.name]))
        if dtype.name == "float16":
            values = np.array(raw, np.uint16).view(np.float16)
        elif dtype.is_complex:
            pairs = np.array(raw, dtype.real_dtype.as_numpy_dtype).reshape(-1, 2)
            values = (pairs[:, 0] + 1j * pairs[:, 1]).astype(dtype.as_numpy_dtype)
        else:
            values = np.array(raw, dtype.as_numpy_dtype)
    if values.size == size:
        return values.reshape(shape)
    empty = b"" if dtype.name == "string" else 0
    filled = np.full(size, values[-1] if values.size else empty, values.dtype)
    filled[:values.size] = values
    return filled.reshape(shape)


make_ndarray = MakeNdarray
