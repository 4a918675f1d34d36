"""Examples/sec of the eager ResNet-50 (224x224, batch 4): inference (apply) and a
GradientTape + SGD training step, on tensorweave or, with ``--tf``, on TensorFlow's eager Keras
(the same model code); with ``--defun`` the model's call is traced once (``tf.function``) and
run as a graph. Also reports achieved GFLOP/s (ResNet-50: ~7.7 GFLOP forward per image,
about 3x that for a training step).

Usage: ``python examples/resnet50/resnet50_bench.py [--tf] [--defun] [--batch 4] [--steps 3]``
"""
import argparse
import os
import sys
import time

import numpy as np

FORWARD_GFLOP = 7.7


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tf", action="store_true", help="run on TensorFlow instead")
    parser.add_argument("--defun", action="store_true", help="trace model.call (tf.function)")
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    if args.tf:
        os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf
        sys.modules["tensorweave"] = tf  # the model file imports tensorweave
    else:
        import tensorweave as tf
        tf.enable_eager_execution()
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from resnet50.resnet50 import ResNet50
    model = ResNet50("channels_last")
    if args.defun:
        model.call = tf.function(model.call)
    images = tf.constant(np.random.RandomState(0).rand(args.batch, 224, 224, 3)
                         .astype(np.float32))
    labels = tf.constant(np.eye(1000, dtype=np.float32)[np.arange(args.batch)])
    optimizer = tf.compat.v1.train.GradientDescentOptimizer(0.01) if args.tf else \
        tf.train.GradientDescentOptimizer(0.01)

    def train_step():
        with tf.GradientTape() as tape:
            logits = model(images, training=True)
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels,
                                                                          logits=logits))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

    for name, step, flop in [("apply", lambda: model(images, training=False), FORWARD_GFLOP),
                             ("train", train_step, 3 * FORWARD_GFLOP)]:
        step()  # warm-up (builds variables)
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        per = (time.perf_counter() - start) / args.steps
        rate = args.batch / per
        mode = "defun" if args.defun else "eager"
        backend = "tensorflow" if args.tf else "tensorweave"
        print(f"{backend} {mode} {name}: {rate:.2f} examples/sec "
              f"({per * 1e3:.0f} ms per batch of {args.batch}, {rate * flop:.0f} GFLOP/s)")


if __name__ == "__main__":
    main()
