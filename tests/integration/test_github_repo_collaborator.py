"""github_repo_collaborator through ansible-playbook against the simulator.

The end-to-end cases (what ansible-playbook shows, real pacing, the environment); the module's
behaviour is tested in-process in tests/unit/plugins/modules/test_github_repo_collaborator.py.

The base state: acme/widgets (private) has direct collaborators outsider-olga (write) and Alice (admin,
a member), bob (a member) gets maintain through a team, frank has a pending invitation (write); acme's
base permission is read, Octo-Admin is the owner. acme/gadgets is public with outsider-oscar (read).
"""

from helpers import collab

# -- invitations ---------------------------------------------------------------


# -- existing collaborators ----------------------------------------------------------


# -- access through the organization -----------------------------------------------


# -- GitHub Enterprise Server, public repositories, custom roles ---------------------


# -- logins, check mode, errors ---------------------------------------------------


def test_check_mode_matches_the_real_run_and_writes_nothing(ansible, sim):
    tasks = [collab("erin", name="invite"),
             collab("frank", name="update invitation", permission="triage"),
             collab("outsider-olga", name="change", permission="admin"),
             collab("alice", name="remove", state="absent"),
             collab("bob", name="member", permission="admin"),
             collab("octo-admin", name="owner", permission="pull"),
             collab("mallory", name="stranger absent", state="absent")]
    check = ansible.play(tasks, check=True, diff=True)
    assert check.rc == 0, check
    assert sim.writes() == []
    expected = [True, True, True, True, True, False, False]
    assert [r["result"]["changed"] for r in check.results] == expected
    assert check.task("invite")["collaborator"]["pending"] is True
    assert check.task("member")["collaborator"]["pending"] is False  # a member would be granted directly
    assert "role_name" in check.stdout  # the diff is shown

    real = ansible.play(tasks, diff=True)
    assert real.rc == 0, real
    assert [r["result"]["changed"] for r in real.results] == expected
    for name in ("invite", "update invitation", "change", "remove", "member", "owner", "stranger absent"):
        assert real.task(name)["diff"] == check.task(name)["diff"], name
        predicted, actual = check.task(name)["collaborator"], real.task(name)["collaborator"]
        actual = {k: v for k, v in actual.items() if k != "invitation_id"}
        assert {k: v for k, v in predicted.items() if k != "invitation_id"} == actual, name
