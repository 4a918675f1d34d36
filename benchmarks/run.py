"""Run the benchmark workloads on tensorweave and (optionally) real TensorFlow, side by side.

Usage::

    python benchmarks/run.py                         # tensorweave only
    python benchmarks/run.py --tf /path/to/tf/python # alternate with TensorFlow, print ratios

Each measurement runs in a fresh subprocess; backends alternate (A B A B ...) for ``--rounds``
rounds and the table shows medians across rounds, so machine drift affects both sides alike.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

ROWS = [
    # (label, workload, field (a result key, or a function of the result dict), unit scale, unit,
    #  goal text, goal check(tw, tf) -> bool)
    ("Session.run tiny graph (a*b+b, 1 feed)", "tiny_run", "median_s", 1e6, "us",
     "<= 1/10 of TF", lambda tw, tf: tw <= tf / 10),
    ("MLP 784-512-512-10 Adam step, batch 128", "mlp_adam", "median_s", 1e3, "ms",
     "<= TF", lambda tw, tf: tw <= tf),
    ("MLP benchmark peak RSS", "mlp_adam", "peak_rss_mb", 1.0, "MB",
     "< 1/4 of TF", lambda tw, tf: tw < tf / 4),
    ("CNN (tf.layers) SGD step, batch 64 28x28x1", "cnn_sgd", "median_s", 1e3, "ms",
     "<= TF", lambda tw, tf: tw <= tf),
    ("conv2d 3x3 64->64 fwd (b32 28x28)", "conv_gflops", "fwd_gflops", 1.0, "GF/s",
     "report only, vs NumPy matmul row", None),
    ("conv2d 3x3 64->64 bwd (input+filter grads)", "conv_gflops", "bwd_gflops", 1.0, "GF/s",
     "report only, vs NumPy matmul row", None),
    ("NumPy float32 matmul 1024^3 (same process)", "conv_gflops", "matmul_gflops", 1.0, "GF/s",
     "report only: the ceiling", None),
    ("TFRecord 1 GiB stream: peak RSS growth", "tfrecord_stream", "rss_growth_mb", 1.0, "MB",
     "< 100 MB", lambda tw, tf: tw < 100),
    ("TFRecord 1 GiB stream: read time", "tfrecord_stream", "read_s", 1.0, "s",
     "<= TF", lambda tw, tf: tw <= tf),
    ("tf.data pipeline (slices->map->batch 32->prefetch)", "data_pipeline", "batches_per_s", 1.0,
     "b/s", ">= 2x TF", lambda tw, tf: tw >= 2 * tf),
    ("tf.data parallel map speedup (2 calls vs None)", "data_parallel_map", "speedup", 1.0, "x",
     "> 1.3", lambda tw, tf: tw > 1.3),
    ("Keras fit 64-256-256-10 MLP, Adam, b64: time per step", "keras_fit_mlp", "step_s", 1e3,
     "ms", "<= TF", lambda tw, tf: tw <= tf),
    ("Keras conv+BN+ReLU x3 SGD step (b16 32x32x3)", "keras_conv_bn", "keras_s", 1e3, "ms",
     "report; vs the tf.layers row", None),
    ("same network with tf.layers", "keras_conv_bn", "layers_s", 1e3, "ms",
     "report only", None),
    ("Eager conv+BN+ReLU x3 (to 128 ch) tape+SGD step (b8 64x64x3)", "eager_conv_bn",
     "eager_s", 1e3, "ms", "<= TF", lambda tw, tf: tw <= tf),
    ("same step, forward traced by tf.function", "eager_conv_bn", "defun_s", 1e3, "ms",
     "report; vs TF's traced step", None),
    ("tf.function speedup over the eager step", "eager_conv_bn",
     lambda r: r["eager_s"] / r["defun_s"], 1.0, "x", "> 1 (faster still)",
     lambda tw, tf: tw > 1),
    ("Eager ResNet-50 train step 224x224 b4: examples/sec", "resnet50_train",
     "examples_per_s", 1.0, "ex/s", "report (issue 5)", None),
    ("same step: achieved GFLOP/s", "resnet50_train", "gflops", 1.0, "GF/s", "report only",
     None),
    ("import time", "import", "import_s", 1.0, "s",
     "< 0.5 s", lambda tw, tf: tw < 0.5),
]


def measure(python: str, backend: str, workload: str, seconds: float) -> dict:
    cmd = [python, os.path.join(HERE, "workloads.py"), "--backend", backend, "--workload",
           workload, "--seconds", str(seconds)]
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


_BLAS_CORE = """
import ctypes, os
import numpy
paths = {l.split()[-1] for l in open("/proc/self/maps") if "openblas" in l.lower()}
for path in sorted(paths):
    lib = ctypes.CDLL(path)
    for name in ("scipy_openblas_get_corename64_", "openblas_get_corename"):
        fn = getattr(lib, name, None)
        if fn is not None:
            fn.restype = ctypes.c_char_p
            print(fn().decode())
            raise SystemExit
print("not OpenBLAS")
"""


def compile_bytecode() -> None:
    """Write tensorweave's ``.pyc`` files, as ``pip install`` does for an installed package (and
    for TensorFlow): an editable checkout run under ``PYTHONDONTWRITEBYTECODE=1`` would
    otherwise compile every module from source at each import (~0.2 s here)."""
    import compileall
    compileall.compile_dir(os.path.join(ROOT, "tensorweave"), quiet=1)


def blas_core(python: str) -> str:
    """The OpenBLAS kernel family NumPy runs with under this environment (OPENBLAS_CORETYPE
    forces one; a current NumPy picks the CPU's own when it is unset)."""
    out = subprocess.run([python, "-c", _BLAS_CORE], capture_output=True, text=True)
    return out.stdout.strip() or out.stderr.strip()[-200:]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tf", metavar="PYTHON", help="a Python interpreter with tensorflow installed")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=float, default=2.0, help="timing budget per measurement")
    args = p.parse_args(argv)
    workloads = sorted({r[1] for r in ROWS})
    results: dict = {("tw", w): [] for w in workloads}
    results.update({("tf", w): [] for w in workloads})
    compile_bytecode()
    for rnd in range(args.rounds):
        for w in workloads:
            results[("tw", w)].append(measure(sys.executable, "tensorweave", w, args.seconds))
            if args.tf:
                results[("tf", w)].append(measure(args.tf, "tensorflow", w, args.seconds))
        print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)
    print(f"NumPy's OpenBLAS kernels: {blas_core(sys.executable)} (OPENBLAS_CORETYPE="
          f"{os.environ.get('OPENBLAS_CORETYPE', 'unset')})")
    header = f"| {'workload':42} | {'tensorweave':>12} | {'TensorFlow':>12} | {'tw/TF':>7} | goal | met |"
    print(header)
    print("|" + "---|" * 6)
    for label, w, field, scale, unit, goal, check in ROWS:
        value = field if callable(field) else (lambda r, key=field: r[key])
        tw = statistics.median(value(r) for r in results[("tw", w)])
        if args.tf:
            tf = statistics.median(value(r) for r in results[("tf", w)])
            ratio = f"{tw / tf:.3f}"
            met = "-" if check is None else ("yes" if check(tw, tf) else "NO")
            tf_txt = f"{tf * scale:.2f} {unit}"
        else:
            ratio, met, tf_txt = "-", "?", "-"
        print(f"| {label:42} | {tw * scale:>9.2f} {unit:2} | {tf_txt:>12} | {ratio:>7} | {goal} | {met} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
