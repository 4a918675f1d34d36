"""Control ops: ``no_op``, ``group``, ``tuple``, ``with_dependencies``, and control flow:
``cond``, ``case``, ``while_loop`` (functional ops built by ops/functional_ops.py).

Usage::

    train = tf.group(update_a, update_b)
    y = tf.cond(x > 0, lambda: x * 2.0, lambda: -x)
    i, acc = tf.while_loop(lambda i, a: i < 10, lambda i, a: (i + 1, a * 2.0), [0, 1.0])
"""
from __future__ import annotations

import builtins
from typing import Optional

import numpy as np

from ..eager import context
from ..framework import dtypes, errors, ops
from ..framework.ops import Operation, Tensor, apply_op
from ..framework.registry import NotDifferentiable, define_op
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor_shape import as_shape
from ..framework.tensor_util import constant_value
from ..util import nest
from . import functional_ops as F

__all__ = ['no_op', 'group', 'tuple', 'with_dependencies', 'cond', 'case', 'while_loop']

define_op("NoOp", lambda: None, lambda inputs, attrs: [], num_outputs=0)
NotDifferentiable("NoOp")


def no_op(name: Optional[str] = None):
    """An op that does nothing; useful as a target with control dependencies."""
    if context.executing_eagerly():
        return None
    return apply_op("NoOp", [], name=name or "NoOp")


def _as_op(x):
    if isinstance(x, Operation):
        return x
    if isinstance(x, Tensor):
        return x.op
    if hasattr(x, "_as_graph_element") and x._as_graph_element() is not None:
        e = x._as_graph_element()
        return e.op if isinstance(e, Tensor) else e
    if hasattr(x, "op"):
        return x.op
    raise TypeError(f"Expected a Tensor or Operation, got {x!r}")


def group(*inputs, **kwargs):
    """An op that runs all ``inputs`` (ops or tensors); usage: ``tf.group(a, b, name='train')``."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"Unknown keyword arguments: {list(kwargs)}")
    if context.executing_eagerly():
        return None
    flat = []
    for i in inputs:
        if isinstance(i, (list, builtins.tuple, set)):
            flat.extend(i)
        elif isinstance(i, dict):
            flat.extend(i.values())
        elif i is not None:
            flat.append(i)
    deps = [_as_op(x) for x in flat if x is not None]
    with ops.name_scope(name, "group_deps", flat) as scope:
        with ops.get_default_graph().control_dependencies(deps):
            return apply_op("NoOp", [], name=scope)


def tuple(tensors, name: Optional[str] = None, control_inputs=None):  # noqa: A001 - TF's name
    """Tensors that are only available after all of ``tensors`` (and ``control_inputs``)."""
    if context.executing_eagerly():
        return list(tensors)
    with ops.name_scope(name, "tuple", tensors) as scope:
        deps = [t for t in tensors if t is not None]
        gate = group(*(deps + list(control_inputs or [])))
        out = []
        for t in tensors:
            if t is None:
                out.append(None)
            elif isinstance(t, Operation):
                with ops.get_default_graph().control_dependencies([gate]):
                    out.append(group(t))
            else:
                out.append(with_dependencies([gate], t))
        return out


def with_dependencies(dependencies, output_tensor, name: Optional[str] = None):
    """``output_tensor``'s value, available only after ``dependencies`` ran."""
    if context.executing_eagerly():
        return output_tensor
    from .array_ops import identity
    with ops.name_scope(name, "control_dependency", list(dependencies) + [output_tensor]) as scope:
        with ops.get_default_graph().control_dependencies(dependencies):
            return identity(output_tensor, name=scope)


# ------------------------------------------------------------------------------------------
# cond
# ------------------------------------------------------------------------------------------
def _unpack_singleton(x):
    if isinstance(x, (list, builtins.tuple)) and len(x) == 1:
        return x[0]
    return x


def _alias(value, old, new_name: str, old_name: str):
    if old is not None:
        if value is not None:
            raise TypeError(f"cond(): {new_name} and {old_name} may not be set simultaneously.")
        return old
    return value


def _eager_bool(pred) -> bool:
    return bool(np.asarray(pred._value if hasattr(pred, "_value") else pred))


def _check_pred(pred, what: str) -> None:
    if pred.dtype != dtypes.bool:
        raise TypeError(f"Input 'pred' of '{what}' Op has type {pred.dtype.name} that does not "
                        "match expected type of bool.")
    if pred.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {pred.shape.ndims} for the predicate "
                         f"of '{what}' (pred shape: {pred.shape})")


def cond(pred, true_fn=None, false_fn=None, strict: bool = False, name: Optional[str] = None,
         fn1=None, fn2=None):
    """``true_fn()`` if ``pred`` else ``false_fn()``; both are traced, only one runs.

    Usage: ``y = tf.cond(tf.less(x, 0.), lambda: -x, lambda: x)``. Both functions must return
    the same structure of tensors (dtypes must match; static shapes are merged). With
    ``strict=False`` a one-element list/tuple result is unpacked. Ops a branch creates run only
    when that branch is taken, and only if its results depend on them (TF1 semantics).
    """
    true_fn = _alias(true_fn, fn1, "true_fn", "fn1")
    false_fn = _alias(false_fn, fn2, "false_fn", "fn2")
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    if context.executing_eagerly():
        result = true_fn() if _eager_bool(pred) else false_fn()
        return result if strict else _unpack_singleton(result)
    if isinstance(pred, bool):
        raise TypeError("'pred' must not be a Python bool.")
    with ops.name_scope(name, "cond", [pred]) as scope:
        pred = ops.convert_to_tensor(pred)
        _check_pred(pred, "If")
        fg_t, _, res_t = F.trace(true_fn, [], "true_fn")
        fg_f, _, res_f = F.trace(false_fn, [], "false_fn")
        if res_t is None:
            raise ValueError("'true_fn' must have a return value.")
        if res_f is None:
            raise ValueError("'false_fn' must have a return value.")
        nest.assert_same_structure(res_t, res_f)
        flat_t, kinds_t = _branch_outputs(fg_t, res_t)
        flat_f, kinds_f = _branch_outputs(fg_f, res_f)
        if kinds_t != kinds_f:
            raise ValueError("'true_fn' and 'false_fn' must both return a SparseTensor at the same "
                             "places of their results")
        if not flat_t:
            raise ValueError("'true_fn' and 'false_fn' must return at least one result.")
        for a, b in zip(flat_t, flat_f):
            if a.dtype != b.dtype:
                raise ValueError(f"Outputs of 'true_fn' and 'false_fn' must have the same "
                                 f"type(s). Received {a.dtype.name} from 'true_fn' and "
                                 f"{b.dtype.name} from 'false_fn'.")
        ext, (caps_t, caps_f) = F.align_captures([fg_t, fg_f])
        then_f = F.Function(fg_t, caps_t, flat_t, name=scope + "true_fn")
        else_f = F.Function(fg_f, caps_f, flat_f, name=scope + "false_fn")
        stateful = fg_t.has_stateful_ops() or fg_f.has_stateful_ops()
        attrs = {"then_branch": then_f, "else_branch": else_f, "cache_in": False,
                 "Tout": [t.dtype for t in flat_t],
                 "output_shapes": [F.merge_shapes(a.shape, b.shape) for a, b in zip(flat_t, flat_f)]}
        outs = apply_op("If" if stateful else "StatelessIf", [pred] + ext, attrs, name=scope)
        outs[0].op._add_control_inputs(fg_t.outer_control + fg_f.outer_control)
        result = nest.pack_sequence_as(res_t, _rebuild_sparse(outs[:-1], kinds_t))
        return result if strict else _unpack_singleton(result)


def _branch_outputs(fg, result):
    """A branch's results as flat tensors of its graph (a SparseTensor gives three)."""
    flat, kinds = [], []
    for v in nest.flatten(result):
        comps = fg.output_components(v)
        flat += comps
        kinds.append("sparse" if len(comps) == 3 else "dense")
    return flat, kinds


def _rebuild_sparse(outs, kinds) -> list:
    leaves, pos = [], 0
    for kind in kinds:
        if kind == "sparse":
            leaves.append(SparseTensor(outs[pos], outs[pos + 1], outs[pos + 2]))
            pos += 3
        else:
            leaves.append(outs[pos])
            pos += 1
    return leaves


def nest_flatten(x) -> list:
    return nest.flatten(x)


# ------------------------------------------------------------------------------------------
# case
# ------------------------------------------------------------------------------------------
def case(pred_fn_pairs, default=None, exclusive: bool = False, strict: bool = False,
         name: str = "case"):
    """The result of the first ``fn`` whose ``pred`` is true, else ``default()``.

    Usage: ``tf.case([(tf.equal(i, 0), f0), (tf.equal(i, 1), f1)], default=f2)``. Without a
    default, the last pair acts as default and fails at run time if no predicate holds;
    ``exclusive=True`` fails at run time if more than one predicate holds.
    """
    if isinstance(pred_fn_pairs, dict):
        pairs = list(pred_fn_pairs.items())
    elif isinstance(pred_fn_pairs, (list, builtins.tuple)):
        pairs = list(pred_fn_pairs)
    else:
        raise TypeError("fns must be a list, tuple, or dict")
    for entry in pairs:
        if not isinstance(entry, builtins.tuple) or len(entry) != 2:
            raise TypeError(f"Each entry in 'pred_fn_pairs' must be a 2-tuple. Received {entry}.")
        if not callable(entry[1]):
            raise TypeError(f"fn for pred {getattr(entry[0], 'name', entry[0])} must be callable.")
    if default is not None and not callable(default):
        raise TypeError("default must be callable.")
    if not pairs:
        if default is None:
            raise ValueError("case needs at least one (pred, fn) pair or a default")
        return default()
    if context.executing_eagerly():
        chosen = [fn for p, fn in pairs if _eager_bool(p)]
        if exclusive and len(chosen) > 1:
            raise errors.InvalidArgumentError(
                None, None, "Input error: exclusive=True: more than 1 conditions evaluated as True")
        if chosen:
            result = chosen[0]()
        elif default is not None:
            result = default()
        else:
            raise errors.InvalidArgumentError(None, None,
                                              "Input error: None of conditions evaluated as True")
        return result if strict else _unpack_singleton(result)
    from .array_ops import stack
    from .check_ops import Assert
    with ops.name_scope(name, "case", [p for p, _ in pairs]):
        preds = []
        for p, _ in pairs:
            p = ops.convert_to_tensor(p)
            if p.dtype != dtypes.bool:
                raise TypeError(f"pred must be Tensor of type bool: {p.name}")
            preds.append(p)
        fns = [fn for _, fn in pairs]
        if default is None:
            last_pred, last_fn = preds[-1], fns[-1]
            all_preds = list(preds)

            def default():  # noqa: F811 - the last pair, guarded by an assertion
                check = Assert(last_pred, ["Input error: None of conditions evaluated as True:",
                                           stack(all_preds, name="preds_c")])
                return _guarded(check, last_fn)
            preds, fns = preds[:-1], fns[:-1]
        build = default
        for p, fn in reversed(list(zip(preds, fns))):
            build = _nested_cond(p, fn, build, strict)
        if exclusive and len(pairs) > 1:
            from .math_ops import cast, reduce_sum, less_equal
            every = [ops.convert_to_tensor(p) for p, _ in pairs]
            count = reduce_sum(cast(stack(every), dtypes.int32))
            names = ", ".join(p.name for p in every)
            check = Assert(less_equal(count, 1),
                           [f"Input error: exclusive=True: more than 1 conditions ({names}) "
                            "evaluated as True:", stack(every, name="preds_c")])
            return _guarded(check, build)
        return build()


def _nested_cond(pred, fn, otherwise, strict):
    return lambda: cond(pred, fn, otherwise, strict=strict)


def _guarded(check_op, fn):
    """``fn()``'s results as identities that run only after ``check_op``."""
    from .array_ops import identity
    with ops.control_dependencies([check_op]):
        result = fn()
        return nest.map_structure(
            lambda v: group(v) if isinstance(v, Operation) else identity(v), result)


# ------------------------------------------------------------------------------------------
# while_loop
# ------------------------------------------------------------------------------------------
def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations: int = 10,  # noqa: C901
               back_prop: bool = True, swap_memory: bool = False, name: Optional[str] = None,
               maximum_iterations=None, return_same_structure: bool = False):
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``.

    Usage: ``i, x = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * 2.), [0, 1.])``.
    ``loop_vars`` is a list/tuple of (nested) tensors; ``body`` returns the same structure (a
    bare tensor is accepted for a single loop variable). A loop variable's static shape may not
    change unless ``shape_invariants`` allows it. ``maximum_iterations`` caps the trip count.
    With one loop variable the result is that tensor (unless ``return_same_structure``).
    Gradients flow to the initial loop values and to tensors the loop captures.
    """
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    if not isinstance(loop_vars, (list, builtins.tuple)):
        loop_vars = [loop_vars]
    if len(loop_vars) == 0:
        raise ValueError("'loop_vars' must be provided.")
    if context.executing_eagerly():
        return _eager_while(cond, body, loop_vars, maximum_iterations, return_same_structure)
    with ops.name_scope(name, "while", nest.flatten(loop_vars)) as scope:
        flat = [ops.convert_to_tensor(v) for v in nest.flatten(loop_vars)]
        loop_vars = nest.pack_sequence_as(loop_vars, flat)
        if shape_invariants is not None:
            invariants = [as_shape(s) for s in nest.flatten_up_to(loop_vars, shape_invariants)]
            if len(invariants) != len(flat):
                raise ValueError(f"shape_invariants must have the structure of loop_vars: got "
                                 f"{len(invariants)} shapes for {len(flat)} loop variables")
        else:
            invariants = [t.shape for t in flat]
        for t, inv in zip(flat, invariants):
            if not F.shape_leq(t.shape, inv):
                raise ValueError(f"The shape invariant specified for {t.name} is not compatible "
                                 f"with the initial shape of the loop variable. It enters the "
                                 f"loop with shape {t.shape}, but the specified shape invariant "
                                 f"is {inv}.")
        max_t = None
        if maximum_iterations is not None:
            max_t = ops.convert_to_tensor(maximum_iterations, name="maximum_iterations")
            if max_t.shape.ndims not in (None, 0):
                raise ValueError(f"maximum_iterations must be a scalar, saw shape: {max_t.shape}")
        specs = [(t.dtype, inv) for t, inv in zip(flat, invariants)]
        fg_c, phs_c, c_res = F.trace(cond, specs, "cond", structure=list(loop_vars))
        c_out = fg_c.output(c_res)
        if c_out.dtype != dtypes.bool:
            raise TypeError(f"The loop condition must return a boolean tensor, got "
                            f"{c_out.dtype.name} (input 'input' of 'LoopCond' must be bool).")
        if c_out.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {c_out.shape.ndims} for the "
                             f"loop condition of '{scope[:-1]}'")
        fg_b, phs_b, b_res = F.trace(body, specs, "body", structure=list(loop_vars))
        if not nest.is_sequence(b_res):
            b_res = [b_res]
        nest.assert_same_structure(list(loop_vars), list(b_res))
        b_flat = [fg_b.output(v) for v in nest.flatten(b_res)]
        for t0, inv, out in zip(flat, invariants, b_flat):
            if out.dtype != t0.dtype:
                raise TypeError(f"Loop var {t0.name} enters the loop with type {t0.dtype.name} "
                                f"but has type {out.dtype.name} after 1 iteration.")
            if not F.shape_leq(out.shape, inv):
                raise ValueError(f"Input tensor '{t0.name}' enters the loop with shape {inv}, but "
                                 f"has shape {out.shape} after one iteration. To allow the shape "
                                 "to vary across iterations, use the `shape_invariants` argument "
                                 "of tf.while_loop to specify a less-specific shape.")
        ext, (caps_c, caps_b) = F.align_captures([fg_c, fg_b])
        cond_f = F.Function(fg_c, phs_c + caps_c, [c_out], name=scope + "cond")
        body_f = F.Function(fg_b, phs_b + caps_b, b_flat, name=scope + "body")
        stateful = fg_c.has_stateful_ops() or fg_b.has_stateful_ops()
        attrs = {"cond": cond_f, "body": body_f, "n_vars": len(flat), "has_max": max_t is not None,
                 "back_prop": bool(back_prop), "parallel_iterations": int(parallel_iterations),
                 "T": [t.dtype for t in flat], "output_shapes": invariants}
        inputs = flat + ext + ([max_t] if max_t is not None else [])
        outs = apply_op("While" if stateful else "StatelessWhile", inputs, attrs, name=scope)
        outs[0].op._add_control_inputs(fg_c.outer_control + fg_b.outer_control)
        packed = nest.pack_sequence_as(b_res, outs[:-1])
        if return_same_structure or len(flat) != 1:
            return packed
        return packed[0]


def _eager_while(cond, body, loop_vars, maximum_iterations, return_same_structure):
    convert = lambda s: nest.map_structure(  # noqa: E731
        lambda v: v if ops.is_tensor(v) else ops.convert_to_tensor(v), s)
    loop_vars = convert(list(loop_vars))
    limit = None if maximum_iterations is None else int(_eager_value(maximum_iterations))
    result = loop_vars
    count = 0
    while (limit is None or count < limit) and _eager_bool(cond(*loop_vars)):
        result = body(*loop_vars)
        if not nest.is_sequence(result):
            result = [result]
        nest.assert_same_structure(list(loop_vars), list(result))
        result = convert(result)
        loop_vars = list(result)
        count += 1
    if return_same_structure or len(nest.flatten(result)) != 1:
        return result
    return result[0]


def _eager_value(v):
    return np.asarray(v._value if hasattr(v, "_value") else v)


def smart_cond(pred, true_fn=None, false_fn=None, name: Optional[str] = None):
    """``true_fn()`` or ``false_fn()`` chosen now if ``pred`` is a Python bool or a tensor with a
    value known at graph construction, else ``tf.cond`` (Keras' training-flag helper)."""
    if isinstance(pred, bool) or not ops.is_tensor(pred):
        return true_fn() if pred else false_fn()
    value = constant_value(pred)
    if value is not None:
        return true_fn() if bool(value) else false_fn()
    return cond(pred, true_fn, false_fn, name=name)
