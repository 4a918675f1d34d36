"""Keras weight regularizers: ``l1``, ``l2``, ``l1_l2`` by name or object.

Usage: ``Dense(3, kernel_regularizer=regularizers.l2(0.01))``; the penalty goes to
``layer.losses`` (and so into the loss ``fit`` minimizes).
"""
from __future__ import annotations

import numpy as np

from ..framework import ops
from ..ops import math_ops
from .utils.generic_utils import (deserialize_keras_object, object_from_identifier,
                                  serialize_keras_object)

__all__ = ["Regularizer", "L1L2", "L1", "L2", "l1", "l2", "l1_l2", "get", "serialize",
           "deserialize"]


def _f32(value) -> float:
    return float(np.float32(value))


class Regularizer:
    def __call__(self, x):
        return 0.0

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


class L1L2(Regularizer):
    """``l1 * sum(|x|) + l2 * sum(x^2)``."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = _f32(l1), _f32(l2)

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        total = None
        if self.l1:
            total = ops.convert_to_tensor(self.l1, x.dtype) * math_ops.reduce_sum(math_ops.abs(x))
        if self.l2:
            term = ops.convert_to_tensor(self.l2, x.dtype) * math_ops.reduce_sum(math_ops.square(x))
            total = term if total is None else total + term
        return ops.convert_to_tensor(0.0, x.dtype) if total is None else total

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self) -> dict:
        return {"l2": self.l2}


def l1(l1=0.01):  # noqa: E741 - Keras's names
    return L1(l1)


def l2(l2=0.01):
    return L2(l2)


def l1_l2(l1=0.01, l2=0.01):  # noqa: E741
    return L1L2(l1, l2)


_OBJECTS = {"L1L2": L1L2, "L1": L1, "L2": L2, "l1": L1, "l2": L2, "l1_l2": l1_l2}


def serialize(regularizer):
    return serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    return deserialize_keras_object(config, _OBJECTS, custom_objects, "regularizer")


def get(identifier):
    if identifier is None:
        return None
    return object_from_identifier(identifier, deserialize, "regularizer")
