# Two entry points (see README): `make run` and `make test`. Both are idempotent:
# the virtualenv is built once and rebuilt only when a requirements file or pyproject.toml
# changes.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: run test install install-dev browser bench screenshot clean

$(VENV)/.runtime: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# an old pip misses trafilatura's lxml_html_clean extra: upgrade it first
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements.txt
	# the project itself, editable (the `crosscheck` command, `import comparer` anywhere);
	# --no-deps: the lock above pins every dependency, and a resolve would fetch torch unpinned
	$(PY) -m pip install --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# Debian's Chromium for the browser tests (never `playwright install`).
browser:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
	  { apt-get update && apt-get install -y --no-install-recommends chromium; }

run: install
	$(PY) -m streamlit run dashboard/app.py --server.address 127.0.0.1

# Lint, format check and type check first (cheap, and a failure stops the target), then the
# tests. `$(PY) -m ruff format $(LINTED)` rewrites the files the format check rejects.
LINTED := comparer dashboard tests bench

test: install-dev browser
	$(PY) -m ruff check $(LINTED)
	$(PY) -m ruff format --check $(LINTED)
	$(PY) -m mypy
	$(PY) -m pytest

# bench/ is a package: each script runs as a module (`python -m bench.bench_align`), so it
# imports its sibling scripts and tests' helpers as bench.* and tests.* from the repo root.
bench: install-dev
	for f in bench/bench_*.py; do $(PY) -m bench.$$(basename $$f .py) || exit 1; done

# Refresh the README's picture from the browser test's screenshot.
screenshot: install-dev browser
	$(PY) -m pytest tests/test_browser.py -q -k example
	cp tests/artifacts/screenshot.png docs/screenshot.png

clean:
	rm -rf $(VENV) .crosscheck .pytest_cache build *.egg-info
