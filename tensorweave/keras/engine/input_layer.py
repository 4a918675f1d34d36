"""``Input`` and ``InputLayer``: where a functional model starts.

Usage::

    x = tf.keras.Input(shape=(32,))          # a placeholder named 'input_1' with Keras history
    y = tf.keras.layers.Dense(10)(x)
"""
from __future__ import annotations

from contextlib import nullcontext
from typing import Optional

from ...eager import context
from ...framework import dtypes, ops
from ...ops import constant_op
from .. import backend
from .base_layer import Layer, Node

__all__ = ["Input", "InputLayer"]


class InputLayer(Layer):
    """The layer behind an ``Input`` tensor: a placeholder (or a given tensor) with history."""

    def __init__(self, input_shape=None, batch_size=None, dtype=None, input_tensor=None,
                 sparse: bool = False, name: Optional[str] = None, batch_input_shape=None,
                 ragged: bool = False, optional: bool = False, **kwargs):
        if name is None:
            name = f"input_{backend.get_uid('input')}"
        if batch_input_shape is None and input_shape is not None:
            batch_input_shape = (batch_size,) + tuple(input_shape)
        if dtype is None:
            dtype = input_tensor.dtype.name if input_tensor is not None else backend.floatx()
        super().__init__(dtype=dtype, name=name)
        self.built = True
        self.sparse, self.ragged = bool(sparse), bool(ragged)
        if input_tensor is None:
            graph = backend.get_graph()
            mode = context.graph_mode() if context.executing_eagerly() else nullcontext()
            with mode, graph.as_default(), ops.name_scope(""):
                input_tensor = constant_op.placeholder(dtypes.as_dtype(dtype), batch_input_shape,
                                                     name=self.name)
        else:
            shape = input_tensor.shape
            batch_input_shape = None if shape.ndims is None else tuple(shape.as_list())
        self._batch_input_shape = batch_input_shape
        self.is_placeholder = input_tensor.op.type == "Placeholder"
        Node(self, [], [], [], [input_tensor], [input_tensor])
        input_tensor._keras_history = (self, 0, 0)
        input_tensor._keras_mask = None

    @property
    def output_shape(self):
        """A list holding the input's shape (as tf.keras reports it for input layers)."""
        return [self._batch_input_shape]

    def get_config(self) -> dict:
        return {"batch_input_shape": self._batch_input_shape, "dtype": self.dtype,
                "sparse": self.sparse, "ragged": self.ragged, "name": self.name,
                "optional": False}


def Input(shape=None, batch_size=None, name: Optional[str] = None, dtype=None,  # noqa: N802
          sparse: bool = False, tensor=None, batch_shape=None, **kwargs):
    """A symbolic input tensor: ``Input(shape=(32,))`` has static shape (None, 32)."""
    if shape is None and batch_shape is None and tensor is None:
        raise ValueError("Please provide to Input either a `shape` or a `tensor` argument. Note "
                         "that `shape` does not include the batch dimension.")
    layer = InputLayer(input_shape=shape, batch_size=batch_size, name=name, dtype=dtype,
                       sparse=sparse, input_tensor=tensor, batch_input_shape=batch_shape)
    return layer._inbound_nodes[0].output_tensors[0]
