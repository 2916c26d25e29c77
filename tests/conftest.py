"""Shared fixtures: one simulator process per test session, reset to a known state per test."""

import copy
import hashlib
import os
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS / "simulator"))


def _collections_path():
    """A collections path whose ``ansible_collections/orgcode/github`` is this checkout (a symlink).

    Set as ANSIBLE_COLLECTIONS_PATH while pytest loads this file, before pytest-ansible's
    ``--ansible-unit-inject-only`` (pyproject.toml) reads it: the unit tests then import the
    collection as ``ansible_collections.orgcode.github``. Outside the checkout, so nothing to ignore.
    """
    digest = hashlib.sha1(str(ROOT).encode("utf-8")).hexdigest()[:12]
    base = Path(tempfile.gettempdir()) / ("orgcode-github-pytest-%s" % digest)
    link = base / "ansible_collections" / "orgcode" / "github"
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        try:
            link.symlink_to(ROOT, target_is_directory=True)
        except FileExistsError:  # another xdist worker made it first
            pass
    return str(base)


COLLECTIONS_PATH = _collections_path()
_ENV_COLLECTIONS_PATH = os.environ.get("ANSIBLE_COLLECTIONS_PATH")
os.environ["ANSIBLE_COLLECTIONS_PATH"] = os.pathsep.join(p for p in (COLLECTIONS_PATH, _ENV_COLLECTIONS_PATH) if p)


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    """pytest-ansible has read ANSIBLE_COLLECTIONS_PATH: give the commands the tests start their own."""
    if _ENV_COLLECTIONS_PATH is None:
        os.environ.pop("ANSIBLE_COLLECTIONS_PATH", None)
    else:
        os.environ["ANSIBLE_COLLECTIONS_PATH"] = _ENV_COLLECTIONS_PATH


from flavours import ALL_FLAVOURS, api_version, simulator_flavor  # noqa: E402
from harness import ADMIN_TOKEN, Ansible  # noqa: E402
from simulator.control import Simulator  # noqa: E402

BASE_STATE = yaml.safe_load((TESTS / "integration" / "state_acme.yml").read_text())


def pytest_addoption(parser):
    parser.addoption("--sim-flavour", default="github.com", choices=ALL_FLAVOURS,
                     help="flavour (tests/flavours.py) of the tests that do not parametrize 'flavour'")


@pytest.fixture
def flavour(request):
    """The test's flavour (tests/flavours.py); parametrize ``flavour`` to choose, else ``--sim-flavour``."""
    return request.config.getoption("--sim-flavour")


@pytest.fixture(scope="session")
def simulator_process():
    sim = Simulator(copy.deepcopy(BASE_STATE)).start()
    yield sim
    sim.stop()


def base_state(flavour):
    state = copy.deepcopy(BASE_STATE)
    state["flavor"] = simulator_flavor(flavour)
    return state


@pytest.fixture
def state(flavour):
    """A fresh copy of the base organization state (of the flavour); edit it, then ``sim.reset(state)``."""
    return base_state(flavour)


@pytest.fixture
def sim(simulator_process, flavour):
    """The simulator, reset to the base state with an empty request log and no faults."""
    simulator_process.reset(base_state(flavour))
    return simulator_process


@pytest.fixture
def ansible(sim, tmp_path, flavour):
    """Runs playbooks against ``sim`` with the admin token, the flavour's API root and API version set
    through module_defaults."""
    return Ansible(sim, tmp_path, token=ADMIN_TOKEN, api_version=api_version(flavour))


# -- GitHub App fixtures (helpers in tests/app_support.py) ---------------------------------------------


@pytest.fixture(scope="session")
def app_key():
    """A fresh RSA key pair ``(private PEM, public PEM)`` for the test session."""
    from app_support import pem_pair

    return pem_pair()


@pytest.fixture
def app_state(state, app_key):
    from app_support import app_state_of

    return app_state_of(state, app_key[1])


@pytest.fixture
def app_sim(sim, app_state):
    sim.reset(app_state)
    return sim


@pytest.fixture
def key_file(tmp_path, app_key):
    path = tmp_path / "orgcode-app.private-key.pem"
    path.write_text(app_key[0])
    path.chmod(0o600)
    return path


# -- the order of the tests under pytest-xdist -----------------------------------------------------------
#
# `make pytest` runs two workers with --dist worksteal: each worker first gets one contiguous half of the
# collected tests and an idle worker takes over the END of the other's queue. A playbook test takes seconds to a
# couple of minutes, an in-process test milliseconds: so that no long test starts last and leaves one worker
# running it alone, each worker's half starts with its longest tests and ends with the in-process ones (what
# is stolen), the longest dealt in turn to the workers. Weights: the known long scenarios (an export and
# re-apply of 1,000 members, the playbooks run under --check, for real and again, ...), then every other
# playbook test, then the rest. Without xdist the tests run in the order they are collected.

LONG_TESTS = {  # node id prefix: weight
    "tests/integration/test_export.py::test_export_of_1000_members": 10,
    "tests/integration/test_playbooks.py::test_apply_check_then_apply_then_unchanged": 8,
    "tests/integration/test_playbooks.py::test_offboard_covers_every_repository": 8,
    "tests/integration/test_playbooks.py::test_offboard_leaves_no_trace": 6,
    "tests/integration/test_role_cross_section.py::test_check_predicts": 12,  # 24 cases x 3 role runs
    "tests/integration/test_fault_matrix_playbook.py": 4,
    "tests/integration/test_secrets.py::test_every_module": 4,
    "tests/integration/test_plan_callback.py::test_check_plan_then_applied": 4,
    "tests/integration/test_pipelines.py::test_the_documented_path": 6,
    "tests/integration/test_export.py": 3,
    "tests/integration/test_flavours.py": 2,
}


def _weight(item):
    nodeid = item.nodeid
    for prefix, weight in LONG_TESTS.items():
        if nodeid.startswith(prefix):
            return weight
    return 1 if nodeid.startswith("tests/integration/") else 0


def pytest_collection_modifyitems(config, items):
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 0)
    if workers < 2:
        return
    ranked = sorted(items, key=_weight, reverse=True)  # stable: the collection order within a weight
    items[:] = [item for start in range(workers) for item in ranked[start::workers]]
