"""The eager ResNet-50 example (examples/resnet50): output shapes, its 320 variables, a
GradientTape training step, and batch-norm statistics that move only in training."""
import os
import sys

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))
from resnet50.resnet50 import ResNet50  # noqa: E402


@pytest.fixture(autouse=True)
def eager():
    with context.eager_mode():
        yield


def _images(n, size, channels_first=False):
    x = np.random.RandomState(0).rand(n, size, size, 3).astype(np.float32)
    return tf.constant(x.transpose(0, 3, 1, 2) if channels_first else x)


def test_full_model_shapes_and_variables():
    model = ResNet50("channels_last", classes=10)
    logits = model(_images(1, 224), training=False)
    assert logits.shape.as_list() == [1, 10]
    assert len(model.variables) == 320 and len(model.trainable_variables) == 214
    assert model.variables[0].name.endswith("conv1/kernel:0")
    assert any("res5c_branch2c" in v.name for v in model.variables)


@pytest.mark.parametrize("pooling,shape", [(None, [2, 2048, 2, 2]), ("avg", [2, 2048]),
                                           ("max", [2, 2048])])
def test_headless_outputs_channels_first(pooling, shape):
    model = ResNet50("channels_first", include_top=False, pooling=pooling)
    assert model(_images(2, 64, channels_first=True), training=False).shape.as_list() == shape


def test_training_step_and_batch_norm_statistics():
    model = ResNet50("channels_last", include_top=False, pooling="avg")
    x = _images(2, 64)
    target = tf.constant(np.random.RandomState(1).rand(2, 2048).astype(np.float32))
    model(x, training=False)
    moving = [v for v in model.variables if "moving_mean" in v.name]
    before = [v.numpy().copy() for v in moving]
    model(x, training=False)
    assert all(np.array_equal(b, v.numpy()) for b, v in zip(before, moving))
    optimizer = tf.train.GradientDescentOptimizer(0.05)
    losses = []
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x, training=True) - target))
        grads = tape.gradient(loss, model.trainable_variables)
        assert all(g is not None for g in grads)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(float(loss.numpy()))
    assert losses[1] < losses[0]
    assert not all(np.array_equal(b, v.numpy()) for b, v in zip(before, moving))
