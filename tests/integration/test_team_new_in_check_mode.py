"""new_team (github_team_membership, github_team_repository) and new_parent_team (github_team): a play that
creates a team and fills it shows under --check --diff the writes its real run sends."""

from helpers import teams_of, with_teams

CREATE = [
    {"name": "parent", "orgcode.github.github_team": {"org": "acme", "name": "Guild", "privacy": "closed"}},
    {"name": "child", "orgcode.github.github_team": {"org": "acme", "name": "Guild Web", "parent_team": "guild",
                                                     "new_parent_team": "{{ ansible_check_mode }}"}},
    {"name": "members", "orgcode.github.github_team_membership": {
        "org": "acme", "team": "guild-web", "new_team": True, "exclusive": True, "write_delay": 0,
        "members": [{"login": "alice", "role": "maintainer"}, {"login": "erin"}]}},
    {"name": "repos", "orgcode.github.github_team_repository": {
        "org": "acme", "team": "guild-web", "new_team": True, "write_delay": 0,
        "repositories": [{"name": "widgets", "permission": "maintain"}]}},
]


def summary(run):
    return {name: {k: run.task(name).get(k) for k in ("changed", "diff", "changes")}
            for name in ("parent", "child", "members", "repos")}


def test_a_team_created_in_the_play_is_planned_as_github_creates_it(ansible, sim, state):
    with_teams(sim, state)
    check = ansible.play(CREATE, check=True, diff=True)
    assert check.rc == 0, check
    assert sim.writes() == []
    real = ansible.play(CREATE, diff=True)
    assert real.rc == 0, real
    assert summary(check) == summary(real)
    # The token's user created the team: the exclusive list keeps it (GitHub made it a maintainer).
    assert real.task("members")["kept"] == ["Octo-Admin"]
    assert real.task("members")["changes"]["invited"] == {"erin": "member"}
    teams = teams_of(sim)
    assert teams["guild-web"]["parent"] == "guild"
    assert len(sim.writes()) == 2 + 2 + 1  # two teams, two members, one repository


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
