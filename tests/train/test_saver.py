"""tf.train.Saver: round trips, graph ops, max_to_keep, state file, interrupted saves, errors."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tensorweave as tf
from tensorweave.eager import context
from tensorweave.train import checkpoint_management as cm
from tensorweave.train import saver as saver_module
from tensorweave.train import tensor_bundle

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

VALUES = {
    "w": np.arange(6, dtype=np.float32).reshape(2, 3),
    "dense/kernel": np.linspace(-1, 1, 12).reshape(3, 4),
    "i32": np.array([1, -2, 2**31 - 1], np.int32),
    "i64": np.array([[2**40]], np.int64),
    "flag": np.array([True, False]),
    "half": np.array([0.5, -1.5], np.float16),
    "s": np.array([b"abc", b"", b"\x00\xff"], dtype=object),
    "scalar": np.array(2.5, np.float32),
}


def _make_vars():
    return {n: tf.Variable(v, name=n) for n, v in VALUES.items()}


def _files(d):
    return sorted(f for f in os.listdir(d))


def test_round_trip_values_and_dtypes(tmp_path):
    with tf.Graph().as_default():
        vs = _make_vars()
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, str(tmp_path / "model.ckpt"))
            assert path == str(tmp_path / "model.ckpt")
            for n, v in vs.items():  # clobber everything
                sess.run(v.assign(np.zeros_like(VALUES[n]) if n != "s" else
                                  np.array([b"", b"", b""], dtype=object)))
            saver.restore(sess, path)
            got = sess.run(vs)
    for n, v in VALUES.items():
        assert got[n].dtype == v.dtype, n
        np.testing.assert_array_equal(got[n], v)
    reader = tf.train.NewCheckpointReader(path)
    assert reader.get_variable_to_dtype_map()["dense/kernel"] == tf.float64
    assert reader.get_variable_to_shape_map()["w"] == [2, 3]


def test_saver_ops_are_named_like_tensorflow():
    with tf.Graph().as_default() as g:
        tf.Variable([1.0, 2.0], name="w")
        tf.Variable(3, name="dense/kernel")
        saver = tf.train.Saver()
        names = [(op.name, op.type) for op in g.get_operations() if op.name.startswith("save/")]
        save_op = g.get_operation_by_name("save/SaveV2")
    assert names == [
        ("save/filename/input", "Const"), ("save/filename", "PlaceholderWithDefault"),
        ("save/Const", "PlaceholderWithDefault"), ("save/SaveV2/tensor_names", "Const"),
        ("save/SaveV2/shape_and_slices", "Const"), ("save/SaveV2", "SaveV2"),
        ("save/control_dependency", "Identity"), ("save/RestoreV2/tensor_names", "Const"),
        ("save/RestoreV2/shape_and_slices", "Const"), ("save/RestoreV2", "RestoreV2"),
        ("save/Assign", "Assign"), ("save/Assign_1", "Assign"), ("save/restore_all", "NoOp")]
    assert [t.name for t in save_op.inputs][3:] == ["dense/kernel:0", "w:0"]  # sorted by name
    sd = saver.as_saver_def()
    assert (sd.filename_tensor_name, sd.save_tensor_name, sd.restore_op_name) == \
        ("save/Const:0", "save/control_dependency:0", "save/restore_all")


def test_restore_op_runs_directly_through_session(tmp_path):
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        saver = tf.train.Saver(name="my_saver")
        sd = saver.as_saver_def()
        assert sd.restore_op_name == "my_saver/restore_all"
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            prefix = str(tmp_path / "m")
            sess.run(sd.save_tensor_name, {sd.filename_tensor_name: prefix})
            sess.run(v.assign([7.0, 8.0]))
            sess.run(sd.restore_op_name, {sd.filename_tensor_name: prefix})
            np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_var_list_dict_renames_and_list_uses_op_names(tmp_path):
    with tf.Graph().as_default():
        with tf.variable_scope("dense"):
            k = tf.get_variable("kernel", initializer=tf.constant([[1.0, 2.0]]))
        b = tf.Variable(5, name="b")
        tf.Variable(9, name="not_saved")
        loc = tf.Variable(1.0, name="local", collections=[tf.GraphKeys.LOCAL_VARIABLES])
        s1 = tf.train.Saver({"renamed/kernel": k, "bias": b})
        s2 = tf.train.Saver([k, b])
        s3 = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(loc.initializer)
            p1 = s1.save(sess, str(tmp_path / "a"))
            p2 = s2.save(sess, str(tmp_path / "b"))
            p3 = s3.save(sess, str(tmp_path / "c"))
    assert tf.train.list_variables(p1) == [("bias", []), ("renamed/kernel", [1, 2])]
    assert tf.train.list_variables(p2) == [("b", []), ("dense/kernel", [1, 2])]
    assert [n for n, _ in tf.train.list_variables(p3)] == ["b", "dense/kernel", "not_saved"]
    assert tf.train.load_variable(p1, "bias") == 5


def test_global_step_tensor_and_pad_step_number(tmp_path):
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        inc = tf.assign_add(step, 3)
        saver = tf.train.Saver(pad_step_number=True)
        saver2 = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(inc)
            p = saver.save(sess, str(tmp_path / "model"), global_step=step)
            p2 = saver2.save(sess, str(tmp_path / "other"), global_step=np.int64(12))
    assert p == str(tmp_path / "model-00000003")
    assert p2 == str(tmp_path / "other-12")
    assert tf.train.load_variable(p, "global_step") == 3


def _saver_loop(tmp_path, steps, **kwargs):
    with tf.Graph().as_default():
        v = tf.Variable(0, name="v")
        saver = tf.train.Saver(**kwargs)
        paths = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in steps:
                sess.run(v.assign(step))
                paths.append(saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step))
    return saver, paths


def test_max_to_keep_deletes_old_checkpoints_and_keeps_state_in_order(tmp_path):
    saver, paths = _saver_loop(tmp_path, [1, 2, 3, 4, 5], max_to_keep=2)
    assert _files(tmp_path) == ["checkpoint", "model.ckpt-4.data-00000-of-00001",
                                "model.ckpt-4.index", "model.ckpt-4.meta",
                                "model.ckpt-5.data-00000-of-00001", "model.ckpt-5.index",
                                "model.ckpt-5.meta"]
    assert saver.last_checkpoints == paths[-2:]
    with open(tmp_path / "checkpoint") as f:
        assert f.read() == (f'model_checkpoint_path: "{paths[4]}"\n'
                            f'all_model_checkpoint_paths: "{paths[3]}"\n'
                            f'all_model_checkpoint_paths: "{paths[4]}"\n')
    assert tf.train.latest_checkpoint(str(tmp_path)) == paths[4]
    assert tf.train.load_variable(str(tmp_path), "v") == 5
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == paths[4]
    assert state.all_model_checkpoint_paths == paths[3:]


def test_resaving_an_existing_prefix_moves_it_to_the_end(tmp_path):
    saver, paths = _saver_loop(tmp_path, [1, 2, 1], max_to_keep=5)
    assert saver.last_checkpoints == [paths[1], paths[0]]
    assert tf.train.get_checkpoint_state(str(tmp_path)).all_model_checkpoint_paths == \
        [paths[1], paths[0]]


def test_max_to_keep_none_keeps_files_but_lists_only_latest(tmp_path):
    _, paths = _saver_loop(tmp_path, [1, 2, 3], max_to_keep=None)
    assert len([f for f in _files(tmp_path) if f.endswith(".index")]) == 3
    assert tf.train.get_checkpoint_state(str(tmp_path)).all_model_checkpoint_paths == [paths[2]]


def test_keep_checkpoint_every_n_hours_preserves_spaced_checkpoints(tmp_path, monkeypatch):
    clock = iter([0.0] + [h * 3600.0 for h in (0.5, 1.0, 2.5, 3.0, 3.5)])
    monkeypatch.setattr(saver_module, "_now", lambda: next(clock))
    _saver_loop(tmp_path, [1, 2, 3, 4, 5], max_to_keep=1, keep_checkpoint_every_n_hours=2)
    kept = sorted(f for f in _files(tmp_path) if f.endswith(".index"))
    # steps saved at 0.5h, 1h, 2.5h, 3h, 3.5h; preserved: the first >= 2h after t=0 (2.5h)
    assert kept == ["model.ckpt-3.index", "model.ckpt-5.index"]


def test_save_relative_paths_and_latest_filename(tmp_path):
    _saver_loop(tmp_path, [1, 2], save_relative_paths=True)
    with open(tmp_path / "checkpoint") as f:
        assert f.read() == ('model_checkpoint_path: "model.ckpt-2"\n'
                            'all_model_checkpoint_paths: "model.ckpt-1"\n'
                            'all_model_checkpoint_paths: "model.ckpt-2"\n')
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "model.ckpt-2")
    with tf.Graph().as_default():
        v = tf.Variable(1, name="v")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(v.initializer)
            saver.save(sess, str(tmp_path / "x"), latest_filename="mystate")
            with pytest.raises(ValueError, match="collides"):
                saver.save(sess, str(tmp_path / "checkpoint"))
            with pytest.raises(ValueError, match="Parent directory"):
                saver.save(sess, str(tmp_path / "missing" / "x"))
            saver.save(sess, str(tmp_path / "y"), write_state=False)
    assert tf.train.latest_checkpoint(str(tmp_path), "mystate") == str(tmp_path / "x")
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "model.ckpt-2")


def _two_var_session(tmp_path):
    g = tf.Graph()
    with g.as_default():
        a = tf.Variable([1.0, 2.0], name="a")
        b = tf.Variable([3.0, 4.0, 5.0], name="b")
        saver = tf.train.Saver()
        sess = tf.Session(graph=g)
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "two"))
    return g, sess, path


def test_missing_key_is_not_found_and_nothing_is_restored(tmp_path):
    _, sess0, path = _two_var_session(tmp_path)
    sess0.close()
    with tf.Graph().as_default():
        a = tf.Variable([0.0, 0.0], name="a")
        zz = tf.Variable(0.0, name="zz")
        saver = tf.train.Saver([a, zz])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.NotFoundError, match="Key zz not found in checkpoint"):
                saver.restore(sess, path)
            np.testing.assert_array_equal(sess.run(a), [0.0, 0.0])
            # the graph's own RestoreV2 op raises the same error
            sd = saver.as_saver_def()
            with pytest.raises(tf.errors.NotFoundError, match="Key zz not found in checkpoint"):
                sess.run(sd.restore_op_name, {sd.filename_tensor_name: path})
            np.testing.assert_array_equal(sess.run(a), [0.0, 0.0])


def test_shape_mismatch_is_invalid_argument_and_nothing_is_restored(tmp_path):
    _, sess0, path = _two_var_session(tmp_path)
    sess0.close()
    with tf.Graph().as_default():
        a = tf.Variable([0.0, 0.0], name="a")
        b = tf.Variable([0.0, 0.0], name="b")  # saved with shape [3]
        saver = tf.train.Saver([a, b])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"Assign requires shapes of both tensors to match.*b\)\. "
                                     r"lhs shape= \[2\] rhs shape= \[3\]"):
                saver.restore(sess, path)
            np.testing.assert_array_equal(sess.run(a), [0.0, 0.0])


def test_dtype_mismatch_is_invalid_argument(tmp_path):
    _, sess0, path = _two_var_session(tmp_path)
    sess0.close()
    with tf.Graph().as_default():
        a = tf.Variable([0, 0], name="a")
        saver = tf.train.Saver([a])
        with tf.Session() as sess:
            sess.run(a.initializer)
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="expected dtype int32 does not equal original dtype float"):
                saver.restore(sess, path)


def test_reshape_restores_into_a_differently_shaped_variable(tmp_path):
    _, sess0, path = _two_var_session(tmp_path)
    sess0.close()
    with tf.Graph().as_default():
        a = tf.Variable([[0.0], [0.0]], name="a")
        saver = tf.train.Saver([a], reshape=True)
        with tf.Session() as sess:
            sess.run(a.initializer)
            saver.restore(sess, path)
            np.testing.assert_array_equal(sess.run(a), [[1.0], [2.0]])


def test_other_errors(tmp_path):
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="No variables to save"):
            tf.train.Saver()
        empty = tf.train.Saver(allow_empty=True)
        v = tf.Variable(1.0, name="v")
        saver = tf.train.Saver([v])
        with pytest.raises(TypeError, match="not a Variable"):
            tf.train.Saver([v, _NotAVariable()])
        with tf.Session() as sess:
            assert empty.save(sess, str(tmp_path / "e")) is None
            with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
                saver.save(sess, str(tmp_path / "u"))
            assert not os.path.exists(tmp_path / "checkpoint")
            with pytest.raises(ValueError, match="not a valid checkpoint"):
                saver.restore(sess, str(tmp_path / "nothing"))
            with pytest.raises(ValueError, match="None"):
                saver.restore(sess, None)
    assert [f for f in _files(tmp_path) if "tempstate" in f] == []


class _NotAVariable:
    pass


def test_defer_build(tmp_path):
    with tf.Graph().as_default() as g:
        saver = tf.train.Saver(defer_build=True)
        v = tf.Variable(4.0, name="late")
        with pytest.raises(RuntimeError, match="build"):
            saver.save(None, str(tmp_path / "m"))
        saver.build()
        assert g.get_operation_by_name("save/SaveV2") is not None
        with tf.Session() as sess:
            sess.run(v.initializer)
            saver.save(sess, str(tmp_path / "m"))
    assert tf.train.load_variable(str(tmp_path / "m"), "late") == 4.0


def test_partitioned_variable_saved_whole_and_restored(tmp_path):
    with tf.Graph().as_default():
        init = np.arange(12, dtype=np.float32).reshape(6, 2)
        pv = tf.get_variable("emb", initializer=tf.constant(init),
                             partitioner=tf.fixed_size_partitioner(3))
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, str(tmp_path / "p"))
            for part in pv:
                sess.run(part.assign(tf.zeros_like(part)))
            saver.restore(sess, path)
            np.testing.assert_array_equal(sess.run(pv.as_tensor()), init)
    assert tf.train.list_variables(path) == [("emb", [6, 2])]
    np.testing.assert_array_equal(tf.train.load_variable(path, "emb"), init)


def test_eager_variables_save_and_restore_without_session(tmp_path):
    with context.eager_mode():
        with pytest.raises(RuntimeError, match="var_list"):
            tf.train.Saver()
        v = tf.Variable([1.0, 2.0], name="ev")
        n = tf.Variable(3, name="scope/n")
        saver = tf.train.Saver([v, n])
        path = saver.save(None, str(tmp_path / "eager"), global_step=1)
        v.assign([9.0, 9.0])
        n.assign(0)
        saver.restore(None, path)
        np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
        assert int(n.numpy()) == 3
    assert tf.train.list_variables(str(tmp_path)) == [("ev", [2]), ("scope/n", [])]


# ---- atomicity ---------------------------------------------------------------------------------
_CHILD = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r})
    import numpy as np
    import tensorweave as tf
    from tensorweave.train import tensor_bundle
    d = sys.argv[1]
    with tf.Graph().as_default():
        w = tf.Variable(np.arange(4, dtype=np.float32), name="w")
        saver = tf.train.Saver(max_to_keep=1)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saver.save(sess, os.path.join(d, "model"), global_step=1)
            sess.run(w.assign(w * 10))
            def slow(f, data):
                f.write(data[:1])
                f.flush()
                print("WRITING", flush=True)
                time.sleep(60)
                f.write(data[1:])
            tensor_bundle._write_chunks = slow
            saver.save(sess, os.path.join(d, "model"), global_step=2)
""")


def test_killed_save_leaves_previous_checkpoint_readable(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(_CHILD.format(root=ROOT))
    d = tmp_path / "ckpt"
    d.mkdir()
    proc = subprocess.Popen([sys.executable, str(script), str(d)], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "WRITING"
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
    prefix = str(d / "model-1")
    assert tf.train.latest_checkpoint(str(d)) == prefix
    assert not tf.train.checkpoint_exists(str(d / "model-2"))
    np.testing.assert_array_equal(tf.train.load_variable(str(d), "w"),
                                  np.arange(4, dtype=np.float32))


def test_failure_between_steps_keeps_previous_checkpoint(tmp_path, monkeypatch):
    with tf.Graph().as_default():
        v = tf.Variable(1.0, name="v")
        saver = tf.train.Saver(max_to_keep=1)
        with tf.Session() as sess:
            sess.run(v.initializer)
            first = saver.save(sess, str(tmp_path / "m"), global_step=1)
            sess.run(v.assign(2.0))
            real_replace = os.replace

            def crash_on_index(src, dst):  # data file renamed, index rename "crashes"
                if dst.endswith(".index"):
                    raise OSError("simulated crash")
                real_replace(src, dst)
            monkeypatch.setattr(os, "replace", crash_on_index)
            with pytest.raises(tf.errors.UnknownError, match="simulated crash"):
                saver.save(sess, str(tmp_path / "m"), global_step=2)
            monkeypatch.setattr(os, "replace", real_replace)
            assert tf.train.latest_checkpoint(str(tmp_path)) == first
            assert not tf.train.checkpoint_exists(str(tmp_path / "m-2"))

            def crash_state(path, text):  # checkpoint complete, state file write "crashes"
                raise OSError("simulated crash")
            monkeypatch.setattr(cm, "atomic_write", crash_state)
            with pytest.raises(OSError):
                saver.save(sess, str(tmp_path / "m"), global_step=3)
            monkeypatch.undo()
    assert tf.train.latest_checkpoint(str(tmp_path)) == first
    assert tf.train.load_variable(first, "v") == 1.0  # max_to_keep=1 did not delete it yet
    assert tf.train.load_variable(str(tmp_path / "m-3"), "v") == 2.0
    assert [f for f in _files(tmp_path) if "tempstate" in f] == []


def test_write_bundle_leaves_no_temp_files_on_error(tmp_path, monkeypatch):
    with pytest.raises(tf.errors.InvalidArgumentError):
        tensor_bundle.write_bundle(str(tmp_path / "m"), {"": np.zeros(1)})

    def disk_full(f, data):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(tensor_bundle, "_write_chunks", disk_full)
    with pytest.raises(tf.errors.UnknownError, match="No space left"):
        tensor_bundle.write_bundle(str(tmp_path / "m"), {"x": np.zeros(1)})
    assert _files(tmp_path) == []


def test_optimizer_slots_round_trip_and_training_resumes(tmp_path):
    def build():
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        w = tf.get_variable("w", initializer=tf.constant([[0.5], [-0.5]]))
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
        step = tf.train.get_or_create_global_step()
        train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
        return loss, train

    with tf.Graph().as_default():
        loss, train = build()
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            path = saver.save(sess, str(tmp_path / "adam"), global_step=tf.train.get_global_step())
            sess.run(train)
            expected = sess.run(loss)
    assert path.endswith("adam-3")
    names = [n for n, _ in tf.train.list_variables(path)]
    assert "w/Adam" in names and "w/Adam_1" in names and "global_step" in names
    with tf.Graph().as_default():
        loss, train = build()
        saver = tf.train.Saver()
        with tf.Session() as sess:
            saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
            sess.run(train)
            np.testing.assert_allclose(sess.run(loss), expected, rtol=1e-6)


def test_saver_from_saver_def_and_recover_last_checkpoints(tmp_path):
    _, paths = _saver_loop(tmp_path, [1, 2], max_to_keep=2)
    with tf.Graph().as_default():
        v = tf.Variable(0, name="v")
        first = tf.train.Saver(max_to_keep=2)
        again = tf.train.Saver(saver_def=first.as_saver_def())
        state = tf.train.get_checkpoint_state(str(tmp_path))
        again.recover_last_checkpoints(state.all_model_checkpoint_paths)
        assert again.last_checkpoints == paths
        with tf.Session() as sess:
            again.restore(sess, paths[-1])
            assert sess.run(v) == 2
            new = again.save(sess, str(tmp_path / "model.ckpt"), global_step=3)
    assert not tf.train.checkpoint_exists(paths[0])  # recovered list drove the deletion
    assert tf.train.get_checkpoint_state(str(tmp_path)).all_model_checkpoint_paths == \
        [paths[1], new]


def test_relative_save_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkdir("sub")
    with tf.Graph().as_default():
        v = tf.Variable(1.5, name="v")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(v.initializer)
            assert saver.save(sess, "sub/model.ckpt", global_step=1) == "sub/model.ckpt-1"
            assert saver.save(sess, "top") == "top"
    with open("sub/checkpoint") as f:
        assert f.read().splitlines()[0] == 'model_checkpoint_path: "model.ckpt-1"'
    assert tf.train.latest_checkpoint("sub") == os.path.join("sub", "model.ckpt-1")
    assert tf.train.latest_checkpoint(".") == os.path.join(".", "top")
    assert tf.train.load_variable("sub", "v") == 1.5


def test_saving_some_parts_of_a_partitioned_variable_is_refused():
    with tf.Graph().as_default():
        pv = tf.get_variable("emb", shape=[6, 2], partitioner=tf.fixed_size_partitioner(3))
        with pytest.raises(ValueError, match="only some parts of partitioned variable emb"):
            tf.train.Saver([list(pv)[0]])


def test_save_writes_a_meta_graph_that_import_meta_graph_restores(tmp_path):
    with tf.Graph().as_default():
        v = tf.Variable(3.0, name="v")
        w = tf.Variable([1.0, 2.0], name="w")
        total = tf.add(v, tf.reduce_sum(w), name="total")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            prefix = saver.save(sess, str(tmp_path / "model"), global_step=7)
            saver.save(sess, str(tmp_path / "plain"), write_meta_graph=False)
    assert os.path.exists(prefix + ".meta") and not os.path.exists(str(tmp_path / "plain.meta"))
    with tf.Graph().as_default() as g:
        restorer = tf.train.import_meta_graph(prefix + ".meta")
        with tf.Session() as sess:
            restorer.restore(sess, prefix)
            assert sess.run(g.get_tensor_by_name("total:0")) == 6.0
