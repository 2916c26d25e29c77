"""Shared fixtures: one simulator process per test session, reset to a known state per test."""

import copy
import sys
from pathlib import Path

import pytest
import yaml

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS / "simulator"))

from harness import ADMIN_TOKEN, Ansible  # noqa: E402
from simulator.control import Simulator  # noqa: E402

BASE_STATE = yaml.safe_load((TESTS / "integration" / "state_acme.yml").read_text())


@pytest.fixture(scope="session")
def simulator_process():
    sim = Simulator(copy.deepcopy(BASE_STATE)).start()
    yield sim
    sim.stop()


@pytest.fixture
def state():
    """A fresh copy of the base organization state; edit it, then ``sim.reset(state)``."""
    return copy.deepcopy(BASE_STATE)


@pytest.fixture
def sim(simulator_process):
    """The simulator, reset to the base state with an empty request log and no faults."""
    simulator_process.reset(copy.deepcopy(BASE_STATE))
    return simulator_process


@pytest.fixture
def ansible(sim, tmp_path):
    """Runs playbooks against ``sim`` with the admin token set through module_defaults."""
    return Ansible(sim, tmp_path, token=ADMIN_TOKEN)
