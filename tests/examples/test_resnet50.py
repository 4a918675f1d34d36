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
    tf.set_random_seed(1)  # deterministic initial weights
    model = ResNet50("channels_last", include_top=False, pooling="avg")
    x = _images(2, 64)
    target = tf.constant(np.random.RandomState(1).rand(2, 2048).astype(np.float32))
    model(x, training=False)
    moving = [v for v in model.variables if "moving_mean" in v.name]
    before = [v.numpy().copy() for v in moving]
    model(x, training=False)
    assert all(np.array_equal(b, v.numpy()) for b, v in zip(before, moving))
    optimizer = tf.train.GradientDescentOptimizer(0.01)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x, training=True) - target))
    variables = model.trainable_variables
    grads = tape.gradient(loss, variables)
    assert len(grads) == 212 and all(np.isfinite(g.numpy()).all() for g in grads)
    # the last batch norm's gamma: its gradient matches a central difference (the early layers'
    # loss surface is too curved, with batch-norm statistics over 2 images, for a cheap check)
    gamma = [v for v in variables if v.name.endswith("bn5c_branch2c/gamma:0")][0]
    grad = grads[variables.index(gamma)].numpy()
    direction = np.random.RandomState(2).randn(*grad.shape).astype(np.float32)
    start = gamma.numpy().copy()
    gamma.assign(start + 1e-2 * direction)
    plus = float(tf.reduce_mean(tf.square(model(x, training=True) - target)).numpy())
    gamma.assign(start - 1e-2 * direction)
    minus = float(tf.reduce_mean(tf.square(model(x, training=True) - target)).numpy())
    gamma.assign(start)
    np.testing.assert_allclose((plus - minus) / 2e-2, np.sum(grad * direction), rtol=5e-2)
    kernel_before = variables[0].numpy().copy()
    optimizer.apply_gradients(zip(grads, variables))
    assert not np.array_equal(kernel_before, variables[0].numpy())
    assert not all(np.array_equal(b, v.numpy()) for b, v in zip(before, moving))


def test_traced_call_equals_eager_values_and_gradients():
    tf.set_random_seed(0)
    model = ResNet50("channels_last", include_top=False, pooling="avg")
    x = _images(2, 32)
    eager_out = model(x, training=False).numpy()   # builds the variables
    traced = tf.function(model.call)
    np.testing.assert_allclose(traced(x, training=False).numpy(), eager_out, rtol=1e-4,
                               atol=1e-5)
    grads = []
    for call in (model, traced):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(call(x, training=True) ** 2)
        grads.append(tape.gradient(loss, model.trainable_variables))
    for g_eager, g_traced, v in zip(*grads, model.trainable_variables):
        np.testing.assert_allclose(g_traced.numpy(), g_eager.numpy(), rtol=1e-3, atol=1e-4,
                                   err_msg=v.name)
