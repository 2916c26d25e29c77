"""new_team (github_team_membership) and new_parent_team (github_team) in-process: check mode fails without
them for a team the play would create, and they change nothing for a real run or an existing team. The play
through ansible-playbook is tests/integration/test_team_new_in_check_mode.py."""

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
