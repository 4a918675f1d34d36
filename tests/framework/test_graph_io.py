"""GraphDef export/import: NodeDefs as TensorFlow writes them, write_graph, import_graph_def of
graphs written here and by TensorFlow (fixture from tests/fixtures/graph_io)."""
import os

import numpy as np
import pytest
from google.protobuf import text_format

import tensorweave as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "graph_io")


def _small_graph():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.device("/cpu:0"):
        w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2), name="w")
    with tf.name_scope("dense"):
        z = tf.matmul(x, w, transpose_b=False) + 1.0
    with tf.control_dependencies([x.op]):
        y = tf.nn.relu(z, name="y")
    return x, w, y


def test_node_defs_carry_types_inputs_controls_devices_and_attrs():
    with tf.Graph().as_default() as g:
        _small_graph()
        gd = g.as_graph_def()
    nodes = {n.name: n for n in tf.GraphDef.FromString(gd.SerializeToString()).node}
    assert nodes["x"].op == "Placeholder"
    assert nodes["x"].attr["dtype"].type == tf.float32.as_datatype_enum
    assert [d.size for d in nodes["x"].attr["shape"].shape.dim] == [-1, 3]
    assert nodes["dense/MatMul"].op == "MatMul" and list(nodes["dense/MatMul"].input) == ["x", "w/read"]
    assert nodes["dense/MatMul"].attr["transpose_b"].b is False
    assert list(nodes["y"].input) == ["dense/add", "^x"]
    assert nodes["w"].op == "VariableV2" and nodes["w"].device == "/device:CPU:0"
    init = tf.make_ndarray(nodes["w/initial_value"].attr["value"].tensor)
    np.testing.assert_array_equal(init, np.arange(6, dtype=np.float32).reshape(3, 2))
    assert gd.versions.producer > 0


def test_import_of_own_graph_runs_with_input_map_and_prefix():
    with tf.Graph().as_default() as g:
        _small_graph()
        gd = g.as_graph_def()
    with tf.Graph().as_default() as g2:
        feed = tf.placeholder(tf.float32, [None, 3])
        y, assign = tf.import_graph_def(gd, input_map={"x:0": feed, "^x": feed},
                                        return_elements=["y:0", "w/Assign"], name="net")
        assert y.name == "net/y:0" and assign.name == "net/w/Assign"
        with tf.Session() as sess:
            sess.run(assign)
            got = sess.run(y, {feed: [[1.0, -1.0, 0.5]]})
    w = np.arange(6, dtype=np.float32).reshape(3, 2)
    np.testing.assert_allclose(got, np.maximum(np.array([[1.0, -1.0, 0.5]]) @ w + 1, 0))


def test_import_of_a_tensorflow_graph_def():
    with open(os.path.join(FIXTURES, "tf_mlp.pb"), "rb") as f:
        data = f.read()
    values = np.load(os.path.join(FIXTURES, "tf_mlp_values.npz"))
    with tf.Graph().as_default():
        tf.import_graph_def(tf.GraphDef.FromString(data), name="")
        g = tf.get_default_graph()
        with tf.Session() as sess:
            got = sess.run(g.get_tensor_by_name("y:0"), {g.get_tensor_by_name("x:0"): values["x"]})
        assert g.get_operation_by_name("layer1/BiasAdd").type == "BiasAdd"
    np.testing.assert_allclose(got, values["y"], rtol=1e-5, atol=1e-6)


def test_write_graph_text_and_binary(tmp_path):
    with tf.Graph().as_default() as g:
        _small_graph()
        text_path = tf.train.write_graph(g, str(tmp_path), "g.pbtxt")
        bin_path = tf.train.write_graph(g.as_graph_def(), str(tmp_path / "sub"), "g.pb",
                                        as_text=False)
    parsed = text_format.Parse(open(text_path).read(), tf.GraphDef())
    binary = tf.GraphDef.FromString(open(bin_path, "rb").read())
    assert parsed == binary and len(binary.node) == len(g.get_operations())


def test_unknown_ops_and_cycles_are_clear_errors():
    gd = tf.GraphDef()
    gd.node.add(name="a", op="NoSuchOp")
    with tf.Graph().as_default(), pytest.raises(ValueError, match="NoSuchOp"):
        tf.import_graph_def(gd)
    gd = tf.GraphDef()
    gd.node.add(name="a", op="Identity", input=["b"])
    gd.node.add(name="b", op="Identity", input=["a"])
    with tf.Graph().as_default(), pytest.raises(ValueError, match="cycle"):
        tf.import_graph_def(gd)


def _tf_mlp_adam_graph_def(text: bool):
    path = os.path.join(FIXTURES, "tf_mlp_adam.pbtxt" if text else "tf_mlp_adam.pb")
    if text:
        return text_format.Parse(open(path).read(), tf.GraphDef())
    return tf.GraphDef.FromString(open(path, "rb").read())


@pytest.mark.parametrize("text", [False, True], ids=["binary", "text"])
def test_tensorflow_training_graph_imports_and_trains_as_in_tensorflow(text):
    values = np.load(os.path.join(FIXTURES, "tf_mlp_adam_values.npz"))
    with tf.Graph().as_default():
        tf.import_graph_def(_tf_mlp_adam_graph_def(text), name="")
        with tf.Session() as sess:
            sess.run("init")
            feed = {"x:0": values["x"], "y:0": values["y"]}
            losses = [sess.run(["loss:0", "Adam"], feed)[0] for _ in range(3)]
            np.testing.assert_allclose(losses, values["losses"], rtol=1e-5)
            np.testing.assert_allclose(sess.run("layer1/w:0"), values["w1"], rtol=1e-5, atol=1e-6)
            assert sess.run("global_step:0") == 3


def _build_mlp_adam(w1_init, w2_init):
    """The program of make_graph_io_fixtures.build_mlp_adam."""
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y = tf.placeholder(tf.int32, [None], name="y")
    with tf.variable_scope("layer1"):
        w1 = tf.get_variable("w", [4, 8], initializer=tf.constant_initializer(w1_init))
        b1 = tf.get_variable("b", [8], initializer=tf.zeros_initializer())
        h = tf.nn.relu(tf.matmul(x, w1) + b1)
    with tf.variable_scope("layer2"):
        w2 = tf.get_variable("w", [8, 3], initializer=tf.constant_initializer(w2_init))
        logits = tf.matmul(h, w2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits),
                          name="loss")
    step = tf.train.get_or_create_global_step()
    tf.train.AdamOptimizer(0.01).minimize(loss, global_step=step, name="Adam")
    tf.global_variables_initializer()


def test_training_graph_names_ops_and_type_attrs_match_tensorflow():
    values = np.load(os.path.join(FIXTURES, "tf_mlp_adam_values.npz"))
    with tf.Graph().as_default() as g:
        _build_mlp_adam(values["w1_init"], values["w2_init"])
        ours = {n.name: n for n in g.as_graph_def().node}
    theirs = {n.name: n for n in _tf_mlp_adam_graph_def(False).node}
    # outside the gradient subgraph every node is TF's: same name, op type and data inputs
    forward = {name for name in theirs if not name.startswith("gradients/")}
    forward.discard("SparseSoftmaxCrossEntropyWithLogits/Shape")   # TF's unused static check
    assert forward - set(ours) == set() and \
        {n for n in ours if not n.startswith("gradients/")} == forward
    # (updates read the gated gradients, gradients/<op>_grad/tuple/control_dependency_<i>;
    # deliberately, tensorweave gates only the gradients on a path to a variable: the first
    # layer's MatMul gradient for the placeholder x is never computed, so its weight gradient is
    # not gated and its update reads MatMul_1 directly)
    ungated = "Adam/update_layer1/w/ApplyAdam"
    assert "gradients/layer1/MatMul_grad/MatMul_1" in ours[ungated].input
    assert "gradients/layer1/MatMul_grad/tuple/control_dependency_1" in theirs[ungated].input
    for name in forward - {ungated}:
        data_inputs = [i for i in theirs[name].input if not i.startswith("^")]
        assert ours[name].op == theirs[name].op and \
            [i for i in ours[name].input if not i.startswith("^")] == data_inputs, name
    # type attrs (T, Tidx, SrcT, Tlabels ...) as TF writes them, wherever the op types agree
    for name, node in ours.items():
        if name in theirs and theirs[name].op == node.op:
            for key, value in theirs[name].attr.items():
                if not key.startswith("_") and value.WhichOneof("value") == "type":
                    assert node.attr[key] == value, (name, key)
    assert {n.op for n in ours.values() if n.name.startswith("Adam/update_")} == {"ApplyAdam"}
    for name in ("init", "Adam/update", "Adam/mul", "Adam/mul_1"):    # control inputs, sorted
        assert list(ours[name].input) == list(theirs[name].input), name


def test_import_errors_name_the_missing_nodes():
    gd = tf.GraphDef()
    gd.node.add(name="a", op="Identity", input=["missing"])
    with tf.Graph().as_default(), pytest.raises(ValueError, match="Node 'a': Unknown input node"):
        tf.import_graph_def(gd)
    with tf.Graph().as_default() as g:
        tf.placeholder(tf.float32, [], name="x")
        gd = g.as_graph_def()
    with tf.Graph().as_default(), pytest.raises(ValueError, match=r"not found in graph_def: \['z:0'\]"):
        tf.import_graph_def(gd, input_map={"z": tf.constant(1.0)})
    with tf.Graph().as_default(), pytest.raises(ValueError, match="return_element 'q:0' not found"):
        tf.import_graph_def(gd, return_elements=["q:0"])


def test_import_of_a_long_chain_needs_no_deep_recursion():
    gd = tf.GraphDef()
    gd.node.add(name="n0", op="Const").attr["dtype"].type = tf.float32.as_datatype_enum
    gd.node[0].attr["value"].tensor.CopyFrom(tf.make_tensor_proto(1.0))
    for i in range(1, 3000):       # listed last-first: the import must order them itself
        gd.node.add(name=f"n{i}", op="Identity", input=[f"n{i - 1}"])
    gd.node.reverse()
    with tf.Graph().as_default():
        last, = tf.import_graph_def(gd, return_elements=["n2999:0"], name="")
        with tf.Session() as sess:
            assert sess.run(last) == 1.0


def test_control_flow_functions_export_as_func_attrs_and_refuse_import():
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [], name="x")
        tf.cond(x > 0, lambda: x * 2, lambda: x - 1, name="branch")
        gd = g.as_graph_def()
    node = next(n for n in gd.node if n.name == "branch")
    assert node.attr["then_branch"].func.name and node.attr["else_branch"].func.name
    with tf.Graph().as_default(), pytest.raises(ValueError, match="'branch'.*function attrs"):
        tf.import_graph_def(gd)


def test_placeholder_with_default_exports_tf_dtype_and_shape_attrs():
    with tf.Graph().as_default() as g:
        tf.placeholder_with_default(np.zeros([2, 3], np.float32), [None, 3], name="p")
        node = next(n for n in g.as_graph_def().node if n.name == "p")
    assert node.attr["dtype"].type == tf.float32.as_datatype_enum
    assert [d.size for d in node.attr["shape"].shape.dim] == [-1, 3]


def test_type_attrs_of_many_op_types_match_tensorflow():
    import importlib.util
    spec = importlib.util.spec_from_file_location("op_zoo_program",
                                                  os.path.join(FIXTURES, "op_zoo_program.py"))
    program = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(program)
    with tf.Graph().as_default() as g:
        program.build(tf)
        ours = {n.name: n for n in g.as_graph_def().node}
    theirs = tf.GraphDef.FromString(open(os.path.join(FIXTURES, "tf_op_zoo.pb"), "rb").read())
    compared, wrong = 0, []
    for node in theirs.node:
        mine = ours.get(node.name)
        if mine is None or mine.op != node.op:
            continue
        for key, value in node.attr.items():
            if value.WhichOneof("value") == "type" or key == "N":
                compared += 1
                if mine.attr[key] != value:
                    wrong.append((node.name, node.op, key))
    assert compared > 40 and not wrong
