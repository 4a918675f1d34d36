"""``model.summary()``: Keras's table of layers, output shapes, parameter counts (and the
inbound connections for non-sequential graphs).

Usage: ``print_summary(model)``; ``print_summary(model, print_fn=lines.append)``.
"""
from __future__ import annotations

import numpy as np

__all__ = ["print_summary", "count_params"]


def count_params(weights) -> int:
    unique = {id(w): w for w in weights}.values()
    return int(sum(np.prod(w.shape.as_list()) for w in unique))


def _memory(weights) -> int:
    unique = {id(w): w for w in weights}.values()
    return int(sum(np.prod(w.shape.as_list()) * w.dtype.size for w in unique
                   if None not in w.shape.as_list()))


def _readable(size: float) -> str:
    for unit in ("Byte", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _is_sequential_like(model) -> bool:
    if type(model).__name__ == "Sequential" or not model._is_graph_network:
        return True
    nodes = []
    for group in model._nodes_by_depth.values():
        if len(group) > 1 or (len(group) == 1 and len(group[0].input_tensors) > 1):
            return False
        nodes += group
    for layer in model.layers:  # a shared layer makes the graph non-sequential
        if sum(any(n is m for m in nodes) for n in layer._inbound_nodes) > 1:
            return False
    return True


def _row(fields, positions) -> str:
    """One table row; text too long for its column continues on the next lines, broken
    after a closing bracket where possible, as Keras prints it."""
    rest = [str(f) for f in fields]
    lines = []
    while any(rest):
        line = ""
        for col, text in enumerate(rest):
            start = positions[col - 1] if col else 0
            last = col == len(positions) - 1
            space = 0 if last else 2
            cutoff = positions[col] - start - space - (0 if last else 1)
            piece = text[:cutoff]
            breaks = [piece.find(b) + len(b) for b in ("),", "},", "],", "',")
                      if piece.find(b) >= 0]
            if breaks:
                cutoff = min(breaks)
                piece = piece[:cutoff]
            if col == 0:
                line += " "
            line += piece + " " * space
            rest[col] = text[cutoff:]
            line += " " * (positions[col] - len(line))
        lines.append(line)
    return "\n".join(lines)


def _output_shape(layer, model):
    """The layer's output shape; ``multiple`` inside subclassed models (tf.keras records no
    nodes for calls made inside ``call``) or for layers with differing shapes."""
    if not model._is_graph_network:
        return "multiple"
    try:
        return layer.output_shape
    except AttributeError:
        return "multiple"


def print_summary(model, line_length=None, positions=None, print_fn=None) -> None:
    print_fn = print_fn or print
    sequential = _is_sequential_like(model)
    if sequential:
        line_length = line_length or 65
        positions = positions or [0.45, 0.85, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = positions or [0.3, 0.6, 0.70, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        relevant = [n for group in model._nodes_by_depth.values() for n in group]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    print_fn(_row(header, positions))
    print_fn("=" * line_length)
    for layer in model.layers:
        if not layer.built and not getattr(layer, "_is_graph_network", False):
            params = "0 (unused)"
        else:
            params = layer.count_params()
        fields = [f"{layer.name} ({type(layer).__name__})", _output_shape(layer, model), params]
        if not sequential:
            connections = []
            for node in layer._inbound_nodes:
                if not any(node is n for n in relevant):
                    continue
                for inbound, node_index, tensor_index, _ in node.iterate_inbound():
                    connections.append(f"{inbound.name}[{node_index}][{tensor_index}]")
            fields.append(connections)
        for line in _row(fields, positions).split("\n"):
            print_fn(line)
        print_fn(" " * line_length)
    print_fn("=" * line_length)
    trainable = model.trainable_weights
    frozen = model.non_trainable_weights
    total_memory = _memory(trainable) + _memory(frozen)
    print_fn(f"Total params: {count_params(trainable) + count_params(frozen)} "
             f"({_readable(total_memory)})")
    print_fn(f"Trainable params: {count_params(trainable)} ({_readable(_memory(trainable))})")
    print_fn(f"Non-trainable params: {count_params(frozen)} ({_readable(_memory(frozen))})")
    print_fn("_" * line_length)
