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

.PHONY: setup system demo test test-future test-future-fast run bench lint lock clean

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

# Four workers on two cores: most tests wait on subprocesses, sockets and servers, not the CPU.
# --dist loadfile keeps a file's tests (and its module fixtures) in one worker.
PYTEST_WORKERS ?= 4
test: lint
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile
	@$(MAKE) --no-print-directory test-future-fast

# The whole suite as it will run 400 days from now: every Python process's wall clock shifted
# by time-machine (tests/clock_shift/sitecustomize.py); CI runs on the day of each change.
test-future: setup
	KIOSK_TEST_CLOCK_SHIFT_DAYS=400 $(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile

# Part of `make test` (about 15 s): the date-sensitive tests (vouchers and their expiry, the
# registry simulator's seeded data and leases, the engine, TLS certificates) 400 days and
# 12 hours ahead, so a test that only passes on today's date or time of day fails in CI.
FUTURE_FAST := tests/test_clock_shift.py tests/kiosk/domain tests/kiosk/registry_sim \
	tests/kiosk/engine tests/kiosk/registry/test_contract.py tests/kiosk/registry/test_tls.py
test-future-fast: setup
	KIOSK_TEST_CLOCK_SHIFT_DAYS=400.5 $(PY) -m pytest -q $(FUTURE_FAST)

bench: setup
	$(PY) benchmarks/run.py --out $(OUT)/bench $(BENCH_ARGS)

# The kiosk's runtime packages, pinned with hashes (scripts/adm-kiosk-release installs from it).
# Resolved from the package index only: no local wheel folders or extra indexes of this machine.
lock: setup
	env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null \
	    $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	    --no-emit-index-url --output-file requirements/kiosk.lock pyproject.toml

clean:
	rm -rf $(VENV) $(OUT) .mypy_cache .ruff_cache
