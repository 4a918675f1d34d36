"""Fetched values and nested structures are freed as soon as the caller drops them: no
reference cycle keeps them (and their memory) alive until the garbage collector runs."""
import gc
import weakref

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.data import structure
from tensorweave.util import nest


@pytest.fixture
def no_gc():
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_session_results_die_with_the_caller_reference(no_gc):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [4])
        fetches = {"a": [x * 2.0, (x + 1.0,)], "b": x - 1.0}
        with tf.Session() as sess:
            out = sess.run(fetches, {x: np.ones(4, np.float32)})
            refs = [weakref.ref(out["a"][0]), weakref.ref(out["a"][1][0]), weakref.ref(out["b"])]
            del out
            assert [r() for r in refs] == [None, None, None]


@pytest.mark.parametrize("pack", [nest.pack_sequence_as, structure.pack])
def test_packing_keeps_no_leaf_alive(no_gc, pack):
    leaves = [np.zeros(3), np.ones(2)]
    refs = [weakref.ref(a) for a in leaves]
    packed = pack((leaves[0], (leaves[1],)), leaves)
    flat = nest.flatten(packed)
    assert flat[0] is leaves[0] and flat[1] is leaves[1]
    del leaves, packed, flat
    assert [r() for r in refs] == [None, None]
