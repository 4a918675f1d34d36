"""The Keras ``Layer``: weights built lazily from the first input's shape, ``call`` on tensors,
and the ``Node`` records that connect layers into functional models.

Usage::

    class Scale(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", shape=[int(input_shape[-1])], initializer="ones")
        def call(self, inputs):
            return inputs * self.w

    y = Scale()(x)   # graph mode: weight 'scale/w:0'; eager mode: computed at once

Three call paths: graph tensors (ops in the default graph, Node recorded), eager tensors
(computed at once), and Keras tensors of the eager-mode Keras graph (only shapes propagate:
eager functional models run their layers again on real tensors, see ``network.py``).
"""
from __future__ import annotations

import inspect
from typing import Optional

import numpy as np

from ...eager import context
from ...framework import dtypes, ops
from ...framework.tensor_shape import TensorShape
from ...layers.base import InputSpec, _check_input_spec, _to_snake_case
from ...ops import array_ops, constant_op, math_ops, variables as tf_variables
from .. import backend, constraints, initializers, regularizers

__all__ = ["Layer", "InputSpec", "Node", "to_list", "shape_of"]


def to_list(x) -> list:
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _unwrap(items: list, like):
    """``items`` as a single value when ``like`` was not a list/tuple."""
    return items if isinstance(like, (list, tuple)) else items[0]


def shape_of(x) -> TensorShape:
    return x.shape if isinstance(x.shape, TensorShape) else TensorShape(x.shape)


def _is_symbolic(x) -> bool:
    return ops.is_tensor(x) and not getattr(x, "_is_eager", False)


class Node:
    """One call of ``outbound_layer`` on the outputs of ``inbound_layers`` (Keras 2's node)."""

    def __init__(self, outbound_layer, inbound_layers, node_indices, tensor_indices,
                 input_tensors, output_tensors, arguments=None):
        self.outbound_layer = outbound_layer
        self.inbound_layers = inbound_layers
        self.node_indices = node_indices
        self.tensor_indices = tensor_indices
        self.input_tensors = input_tensors
        self.output_tensors = output_tensors
        self.arguments = arguments or {}
        self.input_shapes = [shape_of(t) for t in input_tensors]
        self.output_shapes = [shape_of(t) for t in output_tensors]
        for layer in inbound_layers:
            layer._outbound_nodes.append(self)
        outbound_layer._inbound_nodes.append(self)

    def iterate_inbound(self):
        return zip(self.inbound_layers, self.node_indices, self.tensor_indices,
                   self.input_tensors)

    def get_config(self) -> list:
        """Keras 2's inbound-node entry: ``[[layer name, node index, tensor index, kwargs]]``."""
        return [[layer.name, int(n), int(t), dict(self.arguments)]
                for layer, n, t, _ in self.iterate_inbound()]


class Layer:
    """Base class of Keras layers (see the module docstring)."""

    _KWARGS = {"input_shape", "batch_input_shape", "batch_size", "weights",
               "activity_regularizer", "input_dim", "autocast", "dynamic"}

    def __init__(self, trainable: bool = True, name: Optional[str] = None, dtype=None,
                 **kwargs):
        unknown = set(kwargs) - self._KWARGS
        if unknown:
            raise TypeError(f"Keyword argument not understood: {sorted(unknown)[0]}")
        object.__setattr__(self, "_tracked_layers", [])
        self._trainable = trainable
        self.built = False
        self.input_spec = None
        self.supports_masking = False
        self._name = name or backend.unique_object_name(_to_snake_case(type(self).__name__))
        self._dtype = dtypes.as_dtype(dtype).name if dtype is not None else None
        self._trainable_weights: list = []
        self._non_trainable_weights: list = []
        self._losses: list = []          # graph tensors, kept
        self._eager_losses: list = []    # eager values of the latest outermost call
        self._callable_losses: list = [] # re-evaluated on access (eager weight penalties)
        self._updates: list = []
        self._inbound_nodes: list = []
        self._outbound_nodes: list = []
        self._initial_weights = kwargs.get("weights")
        self.activity_regularizer = regularizers.get(kwargs.get("activity_regularizer"))
        if "input_dim" in kwargs and "input_shape" not in kwargs:
            kwargs["input_shape"] = (kwargs["input_dim"],)
        if "batch_input_shape" in kwargs:
            self._batch_input_shape = tuple(kwargs["batch_input_shape"])
        elif "input_shape" in kwargs:
            self._batch_input_shape = (kwargs.get("batch_size"),) + tuple(kwargs["input_shape"])
        self._call_args = set(inspect.signature(self.call).parameters)

    # ---- attributes ------------------------------------------------------------------------
    def __setattr__(self, name, value):
        """Layers assigned as attributes (alone, in lists, in dict values) are tracked: their
        weights, losses and updates belong to this layer too (subclassed models, blocks)."""
        if not name.startswith("_tracked"):
            tracked = self.__dict__.get("_tracked_layers")
            if tracked is not None:
                for layer in _layers_in(value):
                    if layer is not self and all(layer is not t for t in tracked):
                        tracked.append(layer)
        object.__setattr__(self, name, value)

    name = property(lambda self: self._name)

    @property
    def dtype(self) -> str:
        return self._dtype or backend.floatx()

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for layer in self._tracked_layers:
            layer.trainable = value

    # ---- weights ---------------------------------------------------------------------------
    def add_weight(self, name: str, shape=None, dtype=None, initializer=None, regularizer=None,
                   trainable: bool = True, constraint=None, **kwargs):
        """Create a weight variable named ``<layer name>/<name>`` (graph mode) and track it."""
        dtype = dtypes.as_dtype(dtype or self.dtype)
        shape = [] if shape is None else [int(d) for d in TensorShape(shape).as_list()]
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        init = initializers.get(initializer)
        var = tf_variables.Variable(lambda: init(shape, dtype=dtype), name=name, dtype=dtype,
                                    trainable=trainable, constraint=constraints.get(constraint))
        (self._trainable_weights if trainable else self._non_trainable_weights).append(var)
        if regularizer is not None:
            reg = regularizers.get(regularizer)

            def penalty():
                with ops.name_scope(name + "/Regularizer"):
                    return reg(var)
            self.add_loss(penalty if context.executing_eagerly() else penalty())
        return var

    @property
    def trainable_weights(self) -> list:
        if not self.trainable:
            return []
        out = list(self._trainable_weights)
        for layer in self._tracked_layers:
            out += layer.trainable_weights
        return _unique(out)

    @property
    def non_trainable_weights(self) -> list:
        out = list(self._non_trainable_weights)
        if not self.trainable:
            out = self._trainable_weights + out
        for layer in self._tracked_layers:
            out += layer.non_trainable_weights
        return _unique(out)

    @property
    def weights(self) -> list:
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    def get_weights(self) -> list:
        return backend.batch_get_value(self.weights)

    def set_weights(self, weights) -> None:
        """Assign a list of arrays, in the order of ``self.weights``."""
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(f'You called `set_weights(weights)` on layer "{self.name}" with a '
                             f"weight list of length {len(weights)}, but the layer was expecting "
                             f"{len(params)} weights. Provided weights: {str(weights)[:50]}...")
        pairs = []
        for p, w in zip(params, weights):
            w = np.asarray(w)
            if tuple(p.shape.as_list()) != w.shape:
                raise ValueError(f"Layer {self.name} weight shape {tuple(p.shape.as_list())} is "
                                 f"not compatible with provided weight shape {w.shape}")
            pairs.append((p, w))
        backend.batch_set_value(pairs)

    def count_params(self) -> int:
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer {self.name}, but the "
                             f"layer isn't built. You can build it manually via: "
                             f"`{self.name}.build(batch_input_shape)`.")
        return int(sum(np.prod(w.shape.as_list()) for w in self.weights))

    # ---- losses and updates ----------------------------------------------------------------
    def add_loss(self, losses, inputs=None) -> None:
        """Add loss tensors, or zero-argument callables evaluated each time ``losses`` is
        read. Eager loss values last until the next outermost call of the model."""
        for loss in to_list(losses):
            if loss is None:
                continue
            if callable(loss) and not ops.is_tensor(loss):
                self._callable_losses.append(loss)
            elif getattr(loss, "_is_eager", False):
                self._eager_losses.append(loss)
            else:
                self._losses.append(loss)

    def add_update(self, updates, inputs=None) -> None:
        self._updates += [u for u in to_list(updates) if u is not None]

    @property
    def losses(self) -> list:
        """The losses of this layer and the layers it tracks (each layer counted once)."""
        out = []
        for layer in self._self_and_tracked():
            out += layer._losses + layer._eager_losses + [f() for f in layer._callable_losses]
        return out

    def _self_and_tracked(self) -> list:
        found, stack = [], [self]
        while stack:
            layer = stack.pop()
            if all(layer is not f for f in found):
                found.append(layer)
                stack.extend(reversed(layer._tracked_layers))
        return found

    @property
    def updates(self) -> list:
        out = []
        for layer in self._self_and_tracked():
            out += layer._updates
        return out

    def get_losses_for(self, inputs) -> list:
        return self.losses

    def get_updates_for(self, inputs) -> list:
        return self.updates

    # ---- building and calling --------------------------------------------------------------
    def build(self, input_shape) -> None:
        self.built = True

    def call(self, inputs, **kwargs):
        return inputs

    def compute_output_shape(self, input_shape):
        """Default: run ``call`` on placeholders in a scratch graph (layers without weights)."""
        shapes = input_shape if isinstance(input_shape, list) else [input_shape]
        with context.graph_mode(), ops.Graph().as_default():
            xs = [constant_op.placeholder(self.dtype, TensorShape(s)) for s in shapes]
            out = self.call(_unwrap(xs, input_shape))
        if isinstance(out, (list, tuple)):
            return [shape_of(o) for o in out]
        return shape_of(out)

    def compute_mask(self, inputs, mask=None):
        if not self.supports_masking:
            if any(m is not None for m in to_list(mask)):
                raise TypeError(f"Layer {self.name} does not support masking, but was passed an "
                                f"input_mask: {mask}")
            return None
        return mask

    def _maybe_build(self, inputs) -> None:
        if self.built:
            return
        shapes = [shape_of(x) for x in to_list(inputs)]
        self.build(_unwrap(shapes, inputs))
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def __call__(self, inputs, *args, **kwargs):
        """Build on first use, then ``call``; symbolic calls record a Node."""
        flat = to_list(inputs)
        flat = [x if ops.is_tensor(x) or isinstance(x, tf_variables.Variable)
                else ops.convert_to_tensor(x, dtype=self._dtype) for x in flat]
        inputs = flat if isinstance(inputs, (list, tuple)) else flat[0]
        _check_input_spec(self, inputs)
        if "mask" in self._call_args and "mask" not in kwargs:
            masks = [getattr(x, "_keras_mask", None) for x in flat]
            if any(m is not None for m in masks):
                kwargs["mask"] = _unwrap(masks, inputs)
        symbolic = all(_is_symbolic(x) for x in flat)
        eager_symbolic = symbolic and context.executing_eagerly()
        global _CALL_DEPTH
        if not symbolic and _CALL_DEPTH == 0:
            for layer in self._self_and_tracked():
                layer._eager_losses = []
        _CALL_DEPTH += 1
        try:
            return self._call_and_record(inputs, flat, symbolic, eager_symbolic, args, kwargs)
        finally:
            _CALL_DEPTH -= 1

    def _call_and_record(self, inputs, flat, symbolic, eager_symbolic, args, kwargs):
        if symbolic:
            _ensure_keras_history(flat)
        with ops.name_scope(self.name):
            self._maybe_build(inputs)
            if eager_symbolic:
                outputs = _placeholders_like(self, inputs, flat[0].graph)
            else:
                outputs = self.call(inputs, *args, **kwargs)
            out_flat = to_list(outputs)
            if self.activity_regularizer is not None and not eager_symbolic:
                with ops.name_scope("ActivityRegularizer"):
                    self.add_loss([_per_sample_activity_loss(self.activity_regularizer, o)
                                   for o in out_flat])
            if symbolic:  # a layer returning its input gets a fresh tensor for its own history
                out_flat = [array_ops.identity(o) if any(o is x for x in flat) else o
                            for o in out_flat]
                outputs = _unwrap(out_flat, outputs)
        out_masks = self.compute_mask(inputs, kwargs.get("mask")) if not eager_symbolic else \
            _eager_symbolic_mask(self, inputs, kwargs.get("mask"))
        for o, m in zip(out_flat, to_list(out_masks) or [None] * len(out_flat)):
            try:
                o._keras_mask = m
            except AttributeError:
                pass
        if symbolic:
            self._add_inbound_node(flat, out_flat, {k: v for k, v in kwargs.items()
                                                    if k != "mask" and not ops.is_tensor(v)})
        return outputs

    def _add_inbound_node(self, input_tensors, output_tensors, arguments) -> None:
        histories = [x._keras_history for x in input_tensors]
        node = Node(self, [h[0] for h in histories], [h[1] for h in histories],
                    [h[2] for h in histories], input_tensors, output_tensors, arguments)
        index = len(self._inbound_nodes) - 1
        for i, t in enumerate(output_tensors):
            t._keras_history = (self, index, i)
        return node

    # ---- node-based properties -------------------------------------------------------------
    def _node_attr(self, attr: str, what: str):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} is not connected, no {what} to return.")
        if len(self._inbound_nodes) > 1:
            values = {str(getattr(n, attr)) for n in self._inbound_nodes}
            if len(values) > 1 and attr.endswith("shapes"):
                raise AttributeError(f'The layer "{self.name}" has multiple inbound nodes, with '
                                     f"different {what}s. Hence the notion of \"{what}\" is "
                                     f"ill-defined for the layer.")
        return getattr(self._inbound_nodes[0], attr)

    @property
    def input(self):
        return _single(self._node_attr("input_tensors", "input"))

    @property
    def output(self):
        return _single(self._node_attr("output_tensors", "output"))

    @property
    def input_shape(self):
        return _single([_tuple(s) for s in self._node_attr("input_shapes", "input shape")])

    @property
    def output_shape(self):
        return _single([_tuple(s) for s in self._node_attr("output_shapes", "output shape")])

    @property
    def input_mask(self):
        return _single([getattr(x, "_keras_mask", None) for x in to_list(self.input)])

    @property
    def output_mask(self):
        return _single([getattr(x, "_keras_mask", None) for x in to_list(self.output)])

    # ---- configs ---------------------------------------------------------------------------
    def get_config(self) -> dict:
        config = {"name": self.name, "trainable": self.trainable}
        if hasattr(self, "_batch_input_shape"):
            config["batch_input_shape"] = self._batch_input_shape
        config["dtype"] = self.dtype
        return config

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__} object '{self.name}'>"


_CALL_DEPTH = 0  # nesting of eager Layer.__call__ (losses reset at the outermost)


def _single(items: list):
    return items[0] if len(items) == 1 else items


def _tuple(shape: TensorShape):
    return None if shape.ndims is None else tuple(shape.as_list())


def _unique(items: list) -> list:
    out, seen = [], set()
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            out.append(item)
    return out


def _layers_in(value) -> list:
    if isinstance(value, Layer):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, Layer)]
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, Layer)]
    return []


def _per_sample_activity_loss(regularizer, output):
    """The activity penalty divided by the batch size (as tf.keras does)."""
    batch = math_ops.cast(array_ops.shape(output)[0], output.dtype)
    return regularizer(output) / batch


def _ensure_keras_history(tensors) -> None:
    """Give plain graph tensors (placeholders, ops outside Keras) an InputLayer, as tf.keras
    does, so a functional model can start from them."""
    from .input_layer import InputLayer
    for t in tensors:
        if not hasattr(t, "_keras_history"):
            InputLayer(input_tensor=t)


def _placeholders_like(layer, inputs, graph):
    """Outputs of a call on Keras tensors in eager mode: placeholders of the output shape."""
    shapes = layer.compute_output_shape(_unwrap([shape_of(x) for x in to_list(inputs)], inputs))
    flat = shapes if isinstance(shapes, list) else [shapes]
    dtype = to_list(inputs)[0].dtype if layer._dtype is None else layer._dtype
    with context.graph_mode(), graph.as_default(), ops.name_scope(layer.name):
        outs = [constant_op.placeholder(dtype, TensorShape(s)) for s in flat]
    return outs if isinstance(shapes, list) else outs[0]


def _eager_symbolic_mask(layer, inputs, mask):
    """Masks cannot be computed without values; only pass-through masks propagate."""
    return mask if layer.supports_masking else None
