"""Fixtures for the simulator's own tests: one simulator per module, reset before every test."""

from __future__ import annotations

import pytest
from ghsim_testlib import SAMPLE_STATE, Api, Simulator


@pytest.fixture(scope="module")
def sim_server():
    with Simulator(SAMPLE_STATE) as sim:
        yield sim


@pytest.fixture()
def sim(sim_server):
    sim_server.reset()
    yield sim_server
    assert "Traceback" not in sim_server.stderr, sim_server.stderr


@pytest.fixture()
def api(sim):
    client = Api(sim)
    yield client
    client.session.close()
