"""github_team_repository (one repository and the whole list) in-process, against the simulator.

Each task's module runs in this process (the ``ansible`` fixture of tests/unit/conftest.py); the end-to-end case
through ansible-playbook is in tests/integration/test_github_team_repository.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from helpers import each_fails_before_any_write, named, team_access, teams_of, with_team_repositories

MEMBER_TOKEN = "ghp_test_member_token_0123456789abcdef"


def test_absent(ansible, sim, state):
    with_team_repositories(sim, state)
    run = ansible.play([named("w", team_access(repo="widgets", state="absent")),
                        named("g", team_access(repo="gadgets", state="absent"))], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    assert run.task("w")["diff"]["after"] == {"repository": "widgets", "state": "absent"}
    assert teams_of(sim)["platform"]["repos"] == {}
    assert [(w["method"], w["path"]) for w in sim.writes()] == [
        ("DELETE", "/orgs/acme/teams/platform/repos/acme/widgets")]


def test_inherited_access_counts_for_one_repository(ansible, sim, state):
    with_team_repositories(sim, state)
    run = ansible.play([team_access(team="platform-sre", repo="widgets", permission="push")])
    assert run.rc == 0 and run.changed == 0, run  # Platform SRE has write through its parent
    gone = ansible.play([team_access(team="platform-sre", repo="widgets", state="absent")])
    assert gone.rc == 0 and gone.changed == 0, gone  # nothing of its own to remove
    assert gone.task("r")["inherited"] is True and "through its parent team" in gone.output
    assert sim.writes() == []


def test_list_mode(ansible, sim, state):
    with_team_repositories(sim, state)
    state["orgs"][0]["teams"][0]["repos"] = {"widgets": "write", "gadgets": "read"}
    sim.reset(state)
    task = team_access(exclusive=True, write_delay=0,
                       repositories=[{"name": "widgets", "permission": "admin"},
                                     {"name": "acme/legacy", "permission": "pull"}])
    state["repos"].append({"owner": "acme", "name": "legacy", "private": True})
    sim.reset(state)
    check = ansible.play([task], check=True, diff=True)
    assert check.rc == 0 and check.changed == 1 and sim.writes() == [], check
    real = ansible.play([task], diff=True)
    assert real.rc == 0 and real.changed == 1, real
    assert check.task("r")["diff"] == real.task("r")["diff"]
    assert check.task("r")["actions"] == real.task("r")["actions"]
    assert real.task("r")["changes"] == {"added": {"legacy": "read"}, "changed": {"widgets": "admin"},
                                         "removed": ["gadgets"]}
    assert teams_of(sim)["platform"]["repos"] == {"acme/widgets": "admin", "acme/legacy": "read"}
    sim.clear_log()
    again = ansible.play([task])
    assert again.rc == 0 and again.changed == 0, again
    assert len(sim.requests()) == 1 and sim.writes() == [], "one list read"
    # the child team inherits the parent's access, which its own list never removes
    child = ansible.play([team_access(team="platform-sre", exclusive=True, repositories=[])])
    assert child.rc == 0 and child.changed == 0, child


def test_list_mode_checks_before_any_write(ansible, sim, state):
    with_team_repositories(sim, state)
    cases = [
        (team_access(repositories=[{"name": "widgets"}, {"name": "nope"}, {"name": "nada"}]),
         "no repository nope (repositories[1].name), nada (repositories[2].name)"),
        (team_access(repositories=[{"name": "gadgets", "permission": "superuser"}]),
         "repositories[0].permission: 'superuser': neither a built-in role"),
        (team_access(repositories=[{"name": "gadgets"}, {"name": "GADGETS", "permission": "admin"}]),
         "listed twice with different permissions"),
        (team_access(repositories=[{"name": "other/gadgets"}]), "not a repository of organization acme"),
        (team_access(repositories=[], exclusive=True, max_removals=0), "max_removals=0"),
    ]
    each_fails_before_any_write(ansible, sim, cases, "r")


def test_bad_input(ansible, sim, state):
    with_team_repositories(sim, state)
    cases = [(team_access(repo="widgets", permission="owner"), "permission: 'owner': neither a built-in role"),
             (team_access(repo="no-such-repo"), "repo: repository acme/no-such-repo was not found"),
             (team_access(repo="widgets", team="ghost"), "team: organization acme has no team 'ghost'"),
             (team_access(repo="bad name!"), "repo: 'bad name!' is not a valid repository name"),
             (team_access(repo="widgets", repositories=[]), "mutually exclusive")]
    each_fails_before_any_write(ansible, sim, cases, "r")


def test_no_admin_rights_is_a_readable_403(ansible, sim, state):
    with_team_repositories(sim, state)
    run = ansible.play([team_access(repo="gadgets", permission="admin", token=MEMBER_TOKEN)])
    assert run.rc != 0
    msg = run.task("r")["msg"]
    assert "403" in msg and "admin rights" in msg and MEMBER_TOKEN not in run.output
    assert teams_of(sim)["platform"]["repos"] == {"acme/widgets": "write"}
