# Two set-up commands work on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP_BASE := $(VENV)/.installed-base
STAMP_TEST := $(VENV)/.installed-test
STAMP_DEMO := $(VENV)/.installed-demo

.PHONY: demo test bench clean

$(VPY):
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip

$(STAMP_BASE): $(VPY) pyproject.toml setup.py $(wildcard tensorweave/kernels/*.c tensorweave/kernels/*.h)  # C loops rebuild
	$(VPY) -m pip install -q -e .
	touch $@

$(STAMP_TEST): $(STAMP_BASE)
	$(VPY) -m pip install -q -e '.[test]'
	touch $@

$(STAMP_DEMO): $(STAMP_BASE)
	$(VPY) -m pip install -q -e '.[demo]'
	touch $@

# .pyc files as pip writes them for an installed package (an editable install has none, and
# under PYTHONDONTWRITEBYTECODE=1 every import would compile each module again: ~0.3 s)
BYTECODE := $(VPY) -m compileall -q tensorweave

demo: $(STAMP_DEMO)
	$(BYTECODE)
	$(VPY) examples/keras_digits_cnn.py

test: $(STAMP_TEST)
	$(BYTECODE)
	OPENBLAS_NUM_THREADS=1 $(VPY) -m pytest -q -n 2 tests  # one BLAS thread per worker: no oversubscription

bench: $(STAMP_BASE)
	$(VPY) benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info
