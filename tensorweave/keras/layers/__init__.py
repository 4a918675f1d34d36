"""``tf.keras.layers``: every Keras layer class, and (de)serialization of layers by config.

Usage::

    layer = tf.keras.layers.Dense(10)
    config = tf.keras.layers.serialize(layer)     # {'class_name': 'Dense', 'config': {...}}
    again = tf.keras.layers.deserialize(config)

Layer families live in one module each and load on first use.
"""
from __future__ import annotations

import importlib

from ..engine.base_layer import InputSpec, Layer
from ..engine.input_layer import Input, InputLayer
from .core import (Activation, ActivityRegularization, Dense, Dropout, Flatten, Lambda,
                   Masking, Permute, RepeatVector, Reshape)

_FAMILIES = ("convolutional", "pooling", "normalization", "merge", "embeddings", "recurrent",
             "wrappers", "advanced_activations", "noise")


def _family_names() -> dict:
    names = {}
    for family in _FAMILIES:
        try:
            module = importlib.import_module(f".{family}", __name__)
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{family}":
                raise
            continue
        for name in getattr(module, "__all__", ()):
            names[name] = getattr(module, name)
    return names


def __getattr__(name: str):
    value = _family_names().get(name)
    if value is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def _registry() -> dict:
    from ..engine.network import Network
    from ..engine.sequential import Sequential
    from ..engine.training import Model
    table = {name: obj for name, obj in globals().items()
             if isinstance(obj, type) and issubclass(obj, Layer)}
    table.update({n: o for n, o in _family_names().items() if isinstance(o, type)})
    table.update(Network=Network, Model=Model, Functional=Model, Sequential=Sequential)
    return table


def serialize(layer) -> dict:
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def deserialize(config: dict, custom_objects=None):
    """The layer (or model) a ``{'class_name', 'config'}`` dict describes."""
    from ..utils.generic_utils import deserialize_keras_object
    return deserialize_keras_object(config, _registry(), custom_objects, "layer")
