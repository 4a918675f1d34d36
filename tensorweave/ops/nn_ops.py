"""Neural-network ops: activations, softmax, bias_add, l2_loss, LRN, cross entropies, top-k.

Usage::

    h = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w), b))
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=h))

Op types, inputs and attrs follow TensorFlow's (``Relu``, ``BiasAdd``, ``TopKV2`` ...); the
gradients live in ``gradients/nn_grad.py`` and the NumPy kernels in ``kernels/nn_kernels.py``.
Functions composed from these ops (dropout, moments, embedding_lookup ...) are in ``nn_impl.py``.
"""
from __future__ import annotations

from typing import Optional

from ..eager import context
from ..framework import dtypes
from ..framework import errors
from ..framework.ops import Tensor, apply_op, convert_to_tensor, name_scope
from ..framework.registry import NotDifferentiable, define_op
from ..framework.tensor_shape import TensorShape
from ..framework.tensor_util import constant_value
from ..kernels import nn_kernels as K
from . import array_ops, math_ops
from .op_helpers import same_as_input

__all__ = ["relu", "relu6", "elu", "selu", "leaky_relu", "softplus", "softsign", "sigmoid",
           "tanh", "softmax", "log_softmax", "bias_add", "bias_add_v1", "l2_loss", "lrn",
           "local_response_normalization", "softmax_cross_entropy_with_logits",
           "softmax_cross_entropy_with_logits_v2", "sparse_softmax_cross_entropy_with_logits",
           "top_k", "in_top_k"]

sigmoid = math_ops.sigmoid
tanh = math_ops.tanh

_FLOATS = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_REALS = _FLOATS + (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8,
                    dtypes.uint16, dtypes.uint32, dtypes.uint64)


def _check_dtype(t: Tensor, param: str, allowed=_FLOATS) -> Tensor:
    if t.dtype not in allowed:
        names = ", ".join(d.name for d in allowed)
        raise TypeError(f"Value passed to parameter '{param}' has DataType {t.dtype.name} not in "
                        f"list of allowed values: {names}")
    return t


def _rank_at_least(shape: TensorShape, n: int) -> None:
    if shape.ndims is not None and shape.ndims < n:
        raise ValueError(f"Shape must be at least rank {n} but is rank {shape.ndims}")


# ---- activations ------------------------------------------------------------------------------
define_op("Relu", K.relu, same_as_input, fresh=True, inplace=K.relu_inplace)
define_op("ReluGrad", K.relu_grad, same_as_input, fresh=True, inplace=K.relu_grad_inplace)
define_op("Relu6", K.relu6, same_as_input)
define_op("Relu6Grad", K.relu6_grad, same_as_input)
define_op("Elu", K.elu, same_as_input)
define_op("EluGrad", K.elu_grad, same_as_input)
define_op("Selu", K.selu, same_as_input)
define_op("SeluGrad", K.selu_grad, same_as_input)
define_op("LeakyRelu", K.leaky_relu, same_as_input)
define_op("LeakyReluGrad", K.leaky_relu_grad, same_as_input)
define_op("Softplus", K.softplus, same_as_input)
define_op("SoftplusGrad", K.softplus_grad, same_as_input)
define_op("Softsign", K.softsign, same_as_input)
define_op("SoftsignGrad", K.softsign_grad, same_as_input)


def _activation(op_type: str, param: str, allowed=_FLOATS):
    def fn(features, name: Optional[str] = None):
        x = _check_dtype(convert_to_tensor(features), param, allowed)
        return apply_op(op_type, [x], name=name or op_type)
    fn.__name__ = op_type.lower()
    return fn


relu = _activation("Relu", "features", _REALS)
relu.__doc__ = "max(features, 0); usage: ``tf.nn.relu(x)``."
relu6 = _activation("Relu6", "features", _REALS)
relu6.__doc__ = "min(max(features, 0), 6); usage: ``tf.nn.relu6(x)``."
elu = _activation("Elu", "features")
elu.__doc__ = "exp(x) - 1 where x < 0, else x; usage: ``tf.nn.elu(x)``."
selu = _activation("Selu", "features")
selu.__doc__ = "Scaled ELU (Klambauer et al. 2017); usage: ``tf.nn.selu(x)``."
softplus = _activation("Softplus", "features")
softplus.__doc__ = "log(exp(x) + 1), stable for large |x|; usage: ``tf.nn.softplus(x)``."
softsign = _activation("Softsign", "features")
softsign.__doc__ = "x / (|x| + 1); usage: ``tf.nn.softsign(x)``."


def leaky_relu(features, alpha: float = 0.2, name: Optional[str] = None):
    """x where x > 0, else alpha * x; integer inputs are cast to float32 first (as TF)."""
    with name_scope(name, "LeakyRelu", [features]) as scope:
        x = convert_to_tensor(features)
        if x.dtype.is_integer:
            x = math_ops.cast(x, dtypes.float32)
        _check_dtype(x, "features")
        return apply_op("LeakyRelu", [x], {"alpha": float(alpha)}, name=scope)


# ---- softmax ---------------------------------------------------------------------------------
def _softmax_rule(inputs, attrs):
    _rank_at_least(inputs[0].shape, 1)
    return [(inputs[0].dtype, inputs[0].shape)]


define_op("Softmax", K.softmax, _softmax_rule)
define_op("LogSoftmax", K.log_softmax, _softmax_rule)


def _axis_arg(axis, dim):
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'.")
    axis = dim if axis is None else axis
    return -1 if axis is None else axis


def _swap_perm(x: Tensor, axis: int):
    """The permutation swapping ``axis`` with the last axis: a list when the rank is known,
    else a tensor built at run time (``axis`` counted from the end when negative)."""
    nd = x.shape.ndims
    if nd is not None:
        perm = list(range(nd))
        perm[axis % nd], perm[-1] = perm[-1], perm[axis % nd]
        return perm
    from .array_ops import concat  # noqa: WPS433 - array_ops grows concurrently
    rank = array_ops.rank(x)
    ax = axis + rank if axis < 0 else convert_to_tensor(axis)
    last = rank - 1
    return concat([array_ops.range(ax), [last], array_ops.range(ax + 1, last), [ax]], 0)


def _softmax_like(op_type: str, logits, axis, name):
    x = _check_dtype(convert_to_tensor(logits), "logits")
    nd = x.shape.ndims
    if isinstance(axis, Tensor):
        v = constant_value(axis)
        if v is None:
            raise ValueError("softmax needs a constant axis")
        axis = int(v)
    axis = int(axis)
    if axis == -1 or (nd is not None and axis == nd - 1):
        return apply_op(op_type, [x], name=name or op_type)
    if nd is not None and not -nd <= axis < nd:
        raise errors.InvalidArgumentError(
            None, None, f"`dim` must be in the range [{-nd}, {nd}) where {nd} is the number of "
                        f"dimensions in the input. Received: dim={axis}")
    from .array_ops import transpose  # noqa: WPS433 - array_ops grows concurrently
    perm = _swap_perm(x, axis)
    out = apply_op(op_type, [transpose(x, perm)])
    out = transpose(out, perm, name=name or "transpose")
    if not context.executing_eagerly():
        out.set_shape(x.shape)
    return out


def softmax(logits, axis=None, name: Optional[str] = None, dim=None):
    """exp(logits) / sum(exp(logits), axis); usage: ``tf.nn.softmax(x)`` (``dim``: TF1 alias)."""
    return _softmax_like("Softmax", logits, _axis_arg(axis, dim), name)


def log_softmax(logits, axis=None, name: Optional[str] = None, dim=None):
    """logits - log(sum(exp(logits), axis)); usage: ``tf.nn.log_softmax(x)``."""
    return _softmax_like("LogSoftmax", logits, _axis_arg(axis, dim), name)


# ---- bias_add --------------------------------------------------------------------------------
def _bias_add_rule(inputs, attrs):
    value, bias = inputs
    nchw = attrs["data_format"] == "NCHW"
    _rank_at_least(value.shape, 3 if nchw else 2)
    if bias.shape.ndims is not None and bias.shape.ndims != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {bias.shape.ndims}")
    if value.shape.ndims is not None and bias.shape.ndims == 1:
        c = value.shape[1 if nchw else -1].value
        b = bias.shape[0].value
        if c is not None and b is not None and c != b:
            raise ValueError(f"Dimensions must be equal, but are {c} and {b}")
    return [(value.dtype, value.shape)]


def _bias_add_grad_rule(inputs, attrs):
    g = inputs[0]
    if g.shape.ndims is None:
        return [(g.dtype, TensorShape([None]))]
    return [(g.dtype, TensorShape([g.shape[1 if attrs["data_format"] == "NCHW" else -1].value]))]


define_op("BiasAdd", K.bias_add, _bias_add_rule, fresh=True, inplace=K.bias_add_inplace)
define_op("BiasAddGrad", K.bias_add_grad, _bias_add_grad_rule)


def _canonical_format(data_format) -> str:
    if data_format is None:
        return "NHWC"
    if isinstance(data_format, bytes):
        data_format = data_format.decode()
    if data_format.startswith("NC"):
        return "NCHW"
    if data_format.startswith("N") and data_format.endswith("C"):
        return "NHWC"
    raise ValueError("`data_format` must be of the form `N...C` or `NC...`. Received: "
                     f"data_format={data_format}")


def bias_add(value, bias, data_format: Optional[str] = None, name: Optional[str] = None):
    """``value + bias`` with ``bias`` along the channel axis (last for NHWC, 1 for NCHW)."""
    fmt = _canonical_format(data_format)
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        v = convert_to_tensor(value)
        b = convert_to_tensor(bias, dtype=v.dtype) if not isinstance(bias, Tensor) else bias
        return apply_op("BiasAdd", [v, b], {"data_format": fmt}, name=scope)


def bias_add_v1(value, bias, name: Optional[str] = None):
    """The deprecated ``BiasAddV1`` behaviour (NHWC only); same result as ``bias_add``."""
    return bias_add(value, bias, name=name or "BiasAddV1")


# ---- l2 ------------------------------------------------------------------------------------
define_op("L2Loss", K.l2_loss, lambda inputs, attrs: [(inputs[0].dtype, TensorShape([]))])


def l2_loss(t, name: Optional[str] = None):
    """sum(t ** 2) / 2; usage: ``tf.nn.l2_loss(w)`` (a weight-decay term)."""
    x = _check_dtype(convert_to_tensor(t), "t")
    return apply_op("L2Loss", [x], name=name or "L2Loss")



# ---- local response normalization ------------------------------------------------------------
def _lrn_rule(inputs, attrs):
    x = inputs[0]
    if x.shape.ndims is not None and x.shape.ndims != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.ndims}")
    return [(x.dtype, x.shape)]


define_op("LRN", K.lrn, _lrn_rule)
define_op("LRNGrad", K.lrn_grad, same_as_input)


def local_response_normalization(input, depth_radius: int = 5, bias: float = 1.0,  # noqa: A002
                                 alpha: float = 1.0, beta: float = 0.5,
                                 name: Optional[str] = None):
    """x / (bias + alpha * sum(x[..., d-r:d+r+1] ** 2)) ** beta over the last (channel) axis.

    Usage: ``tf.nn.lrn(conv, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75)``.
    """
    x = _check_dtype(convert_to_tensor(input), "input")
    attrs = {"depth_radius": int(depth_radius), "bias": float(bias), "alpha": float(alpha),
             "beta": float(beta)}
    return apply_op("LRN", [x], attrs, name=name or "LRN")


lrn = local_response_normalization


# ---- cross entropies -------------------------------------------------------------------------
def _named_only(fn_name: str, sentinel) -> None:
    if sentinel is not None:
        raise ValueError(f"Only call `{fn_name}` with named arguments (labels=..., logits=..., "
                         f"...). Received unnamed argument: {sentinel}")


def _shape_tuple(shape: TensorShape) -> str:
    if shape.ndims is None:
        return "<unknown>"
    dims = shape.as_tuple()
    return "(" + ", ".join("None" if d is None else str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


def _xent_rule(inputs, attrs):
    feats, labels = inputs
    _with_rank(feats.shape, 2)
    _with_rank(labels.shape, 2)
    fd, ld = feats.shape.as_tuple() if feats.shape.ndims else (None, None), \
        labels.shape.as_tuple() if labels.shape.ndims else (None, None)
    dims = []
    for a, b in zip(fd, ld):
        if a is not None and b is not None and a != b and a != 1 and b != 1:
            raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
        dims.append(a if a not in (None, 1) else (b if b not in (None,) else a))
    return [(feats.dtype, TensorShape(dims[:1])), (feats.dtype, TensorShape(dims))]


def _with_rank(shape: TensorShape, n: int) -> None:
    if shape.ndims is not None and shape.ndims != n:
        raise ValueError(f"Shape must be rank {n} but is rank {shape.ndims}")


define_op("SoftmaxCrossEntropyWithLogits", K.softmax_cross_entropy, _xent_rule, num_outputs=2)


def _sparse_xent_rule(inputs, attrs):
    feats, labels = inputs
    _with_rank(feats.shape, 2)
    _with_rank(labels.shape, 1)
    batch = feats.shape[0].value if feats.shape.ndims else None
    lb = labels.shape[0].value if labels.shape.ndims else None
    if batch is not None and lb is not None and batch != lb:
        raise ValueError(f"Dimensions must be equal, but are {batch} and {lb}")
    batch = batch if batch is not None else lb
    classes = feats.shape[1].value if feats.shape.ndims else None
    return [(feats.dtype, TensorShape([batch])), (feats.dtype, TensorShape([batch, classes]))]


define_op("SparseSoftmaxCrossEntropyWithLogits", K.sparse_softmax_cross_entropy, _sparse_xent_rule,
          num_outputs=2)


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name: Optional[str] = None,
                                         dim=None):
    """Cross entropy between ``softmax(logits)`` and the distribution ``labels`` along ``axis``.

    Gradients flow into both logits and labels. Usage:
    ``tf.nn.softmax_cross_entropy_with_logits_v2(labels=onehot, logits=z)``.
    """
    axis = _axis_arg(axis, dim)
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = _check_dtype(convert_to_tensor(logits), "features")
        labels = convert_to_tensor(labels)
        if labels.dtype != logits.dtype:
            labels = math_ops.cast(labels, logits.dtype)
        return _xent_flat(logits, labels, int(axis), scope)


def _xent_flat(logits, labels, axis, scope):
    shape = logits.shape
    nd = shape.ndims
    if axis != -1 and (nd is None or axis % nd != nd - 1):
        from .array_ops import transpose  # noqa: WPS433
        perm = _swap_perm(logits, axis)
        logits, labels = transpose(logits, perm), transpose(labels, perm)
    if nd == 2:
        cost, _ = apply_op("SoftmaxCrossEntropyWithLogits", [logits, labels], name=scope)
        return cost
    classes = _last_dim(logits)
    flat_logits = array_ops.reshape(logits, [-1, classes])
    flat_labels = array_ops.reshape(labels, [-1, classes])
    cost, _ = apply_op("SoftmaxCrossEntropyWithLogits", [flat_logits, flat_labels], name=scope)
    outer = logits.shape[:-1] if logits.shape.ndims is not None else TensorShape(None)
    if outer.is_fully_defined():
        return array_ops.reshape(cost, outer.as_list())
    out = array_ops.reshape(cost, array_ops.shape(logits)[:-1])
    if not context.executing_eagerly():
        out.set_shape(outer)
    return out


def _last_dim(t: Tensor):
    """The size of ``t``'s last axis: an int when static, else a scalar tensor."""
    if t.shape.ndims is not None and t.shape[-1].value is not None:
        return t.shape[-1].value
    return array_ops.shape(t)[-1]


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1,
                                      name: Optional[str] = None, axis=None):
    """TF1's version: like ``_v2`` but no gradient flows into ``labels``."""
    _named_only("softmax_cross_entropy_with_logits", _sentinel)
    if axis is not None:
        dim = axis
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=dim,
                                                name=scope)


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None,
                                             name: Optional[str] = None):
    """Cross entropy of ``softmax(logits)`` against integer class ``labels`` (one fused op).

    ``labels`` has the shape of ``logits`` without its last axis; an out-of-range label fails at
    run time with InvalidArgumentError. Usage:
    ``tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=z)``.
    """
    _named_only("sparse_softmax_cross_entropy_with_logits", _sentinel)
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels = convert_to_tensor(labels)
        logits = _check_dtype(convert_to_tensor(logits), "features")
        _check_dtype(labels, "labels", (dtypes.int32, dtypes.int64))
        ls, gs = labels.shape, logits.shape
        if gs.ndims == 0:
            raise ValueError(f"`logits` cannot be a scalar. Received logits={logits}`")
        if gs.ndims is not None and ls.ndims is not None and ls.ndims != gs.ndims - 1:
            raise ValueError(f"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
                             f"labels.shape={_shape_tuple(ls)} of rank {ls.ndims} and "
                             f"logits.shape={_shape_tuple(gs)} of rank {gs.ndims}")
        if gs.ndims is not None and ls.ndims is not None and not ls.is_compatible_with(gs[:-1]):
            raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last "
                             f"dimension. Received: labels.shape={_shape_tuple(ls)} and "
                             f"logits.shape={_shape_tuple(gs)}")
        if gs.ndims == 2:
            cost, _ = apply_op("SparseSoftmaxCrossEntropyWithLogits", [logits, labels], name=name)
            return cost
        classes = _last_dim(logits)
        cost, _ = apply_op("SparseSoftmaxCrossEntropyWithLogits",
                           [array_ops.reshape(logits, [-1, classes]),
                            array_ops.reshape(labels, [-1])], name=name)
        out = array_ops.reshape(cost, array_ops.shape_of_static(labels))
        if not context.executing_eagerly():
            out.set_shape(ls)
        return out


# ---- top_k / in_top_k ------------------------------------------------------------------------
def _top_k_rule(inputs, attrs):
    x, k = inputs
    _rank_at_least(x.shape, 1)
    kv = constant_value(k)
    kd = None
    if kv is not None:
        kd = int(kv)
        if kd < 0:
            raise ValueError(f"Dimension size, given by scalar input 1, must be non-negative but "
                             f"is {kd}")
        last = x.shape[-1].value if x.shape.ndims else None
        if last is not None and last < kd:
            raise ValueError(f"input must have last dimension >= k = {kd} but is {last}")
    if x.shape.ndims is None:
        out = TensorShape(None)
    else:
        out = x.shape[:-1].concatenate([kd])
    return [(x.dtype, out), (dtypes.int32, out)]


define_op("TopKV2", K.top_k, _top_k_rule, num_outputs=2)


def top_k(input, k=1, sorted: bool = True, name: Optional[str] = None):  # noqa: A002
    """(values, indices) of the ``k`` largest entries along the last axis.

    ``indices`` is int32; ties keep the lower index first. Usage: ``v, i = tf.nn.top_k(x, 5)``.
    """
    x = _check_dtype(convert_to_tensor(input), "input", _REALS)
    kt = convert_to_tensor(k, dtype=dtypes.int32) if not isinstance(k, Tensor) else k
    return TopKV2(*apply_op("TopKV2", [x, kt], {"sorted": bool(sorted)}, name=name or "TopKV2"))


class TopKV2(tuple):
    """The (values, indices) pair returned by ``top_k``."""

    def __new__(cls, values, indices):
        return super().__new__(cls, (values, indices))

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]


def _in_top_k_rule(inputs, attrs):
    p, t, k = inputs
    _with_rank(p.shape, 2)
    _with_rank(t.shape, 1)
    batch = p.shape[0].value if p.shape.ndims else None
    tb = t.shape[0].value if t.shape.ndims else None
    if batch is not None and tb is not None and batch != tb:
        raise ValueError(f"Dimensions must be equal, but are {batch} and {tb}")
    return [(dtypes.bool, TensorShape([batch if batch is not None else tb]))]


define_op("InTopKV2", K.in_top_k, _in_top_k_rule)


def in_top_k(predictions, targets, k, name: Optional[str] = None):
    """Whether ``targets[i]`` is among the top ``k`` of ``predictions[i]`` (ties count as in)."""
    with name_scope(name, "in_top_k"):
        p = _check_dtype(convert_to_tensor(predictions), "predictions", (dtypes.float32,))
        t = _check_dtype(convert_to_tensor(targets), "targets", (dtypes.int32, dtypes.int64))
        kt = convert_to_tensor(k, dtype=t.dtype) if not isinstance(k, Tensor) else k
        return apply_op("InTopKV2", [p, t, kt], name=name)


NotDifferentiable("InTopKV2")


from ..gradients import nn_grad as _nn_grad  # noqa: E402,F401 - registers the gradients
# the composed functions are reachable from here too (other modules import them from nn_ops)
from .nn_impl import *  # noqa: E402,F401,F403
