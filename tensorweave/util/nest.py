"""Nested structures (lists, tuples, namedtuples, dicts) as TF's ``nest``: flatten and rebuild.

Usage: ``pack_sequence_as({'a': 0, 'b': (0, 0)}, [1, 2, 3])`` -> ``{'a': 1, 'b': (2, 3)}``.
Dicts are traversed in sorted key order, as TensorFlow does.
"""
from __future__ import annotations

import collections.abc as cabc

__all__ = ["is_sequence", "flatten", "pack_sequence_as", "map_structure", "assert_same_structure",
           "flatten_up_to"]


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_sequence(x) -> bool:
    """True for the containers nest descends into (not strings, not tensors, not arrays)."""
    if isinstance(x, (list, tuple, dict)):
        return True
    if isinstance(x, cabc.Mapping):
        return True
    return hasattr(x, "__attrs_attrs__")


is_nested = is_sequence


def _sorted_keys(d):
    try:
        return sorted(d)
    except TypeError:
        return list(d)


def _children(x):
    if isinstance(x, cabc.Mapping):
        return [x[k] for k in _sorted_keys(x)]
    if hasattr(x, "__attrs_attrs__"):
        return [getattr(x, a.name) for a in x.__attrs_attrs__]
    return list(x)


def flatten(structure) -> list:
    """The leaves of ``structure`` in order; a non-sequence gives ``[structure]``."""
    if not is_sequence(structure):
        return [structure]
    out: list = []
    _flatten_into(structure, out)
    return out


# The recursive helpers are module functions, not closures: a closure that calls itself is a
# reference cycle, and it would keep the leaves it sees (often large arrays) alive until the
# garbage collector's next pass.
def _flatten_into(structure, out: list) -> None:
    for c in _children(structure):
        if is_sequence(c):
            _flatten_into(c, out)
        else:
            out.append(c)


def _pack(structure, leaves):
    """``structure`` rebuilt with leaves drawn in order from the iterator ``leaves``."""
    return _rebuild(structure, [_pack(c, leaves) if is_sequence(c) else next(leaves)
                                for c in _children(structure)])


def _rebuild(template, children):
    if isinstance(template, cabc.Mapping):
        mapping = dict(zip(_sorted_keys(template), children))
        if type(template) is dict:
            return {k: mapping[k] for k in template}
        try:
            return type(template)((k, mapping[k]) for k in template)
        except TypeError:
            return {k: mapping[k] for k in template}
    if _is_namedtuple(template):
        return type(template)(*children)
    if hasattr(template, "__attrs_attrs__"):
        return type(template)(*children)
    if isinstance(template, tuple):
        return tuple(children)
    return list(children)


def pack_sequence_as(structure, flat_sequence):
    """Rebuild ``structure``'s nesting with the leaves taken from ``flat_sequence``."""
    flat_sequence = list(flat_sequence)
    if not is_sequence(structure):
        if len(flat_sequence) != 1:
            raise ValueError(f"Structure is a scalar but len(flat_sequence) == {len(flat_sequence)} > 1")
        return flat_sequence[0]
    n = len(flatten(structure))
    if n != len(flat_sequence):
        raise ValueError(f"Could not pack sequence. Structure had {n} elements, but "
                         f"flat_sequence had {len(flat_sequence)} elements.")
    return _pack(structure, iter(flat_sequence))


def assert_same_structure(a, b, check_types: bool = True) -> None:
    if is_sequence(a) != is_sequence(b):
        raise ValueError(f"The two structures don't have the same nested structure.\n\nFirst "
                         f"structure: {a}\n\nSecond structure: {b}")
    if not is_sequence(a):
        return
    if check_types and type(a) is not type(b) and not (
            isinstance(a, cabc.Mapping) and isinstance(b, cabc.Mapping)):
        raise TypeError(f"The two structures don't have the same sequence type. First structure "
                        f"has type {type(a)}, while second structure has type {type(b)}.")
    ca, cb = _children(a), _children(b)
    if len(ca) != len(cb):
        raise ValueError(f"The two structures don't have the same number of elements.\n\nFirst "
                         f"structure: {a}\n\nSecond structure: {b}")
    if isinstance(a, cabc.Mapping) and set(a) != set(b):
        raise ValueError(f"The two dictionaries don't have the same set of keys: {list(a)} vs {list(b)}")
    for x, y in zip(ca, cb):
        assert_same_structure(x, y, check_types)


def map_structure(func, *structures, **kwargs):
    """Apply ``func`` leaf-wise across structures of the same shape."""
    check_types = kwargs.pop("check_types", True)
    for s in structures[1:]:
        assert_same_structure(structures[0], s, check_types=check_types)
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [func(*xs) for xs in zip(*flats)])


def flatten_up_to(shallow, deep) -> list:
    """Flatten ``deep`` only as far as ``shallow``'s nesting goes."""
    if not is_sequence(shallow):
        return [deep]
    out = []
    for s, d in zip(_children(shallow), _children(deep)):
        out.extend(flatten_up_to(s, d))
    return out
