"""The fault matrix (tests/fault_matrix.py) in-process: every module's ``main()`` under each fault.

Each scenario runs the modules one after the other against the session simulator, going on after a
failure as a play with ``ignore_errors`` does. Retry backoffs and rate-limit waits go to the fake
sleep of ``run_module``, so the matrix takes seconds, not minutes. Read timeouts are real waits:
the ``slow-*`` scenarios (the simulator holds an answer 2 s, the client gives up after 1 s) run
with both times divided by 10.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest
from fault_matrix import MATRIX, SCENARIOS, cases_for, check_run, install_faults, options_for, reference

TIME_SCALE = 0.1


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
    module_sleep.timeout_scale = TIME_SCALE
    install_faults(sim, scenario, cases, mode, time_scale=TIME_SCALE)
    started = time.monotonic()
    results = run_cases(cases, check=mode == "check", **options_for(scenario))
    elapsed = time.monotonic() - started
    check_run(sim, name, mode, results, ref, elapsed, rerun=run_cases)
    if name.startswith("rate-limited"):  # the waits were asked for, and taken on the fake sleep
        assert module_sleep.sleeps and all(s >= 1 for s in module_sleep.sleeps), module_sleep.sleeps
