# orgcode.github — the two commands a fresh machine needs: `make demo` and `make test`.
# Everything is installed into a local virtual environment (.venv) from the pinned tests/requirements.txt.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: venv test lint pytest unit sanity test-matrix demo bench build clean

$(BIN)/.installed: tests/requirements.txt requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

venv: $(BIN)/.installed

## make test: lint, ansible-test sanity, unit and integration tests (everything CI runs)
test: lint sanity pytest

## make lint: ruff; ansible-lint over the whole collection (.ansible-lint: production profile); antsibull-docs on
## the module and role docs and docs/docsite (the guide, links.yml, extra-docs.yml).
## Both resolve orgcode.github from build/lint, where it is this checkout (a symlink).
LINT_ROOT := $(CURDIR)/build/lint

lint: venv
	$(BIN)/ruff check .
	mkdir -p $(LINT_ROOT)/ansible_collections/orgcode
	ln -sfn $(CURDIR) $(LINT_ROOT)/ansible_collections/orgcode/github
	PATH="$(abspath $(BIN)):$$PATH" ANSIBLE_COLLECTIONS_PATH=$(LINT_ROOT) $(BIN)/ansible-lint -f pep8 --nocolor
	cd $(LINT_ROOT)/ansible_collections/orgcode/github && PATH="$(abspath $(BIN)):$$PATH" \
		$(abspath $(BIN))/antsibull-docs lint-collection-docs --plugin-docs .

# worksteal: the in-process unit tests take milliseconds, a playbook test seconds; idle workers take over queued ones.
# tests/conftest.py deals the longest playbook tests first to each worker, the in-process ones last.
# The simulator's OpenAPI conformance module checks, in its last test, what its other tests validated: it runs
# in one process.
pytest: venv
	$(PY) -m pytest -n 2 --dist worksteal tests --ignore=tests/simulator_tests
	$(PY) -m pytest -p no:xdist tests/simulator_tests

## make unit: the in-process tests only (tests/unit: modules' main() against the simulator, no ansible-playbook).
unit: venv
	$(PY) -m pytest -n 2 --dist worksteal tests/unit

## make sanity: every ansible-test sanity test (pylint included) on a copy of the tree, offline: tools/run_sanity.py.
sanity: venv
	$(PY) tools/run_sanity.py

## make test-matrix: sanity, unit tests and one playbook scenario on each ansible-core of MATRIX, each in its own
## virtual environment (.venv-2.16 ...) from tests/matrix/ansible-core-<version>.txt plus tests/requirements.txt.
## `make test-matrix MATRIX=2.16` runs one version.
MATRIX ?= 2.16 2.17 2.18 2.19
MATRIX_TESTS ?= tests/unit tests/integration/test_playbooks.py::test_apply_check_then_apply_then_unchanged \
	tests/integration/test_secrets.py::test_secrets_stay_masked_when_ansible_core_loses_its_no_log_values

.venv-%/.installed: tests/matrix/ansible-core-%.txt tests/requirements.txt tools/matrix_requirements.py
	$(PYTHON) -m venv .venv-$*
	$(PYTHON) tools/matrix_requirements.py $* > .venv-$*/requirements.txt
	.venv-$*/bin/python -m pip install --quiet --disable-pip-version-check -r .venv-$*/requirements.txt
	touch $@

test-matrix: $(addprefix matrix-,$(MATRIX))

matrix-%: .venv-%/.installed
	@echo "== matrix $*: ansible-core $$(.venv-$*/bin/python -c 'from ansible.release import __version__; print(__version__)')"
	.venv-$*/bin/python tools/run_sanity.py
	.venv-$*/bin/python -m pytest -n 2 -p no:cacheprovider $(MATRIX_TESTS)

.PRECIOUS: .venv-%/.installed

## make demo: simulator with a sample organization; the example playbook under --check --diff, applied, applied again.
demo: venv
	$(PY) tests/demo.py

## make bench: API requests, wall time and memory of the list modes, the role org_config, github_org_config on a whole
## organization and the export (docs/benchmarks.md; not in make test; about 50 minutes). Parts of it:
## tests/bench/run_bench.py --org-only (the whole organization and the export), --role-only, --team-only, --smoke.
bench: venv
	$(PY) tests/bench/run_bench.py

build: venv
	$(BIN)/ansible-galaxy collection build --force --output-path build/

clean:
	rm -rf build .pytest_cache .ruff_cache
