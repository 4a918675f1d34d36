"""The reverse pass shared by ``tf.gradients`` (graph) and ``GradientTape`` (eager).

Both hand it op-like objects (``.type``, ``.inputs``, ``.outputs``, ``.get_attr``) in the order
they were created; it walks them backwards, calling each op type's registered gradient function,
which builds the gradient out of ordinary ops (so higher-order gradients come for free).
"""
from __future__ import annotations

from typing import Iterable, Optional

from ..framework import dtypes
from ..framework.registry import get_gradient_function


def is_differentiable(dtype) -> bool:
    return dtype.is_floating or dtype.is_complex or dtype in (dtypes.resource, dtypes.variant)


def _aggregate(grads: Optional[list]):
    if not grads:
        return None
    if len(grads) == 1:
        return grads[0]
    from ..ops import math_ops
    return math_ops.add_n(grads)


def _zeros_for(t):
    """Zeros standing in for the gradient of an unused output, marked so that gradient
    functions can skip work on them (as TF's ``_is_zeros_tensor``)."""
    from ..ops import array_ops
    z = array_ops.zeros_like(t)
    z._is_zeros_tensor = True
    return z


def reverse_pass(ops: list, targets: list, target_grads: list, stop_tensors: Iterable = (),
                 scope_fn=None, gate: bool = False, wanted=None, needed_ids=None) -> dict:
    """Propagate ``target_grads`` backwards through ``ops`` (creation order).

    Returns ``{tensor: [grad pieces]}`` for every tensor reached. ``scope_fn(op)`` may return a
    context manager entered while that op's gradient is built (graph name scopes). ``gate``
    (graph mode) makes an op's input gradients available only together (``tf.tuple``, as TF's
    ``gate_gradients``), so no update can use one while its siblings still read the inputs;
    only the gradients of ``wanted`` tensors (on a path to a source) are gated, so gating never
    forces an unused gradient (a placeholder's, say) to be computed. ``needed_ids`` (eager
    tapes) holds the ids of tensors that depend on a source: each op gets the indices of its
    other inputs as ``skip_input_indices``, so gradient functions can skip that work.
    """
    from ..ops import array_ops
    stop = set(stop_tensors)
    grads: dict = {}
    for t, g in zip(targets, target_grads):
        grads.setdefault(t, []).append(g)
    for op in reversed(ops):
        outs = op.outputs
        live = [grads.get(o) if o not in stop else None for o in outs]
        if not any(live):
            continue
        fn = get_gradient_function(op)
        if fn is None:
            continue
        ctx = scope_fn(op) if scope_fn else None
        if ctx is not None:
            ctx.__enter__()
        try:
            out_grads = [_aggregate(p) if p else
                         (_zeros_for(o) if is_differentiable(o.dtype) else None)
                         for o, p in zip(outs, live)]
            if needed_ids is not None:
                op.skip_input_indices = tuple(
                    i for i, t in enumerate(op.inputs) if id(t) not in needed_ids) or None
            in_grads = fn(op, *out_grads)
            if not isinstance(in_grads, (list, tuple)):
                in_grads = [in_grads]
            if len(in_grads) != len(op.inputs):
                raise ValueError(f"Num gradients {len(in_grads)} generated for op {op.name} of type "
                                 f"{op.type} do not match num inputs {len(op.inputs)}")
            if gate and wanted is not None:
                in_grads = [g if inp in wanted else None for inp, g in zip(op.inputs, in_grads)]
            if gate and sum(g is not None for g in in_grads) > 1:
                from ..ops.control_flow_ops import tuple as gated
                in_grads = gated(in_grads)
            for inp, g in zip(op.inputs, in_grads):
                if g is None or inp in stop or not is_differentiable(inp.dtype):
                    continue
                grads.setdefault(inp, []).append(g)
        finally:
            if ctx is not None:
                ctx.__exit__(None, None, None)
    return grads


def finish(grads: dict, sources: list, unconnected: str = "none") -> list:
    """Sum the pieces for each source; None (or zeros with ``unconnected='zero'``) if unreached."""
    from ..ops import array_ops
    out = []
    for s in sources:
        g = _aggregate(grads.get(s))
        if g is None and unconnected == "zero":
            g = array_ops.zeros_like(s)
        out.append(g)
    return out
