"""Element structures of datasets: nests of tuples, namedtuples and dicts whose leaves are
``TensorSpec`` (dtype + static shape) or ``SparseTensorSpec``. Lists are leaves (converted to one
tensor), as in tf.data; so is a ``SparseTensorValue`` (one sparse component).

Usage: ``flatten({'a': 1, 'b': (2, 3)})`` -> ``[1, 2, 3]``; ``pack(structure, flat)`` rebuilds.
"""
from __future__ import annotations

import collections.abc as cabc
from typing import Any

from ..framework import dtypes
from ..framework.tensor_shape import as_shape

__all__ = ["TensorSpec", "SparseTensorSpec", "DatasetSpec", "flatten", "pack", "map_structure",
           "same_structure", "is_sparse", "component_specs", "to_components", "from_components"]


def _same_dtype_and_shape(a, b) -> bool:
    """Spec equality: same dtype and the same shape (an unknown rank equals only itself)."""
    if a.dtype != b.dtype:
        return False
    if a.shape.ndims is None or b.shape.ndims is None:
        return a.shape.ndims == b.shape.ndims
    return a.shape.as_tuple() == b.shape.as_tuple()


class TensorSpec:
    """The type of one component of a dataset element: ``TensorSpec(shape, dtype, name=None)``."""

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self.shape = as_shape(shape)
        self.dtype = dtypes.as_dtype(dtype)
        self.name = name

    def is_compatible_with(self, other) -> bool:
        return self.dtype == other.dtype and self.shape.is_compatible_with(other.shape)

    def __eq__(self, other):
        return isinstance(other, TensorSpec) and _same_dtype_and_shape(self, other)

    __hash__ = object.__hash__

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype={self.dtype!r}, name={self.name!r})"

    def is_dataset(self) -> bool:
        return False

    def with_shape(self, shape) -> "TensorSpec":
        return TensorSpec(shape, self.dtype)


class SparseTensorSpec:
    """The type of a SparseTensor component: ``shape`` is the dense shape, ``dtype`` the values'.

    In flat pipelines it is ONE element entry (a ``SparseTensorValue`` of ndarrays); at function
    and iterator boundaries it is three tensors (``component_specs``).
    """

    def __init__(self, shape=None, dtype=dtypes.float32):
        self.shape = as_shape(shape)
        self.dtype = dtypes.as_dtype(dtype)

    def with_shape(self, shape) -> "SparseTensorSpec":
        return SparseTensorSpec(shape, self.dtype)

    def is_compatible_with(self, other) -> bool:
        return isinstance(other, SparseTensorSpec) and self.dtype == other.dtype and \
            self.shape.is_compatible_with(other.shape)

    def __eq__(self, other):
        return isinstance(other, SparseTensorSpec) and _same_dtype_and_shape(self, other)

    __hash__ = object.__hash__

    def __repr__(self):
        return f"SparseTensorSpec({self.shape!r}, {self.dtype!r})"


def is_sparse(spec) -> bool:
    return isinstance(spec, SparseTensorSpec)


def component_specs(spec) -> list:
    """``[(dtype, shape), ...]`` of the tensors standing for one spec: one for a TensorSpec,
    (indices int64 [N, rank], values [N], dense_shape int64 [rank]) for a SparseTensorSpec."""
    if not is_sparse(spec):
        return [(spec.dtype, spec.shape)]
    rank = spec.shape.ndims
    return [(dtypes.int64, as_shape([None, rank])), (spec.dtype, as_shape([None])),
            (dtypes.int64, as_shape([rank]))]


def to_components(specs, values) -> list:
    """Flat element values -> flat component values (a SparseTensorValue gives three)."""
    out: list = []
    for s, v in zip(specs, values):
        if is_sparse(s):
            out.extend(v)
        else:
            out.append(v)
    return out


def from_components(specs, comps, make_sparse) -> list:
    """Inverse of ``to_components``: ``make_sparse(spec, indices, values, dense_shape)`` per
    sparse spec."""
    out, pos = [], 0
    for s in specs:
        if is_sparse(s):
            out.append(make_sparse(s, *comps[pos:pos + 3]))
            pos += 3
        else:
            out.append(comps[pos])
            pos += 1
    return out


class DatasetSpec:
    """The type of a dataset-valued component (the elements of ``Dataset.window``)."""

    def __init__(self, element_spec, dataset_shape=()):
        self.element_spec = element_spec
        self.shape = as_shape(dataset_shape)
        self.dtype = dtypes.variant

    def __repr__(self):
        return f"DatasetSpec({self.element_spec!r}, {self.shape!r})"


def _is_struct(x) -> bool:
    return isinstance(x, (tuple, cabc.Mapping)) and type(x).__name__ != "SparseTensorValue"


def _children(x) -> list:
    if isinstance(x, cabc.Mapping):
        return [x[k] for k in sorted(x)]
    return list(x)


def flatten(structure) -> list:
    """Leaves of ``structure`` (tuples, namedtuples, dicts by sorted key); others are leaves."""
    if not _is_struct(structure):
        return [structure]
    out: list = []
    for c in _children(structure):
        out.extend(flatten(c))
    return out


def pack(structure, flat) -> Any:
    """Rebuild ``structure``'s nesting with the leaves ``flat``."""
    return _pack(structure, iter(flat))


def _pack(s, leaves) -> Any:
    """``s`` rebuilt with leaves drawn from the iterator ``leaves`` (a module function: a
    recursive closure would be a reference cycle keeping the element's arrays alive)."""
    if not _is_struct(s):
        return next(leaves)
    kids = [_pack(c, leaves) for c in _children(s)]
    if isinstance(s, cabc.Mapping):
        return type(s)(zip(sorted(s), kids)) if type(s) is not dict else dict(zip(sorted(s), kids))
    if hasattr(type(s), "_fields"):
        return type(s)(*kids)
    return tuple(kids)


def map_structure(fn, structure) -> Any:
    return pack(structure, [fn(x) for x in flatten(structure)])


def same_structure(a, b) -> bool:
    if _is_struct(a) != _is_struct(b):
        return False
    if not _is_struct(a):
        return True
    if isinstance(a, cabc.Mapping) != isinstance(b, cabc.Mapping):
        return False
    if isinstance(a, cabc.Mapping) and sorted(a) != sorted(b):
        return False
    ca, cb = _children(a), _children(b)
    return len(ca) == len(cb) and all(same_structure(x, y) for x, y in zip(ca, cb))


def lists_to_tuples(value):
    """Function results: lists become tuples (TF2's tf.data does the same), recursively."""
    if isinstance(value, list):
        return tuple(lists_to_tuples(v) for v in value)
    if isinstance(value, cabc.Mapping):
        return type(value)((k, lists_to_tuples(v)) for k, v in value.items())
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):
        return type(value)(*[lists_to_tuples(v) for v in value])
    if isinstance(value, tuple):
        return tuple(lists_to_tuples(v) for v in value)
    return value


def flatten_up_to(structure, value) -> list:
    """Leaves of ``value`` taken at the leaf positions of ``structure`` (lists count as
    tuples where ``structure`` has a tuple); ValueError if the nesting differs."""
    if not _is_struct(structure):
        return [value]
    if isinstance(structure, cabc.Mapping):
        if not isinstance(value, cabc.Mapping) or sorted(value) != sorted(structure):
            raise ValueError("structure mismatch")
        return [x for k in sorted(structure) for x in flatten_up_to(structure[k], value[k])]
    if not isinstance(value, (tuple, list)) or len(value) != len(structure):
        raise ValueError("structure mismatch")
    return [x for s, v in zip(structure, value) for x in flatten_up_to(s, v)]
