"""github_team's action plugin (plugins/action/github_team.py): ``parent_team: null`` detaches the team.

The argument spec alone cannot tell an explicit null from an option that is not set; the action plugin sees the
task's arguments. The connection comes from the play's module_defaults for group/orgcode.github.github (the
harness sets them), so these tests also show that the group's defaults still reach the module.
"""

import pytest
from test_github_team import teams_of, with_teams


def team(**options):
    return {"name": "team", "orgcode.github.github_team": dict({"org": "acme"}, **options)}


@pytest.mark.parametrize("detach", [None, "", "{{ none }}"], ids=["null", "empty string", "template of none"])
def test_parent_team_null_detaches_in_check_mode_as_for_real(ansible, sim, state, detach):
    with_teams(sim, state)
    task = team(name="Platform SRE", parent_team=detach)
    check = ansible.play([task], check=True, diff=True)
    assert check.rc == 0 and check.changed == 1, check
    assert sim.writes() == []
    real = ansible.play([task], diff=True)
    assert real.rc == 0 and real.changed == 1, real
    assert check.task("team")["diff"] == real.task("team")["diff"]
    assert real.task("team")["diff"]["before"]["parent_team"] == "platform"
    assert real.task("team")["diff"]["after"]["parent_team"] is None
    assert teams_of(sim)["platform-sre"]["parent"] is None
    assert [(w["method"], w["path"]) for w in sim.writes()] == [("PATCH", "/orgs/acme/teams/platform-sre")]
    assert real.task("team")["actions"][0]["verb"] == "update parent_team"

    sim.clear_log()
    again = ansible.play([task])
    assert again.rc == 0 and again.changed == 0, again
    assert len(sim.requests()) == 1 and sim.writes() == []


@pytest.mark.parametrize("options", [{}, {"parent_team": "{{ omit }}"}], ids=["no key", "omit"])
def test_parent_team_not_set_leaves_the_parent(ansible, sim, state, options):
    with_teams(sim, state)
    task = team(name="Platform SRE", description="SRE", **options)
    check = ansible.play([task], check=True, diff=True)
    real = ansible.play([task], diff=True)
    assert check.rc == 0 and real.rc == 0 and check.changed == real.changed == 1, real
    assert check.task("team")["diff"] == real.task("team")["diff"]
    assert real.task("team")["diff"]["after"]["parent_team"] == "platform"
    assert teams_of(sim)["platform-sre"]["parent"] == "platform"
    assert [w["method"] for w in sim.writes()] == ["PATCH"]
    assert real.task("team")["actions"][0]["verb"] == "update description"


def test_a_top_level_team_with_parent_team_null_is_unchanged(ansible, sim, state):
    with_teams(sim, state)
    run = ansible.play([team(name="Platform", parent_team=None)], check=True)
    assert run.rc == 0 and run.changed == 0, run
    assert len(sim.requests()) == 1


def test_the_module_defaults_of_the_group_reach_the_module_through_the_action_plugin(ansible, sim, state):
    with_teams(sim, state)
    play = ansible.playbook([team(name="Platform SRE", parent_team=None)])
    play[0]["module_defaults"]["group/orgcode.github.github"]["token"] = "ghp_not_a_known_token_0123456789abcdef"
    play[0]["module_defaults"]["orgcode.github.github_team"] = {"token": ansible.token}
    run = ansible.run(play)
    assert run.rc == 0 and run.changed == 1, run  # the module's own defaults over the group's
    # The group's api_url is the only way to reach the simulator: a request was made, so it applied.
    assert sim.requests()
    bad = ansible.playbook([team(name="Platform", parent_team=None)])
    bad[0]["module_defaults"]["group/orgcode.github.github"]["token"] = "ghp_not_a_known_token_0123456789abcdef"
    failed = ansible.run(bad)
    assert failed.rc != 0 and "401" in str(failed.task("team")), failed.task("team")
