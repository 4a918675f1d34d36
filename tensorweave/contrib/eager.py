"""``tf.contrib.eager`` (``tfe``): eager-mode helpers of TF 1.x.

Usage::

    import tensorweave.contrib.eager as tfe
    step = tfe.defun(step)                   # trace once per signature, run as a graph
    grad_fn = tfe.gradients_function(lambda x: x * x)
    for x in tfe.Iterator(ds): ...
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

from ..data.iterator_ops import EagerIterator as Iterator
from ..eager.context import executing_eagerly as in_eager_mode
from ..eager.function import defun
from ..eager.tape import GradientTape
from ..ops.variables import Variable

__all__ = ["Iterator", "defun", "GradientTape", "Variable", "num_gpus", "in_eager_mode",
           "gradients_function", "implicit_gradients", "implicit_value_and_gradients"]


def num_gpus() -> int:
    """GPUs available to eager execution: none (tensorweave runs on the CPU)."""
    return 0


def gradients_function(f: Callable, params: Optional[Sequence[int]] = None) -> Callable:
    """A function returning the gradients of ``f``'s (summed) output w.r.t. its positional
    arguments (those at ``params``, default all)."""
    def grads(*args):
        from ..framework.ops import convert_to_tensor
        args = [convert_to_tensor(a) for a in args]
        which = list(range(len(args))) if params is None else list(params)
        with GradientTape() as tape:
            for i in which:
                tape.watch(args[i])
            out = f(*args)
        return tape.gradient(out, [args[i] for i in which])
    return grads


def implicit_value_and_gradients(f: Callable) -> Callable:
    """A function returning ``(f(*args), [(gradient, variable), ...])`` for the trainable
    variables ``f`` reads."""
    def value_and_grads(*args, **kwargs):
        with GradientTape() as tape:
            value = f(*args, **kwargs)
        variables = tape.watched_variables()
        if not variables:
            raise ValueError("No trainable variables were accessed while the function was "
                             "being computed.")
        return value, list(zip(tape.gradient(value, list(variables)), variables))
    return value_and_grads


def implicit_gradients(f: Callable) -> Callable:
    """A function returning ``[(gradient, variable), ...]`` for the trainable variables ``f``
    reads."""
    value_and_grads = implicit_value_and_gradients(f)
    return lambda *args, **kwargs: value_and_grads(*args, **kwargs)[1]
