"""Keras recurrent layers: the cells ``SimpleRNNCell``, ``LSTMCell``, ``GRUCell`` (and
``StackedRNNCells``), the generic ``RNN(cell)`` layer and ``SimpleRNN``, ``LSTM``, ``GRU``.

Usage::

    h = tf.keras.layers.LSTM(64, return_sequences=True)(embedded)        # [batch, time, 64]
    out, h, c = tf.keras.layers.LSTM(32, return_state=True)(h)

A static time axis is unrolled (one set of plain ops per step); an unknown one runs in a
``tf.while_loop``. The input projection of every step is one matrix product up front. Masked
steps (a Keras mask from ``Embedding(mask_zero=True)``/``Masking`` or ``mask=``) carry the
previous output and states forward. Weights are ``kernel``, ``recurrent_kernel``, ``bias``
with Keras's gate order (LSTM: i, f, c, o; GRU: z, r, h), named after the layer
(``lstm/kernel:0``) as in TF 1.x.
``dropout``/``recurrent_dropout`` draw one mask per gate and sequence (Keras's implementation
1). ``stateful=True`` keeps the final states in variables (``layer.states``, graph updates or
eager assignments) as the next batch's initial states; ``reset_states()`` zeroes them.
"""
from __future__ import annotations

import numpy as np

from ...eager import context
from ...framework import ops
from ...framework.tensor_shape import TensorShape
from ...ops import array_ops, math_ops, nn_impl, state_ops
from ...ops.control_flow_ops import while_loop
from .. import activations, backend, constraints, initializers, regularizers
from ..engine.base_layer import InputSpec, Layer
from .noise import in_training

__all__ = ["SimpleRNNCell", "LSTMCell", "GRUCell", "StackedRNNCells", "RNN", "SimpleRNN",
           "LSTM", "GRU"]


def _dot_last(inputs, kernel):
    """``inputs @ kernel`` contracting the last axis of ``inputs`` (any rank)."""
    dims = inputs.shape.as_list()
    out = math_ops.matmul(array_ops.reshape(inputs, [-1, dims[-1]]), kernel)
    if len(dims) == 2:
        return out
    width = kernel.shape[-1].value
    if None in dims[:-1]:
        dynamic = array_ops.shape(inputs)
        lead = [d if d is not None else dynamic[i] for i, d in enumerate(dims[:-1])]
        return array_ops.reshape(out, array_ops.stack(lead + [width]))
    return array_ops.reshape(out, dims[:-1] + [width])


def _expand_like(mask, inputs):
    """A ``[batch, features]`` mask with unit axes inserted to broadcast against ``inputs``."""
    for _ in range(inputs.shape.ndims - 2):
        mask = array_ops.expand_dims(mask, 1)
    return mask


class _Cell(Layer):
    """Shared weights/config of the built-in cells. A cell maps ``(inputs_t, states)`` to
    ``(output_t, new_states)``; ``project`` computes ``x @ kernel (+ input bias)`` for all steps
    at once and ``step`` does the rest of one step from that projection."""

    gates = 1

    def __init__(self, units: int, activation="tanh", use_bias: bool = True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self) -> int:
        return self.units

    def _bias_shape(self) -> tuple:
        return (self.gates * self.units,)

    def _bias_initializer(self):
        return self.bias_initializer

    def build(self, input_shape) -> None:
        features = TensorShape(input_shape).as_list()[-1]
        width = self.gates * self.units
        self.kernel = self.add_weight(name="kernel", shape=(features, width),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(name="recurrent_kernel",
                                                shape=(self.units, width),
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=self._bias_shape(),
                                        initializer=self._bias_initializer(),
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def _input_bias(self):
        return self.bias

    def dropout_masks(self, inputs, states: list, training):
        """Per-gate dropout masks ``(input masks, recurrent masks)`` for one sequence (each
        ``None`` when its rate is 0); outside training they are ones."""
        def masks(rate, like):
            if not rate:
                return None
            ones = array_ops.ones_like(like)
            return [in_training(training, lambda: nn_impl.dropout(ones, rate=rate), ones)
                    for _ in range(self.gates)]
        return masks(self.dropout, inputs[:, 0]), masks(self.recurrent_dropout, states[0])

    def project(self, inputs, masks=None):
        """``inputs @ kernel + input bias`` over the last axis of ``inputs`` (any rank); with
        per-gate ``masks`` ([batch, features]) each gate sees its own dropped-out inputs."""
        inputs = ops.convert_to_tensor(inputs)
        if masks is None:
            out = _dot_last(inputs, self.kernel)
        else:
            kernels = array_ops.split(self.kernel, self.gates, axis=1)
            out = array_ops.concat([
                _dot_last(inputs * _expand_like(m, inputs), k) for m, k in zip(masks, kernels)],
                axis=-1)
        bias = self._input_bias() if self.use_bias else None
        return out if bias is None else out + bias

    def _recurrent(self, h, masks=None, kernel=None):
        """``h @ kernel`` (default: the whole recurrent kernel), per gate with dropout masks."""
        kernel = self.recurrent_kernel if kernel is None else kernel
        if masks is None:
            return math_ops.matmul(h, kernel)
        kernels = array_ops.split(kernel, len(masks), axis=1)
        return array_ops.concat([math_ops.matmul(h * m, k) for m, k in zip(masks, kernels)],
                                axis=-1)

    def step(self, projected, states: list, masks=None):
        raise NotImplementedError

    def call(self, inputs, states):
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        return self.step(self.project(inputs), states)

    def get_config(self) -> dict:
        return dict(super().get_config(), units=self.units,
                    activation=activations.serialize(self.activation), use_bias=self.use_bias,
                    kernel_initializer=initializers.serialize(self.kernel_initializer),
                    recurrent_initializer=initializers.serialize(self.recurrent_initializer),
                    bias_initializer=initializers.serialize(self.bias_initializer),
                    kernel_regularizer=regularizers.serialize(self.kernel_regularizer),
                    recurrent_regularizer=regularizers.serialize(self.recurrent_regularizer),
                    bias_regularizer=regularizers.serialize(self.bias_regularizer),
                    kernel_constraint=constraints.serialize(self.kernel_constraint),
                    recurrent_constraint=constraints.serialize(self.recurrent_constraint),
                    bias_constraint=constraints.serialize(self.bias_constraint),
                    dropout=self.dropout, recurrent_dropout=self.recurrent_dropout)


class SimpleRNNCell(_Cell):
    """``h = activation(x @ kernel + bias + h_prev @ recurrent_kernel)``."""

    def step(self, projected, states, masks=None):
        h = self.activation(projected + self._recurrent(states[0], masks))
        return h, [h]


class LSTMCell(_Cell):
    """Long short-term memory; states ``[h, c]``; gates i, f, c, o in the kernels' columns."""

    gates = 4

    def __init__(self, units: int, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias: bool = True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias: bool = True, implementation: int = 1, **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias
        self.implementation = implementation

    @property
    def state_size(self):
        return [self.units, self.units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        init, units = self.bias_initializer, self.units

        def forget_bias_one(shape, dtype=None, **kwargs):
            return array_ops.concat([init((units,), dtype=dtype),
                                     array_ops.ones((units,), dtype=dtype or "float32"),
                                     init((2 * units,), dtype=dtype)], 0)
        return forget_bias_one

    def step(self, projected, states, masks=None):
        h, c = states
        z = projected + self._recurrent(h, masks)
        zi, zf, zc, zo = array_ops.split(z, 4, axis=-1)
        i = self.recurrent_activation(zi)
        f = self.recurrent_activation(zf)
        c = f * c + i * self.activation(zc)
        h = self.recurrent_activation(zo) * self.activation(c)
        return h, [h, c]

    def get_config(self) -> dict:
        return dict(super().get_config(),
                    recurrent_activation=activations.serialize(self.recurrent_activation),
                    unit_forget_bias=self.unit_forget_bias, implementation=self.implementation)


class GRUCell(_Cell):
    """Gated recurrent unit; gates z, r, h. ``reset_after=True`` applies the reset gate after
    the recurrent product and keeps a separate recurrent bias (``bias`` is ``[2, 3 * units]``)."""

    gates = 3

    def __init__(self, units: int, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias: bool = True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 implementation: int = 1, reset_after: bool = False, **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.implementation = implementation
        self.reset_after = reset_after

    def _bias_shape(self) -> tuple:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _input_bias(self):
        return self.bias[0] if self.reset_after else self.bias

    def step(self, projected, states, masks=None):
        h = states[0]
        u = self.units
        xz, xr, xh = array_ops.split(projected, 3, axis=-1)
        if self.reset_after:
            inner = self._recurrent(h, masks)
            if self.use_bias:
                inner = inner + self.bias[1]
            rz, rr, rh = array_ops.split(inner, 3, axis=-1)
            z = self.recurrent_activation(xz + rz)
            r = self.recurrent_activation(xr + rr)
            candidate = self.activation(xh + r * rh)
        else:
            gates = self._recurrent(h, masks and masks[:2], self.recurrent_kernel[:, :2 * u])
            rz, rr = array_ops.split(gates, 2, axis=-1)
            z = self.recurrent_activation(xz + rz)
            r = self.recurrent_activation(xr + rr)
            h_masked = h if masks is None else h * masks[2]
            candidate = self.activation(xh + math_ops.matmul(r * h_masked,
                                                             self.recurrent_kernel[:, 2 * u:]))
        h = z * h + (1.0 - z) * candidate
        return h, [h]

    def get_config(self) -> dict:
        return dict(super().get_config(),
                    recurrent_activation=activations.serialize(self.recurrent_activation),
                    implementation=self.implementation, reset_after=self.reset_after)


def _sizes(cell) -> list:
    size = cell.state_size
    return list(size) if isinstance(size, (list, tuple)) else [size]


def _output_size(cell) -> int:
    return cell.output_size if hasattr(cell, "output_size") else _sizes(cell)[0]


class StackedRNNCells(Layer):
    """Several cells as one: each step feeds the input through the cells in turn; the states are
    all cells' states, in order."""

    def __init__(self, cells, **kwargs):
        for cell in cells:
            if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
                raise ValueError(f"All cells must have a `call` method and a `state_size` "
                                 f"attribute, got {cell!r}")
        super().__init__(**kwargs)
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [size for cell in self.cells for size in _sizes(cell)]

    @property
    def output_size(self) -> int:
        return _output_size(self.cells[-1])

    def build(self, input_shape) -> None:
        dims = TensorShape(input_shape).as_list()
        for cell in self.cells:
            if not cell.built:
                with ops.name_scope(cell.name):
                    cell.build(TensorShape(dims))
                cell.built = True
            dims = dims[:-1] + [_output_size(cell)]
        self.built = True

    def call(self, inputs, states):
        new_states, start = [], 0
        for cell in self.cells:
            count = len(_sizes(cell))
            inputs, cell_states = cell.call(inputs, list(states[start:start + count]))
            new_states += list(cell_states) if isinstance(cell_states, (list, tuple)) \
                else [cell_states]
            start += count
        return inputs, new_states

    def get_config(self) -> dict:
        from ..utils.generic_utils import serialize_keras_object
        return dict(super().get_config(),
                    cells=[serialize_keras_object(cell) for cell in self.cells])

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from . import deserialize
        config = dict(config)
        cells = [deserialize(c, custom_objects=custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)


class RNN(Layer):
    """Run ``cell`` (or a list of cells, stacked) over the time axis of ``[batch, time,
    features]`` inputs."""

    def __init__(self, cell, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 time_major: bool = False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
            raise ValueError(f"`cell` should have a `call` method and a `state_size` "
                             f"attribute, got {cell!r}")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.time_major = time_major
        self.supports_masking = True
        self.zero_output_for_mask = False
        self.input_spec = InputSpec(ndim=3)
        self._state_variables = None

    @property
    def states(self) -> list:
        """The state variables of a stateful layer (``None`` per state otherwise)."""
        return self._state_variables or [None] * len(_sizes(self.cell))

    def build(self, input_shape) -> None:
        if isinstance(input_shape, list) and input_shape and \
                not isinstance(input_shape[0], (int, type(None))):
            input_shape = input_shape[0]
        dims = TensorShape(input_shape).as_list()
        batch = dims[1 if self.time_major else 0]
        if not self.cell.built:
            self.cell.build(TensorShape([batch, dims[-1]]))
        if self.stateful:
            if batch is None:
                raise ValueError(f"Stateful RNN layer {self.name} needs to know its batch size: "
                                 "give `batch_input_shape` (or `batch_size`) to the first layer")
            self._state_variables = [backend.variable(np.zeros((batch, size)), dtype=self.dtype)
                                     for size in _sizes(self.cell)]
        self.built = True

    def reset_states(self, states=None) -> None:
        """Set a stateful layer's states to zeros (or to the given arrays)."""
        if not self.stateful:
            raise AttributeError(f"Layer {self.name} must be stateful to reset its states")
        if states is None:
            states = [np.zeros(v.shape.as_list()) for v in self._state_variables]
        states = states if isinstance(states, (list, tuple)) else [states]
        backend.batch_set_value(list(zip(self._state_variables, states)))

    def _initial_states(self, inputs, dtype) -> list:
        batch = inputs.shape[0].value
        if batch is None:
            batch = array_ops.shape(inputs)[0]
        return [array_ops.zeros([batch, size], dtype=dtype) for size in _sizes(self.cell)]

    def call(self, inputs, mask=None, training=None, initial_state=None):
        inputs = ops.convert_to_tensor(inputs)
        if self.time_major:
            inputs = array_ops.transpose(inputs, [1, 0, 2])
        if initial_state is None and self.stateful:
            states = [ops.convert_to_tensor(v) for v in self._state_variables]
        elif initial_state is None:
            states = self._initial_states(inputs, inputs.dtype)
        else:
            states = list(initial_state) if isinstance(initial_state, (list, tuple)) \
                else [initial_state]
            states = [ops.convert_to_tensor(s) for s in states]
            if len(states) != len(_sizes(self.cell)):
                raise ValueError(f"Layer {self.name} expects {len(_sizes(self.cell))} initial "
                                 f"state(s), got {len(states)}")
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if isinstance(self.cell, _Cell):
            input_masks, recurrent_masks = self.cell.dropout_masks(inputs, states, training)
            xs = self.cell.project(inputs, input_masks)

            def step(x, states):
                return self.cell.step(x, states, recurrent_masks)
        else:
            xs, step = inputs, self._cell_call
        keeps = None if mask is None else math_ops.cast(mask, inputs.dtype)
        loop = self._unrolled if inputs.shape[1].value is not None else self._while
        output, states = loop(xs, keeps, states, step)
        if self.return_sequences and self.time_major:
            output = array_ops.transpose(output, [1, 0, 2])
        if self.stateful:
            self._keep_states(states)
        if self.return_state:
            return [output] + list(states)
        return output

    def _keep_states(self, states: list) -> None:
        """Store the final states for the next batch: at once (eager) or as updates (graph)."""
        assigns = [state_ops.assign(v, s) for v, s in zip(self._state_variables, states)]
        if not context.executing_eagerly():
            self.add_update(assigns, inputs=True)

    def _zero_output(self, state):
        """Zeros shaped like one step's output (``state`` gives the batch size)."""
        batch = state.shape[0].value
        batch = array_ops.shape(state)[0] if batch is None else batch
        return array_ops.zeros([batch, _output_size(self.cell)], dtype=state.dtype)

    def _cell_call(self, x, states: list):
        """One step of a user cell: ``cell.call(x, states) -> (output, new states)``."""
        output, new_states = self.cell.call(x, states)
        return output, list(new_states) if isinstance(new_states, (list, tuple)) else [new_states]

    def _masked(self, step, x, keep, output, states: list):
        """``step(x, states)``, skipped where ``keep`` (``[batch, 1]`` of 0/1) is 0: the states
        carry over, the output repeats (or is 0 with ``zero_output_for_mask``)."""
        new_output, new_states = step(x, states)
        if keep is not None:
            new_output = keep * new_output
            if not self.zero_output_for_mask:
                new_output = new_output + (1.0 - keep) * output
            new_states = [keep * n + (1.0 - keep) * s for n, s in zip(new_states, states)]
        return new_output, new_states

    def _unrolled(self, xs, keeps, states, step):
        """(output, final states) from one set of ops per step of a static time axis."""
        steps = xs.shape[1].value
        xs = array_ops.unstack(xs, num=steps, axis=1)
        keeps = [None] * steps if keeps is None else \
            [array_ops.expand_dims(k, -1) for k in array_ops.unstack(keeps, num=steps, axis=1)]
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        output = None if keeps[0] is None else self._zero_output(states[0])
        outputs = []
        for t in order:
            output, states = self._masked(step, xs[t], keeps[t], output, states)
            outputs.append(output)
        return (array_ops.stack(outputs, axis=1) if self.return_sequences else output), states

    def _while(self, xs, keeps, states, step):
        """(output, final states) from a ``tf.while_loop`` over an unknown number of steps."""
        xs = array_ops.transpose(xs, [1, 0, 2])
        if keeps is not None:
            keeps = array_ops.expand_dims(array_ops.transpose(keeps, [1, 0]), -1)
        if self.go_backwards:
            xs = array_ops.reverse(xs, [0])
            keeps = None if keeps is None else array_ops.reverse(keeps, [0])
        steps = array_ops.shape(xs)[0]
        output = self._zero_output(states[0])
        first = array_ops.zeros_like(array_ops.expand_dims(output, 0)[:0])

        def body(t, output, outputs, *states):
            keep = None if keeps is None else array_ops.gather(keeps, t)
            output, states = self._masked(step, array_ops.gather(xs, t), keep, output,
                                          list(states))
            if self.return_sequences:
                outputs = array_ops.concat([outputs, array_ops.expand_dims(output, 0)], 0)
            return [t + 1, output, outputs] + list(states)

        invariants = [TensorShape([]), output.shape, TensorShape([None]) + output.shape] + \
            [s.shape for s in states]
        result = while_loop(lambda t, *_: t < steps, body,
                            [ops.convert_to_tensor(0), output, first] + list(states),
                            shape_invariants=invariants)
        output, outputs, states = result[1], result[2], list(result[3:])
        if self.return_sequences:
            output = array_ops.transpose(outputs, [1, 0, 2])
        return output, states

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, list) and input_shape and \
                not isinstance(input_shape[0], (int, type(None))):
            input_shape = input_shape[0]
        dims = TensorShape(input_shape).as_list()
        batch, steps = (dims[1], dims[0]) if self.time_major else (dims[0], dims[1])
        units = _output_size(self.cell)
        if self.return_sequences:
            out = TensorShape([steps, batch, units] if self.time_major else [batch, steps, units])
        else:
            out = TensorShape([batch, units])
        if self.return_state:
            return [out] + [TensorShape([batch, size]) for size in _sizes(self.cell)]
        return out

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(_sizes(self.cell))
        return output_mask

    def get_config(self) -> dict:
        from ..utils.generic_utils import serialize_keras_object
        return dict(super().get_config(), return_sequences=self.return_sequences,
                    return_state=self.return_state, go_backwards=self.go_backwards,
                    stateful=self.stateful, unroll=self.unroll, time_major=self.time_major,
                    cell=serialize_keras_object(self.cell))

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from . import deserialize
        config = dict(config)
        cell = deserialize(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


class _CellLayer(RNN):
    """An ``RNN`` whose cell is made from the layer's own arguments (SimpleRNN, LSTM, GRU);
    its config is the cell's options next to the RNN ones, without a ``cell`` entry."""

    cell_class = SimpleRNNCell

    def __init__(self, units: int, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 time_major: bool = False, **kwargs):
        layer_keys = ("name", "trainable", "dtype", "input_shape", "batch_input_shape",
                      "batch_size", "input_dim", "input_length", "weights",
                      "activity_regularizer")
        layer_kwargs = {k: kwargs.pop(k) for k in layer_keys if k in kwargs}
        if "input_dim" in layer_kwargs or "input_length" in layer_kwargs:
            dim = layer_kwargs.pop("input_dim", None)
            length = layer_kwargs.pop("input_length", None)
            layer_kwargs.setdefault("input_shape", (length, dim))
        cell = self.cell_class(units, dtype=layer_kwargs.get("dtype"),
                               trainable=layer_kwargs.get("trainable", True), **kwargs)
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         time_major=time_major, **layer_kwargs)

    def __getattr__(self, name: str):
        cell = self.__dict__.get("cell")
        if cell is not None and name in _CELL_ATTRIBUTES:
            return getattr(cell, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def get_config(self) -> dict:
        config = super().get_config()
        del config["cell"]
        cell = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell.pop(key, None)
        config.update(cell)
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        return cls(**config)


_CELL_ATTRIBUTES = {"units", "activation", "recurrent_activation", "use_bias", "kernel",
                    "recurrent_kernel", "bias", "kernel_initializer", "recurrent_initializer",
                    "bias_initializer", "kernel_regularizer", "recurrent_regularizer",
                    "bias_regularizer", "kernel_constraint", "recurrent_constraint",
                    "bias_constraint", "dropout", "recurrent_dropout", "unit_forget_bias",
                    "implementation", "reset_after"}


class SimpleRNN(_CellLayer):
    """Fully connected RNN whose output is fed back as the next step's state."""

    cell_class = SimpleRNNCell


class LSTM(_CellLayer):
    """Long short-term memory layer (states ``h`` and ``c``)."""

    cell_class = LSTMCell


class GRU(_CellLayer):
    """Gated recurrent unit layer (``reset_after=False`` by default, as TF 1.x's Keras)."""

    cell_class = GRUCell
