"""Summary ops against summaries made by real TensorFlow (make_summary_fixtures.py in
fixtures/summary): op names, tags, scalar/histogram/audio/text/tensor protos byte for byte,
image pixels after PNG decoding."""
import json
import os

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.kernels.png_encoder import encode_png
from tensorweave.kernels.summary_kernels import default_bucket_limits

from .png_reader import read_png

FIX = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "summary")


def _load():
    with open(os.path.join(FIX, "summary_ops.json")) as f:
        ops = json.load(f)
    with np.load(os.path.join(FIX, "summary_inputs.npz")) as npz:
        x = {k: npz[k] for k in npz.files}
    with np.load(os.path.join(FIX, "tf_pixels.npz")) as npz:
        pixels = {k: npz[k] for k in npz.files}
    return ops, x, pixels


TF_OPS, INPUTS, TF_PIXELS = _load()


def _build(x):
    """The fixture script's summaries, in the same order."""
    s = {}
    s["loss"] = tf.summary.scalar("loss", tf.constant(x["scalar_f32"]))
    s["loss_again"] = tf.summary.scalar("loss", tf.constant(x["scalar_i32"]))
    with tf.name_scope("train"):
        s["acc"] = tf.summary.scalar("acc", tf.constant(x["scalar_f64"]), family="fam")
        s["odd_name"] = tf.summary.scalar("a b:c", tf.constant(x["scalar_f32"]))
    for key in ("hist_normal", "hist_ints", "hist_edges", "hist_empty"):
        s[key] = tf.summary.histogram(key, tf.constant(x[key]))
    s["img_signed"] = tf.summary.image("signed", tf.constant(x["img_signed"]), max_outputs=2)
    s["img_gray_u8"] = tf.summary.image("gray", tf.constant(x["img_gray_u8"]), max_outputs=1)
    s["img_rgba_nan"] = tf.summary.image("rgba", tf.constant(x["img_rgba_nan"]))
    s["img_zeros"] = tf.summary.image("zeros", tf.constant(x["img_zeros"]))
    s["audio_3d"] = tf.summary.audio("snd", tf.constant(x["audio_3d"]), 8000, max_outputs=3)
    s["audio_2d"] = tf.summary.audio("mono", tf.constant(x["audio_2d"]), 16000.0, max_outputs=1)
    s["text_vec"] = tf.summary.text("notes", tf.constant([b"hi", b"there"]))
    s["text_scalar"] = tf.summary.text("note", tf.constant("hello"))
    s["tensor_f32"] = tf.summary.tensor_summary("raw", tf.constant(x["tensor_f32"]))
    s["merged"] = tf.summary.merge([s["loss"], s["hist_ints"], s["img_gray_u8"]])
    s["merged_all"] = tf.summary.merge_all()
    return s


@pytest.fixture(scope="module")
def results():
    with tf.Graph().as_default():
        summaries = _build(INPUTS)
        with tf.Session() as sess:
            values = sess.run(summaries)
        names = {k: (t.op.name, t.op.type) for k, t in summaries.items()}
    return names, values


def _tf_summary(key):
    return tf.Summary.FromString(bytes.fromhex(TF_OPS[key]["summary"]))


def test_op_names_and_types_match_tensorflow(results):
    names, _ = results
    for key, (name, op_type) in names.items():
        assert (name, op_type) == (TF_OPS[key]["name"], TF_OPS[key]["type"]), key


@pytest.mark.parametrize("key", ["loss", "loss_again", "acc", "odd_name", "hist_normal",
                                 "hist_ints", "hist_edges", "hist_empty", "audio_3d",
                                 "audio_2d", "text_vec", "text_scalar", "tensor_f32"])
def test_serialized_summary_equals_tensorflow(results, key):
    _, values = results
    ours = tf.Summary.FromString(values[key])
    assert ours == _tf_summary(key)
    assert values[key] == bytes.fromhex(TF_OPS[key]["summary"])


@pytest.mark.parametrize("key", ["img_signed", "img_gray_u8", "img_rgba_nan", "img_zeros",
                                 "merged", "merged_all"])
def test_images_decode_to_tensorflow_pixels(results, key):
    _, values = results
    ours, theirs = tf.Summary.FromString(values[key]), _tf_summary(key)
    assert [v.tag for v in ours.value] == [v.tag for v in theirs.value]
    for mine, ref in zip(ours.value, theirs.value):
        if not ref.HasField("image"):
            assert mine == ref
            continue
        assert (mine.image.height, mine.image.width, mine.image.colorspace) == \
            (ref.image.height, ref.image.width, ref.image.colorspace)
        np.testing.assert_array_equal(read_png(mine.image.encoded_image_string),
                                      TF_PIXELS[f"{key}:{ref.tag}"])


def test_png_reader_agrees_with_tensorflow_decoder():
    """The test-side PNG reader decodes TF's own (filtered) PNGs as TF does."""
    for key, pixels in TF_PIXELS.items():
        op_key, tag = key.split(":")
        (value,) = [v for v in _tf_summary(op_key).value if v.tag == tag]
        np.testing.assert_array_equal(read_png(value.image.encoded_image_string), pixels)


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_png_encoder_round_trip(channels):
    image = np.random.RandomState(channels).randint(0, 256, [5, 7, channels]).astype(np.uint8)
    np.testing.assert_array_equal(read_png(encode_png(image)), image)


def test_default_buckets_are_tensorflow_edges():
    limits = default_bucket_limits()
    assert limits[0] == -limits[-1] == -np.finfo(np.float64).max
    zero = np.flatnonzero(limits == 0.0)
    assert zero.size == 1 and np.all(np.diff(limits) > 0)
    np.testing.assert_array_equal(limits[zero[0] + 1:zero[0] + 3], [1e-12, 1e-12 * 1.1])
    assert limits[-2] < 1e20 <= limits[-2] * 1.1


def test_merge_rejects_duplicate_tags():
    with tf.Graph().as_default():
        a = tf.summary.scalar("x", 1.0, collections=[])
        b = tf.summary.histogram("x", [1.0], collections=[])
        assert b.op.name == "x_1"
        dup = tf.summary.merge([a, a])
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag x"):
                sess.run(dup)


def test_histogram_of_nan_is_an_error():
    with tf.Graph().as_default():
        h = tf.summary.histogram("w", tf.constant([1.0, np.nan]))
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram"):
                sess.run(h)


def test_collections_and_merge_all():
    with tf.Graph().as_default():
        assert tf.summary.merge_all() is None
        tf.summary.scalar("a", 1.0)
        tf.summary.scalar("b", 2.0, collections=["mine"])
        with tf.name_scope("inner"):
            tf.summary.scalar("c", 3.0)
        merged = tf.summary.merge_all()
        only_b = tf.summary.merge_all(key="mine")
        inner = tf.summary.merge_all(scope="inner")
        with tf.Session() as sess:
            tags = [[v.tag for v in tf.Summary.FromString(sess.run(t)).value]
                    for t in (merged, only_b, inner)]
    assert tags == [["a", "inner/c"], ["b"], ["inner/c"]]


def test_image_summary_rejects_two_channels():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="last dim 1, 3, or 4"):
            tf.summary.image("bad", tf.zeros([1, 2, 2, 2]))


def test_text_needs_strings():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="dtype string"):
            tf.summary.text("bad", tf.constant([1.0]))
