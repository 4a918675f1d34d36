"""Op pairs a session plan runs as one kernel (as TensorFlow's grappler remapper fuses them).

``BiasAdd -> Relu`` becomes one pass ``max(x + b, 0)``; ``ReluGrad -> BiasAddGrad`` becomes one
pass that writes the Relu gradient and sums it per channel. Each pair is fused only where no
one can tell: the intermediate tensor (the BiasAdd output) has the Relu as its only reader and
is neither fed nor fetched, and the second op has no control inputs (it may run earlier, at the
first op's place). Usage (client/plan.py)::

    pairs = find_fusions(ops, readers, fetched, fed)   # {first op: Fusion}
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Optional

from ..kernels import nn_kernels as K

__all__ = ["Fusion", "find_fusions"]

_CHANNELS_LAST = ("NHWC", "NWC", "NDHWC", "N...C")
_FLOATS = ("float32", "float64")


class Fusion(NamedTuple):
    """How to run ``first`` and ``second`` together: ``kernel(*first.inputs, **attrs)`` returns
    ``outputs`` (tensors of either op), ``inplace`` may overwrite the first input."""
    second: object
    kernel: Callable
    inplace: Callable
    outputs: tuple
    attrs: dict


def _sole_reader(op, readers, fetched, fed) -> Optional[object]:
    """``op``'s output's only reading op, when the output is invisible outside the pair."""
    out = op._outputs[0]
    if readers.get(out) != 1 or out in fetched or out in fed:
        return None
    found = [c for c in out.consumers() if out in c._inputs]
    return found[0] if len(found) == 1 else None


def _fusable(second, fed, dtype, data_format) -> bool:
    return (not second._control_inputs and dtype.name in _FLOATS
            and data_format in _CHANNELS_LAST and not any(t in fed for t in second._outputs))


def find_fusions(ops: list, readers: dict, fetched: set, fed: set) -> dict:
    """{first op: Fusion} for the fusable pairs among ``ops`` (a plan's ops, in order)."""
    in_plan = set(ops)
    found: dict = {}
    for op in ops:
        fmt = op._attrs.get("data_format", "NHWC")
        if op.type == "BiasAdd":
            relu = _sole_reader(op, readers, fetched, fed)
            if relu is not None and relu in in_plan and relu.type == "Relu" \
                    and _fusable(relu, fed, op._outputs[0].dtype, fmt):
                found[op] = Fusion(relu, K.bias_relu, K.bias_relu_inplace, (relu._outputs[0],),
                                   {"data_format": fmt})
        elif op.type == "ReluGrad":
            dz = op._outputs[0]
            if dz in fetched or dz in fed:
                continue
            grads = [c for c in dz.consumers() if c in in_plan and c.type == "BiasAddGrad"
                     and c._inputs[0] is dz]
            if len(grads) != 1:
                continue
            bag = grads[0]
            fmt = bag._attrs.get("data_format", "NHWC")
            if _fusable(bag, fed, dz.dtype, fmt):
                found[op] = Fusion(bag, K.relu_grad_bias_grad, K.relu_grad_bias_grad_inplace,
                                   (dz, bag._outputs[0]), {"data_format": fmt})
    return found
