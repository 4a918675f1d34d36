"""Math ops: elementwise arithmetic, comparisons, unary functions, cast, matmul, add_n.

Usage: ``tf.reduce_mean(tf.square(y - tf.matmul(x, w)))``.
Reductions, scans and arg-reductions live in ``reduction_ops``; segment sums in ``segment_ops``;
einsum/tensordot in ``einsum_ops``; all are re-exported here (``math_ops.reduce_sum`` works).
Gradients of the simple ops sit next to their definition; longer ones in gradients/math_grad.py.
"""
from __future__ import annotations

import contextlib
from typing import Optional

import numpy as np

from ..framework import dtypes
from ..framework.ops import Tensor, apply_op, convert_to_tensor, name_scope
from ..framework.registry import RegisterGradient, define_op
from ..framework.tensor_shape import TensorShape
from ..kernels import math_kernels as K
from .op_helpers import binary_op, broadcast_static, unary_op

__all__ = [
    'add', 'subtract', 'multiply', 'realdiv', 'div_no_nan', 'truncatediv', 'floordiv',
    'floormod', 'truncatemod', 'maximum', 'minimum', 'squared_difference', 'pow', 'atan2',
    'divide', 'truediv', 'div', 'floor_div', 'mod', 'xlogy', 'xdivy', 'multiply_no_nan',
    'divide_no_nan', 'reciprocal_no_nan',
    'equal', 'not_equal', 'less', 'less_equal', 'greater', 'greater_equal', 'logical_and',
    'logical_or', 'logical_not', 'logical_xor',
    'negative', 'neg', 'abs', 'sign', 'square', 'sqrt', 'rsqrt', 'exp', 'expm1', 'log', 'log1p',
    'reciprocal', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh',
    'acosh', 'atanh', 'sigmoid', 'erf', 'erfc', 'lgamma', 'digamma', 'polygamma', 'floor', 'ceil',
    'round', 'rint', 'is_nan', 'is_inf', 'is_finite', 'log_sigmoid', 'conj', 'real', 'imag',
    'polyval', 'cast', 'to_float', 'to_double', 'to_int32', 'to_int64', 'to_bfloat16',
    'saturate_cast', 'matmul', 'add_n', 'accumulate_n', 'scalar_mul',
]

_KIND_NAMES = {"f": "float", "c": "complex", "i": "signed int", "u": "unsigned int", "b": "bool"}


def _require(t: Tensor, kinds: str, op_type: str, param: str = "x") -> None:
    """TypeError (at build time, like TF) when ``t``'s dtype is not of one of ``kinds``."""
    if kinds is None or t.dtype._kind in kinds:
        return
    if kinds == "b":
        raise TypeError(f"Input '{param}' of '{op_type}' Op has type {t.dtype.name} that does not "
                        f"match expected type of bool.")
    allowed = ", ".join(_KIND_NAMES[k] for k in kinds)
    raise TypeError(f"Value passed to parameter '{param}' has DataType {t.dtype.name} not in list "
                    f"of allowed values: {allowed} (op {op_type})")


NUMERIC, REAL, FLOAT, FLOAT_C, INT, BOOL = "fciu", "fiu", "f", "fc", "iu", "b"


def _is_python(v) -> bool:
    """True for values a wrapper must convert into a new constant (not tensors or variables)."""
    return not (isinstance(v, Tensor) or hasattr(v, "_as_graph_element")
                or hasattr(v, "_dense_var_to_tensor"))


def op_scope(name, default: str, values):
    """TF's naming for an op built from maybe-Python inputs: constants made from the inputs are
    named under the op (``Add/y``) and the op takes the scope's name (``Add``). Yields the name
    to give the op. Opens no scope when there is nothing to convert (same names, less work)."""
    if any(_is_python(v) for v in values):
        return name_scope(name, default, values)
    return contextlib.nullcontext(name or default)


def _operand(value, dtype, op_type, arg):
    if not _is_python(value):
        return convert_to_tensor(value)
    try:
        return convert_to_tensor(value, dtype=dtype, name=arg)
    except (TypeError, ValueError) as e:
        raise TypeError(f"Expected {dtype.name} passed to parameter '{arg}' of op '{op_type}', "
                        f"got {value!r}: {e}") from None


def convert_pair(x, y, op_type: str, names=("x", "y")):
    """Convert a binary op's operands; a Python/NumPy operand takes the other's dtype (TypeError
    if it cannot, e.g. ``int_tensor + 1.5``); both must then have the same dtype."""
    if not _is_python(x) and _is_python(y):
        x = convert_to_tensor(x)
        y = _operand(y, x.dtype, op_type, names[1])
    elif not _is_python(y) and _is_python(x):
        y = convert_to_tensor(y)
        x = _operand(x, y.dtype, op_type, names[0])
    else:
        x = convert_to_tensor(x, name=names[0])
        y = convert_to_tensor(y, name=names[1])
    if x.dtype != y.dtype:
        raise TypeError(f"Input '{names[1]}' of '{op_type}' Op has type {y.dtype.name} that does "
                        f"not match type {x.dtype.name} of argument '{names[0]}'.")
    return x, y


def _binary(op_type, kernel, grad, kinds, default_name=None, out_dtype=None, public=None):
    """Define binary op ``op_type`` (via the family helper) and return a dtype-checking wrapper
    whose default op name is ``default_name`` (TF's, e.g. "Add" for AddV2) or the op type."""
    binary_op(op_type, kernel, grad=grad, out_dtype=out_dtype)

    def wrapper(x, y, name=None):
        with op_scope(name, default_name or op_type, [x, y]) as scope:
            x, y = convert_pair(x, y, op_type)
            _require(x, kinds, op_type, "x")
            return apply_op(op_type, [x, y], name=scope)
    wrapper.__name__ = public or (default_name or op_type).lower()
    wrapper.__doc__ = (f"Elementwise {op_type} of ``x`` and ``y`` with broadcasting; usage: "
                       f"``tf.{wrapper.__name__}(x, y)``.")
    return wrapper


def _unary(op_type, kernel, grad, kinds, public, out_dtype=None):
    """Define unary op ``op_type``; return a dtype-checking wrapper ``f(x, name=None)``."""
    unary_op(op_type, kernel, grad=grad, out_dtype=out_dtype)

    def wrapper(x, name=None):
        with op_scope(name, op_type, [x]) as scope:
            x = convert_to_tensor(x, name="x")
            _require(x, kinds, op_type, "x")
            return apply_op(op_type, [x], name=scope)
    wrapper.__name__ = public
    wrapper.__doc__ = f"Elementwise {op_type} of ``x``; usage: ``tf.{public}(x)``."
    return wrapper


_pair = convert_pair  # used by tensor_operators


# ---- gradient helpers ----------------------------------------------------------------------
def _unbroadcast(grad, x, other=None):
    from .array_ops import sum_to_shape_of
    return sum_to_shape_of(grad, x, other)


def _binary_grads(op, gx, gy):
    x, y = op.inputs
    return (_unbroadcast(gx, x, y) if gx is not None else None,
            _unbroadcast(gy, y, x) if gy is not None else None)


def _zeros_like(t):
    from .array_ops import zeros_like
    return zeros_like(t)


def _where(c, x, y):
    from .array_ops import where
    return where(c, x, y)


def _minmax_grad(op, g, cmp):
    x, y = op.inputs
    mask = cmp(x, y)
    zeros = _zeros_like(g)
    return _binary_grads(op, _where(mask, g, zeros), _where(mask, zeros, g))


def _pow_grad(op, g):
    x, y = op.inputs
    z = op.outputs[0]
    gx = g * y * pow(x, y - convert_to_tensor(1, dtype=y.dtype))
    pos = greater(x, convert_to_tensor(0, dtype=x.dtype))
    from .array_ops import ones_like
    log_x = _where(pos, log(_where(pos, x, ones_like(x))), _zeros_like(x))
    return _binary_grads(op, gx, g * z * log_x)


def _sqdiff_grad(op, g):
    d = 2.0 * g * (op.inputs[0] - op.inputs[1]) if op.inputs[0].dtype.is_floating else None
    return _binary_grads(op, d, None if d is None else -d)


def _floormod_grad(op, g):
    x, y = op.inputs
    gy = -g * floordiv(x, y) if x.dtype.is_floating else None
    return _binary_grads(op, g, gy)


def _xlogy_grad(op, g):
    x, y = op.inputs
    nonzero = cast(not_equal(x, convert_to_tensor(0, dtype=x.dtype)), x.dtype)
    return _binary_grads(op, g * xlogy(nonzero, y), g * xdivy(x, y))


def _xdivy_grad(op, g):
    x, y = op.inputs
    nonzero = cast(not_equal(x, convert_to_tensor(0, dtype=x.dtype)), x.dtype)
    return _binary_grads(op, g * xdivy(nonzero, y), g * xdivy(negative(x), square(y)))


# ---- binary arithmetic ------------------------------------------------------------------
add = _binary("AddV2", np.add, lambda op, g: _binary_grads(op, g, g), NUMERIC, "Add", public="add")
subtract = _binary("Sub", np.subtract, lambda op, g: _binary_grads(op, g, -g), NUMERIC,
                   public="subtract")
multiply = _binary("Mul", np.multiply, lambda op, g: _binary_grads(
    op, g * op.inputs[1], op.inputs[0] * g), NUMERIC, public="multiply")
realdiv = _binary("RealDiv", K.real_div, lambda op, g: _binary_grads(
    op, g / op.inputs[1], -g * op.inputs[0] / (op.inputs[1] * op.inputs[1])), NUMERIC,
    public="realdiv")
_div_no_nan = _binary("DivNoNan", K.div_no_nan, lambda op, g: _binary_grads(
    op, _div_no_nan(g, op.inputs[1]), _div_no_nan(-g * op.inputs[0], op.inputs[1] * op.inputs[1])),
    FLOAT_C)
truncatediv = _binary("TruncateDiv", K.truncate_div, None, REAL, public="truncatediv")
floor_div = _binary("FloorDiv", K.floor_div, None, REAL, public="floor_div")
floormod = _binary("FloorMod", K.floor_mod, _floormod_grad, REAL, public="floormod")
truncatemod = _binary("TruncateMod", K.truncate_mod, None, REAL, public="truncatemod")
maximum = _binary("Maximum", np.maximum, lambda op, g: _minmax_grad(op, g, greater_equal), REAL,
                  public="maximum")
minimum = _binary("Minimum", np.minimum, lambda op, g: _minmax_grad(op, g, less_equal), REAL,
                  public="minimum")
squared_difference = _binary("SquaredDifference", lambda x, y: np.square(x - y), _sqdiff_grad,
                             NUMERIC, public="squared_difference")
pow = _binary("Pow", K.pow_, _pow_grad, NUMERIC, public="pow")  # noqa: A001
atan2 = _binary("Atan2", np.arctan2, lambda op, g: _binary_grads(
    op, g * op.inputs[1] / (square(op.inputs[0]) + square(op.inputs[1])),
    -g * op.inputs[0] / (square(op.inputs[0]) + square(op.inputs[1]))), FLOAT, public="atan2")
xlogy = _binary("Xlogy", K.xlogy, _xlogy_grad, FLOAT_C, public="xlogy")
xdivy = _binary("Xdivy", K.xdivy, _xdivy_grad, FLOAT_C, public="xdivy")
mod = floormod


def floordiv(x, y, name: Optional[str] = None):
    """Floor division ``x // y`` (rounds toward -inf for ints and floats); op FloorDiv."""
    with name_scope(name, "floordiv", [x, y]) as scope:
        return floor_div(x, y, name=scope)


_TRUEDIV_FLOAT = {"int8": dtypes.float32, "uint8": dtypes.float32, "int16": dtypes.float32,
                  "uint16": dtypes.float32, "int32": dtypes.float64, "uint32": dtypes.float64,
                  "int64": dtypes.float64, "uint64": dtypes.float64}


def _promote_int_division(x, y, op_name):
    x, y = convert_pair(x, y, op_name)
    if x.dtype.is_bool:
        raise TypeError(f"Invalid dtype {x.dtype.name} in {op_name}")
    target = _TRUEDIV_FLOAT.get(x.dtype.name)
    if target is not None:
        x, y = cast(x, target), cast(y, target)
    return x, y


def truediv(x, y, name: Optional[str] = None):
    """``x / y``: float division; int8/16 are cast to float32, int32/64 to float64 first (TF)."""
    with name_scope(name, "truediv", [x, y]) as scope:
        x, y = _promote_int_division(x, y, "__truediv__")
        return realdiv(x, y, name=scope)


def divide(x, y, name: Optional[str] = None):
    """Python-style division ``x / y`` (true division, ints promoted to float as in TF)."""
    return truediv(x, y, name=name)


def div(x, y, name: Optional[str] = None):
    """TF1 ``tf.div``: floor division for ints (Python 2 semantics), real division for floats."""
    with name_scope(name, "div", [x, y]) as scope:
        x, y = convert_pair(x, y, "Div")
        if x.dtype.is_integer:
            return floor_div(x, y, name=scope)
        return realdiv(x, y, name=scope)


def div_no_nan(x, y, name: Optional[str] = None):
    """``x / y``, but 0 wherever ``y`` is 0; ints are promoted to float like ``truediv``."""
    with name_scope(name, "div_no_nan", [x, y]) as scope:
        x, y = _promote_int_division(x, y, "div_no_nan")
        return _div_no_nan(x, y, name=scope)


divide_no_nan = div_no_nan


def multiply_no_nan(x, y, name: Optional[str] = None):
    """``x * y``, but 0 wherever ``y`` is 0 (even when ``x`` is inf or nan)."""
    with name_scope(name, "multiply_no_nan", [x, y]) as scope:
        x, y = convert_pair(x, y, "MulNoNan")
        _require(x, FLOAT_C, "MulNoNan")
        prod = multiply(x, y)
        zero = convert_to_tensor(0, dtype=y.dtype)
        return _where_named(equal(y, zero), _zeros_like(prod), prod, scope)


def _where_named(c, x, y, name):
    from .array_ops import where
    return where(c, x, y, name=name)


def reciprocal_no_nan(x, name: Optional[str] = None):
    """``1 / x``, but 0 where ``x`` is 0."""
    with name_scope(name, "reciprocal_no_nan", [x]) as scope:
        x = convert_to_tensor(x)
        return div_no_nan(convert_to_tensor(1, dtype=x.dtype), x, name=scope)


# ---- comparisons and logic (not differentiable) ------------------------------------------
equal = _binary("Equal", np.equal, None, None, out_dtype=dtypes.bool, public="equal")
not_equal = _binary("NotEqual", np.not_equal, None, None, out_dtype=dtypes.bool, public="not_equal")
less = _binary("Less", np.less, None, REAL, out_dtype=dtypes.bool, public="less")
less_equal = _binary("LessEqual", np.less_equal, None, REAL, out_dtype=dtypes.bool,
                     public="less_equal")
greater = _binary("Greater", np.greater, None, REAL, out_dtype=dtypes.bool, public="greater")
greater_equal = _binary("GreaterEqual", np.greater_equal, None, REAL, out_dtype=dtypes.bool,
                        public="greater_equal")
logical_and = _binary("LogicalAnd", np.logical_and, None, BOOL, public="logical_and")
logical_or = _binary("LogicalOr", np.logical_or, None, BOOL, public="logical_or")
logical_not = _unary("LogicalNot", np.logical_not, None, BOOL, "logical_not")


def logical_xor(x, y, name: str = "LogicalXor"):
    """``x XOR y`` on bool tensors, built as ``(x | y) & ~(x & y)`` like TF."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


# ---- unary ---------------------------------------------------------------------------------
def _ins(op):
    return op.inputs[0]


def _outs(op):
    return op.outputs[0]


negative = _unary("Neg", np.negative, lambda op, g: -g, NUMERIC, "negative")
_abs = _unary("Abs", np.abs, lambda op, g: g * sign(_ins(op)), REAL, "abs")
sign = _unary("Sign", K.sign, lambda op, g: _zeros_like(_ins(op)), NUMERIC, "sign")
square = _unary("Square", np.square, lambda op, g: g * (2.0 * _ins(op)), NUMERIC, "square")
sqrt = _unary("Sqrt", K.safe(np.sqrt), lambda op, g: g * 0.5 / _outs(op), FLOAT_C, "sqrt")
rsqrt = _unary("Rsqrt", K.rsqrt, lambda op, g: g * -0.5 * _outs(op) * _outs(op) * _outs(op),
               FLOAT_C, "rsqrt")
exp = _unary("Exp", K.safe(np.exp), lambda op, g: g * _outs(op), FLOAT_C, "exp")
expm1 = _unary("Expm1", K.safe(np.expm1), lambda op, g: g * (_outs(op) + 1.0), FLOAT_C, "expm1")
log = _unary("Log", K.safe(np.log), lambda op, g: g * reciprocal(_ins(op)), FLOAT_C, "log")
log1p = _unary("Log1p", K.safe(np.log1p), lambda op, g: g * reciprocal(_ins(op) + 1.0), FLOAT_C,
               "log1p")
reciprocal = _unary("Reciprocal", K.safe(np.reciprocal),
                    lambda op, g: -g * _outs(op) * _outs(op), NUMERIC, "reciprocal")
sin = _unary("Sin", np.sin, lambda op, g: g * cos(_ins(op)), FLOAT_C, "sin")
cos = _unary("Cos", np.cos, lambda op, g: -g * sin(_ins(op)), FLOAT_C, "cos")
tan = _unary("Tan", K.safe(np.tan), lambda op, g: g * square(reciprocal(cos(_ins(op)))), FLOAT_C,
             "tan")
asin = _unary("Asin", K.safe(np.arcsin), lambda op, g: g * rsqrt(1.0 - square(_ins(op))), FLOAT_C,
              "asin")
acos = _unary("Acos", K.safe(np.arccos), lambda op, g: -g * rsqrt(1.0 - square(_ins(op))),
              FLOAT_C, "acos")
atan = _unary("Atan", np.arctan, lambda op, g: g / (1.0 + square(_ins(op))), FLOAT_C, "atan")
sinh = _unary("Sinh", K.safe(np.sinh), lambda op, g: g * cosh(_ins(op)), FLOAT_C, "sinh")
cosh = _unary("Cosh", K.safe(np.cosh), lambda op, g: g * sinh(_ins(op)), FLOAT_C, "cosh")
tanh = _unary("Tanh", np.tanh, lambda op, g: g * (1.0 - square(_outs(op))), FLOAT_C, "tanh")
asinh = _unary("Asinh", np.arcsinh, lambda op, g: g * rsqrt(square(_ins(op)) + 1.0), FLOAT_C,
               "asinh")
acosh = _unary("Acosh", K.safe(np.arccosh), lambda op, g: g / sinh(_outs(op)), FLOAT_C, "acosh")
atanh = _unary("Atanh", K.safe(np.arctanh), lambda op, g: g * reciprocal(1.0 - square(_ins(op))),
               FLOAT_C, "atanh")
sigmoid = _unary("Sigmoid", K.sigmoid, lambda op, g: g * _outs(op) * (1.0 - _outs(op)), FLOAT_C,
                 "sigmoid")
erf = _unary("Erf", K.erf, lambda op, g: g * (2.0 / np.sqrt(np.pi)) * exp(-square(_ins(op))),
             FLOAT, "erf")
erfc = _unary("Erfc", K.erfc, lambda op, g: g * (-2.0 / np.sqrt(np.pi)) * exp(-square(_ins(op))),
              FLOAT, "erfc")
lgamma = _unary("Lgamma", K.lgamma, lambda op, g: g * digamma(_ins(op)), FLOAT, "lgamma")
digamma = _unary("Digamma", K.digamma, lambda op, g: g * polygamma(
    convert_to_tensor(1, dtype=_ins(op).dtype), _ins(op)), FLOAT, "digamma")
polygamma = _binary("Polygamma", K.polygamma, lambda op, g: (None, _unbroadcast(
    g * polygamma(op.inputs[0] + 1.0, op.inputs[1]), op.inputs[1])), FLOAT, public="polygamma")
floor = _unary("Floor", np.floor, lambda op, g: [None], FLOAT, "floor")
ceil = _unary("Ceil", np.ceil, lambda op, g: [None], FLOAT, "ceil")
rint = _unary("Rint", np.rint, lambda op, g: [None], FLOAT, "rint")
_round = _unary("Round", K.round_half_even, lambda op, g: [None], NUMERIC, "round")
is_nan = _unary("IsNan", np.isnan, None, FLOAT, "is_nan", out_dtype=dtypes.bool)
is_inf = _unary("IsInf", np.isinf, None, FLOAT, "is_inf", out_dtype=dtypes.bool)
is_finite = _unary("IsFinite", np.isfinite, None, FLOAT, "is_finite", out_dtype=dtypes.bool)
neg = negative


def round(x, name: Optional[str] = None):  # noqa: A001
    """Round half to even (banker's rounding), like TF; integer tensors are returned as is."""
    x = convert_to_tensor(x)
    if x.dtype.is_integer:
        return x
    return _round(x, name=name)


def log_sigmoid(x, name: Optional[str] = None):
    """log(sigmoid(x)) computed stably as -softplus(-x)."""
    with name_scope(name, "LogSigmoid", [x]) as scope:
        from .nn_ops import softplus
        x = convert_to_tensor(x)
        return negative(softplus(negative(x)), name=scope)


def polyval(coeffs, x, name: Optional[str] = None):
    """Horner evaluation of ``coeffs[0]*x**(n-1) + ... + coeffs[n-1]``; usage:
    ``tf.math.polyval([1., 0., 2.], x)``."""
    with name_scope(name, "polyval", [x]) as scope:
        x = convert_to_tensor(x)
        if not coeffs:
            return _zeros_like(x)
        coeffs = [convert_to_tensor(c, dtype=x.dtype) for c in coeffs]
        acc = coeffs[0]
        for c in coeffs[1:]:
            acc = c + acc * x
        from .array_ops import identity
        return identity(acc, name=scope)


def abs(x, name: Optional[str] = None):  # noqa: A001
    """|x| elementwise; for complex ``x`` the (real) modulus, via ComplexAbs like TF."""
    if not _is_python(x) and convert_to_tensor(x).dtype.is_complex:
        x = convert_to_tensor(x)
        return apply_op("ComplexAbs", [x], {"Tout": x.dtype.real_dtype}, name=name or "ComplexAbs")
    return _abs(x, name=name)


# ---- complex parts (identity-like on real tensors) ------------------------------------------
define_op("ComplexAbs", lambda x, Tout: np.abs(x).astype(Tout.as_numpy_dtype),
          lambda inputs, attrs: [(attrs["Tout"], inputs[0].shape)])
RegisterGradient("ComplexAbs")(lambda op, g: _div_no_nan(
    cast(g, op.inputs[0].dtype) * op.inputs[0], cast(op.outputs[0], op.inputs[0].dtype)))
define_op("Real", lambda x, Tout: np.real(x).astype(Tout.as_numpy_dtype),
          lambda inputs, attrs: [(attrs["Tout"], inputs[0].shape)])
define_op("Imag", lambda x, Tout: np.imag(x).astype(Tout.as_numpy_dtype),
          lambda inputs, attrs: [(attrs["Tout"], inputs[0].shape)])
define_op("Conj", np.conj, lambda inputs, attrs: [(inputs[0].dtype, inputs[0].shape)])
RegisterGradient("Real")(lambda op, g: cast(g, op.inputs[0].dtype))
RegisterGradient("Imag")(lambda op, g: cast(g, op.inputs[0].dtype) * convert_to_tensor(
    1j, dtype=op.inputs[0].dtype))
RegisterGradient("Conj")(lambda op, g: conj(g))


def real(input, name: Optional[str] = None):  # noqa: A002
    """Real part of a complex tensor; a real tensor is returned unchanged."""
    x = convert_to_tensor(input)
    if not x.dtype.is_complex:
        return x
    return apply_op("Real", [x], {"Tout": x.dtype.real_dtype}, name=name or "Real")


def imag(input, name: Optional[str] = None):  # noqa: A002
    """Imaginary part of a complex tensor; zeros for a real tensor."""
    x = convert_to_tensor(input)
    if not x.dtype.is_complex:
        return _zeros_like(x)
    return apply_op("Imag", [x], {"Tout": x.dtype.real_dtype}, name=name or "Imag")


def conj(x, name: Optional[str] = None):
    """Complex conjugate; a real tensor is returned unchanged."""
    x = convert_to_tensor(x)
    if not x.dtype.is_complex:
        return x
    return apply_op("Conj", [x], name=name or "Conj")


# ---- cast ----------------------------------------------------------------------------------
define_op("Cast", K.cast, lambda inputs, attrs: [(attrs["DstT"], inputs[0].shape)])


@RegisterGradient("Cast")
def _cast_grad(op, grad):
    src = op.inputs[0].dtype
    if (src.is_floating or src.is_complex) and (grad.dtype.is_floating or grad.dtype.is_complex):
        return cast(grad, src)
    return None


def cast(x, dtype, name: Optional[str] = None):
    """``x`` converted to ``dtype`` (floats to ints truncate toward zero, as TF)."""
    dtype = dtypes.as_dtype(dtype)
    if hasattr(x, "_is_sparse_tensor"):
        from ..framework.sparse_tensor import SparseTensor
        return SparseTensor(x.indices, cast(x.values, dtype), x.dense_shape)
    with op_scope(name, "Cast", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype == dtype:
            return x
        return apply_op("Cast", [x], {"DstT": dtype, "Truncate": False}, name=scope)


def to_float(x, name: str = "ToFloat"):
    return cast(x, dtypes.float32, name=name)


def to_double(x, name: str = "ToDouble"):
    return cast(x, dtypes.float64, name=name)


def to_int32(x, name: str = "ToInt32"):
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name: str = "ToInt64"):
    return cast(x, dtypes.int64, name=name)


def to_bfloat16(x, name: str = "ToBFloat16"):
    return cast(x, dtypes.bfloat16, name=name)


def saturate_cast(value, dtype, name: Optional[str] = None):
    """Cast that clamps to ``dtype``'s range first instead of wrapping around."""
    dtype = dtypes.as_dtype(dtype)
    with name_scope(name, "saturate_cast", [value]) as scope:
        value = convert_to_tensor(value)
        if (value.dtype.is_floating or value.dtype.is_integer) and not dtype.is_bool:
            lo, hi = _saturation_bounds(value.dtype, dtype)
            if lo is not None:
                value = maximum(value, convert_to_tensor(lo, dtype=value.dtype))
            if hi is not None:
                value = minimum(value, convert_to_tensor(hi, dtype=value.dtype))
        return cast(value, dtype, name=scope)


def _saturation_bounds(src, dst):
    lo = hi = None
    if src.min < dst.min:
        lo = dst.min
    if src.max > dst.max:
        hi = dst.max
        if src.is_floating and dst.is_integer:
            # the largest float of ``src`` not above dst.max (float32(2**31-1) would round up)
            hi = np.nextafter(src.as_numpy_dtype(dst.max), src.as_numpy_dtype(-np.inf)) \
                if float(src.as_numpy_dtype(dst.max)) > dst.max else dst.max
    return lo, hi


# ---- matmul, add_n -------------------------------------------------------------------------
def _matmul_rule(inputs, attrs):
    a, b = inputs
    ta = attrs.get("transpose_a", False) or attrs.get("adj_x", False)
    tb = attrs.get("transpose_b", False) or attrs.get("adj_y", False)
    sa, sb = a.shape, b.shape
    if sa.ndims is None or sb.ndims is None:
        return [(a.dtype, TensorShape(None))]
    if sa.ndims < 2 or sb.ndims < 2:
        raise ValueError(f"Shape must be rank 2 but is rank {min(sa.ndims, sb.ndims)}")
    m, k1 = (sa[-1].value, sa[-2].value) if ta else (sa[-2].value, sa[-1].value)
    k2, n = (sb[-1].value, sb[-2].value) if tb else (sb[-2].value, sb[-1].value)
    if k1 is not None and k2 is not None and k1 != k2:
        raise ValueError(f"Dimensions must be equal, but are {k1} and {k2}")
    batch = broadcast_static(sa[:-2], sb[:-2])
    return [(a.dtype, batch.concatenate([m, n]))]


define_op("MatMul", lambda a, b, transpose_a=False, transpose_b=False:
          K.matmul(a, b, transpose_a, transpose_b), _matmul_rule, fresh=True)
define_op("BatchMatMulV2", lambda a, b, adj_x=False, adj_y=False:
          K.matmul(a, b, adjoint_a=adj_x, adjoint_b=adj_y), _matmul_rule, fresh=True)


def matmul(a, b, transpose_a: bool = False, transpose_b: bool = False, adjoint_a: bool = False,
           adjoint_b: bool = False, a_is_sparse: bool = False, b_is_sparse: bool = False,
           name: Optional[str] = None):
    """Matrix product ``a @ b`` (batched with broadcasting when rank > 2); usage:
    ``tf.matmul(x, w, transpose_b=True)``."""
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
    with op_scope(name, "MatMul", [a, b]) as scope:
        a, b = convert_pair(a, b, "MatMul", ("a", "b"))
        _require(a, NUMERIC, "MatMul", "a")
        if not a.dtype.is_complex:
            transpose_a, transpose_b = transpose_a or adjoint_a, transpose_b or adjoint_b
            adjoint_a = adjoint_b = False
        if a.shape.ndims == 2 and b.shape.ndims == 2 and not (adjoint_a or adjoint_b):
            return apply_op("MatMul", [a, b], {"transpose_a": bool(transpose_a),
                                               "transpose_b": bool(transpose_b)}, name=scope)
        if a.dtype.is_complex:  # BatchMatMulV2 only adjoints: transpose = adjoint of the conjugate
            if transpose_a:
                a, adjoint_a = conj(a), True
            if transpose_b:
                b, adjoint_b = conj(b), True
            transpose_a, transpose_b = adjoint_a, adjoint_b
        return apply_op("BatchMatMulV2", [a, b], {"adj_x": bool(transpose_a),
                                                  "adj_y": bool(transpose_b)}, name=scope)


define_op("AddN", K.add_n, lambda inputs, attrs: [(inputs[0].dtype, _merge_shapes(inputs))])
RegisterGradient("AddN")(lambda op, g: [g] * len(op.inputs))


def _merge_shapes(inputs):
    shape = TensorShape(None)
    for t in inputs:
        try:
            shape = shape.merge_with(t.shape)
        except ValueError as e:
            raise ValueError(f"{e} From merging shape 0 with other shapes.") from None
    return shape


def add_n(inputs, name: Optional[str] = None):
    """Sum of a list of tensors of the same shape and dtype; usage: ``tf.add_n([a, b, c])``."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least one Tensor/IndexedSlices with the "
                         "same dtype and shape")
    inputs = [convert_to_tensor(t) for t in inputs]
    if len(inputs) == 1:
        if name:
            from .array_ops import identity
            return identity(inputs[0], name=name)
        return inputs[0]
    dt = inputs[0].dtype
    if any(t.dtype != dt for t in inputs):
        raise TypeError(f"Tensors in list passed to 'inputs' of 'AddN' Op have types "
                        f"[{', '.join(t.dtype.name for t in inputs)}] that don't all match.")
    return apply_op("AddN", inputs, name=name or "AddN")


def accumulate_n(inputs, shape=None, tensor_dtype=None, name: Optional[str] = None):
    """Same result as ``add_n`` (TF's accumulate_n differs only in memory use)."""
    return add_n(inputs, name=name)


def scalar_mul(scalar, x, name: Optional[str] = None):
    """``scalar * x`` for a scalar ``scalar``; ValueError if it is not a scalar."""
    s = convert_to_tensor(scalar, dtype=convert_to_tensor(x).dtype) if not isinstance(
        scalar, Tensor) else scalar
    if s.shape.ndims not in (0, None):
        raise ValueError(f"Only scalar multiply works, got shape {s.shape}")
    return multiply(s, x, name=name)


# ---- the rest of the family (re-exported) ----------------------------------------------------
from .reduction_ops import *  # noqa: E402,F401,F403
from .reduction_ops import __all__ as _red_all  # noqa: E402
from .segment_ops import *  # noqa: E402,F401,F403
from .segment_ops import __all__ as _seg_all  # noqa: E402
from .einsum_ops import *  # noqa: E402,F401,F403
from .einsum_ops import __all__ as _ein_all  # noqa: E402

__all__ += _red_all + _seg_all + _ein_all
