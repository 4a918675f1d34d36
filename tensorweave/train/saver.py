"""``tf.train.Saver``: save and restore variables as TensorFlow V2 checkpoints.

Graph mode builds TF's ops under ``save/`` (``save/Const`` filename, ``save/SaveV2``,
``save/control_dependency``, ``save/RestoreV2``, ``save/Assign*``, ``save/restore_all``) and
``save``/``restore`` run them through ``Session.run``. Eager mode reads and assigns directly.

Usage::

    saver = tf.train.Saver(max_to_keep=3)
    path = saver.save(sess, "/tmp/train/model.ckpt", global_step=step)  # ".../model.ckpt-<step>"
    saver.restore(sess, tf.train.latest_checkpoint("/tmp/train"))
"""
from __future__ import annotations

import os
import time
from typing import Optional

import numpy as np

from ..eager import context
from ..framework import dtypes as dtypes_lib
from ..framework import errors, ops
from ..framework.ops import GraphKeys, apply_op
from ..framework.registry import NotDifferentiable, define_op
from ..framework.tensor_shape import TensorShape
from ..ops import array_ops, constant_op, control_flow_ops
from ..ops.partitioned_variables import PartitionedVariable
from ..ops.variables import Variable
from . import checkpoint_management as cm
from . import training_util
from .tensor_bundle import BundleReader, write_bundle

__all__ = ["Saver", "SaverDef"]

_NOT_FOUND_HINT = ("Restoring from checkpoint failed. This is most likely due to a Variable name "
                   "or other graph key that is missing from the checkpoint. Please ensure that "
                   "you have not altered the graph expected based on the checkpoint. "
                   "Original error:\n\n")
_MISMATCH_HINT = ("Restoring from checkpoint failed. This is most likely due to a mismatch "
                  "between the current graph and the graph from the checkpoint. Please ensure "
                  "that you have not altered the graph expected based on the checkpoint. "
                  "Original error:\n\n")


def _now() -> float:
    """Wall-clock seconds (a seam for tests of ``keep_checkpoint_every_n_hours``)."""
    return time.time()


def _text(x) -> str:
    if isinstance(x, np.ndarray):
        x = x.item()
    return x.decode("utf-8") if isinstance(x, bytes) else str(x)


# ---- ops ---------------------------------------------------------------------------------------
def _save_v2_kernel(prefix, tensor_names, shape_and_slices, *tensors, dtypes=()):
    names = [_text(n) for n in np.asarray(tensor_names).ravel()]
    if len(names) != len(tensors):
        raise errors.InvalidArgumentError(
            None, None, f"Got {len(tensors)} tensors to save but {len(names)} names")
    write_bundle(_text(prefix), dict(zip(names, tensors)), dict(zip(names, dtypes)))


def _restore_v2_kernel(prefix, tensor_names, shape_and_slices, dtypes=()):
    reader = BundleReader(_text(prefix))
    names = [_text(n) for n in np.asarray(tensor_names).ravel()]
    for name, dt in zip(names, dtypes):  # check everything before reading anything
        saved = reader.dtype(name)  # NotFoundError "Key <name> not found in checkpoint"
        if saved != dtypes_lib.as_dtype(dt):
            raise errors.InvalidArgumentError(
                None, None, f"tensor_name = {name}; expected dtype {_tf_name(dt)} does not "
                            f"equal original dtype {_tf_name(saved)}")
    specs = [_text(x) for x in np.asarray(shape_and_slices).ravel()]
    return [_apply_slice_spec(reader.tensor(n), spec, n) for n, spec in zip(names, specs)]


def _apply_slice_spec(value: np.ndarray, spec: str, name: str) -> np.ndarray:
    """The part of ``value`` named by TF's slice spec ``"<full dims> <start,len>:..."`` ("-" for
    a whole dimension); an empty spec means the whole tensor."""
    if not spec:
        return value
    *full, extents = spec.split(" ")
    if [int(d) for d in full] != list(value.shape):
        raise errors.InvalidArgumentError(
            None, None, f"tensor_name = {name}; shape in shape_and_slice spec {full} does not "
                        f"match the shape stored in checkpoint: {list(value.shape)}")
    idx = []
    for ext in extents.split(":"):
        if ext == "-":
            idx.append(slice(None))
        else:
            start, length = (int(x) for x in ext.split(","))
            idx.append(slice(start, start + length))
    return value[tuple(idx)]



def _tf_name(dt) -> str:
    name = dtypes_lib.as_dtype(dt).name
    return {"float32": "float", "float64": "double"}.get(name, name)


define_op("SaveV2", _save_v2_kernel, lambda inputs, attrs: [], stateful=True, num_outputs=0)
define_op("RestoreV2", _restore_v2_kernel,
          lambda inputs, attrs: [(dtypes_lib.as_dtype(d), TensorShape(None))
                                 for d in attrs["dtypes"]],
          stateful=True, num_outputs=None)
NotDifferentiable("SaveV2")
NotDifferentiable("RestoreV2")


# ---- what gets saved -----------------------------------------------------------------------------
class _Saveable:
    """One checkpoint entry: a variable, or the parts of a partitioned variable (saved whole)."""

    def __init__(self, name: str, variables: list):
        self.name = name
        self.variables = variables
        info = variables[0]._get_save_slice_info()
        self.sliced = info is not None
        self.dtype = variables[0].dtype.base_dtype
        if self.sliced:
            self.shape = TensorShape(info.full_shape)
            self.variables = sorted(variables, key=lambda v: v._get_save_slice_info().var_offset)
            covered = sum(int(np.prod(v._get_save_slice_info().var_shape)) for v in variables)
            if covered != int(np.prod(info.full_shape)):
                raise ValueError(f"Saving only some parts of partitioned variable {name} is not "
                                 f"supported; pass the whole PartitionedVariable")
        else:
            self.shape = variables[0].get_shape()

    def _axis(self) -> int:
        info = self.variables[0]._get_save_slice_info()
        diff = [i for i, (a, b) in enumerate(zip(info.var_shape, info.full_shape)) if a != b]
        return diff[0] if diff else 0

    # graph mode
    def save_tensor(self):
        if not self.sliced:
            return self.variables[0]._variable
        return array_ops.concat([v._variable for v in self.variables], self._axis())

    def restore_ops(self, tensor, reshape: bool) -> list:
        if not self.sliced:
            var = self.variables[0]
            if reshape and var.get_shape().is_fully_defined():
                tensor = array_ops.reshape(tensor, var.get_shape().as_list())
            return [apply_op("Assign", [var._variable, tensor],
                             {"validate_shape": True, "use_locking": True}, name="Assign")]
        out = []
        for v in self.variables:
            info = v._get_save_slice_info()
            part = array_ops.slice(tensor, info.var_offset, info.var_shape)
            out.append(apply_op("Assign", [v._variable, part],
                                {"validate_shape": True, "use_locking": True}, name="Assign"))
        return out

    def current_shape(self, runtime) -> Optional[tuple]:
        """The shape to check a restored value against, or None if unknown."""
        if self.shape.is_fully_defined():
            return tuple(self.shape.as_list())
        if not self.sliced and runtime is not None:
            value = runtime.variables.get(self.variables[0]._key)
            return None if value is None else value.shape
        return None

    # eager mode
    def eager_value(self) -> np.ndarray:
        if not self.sliced:
            return np.asarray(self.variables[0].numpy())
        return np.concatenate([np.asarray(v.numpy()) for v in self.variables], self._axis())

    def eager_assign(self, value: np.ndarray) -> None:
        if not self.sliced:
            self.variables[0].assign(value)
            return
        for v in self.variables:
            info = v._get_save_slice_info()
            idx = tuple(slice(o, o + n) for o, n in zip(info.var_offset, info.var_shape))
            v.assign(value[idx])


def _var_name(var) -> str:
    if getattr(var, "_in_graph_mode", True):
        return var.op.name
    return var.name[:-2] if var.name.endswith(":0") else var.name


def _saveables(var_list) -> list:
    """Checkpoint entries, sorted by name, from a list or a name->variable dict."""
    groups: dict = {}

    def add(name, var):
        if not isinstance(var, Variable):
            raise TypeError(f"Variable to save is not a Variable: {var!r}")
        if name in groups and not (var._get_save_slice_info() is not None and
                                   groups[name][0]._get_save_slice_info() is not None):
            raise ValueError(f"At least two variables have the same name: {name}")
        groups.setdefault(name, []).append(var)

    if isinstance(var_list, dict):
        for name, var in var_list.items():
            if isinstance(var, (PartitionedVariable, list, tuple)):
                for part in var:
                    add(name, part)
            else:
                add(name, var)
    else:
        seen = set()
        for var in var_list:
            if isinstance(var, PartitionedVariable):
                for part in var:
                    add(var.name, part)
                continue
            if not isinstance(var, Variable):
                raise TypeError(f"Variable to save is not a Variable: {var!r}")
            if id(var) in seen:
                continue
            seen.add(id(var))
            info = var._get_save_slice_info()
            add(info.full_name if info is not None else _var_name(var), var)
    return [_Saveable(name, groups[name]) for name in sorted(groups)]


# ---- SaverDef ------------------------------------------------------------------------------------
class SaverDef:
    """The names of a Saver's graph elements and its settings (TF's ``SaverDef`` proto)."""

    V1, V2 = 1, 2

    def __init__(self, filename_tensor_name: str = "", save_tensor_name: str = "",
                 restore_op_name: str = "", max_to_keep: int = 5, sharded: bool = False,
                 keep_checkpoint_every_n_hours: float = 10000.0, version: int = 2):
        self.filename_tensor_name = filename_tensor_name
        self.save_tensor_name = save_tensor_name
        self.restore_op_name = restore_op_name
        self.max_to_keep = max_to_keep
        self.sharded = sharded
        self.keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self.version = version

    def __repr__(self) -> str:
        return (f'filename_tensor_name: "{self.filename_tensor_name}"\n'
                f'save_tensor_name: "{self.save_tensor_name}"\n'
                f'restore_op_name: "{self.restore_op_name}"\n'
                f"max_to_keep: {self.max_to_keep}\n"
                f"keep_checkpoint_every_n_hours: {self.keep_checkpoint_every_n_hours:g}\n"
                f"version: V{self.version}\n")


# ---- Saver ---------------------------------------------------------------------------------------
class Saver:
    """Saves and restores variables (see the module docstring for usage)."""

    def __init__(self, var_list=None, reshape: bool = False, sharded: bool = False,
                 max_to_keep: int = 5, keep_checkpoint_every_n_hours: float = 10000.0,
                 name: Optional[str] = None, restore_sequentially: bool = False, saver_def=None,
                 builder=None, defer_build: bool = False, allow_empty: bool = False,
                 write_version: int = 2, pad_step_number: bool = False,
                 save_relative_paths: bool = False, filename: Optional[str] = None):
        if defer_build and var_list:
            raise ValueError("If `var_list` is provided then build cannot be deferred. Either "
                             "set defer_build=False or var_list=None.")
        if write_version != 2:
            raise ValueError("Only write_version=2 (TensorFlow's V2 checkpoint format) is "
                             "supported")
        if context.executing_eagerly() and var_list is None:
            raise RuntimeError("When eager execution is enabled, `var_list` must specify a list "
                               "or dict of variables to save")
        self._var_list = var_list
        self._reshape = reshape
        self._sharded = sharded
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._name = name
        self._restore_sequentially = restore_sequentially
        self.saver_def = saver_def
        self._builder = builder
        self._allow_empty = allow_empty
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self._filename = filename
        self._is_built = False
        self._is_empty = False
        self._last_checkpoints: list = []  # [(prefix, time)], oldest first
        self._checkpoints_to_be_deleted: list = []
        self._last_preserved_timestamp = _now()
        self._eager = context.executing_eagerly()
        if not defer_build and not self._eager:
            self.build()
        elif self._eager:
            self._items = _saveables(var_list)
            self._is_built = True
        if self.saver_def is not None:
            self._max_to_keep = self.saver_def.max_to_keep
            self._keep_checkpoint_every_n_hours = self.saver_def.keep_checkpoint_every_n_hours

    # --- graph construction -------------------------------------------------------------------
    def build(self) -> None:
        """Create the save/restore ops (done by the constructor unless ``defer_build``)."""
        if self._eager:
            raise RuntimeError("Use save/restore instead of build in eager mode.")
        if self._is_built:
            return
        self._is_built = True
        if self.saver_def is not None:
            self._items = None
            return
        var_list = self._var_list
        if var_list is None:
            var_list = ops.get_collection(GraphKeys.GLOBAL_VARIABLES) + \
                [v for v in ops.get_collection(GraphKeys.SAVEABLE_OBJECTS)
                 if isinstance(v, (Variable, PartitionedVariable))]
        self._items = _saveables(var_list)
        if not self._items:
            if self._allow_empty:
                self._is_empty = True
                return
            raise ValueError("No variables to save")
        self.saver_def = self._build_graph(self._items)

    def _build_graph(self, items) -> SaverDef:
        names = [it.name for it in items]
        dts = [it.dtype for it in items]
        with ops.name_scope(self._name, "save"):
            default = constant_op.constant(self._filename or "model", name="filename/input")
            fname = apply_op("PlaceholderWithDefault", [default], {"shape": TensorShape([])},
                             name="filename")
            filename = apply_op("PlaceholderWithDefault", [fname], {"shape": TensorShape([])},
                                name="Const")
            tensors = [it.save_tensor() for it in items]
            with ops.name_scope("SaveV2") as op_name:
                t_names = constant_op.constant(names, name="tensor_names")
                t_slices = constant_op.constant([""] * len(names), name="shape_and_slices")
                save = apply_op("SaveV2", [filename, t_names, t_slices] + tensors,
                                {"dtypes": dts}, name=op_name)
            with ops.control_dependencies([save]):
                save_tensor = array_ops.identity(filename, name="control_dependency")
            with ops.name_scope("RestoreV2") as op_name:
                r_names = constant_op.constant(names, name="tensor_names")
                r_slices = constant_op.constant([""] * len(names), name="shape_and_slices")
                restored = apply_op("RestoreV2", [filename, r_names, r_slices], {"dtypes": dts},
                                    name=op_name)
            if not isinstance(restored, (list, tuple)):
                restored = [restored]
            assigns = []
            for it, t in zip(items, restored):
                assigns.extend(it.restore_ops(t, self._reshape))
            restore_op = control_flow_ops.group(*assigns, name="restore_all")
        return SaverDef(filename.name, save_tensor.name, restore_op.name, self._max_to_keep,
                        self._sharded, self._keep_checkpoint_every_n_hours)

    def as_saver_def(self) -> SaverDef:
        return self.saver_def

    # --- checkpoint bookkeeping ------------------------------------------------------------------
    @property
    def last_checkpoints(self) -> list:
        """Prefixes of the checkpoints not yet deleted, oldest first."""
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints: list) -> None:
        self._last_checkpoints = [(p, None) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time: list) -> None:
        self._last_checkpoints = list(last_checkpoints_with_time)

    def recover_last_checkpoints(self, checkpoint_paths: list) -> None:
        """Take over the checkpoints (e.g. from ``get_checkpoint_state``) that still exist."""
        paths = [p for p in checkpoint_paths if cm.checkpoint_exists(p)]
        self.set_last_checkpoints_with_time(list(zip(paths, cm.get_checkpoint_mtimes(paths))))

    def _record_last_checkpoint(self, path: str) -> None:
        if not self._max_to_keep:
            return
        self._last_checkpoints = [(p, t) for p, t in self._last_checkpoints if p != path]
        self._last_checkpoints.append((path, _now()))
        while len(self._last_checkpoints) > self._max_to_keep:
            self._checkpoints_to_be_deleted.append(self._last_checkpoints.pop(0))

    def _delete_old_checkpoints(self, meta_graph_suffix: str) -> None:
        while self._checkpoints_to_be_deleted:
            path, stamp = self._checkpoints_to_be_deleted.pop(0)
            hours = self._keep_checkpoint_every_n_hours
            if hours and stamp is not None and \
                    stamp - self._last_preserved_timestamp >= hours * 3600:
                self._last_preserved_timestamp = stamp
                continue
            cm.remove_checkpoint(path, 2, meta_graph_suffix)

    # --- save / restore ---------------------------------------------------------------------------
    def save(self, sess, save_path: str, global_step=None, latest_filename: Optional[str] = None,
             meta_graph_suffix: str = "meta", write_meta_graph: bool = True,
             write_state: bool = True, strip_default_attrs: bool = False,
             save_debug_info: bool = False) -> Optional[str]:
        """Write a checkpoint; returns its prefix (``save_path`` or ``save_path-<step>``).

        The state file is updated after the checkpoint files are complete, and older checkpoints
        beyond ``max_to_keep`` are deleted only after that.
        """
        if not self._is_built and not self._eager:
            raise RuntimeError("`build()` should be called before save if defer_build==True")
        if latest_filename is None:
            latest_filename = "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = os.fspath(save_path)
        if global_step is not None:
            if not isinstance(global_step, (int, np.integer)):
                global_step = training_util.global_step(sess, global_step)
            fmt = "%s-%08d" if self._pad_step_number else "%s-%d"
            checkpoint_file = fmt % (save_path, int(global_step))
        else:
            checkpoint_file = save_path
            if os.path.basename(save_path) == latest_filename and not self._sharded:
                raise ValueError(f"'latest_filename' collides with 'save_path': "
                                 f"'{latest_filename}' and '{save_path}'")
        if self._is_empty:
            return None
        save_dir = os.path.dirname(save_path)
        if save_dir and not os.path.isdir(save_dir):
            raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
        if self._eager:
            write_bundle(checkpoint_file, {it.name: it.eager_value() for it in self._items},
                         {it.name: it.dtype for it in self._items})
            model_checkpoint_path = checkpoint_file
        else:
            if not hasattr(sess, "run"):
                raise TypeError(f"'sess' must be a Session; {sess}")
            model_checkpoint_path = _text(sess.run(
                self.saver_def.save_tensor_name,
                {self.saver_def.filename_tensor_name: checkpoint_file}))
        if write_state:
            self._record_last_checkpoint(model_checkpoint_path)
            cm.update_checkpoint_state(
                save_dir, model_checkpoint_path, self.last_checkpoints, latest_filename,
                save_relative_paths=self._save_relative_paths)
            self._delete_old_checkpoints(meta_graph_suffix)
        if write_meta_graph and not self._eager:  # <prefix>.meta, as TF writes it (graph mode)
            from ..framework.meta_graph import export_meta_graph
            export_meta_graph(cm.meta_graph_filename(checkpoint_file, meta_graph_suffix),
                              saver_def=self.saver_def, graph=sess.graph)
        return model_checkpoint_path

    def restore(self, sess, save_path: str) -> None:
        """Assign every variable its value from checkpoint ``save_path``.

        Every name, dtype and shape is checked before anything is assigned: a missing key raises
        NotFoundError, a shape mismatch InvalidArgumentError, and no variable changes.
        """
        if self._is_empty:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = _text(os.fspath(save_path) if not isinstance(save_path, bytes) else save_path)
        if not cm.checkpoint_exists(save_path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {save_path}")
        if self._items is not None:
            runtime = None if self._eager else getattr(sess, "_runtime", None)
            self._validate(BundleReader(save_path), runtime)
        if self._eager:
            reader = BundleReader(save_path)
            values = [(it, reader.tensor(it.name)) for it in self._items]
            for it, value in values:
                if self._reshape and it.shape.is_fully_defined():
                    value = value.reshape(it.shape.as_list())
                it.eager_assign(value)
            return
        sess.run(self.saver_def.restore_op_name,
                 {self.saver_def.filename_tensor_name: save_path})

    def _validate(self, reader: BundleReader, runtime) -> None:
        for it in self._items:
            if not reader.has(it.name):
                raise errors.NotFoundError(
                    None, None, f"{_NOT_FOUND_HINT}Key {it.name} not found in checkpoint")
            saved = reader.dtype(it.name)
            if saved != it.dtype:
                raise errors.InvalidArgumentError(
                    None, None, f"{_MISMATCH_HINT}tensor_name = {it.name}; expected dtype "
                                f"{_tf_name(it.dtype)} does not equal original dtype "
                                f"{_tf_name(saved)}")
            shape, saved_shape = it.current_shape(runtime), tuple(reader.entry(it.name).shape)
            if shape is None or shape == saved_shape:
                continue
            if self._reshape and int(np.prod(shape)) == int(np.prod(saved_shape)):
                continue
            raise errors.InvalidArgumentError(
                None, None, f"{_MISMATCH_HINT}Assign requires shapes of both tensors to match "
                            f"(variable {it.name}). lhs shape= {list(shape)} "
                            f"rhs shape= {list(saved_shape)}")

