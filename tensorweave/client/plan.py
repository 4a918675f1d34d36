"""The compiled execution plan behind ``Session.run``: one per (fetches, feeds) signature.

Compiling prunes the graph to the ops the fetches need, orders them, folds constants and then
generates one small straight-line Python function, e.g. for ``a * b + b`` with ``a`` fed::

    def run(f0, k0=<Mul kernel>, k1=<AddV2 kernel>, c0=<b's value>):
        v0 = k0(f0, c0)
        v1 = k1(v0, c0)
        return v1

so a repeated ``run`` does no graph walking, no dict lookups and no shape inference: only the
kernels in order, with every intermediate in a fast local variable. When a kernel fails, the
traceback's line number in the generated code tells which op failed.

Buffers are forwarded: an op with an in-place kernel variant (``Relu``, ``BiasAdd``, the ufunc
families ...) overwrites its first input when that input is a *private* array — made by a
kernel that always returns new arrays (``OpDef.fresh``), read by this op alone, and neither fed
nor fetched — which saves a large allocation and a pass over memory per op. Pairs of ops
that are one pass together (``BiasAdd -> Relu``, ``ReluGrad -> BiasAddGrad``) run as one kernel
where no one can tell the difference (``fusion.py``).
"""
from __future__ import annotations

import functools
import itertools

import numpy as np

from ..framework import errors
from ..framework.ops import Operation, Tensor
from ..ops.state_ops import runtime_key
from .fusion import find_fusions

_plan_ids = itertools.count()


class PlanError(Exception):
    pass


def _needed_ops(fetch_tensors, targets, fed: set) -> list:
    """Ops that must run for the fetches and targets, in an order that respects dependencies."""
    needed: set = set()
    stack = [t.op for t in fetch_tensors if t not in fed] + list(targets)
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        refs = op._opdef.ref_inputs
        for i, t in enumerate(op._inputs):
            if i in refs or t in fed:
                continue
            if t.op not in needed:
                stack.append(t.op)
        for c in op._control_inputs:
            if c not in needed and not (c._outputs and all(o in fed for o in c._outputs)):
                stack.append(c)  # an op whose outputs are all fed counts as run
    ordered = sorted(needed, key=lambda o: o._id)
    # Creation order is topological unless control inputs were added after creation.
    position = {op: i for i, op in enumerate(ordered)}
    if any(position.get(c, -1) > position[op] for op in ordered for c in op._control_inputs):
        ordered = _topo_sort(ordered, needed)
    return ordered


def _topo_sort(ops, needed) -> list:
    out, done, visiting = [], set(), set()

    def visit(op):
        if op in done:
            return
        if op in visiting:
            raise ValueError(f"Graph has a cycle through op '{op.name}'")
        visiting.add(op)
        for i, t in enumerate(op._inputs):
            if t.op in needed and i not in op._opdef.ref_inputs:
                visit(t.op)
        for c in op._control_inputs:
            if c in needed:
                visit(c)
        visiting.discard(op)
        done.add(op)
        out.append(op)

    for op in ops:
        visit(op)
    return out


class Plan:
    """A compiled ``run``: ``plan(feed_values) -> tuple of fetched values``."""

    def __init__(self, fetch_tensors, targets, feed_tensors, runtime):
        fed = set(feed_tensors)
        self.ops = _needed_ops(fetch_tensors, targets, fed)
        self.fetch_tensors = fetch_tensors
        names: dict = {}  # tensor -> local variable name in the generated code
        env: dict = {}
        lines = []
        self.line_ops: dict = {}
        self.inplace_ops: list = []
        readers = _reader_counts(self.ops)
        private: set = set()  # tensors whose arrays no one else can see (see module docstring)
        fetched = set(fetch_tensors)
        fusions = find_fusions(self.ops, readers, fetched, fed)
        self.fused_groups = [(op, *f.absorbed) for op, f in fusions.items()]
        fused_later = {o for f in fusions.values() for o in f.absorbed}  # run with their first
        params = []
        for i, t in enumerate(feed_tensors):
            names[t] = f"f{i}"
            params.append(f"f{i}")
        for op in self.ops:
            opdef = op._opdef
            if op.type == "Const" and op._outputs[0] not in fed:
                cname = f"c{len(env)}"
                env[cname] = op._attrs["value"]
                names[op._outputs[0]] = cname
                continue
            if op.type == "Placeholder":
                raise errors.with_op(
                    errors.InvalidArgumentError, op,
                    f"You must feed a value for placeholder tensor '{op.name}' with dtype "
                    f"{tf_type_name(op._outputs[0].dtype)}{_shape_text(op._outputs[0])}")
            if op in fused_later:
                continue
            fusion = fusions.get(op)
            kernel = opdef.kernel if fusion is None else fusion.kernel
            inplace = opdef.inplace if fusion is None else fusion.inplace
            outputs = op._outputs if fusion is None else fusion.outputs
            if inplace is not None and op._inputs:
                first = op._inputs[0]
                if (first in private and readers[first] == 1 and first not in fetched
                        and first not in fed):
                    kernel = inplace
                    self.inplace_ops.append(op)
                    private.add(outputs[0])
            if opdef.fresh or fusion is not None:  # fused kernels return new arrays too
                private.update(outputs)
            if opdef.needs_ctx:
                kernel = functools.partial(kernel, runtime)
            attrs = op._attrs if fusion is None else fusion.attrs
            if attrs:
                kernel = functools.partial(kernel, **attrs)
            kname = f"k{len(env)}"
            env[kname] = kernel
            args = []
            for i, t in enumerate(op._inputs):
                if i in opdef.ref_inputs:
                    rname = f"c{len(env)}"
                    env[rname] = runtime_key(t.op)
                    args.append(rname)
                else:
                    args.append(names[t])
            if fusion is not None:
                args.extend(names[t] for t in fusion.extra_inputs)
            outs = []
            for t in outputs:
                if t in fed:
                    outs.append("_")
                else:
                    names[t] = f"v{len(names)}"
                    outs.append(names[t])
            call = f"{kname}({', '.join(args)})"
            # a kernel returns a bare value only when it has one declared output (those with
            # num_outputs=None return a list); fused kernels return one value per output
            bare = len(outputs) == 1 if fusion is not None else opdef.num_outputs == 1
            if not outs:
                lines.append(call)
            elif bare:
                lines.append(f"{outs[0]} = {call}")
            else:
                lines.append(f"{', '.join(outs)}, = {call}")
            self.line_ops[len(lines) + 1] = (op, args)  # +1: the def line comes first
        results = [names[t] for t in fetch_tensors]
        _free_after_last_use(lines, self.line_ops, set(results))
        lines.append(f"return ({', '.join(results)}{',' if len(results) == 1 else ''})")
        defaults = ", ".join(f"{k}={k}" for k in env)
        header = f"def _plan({', '.join(params + ([defaults] if defaults else []))}):"
        self.source = header + "\n" + "\n".join("    " + ln for ln in lines) + "\n"
        self.filename = f"<tensorweave plan {next(_plan_ids)}>"
        namespace = dict(env, __name__="tensorweave.client.plan")  # see kernels/__init__.py
        exec(compile(self.source, self.filename, "exec"), namespace)
        self.fn = namespace["_plan"]

    def failing_op(self, tb):
        """(op, input shapes) of the kernel that raised, from the traceback into the plan code."""
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == self.filename:
                entry = self.line_ops.get(tb.tb_lineno)
                if entry is None:
                    return None, []
                op, args = entry
                values = tb.tb_frame.f_locals
                return op, [list(np.shape(values[a])) if a in values else None for a in args]
            tb = tb.tb_next
        return None, []


def _reader_counts(ops) -> dict:
    """How many times each tensor is read as a value input by ``ops``."""
    counts: dict = {}
    for op in ops:
        refs = op._opdef.ref_inputs
        for i, t in enumerate(op._inputs):
            if i not in refs:
                counts[t] = counts.get(t, 0) + 1
    return counts


def _free_after_last_use(lines: list, line_ops: dict, keep: set) -> None:
    """Append ``; del v..`` to the line where each intermediate is used for the last time, so its
    memory goes back to the allocator while the plan runs (lower peak memory, and freshly freed
    buffers are reused hot in cache). Line numbers stay as they were for error reporting."""
    last: dict = {}
    for lineno, (op, args) in line_ops.items():
        index = lineno - 2  # line_ops counts the def line first and starts at 1
        target = lines[index].split(" = ", 1)[0] if " = " in lines[index] else ""
        for name in [n.strip() for n in target.rstrip(",").split(",")] + list(args):
            if name.startswith("v"):
                last[name] = index
    by_line: dict = {}
    for name, index in last.items():
        if name not in keep:
            by_line.setdefault(index, []).append(name)
    for index, dead in by_line.items():
        lines[index] += f"; del {', '.join(sorted(dead))}"


def _shape_text(t: Tensor) -> str:
    shape = t.shape
    if shape.ndims is None:
        return ""
    return " and shape [" + ",".join("?" if d is None else str(d) for d in shape.as_tuple()) + "]"




def tf_type_name(dtype) -> str:
    """TensorFlow's short name for a dtype in messages (float32 -> 'float')."""
    return {"float32": "float", "float64": "double"}.get(dtype.name, dtype.name)
