"""Shared fixtures: one simulator process per test session, reset to a known state per test."""

import copy
import sys
from pathlib import Path

import pytest
import yaml

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS / "simulator"))

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
