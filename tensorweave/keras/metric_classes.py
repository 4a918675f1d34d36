"""Stateful Keras metrics: objects whose variables accumulate over batches until
``reset_states()`` — ``Mean``, the accuracy wrappers, ``Precision``, ``Recall`` and ``AUC``.

Calling a metric updates it and returns its result (in graph mode a tensor that runs the update
first). Variables are named as tf.keras names them (``total``, ``count``, ``true_positives``...)
and live in the LOCAL_VARIABLES and METRIC_VARIABLES collections.

Usage::

    m = tf.keras.metrics.AUC(num_thresholds=50)
    m.update_state([0, 1, 1], [0.2, 0.7, 0.4])
    m.result()                      # eager: 0.5 ... ; graph: a tensor
    model.compile("adam", "binary_crossentropy", metrics=[tf.keras.metrics.Precision()])
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from ..eager import context
from ..framework import ops
from ..framework.ops import GraphKeys
from ..layers.base import _to_snake_case
from ..ops import array_ops, control_flow_ops, math_ops, nn_ops, state_ops
from ..ops import variables as tf_variables
from . import backend

__all__ = ["Metric", "Mean", "MeanMetricWrapper", "Accuracy", "BinaryAccuracy",
           "CategoricalAccuracy", "SparseCategoricalAccuracy", "Precision", "Recall", "AUC"]

_EPSILON = 1e-7


class Metric:
    """Base class: ``update_state`` adds a batch, ``result`` reads, ``reset_states`` zeroes."""

    def __init__(self, name: Optional[str] = None, dtype=None, **kwargs):
        self.name = name or _to_snake_case(type(self).__name__)
        self.dtype = dtype or backend.floatx()
        self._variables: list = []
        self._specs: list = []

    # subclasses call add_weight in __init__; variables are made in the graph of first use
    def add_weight(self, name: str, shape=(), dtype=None) -> None:
        self._specs.append((name, tuple(shape), dtype or self.dtype))

    @property
    def variables(self) -> list:
        self._build()
        return list(self._variables)

    weights = variables

    def _build(self) -> None:
        if self._variables:
            return
        collections = None if context.executing_eagerly() else \
            [GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES]
        with ops.name_scope(None):
            for name, shape, dtype in self._specs:
                var = tf_variables.Variable(np.zeros(shape, dtype), trainable=False, name=name,
                                            collections=collections)
                setattr(self, name, var)
                self._variables.append(var)

    def __call__(self, *args, **kwargs):
        update = self.update_state(*args, **kwargs)
        if context.executing_eagerly():
            return self.result()
        with ops.control_dependencies([update]):
            return array_ops.identity(self.result())

    def update_state(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define update_state")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__} must define result")

    def reset_states(self) -> None:
        """Zero every variable (one session run in graph mode)."""
        backend.batch_set_value([(v, np.zeros(v.shape.as_list(), v.dtype.as_numpy_dtype))
                                 for v in self.variables])

    reset_state = reset_states

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def _assign_add(self, pairs) -> object:
        self._build()
        updates = [state_ops.assign_add(var, math_ops.cast(value, var.dtype))
                   for var, value in pairs]
        return None if context.executing_eagerly() else control_flow_ops.group(*updates)


def _weights_like(values, sample_weight):
    """Sample weights broadcast to ``values``' shape (ones when None)."""
    if sample_weight is None:
        return array_ops.ones_like(values)
    weight = math_ops.cast(sample_weight, values.dtype)
    while weight.shape.ndims is not None and values.shape.ndims is not None and \
            weight.shape.ndims < values.shape.ndims:
        weight = array_ops.expand_dims(weight, -1)
    return weight * array_ops.ones_like(values)


class Mean(Metric):
    """The (weighted) mean of every value seen: ``total / count``."""

    def __init__(self, name: str = "mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.add_weight("total")
        self.add_weight("count")

    def update_state(self, values, sample_weight=None):
        values = math_ops.cast(values, self.dtype)
        weight = _weights_like(values, sample_weight)
        self._build()
        return self._assign_add([(self.total, math_ops.reduce_sum(values * weight)),
                                 (self.count, math_ops.reduce_sum(weight))])

    def result(self):
        self._build()
        return math_ops.div_no_nan(self.total, self.count)


class MeanMetricWrapper(Mean):
    """The mean of a per-sample function ``fn(y_true, y_pred, **kwargs)``."""

    def __init__(self, fn, name: Optional[str] = None, dtype=None, **kwargs):
        super().__init__(name=name or fn.__name__, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        return super().update_state(self._fn(y_true, y_pred, **self._fn_kwargs), sample_weight)

    def get_config(self) -> dict:
        return dict(super().get_config(), **self._fn_kwargs)

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


def _accuracy(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    return math_ops.cast(math_ops.equal(math_ops.cast(y_true, y_pred.dtype), y_pred),
                         backend.floatx())


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly."""

    def __init__(self, name: str = "accuracy", dtype=None):
        super().__init__(_accuracy, name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` equals the 0/1 label."""

    def __init__(self, name: str = "binary_accuracy", dtype=None, threshold: float = 0.5):
        from .metrics import binary_accuracy
        super().__init__(binary_accuracy, name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max of predictions equals the arg-max of one-hot labels."""

    def __init__(self, name: str = "categorical_accuracy", dtype=None):
        from .metrics import categorical_accuracy
        super().__init__(categorical_accuracy, name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max of predictions equals the integer label."""

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype=None):
        from .metrics import sparse_categorical_accuracy
        super().__init__(sparse_categorical_accuracy, name, dtype=dtype)


class _ConfusionMetric(Metric):
    """Counts of true/false positives/negatives per decision threshold (``y_pred > t``)."""

    _counts: Sequence[str] = ()

    def __init__(self, thresholds, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else -1e-7
        listed = [default] if thresholds is None else \
            [float(t) for t in np.ravel(thresholds)]
        self._scalar = thresholds is None or np.ndim(thresholds) == 0
        self.thresholds = listed
        for name in self._counts:
            self.add_weight(name, (len(listed),))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = math_ops.cast(y_pred, "float32")
        y_true = math_ops.cast(y_true, "float32")
        if self.top_k is not None:
            kth = nn_ops.top_k(y_pred, self.top_k).values[..., -1:]
            y_pred = array_ops.where(y_pred >= kth, y_pred,
                                     array_ops.ones_like(y_pred) * -np.inf)
        if self.class_id is not None:
            y_true, y_pred = y_true[..., self.class_id], y_pred[..., self.class_id]
        weight = array_ops.reshape(_weights_like(y_pred, sample_weight), [1, -1])
        y_pred = array_ops.reshape(y_pred, [1, -1])
        label = array_ops.reshape(y_true, [1, -1]) > 0.5
        thresholds = ops.convert_to_tensor(np.asarray(self.thresholds, np.float32)[:, None])
        above = y_pred > thresholds
        cases = {"true_positives": (label, above),
                 "false_positives": (math_ops.logical_not(label), above),
                 "false_negatives": (label, math_ops.logical_not(above)),
                 "true_negatives": (math_ops.logical_not(label), math_ops.logical_not(above))}
        self._build()
        pairs = []
        for name in self._counts:
            truth, decision = cases[name]
            hit = math_ops.cast(math_ops.logical_and(truth, decision), "float32")
            pairs.append((getattr(self, name), math_ops.reduce_sum(hit * weight, axis=1)))
        return self._assign_add(pairs)

    def _rate(self, hits, misses):
        value = math_ops.div_no_nan(hits, hits + misses)
        return value[0] if self._scalar else value

    def get_config(self) -> dict:
        return dict(super().get_config(), thresholds=self.init_thresholds, top_k=self.top_k,
                    class_id=self.class_id)


class Precision(_ConfusionMetric):
    """``tp / (tp + fp)`` per threshold (a scalar for one threshold)."""

    _counts = ("true_positives", "false_positives")

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(thresholds, top_k, class_id, name, dtype)

    def result(self):
        self._build()
        return self._rate(self.true_positives, self.false_positives)


class Recall(_ConfusionMetric):
    """``tp / (tp + fn)`` per threshold (a scalar for one threshold)."""

    _counts = ("true_positives", "false_negatives")

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(thresholds, top_k, class_id, name, dtype)

    def result(self):
        self._build()
        return self._rate(self.true_positives, self.false_negatives)


class AUC(_ConfusionMetric):
    """Area under the ROC or precision-recall curve, from confusion counts at
    ``num_thresholds`` evenly spaced thresholds (the ends just outside [0, 1])."""

    _counts = ("true_positives", "true_negatives", "false_positives", "false_negatives")

    def __init__(self, num_thresholds: int = 200, curve: str = "ROC",
                 summation_method: str = "interpolation", name=None, dtype=None,
                 thresholds=None, multi_label: bool = False, num_labels=None,
                 label_weights=None, from_logits: bool = False):
        if multi_label or label_weights is not None:
            raise NotImplementedError("AUC: multi_label and label_weights are not supported; "
                                      "all labels are pooled into one curve")
        if curve not in ("ROC", "PR"):
            raise ValueError(f'AUC: curve must be "ROC" or "PR", got {curve!r}')
        if summation_method not in ("interpolation", "minoring", "majoring"):
            raise ValueError("AUC: summation_method must be interpolation, minoring or "
                             f"majoring, got {summation_method!r}")
        if thresholds is None:
            if num_thresholds <= 1:
                raise ValueError(f"AUC: num_thresholds must be > 1, got {num_thresholds}")
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        else:
            inner = sorted(float(t) for t in thresholds)
        self.num_thresholds = len(inner) + 2
        self.curve = curve
        self.summation_method = summation_method
        self.from_logits = from_logits
        super().__init__([-_EPSILON] + inner + [1.0 + _EPSILON], name=name, dtype=dtype)
        self._scalar = False

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self.from_logits:
            y_pred = math_ops.sigmoid(y_pred)
        return super().update_state(y_true, y_pred, sample_weight)

    def result(self):
        self._build()
        tp, fp = self.true_positives, self.false_positives
        fn, tn = self.false_negatives, self.true_negatives
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolated_pr_auc(tp, fp, fn)
        recall = math_ops.div_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = math_ops.div_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, math_ops.div_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = math_ops.minimum(y[:-1], y[1:])
        else:
            heights = math_ops.maximum(y[:-1], y[1:])
        return math_ops.reduce_sum((x[:-1] - x[1:]) * heights)

    @staticmethod
    def _interpolated_pr_auc(tp, fp, fn):
        """Precision interpolated linearly in the number of positives between thresholds
        (Davis & Goadrich, 2006), integrated over recall."""
        positives = tp + fp
        d_tp = tp[:-1] - tp[1:]
        d_pos = positives[:-1] - positives[1:]
        slope = math_ops.div_no_nan(d_tp, math_ops.maximum(d_pos, 0.0))
        intercept = tp[1:] - slope * positives[1:]
        both = math_ops.logical_and(positives[:-1] > 0, positives[1:] > 0)
        ratio = array_ops.where(both, math_ops.div_no_nan(positives[:-1],
                                                          math_ops.maximum(positives[1:], 0.0)),
                                array_ops.ones_like(positives[1:]))
        steps = math_ops.div_no_nan(slope * (d_tp + intercept * math_ops.log(ratio)),
                                    math_ops.maximum(tp[1:] + fn[1:], 0.0))
        return math_ops.reduce_sum(steps)

    def get_config(self) -> dict:
        config = Metric.get_config(self)
        config.update(num_thresholds=self.num_thresholds, curve=self.curve,
                      summation_method=self.summation_method, multi_label=False,
                      num_labels=None, label_weights=None, from_logits=self.from_logits)
        return config
