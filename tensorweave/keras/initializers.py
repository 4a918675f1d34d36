"""Keras initializers (TF1 flavour: the ``tf.keras`` of TF 1.x uses the ``init_ops`` classes,
with Keras's own defaults for the random ones).

Usage: ``Dense(3, kernel_initializer="he_normal")`` or ``initializers.RandomNormal(stddev=0.1)``.
"""
from __future__ import annotations

from ..framework import dtypes
from ..ops import init_ops
from .utils.generic_utils import (deserialize_keras_object, object_from_identifier,
                                  serialize_keras_object)

__all__ = ["Initializer", "Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform",
           "TruncatedNormal", "VarianceScaling", "Orthogonal", "Identity", "GlorotUniform",
           "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform", "get",
           "serialize", "deserialize"]

Initializer = init_ops.Initializer
Zeros, Ones, Constant = init_ops.Zeros, init_ops.Ones, init_ops.Constant
VarianceScaling, Orthogonal, Identity = (init_ops.VarianceScaling, init_ops.Orthogonal,
                                         init_ops.Identity)
GlorotUniform, GlorotNormal = init_ops.GlorotUniform, init_ops.GlorotNormal


class RandomNormal(init_ops.RandomNormal):
    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(mean, stddev, seed, dtype)


class RandomUniform(init_ops.RandomUniform):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(minval, maxval, seed, dtype)


class TruncatedNormal(init_ops.TruncatedNormal):
    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(mean, stddev, seed, dtype)


def _scaling(name: str, scale: float, mode: str, distribution: str):
    """A VarianceScaling preset whose config is just its seed (HeNormal & co.)."""
    def __init__(self, seed=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed)

    return type(name, (VarianceScaling,), {"__init__": __init__,
                                           "get_config": lambda self: {"seed": self.seed},
                                           "__doc__": f"VarianceScaling({scale}, {mode!r}, "
                                                      f"{distribution!r}) preset."})


HeNormal = _scaling("HeNormal", 2.0, "fan_in", "truncated_normal")
HeUniform = _scaling("HeUniform", 2.0, "fan_in", "uniform")
LecunNormal = _scaling("LecunNormal", 1.0, "fan_in", "truncated_normal")
LecunUniform = _scaling("LecunUniform", 1.0, "fan_in", "uniform")

_BY_NAME = {
    "zeros": Zeros, "zero": Zeros, "ones": Ones, "one": Ones, "constant": Constant,
    "uniform": RandomUniform, "random_uniform": RandomUniform, "normal": RandomNormal,
    "random_normal": RandomNormal, "truncated_normal": TruncatedNormal,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal, "he_normal": HeNormal,
    "he_uniform": HeUniform, "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform,
    "orthogonal": Orthogonal, "identity": Identity, "variance_scaling": VarianceScaling,
}
_CLASSES = {c.__name__: c for c in (Zeros, Ones, Constant, RandomNormal, RandomUniform,
                                    TruncatedNormal, VarianceScaling, Orthogonal, Identity,
                                    GlorotUniform, GlorotNormal, HeNormal, HeUniform,
                                    LecunNormal, LecunUniform)}


def serialize(initializer):
    return serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    return deserialize_keras_object(config, dict(_CLASSES, **_BY_NAME), custom_objects,
                                    "initializer")


def get(identifier):
    """An initializer from a name, a config dict, an instance or a callable."""
    if identifier is None:
        return None
    return object_from_identifier(identifier, deserialize, "initializer")
