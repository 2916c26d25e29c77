# orgcode.github — the two commands a fresh machine needs: `make demo` and `make test`.
# Everything is installed into a local virtual environment (.venv) from the pinned tests/requirements.txt.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
SANITY_ROOT := build/sanity/ansible_collections/orgcode/github

.PHONY: venv test lint pytest unit sanity demo bench build clean

$(BIN)/.installed: tests/requirements.txt requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

venv: $(BIN)/.installed

## make test: lint, ansible-test sanity, unit and integration tests (everything CI runs)
test: lint sanity pytest

lint: venv
	$(BIN)/ruff check .

# worksteal: the in-process unit tests take milliseconds, a playbook test seconds; idle workers take over queued ones.
pytest: venv
	$(PY) -m pytest -n 2 --dist worksteal tests

## make unit: the in-process tests only (tests/unit: modules' main() against the simulator, no ansible-playbook).
unit: venv
	$(PY) -m pytest -n 2 --dist worksteal tests/unit

## ansible-test needs the collection at ansible_collections/orgcode/github: copy the tracked tree there.
GET_PIP_CACHE := $(HOME)/.ansible/test/cache/get_pip_24_2.py

sanity: venv
	mkdir -p $(dir $(GET_PIP_CACHE)) && cp tests/sanity/get_pip_offline.py $(GET_PIP_CACHE)
	rm -rf build/sanity && mkdir -p $(SANITY_ROOT)
	git ls-files --cached --others --exclude-standard -z | xargs -0 cp --parents -t $(SANITY_ROOT)
	cd $(SANITY_ROOT) && git init -q && git add -A && $(abspath $(BIN))/ansible-test sanity --python 3.11 --color no \
		--skip-test pslint --skip-test shellcheck --skip-test pylint

## make demo: simulator with a sample organization; the example playbook under --check --diff, applied, applied again.
demo: venv
	$(PY) tests/demo.py

## make bench: API requests, wall time and memory of the list modes against the per-user loop (not in make test).
bench: venv
	$(PY) tests/bench/run_bench.py

build: venv
	$(BIN)/ansible-galaxy collection build --force --output-path build/

clean:
	rm -rf build .pytest_cache .ruff_cache
