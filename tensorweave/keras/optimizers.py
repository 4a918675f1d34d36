"""Keras optimizers (the ``tf.keras.optimizers`` of TF 1.x Keras: ``lr``/``learning_rate``,
``decay``, ``clipnorm``, ``clipvalue``; an ``iterations`` counter; Keras's update rules and
defaults). They are ``tf.train.Optimizer``s, so ``minimize`` works on them too.

Usage: ``model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3), ...)`` or
``optimizer="adam"``.
"""
from __future__ import annotations

import contextlib

import numpy as np

from ..eager import context
from ..framework import dtypes, ops
from ..ops import clip_ops, control_flow_ops, math_ops, variables as tf_variables
from ..train import optimizer as tf_optimizer
from ..train.training_ops import apply_training_op
from .utils.generic_utils import deserialize_keras_object

__all__ = ["Optimizer", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam",
           "get", "serialize", "deserialize"]


class Optimizer(tf_optimizer.Optimizer):
    """Base of the Keras optimizers: hyperparameters, ``iterations``, learning-rate decay
    ``lr / (1 + decay * iterations)``, gradient clipping, weights and configs."""

    _DEFAULTS: dict = {}

    def __init__(self, learning_rate=None, decay=0.0, clipnorm=None, clipvalue=None,
                 name=None, **kwargs):
        lr = kwargs.pop("lr", None)
        unknown = set(kwargs) - set(self._DEFAULTS)
        if unknown:
            raise TypeError(f"Unexpected keyword argument passed to optimizer: "
                            f"{sorted(unknown)[0]}")
        super().__init__(False, name or type(self).__name__)
        self._lr_variable = None
        self.learning_rate = learning_rate if learning_rate is not None else (
            lr if lr is not None else self._DEFAULT_LR)
        self.decay = float(decay)
        self.clipnorm, self.clipvalue = clipnorm, clipvalue
        for key, default in self._DEFAULTS.items():
            setattr(self, key, kwargs.get(key, default))
        self._iterations = None
        self._weights_order: list = []

    _DEFAULT_LR = 0.001

    @property
    def learning_rate(self):
        return self._learning_rate_value

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        """Setting the rate also updates the variable a built graph reads it from."""
        self._learning_rate_value = value
        if self._lr_variable is not None and not callable(value):
            from . import backend
            backend.set_value(self._lr_variable, value)

    lr = learning_rate

    @property
    def iterations(self):
        if self._iterations is None:
            with ops.name_scope(None), ops.name_scope(self._name + "/"):
                self._iterations = tf_variables.Variable(0, dtype=dtypes.int64, name="iter",
                                                         trainable=False)
        return self._iterations

    def compute_gradients(self, loss, var_list=None, **kwargs):
        pairs = super().compute_gradients(loss, var_list=var_list, **kwargs)
        return [(self._clip(g), v) for g, v in pairs]

    def _clip_all(self, grads) -> list:
        """``grads`` clipped by ``clipnorm``/``clipvalue`` (for tape gradients)."""
        return [self._clip(g) for g in grads]

    def _clip(self, grad):
        if grad is None:
            return None
        if self.clipnorm is not None:
            grad = clip_ops.clip_by_norm(grad, self.clipnorm)
        if self.clipvalue is not None:
            grad = clip_ops.clip_by_value(grad, -self.clipvalue, self.clipvalue)
        return grad

    def get_updates(self, loss, params) -> list:
        """The update ops for ``params`` minimizing ``loss`` (Keras 2's optimizer API). As
        Keras's ``get_gradients``, no gating: gradients nobody needs (e.g. for the inputs) are
        not computed."""
        return [self.minimize(loss, var_list=params, gate_gradients=self.GATE_NONE)]

    def _slot(self, var, name, init=0.0):
        """The slot ``name`` of ``var`` (created on first use, remembered for weights)."""
        existing = self.get_slot(var, name)
        if existing is not None:
            return existing
        if init == 0.0:
            slot = self._zeros_slot(var, name, name)
        else:
            slot = self._constant_slot(var, init, name, name)
        self._weights_order.append(slot)
        return slot

    def _make_slot_variable(self, var, init_fn, op_name):
        """Slots are named ``<optimizer>/<variable>/<slot>`` (``Adam/dense/kernel/m:0``)."""
        base = var.name.split(":")[0]
        if not var._in_graph_mode:
            with ops.name_scope(None), ops.name_scope(f"{self._name}/{base}/"):
                return tf_variables.Variable(init_fn, trainable=False, name=op_name,
                                             dtype=var.dtype.base_dtype)
        graph = var.graph
        with graph.as_default(), graph.name_scope(None), graph.control_dependencies(None):
            with ops.colocate_with(var.op), graph.name_scope(f"{self._name}/{base}/"):
                return tf_variables.Variable(init_fn, trainable=False, name=op_name,
                                             dtype=var.dtype.base_dtype)

    def _prepare(self) -> None:
        it = self.iterations
        step = math_ops.cast(it.value() if hasattr(it, "value") else it, dtypes.float32)
        value = self.learning_rate
        if callable(value) or context.executing_eagerly():
            lr = ops.convert_to_tensor(self._call_if_callable(value), dtypes.float32)
        else:
            if self._lr_variable is None:
                with ops.name_scope(None), ops.name_scope(self._name + "/"):
                    self._lr_variable = tf_variables.Variable(
                        float(value), dtype=dtypes.float32, name="learning_rate",
                        trainable=False)
            lr = self._lr_variable.value()
        if self.decay > 0:
            lr = lr * (1.0 / (1.0 + self.decay * step))
        self._lr_t, self._step = lr, step + 1.0

    def _finish(self, update_ops, name_scope):
        with ops.control_dependencies(update_ops) if not context.executing_eagerly() else \
                contextlib.nullcontext():
            bump = self.iterations.assign_add(ops.convert_to_tensor(1, dtypes.int64))
        if context.executing_eagerly():
            return None
        return control_flow_ops.group(*update_ops, bump, name=name_scope)

    @property
    def weights(self) -> list:
        return [self.iterations] + list(self._weights_order)

    def get_weights(self) -> list:
        from . import backend
        return backend.batch_get_value(self.weights)

    def set_weights(self, weights) -> None:
        from . import backend
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(f"Length of the specified weight list ({len(weights)}) does not "
                             f"match the number of weights of the optimizer ({len(params)})")
        backend.batch_set_value(list(zip(params, weights)))

    _FLOAT32_HYPER = {"momentum", "rho", "beta_1", "beta_2"}  # stored as float32 variables

    def get_config(self) -> dict:
        """Keras's config: hyperparameters held as float32 report their float32 value."""
        config = {"name": self._name}
        for key in ("clipnorm", "clipvalue"):
            if getattr(self, key) is not None:
                config[key] = getattr(self, key)
        lr = self.learning_rate
        config["learning_rate"] = _f32(lr) if isinstance(lr, (int, float)) else lr
        config["decay"] = self.decay
        for key in self._DEFAULTS:
            value = getattr(self, key)
            config[key] = _f32(value) if key in self._FLOAT32_HYPER else value
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        return cls(**config)

    def _t(self, value, var):
        return self._cast(ops.convert_to_tensor(value, dtypes.float32), var.dtype)


def _f32(value) -> float:
    return float(np.float32(value))


def _refs(*variables) -> list:
    return [tf_optimizer.var_ref(v) for v in variables]


class SGD(Optimizer):
    """``v = momentum * v - lr * g; var += v`` (Nesterov: ``var += momentum * v - lr * g``)."""

    _DEFAULTS = {"momentum": 0.0, "nesterov": False}
    _DEFAULT_LR = 0.01

    def _apply_dense(self, grad, var):
        lr = self._cast(self._lr_t, var.dtype)
        if not self.momentum:
            return var.assign_sub(lr * grad)
        m = self._slot(var, "momentum")
        mom = self._t(self.momentum, var)
        v = m.assign(mom * m - lr * grad)
        if self.nesterov:
            return var.assign_add(mom * v - lr * grad)
        return var.assign_add(v)


class RMSprop(Optimizer):
    """``rms = rho * rms + (1 - rho) g^2; var -= lr g / (sqrt(rms) + eps)``; with momentum, TF's
    ApplyRMSProp (epsilon inside the square root), as Keras does."""

    _DEFAULTS = {"rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False}

    def _apply_dense(self, grad, var):
        lr = self._cast(self._lr_t, var.dtype)
        rms = self._slot(var, "rms")
        rho = self._t(self.rho, var)
        if self.momentum:
            mom = self._slot(var, "momentum")
            if self.centered:
                mg = self._slot(var, "mg")
                return apply_training_op("ApplyCenteredRMSProp", _refs(var, mg, rms, mom),
                                         [lr, rho, self._t(self.momentum, var),
                                          self._t(self.epsilon, var), grad])
            return apply_training_op("ApplyRMSProp", _refs(var, rms, mom),
                                     [lr, rho, self._t(self.momentum, var),
                                      self._t(self.epsilon, var), grad])
        rms_t = rms.assign(rho * rms + (1.0 - rho) * math_ops.square(grad))
        denom = rms_t
        if self.centered:
            mg = self._slot(var, "mg")
            mg_t = mg.assign(rho * mg + (1.0 - rho) * grad)
            denom = rms_t - math_ops.square(mg_t)
        return var.assign_sub(lr * grad / (math_ops.sqrt(denom) + self._t(self.epsilon, var)))


class Adagrad(Optimizer):
    """``accum += g^2; var -= lr g / (sqrt(accum) + eps)``, accumulators starting at 0.1."""

    _DEFAULTS = {"initial_accumulator_value": 0.1, "epsilon": 1e-7}

    def _apply_dense(self, grad, var):
        lr = self._cast(self._lr_t, var.dtype)
        acc = self._slot(var, "accumulator", self.initial_accumulator_value)
        acc_t = acc.assign_add(math_ops.square(grad))
        return var.assign_sub(lr * grad / (math_ops.sqrt(acc_t) + self._t(self.epsilon, var)))


class Adadelta(Optimizer):
    """TF's ApplyAdadelta with Keras's defaults (rho 0.95, epsilon 1e-7)."""

    _DEFAULTS = {"rho": 0.95, "epsilon": 1e-7}

    def _apply_dense(self, grad, var):
        acc = self._slot(var, "accum_grad")
        acc_update = self._slot(var, "accum_var")
        return apply_training_op("ApplyAdadelta", _refs(var, acc, acc_update),
                                 [self._cast(self._lr_t, var.dtype), self._t(self.rho, var),
                                  self._t(self.epsilon, var), grad])


class Adam(Optimizer):
    """TF's ApplyAdam (epsilon-hat form) with t = iterations + 1."""

    _DEFAULTS = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False}

    def _apply_dense(self, grad, var):
        if self.amsgrad:
            raise NotImplementedError("Adam(amsgrad=True) is not implemented in tensorweave")
        m, v = self._slot(var, "m"), self._slot(var, "v")
        b1, b2 = self._t(self.beta_1, var), self._t(self.beta_2, var)
        step = self._cast(self._step, var.dtype)
        return apply_training_op("ApplyAdam", _refs(var, m, v),
                                 [math_ops.pow(b1, step), math_ops.pow(b2, step),
                                  self._cast(self._lr_t, var.dtype), b1, b2,
                                  self._t(self.epsilon, var), grad])


class Adamax(Optimizer):
    """``m = b1 m + (1-b1) g; u = max(b2 u, |g|); var -= lr / (1 - b1^t) * m / (u + eps)``."""

    _DEFAULTS = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}

    def _apply_dense(self, grad, var):
        m, u = self._slot(var, "m"), self._slot(var, "v")
        b1, b2 = self._t(self.beta_1, var), self._t(self.beta_2, var)
        lr = self._cast(self._lr_t, var.dtype) / (1.0 - math_ops.pow(b1, self._cast(
            self._step, var.dtype)))
        m_t = m.assign(b1 * m + (1.0 - b1) * grad)
        u_t = u.assign(math_ops.maximum(b2 * u, math_ops.abs(grad)))
        return var.assign_sub(lr * m_t / (u_t + self._t(self.epsilon, var)))


class Nadam(Optimizer):
    """Adam with Nesterov momentum and Keras's momentum schedule (0.96 decay base)."""

    _DEFAULTS = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}

    def __init__(self, learning_rate=None, decay=0.004, **kwargs):
        """``decay`` (alias ``schedule_decay``) drives the momentum schedule; the learning
        rate itself is not decayed, as in Keras."""
        super().__init__(learning_rate, kwargs.pop("schedule_decay", decay), **kwargs)

    def _prepare(self) -> None:
        saved, self.decay = self.decay, 0.0
        super()._prepare()
        self.decay = saved
        if getattr(self, "_m_cache", None) is None:
            with ops.name_scope(None), ops.name_scope(self._name + "/"):
                self._m_cache = tf_variables.Variable(1.0, name="momentum_cache",
                                                      trainable=False)
            self._weights_order.append(self._m_cache)
        b1 = ops.convert_to_tensor(self.beta_1, dtypes.float32)
        decay = self.decay
        self._m_t = b1 * (1.0 - 0.5 * math_ops.pow(0.96, decay * self._step))
        self._m_t1 = b1 * (1.0 - 0.5 * math_ops.pow(0.96, decay * (self._step + 1.0)))
        read = self._m_cache.value() if hasattr(self._m_cache, "value") else self._m_cache
        self._schedule_new = read * self._m_t
        self._schedule_update = self._m_cache.assign(self._schedule_new)
        self._schedule_next = self._schedule_new * self._m_t1

    def _apply_dense(self, grad, var):
        m, v = self._slot(var, "m"), self._slot(var, "v")
        c = lambda t: self._cast(t, var.dtype)  # noqa: E731
        b1, b2 = self._t(self.beta_1, var), self._t(self.beta_2, var)
        deps = [self._schedule_update] if not context.executing_eagerly() else []
        with ops.control_dependencies(deps) if deps else contextlib.nullcontext():
            g_prime = grad / (1.0 - c(self._schedule_new))
            m_t = m.assign(b1 * m + (1.0 - b1) * grad)
            m_prime = m_t / (1.0 - c(self._schedule_next))
            v_t = v.assign(b2 * v + (1.0 - b2) * math_ops.square(grad))
            v_prime = v_t / (1.0 - math_ops.pow(b2, c(self._step)))
            m_bar = (1.0 - c(self._m_t)) * g_prime + c(self._m_t1) * m_prime
            return var.assign_sub(c(self._lr_t) * m_bar /
                                  (math_ops.sqrt(v_prime) + self._t(self.epsilon, var)))


_BY_NAME = {"sgd": SGD, "rmsprop": RMSprop, "adagrad": Adagrad, "adadelta": Adadelta,
            "adam": Adam, "adamax": Adamax, "nadam": Nadam}
_CLASSES = {c.__name__: c for c in _BY_NAME.values()}


def serialize(optimizer) -> dict:
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config, custom_objects=None):
    table = dict(_CLASSES, **_BY_NAME)
    if isinstance(config, dict):
        cls = table.get(config["class_name"]) or table.get(config["class_name"].lower())
        if cls is not None:
            return cls.from_config(config["config"])
    return deserialize_keras_object(config, table, custom_objects, "optimizer")


def get(identifier):
    """An optimizer from a name (default settings), a config dict, or an instance (Keras or
    ``tf.train``)."""
    if isinstance(identifier, tf_optimizer.Optimizer):
        return identifier
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier.lower())
        if cls is None:
            raise ValueError(f"Unknown optimizer: {identifier}")
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
