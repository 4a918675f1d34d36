"""Gradients of reductions, scans, segment sums, matrix products and einsum (elementwise ones
live beside their ops in ops/math_ops.py). All are built from ordinary ops, so they nest
(higher-order gradients) and run the same in graph and eager mode.
"""
from __future__ import annotations

import string

import numpy as np

from ..framework import dtypes
from ..framework.ops import convert_to_tensor
from ..framework.registry import RegisterGradient
from ..framework.tensor_util import constant_value
from ..ops import array_ops, math_ops
from ..ops.einsum_ops import ELL, einsum, parse_equation


# ---- reductions ----------------------------------------------------------------------------
def _reduced_shape_static(x, axis_tensor):
    """The keep-dims shape of a reduction (list) when it is known statically, else None."""
    axes = constant_value(axis_tensor)
    if axes is None or x.shape.ndims is None:
        return None
    dims = x.shape.as_list()
    nd = len(dims)
    for a in np.reshape(axes, [-1]):
        dims[int(a) % nd] = 1
    return None if None in dims else dims


def _reduced_shape_dynamic(x, axis_tensor):
    """keep-dims shape of a reduction as a tensor: the input shape with reduced axes set to 1,
    built from ordinary ops (an axis mask from Equal/Any, then SelectV2)."""
    in_shape = array_ops.shape(x)
    rank = array_ops.size(in_shape)
    axes = array_ops.reshape(math_ops.floormod(math_ops.cast(axis_tensor, dtypes.int32) + rank,
                                               rank), [1, -1])
    positions = array_ops.reshape(array_ops.range(0, rank), [-1, 1])
    reduced = math_ops.reduce_any(math_ops.equal(positions, axes), 1)
    return array_ops.where(reduced, array_ops.ones_like(in_shape), in_shape)


def _keep_shape(op):
    """Shape to reshape a reduction's output (or its gradient) to, so it broadcasts against the
    input; None when the op already kept its dims."""
    if op.get_attr("keep_dims"):
        return None
    x, axis = op.inputs
    shape = _reduced_shape_static(x, axis)
    return shape if shape is not None else _reduced_shape_dynamic(x, axis)


def _expand_grad(op, grad):
    """Broadcast the reduced ``grad`` back to the input's shape."""
    keep = _keep_shape(op)
    if keep is not None:
        grad = array_ops.reshape(grad, keep)
    return array_ops.broadcast_to(grad, array_ops.shape_of_static(op.inputs[0]))


@RegisterGradient("Sum")
def _sum_grad(op, grad):
    return [_expand_grad(op, grad), None]


@RegisterGradient("Mean")
def _mean_grad(op, grad):
    x, out = op.inputs[0], op.outputs[0]
    g = _expand_grad(op, grad)
    n_in, n_out = x.shape.num_elements(), out.shape.num_elements()
    if n_in is not None and n_out is not None:
        factor = n_in // max(n_out, 1)
        return [g / convert_to_tensor(factor, dtype=g.dtype) if factor != 1 else g, None]
    if n_out is not None:
        factor = math_ops.cast(array_ops.size(x), g.dtype)
        if n_out > 1:
            factor = factor / convert_to_tensor(n_out, dtype=g.dtype)
        return [g / factor, None]
    factor = math_ops.cast(array_ops.size(x), g.dtype) / math_ops.cast(
        math_ops.maximum(array_ops.size(out), 1), g.dtype)
    return [g / factor, None]


def _minmax_reduce_grad(op, grad):
    """Gradient split evenly between all elements equal to the extreme value (TF's rule)."""
    x, axis = op.inputs
    y = op.outputs[0]
    keep = _keep_shape(op)
    if keep is not None:
        y = array_ops.reshape(y, keep)
        grad = array_ops.reshape(grad, keep)
    indicators = math_ops.cast(math_ops.equal(y, x), grad.dtype)
    num = math_ops.reduce_sum(indicators, axis, keepdims=True)
    return [math_ops.divide(indicators, num) * grad, None]


RegisterGradient("Max")(_minmax_reduce_grad)
RegisterGradient("Min")(_minmax_reduce_grad)


def _prod_except_self_along(p, axis: int):
    """Product of all other elements along ``axis``: exclusive cumprods from both ends."""
    left = math_ops.cumprod(p, axis, exclusive=True)
    right = math_ops.cumprod(p, axis, exclusive=True, reverse=True)
    return left * right


@RegisterGradient("Prod")
def _prod_grad(op, grad):
    """d prod / d x_i = product of the other reduced elements, without dividing by x (so zeros
    are handled): for reduced axes a1..an, the product over m of the exclusive product along
    a_m of ``reduce_prod(x, a_{m+1..n}, keepdims=True)``. Built from Cumprod/Prod, so it nests."""
    x, axis = op.inputs
    g = _expand_grad(op, grad)
    axes, nd = constant_value(axis), x.shape.ndims
    if axes is None or nd is None:  # dynamic axes: the division formula (inf/nan at zeros)
        y = _expand_grad(op, op.outputs[0])
        return [g * math_ops.realdiv(y, x), None]
    axes = sorted({int(a) % nd for a in np.reshape(axes, [-1])}) if nd else []
    factor = None
    for m, a in enumerate(axes):
        rest = axes[m + 1:]
        p = math_ops.reduce_prod(x, rest, keepdims=True) if rest else x
        e = _prod_except_self_along(p, a)
        factor = e if factor is None else factor * e
    return [g if factor is None else g * factor, None]


# ---- scans -------------------------------------------------------------------------------------
@RegisterGradient("Cumsum")
def _cumsum_grad(op, grad):
    return [math_ops.cumsum(grad, op.inputs[1], exclusive=op.get_attr("exclusive"),
                            reverse=not op.get_attr("reverse")), None]


@RegisterGradient("Cumprod")
def _cumprod_grad(op, grad):
    """TF's formula: reverse cumsum of (output * grad), divided by x (inf/nan where x == 0)."""
    x, axis = op.inputs
    ex, rev = op.get_attr("exclusive"), op.get_attr("reverse")
    out = math_ops.cumsum(op.outputs[0] * grad, axis, exclusive=ex, reverse=not rev)
    return [math_ops.realdiv(out, x), None]


# ---- matrix products ---------------------------------------------------------------------------
def _product_grads(a, b, grad, ta: bool, tb: bool, flag_a: str, flag_b: str, skip=None):
    """Gradients of ``op(a) @ op(b)`` where ``op`` transposes (or adjoints) when ``ta``/``tb``;
    ``flag_a``/``flag_b`` name matmul's keyword for that (``transpose_*`` or ``adjoint_*``).
    Input indices in ``skip`` (eager: no source depends on them) get None, not a product."""
    def mm(x, y, fx=False, fy=False):
        return math_ops.matmul(x, y, **{flag_a: fx, flag_b: fy})
    if not ta and not tb:
        parts = (lambda: mm(grad, b, fy=True)), (lambda: mm(a, grad, fx=True))
    elif not ta and tb:
        parts = (lambda: mm(grad, b)), (lambda: mm(grad, a, fx=True))
    elif ta and not tb:
        parts = (lambda: mm(b, grad, fy=True)), (lambda: mm(a, grad))
    else:
        parts = (lambda: mm(b, grad, True, True)), (lambda: mm(grad, a, True, True))
    skip = skip or ()
    return tuple(None if i in skip else part() for i, part in enumerate(parts))


@RegisterGradient("MatMul")
def _matmul_grad(op, grad):
    a, b = op.inputs
    return list(_product_grads(a, b, grad, op.get_attr("transpose_a"), op.get_attr("transpose_b"),
                               "transpose_a", "transpose_b",
                               getattr(op, "skip_input_indices", None)))


@RegisterGradient("BatchMatMulV2")
def _batch_matmul_grad(op, grad):
    a, b = op.inputs
    ga, gb = _product_grads(a, b, grad, op.get_attr("adj_x"), op.get_attr("adj_y"),
                            "adjoint_a", "adjoint_b")
    return [array_ops.sum_to_shape_of(ga, a), array_ops.sum_to_shape_of(gb, b)]


# ---- segment reductions ----------------------------------------------------------------------
def _expand_ids_mask(mask, params):
    """``mask`` (shape of segment_ids) with trailing 1-dims so it broadcasts against rows."""
    extra = params.shape.ndims
    if extra is None:
        ones = array_ops.ones_like(array_ops.shape(params)[1:])
        return array_ops.reshape(mask, array_ops.concat([array_ops.shape(mask), ones], 0))
    for _ in range(extra - 1):
        mask = array_ops.expand_dims(mask, -1)
    return mask


def _gather_drop_negatives(params, ids, zero_clipped=None, is_positive=None):
    """``params[ids]`` with rows for negative ids set to 0 (TF's helper of the same name)."""
    if zero_clipped is None:
        zero_clipped = math_ops.maximum(ids, convert_to_tensor(0, dtype=ids.dtype))
    gathered = array_ops.gather(params, zero_clipped)
    if is_positive is None:
        is_positive = _expand_ids_mask(
            math_ops.greater_equal(ids, convert_to_tensor(0, dtype=ids.dtype)), params)
    return array_ops.where(is_positive, gathered, array_ops.zeros_like(gathered)), \
        zero_clipped, is_positive


@RegisterGradient("UnsortedSegmentSum")
def _unsorted_segment_sum_grad(op, grad):
    return [_gather_drop_negatives(grad, op.inputs[1])[0], None, None]


@RegisterGradient("SegmentSum")
def _segment_sum_grad(op, grad):
    return [array_ops.gather(grad, op.inputs[1]), None]


@RegisterGradient("SegmentMean")
def _segment_mean_grad(op, grad):
    data, ids = op.inputs
    counts = math_ops.segment_sum(array_ops.ones_like(data), ids)
    return [array_ops.gather(grad / counts, ids), None]


def _segment_minmax_grad(op, grad, unsorted: bool):
    data, ids = op.inputs[0], op.inputs[1]
    if unsorted:
        n = op.inputs[2]
        gathered_out, clipped, is_pos = _gather_drop_negatives(op.outputs[0], ids)
        is_sel = math_ops.logical_and(math_ops.equal(data, gathered_out), is_pos)
        num_sel = math_ops.unsorted_segment_sum(math_ops.cast(is_sel, grad.dtype), ids, n)
        weighted = math_ops.divide(grad, num_sel)
        gathered_grads = _gather_drop_negatives(weighted, ids, clipped, is_pos)[0]
        return [array_ops.where(is_sel, gathered_grads, array_ops.zeros_like(gathered_grads)),
                None, None]
    is_sel = math_ops.equal(data, array_ops.gather(op.outputs[0], ids))
    num_sel = math_ops.segment_sum(math_ops.cast(is_sel, grad.dtype), ids)
    gathered_grads = array_ops.gather(math_ops.divide(grad, num_sel), ids)
    return [array_ops.where(is_sel, gathered_grads, array_ops.zeros_like(gathered_grads)), None]


for _t in ("Max", "Min"):
    RegisterGradient(f"UnsortedSegment{_t}")(lambda op, g: _segment_minmax_grad(op, g, True))
    RegisterGradient(f"Segment{_t}")(lambda op, g: _segment_minmax_grad(op, g, False))


def _segment_prod_grad(op, grad, unsorted: bool):
    """Product of the other rows of the segment; exact with zeros (TF's formula)."""
    data, ids = op.inputs[0], op.inputs[1]
    zero = array_ops.zeros_like(data)
    is_zero = math_ops.equal(data, zero)
    if unsorted:
        n = op.inputs[2]
        seg_sum = lambda v: math_ops.unsorted_segment_sum(v, ids, n)  # noqa: E731
        seg_prod = lambda v: math_ops.unsorted_segment_prod(v, ids, n)  # noqa: E731
        gather = lambda v: _gather_drop_negatives(v, ids)[0]  # noqa: E731
    else:
        seg_sum = lambda v: math_ops.segment_sum(v, ids)  # noqa: E731
        seg_prod = lambda v: math_ops.segment_prod(v, ids)  # noqa: E731
        gather = lambda v: array_ops.gather(v, ids)  # noqa: E731
    num_zeros = seg_sum(math_ops.cast(is_zero, grad.dtype))
    grad = array_ops.where(math_ops.greater(num_zeros, 1.0), array_ops.zeros_like(grad), grad)
    non_zero_data = array_ops.where(is_zero, array_ops.ones_like(data), data)
    non_zero_prod = seg_prod(non_zero_data)
    partial = array_ops.where(is_zero, gather(non_zero_prod), gather(op.outputs[0]) / non_zero_data)
    out = gather(grad) * partial
    return [out, None, None] if unsorted else [out, None]


RegisterGradient("UnsortedSegmentProd")(lambda op, g: _segment_prod_grad(op, g, True))
RegisterGradient("SegmentProd")(lambda op, g: _segment_prod_grad(op, g, False))


# ---- einsum --------------------------------------------------------------------------------------
def _fresh_letters(used):
    return iter(c for c in string.ascii_letters if c not in used)


def _diag_mask(shape, groups):
    """float mask of ``shape``: 1 where the indices of every axis group are all equal."""
    mask = np.ones(shape, dtype=bool)
    for axes in groups:
        idx = np.indices([shape[a] for a in axes])
        eq = np.all(idx == idx[0], axis=0)
        view = [shape[a] if a in axes else 1 for a in range(len(shape))]
        mask &= eq.reshape(view)
    return mask


def _einsum_operand_grad(grad, ins, out, inputs, k):
    x, s = inputs[k], ins[k]
    others = [i for i in range(len(ins)) if i != k]
    other_letters = set(out) | set("".join(ins[i] for i in others))
    letters = s.replace(ELL, "")
    uniq = list(dict.fromkeys(letters))
    kept = [c for c in uniq if c in other_letters]
    any_ell = ELL in out or any(ELL in ins[i] for i in others)
    g_subs = (ELL if any_ell else "") + "".join(kept)
    eq = ",".join([out] + [ins[i] for i in others]) + "->" + g_subs
    g = einsum(eq, grad, *[inputs[i] for i in others])
    if any_ell and ELL not in s:  # broadcast dims that x never had: sum them away
        lead = g.shape.ndims - len(kept) if g.shape.ndims is not None else None
        if lead is None:
            raise NotImplementedError("einsum gradient needs tensors of known rank")
        if lead:
            g = math_ops.reduce_sum(g, list(range(lead)))
        g_subs = "".join(kept)
    if len(uniq) != len(letters):  # repeated subscripts (a diagonal): scatter onto it by a mask
        if ELL in s or not x.shape.is_fully_defined():
            raise NotImplementedError("einsum gradient with repeated subscripts needs a "
                                      "statically known input shape and no ellipsis")
        fresh = _fresh_letters(set(s) | set(g_subs))
        first, groups, chars = {}, {}, []
        for pos, c in enumerate(s):
            if c in first:
                groups.setdefault(c, [first[c]]).append(pos)
                chars.append(next(fresh))
            else:
                first[c] = pos
                chars.append(c)
        s_apart = "".join(chars)
        mask = _diag_mask(x.shape.as_list(), list(groups.values()))
        m = convert_to_tensor(mask.astype(x.dtype.as_numpy_dtype))
        gx = einsum(f"{g_subs},{s_apart}->{s_apart}", g, m)
    elif len(kept) != len(uniq):  # letters summed only inside x: broadcast g along them
        gx = einsum(f"{g_subs},{s}->{s}", g, array_ops.ones_like(x))
    else:
        gx = g if g_subs == s else einsum(f"{g_subs}->{s}", g)
    return _reduce_to_shape(gx, x, s)


def _reduce_to_shape(gx, x, s):
    """Sum away broadcasting (ellipsis dims, size-1 labelled dims) so ``gx`` matches ``x``."""
    if gx.shape.is_fully_defined() and x.shape.is_fully_defined() and gx.shape == x.shape:
        return gx
    if not s.startswith(ELL) and ELL in s:
        if gx.shape.ndims is not None and gx.shape.ndims == x.shape.ndims:
            return gx if gx.shape.is_fully_defined() and gx.shape == x.shape else \
                array_ops.sum_to_shape_of(gx, x)
        raise NotImplementedError("einsum gradient: broadcast '...' in the middle of subscripts")
    return array_ops.sum_to_shape_of(gx, x)


@RegisterGradient("Einsum")
def _einsum_grad(op, grad):
    ins, out = parse_equation(op.get_attr("equation"), len(op.inputs))
    return [_einsum_operand_grad(grad, ins, out, list(op.inputs), k) for k in range(len(ins))]
