"""Keras layers that merge a list of tensors: ``Add``, ``Subtract``, ``Multiply``, ``Average``,
``Maximum``, ``Minimum``, ``Concatenate``, ``Dot`` and their functional forms (``add([a, b])`` ...).

Usage::

    merged = tf.keras.layers.Concatenate(axis=-1)([branch_a, branch_b])
    score = tf.keras.layers.Dot(axes=1, normalize=True)([u, v])     # cosine similarity

Elementwise merges broadcast like NumPy; inputs of lower rank first get unit axes inserted after
the batch axis (as Keras does). Masks are combined with a logical AND.
"""
from __future__ import annotations

from functools import reduce

from ...framework import ops
from ...framework.tensor_shape import TensorShape
from ...ops import array_ops, math_ops, nn_impl
from ..engine.base_layer import Layer

__all__ = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
           "add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate", "dot"]


def _dims(shape) -> list:
    """A shape (TensorShape, tuple or list) as a list of ints and ``None``."""
    return TensorShape(shape).as_list()


def _broadcast_dims(a: list, b: list, layer: str) -> list:
    """Broadcast two shapes that exclude the batch axis (shorter ones get leading unit dims)."""
    if len(a) < len(b):
        a, b = b, a
    out = list(a[:len(a) - len(b)])
    for x, y in zip(a[len(a) - len(b):], b):
        if x is None or y is None:
            out.append(None if x != 1 and y != 1 else (y if x == 1 else x))
        elif x == 1 or y == 1 or x == y:
            out.append(max(x, y) if 1 in (x, y) else x)
        else:
            raise ValueError(f"Operands of layer {layer} could not be broadcast together with "
                             f"shapes {a} {b}")
    return out


def _check_list(inputs, layer, count=None) -> list:
    """``inputs`` as a list, checked to be one (of ``count`` items) for merge ``layer``."""
    kind = type(layer).__name__
    if not isinstance(inputs, (list, tuple)):
        raise ValueError(f"A merge layer ({kind} {layer.name}) should be called on a list of "
                         f"inputs, got {inputs!r}")
    if count is not None and len(inputs) != count:
        raise ValueError(f"A `{kind}` layer ({layer.name}) should be called on exactly {count} "
                         f"inputs, got {len(inputs)}")
    if not inputs:
        raise ValueError(f"A merge layer ({kind} {layer.name}) should be called on at least 1 "
                         "input")
    return list(inputs)


class _Merge(Layer):
    """Elementwise merge of a list of tensors; subclasses define ``_merge_function``."""

    _input_count = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _merge_function(self, inputs: list):
        raise NotImplementedError

    def build(self, input_shape) -> None:
        shapes = [_dims(s) for s in _check_list(input_shape, self, self._input_count)]
        batch = {s[0] for s in shapes if s and s[0] is not None}
        if len(batch) > 1:
            raise ValueError(f"Can not merge tensors with different batch sizes in layer "
                             f"{self.name}. Got tensors with shapes: {shapes}")
        reduce(lambda a, b: _broadcast_dims(a, b, self.name), [s[1:] for s in shapes])
        self.built = True

    def call(self, inputs):
        inputs = [ops.convert_to_tensor(x) for x in _check_list(inputs, self, self._input_count)]
        ranks = [x.shape.ndims for x in inputs]
        if None not in ranks and len(set(ranks)) > 1:
            top = max(ranks)
            inputs = [reduce(lambda t, _: array_ops.expand_dims(t, 1), range(top - r), x)
                      for x, r in zip(inputs, ranks)]
        return self._merge_function(inputs)

    def compute_output_shape(self, input_shape) -> TensorShape:
        shapes = [_dims(s) for s in input_shape]
        batch = next((s[0] for s in shapes if s[0] is not None), None)
        rest = reduce(lambda a, b: _broadcast_dims(a, b, self.name), [s[1:] for s in shapes])
        return TensorShape([batch] + rest)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        masks = [array_ops.expand_dims(m, 0) for m in mask if m is not None]
        return math_ops.reduce_all(array_ops.concat(masks, 0), axis=0)


class Add(_Merge):
    """Sum of the inputs."""

    def _merge_function(self, inputs):
        return reduce(lambda a, b: a + b, inputs)


class Subtract(_Merge):
    """``inputs[0] - inputs[1]`` (exactly two inputs)."""

    _input_count = 2

    def _merge_function(self, inputs):
        return inputs[0] - inputs[1]


class Multiply(_Merge):
    """Elementwise product of the inputs."""

    def _merge_function(self, inputs):
        return reduce(lambda a, b: a * b, inputs)


class Average(_Merge):
    """Elementwise mean of the inputs."""

    def _merge_function(self, inputs):
        return reduce(lambda a, b: a + b, inputs) / len(inputs)


class Maximum(_Merge):
    """Elementwise maximum of the inputs."""

    def _merge_function(self, inputs):
        return reduce(math_ops.maximum, inputs)


class Minimum(_Merge):
    """Elementwise minimum of the inputs."""

    def _merge_function(self, inputs):
        return reduce(math_ops.minimum, inputs)


class Concatenate(_Merge):
    """Concatenation along ``axis``; all other dimensions must agree."""

    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape) -> None:
        shapes = [_dims(s) for s in _check_list(input_shape, self)]
        ranks = {len(s) for s in shapes}
        if len(ranks) > 1:
            raise ValueError(f"A `Concatenate` layer ({self.name}) requires inputs of the same "
                             f"rank, got shapes {shapes}")
        rank = ranks.pop()
        axis = self.axis % rank
        for i in range(rank):
            sizes = {s[i] for s in shapes if s[i] is not None}
            if i != axis and len(sizes) > 1:
                raise ValueError(f"A `Concatenate` layer ({self.name}) requires inputs with "
                                 f"matching shapes except for the concat axis {self.axis}. "
                                 f"Got inputs shapes: {shapes}")
        self.built = True

    def _merge_function(self, inputs):
        return array_ops.concat(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape) -> TensorShape:
        shapes = [_dims(s) for s in input_shape]
        out = list(shapes[0])
        axis = self.axis % len(out)
        sizes = [s[axis] for s in shapes]
        out[axis] = None if None in sizes else sum(sizes)
        return TensorShape(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            x = ops.convert_to_tensor(x)
            if m is None:
                m = array_ops.ones_like(x, dtype="bool")
            elif m.shape.ndims is not None and m.shape.ndims < x.shape.ndims:
                m = array_ops.expand_dims(m, -1)
            masks.append(m)
        return math_ops.reduce_all(array_ops.concat(masks, axis=self.axis), axis=-1)

    def get_config(self) -> dict:
        return dict(super().get_config(), axis=self.axis)


def _batch_dot(x, y, axes):
    """Per-example dot product of ``x`` and ``y`` contracting ``x``'s axis ``axes[0]`` with
    ``y``'s ``axes[1]`` (both counted with the batch axis); rank-2 inputs give ``[batch, 1]``."""
    rx, ry = x.shape.ndims, y.shape.ndims
    if rx == 2 and ry == 2:
        return math_ops.reduce_sum(x * y, axis=1, keepdims=True)
    ax, ay = axes
    x_rest = [i for i in range(1, rx) if i != ax]
    y_rest = [i for i in range(1, ry) if i != ay]
    xt = array_ops.transpose(x, [0] + x_rest + [ax])
    yt = array_ops.transpose(y, [0, ay] + y_rest)
    xs, ys = array_ops.shape(xt), array_ops.shape(yt)
    out = math_ops.matmul(array_ops.reshape(xt, array_ops.stack([xs[0], -1, xs[-1]])),
                          array_ops.reshape(yt, array_ops.stack([ys[0], ys[1], -1])))
    out = array_ops.reshape(out, array_ops.concat([xs[:-1], ys[2:]], 0))
    out.set_shape([x.shape[0].value] + [x.shape[i].value for i in x_rest] +
                  [y.shape[i].value for i in y_rest])
    return out


class Dot(_Merge):
    """Per-example dot product of two tensors over ``axes`` (an int or a pair); with
    ``normalize=True`` the inputs are L2-normalized first (cosine similarity)."""

    _input_count = 2

    def __init__(self, axes, normalize: bool = False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)) or len(axes) != 2:
                raise ValueError(f"Invalid format for argument `axes` of layer {self.name}: "
                                 f"list or tuple of two integers expected, got {axes}")
            axes = list(axes)
        self.axes = axes
        self.normalize = normalize
        self.supports_masking = True

    def _resolved_axes(self, rank_x: int, rank_y: int) -> list:
        axes = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        return [axes[0] % rank_x, axes[1] % rank_y]

    def build(self, input_shape) -> None:
        shapes = [_dims(s) for s in _check_list(input_shape, self, 2)]
        ax, ay = self._resolved_axes(len(shapes[0]), len(shapes[1]))
        a, b = shapes[0][ax], shapes[1][ay]
        if a is not None and b is not None and a != b:
            raise ValueError(f"Dimension incompatibility in layer {self.name}: {a} != {b}. "
                             f"Layer shapes: {shapes[0]}, {shapes[1]}")
        self.built = True

    def _merge_function(self, inputs):
        x, y = inputs
        axes = self._resolved_axes(x.shape.ndims, y.shape.ndims)
        if self.normalize:
            x = nn_impl.l2_normalize(x, axis=axes[0])
            y = nn_impl.l2_normalize(y, axis=axes[1])
        return _batch_dot(x, y, axes)

    def compute_output_shape(self, input_shape) -> TensorShape:
        sx, sy = (_dims(s) for s in input_shape)
        ax, ay = self._resolved_axes(len(sx), len(sy))
        rest = [d for i, d in enumerate(sx) if i not in (0, ax)] + \
               [d for i, d in enumerate(sy) if i not in (0, ay)]
        return TensorShape([sx[0]] + (rest or [1]))

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self) -> dict:
        return dict(super().get_config(), axes=self.axes, normalize=self.normalize)


def _functional(cls, doc: str):
    def fn(inputs, **kwargs):
        return cls(**kwargs)(inputs)
    fn.__name__ = fn.__qualname__ = cls.__name__.lower()
    fn.__doc__ = doc
    return fn


add = _functional(Add, "Functional ``Add``: ``tf.keras.layers.add([a, b])``.")
subtract = _functional(Subtract, "Functional ``Subtract``: ``tf.keras.layers.subtract([a, b])``.")
multiply = _functional(Multiply, "Functional ``Multiply``: ``tf.keras.layers.multiply([a, b])``.")
average = _functional(Average, "Functional ``Average``: ``tf.keras.layers.average([a, b])``.")
maximum = _functional(Maximum, "Functional ``Maximum``: ``tf.keras.layers.maximum([a, b])``.")
minimum = _functional(Minimum, "Functional ``Minimum``: ``tf.keras.layers.minimum([a, b])``.")


def concatenate(inputs, axis: int = -1, **kwargs):
    """Functional ``Concatenate``: ``tf.keras.layers.concatenate([a, b], axis=1)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes, normalize: bool = False, **kwargs):
    """Functional ``Dot``: ``tf.keras.layers.dot([a, b], axes=1)``."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
