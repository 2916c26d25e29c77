"""github_team_membership (one user and the whole list) in-process, against the simulator.

Each task's module runs in this process (the ``ansible`` fixture of tests/unit/conftest.py); the end-to-end case
through ansible-playbook is in tests/integration/test_github_team_membership.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from helpers import TEAMS, each_fails_before_any_write, teams_of, with_teams


def member(**options):
    return {"name": "m", "orgcode.github.github_team_membership": dict({"org": "acme", "team": "platform"},
                                                                       **options)}


def named(name, task):
    return dict(task, name=name)


def test_an_owner_shown_as_maintainer_is_never_demoted(ansible, sim, state):
    teams = [dict(t) for t in TEAMS]
    teams[0] = dict(teams[0], members={"alice": "maintainer", "bob": "member", "octo-admin": "member"})
    with_teams(sim, state, teams)
    run = ansible.play([member(username="octo-admin", role="member")])
    assert run.rc == 0 and run.changed == 0, run
    assert run.task("m")["owner"] is True and "owner" in run.output
    listed = ansible.play([member(members=[{"login": "alice", "role": "maintainer"}, {"login": "bob"},
                                           {"login": "octo-admin", "role": "member"}])])
    assert listed.rc == 0 and listed.changed == 0, listed
    assert listed.task("m")["owners_shown_as_maintainers"] == ["Octo-Admin"]
    assert sim.writes() == []


def test_absent(ansible, sim, state):
    with_teams(sim, state)
    run = ansible.play([named("bob", member(username="bob", state="absent")),
                        named("dave", member(username="dave", state="absent")),
                        named("erin", member(username="erin", state="absent"))], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    assert run.task("bob")["diff"]["after"] == {"state": "absent", "username": "bob"}
    assert run.task("dave")["child_teams"] == ["platform-sre"]  # a member through the child team: left
    assert "through its child team" in run.output
    assert [(w["method"], w["path"]) for w in sim.writes()] == [
        ("DELETE", "/orgs/acme/teams/platform/memberships/bob")]
    assert "bob" not in teams_of(sim)["platform"]["members"]
    again = ansible.play([member(username="bob", state="absent")])
    assert again.rc == 0 and again.changed == 0


def test_list_mode_exclusive_keeps_child_team_members(ansible, sim, state):
    with_teams(sim, state)
    task = member(exclusive=True, write_delay=0,
                  members=[{"login": "alice", "role": "maintainer"}, {"login": "read-only-rita"},
                           {"login": "@Erin", "role": "maintainer"}])
    check = ansible.play([task], check=True, diff=True)
    assert check.rc == 0 and check.changed == 1, check
    assert sim.writes() == []
    real = ansible.play([task], diff=True)
    assert real.rc == 0 and real.changed == 1, real
    assert check.task("m")["diff"] == real.task("m")["diff"]
    assert check.task("m")["changes"] == real.task("m")["changes"]
    result = real.task("m")
    assert result["changes"] == {"added": {"read-only-rita": "member"}, "invited": {"erin": "maintainer"},
                                 "role_changed": {}, "removed": ["bob"], "invitations_cancelled": []}
    assert result["inherited"] == {"dave": ["platform-sre"]}  # shown only through the child team: kept
    assert result["diff"]["after"]["erin"] == "maintainer (pending)"
    platform = teams_of(sim)["platform"]
    assert platform["members"] == {"Alice": "maintainer", "read-only-rita": "member"}
    assert platform["pending"] == {"erin": "maintainer"}
    assert "dave" in teams_of(sim)["platform-sre"]["members"]

    sim.clear_log()
    plain = member(members=[{"login": "alice", "role": "maintainer"}, {"login": "read-only-rita"},
                            {"login": "erin", "role": "maintainer"}])
    again = ansible.play([plain])
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == [] and len(sim.requests()) == 3, "maintainers, members and invitations: 3 reads"


def test_list_mode_checks_everything_before_writing(ansible, sim, state):
    with_teams(sim, state)
    unknown = ansible.play([member(members=[{"login": "alice", "role": "member"}, {"login": "ghost-one"},
                                            {"login": "ghost-two"}])])
    assert unknown.rc != 0
    msg = unknown.task("m")["msg"]
    assert "ghost-one (members[1].login)" in msg and "ghost-two (members[2].login)" in msg
    assert unknown.task("m")["unknown_logins"] == ["ghost-one", "ghost-two"]
    guard = ansible.play([member(members=[{"login": "alice", "role": "maintainer"}], exclusive=True,
                                 max_removals=0)])
    assert guard.rc != 0 and "max_removals=0" in guard.task("m")["msg"] and "bob" in guard.task("m")["msg"]
    twice = ansible.play([member(members=[{"login": "bob"}, {"login": "BOB", "role": "maintainer"}])])
    assert twice.rc != 0 and "members[1].login: BOB is listed twice" in twice.task("m")["msg"]
    bad = ansible.play([member(members=[{"login": "bob", "role": "owner"}])])
    assert bad.rc != 0 and "role" in bad.task("m")["msg"]
    assert sim.writes() == []


def test_bad_input_and_unknown_team(ansible, sim, state):
    with_teams(sim, state)
    cases = [(member(username="bob", team="no-such-team"), "team: organization acme has no team 'no-such-team'"),
             (member(username="bob", team="no-such-team", state="absent"), "has no team 'no-such-team'"),
             (member(username="not a login"), "username: 'not a login' is not a valid GitHub login"),
             (member(username="bob", members=[]), "mutually exclusive"),
             (member(username="bob", exclusive=True), "exclusive: only applies to the members list"),
             (member(username="ghost-user"), "username: GitHub user 'ghost-user' does not exist")]
    each_fails_before_any_write(ansible, sim, cases, "m")


def test_member_token_gets_a_readable_403(ansible, sim, state):
    with_teams(sim, state)
    run = ansible.play([member(username="bob", role="maintainer", token="ghp_test_member_token_0123456789abcdef")])
    assert run.rc != 0
    msg = run.task("m")["msg"]
    assert "403" in msg and "team maintainer" in msg
    assert run.task("m")["changed"] is False and "writes_done" not in run.task("m")  # GitHub refused it
    assert teams_of(sim)["platform"]["members"]["bob"] == "member"
