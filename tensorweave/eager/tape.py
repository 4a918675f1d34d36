"""``tf.GradientTape``: record ops while running eagerly, then differentiate.

Usage::

    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * x)
    dw = tape.gradient(loss, w)

Gradients come from the same registered gradient functions as ``tf.gradients``; tapes nest for
higher-order derivatives. In graph mode the tape defers to ``tf.gradients``.
"""
from __future__ import annotations

import contextlib

from ..framework.ops import Tensor, convert_to_tensor
from ..gradients import backprop
from ..util import nest
from . import context

__all__ = ["GradientTape"]


class UnconnectedGradients:
    NONE = "none"
    ZERO = "zero"


class GradientTape:
    """Records operations on watched tensors and trainable variables for differentiation."""

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self._watched_ids: set = set()
        self._keep: list = []           # watched tensors kept alive so their ids stay unique
        self._records: list = []
        self._variables: list = []
        self._recording = False
        self._used = False

    # --- context --------------------------------------------------------------------------
    def __enter__(self):
        self._push()
        return self

    def __exit__(self, *exc):
        if self._recording:
            self._pop()
        return False

    def _push(self):
        context._state.tapes.append(self)
        self._recording = True

    def _pop(self):
        context._state.tapes.remove(self)
        self._recording = False

    @contextlib.contextmanager
    def stop_recording(self):
        """Ops inside the block are not recorded."""
        if not self._recording:
            raise ValueError("Tape must be recording when stop_recording is called.")
        self._pop()
        try:
            yield
        finally:
            self._push()

    def reset(self):
        """Forget everything recorded so far."""
        self._records.clear()
        self._watched_ids.clear()
        self._keep.clear()
        self._variables.clear()

    # --- watching --------------------------------------------------------------------------
    def watch(self, tensor) -> None:
        """Record operations on ``tensor`` (a tensor, variable, or nested structure of them)."""
        for t in nest.flatten(tensor):
            if hasattr(t, "_grad_source"):
                self._watch_variable(t)
                continue
            if not isinstance(t, Tensor):
                raise ValueError(f"Passed in object of type {type(t)}, not tf.Tensor")
            self._watched_ids.add(id(t))
            self._keep.append(t)

    def _watch_variable(self, var) -> None:
        if var not in self._variables:
            self._variables.append(var)
        src = var._grad_source()
        self._watched_ids.add(id(src))
        self._keep.append(src)

    def _variable_accessed(self, var) -> None:
        if self._watch_accessed and var.trainable:
            self._watch_variable(var)

    def watched_variables(self) -> tuple:
        return tuple(self._variables)

    # --- recording (called by eager execution) ----------------------------------------------
    def _should_record(self, inputs) -> bool:
        ids = self._watched_ids
        for t in inputs:
            if id(t) in ids:
                return True
        return False

    def _record(self, record) -> None:
        self._records.append(record)
        for o in record.outputs:
            self._watched_ids.add(id(o))

    def _record_graph_op(self, op) -> None:
        """Graph mode: nothing to keep; gradient() builds the graph gradient."""

    # --- differentiation -------------------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients: str = UnconnectedGradients.NONE):
        """d(target)/d(sources) with ``sources``'s nesting (None where not connected)."""
        if self._used and not self._persistent:
            raise RuntimeError("GradientTape.gradient can only be called once on non-persistent "
                               "tapes.")
        flat_sources = nest.flatten(sources)
        src = [s._grad_source() if hasattr(s, "_grad_source") else s for s in flat_sources]
        targets = nest.flatten(target)
        if not context.executing_eagerly():
            from ..ops.gradients_impl import gradients
            self._used = True
            grads = gradients(targets, src, grad_ys=output_gradients,
                              unconnected_gradients=unconnected_gradients)
            return nest.pack_sequence_as(sources, grads)
        was_recording = self._recording
        if was_recording:
            self._pop()
        try:
            from ..ops import array_ops
            targets = [convert_to_tensor(t) if not isinstance(t, Tensor) else t for t in targets]
            if output_gradients is None:
                seeds = [array_ops.ones_like(t) for t in targets]
            else:
                seeds = [convert_to_tensor(g, dtype=t.dtype)
                         for g, t in zip(nest.flatten(output_gradients), targets)]
            records = self._relevant(targets)
            watched = [s for s in src if id(s) in self._watched_ids]
            grads = backprop.reverse_pass(records, targets, seeds,
                                          needed_ids=self._depending_on(records, watched))
            for s in src:  # as TF: a tensor the tape never watched gets no gradient
                if id(s) not in self._watched_ids:
                    grads.pop(s, None)
            result = backprop.finish(grads, src, unconnected_gradients)
        finally:
            if was_recording:
                self._push()
        self._used = True
        if not self._persistent:
            self._records = []
        return nest.pack_sequence_as(sources, result)

    def _relevant(self, targets) -> list:
        """Recorded ops that lead to some target, in recording order."""
        needed = {id(t) for t in targets}
        keep = []
        for rec in reversed(self._records):
            if any(id(o) in needed for o in rec.outputs):
                keep.append(rec)
                for i in rec.inputs:
                    needed.add(id(i))
        keep.reverse()
        return keep

    @staticmethod
    def _depending_on(records, sources) -> set:
        """Ids of the sources and of every recorded tensor computed from one of them."""
        ids = {id(s) for s in sources}
        for rec in records:
            for t in rec.inputs:
                if id(t) in ids:
                    ids.update(id(o) for o in rec.outputs)
                    break
        return ids

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """The Jacobian of ``target`` w.r.t. each source (target.shape + source.shape)."""
        from ..ops import array_ops
        import numpy as np
        flat_sources = nest.flatten(sources)
        n = int(np.prod(target.shape.as_list())) if target.shape.ndims else 1
        flat_t = target._value.reshape(-1)
        rows = {i: [] for i in range(len(flat_sources))}
        persistent, self._persistent = self._persistent, True
        try:
            for k in range(n):
                seed = np.zeros_like(flat_t)
                seed[k] = 1
                seed_t = convert_to_tensor(seed.reshape(target._value.shape))
                gs = self.gradient(target, flat_sources, output_gradients=seed_t,
                                   unconnected_gradients=unconnected_gradients)
                for i, g in enumerate(gs):
                    rows[i].append(g)
        finally:
            self._persistent = persistent
        out = []
        for i, s in enumerate(flat_sources):
            if any(g is None for g in rows[i]):
                out.append(None)
                continue
            stacked = array_ops.stack(rows[i])
            out.append(array_ops.reshape(stacked, target.shape.as_list() + s.shape.as_list()))
        return nest.pack_sequence_as(sources, out)
