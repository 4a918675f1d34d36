"""Keras ``BatchNormalization`` and ``LayerNormalization``.

Usage::

    h = tf.keras.layers.BatchNormalization(axis=-1, momentum=0.99)(h, training=is_training)
    h = tf.keras.layers.LayerNormalization()(h)

``BatchNormalization`` weights are ``gamma, beta, moving_mean, moving_variance`` (in that order).
In training (``training=True``, or ``training=None`` with the learning phase on) it normalizes with
the batch statistics and moves the moving statistics by ``moving -= (moving - batch) *
(1 - momentum)``: eagerly at once, in a graph through ``layer.updates`` (run by Keras's fit, or
by the user). Rank-4 inputs with the channel axis 1 or 3 use one fused op (whose variance for
the moving average is the unbiased one, as TF's); others use ``tf.nn.moments``.
"""
from __future__ import annotations

from ...eager import context
from ...framework import ops
from ...framework.tensor_shape import TensorShape
from ...framework.tensor_util import constant_value
from ...ops import array_ops, math_ops, nn_impl, state_ops
from ...ops.control_flow_ops import smart_cond
from .. import backend, constraints, initializers, regularizers
from ..engine.base_layer import InputSpec, Layer

__all__ = ["BatchNormalization", "LayerNormalization"]


def _axes(axis, ndims: int, layer: str) -> list:
    """``axis`` (an int or a list) as sorted non-negative axes of a rank-``ndims`` input."""
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    out = sorted(a + ndims if a < 0 else a for a in axes)
    if any(not 0 <= a < ndims for a in out) or len(set(out)) != len(out):
        raise ValueError(f"Invalid axis {axis} for layer {layer} on inputs of rank {ndims}")
    return out


def _static_bool(value):
    """``value`` as a Python bool when known at graph-construction time, else ``None``."""
    if ops.is_tensor(value):
        value = constant_value(value)
        return None if value is None else bool(value)
    return bool(value)


class _Normalization(Layer):
    """Shared constructor/config of the normalization layers (gamma/beta options)."""

    def __init__(self, axis, epsilon, center, scale, beta_initializer, gamma_initializer,
                 beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint,
                 **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def _build_axes(self, input_shape) -> list:
        dims = TensorShape(input_shape).as_list()
        self.axis = _axes(self.axis, len(dims), self.name)
        param = [dims[a] for a in self.axis]
        if None in param:
            raise ValueError(f"Layer {self.name}: the normalized axes {self.axis} of the input "
                             f"shape {dims} must be defined")
        self.input_spec = InputSpec(ndim=len(dims), axes={a: dims[a] for a in self.axis})
        return param

    def _build_gamma_beta(self, param: list) -> None:
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(name="gamma", shape=param,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(name="beta", shape=param,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)

    def _broadcast(self, tensor, ndims: int):
        """A parameter shaped like the normalized axes, reshaped to broadcast over inputs."""
        if tensor is None or self.axis == list(range(ndims - len(self.axis), ndims)):
            return tensor
        shape = [1] * ndims
        for a, d in zip(self.axis, tensor.shape.as_list()):
            shape[a] = d
        return array_ops.reshape(tensor, shape)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return dict(super().get_config(), axis=self.axis, epsilon=self.epsilon,
                    center=self.center, scale=self.scale,
                    beta_initializer=initializers.serialize(self.beta_initializer),
                    gamma_initializer=initializers.serialize(self.gamma_initializer),
                    beta_regularizer=regularizers.serialize(self.beta_regularizer),
                    gamma_regularizer=regularizers.serialize(self.gamma_regularizer),
                    beta_constraint=constraints.serialize(self.beta_constraint),
                    gamma_constraint=constraints.serialize(self.gamma_constraint))


class BatchNormalization(_Normalization):
    """Normalize each feature along ``axis`` with batch statistics in training and moving
    statistics in inference."""

    def __init__(self, axis=-1, momentum: float = 0.99, epsilon: float = 1e-3,
                 center: bool = True, scale: bool = True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm: bool = False, renorm_clipping=None, renorm_momentum: float = 0.99,
                 fused=None, virtual_batch_size=None, adjustment=None, **kwargs):
        super().__init__(axis, epsilon, center, scale, beta_initializer, gamma_initializer,
                         beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint,
                         **kwargs)
        if renorm or virtual_batch_size is not None or adjustment is not None:
            raise NotImplementedError(f"BatchNormalization {self.name}: renorm, "
                                      "virtual_batch_size and adjustment are not supported")
        del renorm_clipping, renorm_momentum
        self.momentum = momentum
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.fused = fused

    def build(self, input_shape) -> None:
        ndims = TensorShape(input_shape).ndims
        param = self._build_axes(input_shape)
        can_fuse = ndims == 4 and self.axis in ([1], [3])
        if self.fused and not can_fuse:
            raise ValueError(f"BatchNormalization {self.name}: fused=True needs rank-4 inputs "
                             f"normalized on axis 1 or 3, got axis={self.axis} and rank {ndims}")
        self.fused = can_fuse if self.fused is None else self.fused
        self._build_gamma_beta(param)
        self.moving_mean = self.add_weight(name="moving_mean", shape=param, trainable=False,
                                           initializer=self.moving_mean_initializer)
        self.moving_variance = self.add_weight(name="moving_variance", shape=param,
                                               trainable=False,
                                               initializer=self.moving_variance_initializer)
        self.built = True

    def call(self, inputs, training=None):
        inputs = ops.convert_to_tensor(inputs)
        if training is None:
            training = backend.learning_phase()
        static = _static_bool(training)
        if static is False:
            return self._normalize(inputs, self.moving_mean, self.moving_variance, False)[0]
        if static is True:
            out, mean, variance = self._normalize(inputs, None, None, True)
        else:
            out, mean, variance = smart_cond(
                training, lambda: self._normalize(inputs, None, None, True),
                lambda: self._normalize(inputs, self.moving_mean, self.moving_variance, False))
        self._update_moving(self.moving_mean, mean)
        self._update_moving(self.moving_variance, variance)
        return out

    def _normalize(self, inputs, mean, variance, training: bool):
        """(output, mean, variance): batch statistics when ``mean`` is None, else the given."""
        ndims = inputs.shape.ndims
        gamma, beta = self.gamma, self.beta
        if self.fused:
            size = self.moving_mean.shape.as_list()
            gamma = gamma if gamma is not None else array_ops.ones(size, inputs.dtype)
            beta = beta if beta is not None else array_ops.zeros(size, inputs.dtype)
            out, mean, variance = nn_impl.fused_batch_norm(
                inputs, gamma, beta, mean=mean, variance=variance, epsilon=self.epsilon,
                is_training=training, data_format="NCHW" if self.axis == [1] else "NHWC")
            return out, mean, variance
        if training:
            reduction = [i for i in range(ndims) if i not in self.axis]
            mean, variance = nn_impl.moments(inputs, reduction)
        else:
            mean, variance = ops.convert_to_tensor(mean), ops.convert_to_tensor(variance)
        out = nn_impl.batch_normalization(inputs, self._broadcast(mean, ndims),
                                          self._broadcast(variance, ndims),
                                          self._broadcast(beta, ndims),
                                          self._broadcast(gamma, ndims), self.epsilon)
        return out, mean, variance

    def _update_moving(self, variable, value) -> None:
        with ops.name_scope("AssignMovingAvg"):
            decay = 1.0 - self.momentum
            delta = (variable - math_ops.cast(value, variable.dtype.base_dtype)) * decay
            update = state_ops.assign_sub(variable, delta)
        if not context.executing_eagerly():
            self.add_update(update, inputs=True)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            momentum=self.momentum,
            moving_mean_initializer=initializers.serialize(self.moving_mean_initializer),
            moving_variance_initializer=initializers.serialize(self.moving_variance_initializer))
        return config


class LayerNormalization(_Normalization):
    """Normalize each example over ``axis`` (default: the last), then scale by ``gamma`` and
    shift by ``beta``."""

    def __init__(self, axis=-1, epsilon: float = 1e-3, center: bool = True, scale: bool = True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(axis, epsilon, center, scale, beta_initializer, gamma_initializer,
                         beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint,
                         **kwargs)

    def build(self, input_shape) -> None:
        self._build_gamma_beta(self._build_axes(input_shape))
        self.built = True

    def call(self, inputs):
        inputs = ops.convert_to_tensor(inputs)
        ndims = inputs.shape.ndims
        mean, variance = nn_impl.moments(inputs, self.axis, keep_dims=True)
        return nn_impl.batch_normalization(inputs, mean, variance,
                                           self._broadcast(self.beta, ndims),
                                           self._broadcast(self.gamma, ndims), self.epsilon)
