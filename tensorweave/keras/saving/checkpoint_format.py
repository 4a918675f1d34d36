"""``save_weights``/``load_weights`` in TensorFlow's checkpoint format, keyed as tf.keras keys it.

tf.keras saves a model's weights as an object-based checkpoint: each variable under the path of
objects leading to it (``layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE``,
``layer_with_weights-1/forward_layer/cell/kernel/...``; subclassed models name attributes:
``blocks/0/kernel/...``) plus ``_CHECKPOINTABLE_OBJECT_GRAPH``, a serialized
``TrackableObjectGraph`` proto that TensorFlow walks when restoring. Both are written here, so
TensorFlow restores these files; reading uses the keys, so tf.keras files load here (optimizer
slots in them are ignored). The tensors go through ``train/tensor_bundle.py``.

Usage::

    save_weights_to_checkpoint(model, "/tmp/ckpt/weights")
    load_weights_from_checkpoint(model, "/tmp/ckpt/weights")
"""
from __future__ import annotations

import os
from typing import Dict, Iterator, List, Tuple

import numpy as np

from ...framework import dtypes, errors
from ...train import checkpoint_management
from ...train.tensor_bundle import BundleReader, _field_bytes, _field_varint, write_bundle
from .hdf5_format import layer_weights

OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
_VALUE_SUFFIX = ".ATTRIBUTES/VARIABLE_VALUE"


def _weight_attribute(weight) -> str:
    """The name a layer gave ``add_weight``: ``dense/kernel:0`` -> ``kernel``."""
    return getattr(weight, "name", "").split(":")[0].split("/")[-1]


def _is_layer(value) -> bool:
    return hasattr(value, "trainable_weights") and hasattr(value, "non_trainable_weights")


def _tracked_children(obj) -> Iterator[Tuple[Tuple[str, ...], object]]:
    """(path steps, layer) of the layers ``obj`` tracks, named as TF's object graph names them.

    Functional and Sequential models track their layers with weights as
    ``layer_with_weights-k``; other layers and subclassed models by attribute name (lists by
    index, dicts by key: ``blocks/0``), e.g. an LSTM's ``cell`` or Bidirectional's
    ``forward_layer``.
    """
    if getattr(obj, "_is_graph_network", False):
        with_weights = [layer for layer in obj.layers if layer_weights(layer)]
        for k, layer in enumerate(with_weights):
            yield (f"layer_with_weights-{k}",), layer
        return
    for name, value in vars(obj).items():
        if name.startswith("_"):
            continue
        if _is_layer(value):
            yield (name,), value
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if _is_layer(item):
                    yield (name, str(i)), item
        elif isinstance(value, dict):
            for key, item in value.items():
                if _is_layer(item):
                    yield (name, str(key)), item


def _path_to(obj, weight) -> Tuple[str, ...]:
    for steps, child in _tracked_children(obj):
        if any(w is weight for w in layer_weights(child)):
            return steps + _path_to(child, weight)
    return (_weight_attribute(weight),)


def trackable_paths(model) -> Iterator[Tuple[Tuple[str, ...], object]]:
    """(object path, variable) for every weight of ``model``, as tf.keras tracks them."""
    for weight in layer_weights(model):
        yield _path_to(model, weight), weight


def checkpoint_key(path: Tuple[str, ...]) -> str:
    """``("layer_with_weights-0", "kernel")`` -> ``layer_with_weights-0/kernel/.ATTRIBUTES/...``."""
    return "/".join(path) + "/" + _VALUE_SUFFIX


def _object_graph(paths: List[Tuple[Tuple[str, ...], object]]) -> bytes:
    """The ``TrackableObjectGraph`` proto of ``paths``: node 0 is the model, leaves variables."""
    children: List[Dict[str, int]] = [{}]
    attributes: Dict[int, bytes] = {}
    for path, weight in paths:
        node = 0
        for name in path:
            if name not in children[node]:
                children[node][name] = len(children)
                children.append({})
            node = children[node][name]
        full_name = getattr(weight, "name", "/".join(path)).split(":")[0]
        attributes[node] = (_field_bytes(1, b"VARIABLE_VALUE")
                            + _field_bytes(2, full_name.encode("utf-8"))
                            + _field_bytes(3, checkpoint_key(path).encode("utf-8")))
    nodes = b""
    for node, refs in enumerate(children):
        body = b"".join(_field_bytes(1, _field_varint(1, child) + _field_bytes(2, name.encode()))
                        for name, child in refs.items())
        if node in attributes:
            body += _field_bytes(2, attributes[node])
        nodes += _field_bytes(1, body, always=True)
    return nodes


def save_weights_to_checkpoint(model, prefix: str) -> None:
    """Write ``model``'s weights as the checkpoint ``prefix`` and update its ``checkpoint`` file."""
    from .. import backend as K
    paths = list(trackable_paths(model))
    keys = [checkpoint_key(path) for path, _ in paths]
    if len(set(keys)) != len(keys):
        duplicated = sorted({k for k in keys if keys.count(k) > 1})
        raise ValueError(f"Model {model.name!r} has several weights under the checkpoint "
                         f"keys {duplicated}; save it as HDF5 instead")
    values = K.batch_get_value([weight for _, weight in paths])
    tensors = dict(zip(keys, values))
    tensors[OBJECT_GRAPH_KEY] = np.array(_object_graph(paths), dtype=object)
    write_bundle(prefix, tensors, {OBJECT_GRAPH_KEY: dtypes.string})
    checkpoint_management.update_checkpoint_state(os.path.dirname(prefix), prefix,
                                                  [prefix])


def load_weights_from_checkpoint(model, prefix: str) -> None:
    """Assign every weight of ``model`` from the checkpoint ``prefix`` (written here or by TF)."""
    from .. import backend as K
    reader = BundleReader(prefix)
    saved = set(reader.names())
    pairs = []
    for path, weight in trackable_paths(model):
        key = checkpoint_key(path)
        if key not in saved:
            raise errors.NotFoundError(
                None, None, f"Weight {weight.name!r} of model {model.name!r} has no value in "
                            f"checkpoint {prefix!r} (key {key!r} not found)")
        value = reader.tensor(key)
        expected = tuple(weight.shape.as_list())
        if value.shape != expected:
            raise ValueError(f"Shape mismatch for weight {weight.name!r} of model "
                             f"{model.name!r}: the model's weight has shape {expected}, but "
                             f"checkpoint key {key!r} has shape {value.shape}")
        pairs.append((weight, value))
    K.batch_set_value(pairs)
