# Two commands do all the set-up: `make demo` and `make test`.
# Everything else (run, bench, lint) shares the same set-up steps, which are fast when nothing changed.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYS_STAMP := $(VENV)/.system-packages
OUT ?= out
export QT_QPA_PLATFORM ?= offscreen

.PHONY: setup system demo test test-future run bench lint clean

setup: $(STAMP)

$(SYS_STAMP): scripts/system-packages.txt scripts/ensure-system-packages.sh
	@bash scripts/ensure-system-packages.sh scripts/system-packages.txt
	@mkdir -p $(VENV) && touch $@

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml $(SYS_STAMP) | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

demo: setup
	$(VENV)/bin/kiosk demo --out $(OUT)/demo

run: setup
	QT_QPA_PLATFORM= $(VENV)/bin/kiosk run --simulate

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: lint
	$(PY) -m pytest -q

# The whole suite as it will run 400 days from now: every Python process's wall clock shifted
# by time-machine (tests/clock_shift/sitecustomize.py); CI runs on the day of each change.
test-future: setup
	KIOSK_TEST_CLOCK_SHIFT_DAYS=400 $(PY) -m pytest -q

bench: setup
	$(PY) benchmarks/run.py --out $(OUT)/bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(OUT) .mypy_cache .ruff_cache
