"""github_repo_collaborator's authoritative list mode (collaborators, exclusive, guards).

The end-to-end cases (what ansible-playbook shows, real pacing, the environment); the module's
behaviour is tested in-process in tests/unit/plugins/modules/test_github_repo_collaborator_list.py.

The base state: acme/widgets (private) has direct collaborators outsider-olga (write) and Alice (admin,
a member), bob (a member) gets maintain through a team, frank has a pending invitation (write); acme's
base permission is read, Octo-Admin is the owner and the admin token's user. acme/gadgets is public with
outsider-oscar (read).
"""

from helpers import collab_list

# The current direct collaborators and pending invitations of acme/widgets, as they are.
BASE = [
    {"login": "outsider-olga", "permission": "push"},
    {"login": "alice", "permission": "admin"},
    {"login": "frank", "permission": "push"},  # pending invitation
]


# -- request costs ------------------------------------------------------------------------------


# -- add, change, remove --------------------------------------------------------------------------


CHANGES = [
    {"login": "outsider-olga", "permission": "maintain"},  # direct grant raised in place
    {"login": "frank", "permission": "triage"},  # pending invitation updated in place
    {"login": "erin"},  # outside the organization: invited (push)
    {"login": "dave", "permission": "write"},  # a member with the base permission read: direct grant
    {"login": "bob", "permission": "push"},  # maintain through a team: at least push already
    {"login": "octo-admin", "permission": "pull"},  # owner: admin already
]


def test_check_mode_is_the_real_run_with_zero_writes(ansible, sim):
    wanted = CHANGES + [{"login": "mallory", "permission": "pull"}]
    tasks = [collab_list(wanted, exclusive=True)]
    check = ansible.play(tasks, check=True, diff=True)
    assert check.rc == 0 and check.changed == 1, check
    assert sim.writes() == []
    assert "outsider-olga" in check.stdout  # the diff is shown

    real = ansible.play(tasks, diff=True)
    assert real.rc == 0 and real.changed == 1, real
    predicted, actual = check.task("list"), real.task("list")
    for key in ("changes", "diff", "organization_access", "kept", "collaborator_count", "expired_invitations"):
        assert predicted[key] == actual[key], key
    assert actual["changes"]["removed"] == ["Alice"]
    assert actual["changes"]["invited"] == {"erin": "write", "Mallory": "read"}
    assert ansible.play(tasks, check=True).changed == 0
    assert ansible.play(tasks).changed == 0


# -- invitations ------------------------------------------------------------------------------------


# -- logins ----------------------------------------------------------------------------------------


# -- access through the organization -----------------------------------------------------------------


# -- GitHub Enterprise Server, pacing -----------------------------------------------------------------


def test_write_delay_spaces_writes(ansible, sim):
    wanted = BASE + [{"login": "erin"}, {"login": "mallory"}, {"login": "carol"}]
    run = ansible.play([collab_list(wanted, write_delay=0.5)])
    assert run.rc == 0 and run.changed == 1, run
    times = [w["at"] for w in sim.writes()]
    assert len(times) == 3
    assert all(later - earlier >= 0.45 for earlier, later in zip(times, times[1:], strict=False)), times


# -- bad input ------------------------------------------------------------------------------------------
