"""The fault matrix (tests/fault_matrix.py) in-process: every module's ``main()`` under each fault.

Each scenario runs the modules one after the other against the session simulator, going on after a
failure as a play with ``ignore_errors`` does. Retry backoffs and rate-limit waits go to the fake
sleep of ``run_module``, so the matrix takes seconds, not minutes. Read timeouts are real waits: in the
``slow-*`` scenarios the simulator holds an answer until the client has given up after its 1 s timeout, so
the answer never comes in time however busy the machine, and the client's other requests have a whole
second each (a tenth of it, as before, raced the simulator on a busy machine).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest
from fault_matrix import MATRIX, SCENARIOS, cases_for, check_run, install_faults, options_for, reference


@pytest.fixture
def run_cases(run):
    """``run_cases(cases, check=False, **options)``: ``{key: {"status", "result"}}`` as a play would give."""

    def run_all(cases, check=False, **options):
        results = {}
        for case in cases:
            result = run(case.module, check=check, diff=True, **case.args(**options))
            results[case.key] = {"status": "failed" if result.failed else "ok", "result": dict(result)}
        return results

    return run_all


@pytest.mark.parametrize("name, mode", MATRIX, ids=["%s-%s" % m for m in MATRIX])
def test_fault(run_cases, module_sleep, sim, state, name, mode):
    scenario = SCENARIOS[name]
    cases = cases_for(scenario)
    ref = reference(run_cases, sim, state)
    install_faults(sim, scenario, cases, mode)
    started = time.monotonic()
    results = run_cases(cases, check=mode == "check", **options_for(scenario))
    elapsed = time.monotonic() - started
    check_run(sim, name, mode, results, ref, elapsed, rerun=run_cases)
    if name.startswith("rate-limited"):  # the waits were asked for, and taken on the fake sleep
        assert module_sleep.sleeps and all(s >= 1 for s in module_sleep.sleeps), module_sleep.sleeps
