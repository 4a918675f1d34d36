"""Optimizers against real TensorFlow trajectories (tests/fixtures/optimizers.json), plus the
Optimizer API: names, slots, global step, errors, eager mode, hyperparameter kinds.

The fixture problem: loss = 0.25*sum((x@w + b - y)^2) + 0.1*sum(w^2), 10 steps per case.
"""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "optimizers.json")
with open(FIXTURE) as _f:
    DATA = json.load(_f)
PROBLEM = DATA["problem"]
CASES = {c["name"]: c for c in DATA["cases"]}
TOL = {"float32": dict(rtol=2e-5, atol=2e-6), "float64": dict(rtol=1e-12, atol=1e-13)}


def make_optimizer(case):
    kwargs = {k: (tf.constant(v) if k in case["tensor_kwargs"] else v)
              for k, v in case["kwargs"].items()}
    return getattr(tf.train, case["cls"])(**kwargs)


def build_problem(dtype):
    x = tf.constant(np.array(PROBLEM["x"], dtype=dtype))
    neg_y = tf.constant(-np.array(PROBLEM["y"], dtype=dtype))
    w = tf.Variable(np.array(PROBLEM["w0"], dtype=dtype), name="w")
    b = tf.Variable(np.array(PROBLEM["b0"], dtype=dtype), name="b")

    def loss_fn():
        err = tf.matmul(x, w) + b + neg_y
        return tf.reduce_sum(tf.square(err)) * np.asarray(0.25, dtype) + \
            tf.reduce_sum(tf.square(w)) * np.asarray(0.1, dtype)
    return w, b, loss_fn


def check_trajectory(case, ws, bs):
    tol = TOL[case["dtype"]]
    for step in range(len(case["w"])):
        np.testing.assert_allclose(ws[step], case["w"][step], err_msg=f"w, step {step}", **tol)
        np.testing.assert_allclose(bs[step], case["b"][step], err_msg=f"b, step {step}", **tol)


@pytest.mark.parametrize("name", sorted(CASES))
def test_graph_trajectory_matches_tensorflow(name):
    case = CASES[name]
    with tf.Graph().as_default():
        w, b, loss_fn = build_problem(case["dtype"])
        loss = loss_fn()
        step = tf.train.get_or_create_global_step()
        opt = make_optimizer(case)
        train = opt.minimize(loss, global_step=step)
        assert train.name == case["train_op"]
        assert opt.get_slot_names() == case["slot_names"]
        assert {s: opt.get_slot(w, s).name for s in opt.get_slot_names()} == \
            case["slot_variable_names"]
        assert [v.name for v in opt.variables()] == case["variables"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            ws, bs, losses = [sess.run(w)], [sess.run(b)], []
            for _ in range(PROBLEM["steps"]):
                losses.append(sess.run(loss))
                sess.run(train)
                ws.append(sess.run(w))
                bs.append(sess.run(b))
            check_trajectory(case, ws, bs)
            np.testing.assert_allclose(losses, case["loss"], **TOL[case["dtype"]])
            for s, want in case["slots"].items():
                np.testing.assert_allclose(sess.run(opt.get_slot(w, s)), want["w"],
                                           err_msg=f"slot {s}", **TOL[case["dtype"]])
                np.testing.assert_allclose(sess.run(opt.get_slot(b, s)), want["b"],
                                           err_msg=f"slot {s}", **TOL[case["dtype"]])
            assert tf.train.global_step(sess, step) == case["global_step"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_eager_minimize_matches_tensorflow(name):
    case = CASES[name]
    with context.eager_mode():
        w, b, loss_fn = build_problem(case["dtype"])
        opt = make_optimizer(case)
        step = tf.Variable(np.int64(0), trainable=False, name="step")
        ws, bs = [w.numpy().copy()], [b.numpy().copy()]
        for _ in range(PROBLEM["steps"]):
            assert opt.minimize(loss_fn, global_step=step) is None
            ws.append(w.numpy())
            bs.append(b.numpy())
        check_trajectory(case, ws, bs)
        assert int(step.numpy()) == case["global_step"]
        assert opt.get_slot_names() == case["slot_names"]
        assert [v.name for v in opt.variables()] == case["variables"]


# ---- one step of each fused kernel (tests/fixtures/training_kernels.json) -------------------
with open(os.path.join(os.path.dirname(FIXTURE), "training_kernels.json")) as _f:
    KERNELS = json.load(_f)["kernels"]


def _run_kernel(k, eager):
    from tensorweave.train.optimizer import var_ref
    from tensorweave.train.training_ops import TRAINING_OPS, apply_training_op
    names, n_refs, _ = TRAINING_OPS[k["op"]]
    vs = {r: tf.Variable(np.array(a, np.float32), name=r) for r, a in k["inputs"].items()}
    values = []
    for n in names[n_refs:]:
        if n in ("grad", "delta"):
            values.append(tf.constant(np.array(k["grad"], np.float32)))
        else:
            values.append(tf.constant(np.float32(k["scalars"][n])))
    out = apply_training_op(k["op"], [var_ref(vs[r]) for r in names[:n_refs]], values,
                            dict(k["attrs"], use_locking=False))
    if eager:
        return {r: v.numpy() for r, v in vs.items()}, out.numpy()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ret = sess.run(out)
        return {r: sess.run(v) for r, v in vs.items()}, ret


@pytest.mark.parametrize("eager", [False, True], ids=["graph", "eager"])
@pytest.mark.parametrize("index", range(len(KERNELS)),
                         ids=[f"{k['op']}{i}" for i, k in enumerate(KERNELS)])
def test_kernel_step_matches_tensorflow(index, eager):
    k = KERNELS[index]
    if eager:
        with context.eager_mode():
            after, ret = _run_kernel(k, True)
    else:
        with tf.Graph().as_default():
            after, ret = _run_kernel(k, False)
    # the same float32 operations in the same order as TF's CPU kernels: equal but for the odd
    # last-bit difference; pow (Ftrl with lr_power != -0.5) differs by a few ulps in Eigen.
    maxulp = 8 if k["scalars"].get("lr_power", -0.5) != -0.5 else 1
    for r, want in k["outputs"].items():
        np.testing.assert_array_max_ulp(after[r], np.array(want, np.float32), maxulp=maxulp)
    np.testing.assert_array_equal(ret, after["var"])


@pytest.mark.parametrize("make_opt", [lambda: tf.train.AdamOptimizer(0.01),
                                      lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5),
                                      lambda: tf.train.FtrlOptimizer(0.1, l1_regularization_strength=0.01)])
def test_large_variables_update_like_small_ones(make_opt):
    """Variables above the kernel's chunk size (applied chunk by chunk) follow the same
    elementwise trajectory as a small variable holding the same values."""
    rng = np.random.RandomState(3)
    init = rng.randn(300, 250).astype(np.float32)  # 75,000 elements: more than one chunk
    target = rng.randn(300, 250).astype(np.float32)
    with tf.Graph().as_default():
        big = tf.Variable(init)
        small = [tf.Variable(init[i]) for i in (0, 150, 299)]
        loss = tf.reduce_sum(tf.square(big - target)) + tf.add_n(
            [tf.reduce_sum(tf.square(v - target[i])) for v, i in zip(small, (0, 150, 299))])
        train = make_opt().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            b, s = sess.run([big, small])
    for row, got in zip((0, 150, 299), s):
        np.testing.assert_array_equal(b[row], got)
    assert not np.array_equal(b, init)
