# The two commands of the README:  make run  (serve the samples)  and  make test.
# Both create .venv on first use and reinstall when setup.cfg changes.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
CORPUS ?= corpus/samples
INDEX  ?= var/index
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test test-fast index bench clean

# pip's own output (warnings included) goes to $(VENV)/install.log: one line
# says what is happening, and the log's end is shown only if pip fails.
PIP = $(PY) -m pip install --quiet >>$(VENV)/install.log 2>&1
PIP_FAILED = (tail -n 40 $(VENV)/install.log; echo "pip failed: see $(VENV)/install.log"; exit 1)

$(PY):
	@echo "Creating $(VENV) and installing the project (a few minutes the first time; log: $(VENV)/install.log)"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip || $(PIP_FAILED)

$(VENV)/.installed: setup.cfg pyproject.toml | $(PY)
	@echo "Installing vbsearch and its dependencies into $(VENV) …"
	@$(PIP) -e . || $(PIP_FAILED)
	@touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml | $(PY)
	@echo "Installing vbsearch with the test tools into $(VENV) …"
	@$(PIP) -e '.[test]' || $(PIP_FAILED)
	@touch $@ $(VENV)/.installed

# An incremental build: the whole corpus the first time, only what changed
# after that (a second when nothing did), and from scratch when the index was
# built by a version with another schema, so `make run` after a pull serves.
index: $(VENV)/.installed
	$(PY) -m indexer build $(CORPUS) --index $(INDEX)

run: index
	$(PY) -m search_app --index $(INDEX) --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	bash scripts/ensure-browser.sh
	bash scripts/ensure-converters.sh
	$(PY) -m pytest

# Everything but the slow suites (browser, load, crash).
test-fast: $(VENV)/.installed-test
	$(PY) -m pytest -m "not slow"

# Short versions of the benchmarks (a few minutes); bench/README.md has the full runs.
$(VENV)/.installed-bench: setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

bench: $(VENV)/.installed-bench
	$(PY) bench/analyze.py --quick
	$(PY) bench/parse.py --repeat 1
	rm -rf var/bench
	$(PY) bench/speed.py -n 200 --repeat 3 --keep var/bench/corpus --keep-index var/bench/index
	$(PY) bench/http_load.py --index var/bench/index --seconds 5
	$(PY) bench/quality.py --limit 60

clean:
	rm -rf var .pytest_cache
