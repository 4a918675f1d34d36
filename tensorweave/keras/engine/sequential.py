"""``Sequential``: a linear stack of layers, itself a functional model once its input shape is
known (from ``input_shape`` on the first layer, an ``InputLayer``, ``build`` or the first call).

Usage::

    model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu", input_shape=(32,)),
                                 tf.keras.layers.Dense(10, activation="softmax")])
    model.add(tf.keras.layers.Dropout(0.5))
"""
from __future__ import annotations

from typing import Optional

from ...eager import context
from .base_layer import Layer, shape_of, to_list
from .input_layer import Input, InputLayer
from .training import Model

__all__ = ["Sequential"]


class Sequential(Model):
    """A stack of layers applied one after another."""

    def __init__(self, layers=None, name: Optional[str] = None):
        super().__init__(name=name)
        self._stack: list = []
        for layer in to_list(layers):
            self.add(layer)

    @property
    def layers(self) -> list:
        return [layer for layer in self._stack if not isinstance(layer, InputLayer)]

    def add(self, layer: Layer) -> None:
        """Append ``layer``; the graph is (re)built when the input shape is known."""
        if not isinstance(layer, Layer):
            raise TypeError(f"The added layer must be an instance of class Layer. "
                            f"Found: {layer}")
        if any(layer is other for other in self._stack):
            raise ValueError(f"The layer {layer.name} is already in this model.")
        self._stack.append(layer)
        object.__setattr__(self, "_tracked_layers", self.layers)
        if self.outputs:
            self._connect(layer(self.outputs[0]))
        elif isinstance(layer, InputLayer):
            self._connect(layer._inbound_nodes[0].output_tensors[0], start=True)
        elif getattr(layer, "_batch_input_shape", None) is not None and len(self._stack) == 1:
            x = Input(batch_shape=layer._batch_input_shape, dtype=layer._dtype,
                      name=layer.name + "_input")
            self._stack.insert(0, x._keras_history[0])
            self._connect(layer(x), start=x)
        elif isinstance(layer, Model) and layer.inputs and len(self._stack) == 1:
            self._connect(layer.outputs[0], start=layer.inputs[0])

    def _connect(self, output, start=None) -> None:
        if start is True:
            self._sequence_input = output
        elif start is not None:
            self._sequence_input = start
        self._init_graph_network(self._sequence_input, output)
        self._layers = list(self._stack)

    def pop(self) -> None:
        """Remove the last layer."""
        if not self.layers:
            raise TypeError("There are no layers in the model.")
        self._stack.pop()
        object.__setattr__(self, "_tracked_layers", self.layers)
        if not self.layers:
            self.outputs, self.inputs, self._is_graph_network, self.built = [], [], False, False
            self._stack = []
            return
        last = self._stack[-1]  # its node in this model (not one from a later call)
        node = next(n for n in last._inbound_nodes if id(n) in self._network_nodes)
        self._connect(node.output_tensors[0])

    def _maybe_build(self, inputs) -> None:
        """The first call fixes the input shape: the stack becomes a functional graph."""
        if not self._is_graph_network and self.layers:
            first = to_list(inputs)[0]
            self.build([None] + shape_of(first).as_list()[1:])
        self.built = True

    def build(self, input_shape=None) -> None:
        """Build the stack for inputs of ``input_shape`` (batch dimension included)."""
        if self._is_graph_network:
            self.built = True
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        x = Input(batch_shape=tuple(input_shape))
        layers, self._stack = self._stack, [x._keras_history[0]]
        y = x
        for layer in layers:
            self._stack.append(layer)
            y = layer(y)
        self._connect(y, start=x)
        object.__setattr__(self, "_tracked_layers", self.layers)

    def call(self, inputs, training=None, mask=None):
        if self._is_graph_network:
            return self._run_internal_graph(inputs, training, mask)
        if not context.executing_eagerly() and not getattr(inputs, "_is_eager", False):
            self.build(shape_of(inputs).as_list())  # first call on a graph tensor: build
            return self._run_internal_graph(inputs, training, mask)
        x = inputs
        for layer in self.layers:
            kwargs = {"training": training} if training is not None and \
                "training" in layer._call_args else {}
            x = layer(x, **kwargs)
        return x

    def get_config(self) -> dict:
        from .. import layers as layers_module
        return {"name": self.name,
                "layers": [layers_module.serialize(layer) for layer in self._stack]}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from .. import layers as layers_module
        entries = config["layers"] if isinstance(config, dict) else config
        model = cls(name=config.get("name") if isinstance(config, dict) else None)
        for entry in entries:
            model.add(layers_module.deserialize(entry, custom_objects=custom_objects))
        return model
