"""Keras saving file formats without models: HDF5 attributes and weights as tf.keras wrote them,
config rewriting, the Lambda guard, format choice, and the checkpoint object graph."""
import json
import os

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

from tensorweave.keras.saving import checkpoint_format, hdf5_format, model_config  # noqa: E402
from tensorweave.keras.saving.network_saving import weights_format  # noqa: E402
from tensorweave.train.tensor_bundle import BundleReader, _parse_fields  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras", "saving")
MODES = ["graph", "eager"]


def _fixture(mode, name):
    return os.path.join(FIXTURES, mode, name)


@pytest.mark.parametrize("mode", MODES)
def test_reads_layer_and_weight_names_tf_keras_wrote(mode):
    with h5py.File(_fixture(mode, "cnn_bn.h5"), "r") as f:
        group = f["model_weights"]
        assert hdf5_format.load_attributes(group, "layer_names") == [
            "conv2d", "batch_normalization", "activation", "max_pooling2d", "flatten", "dense_3"]
        saved = dict(hdf5_format._saved_layers(group))
    assert list(saved) == ["conv2d", "batch_normalization", "dense_3"]
    assert saved["batch_normalization"] == [
        "batch_normalization/gamma:0", "batch_normalization/beta:0",
        "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]


@pytest.mark.parametrize("mode", MODES)
def test_weight_values_equal_tf_keras_get_weights(mode):
    expected = np.load(_fixture(mode, "expected.npz"))
    with h5py.File(_fixture(mode, "mlp_weights.h5"), "r") as f:
        values = [v for name, names in hdf5_format._saved_layers(f)
                  for v in hdf5_format._read_values(f, name, names)]
    assert len(values) == 6
    for i, value in enumerate(values):
        np.testing.assert_array_equal(value, expected[f"mlp/w{i}"])


def test_long_attributes_are_split_into_chunks_and_read_back(tmp_path):
    names = [f"layer_with_a_long_name_{i:05d}" for i in range(4000)]  # ~120 KB
    with h5py.File(tmp_path / "a.h5", "w") as f:
        hdf5_format.save_attributes(f, "layer_names", names)
        hdf5_format.save_attributes(f, "weight_names", [])
        assert "layer_names" not in f.attrs and "layer_names0" in f.attrs
        assert all(f.attrs[k].nbytes <= 64512 for k in f.attrs)
    with h5py.File(tmp_path / "a.h5", "r") as f:
        assert hdf5_format.load_attributes(f, "layer_names") == names
        assert hdf5_format.load_attributes(f, "weight_names") == []


def test_truncated_file_raises_oserror_naming_it(tmp_path):
    data = open(_fixture("graph", "mlp.h5"), "rb").read()
    path = tmp_path / "cut.h5"
    path.write_bytes(data[:len(data) // 3])
    with pytest.raises(OSError, match="cut.h5"):
        hdf5_format.load_model_from_hdf5(str(path))


def test_newer_tf_keras_configs_are_rewritten_for_keras2():
    config = json.load(open(_fixture("eager", "multi_io.json")))
    rewritten = model_config.keras2_config(config)
    text = json.dumps(rewritten)
    assert rewritten["class_name"] == "Model"
    for key in ('"module"', '"registered_name"', '"build_config"', '"ragged"', '"optional"'):
        assert key not in text
    layer = rewritten["config"]["layers"][2]
    assert layer["inbound_nodes"] == [[["a", 0, 0, {}]]] and layer["config"]["units"] == 5
    assert "module" in config["config"]["layers"][0]  # the input is left untouched


def _lambda_config(mode):
    with h5py.File(_fixture(mode, "lambda.h5"), "r") as f:
        return json.loads(f.attrs["model_config"])


@pytest.mark.parametrize("mode", MODES)
def test_lambda_bytecode_is_never_loaded(mode):
    config = _lambda_config(mode)
    with pytest.raises(ValueError, match="Lambda layer 'lambda'.*custom_objects"):
        model_config._bind_lambda_functions(config, {})
    double = lambda t: t * 2.0  # noqa: E731
    custom = {"lambda": double}
    model_config._bind_lambda_functions(config, custom)
    layer = config["config"]["layers"][-1]["config"]
    assert layer["function"] == "lambda" and layer["function_type"] == "function"
    assert custom == {"lambda": double}


def test_yaml_loader_is_safe_and_reads_old_keras_tuples():
    import yaml
    text = "batch_input_shape: !!python/tuple [null, 3]\nname: d\n"
    assert yaml.load(text, Loader=model_config._tuple_tolerant_loader()) == {
        "batch_input_shape": [None, 3], "name": "d"}
    with pytest.raises(yaml.YAMLError):
        yaml.load("!!python/object/apply:os.system ['true']",
                  Loader=model_config._tuple_tolerant_loader())


@pytest.mark.parametrize("path,fmt,expected", [
    ("w.h5", None, "h5"), ("w.keras", None, "h5"), ("w", None, "tf"), ("w.ckpt", None, "tf"),
    ("w", "h5", "h5"), ("w", "tensorflow", "tf"), ("w.ckpt", "TF", "tf")])
def test_weights_format_follows_argument_then_extension(path, fmt, expected):
    assert weights_format(path, fmt) == expected


def test_weights_format_rejects_tf_for_h5_names_and_unknown_formats():
    with pytest.raises(ValueError, match="looks like an HDF5 file"):
        weights_format("w.h5", "tf")
    with pytest.raises(ValueError, match="'tf' or 'h5'"):
        weights_format("w", "pickle")


def _resolve(proto: bytes, path) -> str:
    """The checkpoint key of the variable that ``path`` (local names from node 0) reaches."""
    nodes = [_parse_fields(body) for num, _, body in _parse_fields(proto) if num == 1]
    node = 0
    for name in path:
        refs = [{n: v for n, _, v in _parse_fields(value)} for num, _, value in nodes[node]
                if num == 1]
        node = next(ref.get(1, 0) for ref in refs if ref[2].decode() == name)
    attributes = [{n: v for n, _, v in _parse_fields(value)} for num, _, value in nodes[node]
                  if num == 2]
    assert [a[1] for a in attributes] == [b"VARIABLE_VALUE"]
    return attributes[0][3].decode()


class _Named:
    def __init__(self, name):
        self.name = name


@pytest.mark.parametrize("mode", MODES)
def test_object_graph_paths_match_the_ones_tf_keras_wrote(mode):
    tf_graph = BundleReader(_fixture(mode, "mlp_ckpt")).tensor(
        checkpoint_format.OBJECT_GRAPH_KEY).item()
    paths = [((f"layer_with_weights-{k}", attr), _Named(f"dense_{k}/{attr}:0"))
             for k in range(3) for attr in ("kernel", "bias")]
    ours = checkpoint_format._object_graph(paths)
    for path, _ in paths:
        key = checkpoint_format.checkpoint_key(path)
        assert _resolve(tf_graph, path) == key
        assert _resolve(ours, path) == key


def _h5_tree(path):
    """{object path: attrs (str lists) or dataset values} of an HDF5 file, minus the version."""
    tree = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                tree[name] = np.asarray(obj)
            else:
                tree[name] = {k: hdf5_format.load_attributes(obj, k) if k != "backend"
                              else obj.attrs[k] for k in obj.attrs if k != "keras_version"}
        visit("", f)
        f.visititems(visit)
    return tree


@pytest.mark.parametrize("name", ["mlp", "cnn_bn", "multi_io", "rnn"])
def test_weights_written_here_have_tf_keras_layout(name, tmp_path):
    source = _fixture("graph", name + "_weights.h5")
    with h5py.File(source, "r") as f:
        entries = [(layer, names, hdf5_format._read_values(f, layer, names) if names else [])
                   for layer in hdf5_format.load_attributes(f, "layer_names")
                   for names in [hdf5_format.load_attributes(f[layer], "weight_names")]]
    with h5py.File(tmp_path / "w.h5", "w") as f:
        hdf5_format.write_weight_groups(f, entries)
    ours, theirs = _h5_tree(tmp_path / "w.h5"), _h5_tree(source)
    assert sorted(ours) == sorted(theirs)
    for key, value in theirs.items():
        if isinstance(value, dict):
            assert {k: list(map(str, v)) if isinstance(v, list) else v
                    for k, v in ours[key].items()} == \
                {k: list(map(str, v)) if isinstance(v, list) else v for k, v in value.items()}
        else:
            np.testing.assert_array_equal(ours[key], value)
            assert ours[key].dtype == value.dtype
