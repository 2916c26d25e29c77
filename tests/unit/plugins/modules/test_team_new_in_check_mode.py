"""new_team (github_team_membership) and new_parent_team (github_team) in-process: check mode fails without
them for a team the play would create, and they change nothing for a real run or an existing team. The play
through ansible-playbook is tests/integration/test_team_new_in_check_mode.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from helpers import CREATE_TEAM_PLAY as CREATE
from helpers import with_teams


def test_without_new_team_check_mode_fails_for_the_team_a_play_would_create(ansible, sim, state):
    with_teams(sim, state)
    tasks = [dict(task, **{key: {k: v for k, v in args.items() if k not in ("new_team", "new_parent_team")}
                           for key, args in task.items() if key != "name"}) for task in CREATE[:3]]
    check = ansible.play(tasks, check=True)
    assert check.rc != 0
    assert "parent_team: organization acme has no team 'guild'" in check.task("child")["msg"]


def test_new_team_is_ignored_for_a_real_run_and_for_an_existing_team(ansible, sim, state):
    with_teams(sim, state)
    unknown = {"name": "members", "orgcode.github.github_team_membership": {
        "org": "acme", "team": "no-such-team", "new_team": True, "members": [{"login": "alice"}]}}
    real = ansible.play([unknown])
    assert real.rc != 0 and "no team 'no-such-team'" in real.task("members")["msg"]
    existing = {"name": "members", "orgcode.github.github_team_membership": {
        "org": "acme", "team": "platform", "new_team": True, "members": [{"login": "alice", "role": "maintainer"}]}}
    sim.clear_log()
    check = ansible.play([existing], check=True)
    assert check.rc == 0 and check.changed == 0, check
    assert len(sim.requests()) == 3  # the team exists: its three lists, as without new_team


def test_one_user_and_one_repository_of_a_team_the_play_creates_plan_as_the_real_run_does(ansible, sim, state):
    """The single-user and single-repository modes take new_team too: check mode plans against the team as
    GitHub creates it (its creator, the token's user, its only maintainer; no repository)."""
    with_teams(sim, state)
    tasks = [
        {"name": "team", "orgcode.github.github_team": {"org": "acme", "name": "Night Shift", "privacy": "closed"}},
        {"name": "alice", "orgcode.github.github_team_membership": {
            "org": "acme", "team": "night-shift", "username": "alice", "new_team": True}},
        {"name": "creator", "orgcode.github.github_team_membership": {
            "org": "acme", "team": "night-shift", "username": "octo-admin", "role": "maintainer", "new_team": True}},
        {"name": "repository", "orgcode.github.github_team_repository": {
            "org": "acme", "team": "night-shift", "repo": "widgets", "permission": "pull", "new_team": True}},
        {"name": "not there", "orgcode.github.github_team_repository": {
            "org": "acme", "team": "night-shift", "repo": "gadgets", "state": "absent", "new_team": True}},
    ]
    sim.reset(sim.state())
    snapshot = sim.state()
    check = ansible.play(tasks, check=True, diff=True)
    assert check.rc == 0, check
    assert sim.writes() == []
    sim.reset(snapshot)
    real = ansible.play(tasks, diff=True)
    assert real.rc == 0, real
    for name in ("team", "alice", "creator", "repository", "not there"):
        assert check.task(name)["changed"] == real.task(name)["changed"], name
        assert check.task(name)["diff"] == real.task(name)["diff"], name
    assert [check.task(name)["changed"] for name in ("alice", "creator", "repository", "not there")] == [
        True, False, True, False]
    assert [(w["method"], w["path"]) for w in sim.writes()] == [
        ("POST", "/orgs/acme/teams"),
        ("PUT", "/orgs/acme/teams/night-shift/memberships/alice"),
        ("PUT", "/orgs/acme/teams/night-shift/repos/acme/widgets")]
