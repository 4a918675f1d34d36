"""Keras core layers: Dense, Activation, Dropout, Flatten, Reshape, Permute, RepeatVector,
Lambda, Masking, ActivityRegularization.

Usage::

    h = tf.keras.layers.Dense(64, activation="relu")(x)     # weights dense/kernel, dense/bias
    h = tf.keras.layers.Dropout(0.5)(h)                      # active while training
"""
from __future__ import annotations

import numpy as np

from ...framework import ops
from ...framework.tensor_shape import TensorShape
from ...ops import array_ops, math_ops, nn_impl, nn_ops
from ...ops.control_flow_ops import smart_cond
from .. import activations, backend, constraints, initializers, regularizers
from ..engine.base_layer import InputSpec, Layer

__all__ = ["Dense", "Activation", "Dropout", "Flatten", "Reshape", "Permute", "RepeatVector",
           "Lambda", "Masking", "ActivityRegularization"]


def _training_flag(training):
    return backend.learning_phase() if training is None else training


class Dense(Layer):
    """``activation(inputs @ kernel + bias)`` on the last axis."""

    def __init__(self, units: int, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape) -> None:
        last = TensorShape(input_shape)[-1].value
        if last is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                             "Found `None`.")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: last})
        self.kernel = self.add_weight("kernel", [last, self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight("bias", [self.units], initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None
        self.built = True

    def call(self, inputs):
        inputs = ops.convert_to_tensor(inputs)
        if inputs.shape.ndims == 2:
            out = math_ops.matmul(inputs, self.kernel)
        else:
            out = math_ops.tensordot(inputs, self.kernel, [[inputs.shape.ndims - 1], [0]])
            out.set_shape(inputs.shape[:-1].concatenate([self.units]))
        if self.use_bias:
            out = nn_ops.bias_add(out, self.bias)
        return self.activation(out)

    def compute_output_shape(self, input_shape):
        return TensorShape(input_shape)[:-1].concatenate([self.units])

    def get_config(self) -> dict:
        return dict(super().get_config(), units=self.units,
                    activation=activations.serialize(self.activation), use_bias=self.use_bias,
                    kernel_initializer=initializers.serialize(self.kernel_initializer),
                    bias_initializer=initializers.serialize(self.bias_initializer),
                    kernel_regularizer=regularizers.serialize(self.kernel_regularizer),
                    bias_regularizer=regularizers.serialize(self.bias_regularizer),
                    activity_regularizer=regularizers.serialize(self.activity_regularizer),
                    kernel_constraint=constraints.serialize(self.kernel_constraint),
                    bias_constraint=constraints.serialize(self.bias_constraint))


class Activation(Layer):
    """Apply an activation function: ``Activation("relu")``."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return dict(super().get_config(), activation=activations.serialize(self.activation))


class Dropout(Layer):
    """Zero a fraction ``rate`` of the inputs while training (scaling the rest by 1/(1-rate))."""

    def __init__(self, rate: float, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs, training=None):
        if self.rate == 0:
            return array_ops.identity(inputs)
        shape = self.noise_shape
        if shape is not None:
            dynamic = array_ops.shape(inputs)
            shape = [dynamic[i] if d is None else d for i, d in enumerate(shape)]
        return smart_cond(_training_flag(training),
                          lambda: nn_impl.dropout(inputs, rate=self.rate, noise_shape=shape,
                                                  seed=self.seed),
                          lambda: array_ops.identity(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return dict(super().get_config(), rate=self.rate, noise_shape=self.noise_shape,
                    seed=self.seed)


class Flatten(Layer):
    """Collapse every axis but the batch axis (``channels_first`` inputs are made channels-last
    first, so weights stay interchangeable)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or backend.image_data_format()
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        inputs = ops.convert_to_tensor(inputs)
        nd = inputs.shape.ndims
        if self.data_format == "channels_first" and nd is not None and nd > 2:
            inputs = array_ops.transpose(inputs, [0] + list(range(2, nd)) + [1])
        rest = inputs.shape.as_list()[1:] if nd is not None else [None]
        if None not in rest:
            return array_ops.reshape(inputs, [-1, int(np.prod(rest))])
        return array_ops.reshape(inputs, array_ops.stack([array_ops.shape(inputs)[0], -1]))

    def compute_output_shape(self, input_shape):
        shape = TensorShape(input_shape).as_list()
        rest = shape[1:]
        return TensorShape([shape[0], None if None in rest else int(np.prod(rest))])

    def get_config(self) -> dict:
        return dict(super().get_config(), data_format=self.data_format)


class Reshape(Layer):
    """Reshape to ``(batch,) + target_shape`` (one entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)

    def _resolved(self, input_shape) -> list:
        rest = TensorShape(input_shape).as_list()[1:]
        target = list(self.target_shape)
        if -1 in target and None not in rest:
            known = int(np.prod([d for d in target if d != -1]))
            total = int(np.prod(rest))
            if known == 0 or total % known:
                raise ValueError(f"total size of new array must be unchanged, input_shape = "
                                 f"{rest}, output_shape = {target}")
            target[target.index(-1)] = total // known
        elif None not in rest and int(np.prod(rest)) != int(np.prod(target)):
            raise ValueError(f"total size of new array must be unchanged, input_shape = {rest}, "
                             f"output_shape = {target}")
        return [None if d == -1 else d for d in target]

    def call(self, inputs):
        inputs = ops.convert_to_tensor(inputs)
        out = array_ops.reshape(inputs, array_ops.concat(
            [array_ops.shape(inputs)[:1], list(self.target_shape)], 0))
        out.set_shape(self.compute_output_shape(inputs.shape))
        return out

    def compute_output_shape(self, input_shape):
        return TensorShape([TensorShape(input_shape)[0].value] + self._resolved(input_shape))

    def get_config(self) -> dict:
        return dict(super().get_config(), target_shape=self.target_shape)


class Permute(Layer):
    """Permute the non-batch axes: ``Permute((2, 1))`` swaps them (1-based, as Keras)."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(f"Invalid permutation `dims` for Permute Layer: {dims}. The set of "
                             f"indices in `dims` must be consecutive and start from 1.")

    def call(self, inputs):
        return array_ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        shape = TensorShape(input_shape).as_list()
        return TensorShape([shape[0]] + [shape[d] for d in self.dims])

    def get_config(self) -> dict:
        return dict(super().get_config(), dims=self.dims)


class RepeatVector(Layer):
    """(batch, features) -> (batch, n, features)."""

    def __init__(self, n: int, **kwargs):
        super().__init__(**kwargs)
        self.n = int(n)
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return array_ops.tile(array_ops.expand_dims(inputs, 1), [1, self.n, 1])

    def compute_output_shape(self, input_shape):
        shape = TensorShape(input_shape).as_list()
        return TensorShape([shape[0], self.n, shape[1]])

    def get_config(self) -> dict:
        return dict(super().get_config(), n=self.n)


class Lambda(Layer):
    """Wrap a function of tensors as a layer: ``Lambda(lambda x: x ** 2)``.

    Serialized by the function's name (Keras also marshals bytecode; tensorweave never writes or
    executes code from files — pass the function in ``custom_objects`` when loading)."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.function = function
        self.arguments = arguments or {}
        self._output_shape = output_shape
        self.mask = mask
        self.supports_masking = mask is not None

    def call(self, inputs, mask=None):
        return self.function(inputs, **self.arguments)

    def compute_mask(self, inputs, mask=None):
        return self.mask(inputs, mask) if callable(self.mask) else self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return TensorShape(self._output_shape(input_shape))
        batch = TensorShape(input_shape if not isinstance(input_shape, list)
                            else input_shape[0])[0].value
        return TensorShape([batch] + list(self._output_shape))

    def get_config(self) -> dict:
        name = getattr(self.function, "__name__", None)
        if name is None or name == "<lambda>":
            raise ValueError(f"Layer {self.name}: a Lambda wrapping an anonymous function cannot "
                             f"be serialized by tensorweave; use a named function.")
        output_shape = self._output_shape
        if callable(output_shape):
            output_shape, shape_type = output_shape.__name__, "function"
        else:
            shape_type = "raw"
        return dict(super().get_config(), function=name, function_type="function",
                    module=getattr(self.function, "__module__", None),
                    output_shape=output_shape, output_shape_type=shape_type,
                    output_shape_module=None, arguments=self.arguments)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from ..utils.generic_utils import deserialize_keras_object
        config = dict(config)
        function = config.pop("function")
        if config.pop("function_type", "function") != "function":
            raise ValueError(f"Lambda layer {config.get('name')}: its function was saved as "
                             f"bytecode; tensorweave never executes code from a file. Pass the "
                             f"function as custom_objects and save it by name.")
        config["function"] = deserialize_keras_object(function, {}, custom_objects,
                                                      "function in Lambda layer")
        shape = config.pop("output_shape", None)
        if config.pop("output_shape_type", "raw") == "function" and shape is not None:
            shape = deserialize_keras_object(shape, {}, custom_objects, "output_shape function")
        config.pop("module", None)
        config.pop("output_shape_module", None)
        return cls(output_shape=shape, **config)


class Masking(Layer):
    """Mask timesteps whose features all equal ``mask_value`` (and zero them)."""

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.mask_value = mask_value

    def compute_mask(self, inputs, mask=None):
        return math_ops.reduce_any(math_ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = math_ops.reduce_any(math_ops.not_equal(inputs, self.mask_value), axis=-1,
                                   keepdims=True)
        return inputs * math_ops.cast(keep, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return dict(super().get_config(), mask_value=self.mask_value)


class ActivityRegularization(Layer):
    """Identity that adds an L1/L2 penalty on its input to the model's losses."""

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1, self.l2 = l1, l2

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = dict(super().get_config(), l1=self.l1, l2=self.l2)
        return config
