"""NumPy update rules of the fused optimizer ops (TensorFlow's ``Apply*`` kernels).

Each function updates its array arguments **in place** (``var`` first, then the slots) using
scalar hyperparameters given as 0-d arrays of the variable's dtype, in the same order of float
operations as TensorFlow's CPU kernels, so float32 trajectories agree to rounding. Callers that
must not mutate (eager mode) pass copies. Usage::

    adam(var, m, v, b1p, b2p, lr, b1, b2, eps, grad)   # var, m, v updated in place

No tensorweave imports: these are pure array math. ``grad`` is only read, and it is read before
``var`` is written (a gradient may alias the variable's storage).
"""
from __future__ import annotations

import numpy as np

from . import fused, threads

__all__ = ["gradient_descent", "momentum", "adam", "rmsprop", "centered_rmsprop", "adagrad",
           "adadelta", "ftrl"]


def gradient_descent(var, lr, grad):
    """var -= lr * grad."""
    t = np.multiply(grad, lr, dtype=var.dtype)
    var -= t


def momentum(var, accum, lr, grad, mom, use_nesterov=False):
    """accum = accum * mom + grad; var -= lr * accum (Nesterov: lr * (grad + mom * accum))."""
    accum *= mom
    accum += grad
    if use_nesterov:
        t = np.multiply(grad, lr)
        u = np.multiply(accum, mom)
        u *= lr
        t += u
    else:
        t = np.multiply(accum, lr)
    var -= t


def adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad,
         use_nesterov=False):
    """Adam with TF's epsilon-hat: var -= lr_t * m / (sqrt(v) + epsilon), where
    lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)."""
    one = var.dtype.type(1)
    alpha = lr * np.sqrt(one - beta2_power) / (one - beta1_power)
    t = np.subtract(grad, m)
    t *= one - beta1
    if use_nesterov:
        g1 = np.multiply(grad, one - beta1)  # read grad before var is written
    m += t
    np.square(grad, out=t)
    t -= v
    t *= one - beta2
    v += t
    if use_nesterov:
        np.multiply(m, beta1, out=t)
        t += g1
        t *= alpha
    else:
        np.multiply(m, alpha, out=t)
    d = np.sqrt(v)
    d += epsilon
    t /= d
    var -= t


def rmsprop(var, ms, mom, lr, rho, momentum_, epsilon, grad):
    """ms += (grad^2 - ms) * (1 - rho); mom = mom * momentum + lr * grad / sqrt(ms + eps);
    var -= mom."""
    one = var.dtype.type(1)
    t = np.square(grad)
    t -= ms
    t *= one - rho
    ms += t
    np.multiply(grad, lr, out=t)
    d = np.add(ms, epsilon)
    np.sqrt(d, out=d)
    t /= d
    mom *= momentum_
    mom += t
    var -= mom


def centered_rmsprop(var, mg, ms, mom, lr, rho, momentum_, epsilon, grad):
    """RMSProp normalized by the variance estimate ms - mg^2 (mg: mean gradient)."""
    one = var.dtype.type(1)
    t = np.square(grad)
    t -= ms
    t *= one - rho
    ms += t
    np.subtract(grad, mg, out=t)
    t *= one - rho
    mg += t
    d = np.square(mg)
    np.subtract(ms, d, out=d)
    d += epsilon
    np.sqrt(d, out=d)
    np.multiply(grad, lr, out=t)
    t /= d
    mom *= momentum_
    mom += t
    var -= mom


def adagrad(var, accum, lr, grad, update_slots=True):
    """accum += grad^2; var -= lr * grad / sqrt(accum)."""
    if update_slots:
        accum += np.square(grad)
    r = np.sqrt(accum)
    np.divide(var.dtype.type(1), r, out=r)
    t = np.multiply(grad, lr)
    t *= r
    var -= t


def adadelta(var, accum, accum_update, lr, rho, epsilon, grad):
    """Adadelta: update = sqrt(accum_update + eps) / sqrt(accum + eps) * grad."""
    one = var.dtype.type(1)
    accum *= rho
    accum += np.square(grad) * (one - rho)
    upd = np.add(accum_update, epsilon)
    np.sqrt(upd, out=upd)
    d = np.add(accum, epsilon)
    np.sqrt(d, out=d)
    upd /= d
    upd *= grad
    var -= upd * lr
    accum_update *= rho
    np.square(upd, out=upd)
    upd *= one - rho
    accum_update += upd


def ftrl(var, accum, linear, grad, lr, l1, l2, lr_power, l2_shrinkage=None):
    """FTRL-proximal (TF's ApplyFtrl / ApplyFtrlV2 with ``l2_shrinkage``)."""
    two = var.dtype.type(2)
    if l2_shrinkage is not None:
        g = grad + (two * l2_shrinkage) * var
    else:
        g = grad
    new_accum = np.square(grad)
    new_accum += accum
    if lr_power == -0.5:
        p_new = np.sqrt(new_accum)
        p_old = np.sqrt(accum)
    else:
        p_new = _pow(new_accum, -lr_power)
        p_old = _pow(accum, -lr_power)
    sigma = np.subtract(p_new, p_old)
    sigma /= lr
    sigma *= var
    np.subtract(g, sigma, out=sigma)
    linear += sigma
    x = np.sign(linear)
    x *= l1
    x -= linear
    y = p_new / lr
    y += two * l2
    x /= y
    np.copyto(var, np.where(np.abs(linear) > l1, x, var.dtype.type(0)))
    np.copyto(accum, new_accum)


def _pow(x, p):
    """x ** p rounded once to x's dtype (as the C library's powf)."""
    return np.power(x, p, dtype=np.float64).astype(x.dtype) if x.dtype == np.float32 \
        else np.power(x, p)


# ---- one-pass C variants (see fused.py); each returns False when it does not apply ----------
_FUSED_MIN_SIZE = 64  # below this, the call costs more than the passes it saves


def _fused_loop(name, arrays):
    var = arrays[0]
    if var.size < _FUSED_MIN_SIZE:
        return None
    for a in arrays:
        if a.__class__ is not np.ndarray or a.dtype != var.dtype or a.shape != var.shape \
                or not a.flags.c_contiguous:
            return None
    return fused.loop(name, var.dtype)


def _update(name, loop, args, cost) -> bool:
    """Run update loop ``name`` over ``args`` (element count first, arrays, scalars): split
    over the thread pool when the variable is large."""
    n, var = args[0], args[1]
    if threads.worth(n * cost):
        threads.run(name, var.dtype, args, n, cost=cost, grain=16)
    else:
        loop(*[fused.ptr(a) if isinstance(a, np.ndarray) and a.ndim else a for a in args])
    return True


def fused_gradient_descent(var, lr, grad) -> bool:
    loop = _fused_loop("gradient_descent", [var, grad])
    return loop is not None and _update("gradient_descent", loop, [var.size, var, lr, grad], 3)


def fused_momentum(var, accum, lr, grad, mom, use_nesterov=False) -> bool:
    loop = _fused_loop("momentum", [var, accum, grad])
    return loop is not None and _update(
        "momentum", loop, [var.size, var, accum, lr, grad, mom, int(bool(use_nesterov))], 5)


def fused_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad,
               use_nesterov=False) -> bool:
    loop = None if use_nesterov else _fused_loop("adam", [var, m, v, grad])
    if loop is None:
        return False
    t = var.dtype.type
    one = t(1)
    alpha = t(lr * np.sqrt(one - beta2_power) / (one - beta1_power))
    return _update("adam", loop, [var.size, var, m, v, grad, alpha, one - beta1, one - beta2,
                                  epsilon], 7)
