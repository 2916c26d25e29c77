"""new_team (github_team_membership, github_team_repository) and new_parent_team (github_team): a play that
creates a team and fills it shows under --check --diff the writes its real run sends (``new_parent_team`` is a
template of ``ansible_check_mode``: ansible-playbook). The cases without a template run in-process:
tests/unit/plugins/modules/test_team_new_in_check_mode.py."""

from helpers import CREATE_TEAM_PLAY as CREATE
from helpers import teams_of, with_teams


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
