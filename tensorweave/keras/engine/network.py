"""``Network``: layers connected into a graph (functional API) or tracked as attributes
(subclassed models); the base of ``Model`` and ``Sequential``.

Usage::

    inputs = tf.keras.Input(shape=(32,))
    outputs = tf.keras.layers.Dense(10)(tf.keras.layers.Dense(64, activation="relu")(inputs))
    model = tf.keras.Model(inputs, outputs)     # functional
    y = model(other_inputs)                     # runs the layers again on new tensors

    class MyModel(tf.keras.Model):              # subclassed: layers tracked through attributes
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(10)
        def call(self, x):
            return self.dense(x)
"""
from __future__ import annotations

from typing import Optional

from ...eager import context
from ...framework.tensor_shape import TensorShape
from ...ops import array_ops, constant_op
from ..saving.network_saving import NetworkSavingMixin
from ..utils import layer_utils
from .base_layer import Layer, Node, _ensure_keras_history, to_list
from .input_layer import InputLayer

__all__ = ["Network"]


class Network(NetworkSavingMixin, Layer):
    """A functional graph of layers (``Network(inputs, outputs)``) or a subclassed model."""

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", args[0] if args else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        name = kwargs.pop("name", None)
        super().__init__(name=name, trainable=kwargs.pop("trainable", True), **kwargs)
        self._is_graph_network = False
        self._layers: list = []
        self.inputs, self.outputs = [], []
        if inputs is not None and outputs is not None:
            self._init_graph_network(inputs, outputs)

    # ---- functional graphs -----------------------------------------------------------------
    def _init_graph_network(self, inputs, outputs) -> None:
        self._nested_inputs, self._nested_outputs = inputs, outputs
        self.inputs, self.outputs = to_list(inputs), to_list(outputs)
        _ensure_keras_history(self.inputs)
        for x in self.outputs:
            if not hasattr(x, "_keras_history"):
                raise ValueError(f"Output tensors of a Model must be the output of a Keras "
                                 f"layer (thus holding past layer metadata). Found: {x}")
        self._is_graph_network = True
        self._input_layers = [x._keras_history[0] for x in self.inputs]
        self._output_layers = [x._keras_history[0] for x in self.outputs]
        self._output_coordinates = [x._keras_history for x in self.outputs]
        self._nodes_by_depth, layers = _topology(self.outputs)
        self._network_nodes = {id(n) for nodes in self._nodes_by_depth.values() for n in nodes}
        self._layers = layers
        object.__setattr__(self, "_tracked_layers", list(layers))
        self.input_names = [layer.name for layer in self._input_layers]
        self.output_names = [layer.name for layer in self._output_layers]
        self.built = True
        self._inbound_nodes, self._outbound_nodes = [], []
        Node(self, [], [], [], self.inputs, self.outputs)

    @property
    def weights(self) -> list:
        """Each layer's weights together, layer by layer (as tf.keras orders them; what
        ``get_weights``/``set_weights`` and weight files use)."""
        out = []
        for layer in self._tracked_layers:
            out += [w for w in layer.weights if all(w is not o for o in out)]
        return out + [w for w in self._trainable_weights + self._non_trainable_weights
                      if all(w is not o for o in out)]

    variables = weights

    @property
    def layers(self) -> list:
        return list(self._layers) if self._is_graph_network else list(self._tracked_layers)

    def get_layer(self, name: Optional[str] = None, index: Optional[int] = None):
        """A layer by name, or by its index in ``layers``."""
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only "
                                 f"has {len(self.layers)} layers.")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: "
                         f"{[layer.name for layer in self.layers]}.")

    def call(self, inputs, training=None, mask=None):
        if not self._is_graph_network:
            raise NotImplementedError("When subclassing the `Model` class, you should implement "
                                      "a `call` method.")
        return self._run_internal_graph(inputs, training, mask)

    def _run_internal_graph(self, inputs, training=None, mask=None):
        """Call every layer of the graph again, in depth order, on tensors fed for the inputs."""
        values = {}
        masks = to_list(mask) or [None] * len(self.inputs)
        for x, y, m in zip(self.inputs, to_list(inputs), masks):
            if m is not None:
                try:
                    y._keras_mask = m
                except AttributeError:
                    pass
            values[id(x)] = y
        for depth in sorted(self._nodes_by_depth, reverse=True):
            for node in self._nodes_by_depth[depth]:
                layer = node.outbound_layer
                if isinstance(layer, InputLayer):
                    continue
                if not all(id(x) in values for x in node.input_tensors):
                    continue
                args = [values[id(x)] for x in node.input_tensors]
                kwargs = dict(node.arguments)
                if training is not None and "training" in layer._call_args:
                    kwargs.setdefault("training", training)
                outs = layer(args if len(args) > 1 else args[0], **kwargs)
                for x, y in zip(node.output_tensors, to_list(outs)):
                    values[id(x)] = y
        outs = [values[id(x)] for x in self.outputs]
        return outs if isinstance(self._nested_outputs, (list, tuple)) else outs[0]

    def compute_output_shape(self, input_shape):
        if not self._is_graph_network:
            return super().compute_output_shape(input_shape)
        shapes = {id(x): TensorShape(s) for x, s in zip(self.inputs, to_list(input_shape))}
        for depth in sorted(self._nodes_by_depth, reverse=True):
            for node in self._nodes_by_depth[depth]:
                layer = node.outbound_layer
                if isinstance(layer, InputLayer) or not all(
                        id(x) in shapes for x in node.input_tensors):
                    continue
                got = [shapes[id(x)] for x in node.input_tensors]
                out = layer.compute_output_shape(got if len(got) > 1 else got[0])
                for x, s in zip(node.output_tensors, out if isinstance(out, list) else [out]):
                    shapes[id(x)] = TensorShape(s)
        outs = [shapes[id(x)] for x in self.outputs]
        return outs if len(outs) > 1 else outs[0]

    def compute_mask(self, inputs, mask=None):
        if not self._is_graph_network:
            return None
        masks = [getattr(x, "_keras_mask", None) for x in self.outputs]
        return None if all(m is None for m in masks) else (masks if len(masks) > 1 else masks[0])

    def __call__(self, inputs, *args, **kwargs):
        outputs = super().__call__(inputs, *args, **kwargs)
        if not self._is_graph_network and not self.inputs and \
                all(hasattr(x, "_keras_history") for x in to_list(outputs)):
            self.inputs, self.outputs = to_list(inputs), to_list(outputs)
        return outputs

    def _maybe_build(self, inputs) -> None:
        """Networks create no weights of their own: a subclassed model's layers build inside
        its first ``call`` (``build`` runs only when the user calls it)."""
        self.built = True

    def build(self, input_shape) -> None:
        """Subclassed models: run ``call`` once on inputs of ``input_shape``."""
        if self._is_graph_network:
            self.built = True
            return
        shapes = input_shape if isinstance(input_shape, list) else [input_shape]
        dtype = self.dtype or "float32"
        if context.executing_eagerly():
            xs = [array_ops.zeros([1 if d is None else d for d in TensorShape(s).as_list()],
                                  dtype=dtype) for s in shapes]
        else:
            xs = [constant_op.placeholder(dtype, TensorShape(s)) for s in shapes]
        self.built = True
        self.call(xs if isinstance(input_shape, list) else xs[0])

    # ---- summary and configs ---------------------------------------------------------------
    def summary(self, line_length=None, positions=None, print_fn=None) -> None:
        """Print Keras's table of layers, output shapes and parameter counts."""
        if not self.built:
            raise ValueError("This model has not yet been built. Build the model first by "
                             "calling `build()` or by calling the model on a batch of data.")
        layer_utils.print_summary(self, line_length, positions, print_fn)

    def get_config(self) -> dict:
        if not self._is_graph_network:
            raise NotImplementedError("Subclassed models have no config: implement `get_config`"
                                      " and `from_config` yourself.")
        return _functional_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        inputs, outputs, layers = _reconstruct(config, custom_objects)
        return cls(inputs=inputs, outputs=outputs, name=config.get("name"))


def _topology(outputs):
    """(nodes by depth, layers ordered as Keras orders them) of the graph ending at outputs."""
    order: list = []
    done, active = set(), set()

    def visit(node):
        if id(node) in done:
            return
        if id(node) in active:
            raise ValueError("The tensor graph of the model has a cycle.")
        active.add(id(node))
        for layer, node_index, _, _ in node.iterate_inbound():
            visit(layer._inbound_nodes[node_index])
        active.discard(id(node))
        done.add(id(node))
        order.append(node)

    for x in outputs:
        layer, node_index, _ = x._keras_history
        visit(layer._inbound_nodes[node_index])
    depth_of: dict = {}
    layer_depth: dict = {}
    for node in reversed(order):
        depth = max(depth_of.get(id(node), 0), layer_depth.get(id(node.outbound_layer), 0))
        layer_depth[id(node.outbound_layer)] = depth
        depth_of[id(node)] = depth
        for layer, node_index, _, _ in node.iterate_inbound():
            inbound = layer._inbound_nodes[node_index]
            depth_of[id(inbound)] = max(depth + 1, depth_of.get(id(inbound), 0))
    by_depth: dict = {}
    for node in order:
        by_depth.setdefault(depth_of[id(node)], []).append(node)
    first_seen: dict = {}
    for node in order:
        first_seen.setdefault(id(node.outbound_layer), (len(first_seen), node.outbound_layer))
    layers = sorted(first_seen.values(), key=lambda p: (-layer_depth[id(p[1])], p[0]))
    return by_depth, [layer for _, layer in layers]


def _kept_node_index(network, layer) -> dict:
    """Old -> new node indices of ``layer``'s nodes that belong to ``network``. A nested
    functional model's own node (its inputs to its outputs) keeps index 0, as in tf.keras."""
    kept, new = {}, 1 if getattr(layer, "_is_graph_network", False) else 0
    for i, node in enumerate(layer._inbound_nodes):
        if id(node) in network._network_nodes or isinstance(layer, InputLayer):
            kept[i] = new
            new += 1
    return kept


def _functional_config(network) -> dict:
    from .. import layers as layers_module
    layer_configs = []
    for layer in network.layers:
        kept = _kept_node_index(network, layer)
        inbound = []
        for i, node in enumerate(layer._inbound_nodes):
            if i not in kept or isinstance(layer, InputLayer):
                continue
            entry = []
            for inbound_layer, node_index, tensor_index, _ in node.iterate_inbound():
                index = _kept_node_index(network, inbound_layer).get(node_index, 0)
                entry.append([inbound_layer.name, index, tensor_index, dict(node.arguments)])
            inbound.append(entry)
        layer_configs.append({"class_name": type(layer).__name__,
                              "config": layers_module.serialize(layer)["config"],
                              "name": layer.name, "inbound_nodes": inbound})

    def coordinates(tensors):
        out = []
        for x in tensors:
            layer, node_index, tensor_index = x._keras_history
            out.append([layer.name, _kept_node_index(network, layer).get(node_index, 0),
                        tensor_index])
        return out

    return {"name": network.name, "trainable": network.trainable, "layers": layer_configs,
            "input_layers": coordinates(network.inputs),
            "output_layers": coordinates(network.outputs)}


def _reconstruct(config: dict, custom_objects=None):
    """Rebuild the layers of a functional config and call them as recorded."""
    from .. import layers as layers_module
    created: dict = {}
    pending: list = []
    for layer_data in config["layers"]:
        layer = layers_module.deserialize({"class_name": layer_data["class_name"],
                                           "config": layer_data["config"]},
                                          custom_objects=custom_objects)
        created[layer_data["name"]] = layer
        for node_data in layer_data.get("inbound_nodes", []):
            pending.append((layer, node_data))
    while pending:
        progressed, rest, blocked = False, [], set()
        for layer, node_data in pending:
            if id(layer) in blocked:  # a layer's nodes are rebuilt in their recorded order
                rest.append((layer, node_data))
                continue
            entries = [e if isinstance(e, (list, tuple)) else [e["name"] if isinstance(e, dict)
                                                                else e, 0, 0, {}]
                       for e in node_data]
            ready = all(len(created[e[0]]._inbound_nodes) > e[1] for e in entries)
            if not ready:
                rest.append((layer, node_data))
                blocked.add(id(layer))
                continue
            args = [created[e[0]]._inbound_nodes[e[1]].output_tensors[e[2]] for e in entries]
            kwargs = entries[0][3] if len(entries[0]) > 3 else {}
            layer(args if len(args) > 1 else args[0], **(kwargs or {}))
            progressed = True
        if not progressed:
            raise ValueError(f"Cannot rebuild the model graph: the inbound layers of "
                             f"{[layer.name for layer, _ in rest]} are never created.")
        pending = rest

    def tensors(coords):
        return [created[name]._inbound_nodes[node].output_tensors[index]
                for name, node, index in coords]

    inputs, outputs = tensors(config["input_layers"]), tensors(config["output_layers"])
    return (inputs if len(inputs) > 1 else inputs[0],
            outputs if len(outputs) > 1 else outputs[0], created)
