"""Op chains a session plan runs as one kernel (as TensorFlow's grappler remapper fuses them).

``BiasAdd -> Relu`` becomes one pass ``max(x + b, 0)``; ``ReluGrad -> BiasAddGrad`` becomes one
pass that writes the Relu gradient and sums it per channel; ``MaxPoolGrad -> ReluGrad ->
BiasAddGrad`` (the backward pass of a conv layer's bias, relu and pooling) becomes one pass too.
A chain is fused only where no one can tell: each intermediate tensor (the BiasAdd output, the
MaxPoolGrad output) has the next op as its only reader and is neither fed nor fetched, and the
later ops have no control inputs (they run earlier, at the first op's place, so any other
input they read must come before it). Usage (client/plan.py)::

    chains = find_fusions(ops, readers, fetched, fed)   # {first op: Fusion}
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Optional

from ..kernels import conv_kernels as CK, nn_kernels as K

__all__ = ["Fusion", "find_fusions"]

_CHANNELS_LAST = ("NHWC", "NWC", "NDHWC", "N...C")
_FLOATS = ("float32", "float64")


class Fusion(NamedTuple):
    """How to run ``first`` and the ``absorbed`` ops after it as one kernel:
    ``kernel(*first.inputs, *extra_inputs, **attrs)`` returns ``outputs`` (tensors of any of
    them); ``inplace`` (or None) may overwrite the first input."""
    absorbed: tuple
    kernel: Callable
    inplace: Optional[Callable]
    outputs: tuple
    attrs: dict
    extra_inputs: tuple = ()


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


def _relu_grad_bias_grad(relu_grad, in_plan, fetched, fed):
    """The BiasAddGrad that ``relu_grad``'s output feeds and a fusion may absorb, or None."""
    dz = relu_grad._outputs[0]
    if dz in fetched or dz in fed:
        return None
    grads = [c for c in dz.consumers() if c in in_plan and c.type == "BiasAddGrad"
             and c._inputs[0] is dz]
    if len(grads) != 1:
        return None
    bag = grads[0]
    fmt = bag._attrs.get("data_format", "NHWC")
    return bag if _fusable(bag, fed, dz.dtype, fmt) else None


def find_fusions(ops: list, readers: dict, fetched: set, fed: set) -> dict:
    """{first op: Fusion} for the fusable chains among ``ops`` (a plan's ops, in order)."""
    in_plan = set(ops)
    position = {op: i for i, op in enumerate(ops)}
    found: dict = {}
    absorbed: set = set()
    for op in ops:
        if op in absorbed:
            continue
        fmt = op._attrs.get("data_format", "NHWC")
        if op.type == "BiasAdd":
            relu = _sole_reader(op, readers, fetched, fed)
            if relu is not None and relu in in_plan and relu.type == "Relu" \
                    and _fusable(relu, fed, op._outputs[0].dtype, fmt):
                found[op] = Fusion((relu,), K.bias_relu, K.bias_relu_inplace,
                                   (relu._outputs[0],), {"data_format": fmt})
        elif op.type == "ReluGrad":
            bag = _relu_grad_bias_grad(op, in_plan, fetched, fed)
            if bag is not None:
                found[op] = Fusion((bag,), K.relu_grad_bias_grad, K.relu_grad_bias_grad_inplace,
                                   (op._outputs[0], bag._outputs[0]),
                                   {"data_format": bag._attrs.get("data_format", "NHWC")})
        elif op.type == "MaxPoolGrad" and fmt in _CHANNELS_LAST:
            relu_grad = _sole_reader(op, readers, fetched, fed)
            if relu_grad is None or relu_grad not in in_plan or relu_grad.type != "ReluGrad" \
                    or relu_grad._inputs[0] is not op._outputs[0] \
                    or not _fusable(relu_grad, fed, op._outputs[0].dtype, fmt):
                continue
            features = relu_grad._inputs[1]
            if features.op in in_plan and position[features.op] > position[op]:
                continue  # not computed yet where the fused kernel runs
            bag = _relu_grad_bias_grad(relu_grad, in_plan, fetched, fed)
            if bag is not None:
                found[op] = Fusion((relu_grad, bag), CK.max_pool_grad_relu_bias_grad, None,
                                   (relu_grad._outputs[0], bag._outputs[0]), dict(op._attrs),
                                   (features,))
                absorbed.update((relu_grad, bag))
    return found
