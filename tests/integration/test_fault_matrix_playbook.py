"""One scenario of the fault matrix (tests/fault_matrix.py) through ansible-playbook, end to end.

The whole matrix runs in-process (tests/unit/plugins/modules/test_fault_matrix.py); this play of
all nine tasks under the "5xx-once" faults checks what only a real run shows: the tasks take their
secrets from the environment, go on after a failure with ``ignore_errors``, and at -v Ansible prints
every retry the client made.
"""

import time

from fault_matrix import CASES, SCENARIOS, cases_for, check_run, install_faults, playbook_env, reference


def results_of(run):
    return {r["task"]: {"status": r["status"], "result": r["result"]} for r in run.results}


def test_fault_matrix_scenario_through_ansible_playbook(ansible, sim, state):
    def run_cases(cases, check=False, verbosity=1):
        run = ansible.play([case.task() for case in cases], check=check, diff=True, verbosity=verbosity,
                           env=playbook_env())
        assert run.recap["failed"] == 0, run
        return results_of(run)

    name, mode = "5xx-once", "normal"
    scenario = SCENARIOS[name]
    cases = cases_for(scenario)
    assert cases == CASES
    ref = reference(run_cases, sim, state)
    install_faults(sim, scenario, cases, mode)
    started = time.monotonic()
    run = ansible.play([case.task() for case in cases], diff=True, verbosity=1, env=playbook_env(scenario))
    elapsed = time.monotonic() - started
    assert run.recap["failed"] == 0 and run.rc == 0, run
    check_run(sim, name, mode, results_of(run), ref, elapsed, rerun=run_cases, output=run.output)
