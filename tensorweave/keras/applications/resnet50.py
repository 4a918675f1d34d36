"""ResNet-50 (v1, "Deep Residual Learning for Image Recognition") as a functional Keras model
with tf.keras's layer names (``conv1_conv``, ``conv2_block1_1_bn``, ``conv5_block3_out`` ...).

Usage: ``model = ResNet50(weights=None, include_top=True, classes=1000)``
"""
from __future__ import annotations

from typing import Optional, Sequence

from .. import backend as K
from .. import layers
from ..engine.input_layer import Input
from ..engine.training import Model

__all__ = ["ResNet50"]

_BN_EPSILON = 1.001e-5
_STAGES = ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2))  # (filters, blocks, first stride)


def _bottleneck(x, filters: int, stride: int, projection: bool, name: str, bn_axis: int):
    """1x1 -> 3x3 -> 1x1 (4*filters) convolutions with batch norm, added to the shortcut."""
    if projection:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=bn_axis, epsilon=_BN_EPSILON,
                                             name=name + "_0_bn")(shortcut)
    else:
        shortcut = x
    for i, (width, size, step) in enumerate(((filters, 1, stride), (filters, 3, 1),
                                             (4 * filters, 1, 1)), start=1):
        x = layers.Conv2D(width, size, strides=step, padding="same" if size > 1 else "valid",
                          name=f"{name}_{i}_conv")(x)
        x = layers.BatchNormalization(axis=bn_axis, epsilon=_BN_EPSILON,
                                      name=f"{name}_{i}_bn")(x)
        if i < 3:
            x = layers.Activation("relu", name=f"{name}_{i}_relu")(x)
    x = layers.Add(name=name + "_add")([shortcut, x])
    return layers.Activation("relu", name=name + "_out")(x)


def _input_shape(input_shape: Optional[Sequence[int]], include_top: bool, channels_first: bool):
    default = (3, 224, 224) if channels_first else (224, 224, 3)
    if input_shape is None:
        return default if include_top else ((3, None, None) if channels_first
                                            else (None, None, 3))
    input_shape = tuple(input_shape)
    if include_top and input_shape != default:
        raise ValueError(f"When setting `include_top=True`, `input_shape` should be {default}; "
                         f"got {input_shape}")
    spatial = input_shape[1:] if channels_first else input_shape[:2]
    if len(input_shape) != 3 or any(d is not None and d < 32 for d in spatial):
        raise ValueError(f"ResNet50 needs a 3-D input_shape with height and width of at least "
                         f"32; got input_shape={input_shape}")
    return input_shape


def ResNet50(include_top: bool = True, weights: Optional[str] = None, input_tensor=None,
             input_shape: Optional[Sequence[int]] = None, pooling: Optional[str] = None,
             classes: int = 1000, **kwargs) -> Model:
    """The ResNet-50 network: 53 convolutions in four stages of bottleneck blocks; with
    ``include_top`` a global average pool and a ``classes``-way softmax; else ``pooling``
    (None: the 4-D feature map, "avg" or "max": a 2-D feature vector)."""
    if weights is not None:
        raise ValueError(f"weights={weights!r}: tensorweave ships no pretrained weights; use "
                         "weights=None (then model.load_weights(path) for a saved file)")
    if kwargs:
        raise TypeError(f"ResNet50 got unexpected keyword arguments: {sorted(kwargs)}")
    if pooling not in (None, "avg", "max"):
        raise ValueError(f"pooling should be None, 'avg' or 'max'; got {pooling!r}")
    channels_first = K.image_data_format() == "channels_first"
    bn_axis = 1 if channels_first else 3
    if input_tensor is None:
        inputs = Input(shape=_input_shape(input_shape, include_top, channels_first))
    elif getattr(input_tensor, "_keras_history", None) is None:
        inputs = Input(tensor=input_tensor, shape=tuple(input_tensor.shape.as_list()[1:]))
    else:
        inputs = input_tensor
    x = layers.ZeroPadding2D(((3, 3), (3, 3)), name="conv1_pad")(inputs)
    x = layers.Conv2D(64, 7, strides=2, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=_BN_EPSILON, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    for stage, (filters, blocks, stride) in enumerate(_STAGES, start=2):
        for block in range(1, blocks + 1):
            x = _bottleneck(x, filters, stride if block == 1 else 1, block == 1,
                            f"conv{stage}_block{block}", bn_axis)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation="softmax", name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    return Model(inputs, x, name="resnet50")
