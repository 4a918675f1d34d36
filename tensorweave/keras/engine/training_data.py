"""What ``fit``/``evaluate``/``predict`` accept, turned into batches of NumPy arrays: arrays
(one, a list, or a dict by input/output name), ``tf.data.Dataset``s and Python generators.

Usage::

    xs = as_array_list(x, model.input_names, "input")
    for start, stop in batch_slices(len(xs[0]), 32): ...
    for batch in dataset_batches(dataset, steps=None): ...   # (x, y[, sample_weight]) tuples
"""
from __future__ import annotations

from typing import Iterator, Optional

import numpy as np

from ...eager import context
from ...framework import dtypes, errors

__all__ = ["as_array_list", "batch_slices", "split_batch", "dataset_batches",
           "generator_batches", "is_dataset", "is_generator", "class_weights_to_sample"]


def as_array_list(data, names, kind: str) -> list:
    """``data`` as a list of arrays in the order of ``names`` (checked against their count)."""
    if data is None:
        return []
    if isinstance(data, dict):
        missing = [n for n in names if n not in data]
        if missing:
            raise ValueError(f"No data provided for \"{missing[0]}\". Need data for each key "
                             f"in: {list(names)}")
        arrays = [data[n] for n in names]
    elif isinstance(data, (list, tuple)):
        arrays = list(data)
    else:
        arrays = [data]
    arrays = [np.asarray(a) for a in arrays]
    if names and len(arrays) != len(names):
        raise ValueError(f"Error when checking model {kind}: the list of Numpy arrays that you "
                         f"are passing to your model is not the size the model expected. "
                         f"Expected to see {len(names)} array(s), but instead got "
                         f"{len(arrays)} arrays.")
    lengths = {len(a) for a in arrays if a.ndim}
    if len(lengths) > 1:
        raise ValueError(f"All {kind} arrays (x) should have the same number of samples. Got "
                         f"array shapes: {[a.shape for a in arrays]}")
    return arrays


def batch_slices(n: int, batch_size: int) -> list:
    return [(i, min(i + batch_size, n)) for i in range(0, n, batch_size)]


def split_batch(batch) -> tuple:
    """(x, y, sample_weight) of one dataset/generator element."""
    if isinstance(batch, (list, tuple)):
        if len(batch) == 2:
            return batch[0], batch[1], None
        if len(batch) == 3:
            return tuple(batch)
        if len(batch) == 1:
            return batch[0], None, None
    return batch, None, None


def is_dataset(data) -> bool:
    return hasattr(data, "make_one_shot_iterator") or hasattr(data, "_as_variant") or \
        type(data).__name__.endswith("Dataset")


def is_generator(data) -> bool:
    return hasattr(data, "__next__") or (hasattr(data, "__getitem__") and
                                        hasattr(data, "__len__") and
                                        not isinstance(data, (np.ndarray, list, tuple, dict)))


def _to_numpy(value):
    if isinstance(value, dict):
        return {k: _to_numpy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_numpy(v) for v in value)
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)


def dataset_batches(dataset, steps: Optional[int], session_fn=None) -> Iterator:
    """Elements of ``dataset`` as NumPy structures: ``steps`` of them, or until it ends."""
    if context.executing_eagerly():
        iterator = iter(dataset)
        fetch = lambda: _to_numpy(next(iterator))  # noqa: E731
        end = StopIteration
    else:
        next_element = dataset.make_one_shot_iterator().get_next()
        session = session_fn()
        fetch = lambda: session.run(next_element)  # noqa: E731
        end = errors.OutOfRangeError
    count = 0
    while steps is None or count < steps:
        try:
            yield fetch()
        except end:
            if steps is not None:
                raise ValueError(f"The dataset ran out of data after {count} of the "
                                 f"{steps} requested steps.") from None
            return
        count += 1


def generator_batches(generator, steps: int) -> Iterator:
    """``steps`` items from a generator, iterator or Keras Sequence."""
    if hasattr(generator, "__getitem__") and not hasattr(generator, "__next__"):
        for i in range(steps):
            yield generator[i % len(generator)]
        return
    for _ in range(steps):
        yield next(generator)


def class_weights_to_sample(y: np.ndarray, class_weight: dict) -> np.ndarray:
    """Per-sample weights from ``class_weight`` (classes from one-hot argmax or the labels)."""
    classes = y.argmax(axis=-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(len(y), -1)[:, 0]
    return np.array([class_weight.get(int(c), 1.0) for c in classes], np.float32)


def placeholder_like(array: np.ndarray, name: str):
    """A placeholder for batches shaped like ``array`` (first dimension unknown)."""
    from ...ops import constant_op
    shape = (None,) + tuple(array.shape[1:])
    dtype = array.dtype if array.dtype != np.float64 else np.float32
    return constant_op.placeholder(dtypes.as_dtype(dtype), shape, name=name)
