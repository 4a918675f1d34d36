"""``tf.gradients``: symbolic derivatives of ``ys`` with respect to ``xs`` in a graph.

Usage: ``dw, db = tf.gradients(loss, [w, b])`` (summed over ``ys``; None where unconnected).
"""
from __future__ import annotations

from typing import Optional

from ..eager import context
from ..framework import ops
from ..framework.ops import Operation, Tensor, convert_to_tensor
from ..gradients import backprop
from ..util import nest

__all__ = ["gradients", "hessians"]


def as_gradient_source(x):
    """Variables are differentiated through the tensor their users read."""
    if hasattr(x, "_grad_source"):
        return x._grad_source()
    return convert_to_tensor(x)


def _between_ops(ys, xs) -> list:
    """Ops on a data path from some x to some y, in creation (topological) order."""
    back = set()
    stack = [y.op for y in ys]
    while stack:
        op = stack.pop()
        if op in back:
            continue
        back.add(op)
        stack.extend(t.op for t in op._inputs if t.op not in back)
    forward = set()
    stack = [c for x in xs for c in x._consumers]
    while stack:
        op = stack.pop()
        if op in forward or op not in back:
            continue
        forward.add(op)
        for out in op._outputs:
            stack.extend(out._consumers)
    return sorted(forward, key=lambda o: o._id)


def gradients(ys, xs, grad_ys=None, name: str = "gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients: str = "none") -> list:
    """d(sum of ys)/d(x) for each x in ``xs``."""
    if context.executing_eagerly():
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. Use "
                           "tf.GradientTape instead.")
    ys = [convert_to_tensor(y) for y in (nest.flatten(ys) if isinstance(ys, (list, tuple)) else [ys])]
    xs_list = nest.flatten(xs) if isinstance(xs, (list, tuple)) else [xs]
    xs_t = [as_gradient_source(x) for x in xs_list]
    stop = [as_gradient_source(s) for s in (nest.flatten(stop_gradients) if stop_gradients is not None else [])]
    graph = ys[0].graph if ys else ops.get_default_graph()
    from ..ops import array_ops
    with graph.as_default(), graph.name_scope(name or "gradients"):
        if grad_ys is None:
            grad_ys = [None] * len(ys)
        else:
            grad_ys = nest.flatten(grad_ys) if isinstance(grad_ys, (list, tuple)) else [grad_ys]
            if len(grad_ys) != len(ys):
                raise ValueError(f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
        seeds = []
        for i, (y, g) in enumerate(zip(ys, grad_ys)):
            if g is None:
                if not backprop.is_differentiable(y.dtype):
                    raise TypeError(f"Gradients of complex/int tensors must set grad_ys (y.dtype = "
                                    f"{y.dtype.name})")
                g = array_ops.ones_like(y, name=f"grad_ys_{i}")
            else:
                g = convert_to_tensor(g, dtype=y.dtype)
            seeds.append(g)
        between = _between_ops(ys, xs_t)
        grads = backprop.reverse_pass(
            between, ys, seeds, stop_tensors=stop,
            scope_fn=lambda op: graph.name_scope(op.name + "_grad"), gate=bool(gate_gradients),
            wanted=set(xs_t).union(*(op._outputs for op in between)))
        return backprop.finish(grads, xs_t, unconnected_gradients)


def hessians(ys, xs, name: str = "hessians", colocate_gradients_with_ops=False,
             gate_gradients=False, aggregation_method=None) -> list:
    """Second derivatives of sum(ys) for each x (flattened x: an [n, n] matrix per x)."""
    from ..ops import array_ops, math_ops
    xs_list = xs if isinstance(xs, (list, tuple)) else [xs]
    out = []
    for x in xs_list:
        g = gradients(ys, x)[0]
        n = x.shape.num_elements()
        flat = array_ops.reshape(g, [-1])
        rows = [gradients(flat[i], x)[0] for i in range(n)]
        rows = [array_ops.zeros_like(x) if r is None else r for r in rows]
        out.append(array_ops.reshape(array_ops.stack(rows), x.shape.as_list() + x.shape.as_list()))
    return out
