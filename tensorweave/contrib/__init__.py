"""``tf.contrib``: the few TF1 contrib names tensorweave provides.

Usage: ``it = tf.contrib.eager.Iterator(dataset)`` (eager mode);
``ds.apply(tf.contrib.data.batch_and_drop_remainder(32))``;
``tf.contrib.summary.scalar("loss", loss)`` under a default writer.
"""
from . import data, eager, summary  # noqa: F401

__all__ = ["data", "eager", "summary"]
