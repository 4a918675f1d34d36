"""Keras ``Embedding``: integer ids -> rows of a learned ``[input_dim, output_dim]`` matrix.

Usage::

    vectors = tf.keras.layers.Embedding(10000, 64, mask_zero=True)(token_ids)

With ``mask_zero=True`` id 0 is padding: the layer's output mask is ``ids != 0``, which RNN and
pooling layers downstream respect.
"""
from __future__ import annotations

from ...framework import dtypes, ops
from ...framework.tensor_shape import TensorShape
from ...ops import array_ops, math_ops
from .. import constraints, initializers, regularizers
from ..engine.base_layer import Layer

__all__ = ["Embedding"]


class Embedding(Layer):
    """Look up ``embeddings[ids]``; output shape ``ids.shape + [output_dim]``."""

    def __init__(self, input_dim: int, output_dim: int, embeddings_initializer="uniform",
                 embeddings_regularizer=None, activity_regularizer=None,
                 embeddings_constraint=None, mask_zero: bool = False, input_length=None,
                 **kwargs):
        if "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length,) if isinstance(input_length, int) or \
                input_length is None else tuple(input_length)
        super().__init__(**kwargs)
        self.input_dim = int(input_dim)
        self.output_dim = int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.input_length = input_length

    def build(self, input_shape) -> None:
        self.embeddings = self.add_weight(name="embeddings",
                                          shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)
        self.built = True

    def call(self, inputs):
        ids = ops.convert_to_tensor(inputs)
        if ids.dtype not in (dtypes.int32, dtypes.int64):
            ids = math_ops.cast(ids, dtypes.int32)
        return array_ops.gather(self.embeddings, ids)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return math_ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        if self.input_length is not None:
            lengths = [self.input_length] if isinstance(self.input_length, int) \
                else list(self.input_length)
            dims = dims[:1] + [d if d is not None else n for d, n in zip(dims[1:], lengths)]
        return TensorShape(dims + [self.output_dim])

    def get_config(self) -> dict:
        return dict(super().get_config(), input_dim=self.input_dim, output_dim=self.output_dim,
                    embeddings_initializer=initializers.serialize(self.embeddings_initializer),
                    embeddings_regularizer=regularizers.serialize(self.embeddings_regularizer),
                    activity_regularizer=regularizers.serialize(self.activity_regularizer),
                    embeddings_constraint=constraints.serialize(self.embeddings_constraint),
                    mask_zero=self.mask_zero, input_length=self.input_length)
