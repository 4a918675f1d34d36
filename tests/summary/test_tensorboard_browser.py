"""Real TensorBoard shows tensorweave's logs: start ``tensorboard --logdir`` on loopback, open the
Scalars and Graphs pages in headless Chromium, wait until the tags and graph nodes appear.
Screenshots land in ``test-artifacts/``. Skipped without chromium, chromedriver or tensorboard."""
import os

import numpy as np
import pytest

import tensorweave as tf

from . import browser

pytest.importorskip("tensorboard")
pytestmark = pytest.mark.skipif(not (browser.CHROMIUM and browser.CHROMEDRIVER),
                                reason="chromium and chromedriver are not installed")
ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
                         "test-artifacts")


def _write_training_logs(logdir):
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, 3], name="features")
        with tf.name_scope("dense_layer"):
            w = tf.Variable(tf.ones([3, 1]), name="kernel")
            y = tf.matmul(x, w, name="logits")
        loss = tf.reduce_mean(tf.square(y), name="loss")
        train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
        tf.summary.scalar("train_loss", loss)
        tf.summary.histogram("kernel", w)
        merged = tf.summary.merge_all()
        batch = np.random.RandomState(0).normal(size=[8, 3]).astype(np.float32)
        with tf.Session() as sess, tf.summary.FileWriter(
                logdir, graph) as writer:
            sess.run(tf.global_variables_initializer())
            for step in range(10):
                summary, _ = sess.run([merged, train], {x: batch})
                writer.add_summary(summary, step)


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    logdir = str(tmp_path_factory.mktemp("tb_logs"))
    _write_training_logs(logdir)
    with browser.tensorboard_server(logdir) as url, browser.HeadlessChromium() as chromium:
        yield url, chromium


def test_scalars_page_shows_our_tags(board):
    url, chromium = board
    chromium.open(url + "#scalars")
    text = chromium.wait_for_text(["train_loss"])
    chromium.screenshot(os.path.join(ARTIFACTS, "tensorboard_scalars.png"))
    assert "train_loss" in text


def test_graphs_page_shows_our_nodes(board):
    url, chromium = board
    chromium.open(url + "#graphs")
    text = chromium.wait_for_text(["dense_layer", "GradientDescent", "loss"])
    chromium.screenshot(os.path.join(ARTIFACTS, "tensorboard_graphs.png"))
    assert "dense_layer" in text and "GradientDescent" in text
