"""Benchmark workloads, written once against the TF1 API and run on either backend.

Usage: ``python benchmarks/workloads.py --backend tensorweave --workload tiny_run``
prints one JSON line of measurements. ``benchmarks/run.py`` drives it for both backends.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import numpy as np


def load_backend(name: str):
    if name == "tensorweave":
        import tensorweave as tf
        return tf
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    tf.get_logger().setLevel("ERROR")
    return tf


def timed_runs(step, seconds: float, min_runs: int) -> dict:
    """Median and best time per call of ``step()``, over batches filling about ``seconds``."""
    step()
    t0 = time.perf_counter()
    n = 0
    while n < 10 or time.perf_counter() - t0 < 0.05:
        step()
        n += 1
    per = (time.perf_counter() - t0) / n
    batch = max(1, int(0.05 / per))
    samples = []
    deadline = time.perf_counter() + seconds
    while len(samples) < min_runs or time.perf_counter() < deadline:
        t = time.perf_counter()
        for _ in range(batch):
            step()
        samples.append((time.perf_counter() - t) / batch)
    samples.sort()
    return {"median_s": samples[len(samples) // 2], "best_s": samples[0], "calls": batch * len(samples)}


def tiny_run(tf, seconds):
    """Session.run of ``a * b + b`` with one scalar feed."""
    a = tf.placeholder(tf.float32, [], name="a")
    b = tf.constant(3.0)
    c = a * b + b
    sess = tf.Session()
    feed = {a: 2.0}
    out = timed_runs(lambda: sess.run(c, feed), seconds, 7)
    assert float(sess.run(c, feed)) == 9.0
    return out


def mlp_adam(tf, seconds):
    """One Adam train step of a 784-512-512-10 MLP on a batch of 128 per Session.run."""
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.int64, [None])

    def dense(h, n_in, n_out, act):
        w = tf.Variable((rng.randn(n_in, n_out) * np.sqrt(2.0 / n_in)).astype(np.float32))
        b = tf.Variable(np.zeros(n_out, np.float32))
        z = tf.matmul(h, w) + b
        return tf.nn.relu(z) if act else z

    h = dense(x, 784, 512, True)
    h = dense(h, 512, 512, True)
    logits = dense(h, 512, 10, False)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.AdamOptimizer(1e-3).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    xb = rng.rand(128, 784).astype(np.float32)
    yb = rng.randint(0, 10, 128).astype(np.int64)
    feed = {x: xb, y: yb}
    first = float(sess.run(loss, feed))
    out = timed_runs(lambda: sess.run(train, feed), seconds, 7)
    last = float(sess.run(loss, feed))
    assert last < first, (first, last)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return out


def cnn_sgd(tf, seconds):
    """One SGD step of the issue's tf.layers CNN (conv 32@3x3 -> pool -> conv 64@3x3 -> pool ->
    dense 128 -> dense 10, sparse softmax cross-entropy) on a batch of 64 28x28x1 images."""
    rng = np.random.RandomState(0)
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    y = tf.placeholder(tf.int64, [None])
    h = tf.layers.conv2d(x, 32, 3, activation=tf.nn.relu)
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.conv2d(h, 64, 3, activation=tf.nn.relu)
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.dense(tf.layers.flatten(h), 128, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 10)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    feed = {x: rng.rand(64, 28, 28, 1).astype(np.float32),
            y: rng.randint(0, 10, 64).astype(np.int64)}
    first = float(sess.run(loss, feed))
    out = timed_runs(lambda: sess.run(train, feed), seconds, 7)
    last = float(sess.run(loss, feed))
    assert last < first, (first, last)
    return out


def conv_gflops(tf, seconds):
    """GFLOP/s of conv2d forward and backward (input and filter gradients) for a typical CNN
    layer (batch 32, 28x28, 64 -> 64 channels, 3x3, SAME), and NumPy's own float32 matmul
    GFLOP/s (1024^3) in the same process: the practical ceiling for a NumPy backend."""
    rng = np.random.RandomState(0)
    # NumPy's matmul first: once tensorweave's thread pool starts, OpenBLAS has one thread
    a = rng.randn(1024, 1024).astype(np.float32)
    mm = timed_runs(lambda: np.matmul(a, a), seconds / 3, 5)["median_s"]
    n, hw, c, o, k = 32, 28, 64, 64, 3
    flops = 2.0 * n * hw * hw * k * k * c * o  # per conv (and per backprop op)
    x = tf.Variable(rng.randn(n, hw, hw, c).astype(np.float32))
    f = tf.Variable((rng.randn(k, k, c, o) * 0.05).astype(np.float32))
    dy = tf.Variable(rng.randn(n, hw, hw, o).astype(np.float32))
    y = tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME")
    gx, gf = tf.gradients(y, [x, f], grad_ys=dy)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    fwd = timed_runs(lambda: sess.run(y), seconds / 3, 5)["median_s"]
    bwd = timed_runs(lambda: sess.run([gx, gf]), seconds / 3, 5)["median_s"]
    return {"fwd_gflops": flops / fwd / 1e9, "bwd_gflops": 2 * flops / bwd / 1e9,
            "matmul_gflops": 2.0 * 1024 ** 3 / mm / 1e9}


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def tfrecord_stream(tf, seconds):
    """Stream a 1 GiB TFRecord file (10240 records of 100 KiB) through
    ``tf.python_io.tf_record_iterator``; peak RSS growth while reading and read throughput.
    The file is written once (streaming) and cached in the temp folder for later runs."""
    import tempfile
    rec_size, count = 100 * 1024, 10240
    path = os.path.join(tempfile.gettempdir(), "tensorweave_bench_1g.tfrecord")
    if not os.path.exists(path) or os.path.getsize(path) != count * (rec_size + 16):
        payload = np.random.RandomState(0).bytes(rec_size)
        with tf.python_io.TFRecordWriter(path + ".part") as w:
            for i in range(count):
                w.write(i.to_bytes(8, "little") + payload[8:])
        os.replace(path + ".part", path)
    before = peak = _rss_mb()
    t = time.perf_counter()
    n = total = 0
    for rec in tf.python_io.tf_record_iterator(path):
        n += 1
        total += len(rec)
        if n % 32 == 0:  # RSS sampled every 3.2 MiB read
            peak = max(peak, _rss_mb())
    elapsed = time.perf_counter() - t
    assert (n, total) == (count, count * rec_size), (n, total)
    return {"rss_growth_mb": max(peak, _rss_mb()) - before, "read_s": elapsed,
            "mb_per_s": total / 2**20 / elapsed}


def data_pipeline(tf, seconds):
    """tf.data: ``from_tensor_slices((x[20000,32], y)) -> map(a*2, b+1) -> batch(32) ->
    prefetch(2)`` drained one batch per ``Session.run(get_next)`` (re-initialized at the end)."""
    rng = np.random.RandomState(0)
    x = rng.rand(20000, 32).astype(np.float32)
    y = rng.randint(0, 10, 20000).astype(np.int64)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a * 2.0, b + 1))
    it = ds.batch(32).prefetch(2).make_initializable_iterator()
    nxt = it.get_next()
    sess = tf.Session()
    sess.run(it.initializer)
    first = sess.run(nxt)
    np.testing.assert_allclose(first[0], x[:32] * 2.0)
    assert (first[1] == y[:32] + 1).all()

    def step():
        try:
            sess.run(nxt)
        except tf.errors.OutOfRangeError:
            sess.run(it.initializer)
            sess.run(nxt)
    out = timed_runs(step, seconds, 7)
    out["batches_per_s"] = 1.0 / out["median_s"]
    return out


def data_parallel_map(tf, seconds):
    """tf.data ``map`` with a kernel-heavy function (single-threaded elementwise NumPy kernels on
    512x512 per element, which release the GIL): speedup of ``num_parallel_calls=2`` over
    ``num_parallel_calls=None``."""
    m = np.random.RandomState(0).rand(64, 512, 512).astype(np.float32)

    def rate(calls):
        ds = tf.data.Dataset.from_tensor_slices(m).map(
            lambda a: tf.reduce_sum(tf.exp(tf.sin(a) * tf.cos(a)) / (a + 1.0)),
            num_parallel_calls=calls)
        it = ds.make_initializable_iterator()
        nxt = it.get_next()
        sess = tf.Session()
        best = float("inf")
        deadline = time.perf_counter() + seconds / 2
        while True:
            sess.run(it.initializer)
            t = time.perf_counter()
            for _ in range(64):
                sess.run(nxt)
            best = min(best, time.perf_counter() - t)
            if time.perf_counter() > deadline:
                break
        sess.close()
        return best
    seq, par = rate(None), rate(2)
    return {"sequential_s": seq, "parallel_s": par, "speedup": seq / par}


def keras_conv_bn(tf, seconds):
    """SGD step of three conv 3x3 + batch norm (training) + ReLU blocks (16, 32, 64 channels, the
    last two with stride 2) -> spatial mean -> dense 10, batch 16 of 32x32x3 images, built once
    with tf.keras layers (``keras_s``) and once with tf.layers (``layers_s``), same backend."""
    rng = np.random.RandomState(0)
    images = rng.rand(16, 32, 32, 3).astype(np.float32)
    labels = rng.randint(0, 10, 16).astype(np.int64)
    blocks = ((16, 1), (32, 2), (64, 2))

    def with_keras(x):
        layers, h, updates = tf.keras.layers, x, []
        for filters, stride in blocks:
            h = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(h)
            norm = layers.BatchNormalization()
            h = tf.nn.relu(norm(h, training=True))
            updates += norm.updates
        return layers.Dense(10)(tf.reduce_mean(h, [1, 2])), updates

    def with_tf_layers(x):
        h = x
        for filters, stride in blocks:
            h = tf.layers.conv2d(h, filters, 3, strides=stride, padding="same", use_bias=False)
            h = tf.nn.relu(tf.layers.batch_normalization(h, training=True))
        logits = tf.layers.dense(tf.reduce_mean(h, [1, 2]), 10)
        return logits, tf.get_collection(tf.GraphKeys.UPDATE_OPS)

    def step_seconds(build):
        with tf.Graph().as_default() as graph:
            tf.set_random_seed(0)
            x = tf.placeholder(tf.float32, [None, 32, 32, 3])
            y = tf.placeholder(tf.int64, [None])
            logits, updates = build(x)
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
            with tf.control_dependencies(updates):
                train = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
            sess = tf.Session(graph=graph)
            sess.run(tf.global_variables_initializer())
            feed = {x: images, y: labels}
            first = float(sess.run(loss, feed))
            median = timed_runs(lambda: sess.run(train, feed), seconds / 2, 7)["median_s"]
            assert float(sess.run(loss, feed)) < first
            return median

    return {"keras_s": step_seconds(with_keras), "layers_s": step_seconds(with_tf_layers)}


def eager_conv_bn(tf, seconds):
    """Eager training step (GradientTape + apply_gradients, SGD) of three tf.keras conv 3x3 +
    batch norm (training) + ReLU blocks (32, 64, 128 channels, the last two with stride 2) ->
    spatial mean -> dense 10, batch 8 of 64x64x3 images: op by op (``eager_s``) and with the
    model's forward pass traced by ``tf.function`` (``defun_s``)."""
    tf.enable_eager_execution()
    rng = np.random.RandomState(0)
    images = tf.constant(rng.rand(8, 64, 64, 3).astype(np.float32))
    labels = tf.constant(rng.randint(0, 10, 8).astype(np.int64))
    layers = tf.keras.layers

    def step_seconds(traced):
        model = tf.keras.Sequential(
            [layer for filters, stride in ((32, 1), (64, 2), (128, 2))
             for layer in (layers.Conv2D(filters, 3, strides=stride, padding="same",
                                         use_bias=False),
                           layers.BatchNormalization(), layers.ReLU())]
            + [layers.GlobalAveragePooling2D(), layers.Dense(10)])
        optimizer = tf.train.GradientDescentOptimizer(0.05)

        def loss_fn(x, y):
            logits = model(x, training=True)
            return tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))

        forward = tf.function(loss_fn) if traced else loss_fn

        def step():
            with tf.GradientTape() as tape:
                loss = forward(images, labels)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        first = float(step())
        median = timed_runs(step, seconds / 2, 5)["median_s"]
        assert float(step()) < first
        return median

    return {"eager_s": step_seconds(False), "defun_s": step_seconds(True)}


def resnet50_train(tf, seconds):
    """Eager ResNet-50 (examples/resnet50) training step at 224x224, batch 4: GradientTape +
    SGD, op by op; examples/sec and achieved GFLOP/s (~3 x 7.7 GFLOP per image)."""
    tf.enable_eager_execution()
    sys.modules.setdefault("tensorweave", tf)   # the model file imports tensorweave
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                    "examples"))
    from resnet50.resnet50 import ResNet50
    model = ResNet50("channels_last")
    rng = np.random.RandomState(0)
    images = tf.constant(rng.rand(4, 224, 224, 3).astype(np.float32))
    labels = tf.constant(np.eye(1000, dtype=np.float32)[rng.randint(0, 1000, 4)])
    optimizer = tf.train.GradientDescentOptimizer(0.01)

    def step():
        with tf.GradientTape() as tape:
            logits = model(images, training=True)
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels,
                                                                             logits=logits))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

    per = timed_runs(step, seconds, 3)["median_s"]
    return {"examples_per_s": 4 / per, "gflops": 4 * 3 * 7.7 / per}


def import_time(backend: str):
    """Seconds to import the backend in a fresh interpreter (measured by the caller's process)."""
    t = time.perf_counter()
    load_backend(backend)
    return {"import_s": time.perf_counter() - t}


def keras_fit_mlp(tf, seconds):
    """Per-step time of Keras ``fit`` for a 64-256-256-10 MLP (Adam, batch 64, 4096 samples),
    one epoch per timed call (64 steps), verbose=0."""
    rng = np.random.RandomState(0)
    x = rng.rand(4096, 64).astype(np.float32)
    y = rng.randint(0, 10, 4096).astype(np.int64)
    keras = tf.keras
    model = keras.Sequential([keras.layers.Dense(256, activation="relu", input_shape=(64,)),
                              keras.layers.Dense(256, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    first = model.evaluate(x, y, verbose=0)[0]
    out = timed_runs(lambda: model.fit(x, y, batch_size=64, epochs=1, verbose=0), seconds, 3)
    assert model.evaluate(x, y, verbose=0)[0] < first
    steps = 4096 // 64
    return {"step_s": out["median_s"] / steps, "calls": out["calls"]}


WORKLOADS = {"tiny_run": tiny_run, "mlp_adam": mlp_adam, "tfrecord_stream": tfrecord_stream,
             "cnn_sgd": cnn_sgd, "conv_gflops": conv_gflops, "keras_conv_bn": keras_conv_bn,
             "keras_fit_mlp": keras_fit_mlp, "eager_conv_bn": eager_conv_bn,
             "resnet50_train": resnet50_train,
             "data_pipeline": data_pipeline, "data_parallel_map": data_parallel_map}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--backend", choices=["tensorweave", "tensorflow"], required=True)
    p.add_argument("--workload", choices=sorted(WORKLOADS) + ["import"], required=True)
    p.add_argument("--seconds", type=float, default=2.0)
    args = p.parse_args(argv)
    if args.workload == "import":
        result = import_time(args.backend)
    else:
        tf = load_backend(args.backend)
        result = WORKLOADS[args.workload](tf, args.seconds)
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
