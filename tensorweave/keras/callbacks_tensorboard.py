"""``tf.keras.callbacks.TensorBoard``: training curves, weight histograms and the model graph.

Tags follow TensorFlow's (v1) callback: ``epoch_loss``, ``epoch_val_acc`` ... once per epoch
(step: the epoch, or the samples seen so far when ``update_freq`` is not ``'epoch'``);
``batch_loss`` ... every ``update_freq`` samples (``'batch'``: every batch; step: batches seen);
weight histograms ``dense/kernel_0`` every ``histogram_freq`` epochs (step: the epoch) and, with
``write_images``, weights as images ``dense/kernel_0_1/image/0``. In graph mode the model's graph
is written too.

Usage::

    board = tf.keras.callbacks.TensorBoard("logs", histogram_freq=1, update_freq="batch")
    model.fit(x, y, epochs=5, validation_split=0.2, callbacks=[board])
    # then: tensorboard --logdir logs
"""
from __future__ import annotations

import time
from typing import Optional, Union

import numpy as np

from ..core.framework.summary_pb2 import Summary
from ..core.util.event_pb2 import Event
from ..eager import context
from ..kernels.summary_kernels import histogram_proto, image_summary
from ..summary.event_file_writer import EventFileWriter
from . import backend
from .callbacks import Callback

__all__ = ["TensorBoard"]

_NOT_LOGGED = ("batch", "size", "num_steps")


def _weight_image(value: np.ndarray) -> Optional[np.ndarray]:
    """A weight as a ``[n, h, w, 1]`` image batch, laid out as TensorFlow's callback does;
    None for shapes it does not draw."""
    w = np.squeeze(value)
    if w.ndim == 2:
        if w.shape[0] > w.shape[1]:
            w = w.T
        return w.reshape(1, w.shape[0], w.shape[1], 1)
    if w.ndim == 3:
        if backend.image_data_format() == "channels_last":
            w = np.transpose(w, [2, 0, 1])
        return w.reshape(w.shape[0], w.shape[1], w.shape[2], 1)
    if w.ndim == 1:
        return w.reshape(1, w.shape[0], 1, 1)
    return None


class TensorBoard(Callback):
    """Write TensorBoard logs of a Keras training run to ``log_dir``.

    ``histogram_freq``: epochs between weight histograms (0: none). ``write_graph``: the model
    graph (graph mode). ``write_images``: weights drawn as images. ``update_freq``: ``'epoch'``,
    ``'batch'`` or a number of samples between batch-level scalars. Not supported: layer
    output and gradient histograms (``write_grads``), embeddings, profiling (``profile_batch`` is
    accepted and ignored).
    """

    def __init__(self, log_dir: str = "./logs", histogram_freq: int = 0, batch_size: int = 32,
                 write_graph: bool = True, write_grads: bool = False,
                 write_images: bool = False, update_freq: Union[str, int] = "epoch",
                 embeddings_freq: int = 0, embeddings_layer_names=None,
                 embeddings_metadata=None, embeddings_data=None, profile_batch: int = 2):
        super().__init__()
        if embeddings_freq:
            raise ValueError("TensorBoard(embeddings_freq=...): the embedding projector is not "
                             "supported by tensorweave")
        self.log_dir = str(log_dir)
        self.histogram_freq = int(histogram_freq)
        self.batch_size = batch_size
        self.write_graph = write_graph
        self.write_grads = write_grads
        self.write_images = write_images
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.writer = None
        self._samples_seen = 0
        self._samples_seen_at_last_write = 0
        self._total_batches_seen = 0

    # ---- writing ---------------------------------------------------------------------------
    def _write(self, step: int, values) -> None:
        self.writer.add_event(Event(wall_time=time.time(), step=int(step),
                                    summary=Summary(value=values)))

    def _write_scalars(self, step: int, logs: dict) -> None:
        for name, value in logs.items():  # one event per value, as TensorFlow writes them
            self._write(step, [Summary.Value(tag=name, simple_value=float(np.asarray(value)))])

    def _write_weights(self, step: int) -> None:
        values = []
        for layer in self.model.layers:
            for weight, value in zip(layer.weights, layer.get_weights()):
                tag = weight.name.replace(":", "_")
                values.append(Summary.Value(tag=tag, histo=histogram_proto(value, tag)))
                image = _weight_image(value) if self.write_images else None
                if image is not None:
                    values.extend(Summary.FromString(
                        image_summary(f"{tag}_1", image.astype(np.float32)).item()).value)
        self._write(step, values)

    # ---- hooks -----------------------------------------------------------------------------
    def set_model(self, model) -> None:
        super().set_model(model)
        if self.writer is None:
            self.writer = EventFileWriter(self.log_dir)
        else:
            self.writer.reopen()
        if self.write_graph and not context.executing_eagerly():
            graph_def = backend.get_session().graph.as_graph_def(add_shapes=True)
            self.writer.add_event(Event(wall_time=time.time(),
                                        graph_def=graph_def.SerializeToString()))

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        self._samples_seen += logs.get("size", 1)
        if self.update_freq != "epoch" and \
                self._samples_seen - self._samples_seen_at_last_write >= self.update_freq:
            self._write_scalars(self._total_batches_seen, {
                f"batch_{k}": v for k, v in logs.items() if k not in _NOT_LOGGED})
            self._samples_seen_at_last_write = self._samples_seen
        self._total_batches_seen += 1

    def on_epoch_end(self, epoch, logs=None):
        step = epoch if self.update_freq == "epoch" else self._samples_seen
        self._write_scalars(step, {f"epoch_{k}": v for k, v in (logs or {}).items()
                                   if k not in _NOT_LOGGED})
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._write_weights(epoch)
        self.writer.flush()

    def on_train_end(self, logs=None):
        self.writer.close()
