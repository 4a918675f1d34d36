"""``Model``: a ``Network`` that trains — ``compile``, ``fit``, ``evaluate``, ``predict`` and
the ``*_on_batch``/``*_generator`` variants, in graph mode (one ``Session.run`` per batch
through functions built once) and in eager mode (``GradientTape`` per batch).

Usage::

    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["acc"])
    history = model.fit(x, y, batch_size=32, epochs=5, validation_split=0.1)
    loss, acc = model.evaluate(x_test, y_test)
"""
from __future__ import annotations

import numpy as np

from ...eager import context
from ...framework import ops
from ...ops import constant_op, control_flow_ops, math_ops
from .. import backend, callbacks as callbacks_module, losses as losses_module
from .. import metrics as metrics_module, optimizers as optimizers_module
from . import training_data as data
from .network import Network

__all__ = ["Model"]


class Model(Network):
    """A network of layers (functional or subclassed) with Keras's training loop."""

    # ---- compile ---------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                sample_weight_mode=None, weighted_metrics=None, target_tensors=None, **kwargs):
        """Choose the optimizer, per-output losses (and weights) and metrics."""
        self.optimizer = optimizers_module.get(optimizer)
        self.loss = loss
        self.loss_weights = loss_weights
        self._compile_metrics = metrics
        self._compile_weighted_metrics = weighted_metrics
        self._loss_weights_spec = loss_weights
        self._metrics_spec = metrics or []
        self.sample_weight_mode = sample_weight_mode
        self._graph_functions = None
        self._compiled = True
        self.stop_training = False
        if self.outputs:
            self._resolve_outputs()

    def _resolve_outputs(self) -> None:
        names = self.output_names if self._is_graph_network else \
            [f"output_{i + 1}" for i in range(len(self.outputs))]
        self._output_keys = names
        self._loss_fns = [losses_module.get(f) for f in _per_output(self.loss, names, "loss")]
        weights = _per_output(self._loss_weights_spec, names, "loss_weights", default=1.0)
        self._loss_weights = [1.0 if w is None else float(w) for w in weights]
        plain = _metrics_per_output(self._metrics_spec, names)
        weighted = _metrics_per_output(self._compile_weighted_metrics, names)
        self._metric_fns = []
        self._weighted_metric_names = set()
        for i, fn in enumerate(self._loss_fns):
            shape = self.outputs[i].shape.as_list() if self.outputs[i].shape.ndims else None
            for metric, prefix in [(m, "") for m in plain[i]] + \
                    [(m, "weighted_") for m in weighted[i]]:
                name, metric_fn = metrics_module.resolve(metric, fn, shape)
                name = prefix + name
                if len(names) > 1:
                    name = f"{names[i]}_{name}"
                if prefix:  # sample-weighted means over the epoch: a stateful wrapper
                    if not isinstance(metric_fn, metrics_module.Metric):
                        metric_fn = metrics_module.MeanMetricWrapper(metric_fn, name=name)
                    self._weighted_metric_names.add(name)
                self._metric_fns.append((i, name, metric_fn))
        self.metrics_names = ["loss"]
        if len(names) > 1:
            self.metrics_names += [f"{n}_loss" for n in names]
        self.metrics_names += [name for _, name, _ in self._metric_fns]

    # ---- losses and metrics as tensors -----------------------------------------------------
    def _loss_terms(self, outputs, targets, weights):
        """(total loss, per-output losses, metric values) for batch tensors."""
        per_output = []
        total = None
        for out, y, w, fn, scale in zip(outputs, targets, weights, self._loss_fns,
                                        self._loss_weights):
            if fn is None:
                continue
            values = fn(y, out)
            while values.shape.ndims is not None and values.shape.ndims > 1:
                values = math_ops.reduce_mean(values, axis=-1)
            if w is not None:
                values = values * math_ops.cast(w, values.dtype)
            loss = math_ops.reduce_mean(values)
            per_output.append(loss)
            term = loss if scale == 1.0 else loss * scale
            total = term if total is None else total + term
        regular = [loss for loss in self.losses]
        if regular:
            total = total + math_ops.add_n([math_ops.cast(r, total.dtype) for r in regular])
        metrics = []
        for i, name, fn in self._metric_fns:
            if name in self._weighted_metric_names:
                metrics.append(fn(targets[i], outputs[i], sample_weight=weights[i]))
            elif isinstance(fn, metrics_module.Metric):
                metrics.append(fn(targets[i], outputs[i]))
            else:
                metrics.append(math_ops.reduce_mean(math_ops.cast(fn(targets[i], outputs[i]),
                                                                  "float32")))
        return total, per_output, metrics

    def _fetch_list(self, total, per_output, metrics) -> list:
        return [total] + (per_output if len(per_output) > 1 else []) + metrics

    # ---- graph-mode functions --------------------------------------------------------------
    def _ensure_built_for(self, xs) -> None:
        """Subclassed or deferred models: build from the first batch's shapes."""
        if self.outputs:
            return
        if context.executing_eagerly():
            return
        placeholders = [data.placeholder_like(x, f"input_{i + 1}") for i, x in enumerate(xs)]
        self(placeholders if len(placeholders) > 1 else placeholders[0])
        if not self.outputs:
            raise ValueError("The model could not be built from the input data.")
        self._resolve_outputs()

    def _functions(self):
        if self._graph_functions is not None:
            return self._graph_functions
        graph = self.outputs[0].graph
        with graph.as_default():
            targets, weights = [], []
            for i, (out, fn) in enumerate(zip(self.outputs, self._loss_fns)):
                rank = out.shape.ndims
                sparse = getattr(fn, "__name__", "") == "sparse_categorical_crossentropy"
                shape = None if rank is None else [None] * (rank - 1 if sparse else rank)
                targets.append(constant_op.placeholder(out.dtype if not sparse else "float32",
                                                       shape, name=f"{self._output_keys[i]}_target"))
                weights.append(constant_op.placeholder(
                    "float32", [None], name=f"{self._output_keys[i]}_sample_weights"))
            with ops.name_scope("loss"):
                total, per_output, metrics = self._loss_terms(self.outputs, targets, weights)
            fetches = self._fetch_list(total, per_output, metrics)
            with ops.name_scope("training"):
                if isinstance(self.optimizer, optimizers_module.Optimizer):
                    train_op = self.optimizer.get_updates(total, self.trainable_weights)[0]
                else:
                    train_op = self.optimizer.minimize(total, var_list=self.trainable_weights)
                updates = [u for u in self.updates if u is not None]
                train_op = control_flow_ops.group(train_op, *updates)
        self._graph_functions = {"targets": targets, "weights": weights, "fetches": fetches,
                                 "train_op": train_op, "graph": graph}
        self.reset_metrics()  # initializes the stateful metrics' variables
        return self._graph_functions

    def _make_train_function(self) -> None:
        """Build the graph-mode training function now (creating the optimizer's slots)."""
        if self.outputs and not context.executing_eagerly():
            self._functions()

    def _session(self):
        graph = self.outputs[0].graph
        with graph.as_default():
            return backend.get_session()

    def _graph_feed(self, xs, ys=None, sws=None, training=False) -> dict:
        feed = dict(zip(self.inputs, xs))
        if ys is not None:
            fns = self._functions()
            for i, (t, y) in enumerate(zip(fns["targets"], ys)):
                if t.shape.ndims is not None and y.ndim == t.shape.ndims + 1 and y.shape[-1] == 1:
                    y = y.reshape(y.shape[:-1])
                feed[t] = y
            for w, y, sw in zip(fns["weights"], ys, sws):
                feed[w] = np.ones(len(y), np.float32) if sw is None else sw
        phase = backend.learning_phase()
        if ops.is_tensor(phase) and phase.graph is self.outputs[0].graph:
            feed[phase] = training
        return feed

    # ---- one batch -------------------------------------------------------------------------
    def _run_batch(self, xs, ys, sws, train: bool) -> list:
        if context.executing_eagerly():
            return self._eager_batch(xs, ys, sws, train)
        self._ensure_built_for(xs)
        fns = self._functions()
        feed = self._graph_feed(xs, ys, sws, training=train)
        fetches = fns["fetches"] + ([fns["train_op"]] if train else [])
        values = self._session().run(fetches, feed)
        return [float(v) for v in values[:len(fns["fetches"])]]

    def _eager_batch(self, xs, ys, sws, train: bool) -> list:
        from ...eager.tape import GradientTape
        inputs = [_floatx_tensor(x) for x in xs]
        with GradientTape() as tape:
            outs = self(inputs if len(inputs) > 1 else inputs[0], training=train)
            outs = outs if isinstance(outs, (list, tuple)) else [outs]
            if not getattr(self, "_loss_fns", None) or len(self._loss_fns) != len(outs):
                self.outputs = list(outs)
                self._resolve_outputs()
                self.outputs = []
            targets = [_floatx_tensor(y) for y in ys]
            total, per_output, metrics = self._loss_terms(outs, targets, sws)
        if train:
            variables = self.trainable_weights
            grads = tape.gradient(total, variables)
            if hasattr(self.optimizer, "_clip_all"):
                grads = self.optimizer._clip_all(grads)
            self.optimizer.apply_gradients([(g, v) for g, v in zip(grads, variables)
                                            if g is not None])
        return [float(v.numpy()) for v in self._fetch_list(total, per_output, metrics)]

    def _predict_batch(self, xs) -> list:
        if context.executing_eagerly():
            inputs = [_floatx_tensor(x) for x in xs]
            outs = self(inputs if len(inputs) > 1 else inputs[0], training=False)
            return [np.asarray(o.numpy()) for o in (outs if isinstance(outs, (list, tuple))
                                                     else [outs])]
        self._ensure_built_for(xs)
        return self._session().run(self.outputs, self._graph_feed(xs))

    # ---- standardizing inputs --------------------------------------------------------------
    def _names(self, kind: str) -> list:
        if kind == "input":
            return list(getattr(self, "input_names", [])) if self._is_graph_network else []
        return list(getattr(self, "_output_keys", [])) or list(getattr(self, "output_names", []))

    def _standardize(self, x, y=None, sample_weight=None, class_weight=None):
        xs = data.as_array_list(x, self._names("input"), "input")
        ys = data.as_array_list(y, self._names("output") if not isinstance(y, np.ndarray)
                                else [], "target") if y is not None else []
        ys = [_as_column(a) for a in ys]
        if isinstance(sample_weight, (list, tuple)):
            sws = [None if w is None else np.asarray(w, np.float32) for w in sample_weight]
        elif isinstance(sample_weight, dict):
            sws = [sample_weight.get(n) for n in self._names("output")]
        else:
            sws = [None if sample_weight is None else np.asarray(sample_weight, np.float32)] * \
                max(1, len(ys))
        if class_weight is not None and ys:
            weights = class_weight if not all(isinstance(v, dict) for v in class_weight.values()) \
                else None
            per = [class_weight.get(n) for n in self._names("output")] if weights is None \
                else [weights] * len(ys)
            sws = [data.class_weights_to_sample(y, cw) * (1.0 if sw is None else sw)
                   if cw is not None else sw for y, cw, sw in zip(ys, per, sws)]
        return xs, ys, sws

    # ---- fit / evaluate / predict ----------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_freq=1, **kwargs):
        """Train for ``epochs``; returns the ``History`` callback. Validation runs after the
        epochs ``validation_freq`` picks (every n-th, or those listed)."""
        self._check_compiled()
        batch_size = batch_size or 32
        if data.is_dataset(x) or data.is_generator(x):
            return self._fit_stream(x, epochs, verbose, callbacks, validation_data,
                                    initial_epoch, steps_per_epoch, validation_steps,
                                    validation_freq)
        xs, ys, sws = self._standardize(x, y, sample_weight, class_weight)
        val = None
        if validation_data is not None:
            vx, vy, *vw = validation_data
            val = self._standardize(vx, vy, vw[0] if vw else None)
        elif validation_split and 0.0 < validation_split < 1.0:
            split = int(len(xs[0]) * (1.0 - validation_split))
            val = tuple([None if a is None else a[split:] for a in part] for part in (xs, ys, sws))
            xs, ys, sws = ([None if a is None else a[:split] for a in part]
                           for part in (xs, ys, sws))
        n = len(xs[0])
        names = list(self.metrics_names) if hasattr(self, "metrics_names") else ["loss"]
        history, cbs = self._callbacks(callbacks, verbose, epochs, n, None, names, val is not None,
                                       batch_size)
        if verbose:
            print(f"Train on {n} samples" + (f", validate on {len(val[0][0])} samples"
                                             if val is not None else ""))
        index = np.arange(n)

        def epoch_batches():
            if shuffle:
                np.random.shuffle(index)
            for start, stop in data.batch_slices(n, batch_size):
                pick = index[start:stop]
                yield ([a[pick] for a in xs], [a[pick] for a in ys],
                       [None if w is None else w[pick] for w in sws])

        def validate(epoch):
            if val is not None and _validates(epoch, validation_freq):
                return self._evaluate_arrays(*val, batch_size)
            return None

        self._train_epochs(cbs, initial_epoch, epochs, epoch_batches, validate)
        return history

    def _fit_stream(self, source, epochs, verbose, callbacks, validation_data, initial_epoch,
                    steps_per_epoch, validation_steps, validation_freq):
        """``fit`` on a tf.data.Dataset or a generator, counting steps."""
        generator = not data.is_dataset(source)
        if generator and steps_per_epoch is None:
            steps_per_epoch = len(source) if hasattr(source, "__len__") else None
            if steps_per_epoch is None:
                raise ValueError("`steps_per_epoch` is required when training on a generator.")
        names = list(getattr(self, "metrics_names", ["loss"]))
        history, cbs = self._callbacks(callbacks, verbose, epochs, None, steps_per_epoch, names,
                                       validation_data is not None, None)

        def epoch_batches():
            batches = data.generator_batches(source, steps_per_epoch) if generator else \
                data.dataset_batches(source, steps_per_epoch, self._session_for_data)
            for batch in batches:
                yield split_batch_arrays(self, batch)

        def validate(epoch):
            if validation_data is not None and _validates(epoch, validation_freq):
                return self._evaluate_any(validation_data, validation_steps)
            return None

        self._train_epochs(cbs, initial_epoch, epochs, epoch_batches, validate)
        return history

    def _train_epochs(self, cbs, initial_epoch, epochs, epoch_batches, validate) -> None:
        """fit's loop with its callbacks: ``epoch_batches()`` yields one epoch's (xs, ys,
        sample weights) batches, ``validate(epoch)`` the validation results or None."""
        self.stop_training = False
        cbs.on_train_begin({})
        for epoch in range(initial_epoch, epochs):
            cbs.on_epoch_begin(epoch, {})
            means = self._epoch_means()
            for b, (bx, by, bw) in enumerate(epoch_batches()):
                size = len(bx[0])
                logs = {"batch": b, "size": size}
                cbs.on_train_batch_begin(b, logs)
                values = self._run_batch(bx, by, bw, True)
                means.add(values, size)
                logs.update(zip(self.metrics_names, means.batch_logs(values)))
                cbs.on_train_batch_end(b, logs)
                if self.stop_training:
                    break
            epoch_logs = dict(zip(self.metrics_names, means.result()))
            results = validate(epoch)
            if results is not None:
                epoch_logs.update({"val_" + k: v for k, v in zip(self.metrics_names, results)})
            cbs.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        cbs.on_train_end({})

    def _epoch_means(self) -> "_BatchMeans":
        """A fresh epoch average; stateful metrics start again from zero."""
        self.reset_metrics()
        outputs = len(getattr(self, "_output_keys", ()))
        first = 1 + (outputs if outputs > 1 else 0)
        fns = getattr(self, "_metric_fns", [])
        return _BatchMeans(outputs if outputs > 1 else 0,
                           {first + j for j, (_, _, fn) in enumerate(fns)
                            if isinstance(fn, metrics_module.Metric)})

    def reset_metrics(self) -> None:
        """Zero the stateful metrics given to ``compile`` (``fit`` and ``evaluate`` do this
        before they start; ``*_on_batch`` after each call)."""
        stateful = [fn for _, _, fn in getattr(self, "_metric_fns", [])
                    if isinstance(fn, metrics_module.Metric) and fn._variables]
        if stateful:
            backend.batch_set_value([(v, np.zeros(v.shape.as_list(), v.dtype.as_numpy_dtype))
                                     for fn in stateful for v in fn._variables])

    def _session_for_data(self):
        return backend.get_session()

    def _callbacks(self, callbacks, verbose, epochs, samples, steps, names, validating,
                   batch_size):
        history = callbacks_module.History()
        metric_names = names + (["val_" + n for n in names] if validating else [])
        cbs = list(callbacks or [])
        if verbose:
            cbs.append(callbacks_module.ProgbarLogger("steps" if samples is None else "samples",
                                                      stateful_metrics=names[1:]))
        cbs.append(history)
        params = {"batch_size": batch_size, "epochs": epochs, "steps": steps,
                  "samples": samples, "verbose": verbose, "do_validation": validating,
                  "metrics": metric_names}
        return history, callbacks_module.CallbackList(cbs, model=self, params=params)

    def _evaluate_arrays(self, xs, ys, sws, batch_size) -> list:
        means = self._epoch_means()
        for start, stop in data.batch_slices(len(xs[0]), batch_size):
            values = self._run_batch([a[start:stop] for a in xs], [a[start:stop] for a in ys],
                                     [None if w is None else w[start:stop] for w in sws], False)
            means.add(values, stop - start)
        return means.result()

    def _evaluate_any(self, source, steps) -> list:
        if isinstance(source, (tuple, list)) and not data.is_dataset(source):
            vx, vy, *vw = source
            return self._evaluate_arrays(*self._standardize(vx, vy, vw[0] if vw else None), 32)
        batches = data.dataset_batches(source, steps, self._session_for_data) if \
            data.is_dataset(source) else data.generator_batches(source, steps)
        means = self._epoch_means()
        for batch in batches:
            bx, by, bw = split_batch_arrays(self, batch)
            means.add(self._run_batch(bx, by, bw, False), len(bx[0]))
        return means.result()

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, sample_weight=None,
                 steps=None, callbacks=None, **kwargs):
        """The loss (and metrics) over the data: a scalar, or a list in ``metrics_names``
        order."""
        self._check_compiled()
        if data.is_dataset(x) or data.is_generator(x):
            results = self._evaluate_any(x, steps)
        else:
            xs, ys, sws = self._standardize(x, y, sample_weight)
            results = self._evaluate_arrays(xs, ys, sws, batch_size or 32)
        results = [np.float32(r) for r in results]
        return results[0] if len(results) == 1 else results

    def predict(self, x, batch_size=None, verbose=0, steps=None, callbacks=None, **kwargs):
        """Outputs for the inputs, batch by batch (a list of arrays for several outputs)."""
        if data.is_dataset(x) or data.is_generator(x):
            batches = data.dataset_batches(x, steps, self._session_for_data) if \
                data.is_dataset(x) else data.generator_batches(x, steps)
            parts = [self._predict_batch(split_batch_arrays(self, b)[0]) for b in batches]
        else:
            xs = data.as_array_list(x, self._names("input"), "input")
            parts = [self._predict_batch([a[s:e] for a in xs])
                     for s, e in data.batch_slices(len(xs[0]), batch_size or 32)]
        outs = [np.concatenate([p[i] for p in parts]) for i in range(len(parts[0]))]
        return outs[0] if len(outs) == 1 else outs

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None):
        self._check_compiled()
        xs, ys, sws = self._standardize(x, y, sample_weight, class_weight)
        values = [np.float32(v) for v in self._run_batch(xs, ys, sws, True)]
        self.reset_metrics()
        return values[0] if len(values) == 1 else values

    def test_on_batch(self, x, y=None, sample_weight=None):
        self._check_compiled()
        xs, ys, sws = self._standardize(x, y, sample_weight)
        values = [np.float32(v) for v in self._run_batch(xs, ys, sws, False)]
        self.reset_metrics()
        return values[0] if len(values) == 1 else values

    def predict_on_batch(self, x):
        outs = self._predict_batch(data.as_array_list(x, self._names("input"), "input"))
        return outs[0] if len(outs) == 1 else outs

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1,
                      callbacks=None, validation_data=None, validation_steps=None,
                      initial_epoch=0, validation_freq=1, **kwargs):
        return self.fit(generator, epochs=epochs, verbose=verbose, callbacks=callbacks,
                        validation_data=validation_data, steps_per_epoch=steps_per_epoch,
                        validation_steps=validation_steps, initial_epoch=initial_epoch,
                        validation_freq=validation_freq)

    def evaluate_generator(self, generator, steps=None, **kwargs):
        return self.evaluate(generator, steps=steps)

    def predict_generator(self, generator, steps=None, **kwargs):
        return self.predict(generator, steps=steps)

    def _check_compiled(self) -> None:
        if not getattr(self, "_compiled", False):
            raise RuntimeError("You must compile your model before training/testing. Use "
                               "`model.compile(optimizer, loss)`.")
        if self.outputs and not hasattr(self, "_loss_fns"):
            self._resolve_outputs()


def split_batch_arrays(model, batch) -> tuple:
    bx, by, bw = data.split_batch(batch)
    xs = data.as_array_list(bx, model._names("input"), "input")
    ys = [_as_column(a) for a in data.as_array_list(by, [], "target")] if by is not None else []
    sws = [None if bw is None else np.asarray(bw, np.float32)] * max(1, len(ys))
    return xs, ys, sws


class _BatchMeans:
    """Averages batch results over an epoch as Keras's TF1 loop does: the total loss and the
    metric functions weighted by batch size, the per-output losses (a mean of one value per
    batch) unweighted; stateful metrics report their latest (already cumulative) value."""

    def __init__(self, per_output_losses: int, stateful: set = frozenset()):
        self._unweighted = range(1, 1 + per_output_losses)
        self._stateful = stateful
        self._sums = None
        self._counts = None

    def add(self, values: list, size: int) -> None:
        weights = [1 if i in self._unweighted else size for i in range(len(values))]
        if self._sums is None:
            self._sums, self._counts = [0.0] * len(values), [0] * len(values)
        for i, (v, w) in enumerate(zip(values, weights)):
            if i in self._stateful:
                self._sums[i], self._counts[i] = v, 1
            else:
                self._sums[i] += v * w
                self._counts[i] += w

    def result(self) -> list:
        return [s / max(c, 1) for s, c in zip(self._sums or [], self._counts or [])]

    def batch_logs(self, values: list) -> list:
        """What callbacks see after a batch: its loss, and the epoch-so-far value of the rest
        (Keras's metrics are stateful)."""
        return values[:1] + self.result()[1:]


def _floatx_tensor(array):
    """An eager tensor of a batch; floating arrays take Keras's float type, as Keras casts
    them (graph mode converts when feeding)."""
    if isinstance(array, np.ndarray) and array.dtype.kind == "f":
        array = array.astype(backend.floatx(), copy=False)
    return ops.convert_to_tensor(array)


def _as_column(target: np.ndarray) -> np.ndarray:
    """1-D targets become one column (n, 1), as Keras standardizes them."""
    return target[:, None] if target.ndim == 1 else target


def _validates(epoch: int, freq) -> bool:
    """Whether fit validates after ``epoch`` (0-based) for ``validation_freq``."""
    if isinstance(freq, int):
        if freq < 1:
            raise ValueError(f"`validation_freq` can not be less than 1, got {freq}")
        return (epoch + 1) % freq == 0
    return epoch + 1 in freq


def _metrics_per_output(specs, names) -> list:
    """compile()'s metrics (a list for every output, or a dict by output name) per output."""
    if isinstance(specs, dict):
        return [list(_as_list(specs.get(n, []))) for n in names]
    return [list(specs or []) for _ in names]


def _as_list(x) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _per_output(spec, names, what, default=None) -> list:
    """A compile() argument (one value, a list, or a dict by output name) per output."""
    if isinstance(spec, dict):
        unknown = set(spec) - set(names)
        if unknown:
            raise ValueError(f"Unknown entries in {what} dictionary: {sorted(unknown)}. Only "
                             f"expected following keys: {names}")
        return [spec.get(n, default) for n in names]
    if isinstance(spec, (list, tuple)):
        if len(spec) != len(names):
            raise ValueError(f"When passing a list as {what}, it should have one entry per "
                             f"model output. The model has {len(names)} outputs, but you passed "
                             f"{what}={spec}")
        return list(spec)
    return [spec if spec is not None else default] * len(names)
