"""Every source folder is a regular package, so a non-editable install ships all of it."""
import os

PKG = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tensorweave")


def test_every_source_folder_has_an_init():
    missing = [root for root, dirs, files in os.walk(PKG)
               if "__pycache__" not in root and any(f.endswith(".py") for f in files)
               and "__init__.py" not in files]
    assert missing == []


def test_file_formats_load_on_first_use_only():
    """`import tensorweave` stays light: protobuf/crc32c-backed parts load when first touched."""
    import subprocess
    import sys
    code = ("import sys, tensorweave as tf\n"
            "heavy = [m for m in ('google.protobuf', 'crc32c', 'tensorweave.data', "
            "'tensorweave.layers', 'tensorweave.train.saver') if m in sys.modules]\n"
            "assert heavy == [], heavy\n"
            "assert tf.train.Saver.__name__ == 'Saver' and tf.data.Dataset is not None\n")
    root = os.path.dirname(PKG)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=root))
    assert out.returncode == 0, out.stderr


def test_c_loops_are_built_where_a_compiler_is():
    """`pip install` builds the optional C loops (kernels/_fused.c) when it can compile C; the
    suite must not silently fall back to NumPy on a machine that could build them."""
    import shutil
    import pytest
    from tensorweave.kernels import fused
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler: the NumPy kernels run instead")
    assert fused.available(), "tensorweave/kernels/_fused.c was not built (see setup.py)"
