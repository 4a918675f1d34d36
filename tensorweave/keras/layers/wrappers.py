"""Keras layer wrappers: ``TimeDistributed`` (apply a layer to every time step) and
``Bidirectional`` (run an RNN forwards and backwards and merge the results).

Usage::

    h = tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(8))(sequence)
    h = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(32, return_sequences=True))(x)

The wrapped layers are built inside the wrapper, so their weights are named after it
(``time_distributed/kernel:0``, ``bidirectional/forward_lstm/kernel:0``) and listed by it
(Bidirectional: forward weights, then backward weights).
"""
from __future__ import annotations

import inspect

from ...framework import ops
from ...framework.tensor_shape import TensorShape
from ...ops import array_ops
from ..engine.base_layer import InputSpec, Layer

__all__ = ["Wrapper", "TimeDistributed", "Bidirectional"]


def _accepts(layer, argument: str) -> bool:
    return argument in inspect.signature(layer.call).parameters


def _call_inner(layer, inputs, **kwargs):
    """``layer.call`` with only the keyword arguments its signature takes."""
    return layer.call(inputs, **{k: v for k, v in kwargs.items()
                                 if v is not None and _accepts(layer, k)})


def _dims(shape) -> list:
    return TensorShape(shape).as_list()


class Wrapper(Layer):
    """A layer holding another layer (``self.layer``, tracked: its weights are the wrapper's)."""

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Please initialize `{type(self).__name__}` with a `Layer` "
                             f"instance. Received: {layer!r}")
        super().__init__(**kwargs)
        self.layer = layer

    def get_config(self) -> dict:
        layer = {"class_name": type(self.layer).__name__, "config": self.layer.get_config()}
        return dict(super().get_config(), layer=layer)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from . import deserialize
        config = dict(config)
        layer = deserialize(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)


class TimeDistributed(Wrapper):
    """Apply ``layer`` to each slice ``inputs[:, t]`` of ``[batch, time, ...]`` inputs."""

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _step_shape(self, input_shape) -> TensorShape:
        dims = _dims(input_shape)
        if len(dims) < 3:
            raise ValueError(f"`TimeDistributed` layer {self.name} needs inputs of rank >= 3, "
                             f"got shape {dims}")
        return TensorShape([dims[0]] + dims[2:])

    def build(self, input_shape) -> None:
        dims = _dims(input_shape)
        self.input_spec = InputSpec(shape=[None] + dims[1:])
        if not self.layer.built:
            self.layer.build(self._step_shape(input_shape))
            self.layer.built = True
        self.built = True

    def call(self, inputs, training=None, mask=None):
        inputs = ops.convert_to_tensor(inputs)
        dims = inputs.shape.as_list()
        dynamic = array_ops.shape(inputs)
        batch = dims[0] if dims[0] is not None else dynamic[0]
        steps = dims[1] if dims[1] is not None else dynamic[1]
        inner = [-1] + [d if d is not None else dynamic[i + 2] for i, d in enumerate(dims[2:])]
        flat = array_ops.reshape(inputs, array_ops.stack(inner) if None in dims[2:] else inner)
        flat_mask = None
        if mask is not None and _accepts(self.layer, "mask"):
            flat_mask = array_ops.reshape(mask, [-1] + mask.shape.as_list()[2:])
        out = _call_inner(self.layer, flat, training=training, mask=flat_mask)
        out_dims = out.shape.as_list()
        out_dynamic = array_ops.shape(out)
        tail = [d if d is not None else out_dynamic[i + 1] for i, d in enumerate(out_dims[1:])]
        shape = [batch, steps] + tail
        out = array_ops.reshape(out, array_ops.stack(shape) if any(
            not isinstance(d, int) for d in shape) else shape)
        out.set_shape(self.compute_output_shape(inputs.shape))
        return out

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = _dims(input_shape)
        inner = _dims(self.layer.compute_output_shape(self._step_shape(input_shape)))
        return TensorShape([inner[0], dims[1]] + inner[1:])

    def compute_mask(self, inputs, mask=None):
        return mask


class Bidirectional(Wrapper):
    """Run a recurrent ``layer`` forwards and a copy of it backwards over the sequence and
    merge the outputs (``merge_mode``: ``'concat'``, ``'sum'``, ``'mul'``, ``'ave'`` or
    ``None`` for a list of both)."""

    _MODES = ("sum", "mul", "ave", "concat", None)

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None,
                 **kwargs):
        if merge_mode not in self._MODES:
            raise ValueError(f"Invalid merge mode {merge_mode!r}. Merge mode should be one of "
                             "{'sum', 'mul', 'ave', 'concat', None}")
        super().__init__(layer, weights=weights, **kwargs)
        self.forward_layer = self._copy(layer, "forward_", layer.go_backwards)
        if backward_layer is None:
            self.backward_layer = self._copy(layer, "backward_", not layer.go_backwards)
        else:
            self.backward_layer = backward_layer
        self._backward_given = backward_layer is not None
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        for inner in (self.forward_layer, self.backward_layer):  # masked steps align as zeros
            inner.zero_output_for_mask = self.return_sequences
        self.supports_masking = True

    @staticmethod
    def _copy(layer, prefix: str, go_backwards: bool):
        config = dict(layer.get_config(), name=prefix + layer.name, go_backwards=go_backwards)
        return type(layer).from_config(config)

    def build(self, input_shape) -> None:
        for layer in (self.forward_layer, self.backward_layer):
            if not layer.built:
                with ops.name_scope(layer.name):
                    layer.build(input_shape)
                layer.built = True
        self.built = True

    def call(self, inputs, training=None, mask=None, initial_state=None):
        states = {}
        if initial_state is not None:
            initial_state = list(initial_state)
            half = len(initial_state) // 2
            states = {"forward": initial_state[:half], "backward": initial_state[half:]}
        y = _call_inner(self.forward_layer, inputs, training=training, mask=mask,
                        initial_state=states.get("forward"))
        y_rev = _call_inner(self.backward_layer, inputs, training=training, mask=mask,
                            initial_state=states.get("backward"))
        if self.return_state:
            forward_states, backward_states = y[1:], y_rev[1:]
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = array_ops.reverse(y_rev, [1])
        if self.merge_mode == "concat":
            output = array_ops.concat([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = [y, y_rev]
        if self.return_state:
            output = (list(output) if self.merge_mode is None else [output]) + \
                list(forward_states) + list(backward_states)
        return output

    def compute_output_shape(self, input_shape):
        shape = self.forward_layer.compute_output_shape(input_shape)
        states = []
        if self.return_state:
            states = shape[1:] * 2
            shape = shape[0]
        dims = _dims(shape)
        if self.merge_mode == "concat":
            dims[-1] = None if dims[-1] is None else dims[-1] * 2
        output = [TensorShape(dims)] * 2 if self.merge_mode is None else [TensorShape(dims)]
        if self.return_state or self.merge_mode is None:
            return output + list(states)
        return output[0]

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        masks = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            return masks + [None] * (2 * len(self.forward_layer.states))
        return masks if self.merge_mode is None else masks[0]

    def get_config(self) -> dict:
        config = dict(super().get_config(), merge_mode=self.merge_mode)
        if self._backward_given:
            config["backward_layer"] = {"class_name": type(self.backward_layer).__name__,
                                        "config": self.backward_layer.get_config()}
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from . import deserialize
        config = dict(config)
        if "backward_layer" in config:
            config["backward_layer"] = deserialize(config["backward_layer"],
                                                   custom_objects=custom_objects)
        layer = deserialize(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
