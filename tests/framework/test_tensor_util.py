"""make_tensor_proto encodes as TensorFlow does (protos TF made for the same values:
tests/fixtures/graph_io/tf_tensor_protos.json); MakeNdarray reads them back."""
import json
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.core.framework.tensor_pb2 import TensorProto
from tensorweave.framework.tensor_util import MakeNdarray, make_tensor_proto

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "graph_io")
with open(os.path.join(FIXTURES, "tf_tensor_protos.json")) as f:
    CASES = json.load(f)


def _values(case):
    values = case["values"]
    return np.array(values, case["value_dtype"]) if case["value_dtype"] else values


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['values']}-{c['dtype']}-{c['shape']}")
def test_make_tensor_proto_matches_tensorflow(case):
    want = TensorProto.FromString(bytes.fromhex(case["proto"]))
    got = make_tensor_proto(_values(case), dtype=case["dtype"], shape=case["shape"])
    assert got == want


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['values']}-{c['dtype']}-{c['shape']}")
def test_make_ndarray_reads_tensorflow_protos(case):
    got = MakeNdarray(TensorProto.FromString(bytes.fromhex(case["proto"])))
    values = np.asarray(_values(case))
    if values.dtype.kind == "U":
        values = np.char.encode(values)
    expected = np.broadcast_to(values, got.shape) if case["shape"] and values.size == 1 else values
    if case["shape"] and values.size not in (1, got.size):   # short values: the last one repeats
        expected = np.concatenate([values.ravel(), np.repeat(values.ravel()[-1],
                                                             got.size - values.size)])
    assert got.shape == tuple(case["shape"] or values.shape)
    np.testing.assert_array_equal(got, np.reshape(expected, got.shape))


def test_complex_and_half_values_round_trip():
    for values in (np.array(1 + 2j, np.complex64), np.array([1.5], np.float16)):
        proto = make_tensor_proto(values, shape=[2])
        np.testing.assert_array_equal(tf.make_ndarray(proto), np.repeat(values.ravel(), 2))


def test_too_many_values_and_verify_shape_are_errors():
    with pytest.raises(ValueError, match="at most 2, but received 3"):
        make_tensor_proto([1, 2, 3], shape=[2])
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(2, 2\), got \(4,\)"):
        make_tensor_proto([1, 2, 3, 4], shape=[2, 2], verify_shape=True)
