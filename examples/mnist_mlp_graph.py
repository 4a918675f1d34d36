"""A TF1-style graph-mode MLP on scikit-learn's 8x8 handwritten digits (shipped with sklearn).

Run: ``make demo`` (or ``python examples/mnist_mlp_graph.py [--logdir DIR]``). It writes TensorBoard
logs (the graph, train/test loss and accuracy, weight histograms, a few input digits) and prints
the ``tensorboard --logdir ...`` command to view them. The code below is plain TF1: swap the
import for ``import tensorflow.compat.v1 as tf`` and it runs on TensorFlow too.
"""
import argparse
import os
import shutil
import tempfile

import numpy as np
from sklearn.datasets import load_digits

import tensorweave as tf


def load_data(seed=0):
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    order = np.random.RandomState(seed).permutation(len(x))
    x, y = x[order], y[order]
    n_test = len(x) // 5
    return (x[n_test:], y[n_test:]), (x[:n_test], y[:n_test])


def summaries(images, loss, accuracy):
    """Summary ops written per training step, per epoch, per evaluation and once."""
    with tf.name_scope("summaries"):
        step = tf.summary.scalar("loss", loss)
        weights = tf.summary.merge([tf.summary.histogram(v.op.name, v)
                                    for v in tf.trainable_variables()])
        evaluation = tf.summary.merge([step, tf.summary.scalar("accuracy", accuracy)])
        digits = tf.summary.image("digits", tf.reshape(images, [-1, 8, 8, 1]), max_outputs=6)
    return step, weights, evaluation, digits


def main(epochs=30, batch_size=64, seed=0, logdir=None):
    logdir = logdir or os.path.join(tempfile.gettempdir(), "tensorweave_digits_mlp")
    for run in ("train", "test"):  # a fresh run replaces the logs of the previous one
        shutil.rmtree(os.path.join(logdir, run), ignore_errors=True)
    (x_train, y_train), (x_test, y_test) = load_data(seed)
    tf.set_random_seed(seed)

    images = tf.placeholder(tf.float32, [None, 64], name="images")
    labels = tf.placeholder(tf.int64, [None], name="labels")

    def dense(inputs, n_out, name, activation=None):
        n_in = inputs.get_shape()[1].value
        with tf.name_scope(name):
            w = tf.Variable(tf.truncated_normal([n_in, n_out], stddev=np.sqrt(2.0 / n_in)),
                            name="weights")
            b = tf.Variable(tf.zeros([n_out]), name="biases")
            z = tf.matmul(inputs, w) + b
            return activation(z) if activation else z

    hidden1 = dense(images, 128, "hidden1", tf.nn.relu)
    hidden2 = dense(hidden1, 64, "hidden2", tf.nn.relu)
    logits = dense(hidden2, 10, "softmax_linear")

    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits), name="loss")
    global_step = tf.train.get_or_create_global_step()
    train_op = tf.train.AdamOptimizer(1e-3).minimize(loss, global_step=global_step)
    correct = tf.equal(tf.argmax(logits, 1), labels)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32), name="accuracy")
    step_summary, weight_summary, eval_summary, digit_summary = summaries(images, loss,
                                                                         accuracy)

    rng = np.random.RandomState(seed)
    test_feed = {images: x_test, labels: y_test}
    with tf.Session() as sess:
        train_writer = tf.summary.FileWriter(os.path.join(logdir, "train"), sess.graph)
        test_writer = tf.summary.FileWriter(os.path.join(logdir, "test"))
        sess.run(tf.global_variables_initializer())
        train_writer.add_summary(sess.run(digit_summary, {images: x_train[:6]}), 0)
        for epoch in range(1, epochs + 1):
            order = rng.permutation(len(x_train))
            losses = []
            for start in range(0, len(order), batch_size):
                idx = order[start:start + batch_size]
                _, batch_loss, summary, step = sess.run(
                    [train_op, loss, step_summary, global_step],
                    {images: x_train[idx], labels: y_train[idx]})
                train_writer.add_summary(summary, step)
                losses.append(batch_loss)
            train_writer.add_summary(sess.run(weight_summary), step)
            acc, summary = sess.run([accuracy, eval_summary], test_feed)
            test_writer.add_summary(summary, step)
            if epoch == 1 or epoch % 5 == 0:
                print(f"epoch {epoch:2d}  step {step:4d}  "
                      f"train loss {np.mean(losses):.4f}  held-out accuracy {acc:.4f}")
        final = sess.run(accuracy, test_feed)
        train_writer.close()
        test_writer.close()
    print(f"final held-out accuracy on {len(x_test)} digits: {final:.4f}")
    print(f"TensorBoard logs written; view them with:\n  tensorboard --logdir {logdir}")
    return final


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logdir", help="where to write TensorBoard logs (default: a folder "
                        "in the system's temporary directory)")
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    main(epochs=args.epochs, logdir=args.logdir)
